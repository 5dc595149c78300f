"""One ledger record: its facts, its handling log, and a key for each step possible now.

Keys the record's state does not allow are hidden (clerk.ledgers.rules.actions_from), and
the central store checks every step again. Each step asks only what it needs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static

from clerk.clock import local_time, local_today
from clerk.errors import UserFacingError
from clerk.ledgers.classes import (
    COMPLAINT_CLASS_LABELS,
    FOLLOW_UP_METHODS,
    KIND_LABELS,
    LEGAL_LABEL,
    SATISFACTION,
    channel_label,
)
from clerk.ledgers.views import EntryDetail
from clerk.staff.auth import SignedIn
from screens.base import DeskScreen
from screens.dialogs.ask import AskText, Choice, Choose

KEYED = {"log", "verify", "resolve", "feed_back", "follow_up", "close", "appeal", "supervise",
         "classify", "assign", "dispute", "rule", "refer_out"}
"""Actions shown only when the record's state allows them."""
PAPERS = {"assign": "assignment_slip", "rule": "assignment_slip", "supervise": "supervision_slip"}
"""Steps that print a paper: a 交办单 to the responsible unit, a 督办单 for an overdue entry."""
PAPER_LABELS = {"assignment_slip": "交办单", "supervision_slip": "督办单"}


