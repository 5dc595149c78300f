"""The shift-signing service for the screens: the shift's notes, and a note signed.

Signing builds the shift's report with the existing ledger code on this store, asks the
password again (a wrong one counts toward the lockout, as for a sign-off), records the note
(``shift.note``) and signs its words with the figures' digest (``shift.sign``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlmodel import Session, col, select

from clerk.clock import Clock
from clerk.ids import new_id
from clerk.mutation import MutationRefused
from clerk.outbox import Workbench, client_id
from clerk.reports import ledger
from clerk.shifts import handlers, rules
from clerk.staff.auth import SignInError, sign_in
from clerk.store.engine import Store
from clerk.store.reference import Staff
from clerk.store.shift_tables import ShiftNote


@dataclass(frozen=True)
class Shift:
    """One shift of one day, for the centre or one window, staff member or line (as ``clerk report``)."""

    day: date
    window: int | None = None
    staff: str | None = None
    line: str | None = None


@dataclass(frozen=True)
class NoteView:
    id: str
    text: str
    author: str
    corrects: str | None
    signed: bool
    holds: bool
    """Signed and still matching its signature."""


@dataclass(frozen=True)
class Signed:
    note: NoteView
    digest: str
    period_label: str
    scope_label: str


class ShiftDesk:
    def __init__(self, bench: Workbench, store: Store, clock: Clock, centre_code: str, hours: tuple[time, time],
                 max_failures: int = 5, lockout_minutes: int = 15) -> None:
        self.bench, self.store, self.clock, self.centre_code = bench, store, clock, centre_code
        self.hours, self.max_failures, self.lockout_minutes = hours, max_failures, lockout_minutes

    def report(self, staff_id: str, shift: Shift) -> ledger.Report:
        return ledger.build(self.store, self.centre_code, self._request(shift), self.clock.now(), staff_id)

    def _request(self, shift: Shift) -> ledger.Request:
        return ledger.Request("shift", shift.day, shift.window, shift.staff, shift.line, *self.hours)

    def notes(self, staff_id: str, shift: Shift) -> list[NoteView]:
        """The shift's note and its corrections, oldest first."""
        with self.store.session() as session:
            ledger.check_reader(session, staff_id)
            scope = ledger.resolve_scope(session, self.centre_code, self._request(shift))
            rows = session.exec(select(ShiftNote).where(*self._where(shift.day, scope.kind, scope.key))
                                .order_by(col(ShiftNote.written_at))).all()
            return [_view(session, n) for n in rows]

    def sign(self, staff_id: str, password: str, shift: Shift, text: str, corrects: str | None = None) -> Signed:
        """Record ``text`` on the shift (or as a correction of the signed note ``corrects``) and sign it."""
        report = self.report(staff_id, shift)  # refused for a clerk or a shift not begun: nothing stored
        rules.require_text(text)
        note_id = self._note_to_sign(staff_id, shift.day, report, corrects)
        key = self._unlock(staff_id, password)
        self.save(staff_id, shift, text, note_id, corrects, report)
        figures = rules.figures_digest(report)
        signed_at = self.clock.now().isoformat()
        with self.store.session() as session:
            note = session.get(ShiftNote, note_id)
            message = rules.statement(client_id(session), note, staff_id, figures, signed_at)
        self.bench.apply("shift.sign", {"note_id": note_id, "figures_digest": figures, "signed_at": signed_at,
                                        "signature": key.sign(message)}, staff_id)
        with self.store.session() as session:
            view = _view(session, session.get(ShiftNote, note_id))
        return Signed(view, figures, report.period.label, report.scope.label)

    def save(self, staff_id: str, shift: Shift, text: str, note_id: str | None = None, corrects: str | None = None,
             report: ledger.Report | None = None) -> str:
        """Write the note (or edit an unsigned one of one's own) without signing it yet."""
        scope = (report or self.report(staff_id, shift)).scope
        note_id = note_id or new_id()
        self.bench.apply("shift.note", {"id": note_id, "day": shift.day.isoformat(), "shift": self._label,
                                        "scope_kind": scope.kind, "scope_key": scope.key, "corrects": corrects,
                                        "text": text}, staff_id)
        return note_id

    @property
    def _label(self) -> str:
        return rules.shift_label(*self.hours)

    def _where(self, day: date, kind: str, key: str) -> tuple:
        return (ShiftNote.centre_code == self.centre_code, ShiftNote.day == day, ShiftNote.shift == self._label,
                ShiftNote.scope_kind == kind, ShiftNote.scope_key == key)

    def _note_to_sign(self, staff_id: str, day: date, report: ledger.Report, corrects: str | None) -> str:
        """The id to write and sign: the shift's own unsigned note of this supervisor, or a new one.
        What the handlers would refuse is refused here, before the password is asked."""
        if corrects is not None:
            return new_id()
        with self.store.session() as session:
            first = session.exec(select(ShiftNote).where(*self._where(day, report.scope.kind, report.scope.key),
                                                         col(ShiftNote.corrects).is_(None))).first()
            if first is None:
                return new_id()
            name = handlers.signer_name(session, first)
            rules.require_unsigned(first, name)
            if first.supervisor_id != staff_id:
                raise MutationRefused(f"该班次已有{name}写的说明，只能由其本人签名")
            return first.id

    def _unlock(self, staff_id: str, password: str):
        with self.store.session() as session:
            staff = session.get(Staff, staff_id)
        if staff is None:
            raise MutationRefused("班次说明须由签到的值班长签名")
        try:
            return sign_in(self.store, self.clock, staff.username, password, self.max_failures,
                           self.lockout_minutes).key
        except SignInError as exc:
            raise SignInError(f"签名前密码验证失败：{exc.message}") from exc


def _view(session: Session, note: ShiftNote) -> NoteView:
    return NoteView(note.id, note.note, handlers.signer_name(session, note), note.corrects, bool(note.signature),
                    handlers.signature_holds(session, note))
