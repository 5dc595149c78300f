"""Pilot test of the back office and 出件: a reviewer signs in and lands on the department's
queue, reviews a case with two keys and an opinion; the same person cannot check it
(一审一核); a second reviewer checks it; a window clerk hands the result out at 出件."""

from __future__ import annotations

import pytest
from ui_helpers import accepted_case, plain, settle, sign_in

from clerk.staff.auth import SignedIn
from clerk.store.operations import Case
from screens.backoffice.queue import BackOfficeScreen
from screens.backoffice.ready import ReadyScreen

pytestmark = pytest.mark.anyio
SECOND = SignedIn("review_scjg2", "review_scjg2", "蒋丽娜", "reviewer", "demo-county", "scjg")
CLERK = SignedIn("clerk02", "clerk02", "李建国", "clerk", "demo-county", None)


def _status(store, case_id) -> str:
    with store.session() as s:
        return s.get(Case, case_id).status


def _notes(app) -> str:
    return " ".join(n.message for n in app._notifications)


async def test_reviewed_checked_by_another_and_handed_out(app, store, clock):
    case_id = accepted_case(store, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "review_scjg1")  # no window to choose: straight to the department's queue
        queue = app.screen
        assert isinstance(queue, BackOfficeScreen)
        assert queue.check_action("back", ()) is False and queue.check_action("sign_out", ()) is True
        assert "待办 1 件" in plain(queue.query_one("#back-counts"))
        await pilot.press("f2")  # 审查
        await settle(pilot)
        await pilot.press("enter")  # 准予许可, the first choice
        await settle(pilot)
        app.screen.query_one("#ask-text").value = "材料齐全，经营场所符合要求"
        await pilot.press("enter")
        await settle(pilot)
        assert _status(store, case_id) == "reviewed"
        assert "钱晓东：准予许可" in str(queue.query_one("#back-table").get_row_at(0))
        await pilot.press("f3")  # the reviewer tries to check their own review: told at once
        await settle(pilot)
        assert app.screen is queue  # no opinion asked for a check that cannot be theirs
        assert "一审一核" in _notes(app) and _status(store, case_id) == "reviewed"

        app.push_screen(BackOfficeScreen(SECOND))
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        app.screen.query_one("#ask-text").value = "同意"
        await pilot.press("enter")
        await settle(pilot)
        assert _status(store, case_id) == "ready"
        assert "待办 0 件" in plain(app.screen.query_one("#back-counts"))

        app.push_screen(ReadyScreen(CLERK))
        await settle(pilot)
        assert "待领取 1 件" in plain(app.screen.query_one("#ready-status"))
        await pilot.press("enter")  # the result
        await settle(pilot)
        await pilot.press("enter")  # 窗口领取
        await settle(pilot)
        await pilot.press("escape")  # not checked yet: nothing is handed out
        await settle(pilot)
        assert _status(store, case_id) == "ready"
        await pilot.press("enter", "enter")
        await settle(pilot)
        await pilot.press("enter")  # 已核对受理通知书和领取人身份证件
        await settle(pilot)
        assert _status(store, case_id) == "finished"
        assert "没有待领取的办理结果" in plain(app.screen.query_one("#ready-status"))
    with store.session() as s:
        case = s.get(Case, case_id)
        assert (case.reviewed_by, case.decided_by, case.delivered_by) == ("review_scjg1", "review_scjg2", "clerk02")


async def test_a_reviewer_signs_out_from_the_queue(app, store, clock):
    from screens.start.sign_in import SignInScreen

    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "head_scjg")
        assert isinstance(app.screen, BackOfficeScreen)
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)


