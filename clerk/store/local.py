"""Tables that exist only on a counter: the outbox, sync cursor and local security state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from clerk.store.types import UTCDateTime


class LocalMeta(SQLModel, table=True):
    """Small key/value facts about this installation (client id, clock, cursors)."""

    __tablename__ = "local_meta"
    key: str = Field(primary_key=True)
    value: str


class Outbox(SQLModel, table=True):
    """One row per applied mutation, in the order they were applied, until acknowledged."""

    mutation_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    client_id: str
    name: str
    args: str = Field(sa_column=Column(Text, nullable=False))
    actor_id: str | None = None
    hlc: str
    schema_version: int
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    """Wall time of the action on this counter (the handler's ``ctx.at``)."""
    acked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, index=True))
    chain: str | None = None
    """Hash of this action and the chain before it (clerk.outbox.chain_of): the installation's
    history, which a copied PC cannot continue without the central store noticing."""


class SyncConflict(SQLModel, table=True):
    """A mutation the central store refused on business grounds, for the clerk to look at."""

    __tablename__ = "sync_conflict"
    id: str = Field(primary_key=True)
    mutation_id: int
    name: str
    reason: str = Field(sa_column=Column(Text, nullable=False))
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    seen: bool = False


class SignInGuard(SQLModel, table=True):
    """Failed sign-ins per user name on this counter, for the lockout."""

    __tablename__ = "sign_in_guard"
    username: str = Field(primary_key=True)
    failures: int = 0
    locked_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    locked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    """When the lock began: a supervisor's unlock made after it lifts it (clerk.staff.auth)."""
