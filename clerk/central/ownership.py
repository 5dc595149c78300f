"""Whose rows a pushed mutation wrote: the server's own check of centre and number band.

A counter's word for where something happened is not taken on trust, just as its word for
who did it is not (clerk.central.actors). Every row a mutation writes is checked after the
handler ran, whatever the handler was: each centre it names, directly (``centre_code``) or
through a window, service line, ticket, staff member, case or ledger entry, must be the pushing device's
centre — or, for the rows of a case the device's centre decides in its back office
(a township's, 县事乡办), the centre it was taken in. A ticket is issued only in the
device's own offline number band. A mutation that
fails is refused (a visible conflict) and writes nothing, so it reaches nobody's pull.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from clerk.central.changes import Entry
from clerk.store.central_tables import Device
from clerk.store.ledger_tables import LedgerEntry
from clerk.store.operations import Case, Ticket
from clerk.store.reference import ServiceLine, Staff, Window
from clerk.sync.protocol import PushMutation

_VIA = {"window_id": Window, "kept_window_id": Window, "refused_window_id": Window,
        "line_id": ServiceLine, "to_line_id": ServiceLine, "ticket_id": Ticket, "staff_id": Staff,
        "case_id": Case, "entry_id": LedgerEntry}
"""Columns that name a row of another centre-owned table, and that table: a case's
materials and notices reach their centre through the case, a ledger step through its entry."""

_WRITTEN = (Ticket, Case, LedgerEntry)
"""Owner tables a batch may create itself: their new rows' centre is known from the rows."""


class Owners:
    """The centre of windows, lines, tickets and staff, read as needed and kept for one batch."""

    def __init__(self, session: Session, device: Device) -> None:
        self.session, self.device = session, device
        self._centre: dict[type, dict[str, str]] = {model: {} for model in set(_VIA.values())}
        self._back_office: dict[str, str] = {}
        """Case id → the centre whose back office decides it (a township's county, 县事乡办)."""

    def refusal(self, entries: list[Entry]) -> str:
        """Why rows ``entries`` may not be written by this device; "" when they may."""
        rows = [(table, row) for table, _key, row in entries if row is not None]
        for table, row in rows:
            for model in _WRITTEN:
                if table == model.__tablename__:
                    self._centre[model][row["id"]] = row["centre_code"]
            if table == Case.__tablename__:
                self._back_office[row["id"]] = row.get("back_office_centre", "")
        self._load(rows)
        for table, row in rows:
            reason = self._row_refusal(table, row)
            if reason:
                return reason
        return ""

    def _row_refusal(self, table: str, row: dict[str, Any]) -> str:
        mine = self.device.centre_code
        allowed = {None, mine, *self._taken_in(table, row)}
        if row.get("centre_code") not in allowed:
            return f"本机登记在中心 {mine}，不能操作其他中心（{row['centre_code']}）的数据"
        for column, model in _VIA.items():
            value = row.get(column)
            if value is not None and self._centre[model].get(value, mine) not in allowed:
                return f"本机登记在中心 {mine}，不能操作其他中心的{_NAMES[model]}（{value}）"
        return ""

    def _taken_in(self, table: str, row: dict[str, Any]) -> set[str]:
        """The other centre a row may name: where a case this device's back office decides
        was taken in, for the case's own rows (its review, decision and paper)."""
        case_id = row.get("id") if table == Case.__tablename__ else row.get("case_id")
        if case_id is None or self._back_office.get(case_id) != self.device.centre_code:
            return set()
        return {self._centre[Case].get(case_id, "")} - {""}

    def _load(self, rows: list[tuple[str, dict[str, Any]]]) -> None:
        """One query per table for the ids not known yet."""
        wanted: dict[type, set[str]] = {model: set() for model in self._centre}
        for _table, row in rows:
            for column, model in _VIA.items():
                value = row.get(column)
                if value is not None and value not in self._centre[model]:
                    wanted[model].add(value)
        for model, ids in wanted.items():
            if ids and model is Case:
                query = select(Case.id, Case.centre_code, Case.back_office_centre).where(Case.id.in_(ids))
                for r in self.session.execute(query):
                    self._centre[Case][r.id], self._back_office[r.id] = r.centre_code, r.back_office_centre
            elif ids:
                query = select(model.id, model.centre_code).where(model.id.in_(ids))
                self._centre[model].update({r.id: r.centre_code for r in self.session.execute(query)})


_NAMES = {Window: "窗口", ServiceLine: "业务队列", Ticket: "号票", Staff: "工作人员", Case: "办件",
          LedgerEntry: "台账记录"}


def band_refusal(device: Device, m: PushMutation) -> str:
    """A pushed ticket is numbered in the pushing device's own offline band, never another's.
    Band 0 is the central store's own (handed out online, without a push); a counter numbers
    in it only while it works alone, before its enrolment."""
    if m.name != "ticket.issue":
        return ""
    band = m.args.get("band", 0)
    if band == 0 and m.at < device.enrolled_at:
        return ""
    if device.band is None or band != device.band:
        return f"取号号段不符：本机的离线号段是 {device.band or '无'}，该号票用的是号段 {band}"
    return ""
