"""一事一评 on the case's public page, on SQLite and PostgreSQL: the plain form's POST is stored
through ``rating.give`` with nobody named, redirected to a thank-you page, and reaches the
handler's counter by its pull with a bad review's rectification; every refusal is a Chinese
page with its status and stores nothing; a loop of posts from one address gets a 429."""

from __future__ import annotations

import re

import pytest
from harness import enrolled_counter
from public_case_helpers import add_item, personal_data, synced_case
from sqlmodel import func, select

from clerk.central.limits import PerAddress
from clerk.ids import new_id
from clerk.ledgers.service import LedgerDesk
from clerk.store.ledger_tables import LedgerEntry, LedgerStep, Rating


@pytest.fixture
def counter(central, api, template, tmp_path):
    add_item(central)
    return enrolled_counter(tmp_path, "w1", central, template, api, "http://central")


def _form(api, token: str) -> dict:
    """The form's own hidden id, as a browser sends it back."""
    page = api.get(f"/case/{token}")
    assert page.status_code == 200
    return {"form_id": re.search(r'name=form_id value="([^"]+)"', page.text).group(1)}


def _post(api, token: str, **fields):
    return api.post(f"/case/{token}/rating", data=fields, follow_redirects=False)


def _count(store, table) -> int:
    with store.session() as s:
        return s.exec(select(func.count()).select_from(table)).one()


def _no_personal_data(case, *responses) -> None:
    for response in responses:
        for personal in personal_data(case):
            assert personal not in response.text, personal


def test_a_bad_rating_is_anonymous_and_reaches_the_handlers_counter(central, api, counter):
    case, token = synced_case(counter, central, "http://central")
    form = _form(api, token)
    posted = _post(api, token, **form, grade="1", **{"reason-1": ["113", "115"]}, text="来回跑了三趟")
    assert posted.status_code == 303 and posted.headers["location"] == f"/case/{token}/thanks"
    thanks = api.get(posted.headers["location"])
    assert thanks.status_code == 200 and "感谢您的评价" in thanks.text
    after = api.get(f"/case/{token}")
    assert "该办件已评价" in after.text and "<form" not in after.text
    _no_personal_data(case, thanks, after)
    with central.session() as s:
        rating = s.exec(select(Rating).where(Rating.case_ref == case.id)).one()
        assert (rating.source, rating.grade, rating.reasons, rating.rated_staff_id) == ("public", 1, "113,115", "clerk1")
        assert (rating.rater_name, rating.rater_phone, rating.recorded_by, rating.real_name) == ("", "", None, False)
        assert rating.id == form["form_id"]
    counter.agent.sync_once()
    with counter.store.session() as s:
        assert s.get(Rating, rating.id).case_ref == case.id
    [rect] = LedgerDesk(counter.bench, counter.store, counter.clock).my_open("clerk1")
    with counter.store.session() as s:
        entry = s.get(LedgerEntry, rect.id)
        assert (entry.kind, entry.owner_id, entry.rating_id, entry.case_ref) == ("rectification", "clerk1",
                                                                                rating.id, case.id)
        assert "多头跑窗口和部门" in entry.description and "来回跑了三趟" in entry.description
        assert s.exec(select(LedgerStep.action).where(LedgerStep.entry_id == entry.id)).all() == ["register"]


def test_a_case_is_rated_once(central, api, counter):
    case, token = synced_case(counter, central, "http://central")
    form = _form(api, token)
    assert _post(api, token, **form, grade="5", **{"reason-1": "115"}).status_code == 303
    # The same filling-in sent again (a reload of the POST, a double click) is that one rating.
    assert _post(api, token, **form, grade="5").status_code == 303
    again = _post(api, token, form_id=new_id(), grade="2", **{"reason-2": "214"})
    assert again.status_code == 409 and "该办件已评价" in again.text
    _no_personal_data(case, again)
    with central.session() as s:
        [rating] = s.exec(select(Rating)).all()
        assert (rating.grade, rating.reasons) == (5, "")  # a box of a grade not chosen is not its reason
    assert _count(central, LedgerEntry) == 0


