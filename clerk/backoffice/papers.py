"""The back office's papers, built from the case (NOTICES.md): 不予许可决定书, 延期办理通知书,
特别程序告知书. Like intake's, they are built on the counter and travel whole in the move's
arguments, so the central store keeps exactly what was printed."""

from __future__ import annotations

from datetime import date

from clerk.backoffice import rules
from clerk.cases import papers
from clerk.papers import content as c
from clerk.store.reference import Department, Staff

DENIAL_BASIS = "《中华人民共和国行政许可法》第三十八条第二款"


def denial(s: papers.Setting, dept: Department | None, checker: Staff) -> c.DenialBody:
    """不予许可: the reviewer's reasons and basis, the rights from the department's data."""
    reasons = s.case.review_opinion.split("\n【核准退回】")[0].strip()
    basis = s.case.decision_basis or DENIAL_BASIS
    return c.DenialBody(kind="denial", acceptance_no=s.case.acceptance_no or "",
                        accepted_on=s.case.complete_on or s.case.received_on or s.today, reasons=reasons,
                        legal_basis=basis, rights=papers.rights(dept, s.centre, s.item), decided_by=checker.name)


def extension(s: papers.Setting, dept: Department | None, head: Staff, reason: str, new_due: date) -> c.ExtensionBody:
    assert s.case.due_date is not None
    unit = dept.name if dept else "本机关"
    return c.ExtensionBody(acceptance_no=s.case.acceptance_no or "", reason=reason.strip(),
                           approved_by=f"{unit}负责人 {head.name}", approved_on=s.today,
                           old_due=s.case.due_date, new_due=new_due)


def special_procedure(s: papers.Setting, procedure: str, expected_days: int) -> c.SpecialProcedureBody:
    return c.SpecialProcedureBody(acceptance_no=s.case.acceptance_no or "", procedure=procedure.strip(),
                                  starts_on=s.today, expected_days=expected_days)


def extended_due(cal, due: date) -> date:
    return cal.add_working_days(due, rules.EXTENSION_DAYS).date
