"""Operational records: what happens at the windows. Ids are client-made UUIDv7 strings.

Tables here are shaped for the whole of PRODUCT.md so that later work fills them;
columns a workflow does not use yet stay at their defaults.
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


class StaffSession(SQLModel, table=True):
    """A staff member signed in at a counter, with the proof they did (clerk.credentials).

    The central store accepts an action in a staff member's name from a counter only while
    that person has an open session there; the signature binds the session to the counter.
    """

    __tablename__ = "staff_session"
    __table_args__ = (Index("ix_staff_session_open", "client_id", "staff_id", "ended_at"),)
    id: str = Field(primary_key=True)
    staff_id: str = Field(foreign_key="staff.id")
    client_id: str
    """The counter installation it was opened at."""
    signed_at: str
    """The time in the signed statement, exactly as signed (ISO 8601)."""
    signature: str
    started_at: datetime = _ts(nullable=False)
    ended_at: datetime | None = _ts()


class SeatSession(SQLModel, table=True):
    """A staff member at a window: from sign-in with a window choice to sign-out."""

    __tablename__ = "seat_session"
    id: str = Field(primary_key=True)
    staff_id: str = Field(foreign_key="staff.id", index=True)
    window_id: str = Field(foreign_key="window.id", index=True)
    started_at: datetime = _ts(nullable=False)
    ended_at: datetime | None = _ts()


class Ticket(SQLModel, table=True):
    __table_args__ = (
        # The calling policy reads the head of each waiting queue; with thousands waiting
        # in a hall, these keep a call from scanning the whole table.
        Index("ix_ticket_waiting", "status", "priority", "issued_at", "seq", "id"),
        Index("ix_ticket_line_window", "status", "line_id", "window_id"),
        # The ledger's waits: the tickets a centre issued in a period (clerk.reports).
        Index("ix_ticket_centre_issued", "centre_code", "issued_at"),
        # The live floor's tickets held at windows: by status, not by every ticket of the centre.
        Index("ix_ticket_status_centre", "status", "centre_code", "window_id"),
    )
    id: str = Field(primary_key=True)
    centre_code: str = Field(foreign_key="centre.code", index=True)
    line_id: str = Field(foreign_key="service_line.id", index=True)
    day: date = Field(index=True)
    seq: int
    number: str  # displayed only, e.g. "A023"; never the identity
    source: str = "kiosk"  # kiosk / appointment / walk_in
    priority: str = "normal"  # normal / green / appointment
    priority_reason: str = ""
    appointment_code: str = ""
    appointment_start: datetime | None = _ts()
    appointment_end: datetime | None = _ts()
    status: str = Field(default="waiting", index=True)
    issued_at: datetime = _ts(nullable=False)
    called_at: datetime | None = _ts()
    window_id: str | None = Field(default=None, foreign_key="window.id")
    called_by: str | None = Field(default=None, foreign_key="staff.id")
    call_reason: str = ""
    fence: int = 0
    recall_count: int = 0
    no_show_count: int = 0
    first_contact_staff_id: str | None = Field(default=None, foreign_key="staff.id")
    overtime_s: int = 0
    """延时服务: seconds of this ticket's service after the centre's closing time."""
    rate_code: str = ""
    """评价码: printed on the slip only, asked at the kiosk with the number (clerk.ledgers.rate_code);
    empty on tickets issued before it existed. Never shown on a screen of the hall or counter."""
    rate_code_misses: int = 0
    """Wrong 评价码 typed at a kiosk for this ticket; at the limit it cannot be rated there."""


class Case(SQLModel, table=True):
    """A 办件: from the first receipt of materials to its end."""

    __table_args__ = (
        Index("ix_case_handler_status", "handler_id", "status"),
        Index("ix_case_applicant", "applicant_id_number"),
        # Open cases by promised date / date owed: the live floor's cases at their limits
        # (clerk.floor.cases), the ledger's cases past their date (clerk.reports.cases_section).
        Index("ix_case_centre_status_due", "centre_code", "status", "due_date", "id"),
        Index("ix_case_centre_status_owed", "centre_code", "status", "owed_due"),
        # The ledger's cases of a period: received, accepted, told to supplement, decided,
        # delivered (clerk.reports.cases_section, results_section).
        Index("ix_case_centre_received", "centre_code", "received_at"),
        Index("ix_case_centre_accepted", "centre_code", "accepted_at"),
        Index("ix_case_centre_notified", "centre_code", "supplement_notified_on"),
        Index("ix_case_centre_decided", "centre_code", "decided_on"),
        Index("ix_case_centre_delivered", "centre_code", "delivered_at"),
    )

    id: str = Field(primary_key=True)
    centre_code: str = Field(foreign_key="centre.code", index=True)
    item_code: str = Field(foreign_key="service_item.code", index=True)
    ticket_id: str | None = Field(default=None, foreign_key="ticket.id")
    applicant_kind: str = "person"  # person / organisation
    applicant_name: str
    applicant_id_number: str = ""  # 居民身份证 or 统一社会信用代码
    applicant_phone: str = ""
    applicant_email: str = ""
    notify_consent: bool = False
    """The applicant agreed at intake to be told by SMS / e-mail (clerk.notify)."""
    agent_name: str = ""
    agent_id_number: str = ""
    status: str = Field(default="received", index=True)
    acceptance_no: str | None = Field(default=None, unique=True)
    received_at: datetime = _ts(nullable=False)
    accepted_at: datetime | None = _ts()
    back_office_centre: str = Field(default="", index=True)
    """Whose back office reviews and decides it, set at acceptance: this centre, or for a
    township case its county centre (Centre.parent_code). Its rows reach both."""
    due_date: date | None = None
    due_provisional: bool = False
    supplement_due: date | None = None
    handler_id: str = Field(foreign_key="staff.id")
    window_id: str | None = Field(default=None, foreign_key="window.id")
    delivery: str = "window"  # window / post / electronic
    tracking_no: str = ""
    public_token: str = Field(default="", index=True)  # opens the status page, no personal data
    # Intake (clerk.cases): where it came from, under which guide, and its clocks.
    ticket_line_id: str | None = Field(default=None, foreign_key="service_line.id")
    ticket_number: str = ""
    channel: str = "window"  # window / post / online / home_visit / cross_region
    guide_version: str = ""
    applicant_legal_rep: str = ""
    applicant_id_warning: str = ""
    """Why the credit code failed its check (accepted with a warning); empty when it passed."""
    agent_id_kind: str = ""
    power_of_attorney: bool = False
    received_on: date | None = None
    supplement_notified_on: date | None = None
    complete_on: date | None = None
    """The day the last material came in: the acceptance date after a 补正."""
    statutory_due: date | None = None
    owed_due: date | None = None
    """When materials owed under 容缺 / 告知承诺 must be in."""
    accepted_via: str = ""  # "" / full / deferral / commitment
    referred_to: str = ""
    closed_reason: str = _text()
    # The back office (clerk.backoffice): 一审一核, the clock's changes, the result and its delivery.
    review_proposal: str = ""  # "" / grant / deny
    review_opinion: str = _text()
    """The reviewer's reasoning; for a proposed 不予许可, the reasons the paper prints."""
    decision_basis: str = _text()
    """The legal basis of a 不予许可 (the reviewer's)."""
    reviewed_by: str | None = Field(default=None, foreign_key="staff.id")
    reviewed_at: datetime | None = _ts()
    decided_by: str | None = Field(default=None, foreign_key="staff.id")
    """Who checked and decided (never the reviewer), or the chief who approved a 即办件."""
    decided_at: datetime | None = _ts()
    decided_on: date | None = None
    result: str = ""  # "" / granted / denied
    extended_by: str | None = Field(default=None, foreign_key="staff.id")
    """The head who approved the one extension (Art 42), with its reason."""
    extension_reason: str = _text()
    suspended_from: str = ""
    """The state a special procedure interrupted, to return to on resuming."""
    suspended_on: date | None = None
    suspend_procedure: str = ""
    suspend_expected_days: int = 0
    suspended_days: int = 0
    """Working days special procedures have taken so far: not counted in the limit."""
    ready_at: datetime | None = _ts()
    delivered_by: str | None = Field(default=None, foreign_key="staff.id")
    delivered_at: datetime | None = _ts()
    delivery_detail: str = _text()
    """The post address and courier, or the electronic address: what was sent where."""
    version: int = 0
    """Raised by every case mutation; a mutation names the version it saw, so a second clerk
    acting on an old view (another counter) is refused instead of overwriting."""


