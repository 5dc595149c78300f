"""A month's "办不成事" ledger as a PDF table: rows read from the store and the PDF written.

Fills a store with the shipped fixtures and ``--entries`` complaints registered over one
month (descriptions of realistic length), then times LedgerDesk.period_rows plus
printing.ledger_table.render_ledger_pdf, as the supervisor.

Target (issue 12): a month's ledger PDF under 2 s.
Run: python bench/ledger_pdf.py [--entries 300] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402
from sqlmodel import select  # noqa: E402

from clerk.bootstrap import load_reference_data, open_store  # noqa: E402
from clerk.clock import LOCAL_TZ, FrozenClock  # noqa: E402
from clerk.config import Settings, StoreSettings  # noqa: E402
from clerk.ids import new_id  # noqa: E402
from clerk.ledgers.service import LedgerDesk  # noqa: E402
from clerk.store.ledger_tables import LedgerEntry  # noqa: E402
from clerk.store.reference import Staff  # noqa: E402
from printing.ledger_table import render_ledger_pdf  # noqa: E402

START = datetime(2026, 3, 1, tzinfo=LOCAL_TZ)
NOW = datetime(2026, 4, 2, 10, 0, tzinfo=LOCAL_TZ)
TEXT = "申请人反映材料要求前后不一致，窗口未一次性告知需补正的全部材料，往返三次仍未办成"


def fill(store, n: int) -> Staff:
    with store.session() as s:
        staff = s.exec(select(Staff).where(Staff.centre_code == "demo-county")).all()
    rows = []
    for i in range(n):
        at = START + timedelta(minutes=(30 * 24 * 60 // n) * i)
        owner = staff[i % len(staff)]
        closed = i % 2 == 0
        rows.append(dict(
            id=new_id(), kind="complaint", entry_no=f"BCS-{at:%Y%m%d}-{i:06d}", centre_code="demo-county",
            status="closed" if closed else "assigned", is_open=not closed, registered_at=at,
            registered_by=owner.id, owner_id=owner.id, channel="window", person=f"来访人{i}", contact="",
            matter=f"个体工商户变更登记{i % 20}", item_code="", description=TEXT, class_code="policy", legal=False,
            unit="县市场监督管理局", due_date=(at + timedelta(days=7)).date(), result="已电话告知所需材料并预约办理"
            if closed else "", feedback="", satisfaction="", updated_at=at, detail=""))
    with store.write() as s:
        s.execute(insert(LedgerEntry), rows)
    return next(p for p in staff if p.role == "supervisor")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(store=StoreSettings(path=str(Path(tmp) / "counter.sqlite3")))
        store = open_store(settings)
        load_reference_data(settings, store)
        boss = fill(store, args.entries)
        desk = LedgerDesk(None, store, FrozenClock(NOW))
        times, size = [], 0
        for _ in range(args.runs):
            t0 = time.perf_counter()
            pdf = render_ledger_pdf("“办不成事”反映台账　2026年3月", desk.period_rows(boss.id, START, NOW))
            times.append(time.perf_counter() - t0)
            size = len(pdf)
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    print(f"month's ledger PDF ({args.entries} entries, {size // 1024} KiB): median {statistics.median(times):.2f} s, "
          f"max {max(times):.2f} s  (target: < 2 s)")


if __name__ == "__main__":
    main()
