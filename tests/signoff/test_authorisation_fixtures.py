"""The authorisation file (003 授权委托书) is validated like the rest of the reference data:
every error names the file, the record and the field; valid letters are installed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlmodel import select

from clerk.fixtures import FixtureError, load_fixtures
from clerk.reference_data import install_into
from clerk.store.engine import Store
from clerk.store.migrate import upgrade
from clerk.store.signoff_tables import Authorisation

FIXTURES = Path(__file__).parent.parent.parent / "fixtures"
GOOD = """
[[authorisation]]
chief = "chief_scjg"
department = "scjg"
final_items = ["SCJG-XK-001"]
review_items = ["SCJG-XK-005"]
valid_from = 2026-01-01
expires = 2026-12-31
"""


def _folder(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, folder)
    (folder / "authorisations.toml").write_text(text, encoding="utf-8")
    return folder


def _error(tmp_path: Path, text: str) -> str:
    with pytest.raises(FixtureError) as caught:
        load_fixtures(_folder(tmp_path, text))
    return caught.value.message


def test_the_shipped_letters_load():
    fs = load_fixtures(FIXTURES)
    chiefs = {a.chief for a in fs.authorisations}
    assert {"chief_scjg", "chief_rsj"} <= chiefs
    scjg = next(a for a in fs.authorisations if a.chief == "chief_scjg")
    assert "SCJG-XK-001" in scjg.final_items and "SCJG-XK-005" in scjg.review_items


def test_an_expiry_before_its_start_names_file_record_and_field(tmp_path):
    msg = _error(tmp_path, GOOD.replace("expires = 2026-12-31", "expires = 2025-12-31"))
    assert "authorisations.toml" in msg and "第1条 [[authorisation]] chief_scjg" in msg
    assert "expires" in msg and "早于生效日" in msg


def test_an_unknown_item_names_the_field_and_the_item(tmp_path):
    msg = _error(tmp_path, GOOD.replace('"SCJG-XK-001"', '"SCJG-XK-999"'))
    assert "authorisations.toml" in msg and "chief_scjg" in msg
    assert "字段 final_items" in msg and "SCJG-XK-999" in msg and "不存在" in msg


@pytest.mark.parametrize(("change", "words"), [
    (('"SCJG-XK-001"', '"RSJ-GG-001"'), "不属于部门 scjg"),
    (('chief = "chief_scjg"', 'chief = "clerk01"'), "不是首席事务代表"),
    (('department = "scjg"', 'department = "rsj"'), "不是该首席代表所属的部门"),
    (('review_items = ["SCJG-XK-005"]', 'review_items = ["SCJG-XK-001"]'), "不能同时列在"),
    (("expires = 2026-12-31", 'expires = 2026-12-31\ndeputy = "nobody"'), "字段 deputy"),
])
def test_other_mistakes_are_named(tmp_path, change, words):
    assert words in _error(tmp_path, GOOD.replace(*change))


def test_installing_replaces_the_letters(tmp_path):
    store = Store.sqlite(tmp_path / "s.sqlite3")
    upgrade(store)
    fs = load_fixtures(FIXTURES)
    with store.write() as s:
        install_into(s, fs)
    with store.session() as s:
        assert len(s.exec(select(Authorisation)).all()) == len(fs.authorisations)
    fs.authorisations = fs.authorisations[:1]
    with store.write() as s:
        install_into(s, fs)
    with store.session() as s:
        assert [a.chief_id for a in s.exec(select(Authorisation)).all()] == [fs.authorisations[0].chief]
    store.dispose()
