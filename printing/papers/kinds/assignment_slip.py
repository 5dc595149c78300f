"""“办不成事”问题交办单: a ledger entry handed to the unit that must solve it, by a date;
the unit signs the 回执 under the cut line."""

from __future__ import annotations

from clerk.papers.content import AssignmentSlipBody, Paper
from printing.papers.form import Form
from printing.papers.kinds import Layout
from printing.papers.text import cn_datetime


def body(f: Form, paper: Paper, b: AssignmentSlipBody) -> list:
    return [
        f.addressee(b.unit),
        f.fixed("现将群众反映的“办不成事”问题交你单位办理，具体如下："),
        f.facts([
            ("登记编号", b.entry_no),
            ("登记时间", cn_datetime(b.registered_at)),
            ("反映渠道", b.channel),
            ("反映人", b.person),
            ("联系方式", b.contact),
            ("涉及事项", b.matter),
            ("问题描述", b.description),
            ("问题类别", b.category),
            ("承办单位", b.unit),
            ("责任人", b.owner),
            ("办结时限", f.due(b.due)),
        ]),
        f.gap(2),
        f.say("请于{due}前办理完毕，并将办理结果书面反馈本中心。", due=f.due(b.due)),
    ]


def stub_facts(f: Form, b: AssignmentSlipBody) -> list[tuple[str, object]]:
    return [("登记编号", b.entry_no), ("承办单位", b.unit), ("责任人", b.owner), ("办结时限", f.due(b.due))]


LAYOUT = Layout(body, stub_facts, stub_title="回执", stub_signer="承办单位签收人")
