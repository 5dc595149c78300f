"""The centre and the days the report tests simulate (a module of its own: every test
folder has a conftest, so ``from conftest import`` would pick whichever loaded first)."""

from __future__ import annotations

from datetime import UTC, date, datetime

CENTRE = "demo-county"
# A 调休 Saturday, two days of one 旬, the last day of the 中旬, a day of the next quarter.
SIM_DAYS = [date(2026, 2, 14), date(2026, 3, 9), date(2026, 3, 10), date(2026, 3, 20), date(2026, 4, 1)]
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
