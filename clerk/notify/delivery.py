"""Sending the due notifications, so that nothing ever reaches an applicant twice.

Delivery semantics (at most once per row; retried only when surely not sent):

1. **Claim before sending.** A due row (``pending``, ``next_attempt_at`` passed, its channel
   configured) is claimed with one conditional UPDATE — ``state='sending'``, a fresh
   ``claim`` token, ``attempts + 1`` — and that is committed before a byte goes out. Only
   the process whose UPDATE changed the row sends it, however many run.
2. **Send**, and read the outcome (clerk.notify.outcome):
   - accepted (SMTP 250 after DATA, a 2xx from the gateway) → ``sent`` with ``sent_at``;
   - a definite failure (no connection, a 4xx/5xx reply before the message was taken) →
     ``pending`` again after a backoff (``retry_s`` doubled per try, with jitter, up to
     ``max_retry_s``), or ``failed`` once ``max_attempts`` tries are spent; ``last_error``
     says why in Chinese;
   - uncertain (the message was handed over and no answer came) → ``uncertain``.
   The outcome is written only while the row still carries this send's token.
3. **Start-up.** A row found in ``sending`` belongs to a sender that stopped between the
   claim and the outcome (killed, power lost): the message may have gone out. It becomes
   ``uncertain`` and is never sent again automatically; a person decides. Should that row
   belong to another process that is still sending, its own outcome still lands (step 2
   accepts ``uncertain`` for its token), so the record ends true and nothing is resent.

A channel that is not configured is not claimed at all: its rows wait as ``pending``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.engine import Row

from clerk.config import NotifySettings
from clerk.ids import new_id
from clerk.notify.outcome import SendFailed, SendUncertain
from clerk.store.central_tables import Notification
from clerk.store.engine import Store

_N = Notification.__table__

Sender = Callable[[Row], None]
"""Sends one row's message; raises SendFailed or SendUncertain (clerk.notify.senders)."""
AfterSend = Callable[[Row], None]
"""Test hook: called after a send succeeded, before the row is marked sent (to stop the
process exactly there). Never set in production."""


def recover(store: Store) -> int:
    """Start-up: rows left ``sending`` become ``uncertain``; returns how many."""
    with store.write() as session:
        return session.execute(
            update(_N).where(_N.c.state == "sending").values(
                state="uncertain", last_error="发送过程中服务中断，无法确定是否已送达，不再自动重发")
        ).rowcount


def backoff(settings: NotifySettings, attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failed try: doubling, capped, with jitter so that many
    messages refused together do not come back together."""
    base = min(settings.max_retry_s, settings.retry_s * 2 ** max(0, attempts - 1))
    return timedelta(seconds=base * random.uniform(0.75, 1.0))


def due(store: Store, channels: list[str], now: datetime, limit: int = 50) -> list[str]:
    if not channels:
        return []
    with store.session() as session:
        return list(session.execute(
            select(_N.c.id).where(_N.c.state == "pending", _N.c.next_attempt_at <= now, _N.c.channel.in_(channels))
            .order_by(_N.c.next_attempt_at).limit(limit)).scalars())


def claim(store: Store, row_id: str, now: datetime) -> Row | None:
    """Take the row for one send (committed); None if another sender was first."""
    token = new_id()
    with store.write() as session:
        taken = session.execute(
            update(_N).where(_N.c.id == row_id, _N.c.state == "pending", _N.c.next_attempt_at <= now)
            .values(state="sending", claim=token, attempts=_N.c.attempts + 1)).rowcount
        if not taken:
            return None
        return session.execute(select(_N).where(_N.c.id == row_id)).one()


def _settle(store: Store, row: Row, **values) -> None:
    with store.write() as session:
        session.execute(update(_N).where(_N.c.id == row.id, _N.c.claim == row.claim,
                                         _N.c.state.in_(("sending", "uncertain"))).values(**values))


def send_one(store: Store, settings: NotifySettings, row: Row, sender: Sender, now: Callable[[], datetime],
             after_send: AfterSend | None = None) -> str:
    """Send a claimed row and record the outcome; returns the row's new state."""
    try:
        sender(row)
    except SendUncertain as exc:
        _settle(store, row, state="uncertain", last_error=exc.message)
        return "uncertain"
    except SendFailed as exc:
        if row.attempts >= settings.max_attempts:
            _settle(store, row, state="failed", last_error=f"已尝试{row.attempts}次均未发出：{exc.message}")
            return "failed"
        _settle(store, row, state="pending", last_error=exc.message,
                next_attempt_at=now() + backoff(settings, row.attempts))
        return "pending"
    if after_send:
        after_send(row)
    _settle(store, row, state="sent", sent_at=now(), last_error="")
    return "sent"


def run_due(store: Store, settings: NotifySettings, senders: dict[str, Sender], now: Callable[[], datetime],
            after_send: AfterSend | None = None) -> dict[str, int]:
    """One round: claim and send every due row of a configured channel; counts by outcome."""
    counts: dict[str, int] = {}
    for row_id in due(store, list(senders), now()):
        row = claim(store, row_id, now())
        if row is None:
            continue
        state = send_one(store, settings, row, senders[row.channel], now, after_send)
        counts[state] = counts.get(state, 0) + 1
    return counts
