"""The ledger as CSV for Excel and WPS: UTF-8 with a BOM (both then read Chinese right),
a header naming the centre, scope and period, then every section's tables."""

from __future__ import annotations

import csv
import io

from clerk.clock import local_time
from clerk.reports.ledger import Report
from clerk.reports.scope import KIND_LABELS


def render(report: Report) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["值班台账", report.period.label])
    w.writerow(["范围", f"{KIND_LABELS[report.scope.kind]}：{report.scope.label}"])
    w.writerow(["统计周期", report.period.kind, report.period.first_day.isoformat(), report.period.last_day.isoformat()])
    w.writerow(["生成时间", f"{local_time(report.made_at):%Y-%m-%d %H:%M}"])
    for section in report.sections:
        for table in section.tables:
            w.writerow([])
            w.writerow([f"{section.title}·{table.title}"])
            w.writerow(table.columns)
            w.writerows(["" if c is None else c for c in row] for row in table.rows)
            if table.note:
                w.writerow([f"说明：{table.note}"])
    return out.getvalue()


def encode(report: Report) -> bytes:
    return render(report).encode("utf-8-sig")
