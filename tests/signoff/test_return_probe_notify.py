"""A second 退回补正 on the same case: the applicant is told again, with the new deadline."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "notify"))
sys.path.insert(0, str(Path(__file__).parent.parent / "cases"))

from case_centre import CENTRE, GOOD_ID, MONDAY  # noqa: E402
from case_helpers import mark  # noqa: E402
from notify_push import Pusher  # noqa: E402
from signoff_centre import PASSWORDS  # noqa: E402
from sqlmodel import select  # noqa: E402
from test_return_supplement import later  # noqa: E402

from clerk.backoffice.service import BackOfficeDesk  # noqa: E402
from clerk.signoff.service import SignOffDesk  # noqa: E402
from clerk.store.central_tables import Notification  # noqa: E402

CONSENTING = {"kind": "person", "name": "张三", "id_number": GOOD_ID, "phone": "13800138000",
              "email": "zhangsan@example.com", "notify_consent": True}


def _approve(desk, chief: SignOffDesk, case_id: str, material_id: str, days: int) -> None:
    view = desk.case(case_id)
    BackOfficeDesk(desk).request_return("r1", case_id, view.version, "材料与实际不符", [(material_id, "请重新提交")], days)
    [line] = [ln for ln in chief.queue("k1").lines if ln.case_id == case_id]
    chief.decide("k1", PASSWORDS["k1"], line.id, "approved", "同意退回补正")


def test_a_second_return_tells_the_applicant_again_with_its_own_deadline(cases, central):
    pusher = Pusher(central, cases.store, CENTRE, MONDAY, PASSWORDS)
    case = cases.open_case("c1", "T-PLAIN", CONSENTING, window_id="tc:1")
    for seq in range(1, 5):
        case = mark(cases, case, seq, "received" if seq < 4 else "missing")
    view = cases.decide("c1", case.id, case.version, "accept", print_papers=False).case
    chief = SignOffDesk(cases.bench, cases.store, cases.clock, CENTRE, None)
    _approve(cases, chief, case.id, view.materials[1].material_id, 10)
    thursday = later(cases, 3)
    v = thursday.mark("c1", case.id, thursday.case(case.id).version, view.materials[1].material_id, "received",
                      received_form="original", copies=1)
    thursday.decide("c1", case.id, v.version, "settle_owed", print_papers=False)
    chief2 = SignOffDesk(thursday.bench, thursday.store, thursday.clock, CENTRE, None)
    _approve(thursday, chief2, case.id, view.materials[0].material_id, 5)
    assert pusher.push() == []
    with central.session() as s:
        returned = [r for r in s.exec(select(Notification).where(Notification.event.startswith("returned")))]
    # first: 10 working days from Monday 2 March; second: 5 from Thursday 5 March
    assert sorted((r.channel, "2026-03-16前" in r.body, "2026-03-12前" in r.body) for r in returned) == [
        ("email", False, True), ("email", True, False), ("sms", False, True), ("sms", True, False)]
