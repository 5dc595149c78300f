"""The 办不成事 ledger: class limits, 涉法涉诉 referral, assignment, disputes ruled by the
supervisor, no closing without result, feedback and follow-up, 督办 of overdue entries."""

from __future__ import annotations

from datetime import date, datetime

from ledger_centre import ITEM, refusal
from sqlmodel import func, select

from clerk.config import LedgerSettings
from clerk.ledgers import settings
from clerk.store.ledger_tables import LedgerEntry


def _complaint(ledgers, **kw):
    fields = {"channel": "window", "person": "周先生", "contact": "13800001111", "matter": "个体户开办",
              "item_code": ITEM, "description": "自建房无产权证明，多次往返未能办理", "class_code": "policy"} | kw
    return ledgers.register_complaint("s1", **fields)


def test_the_whole_shape_and_no_closing_before_it(ledgers):
    entry_id = _complaint(ledgers)
    assert ledgers.entry("s1", entry_id).line.due_date == date(2026, 3, 9)  # policy: 5 working days
    ledgers.step("s1", "assign", entry_id, assignee_id="chief", note="请市场监管局研究")
    assert "尚缺办理结果、反馈情况、回访记录" in refusal(ledgers.step, "s1", "close", entry_id)
    ledgers.step("chief", "log", entry_id, note="已联系申请人，了解房屋情况")
    ledgers.step("chief", "resolve", entry_id, result="以住所使用证明代替产权证明，已办结")
    assert "尚缺反馈情况、回访记录" in refusal(ledgers.step, "s1", "close", entry_id)
    ledgers.step("chief", "feed_back", entry_id, feedback="电话告知周先生办理结果")
    assert "尚缺回访记录" in refusal(ledgers.step, "s1", "close", entry_id)
    ledgers.step("s1", "follow_up", entry_id, on="2026-03-02", method="phone", satisfaction="satisfied")
    ledgers.step("s1", "close", entry_id)
    detail = ledgers.entry("boss", entry_id)
    assert detail.line.status == "closed" and detail.line.unit == "县市场监督管理局"
    assert [s.action for s in detail.steps] == ["登记", "交办", "办理记录", "办理结果", "反馈", "回访", "办结"]


def test_class_limits_come_from_settings(ledgers):
    days = LedgerSettings().complaint_days | {"complex": 2}
    settings.configure(LedgerSettings(complaint_days=days))
    entry_id = _complaint(ledgers, class_code="complex")
    assert ledgers.entry("s1", entry_id).line.due_date == date(2026, 3, 4)


def test_an_empty_description_is_refused_and_nothing_is_stored(ledgers, store):
    assert refusal(_complaint, ledgers, description=" \n ") == "请填写问题描述"
    with store.session() as s:
        assert s.exec(select(func.count()).select_from(LedgerEntry)).one() == 0


def test_a_follow_up_dated_before_registration_is_refused(ledgers, store):
    entry_id = _complaint(ledgers, class_code="on_spot")
    ledgers.step("s1", "resolve", entry_id, result="当场解释")
    ledgers.step("s1", "feed_back", entry_id, feedback="当面告知")
    message = refusal(ledgers.step, "s1", "follow_up", entry_id, on="2026-02-27", method="phone",
                      satisfaction="satisfied")
    assert message == "回访日期（2026-02-27）不能早于登记日期（2026-03-02）"
    with store.session() as s:
        assert s.get(LedgerEntry, entry_id).status == "fed_back"


def test_legal_matters_are_flagged_and_referred_not_assigned(ledgers):
    entry_id = _complaint(ledgers, class_code="", legal=True)
    assert "转交有权机关" in refusal(ledgers.step, "s1", "assign", entry_id, assignee_id="chief")
    ledgers.step("s1", "refer_out", entry_id, note="县信访局")
    line = ledgers.entry("s1", entry_id).line
    assert (line.status, line.class_label) == ("referred_out", "涉法涉诉涉访")


def test_a_responsibility_dispute_is_ruled_by_the_supervisor_only(ledgers):
    entry_id = _complaint(ledgers, class_code="multi_department")
    ledgers.step("s1", "assign", entry_id, assignee_id="chief")
    ledgers.step("chief", "dispute", entry_id, note="参保记录属人社部门")
    assert "值班长" in refusal(ledgers.step, "chief", "rule", entry_id, assignee_id="chief2", note="人社")
    ledgers.step("boss", "rule", entry_id, assignee_id="chief2", note="由人社局负责")
    line = ledgers.entry("boss", entry_id).line
    assert (line.status, line.unit) == ("assigned", "县人力资源和社会保障局")
    # The ruling moved the department: the new chief sees it, and s1 (who registered it) still does.
    assert entry_id in [e.id for e in ledgers.entries("chief2")]
    assert entry_id in [e.id for e in ledgers.entries("s1")]


def test_overdue_entries_are_flagged_and_supervised(ledgers, clock):
    entry_id = _complaint(ledgers)  # due 2026-03-09
    assert "尚未超过办理时限" in refusal(ledgers.step, "boss", "supervise", entry_id, note="速办")
    clock.advance(days=8)
    assert [e.id for e in ledgers.entries("boss", which="overdue")] == [entry_id]
    assert "值班长" in refusal(ledgers.step, "s1", "supervise", entry_id, note="速办")
    ledgers.step("boss", "supervise", entry_id, note="请于2个工作日内办结并书面报告")
    line = ledgers.entry("boss", entry_id).line
    assert line.overdue and line.supervised


def test_recurring_problems_by_class_and_item(ledgers):
    for cls in ("policy", "policy", "complex"):
        _complaint(ledgers, class_code=cls)
    start, end = datetime(2026, 3, 1), datetime(2026, 4, 1)
    from clerk.clock import LOCAL_TZ

    start, end = start.replace(tzinfo=LOCAL_TZ), end.replace(tzinfo=LOCAL_TZ)
    assert ledgers.recurring("boss", start, end, "class") == [("policy", 2), ("complex", 1)]
    assert ledgers.recurring("boss", start, end, "item") == [(ITEM, 3)]


def test_a_periods_ledger_exports_to_csv(ledgers):
    import csv
    import io

    from clerk.clock import LOCAL_TZ

    entry_id = _complaint(ledgers, description="材料要求前后不一，“补正”两次")
    ledgers.step("s1", "assign", entry_id, assignee_id="chief")
    text = ledgers.export_csv("boss", datetime(2026, 3, 1, tzinfo=LOCAL_TZ), datetime(2026, 4, 1, tzinfo=LOCAL_TZ))
    assert text.startswith("\ufeff")
    header, row = list(csv.reader(io.StringIO(text[1:])))
    assert header[:3] == ["编号", "登记时间", "渠道"] and row[2] == "窗口"  # the label, not the code
    assert row[1] == "2026-03-02 09:00" and row[5] == "材料要求前后不一，“补正”两次"
    assert row[6:8] == ["政策原因", "县市场监督管理局"] and row[9] == "2026-03-09" and row[10] == "已交办"
    assert ledgers.export_csv("s2", datetime(2026, 3, 1, tzinfo=LOCAL_TZ),
                              datetime(2026, 4, 1, tzinfo=LOCAL_TZ)).count("\n") == 1  # header only