class CaseMaterial(SQLModel, table=True):
    __tablename__ = "case_material"
    case_id: str = Field(foreign_key="case.id", primary_key=True)
    material_id: str = Field(primary_key=True)
    """The guide's ``item_material.id`` when the case was opened. No foreign key: the row is
    a snapshot, and republishing a guide replaces its material rows while cases stay open."""
    received: bool = False
    defect: str = ""
    # The guide's material as it stood when the case was opened (the case keeps its version).
    seq: int = 0
    name: str = ""
    form: str = ""
    copies: int = 1
    required: bool = True
    deferrable: bool = False
    source: str = ""
    standard: str = _text()
    state: str = "pending"  # pending / received / missing / defective / exempt
    received_form: str = ""  # original / copy
    received_copies: int = 0
    exempt_way: str = ""  # data_sharing / e_licence / online
    licence_no: str = ""
    owed: bool = False
    """Still owed under 容缺 / 告知承诺 after acceptance."""
    received_on: date | None = None


class Notice(SQLModel, table=True):
    __table_args__ = (Index("ux_notice_number", "centre_code", "type_code", "year", "series", "seq", unique=True),)
    id: str = Field(primary_key=True)
    case_id: str | None = Field(default=None, foreign_key="case.id", index=True)
    entry_id: str | None = Field(default=None, foreign_key="ledger_entry.id", index=True)
    """A ledger's paper (指路单, 交办单, 督办单) belongs to an entry, not a case."""
    kind: str  # acceptance / one_time / deferral_pledge / commitment / refusal / guidance_slip
    doc_no: str = Field(unique=True)
    created_at: datetime = _ts(nullable=False)
    created_by: str = Field(foreign_key="staff.id")
    body: str = _text()  # JSON of exactly the fields the document prints
    # The document number's parts (clerk.cases.numbers): unique together, so no number repeats.
    centre_code: str | None = Field(default=None, foreign_key="centre.code")
    type_code: str = ""
    year: int = 0
    series: int = 0
    seq: int = 0


