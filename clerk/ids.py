"""Client-made ids: UUIDv7, so rows can be created offline and still sort by time."""

from __future__ import annotations

import uuid6


def new_id() -> str:
    return str(uuid6.uuid7())
