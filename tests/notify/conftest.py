"""Notification tests: the sign-off centre's counter (SQLite) pushing to a central store on
SQLite and on PostgreSQL, a real SMTP server (aiosmtpd) and a real HTTP SMS gateway."""

from __future__ import annotations

import sys
from pathlib import Path

for folder in ("cases", "sync", "signoff"):
    sys.path.insert(0, str(Path(__file__).parent.parent / folder))

import importlib.util  # noqa: E402

import pytest  # noqa: E402
from notify_servers import SmsGateway, SmtpServer  # noqa: E402


def _signoff_fixtures():
    """The sign-off tests' fixtures (store, clock, bench, cases, central on both databases),
    loaded from their conftest rather than copied."""
    path = Path(__file__).parent.parent / "signoff" / "conftest.py"
    spec = importlib.util.spec_from_file_location("signoff_fixtures_for_notify", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_shared = _signoff_fixtures()
signoff_template, store, clock, bench, cases = (_shared.signoff_template, _shared.store, _shared.clock,
                                                _shared.bench, _shared.cases)
pg_central_url, central = _shared.pg_central_url, _shared.central


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def gateway():
    server = SmsGateway().start()
    yield server
    server.stop()
