"""Every kind of paper: its title, its document-type code and how it is laid out.

The type code goes into the document number (NOTICES.md: office code + type code +
〔year〕 + sequence + 号), so it tells the papers apart and must never change once a
centre has printed with it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PaperKind:
    code: str
    """Stable identifier, stored in ``notice.kind``."""
    title: str
    type_code: str
    """The document-number type code (受 acceptance, 补 补正 …)."""
    stub: bool
    """Two copies with a cut line: 一份交申请人，一份存档."""
    applicant_signs: bool
    """The applicant signs (and dates) it at the counter."""
    duplicate: bool = False
    """Both copies are printed whole and both are signed (the applicant's own pledge,
    本承诺书一式两份): two copies instead of a notice with a stub."""
    decision: bool = False
    """The department's decision (not the window's voucher): at county and city level it
    carries the department's 行政审批专用章 (NOTICES.md, Which seal)."""


KINDS: dict[str, PaperKind] = {
    k.code: k
    for k in (
        # Intake (PRODUCT.md §3)
        PaperKind("receipt", "收件凭证", "收", stub=True, applicant_signs=True),
        PaperKind("acceptance", "业务受理通知书", "受", stub=True, applicant_signs=True),
        PaperKind("supplement", "一次性告知书（材料补正通知书）", "补", stub=True, applicant_signs=True),
        PaperKind(
            "deferral_pledge", "申请容缺受理承诺书", "容诺", stub=True, applicant_signs=True, duplicate=True
        ),
        PaperKind("deferral_notice", "容缺受理通知书", "容", stub=True, applicant_signs=True),
        PaperKind("commitment", "告知承诺书", "诺", stub=True, applicant_signs=True, duplicate=True),
        PaperKind("withdrawal", "视为撤回申请告知书", "撤", stub=True, applicant_signs=False),
        PaperKind("guidance_slip", "指路单", "指", stub=False, applicant_signs=False),
        # Decisions (PRODUCT.md §4)
        PaperKind("refusal", "不予受理通知书", "不受", stub=True, applicant_signs=True, decision=True),
        PaperKind("denial", "不予许可决定书", "不许", stub=True, applicant_signs=True, decision=True),
        PaperKind("deferral_denial", "不予批准决定书", "不批", stub=True, applicant_signs=True, decision=True),
        PaperKind("extension", "延期办理通知书", "延", stub=True, applicant_signs=False, decision=True),
        PaperKind("special_procedure", "特别程序告知书", "特", stub=True, applicant_signs=False, decision=True),
        PaperKind("return_supplement", "退回补正通知书", "退补", stub=True, applicant_signs=True, decision=True),
        # Ledgers (PRODUCT.md §5)
        PaperKind("assignment_slip", "“办不成事”问题交办单", "交", stub=True, applicant_signs=False),
        PaperKind("supervision_slip", "督办单", "督", stub=True, applicant_signs=False),
    )
}


def kind(code: str) -> PaperKind:
    try:
        return KINDS[code]
    except KeyError:
        raise ValueError(f"unknown paper kind {code!r}") from None
