"""先批后报 (003 授权委托书: 对急需办理的事项行使先审批再报告的特别处置权): the clerk asks
for an urgent approval of an accepted 承诺件, the chief approves at once and the result waits at
出件, and the chief then owes the department a report by a due date, once, in their own words."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "cases"))

import pytest  # noqa: E402
from case_helpers import checked  # noqa: E402
from signoff_centre import PASSWORDS  # noqa: E402
from signoff_helpers import apply_pushed, outbox_rows, refused  # noqa: E402
from sqlmodel import select  # noqa: E402

from clerk.backoffice.service import BackOfficeDesk  # noqa: E402
from clerk.cases import states  # noqa: E402
from clerk.clock import FrozenClock  # noqa: E402
from clerk.mutation import MutationRefused  # noqa: E402
from clerk.signoff.service import SignOffDesk  # noqa: E402
from clerk.store.operations import Case, SignOff  # noqa: E402

WHY = "申请人须于明日参加招标，急需营业执照"
REPORT = "因申请人须于次日参加招标，依授权先行批准，材料齐全，符合法定条件，特此报告"


def accepted(cases, item: str = "T-PLAIN"):
    case = checked(cases, item)
    return cases.decide("c1", case.id, case.version, "accept", print_papers=False).case


def urgent_request(cases, back, item: str = "T-PLAIN") -> tuple[str, str]:
    case = accepted(cases, item)
    back.request_urgent("c1", case.id, case.version, WHY)
    with cases.store.session() as s:
        return case.id, s.exec(select(SignOff.id).where(SignOff.case_id == case.id)).one()


def test_approved_first_the_result_waits_at_pickup_and_the_report_is_owed_by_its_due_date(cases, signoff, store,
                                                                                           clock):
    back = BackOfficeDesk(cases)
    case_id, so = urgent_request(cases, back)
    assert cases.case(case_id).state_label == "急办待签批"
    assert back.queue("r1").lines == ()  # it waits for the chief, not for the back office
    [line] = signoff.queue("k1").lines
    assert (line.kind_label, line.urgent, line.case_id) == ("先批后报", True, case_id)
    assert signoff.entry(so).reason == WHY

    signoff.decide("k1", PASSWORDS["k1"], so, "approved", "情况紧急，同意先行批准")
    with store.session() as s:
        case, row = s.get(Case, case_id), s.get(SignOff, so)
        assert (case.status, case.result, case.decided_by) == (states.READY, "granted", "k1")
        # Monday 2 March 2026 + 3 working days
        assert row.report_due == date(2026, 3, 5)
    assert [r.case_id for r in back.ready()] == [case_id]
    [owed] = signoff.queue("k1").reports
    assert (owed.case_id, owed.due, owed.overdue, owed.decided_by) == (case_id, date(2026, 3, 5), False, "赵首席")

    signoff.report("k1", so, REPORT)
    assert signoff.queue("k1").reports == ()
    with store.session() as s:
        row = s.get(SignOff, so)
        assert (row.report, row.reported_by) == (REPORT, "k1")
    with refused(MutationRefused, "已经报告过"):
        signoff.report("k2", so, REPORT)


def test_a_report_not_written_by_its_due_date_shows_overdue(cases, signoff, store, clock):
    back = BackOfficeDesk(cases)
    _case_id, so = urgent_request(cases, back)
    signoff.decide("k1", PASSWORDS["k1"], so, "approved", "情况紧急，同意先行批准")
    later = SignOffDesk(signoff.bench, store, FrozenClock(clock.now() + timedelta(days=4)), signoff.centre_code,
                        None)
    [owed] = later.queue("k1").reports
    assert owed.overdue  # Friday is past Thursday's due date
    later.report("k1", so, REPORT)  # a late report is still taken, and then it is no longer owed
    assert later.queue("k1").reports == ()


def test_sent_back_it_goes_on_to_the_back_office_and_owes_no_report(cases, signoff, store):
    back = BackOfficeDesk(cases)
    case_id, so = urgent_request(cases, back)
    signoff.decide("k1", PASSWORDS["k1"], so, "sent_back", "不属急需情形，按承诺件办理")
    with store.session() as s:
        assert s.get(Case, case_id).status == states.ACCEPTED
        assert s.get(SignOff, so).report_due is None
    assert [ln.case_id for ln in back.queue("r1").lines] == [case_id]
    assert signoff.queue("k1").reports == ()
    with refused(MutationRefused, "只有已同意的急办"):
        signoff.report("k1", so, REPORT)


def test_an_instant_item_is_not_urgent_and_a_reason_is_required(cases, signoff, store):
    back = BackOfficeDesk(cases)
    now = accepted(cases, "T-NOW")
    with refused(MutationRefused, "是即办件，请提请即办签批"):
        back.request_urgent("c1", now.id, now.version, WHY)
    plain = accepted(cases)
    with refused(MutationRefused, "请填写急需办理的理由"):
        back.request_urgent("c1", plain.id, plain.version, " ")
    with store.session() as s:
        assert s.exec(select(SignOff)).all() == []
        assert s.get(Case, plain.id).status == states.ACCEPTED


def test_the_special_power_covers_pre_review_items_but_not_items_outside_the_letter(cases, signoff, store):
    """k1 pre-reviews T-COM only: a refusal or 即办 there is the department's, but an urgent
    approval is the special power 003 gives over those items too; k3's letter never named it."""
    back = BackOfficeDesk(cases)
    _case_id, so = urgent_request(cases, back, "T-COM")
    with refused(MutationRefused, "不在您的授权范围内"):
        signoff.decide("k3", PASSWORDS["k3"], so, "approved", "情况紧急，同意先行批准")
    signoff.decide("k1", PASSWORDS["k1"], so, "approved", "情况紧急，同意先行批准")
    with refused(MutationRefused, "不在您的授权范围内"):
        signoff.report("k3", so, REPORT)
    signoff.report("k1", so, REPORT)


@pytest.mark.parametrize("text", ["", "已报告", "同意"])
def test_a_report_must_say_something(cases, signoff, store, text):
    back = BackOfficeDesk(cases)
    _case_id, so = urgent_request(cases, back)
    signoff.decide("k1", PASSWORDS["k1"], so, "approved", "情况紧急，同意先行批准")
    with refused(MutationRefused, "请写明向部门报告的内容"):
        signoff.report("k1", so, text)
    with store.session() as s:
        assert s.get(SignOff, so).reported_by is None


def test_the_central_store_runs_the_same_checks_on_the_pushed_report(cases, signoff, store, central):
    """Replayed on the central store: the request, the decision and the report land; a report
    pushed a second time (another counter, same row) is refused there too."""
    back = BackOfficeDesk(cases)
    case_id, so = urgent_request(cases, back)
    signoff.decide("k1", PASSWORDS["k1"], so, "approved", "情况紧急，同意先行批准")
    signoff.report("k1", so, REPORT)
    rows = outbox_rows(store)
    for row in rows:
        apply_pushed(central, row)
    with central.session() as s:
        assert s.get(Case, case_id).status == states.READY
        assert (s.get(SignOff, so).reported_by, s.get(SignOff, so).report_due) == ("k1", date(2026, 3, 5))
    report_row = next(r for r in rows if r.name == "signoff.report")
    with refused(MutationRefused, "已经报告过"):
        apply_pushed(central, report_row, client_id="another-counter")
