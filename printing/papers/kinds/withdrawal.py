"""视为撤回申请告知书: the supplement deadline passed; the application counts as withdrawn."""

from __future__ import annotations

from clerk.papers.content import Paper, WithdrawalBody
from printing.papers.form import Form
from printing.papers.kinds import Layout


def body(f: Form, paper: Paper, b: WithdrawalBody) -> list:
    return [
        f.addressee(),
        f.say("你（单位）于{received}提出的{item}申请，本中心已以《一次性告知书》（{doc}）一次性告知需要补正的"
              "全部内容，补正期限至{deadline}。",
              received=f.date(paper.received_on), item=paper.item_name, doc=b.supplement_doc_no,
              deadline=f.date(b.supplement_deadline)),
        f.text(b.reason),
        f.say("根据{basis}的规定，你（单位）的申请视为撤回。", basis=b.legal_basis),
        f.fixed("特此告知。"),
    ]


def stub_facts(f: Form, b: WithdrawalBody) -> list[tuple[str, object]]:
    return [("补正通知书", b.supplement_doc_no), ("补正期限", f.date(b.supplement_deadline))]


LAYOUT = Layout(body, stub_facts)
