"""A whole visit through the case screens, papers going to a real A4 spool.

call → 收件 (ticket linked) → item by the catalogue search → applicant → checklist →
一次性告知 (its paper in the spool) → the applicant returns → 受理 (its paper in the spool);
and 容缺 whose deadline passes (red on the clerk's list) → 不予批准 (printed).
"""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import DataTable, Input, OptionList
from ui_helpers import plain, settle, sit_down
from ui_queue import issue

from clerk.config import PrintingSettings, Settings, StoreSettings
from clerk.store.operations import Case
from printing.papers.printer import A4Printer
from screens.app import make_app
from screens.cases.applicant_form import ApplicantForm
from screens.cases.case_screen import CaseScreen
from screens.cases.item_picker import ItemPicker
from screens.cases.open_cases import OpenCasesScreen

pytestmark = pytest.mark.anyio

GOOD_ID = "11010519491231002X"


@pytest.fixture
def settings(tmp_path):
    return Settings(store=StoreSettings(path=str(tmp_path / "counter.sqlite3")),
                    printing=PrintingSettings(a4_printer=f"folder:{tmp_path / 'printed'}",
                                              spool_dir=str(tmp_path / "spool"), a4_retry_s=0.2))


@pytest.fixture
def a4(settings):
    printer = A4Printer(settings)  # not started: jobs stay in the spool, where the test reads them
    yield printer
    printer.close()


@pytest.fixture
def app(settings, store, clock, a4):
    return make_app(settings, store, clock, cursor_blink=False, paper_printer=a4)


def spooled(a4: A4Printer) -> list[str]:
    return [job.label for job in a4.spool.jobs()]


async def press(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def choose_outcome(pilot, action: str) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, CaseScreen)
    allowed = [a for a in screen.case.allowed]
    await press(pilot, "f9")
    pilot.app.screen.query_one(OptionList).highlighted = allowed.index(action)
    await press(pilot, "enter")


async def new_case(pilot, search: str, from_key: str) -> CaseScreen:
    await press(pilot, from_key)
    assert isinstance(pilot.app.screen, ItemPicker)
    pilot.app.screen.query_one("#search", Input).value = search
    await settle(pilot)
    await press(pilot, "enter")
    form = pilot.app.screen
    assert isinstance(form, ApplicantForm)
    form.query_one("#name", Input).value = "张三"
    form.query_one("#id_number", Input).value = GOOD_ID
    form.query_one("#phone", Input).value = "13800138000"
    await settle(pilot)
    await press(pilot, "f8")
    assert isinstance(pilot.app.screen, CaseScreen), plain(form.query_one("#applicant-message"))
    return pilot.app.screen


async def set_rows(pilot, keys: str) -> None:
    """One key a row, from the first: each sets the state and moves to the next row."""
    pilot.app.screen.query_one(DataTable).move_cursor(row=0)
    for key in keys:
        await press(pilot, key)


async def test_a_visit_from_ticket_to_supplement_notice_and_back_to_acceptance(app, store, clock, a4):
    ticket = issue(store, clock, "B")
    async with app.run_test(size=(100, 32)) as pilot:
        await sit_down(pilot)
        await press(pilot, "f3", "f1")
        screen = await new_case(pilot, "低保", "ctrl+n")
        assert screen.case.ticket_number == ticket.number and screen.case.item_code == "MZJ-JF-002"
        assert "110105********002X" in plain(screen.query_one("#case-head"))  # ID masked on screen
        await set_rows(pilot, "rmrrm")  # the second material is missing
        assert [m.state for m in screen.case.materials] == ["received", "missing", "received", "received", "missing"]
        await choose_outcome(pilot, "notify_supplement")
        assert screen.case.state == "supplement"
        assert [label.split("_")[0] for label in spooled(a4)] == ["一次性告知书（材料补正通知书）"], spooled(a4)
        assert "已一次性告知补正" in plain(screen.query_one("#case-message"))
        await press(pilot, "escape", "f8", "escape")  # back to calling, finish the ticket, home

        clock.advance(days=2)  # the applicant returns with the missing paper
        await press(pilot, "f9")
        cases = pilot.app.screen
        assert isinstance(cases, OpenCasesScreen)
        assert [ln.state_label for ln in cases.lines] == ["待补正"]
        await press(pilot, "enter")
        screen = pilot.app.screen
        assert isinstance(screen, CaseScreen) and screen.case.state == "supplement"
        screen.query_one(DataTable).move_cursor(row=1)
        await press(pilot, "r")
        await choose_outcome(pilot, "accept")
        assert screen.case.state == "accepted" and screen.case.acceptance_no
        assert screen.case.received_on == date(2026, 11, 16)
        assert "业务受理通知书" in [label.split("_")[0] for label in spooled(a4)], spooled(a4)

        # The applicant lost the notice: P reprints it, marked 补打 on the job and in the record.
        titles = [n.title for n in screen.case.notices]
        await press(pilot, "p")
        pilot.app.screen.query_one(OptionList).highlighted = titles.index("业务受理通知书")
        await press(pilot, "enter")
        assert plain(screen.query_one("#case-message")).startswith("已补打"), plain(screen.query_one("#case-message"))
        again = [label for label in spooled(a4) if "补打" in label]
        assert len(again) == 1 and again[0].startswith("业务受理通知书"), spooled(a4)


