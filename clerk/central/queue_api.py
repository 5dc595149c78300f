"""The central store's queue API: one ticket, one window, and online ticket issue.

A call claims the ticket in one transaction (clerk.queue.claim: a conditional update on
SQLite under BEGIN IMMEDIATE, FOR UPDATE SKIP LOCKED on PostgreSQL) and returns the
fencing token; everything it writes goes through the change capture so the other
counters' pulls see the call. Online tickets are numbered in band 0, which only the
central store uses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from clerk import mutation
from clerk.central import devices
from clerk.central.actors import SESSIONS_SINCE
from clerk.central.capture import captured, rows_of
from clerk.central.changes import snapshot
from clerk.clock import Clock
from clerk.ids import new_id
from clerk.mutation import MutationContext, MutationRefused
from clerk.queue import guards
from clerk.queue.claim import Claim, claim_event_id, claim_next, claim_ticket, claimed_before
from clerk.queue.load import handling_times, line_wait, people_ahead, window_lines
from clerk.queue.numbering import CENTRAL_BAND
from clerk.queue.policy import estimate_wait
from clerk.queue.rate_code import new_rate_code
from clerk.queue.settings import policy_for
from clerk.staff.session_handlers import proof_holds
from clerk.store.central_tables import ClientState, Device
from clerk.store.engine import Store
from clerk.store.operations import StaffSession, Ticket
from clerk.store.queue_tables import TicketEvent
from clerk.store.reference import ROLES, ServiceLine, Staff, Window
from clerk.store.schema import SCHEMA_VERSION
from clerk.sync.protocol import API_PREFIX, ErrorBody
from clerk.sync.queue_protocol import (
    QUEUE_PREFIX,
    CallNextRequest,
    CallTicketRequest,
    ClaimResponse,
    IssueRequest,
    IssueResponse,
)

T = TypeVar("T")
_bearer = HTTPBearer(auto_error=False, description="本机登记凭据 device_id.secret")
Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
_ERRORS = {code: {"model": ErrorBody} for code in (400, 401, 403, 404, 409, 413, 422)}


class _Refused(Exception):
    def __init__(self, status: int, detail: str, message: str) -> None:
        super().__init__(detail)
        self.status, self.detail, self.message = status, detail, message


def answer(work: Callable[[], T]) -> T | JSONResponse:
    """Run ``work``; a refusal becomes the API's error body (English code, Chinese message)."""
    try:
        return work()
    except devices.CredentialError as exc:
        return error_response(exc.status, exc.code, exc.message)
    except _Refused as exc:
        return error_response(exc.status, exc.detail, exc.message)
    except MutationRefused as exc:
        return error_response(409, "refused", exc.message)


def error_response(status: int, detail: str, message: str) -> JSONResponse:
    return JSONResponse(ErrorBody(detail=detail, message=message).model_dump(exclude_none=True), status_code=status)


