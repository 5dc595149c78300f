"""The applicant of a new case: a person, an organisation, or an agent for either.

F2 switches person / organisation; the applicant may agree to be told of acceptance and
the decision by SMS / e-mail (clerk.notify), which needs a mobile number or an e-mail
address. The agent's fields are filled only when an agent
applies. Typing a full ID number or credit code looks up the applicant's open cases, so a
returning applicant is seen at once. F8 opens the case and shows its checklist; the handler
checks the applicant (a wrong check digit is refused in Chinese, the form stays as typed,
and nothing is stored).
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Checkbox, Footer, Header, Input, Static

from clerk.cases.desk import CaseView
from clerk.errors import UserFacingError
from clerk.identity import check_credit_code, check_id_card
from screens.cases.keys import Intake
from screens.cases.view import open_line
from screens.widgets.inputs import ClerkInput
from screens.widgets.sync_bar import SyncedScreen

KINDS = {"person": "个人", "organisation": "法人或其他组织"}


class ApplicantForm(SyncedScreen):
    """Opens the case of ``intake`` for item ``code`` and replaces itself with its checklist."""

    SUB_TITLE = "收件：申请人"
    BINDINGS = [
        Binding("f2", "switch_kind", "个人/单位"),
        Binding("f8", "take", "确认申请人"),
        Binding("escape", "back", "返回"),
    ]
    DEFAULT_CSS = """
    ApplicantForm #applicant { padding: 0 1; height: 1fr; }
    ApplicantForm .field-label { color: $text-muted; height: 1; }
    ApplicantForm #returning { height: auto; color: $warning; }
    ApplicantForm #applicant-message { height: auto; padding: 0 1; }
    ApplicantForm #applicant-message.error { color: $error; }
    """

    def __init__(self, intake: Intake, code: str, item_name: str) -> None:
        super().__init__()
        self.kind = "person"
        self.intake = intake
        self.code = code
        self.item_name = item_name

    def compose(self) -> ComposeResult:
        yield Header()
        # The fields scroll; the message stays above the footer. At 120x36 the form is taller
        # than the screen, and a refusal (a missing name, a bad check digit) printed below the
        # last field was never seen: F8 seemed to do nothing.
        with VerticalScroll(id="applicant"):
            ticket = f" · 号票 {self.intake.ticket_number}" if self.intake.ticket_number else ""
            yield Static(Content.assemble("事项：", (self.item_name, "bold"), ticket), id="applicant-item")
            yield Static(Content(""), id="applicant-kind")
            yield Static(Content(""), id="label-name", classes="field-label")
            yield ClerkInput(id="name", max_length=60)
            yield Static(Content(""), id="label-id", classes="field-label")
            yield ClerkInput(id="id_number", max_length=20)
            yield Static(Content(""), id="returning")
            yield Static(Content("联系电话"), classes="field-label")
            yield ClerkInput(id="phone", max_length=20)
            yield Static(Content("电子邮箱（选填）"), classes="field-label")
            yield ClerkInput(id="email", max_length=254)
            yield Checkbox("同意接收受理和办理结果的短信/邮件通知", id="notify_consent")
            yield Static(Content("法定代表人（单位申请时填写）"), classes="field-label")
            yield ClerkInput(id="legal_representative", max_length=60)
            yield Static(Content("代理人姓名（代办时填写）"), classes="field-label")
            yield ClerkInput(id="agent_name", max_length=60)
            yield Static(Content("代理人身份证号码"), classes="field-label")
            yield ClerkInput(id="agent_id_number", max_length=20)
            yield Checkbox("已提交授权委托书", id="power_of_attorney")
        yield Static(Content("F2 个人/单位 · F8 确认 · Esc 返回"), id="applicant-message")
        yield Footer()

    def on_mount(self) -> None:
        self._show_kind()
        self.query_one("#name", Input).focus()

    def _show_kind(self) -> None:
        person = self.kind == "person"
        self.query_one("#applicant-kind", Static).update(
            Content.assemble("申请人类型：", (KINDS[self.kind], "bold"), "（F2 切换）"))
        self.query_one("#label-name", Static).update(Content("申请人姓名" if person else "单位名称"))
        self.query_one("#label-id", Static).update(Content("居民身份证号码" if person else "统一社会信用代码"))

    def action_switch_kind(self) -> None:
        self.kind = "organisation" if self.kind == "person" else "person"
        self._show_kind()

    @on(Input.Changed, "#id_number")
    def _id_typed(self, event: Input.Changed) -> None:
        value = event.value.strip().upper()
        hint = ""
        if len(value) == 18:
            check = check_id_card(value) if self.kind == "person" else check_credit_code(value)
            hint = "" if check.valid else check.message
            self.find_returning(value)
        else:
            self.query_one("#returning", Static).update(Content(""))
        self.say(hint, error=bool(hint))

    @work(thread=True, exit_on_error=False, exclusive=True)
    def find_returning(self, value: str):
        return self.desk.cases.returning(value)

    def find_returning_done(self, lines) -> None:
        text = ""
        if lines:
            rows = ["  " + " · ".join(c.plain for c in open_line(ln)) for ln in lines]
            text = f"老申请人：有 {len(lines)} 件未办结的办件\n" + "\n".join(rows)
        self.query_one("#returning", Static).update(Content(text))

    def say(self, text: str, error: bool = False) -> None:
        message = self.query_one("#applicant-message", Static)
        message.update(Content(text or "F2 个人/单位 · F8 确认 · Esc 返回"))
        message.set_class(error, "error")

    def value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value.strip()

    def action_take(self) -> None:
        if not self.value("name") or not self.value("id_number"):
            self.say("请填写申请人名称和证件号码", error=True)
            return
        applicant = {"kind": self.kind, "power_of_attorney": self.query_one("#power_of_attorney", Checkbox).value,
                     "notify_consent": self.query_one("#notify_consent", Checkbox).value}
        for field in ("name", "id_number", "phone", "email", "legal_representative", "agent_name",
                      "agent_id_number"):
            applicant[field] = self.value(field)
        self.open_case(applicant)

    @work(thread=True, exit_on_error=False, exclusive=True)
    def open_case(self, applicant: dict) -> CaseView:
        i = self.intake
        return self.desk.cases.open_case(i.staff.staff_id, self.code, applicant, channel=i.channel,
                                         ticket_id=i.ticket_id, window_id=i.window_id)

    def open_case_done(self, case: CaseView) -> None:
        from screens.cases.case_screen import CaseScreen

        self.app.switch_screen(CaseScreen(self.intake.staff, case))

    def open_case_refused(self, error: UserFacingError) -> None:
        self.say(error.message, error=True)

    def action_back(self) -> None:
        self.app.pop_screen()
