"""不予受理通知书 (Art 32, 38): the date applied, the reasons with the Art 32 clause, where
out of competence the office to go to, the approval, and the rights paragraph."""

from __future__ import annotations

from clerk.papers.content import Paper, RefusalBody
from printing.papers.form import Form
from printing.papers.kinds import Layout


def body(f: Form, paper: Paper, b: RefusalBody) -> list:
    story = [
        f.addressee(),
        f.say("你（单位）于{applied}提出的{item}申请，经审查，{reasons}。根据{clause}的规定，本机关决定不予受理。",
              applied=f.date(b.applied_on), item=paper.item_name, reasons=f.clause(b.reasons), clause=b.clause),
    ]
    office = b.competent_office
    if office is not None:
        where = "；".join(p for p in (f"地址：{office.address}" if office.address else "",
                                      f"电话：{office.phone}" if office.phone else "",
                                      f"办公时间：{office.hours}" if office.hours else "") if p)
        story.append(f.say("请向{place}提出申请{where}。", place=office.place,
                           where=f.plain(f"（{where}）" if where else "")))
    story += [f.rights(b.rights, "本通知书"), f.say("批准人：{who}（首席事务代表）", who=b.approved_by)]
    return story


def stub_facts(f: Form, b: RefusalBody) -> list[tuple[str, object]]:
    return [("申请日期", f.date(b.applied_on)), ("决定", "不予受理"), ("批准人", b.approved_by)]


LAYOUT = Layout(body, stub_facts)
