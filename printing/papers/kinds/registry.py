"""Which layout prints which kind; every kind of clerk.papers.kinds has one."""

from __future__ import annotations

from printing.papers.kinds import (
    acceptance,
    assignment_slip,
    commitment,
    deferral_notice,
    deferral_pledge,
    denial,
    extension,
    guidance_slip,
    receipt,
    refusal,
    return_supplement,
    special_procedure,
    supervision_slip,
    supplement,
    withdrawal,
)

LAYOUTS = {
    "receipt": receipt.LAYOUT,
    "acceptance": acceptance.LAYOUT,
    "supplement": supplement.LAYOUT,
    "deferral_pledge": deferral_pledge.LAYOUT,
    "deferral_notice": deferral_notice.LAYOUT,
    "commitment": commitment.LAYOUT,
    "withdrawal": withdrawal.LAYOUT,
    "guidance_slip": guidance_slip.LAYOUT,
    "refusal": refusal.LAYOUT,
    "denial": denial.LAYOUT,
    "deferral_denial": denial.LAYOUT,
    "extension": extension.LAYOUT,
    "special_procedure": special_procedure.LAYOUT,
    "return_supplement": return_supplement.LAYOUT,
    "assignment_slip": assignment_slip.LAYOUT,
    "supervision_slip": supervision_slip.LAYOUT,
}
