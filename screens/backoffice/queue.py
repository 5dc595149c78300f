"""The department's back office: the cases waiting for it, past the limit first (red), then
near it (yellow); one key per move of 一审一核, the head's extension, special procedures."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Footer, Static

from clerk.backoffice import limits
from clerk.backoffice.service import BackLine, BackQueue, Moved
from clerk.errors import UserFacingError
from clerk.staff.auth import SignedIn
from screens.backoffice import asks
from screens.base import DeskScreen
from screens.dialogs.in_turn import ask_in_turn

COLUMNS = (("时限", 34), ("状态", 16), ("事项", 38), ("申请人", 6), ("审查", 16))
"""120 columns wide: the item keeps room for a township's “（…受理）” mark."""
REVIEWED_BY_YOU = "一审一核：审查和核准须由不同人员办理，本件由您审查，请交其他人员核准"
LIMIT_STYLE = {limits.NEAR: "black on yellow", limits.OVER: "bold white on red", limits.PAUSED: "cyan"}


class BackOfficeScreen(DeskScreen):
    BINDINGS = [
        Binding("f2", "move('review')", "审查"),
        Binding("f3", "move('check')", "核准"),
        Binding("f4", "move('return_review')", "退回重审"),
        Binding("f6", "move('extend')", "延期"),
        Binding("f7", "move('suspend')", "特别程序"),
        Binding("f8", "move('resume')", "恢复计时"),
        Binding("f9", "move('request_return')", "退回补正"),
        Binding("f5", "reload", "刷新"),
        Binding("escape", "back", "返回"),
        Binding("f10", "sign_out", "签退"),
    ]
    DEFAULT_CSS = """
    BackOfficeScreen #back-counts { height: auto; padding: 0 1; }
    BackOfficeScreen #back-table { height: 1fr; }
    """

    def __init__(self, staff: SignedIn, signed_in_here: bool = False) -> None:
        super().__init__()
        self.staff = staff
        self.signed_in_here = signed_in_here
        """The screen the sign-in opened (back-office staff sit at no window): F10 signs out
        here, Esc has nowhere to go back to."""
        self.shown: BackQueue | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="back-office"):
            yield Static(Content("……"), id="back-counts")
            table = DataTable(id="back-table", cursor_type="row", zebra_stripes=True)
            for label, width in COLUMNS:
                table.add_column(label, width=width)
            yield table
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "move" and parameters == ("extend",):
            return self.staff.role == "head"
        if action in ("back", "sign_out"):
            return (action == "sign_out") == self.signed_in_here
        return super().check_action(action, parameters)

    def action_reload(self) -> None:
        self.load()

    def pulled(self) -> None:
        """A case accepted at a window (or a township) came in, or the chief decided a return."""
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, name="load")
    def load(self) -> BackQueue:
        return self.desk.backoffice.queue(self.staff.staff_id)

    def load_done(self, queue: BackQueue) -> None:
        # The states that have cases: six counts with their zeros took two lines at 120 columns.
        counts = " · ".join(f"{label} {n}" for label, n in queue.counts if n)
        over = sum(ln.limit.state == limits.OVER for ln in queue.lines)
        near = sum(ln.limit.state == limits.NEAR for ln in queue.lines)
        self.query_one("#back-counts", Static).update(Content(
            f"待办 {len(queue.lines)} 件" + (f"（{counts}）" if counts else "") + f"；临近时限 {near} 件，已超期 {over} 件"))
        # The cursor stays on the case it was on: the order changes after a move (a new due
        # date, a new state), and the next key must not act on whichever case slid under it.
        before = self.current()
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        self.shown = queue
        table.add_rows(_cells(ln) for ln in queue.lines)
        ids = [ln.case_id for ln in queue.lines]
        if before is not None and before.case_id in ids:
            row = ids.index(before.case_id)
        if queue.lines:
            table.move_cursor(row=min(row, len(queue.lines) - 1))

    def current(self) -> BackLine | None:
        table = self.query_one(DataTable)
        if self.shown is None or not 0 <= table.cursor_row < len(self.shown.lines):
            return None
        return self.shown.lines[table.cursor_row]

    def action_move(self, action: str) -> None:
        line = self.current()
        if line is None:
            self.notify("没有选中的办件", severity="warning")
            return
        if action == "check" and line.reviewer_id == self.staff.staff_id:
            self.notify(REVIEWED_BY_YOU, title="未能办理", severity="error", timeout=10)
            return

        def answered(answers: dict) -> None:
            try:
                args = asks.arguments(answers)
            except ValueError as exc:
                self.notify(str(exc), severity="warning")
                return
            self.move(action, line, args)

        if action == "request_return":
            materials = [(m.material_id, m.name) for m in self.desk.cases.case(line.case_id).materials]
            ask_in_turn(self.app, asks.request_return(line, materials), answered)
            return
        ask_in_turn(self.app, asks.ASKS[action](line), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, name="move")
    def move(self, action: str, line: BackLine, args: dict) -> Moved:
        return getattr(self.desk.backoffice, action)(self.staff.staff_id, line.case_id, line.version, **args)

    def move_done(self, moved: Moved) -> None:
        papers = "；".join(moved.messages)
        self.notify(f"办件现为“{moved.state_label}”" + (f"。{papers}" if papers else ""), timeout=8)
        self.load()

    def move_refused(self, error: UserFacingError) -> None:
        self.notify(error.message, title="未能办理", severity="error", timeout=10)
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_sign_out(self) -> None:
        self.sign_out()

    @work(thread=True, exit_on_error=False, exclusive=True, name="sign_out")
    def sign_out(self) -> None:
        self.desk.sign_out(self.staff)

    def sign_out_done(self, _result: None) -> None:
        from screens.start.sign_in import SignInScreen

        self.app.switch_screen(SignInScreen())


def _cells(ln: BackLine) -> tuple[Content, ...]:
    review = f"{ln.reviewed_by}：{ln.proposal}" if ln.reviewed_by else ""
    state = ln.state_label + ("·已延期" if ln.extended else "")
    return (Content.styled(ln.limit.label, LIMIT_STYLE.get(ln.limit.state, "")), Content(state),
            Content(ln.item_name), Content(ln.applicant), Content(review))
