"""The supervisor's floor actions that reach beyond one counter: an unlock made at the
supervisor's counter lifts the lockout where it lives (another counter, by its pull), and an
enrolment code minted from the desk by the central store enrols a new counter. Real HTTP
handlers (TestClient), real SQLite counters, a central store on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import shutil
from contextlib import contextmanager

import pytest
from harness import Counter, enrolled_counter, password_of
from sqlmodel import select

from clerk.errors import UserFacingError
from clerk.floor.service import FloorDesk, NotSupervisor
from clerk.mutation import MutationRefused
from clerk.staff.auth import SignInError, sign_in
from clerk.store.central_tables import Device
from clerk.store.operations import AuditEntry
from clerk.store.shift_tables import AccountUnlock
from clerk.sync.client import CentralClient, Rejected
from clerk.sync.enrol import enrol

URL = "http://central"


@contextmanager
def refused(kind: type[UserFacingError], pattern: str):
    """Like pytest.raises(match=...), on the Chinese message the person sees."""
    with pytest.raises(kind) as caught:
        yield
    assert re.search(pattern, caught.value.message), caught.value.message


def _desk(c: Counter) -> FloorDesk:
    return FloorDesk(c.bench, c.store, c.clock, "c1", c.agent.client)


def _lock(c: Counter, username: str) -> None:
    for _ in range(5):
        with pytest.raises(SignInError):
            sign_in(c.store, c.clock, username, "wrong", 5, 15)
    with refused(SignInError, "已锁定"):
        sign_in(c.store, c.clock, username, password_of(username), 5, 15)


def test_an_unlock_at_the_supervisors_counter_reaches_the_lockout_at_the_clerks(central, api, template, tmp_path):
    clerks = enrolled_counter(tmp_path, "w1", central, template, api, URL)
    boss = enrolled_counter(tmp_path, "w9", central, template, api, URL)
    _lock(clerks, "clerk2")
    boss.clock.advance(minutes=2)  # the supervisor is called after the lock
    sup = boss.sign_in("sup1")
    _desk(boss).unlock_account(sup, "clerk2", "本人到场核实身份")
    boss.agent.sync_once()
    with refused(SignInError, "已锁定"):  # not yet: the unlock has not come down
        sign_in(clerks.store, clerks.clock, "clerk2", password_of("clerk2"), 5, 15)
    clerks.agent.sync_once()
    assert sign_in(clerks.store, clerks.clock, "clerk2", password_of("clerk2"), 5, 15).staff.staff_id == "clerk2"
    with central.session() as s:
        row = s.exec(select(AccountUnlock)).one()
    assert (row.username, row.unlocked_by, row.reason) == ("clerk2", "sup1", "本人到场核实身份")


def test_an_unlock_lifts_only_a_lock_that_began_before_it(central, api, template, tmp_path):
    c = enrolled_counter(tmp_path, "w1", central, template, api, URL)
    sup = c.sign_in("sup1")
    _desk(c).unlock_account(sup, "clerk2", "提前解锁")
    c.clock.advance(minutes=1)
    _lock(c, "clerk2")  # a lock after the unlock stands


def test_only_a_supervisor_unlocks_and_only_a_staff_member_of_the_centre(central, api, template, tmp_path):
    c = enrolled_counter(tmp_path, "w1", central, template, api, URL)
    with pytest.raises(NotSupervisor):
        _desk(c).unlock_account(c.signed_in["clerk1"], "clerk2", "同事求助")
    with refused(MutationRefused, "只有值班长"):
        c.bench.apply("floor.unlock_account", {"id": "u1", "username": "clerk2", "reason": "同事求助"}, "clerk1")
    sup = c.sign_in("sup1")
    with refused(MutationRefused, "本中心没有账号"):
        _desk(c).unlock_account(sup, "far1", "另一中心的人")


def test_an_enrolment_code_minted_at_the_desk_enrols_a_new_counter(central, api, template, tmp_path):
    boss = enrolled_counter(tmp_path, "w9", central, template, api, URL)
    sup = boss.sign_in("sup1")
    minted = _desk(boss).enrol_code(sup, valid_hours=2)
    shutil.copy(template, tmp_path / "new.sqlite3")
    new = Counter(tmp_path / "new.sqlite3", boss.clock, api, URL)
    enrol(new.store, CentralClient(URL, http=api), minted.code, "7号窗口")
    names = [d.name for d in _desk(boss).devices(sup)]
    assert names == ["w9", "7号窗口"]
    boss.agent.sync_once()
    with boss.store.session() as s:  # the minting is on record in the supervisor's name, everywhere
        audit = s.exec(select(AuditEntry).where(AuditEntry.action == "enrol_code")).one()
    assert audit.staff_id == "sup1"
    with refused(Rejected, "无效、已使用"):  # one code, one counter
        enrol(Counter(tmp_path / "new.sqlite3", boss.clock, api, URL).store, CentralClient(URL, http=api),
              minted.code, "8号窗口")


def test_a_clerk_gets_no_code_and_no_device_list(central, api, template, tmp_path):
    c = enrolled_counter(tmp_path, "w1", central, template, api, URL)
    clerk = c.signed_in["clerk1"]
    with pytest.raises(NotSupervisor):
        _desk(c).enrol_code(clerk)
    # A tampered counter that skips the desk's check: the central store refuses it.
    body = {"staff_id": "clerk1", "session": None, "valid_hours": 24}
    resp = api.post("/api/v1/floor/enrol-code", json=body, headers=_bearer(c))
    assert resp.status_code == 403 and "无权" in resp.json()["message"]
    resp = api.post("/api/v1/floor/devices", json={"staff_id": "sup1"}, headers=_bearer(c))
    assert resp.status_code == 403 and "没有在本机签到" in resp.json()["message"]
    with central.session() as s:
        assert len(s.exec(select(Device)).all()) == 1


def _bearer(c: Counter) -> dict:
    from clerk.sync import meta

    with c.store.session() as s:
        return {"Authorization": f"Bearer {meta.credential(s)}"}
