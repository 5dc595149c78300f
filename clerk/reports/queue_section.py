"""The queue's part of the ledger: tickets, appointments vs walk-ins, waits, handling times.

Every figure is one SQL statement over ``ticket`` and ``ticket_event``. Which records a
figure counts:
- counts of actions: the events of that kind inside the period (by the window, staff member
  or line the event names);
- waits: tickets issued in the period and called at least once; the wait runs from issue to
  the first call, zero waits included; the scope is the window / staff / line of that call;
- handling: each 办结 in the period, from the last call, start or call-back before it;
- overtime (延时服务): the 办结 in the period of tickets served past their day's closing time,
  and those seconds (``ticket.overtime_s``, recorded at 办结 by clerk.queue.hours_guard).
"""

from __future__ import annotations

from clerk.reports import sql
from clerk.reports.query import rows, scope_filter
from clerk.reports.registry import Chart, Context, Section, Table, section

EVENT_ROWS = (
    ("issued", "取号"),
    ("called", "叫号（人次）"),
    ("finished", "办结"),
    ("requeued", "叫号未到·重新排队"),
    ("no_show", "过号（重排后仍未到）"),
    ("transferred", "转移"),
    ("cancelled", "日终作废（未办理）"),
    ("carried_over", "日终顺延"),
)
HOURS = range(7, 20)


def _minutes(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds / 60:.1f}"


def event_counts(ctx: Context) -> dict[str, int]:
    # CROSS JOIN keeps SQLite reading the period's events by time (ix_ticket_event_at) and
    # looking up each one's ticket; joined the other way it read every ticket of the centre.
    # PostgreSQL plans it as the plain join it is.
    found = rows(ctx, f"""
        SELECT e.kind, COUNT(*) FROM ticket_event e CROSS JOIN ticket t
        WHERE t.id = e.ticket_id AND t.centre_code = :centre AND e.at >= :start AND e.at < :end
        {scope_filter(ctx, 'e')}
        GROUP BY e.kind""")
    return {kind: n for kind, n in found}


def _first_calls(ctx: Context) -> str:
    """CTE ``w``: one row per ticket issued in the period and called: source, hour, wait."""
    return f"""w AS (
        SELECT t.id AS ticket_id, t.source AS source, {sql.local_hour(ctx.dialect, 't.issued_at')} AS hour,
               {sql.seconds_between(ctx.dialect, 't.issued_at', 'c.at')} AS wait
        FROM ticket t JOIN (
            SELECT e.ticket_id, e.at, e.window_id, e.staff_id, e.line_id,
                   ROW_NUMBER() OVER (PARTITION BY e.ticket_id ORDER BY e.at, e.id) AS k
            FROM ticket_event e JOIN ticket t2 ON t2.id = e.ticket_id
            WHERE e.kind = 'called' AND t2.centre_code = :centre
              AND t2.issued_at >= :start AND t2.issued_at < :end
        ) c ON c.ticket_id = t.id AND c.k = 1
        WHERE 1 = 1 {scope_filter(ctx, 'c')})"""


def wait_stats(ctx: Context) -> dict[str, tuple]:
    """{"all" | "h:9" | "s:appointment" …: (n, p50, p90, max, total)} of waits in seconds."""
    # Counted once by hour, source and wait; each group adds up those counts.
    fine = "fine AS (SELECT hour, source, wait, COUNT(*) AS c FROM w GROUP BY hour, source, wait)"
    values = """
        SELECT 'all' AS grp, wait AS value, c AS weight FROM fine
        UNION ALL SELECT 'h:' || CAST(hour AS TEXT), wait, c FROM fine
        UNION ALL SELECT 's:' || CASE WHEN source = 'appointment' THEN 'appointment' ELSE 'walk_in' END, wait, c FROM fine"""
    found = rows(ctx, sql.percentiles(values, f"{_first_calls(ctx)}, {fine}"))
    return {r.grp: (r.n, r.p50, r.p90, r.vmax, r.total) for r in found}


def handling_stats(ctx: Context) -> dict[str, tuple]:
    """{"all" | line id: (n, p50, p90, max, total)} of handling seconds of 办结 in the period."""
    began = """(SELECT MAX(b.at) FROM ticket_event b WHERE b.ticket_id = f.ticket_id
                 AND b.kind IN ('called', 'started', 'resumed') AND b.at <= f.at)"""
    prelude = f"""h AS (
        SELECT f.line_id AS line_id, {sql.seconds_between(ctx.dialect, began, 'f.at')} AS secs
        FROM ticket_event f JOIN ticket t ON t.id = f.ticket_id
        WHERE f.kind = 'finished' AND t.centre_code = :centre AND f.at >= :start AND f.at < :end
        {scope_filter(ctx, 'f')}),
        fine AS (SELECT line_id, secs, COUNT(*) AS c FROM h GROUP BY line_id, secs)"""
    values = "SELECT 'all' AS grp, secs AS value, c AS weight FROM fine UNION ALL SELECT line_id, secs, c FROM fine"
    found = rows(ctx, sql.percentiles(values, prelude))
    return {r.grp: (r.n, r.p50, r.p90, r.vmax, r.total) for r in found}


