"""The central store queues one message per event and channel for a consenting applicant,
when it applies the pushed acceptance and decision; none without consent, none on the
counter, never twice. On SQLite and on PostgreSQL (the ``central`` fixture)."""

from __future__ import annotations

import pytest
from case_centre import CENTRE, GOOD_ID, MONDAY
from case_helpers import mark
from notify_push import Pusher
from signoff_helpers import refused
from sqlmodel import select

from clerk.backoffice.service import BackOfficeDesk
from clerk.mutation import MutationRefused
from clerk.notify import events
from clerk.store.central_tables import Notification
from clerk.store.operations import Case

CONSENTING = {"kind": "person", "name": "张三", "id_number": GOOD_ID, "phone": "13800138000",
              "email": "zhangsan@example.com", "notify_consent": True}


def _accepted(cases, applicant: dict, item: str = "T-PLAIN"):
    case = cases.open_case("c1", item, applicant, window_id="tc:1")
    for seq in range(1, 5):
        case = mark(cases, case, seq, "received" if seq < 4 else "missing")
    return cases.decide("c1", case.id, case.version, "accept", print_papers=False).case


def _decide(cases, case_id: str, proposal: str = "grant") -> None:
    back = BackOfficeDesk(cases)
    basis = "《测试条例》第九条" if proposal == "deny" else ""
    back.review("r1", case_id, cases.case(case_id).version, proposal, "经现场核查，材料与实际相符", basis)
    back.check("r2", case_id, cases.case(case_id).version, "同意", print_papers=False)


def _rows(store) -> list[Notification]:
    with store.session() as s:
        return list(s.exec(select(Notification).order_by(Notification.event, Notification.channel)))


def test_acceptance_and_decision_each_queue_one_message_per_channel(cases, central):
    pusher = Pusher(central, cases.store, CENTRE, MONDAY)
    case = _accepted(cases, CONSENTING)
    assert pusher.push() == []
    rows = _rows(central)
    assert [(r.event, r.channel, r.recipient, r.state) for r in rows] == [
        ("accepted", "email", "zhangsan@example.com", "pending"), ("accepted", "sms", "13800138000", "pending")]
    with central.session() as s:
        number = s.get(Case, case.id).acceptance_no
    for row in rows:
        assert number and number in row.body and "测试事项T-PLAIN" in row.body and "已于" in row.body
        assert GOOD_ID not in row.body and "张先生/女士" in row.body
    assert "办件已受理" in rows[0].subject and rows[1].subject == ""

    _decide(cases, case.id, "deny")
    BackOfficeDesk(cases).deliver("c2", case.id, cases.case(case.id).version, "window", notice_checked=True,
                                  id_checked=True)
    assert pusher.push() == []
    decided = [r for r in _rows(central) if r.event == "decided"]
    assert [r.channel for r in decided] == ["email", "sms"]  # and nothing for 办结
    assert all("不予许可" in r.body and "出件窗口领取" in r.body and number in r.body for r in decided)
    assert len(_rows(central)) == 4
    assert _rows(cases.store) == []  # the counter queues nothing


def test_no_consent_no_message(cases, central):
    pusher = Pusher(central, cases.store, CENTRE, MONDAY)
    case = _accepted(cases, {**CONSENTING, "notify_consent": False})
    _decide(cases, case.id)
    assert pusher.push() == []
    with central.session() as s:
        assert s.get(Case, case.id).status == "ready"
    assert _rows(central) == []


def test_only_the_channels_the_applicant_has_and_never_twice(cases, central):
    pusher = Pusher(central, cases.store, CENTRE, MONDAY)
    landline = {**CONSENTING, "phone": "0571-12345678"}  # no SMS to a landline
    case = _accepted(cases, landline)
    back = BackOfficeDesk(cases)
    back.review("r1", case.id, cases.case(case.id).version, "grant", "符合条件", "")
    back.return_review("r2", case.id, cases.case(case.id).version, "请补充核查意见")
    assert pusher.push() == []
    assert [(r.event, r.channel) for r in _rows(central)] == [("accepted", "email")]  # returned ≠ accepted anew
    with central.write() as s:  # queueing the same event again adds nothing (unique case, event, channel)
        assert events.queue(s, s.get(Case, case.id), "accepted", MONDAY) == 0
    assert len(_rows(central)) == 1


def test_a_return_the_chief_approved_tells_the_applicant_what_to_bring_by_when(cases, central):
    from signoff_centre import PASSWORDS

    from clerk.signoff.service import SignOffDesk

    pusher = Pusher(central, cases.store, CENTRE, MONDAY, PASSWORDS)
    case = _accepted(cases, CONSENTING)
    BackOfficeDesk(cases).request_return("r1", case.id, case.version, "经营场所证明与申请书地址不一致",
                                         [(case.materials[1].material_id, "复印件不清晰")], 10)
    chief = SignOffDesk(cases.bench, cases.store, cases.clock, CENTRE, None)
    [line] = chief.queue("k1").lines
    chief.decide("k1", PASSWORDS["k1"], line.id, "approved", "同意退回补正")
    assert pusher.push() == []
    returned = [r for r in _rows(central) if r.event == "returned"]
    assert [r.channel for r in returned] == ["email", "sms"]
    assert all("需要补正材料" in r.body and "2026-03-16前" in r.body and "不计入办理时限" in r.body for r in returned)


def test_consent_needs_a_contact_and_a_wellformed_address(cases):
    with refused(MutationRefused, "请填写手机号码或电子邮箱"):
        cases.open_case("c1", "T-PLAIN", {**CONSENTING, "phone": "", "email": ""}, window_id="tc:1")
    with refused(MutationRefused, "电子邮箱格式不正确"):
        cases.open_case("c1", "T-PLAIN", {**CONSENTING, "email": "张三@例子"}, window_id="tc:1")
    with cases.store.session() as s:
        assert s.exec(select(Case)).all() == []


@pytest.mark.parametrize("event, before, after, result", [
    ("accepted", "received", "accepted", ""), ("accepted", "supplement", "deferred", ""),
    ("accepted", None, "committed", ""), (None, "reviewed", "accepted", ""), (None, "deferred", "accepted", ""),
    ("decided", "reviewed", "ready", "granted"), ("decided", "instant_requested", "ready", "granted"),
    (None, "ready", "ready", "granted"), (None, "ready", "finished", "granted"), (None, "reviewed", "ready", ""),
    ("returned", "return_requested", "returned", ""), (None, "returned", "accepted", ""),
    (None, "accepted", "return_requested", ""),
])
def test_which_moves_tell_the_applicant(event, before, after, result):
    assert events.event_of(before, after, result) == event
