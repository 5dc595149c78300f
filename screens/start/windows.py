"""Window choice: the clerk picks the window they sit at (records ``seat.take``)."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

from clerk.desk import CentreInfo, Seat, WindowChoice
from clerk.staff.auth import SignedIn
from screens.base import DeskScreen


class WindowTable(DataTable):
    """A row table whose Enter shows in the footer.

    Enter stays the table's own key (not a priority binding on the screen) so that it
    is handled after arrow keys typed before it, however fast they arrive.
    """

    BINDINGS = [Binding("enter", "select_cursor", "就座")]


class WindowScreen(DeskScreen):
    """The configured centre's windows; arrows move, Enter sits down."""

    SUB_TITLE = "选择窗口"

    BINDINGS = [
        Binding("f10", "sign_out", "签退"),
        Binding("escape", "sign_out", "返回签到", show=False),
    ]

    def __init__(self, staff: SignedIn) -> None:
        super().__init__()
        self.staff = staff
        self._windows: list[WindowChoice] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="window-choice"):
            yield Static(
                Content(f"{self.staff.name}，请选择您所在的窗口（↑↓ 选择，回车确认）"),
                id="window-prompt",
            )
            table = WindowTable(id="window-table", cursor_type="row", zebra_stripes=True)
            yield table
            yield Static(Content(""), id="window-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.load()

    @work(thread=True, exit_on_error=False)
    def load(self) -> tuple[CentreInfo | None, list[WindowChoice]]:
        return self.desk.centre(), self.desk.windows()

    def load_done(self, result: tuple[CentreInfo | None, list[WindowChoice]]) -> None:
        centre, self._windows = result
        if centre is not None:
            self.sub_title = f"选择窗口 · {centre.name}"
        table = self.query_one(DataTable)
        # Long window names would push the kind and lines off an 80-column screen;
        # the detail line under the table shows the full name.
        free = max(table.size.width - 2 * 4 - 2 - (5 + 18 + 10), 16)
        for label, width in (("窗口", 5), ("名称", free), ("类型", 18), ("业务类别", 10)):
            table.add_column(label, width=width)
        for w in self._windows:
            letters = " ".join(line.split(" ", 1)[0] for line in w.lines)
            table.add_row(
                Text(f"{w.number}号"), Text(w.name), Text(w.kind_label), Text(letters), key=w.id
            )
        if not self._windows:
            code = self.desk.settings.centre.code
            self.query_one("#window-detail", Static).update(
                Content(
                    f"本机配置的中心“{code}”没有窗口数据。请检查配置文件 [centre] code，或运行 clerk init 载入基础数据。"
                )
            )

    @on(DataTable.RowHighlighted)
    def _show_detail(self, event: DataTable.RowHighlighted) -> None:
        window = self._window_at(event.cursor_row)
        if window is None:
            return
        lines = "、".join(window.lines) or "（未分配业务类别）"
        self.query_one("#window-detail", Static).update(
            Content.assemble(
                (f"{window.number}号 {window.name}", "bold"),
                f"（{window.kind_label}）\n受理业务：{lines}",
            )
        )

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        window = self._window_at(event.cursor_row)
        if window is not None:
            self.sit(window)

    @work(thread=True, exit_on_error=False, exclusive=True)
    def sit(self, window: WindowChoice) -> Seat:
        return self.desk.take_seat(self.staff, window)

    def sit_done(self, seat: Seat) -> None:
        from screens.start.home import HomeScreen

        self.app.switch_screen(HomeScreen(self.staff, seat))

    def action_sign_out(self) -> None:
        self.sign_out()

    @work(thread=True, exit_on_error=False, exclusive=True)
    def sign_out(self) -> None:
        self.desk.sign_out(self.staff)

    def sign_out_done(self, _result: None) -> None:
        from screens.start.sign_in import SignInScreen

        self.app.switch_screen(SignInScreen())

    def _window_at(self, row: int) -> WindowChoice | None:
        return self._windows[row] if 0 <= row < len(self._windows) else None
