"""Sign-in: the password unlocks the signing key; one message for unknown user and wrong
password; lockout and its end."""

from datetime import UTC, datetime

import pytest

from clerk import credentials
from clerk.clock import FrozenClock
from clerk.staff.auth import SignInError, hash_password, sign_in, staff_secrets
from clerk.store.reference import Centre, Staff


@pytest.fixture
def store(sqlite_store):
    with sqlite_store.write() as s:
        s.add(Centre(code="c", name="测试中心", level="county"))
        s.flush()
        pw_hash, signing_key = staff_secrets("right-pass")
        s.add(Staff(id="li", username="li", name="李娜", role="clerk", centre_code="c", password_hash=pw_hash,
                    signing_key=signing_key))
    return sqlite_store


@pytest.fixture
def clock():
    return FrozenClock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))


def attempt(store, clock, password, username="li"):
    return sign_in(store, clock, username, password, max_failures=5, lockout_minutes=15)


def test_right_password_signs_in_and_unlocks_the_signing_key(store, clock):
    unlocked = attempt(store, clock, "right-pass")
    assert (unlocked.staff.name, unlocked.staff.role_label) == ("李娜", "窗口工作人员")
    with store.session() as s:
        published = s.get(Staff, "li").signing_key
    assert credentials.verify(published, b"statement", unlocked.key.sign(b"statement"))


def test_stored_hash_and_key_are_not_the_password(store):
    with store.session() as s:
        li = s.get(Staff, "li")
    assert li.password_hash.startswith("$argon2") and li.signing_key.startswith(credentials.SCHEME)
    assert "right-pass" not in li.password_hash + li.signing_key


def test_a_row_without_a_signing_key_says_so_only_to_the_right_password(store, clock):
    with store.write() as s:
        s.add(Staff(id="old", username="old", name="老张", role="clerk", centre_code="c",
                    password_hash=hash_password("old-pass")))
    with pytest.raises(SignInError) as wrong:
        attempt(store, clock, "nope", username="old")
    assert "用户名或密码错误" in wrong.value.message
    with pytest.raises(SignInError) as right:
        attempt(store, clock, "old-pass", username="old")
    assert "缺少签名密钥" in right.value.message


def test_wrong_password_and_unknown_user_get_the_same_message(store, clock):
    with pytest.raises(SignInError) as wrong:
        attempt(store, clock, "nope")
    with pytest.raises(SignInError) as unknown:
        attempt(store, clock, "nope", username="ghost")
    assert wrong.value.message == unknown.value.message == "用户名或密码错误，还可以再试4次"


def test_five_failures_lock_until_the_time_passes(store, clock):
    for _ in range(4):
        with pytest.raises(SignInError):
            attempt(store, clock, "nope")
    with pytest.raises(SignInError) as fifth:
        attempt(store, clock, "nope")
    assert "已锁定15分钟" in fifth.value.message
    with pytest.raises(SignInError) as locked:
        attempt(store, clock, "right-pass")  # even the right password waits
    assert "锁定至 09:15" in locked.value.message  # Beijing time
    clock.advance(minutes=16)
    assert attempt(store, clock, "right-pass").staff.username == "li"


def test_success_resets_the_failure_count(store, clock):
    for _ in range(4):
        with pytest.raises(SignInError):
            attempt(store, clock, "nope")
    attempt(store, clock, "right-pass")
    with pytest.raises(SignInError) as err:
        attempt(store, clock, "nope")
    assert "还可以再试4次" in err.value.message


def test_empty_input(store, clock):
    with pytest.raises(SignInError, match="请输入"):
        attempt(store, clock, "", username="")
