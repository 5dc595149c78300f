"""The small test centre of the queue tests (named apart from conftest so tests can import it)."""

from __future__ import annotations

from datetime import datetime

from clerk.clock import LOCAL_TZ
from clerk.store.engine import Store
from clerk.store.operations import SeatSession
from clerk.store.reference import Centre, ServiceLine, Staff, Window, WindowLine

CENTRE = "qc"
OPENING = datetime(2026, 3, 2, 9, 0, tzinfo=LOCAL_TZ)


def install_centre(store: Store, windows: int = 3) -> None:
    """Reference data of the test centre: lines A/B/C, ``windows`` windows, one clerk each."""
    with store.write() as s:
        s.add(Centre(code=CENTRE, name="测试政务服务中心", level="county"))
        for letter, name in (("A", "综合"), ("B", "社保"), ("C", "公积金")):
            s.add(ServiceLine(id=f"{CENTRE}:{letter}", centre_code=CENTRE, letter=letter, name=name))
        s.add(Staff(id="boss", username="boss", name="值班长", role="supervisor", centre_code=CENTRE, password_hash="x"))
        s.flush()
        for n in range(1, windows + 1):
            wid = f"{CENTRE}:{n}"
            s.add(Window(id=wid, centre_code=CENTRE, number=n, name=f"{n}号窗口", kind="general"))
            s.add(Staff(id=f"s{n}", username=f"s{n}", name=f"工作人员{n}", role="clerk", centre_code=CENTRE, password_hash="x"))
            s.flush()
            s.add(WindowLine(window_id=wid, line_id=f"{CENTRE}:{'B' if n == 3 else 'A'}"))
            s.add(SeatSession(id=f"seat{n}", staff_id=f"s{n}", window_id=wid, started_at=OPENING))
