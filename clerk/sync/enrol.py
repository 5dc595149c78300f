"""Enrol this counter with the central store using a supervisor's one-time code."""

from __future__ import annotations

from clerk.outbox import client_id
from clerk.store.engine import Store
from clerk.store.schema import SCHEMA_VERSION
from clerk.sync import meta
from clerk.sync.adopt import adopt_installation
from clerk.sync.client import CentralClient
from clerk.sync.protocol import EnrolRequest, EnrolResponse


def enrol(store: Store, client: CentralClient, code: str, name: str = "") -> EnrolResponse:
    """Exchange ``code`` for a device credential and keep it (and the URL) in local_meta."""
    with store.write() as session:
        cid = client_id(session)
    resp = client.enrol(EnrolRequest(code=code, client_id=cid, name=name, schema_version=SCHEMA_VERSION))
    with store.write() as session:
        if resp.client_id and resp.client_id != cid:
            adopt_installation(session, resp.client_id)  # this PC is a copy of another counter
        meta.put(session, meta.URL, client.base_url)
        meta.put(session, meta.DEVICE_ID, resp.device_id)
        meta.put(session, meta.SECRET, resp.secret)
        meta.put(session, meta.CENTRE, resp.centre_code)
        if resp.band is not None:  # none free: this counter must not number tickets offline
            meta.put(session, meta.BAND, str(resp.band))
    client.credential = f"{resp.device_id}.{resp.secret}"
    return resp


def central_url(store: Store, configured: str = "") -> str:
    """The configured URL wins; else the one this counter enrolled with."""
    if configured:
        return configured
    with store.session() as session:
        return meta.get(session, meta.URL)
