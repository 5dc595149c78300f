"""The counters enrolled for this centre at the central store (Ctrl+D on the floor).

Read-only: who is enrolled, since when, when each last synced, and whether it still may
(revoked, or stopped because two PCs share one enrolment). Revoking stays ``clerk revoke``.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

from clerk.clock import local_time
from clerk.sync.floor_protocol import DeviceLine
from screens.widgets.sync_bar import SYNC_BINDINGS, SyncBar, SyncedScreen

COLUMNS = (("名称", 14), ("状态", 10), ("登记时间", 16), ("最近同步", 16), ("号段", 4), ("时钟偏差", 8),
           ("设备编号", 36))


def device_state(d: DeviceLine) -> str:
    if d.revoked:
        return "已撤销"
    if d.conflict_reason is not None:
        return "冲突停收"  # two PCs share this enrolment (clerk.central.history)
    return "有效"


def when(at: datetime | None, never: str) -> str:
    return f"{local_time(at):%Y-%m-%d %H:%M}" if at is not None else never


def device_row(d: DeviceLine, own_id: str) -> tuple[Text, ...]:
    name = (d.name or "（未命名）") + ("（本机）" if d.id == own_id else "")
    skew = "" if d.clock_skew_ms is None else f"{d.clock_skew_ms / 1000:+.0f} 秒"
    cells = (name, device_state(d), when(d.enrolled_at, ""), when(d.last_seen_at, "从未同步"),
             "" if d.band is None else str(d.band), skew, d.id)
    return tuple(Text(c) for c in cells)  # Text, not markup: device names are typed by people


class DevicesScreen(SyncedScreen):
    SUB_TITLE = "本中心设备"
    BINDINGS = [Binding("escape", "back", "返回"), *SYNC_BINDINGS]

    def __init__(self, devices: list[DeviceLine], own_id: str) -> None:
        super().__init__()
        self.devices, self.own_id = devices, own_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="devices-table", cursor_type="row", zebra_stripes=True)
        yield Static(Content(self.summary()), id="devices-summary")
        yield SyncBar()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in COLUMNS:
            table.add_column(label, width=width)
        for d in self.devices:
            table.add_row(*device_row(d, self.own_id), key=d.id)
        table.focus()

    def summary(self) -> str:
        active = sum(1 for d in self.devices if device_state(d) == "有效")
        text = f"共 {len(self.devices)} 台，有效 {active} 台。撤销设备请在中心库主机上运行 clerk revoke 设备编号"
        return text if self.devices else "尚无设备登记到本中心（Ctrl+N 发放登记码）"

    def action_back(self) -> None:
        self.app.pop_screen()
