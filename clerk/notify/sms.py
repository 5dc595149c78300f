"""SMS through an HTTP gateway: POST JSON ``{to, text, id}`` with a bearer token.

``id`` (also sent as the ``Idempotency-Key`` header) is the notification's id, so a
gateway that keeps keys sends a repeated request once. A 2xx reply is acceptance; any
other reply is the gateway's refusal (definite). No connection is definite too; a
request sent whose answer never came (timeout, dropped connection) is uncertain.
"""

from __future__ import annotations

import httpx

from clerk.config import NotifySettings
from clerk.notify.outcome import SendFailed, SendUncertain

_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol,
             httpx.LocalProtocolError)
"""The request never left: safe to try again."""


def send_sms(client: httpx.Client, settings: NotifySettings, to: str, text: str, key: str) -> None:
    """Send one SMS; returns once the gateway accepted it. Raises SendFailed or SendUncertain."""
    headers = {"Authorization": f"Bearer {settings.sms_token}", "Idempotency-Key": key}
    try:
        reply = client.post(settings.sms_url, json={"to": to, "text": text, "id": key}, headers=headers,
                            timeout=settings.timeout_s)
    except _NOT_SENT as exc:
        raise SendFailed(f"无法连接短信网关：{exc!r}") from exc
    except httpx.TransportError as exc:
        raise SendUncertain(f"短信已提交但未收到网关的答复：{exc!r}") from exc
    if not reply.is_success:
        raise SendFailed(f"短信网关拒绝发送（HTTP {reply.status_code}）：{reply.text[:200]}")
