"""HTTP client for the central store: one reused httpx.Client, errors sorted into
"try again later" (transport, 5xx) and "the server said no" (4xx)."""

from __future__ import annotations

from typing import TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from clerk.errors import UserFacingError
from clerk.sync.protocol import (
    API_PREFIX,
    EnrolRequest,
    EnrolResponse,
    Health,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    WaitRequest,
    WaitResponse,
)

T = TypeVar("T", bound=BaseModel)


class SyncError(UserFacingError):
    pass


class Unreachable(SyncError):
    """Network trouble or a server fault: retry later, nothing is lost."""


class NoAnswer(Unreachable):
    """The request went out but no answer came (timeout, lost response): the server may
    have acted on it. Only an idempotent request may be sent again; it is no outage."""


class Rejected(SyncError):
    """The server refused the request (4xx); retrying the same request will not help."""

    def __init__(self, status: int, code: str, message: str, body: dict) -> None:
        super().__init__(message, f"{status} {code}")
        self.status, self.code, self.body = status, code, body


class CentralClient:
    def __init__(
        self,
        base_url: str,
        credential: str | None = None,
        *,
        http: httpx.Client | None = None,
        timeout: float = 15.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.credential = credential
        # Building a client costs tens of milliseconds (SSL context): make one, reuse it.
        self.http = http or httpx.Client(timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def health(self) -> Health:
        return self._call("GET", "/health", None, Health)

    def enrol(self, req: EnrolRequest) -> EnrolResponse:
        return self._call("POST", "/enrol", req, EnrolResponse)

    def push(self, req: PushRequest) -> PushResponse:
        return self._call("POST", "/push", req, PushResponse)

    def wait(self, req: WaitRequest) -> WaitResponse:
        """Long poll: returns when the centre has news for this counter, or at the timeout."""
        return self._call("POST", "/wait", req, WaitResponse, timeout=req.timeout_s + 10)

    def pull(self, req: PullRequest) -> PullResponse:
        return self._call("POST", "/pull", req, PullResponse)

    def post(
        self, path: str, body: BaseModel, model: type[T], *, timeout: float | None = None, credential: str | None = None
    ) -> T:
        """Any other API call (e.g. the queue's), with its own timeout if it must fail fast."""
        return self._call("POST", path, body, model, timeout=timeout, credential=credential)

    def _call(
        self,
        method: str,
        path: str,
        body: BaseModel | None,
        model: type[T],
        timeout: float | None = None,
        credential: str | None = None,
    ) -> T:
        credential = credential or self.credential
        headers = {"Authorization": f"Bearer {credential}"} if credential else {}
        content = body.model_dump_json().encode() if body is not None else None
        if content is not None:
            headers["Content-Type"] = "application/json"
        wait = httpx.USE_CLIENT_DEFAULT if timeout is None else timeout
        try:
            resp = self.http.request(
                method, self.base_url + API_PREFIX + path, content=content, headers=headers, timeout=wait
            )
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:  # never sent
            raise Unreachable("无法连接中心库，操作已保存在本机，恢复后自动上传", repr(exc)) from exc
        except httpx.HTTPError as exc:
            raise NoAnswer("中心库响应超时，操作已保存在本机，稍后自动重试", repr(exc)) from exc
        if resp.status_code >= 500:
            raise Unreachable("中心库暂时出错，稍后自动重试", f"{resp.status_code} {resp.text[:200]}")
        if resp.status_code >= 400:
            raise _rejected(resp)
        try:
            return model.model_validate_json(resp.content)
        except ValidationError as exc:
            raise Unreachable("中心库返回的内容无法识别，稍后自动重试", str(exc)) from exc


def _rejected(resp: httpx.Response) -> Rejected:
    try:
        body = resp.json()
    except ValueError:
        body = {}
    body = body if isinstance(body, dict) else {}
    code = str(body.get("detail", resp.status_code))
    message = str(body.get("message") or f"中心库拒绝了请求（{resp.status_code}）")
    return Rejected(resp.status_code, code, message, body)
