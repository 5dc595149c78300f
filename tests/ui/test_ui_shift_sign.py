"""Pilot tests of the supervisor's desk: F12 signs today's shift after the password again
(then a correction, linked to it), F1 unlocks a locked account; each recorded in the
supervisor's name. The counter is enrolled with a central store that is away: the signed
note waits in the outbox, and its signature holds for the central store's check."""

from __future__ import annotations

import pytest
from sqlmodel import select
from ui_helpers import PASSWORD, plain, settle, sign_in

from clerk.shifts.handlers import signature_holds
from clerk.staff.auth import SignInError
from clerk.staff.auth import sign_in as check_password
from clerk.store.local import Outbox
from clerk.store.shift_tables import AccountUnlock, ShiftNote
from screens.dialogs.ask import AskText, Choose
from screens.supervisor.floor import FloorScreen
from screens.supervisor.shift_sign import ShiftSignScreen

pytestmark = pytest.mark.anyio


async def _sign(pilot, text: str, password: str = PASSWORD) -> str:
    screen = pilot.app.screen
    screen.query_one("#shift-text").value = text
    screen.query_one("#shift-password").value = password
    await pilot.press("f7")
    await settle(pilot)
    return plain(screen.query_one("#shift-message"))


async def test_the_supervisor_signs_the_shift_then_adds_a_linked_correction(enrolled_app, store):
    app = enrolled_app
    async with app.run_test(size=(100, 40)) as pilot:
        await sign_in(pilot, "super01")
        assert isinstance(app.screen, FloorScreen)
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, ShiftSignScreen)
        assert "本班次尚无说明" in plain(app.screen.query_one("#shift-notes"))
        assert "密码验证失败" in await _sign(pilot, "上午叫号系统正常", password="wrong")
        assert "班次说明已签名" in await _sign(pilot, "上午叫号系统正常")
        notes = plain(app.screen.query_one("#shift-notes"))
        assert "[说明·已签名] 黄振华：上午叫号系统正常" in notes and "作为更正说明" in notes
        assert "更正说明已签名" in await _sign(pilot, "更正：10点至10点20分叫号屏故障")
        assert "[更正·已签名]" in plain(app.screen.query_one("#shift-notes"))
    with store.session() as s:
        rows = s.exec(select(Outbox.name, Outbox.actor_id).where(Outbox.name.like("shift.%"))
                      .order_by(Outbox.mutation_id)).all()
        first, fix = s.exec(select(ShiftNote).order_by(ShiftNote.written_at)).all()
        assert fix.corrects == first.id and signature_holds(s, first) and signature_holds(s, fix)
    assert rows == [("shift.note", "super01"), ("shift.sign", "super01")] * 2


async def test_f1_unlocks_a_locked_account(app, store, clock):
    for _ in range(5):
        with pytest.raises(SignInError):
            check_password(store, clock, "clerk02", "wrong", 5, 15)
    clock.advance(minutes=1)
    async with app.run_test(size=(100, 40)) as pilot:
        await sign_in(pilot, "super01")
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, Choose)
        labels = [str(o.prompt) for o in app.screen.query_one("#choose-list").options]
        await pilot.press(*["down"] * next(i for i, x in enumerate(labels) if "clerk02" in x), "enter")
        await settle(pilot)
        assert isinstance(app.screen, AskText)
        await pilot.press(*"本人到场核实", "enter")
        await settle(pilot)
        assert "账号 clerk02 已解锁" in plain(app.screen.query_one("#floor-message"))
        await pilot.press("f12")  # not enrolled: no shift signing here
        await settle(pilot)
        assert "本机未接入中心库" in plain(app.screen.query_one("#floor-message"))
    with store.session() as s:
        assert s.exec(select(AccountUnlock.unlocked_by)).one() == "super01"
    assert check_password(store, clock, "clerk02", PASSWORD, 5, 15).staff.username == "clerk02"
