"""The central store's HTTP API. ``create_app(store)`` builds it; ``clerk serve`` runs it.

No state lives in the process: every request reads and locks what it needs in the
database, so several workers (or hosts) can share one PostgreSQL database.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from clerk import mutation, workflows
from clerk.central import call_conflicts, changes, devices, display, state
from clerk.central.apply import GapError, Probe, apply_batch
from clerk.central.booking_api import booking_router
from clerk.central.case_page import case_page_router
from clerk.central.floor_api import floor_router
from clerk.central.history import HistoryMismatch
from clerk.central.limits import BodyLimit, PerAddress
from clerk.central.queue_api import queue_router
from clerk.clock import Clock, SystemClock
from clerk.store.central_tables import ChangeLog, ClientState, Device
from clerk.store.engine import Store
from clerk.store.schema import SCHEMA_VERSION
from clerk.sync.protocol import (
    API_PREFIX,
    Change,
    EnrolRequest,
    EnrolResponse,
    ErrorBody,
    Health,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    WaitRequest,
    WaitResponse,
)

DEFAULT_MAX_BODY = 8 * 1024 * 1024
WAIT_POLL_S = 0.2
"""How often a held /wait looks at the change log: news reaches a counter within this."""
_bearer = HTTPBearer(auto_error=False, description="本机登记凭据 device_id.secret")
Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


class ApiError(Exception):
    def __init__(self, status: int, detail: str, message: str, **extra) -> None:
        super().__init__(detail)
        self.status, self.body = status, ErrorBody(detail=detail, message=message, **extra)


def _errors(*codes: int) -> dict:
    return {code: {"model": ErrorBody} for code in codes}


def create_app(
    store: Store,
    *,
    clock: Clock | None = None,
    schema_version: int = SCHEMA_VERSION,
    max_body_bytes: int = DEFAULT_MAX_BODY,
    probe: Probe | None = None,
    after_commit: Callable[[str], None] | None = None,
) -> FastAPI:
    """``probe`` and ``after_commit`` are test hooks (fault injection), never set in production."""
    workflows.install()
    clock = clock or SystemClock()
    state.ensure_state(store)
    app = FastAPI(title="政务服务窗口工作台 中心库 central store", version=str(schema_version))
    _install_error_handlers(app)
    attempts = PerAddress()  # wrong enrolment codes

    def check_version(version: int) -> None:
        if version not in (schema_version, schema_version - 1):
            raise ApiError(
                409,
                "schema_version_unsupported",
                f"本机程序版本（数据版本 {version}）与中心库（{schema_version}）不兼容，请升级后再同步",
            )

    def authenticate(session: Session, creds: HTTPAuthorizationCredentials | None) -> Device:
        try:
            return devices.authenticate(session, creds.credentials if creds else None)
        except devices.CredentialError as exc:
            raise ApiError(exc.status, exc.code, exc.message) from exc

    @app.get(f"{API_PREFIX}/health", response_model=Health)
    def health() -> Health:
        with store.session() as session:
            return Health(status="ok", epoch=state.current(session).epoch, schema_version=schema_version)

    @app.post(f"{API_PREFIX}/enrol", response_model=EnrolResponse, responses=_errors(400, 403, 409, 413, 422, 429))
    def enrol(req: EnrolRequest, request: Request) -> EnrolResponse:
        check_version(req.schema_version)
        address = request.client.host if request.client else ""
        if (wait := attempts.wait_s(address)) > 0:
            raise ApiError(429, "too_many_enrol_attempts",
                           f"登记码输错次数过多，请 {max(1, round(wait / 60))} 分钟后再试，或向值班长核对登记码")
        with store.write() as session:
            try:
                done = devices.enrol(session, clock.now(), req.code, req.client_id, req.name)
            except devices.CredentialError as exc:
                if exc.code == "bad_enrol_code":
                    attempts.count(address)
                raise ApiError(exc.status, exc.code, exc.message) from exc
            epoch = state.current(session).epoch
        return EnrolResponse(device_id=done.device_id, secret=done.secret, centre_code=done.centre_code, epoch=epoch,
                             band=done.band, client_id=done.client_id)

    @app.post(f"{API_PREFIX}/push", response_model=PushResponse, responses=_errors(400, 401, 403, 409, 413, 422))
    def push(req: PushRequest, creds: Bearer) -> PushResponse:
        try:
            return _push(req, creds)
        except HistoryMismatch as exc:  # flagged after the push's own transaction rolled back
            devices.flag_conflict(store, req.client_id, exc.reason, clock.now())
            raise _conflict(exc.reason) from exc

    def _push(req: PushRequest, creds: Bearer) -> PushResponse:
        with store.write() as session:
            device = authenticate(session, creds)  # first: a stranger learns nothing else
            check_version(req.schema_version)
            _validate_batch(req, check_version)
            _own_client(device, req.client_id)
            if device.conflict_at is not None:
                raise _conflict(device.conflict_reason or "")
            try:
                resp = apply_batch(session, device, req, clock.now(), probe)
            except GapError as gap:
                raise ApiError(
                    409,
                    "mutation_gap",
                    f"操作序号不连续：中心库已有至 {gap.last_mutation_id}，本批从 {gap.first_sent} 开始",
                    last_mutation_id=gap.last_mutation_id,
                ) from gap
            call_conflicts.record(session, device, req, resp.conflicts, clock.now())  # same transaction
        if after_commit:
            after_commit(req.client_id)
        return resp

    @app.post(f"{API_PREFIX}/pull", response_model=PullResponse, responses=_errors(400, 401, 403, 409, 413, 422))
    def pull(req: PullRequest, creds: Bearer) -> PullResponse:
        with store.session() as session:
            _one_snapshot(session)
            device = authenticate(session, creds)
            check_version(req.schema_version)
            _own_client(device, req.client_id)
            pulled = _pull(session, req, device.centre_code)
            contact = (device.id, device.last_seen_at)
        devices.seen(store, *contact, clock.now())
        return pulled

    @app.post(f"{API_PREFIX}/wait", response_model=WaitResponse, responses=_errors(400, 401, 403, 409, 422))
    async def wait(req: WaitRequest, creds: Bearer) -> WaitResponse:
        # Async, so a counter holding the line costs no worker thread; each look at the
        # change log is one short query in the thread pool (any number of server workers
        # see the same database, so no in-process signal is needed).
        def look(first: bool) -> WaitResponse:
            with store.session() as session:
                if first:
                    device = authenticate(session, creds)
                    check_version(req.schema_version)
                    _own_client(device, req.client_id)
                    centre[0] = device.centre_code
                return _news(session, req, centre[0])

        centre = [""]
        deadline = time.monotonic() + req.timeout_s
        news = await run_in_threadpool(look, True)
        try:
            while not news.changed and time.monotonic() < deadline:
                await asyncio.sleep(WAIT_POLL_S)
                news = await run_in_threadpool(look, False)
        except asyncio.CancelledError:  # the server is stopping: the counter asks again later
            return WaitResponse(changed=False, last_seq=news.last_seq)
        return news

    app.include_router(queue_router(store, clock))
    app.include_router(booking_router(store, clock))
    app.include_router(floor_router(store, clock))
    app.include_router(display.display_router(store))
    app.include_router(case_page_router(store, clock))
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    return app


def _conflict(reason: str) -> ApiError:
    return ApiError(409, "installation_conflict", devices.CONFLICT_MESSAGE.format(reason=reason.rstrip("。")))


def _own_client(device: Device, client_id: str) -> None:
    if client_id != device.client_id:
        raise ApiError(403, "client_mismatch", "该凭据不属于这台窗口机")


def _validate_batch(req: PushRequest, check_version: Callable[[int], None]) -> None:
    """Refuse a malformed batch whole, before anything is applied."""
    ids = [m.mutation_id for m in req.mutations]
    if ids and ids != list(range(ids[0], ids[0] + len(ids))):
        raise ApiError(422, "batch_not_contiguous", "一批操作的序号必须连续递增")
    for m in req.mutations:
        try:
            mutation.lookup(m.name)
        except mutation.UnknownMutation as exc:
            raise ApiError(422, "unknown_mutation", f"中心库不认识操作 {m.name}，请先升级中心库") from exc
        check_version(m.schema_version)


def _one_snapshot(session: Session) -> None:
    """A pull page reads the server's last seq and the entries up to it from one snapshot.

    Compaction deletes a row's older entry in the transaction that appends its newer one;
    read in two snapshots (PostgreSQL's READ COMMITTED), a page could miss the older entry
    and stop before the newer, and a catch-up would land children without their parent.
    SQLite's deferred transaction already reads from one snapshot.
    """
    if session.bind.dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def _pull(session: Session, req: PullRequest, centre_code: str) -> PullResponse:
    server = state.current(session)
    reset = req.epoch != server.epoch or req.seq > server.last_seq
    after = 0 if reset else req.seq
    rows = changes.read(session, centre_code, after, server.last_seq, req.limit)
    client = session.get(ClientState, req.client_id)
    return PullResponse(
        epoch=server.epoch,
        reset=reset,
        changes=[_change(r) for r in rows],
        last_seq=server.last_seq,
        has_more=bool(rows) and rows[-1].seq < server.last_seq,
        last_mutation_id=client.last_mutation_id if client else 0,
    )


def _news(session: Session, req: WaitRequest, centre_code: str) -> WaitResponse:
    server = state.current(session)
    if req.epoch != server.epoch or req.seq > server.last_seq:
        return WaitResponse(changed=True, last_seq=server.last_seq)  # a new epoch: pull at once
    return WaitResponse(changed=bool(changes.read(session, centre_code, req.seq, server.last_seq, 1)),
                        last_seq=server.last_seq)


def _change(row: ChangeLog) -> Change:
    return Change(seq=row.seq, table=row.table_name, key=json.loads(row.row_key), row=json.loads(row.row) if row.row else None)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.body.model_dump(exclude_none=True), status_code=exc.status)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        message = {400: "请求内容无法解析", 404: "没有这个接口", 405: "该接口不支持这种请求方式"}.get(exc.status_code, str(exc.detail))
        body = ErrorBody(detail=detail, message=message)
        return JSONResponse(body.model_dump(exclude_none=True), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        body = ErrorBody(detail="invalid_request", message=f"请求内容不符合格式：{where} {first.get('msg', '')}".strip())
        return JSONResponse(body.model_dump(exclude_none=True), status_code=422)
