"""Catalogue search: names, aliases, full pinyin, initials and codes; no pypinyin on a counter."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from clerk import catalogue
from clerk.fixtures import FixtureSet, load_fixtures
from clerk.reference_data import install
from clerk.store import migrate
from clerk.store.engine import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    shipped = load_fixtures(ROOT / "fixtures")
    fs = FixtureSet(departments=shipped.departments, items=shipped.items, centres=shipped.centres)
    store = Store.sqlite(tmp_path_factory.mktemp("cat") / "c.sqlite3")
    migrate.upgrade(store)
    install(store, fs)
    yield store
    store.dispose()


def _names(store: Store, text: str) -> list[str]:
    with store.session() as session:
        return [i.name for i in catalogue.search(session, text)]


def test_search_key_holds_name_alias_initials_full_pinyin_and_code() -> None:
    key = catalogue.search_key("个体工商户设立登记", "SCJG-XK-001", ["营业执照"])
    assert key.split() == [
        "个体工商户设立登记", "gtgshsldj", "getigongshanghushelidengji",
        "营业执照", "yyzz", "yingyezhizhao", "scjg-xk-001",
    ]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("低保", {"最低生活保障申请"}),
        ("dibao", {"最低生活保障申请"}),
        ("getigongshanghu", {"个体工商户设立登记", "个体工商户注销登记"}),
        ("gtgsh", {"个体工商户设立登记", "个体工商户注销登记"}),
        ("GETIGONGSHANGHU", {"个体工商户设立登记", "个体工商户注销登记"}),
        ("zuidishenghuobaozhang", {"最低生活保障申请"}),
        ("五保", {"特困人员救助供养申请"}),
        ("mzj-jf-003", {"特困人员救助供养申请"}),
        ("社保卡", {"社会保障卡申领"}),
    ],
)
def test_search_finds(store: Store, typed: str, expected: set[str]) -> None:
    assert set(_names(store, typed)) == expected


def test_an_alias_finds_every_item_it_names(store: Store) -> None:
    found = set(_names(store, "营业执照"))
    assert {"个体工商户设立登记", "有限责任公司设立登记", "公司变更登记"} <= found
    assert "最低生活保障申请" not in found


def test_words_narrow_the_search(store: Store) -> None:
    assert _names(store, "营业执照 注销") == ["个体工商户注销登记"]
    assert _names(store, "zzzqqq") == []


def test_markup_and_wildcards_are_plain_text(store: Store) -> None:
    assert _names(store, "%") == [] and _names(store, "_") == []
    assert _names(store, "[red]") == []


def test_guide_carries_the_new_fields(store: Store) -> None:
    with store.session() as session:
        g = catalogue.guide(session, "GAJ-QR-002")
        food = catalogue.guide(session, "SCJG-XK-002")
    assert g is not None and food is not None
    assert g.fee == "工本费20元" and "2322号" in g.fee_basis
    assert g.guide_version == "2026.1" and "换身份证" in g.aliases
    assert food.commitment_allowed and food.commitment_exclusions
    ways = {m.name: m.exempt_ways for m in food.materials}
    assert any("e_licence" in w for w in ways.values())


def test_the_workstation_starts_without_pypinyin() -> None:
    """pypinyin costs half a second at import: only installing reference data needs it."""
    code = "import sys, screens.app, clerk.desk, clerk.catalogue; print('pypinyin' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_published_catalogue_reaches_a_counter_whole(pg_database_url: str, tmp_path: Path) -> None:
    """The new list fields travel from PostgreSQL through the change log into SQLite unchanged,
    search keys included (the counter never computes pinyin)."""
    import json

    from sqlalchemy import insert as sa_insert
    from sqlmodel import select

    from clerk.central import state
    from clerk.central.reference import publish_fixtures
    from clerk.store.central_tables import ChangeLog
    from clerk.store.reference import ServiceItem
    from clerk.sync.rows import row_from_json, synced_table

    shipped = load_fixtures(ROOT / "fixtures")
    central = Store.url(pg_database_url)
    state.prepare(central)
    publish_fixtures(central, FixtureSet(departments=shipped.departments, items=shipped.items, centres=shipped.centres))
    counter = Store.sqlite(tmp_path / "counter.sqlite3")
    migrate.upgrade(counter)
    with central.session() as session:
        entries = session.exec(select(ChangeLog).order_by(ChangeLog.seq)).all()
    with counter.write() as session:
        for e in entries:
            table = synced_table(e.table_name)
            if table is not None and e.row is not None and e.centre_code is None:
                session.execute(sa_insert(table), [row_from_json(table, json.loads(e.row))])
    with counter.session() as session:
        item = session.get(ServiceItem, "MZJ-JF-002")
        assert item is not None and item.aliases == ["低保", "申请低保"] and item.levels == ["county", "township"]
        assert "dibao" in item.search_key
        assert [i.name for i in catalogue.search(session, "dibao")] == ["最低生活保障申请"]
    central.dispose()
    counter.dispose()
