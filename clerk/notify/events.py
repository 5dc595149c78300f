"""Which messages a case mutation calls for, and queueing them (central store only).

The central store calls ``watch`` before it runs a pushed mutation's handler and
``queue_moves`` after it (clerk.central.apply). A move is the status of each case the
handler touched before it ran (held already, or as loaded from the database) against its
status after. Only three moves tell the applicant something new:

- from intake (收件中 / 待补正) to accepted (受理, 容缺受理, 告知承诺受理): ``accepted``;
- into 待领取 with a result (准予 / 不予许可): ``decided``;
- sent back for materials (退回补正, the chief approved): ``returned``; a later return of the
  same case is its own event (``returned:2`` …), with its own materials and deadline.

Going back to 已受理 (a review returned, a special procedure ended, 容缺 settled) is not a
new acceptance. The rows are written in the mutation's own savepoint, so a refused mutation
queues nothing, and the unique (case, event, channel) makes a second queueing a no-op.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import event, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from clerk.cases import states
from clerk.identity import validate_mobile
from clerk.ids import new_id
from clerk.notify import messages
from clerk.store.central_tables import Notification
from clerk.store.operations import Case, SignOff
from clerk.store.reference import Centre, ServiceItem

_ACCEPTED_STATES = frozenset({states.ACCEPTED, states.DEFERRED, states.COMMITTED})
_TABLE = Notification.__table__

def event_of(before: str | None, after: str, result: str) -> str | None:
    """The message a move from ``before`` (None: a new case) to ``after`` calls for."""
    if after in _ACCEPTED_STATES and (before is None or before in states.INTAKE):
        return messages.ACCEPTED
    if after == states.READY and before != states.READY and result in ("granted", "denied"):
        return messages.DECIDED
    if after == states.RETURNED and before == states.RETURN_REQUESTED:
        return messages.RETURNED
    return None


class Watch:
    """The cases one handler touches, with their status before it: those the session held
    when the handler started, those it loads (the ``load`` event below) and those it adds.
    Strong references: a case the handler flushed and let go would otherwise vanish from
    the session's (weak) identity map before it could be looked at."""

    def __init__(self) -> None:
        self.before: dict[str, str | None] = {}
        self.cases: dict[str, Case] = {}

    def begin(self, session: Session) -> None:
        self.cases = {o.id: o for o in session.identity_map.values() if isinstance(o, Case)}
        self.before = {i: c.status for i, c in self.cases.items()}

    def seen(self, case: Case, status: str | None) -> None:
        if case.id not in self.cases:
            self.cases[case.id], self.before[case.id] = case, status


_KEY = "clerk.notify.watch"


@event.listens_for(Case, "load")
def _loaded(case: Case, context) -> None:
    watch = context.session.info.get(_KEY)
    if watch is not None:
        watch.seen(case, case.status)


def _added(session: Session, obj) -> None:
    if isinstance(obj, Case):
        session.info[_KEY].seen(obj, None)


def watch(session: Session) -> Watch:
    """Start watching the cases of the handler about to run (one watch per session)."""
    found = session.info.get(_KEY)
    if found is None:
        found = session.info[_KEY] = Watch()
        event.listen(session, "transient_to_pending", _added)
    found.begin(session)
    return found


def queue_moves(session: Session, watched: Watch, now: datetime) -> int:
    """Queue the messages of the moves since ``watch``; returns how many rows were new."""
    queued = 0
    for case_id, case in list(watched.cases.items()):
        if not case.notify_consent:
            continue
        event_name = event_of(watched.before[case_id], case.status, case.result)
        if event_name is not None:
            queued += queue(session, case, event_name, now)
    return queued


def channels(case: Case) -> dict[str, str]:
    """channel → recipient: SMS to a mobile number (not a landline), e-mail if given."""
    found = {}
    mobile = validate_mobile(case.applicant_phone) if case.applicant_phone else None
    if mobile is not None and mobile.valid:
        found["sms"] = mobile.value
    if case.applicant_email:
        found["email"] = case.applicant_email
    return found


def queue(session: Session, case: Case, event: str, now: datetime) -> int:
    """One pending row per channel the applicant has; an existing row is left alone."""
    to = channels(case)
    if not to:
        return 0
    item = session.get(ServiceItem, case.item_code)
    centre = session.get(Centre, case.centre_code)
    text = messages.COMPOSE[event](case, item.name if item else case.item_code, centre)
    event = _occurrence(session, case, event)
    rows = [{"id": new_id(), "case_id": case.id, "event": event, "channel": channel, "recipient": recipient,
             "subject": text.subject if channel == "email" else "", "body": text.body, "created_at": now,
             "state": "pending", "attempts": 0, "next_attempt_at": now, "claim": "", "last_error": ""}
            for channel, recipient in to.items()]
    session.flush()  # the case row exists before a row that refers to it
    dialect = postgresql if session.connection().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(_TABLE).values(rows).on_conflict_do_nothing(
        index_elements=["case_id", "event", "channel"]).returning(_TABLE.c.id)
    return len(session.execute(stmt).all())  # RETURNING: rowcount is -1 on PostgreSQL here


def _occurrence(session: Session, case: Case, event: str) -> str:
    """The key of this event of the case: a second 退回补正 is ``returned:2``, not the first
    one again (which the unique (case, event, channel) would have dropped)."""
    if event != messages.RETURNED:
        return event
    n = session.exec(select(func.count()).select_from(SignOff).where(
        SignOff.case_id == case.id, SignOff.kind == "return_supplement", SignOff.decision == "approved")).one()
    return event if n <= 1 else f"{event}:{n}"
