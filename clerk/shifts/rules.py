"""What a signed shift note covers, and when a note may still change.

The signature is made and checked with the staff member's own key (clerk.credentials) over
the bytes of :func:`statement`, as a sign-off decision is (clerk.signoff.rules): the counter
that signs and the central store that checks build them from the same arguments.
"""

from __future__ import annotations

from datetime import time

from clerk.mutation import MutationRefused
from clerk.reports.ledger import Report
from clerk.reports.registry import Table
from clerk.signoff.rules import digest
from clerk.store.shift_tables import ShiftNote

MAX_NOTE = 2000
FIGURES_ONLY = frozenset({"counters"})
"""Sections whose tables also show the store's state now (the counters' sync state, which the
signing itself changes): only their figures (the offline minutes) are signed."""


def shift_label(start: time, end: time) -> str:
    """ "08:30-17:30": the shift column, as the report settings give the hours."""
    return f"{start:%H:%M}-{end:%H:%M}"


def figures_digest(report: Report) -> str:
    """SHA-256 over the report's period, scope and every section's figures and tables (see
    FIGURES_ONLY): what the supervisor saw when signing (the time it was made is left out)."""
    p, s = report.period, report.scope
    body = {
        "period": [p.kind, p.start.isoformat(), p.end.isoformat()],
        "scope": [s.kind, s.centre_code, s.key],
        "sections": [{"key": x.key, "figures": x.figures,
                      "tables": [] if x.key in FIGURES_ONLY else [_table(t) for t in x.tables]}
                     for x in report.sections],
    }
    return digest([body])


def _table(t: Table) -> list:
    return [t.title, list(t.columns), [list(r) for r in t.rows]]


def statement(client_id: str, note: ShiftNote, staff_id: str, figures: str, signed_at: str) -> bytes:
    """The bytes a shift signature signs: bound to the counter, the note, its shift and scope,
    the figures and the words, so it is worth nothing once any of them is altered."""
    return "\n".join(("clerk-shift/1", client_id, note.id, staff_id, note.centre_code, note.day.isoformat(),
                      note.shift, note.scope_kind, note.scope_key, note.corrects or "", figures, note.note,
                      signed_at)).encode()


def require_text(text: str) -> str:
    words = text.strip()
    if not words:
        raise MutationRefused("请填写班次说明")
    if len(words) > MAX_NOTE:
        raise MutationRefused(f"班次说明不能超过 {MAX_NOTE} 字")
    return words


def require_unsigned(note: ShiftNote, signer_name: str) -> None:
    if note.signature:
        raise MutationRefused(f"该班次说明已由{signer_name}签名，不能修改或再次签名；如需更正，请另写更正说明",
                              f"shift note {note.id} is signed")
