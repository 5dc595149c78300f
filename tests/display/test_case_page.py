"""The public case page in headless Chromium against a real server process: a case opened
and accepted at an enrolled counter reaches the central store with its random token; the
page shows the item, the state and the dates and nothing that tells who applied; an
unknown token is a plain 404 "未找到". A rating given there reaches the handler's counter."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from types import SimpleNamespace

import httpx
import pytest
import uvicorn
from harness import enrolled_counter, free_port
from public_case_helpers import add_item, personal_data, synced_case
from sqlmodel import select
from test_hall_display import browser  # noqa: F401  (the headless Chromium fixture)

from clerk.central.app import create_app
from clerk.clock import FrozenClock
from clerk.ledgers.service import LedgerDesk
from clerk.store.ledger_tables import Rating


@pytest.fixture
def server(real_db, request):
    url, store = real_db
    add_item(store)
    # In this process, on a thread: the page is what is under test, and a fresh interpreter
    # per test only adds start-up time on a loaded machine.
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the central store did not start"
        time.sleep(0.05)

    def stop() -> None:
        server.should_exit = True
        thread.join(10)

    request.addfinalizer(stop)
    return SimpleNamespace(base_url=f"http://127.0.0.1:{port}"), store


def test_the_public_page_shows_the_status_and_no_personal_data(browser, server, template, tmp_path):  # noqa: F811
    proc, central = server
    counter = enrolled_counter(tmp_path, "w1", central, template, httpx.Client(timeout=10), proc.base_url,
                               clock=FrozenClock(datetime(2026, 11, 16, 2, 0, tzinfo=UTC)))
    case, token = synced_case(counter, central, proc.base_url)
    assert token and case.public_url == f"{proc.base_url}/case/{token}" and case.id not in token

    page = browser.new_page()
    page.goto(case.public_url)
    assert page.text_content("#item") == "食品经营许可（新办）"
    assert page.text_content("#state") == "已受理"
    assert page.text_content("#accepted") == "2026年11月16日"
    assert page.text_content("#due") == "2026年11月23日"  # 5 working days
    html = page.content()
    for personal in personal_data(case):
        assert personal not in html, personal
    page.screenshot(path=str(tmp_path / "case-page.png"))

    other = "y" if token.endswith("x") else "x"  # a token that ends in x already would be the case's own
    page.goto(f"{proc.base_url}/case/{token[:-1]}{other}")
    assert page.text_content("body").strip() == "未找到"
    page.close()
    unknown = httpx.get(f"{proc.base_url}/case/not-a-token")
    assert unknown.status_code == 404 and "未找到" in unknown.text


def test_a_bad_rating_given_on_the_page_reaches_the_handlers_counter(browser, server, template, tmp_path):  # noqa: F811
    """Without JavaScript: the reasons show once a bad grade is picked (CSS), the form posts,
    the thank-you page follows, and the handler's counter pulls the rating and its rectification."""
    proc, central = server
    counter = enrolled_counter(tmp_path, "w1", central, template, httpx.Client(timeout=10), proc.base_url)
    case, _token = synced_case(counter, central, proc.base_url)
    page = browser.new_page(java_script_enabled=False)
    page.goto(case.public_url)
    assert not page.is_visible("#r1") and not page.is_visible("#r2")
    page.check("#g1")
    assert page.is_visible("#r1") and not page.is_visible("#r2")
    page.check("#r1 input[value='113']")
    page.fill("#text", "同一份材料跑了三个窗口")
    page.click("#submit")
    page.wait_for_url("**/thanks")
    assert page.text_content("h1") == "感谢您的评价"
    for personal in personal_data(case):
        assert personal not in page.content(), personal
    page.goto(case.public_url)
    assert page.text_content("#rated") == "该办件已评价，感谢您的评价。"
    page.close()

    counter.agent.sync_once()
    ledgers = LedgerDesk(counter.bench, counter.store, counter.clock)
    [rect] = ledgers.my_open("clerk1")
    detail = ledgers.entry("clerk1", rect.id)
    assert (detail.line.kind, detail.case_ref, detail.channel) == ("rectification", case.id, "public")
    assert detail.description == "多头跑窗口和部门；同一份材料跑了三个窗口"
    with counter.store.session() as s:
        rating = s.exec(select(Rating).where(Rating.case_ref == case.id)).one()
        assert (rating.grade, rating.source, rating.rated_staff_id, rating.rater_name) == (1, "public", "clerk1", "")
