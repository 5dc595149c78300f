"""The shipped reference data loads, installs idempotently, and bad edits are named precisely."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import get_args

import pytest
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from clerk.clock import SystemClock
from clerk.fixtures import (
    CaseType,
    ExemptWay,
    FixtureError,
    FixtureSet,
    StaffRecord,
    WindowKind,
    load_fixtures,
)
from clerk.outbox import Workbench
from clerk.reference_data import install
from clerk.staff.auth import verify_password
from clerk.store import migrate
from clerk.store.engine import Store, StoreError
from clerk.store.reference import (
    WINDOW_KINDS,
    CalendarDay,
    Centre,
    Department,
    ItemMaterial,
    ServiceItem,
    ServiceLine,
    Staff,
    Window,
    WindowLine,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TABLES = (
    Centre,
    Department,
    ServiceLine,
    Window,
    WindowLine,
    Staff,
    ServiceItem,
    ItemMaterial,
    CalendarDay,
)


# --- helpers -------------------------------------------------------------------------------


def _counts(store: Store) -> dict[str, int]:
    with store.session() as session:
        return {t.__name__: session.exec(select(func.count()).select_from(t)).one() for t in TABLES}


def _snapshot(store: Store) -> dict[str, list]:
    """Every row of every reference table, comparable across installs."""
    with store.session() as session:
        return {
            t.__name__: sorted(repr(r.model_dump()) for r in session.exec(select(t)).all())
            for t in TABLES
        }


@pytest.fixture
def fx(tmp_path: Path) -> Path:
    """A private copy of the shipped fixtures, to break one way per test."""
    dest = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, dest)
    return dest


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}: the shipped fixture changed, fix the test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _load_error(folder: Path) -> str:
    with pytest.raises(FixtureError) as info:
        load_fixtures(folder)
    return info.value.message


@pytest.fixture(scope="module")
def shipped() -> FixtureSet:
    return load_fixtures(FIXTURES)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, shipped: FixtureSet) -> Iterator[Store]:
    """One migrated store with the shipped fixtures installed (hashing passwords is slow)."""
    store = Store.sqlite(tmp_path_factory.mktemp("ref") / "x.sqlite3")
    migrate.upgrade(store)
    install(store, shipped)
    yield store
    store.dispose()


# --- the shipped fixtures ------------------------------------------------------------------


def test_catalogue_has_real_items(shipped: FixtureSet) -> None:
    assert len(shipped.items) >= 30
    depts = {d.code for d in shipped.departments}
    for item in shipped.items:
        assert item.department in depts
        assert 3 <= len(item.materials) <= 8, item.name
        assert item.basis and item.conditions, item.name
        if item.case_type == "即办件":
            assert item.promised_limit_days <= 1, item.name
    assert any(i.commitment_allowed for i in shipped.items), "some items allow 告知承诺"
    assert any(m.deferrable for i in shipped.items for m in i.materials), (
        "some materials are 可容缺"
    )
    assert {i.case_type for i in shipped.items} == set(get_args(CaseType))
    assert {lv for i in shipped.items for lv in i.levels} == {"county", "township"}
    assert any(i.levels == ["township"] for i in shipped.items), "some items are the township's own"


def test_items_carry_what_intake_and_papers_need(shipped: FixtureSet) -> None:
    for item in shipped.items:
        assert item.guide_version, item.name
        assert item.aliases, f"{item.name}: everyday names for the search"
        if item.fee != "不收费":
            assert item.fee_basis, item.name
    assert any(i.fee != "不收费" for i in shipped.items), "some items charge a fee, with its basis"
    assert any(i.commitment_exclusions for i in shipped.items)
    # 复议前置 (行政复议法 Art 23(1)(4)): the refusal's rights paragraph changes for these.
    assert [i.code for i in shipped.items if i.review_first] == ["XZF-QT-001"]
    ways = {w for i in shipped.items for m in i.materials for w in m.exempt_ways}
    assert ways == set(get_args(ExemptWay)), "every way of 免提交 appears"


def test_departments_and_centres_carry_the_papers_data(shipped: FixtureSet) -> None:
    for d in shipped.departments:
        assert d.doc_code and d.review_organ and d.court, d.code
    assert len({d.doc_code for d in shipped.departments}) == len(shipped.departments)
    seals = {c.centre.level: c.centre.seal_name for c in shipped.centres}
    assert seals["township"] == "示范镇便民服务中心审核审批专用章"
    assert seals["county"].endswith("专用章")
    assert all(c.centre.doc_code for c in shipped.centres)


def test_aliases_name_the_items_people_mean(shipped: FixtureSet) -> None:
    by_alias: dict[str, set[str]] = {}
    for item in shipped.items:
        for alias in item.aliases:
            by_alias.setdefault(alias, set()).add(item.name)
    assert by_alias["低保"] == {"最低生活保障申请"}
    assert {"个体工商户设立登记", "有限责任公司设立登记"} <= by_alias["营业执照"]


def test_item_files_are_named_by_code() -> None:
    for path in (FIXTURES / "items").glob("*.toml"):
        assert f'code = "{path.stem}"' in path.read_text(encoding="utf-8")


def test_county_centre_covers_every_window_kind(shipped: FixtureSet) -> None:
    centres = {c.centre.code: c for c in shipped.centres}
    county = centres["demo-county"]
    assert county.centre.level == "county"
    assert len(county.windows) >= 20
    kinds = {w.kind for w in county.windows}
    assert kinds == set(get_args(WindowKind)) == set(WINDOW_KINDS)
    letters = {line.letter for line in county.lines}
    served = {letter for w in county.windows for letter in w.lines}
    assert letters == served, "every service line has a window"


def test_township_centre_is_small(shipped: FixtureSet) -> None:
    township = next(c for c in shipped.centres if c.centre.code == "demo-township")
    assert township.centre.level == "township"
    assert len(township.windows) == 2
    assert 2 <= len(township.lines) <= 3


def test_staff_cover_every_role(shipped: FixtureSet) -> None:
    county = [s for s in shipped.staff if s.centre == "demo-county"]
    township = [s for s in shipped.staff if s.centre == "demo-township"]
    chiefs = {s.department for s in shipped.staff if s.role == "chief"}
    assert chiefs >= {i.department for i in shipped.items}, "a chief representative per department"
    assert any(s.role == "chief" for s in township), "the township government signs its own items"
    for group in (county, township):
        assert any(s.role == "supervisor" for s in group)
        assert sum(s.role == "clerk" for s in group) >= 2
    by_name = {s.username: s for s in shipped.staff}
    # The usernames the README tells a newcomer to try.
    assert (by_name["clerk01"].role, by_name["clerk01"].centre) == ("clerk", "demo-county")
    assert (by_name["chief_scjg"].role, by_name["chief_scjg"].department) == ("chief", "scjg")
    assert (by_name["super01"].role, by_name["super01"].centre) == ("supervisor", "demo-county")
    assert (by_name["town01"].role, by_name["town01"].centre) == ("clerk", "demo-township")


def test_no_holiday_table_is_invented(shipped: FixtureSet) -> None:
    assert not (FIXTURES / "holidays" / "2027.toml").exists()
    assert (FIXTURES / "holidays" / "README.md").exists()


# --- installing ----------------------------------------------------------------------------


def test_install_writes_every_table(installed: Store, shipped: FixtureSet) -> None:
    counts = _counts(installed)
    assert counts["Department"] == len(shipped.departments)
    assert counts["ServiceItem"] == len(shipped.items)
    assert counts["ItemMaterial"] == sum(len(i.materials) for i in shipped.items)
    assert counts["Centre"] == len(shipped.centres)
    assert counts["Window"] == sum(len(c.windows) for c in shipped.centres)
    assert counts["WindowLine"] == sum(len(w.lines) for c in shipped.centres for w in c.windows)
    assert counts["Staff"] == len(shipped.staff)
    with installed.session() as session:
        clerk = session.exec(select(Staff).where(Staff.username == "clerk01")).one()
    assert clerk.password_hash != "demo1234"
    assert verify_password(clerk.password_hash, "demo1234")


def test_install_twice_is_idempotent(installed: Store, shipped: FixtureSet) -> None:
    before = _snapshot(installed)
    install(installed, shipped)
    assert _snapshot(installed) == before  # same rows, and the password hashes are kept


def test_broken_fixture_leaves_installed_store_unchanged(installed: Store, fx: Path) -> None:
    before = _snapshot(installed)
    _edit(fx / "items" / "SCJG-XK-001.toml", 'name = "个体工商户设立登记"', 'name = "改过的名称"')
    _edit(fx / "staff.toml", 'role = "supervisor"', 'role = "boss"')
    with pytest.raises(FixtureError):
        install(installed, load_fixtures(fx))
    assert _snapshot(installed) == before


def test_install_is_all_or_nothing(installed: Store, shipped: FixtureSet) -> None:
    before = _snapshot(installed)
    bad = FixtureSet(
        departments=shipped.departments,
        items=[shipped.items[0].model_copy(update={"name": "改过的名称"}), *shipped.items[1:]],
        centres=shipped.centres,
        # Staff rows already installed stay as they are; one unknown centre breaks the install.
        staff=[
            StaffRecord(
                username="ghost", name="无中心", role="clerk", centre="nowhere", password="demo1234"
            ),
        ],
        holidays=shipped.holidays,
    )
    with pytest.raises((StoreError, IntegrityError)):  # the foreign key violation
        install(installed, bad)
    assert _snapshot(installed) == before


def _lines(store: Store, window_id: str) -> set[str]:
    with store.session() as session:
        return set(session.exec(select(WindowLine.line_id).where(WindowLine.window_id == window_id)).all())


def test_reinstalling_keeps_the_lines_a_supervisor_moved(tmp_path: Path, shipped: FixtureSet) -> None:
    """潮汐窗口 moves are the hall's state: a reload of the files must not undo them."""
    fs = FixtureSet(departments=shipped.departments, items=shipped.items, centres=shipped.centres,
                    staff=[s for s in shipped.staff if s.username == "super01"], holidays=shipped.holidays)
    store = Store.sqlite(tmp_path / "hall.sqlite3")
    migrate.upgrade(store)
    install(store, fs)
    from_files = _lines(store, "demo-county:1")
    Workbench(store, SystemClock()).apply(
        "window.assign_lines", {"window_id": "demo-county:1", "line_ids": ["demo-county:E"]}, "super01"
    )
    install(store, fs)
    assert _lines(store, "demo-county:1") == {"demo-county:E"}
    install(store, fs, reset_lines=True)
    assert _lines(store, "demo-county:1") == from_files != {"demo-county:E"}
    store.dispose()


