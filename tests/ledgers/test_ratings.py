"""好差评: one rating per visit, reasons of the grade, 150 characters; a bad review opens a
rectification owned by the visit's handler, who never sees who rated; the four rates."""

from __future__ import annotations

from datetime import datetime

import pytest
from ledger_centre import MONDAY, refusal
from sqlmodel import func, select

from clerk.clock import LOCAL_TZ
from clerk.ids import new_id
from clerk.store.ledger_tables import LedgerEntry, Rating

MARCH = (datetime(2026, 3, 1, tzinfo=LOCAL_TZ), datetime(2026, 4, 1, tzinfo=LOCAL_TZ))


def _count(store, table) -> int:
    with store.session() as s:
        return s.exec(select(func.count()).select_from(table)).one()


def test_a_visit_is_rated_once(ledgers, store):
    ledgers.rate("s1", "t1", 5, ["517"])
    assert "已经评价过了" in refusal(ledgers.rate, "s1", "t1", 4)
    assert _count(store, Rating) == 1


def test_only_a_finished_visit_can_be_rated(ledgers):
    assert refusal(ledgers.rate, None, "t3", 5, source="kiosk") == "只能对已办结的服务评价"
    assert refusal(ledgers.rate, None, "nope", 5, source="kiosk") == "只能对已办结的服务评价"


def test_bad_input_is_refused_with_nothing_stored(ledgers, store):
    assert "须选择至少一项理由" in refusal(ledgers.rate, "s1", "t1", 2)
    assert "与所选等级" in refusal(ledgers.rate, "s1", "t1", 2, ["517"])
    assert "不能超过150个字（现有151字）" in refusal(ledgers.rate, "s1", "t1", 5, text="好" * 151)
    assert _count(store, Rating) == 0 and _count(store, LedgerEntry) == 0
    ledgers.rate("s1", "t1", 5, text="好" * 150)


def test_a_bad_review_is_rectified_through_every_step(ledgers, store):
    ledgers.rate(None, "t1", 1, ["115"], text="等了很久", source="kiosk", rater_name="孙某", rater_phone="13900002222")
    [rect] = ledgers.my_open("s1")
    detail = ledgers.entry("s1", rect.id)
    assert detail.line.kind == "rectification" and detail.line.owner == "张晓燕"
    assert "服务态度差效率低" in detail.description and "孙某" not in str(detail)
    assert "13900002222" not in str(detail)
    assert "核实情况" in refusal(ledgers.step, "s1", "close", rect.id)
    assert "不能办理结果" in refusal(ledgers.step, "s1", "resolve", rect.id, result_kind="rectified", result="x")
    ledgers.step("s1", "verify", rect.id, finding="valid", note="当日系统故障，等候较久属实")
    ledgers.step("s1", "resolve", rect.id, result_kind="rectified", result="增设应急窗口")
    ledgers.step("s1", "feed_back", rect.id, feedback="电话向评价人说明整改情况")
    ledgers.step("s1", "follow_up", rect.id, on="2026-03-02", method="phone", satisfaction="satisfied")
    ledgers.step("s1", "close", rect.id)
    [rates] = ledgers.rates("boss", *MARCH)
    assert (rates.total, rates.bad, rates.rectified, rates.on_time) == (1, 1, 1, 1)
    assert rates.rectified_rate == 1.0 and rates.good_rate == 0.0


def test_the_rated_never_sees_the_rater_but_the_supervisor_does(ledgers):
    ledgers.rate(None, "t1", 2, ["214"], source="kiosk", rater_name="孙某", rater_phone="13900002222")
    [mine] = ledgers.ratings("s1")
    assert mine.rater == "" and mine.reasons == ("服务态度生硬",)
    [seen] = ledgers.ratings("boss")
    assert seen.rater == "孙某　13900002222"
    assert ledgers.ratings("s2") == []


def test_an_upheld_appeal_sets_the_rating_aside(ledgers, store):
    ledgers.rate(None, "t1", 1, ["113"], source="kiosk")
    [rect] = ledgers.my_open("s1")
    ledgers.step("s1", "appeal", rect.id, ground="mistaken", note="评价人误评了其他窗口")
    assert "值班长" in refusal(ledgers.step, "s1", "rule_appeal", rect.id, upheld=True, note="成立")
    ledgers.step("boss", "rule_appeal", rect.id, upheld=True, note="经查看录像，评价对象有误")
    assert ledgers.entry("boss", rect.id).line.status == "closed"
    assert ledgers.rates("boss", *MARCH) == []


