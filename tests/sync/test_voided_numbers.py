"""A paper printed offline whose action the central store then refused keeps its number:
the number goes into the register of voided numbers (作废登记) on the central store and on
every counter of the centre, and the counter that printed it never gives it to another paper
— even after the refusal made it drop its local rows and take the central store's (resync).

The case: two counters of one centre hold the same case; both accept it while cut off from
each other, and each prints its 业务受理通知书; the first to push wins, the second's action is
refused. Its paper is real — the applicant may hold it — so its number is spent."""

from __future__ import annotations

from datetime import date

from harness import enrolled_counter, password_of, staff_row
from sqlmodel import select
from test_capture_all import PERSON, _publish_item

from clerk.cases import numbers
from clerk.cases.desk import CaseDesk
from clerk.central import reference
from clerk.clock import local_time
from clerk.reports import ledger
from clerk.signoff.service import SignOffDesk
from clerk.store.operations import Notice, VoidedNumber
from clerk.store.reference import Staff
from clerk.store.signoff_tables import Authorisation
from clerk.sync import meta


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


def _two_chiefs(central) -> None:
    """chief1 is d1's chief representative for I-1, chief2 their deputy (each at their own counter)."""
    def write(session):
        session.get(Staff, "chief1").department_code = "d1"
        session.add(staff_row("chief2", "chief", "c1", "d1"))
        session.flush()
        session.add(Authorisation(id="chief1:2026", chief_id="chief1", deputy_id="chief2", department_code="d1",
                                  final_items=["I-1"], review_items=[], valid_from=date(2026, 1, 1),
                                  expires=date(2026, 12, 31)))

    reference.publish(central, write)


def test_a_refusal_paper_of_a_sign_off_decided_twice_offline_keeps_its_number(central, api, template, tmp_path):
    """The chief and the deputy both approve one 不予受理 request while their counters are cut
    off; each prints its 不予受理通知书. The deputy's decision is refused (the chief's came
    first), but the deputy's paper exists: its number is voided too, though a sign-off
    decision names the sign-off row, not the case."""
    _publish_item(central)
    _two_chiefs(central)
    a = enrolled_counter(tmp_path, "w1", central, template, api, "http://central")
    b = enrolled_counter(tmp_path, "w2", central, template, api, "http://central")
    case = _checked(CaseDesk(a.bench, a.store, a.clock, "c1", None), "clerk1")
    CaseDesk(a.bench, a.store, a.clock, "c1", None).decide(
        "clerk1", case.id, case.version, "request_refusal", reason="申请人不具备经营场所",
        legal_basis="《中华人民共和国行政许可法》第三十二条", print_papers=False)
    a.sign_in("chief1")
    b.sign_in("chief2")
    a.agent.sync_once()
    b.agent.sync_once()  # both counters hold the request; then they are cut off from each other
    chiefs = [(SignOffDesk(c.bench, c.store, c.clock, "c1", None), sid) for c, sid in ((a, "chief1"), (b, "chief2"))]
    [line] = chiefs[1][0].queue("chief2").lines
    decided = [desk.decide(sid, password_of(sid), line.id, "approved", "经核不具备经营场所，同意不予受理",
                           print_papers=False) for desk, sid in chiefs]
    lost = decided[1].notices[0][2]
    a.agent.sync_once()
    assert b.agent.sync_once().conflicts == 1  # refused: the chief decided first
    b.agent.sync_once()
    with central.session() as s:
        voided = s.exec(select(VoidedNumber)).all()
        assert [(v.doc_no, v.case_id) for v in voided] == [(lost, case.id)]
        assert "不能再次签批" in voided[0].reason
    with b.store.session() as s:
        assert [v.doc_no for v in s.exec(select(VoidedNumber)).all()] == [lost]
        assert s.exec(select(Notice).where(Notice.doc_no == lost)).first() is None  # dropped by the resync
        band = int(meta.get(s, meta.BAND))
        assert numbers.next_seq(s, "c1", "refusal", 2026, band) == 2  # b's next 不予受理通知书 is not 1 again
