"""One case: who applies, its clocks, the checklist, and the outcomes with their papers.

The checklist has the focus. One key sets the highlighted row's state and moves to the
next row: R 已收原件 · C 已收复印件 · M 缺 · D 有误 (what is wrong, from the material's
standard or typed) · X 免提交 (how: data sharing, an electronic licence and its number, or
submitted online) · G 当场更正. F9 ends the intake in one of the outcomes the case's state
allows (clerk.cases.states); its papers go to the A4 spool. Every change is one CaseDesk
call in a thread worker; a refusal is shown in place and nothing is stored.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Footer, Header, Static

from clerk.cases.desk import CaseView, MaterialView, Outcome
from clerk.cases.rules import EXEMPT_WAYS, STATE_LABELS
from clerk.cases.states import ACTION_LABELS
from clerk.errors import UserFacingError
from clerk.staff.auth import SignedIn
from screens.cases import view as show
from screens.dialogs.ask import AskText, Choice, Choose
from screens.dialogs.in_turn import ask_in_turn
from screens.widgets.sync_bar import SyncBar, SyncedScreen

COLUMNS = (("序", 3), ("材料", 50), ("要求", 12), ("状态", 8), ("说明", 34))
"""120 columns: a long material name and a defect with 待补交 beside it, whole."""
DEADLINE_ACTIONS = ("accept_deferred", "accept_committed")
DENIAL_REASONS = ("申请人未在承诺期限内补齐容缺材料", "补交的材料仍不符合要求")
RETURN_DENIAL_REASONS = ("申请人未在补正期限内补正材料", "补正后的材料仍不符合要求")
OUT_OF_SCOPE = "《中华人民共和国行政许可法》第三十二条第一款第（二）项"
"""Not this office's matter: the refusal names the competent office (Art 32 ¶1 (2))."""


def refusal_steps() -> list:
    """A 不予受理 request: the reasons, the legal basis, and where out of scope the office to go to."""
    return [
        lambda a: ("reason", AskText("不予受理的理由", "如：申请事项依法不属于本机关职权范围", (), "请写明理由")),
        lambda a: ("legal_basis", AskText("法律依据", "如某法第几条第几款", (OUT_OF_SCOPE,), "请写明法律依据")),
        lambda a: ("referred_to", AskText("有权办理的机关", "如：市不动产登记中心", (), "请写明有权办理的机关"))
        if a["legal_basis"] == OUT_OF_SCOPE else None,
    ]


