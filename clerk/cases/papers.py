"""The papers of each outcome, built from the case (clerk.papers.content, NOTICES.md).

Built on the counter before the outcome is applied: the numbers are taken first
(clerk.cases.numbers) and each paper goes into the outcome's arguments whole, so the
central store stores exactly what was printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from clerk.cases import rules
from clerk.identity import mask_id, mask_mobile
from clerk.papers import content as c
from clerk.papers.kinds import kind as paper_kind
from clerk.store.operations import Case, CaseMaterial
from clerk.store.reference import Centre, Department, ServiceItem, Staff, Window

ART32 = "《中华人民共和国行政许可法》第三十二条"
WITHDRAWN_CONSEQUENCE = "逾期未补正的，视为申请人撤回申请；申请人可重新提出申请。"
OWED_CONSEQUENCE = "逾期未补齐或补交材料仍不符合要求的，将依法作出不予批准决定。"
PLEDGE = ("本人（单位）申请容缺受理，承诺在上述期限内补齐所列材料，并对所提交材料的真实性负责；"
          "逾期未补齐或补交材料不符合要求的，自愿承担不予批准的后果。")
COMMIT_PLEDGES = (
    "已经知晓行政机关告知的全部内容；",
    "自身已符合行政机关告知的条件、标准和要求；",
    "所填写的信息和提交的材料真实、准确；",
    "愿意接受行政机关的核查，愿意承担不实承诺的法律责任。",
)


@dataclass(frozen=True)
class Setting:
    """Everything a paper of this case needs besides its body."""

    case: Case
    rows: list[CaseMaterial]
    item: ServiceItem
    centre: Centre
    staff: Staff
    window: Window | None
    today: date
    public_url: str
    department: Department | None = None
    """The item's department: its seal goes on the decision papers (``office``)."""


def office(centre: Centre, department: Department | None = None) -> c.Office:
    """The issuing office; ``department`` for a decision paper: above a township it carries
    the department's 行政审批专用章, a township's decisions its centre's 审核审批专用章."""
    seal = getattr(centre, "seal_line", "") or centre.seal_name or f"{centre.name}（业务专用章）"
    if department is not None and centre.level != "township":
        seal = decision_seal(department)
    return c.Office(centre_name=centre.name, seal_line=seal, address=centre.address, phone=centre.phone,
                    supervision_phone=centre.supervision_phone)


def party(case: Case) -> c.Party:
    org = case.applicant_kind == "organisation"
    return c.Party(
        kind="organisation" if org else "person", name=case.applicant_name,
        id_label="统一社会信用代码" if org else (case.agent_id_kind or "居民身份证"),
        # A credit code is public and printed whole; a person's ID number is masked.
        id_number=case.applicant_id_number if org else mask_id(case.applicant_id_number),
        phone=mask_mobile(case.applicant_phone) if case.applicant_phone else "",
        legal_representative=case.applicant_legal_rep, agent_name=case.agent_name,
        agent_id_number=mask_id(case.agent_id_number) if case.agent_id_number else "",
        power_of_attorney=case.power_of_attorney,
    )


def handler(staff: Staff, window: Window | None) -> c.Handler:
    return c.Handler(name=staff.name, work_phone=staff.phone, window=window.name if window else "")


def line(row: CaseMaterial, due: date | None = None) -> c.MaterialLine:
    defect = {"missing": "missing", "defective": "not_legal_form"}.get(row.state, "")
    return c.MaterialLine(name=row.name, form=row.form, copies=row.copies, standard=row.standard, source=row.source,
                          defect=defect, defect_detail=row.defect, due=due)


def decision_seal(department) -> str:
    return department.seal_name or f"{department.name}行政审批专用章"


def returned(case: Case, rows: list[CaseMaterial], asked: list[dict], reasons: str, today: date, deadline: date,
             approved_by: str) -> c.ReturnSupplementBody:
    """退回补正通知书: the materials asked for, each with what is wrong, the deadline. Built on the
    chief's counter and again on the central store, which refuses a paper saying otherwise."""
    by_id = {r.material_id: r for r in rows}
    lines = tuple(line(by_id[a["material_id"]]).model_copy(update={"defect": "", "defect_detail": a["defect"]})
                  for a in asked)
    return c.ReturnSupplementBody(acceptance_no=case.acceptance_no or "", accepted_on=case.complete_on or today,
                                  materials=lines, reasons=reasons, deadline=deadline, paused_from=today,
                                  approved_by=approved_by)


def paper(s: Setting, doc_no: str, body) -> c.Paper:
    deciding = s.department if paper_kind(body.kind).decision else None
    return c.Paper(
        doc_no=doc_no, issued_on=s.today, office=office(s.centre, deciding), applicant=party(s.case),
        item_name=s.item.name, item_code=s.item.code, received_on=s.case.received_on,
        handler=handler(s.staff, s.window), public_url=s.public_url,
        provisional_dates=bool(s.case.due_provisional), body=body,
    )


