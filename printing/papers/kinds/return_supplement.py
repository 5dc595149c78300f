"""退回补正通知书 after acceptance (退回补正): what the review found, each material to supply
or correct, the deadline, that the time is not counted, and what happens if it passes."""

from __future__ import annotations

from clerk.papers.content import Paper, ReturnSupplementBody
from printing.papers.form import Form
from printing.papers.kinds import Layout


def body(f: Form, paper: Paper, b: ReturnSupplementBody) -> list:
    return [
        f.addressee(),
        f.say("你（单位）提出的{item}申请（受理编号：{number}），本机关已于{accepted}受理。根据{basis}的规定，"
              "经审查，{reasons}，需要补正下列材料：",
              item=paper.item_name, number=b.acceptance_no, accepted=f.date(b.accepted_on), basis=b.legal_basis,
              reasons=f.clause(b.reasons)),
        f.materials(b.materials, defect=True),
        f.gap(2),
        f.say("请于{deadline}前将上述材料补正齐全，送交原受理窗口。自{paused}起至补正齐全之日止的时间，"
              "不计算在办理期限内。{consequence}",
              deadline=f.due(b.deadline), paused=f.date(b.paused_from), consequence=f.plain(b.consequence)),
        f.say("经首席事务代表{who}签批同意。", who=b.approved_by),
        f.fixed("特此通知。"),
    ]


def stub_facts(f: Form, b: ReturnSupplementBody) -> list[tuple[str, object]]:
    return [("受理编号", b.acceptance_no), ("需补正材料", f"{len(b.materials)}项"), ("补正期限", f.due(b.deadline)),
            ("签批人", b.approved_by)]


LAYOUT = Layout(body, stub_facts)
