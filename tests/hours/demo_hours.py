"""The demo centres' opening hours, read from the shipped fixture files."""

from __future__ import annotations

from pathlib import Path

from clerk.calendar import WorkCalendar
from clerk.fixtures import load_fixtures
from clerk.hours.load import to_rule
from clerk.hours.rules import CentreHours
from clerk.store.reference import OpeningHours

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def demo_hours(code: str) -> CentreHours:
    centre = next(c for c in load_fixtures(FIXTURES).centres if c.centre.code == code)
    rows = [OpeningHours(id=f"{code}:{n}", centre_code=code, **h.model_dump()) for n, h in enumerate(centre.hours, 1)]
    return CentreHours(tuple(to_rule(r) for r in rows), WorkCalendar())
