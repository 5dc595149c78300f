"""延期办理通知书 (Art 42): why, the approval of the head of the office, the new date."""

from __future__ import annotations

from clerk.papers.content import ExtensionBody, Paper
from printing.papers.form import Form
from printing.papers.kinds import Layout


def body(f: Form, paper: Paper, b: ExtensionBody) -> list:
    return [
        f.addressee(),
        f.say("你（单位）提出的{item}申请（受理编号：{number}），原定于{old}前作出决定。由于{reason}，"
              "在原定期限内不能作出决定。根据{basis}的规定，经{who}于{approved}批准，"
              "办理期限延长至{new}。",
              item=paper.item_name, number=b.acceptance_no, old=f.date(b.old_due), reason=f.clause(b.reason),
              basis=b.legal_basis, who=b.approved_by, approved=f.date(b.approved_on), new=f.due(b.new_due)),
        f.fixed("特此通知。"),
    ]


def stub_facts(f: Form, b: ExtensionBody) -> list[tuple[str, object]]:
    return [("受理编号", b.acceptance_no), ("延长至", f.due(b.new_due)), ("批准人", b.approved_by)]


LAYOUT = Layout(body, stub_facts)
