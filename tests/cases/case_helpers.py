"""Short ways to drive a case through CaseDesk in the tests."""

from __future__ import annotations

from case_centre import GOOD_ID

from clerk.cases.desk import CaseDesk, CaseView

PERSON = {"kind": "person", "name": "张三", "id_number": GOOD_ID, "phone": "13800138000"}


def open_case(desk: CaseDesk, item: str = "T-DEF", staff: str = "c1", **kw) -> CaseView:
    return desk.open_case(staff, item, kw.pop("applicant", PERSON), window_id="tc:1", **kw)


def mark(desk: CaseDesk, case: CaseView, seq: int, state: str, staff: str = "c1", **detail) -> CaseView:
    mid = case.materials[seq - 1].material_id
    if state == "received":
        detail = {"received_form": "original", "copies": 1, **detail}
    if state == "defective":
        detail = {"defect": "未签字", **detail}
    if state == "exempt":
        detail = {"exempt_way": "data_sharing", **detail}
    return desk.mark(staff, case.id, case.version, mid, state, **detail)


def checked(desk: CaseDesk, item: str = "T-DEF", **states: str) -> CaseView:
    """A case whose rows are all received except those named (s1='missing', s3='defective' …)."""
    case = open_case(desk, item)
    for seq in range(1, 5):
        case = mark(desk, case, seq, states.get(f"s{seq}", "received" if seq < 4 else "missing"))
    return case


def without_fsync(store) -> None:
    """For tests of rules, not durability, that commit thousands of times."""
    from sqlalchemy import event

    event.listen(store.engine, "connect", lambda conn, _: conn.execute("PRAGMA synchronous=OFF"))
    store.engine.dispose()
