"""The counter's queue through the central store: claim and issue online, locally when cut off.

:class:`RemoteCaller` and :class:`RemoteIssuer` have the shapes of ``clerk.queue.caller.Caller``
and ``clerk.queue.issuer.Issuer``, so the calling screen and the kiosk do not know which
they use.

Online, the central store arbitrates (one ticket, one window) and numbers in band 0. The
rows it returns are upserted here at once, without outbox rows, as a pull would, so the
screen shows the call before the next pull. The call is then applied locally as
``ticket.call`` with the returned fence: a no-op on a ticket the server already shows
called here, and the pushed copy is a no-op on the server too, but the counter's outbox
keeps the window's own record of the call.

Cut off (transport error or 5xx), the local caller calls from this counter's copy of the
queue (a tentative call: the server keeps the first call it applies and records a
conflict both windows see), and the local issuer numbers in this counter's offline band.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import bindparam, or_, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from clerk.clock import Clock
from clerk.ids import new_id
from clerk.mutation import MutationRefused
from clerk.outbox import Workbench
from clerk.queue import guards
from clerk.queue.caller import Caller, CallResult
from clerk.queue.issuer import CHECK_IN_OFFLINE, NO_ESTIMATE, Issuer, IssueResult
from clerk.staff.sessions import open_proof
from clerk.store.engine import Store
from clerk.store.local import Outbox
from clerk.store.operations import Ticket
from clerk.sync import meta
from clerk.sync.booking_protocol import BOOKING_PREFIX, CheckInRequest
from clerk.sync.client import CentralClient, NoAnswer, Rejected, Unreachable
from clerk.sync.queue_protocol import (
    QUEUE_PREFIX,
    CallNextRequest,
    CallTicketRequest,
    ClaimResponse,
    IssueRequest,
    IssueResponse,
)
from clerk.sync.rows import row_from_json, synced_table

T = TypeVar("T", bound=BaseModel)

TIMEOUT_S = 3.0
"""How long one try of a call or an issue waits for the central store's answer."""
TRIES = 3
"""Tries of one call or issue whose answer did not come (each with the same claim or ticket
id, so a late first try and its retry cannot claim or issue twice)."""
OFFLINE_HOLD_S = 10.0
"""After the central store could not be reached at all, go straight to the local queue for
this long instead of trying again. A store that answers late is not cut off: no hold."""


@dataclass(frozen=True)
class LinkSettings:
    timeout_s: float = TIMEOUT_S
    tries: int = TRIES
    offline_hold_s: float = OFFLINE_HOLD_S


class SlowCentral(MutationRefused):
    """The central store is reachable but did not answer in time: nothing is done locally,
    because it may have acted (the clerk tries again; the retry gets the same answer)."""


class QueueLink:
    """Requests to the central store's queue API over the counter's one HTTP client."""

    def __init__(self, store: Store, client: CentralClient, timeout_s: float | None = None,
                 offline_hold_s: float | None = None, settings: LinkSettings | None = None) -> None:
        settings = settings or LinkSettings()
        self.store, self.client = store, client
        self.timeout_s = settings.timeout_s if timeout_s is None else timeout_s
        self.offline_hold_s = settings.offline_hold_s if offline_hold_s is None else offline_hold_s
        self.tries = settings.tries
        self._down_until = 0.0

    def post(self, path: str, body: BaseModel, model: type[T], prefix: str = QUEUE_PREFIX, *,
             once: bool = False) -> T:
        """The parsed answer; Unreachable (never reached: try locally), SlowCentral (reached,
        no answer: the request may have been applied) or MutationRefused / Rejected (the server said no).

        ``body`` must be idempotent (a claim id, a ticket id): a try whose answer was lost is sent
        again — unless ``once``, for a request that is not (a booking: a second try books twice)."""
        if time.monotonic() < self._down_until:
            raise Unreachable("中心库暂时连不上，已在本机叫号", "holding off after a failure")
        tries = 1 if once else self.tries
        for attempt in range(1, tries + 1):
            try:
                return self._post(prefix + path, body, model)
            except NoAnswer as exc:
                if attempt == tries:
                    raise SlowCentral("中心库响应缓慢，本次未完成，请稍候再试（不会重复叫号或取号）", exc.detail) from exc
            except Unreachable:
                self._down_until = time.monotonic() + self.offline_hold_s
                raise
        raise AssertionError("unreachable")

    def _post(self, path: str, body: BaseModel, model: type[T]) -> T:
        credential = self.client.credential or self._stored_credential()
        if not credential:
            raise Unreachable("本机尚未登记到中心库", "not enrolled")
        try:
            return self.client.post(path, body, model, timeout=self.timeout_s, credential=credential)
        except Rejected as exc:
            if exc.status in (404, 409) and exc.code != "backlog_pending":  # the queue's own refusals: not callable, no such ticket…
                raise MutationRefused(exc.message, exc.detail) from exc
            raise

    def _stored_credential(self) -> str | None:
        with self.store.session() as session:
            return meta.credential(session)


