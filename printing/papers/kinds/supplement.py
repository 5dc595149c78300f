"""一次性告知书（材料补正通知书）: every missing or defective material with its standard,
the deadline and what happens when it passes (Art 32 ¶4)."""

from __future__ import annotations

from clerk.papers.content import Paper, SupplementBody
from printing.papers.form import Form
from printing.papers.kinds import Layout


def body(f: Form, paper: Paper, b: SupplementBody) -> list:
    return [
        f.addressee(),
        f.say("你（单位）于{received}提交的{item}申请材料，经审查，存在材料不齐全或者不符合法定形式的情形。"
              "根据{basis}的规定，现一次性告知你（单位）需要补正的全部内容如下：",
              received=f.date(paper.received_on), item=paper.item_name, basis=b.legal_basis),
        f.materials(b.materials, defect=True),
        f.gap(2),
        f.say("请于{deadline}前补正上述全部材料。{consequence}", deadline=f.due(b.deadline), consequence=f.plain(b.consequence)),
    ]


def stub_facts(f: Form, b: SupplementBody) -> list[tuple[str, object]]:
    return [("需补正材料", f"{len(b.materials)}项"), ("补正期限", f.due(b.deadline))]


LAYOUT = Layout(body, stub_facts)
