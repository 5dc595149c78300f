"""Two supervisors settle one applicant message at the same moment from two counters (the
floor's Ctrl+T, each through the central store's /notifications/decide): one closes it (the
applicant was phoned), the other sends it again. On PostgreSQL both read it as 发送失败
before either wrote; unlocked, the later write would win, and a message a person closed
would be sent after all. The row is read for update, so the second decision waits and then
finds the message already settled."""

from __future__ import annotations

from datetime import timedelta

import pytest
from case_helpers import checked
from signoff_helpers import apply_pushed, outbox_rows
from test_urgent_race import _race

from clerk import mutation
from clerk.ids import new_id
from clerk.mutation import MutationContext, MutationRefused
from clerk.store.central_tables import Notification
from clerk.store.engine import Store
from clerk.store.reference import Staff


@pytest.fixture
def pg(central: Store) -> Store:
    if central.is_sqlite:
        pytest.skip("SQLite takes one writer at a time; the race is PostgreSQL's")
    return central


def _failed_message(cases, central: Store) -> str:
    case = checked(cases)
    cases.decide("c1", case.id, case.version, "accept", print_papers=False)
    for row in outbox_rows(cases.store):
        apply_pushed(central, row)
    now = cases.clock.now()
    with central.write() as s:
        for sid in ("sup1", "sup2"):
            s.add(Staff(id=sid, username=sid, name=f"值班长{sid}", role="supervisor", centre_code=cases.centre_code,
                        password_hash="x"))
        nid = new_id()
        s.add(Notification(id=nid, case_id=case.id, event="accepted", channel="email", recipient="zhang@example.cn",
                           subject="受理通知", body="您的申请已受理", created_at=now, state="failed", attempts=1,
                           next_attempt_at=now, last_error="已尝试1次均未发出：邮件服务器拒收"))
    return nid


def _decide(nid: str, supervisor: str, decision: str, note: str, at):
    def run(session) -> None:
        args = {"id": new_id(), "notification_id": nid, "decision": decision, "note": note}
        mutation.run(session, "floor.notification", args, MutationContext("central", 0, "", at, supervisor))
    return run


def test_one_closing_and_one_resending_a_message_at_once_the_second_is_refused(cases, pg):
    nid = _failed_message(cases, pg)
    at = cases.clock.now() + timedelta(minutes=5)
    outcome = _race(pg, _decide(nid, "sup1", "close", "已电话告知申请人", at),
                    _decide(nid, "sup2", "resend", "", at))
    assert isinstance(outcome, MutationRefused) and "无需再处理" in outcome.message, outcome
    with pg.session() as s:
        row = s.get(Notification, nid)
        assert row.state == "closed" and "已电话告知申请人" in row.last_error
