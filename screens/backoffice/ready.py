"""出件: results waiting to be handed out, oldest first; Enter delivers one (window, post,
electronic, or paper and electronic both) and 办结 closes the case."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Footer, Static

from clerk.backoffice import rules
from clerk.backoffice.service import Moved, ReadyLine
from clerk.errors import UserFacingError
from clerk.mutation import MutationRefused
from clerk.staff.auth import SignedIn
from screens.base import DeskScreen
from screens.dialogs.ask import AskText, Choice, Choose
from screens.dialogs.in_turn import Step, ask_in_turn

COLUMNS = (("受理编号", 28), ("号票", 6), ("事项", 24), ("申请人", 8), ("结果", 8), ("送达方式", 10))
WAYS = (("窗口领取", ("window", False)), ("邮寄送达（免费）", ("post", False)), ("电子送达", ("electronic", False)),
        ("窗口领取，并电子送达", ("window", True)), ("邮寄送达，并电子送达", ("post", True)))


class ReadyScreen(DeskScreen):
    BINDINGS = [Binding("f5", "reload", "刷新"), Binding("escape", "back", "返回")]
    DEFAULT_CSS = """
    ReadyScreen #ready-status { height: auto; padding: 0 1; }
    ReadyScreen #ready-table { height: 1fr; }
    """

    def __init__(self, staff: SignedIn) -> None:
        super().__init__()
        self.staff = staff
        self.lines: list[ReadyLine] = []
        self.delivered: ReadyLine | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="ready"):
            yield Static(Content("……"), id="ready-status")
            table = DataTable(id="ready-table", cursor_type="row", zebra_stripes=True)
            for label, width in COLUMNS:
                table.add_column(label, width=width)
            yield table
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.load()

    def action_reload(self) -> None:
        self.load()

    def pulled(self) -> None:
        """A result decided elsewhere (the back office, the chief, the county) came in."""
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, name="load")
    def load(self) -> list[ReadyLine]:
        return self.desk.backoffice.ready()

    def load_done(self, lines: list[ReadyLine]) -> None:
        table = self.query_one(DataTable)
        # The cursor stays on the result it was on: a refresh must not slide another under Enter.
        before = self.lines[table.cursor_row].case_id if 0 <= table.cursor_row < len(self.lines) else None
        self.lines = lines
        table.clear()
        table.add_rows((ln.acceptance_no, ln.ticket_number, ln.item_name, ln.applicant, ln.result_label,
                        ln.delivery_asked) for ln in lines)
        ids = [ln.case_id for ln in lines]
        if before in ids:
            table.move_cursor(row=ids.index(before), animate=False)
        text = f"待领取 {len(lines)} 件 · 回车送达" if lines else "没有待领取的办理结果"
        self.query_one("#ready-status", Static).update(Content(text))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.lines):
            self.deliver(self.lines[event.cursor_row])

    def deliver(self, line: ReadyLine) -> None:
        what = f"{line.item_name}（{line.applicant}，{line.result_label}）"
        ask_in_turn(self.app, delivery_steps(what), lambda answers: self.hand_out(line, delivery_args(answers)))

    @work(thread=True, exclusive=True, exit_on_error=False, name="deliver")
    def hand_out(self, line: ReadyLine, args: dict) -> Moved:
        moved = self.desk.backoffice.deliver(self.staff.staff_id, line.case_id, line.version, **args)
        self.delivered = line
        return moved

    def deliver_done(self, moved: Moved) -> None:
        self.notify(f"已送达，办件{moved.state_label}。按 Ctrl+R 邀请申请人评价本办件", timeout=8)
        self.load()

    def rateable_case(self):
        """一事一评 (Ctrl+R): the case handed out last at this screen."""
        from screens.ledgers.keys import case_rated

        line = self.delivered
        return case_rated(line.case_id, line.acceptance_no, line.item_name) if line else None

    def deliver_refused(self, error: UserFacingError) -> None:
        self.notify(error.message, title="未能送达", severity="error", timeout=10)
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()


def delivery_steps(what: str) -> list[Step]:
    """How it goes out, and what that way needs (screens.dialogs.in_turn)."""
    return [
        lambda a: ("way", Choose(f"送达：{what}", [Choice(label, value) for label, value in WAYS])),
        lambda a: ("checked", Choose("核对后发放", [Choice("已核对受理通知书和领取人身份证件", True)]))
        if a["way"][0] == "window" else None,
        lambda a: ("address", AskText("邮寄地址", "收件人、电话、详细地址")) if a["way"][0] == "post" else None,
        lambda a: ("courier", Choose("快递公司", [Choice(c, c) for c in rules.COURIERS]))
        if a["way"][0] == "post" else None,
        lambda a: ("tracking_no", AskText(f"{a['courier']}运单号", rules.COURIERS[a["courier"]][1],
                                          check=lambda no: _wrong(rules.require_tracking, a["courier"], no)))
        if a["way"][0] == "post" else None,
        lambda a: ("e_address", AskText("电子送达", "申请人确认的电子邮箱",
                                        check=lambda to: _wrong(rules.require_e_address, to)))
        if a["way"][0] == "electronic" or a["way"][1] else None,
    ]


def _wrong(rule, *values) -> str | None:
    """The rule's refusal, said in the dialog (the handler checks the same again)."""
    try:
        rule(*values)
    except MutationRefused as exc:
        return exc.message
    return None


def delivery_args(answers: dict) -> dict:
    args = {k: v for k, v in answers.items() if k not in ("way", "checked")}
    args["way"] = answers["way"][0]
    if answers.get("checked"):
        args |= {"notice_checked": True, "id_checked": True}
    return args
