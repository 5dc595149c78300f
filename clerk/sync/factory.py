"""Build the counter's sync agent from settings (None when not enrolled / not configured)."""

from __future__ import annotations

from clerk.clock import Clock
from clerk.config import Settings
from clerk.store.engine import Store
from clerk.sync.agent import AgentSettings, SyncAgent
from clerk.sync.client import CentralClient
from clerk.sync.enrol import central_url


def agent_settings(settings: Settings) -> AgentSettings:
    s = settings.sync
    return AgentSettings(
        batch_size=s.batch_size,
        interval_s=s.interval_s,
        poll_s=s.poll_s,
        listen_s=s.listen_s,
        max_backoff_s=s.max_backoff_s,
        keep_acked_days=s.keep_acked_days,
    )


def build_agent(store: Store, clock: Clock, settings: Settings) -> SyncAgent | None:
    url = central_url(store, settings.sync.central_url)
    if not url:
        return None
    return SyncAgent(store, clock, CentralClient(url, timeout=settings.sync.timeout_s), agent_settings(settings))
