"""The accountability ledgers (PRODUCT.md §2, §5, §6): one table shape for the three kinds.

A 首问负责 record, a 办不成事 entry and a 差评整改 (rectification) are all a ``LedgerEntry``
with its ``kind``; they share register → classify → assign → handle → feed back → follow
up → close, so the columns of that shape are shared and what only one kind needs goes in
``detail`` (JSON). Every step is also a ``LedgerStep`` row: the handling log.
A ``Rating`` is one 好差评 grade for one visit or one case.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from clerk.store.types import UTCDateTime


def _ts(nullable: bool = True):
    return Field(default=None, sa_column=Column(UTCDateTime, nullable=nullable))


def _text():
    return Field(default="", sa_column=Column(Text, nullable=False, default=""))


class LedgerEntry(SQLModel, table=True):
    __tablename__ = "ledger_entry"
    __table_args__ = (
        # The ledger screen lists a kind's entries of a centre newest first, filtered by status.
        Index("ix_ledger_entry_list", "centre_code", "kind", "registered_at"),
        Index("ix_ledger_entry_centre_at", "centre_code", "registered_at"),
        Index("ix_ledger_entry_owner", "owner_id", "status"),
        Index("ix_ledger_entry_department", "department_code", "kind"),
        # The screen's 在办 / 超期 / 已办结 filters: an equality on is_open keeps the index's
        # order by time (a NOT IN on status cannot), and due_date in the index lets the
        # overdue count run on the index alone.
        Index("ix_ledger_entry_open", "centre_code", "is_open", "registered_at", "due_date"),
        Index("ix_ledger_entry_kind_open", "centre_code", "kind", "is_open", "registered_at", "due_date"),
    )
    id: str = Field(primary_key=True)
    kind: str  # first_contact / complaint / rectification
    entry_no: str = Field(index=True)
    """Shown and printed (e.g. ``BCS-20261202-3F9A1C``); the id is the identity."""
    centre_code: str = Field(foreign_key="centre.code")
    status: str = Field(default="registered", index=True)
    is_open: bool = True
    """False once the status is a closed one (kept by clerk.ledgers.steps.record)."""
    registered_at: datetime = _ts(nullable=False)
    registered_by: str = Field(foreign_key="staff.id")
    owner_id: str = Field(foreign_key="staff.id")
    """Who answers for it until it closes: the first-contact officer (never moved by a
    referral), the registering clerk of a 办不成事 entry, the handler of a rated visit."""
    window_id: str | None = Field(default=None, foreign_key="window.id")
    ticket_id: str | None = Field(default=None, foreign_key="ticket.id")
    case_ref: str = ""
    """The case's id or number, as text (cases are linked later)."""
    rating_id: str | None = Field(default=None, foreign_key="rating.id", index=True)
    channel: str = ""
    person: str = ""
    """Visitor or organisation."""
    contact: str = ""
    matter: str = _text()
    item_code: str = ""
    description: str = _text()
    class_code: str = ""
    legal: bool = False
    """涉法涉诉涉访: flagged and referred, not handled here."""
    department_code: str | None = Field(default=None, foreign_key="department.code")
    """The department it concerns (a chief representative sees their department's)."""
    unit: str = ""
    """The responsible unit, as printed."""
    assignee_id: str | None = Field(default=None, foreign_key="staff.id", index=True)
    due_date: date | None = None
    due_provisional: bool = False
    result_kind: str = ""
    result: str = _text()
    feedback: str = _text()
    fed_back_at: datetime | None = _ts()
    follow_up_due: date | None = None
    followed_up_on: date | None = None
    follow_up_method: str = ""
    satisfaction: str = ""
    supervised_at: datetime | None = _ts()
    """督办: raised to the supervisor because it ran past its limit."""
    closed_at: datetime | None = _ts()
    updated_at: datetime = _ts(nullable=False)
    detail: str = _text()
    """JSON: what only this kind carries (materials, referrals, the expert, the appeal)."""


class LedgerStep(SQLModel, table=True):
    """One step of an entry, in order: the handling log."""

    __tablename__ = "ledger_step"
    id: str = Field(primary_key=True)
    entry_id: str = Field(foreign_key="ledger_entry.id", index=True)
    seq: int
    """1, 2, 3 … per entry: the log's order (steps of one minute share a time)."""
    at: datetime = _ts(nullable=False)
    staff_id: str | None = Field(default=None, foreign_key="staff.id")
    action: str
    note: str = _text()
    status: str
    """The entry's status after this step."""


class Rating(SQLModel, table=True):
    """好差评: one per visit (``ticket_id``) or one per case (``case_ref``, the case id)."""

    __table_args__ = (Index("ix_rating_centre_at", "centre_code", "at"),)
    id: str = Field(primary_key=True)
    centre_code: str = Field(foreign_key="centre.code")
    ticket_id: str | None = Field(default=None, foreign_key="ticket.id", unique=True)
    case_ref: str | None = Field(default=None, unique=True)
    source: str  # pad / kiosk / public
    grade: int
    reasons: str = ""
    """National reason codes, comma-separated (clerk.ledgers.ratings.REASONS)."""
    text: str = _text()
    at: datetime = _ts(nullable=False)
    rated_staff_id: str | None = Field(default=None, foreign_key="staff.id", index=True)
    window_id: str | None = Field(default=None, foreign_key="window.id")
    department_code: str | None = Field(default=None, foreign_key="department.code")
    recorded_by: str | None = Field(default=None, foreign_key="staff.id")
    """The clerk who keyed in what the pad showed (empty from the kiosk or the public page)."""
    rater_name: str = ""
    rater_phone: str = ""
    """Kept from whoever is rated: only the supervisor's views show them."""
    real_name: bool = False
    valid: bool = True
    """False once the supervisor upholds an appeal (a mistaken or malicious rating)."""
