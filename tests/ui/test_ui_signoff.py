"""Pilot test of the chief's desk: the queue with its counts, a request opened (applicant
masked, the clerk's reason), a wrong password shown in place, then the approval with an
opinion: the case is refused and the 不予受理通知书 stored."""

from __future__ import annotations

import pytest
from sqlmodel import select
from ui_helpers import PASSWORD, plain, settle

from clerk.cases.desk import CaseDesk
from clerk.outbox import Workbench
from clerk.staff.auth import SignedIn
from clerk.store.operations import Case, Notice
from screens.signoff.entry import SignOffEntryScreen
from screens.signoff.queue import SignOffQueueScreen

pytestmark = pytest.mark.anyio
PERSON = {"kind": "person", "name": "张三", "id_number": "11010519491231002X", "phone": "13800138000"}
CHIEF = SignedIn("chief_scjg", "chief_scjg", "赵志强", "chief", "demo-county", "scjg")


def _request(store, clock) -> str:
    cases = CaseDesk(Workbench(store, clock), store, clock, "demo-county", None)
    case = cases.open_case("clerk01", "SCJG-XK-001", PERSON)
    cases.decide("clerk01", case.id, case.version, "request_refusal", reason="经营场所位于禁止经营区域",
                 legal_basis="《中华人民共和国行政许可法》第三十二条第一款第（三）项", print_papers=False)
    return case.id


async def test_the_chief_approves_a_refusal_from_the_queue(app, store, clock):
    case_id = _request(store, clock)
    async with app.run_test(size=(110, 36)) as pilot:
        await settle(pilot)
        app.push_screen(SignOffQueueScreen(CHIEF))
        await settle(pilot)
        queue = app.screen
        assert "待签批 1 件" in plain(queue.query_one("#signoff-counts"))
        assert "不予受理审批 1" in plain(queue.query_one("#signoff-counts"))
        shown = {k: b.binding.description for k, b in queue.active_bindings.items() if b.binding.show}
        assert shown.get("enter") == "签批 / 写报告"  # the footer says how to open a row
        await pilot.press("enter")
        await settle(pilot)
        entry = app.screen
        assert isinstance(entry, SignOffEntryScreen)
        shown = plain(entry.query_one("#signoff-case"))
        assert "张*" in shown and "经营场所位于禁止经营区域" in shown and "个体工商户设立登记" in shown
        assert "11010519491231002X" not in shown  # masked
        entry.query_one("#signoff-opinion").value = "同意不予受理"
        entry.query_one("#signoff-password").value = "not-the-password"
        await pilot.press("f7")
        await settle(pilot)
        assert "还可以再试" in plain(entry.query_one("#signoff-message"))
        entry.query_one("#signoff-password").value = PASSWORD
        await pilot.press("f7")
        await settle(pilot)
        assert app.screen is queue
        assert "待签批 0 件" in plain(queue.query_one("#signoff-counts"))
    with store.session() as s:
        assert s.get(Case, case_id).status == "refused"
        assert [n.kind for n in s.exec(select(Notice).where(Notice.case_id == case_id))] == ["refusal"]


async def test_signed_in_as_a_chief_they_land_on_their_queue(app, store, clock):
    from ui_helpers import sit_down

    _request(store, clock)
    async with app.run_test(size=(110, 36)) as pilot:
        await sit_down(pilot, "chief_scjg")
        assert isinstance(app.screen, SignOffQueueScreen)
        assert "待签批 1 件" in plain(app.screen.query_one("#signoff-counts"))


async def test_a_chiefs_command_palette_offers_only_what_the_role_can_use(app, store, clock):
    from ui_helpers import sit_down

    from screens.start.home import HomeScreen

    async with app.run_test(size=(110, 36)) as pilot:
        await sit_down(pilot, "chief_scjg")
        await pilot.press("escape")  # from the sign-off queue back to the home page
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        offered = [command.title for command in app.get_system_commands(app.screen)]
        assert "签批" in offered and "退出程序" in offered
        assert "潮汐窗口" not in offered  # a supervisor's key: it does nothing for a chief


async def test_an_urgent_case_is_approved_first_and_the_chief_then_reports_it_from_the_queue(app, store, clock):
    """先批后报 through both screens: U on the clerk's accepted case with the reason; the chief's
    queue lists it urgent; approved, the report is owed with its due date; Enter writes it."""
    from ui_helpers import accepted_case

    from clerk.store.operations import SignOff
    from screens.cases.case_screen import CaseScreen

    case_id = accepted_case(store, clock)
    clerk = SignedIn("clerk01", "clerk01", "王小明", "clerk", "demo-county", None)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.push_screen(CaseScreen(clerk, app.desk.cases.case(case_id)))
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        app.screen.query_one("#ask-text").value = "申请人须于明日开业，急需许可证"
        await pilot.press("enter")
        await settle(pilot)
        assert "先批后报" in plain(app.screen.query_one("#case-message"))
        assert app.screen.case.state == "urgent_requested"
        app.pop_screen()
        await settle(pilot)

        app.push_screen(SignOffQueueScreen(CHIEF))
        await settle(pilot)
        queue = app.screen
        assert "先批后报 1" in plain(queue.query_one("#signoff-counts"))
        assert str(queue.query_one("#signoff-table").get_row_at(0)[0]) == "【急】先批后报"
        await pilot.press("enter")
        await settle(pilot)
        app.screen.query_one("#signoff-opinion").value = "情况紧急，同意先行批准"
        app.screen.query_one("#signoff-password").value = PASSWORD
        await pilot.press("f7")
        await settle(pilot)
        assert app.screen is queue
        counts = plain(queue.query_one("#signoff-counts"))
        assert "待签批 0 件" in counts and "先批后报待报告 1 件" in counts
        row = queue.query_one("#signoff-table").get_row_at(0)
        assert str(row[0]) == "待报告（先批后报）" and str(row[1]).endswith("前报告")
        await pilot.press("enter")
        await settle(pilot)
        app.screen.query_one("#ask-text").value = "因申请人次日开业，依授权先行批准，材料齐全，特此报告"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is queue
        assert "待报告" not in plain(queue.query_one("#signoff-counts"))
    with store.session() as s:
        case = s.get(Case, case_id)
        so = s.exec(select(SignOff).where(SignOff.case_id == case_id)).one()
        assert (case.status, case.decided_by) == ("ready", "chief_scjg")
        assert so.reported_by == "chief_scjg" and "先行批准" in so.report