def queue_router(store: Store, clock: Clock) -> APIRouter:
    router = APIRouter(prefix=API_PREFIX + QUEUE_PREFIX, tags=["queue"])

    @router.post("/call-next", response_model=ClaimResponse, responses=_ERRORS)
    def call_next(req: CallNextRequest, creds: Bearer):
        """Claim the ticket the calling policy picks for the window; ``ticket`` null if nobody waits.

        A retry with the same ``claim_id`` gets the first try's ticket; a call made before this
        counter's own offline calls (``through_mutation_id``) arrived is refused."""
        def claim(session: Session, device: Device, window: Window, event_id: str | None) -> Claim | None:
            lines = window_lines(session, window.id)
            return claim_next(session, window.id, lines, req.staff_id, clock.now(), policy_for(window.centre_code),
                              event_id)
        return answer(lambda: _claim_once(store, creds, req, claim))

    @router.post("/call", response_model=ClaimResponse, responses=_ERRORS)
    def call_ticket(req: CallTicketRequest, creds: Bearer):
        """Claim one named ticket for the window (指定叫号); refused if it is no longer waiting."""
        def claim(session: Session, device: Device, window: Window, event_id: str | None) -> Claim | None:
            ticket = session.get(Ticket, req.ticket_id)
            if ticket is None or ticket.centre_code != device.centre_code:
                raise _Refused(404, "no_ticket", "没有这个号")
            guards.refuse_if_not_callable(session, ticket, window)
            return claim_ticket(session, ticket.id, window.id, req.staff_id, clock.now(), event_id=event_id)
        return answer(lambda: _claim_once(store, creds, req, claim))

    @router.post("/tickets", response_model=IssueResponse, responses=_ERRORS)
    def issue(req: IssueRequest, creds: Bearer):
        """A new ticket numbered in the central band, with people ahead and the wait estimate."""
        def work() -> IssueResponse:
            with store.write() as session:
                device = device_of(session, creds, req.schema_version)
                if req.staff_id is not None:
                    check_staff(session, device, req, "ticket.issue")
                line = _line(session, device, req.line_id)
                if req.ticket_id and (done := session.get(Ticket, req.ticket_id)) is not None:
                    if done.line_id != line.id:
                        raise _Refused(409, "ticket_exists", "该号已取过，请勿重复取号")
                    return issued_response(session, done, line, [])  # a retry after a lost answer
                # One issuer of a line's numbers at a time (PostgreSQL; SQLite has one writer).
                session.execute(select(ServiceLine.id).where(ServiceLine.id == line.id).with_for_update())
                with captured(session, device.centre_code) as recorder:
                    ticket = mutation.run(session, "ticket.issue", _issue_args(req), device_context(device, req.staff_id, clock))
                return issued_response(session, ticket, line, rows_of(recorder.entries, "ticket_event"))
        return answer(work)

    return router


ClaimWork = Callable[[Session, Device, Window, "str | None"], "Claim | None"]


def _claim_once(store: Store, creds, req: CallNextRequest, claim: ClaimWork) -> ClaimResponse:
    """One claim in one transaction; a retry of a claim already made answers with its ticket.

    Two tries of one claim can run at once on PostgreSQL (the counter gave up on a slow first
    try): the second to commit fails on the event's key and, run again, finds the first's."""
    for attempt in (1, 2):
        try:
            with store.write() as session:
                device, window = _caller(session, creds, req)
                _require_backlog(session, device, req.through_mutation_id)
                event_id = claim_event_id(device.client_id, req.claim_id) if req.claim_id else None
                if event_id and (done := claimed_before(session, event_id)) is not None:
                    return _replayed(session, done, event_id)
                with captured(session, device.centre_code) as recorder:
                    return _claimed(session, claim(session, device, window, event_id), recorder.entries)
        except IntegrityError:
            if attempt == 2 or not req.claim_id:
                raise
    raise AssertionError("unreachable")


def _require_backlog(session: Session, device: Device, through: int) -> None:
    if not through:
        return
    state = session.get(ClientState, device.client_id)
    have = state.last_mutation_id if state else 0
    if have < through:
        raise _Refused(409, "backlog_pending",
                       f"本机断网期间的叫号尚未上传到中心库（已收到第 {have} 号，需要第 {through} 号），请稍候再叫号")


def _replayed(session: Session, claim: Claim, event_id: str) -> ClaimResponse:
    ticket = session.get(Ticket, claim.ticket_id)
    event = session.get(TicketEvent, event_id)
    return ClaimResponse(ticket=snapshot(ticket)[2], events=[snapshot(event)[2]], fence=claim.fence,
                         reason=claim.reason, kind=claim.kind)


def _issue_args(req: IssueRequest) -> dict:
    return {
        "id": req.ticket_id or new_id(), "line_id": req.line_id, "source": req.source,
        "priority_reason": req.priority_reason, "appointment_code": req.appointment_code,
        "appointment_start": req.appointment_start, "appointment_end": req.appointment_end,
        "band": CENTRAL_BAND, "rate_code": new_rate_code(),
    }