def test_an_unknown_token_and_a_case_not_accepted(central, api, counter):
    case, token = synced_case(counter, central, "http://central", accept=False)
    page = api.get(f"/case/{token}")
    assert page.status_code == 200 and "<form" not in page.text and "尚未受理" in page.text
    early = _post(api, token, grade="5")
    assert early.status_code == 409 and "该办件尚未受理，受理后才能评价" in early.text
    _no_personal_data(case, page, early)
    for unknown in (f"{token[:-1]}x" if token[-1] != "x" else f"{token[:-1]}y", "x" * 65):
        posted = _post(api, unknown, grade="5")
        assert posted.status_code == 404 and "未找到" in posted.text
        assert api.get(f"/case/{unknown}/thanks").status_code == 404
    assert _count(central, Rating) == 0 and _count(central, LedgerEntry) == 0


def test_bad_input_gets_the_form_back_with_the_reason(central, api, counter):
    case, token = synced_case(counter, central, "http://central")
    form = _form(api, token)
    long = _post(api, token, **form, grade="4", text="<b>慢</b>" + "好" * 145)
    assert long.status_code == 422 and "评价内容不能超过150个字（现有153字）" in long.text
    assert "&lt;b&gt;慢&lt;/b&gt;" in long.text and "<b>慢" not in long.text  # kept, escaped
    assert re.search(r"id=g4 required checked", long.text)
    bare = _post(api, token, **form, grade="2")
    assert bare.status_code == 422 and "“不满意”的评价须选择至少一项理由" in bare.text
    none = _post(api, token, **form, grade="9")
    assert none.status_code == 422 and "请选择评价等级" in none.text
    junk = api.post(f"/case/{token}/rating", content=b"\xff\xfe", headers={"content-type": "text/plain"})
    assert junk.status_code == 400 and "无法识别" in junk.text
    _no_personal_data(case, long, bare, none, junk)
    assert _count(central, Rating) == 0 and _count(central, LedgerEntry) == 0
    # A textarea sends a line break as CRLF; the visitor typed 150 characters, not 151.
    text = "好" * 74 + "\r\n" + "好" * 75
    assert _post(api, token, **form, grade="3", text=text).status_code == 303
    with central.session() as s:
        assert len(s.exec(select(Rating.text)).one()) == 150


def test_a_loop_of_posts_from_one_address_is_refused_with_429(central, api, counter):
    _case, token = synced_case(counter, central, "http://central")
    answers = [_post(api, f"guess-{n:04d}-aaaaaaaaaaaa", grade="1").status_code for n in range(20)]
    assert answers == [404] * 20
    limited = _post(api, token, **_form(api, token), grade="5")
    assert limited.status_code == 429 and "评价提交过于频繁，请 10 分钟后再试" in limited.text
    assert int(limited.headers["retry-after"]) > 0
    assert _count(central, Rating) == 0  # the refused post stored nothing
    assert api.get(f"/case/{token}").status_code == 200  # reading the page is not limited


def test_the_limit_is_per_address_and_forgets_what_aged_out():
    posts = PerAddress(limit=2, window_s=0.0)
    posts.count("a")
    posts.count("a")
    assert posts.wait_s("a") == 0.0 and posts.wait_s("b") == 0.0
    posts = PerAddress(limit=2, window_s=600.0)
    for _ in range(2):
        posts.count("a")
    assert posts.wait_s("a") > 0 and posts.wait_s("b") == 0.0


@pytest.mark.parametrize("later", ["reviewed", "returned", "ready", "finished"])
def test_a_case_past_acceptance_shows_its_acceptance_date_not_not_yet_accepted(central, api, counter, later):
    """The page once showed 尚未受理 for every state after 已受理 (under review, ready …)."""
    from clerk.store.operations import Case

    _case, token = synced_case(counter, central, "http://central")
    with central.write() as s:
        row = s.exec(select(Case).where(Case.public_token == token)).one()
        row.status = later
        s.add(row)
        accepted = row.complete_on
    page = api.get(f"/case/{token}")
    assert "尚未受理" not in page.text
    assert f"{accepted.year}年{accepted.month}月{accepted.day}日" in page.text
