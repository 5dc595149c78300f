"""退回补正 (003 授权委托书: 首席代表对确定退件、补件行使决定权): the department's reviewer finds,
after acceptance, materials the applicant must supply or correct; the chief representative
decides. Approved, a 退回补正通知书 names each material and the deadline, the clock stands
still, and the window takes the materials in (the limit moves by the days they took) or, the
deadline missed, a 不予批准决定书 ends the case; sent back, the review goes on."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "cases"))

import pytest  # noqa: E402
from case_centre import CENTRE  # noqa: E402
from case_helpers import checked  # noqa: E402
from signoff_centre import PASSWORDS  # noqa: E402
from signoff_helpers import apply_pushed, outbox_rows, refused  # noqa: E402
from sqlmodel import select  # noqa: E402

from clerk.backoffice import limits  # noqa: E402
from clerk.backoffice.service import BackOfficeDesk  # noqa: E402
from clerk.cases import states  # noqa: E402
from clerk.cases.desk import CaseDesk  # noqa: E402
from clerk.clock import FrozenClock  # noqa: E402
from clerk.mutation import MutationRefused  # noqa: E402
from clerk.outbox import Workbench  # noqa: E402
from clerk.papers.content import Paper  # noqa: E402
from clerk.store.operations import Case, CaseMaterial, Notice, SignOff  # noqa: E402

WHY = "经营场所使用证明与申请书所填地址不一致"
DEFECT = "复印件不清晰，请提交清晰复印件并出示原件"


def accepted(cases: CaseDesk, item: str = "T-PLAIN"):
    case = checked(cases, item)
    return cases.decide("c1", case.id, case.version, "accept", print_papers=False).case


def return_request(cases: CaseDesk, back: BackOfficeDesk, days: int = 10, seqs: tuple[int, ...] = (2,)):
    """An accepted case the reviewer r1 asks to send back for the materials ``seqs``."""
    case = accepted(cases)
    asked = [(case.materials[n - 1].material_id, DEFECT) for n in seqs]
    back.request_return("r1", case.id, case.version, WHY, asked, days)
    with cases.store.session() as s:
        return case, s.exec(select(SignOff.id).where(SignOff.case_id == case.id)).one()


def later(cases: CaseDesk, days: int) -> CaseDesk:
    """The desk ``days`` calendar days on: its mutations are dated then too."""
    clock = FrozenClock(cases.clock.now() + timedelta(days=days))
    return CaseDesk(Workbench(cases.store, clock), cases.store, clock, CENTRE, None)


def test_the_chief_approves_the_paper_names_each_material_and_the_clock_stands_still(cases, signoff, store):
    back = BackOfficeDesk(cases)
    case, so = return_request(cases, back)
    due_before = case.due_date
    assert cases.case(case.id).state_label == "退回补正待签批"
    [waiting] = [ln for ln in back.queue("r1").lines if ln.case_id == case.id]
    assert waiting.state_label == "退回补正待签批"  # the reviewer sees where it went
    assert dict(signoff.queue("k1").counts)["退回补正审批"] == 1
    entry = signoff.entry(so)
    assert (entry.line.kind_label, entry.reason, entry.days) == ("退回补正审批", WHY, 10)
    assert entry.asked == ((case.materials[1].name, DEFECT),)

    signoff.decide("k1", PASSWORDS["k1"], so, "approved", "同意退回补正")
    # Monday 2 March 2026 + 10 working days
    deadline = date(2026, 3, 16)
    with store.session() as s:
        row = s.get(Case, case.id)
        assert (row.status, row.owed_due, row.due_date, row.suspended_on, row.suspended_from) == (
            states.RETURNED, deadline, due_before, date(2026, 3, 2), states.ACCEPTED)
        owed = s.exec(select(CaseMaterial).where(CaseMaterial.case_id == case.id, CaseMaterial.owed)).all()
        assert [(m.seq, m.state, m.defect) for m in owed] == [(2, "defective", DEFECT)]
        [notice] = s.exec(select(Notice).where(Notice.case_id == case.id, Notice.kind == "return_supplement")).all()
        paper = Paper.model_validate_json(notice.body)
    b = paper.body
    assert (b.deadline, b.approved_by, b.reasons, b.acceptance_no) == (deadline, "赵首席", WHY, case.acceptance_no)
    assert [(m.name, m.defect_detail) for m in b.materials] == [(case.materials[1].name, DEFECT)]
    assert "退补" in notice.doc_no
    line = next(ln for ln in back.queue("r1").lines if ln.case_id == case.id)
    assert line.limit.state == limits.PAUSED and "退回补正中，暂停计时" in line.limit.label
    [mine] = [ln for ln in cases.open_cases("c1") if ln.id == case.id]
    assert (mine.deadline, mine.deadline_label) == (deadline, "退回补正期限")


def test_the_materials_come_in_and_the_limit_moves_by_the_working_days_they_took(cases, signoff, store):
    back = BackOfficeDesk(cases)
    case, so = return_request(cases, back)
    signoff.decide("k1", PASSWORDS["k1"], so, "approved", "同意退回补正")
    thursday = later(cases, 3)  # Thursday 5 March: three working days later
    view = thursday.case(case.id)
    with refused(MutationRefused, "只能登记退回补正的材料"):
        thursday.mark("c1", case.id, view.version, view.materials[0].material_id, "missing")
    with refused(MutationRefused, "还有补正材料未补齐"):
        thursday.decide("c1", case.id, view.version, "settle_owed", print_papers=False)
    view = thursday.mark("c1", case.id, view.version, view.materials[1].material_id, "received",
                         received_form="original", copies=1)
    done = thursday.decide("c1", case.id, view.version, "settle_owed", print_papers=False).case
    assert done.state_label == states.LABELS[states.ACCEPTED]
    with store.session() as s:
        row = s.get(Case, case.id)
        cal_due = thursday.calendar().add_working_days(case.due_date, 3).date
        assert (row.due_date, row.suspended_days, row.owed_due, row.suspended_on) == (cal_due, 3, None, None)
    assert [ln.case_id for ln in back.queue("r1").lines if ln.state == states.ACCEPTED] == [case.id]


def test_sent_back_the_review_goes_on_and_nothing_is_asked_of_the_applicant(cases, signoff, store):
    back = BackOfficeDesk(cases)
    case, so = return_request(cases, back)
    signoff.decide("k1", PASSWORDS["k1"], so, "sent_back", "材料可以核实，继续审查")
    with store.session() as s:
        row = s.get(Case, case.id)
        assert (row.status, row.owed_due, row.suspended_on) == (states.ACCEPTED, None, None)
        assert not s.exec(select(CaseMaterial).where(CaseMaterial.case_id == case.id, CaseMaterial.owed)).all()
        assert s.exec(select(Notice).where(Notice.case_id == case.id, Notice.kind == "return_supplement")).all() == []
    view = cases.case(case.id)
    back.review("r1", case.id, view.version, "grant", "材料齐全，符合法定条件")  # the review goes on


def test_the_deadline_missed_a_written_denial_ends_the_case(cases, signoff, store):
    back = BackOfficeDesk(cases)
    case, so = return_request(cases, back)
    signoff.decide("k1", PASSWORDS["k1"], so, "approved", "同意退回补正")
    early = later(cases, 7)
    view = early.mark("c1", case.id, cases.case(case.id).version, cases.case(case.id).materials[1].material_id,
                      "received", received_form="original", copies=1)
    with refused(MutationRefused, "补正材料补齐期限未到"):
        early.decide("c1", case.id, view.version, "deny_deferred", print_papers=False)
    view = early.mark("c1", case.id, view.version, view.materials[1].material_id, "pending")
    late = later(cases, 15)  # Tuesday 17 March, past the 16th
    out = late.decide("c1", case.id, view.version, "deny_deferred", print_papers=False)
    assert [n.kind for n in out.notices] == ["deferral_denial"]
    with store.session() as s:
        row = s.get(Case, case.id)
        assert (row.status, row.closed_reason) == (states.DEFERRAL_DENIED, "逾期未补齐补正材料")


@pytest.mark.parametrize(("who", "message"), [("c1", "不能办理后台审查"), ("rx", "由其他部门审查决定")])
def test_only_the_items_department_asks_for_a_return(cases, store, who, message):
    back = BackOfficeDesk(cases)
    case = accepted(cases)
    with refused(MutationRefused, message):
        back.request_return(who, case.id, case.version, WHY, [(case.materials[1].material_id, DEFECT)], 10)
    with store.session() as s:
        assert s.exec(select(SignOff)).all() == []
        assert s.get(Case, case.id).status == states.ACCEPTED


def test_a_request_names_materials_of_the_case_each_with_what_is_wrong(cases, store):
    back = BackOfficeDesk(cases)
    case = accepted(cases)
    mid = case.materials[1].material_id
    for asked, days, message in (([], 10, "至少选择一项"), ([("T-DEF:2", DEFECT)], 10, "不在本办件的材料清单"),
                                 ([(mid, DEFECT), (mid, DEFECT)], 10, "重复选择"), ([(mid, " ")], 10, "需要补正的内容")):
        with refused(MutationRefused, message):
            back.request_return("r1", case.id, case.version, WHY, asked, days)
    with refused(MutationRefused, "退回补正的理由"):
        back.request_return("r1", case.id, case.version, "", [(mid, DEFECT)], 10)
    with pytest.raises(MutationRefused):
        back.request_return("r1", case.id, case.version, WHY, [(mid, DEFECT)], 0)
    with store.session() as s:
        assert s.exec(select(SignOff)).all() == []
        assert s.get(Case, case.id).status == states.ACCEPTED


def test_a_reviewed_case_is_not_returned_and_a_chief_outside_the_letter_cannot_approve(cases, signoff, store):
    back = BackOfficeDesk(cases)
    case = accepted(cases)
    reviewed = back.review("r1", case.id, case.version, "grant", "材料齐全，符合法定条件")
    with refused(MutationRefused, "不能提请退回补正"):
        back.request_return("r1", case.id, cases.case(case.id).version, WHY,
                            [(case.materials[1].material_id, DEFECT)], 10)
    assert reviewed.state_label == "已审查待核准"
    _case, so = return_request(cases, back)
    with refused(MutationRefused, "不在您的授权范围内"):
        signoff.decide("k3", PASSWORDS["k3"], so, "approved", "同意退回补正")
    assert signoff.entry(so).decision is None


def test_the_central_store_replays_it_and_refuses_a_notice_with_another_deadline(cases, signoff, store, tmp_path,
                                                                                  signoff_template):
    import shutil

    from clerk.store.engine import Store

    back = BackOfficeDesk(cases)
    case, so = return_request(cases, back)
    signoff.decide("k1", PASSWORDS["k1"], so, "approved", "同意退回补正")
    shutil.copy(signoff_template, tmp_path / "central.sqlite3")
    central = Store.sqlite(tmp_path / "central.sqlite3")
    rows = outbox_rows(store)
    *before, decision = rows
    for row in before:
        apply_pushed(central, row)
    import json

    forged = json.loads(decision.args)
    forged["notices"][0]["paper"]["body"]["deadline"] = "2026-04-30"
    with refused(MutationRefused, "签名无效|补正期限"):
        apply_pushed(central, decision, args=forged)
    apply_pushed(central, decision)
    with central.session() as s:
        row = s.get(Case, case.id)
        assert (row.status, row.owed_due) == (states.RETURNED, date(2026, 3, 16))
    central.dispose()
