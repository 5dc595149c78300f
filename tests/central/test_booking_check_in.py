"""A counter's issuer checks a booking in through the central store; cut off, it refuses."""

from __future__ import annotations

import pytest
from booking_helpers import add_platform, plan_slots, platform_book
from harness import enrolled_counter, free_port

from clerk.mutation import MutationRefused
from clerk.queue.issuer import LocalIssuer
from clerk.store.booking_tables import Booking
from clerk.store.operations import Ticket
from clerk.sync.client import CentralClient
from clerk.sync.queue_remote import RemoteIssuer


def _issuer(counter, base_url: str, http=None) -> RemoteIssuer:
    local = LocalIssuer(counter.bench, counter.store, counter.clock)
    return RemoteIssuer(counter.store, counter.clock, CentralClient(base_url, http=http), local)


def test_the_kiosk_checks_in_once_and_keeps_the_ticket(central, api, tmp_path, template):
    plan_slots(central)
    code = platform_book(api, add_platform(central)).json()["code"]
    kiosk = enrolled_counter(tmp_path, "kiosk", central, template, api, "http://central")
    issuer = _issuer(kiosk, "http://central", api)
    result = issuer.issue("c1:B-not-chosen", appointment_code=code.lower().replace("-", " "))
    assert result.number.startswith("A") and result.offline is False  # the booking's line, not the one picked
    with kiosk.store.session() as s:
        assert s.get(Ticket, result.ticket_id).priority == "appointment"
    with pytest.raises(MutationRefused) as again:
        issuer.issue("c1:A", appointment_code=code)
    assert "已签到" in again.value.message


def test_cut_off_the_kiosk_refuses_check_in_and_says_what_to_do(central, api, tmp_path, template):
    plan_slots(central)
    code = platform_book(api, add_platform(central)).json()["code"]
    kiosk = enrolled_counter(tmp_path, "kiosk", central, template, api, "http://central")
    issuer = _issuer(kiosk, f"http://127.0.0.1:{free_port()}")  # nobody listens there
    with pytest.raises(MutationRefused) as refused:
        issuer.issue("c1:A", appointment_code=code)
    assert "无法核验预约码" in refused.value.message and "普通取号" in refused.value.message
    with kiosk.store.session() as s:
        assert s.query(Ticket).count() == 0
    with central.session() as s:
        assert s.query(Booking).one().status == "booked"  # still valid once the kiosk is back online
