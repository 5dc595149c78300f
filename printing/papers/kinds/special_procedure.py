"""特别程序告知书 (Art 45): a hearing, test or expert review whose time is not counted in the
limit, and how long it is expected to take."""

from __future__ import annotations

from clerk.papers.content import Paper, SpecialProcedureBody
from printing.papers.form import Form
from printing.papers.kinds import Layout
from printing.papers.text import days


def body(f: Form, paper: Paper, b: SpecialProcedureBody) -> list:
    return [
        f.addressee(),
        f.say("你（单位）提出的{item}申请（受理编号：{number}），依法需要进行{procedure}。根据{basis}的规定，"
              "{procedure}所需时间不计算在办理期限内。",
              item=paper.item_name, number=b.acceptance_no, procedure=b.procedure, basis=b.legal_basis),
        f.say("{procedure}自{start}开始，预计需要{length}。", procedure=b.procedure,
              start=f.date(b.starts_on), length=days(b.expected_days)),
        f.fixed("特此告知。"),
    ]


def stub_facts(f: Form, b: SpecialProcedureBody) -> list[tuple[str, object]]:
    return [("受理编号", b.acceptance_no), ("特别程序", b.procedure),
            ("开始日期", f.date(b.starts_on)), ("预计时间", days(b.expected_days))]


LAYOUT = Layout(body, stub_facts)
