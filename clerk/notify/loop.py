"""The sender inside ``clerk serve``: a background thread per server process.

At start it marks what an earlier process left ``sending`` as uncertain
(clerk.notify.delivery.recover), then sends what is due every ``interval_s``. Several
processes may run it against one database: the claim decides who sends each row.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from clerk.clock import Clock, SystemClock
from clerk.config import NotifySettings
from clerk.notify import delivery, senders
from clerk.store.engine import Store

log = logging.getLogger(__name__)


class NotifyLoop:
    def __init__(self, store: Store, settings: NotifySettings, clock: Clock | None = None) -> None:
        self._store, self._settings, self._clock = store, settings, clock or SystemClock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="notify", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        with httpx.Client() as client:  # one client: building one costs ~40 ms (PITFALLS.md)
            channels = senders.configured(self._settings, client)
            self._recover()
            while not self._stop.is_set():
                try:
                    delivery.run_due(self._store, self._settings, channels, self._clock.now)
                except Exception:  # the database away for a while: try again next round
                    log.exception("sending notifications failed")
                self._stop.wait(self._settings.interval_s)

    def _recover(self) -> None:
        try:
            if found := delivery.recover(self._store):
                log.warning("%d notification(s) were being sent when the server stopped: marked uncertain", found)
        except Exception:
            log.exception("checking interrupted notifications failed")


def attach(app: FastAPI, store: Store, settings: NotifySettings) -> None:
    """Run a NotifyLoop for as long as ``app`` is being served."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(served: FastAPI) -> AsyncIterator:
        loop = NotifyLoop(store, settings)
        loop.start()
        try:
            async with inner(served) as state:
                yield state
        finally:
            loop.stop()

    app.router.lifespan_context = lifespan
