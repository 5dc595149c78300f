"""The central-store tests share the sync tests' harness and fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "sync"))

from conftest_shared import *  # noqa: E402,F401,F403
