"""Decisions and 办结 in the ledger: early, on time or late, and the signatures each case took.

Which records a figure counts (the ``case`` table and its sign-offs, scope as the cases
section's):
- 准予 / 不予许可: cases decided on a day of the period (``decided_on``), by result;
- 提前 / 按期 / 逾期: the same cases, the decision day against the promised date as it stood
  (extensions and special procedures move it: clerk.backoffice);
- 办结: cases delivered in the period;
- signatures (001 “最多签两次”): the distinct people who signed a case delivered in the
  period — the accepting handler, the back office's reviewer and checker, the head who
  extended it, the chief representative of each sign-off. An item counts as within two
  when every case of it delivered in the period took two signatures or fewer; the share of
  such items is reported against 001's 70 %.
"""

from __future__ import annotations

from collections import defaultdict

from clerk.backoffice.limits import finished_on_time
from clerk.reports.cases_section import as_date, case_scope
from clerk.reports.query import rows
from clerk.reports.registry import Context, Section, Table, section

TARGET_SHARE = 0.70
"""001: 70 % of items finished within two signatures."""
TIMING = (("early", "提前办结"), ("on_time", "按期办结"), ("late", "逾期办结"))


def decided(ctx: Context) -> dict[str, int]:
    found = rows(ctx, f"""SELECT c.result, c.due_date, c.decided_on FROM "case" c
        WHERE c.centre_code = :centre {case_scope(ctx)} AND c.decided_on >= :first AND c.decided_on <= :last""",
                 first=ctx.period.first_day, last=ctx.period.last_day)
    out = {"granted": 0, "denied": 0, "early": 0, "on_time": 0, "late": 0}
    for r in found:
        out[r.result] = out.get(r.result, 0) + 1
        timing = finished_on_time(as_date(r.due_date), as_date(r.decided_on))
        if timing:
            out[timing] += 1
    return out


def signatures(ctx: Context) -> list[tuple[str, str, int]]:
    """(case id, item name, signatures) of every case delivered in the period."""
    found = rows(ctx, f"""
        SELECT c.id, COALESCE(i.name, c.item_code) AS item, c.handler_id, c.reviewed_by, c.decided_by,
               c.extended_by, so.decided_by AS chief
        FROM "case" c LEFT JOIN service_item i ON i.code = c.item_code
        LEFT JOIN sign_off so ON so.case_id = c.id AND so.decided_by IS NOT NULL
        WHERE c.centre_code = :centre {case_scope(ctx)} AND c.delivered_at >= :start AND c.delivered_at < :end""")
    signers: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in found:
        signers[(r.id, r.item)].update(s for s in (r.handler_id, r.reviewed_by, r.decided_by, r.extended_by, r.chief)
                                       if s)
    return sorted((cid, item, len(people)) for (cid, item), people in signers.items())


def within_two(per_case: list[tuple[str, str, int]]) -> tuple[int, int]:
    """(items whose every delivered case took ≤ 2 signatures, items with a delivered case)."""
    worst: dict[str, int] = {}
    for _cid, item, n in per_case:
        worst[item] = max(worst.get(item, 0), n)
    return sum(n <= 2 for n in worst.values()), len(worst)


@section("results", order=35)
def build(ctx: Context) -> Section:
    d = decided(ctx)
    per_case = signatures(ctx)
    good, items = within_two(per_case)
    share = good / items if items else None
    share_text = f"{share:.0%}" if share is not None else "—"
    verdict = "" if share is None else ("（达到）" if share >= TARGET_SHARE else "（未达到）")
    tables = (
        Table("作出决定", ("项目", "件数"), (("准予许可", d["granted"]), ("不予许可", d["denied"]),
                                         *((label, d[key]) for key, label in TIMING)),
              "按决定日期计入本时段；提前、按期、逾期以决定日与承诺办结日（含批准的延期、特别程序顺延）比较。"),
        Table("办结与签字", ("项目", "数值"), (
            ("办结件数", len(per_case)),
            ("平均签字人次", round(sum(n for *_x, n in per_case) / len(per_case), 2) if per_case else "—"),
            ("两次签字内办结的事项", f"{good} / {items}"),
            ("占比（目标 70%）", share_text + verdict),
        ), "签字人次：受理人、审查人、核准人、批准延期的负责人、签批的首席事务代表，同一人只计一次。"),
    )
    figures = {**d, "delivered": len(per_case), "items_within_two": good, "items": items, "share_within_two": share}
    return Section("results", "办结", tables, figures=figures)
