"""The small centre of the ledger tests: two windows, two clerks, a chief representative of
the market regulator, a supervisor, one item and two finished visits."""

from __future__ import annotations

from datetime import datetime

from clerk.clock import LOCAL_TZ
from clerk.store.engine import Store
from clerk.store.operations import Ticket
from clerk.store.reference import Centre, Department, ServiceItem, ServiceLine, Staff, Window

CENTRE = "lc"
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=LOCAL_TZ)
ITEM = "SC-001"


def install_centre(store: Store) -> None:
    with store.write() as s:
        s.add(Centre(code=CENTRE, name="测试政务服务中心", level="county"))
        s.add(Department(code="scjg", name="县市场监督管理局"))
        s.add(Department(code="rs", name="县人力资源和社会保障局"))
        s.add(ServiceLine(id=f"{CENTRE}:A", centre_code=CENTRE, letter="A", name="综合"))
        s.flush()
        s.add(ServiceItem(code=ITEM, name="个体工商户设立登记", kind="行政许可", case_type="即办件",
                          department_code="scjg", legal_limit_days=20, promised_limit_days=1))
        for n in (1, 2):
            s.add(Window(id=f"{CENTRE}:{n}", centre_code=CENTRE, number=n, name=f"{n}号窗口", kind="general"))
        people = (("s1", "张晓燕", "clerk", "scjg"), ("s2", "李明", "clerk", "rs"),
                  ("chief", "王建国", "chief", "scjg"), ("chief2", "赵红", "chief", "rs"),
                  ("boss", "陈值班", "supervisor", None))
        for sid, name, role, dept in people:
            s.add(Staff(id=sid, username=sid, name=name, role=role, centre_code=CENTRE, department_code=dept,
                        password_hash="x"))
        s.flush()
        for n, staff in ((1, "s1"), (2, "s2")):
            s.add(Ticket(id=f"t{n}", centre_code=CENTRE, line_id=f"{CENTRE}:A", day=MONDAY.date(), seq=n,
                         number=f"A00{n}", status="finished", issued_at=MONDAY, called_at=MONDAY,
                         window_id=f"{CENTRE}:{n}", called_by=staff, first_contact_staff_id=staff))
        s.add(Ticket(id="t3", centre_code=CENTRE, line_id=f"{CENTRE}:A", day=MONDAY.date(), seq=3,
                     number="A003", status="waiting", issued_at=MONDAY))


def refusal(call, *args, **kwargs) -> str:
    """The Chinese message of the refusal ``call(*args, **kwargs)`` raises (it must raise)."""
    from clerk.mutation import MutationRefused

    try:
        call(*args, **kwargs)
    except MutationRefused as exc:
        return exc.message
    raise AssertionError(f"{call.__name__} was not refused")
