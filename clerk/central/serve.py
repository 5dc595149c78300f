"""Run the central store under uvicorn, with one or several worker processes."""

from __future__ import annotations

import os

import uvicorn
from fastapi import FastAPI

from clerk.central import state
from clerk.central.app import create_app
from clerk.central.limits import MAX_HEAD_BYTES
from clerk.config import load_settings
from clerk.notify import loop as notify_loop
from clerk.store.engine import Store

ENV_URL = "CLERK_CENTRAL_DATABASE_URL"  # also the [central] database_url override


def run(database_url: str, host: str, port: int, workers: int, config: str | None = None) -> None:
    """Migrate once here, then start the workers; each builds its own app and engine."""
    store = Store.url(database_url)
    state.prepare(store)
    store.dispose()
    os.environ[ENV_URL] = database_url
    if config:
        os.environ["CLERK_CONFIG"] = config
    uvicorn.run(
        "clerk.central.serve:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        # h11 bounds what it buffers of a request's head and refuses more (400); httptools,
        # uvicorn's default when installed, took a 32 MB header whole.
        http="h11",
        h11_max_incomplete_event_size=MAX_HEAD_BYTES,
        # Counters hold a /wait open for up to 30 s; a stop must not wait for all of them
        # (they simply ask again, at the restarted server or at the next round).
        timeout_graceful_shutdown=3,
    )


def app_from_env() -> FastAPI:
    """Worker entry point: settings (file + environment) → store → app."""
    settings = load_settings()
    store = Store.url(settings.central_database_url())
    app = create_app(store, max_body_bytes=settings.central.max_body_bytes)
    notify_loop.attach(app, store, settings.notify)  # applicants are told from here (clerk.notify)
    return app
