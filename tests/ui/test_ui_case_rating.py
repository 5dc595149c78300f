"""Pilot tests of 一事一评 and of 好差评 on screen: a case handed out at 出件 is rated with
Ctrl+R (the pad's grade as the visitor chose it, a bad one with its reason opening the
handler's rectification), a second rating of it is refused in place; the ledger screen's F6
shows the rates by group, each with its name, and the latest ratings."""

from __future__ import annotations

import pytest
from sqlmodel import select
from ui_helpers import accepted_case, plain, settle

from clerk.backoffice.service import BackOfficeDesk
from clerk.cases.desk import CaseDesk
from clerk.ledgers.service import LedgerDesk
from clerk.outbox import Workbench
from clerk.staff.auth import SignedIn
from clerk.store.ledger_tables import LedgerEntry, Rating
from screens.backoffice.ready import ReadyScreen
from screens.ledgers.ledger_list import LedgerScreen
from screens.ledgers.rates_screen import RatesScreen
from screens.ledgers.rating import RatingDialog

pytestmark = pytest.mark.anyio
CLERK = SignedIn("clerk02", "clerk02", "李建国", "clerk", "demo-county", None)
BOSS = SignedIn("super01", "super01", "主任", "supervisor", "demo-county", None)


def _ready(store, clock) -> str:
    """A 食品经营许可 taken in at window 1 by clerk01, reviewed, checked, ready at 出件."""
    case_id = accepted_case(store, clock)
    cases = CaseDesk(Workbench(store, clock), store, clock, "demo-county", None)
    back = BackOfficeDesk(cases)
    back.review("review_scjg1", case_id, cases.case(case_id).version, "grant", "材料齐全，符合条件")
    back.check("review_scjg2", case_id, cases.case(case_id).version, "同意", print_papers=False)
    return case_id


async def _press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def test_a_case_handed_out_is_rated_once_and_a_bad_grade_opens_the_handlers_rectification(app, store, clock):
    case_id = _ready(store, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _press(pilot, "ctrl+r")  # nothing to rate on the start page
        assert not isinstance(app.screen, RatingDialog)
        app.push_screen(ReadyScreen(CLERK))
        await settle(pilot)
        await _press(pilot, "enter", "enter", "enter")  # the result, 窗口领取, checked
        assert "Ctrl+R" in " ".join(n.message for n in app._notifications)
        await _press(pilot, "ctrl+r")
        dialog = app.screen
        assert isinstance(dialog, RatingDialog) and dialog.rated.case_id == case_id
        assert "办件" in plain(dialog.query_one(".dialog-title"))
        assert dialog.query_one("#rating-grade").highlighted is None  # no grade suggested
        await _press(pilot, *["down"] * 4, "enter")  # 不满意, as the pad shows
        await _press(pilot, "space")  # its first reason
        dialog.query_one("#rating-text").focus()
        await _press(pilot, "enter")
        assert isinstance(app.screen, ReadyScreen), plain(dialog.query_one(".dialog-message"))

        await _press(pilot, "ctrl+r")  # the applicant would rate again
        again = app.screen
        await _press(pilot, "down", "enter")  # 非常满意 this time
        again.query_one("#rating-text").focus()
        await _press(pilot, "enter")
        assert isinstance(app.screen, RatingDialog)
        assert "只能评价一次" in plain(again.query_one(".dialog-message"))
    with store.session() as s:
        rating = s.exec(select(Rating)).one()
        rect = s.exec(select(LedgerEntry).where(LedgerEntry.rating_id == rating.id)).one()
    assert (rating.case_ref, rating.ticket_id, rating.grade, rating.source) == (case_id, None, 2, "pad")
    assert rating.rated_staff_id == "clerk01"  # who took the case in answers for it, not who handed it out
    assert rating.recorded_by == "clerk02"
    assert rect.owner_id == "clerk01" and rect.status != "closed" and rect.case_ref == case_id


def _rate_tickets(store, clock, grades_by_staff: dict[str, list[int]]) -> None:
    """Served visits rated on the pad: one finished ticket per grade, served by that clerk."""
    from ui_queue import issue

    from clerk.ids import new_id

    bench = Workbench(store, clock)
    ledgers = LedgerDesk(bench, store, clock)
    for staff_id, grades in grades_by_staff.items():
        window = {"clerk01": "demo-county:1", "clerk02": "demo-county:2"}[staff_id]
        seat = new_id()
        bench.apply("seat.take", {"id": seat, "staff_id": staff_id, "window_id": window}, staff_id)
        for grade in grades:
            at_window = {"ticket_id": issue(store, clock, "A").ticket_id, "window_id": window}
            for step in ("ticket.call", "ticket.start", "ticket.finish"):
                bench.apply(step, at_window, staff_id)
            rater = {"rater_name": "赵女士", "rater_phone": "13900001234"} if grade == 1 else {}
            ledgers.rate(staff_id, at_window["ticket_id"], grade, ["108"] if grade <= 2 else [], **rater)
        bench.apply("seat.leave", {"id": seat}, staff_id)


async def test_the_rates_screen_shows_each_group_by_name_and_keeps_the_rater_from_the_rated(app, store, clock):
    _rate_tickets(store, clock, {"clerk01": [5, 5, 4, 1], "clerk02": [5, 3]})
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)  # the store opens
        app.push_screen(LedgerScreen(BOSS))
        await settle(pilot)
        await _press(pilot, "f6")
        rates = app.screen
        assert isinstance(rates, RatesScreen)
        title = plain(rates.query_one("#rates-title"))
        assert "2026年11月" in title and "本中心" in title  # this month by default
        table = rates.query_one("#rates-table")
        assert [str(c) for c in table.get_row_at(0)][:6] == ["示范县政务服务中心", "6", "5", "1", "83.3%", "16.7%"]
        await _press(pilot, "f3", "f3", "f3")  # 中心 → 部门 → 窗口 → 工作人员
        assert "按工作人员" in plain(rates.query_one("#rates-title"))
        rows = {str(table.get_row_at(i)[0]): [str(c) for c in table.get_row_at(i)] for i in range(table.row_count)}
        assert rows["王晓丽"][1:6] == ["4", "3", "1", "75.0%", "25.0%"]
        assert rows["李建国"][1:6] == ["2", "2", "0", "100.0%", "0.0%"]
        assert rows["王晓丽"][6] == "0.0%"  # the bad review's rectification is still open
        latest = rates.query_one("#ratings-table")
        assert latest.row_count == 6 and "窗口评价器" in str(latest.get_row_at(0))
        assert any("赵女士" in str(latest.get_row_at(i)) for i in range(6))  # a supervisor sees who rated
    # A clerk sees only the ratings of their own service, and never who gave them.
    ledgers = LedgerDesk(Workbench(store, clock), store, clock)
    mine = ledgers.rate_table("clerk02", *_this_year(clock), "staff")
    assert [(name, r.total) for name, r in mine] == [("李建国", 2)]
    assert len(ledgers.ratings("clerk01")) == 4 and {r.rater for r in ledgers.ratings("clerk01")} == {""}


