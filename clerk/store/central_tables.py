"""Tables that exist only on the central store: devices, per-client sync state, the change log.

They live in the same metadata as everything else so one Alembic history serves both
the counter and the server; on a counter they simply stay empty.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from clerk.store.types import UTCDateTime


class ServerState(SQLModel, table=True):
    """One row (id=1): the epoch and the last change-log sequence handed out.

    Locking this row while sequences are assigned makes change-log rows commit in
    sequence order, so a puller never skips a row that commits late.
    """

    __tablename__ = "server_state"
    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    epoch: str
    last_seq: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))


class Device(SQLModel, table=True):
    """An enrolled counter PC. Only a hash of its secret is kept."""

    id: str = Field(primary_key=True)
    client_id: str = Field(index=True)
    centre_code: str = Field(foreign_key="centre.code")
    name: str = ""
    secret_hash: str
    enrolled_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    last_seen_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    clock_skew_ms: int | None = Field(default=None, sa_column=Column(BigInteger))
    """Counter clock minus server clock at its last push (includes network delay)."""
    schema_version: int | None = None
    """The newest schema version this counter has pushed (clerk.central.actors)."""
    band: int | None = None
    """Ticket-number band 1–4 the counter issues in while offline (clerk.queue.numbering);
    unique among the centre's active devices, None when all four are taken."""
    conflict_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    """When a push showed that two PCs share this installation (clerk.central.history);
    its pushes are refused until the supervisor revokes it and each PC enrols anew."""
    conflict_reason: str | None = Field(default=None, sa_column=Column(Text))


class EnrolCode(SQLModel, table=True):
    """A one-time code a supervisor hands to whoever sets up a counter."""

    __tablename__ = "enrol_code"
    code_hash: str = Field(primary_key=True)
    centre_code: str = Field(foreign_key="centre.code")
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    device_id: str | None = None


class ClientState(SQLModel, table=True):
    """Per counter installation: the last mutation id applied. Row-locked during a push."""

    __tablename__ = "client_state"
    client_id: str = Field(primary_key=True)
    last_mutation_id: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))


class PushReceipt(SQLModel, table=True):
    """One applied push batch: which mutation ids of a counter it covered, and when.

    Idempotency needs only ``client_state.last_mutation_id``; the receipts keep the audit of
    what arrived when (a counter's offline periods show as a gap between ``newest_at`` of one
    receipt and ``received_at``) at one row per batch, not one per mutation.
    """

    __tablename__ = "push_receipt"
    client_id: str = Field(primary_key=True)
    first_mutation_id: int = Field(
        sa_column=Column(BigInteger, primary_key=True, autoincrement=False)
    )
    last_mutation_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    oldest_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    """Counter wall time of the batch's first action."""
    newest_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    received_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    refused: int = 0
    """How many of the batch's mutations were refused (see RefusedMutation)."""
    chain: str | None = None
    """The counter's history hash at ``last_mutation_id`` (clerk.central.history)."""


class RefusedMutation(SQLModel, table=True):
    """A mutation the server acknowledged but refused on business grounds: a conflict."""

    __tablename__ = "refused_mutation"
    client_id: str = Field(primary_key=True)
    mutation_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    name: str
    actor_id: str | None = None
    hlc: str
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    refused_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    reason: str = Field(sa_column=Column(Text, nullable=False))


class ChangeLog(SQLModel, table=True):
    """Row snapshots in server order; counters pull them by (epoch, seq)."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_row", "table_name", "row_key"),)
    seq: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    table_name: str
    row_key: str = Field(sa_column=Column(Text, nullable=False))
    """JSON list of the primary-key values."""
    row: str | None = Field(default=None, sa_column=Column(Text))
    """JSON object of the whole row; NULL means the row was deleted."""
    centre_code: str | None = None
    """The centre whose counters pull it; NULL for what every centre shares (the catalogue,
    departments, the calendar). One centre's tickets and cases stay with its counters."""


class Notification(SQLModel, table=True):
    """One message to an applicant, by one channel: the central store's outbox (clerk.notify).

    Written only by the central store while it applies a pushed case mutation; never synced
    down (it holds contact details and is the sender's work list). One row per (case, event,
    channel) at most, so re-applying or redoing a batch cannot queue a second message.
    """

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint("case_id", "event", "channel", name="uq_notification_case_event_channel"),
        Index("ix_notification_due", "state", "next_attempt_at"),
    )
    id: str = Field(primary_key=True)
    """Also the idempotency key the SMS gateway is given."""
    case_id: str = Field(foreign_key="case.id", index=True)
    event: str  # accepted / decided / returned (a later return: returned:2 …)
    channel: str  # email / sms
    recipient: str
    subject: str = ""
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    state: str = "pending"  # pending / sending / sent / failed / uncertain
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    claim: str = ""
    """The token of the send in progress: only its own outcome may settle the row."""
    last_error: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
