"""Opening a case: the applicant checked (and masked), ticket and channel recorded, returning
applicants found; bad input refused in Chinese with nothing half-stored."""

from __future__ import annotations

from datetime import date

import pytest
from case_centre import CREDIT, GOOD_ID, GOOD_ID_2
from case_helpers import PERSON, mark, open_case
from sqlmodel import select

from clerk.cases import rules
from clerk.mutation import MutationRefused
from clerk.store.operations import Case, CaseMaterial, Ticket
from clerk.store.reference import ServiceItem, ServiceLine


def _cases(store) -> int:
    with store.session() as s:
        return len(s.exec(select(Case)).all()) + len(s.exec(select(CaseMaterial)).all())


def test_a_person_is_stored_whole_and_shown_masked_with_the_guide_checklist(desk, store):
    v = open_case(desk)
    assert (v.applicant_name, v.applicant_id, v.applicant_phone) == ("张三", "110105********002X", "138****8000")
    assert [m.name for m in v.materials] == ["申请表", "居民身份证", "经营场所证明", "委托书"]
    assert all(m.state == "pending" for m in v.materials) and v.channel == "窗口"
    assert v.public_url.startswith("https://zwfw.example.cn/case/") and v.id not in v.public_url
    with store.session() as s:
        case = s.get(Case, v.id)
    assert case.applicant_id_number == GOOD_ID and len(case.public_token) >= 24 and case.guide_version


def test_an_organisation_with_a_bad_credit_code_is_accepted_with_a_warning(desk):
    org = {"kind": "organisation", "name": "测试科技有限公司", "id_number": CREDIT[:-1] + "2",
           "legal_representative": "李四"}
    v = open_case(desk, applicant=org)
    assert v.applicant_id == CREDIT[:-1] + "2" and any("校验位不符" in w for w in v.warnings)
    ok = open_case(desk, applicant=org | {"id_number": CREDIT})
    assert ok.warnings == ()


def test_an_organisation_needs_its_legal_representative(desk, store):
    with pytest.raises(MutationRefused, match="请填写法定代表人"):
        open_case(desk, applicant={"kind": "organisation", "name": "测试公司", "id_number": CREDIT})
    assert _cases(store) == 0


def test_an_agent_needs_a_valid_id_and_a_power_of_attorney(desk, store):
    agent = PERSON | {"agent_name": "王五", "agent_id_number": GOOD_ID_2}
    with pytest.raises(MutationRefused, match="授权委托书"):
        open_case(desk, applicant=agent)
    with pytest.raises(MutationRefused, match="代理人身份证号码：身份证号码校验位不正确"):
        open_case(desk, applicant=agent | {"agent_id_number": GOOD_ID_2[:-1] + "5", "power_of_attorney": True})
    assert _cases(store) == 0
    assert open_case(desk, applicant=agent | {"power_of_attorney": True}).state == "received"


@pytest.mark.parametrize(("applicant", "message"), [
    (PERSON | {"id_number": GOOD_ID[:-1] + "1"}, "申请人身份证号码：身份证号码校验位不正确，请核对"),
    (PERSON | {"id_number": "110105194913310020"}, "申请人身份证号码：身份证号码中的出生日期不正确"),
    (PERSON | {"id_number": "110105202701010016"}, "申请人身份证号码：身份证号码中的出生日期晚于今天"),
    (PERSON | {"name": "张" * 60}, "申请人姓名不能超过50个字（现为60个字）"),
    (PERSON | {"name": "  "}, "请填写申请人姓名"),
    (PERSON | {"phone": "12345"}, "联系电话不正确"),
    (PERSON | {"name": "张\x07三"}, "申请人姓名含有不可见的控制字符"),
])
def test_bad_applicant_input_is_refused_in_chinese_and_nothing_is_stored(desk, store, applicant, message):
    with pytest.raises(MutationRefused) as refused:
        open_case(desk, applicant=applicant)
    assert refused.value.message.startswith(message)
    assert _cases(store) == 0


def test_markup_is_kept_as_typed_text(desk):
    v = open_case(desk, applicant=PERSON | {"name": "[red]x[/red]"})
    assert v.applicant_name == "[red]x[/red]"
    v = mark(desk, v, 1, "defective", defect="[b]未签字[/b]")
    assert v.materials[0].defect == "[b]未签字[/b]"


