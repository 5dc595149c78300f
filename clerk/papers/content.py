"""What each paper carries, field by field (NOTICES.md), as JSON-ready models.

``Paper`` holds the fields common to every paper and one ``body`` whose type names the
kind. Values are stored as they are to be printed: an ID number is already masked unless
the form needs it whole, dates are dates, limits are working days. The renderer decides
nothing about content; it only lays it out.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Office(_Model):
    """The issuing centre (or township centre, or village station)."""

    centre_name: str
    seal_line: str
    """What the seal is stamped over, by level (NOTICES.md «Which seal»)."""
    address: str = ""
    phone: str = ""
    supervision_phone: str = ""
    """监督 / 投诉电话."""


class Party(_Model):
    """The applicant, as the paper prints them."""

    kind: Literal["person", "organisation"]
    name: str
    id_label: str
    """居民身份证 / 统一社会信用代码 / another document's name."""
    id_number: str
    """Masked unless the form needs it whole."""
    phone: str = ""
    """Masked like the ID number where the form does not need it whole."""
    legal_representative: str = ""
    agent_name: str = ""
    agent_id_number: str = ""
    power_of_attorney: bool = False
    """An agent acts under a 委托书."""


class Handler(_Model):
    name: str
    work_phone: str = ""
    window: str = ""
    """e.g. ``3号窗口``."""


class MaterialLine(_Model):
    """One material of the checklist as a paper lists it."""

    name: str
    form: str = ""
    """原件 / 复印件 / 原件和复印件 / 电子证照."""
    copies: int = 1
    pages: int | None = None
    standard: str = ""
    """What makes it acceptable (the guide's 材料标准)."""
    source: str = ""
    """Where it comes from (申请人自备, 政府部门核发 …)."""
    defect: Literal["", "missing", "not_legal_form"] = ""
    defect_detail: str = ""
    """What is wrong, in words."""
    due: date | None = None
    """When it is owed (容缺 / 告知承诺)."""


class Rights(_Model):
    """The rights paragraph of a refusal (行政复议法 Art 20, 行政诉讼法 Art 46)."""

    review_organ: str
    review_days: int = 60
    court: str
    suit_months: int = 6
    review_first: bool = False
    """复议前置: the applicant must apply for review before going to court."""


class Destination(_Model):
    """Where a referral sends the visitor."""

    place: str
    """A window, floor or department of this hall, or an outside office."""
    address: str = ""
    phone: str = ""
    hours: str = ""


# -- bodies, one per kind (the ``kind`` field tells them apart) -------------------------


class ReceiptBody(_Model):
    kind: Literal["receipt"] = "receipt"
    materials: tuple[MaterialLine, ...]
    total_copies: int


class AcceptanceBody(_Model):
    kind: Literal["acceptance"] = "acceptance"
    acceptance_no: str
    accepted_on: date
    """After a 补正: the day the last material came in."""
    legal_basis: str
    statutory_limit_days: int
    promised_limit_days: int
    decision_due: date
    not_counted: str = ""
    """Time not counted in the limit (special procedures), in words; empty if none."""
    fee: str = "不收费"
    progress: str = ""
    """How to follow progress (the public page, a phone number)."""
    delivery: str = ""
    """How the result is delivered (window with this notice and ID / post to … / electronic)."""
    deferred: tuple[MaterialLine, ...] = ()
    """Materials still owed under 容缺 or 告知承诺, each with its due date."""


class SupplementBody(_Model):
    kind: Literal["supplement"] = "supplement"
    materials: tuple[MaterialLine, ...]
    """Every missing or defective material, with its defect and standard."""
    deadline: date
    consequence: str
    """What happens when the deadline passes (the application counts as withdrawn)."""
    legal_basis: str


class DeferralPledgeBody(_Model):
    kind: Literal["deferral_pledge"] = "deferral_pledge"
    owed: tuple[MaterialLine, ...]
    deadline: date
    consequence: str
    pledge_text: str
    """What the applicant promises, in the first person."""


class DeferralNoticeBody(_Model):
    kind: Literal["deferral_notice"] = "deferral_notice"
    acceptance_no: str
    owed: tuple[MaterialLine, ...]
    deadline: date
    """Never past the promised limit."""
    consequence: str


class CommitmentBody(_Model):
    kind: Literal["commitment"] = "commitment"
    # 【告知】 the office tells
    legal_basis: str
    conditions: str
    """What is certified: the conditions the applicant commits to meet."""
    materials_replaced: tuple[MaterialLine, ...]
    """Materials the commitment stands in for."""
    effect: str
    liability: str
    """Liability for a false commitment."""
    verification: str
    """The office's right and way to check afterwards."""
    deadline: date | None = None
    """When what is still owed must be supplied, if anything."""
    # 【承诺】 the applicant commits
    pledges: tuple[str, ...]


