"""不予许可决定书 and 不予批准决定书 (after acceptance, or after a 容缺 acceptance whose owed
material did not come): reasons, legal basis, who decided, and the rights paragraph."""

from __future__ import annotations

from clerk.papers.content import DenialBody, Paper
from printing.papers.form import Form
from printing.papers.kinds import Layout

DECISION = {"denial": "不予许可", "deferral_denial": "不予批准"}
ACCEPTED = {"denial": "受理", "deferral_denial": "容缺受理"}


def body(f: Form, paper: Paper, b: DenialBody) -> list:
    return [
        f.addressee(),
        f.say("你（单位）提出的{item}申请，本机关已于{accepted}{how}（受理编号：{number}）。经审查，{reasons}。"
              "根据{basis}的规定，本机关决定{decision}。",
              item=paper.item_name, accepted=f.date(b.accepted_on), how=f.plain(ACCEPTED[b.kind]),
              number=b.acceptance_no, reasons=f.clause(b.reasons), basis=b.legal_basis,
              decision=f.plain(DECISION[b.kind])),
        f.rights(b.rights, "本决定书"),
        f.say("决定人：{who}", who=b.decided_by),
    ]


def stub_facts(f: Form, b: DenialBody) -> list[tuple[str, object]]:
    return [("受理编号", b.acceptance_no), ("决定", DECISION[b.kind]), ("决定人", b.decided_by)]


LAYOUT = Layout(body, stub_facts)
