"""The accountability ledgers in the supervisor's report: 首问负责 records, 办不成事 entries
(new, closed, overdue) and 好差评 with the four rates beside their targets.

Targets: 差评整改率 and 整改及时率 stay at 100 % (seed 000: "差评整改率和及时率保持100%");
差评率 is to keep falling, which has no figure. The rates are those of clerk.ledgers.rates,
so the report and the ledger screens never disagree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import and_
from sqlmodel import Session, col

from clerk.clock import local_time
from clerk.ledgers import rates as rates_mod
from clerk.ledgers.classes import CLOSED_STATES, RESULT_KINDS
from clerk.reports.query import rows
from clerk.reports.registry import Context, Section, Table, section
from clerk.store.ledger_tables import Rating
from clerk.store.operations import Ticket

TARGETS = {"rectified_rate": "100%", "on_time_rate": "100%"}
_ENTRY_SCOPE = {"window": "e.window_id = :key", "staff": "e.owner_id = :key",
                "line": "e.ticket_id IN (SELECT id FROM ticket WHERE line_id = :key)"}


def _entry_filter(ctx: Context) -> str:
    clause = _ENTRY_SCOPE.get(ctx.scope.kind)
    return f" AND {clause}" if clause else ""


def entries(ctx: Context, kind: str) -> list:
    """The scope's entries of ``kind`` registered before the period's end and not closed before its start."""
    return rows(ctx, f"""SELECT e.status, e.result_kind, e.registered_at, e.closed_at, e.due_date, e.supervised_at
                         FROM ledger_entry e
                         WHERE e.centre_code = :centre AND e.kind = :kind AND e.registered_at < :end
                           AND (e.closed_at IS NULL OR e.closed_at >= :start){_entry_filter(ctx)}""", kind=kind)


def _aware(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def _within(at, ctx: Context) -> bool:
    at = _aware(at)
    return at is not None and ctx.period.start <= _utc(at) < ctx.period.end


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def complaint_figures(ctx: Context) -> dict[str, int]:
    """New and closed in the period; still open and past the limit at its end (or now, if sooner)."""
    until = min(ctx.period.end, ctx.now)
    day = local_time(until).date()
    out = {"new": 0, "closed": 0, "overdue": 0, "supervised": 0, "open": 0}
    for r in entries(ctx, "complaint"):
        out["new"] += _within(r.registered_at, ctx)
        closed = r.closed_at is not None and _utc(_aware(r.closed_at)) < until
        out["closed"] += closed and _within(r.closed_at, ctx)
        if not closed and _utc(_aware(r.registered_at)) < until:
            out["open"] += 1
            due = date.fromisoformat(r.due_date) if isinstance(r.due_date, str) else r.due_date
            late = due is not None and day > due
            out["overdue"] += late
            out["supervised"] += late and r.supervised_at is not None
    return out


def first_contact_figures(ctx: Context) -> dict[str, int]:
    """Records registered in the period by result, and those still open at its end."""
    until = min(ctx.period.end, ctx.now)
    out: dict[str, int] = {"total": 0, "open": 0}
    for r in entries(ctx, "first_contact"):
        if _within(r.registered_at, ctx):
            out["total"] += 1
            if r.result_kind:
                out[r.result_kind] = out.get(r.result_kind, 0) + 1
        closed = r.status in CLOSED_STATES and r.closed_at is not None and _utc(_aware(r.closed_at)) < until
        out["open"] += not closed and _utc(_aware(r.registered_at)) < until
    return out


def rating_rates(ctx: Context) -> rates_mod.Rates:
    visible = col(Rating.centre_code) == ctx.scope.centre_code
    column = {"window": Rating.window_id, "staff": Rating.rated_staff_id}.get(ctx.scope.kind)
    if column is not None:
        visible = and_(visible, col(column) == ctx.scope.key)
    elif ctx.scope.kind == "line":
        visible = and_(visible, col(Rating.ticket_id).in_(
            Ticket.__table__.select().with_only_columns(Ticket.__table__.c.id)
            .where(Ticket.__table__.c.line_id == ctx.scope.key)))
    with Session(bind=ctx.conn) as session:
        found = rates_mod.rates(session, visible, ctx.period.start, ctx.period.end, "centre")
    return found[0] if found else rates_mod.Rates(ctx.scope.centre_code, 0, 0, 0, 0, 0)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@section("ledgers", order=30)
def build(ctx: Context) -> Section:
    fc = first_contact_figures(ctx)
    cp = complaint_figures(ctx)
    rt = rating_rates(ctx)
    fc_rows = [("登记", fc["total"])] + [(RESULT_KINDS.get(k, k), n) for k, n in sorted(fc.items())
                                         if k not in ("total", "open")] + [("期末未办结", fc["open"])]
    cp_rows = [("新登记", cp["new"]), ("办结", cp["closed"]), ("期末在办", cp["open"]),
               ("超期未办结", cp["overdue"]), ("其中已督办", cp["supervised"])]
    rate_rows = [("评价", rt.total, "", ""), ("好评（基本满意及以上）", rt.good, _pct(rt.good_rate), ""),
                 ("差评", rt.bad, _pct(rt.bad_rate), "持续降低"),
                 ("差评整改", rt.rectified, _pct(rt.rectified_rate), TARGETS["rectified_rate"]),
                 ("按时整改", rt.on_time, _pct(rt.on_time_rate), TARGETS["on_time_rate"])]
    tables = (
        Table("首问负责", ("项目", "件数"), tuple(fc_rows)),
        Table("办不成事", ("项目", "件数"), tuple(cp_rows),
              note="超期：期末（或此刻）仍未办结且已过办理时限（工作日）"),
        Table("好差评", ("项目", "件数", "比率", "目标"), tuple(rate_rows),
              note="比率：好评率、差评率按有效评价计；整改率、及时率按差评计；申诉撤销的评价不计"),
    )
    figures = {"first_contact": fc, "complaints": cp,
               "rates": {"total": rt.total, "good": rt.good, "bad": rt.bad, "rectified": rt.rectified,
                         "on_time": rt.on_time}}
    return Section("ledgers", "问责台账", tables, figures=figures)
