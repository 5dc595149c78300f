"""申请容缺受理承诺书: the applicant's own pledge — what is owed, in what form, by when,
and the consequence of missing it. Signed by the applicant; two full copies."""

from __future__ import annotations

from clerk.papers.content import DeferralPledgeBody, Paper
from printing.papers.form import Form
from printing.papers.kinds import Layout


def body(f: Form, paper: Paper, b: DeferralPledgeBody) -> list:
    return [
        f.addressee(paper.office.centre_name),
        f.say("本人（本单位）于{received}申请办理{item}事项，下列材料暂缺，现申请容缺受理：",
              received=f.date(paper.received_on), item=paper.item_name),
        f.materials(b.owed, due=True),
        f.gap(2),
        f.text(b.pledge_text),
        f.say("本人（本单位）承诺于{deadline}前补齐上述材料。{consequence}特此承诺。",
              deadline=f.due(b.deadline), consequence=f.plain(b.consequence)),
    ]


LAYOUT = Layout(body)