def receipt(s: Setting) -> c.ReceiptBody:
    got = [r for r in s.rows if r.state == rules.RECEIVED]
    lines = tuple(c.MaterialLine(name=r.name, form=rules.RECEIVED_FORMS.get(r.received_form, r.form),
                                 copies=r.received_copies) for r in got)
    return c.ReceiptBody(materials=lines, total_copies=sum(r.received_copies for r in got))


def supplement(s: Setting, deadline: date) -> c.SupplementBody:
    return c.SupplementBody(materials=tuple(line(r) for r in rules.to_supply(s.rows)), deadline=deadline,
                            consequence=WITHDRAWN_CONSEQUENCE, legal_basis=f"{ART32}第一款第（四）项")


def acceptance(s: Setting, acceptance_no: str, clocks: rules.Clocks, owed_due: date | None) -> c.AcceptanceBody:
    owed = tuple(line(r, owed_due) for r in rules.to_supply(s.rows)) if owed_due else ()
    return c.AcceptanceBody(
        acceptance_no=acceptance_no, accepted_on=clocks.accepted_on,
        legal_basis=f"{ART32}第一款第（五）项",  # the form writes the sentence around it
        statutory_limit_days=max(s.item.legal_limit_days, s.item.promised_limit_days),
        promised_limit_days=s.item.promised_limit_days, decision_due=clocks.due, fee=s.item.fee or "不收费",
        progress="扫描二维码查看办理进度，或致电本中心咨询" + (f"（{s.centre.phone}）" if s.centre.phone else ""),
        delivery={"window": "凭本通知书和身份证件到窗口领取", "post": "邮寄送达", "electronic": "电子送达"}.get(
            s.case.delivery, s.case.delivery),
        deferred=owed,
    )


def deferral_pledge(s: Setting, deadline: date) -> c.DeferralPledgeBody:
    return c.DeferralPledgeBody(owed=tuple(line(r, deadline) for r in rules.to_supply(s.rows)), deadline=deadline,
                                consequence=OWED_CONSEQUENCE, pledge_text=PLEDGE)


def deferral_notice(s: Setting, acceptance_no: str, deadline: date) -> c.DeferralNoticeBody:
    return c.DeferralNoticeBody(acceptance_no=acceptance_no, owed=tuple(line(r, deadline) for r in rules.to_supply(s.rows)),
                                deadline=deadline, consequence=OWED_CONSEQUENCE)


def commitment(s: Setting, deadline: date | None) -> c.CommitmentBody:
    item = s.item
    return c.CommitmentBody(
        legal_basis=item.basis or "国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见（国办发〔2020〕42号）",
        conditions=item.conditions or f"符合“{item.name}”办事指南所列的条件、标准和要求",
        materials_replaced=tuple(line(r, deadline) for r in rules.to_supply(s.rows)),
        effect="申请人作出承诺并提交本承诺书后，行政机关依据承诺办理，不再索要承诺所替代的材料。",
        liability="申请人作出不实承诺的，行政机关依法撤销已作出的决定，将其失信行为记入信用记录并予以公开，依法追究法律责任。",
        verification="行政机关在作出决定后依法对承诺内容进行核查，可采取数据共享、现场核查等方式。",
        deadline=deadline, pledges=COMMIT_PLEDGES,
    )


def withdrawal(s: Setting, supplement_doc_no: str) -> c.WithdrawalBody:
    assert s.case.supplement_due is not None
    return c.WithdrawalBody(supplement_doc_no=supplement_doc_no, supplement_deadline=s.case.supplement_due,
                            reason="截至补正期限届满，你（单位）未补正全部材料。", legal_basis=f"{ART32}第一款第（四）项")


def deferral_denial(s: Setting, reason: str, rights: c.Rights) -> c.DenialBody:
    accepted = s.case.complete_on or s.today
    return c.DenialBody(kind="deferral_denial", acceptance_no=s.case.acceptance_no or "", accepted_on=accepted,
                        reasons=reason, legal_basis="《中华人民共和国行政许可法》第三十八条第二款", rights=rights,
                        decided_by=s.staff.name)


def guidance_slip(s: Setting, place: str, reason: str, at: datetime) -> c.GuidanceSlipBody:
    return c.GuidanceSlipBody(destination=c.Destination(place=place), reason=reason,
                              bring=tuple(r.name for r in s.rows if r.state == rules.RECEIVED),
                              officer=handler(s.staff, s.window), at=at)


def rights(department, centre: Centre, item: object = None) -> c.Rights:
    """The rights paragraph from reference data (review organ, court), with plain defaults."""
    county = centre.name.removesuffix("政务服务中心").removesuffix("便民服务中心")
    organ = getattr(department, "review_organ", "") or f"{county}人民政府"
    court = getattr(department, "court", "") or getattr(centre, "court", "") or f"{county}人民法院"
    return c.Rights(review_organ=organ, court=court, review_first=bool(getattr(item, "review_first", False)))