class WithdrawalBody(_Model):
    kind: Literal["withdrawal"] = "withdrawal"
    supplement_doc_no: str
    supplement_deadline: date
    reason: str
    legal_basis: str


class GuidanceSlipBody(_Model):
    kind: Literal["guidance_slip"] = "guidance_slip"
    destination: Destination
    reason: str
    bring: tuple[str, ...] = ()
    """What to bring."""
    officer: Handler
    """The first-contact officer (who keeps the record) and their window."""
    at: datetime
    guide_url: str = ""
    """The item's guide, for its QR code (empty: no item)."""


class RefusalBody(_Model):
    kind: Literal["refusal"] = "refusal"
    applied_on: date
    reasons: str
    clause: str
    """The Art 32 clause applied, e.g. 《中华人民共和国行政许可法》第三十二条第一款第（二）项."""
    competent_office: Destination | None = None
    """Where out of competence: the office to go to."""
    rights: Rights
    approved_by: str
    """The chief representative who approved the refusal."""


class DenialBody(_Model):
    kind: Literal["denial", "deferral_denial"]
    acceptance_no: str
    accepted_on: date
    reasons: str
    legal_basis: str
    rights: Rights
    decided_by: str


class ExtensionBody(_Model):
    kind: Literal["extension"] = "extension"
    acceptance_no: str
    reason: str
    approved_by: str
    """The head of the office who approved it."""
    approved_on: date
    old_due: date
    new_due: date
    legal_basis: str = "《中华人民共和国行政许可法》第四十二条"


class SpecialProcedureBody(_Model):
    kind: Literal["special_procedure"] = "special_procedure"
    acceptance_no: str
    procedure: str
    """听证 / 检验 / 检测 / 检疫 / 鉴定 / 专家评审 …"""
    starts_on: date
    expected_days: int
    """How long it is expected to take (working days), not counted in the limit."""
    legal_basis: str = "《中华人民共和国行政许可法》第四十五条"


class ReturnSupplementBody(_Model):
    """退回补正通知书 after acceptance (退回补正): what to supply, by when, and that the time
    it takes is not counted in the limit."""

    kind: Literal["return_supplement"] = "return_supplement"
    acceptance_no: str
    accepted_on: date
    materials: tuple[MaterialLine, ...]
    """Each material to supply or correct, with what is wrong (``defect_detail``)."""
    reasons: str
    """What the review found."""
    deadline: date
    paused_from: date
    """The limit stands still from this day until the materials come in."""
    consequence: str = "逾期未补正或者补正后仍不符合要求的，将依法作出不予批准的决定。"
    approved_by: str
    """The chief representative who decided the case goes back (003)."""
    legal_basis: str = "《中华人民共和国行政许可法》第三十四条"


class AssignmentSlipBody(_Model):
    kind: Literal["assignment_slip"] = "assignment_slip"
    entry_no: str
    registered_at: datetime
    channel: str
    person: str
    contact: str
    """Masked."""
    matter: str
    description: str
    category: str
    unit: str
    owner: str
    due: date


class SupervisionSlipBody(_Model):
    kind: Literal["supervision_slip"] = "supervision_slip"
    entry_no: str
    registered_at: datetime
    matter: str
    unit: str
    owner: str
    due: date
    days_over: int
    """Working days past the due date (limits count working days)."""
    supervisor: str
    demand: str
    """What the supervisor requires, and by when."""


Body = Annotated[
    ReceiptBody | AcceptanceBody | SupplementBody | DeferralPledgeBody | DeferralNoticeBody
    | CommitmentBody | WithdrawalBody | GuidanceSlipBody | RefusalBody | DenialBody
    | ExtensionBody | SpecialProcedureBody | ReturnSupplementBody | AssignmentSlipBody | SupervisionSlipBody,
    Field(discriminator="kind"),
]


class Paper(_Model):
    """One paper, complete: what ``notice.body`` stores and what the renderer draws."""

    doc_no: str
    """From clerk/ (never made by the renderer): unique per type and year."""
    issued_on: date
    office: Office
    applicant: Party | None = None
    """None for papers about no applicant (a ledger's 督办单)."""
    item_name: str = ""
    item_code: str = ""
    received_on: date | None = None
    handler: Handler | None = None
    public_url: str = ""
    """The case's public page, for the QR code (empty: no QR)."""
    provisional_dates: bool = False
    """A date on it was computed with the weekends-only calendar (marked 暂定)."""
    body: Body

    @property
    def kind(self) -> str:
        return self.body.kind
