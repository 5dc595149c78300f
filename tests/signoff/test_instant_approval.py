"""即办件 in one visit: the clerk accepts, the chief approves, the result is handed out at the
same counter; sent back, the case goes to the department's back office instead."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "cases"))

from case_helpers import checked  # noqa: E402
from signoff_centre import PASSWORDS  # noqa: E402
from signoff_helpers import refused  # noqa: E402
from sqlmodel import select  # noqa: E402

from clerk.backoffice.service import BackOfficeDesk  # noqa: E402
from clerk.cases import states  # noqa: E402
from clerk.mutation import MutationRefused  # noqa: E402
from clerk.store.operations import Case, SignOff  # noqa: E402


def instant_request(cases, back) -> tuple[str, str]:
    case = checked(cases, "T-NOW")
    case = cases.decide("c1", case.id, case.version, "accept", print_papers=False).case
    back.request_instant("c1", case.id, case.version, "申请人在窗口等候")
    with cases.store.session() as s:
        return case.id, s.exec(select(SignOff.id).where(SignOff.case_id == case.id)).one()


def test_approved_the_result_is_ready_at_the_same_counter_and_handed_out(cases, signoff, store):
    back = BackOfficeDesk(cases)
    case_id, so = instant_request(cases, back)
    [line] = signoff.queue("k1").lines
    assert (line.kind_label, line.case_id) == ("即办件审批", case_id)
    signoff.decide("k1", PASSWORDS["k1"], so, "approved", "同意即办")
    with store.session() as s:
        case = s.get(Case, case_id)
        assert (case.status, case.result, case.decided_by) == (states.READY, "granted", "k1")
    [ready] = back.ready()
    assert ready.case_id == case_id
    back.deliver("c1", case_id, cases.case(case_id).version, "window", notice_checked=True, id_checked=True)
    with store.session() as s:
        assert s.get(Case, case_id).status == states.FINISHED


def test_sent_back_it_goes_to_the_back_office_and_cannot_be_approved_twice(cases, signoff, store):
    back = BackOfficeDesk(cases)
    case_id, so = instant_request(cases, back)
    signoff.decide("k1", PASSWORDS["k1"], so, "sent_back", "需现场核查，转后台审查")
    with store.session() as s:
        assert s.get(Case, case_id).status == states.ACCEPTED
    with refused(MutationRefused, "不能再次签批"):
        signoff.decide("k2", PASSWORDS["k2"], so, "approved", "同意即办")
    assert [ln.case_id for ln in back.queue("r1").lines] == [case_id]


def test_withdrawn_while_waiting_the_chief_no_longer_sees_it_and_cannot_approve(cases, signoff, store):
    back = BackOfficeDesk(cases)
    case_id, so = instant_request(cases, back)
    back.applicant_withdraw("c1", case_id, cases.case(case_id).version, "申请人改日再来")
    assert signoff.queue("k1").lines == ()
    with refused(MutationRefused, "申请人撤回"):
        signoff.decide("k1", PASSWORDS["k1"], so, "approved", "同意即办")
    with store.session() as s:
        assert s.get(Case, case_id).status == states.APPLICANT_WITHDREW


def test_the_clerk_hears_of_each_decision_once_on_any_screen(cases, signoff, store):
    """A 即办 approval and a refusal sent back are announced to the clerk who asked, once; an
    approved refusal is not (its notice prints at the clerk's counter, print_arrived says so)."""
    from signoff_helpers import refusal_request

    back = BackOfficeDesk(cases)
    _case_id, so = instant_request(cases, back)
    assert signoff.decisions_arrived("c1") == ()  # nothing decided yet
    signoff.decide("k1", PASSWORDS["k1"], so, "approved", "同意即办")
    assert signoff.decisions_arrived("c1") == ("赵首席已同意即办件审批：测试事项T-NOW（张*）",)
    assert signoff.decisions_arrived("c1") == ()  # once
    assert signoff.decisions_arrived("c2") == ()  # only to the clerk who asked
    sent_back = refusal_request(cases)
    signoff.decide("k1", PASSWORDS["k1"], sent_back, "sent_back", "可容缺受理")
    approved = refusal_request(cases)
    signoff.decide("k1", PASSWORDS["k1"], approved, "approved", "同意不予受理")
    assert signoff.decisions_arrived("c1") == ("赵首席已退回不予受理审批：测试事项T-DEF（张*），意见：可容缺受理",)


def test_an_accepted_instant_case_is_the_chiefs_until_sent_back(cases, signoff, store):
    """The back office neither lists nor reviews a 即办件 the window is sending to the chief; once
    the chief sends it back it is theirs like any 承诺件."""
    back = BackOfficeDesk(cases)
    case = checked(cases, "T-NOW")
    case = cases.decide("c1", case.id, case.version, "accept", print_papers=False).case
    assert back.queue("r1").lines == ()
    with refused(MutationRefused, "是即办件，由窗口提请首席事务代表即办签批"):
        back.review("r1", case.id, case.version, "grant", "材料齐全，符合法定条件")
    back.request_instant("c1", case.id, case.version, "申请人在窗口等候")
    with store.session() as s:
        so = s.exec(select(SignOff.id).where(SignOff.case_id == case.id)).one()
    signoff.decide("k1", PASSWORDS["k1"], so, "sent_back", "需现场核查，转后台审查")
    assert [ln.case_id for ln in back.queue("r1").lines] == [case.id]
    back.review("r1", case.id, cases.case(case.id).version, "grant", "经现场核查，符合法定条件")
