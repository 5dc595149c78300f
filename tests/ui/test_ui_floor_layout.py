"""The live floor of the demo county centre (26 windows) at ordinary terminal sizes: every
panel in sight, and every key of the floor on screen at 100 columns."""

from __future__ import annotations

import pytest
from ui_helpers import accepted_case, screen_text, sign_in

from clerk.sync import meta
from screens.supervisor.floor import FloorScreen

pytestmark = pytest.mark.anyio
# The boxes the panels scroll in (a panel longer than its box scrolls; its box stays in sight).
PANELS = ("#floor-windows", "#floor-lines-box", "#floor-side", "#floor-message")


@pytest.mark.parametrize("size", [(100, 30), (120, 40), (80, 24)])
async def test_every_panel_of_the_floor_is_on_screen_with_26_windows(app, store, clock, size):
    for _ in range(3):
        accepted_case(store, clock)
    with store.write() as s:  # an enrolled counter, so its own link is on the floor too
        meta.put(s, meta.DEVICE_ID, "dev-floor")
    clock.advance(days=60)  # the cases are past their limits, the counter's outbox is late: both panels speak
    async with app.run_test(size=size) as pilot:
        await sign_in(pilot, "super01")
        screen = app.screen
        assert isinstance(screen, FloorScreen) and len(screen.floor.windows) == 26
        bottom = min(w.region.y for w in screen.query("SyncBar, KeyBar, Footer"))
        for panel in PANELS:
            region = screen.query_one(panel).region
            assert region.height > 0 and region.y >= 1 and region.bottom <= bottom, (panel, region)
        shown = "\n".join(screen_text(pilot))
        for title in ("4号", "各业务等候", "A 综合受理", "离线窗口机：本机", "办件时限", "已超期"):
            assert title in shown, title


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
async def test_every_key_of_the_floor_is_on_screen(enrolled_app, size):
    """Enrolled with a central store, so the sync keys (F5, F6) and F12 all apply."""
    app = enrolled_app
    async with app.run_test(size=size) as pilot:
        await sign_in(pilot, "super01")
        screen = app.screen
        assert isinstance(screen, FloorScreen)
        bar, keys_bar = screen.query_one("SyncBar").region, screen.query_one("KeyBar").region
        assert not bar.overlaps(keys_bar) and keys_bar.bottom == size[1], (bar, keys_bar)
        shown = "\n".join(screen_text(pilot))
        keys = [b for b in screen.BINDINGS if b.show and screen.check_action(b.action, ()) is not False]
        assert len(keys) == 15  # the fourteen floor keys and Ctrl+T (applicant messages)
        for binding in keys:
            assert f"{app.get_key_display(binding)} {binding.description}" in shown, binding.key


async def test_more_cases_past_than_the_floor_lists_are_counted_in_its_heading(app, store, clock, monkeypatch):
    from clerk.floor import cases

    monkeypatch.setattr(cases, "SHOWN", 2)
    for _ in range(3):
        accepted_case(store, clock)
    clock.advance(days=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "super01")
        screen = app.screen
        assert isinstance(screen, FloorScreen) and len(screen.floor.cases) == 2
        panel = str(screen.query_one("#floor-cases").render())
        assert panel.startswith("办件时限（已超期 3 件，临近 0 件；列出最紧迫的 2 件）\n"), panel
