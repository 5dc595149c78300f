"""业务受理通知书: acceptance number and date, both limits, the expected decision date, fee,
how to follow progress and how the result is delivered."""

from __future__ import annotations

from clerk.papers.content import AcceptanceBody, Paper
from printing.papers.form import Form
from printing.papers.kinds import Layout
from printing.papers.text import days


def body(f: Form, paper: Paper, b: AcceptanceBody) -> list:
    story = [
        f.addressee(),
        f.say("你（单位）于{received}提出的{item}申请，申请材料齐全、符合法定形式。根据{basis}的规定，"
              "本中心决定予以受理。", received=f.date(paper.received_on), item=paper.item_name, basis=b.legal_basis),
        f.pairs([
            ("受理编号", b.acceptance_no),
            ("受理日期", f.date(b.accepted_on)),
            ("预计办结日期", f.due(b.decision_due)),
            ("法定办理时限", days(b.statutory_limit_days)),
            ("承诺办理时限", days(b.promised_limit_days)),
            ("收费", b.fee),
            ("不计入时限", b.not_counted or "无"),
            ("进度查询", b.progress or "扫描本通知书上的二维码"),
            ("结果送达", b.delivery),
        ]),
    ]
    if b.deferred:
        story += [f.gap(2), f.fixed("下列材料尚需补齐（容缺受理或告知承诺），请在期限内提交："),
                  f.materials(b.deferred, due=True)]
    return story


def stub_facts(f: Form, b: AcceptanceBody) -> list[tuple[str, object]]:
    return [("受理编号", b.acceptance_no), ("受理日期", f.date(b.accepted_on)),
            ("预计办结日期", f.due(b.decision_due))]


LAYOUT = Layout(body, stub_facts)