def overtime(ctx: Context) -> tuple[int, int]:
    """(tickets, seconds) of 延时服务 finished in the period, by the scope of the 办结."""
    n, secs = rows(ctx, f"""
        SELECT COUNT(*), COALESCE(SUM(t.overtime_s), 0) FROM ticket_event f JOIN ticket t ON t.id = f.ticket_id
        WHERE f.kind = 'finished' AND t.overtime_s > 0 AND t.centre_code = :centre
          AND f.at >= :start AND f.at < :end {scope_filter(ctx, 'f')}""")[0]
    return int(n), int(secs)


def _overtime_table(found: tuple[int, int]) -> Table:
    n, secs = found
    return Table("延时服务", ("项目", "数值"), (
        ("闭厅后办结（件）", n),
        ("闭厅后办理时长合计（分）", _minutes(secs) if n else "0"),
        ("每件平均（分）", _minutes(secs / n) if n else "—"),
    ), "当日号当日办结：闭厅后仍在办理的号，自闭厅时间（或其后的叫号）起至办结计时；按办结所在时段计。")


def served_per_window(ctx: Context) -> list[tuple[int, str, int]]:
    found = rows(ctx, f"""
        SELECT w.number, w.name, COUNT(*) FROM ticket_event e JOIN "window" w ON w.id = e.window_id
        WHERE e.kind = 'finished' AND w.centre_code = :centre AND e.at >= :start AND e.at < :end
        {scope_filter(ctx, 'e')}
        GROUP BY w.number, w.name ORDER BY w.number""")
    return [(n, name, count) for n, name, count in found]


def line_names(ctx: Context) -> dict[str, str]:
    return {r.id: f"{r.letter} {r.name}" for r in rows(
        ctx, "SELECT id, letter, name FROM service_line WHERE centre_code = :centre ORDER BY letter")}


def _stat_row(label: str, stats: tuple | None) -> tuple:
    n, p50, p90, vmax, _total = stats or (0, None, None, None, 0)
    return (label, n, _minutes(p50), _minutes(p90), _minutes(vmax))


def _counts_table(ctx: Context, counts: dict[str, int]) -> Table:
    per_person = ctx.scope.kind in ("window", "staff")  # tickets are issued to a line, not to a window
    body = []
    for kind, label in EVENT_ROWS:
        value = "—" if per_person and kind == "issued" else counts.get(kind, 0)
        target = "0（当日号当日办结）" if kind in ("cancelled", "carried_over") else ""
        body.append((label, value, target))
    return Table("票号统计", ("项目", "数量", "目标"), tuple(body),
                 "按时段内发生的操作计数；过号分两段：首次叫号未到重新排队，重排后仍未到为过号。")


def _waits_tables(stats: dict[str, tuple]) -> tuple[Table, Table, Chart]:
    columns = ("", "人数", "中位数(分)", "P90(分)", "最长(分)")
    kinds = Table("预约与现场取号的等候", columns, (
        _stat_row("全部", stats.get("all")),
        _stat_row("预约", stats.get("s:appointment")),
        _stat_row("现场取号", stats.get("s:walk_in")),
    ), "线上预约、线下优先叫号（003）：预约等候应短于现场取号。")
    hours = [h for h in HOURS if f"h:{h}" in stats] or []
    extra = sorted(int(k[2:]) for k in stats if k.startswith("h:") and int(k[2:]) not in HOURS)
    by_hour = Table("按取号时段的等候", columns, tuple(
        _stat_row(f"{h:02d}:00–{h + 1:02d}:00", stats.get(f"h:{h}")) for h in sorted(set(hours) | set(extra))),
        f"等候自取号至首次叫号，含零等候，未被叫到的号不计；{sql.PERCENTILE_NOTE}。")
    chart = Chart("各时段等候中位数", tuple(row[0][:5] for row in by_hour.rows),
                  tuple((stats[f"h:{int(row[0][:2])}"][1] or 0) / 60 for row in by_hour.rows), "分钟")
    return kinds, by_hour, chart


def _handling_table(ctx: Context, stats: dict[str, tuple]) -> Table:
    names = line_names(ctx)
    body = [_stat_row("全部", stats.get("all"))]
    body += [_stat_row(name, stats[line]) for line, name in names.items() if line in stats]
    return Table("办理时长", ("", "办结数", "中位数(分)", "P90(分)", "最长(分)"), tuple(body),
                 f"自最后一次叫号、开始办理或回叫至办结；{sql.PERCENTILE_NOTE}。")


@section("queue", order=10)
def build(ctx: Context) -> Section:
    counts = event_counts(ctx)
    waits = wait_stats(ctx)
    handling = handling_stats(ctx)
    per_window = served_per_window(ctx)
    late = overtime(ctx)
    kinds, by_hour, wait_chart = _waits_tables(waits)
    windows = Table("各窗口办结量", ("窗口", "名称", "办结"), tuple((f"{n}号", name, c) for n, name, c in per_window))
    window_chart = Chart("各窗口办结量", tuple(f"{n}号" for n, _name, _c in per_window),
                         tuple(float(c) for _n, _name, c in per_window), "件")
    figures = {"counts": counts, "waits": waits, "handling": handling, "per_window": per_window, "overtime": late}
    tables = (_counts_table(ctx, counts), kinds, by_hour, _handling_table(ctx, handling), _overtime_table(late), windows)
    return Section("queue", "排队叫号", tables, (wait_chart, window_chart), figures)