class EntryScreen(DeskScreen):
    BINDINGS = [
        Binding("f2", "log", "记录"),
        Binding("f3", "verify", "核实"),
        Binding("f4", "resolve", "结果"),
        Binding("f6", "feed_back", "反馈"),
        Binding("f7", "follow_up", "回访"),
        Binding("f8", "close", "办结"),
        Binding("f9", "appeal", "申诉"),
        Binding("f10", "supervise", "督办"),
        Binding("k", "classify", "分类"),
        Binding("a", "assign", "交办"),
        Binding("d", "dispute", "职责争议"),
        Binding("u", "rule", "裁定"),
        Binding("o", "refer_out", "转交"),
        Binding("escape", "back", "返回"),
    ]

    def __init__(self, staff: SignedIn, entry_id: str) -> None:
        super().__init__()
        self.staff = staff
        self.entry_id = entry_id
        self.detail: EntryDetail | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="entry"):
            yield Static(Content("……"), id="entry-facts")
            yield Static(Content(""), id="entry-steps")
            yield Static(Content(""), id="entry-message")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in KEYED:
            return self.detail is not None and action in self.detail.actions
        return True

    # -- reading -----------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, name="load")
    def reload(self) -> EntryDetail:
        return self.desk.ledgers.entry(self.staff.staff_id, self.entry_id)

    def load_done(self, detail: EntryDetail) -> None:
        self.detail = detail
        line = detail.line
        due = f"{line.due_date:%Y-%m-%d}" + ("（已超期）" if line.overdue else "") if line.due_date else "—"
        facts = [f"{KIND_LABELS[line.kind]} {line.entry_no} · {line.status_label}",
                 f"渠道：{channel_label(detail.channel)}　当事人：{line.person or '—'}　负责人：{line.owner}　期限：{due}",
                 f"事项：{line.matter}", f"描述：{detail.description or '—'}"]
        if detail.result:
            facts.append(f"结果：{detail.result}")
        self.query_one("#entry-facts", Static).update(Content("\n".join(facts)))
        steps = [f"{local_time(s.at):%m-%d %H:%M} {s.staff} {s.action}：{s.note}".rstrip("：") for s in detail.steps]
        self.query_one("#entry-steps", Static).update(Content("办理记录\n" + "\n".join(steps)))
        self.refresh_bindings()

    def load_refused(self, error) -> None:
        self.query_one("#entry-message", Static).update(Content(error.message))

    # -- steps -------------------------------------------------------------------------

    def _step(self, action: str, done: str, **fields) -> None:
        self.run_step(action, done, fields)

    @work(thread=True, exclusive=True, exit_on_error=False, name="step")
    def run_step(self, action: str, done: str, fields: dict) -> str:
        self.desk.ledgers.step(self.staff.staff_id, action, self.entry_id, **fields)
        paper = PAPERS.get(action)
        if paper is None:
            return done
        # The step is stored first: a printer fault leaves it done, with the paper to reprint.
        try:
            notice_id = self.desk.ledgers.issue_paper(self.staff.staff_id, self.entry_id, paper)
            printed = self.desk.notices.print_notice(notice_id, self.staff.staff_id)
        except UserFacingError as exc:
            return f"{done}；{PAPER_LABELS[paper]}未打印：{exc.message}"
        return f"{done}；{printed.message}"

    def step_done(self, message: str) -> None:
        self.query_one("#entry-message", Static).update(Content(message))
        self.reload()

    def step_refused(self, error) -> None:
        self.query_one("#entry-message", Static).update(Content(error.message))

    def _ask(self, title: str, then: Callable[[str], None]) -> None:
        self.app.push_screen(AskText(title, "输入后回车"), lambda text: text and then(text))

    def _choose(self, title: str, options: dict[str, str], then: Callable[[str], None]) -> None:
        choices = [Choice(label, value) for value, label in options.items()]
        self.app.push_screen(Choose(title, choices), lambda value: value and then(value))

    def action_log(self) -> None:
        self._ask("办理记录", lambda note: self._step("log", "已记录", note=note))

    def action_verify(self) -> None:
        self._choose("核实结论", {"valid": "情况属实", "baseless": "情况不实（作解释说明）"},
                     lambda finding: self._ask("核实情况", lambda note: self._step(
                         "verify", "已核实", finding=finding, note=note)))

    def action_resolve(self) -> None:
        if self.detail and self.detail.line.kind == "rectification":
            options = {"rectified": "已整改", "explained": "已解释说明"}
        else:
            options = {"solved": "已解决", "explained": "已解释说明"}
        self._choose("办理结果", options, lambda kind: self._ask("办理结果", lambda text: self._step(
            "resolve", "已记录办理结果", result_kind=kind, result=text)))

    def action_feed_back(self) -> None:
        self._ask("反馈情况（向当事人反馈了什么、如何反馈）", lambda text: self._step("feed_back", "已反馈", feedback=text))

    def action_follow_up(self) -> None:
        today = local_today(self.desk.clock)

        def with_date(text: str) -> None:
            try:
                on = date.fromisoformat(text.strip()).isoformat()
            except ValueError:
                self.query_one("#entry-message", Static).update(Content("回访日期请按 2026-03-09 的格式填写"))
                return
            self._choose("回访方式", FOLLOW_UP_METHODS, lambda method: self._choose(
                "回访满意度", SATISFACTION, lambda sat: self._step(
                    "follow_up", "已记录回访", on=on, method=method, satisfaction=sat)))

        self.app.push_screen(AskText("回访日期", f"如 {today:%Y-%m-%d}",
                                     presets=(today.isoformat(),)), lambda text: text and with_date(text))

    def action_close(self) -> None:
        self._step("close", "已办结")

    def action_appeal(self) -> None:
        self._choose("申诉理由", {"mistaken": "误评", "malicious": "恶意评价"},
                     lambda ground: self._ask("申诉说明", lambda note: self._step(
                         "appeal", "已提交值班长裁定", ground=ground, note=note)))

    def action_supervise(self) -> None:
        self._ask("督办要求", lambda note: self._step("supervise", "已督办", note=note))

    def action_classify(self) -> None:
        options = dict(COMPLAINT_CLASS_LABELS) | {"legal": LEGAL_LABEL + "（转交有权机关）"}
        self._choose("问题分类（决定办理时限）", options, lambda code: self._step(
            "classify", "已分类", class_code="" if code == "legal" else code, legal=code == "legal"))

    def _pick_responsible(self, title: str, then: Callable[[str], None]) -> None:
        self._choose(title, dict(self.desk.ledgers.assignees(self.staff.staff_id)), then)

    def action_assign(self) -> None:
        self._pick_responsible("交办给", lambda person: self._ask("责任单位（填 - 则为其所在部门）", lambda unit: self._step(
            "assign", "已交办", assignee_id=person, unit="" if unit.strip() in ("", "-") else unit)))

    def action_dispute(self) -> None:
        self._ask("职责争议理由", lambda note: self._step("dispute", "已提交值班长裁定", note=note))

    def action_rule(self) -> None:
        self._pick_responsible("裁定由谁负责", lambda person: self._ask("裁定意见", lambda note: self._step(
            "rule", "已裁定", assignee_id=person, note=note)))

    def action_refer_out(self) -> None:
        self._ask("转交哪个有权机关", lambda to: self._step("refer_out", "已转交有权机关", note=to))

    def action_back(self) -> None:
        self.app.pop_screen()
