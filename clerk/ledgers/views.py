"""Ledger records as the screens show them: plain frozen data, labels in Chinese."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class EntryLine:
    """One row of a ledger list."""

    id: str
    kind: str
    entry_no: str
    registered_at: datetime
    status: str
    status_label: str
    person: str
    matter: str
    class_label: str
    owner: str
    unit: str
    due_date: date | None
    overdue: bool
    supervised: bool


@dataclass(frozen=True)
class StepLine:
    at: datetime
    staff: str
    action: str
    note: str
    status_label: str


@dataclass(frozen=True)
class EntryDetail:
    line: EntryLine
    channel: str
    contact: str
    description: str
    item_code: str
    case_ref: str
    ticket_id: str | None
    result: str
    feedback: str
    followed_up_on: date | None
    follow_up_method: str
    satisfaction: str
    detail: dict
    steps: tuple[StepLine, ...]
    actions: tuple[str, ...]
    """The steps possible now (clerk.ledgers.rules.actions_from)."""


@dataclass(frozen=True)
class RatingLine:
    id: str
    at: datetime
    grade: int
    grade_label: str
    reasons: tuple[str, ...]
    text: str
    source: str
    rated: str
    window: str
    rater: str
    """Empty unless the viewer may see who rated (a supervisor)."""
    valid: bool


@dataclass(frozen=True)
class Prefill:
    """What a served ticket gives a new record: the window, the visit, the item's line."""

    ticket_id: str | None
    ticket_number: str
    window_id: str | None
