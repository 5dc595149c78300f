"""The hall display tests use the sync tests' harness, fixtures and the queue API helpers."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "sync"))
sys.path.insert(0, str(Path(__file__).parent.parent / "central"))

from conftest_shared import *  # noqa: E402,F401,F403
