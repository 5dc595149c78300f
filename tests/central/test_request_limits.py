"""Request limits of a real `clerk serve` on 127.0.0.1: a huge header is refused without being
buffered, and wrong enrolment codes from one address are cut off with a Chinese message."""

from __future__ import annotations

import socket

import httpx

from clerk.central import devices
from clerk.clock import SystemClock
from clerk.store.schema import SCHEMA_VERSION


def _status_of_huge_header(port: int, size: int) -> int:
    """Send a request whose one header is ``size`` bytes; the status line the server answers."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ")
        chunk = b"a" * 65536
        try:
            for _ in range(size // len(chunk)):
                sock.sendall(chunk)
            sock.sendall(b"\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading: what a bound looks like from here
        answer = b""
        try:
            while b"\r\n" not in answer:
                part = sock.recv(4096)
                if not part:
                    break
                answer += part
        except ConnectionResetError:
            pass
    assert answer.startswith(b"HTTP/1.1 "), answer[:100]
    return int(answer.split()[1])


def test_a_32_mb_header_is_refused_and_the_server_carries_on(server):
    status = _status_of_huge_header(server.port, 32 * 1024 * 1024)
    assert 400 <= status < 500
    ok = httpx.get(server.base_url + "/api/v1/health", headers={"X-Normal": "a" * 4000}, timeout=10)
    assert ok.status_code == 200  # ordinary headers still pass, and the server is up


def test_wrong_enrolment_codes_are_limited_per_address(real_db, server):
    _url, central = real_db

    def attempt(code: str) -> httpx.Response:
        return httpx.post(server.base_url + "/api/v1/enrol", timeout=10, json={
            "code": code, "client_id": "guesser", "name": "", "schema_version": SCHEMA_VERSION})

    assert [attempt(f"WRONG-CODE-{n:04d}").status_code for n in range(5)] == [403] * 5
    refused = attempt("WRONG-CODE-9999")
    assert refused.status_code == 429
    assert "登记码输错次数过多" in refused.json()["message"]
    good = devices.make_enrol_code(central, SystemClock(), "c1")
    assert attempt(good).status_code == 429  # not even a right code while the address waits
