"""收件凭证: every material received, with copies or pages and a total (Art 32 ¶4)."""

from __future__ import annotations

from clerk.papers.content import Paper, ReceiptBody
from printing.papers.form import Form, copies
from printing.papers.kinds import Layout


def body(f: Form, paper: Paper, b: ReceiptBody) -> list:
    rows = [[n, line.name, copies(line), line.standard] for n, line in enumerate(b.materials, start=1)]
    return [
        f.addressee(),
        f.say("你（单位）申请办理的{item}事项，本中心于{day}收到下列申请材料：",
              item=paper.item_name, day=f.date(paper.received_on)),
        f.table([("序号", 0), ("材料名称", 3.4), ("形式及份数", 1.8), ("材料要求", 3.4)], rows),
        f.gap(2),
        f.say("以上材料共{n}项，合计{total}份。", n=len(b.materials), total=b.total_copies),
        f.fixed("本凭证仅证明本中心已收到上述材料，不表示申请已被受理。申请材料不齐全或者不符合法定形式的，"
                "本中心将在5个工作日内一次性告知你（单位）需要补正的全部内容；逾期不告知的，"
                "自收到申请材料之日起即为受理。"),
    ]


def stub_facts(f: Form, b: ReceiptBody) -> list[tuple[str, object]]:
    return [("收到材料", f"{len(b.materials)}项，合计{b.total_copies}份")]


LAYOUT = Layout(body, stub_facts)
