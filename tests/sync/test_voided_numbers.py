"""A paper printed offline whose action the central store then refused keeps its number:
the number goes into the register of voided numbers (作废登记) on the central store and on
every counter of the centre, and the counter that printed it never gives it to another paper
— even after the refusal made it drop its local rows and take the central store's (resync).

The case: two counters of one centre hold the same case; both accept it while cut off from
each other, and each prints its 业务受理通知书; the first to push wins, the second's action is
refused. Its paper is real — the applicant may hold it — so its number is spent."""

from __future__ import annotations

from harness import enrolled_counter
from sqlmodel import select
from test_capture_all import PERSON, _publish_item

from clerk.cases.desk import CaseDesk
from clerk.clock import local_time
from clerk.reports import ledger
from clerk.store.operations import Notice, VoidedNumber


def _checked(desk: CaseDesk, staff: str):
    case = desk.open_case(staff, "I-1", PERSON, window_id="c1:1")
    for m in case.materials:
        case = desk.mark(staff, case.id, case.version, m.material_id, "received", received_form="original", copies=1)
    return case


def test_a_refused_papers_number_is_voided_everywhere_and_never_given_again(central, api, template, tmp_path):
    _publish_item(central)
    a = enrolled_counter(tmp_path, "w1", central, template, api, "http://central")
    b = enrolled_counter(tmp_path, "w2", central, template, api, "http://central")
    b.sign_in("clerk2")
    da, db = (CaseDesk(c.bench, c.store, c.clock, "c1", None) for c in (a, b))
    case = _checked(da, "clerk1")
    a.agent.sync_once()
    b.agent.sync_once()  # b holds the case too; then the two are cut off from each other
    version = db.case(case.id).version
    da.decide("clerk1", case.id, version, "accept", print_papers=False)
    lost = db.decide("clerk2", case.id, version, "accept", print_papers=False).notices[0].doc_no
    a.agent.sync_once()
    report = b.agent.sync_once()  # refused: a accepted first
    assert report.conflicts == 1
    b.agent.sync_once()
    a.agent.sync_once()

    for store in (central, a.store, b.store):
        with store.session() as s:
            [voided] = s.exec(select(VoidedNumber)).all()
            assert (voided.doc_no, voided.case_id) == (lost, case.id)
            assert "其他工作人员更新" in voided.reason
    with b.store.session() as s:
        assert s.exec(select(Notice).where(Notice.doc_no == lost)).first() is None  # dropped by the resync

    later = _checked(db, "clerk2")
    again = db.decide("clerk2", later.id, later.version, "accept", print_papers=False).notices[0].doc_no
    assert again != lost and again.endswith("-2号"), again  # the next number, not the voided one
    b.agent.sync_once()
    with central.session() as s:
        assert s.exec(select(Notice).where(Notice.doc_no == again)).one().case_id == later.id

    a.agent.sync_once()
    # The supervisor's ledger of the day lists it, on the central store and on the counter.
    for store in (central, a.store):
        report = ledger.build(store, "c1", ledger.Request("day", local_time(a.clock.now()).date()), a.clock.now(),
                              "sup1")
        numbers = next(s for s in report.sections if s.key == "numbers")
        assert numbers.figures == {"issued": 2, "voided": 1}
        [row] = next(t for t in numbers.tables if t.title == "作废登记").rows
        assert row[0] == lost and row[1] == "业务受理通知书" and "其他工作人员更新" in row[3]
