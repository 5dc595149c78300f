"""The back office on one counter's store: 一审一核, the limit, extension, special procedures,
the result at 出件 and its delivery; every forbidden move refused with nothing stored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from case_helpers import checked
from sqlmodel import select

from clerk.backoffice import limits
from clerk.backoffice.service import BackOfficeDesk
from clerk.cases import states
from clerk.mutation import MutationRefused
from clerk.papers.content import Paper
from clerk.store.operations import Case, Notice, SignOff

DUE = date(2026, 3, 9)
"""T-PLAIN accepted on Monday 2 March 2026: five working days → Monday 9 March."""


@pytest.fixture
def back(desk) -> BackOfficeDesk:
    return BackOfficeDesk(desk)


def accepted(desk, item: str = "T-PLAIN"):
    case = checked(desk, item)
    return desk.decide("c1", case.id, case.version, "accept", print_papers=False).case


def reviewed(desk, back, proposal="grant", **kw):
    case = accepted(desk)
    basis = kw.pop("legal_basis", "《测试条例》第九条" if proposal == "deny" else "")
    back.review("r1", case.id, case.version, proposal, kw.pop("opinion", "经审查，符合法定条件和标准"), basis)
    return desk.case(case.id)


def row(store, case_id) -> Case:
    with store.session() as s:
        return s.get(Case, case_id)


def notices(store, case_id) -> list[Notice]:
    with store.session() as s:
        return list(s.exec(select(Notice).where(Notice.case_id == case_id)).all())


def test_reviewed_by_one_checked_by_another_then_ready_and_delivered_at_the_window(desk, back, store, clock):
    case = accepted(desk)
    assert case.due_date == DUE
    back.review("r1", case.id, case.version, "grant", "经审查，申请材料齐全，符合法定条件")
    case = desk.case(case.id)
    assert case.state == states.REVIEWED
    with pytest.raises(MutationRefused, match="一审一核"):
        back.check("r1", case.id, case.version, "同意")
    moved = back.check("r2", case.id, case.version, "同意")
    assert moved.state_label == "待领取" and moved.notices == ()
    [ready] = back.ready()
    assert (ready.case_id, ready.result_label) == (case.id, "准予许可")
    case = desk.case(case.id)
    with pytest.raises(MutationRefused, match="核对受理通知书和领取人身份证件"):
        back.deliver("c2", case.id, case.version, "window", notice_checked=True)
    back.deliver("c2", case.id, case.version, "window", notice_checked=True, id_checked=True)
    stored = row(store, case.id)
    assert (stored.status, stored.result, stored.reviewed_by, stored.decided_by, stored.delivered_by) == (
        states.FINISHED, "granted", "r1", "r2", "c2")
    assert stored.decided_on == date(2026, 3, 2) and "窗口领取" in stored.delivery_detail
    assert back.ready() == []


def test_a_denial_needs_reasons_and_a_basis_and_prints_its_decision_with_the_rights(desk, back, store):
    case = accepted(desk)
    with pytest.raises(MutationRefused, match="法律依据"):
        back.review("r1", case.id, case.version, "deny", "经现场核查，经营场所与申请材料不符")
    with pytest.raises(MutationRefused, match="审查意见"):
        back.review("r1", case.id, case.version, "grant", " ")
    assert row(store, case.id).status == states.ACCEPTED
    back.review("r1", case.id, case.version, "deny", "经现场核查，经营场所与申请材料不符", "《测试条例》第九条")
    case = desk.case(case.id)
    moved = back.check("r2", case.id, case.version, "同意不予许可", print_papers=False)
    [made] = moved.notices
    assert made.title == "不予许可决定书" and "不许〔2026〕" in made.doc_no
    [stored] = notices_of(store, case.id, "denial")
    paper = Paper.model_validate_json(stored.body)
    assert paper.body.reasons == "经现场核查，经营场所与申请材料不符"
    assert paper.body.legal_basis == "《测试条例》第九条" and paper.body.decided_by == "后台r2"
    assert paper.body.rights.review_days == 60 and paper.body.rights.suit_months == 6
    assert paper.handler.name == "窗口1"  # the accepting clerk; the checker signs the decision
    assert row(store, case.id).result == "denied"
    assert back.ready()[0].result_label == "不予许可"


def notices_of(store, case_id, kind):
    return [n for n in notices(store, case_id) if n.kind == kind]


def test_only_the_items_own_department_reviews_and_a_window_clerk_cannot(desk, back, store):
    case = accepted(desk)
    with pytest.raises(MutationRefused, match="其他部门"):
        back.review("rx", case.id, case.version, "grant", "符合条件")
    with pytest.raises(MutationRefused, match="不能办理后台审查"):
        back.review("c2", case.id, case.version, "grant", "符合条件")
    assert row(store, case.id).status == states.ACCEPTED and row(store, case.id).version == case.version


def test_the_checker_may_send_the_review_back_and_another_review_follows(desk, back, store):
    case = reviewed(desk, back)
    back.return_review("r2", case.id, case.version, "场所证明需再核实")
    stored = row(store, case.id)
    assert stored.status == states.ACCEPTED and stored.reviewed_by is None
    assert "【核准退回】场所证明需再核实" in stored.review_opinion
    case = desk.case(case.id)
    back.review("r2", case.id, case.version, "grant", "已再次核实场所证明")
    case = desk.case(case.id)
    back.check("r1", case.id, case.version, "同意")  # now r1 checks what r2 reviewed
    assert row(store, case.id).status == states.READY


def test_past_the_limit_a_decision_needs_the_heads_extension_first(desk, back, store, clock):
    case = reviewed(desk, back)
    clock.advance(days=8)  # Tuesday 10 March: one working day past 9 March
    with pytest.raises(MutationRefused, match="须经部门负责人批准延期"):
        back.check("r2", case.id, case.version, "同意")
    with pytest.raises(MutationRefused, match="负责人"):
        back.extend("r2", case.id, case.version, "需补充核查经营场所", print_papers=False)
    moved = back.extend("h1", case.id, case.version, "需补充核查经营场所", print_papers=False)
    assert [n.title for n in moved.notices] == ["延期办理通知书"]
    stored = row(store, case.id)
    assert stored.due_date == date(2026, 3, 23) and stored.extended_by == "h1"
    [paper] = notices_of(store, case.id, "extension")
    body = Paper.model_validate_json(paper.body).body
    assert (body.old_due, body.new_due, body.reason) == (DUE, date(2026, 3, 23), "需补充核查经营场所")
    case = desk.case(case.id)
    with pytest.raises(MutationRefused, match="只能延长10个工作日一次"):
        back.extend("h1", case.id, case.version, "再次延期", print_papers=False)
    back.check("r2", case.id, case.version, "同意")
    assert row(store, case.id).status == states.READY


def test_a_special_procedure_stops_the_clock_and_moves_the_due_date_by_the_days_it_took(desk, back, store, clock):
    case = reviewed(desk, back)
    moved = back.suspend("r2", case.id, case.version, "检验、检测、检疫", 15, print_papers=False)
    assert [n.title for n in moved.notices] == ["特别程序告知书"]
    assert moved.state_label == "特别程序中"
    line = back.queue("r1").lines[0]
    assert line.limit.state == limits.PAUSED
    clock.advance(days=3)  # Thursday 5 March: three working days later
    case = desk.case(case.id)
    with pytest.raises(MutationRefused) as refused:
        back.check("r2", case.id, case.version, "同意")
    assert refused.value.message == "办件当前为“特别程序中”，不能核准"
    back.resume("r2", case.id, case.version)
    stored = row(store, case.id)
    assert stored.status == states.REVIEWED  # back where the procedure found it
    assert (stored.due_date, stored.suspended_days) == (date(2026, 3, 12), 3)


def test_a_procedure_needs_a_name_and_a_sane_length(desk, back, store):
    case = accepted(desk)
    with pytest.raises(MutationRefused, match="特别程序的名称"):
        back.suspend("r1", case.id, case.version, "", 10, print_papers=False)
    with pytest.raises(MutationRefused, match="1至120个工作日"):
        back.suspend("r1", case.id, case.version, "专家评审", 0, print_papers=False)
    with pytest.raises(MutationRefused, match="不是行政许可法第四十五条规定的特别程序"):
        back.suspend("r1", case.id, case.version, "现场核查", 5, print_papers=False)  # Art 34: its time counts
    assert notices_of(store, case.id, "special_procedure") == []


def ready_case(desk, back):
    case = reviewed(desk, back)
    back.check("r2", case.id, case.version, "同意")
    return desk.case(case.id)


@pytest.mark.parametrize(("courier", "number", "message"), [
    ("中国邮政EMS", "EA123456784CN", "校验位不对"),
    ("中国邮政EMS", "12345", "格式不对"),
    ("顺丰速运", "SF12", "格式不对"),
    ("鸿雁传书", "X1", "请选择快递公司"),
])
def test_a_tracking_number_of_the_wrong_shape_is_refused_and_nothing_changes(desk, back, store, courier, number,
                                                                             message):
    case = ready_case(desk, back)
    with pytest.raises(MutationRefused, match=message):
        back.deliver("c2", case.id, case.version, "post", address="示范县人民路1号", courier=courier,
                     tracking_no=number)
    assert row(store, case.id).status == states.READY


def test_by_post_and_electronically_when_the_applicant_asked_for_both(desk, back, store):
    case = ready_case(desk, back)
    with pytest.raises(MutationRefused, match="电子邮箱"):
        back.deliver("c2", case.id, case.version, "electronic", e_address="not-an-address")
    back.deliver("c2", case.id, case.version, "post", address="示范县人民路1号", courier="中国邮政EMS",
                 tracking_no="ea 123456785 cn", e_address="zhang@example.cn")
    stored = row(store, case.id)
    assert (stored.status, stored.delivery, stored.tracking_no) == (states.FINISHED, "post+electronic",
                                                                    "EA123456785CN")
    assert "示范县人民路1号" in stored.delivery_detail and "zhang@example.cn" in stored.delivery_detail


def test_an_instant_item_goes_to_the_chief_and_a_promised_one_cannot(desk, back, store):
    plain = accepted(desk)
    with pytest.raises(MutationRefused, match="须转后台审查"):
        back.request_instant("c1", plain.id, plain.version)
    now = accepted(desk, "T-NOW")
    back.request_instant("c1", now.id, now.version, "申请人在窗口等候")
    assert row(store, now.id).status == states.INSTANT_REQUESTED
    with store.session() as s:
        [req] = s.exec(select(SignOff).where(SignOff.case_id == now.id)).all()
    assert (req.kind, req.department_code, req.decision) == ("instant_approval", "sj", None)


def test_the_queue_puts_the_case_past_its_limit_first_then_the_nearest(desk, back, clock):
    first = accepted(desk)
    clock.advance(days=2)  # Wednesday: due the next Wednesday
    second = accepted(desk)
    clock.advance(days=5)  # Monday 9 March: the first is due today, the second in two days
    queue = back.queue("r1")
    assert [ln.case_id for ln in queue.lines] == [first.id, second.id]
    assert [ln.limit.label for ln in queue.lines] == ["今日到期", "剩余2个工作日（3月11日到期）"]
    assert dict(queue.counts)["已受理"] == 2
    clock.advance(days=1)
    assert back.queue("r1").lines[0].limit.state == limits.OVER
    assert back.queue("rx").lines == ()  # another department sees none of them


BACK_ACTIONS = [a for a in states.TRANSITIONS if a not in states.INTAKE_ACTIONS]
FORBIDDEN = [(s, a) for a in BACK_ACTIONS for s in states.LABELS if s not in states.TRANSITIONS[a][0]]


@pytest.mark.parametrize(("state", "action"), FORBIDDEN)
def test_every_back_office_move_outside_the_table_is_refused(desk, back, store, state, action):
    case = accepted(desk)
    with store.write() as s:
        stored = s.get(Case, case.id)
        stored.status = state
        s.add(stored)
    call = {
        "review": lambda: back.review("r1", case.id, case.version, "grant", "符合条件"),
        "check": lambda: back.check("r2", case.id, case.version, "同意"),
        "return_review": lambda: back.return_review("r2", case.id, case.version, "再核实"),
        "extend": lambda: back.extend("h1", case.id, case.version, "需核实", print_papers=False),
        "suspend": lambda: back.suspend("r1", case.id, case.version, "专家评审", 5, print_papers=False),
        "resume": lambda: back.resume("r1", case.id, case.version),
        "deliver": lambda: back.deliver("c1", case.id, case.version, "electronic", e_address="a@b.cn"),
        "request_instant": lambda: back.request_instant("c1", case.id, case.version),
        "request_urgent": lambda: back.request_urgent("c1", case.id, case.version, "申请人急需参加招标"),
        "applicant_withdraw": lambda: back.applicant_withdraw("c1", case.id, case.version, "申请人书面撤回"),
        "request_return": lambda: back.request_return("r1", case.id, case.version, "地址不一致",
                                                      [(case.materials[1].material_id, "复印件不清晰")], 10),
    }[action]
    with pytest.raises(MutationRefused) as refused:
        call()
    assert refused.value.message == f"办件当前为“{states.LABELS[state]}”，不能{states.ACTION_LABELS[action]}"
    assert row(store, case.id).version == case.version


def test_the_limit_labels(desk):
    cal = desk.calendar()
    assert limits.limit(cal, states.ACCEPTED, None, DUE).state == limits.NONE
    assert limits.limit(cal, states.ACCEPTED, DUE, DUE - timedelta(days=7)).state == limits.RUNNING
    assert limits.limit(cal, states.ACCEPTED, DUE, DUE + timedelta(days=1)).label.startswith("已超期1个工作日")
    assert limits.limit(cal, states.SUSPENDED, DUE, DUE + timedelta(days=9)).state == limits.PAUSED
    assert limits.finished_on_time(DUE, DUE) == "on_time"
    assert limits.finished_on_time(DUE, DUE + timedelta(days=1)) == "late"


def test_the_applicant_withdraws_before_the_decision_and_nothing_more_happens_to_it(desk, back, store):
    case = reviewed(desk, back)
    with pytest.raises(MutationRefused, match="撤回的理由"):
        back.applicant_withdraw("c1", case.id, case.version, "")
    back.applicant_withdraw("c1", case.id, case.version, "申请人提交书面撤回申请")
    stored = row(store, case.id)
    assert stored.status == states.APPLICANT_WITHDREW and "书面撤回" in stored.closed_reason
    with pytest.raises(MutationRefused) as refused:
        back.check("r2", case.id, stored.version, "同意")
    assert refused.value.message == "办件当前为“申请人撤回”，不能核准"
    assert back.queue("r1").lines == ()


def test_an_opinion_that_is_only_a_name_is_refused_at_review_and_at_check(desk, back, store):
    """A reviewer or checker who types their own name where the opinion goes signed nothing:
    refused as a chief's bare name is, the case where it was."""
    case = accepted(desk)
    with pytest.raises(MutationRefused, match="不能只签名"):
        back.review("r1", case.id, case.version, "grant", "后台r1")
    back.review("r1", case.id, case.version, "grant", "材料齐全，符合法定条件")
    reviewed = row(store, case.id)
    with pytest.raises(MutationRefused, match="不能只签名"):
        back.check("r2", case.id, reviewed.version, "后台r2。")
    with pytest.raises(MutationRefused, match="请填写核准意见"):
        back.check("r2", case.id, reviewed.version, "")
    assert row(store, case.id).status == states.REVIEWED
