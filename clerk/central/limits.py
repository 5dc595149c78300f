"""Request limits: body size before JSON parsing, head size, events (wrong enrolment codes,
public rating posts) per client address."""

from __future__ import annotations

import json
import threading
import time
from collections import deque

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_HEAD_BYTES = 64 * 1024
"""Most bytes of request line and headers the server buffers (clerk.central.serve)."""


class PerAddress:
    """Events per client address in a sliding window: after ``limit`` within ``window_s``
    seconds the address is refused until the oldest falls out of the window.

    Wrong enrolment codes (a code is 12 characters of 32, so guessing is hopeless anyway;
    the limit keeps a script from trying) and posts of the public rating form use it.
    Kept in memory per worker process, never stored: with N workers an address gets up to
    N × ``limit``. Addresses whose events have all aged out are dropped, so a public form
    hit from many addresses holds only those of the last window."""

    def __init__(self, limit: int = 5, window_s: float = 600.0, max_addresses: int = 10_000) -> None:
        self.limit, self.window_s, self.max_addresses = limit, window_s, max_addresses
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait_s(self, address: str) -> float:
        """0 if ``address`` may go on now, else the seconds until it may."""
        with self._lock:
            now = time.monotonic()
            times = self._recent(address, now)
            return 0.0 if len(times) < self.limit else times[0] + self.window_s - now

    def count(self, address: str) -> None:
        with self._lock:
            now = time.monotonic()
            if len(self._events) >= self.max_addresses:
                for other in list(self._events):
                    self._recent(other, now)
            self._events.setdefault(address, deque()).append(now)

    def _recent(self, address: str, now: float) -> deque[float]:
        times = self._events.get(address, deque())
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if not times:
            self._events.pop(address, None)
        return times


class BodyLimit:
    """Refuse bodies over ``max_bytes`` with 413, whether or not Content-Length is sent."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _too_large(send, self.max_bytes)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_bytes:
                await _too_large(send, self.max_bytes)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        whole = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": whole, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _too_large(send: Send, max_bytes: int) -> None:
    body = json.dumps(
        {"detail": "payload_too_large", "message": f"请求内容过大（上限 {max_bytes} 字节），请分批发送"},
        ensure_ascii=False,
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
