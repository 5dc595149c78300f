"""Cases in the ledger: intake outcomes in the period, and cases past their promised date.

Which records a figure counts (all from the ``case`` table, scope by the case's window,
handler or the line of the ticket it came from):
- 收件: cases received in the period;
- 受理 / 容缺受理 / 告知承诺受理: cases accepted in the period, by how (``accepted_via``);
- 一次性告知: cases whose supplement notice was given on a day of the period;
- 不予受理（待审批）/ 不需许可 / 非本机关 / 视为撤回 / 不予批准: cases received in the period
  now in that state (the case table keeps no time for these moves);
- past their date: accepted cases whose promised completion date (or, under 容缺 / 告知承诺,
  the date owed materials were due) fell in the period before the report's day; days over
  are calendar days; cases still in the back office (accepted, reviewed) count, a case
  under a special procedure does not (its clock stands still). Early / on-time / late
  decisions are counted in the results section (clerk.reports.results_section).
"""

from __future__ import annotations

from datetime import date, timedelta

from clerk.clock import local_time
from clerk.reports.query import rows
from clerk.reports.registry import Chart, Context, Section, Table, section

SCOPE_COLUMNS = {"window_id": "window_id", "staff_id": "handler_id", "line_id": "ticket_line_id"}
OUTCOMES = (
    ("accepted_full", "受理（材料齐全）"),
    ("supplement", "一次性告知补正"),
    ("deferral", "容缺受理"),
    ("commitment", "告知承诺受理"),
    ("refused", "不予受理（待审批）"),
    ("not_required", "告知不需许可"),
    ("referred", "非本机关指路"),
    ("withdrawn", "视为撤回"),
    ("deferral_denied", "不予批准"),
)
_STATES = {"refused": "refusal_requested", "not_required": "not_required", "referred": "referred",
           "withdrawn": "withdrawn", "deferral_denied": "deferral_denied"}
_VIA = {"accepted_full": "full", "deferral": "deferral", "commitment": "commitment"}


def case_scope(ctx: Context) -> str:
    """``AND c.<column> = :key`` for the report's scope, on the case table (aliased ``c``)."""
    column = ctx.scope.column
    return f" AND c.{SCOPE_COLUMNS[column]} = :key" if column else ""


def _in(col: str) -> str:
    return f"({col} >= :start AND {col} < :end)"


def counts(ctx: Context) -> dict[str, int]:
    parts = [f"SUM(CASE WHEN {_in('c.received_at')} THEN 1 ELSE 0 END) AS received",
             "SUM(CASE WHEN c.supplement_notified_on >= :first AND c.supplement_notified_on <= :last"
             " THEN 1 ELSE 0 END) AS supplement"]
    parts += [f"SUM(CASE WHEN c.accepted_via = '{via}' AND {_in('c.accepted_at')} THEN 1 ELSE 0 END) AS {key}"
              for key, via in _VIA.items()]
    parts += [f"SUM(CASE WHEN c.status = '{state}' AND {_in('c.received_at')} THEN 1 ELSE 0 END) AS {key}"
              for key, state in _STATES.items()]
    # Every figure needs one of these dates in the period, so only those cases are read, each
    # date by its index; the centre stands in each branch so that SQLite takes the three
    # indexes (with it outside, the centre's own index wins and every case is read).
    touched = " OR ".join(f"(c.centre_code = :centre AND {cond})" for cond in (
        _in("c.received_at"), _in("c.accepted_at"),
        "c.supplement_notified_on >= :first AND c.supplement_notified_on <= :last"))
    (row,) = rows(ctx, f"SELECT {', '.join(parts)} FROM \"case\" c WHERE ({touched}) {case_scope(ctx)}",
                  first=ctx.period.first_day, last=ctx.period.last_day)
    return {k: int(v or 0) for k, v in row._mapping.items()}


def as_of(ctx: Context) -> date:
    """The day the report judges from: the day after the period (its last day has passed
    by then), or today if earlier. A date before it has passed; days over count from it."""
    return min(ctx.period.last_day + timedelta(days=1), local_time(ctx.now).date())


def overdue(ctx: Context) -> list[tuple]:
    # The centre in each branch lets SQLite read each by its (centre, status, date) index.
    found = rows(ctx, f"""
        SELECT c.id, c.acceptance_no, COALESCE(i.name, c.item_code) AS item, COALESCE(s.name, c.handler_id) AS handler,
               c.status, c.due_date, c.owed_due
        FROM "case" c LEFT JOIN service_item i ON i.code = c.item_code LEFT JOIN staff s ON s.id = c.handler_id
        WHERE (
              (c.centre_code = :centre AND c.status IN ('accepted', 'deferred', 'committed', 'reviewed')
               AND c.due_date >= :first AND c.due_date < :asof)
           OR (c.centre_code = :centre AND c.status IN ('deferred', 'committed')
               AND c.owed_due >= :first AND c.owed_due < :asof)) {case_scope(ctx)}
        ORDER BY c.id""", first=ctx.period.first_day, asof=as_of(ctx))
    out = []
    for r in found:
        due, what = _due(r, ctx)
        out.append((r.acceptance_no or r.id[:8], r.item, what, due.isoformat(), (as_of(ctx) - due).days, r.handler))
    return sorted(out, key=lambda x: (-x[4], x[0]))


def _due(r, ctx: Context) -> tuple[date, str]:
    """The missed date: owed materials first (they fall due before completion)."""
    owed, promised = as_date(r.owed_due), as_date(r.due_date)
    if r.status in ("deferred", "committed") and owed is not None and ctx.period.first_day <= owed < as_of(ctx):
        return owed, "容缺材料未补齐"
    return promised, "超过承诺办结期限"


def as_date(value) -> date | None:
    """A date column as a date (SQLite hands it back as text)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


@section("cases", order=30)
def build(ctx: Context) -> Section:
    n = counts(ctx)
    late = overdue(ctx)
    outcome_rows = tuple((label, n[key]) for key, label in OUTCOMES)
    tables = (
        Table("办件", ("项目", "件数"), (("收件", n["received"]), *outcome_rows),
              "受理类按受理时间计入本时段；一次性告知按告知日期；不予受理等按收件时间与现状态。"),
        Table("超期办件", ("受理号", "事项", "情况", "期限", "超期(天)", "经办人"), tuple(late),
              f"于 {as_of(ctx).isoformat()} 查看：期限落在本时段内且已过；超期天数为自然日，期限次日计 1 天。"
              "提前、按期、逾期办结见“办结”一节。"),
    )
    chart = Chart("办件结果", tuple(label for _, label in OUTCOMES), tuple(float(n[k]) for k, _ in OUTCOMES), "件")
    return Section("cases", "办件", tables, (chart,), figures={**n, "overdue": len(late)})