def test_a_case_from_a_served_ticket_links_its_line_and_number(desk, store):
    with store.write() as s:
        s.add(ServiceLine(id="tc:A", centre_code="tc", letter="A", name="综合"))
        s.flush()
        from datetime import datetime

        from clerk.clock import LOCAL_TZ
        s.add(Ticket(id="t1", centre_code="tc", line_id="tc:A", day=date(2026, 3, 2), seq=23, number="A023",
                     status="serving", issued_at=datetime(2026, 3, 2, 8, 50, tzinfo=LOCAL_TZ)))
    v = open_case(desk, ticket_id="t1")
    assert v.ticket_number == "A023"
    with store.session() as s:
        assert s.get(Case, v.id).ticket_line_id == "tc:A"
    with pytest.raises(MutationRefused) as refused:
        open_case(desk, ticket_id="nope")
    assert refused.value.message == "找不到这张号票，不能关联办件"


def test_channels_are_recorded_and_an_unknown_one_refused(desk):
    assert open_case(desk, channel="home_visit").channel == "上门办"
    assert open_case(desk, channel="post").channel == "邮寄"
    with pytest.raises(MutationRefused, match="收件渠道不正确"):
        open_case(desk, channel="fax")


def test_a_returning_applicant_is_found_with_open_cases_only(desk):
    first = open_case(desk)
    closed = open_case(desk)
    desk.decide("c1", closed.id, closed.version, "not_required")
    open_case(desk, applicant=PERSON | {"id_number": GOOD_ID_2})
    found = desk.returning(GOOD_ID.lower())
    assert [c.id for c in found] == [first.id] and found[0].applicant == "张*"


def test_checklist_rows_need_their_detail(desk):
    v = open_case(desk)
    for state, detail, message in (
        ("received", {"received_form": "", "copies": 1}, "原件还是复印件"),
        ("received", {"received_form": "copy", "copies": 0}, "份数"),
        ("defective", {"defect": " "}, "有什么问题"),
        ("exempt", {"exempt_way": ""}, "免提交的方式"),
        ("exempt", {"exempt_way": "e_licence"}, "电子证照编号"),
    ):
        with pytest.raises(MutationRefused, match=message):
            desk.mark("c1", v.id, v.version, v.materials[0].material_id, state, **detail)
    v = mark(desk, v, 2, "exempt", exempt_way="e_licence", licence_no="DZZZ-0001")
    assert (v.materials[1].state, v.materials[1].licence_no, v.materials[1].state_label) == ("exempt", "DZZZ-0001", "免提交")
    with pytest.raises(MutationRefused) as refused:
        desk.mark("c1", v.id, v.version, "T-DEF:99", "missing")
    assert refused.value.message == "该材料不在本事项的办事指南材料清单中"
    assert rules.STATE_LABELS["missing"] == "缺"


def test_a_withdrawn_item_refuses_acceptance_with_a_clear_message(desk, monkeypatch):
    from case_helpers import checked

    case = checked(desk, "T-PLAIN")
    monkeypatch.setattr(ServiceItem, "withdrawn", property(lambda self: self.code == "T-PLAIN"), raising=False)
    assert "本事项已从事项目录中撤销，不能再受理" in desk.case(case.id).warnings
    with pytest.raises(MutationRefused, match="已从事项目录中撤销"):
        desk.decide("c1", case.id, case.version, "accept")
    assert desk.case(case.id).state == "received" and desk.case(case.id).notices == ()


def test_a_material_is_exempt_only_in_the_ways_its_guide_names(desk, monkeypatch):
    from clerk.store.reference import ItemMaterial

    monkeypatch.setattr(ItemMaterial, "exempt_ways",
                        property(lambda self: ["e_licence"] if self.id.endswith(":2") else []), raising=False)
    v = open_case(desk)
    with pytest.raises(MutationRefused) as refused:
        mark(desk, v, 2, "exempt", exempt_way="data_sharing")
    assert refused.value.message == "“居民身份证”只能通过电子证照免提交"
    assert mark(desk, v, 2, "exempt", exempt_way="e_licence", licence_no="DZ-1").materials[1].state == "exempt"
    assert mark(desk, desk.case(v.id), 1, "exempt", exempt_way="online").materials[0].state == "exempt"