class VoidedNumber(SQLModel, table=True):
    """作废登记: the number of a paper printed offline whose action the central store refused.

    The paper exists (the applicant may hold it), so its number is spent: written by the
    central store when it refuses the action (clerk.central.voided), synced to the centre's
    counters, and counted by the numbering (clerk.cases.numbers) so it is never given again.
    """

    __tablename__ = "voided_number"
    __table_args__ = (Index("ix_voided_number", "centre_code", "type_code", "year", "series", "seq"),)
    id: str = Field(primary_key=True)
    """The refused paper's notice id."""
    case_id: str | None = Field(default=None, foreign_key="case.id", index=True)
    kind: str
    doc_no: str
    centre_code: str = Field(foreign_key="centre.code")
    type_code: str
    year: int
    series: int
    seq: int
    reason: str = _text()
    """Why the central store refused the action that printed it."""
    client_id: str
    mutation_id: int
    voided_at: datetime = _ts(nullable=False)


class NoticePrint(SQLModel, table=True):
    """Every print and reprint of a notice."""

    __tablename__ = "notice_print"
    id: str = Field(primary_key=True)
    notice_id: str = Field(foreign_key="notice.id", index=True)
    printed_at: datetime = _ts(nullable=False)
    printed_by: str = Field(foreign_key="staff.id")
    reprint: bool = False


class SignOff(SQLModel, table=True):
    __tablename__ = "sign_off"
    id: str = Field(primary_key=True)
    case_id: str = Field(foreign_key="case.id", index=True)
    kind: str  # refusal / instant_approval / return_supplement / urgent_report (clerk.signoff.rules.KINDS)
    requested_by: str = Field(foreign_key="staff.id")
    requested_at: datetime = _ts(nullable=False)
    reason: str = _text()
    legal_basis: str = _text()
    department_code: str = Field(foreign_key="department.code", index=True)
    decided_by: str | None = Field(default=None, foreign_key="staff.id")
    decision: str | None = None  # approved / sent_back
    comment: str = _text()
    decided_at: datetime | None = _ts()
    signed_at: str = ""
    """The chief's signature over the decision (clerk.signoff.rules.statement), bound to
    ``decided_client``: the central store checks it before it accepts the decision."""
    signature: str = ""
    decided_client: str = ""
    # 先批后报 (003): an urgent case the chief approved first is reported to the department
    # afterwards, by ``report_due``; the report is the chief's own words (clerk.signoff.report).
    report_due: date | None = None
    report: str = _text()
    reported_by: str | None = Field(default=None, foreign_key="staff.id")
    reported_at: datetime | None = _ts()
    # 退回补正 (003 退件、补件): the materials the back office asks for, as JSON
    # [{"material_id", "defect"}], and the working days the applicant gets once approved.
    supplement: str = _text()
    supplement_days: int = 0


class AuditEntry(SQLModel, table=True):
    """Who did something that must be traceable, e.g. viewed a full ID number."""

    __tablename__ = "audit_entry"
    id: str = Field(primary_key=True)
    at: datetime = _ts(nullable=False)
    staff_id: str | None = Field(default=None, foreign_key="staff.id")
    action: str
    subject: str = ""
