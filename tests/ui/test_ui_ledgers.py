"""Pilot tests of the ledgers: a bad review rated on the pad after a visit and rectified
to its end from the ledger screen; a first contact referred twice, the 指路单 stored, the
officer still the owner."""

from __future__ import annotations

import pytest
from sqlmodel import select
from ui_helpers import plain, settle, sit_down
from ui_queue import issue

from clerk.ledgers.service import LedgerDesk
from clerk.outbox import Workbench
from clerk.store.ledger_tables import LedgerEntry, Rating
from clerk.store.operations import Notice
from screens.ledgers.entry import EntryScreen
from screens.ledgers.ledger_list import LedgerScreen
from screens.ledgers.rating import RatingDialog
from screens.queue.calling import CallingScreen

pytestmark = pytest.mark.anyio


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def answer(pilot, text: str) -> None:
    """Type into the AskText dialog on top and press Enter."""
    pilot.app.screen.query_one("#ask-text").value = text
    await press(pilot, "enter")


async def serve_one(pilot) -> None:
    await sit_down(pilot)
    await press(pilot, "f3")
    assert isinstance(pilot.app.screen, CallingScreen)
    await press(pilot, "f1")
    await press(pilot, "f7")
    await press(pilot, "f8")


async def test_a_bad_review_is_rectified_to_its_end(app, store, clock):
    issue(store, clock, "A")
    async with app.run_test(size=(100, 30)) as pilot:
        await serve_one(pilot)
        await press(pilot, "ctrl+r")
        dialog = pilot.app.screen
        assert isinstance(dialog, RatingDialog)
        assert dialog.query_one("#rating-grade").highlighted is None  # no grade suggested
        await press(pilot, *["down"] * 5, "enter")  # 非常不满意, as the pad shows
        dialog.query_one("#rating-text").value = "等候时间太长"
        dialog.query_one("#rating-text").focus()
        await press(pilot, "enter")  # no reason ticked yet
        assert "须选择至少一项理由" in plain(dialog.query_one(".dialog-message"))
        dialog.query_one("#rating-reasons").focus()
        await press(pilot, "space")
        dialog.query_one("#rating-text").focus()
        await press(pilot, "enter")
        assert isinstance(pilot.app.screen, CallingScreen), plain(dialog.query_one(".dialog-message"))
        await press(pilot, "escape")  # home
        await press(pilot, "f4")
        ledger = pilot.app.screen
        assert isinstance(ledger, LedgerScreen) and len(ledger.shown) == 1
        await press(pilot, "enter")
        entry = pilot.app.screen
        assert isinstance(entry, EntryScreen)
        assert "差评：非常不满意" in plain(entry.query_one("#entry-facts"))
        await press(pilot, "f4")  # no result before the verification: the key is hidden
        assert isinstance(pilot.app.screen, EntryScreen)
        await press(pilot, "f3", "enter")
        await answer(pilot, "当日叫号系统故障，等候较久属实")
        await press(pilot, "f4", "enter")
        await answer(pilot, "增设临时窗口，故障时人工叫号")
        await press(pilot, "f6")
        await answer(pilot, "电话向评价人说明整改情况")
        await press(pilot, "f7", "down", "enter", "enter", "enter")  # today (the preset), by phone, satisfied
        await press(pilot, "f8")
        assert "已办结" in plain(entry.query_one("#entry-message"))
        assert "办结" in plain(entry.query_one("#entry-steps"))
    with store.session() as s:
        rating = s.exec(select(Rating)).one()
        rect = s.exec(select(LedgerEntry).where(LedgerEntry.rating_id == rating.id)).one()
    assert (rating.grade, rating.reasons, rating.text) == (1, "108", "等候时间太长")
    assert rect.status == "closed" and rect.result_kind == "rectified" and rect.followed_up_on is not None


async def test_a_first_contact_referred_across_windows_keeps_its_owner(app, store, clock):
    issue(store, clock, "A")
    async with app.run_test(size=(100, 30)) as pilot:
        await sit_down(pilot)
        await press(pilot, "f3", "f1", "f7")  # serving the ticket
        await press(pilot, "ctrl+e")
        dialog = pilot.app.screen
        dialog.query_one("#fc-person").value = "刘女士"
        dialog.query_one("#fc-matter").value = "社保转移接续"
        await press(pilot, "f3")  # referred
        dialog.query_one("#fc-detail").value = "2号窗口"
        dialog.query_one("#fc-reason").value = "社保业务在2号窗口办理"
        dialog.query_one("#fc-reason").focus()
        await press(pilot, "enter")
        assert pilot.app.screen is not dialog
    with store.session() as s:
        entry = s.exec(select(LedgerEntry)).one()
        notice = s.exec(select(Notice).where(Notice.entry_id == entry.id)).one()
        clerk = entry.owner_id
    assert entry.status == "referred" and entry.ticket_id is not None and entry.window_id == "demo-county:1"
    assert notice.kind == "guidance_slip" and "2号窗口" in notice.body
    # At window 2 the visitor cannot be served either: the officer refers on, and still owns it.
    desk = LedgerDesk(Workbench(store, clock), store, clock)
    desk.step(clerk, "refer", entry.id, place="县医疗保障局", reason="异地医保转移需到医保局办理")
    with store.session() as s:
        assert s.get(LedgerEntry, entry.id).owner_id == clerk


async def test_a_complaint_is_registered_classified_assigned_and_disputed(app, store, clock):
    async with app.run_test(size=(100, 30)) as pilot:
        await sit_down(pilot)
        await press(pilot, "f4", "f5")  # ledger screen, then a new 办不成事 entry
        dialog = pilot.app.screen
        dialog.query_one("#bc-description").focus()
        await press(pilot, "enter")
        assert "请填写问题描述" in plain(dialog.query_one(".dialog-message"))  # nothing stored yet
        dialog.query_one("#bc-person").value = "王先生"
        dialog.query_one("#bc-matter").value = "个体工商户注销"
        dialog.query_one("#bc-description").value = "税务未清，窗口称办不了，未说明去哪里办"
        await press(pilot, "f2", "f2", "f3", "f3")  # by 12345; class 政策原因
        assert "12345" in plain(dialog.query_one("#bc-choice")) and "政策原因" in plain(dialog.query_one("#bc-choice"))
        dialog.query_one("#bc-description").focus()
        await press(pilot, "enter")
        entry = pilot.app.screen
        assert isinstance(entry, EntryScreen), plain(dialog.query_one(".dialog-message"))
        await press(pilot, "a", "down", "enter")  # assign to the first person listed
        await answer(pilot, "县市场监管局")
        assert "已交办" in plain(entry.query_one("#entry-message"))
        await press(pilot, "d")
        await answer(pilot, "注销涉及税务清算，不属本单位职责")
        assert "值班长裁定" in plain(entry.query_one("#entry-message"))
    with store.session() as s:
        row = s.exec(select(LedgerEntry).where(LedgerEntry.kind == "complaint")).one()
        slip = s.exec(select(Notice).where(Notice.entry_id == row.id)).one()
    assert (row.channel, row.class_code, row.unit, row.status) == ("12345", "policy", "县市场监管局", "disputed")
    assert row.due_date is not None and row.assignee_id is not None and row.is_open
    assert slip.kind == "assignment_slip" and "县市场监管局" in slip.body