async def test_only_the_head_extends_and_the_cursor_stays_on_the_extended_case(app, store, clock):
    accepted_case(store, clock)
    accepted_case(store, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "review_scjg1")
        assert app.screen.check_action("move", ("extend",)) is False
        head = SignedIn("head_scjg", "head_scjg", "韩卫东", "head", "demo-county", "scjg")
        app.push_screen(BackOfficeScreen(head))
        await settle(pilot)
        screen = app.screen
        assert screen.check_action("move", ("extend",)) is True
        first = screen.current().case_id
        await pilot.press("f6")
        await settle(pilot)
        app.screen.query_one("#ask-text").value = "经营场所需进一步核查"
        await pilot.press("enter")
        await settle(pilot)
        # Ten working days later than the other now, so listed second: the cursor went with it.
        assert [ln.case_id for ln in screen.shown.lines][1] == first
        assert screen.current().case_id == first
        assert "已延期" in str(screen.query_one("#back-table").get_row_at(1))
    with store.session() as s:
        assert s.get(Case, first).extended_by == "head_scjg"


async def test_an_instant_result_handed_out_on_the_case_screen_says_so_once(app, store, clock):
    """The case screen said “已送达办结；已送达办结。按 Ctrl+R …” after O at the window."""
    from ui_helpers import PERSON, sit_down

    from screens.cases.case_screen import CaseScreen

    async with app.run_test(size=(120, 40)) as pilot:
        await sit_down(pilot, "clerk01")
        home, desk = app.screen, app.desk
        case = desk.cases.open_case("clerk01", "SCJG-XK-001", PERSON)  # 即办件
        for m in case.materials:
            case = desk.cases.mark("clerk01", case.id, case.version, m.material_id, state="received",
                                   received_form="original", copies=1)
        case = desk.cases.decide("clerk01", case.id, case.version, "accept", print_papers=False).case
        desk.backoffice.request_instant("clerk01", case.id, case.version)
        [line] = desk.signoff.queue("chief_scjg").lines
        desk.signoff.decide("chief_scjg", "demo1234", line.id, "approved", "材料齐全，同意即办", print_papers=False)
        app.push_screen(CaseScreen(home.staff, desk.cases.case(case.id)))
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("enter")  # 窗口领取
        await settle(pilot)
        await pilot.press("enter")  # 已核对受理通知书和领取人身份证件
        await settle(pilot)
        assert _status(store, case.id) == "finished"
        said = plain(app.screen.query_one("#case-message"))
        assert said.count("送达办结") == 1 and "Ctrl+R" in said


async def test_a_mistyped_tracking_number_is_said_in_place_and_nothing_typed_is_lost(app, store, clock):
    """By post: a wrong check digit is said inside the tracking-number dialog, which stays open
    with the number to correct — the address and courier typed before it are kept."""
    from clerk.backoffice.service import BackOfficeDesk
    from clerk.cases.desk import CaseDesk
    from clerk.outbox import Workbench

    case_id = accepted_case(store, clock)
    cases = CaseDesk(Workbench(store, clock), store, clock, "demo-county", None)
    back = BackOfficeDesk(cases)
    back.review("review_scjg1", case_id, cases.case(case_id).version, "grant", "材料齐全，经营场所符合要求")
    back.check("review_scjg2", case_id, cases.case(case_id).version, "同意", print_papers=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)  # the store opens behind the sign-in screen
        app.push_screen(ReadyScreen(CLERK))
        await settle(pilot)
        await pilot.press("enter")  # the result
        await settle(pilot)
        await pilot.press("down", "enter")  # 邮寄送达（免费）
        await settle(pilot)
        app.screen.query_one("#ask-text").value = "张三 13800138000 示范县城关镇人民路1号"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")  # 中国邮政EMS
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#ask-text").value = "EA123456784CN"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog and "校验位不对" in plain(dialog.query_one(".dialog-message"))
        assert _status(store, case_id) == "ready"
        dialog.query_one("#ask-text").value = "EA123456785CN"
        await pilot.press("enter")
        await settle(pilot)
    with store.session() as s:
        case = s.get(Case, case_id)
        assert (case.status, case.delivery, case.tracking_no) == ("finished", "post", "EA123456785CN")
        assert "示范县城关镇人民路1号" in case.delivery_detail
