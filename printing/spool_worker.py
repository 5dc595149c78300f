"""Send the spool in the background: the clerk never waits for a printer.

One thread per spool. It sends whatever is pending when it starts (jobs left by a crash
or a power cut), whenever it is woken (a new job), and, while jobs wait because the
destination failed, again every ``retry_s`` seconds until they go. A job is never dropped:
it stays in ``pending/`` until its destination took it, and the worker's status says how
many wait and why, for the screen to show.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from printing.spool import Spool
from printing.spool_sender import Destination, send_pending

log = logging.getLogger(__name__)
IDLE_CHECK_S = 60.0
"""Even with nothing to do, look again this often (another program may have queued)."""


@dataclass(frozen=True)
class SpoolStatus:
    waiting: int
    """Jobs still pending."""
    problem: str
    """Why they wait, in Chinese; "" when nothing is wrong."""
    since: datetime | None
    """When the current problem was first seen."""
    destination: str


class SpoolWorker:
    """Sends ``spool``'s pending jobs to ``destination`` on a daemon thread."""

    def __init__(self, spool: Spool, destination: Destination, retry_s: float = 20.0) -> None:
        self.spool = spool
        self.destination = destination
        self.retry_s = retry_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._sent = threading.Condition()
        self._status = SpoolStatus(0, "", None, destination.name)
        self._rounds = 0
        self._thread: threading.Thread | None = None

    def start(self) -> SpoolWorker:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="a4-spool", daemon=True)
            self._thread.start()
        return self

    def wake(self) -> None:
        """A job was queued: send it now."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def status(self) -> SpoolStatus:
        return self._status

    def wait_round(self, after: int, timeout: float) -> int:
        """Block until a sending round later than ``after`` has finished; its number."""
        with self._sent:
            self._sent.wait_for(lambda: self._rounds > after, timeout)
            return self._rounds

    @property
    def rounds(self) -> int:
        return self._rounds

    def _run(self) -> None:
        follow_up = False
        while not self._stop.is_set():
            self._wake.clear()
            follow_up = self._round(follow_up)
            # Soon again while something is wrong, or to see that what was sent came out.
            self._wake.wait(self.retry_s if self._status.problem or follow_up else IDLE_CHECK_S)

    def _round(self, check: bool) -> bool:
        """One attempt; True when jobs were handed over (worth a look at the printer soon)."""
        sent_any = False
        try:
            sent = send_pending(self.spool, self.destination)
            problem, waiting, sent_any = sent.problem, sent.waiting, sent.sent > 0
            if not problem and (check or sent_any or self._status.problem):
                problem = self.destination.check()
        except Exception as exc:  # a full disk, a vanished folder: keep the jobs, say why
            log.exception("A4 spool: sending failed")
            problem = f"打印队列出错：{exc}"
            waiting = len(self.spool.jobs("pending"))
        previous = self._status
        since = (previous.since or datetime.now(UTC)) if problem else None
        if problem and problem != previous.problem:
            log.warning("A4 spool: %d waiting: %s", waiting, problem)
        self._status = SpoolStatus(waiting, problem, since, self.destination.name)
        with self._sent:
            self._rounds += 1
            self._sent.notify_all()
        return sent_any
