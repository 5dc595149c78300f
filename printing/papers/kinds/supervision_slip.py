"""督办单: an entry past its due date, how far past, and what the supervisor requires."""

from __future__ import annotations

from clerk.papers.content import Paper, SupervisionSlipBody
from printing.papers.form import Form
from printing.papers.kinds import Layout
from printing.papers.text import cn_datetime


def body(f: Form, paper: Paper, b: SupervisionSlipBody) -> list:
    return [
        f.addressee(b.unit),
        f.say("下列事项已超过办结时限{over}个工作日，现予督办：", over=b.days_over),
        f.facts([
            ("登记编号", b.entry_no),
            ("登记时间", cn_datetime(b.registered_at)),
            ("涉及事项", b.matter),
            ("承办单位", b.unit),
            ("责任人", b.owner),
            ("原定办结时限", f.date(b.due)),
            ("已超期", f"{b.days_over}个工作日"),
            ("督办人", b.supervisor),
            ("督办要求", b.demand),
        ]),
    ]


def stub_facts(f: Form, b: SupervisionSlipBody) -> list[tuple[str, object]]:
    return [("登记编号", b.entry_no), ("承办单位", b.unit), ("督办人", b.supervisor), ("已超期", f"{b.days_over}个工作日")]


LAYOUT = Layout(body, stub_facts, stub_title="回执", stub_signer="承办单位签收人")
