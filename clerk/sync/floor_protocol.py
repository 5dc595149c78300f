"""Request and response bodies of the central store's floor API (clerk.central.floor_api):
the supervisor's desk mints an enrolment code and lists the devices of the centre."""

from __future__ import annotations

from datetime import datetime

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
