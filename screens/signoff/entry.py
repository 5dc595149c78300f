"""One request for the chief: the case (applicant masked, item, checklist, the clerk's note),
an opinion and the password typed again; F7 approves, F8 sends back."""

from __future__ import annotations

import time

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Input, Static

from clerk.errors import UserFacingError
from clerk.signoff.service import Decided, Entry
from clerk.staff.auth import SignedIn
from screens.base import DeskScreen
from screens.widgets.inputs import ClerkInput

OPINION_HINT = "审批意见（必填，如“同意不予受理”“可容缺受理”）"
OPINION_HINTS = {"instant_approval": "审批意见（必填，如“材料齐全，同意即办”）",
                 "urgent_report": "审批意见（必填，如“情况紧急，同意先行批准”）",
                 "return_supplement": "审批意见（必填，如“同意退回补正”“材料可容缺，继续审查”）"}


class SignOffEntryScreen(DeskScreen):
    SUB_TITLE = "签批"
    BINDINGS = [Binding("f7", "decide('approved')", "同意"), Binding("f8", "decide('sent_back')", "退回"),
                Binding("escape", "back", "返回")]

    def __init__(self, staff: SignedIn, sign_off_id: str) -> None:
        super().__init__()
        self.staff, self.sign_off_id = staff, sign_off_id
        self.shown_at = 0.0
        """When the request reached the screen (perf_counter): the benchmark reads it."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="signoff-entry"):
            yield Static(Content(""), id="signoff-case")
            yield ClerkInput(placeholder=OPINION_HINT, id="signoff-opinion")
            yield ClerkInput(placeholder="再次输入密码以签名", password=True, id="signoff-password")
            yield Static(Content(""), id="signoff-message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#signoff-opinion").focus()
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, name="load")
    def load(self) -> Entry:
        return self.desk.signoff.entry(self.sign_off_id)

    def load_done(self, e: Entry) -> None:
        rows = "\n".join(f"  {m.name}：{m.state_label}" + (f"（{m.defect}）" if m.defect else "") for m in e.materials)
        office = f"\n有权机关：{e.referred_to}" if e.referred_to else ""
        basis = f"\n法律依据：{e.legal_basis}" if e.legal_basis else ""  # a refusal's; 即办 and 急办 have none
        if e.asked:  # 退回补正: what the applicant would be asked for, and in how long
            basis += "\n需补正：" + "；".join(f"{name}（{defect}）" for name, defect in e.asked)
            basis += f"\n补正期限：同意之日起{e.days}个工作日"
        self.query_one("#signoff-case", Static).update(Content(
            f"{e.line.kind_label} · {e.case_state}\n申请人：{e.line.applicant}（{e.applicant_id}）\n"
            f"事项：{e.line.item_name}（{e.item_code}）\n提请人：{e.line.requested_by}\n"
            f"理由：{e.reason}{basis}{office}\n材料：\n{rows}"))
        self.query_one("#signoff-opinion", ClerkInput).placeholder = OPINION_HINTS.get(e.line.kind, OPINION_HINT)
        self.shown_at = time.perf_counter()

    def pulled(self) -> None:
        """Another chief may have decided it, or the applicant withdrawn, meanwhile."""
        self.load()

    def action_decide(self, decision: str) -> None:
        opinion = self.query_one("#signoff-opinion", Input).value
        password = self.query_one("#signoff-password", Input).value
        self.decide(decision, opinion, password)

    @work(thread=True, exclusive=True, exit_on_error=False, name="decide")
    def decide(self, decision: str, opinion: str, password: str) -> Decided:
        # The papers print at the clerk's counter, where the applicant waits (print_arrived).
        return self.desk.signoff.decide(self.staff.staff_id, password, self.sign_off_id, decision, opinion,
                                        print_papers=False)

    def decide_done(self, done: Decided) -> None:
        self.dismiss(done)

    def decide_refused(self, error: UserFacingError) -> None:
        self.query_one("#signoff-password", Input).value = ""
        self.query_one("#signoff-message", Static).update(Content(error.message))

    def action_back(self) -> None:
        self.dismiss(None)