CLAIM_KEY = "queue.open_claim."
"""local_meta key prefix: the claim id a window's last unanswered call used."""


def unsent_queue_actions_through(store: Store) -> int:
    """The newest unsent queue action of this counter the central store must see before it
    hands this counter a ticket, or 0.

    Those are the calls it made on its own (no central fence: the store still shows their
    tickets waiting) and every other ticket or window action — a finish not yet pushed
    leaves the window "still holding" its visitor there, a requeue or pause changes who is
    called next. A call the central store made (it has a fence) is already there."""
    t = Outbox.__table__.c
    with store.session() as session:
        rows = session.execute(
            select(t.mutation_id, t.name, t.args)
            .where(t.acked_at.is_(None), or_(t.name.startswith("ticket."), t.name.startswith("window.")))
            .order_by(t.mutation_id.desc())
        ).all()
    return next((r.mutation_id for r in rows
                 if r.name != "ticket.call" or json.loads(r.args).get("fence") is None), 0)


def upsert_rows(session: Session, table_name: str, rows: list[dict[str, Any]]) -> None:
    """Write server row snapshots as a pull does: no outbox row, the server's copy wins."""
    table = synced_table(table_name)
    for row in rows:
        values = row_from_json(table, row)
        session.execute(_upsert(table_name, tuple(values)), values)


@cache
def _upsert(table_name: str, columns: tuple[str, ...]):
    # Built once per table and set of columns: a claim writes a row or two on every call,
    # and building the statement cost more than running it.
    table = synced_table(table_name)
    pk = [c.name for c in table.primary_key.columns]
    stmt = sqlite_insert(table).values({c: bindparam(c) for c in columns})
    return stmt.on_conflict_do_update(index_elements=pk, set_={c: stmt.excluded[c] for c in columns if c not in pk})


class RemoteCaller:
    """``Caller`` through the central store's claim, falling back to ``local`` when cut off.

    ``push`` sends this counter's waiting actions (the sync agent's ``push_pending``): its
    unsent queue actions (calls made while cut off, a finish just pressed) go up before it
    asks for a ticket online, so the central store never hands a window a ticket this
    counter already called, nor refuses a window that has in fact finished (and the request
    says so, ``through_mutation_id``: the store refuses until it has them)."""

    def __init__(self, store: Store, clock: Clock, client: CentralClient, local: Caller,
                 link: QueueLink | None = None, push: Callable[[], object] | None = None) -> None:
        self.store, self.clock, self.local = store, clock, local
        self.bench = Workbench(store, clock)
        self.link = link or QueueLink(store, client)
        self.push = push

    def call_next(self, window_id: str, staff_id: str) -> CallResult | None:
        # With a claim still open (its answer never came), the ticket this counter sees held
        # at the window may be that claim's, pulled meanwhile: the store answers for it.
        self._check_window(window_id, busy=not self._claim_open(window_id))
        req = CallNextRequest(window_id=window_id, staff_id=staff_id, session=open_proof(self.store, staff_id))
        return self._claim("/call-next", req, lambda: self.local.call_next(window_id, staff_id))

    def call_ticket(self, ticket_id: str, window_id: str, staff_id: str) -> CallResult:
        self._check_window(window_id, ticket_id)
        req = CallTicketRequest(ticket_id=ticket_id, window_id=window_id, staff_id=staff_id,
                                session=open_proof(self.store, staff_id))
        return self._claim("/call", req, lambda: self.local.call_ticket(ticket_id, window_id, staff_id))

    def _claim(self, path: str, req: CallNextRequest, offline: Callable[[], CallResult | None]) -> CallResult | None:
        req.claim_id = self._open_claim(req.window_id)
        try:
            req.through_mutation_id = self._push_queue_actions()
            resp = self._post_claim(path, req)
        except SlowCentral:
            raise  # the claim stays open: the clerk's next call asks again for the same one
        except Unreachable:
            result = offline()
            return None if result is None else dataclasses.replace(result, tentative=True)
        except (MutationRefused, Rejected):
            self._close_claim(req.window_id)
            raise
        self._close_claim(req.window_id)
        if resp.ticket is None:
            return None
        return self._record(resp, req.window_id, req.staff_id)

    def _post_claim(self, path: str, req: CallNextRequest) -> ClaimResponse:
        try:
            return self.link.post(path, req, ClaimResponse)
        except Rejected as exc:
            if exc.code != "backlog_pending":
                raise
            if self.push is None:  # the sync agent pushes them in a moment
                raise MutationRefused(exc.message, exc.detail) from exc
        req.through_mutation_id = self._push_queue_actions()  # another process wrote meanwhile
        return self.link.post(path, req, ClaimResponse)

    def _push_queue_actions(self) -> int:
        """Push first if this counter holds queue actions the store has not seen; the newest one's id."""
        through = unsent_queue_actions_through(self.store)
        if through and self.push is not None:
            try:
                self.push()  # cut off (Unreachable): the caller calls locally, as before
            except NoAnswer as exc:
                raise SlowCentral("中心库响应缓慢，本窗口的叫号、办结等操作还未上传完，请稍候再叫号", exc.detail) from exc
        return through

    def _open_claim(self, window_id: str) -> str:
        """The window's claim in flight: one left from a try that got no answer, else a new one."""
        key = CLAIM_KEY + window_id
        with self.store.write() as session:
            claim_id = meta.get(session, key)
            if not claim_id:
                claim_id = new_id()
                meta.put(session, key, claim_id)
        return claim_id

    def _close_claim(self, window_id: str) -> None:
        with self.store.write() as session:
            meta.put(session, CLAIM_KEY + window_id, "")

    def _record(self, resp: ClaimResponse, window_id: str, staff_id: str) -> CallResult:
        def server_rows(session: Session) -> None:
            upsert_rows(session, "ticket", [resp.ticket])
            upsert_rows(session, "ticket_event", resp.events)

        args = {"ticket_id": resp.ticket["id"], "window_id": window_id, "fence": resp.fence,
                "reason": resp.reason, "kind": resp.kind or None}
        try:  # the server's rows and the window's own record of the call: one commit
            ticket: Ticket = self.bench.apply("ticket.call", args, staff_id, first=server_rows)
        except MutationRefused:
            with self.store.write() as session:  # the central call stands: show it all the same
                server_rows(session)
            raise
        return CallResult(ticket.id, ticket.number, resp.reason, resp.fence, tentative=False)

    def _check_window(self, window_id: str, ticket_id: str = "", busy: bool = True) -> None:
        """This counter knows best whether its window is paused or still holds someone:
        its latest actions may not have reached the central store yet."""
        with self.store.session() as session:
            window = guards.get_window(session, window_id)
            guards.refuse_if_paused(session, window)
            if busy:
                guards.refuse_if_busy(session, window, ticket_id)

    def _claim_open(self, window_id: str) -> bool:
        with self.store.session() as session:
            return bool(meta.get(session, CLAIM_KEY + window_id))


