"""A person decides what the sender would not: the messages left ``uncertain`` (handed over,
no answer: perhaps delivered) or ``failed`` (refused at every try).

The supervisor of the case's centre sees them (``needing_a_person``) and either sends one
again from its first try (``resend``: back to ``pending`` — for an uncertain one this may
reach the applicant twice, which is why no machine does it) or closes it (``close``, with
what was done instead, e.g. "已电话告知申请人"). Central store only: the outbox lives there.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from clerk.clock import local_time
from clerk.mutation import MutationRefused
from clerk.notify import messages
from clerk.store.central_tables import Notification
from clerk.store.operations import Case
from clerk.store.reference import ServiceItem, Staff

NEEDS_A_PERSON = ("uncertain", "failed")
CLOSED = "closed"
"""A person decided it is not to be sent (the reason is in ``last_error``)."""
LIST_LIMIT = 200
STATE_LABELS = {"pending": "待发送", "sending": "发送中", "sent": "已发送", "failed": "发送失败",
                "uncertain": "未能确认送达", CLOSED: "不再发送"}


def needing_a_person(session: Session, centre_code: str) -> list[tuple[Notification, Case, str]]:
    """(message, case, item name) of the centre's messages waiting for a decision, oldest first."""
    found = session.exec(
        select(Notification, Case, ServiceItem.name).join(Case, col(Case.id) == Notification.case_id)
        .outerjoin(ServiceItem, col(ServiceItem.code) == Case.item_code)
        .where(col(Notification.state).in_(NEEDS_A_PERSON), Case.centre_code == centre_code)
        .order_by(col(Notification.created_at), col(Case.acceptance_no), col(Notification.id)).limit(LIST_LIMIT)
    ).all()
    return [(n, c, name or c.item_code) for n, c, name in found]


def decide(session: Session, notification_id: str, boss: Staff, decision: str, note: str, at: datetime) -> str:
    """Apply ``decision`` to the message; returns the audit subject (what was decided on)."""
    # For update: two supervisors may decide one message at once; the second must see the
    # first's decision (a message closed by a person is never sent after all).
    row = session.get(Notification, notification_id, with_for_update=True)
    case = session.get(Case, row.case_id) if row is not None else None
    if row is None or case is None or case.centre_code != boss.centre_code:
        raise MutationRefused("找不到这条申请人通知", f"no notification {notification_id} in {boss.centre_code}")
    if row.state not in NEEDS_A_PERSON:
        raise MutationRefused(f"这条通知已是“{STATE_LABELS.get(row.state, row.state)}”，无需再处理")
    when = f"{local_time(at):%m-%d %H:%M}"
    if decision == "resend":
        row.state, row.attempts, row.next_attempt_at, row.claim = "pending", 0, at, ""
        row.last_error = f"{boss.name}于{when}决定重新发送" + (f"：{note.strip()}" if note.strip() else "")
    else:
        if len(note.strip()) < 2:
            raise MutationRefused("请写明不再发送的原因或已采取的办法（如“已电话告知申请人”）")
        row.state, row.last_error = CLOSED, f"{boss.name}于{when}决定不再发送：{note.strip()}"
    session.add(row)
    return f"{case.acceptance_no or case.id} {messages.label(row.event)} {row.channel}"
