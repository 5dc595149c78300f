"""Request and response bodies of the sync API, shared by the counter and the central store.

Every body carries ``schema_version``; the server accepts its own and the previous one.
Error bodies have an English ``detail`` code for programs and a Chinese ``message``
for whoever reads it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

API_PREFIX = "/api/v1"
MAX_BATCH = 1000
"""Most mutations one push may carry; the uploader sends a few hundred."""


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorBody(_Body):
    detail: str = Field(description="English error code, stable for programs")
    message: str = Field(description="Chinese explanation for people")
    last_mutation_id: int | None = Field(
        default=None, description="On a gap: the last mutation id the server has for this client"
    )


class Health(_Body):
    status: str
    epoch: str
    schema_version: int


class EnrolRequest(_Body):
    code: str = Field(min_length=1, max_length=64)
    client_id: str = Field(min_length=1, max_length=64)
    name: str = Field(default="", max_length=200)
    schema_version: int


class EnrolResponse(_Body):
    device_id: str
    secret: str
    centre_code: str
    epoch: str
    band: int | None = Field(default=None, description="Offline ticket-number band 1–4; None if none is free")
    client_id: str | None = Field(
        default=None,
        description="The installation id the device is enrolled under: a fresh one when the id sent "
        "already belongs to another active device (a copied PC); the counter must take it",
    )


class PushMutation(_Body):
    mutation_id: int = Field(ge=1)
    name: str = Field(min_length=1, max_length=100)
    args: dict[str, Any]
    actor_id: str | None = Field(default=None, max_length=64)
    hlc: str = Field(max_length=64)
    at: AwareDatetime
    schema_version: int
    chain: str | None = Field(default=None, max_length=64, description="History hash up to this mutation")


class PushRequest(_Body):
    client_id: str = Field(min_length=1, max_length=64)
    schema_version: int
    client_time: AwareDatetime
    base_chain: str | None = Field(
        default=None, max_length=64, description="History hash up to the mutation before the first one sent"
    )
    mutations: list[PushMutation] = Field(max_length=MAX_BATCH)


class Conflict(_Body):
    mutation_id: int
    name: str
    reason: str


class PushResponse(_Body):
    last_mutation_id: int
    """Everything up to here is acknowledged (applied or refused)."""
    conflicts: list[Conflict]
    """Refusals among the mutations of this batch, also when it was a replay."""
    server_time: datetime
    clock_skew_ms: int


class PullRequest(_Body):
    client_id: str = Field(min_length=1, max_length=64)
    schema_version: int
    epoch: str = Field(default="", max_length=64)
    seq: int = Field(default=0, ge=0)
    limit: int = Field(default=2000, ge=1, le=10000)


class WaitRequest(_Body):
    """Hold the line until the centre's change log passes ``seq`` (or ``timeout_s`` runs out):
    what another counter did reaches this one in about a second, not at the next round."""

    client_id: str = Field(min_length=1, max_length=64)
    schema_version: int
    epoch: str = Field(default="", max_length=64)
    seq: int = Field(default=0, ge=0)
    timeout_s: float = Field(default=20.0, gt=0, le=30)


class WaitResponse(_Body):
    changed: bool
    last_seq: int


class Change(_Body):
    seq: int
    table: str
    key: list[Any]
    row: dict[str, Any] | None
    """The whole row after the change; None means it was deleted."""


class PullResponse(_Body):
    epoch: str
    reset: bool
    """True when the client's cursor belongs to another epoch or is ahead of the server:
    drop the server-owned tables and rebuild them from these changes (which start at 0)."""
    changes: list[Change]
    last_seq: int
    """The server's newest sequence number at the time of the pull."""
    has_more: bool
    last_mutation_id: int
    """The server's last mutation id for this client; lower than what the client has
    acknowledged means the server lost some (restored backup) and they must be re-sent."""
