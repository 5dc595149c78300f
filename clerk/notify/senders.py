"""The configured channels, as one function each that sends a notification row."""

from __future__ import annotations

import httpx

from clerk.config import NotifySettings
from clerk.notify.delivery import Sender
from clerk.notify.sms import send_sms
from clerk.notify.smtp import send_email


def configured(settings: NotifySettings, client: httpx.Client) -> dict[str, Sender]:
    """channel → sender, for the channels whose settings are filled in; the others' rows
    stay pending until they are."""
    senders: dict[str, Sender] = {}
    if settings.smtp_host and settings.smtp_from:
        senders["email"] = lambda row: send_email(settings, row.recipient, row.subject, row.body, row.id)
    if settings.sms_url:
        senders["sms"] = lambda row: send_sms(client, settings, row.recipient, row.body, row.id)
    return senders