# --- malformed fixtures: the message names file, record and field --------------------------


def test_toml_syntax_error_names_file_and_line(fx: Path) -> None:
    _edit(fx / "departments.toml", 'code = "wjj"', 'code = "wjj')
    msg = _load_error(fx)
    assert "departments.toml" in msg
    assert "line" in msg


def test_missing_field_in_item(fx: Path) -> None:
    _edit(fx / "items" / "SCJG-XK-002.toml", 'kind = "行政许可"\n', "")
    msg = _load_error(fx)
    assert "SCJG-XK-002.toml" in msg
    assert "字段 kind" in msg and "缺少此项" in msg


def test_unknown_field_in_staff(fx: Path) -> None:
    _edit(fx / "staff.toml", 'username = "clerk03"', 'username = "clerk03"\ncolour = "red"')
    msg = _load_error(fx)
    assert "staff.toml" in msg
    assert "clerk03" in msg and "第3条" in msg
    assert "字段 colour" in msg and "不认识的字段" in msg


def test_wrong_type(fx: Path) -> None:
    _edit(fx / "items" / "MZJ-JF-002.toml", "legal_limit_days = 30", 'legal_limit_days = "三十"')
    msg = _load_error(fx)
    assert "MZJ-JF-002.toml" in msg
    assert "字段 legal_limit_days" in msg and "三十" in msg


