"""Snapshots of the main screens at 80×24, frozen clock, fixture data, no cursor blink.

Regenerate with ``pytest tests/ui --snapshot-update`` and look at the SVGs before committing.
"""

from __future__ import annotations

from ui_helpers import settle, sit_down

SIZE = (80, 24)


def test_sign_in_screen(snap_compare, app):
    async def ready(pilot) -> None:
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_home_screen(snap_compare, app):
    async def at_window_three(pilot) -> None:
        await sit_down(pilot, "clerk01", downs=2)

    assert snap_compare(app, terminal_size=SIZE, run_before=at_window_three)


def test_catalogue_search(snap_compare, app):
    async def search(pilot) -> None:
        await sit_down(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press(*"gtgsh")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=search)