async def test_deferred_acceptance_whose_deadline_passes_ends_in_a_printed_denial(app, store, clock, a4):
    async with app.run_test(size=(100, 32)) as pilot:
        await sit_down(pilot)
        screen = await new_case(pilot, "公共场所卫生许可", "f8")  # from home: no ticket
        assert screen.case.ticket_number == ""
        await set_rows(pilot, "rrrmrmm")  # the 可容缺 检测报告 owed
        await choose_outcome(pilot, "accept_deferred")
        pilot.app.screen.query_one(Input).value = "2026-11-20"
        await press(pilot, "enter")
        assert screen.case.state == "deferred", plain(screen.query_one("#case-message"))
        assert {"申请容缺受理承诺书", "容缺受理通知书"} <= {label.split("_")[0] for label in spooled(a4)}
        await press(pilot, "escape")

        clock.advance(days=7)  # the owed report never came
        await press(pilot, "f9")
        cases = pilot.app.screen
        [line] = cases.lines
        assert line.urgency == "past" and "已超期" in plain(cases.query_one("#open-status"))
        await press(pilot, "enter")
        await choose_outcome(pilot, "deny_deferred")
        await press(pilot, "down", "enter")  # the preset reason
        screen = pilot.app.screen
        assert screen.case.state == "deferral_denied", plain(screen.query_one("#case-message"))
        kinds = [label.split("_")[0] for label in spooled(a4)]
        assert any("不予批准" in k for k in kinds), kinds



async def test_the_applicants_consent_and_e_mail_reach_the_case_and_a_bad_address_is_refused(app, store):
    async with app.run_test(size=(100, 32)) as pilot:
        await sit_down(pilot)
        await press(pilot, "f8")
        pilot.app.screen.query_one("#search", Input).value = "低保"
        await settle(pilot)
        await press(pilot, "enter")
        form = pilot.app.screen
        form.query_one("#name", Input).value = "张三"
        form.query_one("#id_number", Input).value = GOOD_ID
        form.query_one("#email", Input).value = "zhang@"
        form.query_one("#notify_consent").value = True
        await settle(pilot)
        await press(pilot, "f8")
        assert pilot.app.screen is form and "电子邮箱" in plain(form.query_one("#applicant-message"))
        form.query_one("#email", Input).value = "zhang@example.cn"
        await press(pilot, "f8")
        screen = pilot.app.screen
        assert isinstance(screen, CaseScreen)
    with store.session() as s:
        case = s.get(Case, screen.case.id)
        assert (case.notify_consent, case.applicant_email) == (True, "zhang@example.cn")


async def test_keys_pressed_faster_than_the_store_answers_each_mark_the_next_row(app, store):
    """A clerk going down the checklist by reflex (R R R R, no pause): every key marks the row
    it was pressed on and moves on at once — the second key does not mark the first row again,
    nor is it refused as someone else's change."""
    from sqlmodel import select
    from textual import events

    from clerk.staff.auth import SignedIn
    from clerk.store.operations import CaseMaterial

    clerk = SignedIn("clerk01", "clerk01", "王小明", "clerk", "demo-county", None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        case = app.desk.cases.open_case("clerk01", "WJJ-XK-001", {"kind": "person", "name": "张三",
                                        "id_number": "11010519491231002X", "phone": "13800138000"})
        app.push_screen(CaseScreen(clerk, case))
        await settle(pilot)
        screen = app.screen
        for key in ("r", "c", "r", "m"):
            app.post_message(events.Key(key, key))
        await settle(pilot)
        message = plain(screen.query_one("#case-message"))
        assert "其他工作人员" not in message, message
        assert screen.query_one(DataTable).cursor_row == 4
    with store.session() as s:
        rows = s.exec(select(CaseMaterial).where(CaseMaterial.case_id == case.id)
                      .order_by(CaseMaterial.seq)).all()
    assert [(r.state, r.received_form) for r in rows[:4]] == [
        ("received", "original"), ("received", "copy"), ("received", "original"), ("missing", "")]


@pytest.mark.parametrize("size", [(120, 36), (100, 30)])
async def test_a_refused_applicant_is_told_in_sight_and_every_field_can_be_reached(app, size):
    """The form is taller than the screen: the refusal stays above the footer, not below the
    last field where nobody saw it (F8 seemed to do nothing), and the last checkbox scrolls in."""
    async with app.run_test(size=size) as pilot:
        await sit_down(pilot)
        await press(pilot, "f8")
        pilot.app.screen.query_one("#search", Input).value = "SCJG-XK-002"
        await settle(pilot)
        await press(pilot, "enter")
        form = pilot.app.screen
        assert isinstance(form, ApplicantForm)
        await press(pilot, "f8")
        line = form.query_one("#applicant-message")
        assert plain(line) == "请填写申请人名称和证件号码"
        assert line.region.height >= 1 and line.region.bottom <= pilot.app.size.height - 1
        last = form.query_one("#power_of_attorney")
        last.focus()
        await settle(pilot)
        assert last.region.height >= 1 and last.region.bottom <= line.region.y
