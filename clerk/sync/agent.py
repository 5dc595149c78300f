"""The sync agent: one uploader at a time, push then pull, and a background loop.

``sync_once()`` does a whole round (push everything, then pull everything) and is
what "force sync" calls; the loop calls it on a timer, right after an action made
through a Workbench on the same store (once its screen has had time to draw), within a
poll interval of any other new outbox row (another process), and backs off with jitter
while the central store is away.
"""

from __future__ import annotations

import logging
import math
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from clerk import outbox
from clerk.clock import Clock
from clerk.store.engine import Store, StoreError
from clerk.store.schema import SCHEMA_VERSION
from clerk.sync import meta, upload
from clerk.sync.client import CentralClient, Rejected, SyncError, Unreachable
from clerk.sync.download import apply_changes
from clerk.sync.protocol import Change, PullRequest, PushRequest, WaitRequest

log = logging.getLogger(__name__)


class PullFailed(SyncError):
    """The pulled changes could not be applied here; the next round does a full resync."""


@dataclass(frozen=True)
class AgentSettings:
    batch_size: int = 300
    interval_s: float = 30.0
    """Full round (push + pull) at least this often, even when nothing new is written."""
    poll_s: float = 0.5
    """How often the loop looks for new local actions to push."""
    max_backoff_s: float = 300.0
    keep_acked_days: float = 7.0
    pull_limit: int = 2000
    after_action_s: float = 0.1
    """How long a push waits after the action that woke it: the clerk's screen shows the
    action first (on a two-core counter a round running alongside delays it by about a
    third), and actions a moment apart go in one batch. Forced rounds (F5) do not wait."""
    listen_s: float = 20.0
    """How long one held /wait lasts: news of another counter (a chief's decision, a request
    for the chief) starts a round at once instead of at the next interval. 0 turns it off."""


@dataclass
class SyncReport:
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    pull_deferred: bool = False
    reset: bool = False
    notes: list[str] = field(default_factory=list)


