"""Sending through a real SMTP server (aiosmtpd) and a real HTTP SMS gateway, on SQLite and
PostgreSQL: sent once; a refusing server retried then failed with a Chinese reason; a server
down then up sent once; an unconfigured channel left pending."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from case_centre import CENTRE, MONDAY
from notify_push import Pusher
from notify_servers import SmtpServer, free_port
from sqlmodel import select
from test_notify_queue import CONSENTING, _accepted

from clerk.clock import FrozenClock
from clerk.config import NotifySettings
from clerk.notify import delivery, senders
from clerk.store.central_tables import Notification


def _settings(smtp_port: int, sms_url: str = "", **kw) -> NotifySettings:
    return NotifySettings(smtp_host="127.0.0.1", smtp_port=smtp_port, smtp_from="noreply@zwfw.example.cn",
                          smtp_starttls=False, sms_url=sms_url, sms_token="gw-token", timeout_s=5,
                          retry_s=60, max_retry_s=600, **kw)


def _queued(cases, central) -> None:
    _accepted(cases, CONSENTING)
    assert Pusher(central, cases.store, CENTRE, MONDAY).push() == []


def _rows(central) -> dict[str, Notification]:
    with central.session() as s:
        return {r.channel: r for r in s.exec(select(Notification))}


def _run(central, settings, clock, client):
    return delivery.run_due(central, settings, senders.configured(settings, client), clock.now)


def test_both_channels_are_sent_once(cases, central, smtp, gateway):
    _queued(cases, central)
    clock, settings = FrozenClock(MONDAY), _settings(smtp.port, gateway.url)
    with httpx.Client() as client:
        assert _run(central, settings, clock, client) == {"sent": 2}
        assert _run(central, settings, clock, client) == {}
    rows = _rows(central)
    assert {r.state for r in rows.values()} == {"sent"}
    [mail] = smtp.messages
    assert mail["To"] == "zhangsan@example.com" and "办件已受理" in mail["Subject"]
    assert rows["email"].body in mail.get_content()
    [sms] = gateway.accepted
    assert sms == {"to": "13800138000", "text": rows["sms"].body, "id": rows["sms"].id}
    assert gateway.requests[0]["auth"] == "Bearer gw-token" and gateway.requests[0]["key"] == rows["sms"].id


def test_a_refusing_mail_server_is_retried_then_the_message_fails(cases, central, smtp):
    _queued(cases, central)
    smtp.refuse = "550 5.1.1 mailbox unavailable"
    clock, settings = FrozenClock(MONDAY), _settings(smtp.port, max_attempts=3)
    with httpx.Client() as client:
        for _ in range(3):
            _run(central, settings, clock, client)
            assert _run(central, settings, clock, client) == {}  # not due again before its backoff
            clock.advance(seconds=700)
    row = _rows(central)["email"]
    assert (row.state, row.attempts, smtp.tries, smtp.messages) == ("failed", 3, 3, [])
    assert "已尝试3次均未发出" in row.last_error and "拒收" in row.last_error and "550" in row.last_error
    assert _rows(central)["sms"].state == "pending"  # no gateway configured: waiting, not failed


def test_a_mail_server_down_then_up_sends_once(cases, central):
    _queued(cases, central)
    port = free_port()
    clock, settings = FrozenClock(MONDAY), _settings(port)
    with httpx.Client() as client:
        assert _run(central, settings, clock, client) == {"pending": 1}
        row = _rows(central)["email"]
        assert "无法连接邮件服务器" in row.last_error and row.next_attempt_at > MONDAY + timedelta(seconds=40)
        server = SmtpServer(port).start()
        try:
            clock.advance(seconds=61)
            assert _run(central, settings, clock, client) == {"sent": 1}
            clock.advance(seconds=3600)
            assert _run(central, settings, clock, client) == {}
        finally:
            server.stop()
    assert len(server.messages) == 1 and _rows(central)["email"].attempts == 2


def test_a_gateway_error_is_retried_with_the_same_key(cases, central, gateway):
    _queued(cases, central)
    gateway.statuses = [503]
    clock = FrozenClock(MONDAY)
    settings = NotifySettings(sms_url=gateway.url, sms_token="gw-token", retry_s=1)
    with httpx.Client() as client:
        assert _run(central, settings, clock, client) == {"pending": 1}
        assert "HTTP 503" in _rows(central)["sms"].last_error
        clock.advance(seconds=2)
        assert _run(central, settings, clock, client) == {"sent": 1}
    assert [r["key"] for r in gateway.requests] == [_rows(central)["sms"].id] * 2 and len(gateway.accepted) == 1
    assert _rows(central)["email"].state == "pending"


@pytest.mark.parametrize("attempts, seconds", [(1, 60), (2, 120), (3, 240), (9, 600)])
def test_backoff_doubles_with_jitter_up_to_its_cap(attempts, seconds):
    wait = delivery.backoff(_settings(25), attempts).total_seconds()
    assert seconds * 0.75 <= wait <= seconds
