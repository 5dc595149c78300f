"""Pilot tests of the workstation flows: sign-in, window choice, home, catalogue, guide, bad input."""

from __future__ import annotations

import gc
import threading

import pytest
from sqlmodel import select
from ui_helpers import plain, settle, sign_in, sit_down

from clerk.config import ConfigError
from clerk.store.local import Outbox
from clerk.store.operations import StaffSession
from clerk.store.reference import ServiceItem, Staff
from screens.app import Wiring, make_app
from screens.catalogue.guide import GuideScreen
from screens.catalogue.results import limit_label
from screens.catalogue.search import NOT_FOUND, CatalogueScreen
from screens.dialogs.error import ErrorDialog
from screens.start.cannot_start import CannotStartScreen
from screens.start.home import HomeScreen
from screens.start.sign_in import SignInScreen
from screens.start.windows import WindowScreen

pytestmark = pytest.mark.anyio


def _message(app) -> str:
    return plain(app.screen.query_one("#sign-in-message"))


async def test_sign_in_window_choice_and_home(app, store):
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "clerk01")
        assert isinstance(app.screen, WindowScreen)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        shown = {w.id: plain(w) for w in app.screen.query("#who Static")}
        assert "王晓丽（窗口工作人员）" in shown["home-staff"]
        assert "2号" in shown["home-window"]
        assert "示范县政务服务中心" in shown["home-centre"]
        assert "2026年11月16日 星期一 · 工作日" in shown["home-today"]
        assert "未配置" in shown["home-sync"]
    with store.session() as session:
        rows = session.exec(select(Outbox)).all()
    assert [(r.name, r.actor_id) for r in rows] == [("staff.sign_in", "clerk01"), ("seat.take", "clerk01")]


async def test_wrong_password_tells_tries_left(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "clerk01", "wrong-password")
        assert isinstance(app.screen, SignInScreen)
        assert "还可以再试4次" in _message(app)
        assert app.screen.query_one("#password").value == ""


async def test_five_failures_lock_the_account(app):
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(5):
            await sign_in(pilot, "clerk02", "wrong-password")
        assert "账号已锁定15分钟" in _message(app)
        await sign_in(pilot, "clerk02")  # the right password no longer helps
        assert isinstance(app.screen, SignInScreen)
        assert "已锁定至 09:15" in _message(app)


async def _search(pilot, text: str) -> list[str]:
    await pilot.press("f2")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CatalogueScreen)
    await pilot.press(*text)
    await settle(pilot)
    return _names(pilot.app.screen)


async def test_catalogue_search_by_name_initials_and_code(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await sit_down(pilot)
        assert "个体工商户设立登记" in await _search(pilot, "个体工商户")
        pilot.app.screen.query_one("#search").value = ""
        await pilot.press(*"gtgsh")
        await settle(pilot)
        names = _names(pilot.app.screen)
        assert "个体工商户设立登记" in names and all(n.startswith("个体工商户") for n in names)
        pilot.app.screen.query_one("#search").value = "scjg-xk-001"
        await settle(pilot)
        assert _names(pilot.app.screen) == ["个体工商户设立登记"]


def _names(screen) -> list[str]:
    return [item.name for item in screen.query_one("#results").items]


async def test_unknown_text_says_nothing_found(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await sit_down(pilot)
        assert await _search(pilot, "zzzqqq") == []
        assert plain(app.screen.query_one("#search-status")) == NOT_FOUND


async def test_enter_opens_the_guide_with_materials_and_escape_goes_back(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await sit_down(pilot)
        await _search(pilot, "SCJG-XK-001")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, GuideScreen)
        assert "个体工商户设立登记" in plain(app.screen.query_one("#guide-title"))
        facts = plain(app.screen.query_one("#guide-facts"))
        assert "行政许可" in facts and "即办件" in facts and "当场办结" in facts
        materials = plain(app.screen.query_one("#guide-materials"))
        assert (
            "经营者居民身份证" in materials
            and "原件或电子证照" in materials
            and "必交" in materials
        )
        assert "申请材料" in plain(app.screen.query_one("#guide-materials-title"))
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CatalogueScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_markup_in_names_is_shown_literally(app, store):
    with store.write() as session:
        staff = session.get(Staff, "clerk01")
        staff.name = "[bold]王[/bold]晓丽"
        item = session.get(ServiceItem, "SCJG-XK-001")
        item.name = "[red]个体[/red]工商户设立登记"
        session.add(staff)
        session.add(item)
    async with app.run_test(size=(80, 24)) as pilot:
        await sit_down(pilot)
        assert "[bold]王[/bold]晓丽" in plain(app.screen.query_one("#home-staff"))
        rows = await _search(pilot, "SCJG-XK-001")
        assert rows == ["[red]个体[/red]工商户设立登记"]
        assert "[red]个体[/red]" in app.export_screenshot()


async def test_sign_out_returns_to_sign_in(app, store):
    async with app.run_test(size=(80, 24)) as pilot:
        await sit_down(pilot)
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
    with store.session() as session:
        assert [r.name for r in session.exec(select(Outbox))] == [
            "staff.sign_in", "seat.take", "seat.leave", "staff.sign_out",
        ]
        assert session.exec(select(StaffSession)).one().ended_at is not None


async def test_corrupt_database_shows_a_message_and_leaves_the_file(build_app, settings):
    path = settings.store_path()
    garbage = b"this is not a database " * 200
    path.write_bytes(garbage)
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CannotStartScreen)
        message = plain(app.screen.query_one("#startup-status"))
        assert "本地数据库文件已损坏" in message and "按 F10 退出" in message
        await pilot.press("f10")
    assert app.return_code == 2
    assert path.read_bytes() == garbage


async def test_sign_in_is_typed_while_the_store_opens_and_waits_for_it(settings, store, clock):
    """The first screen is up before the store: typing lands, Enter waits for the store."""
    opening = threading.Event()

    def wire() -> Wiring:  # the composition root's part of start-up, held back here
        opening.wait(10)
        return Wiring(settings)

    app = make_app(None, store, clock, cursor_blink=False, wire=wire)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen) and not app.desk_ready
        assert "正在打开本地数据库" in plain(app.screen.query_one("#centre-name"))
        await pilot.press(*"clerk01", "enter", *"demo1234", "enter")
        assert app.screen.query_one("#username").value == "clerk01"
        assert "正在核对" in plain(app.screen.query_one("#sign-in-message"))
        assert isinstance(app.screen, SignInScreen)
        opening.set()
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, WindowScreen)
    with store.session() as session:
        assert [r.name for r in session.exec(select(Outbox))] == ["staff.sign_in"]