def parse_day(text: str) -> date | None:
    """``2026-12-20``, ``2026/12/20`` or ``20261220``; None when it is none of these."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) != 8:
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


class CaseScreen(SyncedScreen):
    """A case at the counter (see the module docstring for the keys)."""

    SUB_TITLE = "办件"
    BINDINGS = [
        Binding("r", "mark('received', 'original')", "已收原件"),
        Binding("c", "mark('received', 'copy')", "复印件"),
        Binding("m", "mark('missing')", "缺"),
        Binding("d", "defective", "有误"),
        Binding("x", "exempt", "免提交"),
        Binding("g", "correct", "当场更正"),
        Binding("f9", "outcome", "办理结论"),
        Binding("p", "reprint", "补打"),
        Binding("i", "instant", "提请即办签批"),
        Binding("u", "urgent", "急办（先批后报）"),
        Binding("o", "deliver", "送达办结"),
        Binding("escape", "back", "返回"),
    ]
    DEFAULT_CSS = """
    CaseScreen #case-head { height: 2; padding: 0 1; }
    CaseScreen #case-clocks { height: auto; padding: 0 1; color: $text-muted; }
    CaseScreen #checklist { height: 1fr; }
    CaseScreen #case-message { height: auto; padding: 0 1; }
    CaseScreen #case-message.error { color: $error; }
    """

    def __init__(self, staff: SignedIn, case: CaseView) -> None:
        super().__init__()
        self.staff = staff
        self.case = case
        self._lock = threading.Lock()
        self._version = case.version
        """The version the next change carries: the last this screen's own changes left."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="case"):
            yield Static(Content(""), id="case-head")
            yield Static(Content(""), id="case-clocks")
            table = DataTable(id="checklist", cursor_type="row", zebra_stripes=True)
            for label, width in COLUMNS:
                table.add_column(label, width=width)
            yield table
            yield Static(Content(""), id="case-message")
        yield SyncBar()
        yield Footer()

    def on_mount(self) -> None:
        self.show_case(self.case)
        self.query_one(DataTable).focus()
        if self.case.commitment_exclusions and "accept_committed" in self.case.allowed:
            self.say("可选告知承诺；以下情形不适用：" + "；".join(self.case.commitment_exclusions))

    # -- showing -------------------------------------------------------------------

    def show_case(self, case: CaseView) -> None:
        self.case = case
        self.query_one("#case-head", Static).update(show.header(case))
        self.query_one("#case-clocks", Static).update(show.clocks(case))
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        table.add_rows(show.row_cells(m) for m in case.materials)
        if case.materials:
            table.move_cursor(row=min(max(row, 0), len(case.materials) - 1), animate=False)
        self.refresh_bindings()

    def say(self, text: str, error: bool = False) -> None:
        message = self.query_one("#case-message", Static)
        message.update(Content(text))
        message.set_class(error, "error")

    @property
    def row(self):
        table = self.query_one(DataTable)
        if not self.case.materials or not 0 <= table.cursor_row < len(self.case.materials):
            return None
        return self.case.materials[table.cursor_row]

    # -- the one worker every change goes through ------------------------------------

    @work(thread=True, exit_on_error=False)
    def act(self, run: Callable[[int], CaseView | Outcome]) -> CaseView | Outcome:
        """One change, in key order: ``run`` gets the version the previous change of this
        screen left (a clerk's keys come faster than the store answers: the second key must
        not look like someone else's change), and a change from elsewhere is still refused."""
        with self._lock:
            done = run(self._version)
            self._version = (done.case if isinstance(done, Outcome) else done).version
            return done

    def act_done(self, done: CaseView | Outcome) -> None:
        if isinstance(done, Outcome):
            self.show_case(done.case)
            self.say("；".join((f"已{ACTION_LABELS.get(self._action, '')}", *done.messages)))
            return
        self.show_case(done)
        self.say("")

    def act_refused(self, error: UserFacingError) -> None:
        self.say(error.message, error=True)
        self.reload()

    @work(thread=True, exit_on_error=False, exclusive=True, group="reload")
    def reload(self) -> CaseView:
        with self._lock:
            case = self.desk.cases.case(self.case.id)
            self._version = case.version
            return case

    def reload_done(self, case: CaseView) -> None:
        self.show_case(case)

    def pulled(self) -> None:
        """A change from elsewhere came in (the chief's decision on this case, the back
        office's): shown without a key, and said when it moved the case on."""
        self.reload_if_moved()

    @work(thread=True, exit_on_error=False, exclusive=True, group="reload")
    def reload_if_moved(self) -> CaseView | None:
        with self._lock:
            case = self.desk.cases.case(self.case.id)
            if case.version == self._version:
                return None  # this screen's own changes, back from the central store
            self._version = case.version
            return case

    def reload_if_moved_done(self, case: CaseView | None) -> None:
        if case is None:
            return
        before = self.case.state_label
        self.show_case(case)
        if case.state_label != before:
            self.say(f"办件已更新：现为“{case.state_label}”")

    # -- the checklist -------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("mark", "defective", "exempt", "correct"):
            return self.case.state in ("received", "supplement", "deferred", "committed", "returned") and bool(
                self.case.materials)
        if action == "outcome":
            return bool(self.case.allowed)
        if action == "reprint":
            return bool(self.case.notices)
        if action == "instant":
            return self.case.state == "accepted" and self.case.case_type == "即办件"
        if action == "urgent":
            return self.case.state == "accepted" and self.case.case_type != "即办件"
        if action == "deliver":
            return self.case.state == "ready"
        return super().check_action(action, parameters)

    def _mark(self, state: str, **detail) -> None:
        row = self.row
        if row is None:
            return
        self._show_marked(row, state, detail)
        cases, staff, case_id = self.desk.cases, self.staff.staff_id, self.case.id
        # After the frame that shows it: the worker's Python holds the GIL for most of its
        # time, and started at once it held back the very frame the clerk waits for.
        self.call_after_refresh(self.act, lambda v: cases.mark(staff, case_id, v, row.material_id, state, **detail))

    def _show_marked(self, row: MaterialView, state: str, detail: dict) -> None:
        """The row as it will be, and the cursor on the next one, at once: the store's answer
        follows (and redraws the list; a refusal reloads it and says why)."""
        table = self.query_one(DataTable)
        index = table.cursor_row
        shown = replace(row, state=state, state_label=STATE_LABELS.get(state, state),
                        received_form=detail.get("received_form", ""),
                        received_copies=detail.get("copies", row.received_copies), defect=detail.get("defect", ""),
                        exempt_way=detail.get("exempt_way", ""), licence_no=detail.get("licence_no", ""))
        for column, cell in enumerate(show.row_cells(shown)):
            table.update_cell_at(Coordinate(index, column), cell)
        table.move_cursor(row=min(index + 1, len(self.case.materials) - 1), animate=False)

    def action_mark(self, state: str, form: str = "") -> None:
        if state == "received":
            self._mark(state, received_form=form, copies=self.row.copies if self.row else 1)
        else:
            self._mark(state)

    def action_defective(self) -> None:
        row = self.row
        if row is None:
            return
        presets = tuple(p for p in (row.standard,) if p)

        def asked(defect: str | None) -> None:
            if defect:
                self._mark("defective", defect=defect)

        self.app.push_screen(AskText(f"{row.name}：有什么问题", "如：缺少签字", presets, "请写明材料的问题"), asked)

    def action_exempt(self) -> None:
        row = self.row
        if row is None:
            return

        def way_chosen(way: str | None) -> None:
            if way == "e_licence":
                self.app.push_screen(AskText("电子证照号码", "电子证照的编号", (), "请填写电子证照号码"),
                                     lambda no: no and self._mark("exempt", exempt_way=way, licence_no=no))
            elif way:
                self._mark("exempt", exempt_way=way)

        self.app.push_screen(Choose(f"{row.name}：免提交的方式", [Choice(v, k) for k, v in EXEMPT_WAYS.items()]),
                             way_chosen)

    def action_correct(self) -> None:
        row = self.row
        if row is None:
            return
        self._show_marked(row, "received", {"received_form": row.received_form or "original", "copies": row.copies})
        cases, staff, case_id = self.desk.cases, self.staff.staff_id, self.case.id
        self.call_after_refresh(self.act, lambda v: cases.correct(staff, case_id, v, row.material_id, copies=row.copies))

    # -- outcomes ------------------------------------------------------------------

    _action = ""

    def action_outcome(self) -> None:
        choices = [Choice(ACTION_LABELS[a], a) for a in self.case.allowed if a in ACTION_LABELS]
        self.app.push_screen(Choose("办理结论", choices), self._outcome_chosen)

    def _outcome_chosen(self, action: str | None) -> None:
        if action is None:
            return
        if action in DEADLINE_ACTIONS:
            def asked(text: str | None) -> None:
                if text is None:
                    return
                when = parse_day(text)
                if when is None:
                    self.say(f"日期“{text}”无法识别，请按 2026-12-20 的格式填写", error=True)
                    return
                self.decide(action, deadline=when)

            self.app.push_screen(AskText("材料补齐期限", "如 2026-12-20（不得晚于承诺办结期限）"), asked)
        elif action == "refer":
            self.app.push_screen(AskText("有权办理的机关", "如：市不动产登记中心", (), "请写明有权办理的机关"),
                                 lambda to: to and self.decide(action, referred_to=to))
        elif action == "request_refusal":
            ask_in_turn(self.app, refusal_steps(), lambda a: self.decide(action, **a))
        elif action == "deny_deferred":
            reasons = RETURN_DENIAL_REASONS if self.case.state == "returned" else DENIAL_REASONS
            self.app.push_screen(AskText("不予批准的理由", "理由", reasons, "请写明理由"),
                                 lambda why: why and self.decide(action, reason=why))
        else:
            self.decide(action)

    def decide(self, action: str, **args) -> None:
        self._action = action
        cases, staff, case_id = self.desk.cases, self.staff.staff_id, self.case.id
        self.act(lambda v: cases.decide(staff, case_id, v, action, **args))

    # -- after acceptance: 即办件 at this counter -------------------------------------

    def action_instant(self) -> None:
        """即办件: the chief approves while the applicant waits (screens.signoff)."""
        self._action = "request_instant"
        back, cases, staff, case = self.desk.backoffice, self.desk.cases, self.staff.staff_id, self.case

        def run(version: int) -> Outcome:
            back.request_instant(staff, case.id, version)
            return Outcome(cases.case(case.id), (), ("已送首席事务代表签批，请申请人稍候",))

        self.act(run)

    def action_urgent(self) -> None:
        """急需办理: the chief approves first and reports to the department afterwards."""
        def asked(reason: str | None) -> None:
            if not reason:
                return
            self._action = "request_urgent"
            back, cases, staff, case = self.desk.backoffice, self.desk.cases, self.staff.staff_id, self.case

            def run(version: int) -> Outcome:
                back.request_urgent(staff, case.id, version, reason)
                return Outcome(cases.case(case.id), (), ("已送首席事务代表急办签批（先批后报），请申请人稍候",))

            self.act(run)

        self.app.push_screen(AskText("急需办理的理由", "如：申请人须于明日前办妥参加招标", (),
                                     "请写明急需办理的理由"), asked)

    def action_deliver(self) -> None:
        """A 即办件's result handed out at the counter that accepted it."""
        from screens.backoffice.ready import delivery_args, delivery_steps

        def answered(answers: dict) -> None:
            self._action = "deliver"
            back, cases, staff, case = self.desk.backoffice, self.desk.cases, self.staff.staff_id, self.case

            def run(version: int) -> Outcome:
                back.deliver(staff, case.id, version, **delivery_args(answers))
                return Outcome(cases.case(case.id), (), ("按 Ctrl+R 邀请申请人评价本办件（一事一评）",))

            self.act(run)

        ask_in_turn(self.app, delivery_steps(f"{self.case.item_name}（{self.case.result_label}）"), answered)

    def rateable_case(self):
        """一事一评 (Ctrl+R, screens.ledgers.keys): this case once it is accepted."""
        from screens.ledgers.keys import case_rated

        return case_rated(self.case.id, self.case.acceptance_no, self.case.item_name)

    # -- papers --------------------------------------------------------------------

    def action_reprint(self) -> None:
        """A paper of this case again (the applicant lost it, the printer jammed): marked 补打."""
        choices = [Choice(f"{n.title}（{n.doc_no}）", n.id) for n in self.case.notices]
        self.app.push_screen(Choose("补打哪一份文书", choices), lambda notice_id: notice_id and self.reprint(notice_id))

    @work(thread=True, exit_on_error=False, group="print")
    def reprint(self, notice_id: str) -> str:
        return self.desk.cases.print_again(self.staff.staff_id, notice_id)

    def reprint_done(self, message: str) -> None:
        self.say(message)

    def reprint_refused(self, error: UserFacingError) -> None:
        self.say(error.message, error=True)

    def action_back(self) -> None:
        self.dismiss(self.case)
