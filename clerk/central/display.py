"""The hall display: a public page per centre with the latest calls and each line's wait.

No credential and no personal data: ticket numbers, window numbers, line names and counts.
The page listens to server-sent events. Each stream polls the database (the change log's
last sequence, every half second) rather than an in-process signal, so it sees calls made
through any worker process or pushed by any counter; it recomputes the board only when
something was written and sends it only when it changed.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import date
from importlib import resources
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from sqlalchemy import exists, or_, select
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from clerk.central import state
from clerk.clock import SystemClock, local_today
from clerk.hours.load import centre_hours
from clerk.hours.notice import hours_text
from clerk.hours.rules import hours_on
from clerk.queue.load import line_served, line_wait
from clerk.queue.policy import describe_wait
from clerk.queue.settings import policy_for
from clerk.queue.status import CALLED
from clerk.store.central_tables import Device
from clerk.store.engine import Store
from clerk.store.operations import StaffSession, Ticket
from clerk.store.queue_tables import TicketEvent
from clerk.store.reference import Centre, ServiceLine, Window

POLL_S = 0.5
HEARTBEAT_S = 15.0
REFRESH_S = 60.0
"""Recompute now and then even if nothing was written (a restored database, a new epoch)."""
LAST_CALLS = 6
"""The headline and five recent calls (the page shows at most five under the headline)."""
SHOWN_KINDS = ("called", "recalled", "resumed")


def announcement(number: str, window_number: int) -> str:
    return f"请 {number} 号到 {window_number} 号窗口办理"


def board(session: Session, centre_code: str, today: date | None = None) -> dict[str, Any] | None:
    """What the hall display shows for ``centre_code``; None if there is no such centre.

    ``current`` is the headline (正在呼叫): the latest call whose visitor is still awaited,
    None once that ticket is being served, finished, 过号, transferred or cleared at the end
    of the day, or the counter PC that called it is revoked. ``calls`` are the latest calls, for the 刚刚呼叫 list.
    """
    centre = session.get(Centre, centre_code)
    if centre is None:
        return None
    return {"centre": centre.name, "current": _awaited_call(session, centre_code),
            "calls": _last_calls(session, centre_code), "lines": board_lines(session, centre_code),
            "hours": _hours(session, centre_code, today or local_today(SystemClock()))}


def _hours(session: Session, centre_code: str, today: date) -> str:
    """Today's hours with the windows on lunch duty (午间不间断); "" without hours data."""
    hours = centre_hours(session, centre_code)
    if hours is None:
        return ""
    names = {line.letter: line.name for line in session.execute(
        select(ServiceLine).where(ServiceLine.centre_code == centre_code)).scalars()}
    return hours_text(hours_on(today, hours), names)


def _called_from_revoked_counter():
    """The call was made by a clerk signed in at a counter PC whose enrolment was revoked
    (and not renewed): nobody is at that window to receive the visitor any more. The call
    is tied to the PC through the clerk's sign-in there, as the central store records it."""
    active = select(Device.client_id).where(Device.revoked_at.is_(None))
    revoked = select(Device.client_id).where(Device.revoked_at.is_not(None), Device.client_id.not_in(active))
    return exists().where(
        StaffSession.staff_id == TicketEvent.staff_id, StaffSession.client_id.in_(revoked),
        StaffSession.started_at <= TicketEvent.at,
        or_(StaffSession.ended_at.is_(None), StaffSession.ended_at >= TicketEvent.at),
    )


def _awaited_call(session: Session, centre_code: str) -> dict[str, Any] | None:
    # Still "called" at the window that called it: the visitor has not come yet.
    stmt = (
        select(TicketEvent.id, Ticket.number, Window.number)
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .join(Window, Window.id == TicketEvent.window_id)
        .where(Ticket.centre_code == centre_code, TicketEvent.kind.in_(SHOWN_KINDS),
               Ticket.status == CALLED, Ticket.window_id == TicketEvent.window_id,
               ~_called_from_revoked_counter())
        .order_by(TicketEvent.at.desc(), TicketEvent.id.desc())
        .limit(1)
    )
    row = session.execute(stmt).first()
    if row is None:
        return None
    eid, number, window = row
    return {"id": eid, "number": number, "window": window, "text": announcement(number, window)}


