"""Tell both windows when two of them called one ticket while cut off from each other.

The central store keeps the first call it applies and records the other in a
``call_conflict`` row that every counter pulls (clerk.central.call_conflicts). When such a
row reaches the counter on either side of it, it becomes an entry of this counter's
conflict list (``sync_conflict``, F6, counted in the status line):

* the counter whose call was refused already has the refused ``ticket.call`` there; its
  reason is replaced by the whole story (which window kept the ticket, who, when);
* the counter whose call was kept gets an entry of its own, so its clerk knows the visitor
  may be standing at the other window.

The kept call was made here if the staff member who made it was signed in at this
counter at that time (``staff_session`` carries the counter installation's id).
"""

from __future__ import annotations

from sqlmodel import Session, col, or_, select

from clerk.clock import local_time
from clerk.store.local import SyncConflict
from clerk.store.operations import StaffSession
from clerk.store.queue_conflicts import CallConflict
from clerk.store.reference import Staff, Window
from clerk.sync.upload import conflict_id

NOTE_NAME = "call_conflict"
"""``sync_conflict.name`` of a kept side's entry (no action of this counter was refused)."""


def note_call_conflicts(session: Session, client_id: str, conflict_ids: list[str]) -> None:
    """Enter the pulled call conflicts ``conflict_ids`` that involve this counter into its
    conflict list. Idempotent: a resync that brings them again adds nothing."""
    for conflict in session.exec(select(CallConflict).where(col(CallConflict.id).in_(conflict_ids))):
        if conflict.refused_client_id == client_id:
            _refused_here(session, client_id, conflict, describe(session, conflict))
        elif _kept_here(session, client_id, conflict) and session.get(SyncConflict, _note_id(conflict)) is None:
            session.add(SyncConflict(id=_note_id(conflict), mutation_id=0, name=NOTE_NAME,
                                     reason=describe(session, conflict), at=conflict.recorded_at))


def describe(session: Session, c: CallConflict) -> str:
    """``A001 号被两个窗口同时叫号（断网期间）：1号窗口 王晓丽 09:03 的叫号有效；2号窗口 李建国
    09:04 的叫号未被中心库接受。请两个窗口核对群众实际在哪个窗口。``"""
    kept = _who(session, c.kept_window_id, c.kept_staff_id, c.kept_at)
    refused = _who(session, c.refused_window_id, c.refused_staff_id, c.refused_at)
    return (f"{c.number} 号被两个窗口同时叫号（断网期间）：{kept} 的叫号有效；{refused} 的叫号未被中心库接受。"
            "请两个窗口核对群众实际在哪个窗口。")


def _refused_here(session: Session, client_id: str, c: CallConflict, text: str) -> None:
    entry_id = conflict_id(client_id, c.refused_mutation_id)
    entry = session.get(SyncConflict, entry_id)
    if entry is None:  # the push answer was lost; the record tells it anyway
        session.add(SyncConflict(id=entry_id, mutation_id=c.refused_mutation_id, name="ticket.call",
                                 reason=text, at=c.recorded_at))
    elif entry.reason != text:
        entry.reason = text
        session.add(entry)


def _kept_here(session: Session, client_id: str, c: CallConflict) -> bool:
    if c.kept_staff_id is None or c.kept_at is None:
        return False
    query = select(StaffSession.id).where(
        StaffSession.client_id == client_id,
        StaffSession.staff_id == c.kept_staff_id,
        StaffSession.started_at <= c.kept_at,
        or_(col(StaffSession.ended_at).is_(None), col(StaffSession.ended_at) >= c.kept_at),
    )
    return session.exec(query).first() is not None


def _who(session: Session, window_id: str | None, staff_id: str | None, at) -> str:
    window = session.get(Window, window_id) if window_id else None
    staff = session.get(Staff, staff_id) if staff_id else None
    parts = [f"{window.number}号窗口" if window else "另一窗口"]
    if staff is not None:
        parts.append(staff.name)
    if at is not None:
        parts.append(f"{local_time(at):%H:%M}")
    return " ".join(parts)


def _note_id(c: CallConflict) -> str:
    return f"call:{c.id}"
