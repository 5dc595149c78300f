"""首问负责: registration from a served ticket, referrals that never move ownership,
the 5-working-day answer of letters across holidays and 调休, the expert's due date."""

from __future__ import annotations

from datetime import date

from ledger_centre import ITEM, MONDAY, refusal
from sqlmodel import func, select

from clerk.store.ledger_tables import LedgerEntry, LedgerStep
from clerk.store.local import Outbox


def _register(ledgers, staff="s1", **kw):
    fields = {"channel": "window", "person": "刘女士", "matter": "个体户开办要带什么", "item_code": ITEM,
              "ticket_id": "t1", "window_id": "lc:1"} | kw
    return ledgers.register_first_contact(staff, **fields)


def test_a_referral_chain_keeps_the_first_officer_as_owner(ledgers, store):
    entry_id = _register(ledgers, materials=[{"name": "居民身份证", "count": 1}])
    ledgers.step("s1", "refer", entry_id, place="2号窗口", reason="需社保窗口办理", bring=["居民身份证"])
    # The second window is not the owner; the officer refers again, and still owns it.
    ledgers.step("s1", "refer", entry_id, place="县人力资源和社会保障局", reason="需到局里核实参保记录")
    detail = ledgers.entry("s1", entry_id)
    assert detail.line.owner == "张晓燕"
    assert [r["place"] for r in detail.detail["referrals"]] == ["2号窗口", "县人力资源和社会保障局"]
    assert detail.detail["materials"] == [{"name": "居民身份证", "count": 1}]
    ledgers.step("s1", "resolve", entry_id, result="已在社保局办结")
    ledgers.step("s1", "close", entry_id)
    with store.session() as s:
        entry = s.get(LedgerEntry, entry_id)
        assert (entry.owner_id, entry.status) == ("s1", "closed")
        actions = s.exec(select(LedgerStep.action).where(LedgerStep.entry_id == entry_id)
                         .order_by(LedgerStep.seq)).all()
    assert actions == ["register", "refer", "refer", "resolve", "close"]


def test_a_referral_needs_a_reason_and_a_place(ledgers, store):
    entry_id = _register(ledgers)
    assert "请填写引导原因" in refusal(ledgers.step, "s1", "refer", entry_id, place="2号窗口", reason="  ")
    with store.session() as s:
        assert s.get(LedgerEntry, entry_id).status == "registered"


def test_only_the_owner_closes_and_another_clerk_cannot_act(ledgers):
    entry_id = _register(ledgers)
    assert "不归您办理" in refusal(ledgers.step, "s2", "answer", entry_id, result="已答复")
    ledgers.step("s1", "answer", entry_id, result="告知所需材料")
    assert ledgers.entry("s1", entry_id).line.status == "closed"


def test_a_letter_is_due_five_working_days_later_across_national_day(ledgers, clock):
    clock.advance(days=(date(2026, 9, 30) - MONDAY.date()).days, hours=1)
    entry_id = _register(ledgers, channel="letter", ticket_id=None, window_id=None)
    # 2026-10-01…08 off, Saturday 10-10 worked (调休): 9, 10, 12, 13 … the spec's example.
    assert ledgers.entry("s1", entry_id).line.due_date == date(2026, 10, 13)


def test_an_expert_question_has_a_due_date_and_shows_in_my_open_records(ledgers):
    entry_id = _register(ledgers)
    ledgers.step("s1", "ask_expert", entry_id, expert="市场监管局首席代表", question="住宅能否登记为经营场所")
    mine = ledgers.my_open("s1")
    assert [e.id for e in mine] == [entry_id]
    assert mine[0].due_date == date(2026, 3, 5)  # Monday + 3 working days
    ledgers.step("s1", "expert_answer", entry_id, note="可以，需提交住所使用证明")
    assert ledgers.entry("s1", entry_id).line.status == "follow_up"


def test_an_empty_matter_is_refused_and_nothing_is_stored(ledgers, store):
    assert "请填写咨询事项" in refusal(_register, ledgers, matter="   ")
    with store.session() as s:
        assert s.exec(select(func.count()).select_from(LedgerEntry)).one() == 0
        assert s.exec(select(func.count()).select_from(Outbox)).one() == 0


def test_follow_up_by_a_date_before_registration_is_refused(ledgers):
    entry_id = _register(ledgers)
    assert "不能早于登记日期" in refusal(ledgers.step, "s1", "follow_up_by", entry_id, due="2026-03-01")


def test_the_chief_sees_their_departments_records_and_the_other_clerk_does_not(ledgers):
    entry_id = _register(ledgers)
    assert [e.id for e in ledgers.entries("chief")] == [entry_id]
    assert ledgers.entries("chief2") == []
    assert ledgers.entries("s2") == []
    assert [e.id for e in ledgers.entries("boss")] == [entry_id]
