"""告知承诺书 (国办发〔2020〕42号): 【告知】 what the office tells — item, legal basis, what is
certified, the effect of the commitment, the liability for a false one, the office's right
and way to check — and 【承诺】 what the applicant commits to. Both sign; two full copies."""

from __future__ import annotations

from clerk.papers.content import CommitmentBody, Paper
from printing.papers.form import Form
from printing.papers.kinds import Layout


def body(f: Form, paper: Paper, b: CommitmentBody) -> list:
    story = [
        f.heading("【告知】"),
        f.say("一、事项名称：{item}", item=paper.item_name),
        f.say("二、设定依据：{basis}", basis=b.legal_basis),
        f.say("三、许可条件（承诺的内容）：{conditions}", conditions=b.conditions),
    ]
    if b.materials_replaced:
        story += [f.fixed("四、以承诺替代的材料："), f.materials(b.materials_replaced), f.gap(1)]
    else:
        story.append(f.fixed("四、以承诺替代的材料：无。"))
    story += [
        f.say("五、承诺的效力：{effect}", effect=b.effect),
        f.say("六、虚假承诺的法律责任：{liability}", liability=b.liability),
        f.say("七、事后核查：{verification}", verification=b.verification),
    ]
    if b.deadline is not None:
        story.append(f.say("八、尚需提交的材料，应于{deadline}前提交。", deadline=f.due(b.deadline)))
    story += [f.gap(2), f.heading("【承诺】"), f.fixed("申请人郑重承诺：")]
    story += [f.text(f"{n}. {pledge}") for n, pledge in enumerate(b.pledges, start=1)]
    story.append(f.fixed("申请人已知晓上述告知内容，自愿选择告知承诺方式办理。"))
    return story


LAYOUT = Layout(body)
