"""The applicant messages the sender could not settle alone, decided by the supervisor on the
floor (Ctrl+T), against a real `clerk serve` sending e-mail to a real SMTP server: a message
refused at its only try is 发送失败 and, once the mail server takes mail again, F2 sends it —
exactly once; one left uncertain asks first whether the applicant really did not get it; F3
closes one with what was done instead, and it is never sent."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import select
from ui_helpers import plain, settle, sign_in, until

from clerk.central import state
from clerk.central.devices import make_enrol_code
from clerk.central.reference import publish_fixtures
from clerk.clock import SystemClock
from clerk.config import Settings, StoreSettings, SyncSettings
from clerk.fixtures import load_fixtures
from clerk.store.central_tables import Notification
from clerk.store.engine import Store
from clerk.store.operations import AuditEntry
from clerk.sync.client import CentralClient
from clerk.sync.enrol import enrol
from screens.app import make_app
from screens.dialogs.ask import AskText, Choose
from screens.supervisor.notifications import NotificationsScreen

sys.path.insert(0, str(Path(__file__).parents[1] / "notify"))
sys.path.insert(0, str(Path(__file__).parents[1] / "sync"))

from harness import ServerProcess  # noqa: E402
from notify_servers import SmtpServer  # noqa: E402
from test_township_back_office import PERSON, Counter  # noqa: E402

pytestmark = pytest.mark.anyio
QUIET = SyncSettings(poll_s=60, interval_s=600, max_backoff_s=600, timeout_s=5)


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def sending_central(tmp_path, smtp):
    """The real `clerk serve`, its sender configured for the SMTP server, one try per message."""
    path = tmp_path / "central.sqlite3"
    store = Store.sqlite(path)
    state.prepare(store)
    publish_fixtures(store, load_fixtures(Settings().fixtures_path()))
    env = {"CLERK_NOTIFY_SMTP_HOST": "127.0.0.1", "CLERK_NOTIFY_SMTP_PORT": str(smtp.port),
           "CLERK_NOTIFY_SMTP_FROM": "noreply@zwfw.example.cn", "CLERK_NOTIFY_SMTP_STARTTLS": "false",
           "CLERK_NOTIFY_INTERVAL_S": "0.3", "CLERK_NOTIFY_MAX_ATTEMPTS": "1"}
    server = ServerProcess(f"sqlite:///{path}", cli_workers=1, env=env).start()
    try:
        yield store, server.base_url
    finally:
        server.stop()
        store.dispose()


def _until(check, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("timed out")


def _states(central: Store) -> dict[str, str]:
    """The e-mails' states (the SMS gateway is not configured: those wait, pending)."""
    with central.session() as s:
        return {n.recipient: n.state for n in s.exec(select(Notification).where(Notification.channel == "email"))}


def _accept(clerk: Counter, email: str) -> str:
    case = clerk.cases.open_case("clerk01", "SCJG-XK-002", {**PERSON, "email": email, "notify_consent": True})
    for m in case.materials:
        state_ = {"state": "received", "received_form": "original", "copies": 1} if m.required else {"state": "missing"}
        case = clerk.cases.mark("clerk01", case.id, case.version, m.material_id, **state_)
    clerk.cases.decide("clerk01", case.id, case.version, "accept", print_papers=False)
    return case.id


async def test_the_supervisor_resends_a_failed_message_once_and_closes_another(tmp_path, template_db,
                                                                            sending_central, smtp):
    central, url = sending_central
    (tmp_path / "clerk").mkdir()
    clerk = Counter(tmp_path / "clerk", template_db, central, url, "demo-county")
    clerk.sign_in("clerk01")
    smtp.refuse = "550 mailbox unavailable"
    _accept(clerk, "failed@example.com")
    _accept(clerk, "closed@example.com")
    _accept(clerk, "uncertain@example.com")
    clerk.sync()
    _until(lambda: set(_states(central).values()) == {"failed"} and len(_states(central)) == 3)
    with central.write() as s:  # as a sender killed between handing it over and the answer leaves it
        s.execute(update(Notification).where(Notification.recipient == "uncertain@example.com")
                  .values(state="uncertain"))
    smtp.refuse = ""

    office = tmp_path / "office.sqlite3"
    shutil.copyfile(template_db, office)
    store = Store.sqlite(office)
    client = CentralClient(url)
    enrol(store, client, make_enrol_code(central, SystemClock(), "demo-county"), "值班室")
    client.close()
    app = make_app(Settings(store=StoreSettings(path=str(office)), sync=QUIET), store, SystemClock(),
                   cursor_blink=False)
    async with app.run_test(size=(120, 32)) as pilot:
        await sign_in(pilot, "super01")
        await pilot.press("ctrl+t")
        assert await until(pilot, lambda: isinstance(app.screen, NotificationsScreen), 10)
        screen = app.screen
        shown = [n.recipient for n in screen.lines]
        assert shown == ["f***@example.com", "c***@example.com", "u***@example.com"]  # masked, oldest first
        assert "共 3 条待处理" in plain(screen.query_one("#notifications-message"))
        reason = plain(screen.query_one("#notifications-reason"))
        assert "550 mailbox unavailable" in reason and "failed@example.com" not in reason

        await pilot.press("f2")  # the failed one: sent again at once
        await settle(pilot)
        assert await until(pilot, lambda: len(screen.lines) == 2, 10)
        _until(lambda: len(smtp.messages) == 1)
        assert [m["To"] for m in smtp.messages] == ["failed@example.com"]

        await pilot.press("f3")  # the next one: closed with what was done instead
        await settle(pilot)
        assert isinstance(app.screen, AskText)
        app.screen.query_one("#ask-text").value = "已电话告知申请人"
        await pilot.press("enter")
        assert await until(pilot, lambda: len(screen.lines) == 1, 10)

        await pilot.press("f2")  # the uncertain one: asked first, and "no" sends nothing
        await settle(pilot)
        assert isinstance(app.screen, Choose) and "可能已经送达" in plain(app.screen.query_one(".dialog-title"))
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen is screen and len(screen.lines) == 1
    time.sleep(1.5)  # several rounds of the sender
    assert [m["To"] for m in smtp.messages] == ["failed@example.com"]  # once; the closed one never
    assert _states(central) == {"failed@example.com": "sent", "closed@example.com": "closed",
                                "uncertain@example.com": "uncertain"}
    with central.session() as s:
        audit = s.exec(select(AuditEntry.action, AuditEntry.staff_id).where(
            AuditEntry.action.like("notification_%")).order_by(AuditEntry.at)).all()
    assert audit == [("notification_resend", "super01"), ("notification_close", "super01")]
    store.dispose()
    clerk.close()

