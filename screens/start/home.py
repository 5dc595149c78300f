"""Home: who is signed in, at which window of which centre, today, and the sync state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.cells import cell_len
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, Header, Static

from clerk.desk import CentreInfo, Seat, Today
from clerk.staff.auth import SignedIn
from clerk.store.reference import BACK_OFFICE_ROLES
from clerk.sync.status import SyncStatus
from screens.widgets.sync_bar import SYNC_BINDINGS, SyncBar, SyncedScreen, SyncView, status_parts

# How often the centre and the date are read again (the date changes at midnight).
REFRESH_SECONDS = 30
LABEL_CELLS = 10


@dataclass(frozen=True)
class HomeFacts:
    centre: CentreInfo | None
    today: Today


def fact_line(label: str, value: str, style: str = "") -> Content:
    """``工作人员  张三（窗口工作人员）`` with the value taken literally (never as markup)."""
    return Content.assemble((label + " " * (LABEL_CELLS - cell_len(label)), "dim"), (value, style))


class SyncDetail(SyncView):
    """The home screen's central-store line: every part in full, wrapped, never abbreviated."""

    def show_sync(self, status: SyncStatus | None, now: datetime, running: bool) -> None:
        parts = status_parts(status, now, running)
        pieces: list[str | tuple[str, str]] = [("中心库" + " " * (LABEL_CELLS - 6), "dim")]
        for i, part in enumerate(parts):
            text = part.full.removeprefix("中心库：")
            pieces += [(" · ", "dim")] if i else []
            pieces.append((text, part.style))
        self.update(Content.assemble(*pieces))