class SyncAgent:
    def __init__(self, store: Store, clock: Clock, client: CentralClient, settings: AgentSettings | None = None) -> None:
        self.store = store
        self.clock = clock
        self.client = client
        self.settings = settings or AgentSettings()
        self._round = threading.Lock()  # one uploader at a time
        self._wake = threading.Event()
        self._force = threading.Event()
        self._news = threading.Event()  # the central store has changes for this counter
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._listener: threading.Thread | None = None
        self._round_ok = threading.Event()
        """Set by each round that reached the central store: a listener that lost the line
        listens again at once, not after its pause (the news of a decision taken meanwhile)."""
        self._unsubscribe: Callable[[], None] | None = None
        self.on_landed: Callable[[int], None] | None = None
        """Called (on the agent's thread) with the number of changes each time a pull lands
        some: the screens re-read what they show (a chief's decision, a request to sign)."""

    # -- one round -------------------------------------------------------------

    def sync_once(self) -> SyncReport:
        """Push all waiting actions, then pull; raises SyncError (after recording it)."""
        with self._round:
            report = SyncReport()
            try:
                self._load_identity()
                self._push_all(report)
                self._pull_all(report)
                self._after_success()
            except SyncError as exc:
                self._record_failure(exc)
                raise
            return report

    def push_pending(self) -> SyncReport:
        """Push every waiting action now, without pulling (an online call needs this counter's
        offline calls on the central store first); raises SyncError (after recording it)."""
        with self._round:
            report = SyncReport()
            try:
                self._load_identity()
                self._push_all(report)
            except SyncError as exc:
                self._record_failure(exc)
                raise
            return report

    def _load_identity(self) -> None:
        with self.store.session() as session:
            self.client.credential = meta.credential(session)
            self._client_id = meta.get(session, outbox.CLIENT_ID_KEY)
        if not self.client.credential:
            raise Rejected(401, "not_enrolled", "本机尚未登记到中心库", {})

    def _push_all(self, report: SyncReport) -> None:
        while True:
            with self.store.session() as session:
                batch = upload.pending_batch(session, self.settings.batch_size)
                base = upload.chain_before(session, batch[0].mutation_id) if batch else None
            if not batch:
                return
            req = PushRequest(
                client_id=self._client_id,
                schema_version=SCHEMA_VERSION,
                client_time=self.clock.now(),
                base_chain=base,
                mutations=batch,
            )
            try:
                resp = self.client.push(req)
            except Rejected as exc:
                if exc.code != "mutation_gap":
                    raise
                self._requeue(int(exc.body.get("last_mutation_id") or 0), report)
                continue
            with self.store.write() as session:
                if upload.record_ack(session, resp.last_mutation_id, resp.conflicts, self.clock.now()):
                    meta.put(session, meta.RESYNC, "1")  # undo the refused actions' local effects
                meta.put(session, meta.SKEW_MS, str(resp.clock_skew_ms))
            report.pushed += len(batch)
            report.conflicts += len(resp.conflicts)

    def _requeue(self, server_last: int, report: SyncReport) -> None:
        """The server has less than we thought (restored backup): send the rest again."""
        with self.store.write() as session:
            try:
                n = upload.unack_after(session, server_last)
            except upload.LostMutations as exc:
                raise Rejected(409, "mutations_lost", exc.message, {}) from exc
            meta.put(session, meta.RESYNC, "1")
        report.notes.append(f"re-queued {n} mutations after {server_last}")

    def _pull_all(self, report: SyncReport, requeued: bool = False) -> None:
        with self.store.session() as session:
            epoch, seq = meta.get(session, meta.EPOCH), int(meta.get(session, meta.SEQ, "0"))
            reset = meta.get(session, meta.RESYNC) == "1"
            acked = upload.max_acked(session)
        if reset:
            epoch, seq = "", 0
        changes: list[Change] = []
        while True:
            resp = self.client.pull(
                PullRequest(
                    client_id=self._client_id, schema_version=SCHEMA_VERSION, epoch=epoch, seq=seq,
                    limit=self.settings.pull_limit,
                )
            )
            if resp.last_mutation_id < acked and not requeued:
                self._requeue(resp.last_mutation_id, report)
                self._push_all(report)
                return self._pull_all(report, requeued=True)
            if resp.reset and not reset:  # the server changed epoch mid-catch-up: start over
                changes = []
            reset = reset or resp.reset
            changes.extend(resp.changes)
            epoch = resp.epoch
            if not resp.has_more:
                seq = resp.last_seq  # everything up to here has been sent
                break
            seq = resp.changes[-1].seq
        # A catch-up lands whole, in one local transaction: the change log keeps only the
        # last write of each row, so a page can hold children whose parent row comes in a
        # later page. Landed page by page, such a page failed its foreign keys for ever.
        self._land(epoch, seq, changes, reset, report)

    def _land(self, epoch: str, seq: int, changes: list[Change], reset: bool, report: SyncReport) -> bool:
        try:
            landed = apply_changes(self.store, epoch, seq, changes, reset)
        except StoreError as exc:
            # Nothing of the catch-up was kept. Rebuild from the server's tables next round
            # rather than retry the same changes for ever; the status shows why meanwhile.
            with self.store.write() as session:
                meta.put(session, meta.RESYNC, "1")
            raise PullFailed(f"下载中心库数据失败，将重新完整同步：{exc.message}", exc.detail) from exc
        if landed:
            report.pulled += len(changes)
            report.reset = report.reset or reset
            if changes and self.on_landed is not None:
                self._tell_landed(len(changes))
            return True
        report.pull_deferred = True  # a local action arrived meanwhile; next round
        return False

    def _tell_landed(self, n: int) -> None:
        try:
            self.on_landed(n)
        except Exception:  # a screen's trouble must not fail the round that landed the rows
            log.exception("telling the screens about %d pulled changes failed", n)

    def _after_success(self) -> None:
        now = self.clock.now()
        with self.store.write() as session:
            meta.put_time(session, meta.LAST_OK_AT, now)
            meta.put(session, meta.LAST_ERROR, "")
            meta.put(session, meta.LAST_ERROR_KIND, "")
            upload.prune(session, now, self.settings.keep_acked_days)

    def _record_failure(self, exc: SyncError) -> None:
        log.info("sync failed: %s", exc.detail)
        self._record(exc.message, "offline" if isinstance(exc, Unreachable) else "error")

    def _record(self, message: str, kind: str) -> None:
        with self.store.write() as session:
            meta.put_time(session, meta.LAST_FAIL_AT, self.clock.now())
            meta.put(session, meta.LAST_ERROR, message)
            meta.put(session, meta.LAST_ERROR_KIND, kind)

    def _record_crash(self, exc: Exception) -> None:
        """A round that failed in a way nobody foresaw still shows on the status line."""
        try:
            self._record(f"同步出错（程序故障，请联系管理员）：{exc!r}"[:300], "error")
        except Exception:  # the local store itself is unusable: the log is all there is
            log.exception("recording the sync failure failed")

    # -- background loop -------------------------------------------------------

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._unsubscribe = outbox.on_new_action(self.store, self._wake.set)
            self._thread = threading.Thread(target=self._loop, name="clerk-sync", daemon=True)
            self._thread.start()
            if self.settings.listen_s > 0:
                # A daemon: a held request must not keep the workstation from quitting.
                self._listener = threading.Thread(target=self._listen, name="clerk-sync-listen", daemon=True)
                self._listener.start()

    def stop(self, timeout: float = 10.0) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._stop.set()
        self._wake.set()
        self._round_ok.set()  # a listener pausing after a failure stops too
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def nudge(self) -> None:
        """Sync now (the clerk pressed "sync"), even while backing off."""
        self._force.set()
        self._wake.set()

    def _loop(self) -> None:
        # A new local action only wakes the loop (self._wake): it is pushed a moment later
        # (after_action_s) when the central store is reachable, and waits for the backoff
        # when it is not, so a busy counter does not hammer a server that is down. Time is
        # measured, not summed from waits, because a wake-up cuts a wait short.
        failures = 0
        last_round = -math.inf  # first round at once
        while not self._stop.is_set():
            forced, news = self._force.is_set(), self._news.is_set()
            self._force.clear()
            self._news.clear()
            self._wake.clear()
            idle = time.monotonic() - last_round
            due = (forced or idle >= self.settings.interval_s
                   or (failures == 0 and (news or self._has_pending())))
            if due:
                try:
                    self.sync_once()
                    failures = 0
                    self._round_ok.set()
                except SyncError:
                    failures += 1
                except Exception as exc:  # never let the loop die; the status shows the failure
                    log.exception("sync round crashed")
                    self._record_crash(exc)
                    failures += 1
                last_round = time.monotonic()
            woken = self._wake.wait(self._backoff(failures) if failures else self.settings.poll_s)
            if woken and not self._force.is_set() and not self._news.is_set():
                self._stop.wait(self.settings.after_action_s)

    def _listen(self) -> None:
        """Hold a /wait open on the central store; its news wakes the loop for a round.

        Offline, or a central store too old to know /wait: the rounds go on as before, and
        the listener tries again after a pause."""
        while not self._stop.is_set():
            try:
                news = self.client.wait(self._wait_request())
            except Exception:  # offline, old server, not enrolled: the loop reports those
                self._round_ok.clear()
                self._round_ok.wait(max(self.settings.interval_s, 5.0))
                continue
            if news.changed:
                self._news.set()
                self._wake.set()
                self._stop.wait(self.settings.poll_s)  # let the round land before asking again

    def _wait_request(self) -> WaitRequest:
        self._load_identity()
        with self.store.session() as session:
            epoch, seq = meta.get(session, meta.EPOCH) or "", int(meta.get(session, meta.SEQ, "0"))
        return WaitRequest(client_id=self._client_id, schema_version=SCHEMA_VERSION, epoch=epoch, seq=seq,
                           timeout_s=min(self.settings.listen_s, 30.0))

    def _backoff(self, failures: int) -> float:
        # Full jitter: counters that lost the line together do not all come back together.
        cap = min(self.settings.max_backoff_s, self.settings.poll_s * 2 ** min(failures, 20))
        return random.uniform(self.settings.poll_s, max(cap, self.settings.poll_s))

    def _has_pending(self) -> bool:
        try:
            with self.store.session() as session:
                return upload.pending_count(session) > 0
        except Exception:
            return False