async def test_the_latest_ratings_are_those_of_the_period_chosen_above_them(app, store, clock):
    """F2 moves the period (this month → this year → today): the list of ratings follows it,
    as the rates above it do, so the two never disagree."""
    from datetime import datetime

    from clerk.clock import LOCAL_TZ

    _rate_tickets(store, clock, {"clerk01": [5, 4, 3, 1]})
    when = {4: datetime(2026, 11, 2, 10, 0, tzinfo=LOCAL_TZ), 3: datetime(2026, 3, 9, 10, 0, tzinfo=LOCAL_TZ),
            1: datetime(2025, 12, 30, 10, 0, tzinfo=LOCAL_TZ)}  # earlier this month, this year, last year
    with store.write() as s:
        for rating in s.exec(select(Rating)).all():
            if rating.grade in when:
                rating.at = when[rating.grade]
                s.add(rating)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.push_screen(LedgerScreen(BOSS))
        await settle(pilot)
        await _press(pilot, "f6")
        rates = app.screen
        latest, table = rates.query_one("#ratings-table"), rates.query_one("#rates-table")

        def shown() -> tuple[list[str], str]:
            grades = [str(latest.get_row_at(i)[1]) for i in range(latest.row_count)]
            return grades, str(table.get_row_at(0)[1]) if table.row_count else "0"

        assert shown() == (["非常满意", "满意"], "2")  # this month
        assert "2026年11月 · 最近 50 条评价" in plain(rates.query_one("#ratings-title"))
        await _press(pilot, "f2")
        assert shown() == (["非常满意", "满意", "基本满意"], "3")  # this year: not last December's
        await _press(pilot, "f2")
        assert shown() == (["非常满意"], "1")  # today


def _this_year(clock):
    from clerk.clock import local_today
    from clerk.reports.periods import span

    start, end, _ = span("year", local_today(clock))
    return start, end
