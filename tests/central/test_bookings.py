"""The booking table on the central store: booking, the check-in code, refusals, counts."""

from __future__ import annotations

from datetime import timedelta

from booking_helpers import (
    LABOUR_DAY_10,
    MONDAY_10,
    B,
    P,
    add_platform,
    check_in,
    plan_slots,
    platform_book,
)
from harness import START
from queue_helpers import enrol_device
from sqlalchemy import select

from clerk.booking import book, codes
from clerk.clock import SystemClock
from clerk.ids import new_id
from clerk.store.booking_tables import Booking
from clerk.store.operations import Ticket


def test_a_platform_books_and_the_kiosk_checks_in_once(central, api):
    plan_slots(central)
    headers = add_platform(central)
    booked = platform_book(api, headers)
    assert booked.status_code == 200, booked.text
    code = booked.json()["code"]
    kiosk = enrol_device(api, central, "kiosk")
    first = check_in(api, kiosk, code, new_id())
    assert first.status_code == 200, first.text
    ticket = first.json()["ticket"]
    assert ticket["priority"] == "appointment" and ticket["line_id"] == "c1:A"
    assert ticket["appointment_code"] == booked.json()["booking_id"]  # the code itself never reaches a counter
    again = check_in(api, kiosk, code, new_id())  # replayed by anyone: refused, no second ticket
    assert again.status_code == 409 and "已签到" in again.json()["message"]
    with central.session() as s:
        assert len(s.execute(select(Ticket).where(Ticket.source == "appointment")).scalars().all()) == 1
        stored = s.execute(select(Booking)).scalars().one()
    assert stored.status == "checked_in" and stored.ticket_id == ticket["id"]
    assert codes.normalise(code) not in stored.code_hash  # kept hashed


def test_a_lost_answer_retried_gets_the_same_ticket(central, api):
    plan_slots(central)
    code = platform_book(api, add_platform(central)).json()["code"]
    kiosk = enrol_device(api, central, "kiosk")
    tid = new_id()
    assert check_in(api, kiosk, code, tid).status_code == 200
    retry = check_in(api, kiosk, code, tid)
    assert retry.status_code == 200 and retry.json()["ticket"]["id"] == tid


def test_a_code_typed_with_spaces_and_lower_case_is_accepted(central, api):
    plan_slots(central)
    code = platform_book(api, add_platform(central)).json()["code"]
    typed = " " + " ".join(code.replace("-", "").lower()) + " "
    resp = check_in(api, enrol_device(api, central, "kiosk"), typed, new_id())
    assert resp.status_code == 200, resp.text


def test_a_forged_code_is_refused(central, api):
    plan_slots(central)
    real = platform_book(api, add_platform(central)).json()["code"]
    kiosk = enrol_device(api, central, "kiosk")
    # A well-formed code nobody booked, one letter off a real one, and the old 9-digit kind.
    near = real[:-1] + ("A" if real[-1] != "A" else "B")
    for forged in (codes.display(codes.new_code()), near, "090009309"):
        resp = check_in(api, kiosk, forged, new_id())
        assert resp.status_code == 404 and "预约码无效" in resp.json()["message"], forged
    with central.session() as s:
        assert s.execute(select(Ticket)).scalars().all() == []


def test_a_code_of_another_centre_is_unknown_here(central, api):
    plan_slots(central, "c2:A")
    code = platform_book(api, add_platform(central, "c2"), line="c2:A").json()["code"]
    resp = check_in(api, enrol_device(api, central, "kiosk"), code, new_id())
    assert resp.status_code == 404


def test_a_wrong_platform_credential_is_refused_with_401(central, api):
    plan_slots(central)
    good = add_platform(central)
    platform_id = good["Authorization"].split()[1].split(".")[0]
    for headers in ({}, {"Authorization": f"Bearer {platform_id}.wrong"}, {"Authorization": "Bearer nonsense"}):
        resp = platform_book(api, headers)
        assert resp.status_code == 401, resp.text
        assert "预约平台" in resp.json()["message"]
    kiosk = enrol_device(api, central, "kiosk")  # a counter's credential is no platform's
    assert platform_book(api, kiosk.headers).status_code == 401
    with central.session() as s:
        assert s.execute(select(Booking)).scalars().all() == []


def test_bad_bookings_are_refused_with_a_reason(central, api):
    plan_slots(central, capacity=1)
    headers = add_platform(central)
    assert platform_book(api, headers).status_code == 200
    cases = {
        "已约满": platform_book(api, headers),  # the one place is taken
        "已过": platform_book(api, headers, START),  # 09:00, and it is 09:00
        "劳动节": platform_book(api, headers, LABOUR_DAY_10),
        "没有这个业务类别": platform_book(api, headers, line="c1:Z"),
        "没有这个预约时段": platform_book(api, headers, MONDAY_10 + timedelta(minutes=10)),
    }
    for words, resp in cases.items():
        assert resp.status_code in (404, 409), resp.text
        assert words in resp.json()["message"], (words, resp.text)
    assert platform_book(api, headers, line="c2:A").status_code == 404  # another centre's line
    with central.session() as s:
        assert len(s.execute(select(Booking)).scalars().all()) == 1