async def test_bad_settings_end_the_app_for_the_caller_to_report(clock):
    def wire() -> Wiring:
        raise ConfigError("找不到配置文件：/nowhere.toml", "config file not found")

    app = make_app(None, None, clock, cursor_blink=False, wire=wire)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
    assert app.return_code == 2
    assert app.start_error is not None and "找不到配置文件" in app.start_error.message


async def test_first_start_loads_fixtures_and_says_so(build_app, settings):
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert any("已从 fixtures 载入基础数据" in n.message for n in app._notifications)
    assert settings.store_path().exists()


async def test_a_failing_worker_shows_a_plain_message_and_the_app_keeps_running(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await sit_down(pilot)

        def broken(text: str):
            raise RuntimeError("disk on fire")

        app.desk.search = broken
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, ErrorDialog)
        assert "程序内部出错" in plain(app.screen.query_one("#error-message"))
        await pilot.press("enter")
        assert isinstance(app.screen, CatalogueScreen)


async def test_keys_typed_in_a_burst_choose_the_row_the_arrows_reached(app, store):
    """Arrows and Enter arriving together (a fast typist, a remote console) act in order."""
    from textual import events

    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "clerk01")
        for key in ("down", "down", "enter"):
            app.post_message(events.Key(key, None))
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "3号" in plain(app.screen.query_one("#home-window"))


async def test_search_typed_and_entered_in_a_burst_opens_the_match(app):
    from textual import events

    async with app.run_test(size=(80, 24)) as pilot:
        await sit_down(pilot)
        await pilot.press("f2")
        await settle(pilot)
        for key in [*"jzgcsg", "enter"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        for _ in range(3):
            await settle(pilot)
        assert isinstance(app.screen, GuideScreen)
        assert app.screen.code == "ZJJ-XK-001"  # 建筑工程施工许可证核发, not the first item listed


async def test_sign_in_typed_in_one_burst_keeps_name_and_password_apart(app):
    from textual import events

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        keys = [*"clerk01", "tab", *"demo1234", "enter"]
        for key in keys:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        for _ in range(3):
            await settle(pilot)
        assert isinstance(app.screen, WindowScreen)


async def test_the_workstation_freezes_what_start_up_made_and_tests_do_not(settings, store, clock):
    assert gc.get_freeze_count() == 0
    plain_app = make_app(settings, store, clock, cursor_blink=False)
    async with plain_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert plain_app.desk is not None and gc.get_freeze_count() == 0
    app = make_app(settings, store, clock, cursor_blink=False, freeze_start_up=True)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, SignInScreen)
            assert gc.get_freeze_count() > 100_000  # the store, Textual, SQLAlchemy, ...
    finally:
        gc.unfreeze()


def _lines(screen) -> list[str]:
    """The result list as drawn: its header, then one line an item in view."""
    results = screen.query_one("#results")
    return [results.render_line(y).text for y in range(results.size.height)]


async def test_result_lines_show_every_column_and_the_arrows_scroll_to_the_cursor(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await sit_down(pilot)
        await _search(pilot, "")
        screen = app.screen
        results = screen.query_one("#results")
        lines = _lines(screen)
        assert lines[0].split() == ["事项名称", "类型", "办件类型", "实施部门", "承诺时限"]
        first = results.items[0]
        assert first.name in lines[1] and first.kind in lines[1] and first.case_type in lines[1]
        assert first.department in lines[1] and limit_label(first.promised_limit_days) in lines[1]
        assert all(len(line) <= 80 for line in lines)  # the promised limit stays on screen
        rows = results.size.height - 1
        await pilot.press(*["down"] * (rows + 2))  # past the last line in view
        assert results.cursor == rows + 2
        assert results.items[rows + 2].name[:6] in _lines(screen)[-1]  # scrolled to keep it in view
        await pilot.press("up", "pageup", "pageup")
        assert results.cursor == 0 and results.items[0].name in _lines(screen)[1]
        await pilot.press("up")  # stops at the top
        assert results.cursor == 0
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, GuideScreen) and app.screen.code == results.items[2].code


async def test_clicking_an_item_opens_its_guide(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await sit_down(pilot)
        await _search(pilot, "gtgsh")
        results = app.screen.query_one("#results")
        await pilot.click("#results", offset=(5, 2))  # the header, then the first and second item
        await settle(pilot)
        assert isinstance(app.screen, GuideScreen) and app.screen.code == results.items[1].code


async def test_a_long_name_is_cut_with_an_ellipsis_inside_its_column(app, store):
    with store.write() as session:
        item = session.get(ServiceItem, "SCJG-XK-001")
        item.name = "个体工商户设立登记" * 6
        session.add(item)
    async with app.run_test(size=(80, 24)) as pilot:
        await sit_down(pilot)
        await _search(pilot, "SCJG-XK-001")
        line = _lines(app.screen)[1]
        assert "…" in line and "即办件" in line and "当场办结" in line