def device_context(device: Device, staff_id: str | None, clock: Clock) -> MutationContext:
    # Mutation id 0 never occurs in a push (they start at 1), so the event ids this
    # derives (clerk.queue.events) cannot collide with those of the device's own actions.
    return MutationContext(client_id=device.client_id, mutation_id=0, hlc="", at=clock.now(), actor_id=staff_id)


def issued_response(session: Session, ticket: Ticket, line: ServiceLine, events: list[dict]) -> IssueResponse:
    policy = policy_for(line.centre_code)
    wait = line_wait(session, line.id, policy)
    ahead = people_ahead(session, ticket)
    # This visitor's wait: the people ahead of them, not the line's (which counts them too).
    estimate = estimate_wait(ahead, handling_times(session, line.id, policy.handling_sample_size), wait.serving_windows,
                             policy)
    minutes = None if estimate is None else round(estimate.total_seconds() / 60, 1)
    return IssueResponse(
        ticket=snapshot(ticket)[2], events=events, number=ticket.number, line_name=line.name,
        people_ahead=ahead, waiting=wait.waiting, wait_minutes=minutes, issued_at=ticket.issued_at,
    )


def _claimed(session: Session, claim: Claim | None, entries: list) -> ClaimResponse:
    if claim is None:
        return ClaimResponse(ticket=None)
    ticket = session.get(Ticket, claim.ticket_id)
    # The claim moves the ticket with a Core UPDATE, which the recorder cannot see.
    entries.append(snapshot(ticket))
    return ClaimResponse(
        ticket=snapshot(ticket)[2], events=rows_of(entries, "ticket_event"),
        fence=claim.fence, reason=claim.reason, kind=claim.kind,
    )


# -- who may do it -------------------------------------------------------------------


def device_of(session: Session, creds: HTTPAuthorizationCredentials | None, version: int) -> Device:
    device = devices.authenticate(session, creds.credentials if creds else None)
    if version not in (SCHEMA_VERSION, SCHEMA_VERSION - 1):
        raise _Refused(409, "schema_version_unsupported", "本机程序版本与中心库不兼容，请升级后再叫号")
    return device


def _caller(session: Session, creds, req: CallNextRequest) -> tuple[Device, Window]:
    device = device_of(session, creds, req.schema_version)
    check_staff(session, device, req, "ticket.call")
    window = session.get(Window, req.window_id)
    if window is None or window.centre_code != device.centre_code:
        raise _Refused(404, "no_window", "本中心没有这个窗口")
    return device, window


def check_staff(session: Session, device: Device, req: CallNextRequest | IssueRequest, action: str) -> Staff:
    """The same checks a push makes of a mutation's actor (clerk.central.actors), with the
    staff session proved by the signed sign-in the request carries."""
    staff = session.get(Staff, req.staff_id)
    if staff is None or not staff.active:
        raise _Refused(403, "bad_actor", "操作人不存在或已停用")
    if staff.centre_code != device.centre_code:
        raise _Refused(403, "bad_actor", "操作人不属于本机登记的中心")
    if not mutation.lookup(action).allows(staff.role):
        raise _Refused(403, "forbidden", f"操作人的角色（{ROLES.get(staff.role, staff.role)}）无权进行该操作")
    if req.schema_version >= SESSIONS_SINCE or (device.schema_version or 0) >= SESSIONS_SINCE:
        _check_session(session, device, req)
    return staff


def _check_session(session: Session, device: Device, req: CallNextRequest | IssueRequest) -> None:
    if req.session is not None:
        known = session.get(StaffSession, req.session.session_id)
        still_open = known is None or known.ended_at is None  # None: its push is still on the way
        if still_open and proof_holds(session, device.client_id, req.staff_id, req.session):
            return
    raise _Refused(403, "no_session", "操作人没有在本机签到（或已签退），不能以其名义操作")


def _line(session: Session, device: Device, line_id: str) -> ServiceLine:
    line = session.get(ServiceLine, line_id)
    if line is None or line.centre_code != device.centre_code:
        raise _Refused(404, "no_line", "本中心没有这个业务类别")
    return line