def test_slots_show_free_places_and_closed_days(central, api):
    plan_slots(central, capacity=2)
    headers = add_platform(central)
    platform_book(api, headers)
    resp = api.post(f"{P}/slots", json={"line_id": "c1:A", "day": "2026-03-02"}, headers=headers)
    slots = {s["start"][11:16]: s["free"] for s in resp.json()["slots"]}
    assert "09:00" not in slots  # it is 09:00: that slot has begun
    assert slots["10:00"] == 1 and slots["10:30"] == 2 and slots["09:30"] == 2
    holiday = api.post(f"{P}/slots", json={"line_id": "c1:A", "day": "2026-05-01"}, headers=headers).json()
    assert holiday["closed"] == "劳动节" and holiday["slots"] == []


def test_a_clerk_books_for_a_caller_and_cancels(central, api):
    plan_slots(central, capacity=1)
    dev = enrol_device(api, central, "counter")
    body = {"line_id": "c1:A", "start": MONDAY_10.isoformat(), "channel": "phone", "staff_id": "clerk1",
            "session": dev.session_of("clerk1"), "name": "李四"}
    first = api.post(B, json=body, headers=dev.headers)
    assert first.status_code == 200, first.text
    assert api.post(B, json=body, headers=dev.headers).status_code == 409  # full
    cancel = {"booking_id": first.json()["booking_id"], "staff_id": "clerk1", "session": dev.session_of("clerk1")}
    assert api.post(f"{B}/cancel", json=cancel, headers=dev.headers).json()["status"] == "cancelled"
    assert api.post(B, json=body, headers=dev.headers).status_code == 200  # the place is free again
    refused = check_in(api, dev, first.json()["code"], new_id())
    assert refused.status_code == 409 and "已取消" in refused.json()["message"]


def test_a_booking_by_a_clerk_needs_their_signed_sign_in(central, api):
    plan_slots(central)
    dev = enrol_device(api, central, "counter")
    body = {"line_id": "c1:A", "start": MONDAY_10.isoformat(), "staff_id": "clerk1"}
    resp = api.post(B, json=body, headers=dev.headers)
    assert resp.status_code == 403


def test_cancels_and_no_shows_are_counted(central, api, server_clock):
    plan_slots(central, capacity=3)
    headers = add_platform(central)
    codes_ = [platform_book(api, headers).json() for _ in range(3)]
    api.post(f"{P}/bookings/cancel", json={"booking_id": codes_[0]["booking_id"]}, headers=headers)
    kiosk = enrol_device(api, central, "kiosk")
    assert check_in(api, kiosk, codes_[1]["code"], new_id()).status_code == 200
    day = (START - timedelta(hours=1), START + timedelta(hours=23))
    with central.session() as s:
        before = book.tally(s, "c1", *day, now=MONDAY_10 + timedelta(minutes=40))
        after = book.tally(s, "c1", *day, now=MONDAY_10 + timedelta(minutes=46))  # 10:30 end + 15 min grace
    assert before["c1:A"] == book.Tally(booked=2, checked_in=1, cancelled=1, no_show=0)
    assert after["c1:A"] == book.Tally(booked=2, checked_in=1, cancelled=1, no_show=1)
    server_clock.advance(minutes=60 + 46)
    late = check_in(api, kiosk, codes_[2]["code"], new_id())
    assert late.status_code == 409 and "已过" in late.json()["message"]


def test_platform_tokens_are_stored_hashed(central):
    headers = add_platform(central)
    secret = headers["Authorization"].split(".", 1)[1]
    from clerk.store.booking_tables import BookingPlatform

    with central.session() as s:
        row = s.execute(select(BookingPlatform)).scalars().one()
    assert secret not in row.token_hash and SystemClock()  # noqa: SIM300


def test_the_admin_command_registers_a_platform_whose_token_works(central, api, capsys):
    from cli.main import main

    if central.engine.dialect.name != "sqlite":
        return  # the command is the same on both; the API above is proved on both
    plan_slots(central)
    url = str(central.engine.url)
    assert main(["booking-platform", "--database-url", url, "--centre", "c9", "外站"]) == 1
    assert "没有这个中心" in capsys.readouterr().err
    assert main(["booking-platform", "--database-url", url, "--centre", "c1", "善美政务"]) == 0
    token = capsys.readouterr().out.split("：", 1)[1].split()[0]
    headers = {"Authorization": f"Bearer {token}"}
    assert platform_book(api, headers).status_code == 200
    assert main(["booking-platform", "--database-url", url, "--revoke", token.split(".")[0]]) == 0
    refused = platform_book(api, headers)
    assert refused.status_code == 401 and "停用" in refused.json()["message"]
