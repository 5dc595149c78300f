"""What the case screens show, as Content built from CaseDesk's plain views (no markup parsed)."""

from __future__ import annotations

from datetime import date

from textual.content import Content

from clerk.cases.desk import CaseView, MaterialView, OpenCaseLine
from clerk.cases.rules import EXEMPT_WAYS

URGENCY_STYLE = {"near": "black on yellow", "past": "bold white on red", "": ""}
STATE_STYLE = {"received": "green", "missing": "bold red", "defective": "bold yellow", "exempt": "cyan"}


def day(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "—"


def header(case: CaseView) -> Content:
    ticket = f" · 号票 {case.ticket_number}" if case.ticket_number else ""
    return Content.assemble(
        (case.item_name, "bold"), f"（{case.item_code}）  ", (case.state_label, "reverse"), "\n",
        f"申请人 {case.applicant_name}  {case.applicant_id}  {case.applicant_phone}",
        f" · {case.channel}{ticket}",
    )


def clocks(case: CaseView) -> Content:
    parts = [f"收件 {day(case.received_on)}"]
    if case.notify_by:
        parts.append(f"一次性告知期限 {day(case.notify_by)}")
    if case.supplement_due:
        parts.append(f"补正期限 {day(case.supplement_due)}")
    if case.owed_due:
        what = "退回补正期限" if case.state == "returned" else "容缺补齐期限"
        parts.append(f"{what} {day(case.owed_due)}")
    if case.acceptance_no:
        parts.append(f"受理号 {case.acceptance_no}")
    if case.due_date:
        parts.append(f"承诺办结 {day(case.due_date)}（法定 {day(case.statutory_due)}）")
    warnings = [("\n" + w, "bold yellow") for w in case.warnings]
    return Content.assemble(" · ".join(parts), *warnings)


def row_cells(m: MaterialView) -> tuple[Content, ...]:
    need = "必交" if m.required else "选交"
    if m.deferrable:
        need += "·可容缺"
    detail = ""
    if m.state == "received":
        detail = f"{'原件' if m.received_form == 'original' else '复印件'} {m.received_copies}份"
    elif m.state == "defective":
        detail = m.defect
    elif m.state == "exempt":
        detail = EXEMPT_WAYS.get(m.exempt_way, m.exempt_way) + (f" {m.licence_no}" if m.licence_no else "")
    if m.owed:
        detail = (detail + " 待补交").strip()
    return (Content(str(m.seq)), Content(m.name), Content(need),
            Content.styled(m.state_label, STATE_STYLE.get(m.state, "dim")), Content(detail))


def open_line(line: OpenCaseLine) -> tuple[Content, ...]:
    style = URGENCY_STYLE[line.urgency]
    when = f"{line.deadline_label} {day(line.deadline)}" if line.deadline else "—"
    mark = {"near": "（临近）", "past": "（已超期）"}.get(line.urgency, "")
    return (Content(line.item_name), Content(line.applicant), Content(line.state_label),
            Content.styled(when + mark, style))
