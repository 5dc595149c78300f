"""The item guide (办事指南) as a clerk reads it out at the window."""

from __future__ import annotations

from rich import box
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Static

from clerk.catalogue import ItemGuide, MaterialLine
from screens.catalogue.results import limit_label
from screens.widgets.sync_bar import SYNC_BINDINGS, SyncBar, SyncedScreen

# Width of the first column of the facts block, in terminal cells.
FACT_CELLS = 38


def yes_no(flag: bool) -> str:
    return "适用" if flag else "不适用"


def facts(guide: ItemGuide) -> Content:
    """The short facts block, two per line so it fits 80 columns without scrolling."""
    pairs = [
        (("事项类型", guide.kind), ("办件类型", guide.case_type)),
        (
            ("法定时限", f"{guide.legal_limit_days}个工作日"),
            ("承诺时限", limit_label(guide.promised_limit_days)),
        ),
        (
            ("告知承诺", yes_no(guide.commitment_allowed)),
            ("容缺受理", yes_no(guide.deferral_allowed)),
        ),
        (("实施部门", guide.department), ("事项编码", guide.code)),
    ]
    parts: list[str | tuple[str, str]] = []
    for (label_a, value_a), (label_b, value_b) in pairs:
        pad = " " * max(FACT_CELLS - cell_len(label_a) - 1 - cell_len(value_a), 2)
        parts += [(f"{label_a}：", "dim"), value_a, pad, (f"{label_b}：", "dim"), value_b, "\n"]
    parts += [("收费：", "dim"), guide.fee]
    if guide.fee_basis:
        parts += [("（依据：", "dim"), guide.fee_basis, ("）", "dim")]
    parts += ["\n", ("指南版本：", "dim"), guide.guide_version]
    if guide.aliases:
        parts += ["  ", ("又称：", "dim"), "、".join(guide.aliases)]
    if guide.commitment_exclusions:
        parts += ["\n", ("不适用告知承诺的情形：", "dim"), "；".join(guide.commitment_exclusions)]
    return Content.assemble(*parts)


EXEMPT_LABELS = {"data_sharing": "数据共享", "e_licence": "电子证照", "online": "网上已提交"}


def requirement(m: MaterialLine) -> Text:
    text = Text("必交" if m.required else "非必交", style="bold" if m.required else "")
    if m.deferrable:
        text.append("\n可容缺", style="italic")
    return text


def materials_table(materials: tuple[MaterialLine, ...]) -> Table:
    """Materials, with source and standard under each name so the name column stays wide.

    Built from Text objects so names from the data are never read as markup.
    """
    # Chinese has no spaces to wrap at: "fold" breaks long text instead of cutting it off.
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False)
    table.add_column("序", width=2, justify="right")
    table.add_column("材料名称 / 来源 / 标准", ratio=1, overflow="fold")
    table.add_column("形式 · 份数", width=16, overflow="fold")
    table.add_column("要求", width=6)
    for m in materials:
        name = Text(m.name, style="bold")
        if m.source:
            name.append(f"\n来源：{m.source}", style="dim")
        if m.standard:
            name.append(f"\n标准：{m.standard}", style="dim")
        if m.exempt_ways:
            ways = "、".join(EXEMPT_LABELS.get(w, w) for w in m.exempt_ways)
            name.append(f"\n可免提交：{ways}", style="dim")
        form = Text(f"{m.form}\n{m.copies}份")
        table.add_row(Text(str(m.seq)), name, form, requirement(m))
    return table


class GuideScreen(SyncedScreen):
    """One item's guide; scroll with ↑↓ / PageUp / PageDown, Escape goes back."""

    SUB_TITLE = "办事指南"

    BINDINGS = [Binding("escape", "back", "返回"), *SYNC_BINDINGS]

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="guide"):
            yield Static(Content("正在读取办事指南……"), id="guide-title")
            yield Static(Content(""), id="guide-facts")
            yield Static(Content(""), id="guide-materials-title", classes="section-title")
            yield Static(Content(""), id="guide-materials")
            yield Static(Content(""), id="guide-conditions")
            yield Static(Content(""), id="guide-basis")
        yield SyncBar()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#guide").focus()
        self.load()

    @work(thread=True, exit_on_error=False)
    def load(self) -> ItemGuide | None:
        return self.desk.guide(self.code)

    def load_done(self, guide: ItemGuide | None) -> None:
        title = self.query_one("#guide-title", Static)
        if guide is None:
            title.update(
                Content(
                    f"事项 {self.code} 不在本机事项目录中（可能已被更新），请按 Esc 返回重新查询。"
                )
            )
            return
        self.sub_title = f"办事指南 · {guide.code}"
        title.update(Content.assemble((guide.name, "bold")))
        self.query_one("#guide-facts", Static).update(facts(guide))
        self.query_one("#guide-materials-title", Static).update(
            Content(f"申请材料（{len(guide.materials)} 项）")
        )
        self.query_one("#guide-materials", Static).update(materials_table(guide.materials))
        self.query_one("#guide-conditions", Static).update(
            Content.assemble(("受理条件：", "bold"), guide.conditions or "（无）")
        )
        self.query_one("#guide-basis", Static).update(
            Content.assemble(("设定依据：", "bold"), guide.basis or "（无）")
        )

    def action_back(self) -> None:
        self.app.pop_screen()
