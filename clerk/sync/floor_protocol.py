"""Request and response bodies of the central store's floor API (clerk.central.floor_api):
the supervisor's desk mints an enrolment code, lists the devices of the centre, and decides
what becomes of the applicant messages the sender could not settle."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from clerk.store.schema import SCHEMA_VERSION
from clerk.sync.queue_protocol import SessionProof, _Body

FLOOR_PREFIX = "/floor"
"""Under API_PREFIX."""


class SupervisorRequest(_Body):
    staff_id: str = Field(min_length=1, max_length=64)
    session: SessionProof | None = None
    """The supervisor's signed sign-in at this counter (their staff.sign_in may still be on the way)."""
    schema_version: int = SCHEMA_VERSION


class EnrolCodeRequest(SupervisorRequest):
    valid_hours: float = Field(default=24, gt=0, le=24 * 7)


class EnrolCodeResponse(_Body):
    code: str
    expires_at: datetime


class DeviceLine(_Body):
    id: str
    name: str
    enrolled_at: datetime
    last_seen_at: datetime | None
    revoked: bool
    band: int | None
    clock_skew_ms: int | None
    conflict_reason: str | None


class DevicesResponse(_Body):
    devices: list[DeviceLine]


class NotificationLine(_Body):
    """A message to an applicant that needs a person: sent perhaps (``uncertain``) or not at
    all after every try (``failed``). The recipient is masked: the supervisor decides from the
    case and the reason, and calls the applicant from the case if they must."""

    id: str
    case_id: str
    acceptance_no: str
    item_name: str
    event: str
    channel: str
    recipient: str
    state: str
    attempts: int
    last_error: str
    created_at: datetime


class NotificationsResponse(_Body):
    notifications: list[NotificationLine]


class NotificationDecision(SupervisorRequest):
    id: str = Field(min_length=1, max_length=64)
    decision: Literal["resend", "close"]
    note: str = Field(default="", max_length=200)
