"""容缺受理通知书: the case is accepted; what is still owed, in what form, by when (never
past the promised limit), and the consequence of missing it."""

from __future__ import annotations

from clerk.papers.content import DeferralNoticeBody, Paper
from printing.papers.form import Form
from printing.papers.kinds import Layout


def body(f: Form, paper: Paper, b: DeferralNoticeBody) -> list:
    return [
        f.addressee(),
        f.say("你（单位）于{received}提出的{item}申请，经你（单位）书面承诺，本中心予以容缺受理，"
              "受理编号为{number}。下列材料尚需补齐：",
              received=f.date(paper.received_on), item=paper.item_name, number=b.acceptance_no),
        f.materials(b.owed, due=True),
        f.gap(2),
        f.say("请于{deadline}前按上述要求补齐材料。{consequence}", deadline=f.due(b.deadline), consequence=f.plain(b.consequence)),
    ]


def stub_facts(f: Form, b: DeferralNoticeBody) -> list[tuple[str, object]]:
    return [("受理编号", b.acceptance_no), ("补齐期限", f.due(b.deadline))]


LAYOUT = Layout(body, stub_facts)