def test_window_with_unknown_line(fx: Path) -> None:
    path = fx / "centres" / "demo-county.toml"
    _edit(
        path,
        'number = 5\nname = "无差别综合受理5号窗口"\nkind = "general"\nlines = ["A", "C", "D"]',
        'number = 5\nname = "无差别综合受理5号窗口"\nkind = "general"\nlines = ["A", "C", "Z"]',
    )
    msg = _load_error(fx)
    assert "demo-county.toml" in msg
    assert "5号窗口" in msg and "'Z'" in msg and "业务类别" in msg


def test_staff_with_unknown_department(fx: Path) -> None:
    _edit(fx / "staff.toml", 'department = "scjg"', 'department = "nosuch"')
    msg = _load_error(fx)
    assert "staff.toml" in msg
    assert "chief_scjg" in msg
    assert "字段 department" in msg and "nosuch" in msg


def test_vague_material_is_refused(fx: Path) -> None:
    _edit(fx / "items" / "WJJ-GG-001.toml", 'name = "结婚证"', 'name = "其他材料"')
    msg = _load_error(fx)
    assert "WJJ-GG-001.toml" in msg
    assert "materials 第3条" in msg  # the third material, counted as people count
    assert "其他材料" in msg


def test_promised_limit_longer_than_legal(fx: Path) -> None:
    _edit(fx / "items" / "ZJJ-XK-001.toml", "promised_limit_days = 3", "promised_limit_days = 9")
    msg = _load_error(fx)
    assert "ZJJ-XK-001.toml" in msg
    assert "承诺时限不得长于法定时限" in msg


