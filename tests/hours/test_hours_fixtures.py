"""Opening hours as reference data: validated on load (file, record, field), installed,
published to the central store so kiosk and counters read the same rules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlmodel import select

from clerk.central import state
from clerk.central.reference import publish_fixtures
from clerk.fixtures import FixtureError, FixtureSet, load_fixtures
from clerk.hours.load import centre_hours
from clerk.reference_data import install
from clerk.store import migrate
from clerk.store.central_tables import ChangeLog
from clerk.store.engine import Store
from clerk.store.reference import OpeningHours

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
COUNTY = "centres/demo-county.toml"


@pytest.fixture(scope="module")
def shipped() -> FixtureSet:
    fs = load_fixtures(FIXTURES)
    return FixtureSet(departments=fs.departments, centres=fs.centres)  # no staff: no password hashing


@pytest.fixture
def fx(tmp_path: Path) -> Path:
    dest = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, dest)
    return dest


def _error_after(fx: Path, old: str, new: str) -> str:
    path = fx / COUNTY
    text = path.read_text(encoding="utf-8")
    assert old in text, "the shipped county hours changed: fix the test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(FixtureError) as err:
        load_fixtures(fx)
    return err.value.message


def test_install_writes_the_rules_and_a_reload_drops_removed_ones(tmp_path: Path, shipped: FixtureSet) -> None:
    store = Store.sqlite(tmp_path / "x.sqlite3")
    migrate.upgrade(store)
    install(store, shipped)
    with store.session() as session:
        county = centre_hours(session, "demo-county")
        assert len(county.rules) == 2 and any(r.lines == {"C", "F"} for r in county.rules)
    county_record = next(c for c in shipped.centres if c.centre.code == "demo-county")
    fewer = county_record.model_copy(update={"hours": county_record.hours[:1]})
    install(store, FixtureSet(departments=shipped.departments, centres=[fewer]))
    with store.session() as session:
        rows = session.exec(select(OpeningHours).where(OpeningHours.centre_code == "demo-county")).all()
        assert [r.days for r in rows] == [["mon", "tue", "wed", "thu", "fri"]]
    store.dispose()


def test_publish_logs_the_hours_for_their_centre(tmp_path: Path, shipped: FixtureSet) -> None:
    central = Store.sqlite(tmp_path / "central.sqlite3")
    state.prepare(central)
    publish_fixtures(central, shipped)
    with central.session() as session:
        logged = session.exec(select(ChangeLog).where(ChangeLog.table_name == "opening_hours")).all()
    by_row: dict[str, set[str]] = {}
    for e in logged:
        by_row.setdefault(e.row_key, set()).add(e.centre_code)
    # Two rows a centre; the demo township's county (县事乡办) is its family, so each centre's
    # hours reach both — and nothing reaches every centre (no NULL entries).
    assert len(by_row) == 4 and all(c == {"demo-county", "demo-township"} for c in by_row.values())
    central.dispose()


def test_time_in_the_wrong_format_names_file_record_and_field(fx: Path) -> None:
    msg = _error_after(fx, 'opens = "09:00"', 'opens = "9点"')
    assert "demo-county.toml" in msg and "hours 第2条 opens" in msg and "HH:MM" in msg


def test_closing_before_opening_is_refused(fx: Path) -> None:
    msg = _error_after(fx, 'closes = "12:00"', 'closes = "08:00"')
    assert "demo-county.toml" in msg and "hours 第2条" in msg and "须早于结束时间" in msg


def test_unknown_line_or_lunch_window_is_refused(fx: Path) -> None:
    assert "不存在的业务类别 ['Z']" in _error_after(fx, 'lines = ["C", "F"]', 'lines = ["C", "Z"]')


def test_unknown_lunch_window_is_refused(fx: Path) -> None:
    assert "不存在的窗口 [99]" in _error_after(fx, "lunch_windows = [1, 2, 19]", "lunch_windows = [1, 99]")


def test_two_rules_for_one_day_are_refused(fx: Path) -> None:
    msg = _error_after(fx, 'days = ["sat"]\nopens = "09:00"\ncloses = "12:00"\nlines = ["C", "F"]',
                       'days = ["fri"]\nopens = "09:00"\ncloses = "12:00"')
    assert "hours 第2条与第1条在 fri 对整个中心重复" in msg


def test_unknown_day_name_is_refused(fx: Path) -> None:
    msg = _error_after(fx, 'days = ["sat"]', 'days = ["周六"]')
    assert "hours 第2条 days 第1条" in msg and "'周六'" in msg
