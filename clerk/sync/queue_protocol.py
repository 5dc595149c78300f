"""Request and response bodies of the central store's queue API (clerk.central.queue_api).

Rows travel as the same JSON snapshots the change log carries (clerk.sync.rows), so a
counter can upsert them exactly as a pull would.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from clerk.store.schema import SCHEMA_VERSION

QUEUE_PREFIX = "/queue"
"""Under API_PREFIX."""


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SessionProof(_Body):
    """The staff member's signed sign-in at this counter (clerk.staff.session_handlers), sent with an
    online call because the pushed ``staff.sign_in`` may not have reached the server yet."""

    session_id: str = Field(min_length=1, max_length=64)
    signed_at: str = Field(min_length=1, max_length=64)
    signature: str = Field(min_length=1, max_length=128)


class CallNextRequest(_Body):
    window_id: str = Field(min_length=1, max_length=64)
    staff_id: str = Field(min_length=1, max_length=64)
    session: SessionProof | None = None
    """Required from schema version 2 on."""
    claim_id: str | None = Field(default=None, min_length=1, max_length=64)
    """Made by the counter before the first try: a retried request (its answer was lost or
    late) gets the ticket the first one claimed instead of a second one."""
    through_mutation_id: int = Field(default=0, ge=0)
    """The counter's latest action the central store must have before this call: its own
    calls made while cut off. Refused (``backlog_pending``) until they have been pushed, so
    the store cannot hand a window a ticket it already called and served offline."""
    schema_version: int = SCHEMA_VERSION


class CallTicketRequest(CallNextRequest):
    ticket_id: str = Field(min_length=1, max_length=64)


class ClaimResponse(_Body):
    ticket: dict[str, Any] | None
    """The ticket row after the claim; None when nobody waits for this window."""
    events: list[dict[str, Any]] = []
    """The ticket_event rows the claim wrote."""
    fence: int | None = None
    """The token later actions on the ticket carry."""
    reason: str = ""
    kind: str = ""


class IssueRequest(_Body):
    line_id: str = Field(min_length=1, max_length=64)
    priority: Literal["normal", "green", "appointment"] = "normal"
    """Informational: the class follows from ``priority_reason`` and ``source``."""
    priority_reason: Literal["", "elderly", "disabled", "pregnant", "military"] = ""
    appointment_code: str = Field(default="", max_length=64)
    appointment_start: AwareDatetime | None = None
    appointment_end: AwareDatetime | None = None
    source: Literal["kiosk", "appointment", "walk_in"] = "kiosk"
    staff_id: str | None = Field(default=None, max_length=64)
    session: SessionProof | None = None
    """With ``staff_id`` (a walk-in a clerk registers), from schema version 2 on."""
    ticket_id: str | None = Field(default=None, min_length=1, max_length=64)
    """Made by the kiosk so a retried request returns the same ticket instead of a second one."""
    schema_version: int = SCHEMA_VERSION


class IssueResponse(_Body):
    ticket: dict[str, Any]
    events: list[dict[str, Any]] = []
    number: str
    line_name: str
    people_ahead: int
    waiting: int
    wait_minutes: float | None
    """None when no window serves the line now."""
    issued_at: datetime