def test_a_rejected_appeal_returns_to_where_it_was(ledgers):
    ledgers.rate(None, "t1", 2, ["213"], source="kiosk")
    [rect] = ledgers.my_open("s1")
    ledgers.step("s1", "verify", rect.id, finding="baseless", note="办理程序符合规定")
    ledgers.step("s1", "appeal", rect.id, ground="malicious", note="恶意差评")
    ledgers.step("boss", "rule_appeal", rect.id, upheld=False, note="证据不足")
    assert ledgers.entry("s1", rect.id).line.status == "verified"
    ledgers.step("s1", "resolve", rect.id, result_kind="explained", result="向评价人解释办理要求")


def test_rates_per_staff_member(ledgers, clock):
    ledgers.rate("s1", "t1", 5, ["517"])
    ledgers.rate("s2", "t2", 2, ["214"])
    by_staff = {r.key: r for r in ledgers.rates("boss", *MARCH, by="staff")}
    assert by_staff["s1"].good_rate == 1.0 and by_staff["s2"].bad_rate == 1.0
    assert by_staff["s2"].rectified_rate == 0.0
    assert MONDAY.date() == clock.now().astimezone(LOCAL_TZ).date()


def test_a_rating_names_one_visit_or_one_existing_case(bench, store):
    def rate(**what):
        bench.apply("rating.give", {"id": new_id(), "grade": 5, **what}, "s1")

    assert refusal(rate, case_id="no-such-case") == "没有这个办件"
    assert refusal(rate, ticket_id="t1", case_id="no-such-case") == "评价须针对一次服务或一件办件"
    assert refusal(rate) == "评价须针对一次服务或一件办件"
    assert _count(store, Rating) == 0


def _with_code(store, ticket_id: str, code: str) -> None:
    from clerk.store.operations import Ticket

    with store.write() as s:
        ticket = s.get(Ticket, ticket_id)
        ticket.rate_code = code
        s.add(ticket)


def test_a_kiosk_rating_needs_the_slips_code_and_the_counter_does_not(ledgers, store):
    """The handler itself checks the 评价码, so the central store's replay refuses a kiosk
    rating without it as well; at the counter the clerk sees the visitor (no code)."""
    _with_code(store, "t1", "4719")
    _with_code(store, "t2", "0358")
    assert refusal(ledgers.rate, None, "t1", 5, source="kiosk") == "评价码不正确，请核对号票上的评价码"
    assert refusal(ledgers.rate, None, "t1", 5, source="kiosk", rate_code="4718") == "评价码不正确，请核对号票上的评价码"
    assert _count(store, Rating) == 0
    ledgers.rate(None, "t1", 5, source="kiosk", rate_code="4719")
    ledgers.rate("s2", "t2", 4)  # the pad at the counter
    assert _count(store, Rating) == 2


def test_wrong_codes_at_the_kiosk_are_counted_and_lock_the_number_for_the_day(ledgers, store):
    from clerk.ledgers.kiosk_visit import NoVisitToRate
    from clerk.ledgers.rate_code import WrongRateCode

    _with_code(store, "t1", "4719")
    visit = ledgers.kiosk_visit("lc", "A001")
    assert visit.needs_code
    for left in (4, 3, 2, 1):
        with pytest.raises(WrongRateCode) as wrong:
            ledgers.kiosk_code(visit, "1234")
        assert wrong.value.message == f"评价码不正确，请核对号票上的评价码（还可再试 {left} 次）"
        assert not wrong.value.locked
    with pytest.raises(WrongRateCode) as wrong:
        ledgers.kiosk_code(visit, "0000")
    assert wrong.value.locked and "A001 号的评价码已输错 5 次，今天不能在自助机评价" in wrong.value.message
    for again in (lambda: ledgers.kiosk_code(visit, "4719"), lambda: ledgers.kiosk_visit("lc", "A001")):
        with pytest.raises(NoVisitToRate) as locked:
            again()  # not even the right code now, and the number is not offered for rating
        assert "请到咨询台由工作人员协助评价" in locked.value.message
    assert _count(store, Rating) == 0
    ledgers.rate("s1", "t1", 4)  # the clerk at the desk records the visitor's rating


def test_a_ticket_of_before_the_code_is_rated_by_its_number_alone(ledgers, store):
    visit = ledgers.kiosk_visit("lc", "A002")
    assert not visit.needs_code
    ledgers.rate(None, visit.ticket_id, 5, source="kiosk")
    assert _count(store, Rating) == 1


def test_a_rating_in_nobodys_name_is_a_kiosk_rating_and_needs_the_code(ledgers, store):
    """The pad's rating needs no code because a signed-in clerk records it with the visitor in
    front of them; with nobody signed in (a kiosk's push calling itself the pad) it would
    rate any called-out number without the slip."""
    _with_code(store, "t1", "4719")
    assert "工作人员" in refusal(ledgers.rate, None, "t1", 1, ["113"])
    assert _count(store, Rating) == 0
    ledgers.rate("s1", "t1", 4)
    assert _count(store, Rating) == 1
