"""Each counter's offline periods and sync state, from what the store can see.

On the central store: a push batch whose first action waited longer than ``OFFLINE_AFTER``
before it arrived means the counter was cut off from that action until the batch came;
a counter that has not been seen since before the period was offline all of it (as far
as the store knows). On a counter's own store: the same from its outbox (rows acknowledged
late, rows still waiting).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from clerk.clock import local_time
from clerk.reports.query import aware, rows
from clerk.reports.registry import Context, Section, Table, section

OFFLINE_AFTER = timedelta(minutes=2)
"""Shorter delays are a slow push, not an outage."""


def merge(intervals: list[tuple[datetime, datetime]], start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """The union of ``intervals`` clipped to [start, end), in order."""
    merged: list[list[datetime]] = []
    for a, b in sorted((max(a, start), min(b, end)) for a, b in intervals):
        if a >= b:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def _fmt(at: datetime) -> str:
    return f"{local_time(at):%m-%d %H:%M}"


def _central(ctx: Context, now: datetime) -> list[tuple]:
    devices = rows(ctx, """SELECT id, client_id, name, last_seen_at, clock_skew_ms, revoked_at, enrolled_at
                           FROM device WHERE centre_code = :centre ORDER BY name, id""")
    gaps = rows(ctx, """
        SELECT r.client_id, r.oldest_at, r.received_at, r.refused FROM push_receipt r
        JOIN device d ON d.client_id = r.client_id
        WHERE d.centre_code = :centre AND r.received_at >= :start AND r.oldest_at < :end""")
    out = []
    end = min(ctx.period.end, now)
    for d in devices:
        mine = [g for g in gaps if g.client_id == d.client_id]
        spans = [(aware(g.oldest_at), aware(g.received_at)) for g in mine
                 if aware(g.received_at) - aware(g.oldest_at) > OFFLINE_AFTER]
        seen = aware(d.last_seen_at)
        if d.revoked_at is None and (seen is None or seen < end - OFFLINE_AFTER):
            spans.append((seen or aware(d.enrolled_at), end))  # not heard from since: still away
        periods = merge(spans, ctx.period.start, end)
        total = sum((b - a for a, b in periods), timedelta())
        state = "已撤销" if d.revoked_at else (f"最近同步 {_fmt(seen)}" if seen else "从未同步")
        skew = "" if d.clock_skew_ms is None else f"，时钟偏差 {d.clock_skew_ms / 1000:+.0f} 秒"
        out.append((d.name or d.id[:8], "；".join(f"{_fmt(a)}–{_fmt(b)}" for a, b in periods) or "无",
                    f"{total.total_seconds() / 60:.0f}", state + skew, sum(g.refused for g in mine)))
    return out


def _local(ctx: Context, now: datetime) -> list[tuple]:
    late = rows(ctx, """SELECT created_at, acked_at FROM outbox
                        WHERE created_at < :end AND (acked_at IS NULL OR acked_at >= :start)""")
    end = min(ctx.period.end, now)
    spans = [(aware(r.created_at), aware(r.acked_at) or end) for r in late
             if (aware(r.acked_at) or end) - aware(r.created_at) > OFFLINE_AFTER]
    periods = merge(spans, ctx.period.start, end)
    total = sum((b - a for a, b in periods), timedelta())
    pending = rows(ctx, "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox WHERE acked_at IS NULL")[0]
    state = f"待上传 {pending.n} 项" + (f"，最早 {_fmt(aware(pending.oldest))}" if pending.n else "")
    return [("本机", "；".join(f"{_fmt(a)}–{_fmt(b)}" for a, b in periods) or "无",
             f"{total.total_seconds() / 60:.0f}", state, 0)]


def is_central(ctx: Context) -> bool:
    return bool(rows(ctx, "SELECT 1 FROM server_state LIMIT 1"))


@section("counters", order=90)
def build(ctx: Context) -> Section:
    body = _central(ctx, ctx.now) if is_central(ctx) else _local(ctx, ctx.now)
    table = Table("窗口机离线与同步", ("窗口机", "离线时段", "离线(分)", "同步状态", "被拒操作"), tuple(body),
                  f"离线：操作等待超过 {OFFLINE_AFTER.seconds // 60} 分钟才送达中心库的时段；此后一直未联系的计到本时段结束。")
    return Section("counters", "窗口机离线与同步", (table,),
                   figures={"offline_minutes": {r[0]: int(r[2]) for r in body}})
