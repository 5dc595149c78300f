"""The supervisor's floor asks the central store for a new counter's enrolment code (Ctrl+N)
and lists the centre's enrolled counters (Ctrl+D), against a real `clerk serve` on 127.0.0.1:
the code on screen enrols a second installation, the list shows the devices the central
store really holds; with the central store away or never configured, a Chinese message and
the floor stays."""

from __future__ import annotations

import shutil

import pytest
from sqlmodel import col, select
from ui_helpers import plain, settle, sign_in

from clerk.central.devices import code_hash, make_enrol_code
from clerk.clock import SystemClock, local_time
from clerk.config import Settings, StoreSettings, SyncSettings
from clerk.store.central_tables import Device, EnrolCode
from clerk.store.engine import Store
from clerk.sync.client import CentralClient
from clerk.sync.enrol import enrol
from screens.app import make_app
from screens.supervisor.devices import DevicesScreen
from screens.supervisor.enrol_code import EnrolCodeDialog
from screens.supervisor.floor import FloorScreen

pytestmark = pytest.mark.anyio
# The agent's loop stays out of the way: only the supervisor's keys reach the central store.
QUIET = SyncSettings(poll_s=60, interval_s=600, max_backoff_s=600, timeout_s=5)


@pytest.fixture
def office_app(tmp_path, store, central):
    """The supervisor's counter "值班室", enrolled with the real central store."""
    central_store, url = central
    client = CentralClient(url)
    enrol(store, client, make_enrol_code(central_store, SystemClock(), "demo-county"), "值班室")
    client.close()
    settings = Settings(store=StoreSettings(path=str(tmp_path / "counter.sqlite3")), sync=QUIET)
    return make_app(settings, store, SystemClock(), cursor_blink=False)  # the server's clock: real time


def enrol_new_counter(tmp_path, template_db, url: str, code: str, name: str) -> str:
    """What the new PC's `clerk enrol URL CODE --name NAME` does: a fresh installation enrols."""
    path = tmp_path / "new-counter.sqlite3"
    shutil.copyfile(template_db, path)
    store, client = Store.sqlite(path), CentralClient(url)
    try:
        return enrol(store, client, code, name).device_id
    finally:
        client.close()
        store.dispose()


async def test_ctrl_n_shows_a_code_that_enrols_a_new_counter_and_ctrl_d_lists_it(office_app, central, tmp_path,
                                                                                 template_db):
    central_store, url = central
    async with office_app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "super01")
        assert isinstance(pilot.app.screen, FloorScreen)
        await pilot.press("ctrl+n")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, EnrolCodeDialog), plain(pilot.app.screen.query_one("#floor-message"))
        code = plain(dialog.query_one("#enrol-code")).strip()
        how = plain(dialog.query_one("#enrol-how"))
        valid = plain(dialog.query_one("#enrol-valid"))
        assert f"clerk enrol {url} {code} --name 3号窗口" in how, how
        with central_store.session() as s:  # the store keeps only the code's hash, and its limit
            expires = s.get(EnrolCode, code_hash(code)).expires_at
        assert f"有效至 {local_time(expires):%Y-%m-%d %H:%M}（24 小时内" in valid, valid
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, FloorScreen)

        new_id = enrol_new_counter(tmp_path, template_db, url, code, "7号窗口")

        await pilot.press("ctrl+d")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, DevicesScreen), plain(pilot.app.screen.query_one("#floor-message"))
        table = screen.query_one("#devices-table")
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert "共 2 台，有效 2 台" in plain(screen.query_one("#devices-summary"))
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, FloorScreen)
    with central_store.session() as s:
        held = s.exec(select(Device).order_by(col(Device.enrolled_at))).all()
    assert [(r[0], r[1], r[-1]) for r in rows] == [("值班室（本机）", "有效", held[0].id), ("7号窗口", "有效", new_id)]
    assert [d.id for d in held] == [held[0].id, new_id]
    assert rows[1][3] == "从未同步" and rows[1][2] == f"{local_time(held[1].enrolled_at):%Y-%m-%d %H:%M}"


async def test_with_the_central_store_away_the_floor_says_so_in_chinese(enrolled_app):
    async with enrolled_app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "super01")
        for key, said in (("ctrl+n", "未能发放登记码"), ("ctrl+d", "未能读取本中心设备")):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(pilot.app.screen, FloorScreen)
            line = pilot.app.screen.query_one("#floor-message")
            assert plain(line) == f"无法连接中心库，{said}，请检查网络后再试"
            # In sight, not pushed off screen below the demo centre's 26 windows.
            assert line.region.height == 1 and line.region.bottom <= pilot.app.size.height


async def test_a_counter_never_enrolled_gets_no_code_and_no_list(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "super01")
        shown = {k: b.binding.description for k, b in pilot.app.screen.active_bindings.items() if b.binding.show}
        assert (shown["ctrl+n"], shown["ctrl+d"], shown["ctrl+t"]) == ("发放登记码", "本中心设备", "通知待处理")
        # Each key says what it could not do (Ctrl+T once spoke of 登记码和设备列表).
        for key, said in (("ctrl+n", "登记码须在已登记的窗口机上发放"),
                          ("ctrl+d", "本中心设备须在已登记的窗口机上查看"),
                          ("ctrl+t", "申请人通知由中心库发送，待处理的通知须在已登记的窗口机上查看")):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(pilot.app.screen, FloorScreen)
            assert plain(pilot.app.screen.query_one("#floor-message")) == "本机尚未登记到中心库：" + said