class RemoteIssuer:
    """``Issuer`` numbering in the central band online, in this counter's band when cut off."""

    def __init__(self, store: Store, clock: Clock, client: CentralClient, local: Issuer,
                 link: QueueLink | None = None) -> None:
        self.store, self.clock, self.local = store, clock, local
        self.link = link or QueueLink(store, client)

    def issue(self, line_id: str, priority: str = "normal", priority_reason: str = "",
              appointment_code: str = "", source: str = "kiosk", staff_id: str | None = None) -> IssueResult:
        if appointment_code:
            return self._check_in(appointment_code)
        req = self._request(line_id, priority, priority_reason, source, staff_id)
        try:
            resp = self.link.post("/tickets", req, IssueResponse)
        except Unreachable:  # the local issuer refuses if enrolment gave this counter no band
            return self.local.issue(line_id, priority, priority_reason, appointment_code, source, staff_id)
        return self._keep(resp)

    def _check_in(self, code: str) -> IssueResult:
        """The booking's ticket (its own line, whatever line the visitor picked); refused with
        the store's reason, and refused outright while the store cannot be reached."""
        req = CheckInRequest(code=code, ticket_id=new_id())
        try:
            resp = self.link.post(BOOKING_PREFIX + "/check-in", req, IssueResponse, prefix="")
        except Unreachable as exc:
            raise MutationRefused(CHECK_IN_OFFLINE, "central store unreachable for check-in") from exc
        return self._keep(resp)

    def _keep(self, resp: IssueResponse) -> IssueResult:
        with self.store.write() as session:
            upsert_rows(session, "ticket", [resp.ticket])
            upsert_rows(session, "ticket_event", resp.events)
        minutes = NO_ESTIMATE if resp.wait_minutes is None else resp.wait_minutes
        return IssueResult(resp.ticket["id"], resp.number, resp.line_name, resp.people_ahead, minutes, offline=False,
                           rate_code=resp.ticket.get("rate_code", ""))

    def _request(self, line_id, priority, priority_reason, source, staff_id) -> IssueRequest:
        fields: dict[str, Any] = {"line_id": line_id, "priority_reason": priority_reason, "source": source,
                                  "staff_id": staff_id, "ticket_id": new_id(),
                                  "session": open_proof(self.store, staff_id) if staff_id else None}
        if priority in ("normal", "green", "appointment"):
            fields["priority"] = priority
        return IssueRequest(**fields)