def _last_calls(session: Session, centre_code: str) -> list[dict[str, Any]]:
    stmt = (
        select(TicketEvent.id, Ticket.number, Window.number, TicketEvent.at, TicketEvent.kind)
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .join(Window, Window.id == TicketEvent.window_id)
        .where(Ticket.centre_code == centre_code, TicketEvent.kind.in_(SHOWN_KINDS))
        .order_by(TicketEvent.at.desc(), TicketEvent.id.desc())
        .limit(LAST_CALLS)
    )
    return [
        {"id": eid, "number": number, "window": window, "text": announcement(number, window),
         "recall": kind == "recalled", "at": at.isoformat()}
        for eid, number, window, at, kind in session.execute(stmt)
    ]


def board_lines(session: Session, centre_code: str) -> list[dict[str, Any]]:
    policy = policy_for(centre_code)
    lines = session.execute(
        select(ServiceLine).where(ServiceLine.centre_code == centre_code).order_by(ServiceLine.letter)
    ).scalars()
    out = []
    for line in lines:
        wait = line_wait(session, line.id, policy)
        if wait.waiting == 0 and not line_served(session, line.id):
            continue  # a line nobody serves and nobody waits for is noise on the board
        out.append({"letter": line.letter, "name": line.name, "waiting": wait.waiting,
                    "wait": describe_wait(wait.estimate)})
    return out


def _page() -> str:
    return resources.files("clerk.central").joinpath("static/display.html").read_text(encoding="utf-8")


def display_router(store: Store) -> APIRouter:
    # A public page for the hall, not part of the counters' API document.
    router = APIRouter(tags=["display"], include_in_schema=False)

    def read_board(centre_code: str) -> dict[str, Any] | None:
        with store.session() as session:
            return board(session, centre_code)

    def read_seq() -> int:
        with store.session() as session:
            return state.current(session).last_seq

    @router.get("/display/{centre_code}", response_class=HTMLResponse)
    def page(centre_code: str) -> HTMLResponse:
        """The board itself: a plain page that follows ``/display/{centre_code}/events``."""
        if read_board(centre_code) is None:
            return HTMLResponse("<!doctype html><meta charset=utf-8><p>没有这个服务中心</p>", status_code=404)
        return HTMLResponse(_page(), headers={"Cache-Control": "no-cache"})

    @router.get("/display/{centre_code}/board")
    def board_json(centre_code: str):
        """The board's data once, as JSON (for checks and simple clients)."""
        data = read_board(centre_code)
        return JSONResponse(data) if data is not None else JSONResponse({"detail": "not_found"}, status_code=404)

    @router.get("/display/{centre_code}/events")
    async def events(centre_code: str, request: Request):
        """Server-sent events: the board on connect and whenever it changes; heartbeats between."""
        if await run_in_threadpool(read_board, centre_code) is None:
            return JSONResponse({"detail": "not_found"}, status_code=404)

        async def stream() -> AsyncIterator[str]:
            yield "retry: 1000\n\n"
            async for body in _changes(request, lambda: read_board(centre_code), read_seq):
                yield body

        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)

    return router


async def _changes(request: Request, read_board, read_seq) -> AsyncIterator[str]:
    """Snapshot events when the board changes, heartbeat comments while it does not."""
    last_seq: int | None = None
    last_body = ""
    since_sent = since_built = 0.0
    while not await request.is_disconnected():
        seq = await run_in_threadpool(read_seq)
        if seq != last_seq or since_built >= REFRESH_S:
            last_seq, since_built = seq, 0.0
            body = json.dumps(await run_in_threadpool(read_board), ensure_ascii=False)
            if body != last_body:
                last_body, since_sent = body, 0.0
                yield f"event: board\ndata: {body}\n\n"
        if since_sent >= HEARTBEAT_S:
            since_sent = 0.0
            yield ": heartbeat\n\n"
        await asyncio.sleep(POLL_S)
        since_sent += POLL_S
        since_built += POLL_S
