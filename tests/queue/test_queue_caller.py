"""The local Caller and Issuer, appointment codes, kiosk debounce, 潮汐窗口 suggestions and
the ``window.assign_lines`` mutation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from queue_centre import CENTRE, OPENING
from sqlmodel import select

from clerk.mutation import MutationRefused
from clerk.queue.caller import LocalCaller
from clerk.queue.debounce import IssueGuard
from clerk.queue.issuer import NO_ESTIMATE, LocalIssuer, wait_text
from clerk.queue.tidal import LineLoad, Thresholds, WindowLoad, suggest
from clerk.store.local import LocalMeta
from clerk.store.operations import Ticket
from clerk.store.reference import WindowLine
from clerk.sync.meta import BAND as BAND_KEY
from clerk.sync.meta import DEVICE_ID

A, B, C = f"{CENTRE}:A", f"{CENTRE}:B", f"{CENTRE}:C"
W1, W3 = f"{CENTRE}:1", f"{CENTRE}:3"


@pytest.fixture
def issuer(bench, store, clock) -> LocalIssuer:
    return LocalIssuer(bench, store, clock)


@pytest.fixture
def caller(bench, store, clock) -> LocalCaller:
    return LocalCaller(bench, store, clock)


def test_standalone_counter_issues_in_band_zero(issuer):
    """Never enrolled, the counter is the only issuer of its hall: plain numbers, no band note."""
    first = issuer.issue(A)
    second = issuer.issue(A, "green", "elderly")
    assert (first.number, second.number) == ("A001", "A002")
    assert not first.offline and first.line_name == "综合"
    assert (first.people_ahead, second.people_ahead) == (0, 0)  # 绿色通道 is called first
    third = issuer.issue(A)
    assert third.people_ahead == 2 and third.wait_minutes == pytest.approx(20 / 9)  # 9 windows seated


def test_band_comes_from_local_meta(bench, store, clock):
    with store.write() as session:
        session.add(LocalMeta(key=BAND_KEY, value="3"))
    issued = LocalIssuer(bench, store, clock).issue(B)
    assert (issued.number, issued.offline) == ("B801", True)


def test_an_enrolled_counter_without_a_band_never_numbers_in_the_central_band(bench, store, clock):
    with store.write() as session:
        session.add(LocalMeta(key=DEVICE_ID, value="dev-5"))  # enrolled when all four bands were taken
    with pytest.raises(MutationRefused) as refused:
        LocalIssuer(bench, store, clock).issue(A)
    assert "没有离线号段" in refused.value.message
    with store.session() as session:
        assert session.exec(select(Ticket)).first() is None


def test_no_window_no_ticket_and_no_estimate(issuer, bench):
    with pytest.raises(MutationRefused) as refused:
        issuer.issue(C)
    assert "暂无窗口办理" in refused.value.message
    bench.apply("window.pause", {"window_id": W3, "reason": "午休"}, "s3")  # B's only window
    assert issuer.issue(B).wait_minutes == NO_ESTIMATE
    assert wait_text(NO_ESTIMATE) == "暂无窗口办理"


def test_a_counter_on_its_own_checks_nobody_in(issuer, store):
    """Bookings and their random codes live on the central store: a code cannot be verified
    here, so the local issuer refuses it and tells the visitor what to do instead."""
    with pytest.raises(MutationRefused) as refused:
        issuer.issue(A, appointment_code="ABCDE-FGHJK")
    assert "无法核验预约码" in refused.value.message and "普通取号" in refused.value.message
    with store.session() as session:
        assert session.exec(select(Ticket)).first() is None


def test_call_next_follows_the_policy_and_records_why(issuer, caller, clock, store):
    issuer.issue(A)
    clock.advance(minutes=1)
    green = issuer.issue(A, "green", "disabled")
    called = caller.call_next(W1, "s1")
    assert called is not None
    assert (called.ticket_id, called.reason, called.tentative) == (green.ticket_id, "绿色通道优先（残疾人）", False)
    with store.session() as session:
        row = session.get(Ticket, green.ticket_id)
        assert (row.status, row.window_id, row.fence) == ("called", W1, called.fence)


def test_call_next_refusals_and_empty_queue(issuer, caller, bench):
    assert caller.call_next(W1, "s1") is None
    issuer.issue(A)
    issuer.issue(A)
    caller.call_next(W1, "s1")
    with pytest.raises(MutationRefused) as refused:
        caller.call_next(W1, "s1")
    assert "尚未办结" in refused.value.message


def test_call_ticket_by_hand_and_tentative_when_synced(issuer, bench, store, clock):
    first, second = issuer.issue(A), issuer.issue(A)
    caller = LocalCaller(bench, store, clock, tentative=True)
    called = caller.call_ticket(second.ticket_id, W1, "s1")
    assert (called.number, called.reason, called.tentative) == (second.number, "指定叫号", True)
    with pytest.raises(MutationRefused) as refused:
        caller.call_ticket(second.ticket_id, f"{CENTRE}:2", "s2")
    assert "已由1 号窗口呼叫" in refused.value.message
    assert first.number == "A001"


def test_debounce_one_ticket_per_line_then_any_line():
    guard = IssueGuard()
    guard.record(A, "A601", OPENING)
    assert "A601" in guard.refusal(A, OPENING + timedelta(seconds=5))
    assert guard.refusal(B, OPENING + timedelta(seconds=1)) == "正在出票，请稍候"
    assert guard.refusal(B, OPENING + timedelta(seconds=4)) is None
    assert guard.refusal(A, OPENING + timedelta(seconds=31)) is None


def _window(n: int, lines: tuple[str, ...], mode: str) -> WindowLoad:
    return WindowLoad(f"w{n}", n, f"{n}号", lines, mode)  # type: ignore[arg-type]


def test_suggest_moves_worst_line_to_idle_windows():
    windows = [_window(1, ("A",), "serving"), _window(2, ("B",), "idle"), _window(3, ("A",), "idle")]
    lines = [
        LineLoad("A", "A", "综合", 12, 40.0),
        LineLoad("B", "B", "社保", 2, 5.0),
        LineLoad("C", "C", "公积金", 3, -1.0),
    ]
    tips = suggest(windows, lines, Thresholds(queue=10, wait_minutes=30))
    # C has people and no open window at all: first, on window 2; A's only other idle
    # window (3) serves A already, so A gets no move; B is under both thresholds.
    assert [(t.line_id, t.window_id) for t in tips] == [("C", "w2")]
    assert "无窗口办理" in tips[0].text
    tips = suggest([*windows, _window(4, ("C",), "idle")], lines, Thresholds(queue=10, wait_minutes=30))
    assert [(t.line_id, t.window_id) for t in tips] == [("C", "w2"), ("A", "w4")]
    assert suggest(windows, [LineLoad("B", "B", "社保", 2, 5.0)]) == []
    assert suggest([_window(1, ("A",), "paused")], lines) == []


def _assign(bench, window: str, lines: list[str], actor: str = "boss"):
    return bench.apply("window.assign_lines", {"window_id": window, "line_ids": lines}, actor)


def test_assign_lines_moves_and_refuses(bench, store, issuer):
    assert _assign(bench, W3, [B, C]) == (B, C)
    with store.session() as session:
        assert set(session.exec(select(WindowLine.line_id).where(WindowLine.window_id == W3)).all()) == {B, C}
    issuer.issue(B)
    for window, lines, message in (
        (W3, [C], "还有 1 人等候"),
        (W3, [B, "elsewhere:Z"], "没有这个业务类别"),
        ("qc:99", [B], "没有这个窗口"),
    ):
        with pytest.raises(MutationRefused) as refused:
            _assign(bench, window, lines)
        assert message in refused.value.message
    assert _assign(bench, W1, []) == ()  # A keeps windows 2 and 4–10
