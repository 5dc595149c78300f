"""Request limits: body size before JSON parsing, head size, wrong enrolment codes per address."""

from __future__ import annotations

import json
import threading
import time
from collections import deque

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_HEAD_BYTES = 64 * 1024
"""Most bytes of request line and headers the server buffers (clerk.central.serve)."""


class EnrolAttempts:
    """Wrong enrolment codes per client address: after ``limit`` within ``window_s`` seconds
    the address is refused until the oldest falls out of the window. A code is 12 characters
    of 32, so guessing is hopeless anyway; the limit keeps a script from trying.
    Kept per worker process: with N workers an address gets up to N × ``limit`` tries."""

    def __init__(self, limit: int = 5, window_s: float = 600.0) -> None:
        self.limit, self.window_s = limit, window_s
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait_s(self, address: str) -> float:
        """0 if ``address`` may try a code now, else the seconds until it may."""
        with self._lock:
            times = self._recent(address, time.monotonic())
            return 0.0 if len(times) < self.limit else times[0] + self.window_s - time.monotonic()

    def failed(self, address: str) -> None:
        with self._lock:
            self._recent(address, time.monotonic()).append(time.monotonic())

    def _recent(self, address: str, now: float) -> deque[float]:
        times = self._failures.setdefault(address, deque())
        while times and times[0] <= now - self.window_s:
            times.popleft()
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
