"""指路单: where to go (a window of this hall or an outside office, with address and phone),
what to bring, the first-contact officer and window, the time, and the item's guide QR."""

from __future__ import annotations

from reportlab.lib.units import mm

from clerk.papers.content import GuidanceSlipBody, Paper
from printing.papers.flowables import qr_code
from printing.papers.form import WIDTH, Form
from printing.papers.kinds import Layout
from printing.papers.text import cn_datetime

GUIDE_QR = 22 * mm


def body(f: Form, paper: Paper, b: GuidanceSlipBody) -> list:
    place = b.destination
    officer = b.officer
    facts = [("前往地点", place.place)]
    facts += [(label, value) for label, value in (("地址", place.address), ("电话", place.phone),
                                                  ("办公时间", place.hours)) if value]
    facts.append(("需携带材料", "；".join(b.bring) if b.bring else "无"))
    facts.append(("首问负责人", "　".join(p for p in (officer.name, officer.window, officer.work_phone) if p)))
    facts.append(("开具时间", cn_datetime(b.at)))
    story = [
        f.addressee(),
        f.say("您咨询的{item}事项，{reason}请按以下指引前往办理：",
              item=paper.item_name or "有关", reason=f.plain(_sentence(b.reason))),
        f.facts(facts),
    ]
    if b.guide_url:
        guide = f.columns([[qr_code(b.guide_url, GUIDE_QR)],
                           [f.cell("扫描左侧二维码，查看该事项的办事指南（申请条件、材料清单、办理流程）。")]],
                          [GUIDE_QR + 6 * mm, WIDTH - GUIDE_QR - 6 * mm], valign="middle")
        story += [f.gap(2), guide]
    return story


def _sentence(text: str) -> str:
    """The reason as a clause that ends the way the next words need (，)."""
    text = text.rstrip("。，；. ")
    return f"{text}，" if text else ""


LAYOUT = Layout(body)