class HomeScreen(SyncedScreen):
    """The clerk's start page; F2 opens the catalogue, F10 signs out, F5/F6 sync."""

    BINDINGS = [
        Binding("f3", "calling", "叫号"),
        Binding("f2", "catalogue", "事项目录"),
        Binding("f7", "tidal", "潮汐窗口"),
        Binding("f4", "ledgers", "台账"),
        Binding("f8", "open_case", "收件"),
        Binding("f9", "my_cases", "我的办件"),
        Binding("f11", "signoff", "签批"),
        Binding("f1", "back_office", "后台审查"),
        Binding("ctrl+o", "ready", "出件"),
        Binding("f12", "booking", "预约"),
        Binding("f10", "sign_out", "签退"),
        *SYNC_BINDINGS,
    ]

    def __init__(self, staff: SignedIn, seat: Seat) -> None:
        super().__init__()
        self.staff = staff
        self.seat = seat
        # Set before mounting: the Header cannot take a new title while it mounts.
        self.sub_title = f"{seat.window.number}号窗口"

    def compose(self) -> ComposeResult:
        window = self.seat.window
        yield Header()
        with Vertical(id="home"):
            with Vertical(id="who", classes="panel"):
                yield Static(
                    fact_line("工作人员", f"{self.staff.name}（{self.staff.role_label}）", "bold"),
                    id="home-staff",
                )
                yield Static(
                    fact_line("窗口", f"{window.number}号 {window.name}（{window.kind_label}）"),
                    id="home-window",
                )
                yield Static(
                    fact_line("受理业务", "、".join(window.lines) or "（未分配业务类别）"),
                    id="home-lines",
                )
                yield Static(fact_line("中心", "……"), id="home-centre")
                yield Static(fact_line("今天", "……"), id="home-today")
                yield SyncDetail(fact_line("中心库", "……"), id="home-sync")
            with Vertical(id="actions", classes="panel"):
                yield Static(Content("可用操作"), classes="panel-title")
                if self.seat.window.lines:
                    yield Static(
                        Content.assemble(("F3  ", "bold"), "叫号：叫下一位、重呼、过号、转移、登记取号")
                    )
                yield Static(
                    Content.assemble(
                        ("F2  ", "bold"), "事项目录：按名称、拼音首字母或事项编码查办事指南"
                    )
                )
                if self.staff.role == "supervisor":
                    yield Static(
                        Content.assemble(("F7  ", "bold"), "潮汐窗口：调整各窗口业务、日终清号")
                    )
                if self.staff.role == "chief":
                    yield Static(Content.assemble(("F11 ", "bold"), "签批：待首席事务代表签批的申请"))
                if self.staff.role in BACK_OFFICE_ROLES:
                    yield Static(Content.assemble(("F1  ", "bold"), "后台审查：本部门待审查、核准的办件"))
                yield Static(Content.assemble(("^O  ", "bold"), "出件：待领取的办理结果，送达后办结"))
                yield Static(Content.assemble(("F10 ", "bold"), "签退：离开窗口，回到签到界面"))
                yield Static(
                    Content.assemble(("F5  ", "bold"), "立即同步：马上与中心库交换数据")
                )
                if self.clerk_app.sync_running:
                    yield Static(
                        Content.assemble(("F6  ", "bold"), "同步冲突：查看中心库退回的操作")
                    )
        yield SyncBar()
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_facts()
        self.set_interval(REFRESH_SECONDS, self.refresh_facts)
        if self.staff.role == "chief":  # a chief representative lands on their queue
            self.action_signoff()

    # Its own group: ``exclusive`` cancels the whole group, and the timer must not cancel sign-out.
    @work(thread=True, exit_on_error=False, exclusive=True, group="refresh")
    def refresh_facts(self) -> HomeFacts:
        return HomeFacts(self.desk.centre(), self.desk.today())

    def refresh_facts_done(self, facts: HomeFacts) -> None:
        centre = facts.centre.name if facts.centre else self.desk.settings.centre.code
        self.query_one("#home-centre", Static).update(fact_line("中心", centre))
        today_style = "" if facts.today.working else "bold"
        self.query_one("#home-today", Static).update(
            fact_line("今天", facts.today.label, today_style)
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "calling":
            return bool(self.seat.window.lines)
        if action == "tidal":
            return self.staff.role == "supervisor"
        if action == "signoff":
            return self.staff.role == "chief"
        if action == "back_office":
            return self.staff.role in BACK_OFFICE_ROLES
        if action == "booking":  # bookings live on the central store only
            return self.desk.sync_configured
        return super().check_action(action, parameters)

    def action_calling(self) -> None:
        from screens.queue.calling import CallingScreen

        self.app.switch_screen(CallingScreen(self.staff, self.seat))

    def action_tidal(self) -> None:
        from screens.queue.tidal import TidalScreen

        self.app.push_screen(TidalScreen(self.staff))

    def action_signoff(self) -> None:
        from screens.signoff.queue import SignOffQueueScreen

        self.app.push_screen(SignOffQueueScreen(self.staff))

    def action_back_office(self) -> None:
        from screens.backoffice.queue import BackOfficeScreen

        self.app.push_screen(BackOfficeScreen(self.staff))

    def action_ready(self) -> None:
        from screens.backoffice.ready import ReadyScreen

        self.app.push_screen(ReadyScreen(self.staff))

    def action_ledgers(self) -> None:
        from screens.ledgers.ledger_list import LedgerScreen

        self.app.push_screen(LedgerScreen(self.staff))

    def action_open_case(self) -> None:
        from screens.cases.keys import Intake, start_intake

        start_intake(self, Intake(self.staff, self.seat.window.id))

    def action_my_cases(self) -> None:
        from screens.cases.keys import open_cases

        open_cases(self, self.staff)

    def action_booking(self) -> None:
        from screens.queue.booking import BookingScreen

        self.app.push_screen(BookingScreen(self.staff))

    def action_catalogue(self) -> None:
        from screens.catalogue.search import CatalogueScreen

        self.app.push_screen(CatalogueScreen())

    def action_sign_out(self) -> None:
        self.leave()

    @work(thread=True, exit_on_error=False, exclusive=True)
    def leave(self) -> None:
        self.desk.leave_seat(self.staff, self.seat)

    def leave_refused(self, error) -> None:
        from clerk.queue.desk import TicketLeftOpen
        from screens.queue.left_open import settle_then_leave

        if not isinstance(error, TicketLeftOpen):
            self.notify(error.message, title="未能签退", severity="error", timeout=8)
            return
        settle_then_leave(self.app, self.desk.queue, error.ticket, self.seat.window.id, self.staff.staff_id,
                          "签退", self.leave)

    def leave_done(self, _result: None) -> None:
        from screens.start.sign_in import SignInScreen

        self.notify(f"{self.staff.name} 已从{self.seat.window.number}号窗口签退。", timeout=4)
        self.app.switch_screen(SignInScreen())
