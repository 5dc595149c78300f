"""Two real counters and a real `clerk serve`: the clerk files a 不予受理 request on the case
screen, it reaches the chief's queue at the other counter, the chief approves with an
opinion and the password, and the 不予受理通知书 prints at the clerk's counter — where the
applicant waits — not at the chief's. Then the same with the clerk's counter offline while
the request is filed: it waits, both sides see it, and it crosses when the line is back."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from sqlmodel import select
from ui_helpers import PASSWORD, plain, settle, sit_down, until

from clerk.central.devices import make_enrol_code
from clerk.clock import SystemClock
from clerk.config import PrintingSettings, Settings, StoreSettings, SyncSettings
from clerk.store.engine import Store
from clerk.store.operations import Case, Notice, NoticePrint
from clerk.sync.client import CentralClient
from clerk.sync.enrol import enrol
from printing.papers.printer import A4Printer
from screens.app import make_app
from screens.cases.case_screen import OUT_OF_SCOPE, CaseScreen
from screens.signoff.entry import SignOffEntryScreen
from screens.signoff.queue import SignOffQueueScreen

sys.path.insert(0, str(Path(__file__).parents[1] / "sync"))

pytestmark = pytest.mark.anyio
PERSON = {"kind": "person", "name": "张三", "id_number": "11010519491231002X", "phone": "13800138000"}
# Rounds an hour apart: whatever crosses the hall in this test crosses by the /wait listener.
LISTENING = SyncSettings(poll_s=0.1, interval_s=3600, max_backoff_s=0.5, timeout_s=5, listen_s=20)


class Counter:
    def __init__(self, root: Path, template: Path, central, url: str, name: str) -> None:
        root.mkdir()
        shutil.copy(template, root / "counter.sqlite3")
        self.store = Store.sqlite(root / "counter.sqlite3")
        client = CentralClient(url)
        enrol(self.store, client, make_enrol_code(central, SystemClock(), "demo-county"), name)
        client.close()
        self.settings = Settings(store=StoreSettings(path=str(root / "counter.sqlite3")), sync=LISTENING,
                                 printing=PrintingSettings(a4_printer=f"folder:{root / 'printed'}",
                                                           spool_dir=str(root / "spool"), a4_retry_s=0.2))
        self.a4 = A4Printer(self.settings)  # not started: printed papers stay in the spool, to be read
        self.app = make_app(self.settings, self.store, SystemClock(), cursor_blink=False, paper_printer=self.a4)

    def spooled(self) -> list[str]:
        return [job.label for job in self.a4.spool.jobs()]

    def close(self) -> None:
        self.a4.close()
        self.store.dispose()


@pytest.fixture
def hall(tmp_path, template_db, central):
    central_store, url = central
    counters = [Counter(tmp_path / n, template_db, central_store, url, n) for n in ("clerk", "chief")]
    yield counters
    for c in counters:
        c.close()



def _refusal_printed(counter: Counter, case_id: str) -> bool:
    with counter.store.session() as s:
        notices = s.exec(select(Notice.id).where(Notice.case_id == case_id, Notice.kind == "refusal")).all()
        return bool(notices) and bool(s.exec(select(NoticePrint).where(NoticePrint.notice_id.in_(notices))).all())


async def _file_request(pilot, counter: Counter) -> str:
    """At the clerk's window: a case opened, then F9 → 提请不予受理 with reasons and basis."""
    home = counter.app.screen
    cases = counter.app.desk.cases
    case = cases.open_case(home.staff.staff_id, "SCJG-XK-001", PERSON, window_id=home.seat.window.id)
    counter.app.push_screen(CaseScreen(home.staff, case))
    await settle(pilot)
    await pilot.press("f9")
    await settle(pilot)
    choices = [c.value for c in counter.app.screen.choices]
    await pilot.press(*["down"] * choices.index("request_refusal"), "enter")
    await settle(pilot)
    for text in ("申请事项属于自然资源部门职权", OUT_OF_SCOPE, "县自然资源局窗口"):
        counter.app.screen.query_one("#ask-text").value = text
        await pilot.press("enter")
        await settle(pilot)
    return case.id


async def _approve(pilot, counter: Counter) -> None:
    queue = counter.app.screen
    assert isinstance(queue, SignOffQueueScreen)
    # No key pressed: the pulled request lists itself.
    assert await until(pilot, lambda: "待签批 1 件" in plain(queue.query_one("#signoff-counts")))
    await pilot.press("enter")
    await settle(pilot)
    entry = counter.app.screen
    assert isinstance(entry, SignOffEntryScreen)
    entry.query_one("#signoff-opinion").value = "同意不予受理，告知向县自然资源局申请"
    entry.query_one("#signoff-password").value = PASSWORD
    await pilot.press("f7")
    await settle(pilot)


async def test_the_request_crosses_the_chief_approves_and_it_prints_at_the_clerks_counter(hall):
    clerk, chief = hall
    async with clerk.app.run_test(size=(120, 36)) as p1, chief.app.run_test(size=(120, 36)) as p2:
        await sit_down(p1, "clerk01")
        await sit_down(p2, "chief_scjg")
        case_id = await _file_request(p1, clerk)
        with clerk.store.session() as s:
            assert s.get(Case, case_id).status == "refusal_requested"
        assert clerk.spooled() == []  # nothing is printed before the chief approves
        await _approve(p2, chief)
        assert await until(p1, lambda: _refusal_printed(clerk, case_id))
        assert any("不予受理通知书" in label for label in clerk.spooled())
        assert chief.spooled() == []  # the chief's counter prints nothing: the applicant is not there
        # The print is recorded inside the worker; its announcement follows when the worker returns.
        assert await until(p1, lambda: any("已签批同意" in n.message for n in clerk.app._notifications))
        # The clerk's case screen shows the decision without a key.
        screen = clerk.app.screen
        assert await until(p1, lambda: screen.case.state == "refused")
        assert "办件已更新：现为“不予受理”" in plain(screen.query_one("#case-message"))
    with clerk.store.session() as s:
        assert s.get(Case, case_id).status == "refused"


async def test_filed_offline_it_waits_visibly_and_crosses_when_the_line_is_back(hall, central):
    clerk, chief = hall
    url = central[1]
    async with clerk.app.run_test(size=(120, 36)) as p1, chief.app.run_test(size=(120, 36)) as p2:
        await sit_down(p1, "clerk01")
        await sit_down(p2, "chief_scjg")
        agent = clerk.app.desk._agent
        agent.client.base_url = "http://127.0.0.1:9"  # the township line is down: nothing listens there
        case_id = await _file_request(p1, clerk)
        await p1.pause(1.5)
        status = clerk.app.desk.sync_status()
        assert status.pending >= 1  # the request waits in the clerk's outbox, and the status says so
        queue = chief.app.screen
        queue.action_reload()
        await settle(p2)
        assert "待签批 0 件" in plain(queue.query_one("#signoff-counts"))
        agent.client.base_url = url  # the line is back
        agent.nudge()
        await _approve(p2, chief)
        assert await until(p1, lambda: _refusal_printed(clerk, case_id))