def test_duplicate_item_code(fx: Path) -> None:
    copy = fx / "items" / "SCJG-XK-001-copy.toml"
    shutil.copy(fx / "items" / "SCJG-XK-001.toml", copy)
    msg = _load_error(fx)
    assert "SCJG-XK-001" in msg and "重复" in msg


def test_duplicate_item_code_names_both_files(fx: Path) -> None:
    shutil.copy(fx / "items" / "SCJG-XK-001.toml", fx / "items" / "SCJG-XK-001-copy.toml")
    msg = _load_error(fx)
    assert "SCJG-XK-001.toml" in msg and "SCJG-XK-001-copy.toml" in msg


def test_unknown_case_type_names_file_record_and_field(fx: Path) -> None:
    _edit(fx / "items" / "MZJ-JF-003.toml", 'case_type = "报批件"', 'case_type = "急办件"')
    msg = _load_error(fx)
    assert "MZJ-JF-003.toml" in msg and "事项 MZJ-JF-003 特困人员救助供养申请" in msg
    assert "字段 case_type" in msg and "急办件" in msg and "联办件" in msg


def test_unknown_exempt_way_names_the_material(fx: Path) -> None:
    _edit(fx / "items" / "RSJ-JF-002.toml", 'exempt_ways = ["data_sharing", "e_licence"]', 'exempt_ways = ["fax"]')
    msg = _load_error(fx)
    assert "RSJ-JF-002.toml" in msg
    assert "字段 materials 第2条 exempt_ways 第1条" in msg and "'fax'" in msg


def test_fee_without_basis_is_refused(fx: Path) -> None:
    path = fx / "items" / "GAJ-QR-002.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text("\n".join(x for x in text.splitlines() if not x.startswith("fee_basis")), encoding="utf-8")
    msg = _load_error(fx)
    assert "GAJ-QR-002.toml" in msg and "居民身份证换领" in msg and "收费依据 fee_basis" in msg


def test_exclusions_without_commitment_are_refused(fx: Path) -> None:
    _edit(fx / "items" / "WJJ-XK-002.toml", "commitment_allowed = true", "commitment_allowed = false")
    msg = _load_error(fx)
    assert "WJJ-XK-002.toml" in msg and "commitment_exclusions" in msg


def test_department_without_review_organ(fx: Path) -> None:
    _edit(fx / "departments.toml", 'doc_code = "示范县医保"\nreview_organ = "示范县人民政府"\n', 'doc_code = "示范县医保"\n')
    msg = _load_error(fx)
    assert "departments.toml" in msg and "ybj" in msg and "第4条" in msg
    assert "字段 review_organ" in msg and "缺少此项" in msg


def test_township_seal_must_be_the_township_seal(fx: Path) -> None:
    _edit(fx / "centres" / "demo-township.toml", 'seal_name = "示范镇便民服务中心审核审批专用章"',
          'seal_name = "示范镇便民服务中心（业务专用章）"')
    msg = _load_error(fx)
    assert "demo-township.toml" in msg and "中心 demo-township" in msg
    assert "seal_name" in msg and "审核审批专用章" in msg


def test_alias_repeating_the_name_is_refused(fx: Path) -> None:
    _edit(fx / "items" / "MZJ-JF-002.toml", 'aliases = ["低保", "申请低保"]', 'aliases = ["低保", "最低生活保障申请"]')
    msg = _load_error(fx)
    assert "MZJ-JF-002.toml" in msg and "别名 aliases" in msg


# --- booking slots (预约) ---------------------------------------------------------------------


def test_no_line_may_be_booking_only(fx: Path) -> None:
    _edit(fx / "centres" / "demo-county.toml", 'name = "综合受理"', 'name = "综合受理"\nbooking_only = true')
    msg = _load_error(fx)
    assert "demo-county.toml" in msg and "仅限预约" in msg and "现场取号" in msg


def test_a_slot_ending_before_it_starts_is_refused(fx: Path) -> None:
    _edit(fx / "centres" / "demo-county.toml", "end = 12:00:00", "end = 08:00:00")
    assert "结束时间" in _load_error(fx)


def test_the_shipped_slot_plans_are_installed(installed: Store) -> None:
    from clerk.store.booking_tables import SlotPlan

    with installed.session() as s:
        plans = s.exec(select(SlotPlan).where(SlotPlan.line_id == "demo-county:A")).all()
    assert {p.weekday for p in plans} == {1, 2, 3, 4, 5} and len(plans) == 10
    assert {p.capacity for p in plans} == {3}
