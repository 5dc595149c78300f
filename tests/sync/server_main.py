"""Run the central store app under uvicorn for fault tests, with test hooks from the environment.

CLERK_TEST_HANG_AT=<n> and CLERK_TEST_MARKER=<file>: on reaching mutation id n inside a
push, write the marker file and hang (the test then kills this process with SIGKILL).

CLERK_TEST_PAUSE_DIR=<dir>: once <dir>/pause_at names a mutation id, the first push to apply
that mutation (after its handler ran, before the commit) writes <dir>/paused and waits for
<dir>/release; any other push goes on. For races two pushes must really run side by side.

CLERK_TEST_NOW=<ISO datetime>: the store's clock stands still there, for tests that need a
given hour of a given day (a booking checked in within its slot).
"""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import harness  # noqa: E402,F401  (registers the test-only mutations)
import uvicorn  # noqa: E402

from clerk.central.app import create_app  # noqa: E402
from clerk.clock import FrozenClock  # noqa: E402
from clerk.store.engine import Store  # noqa: E402


def _pause_probe(folder: Path):
    def probe(mutation_id: int) -> None:
        at = folder / "pause_at"
        if not at.exists() or int(at.read_text()) != mutation_id:
            return
        try:
            (folder / "paused").open("x").close()  # only the first push pauses
        except FileExistsError:
            return
        deadline = time.monotonic() + 120
        while not (folder / "release").exists() and time.monotonic() < deadline:
            time.sleep(0.02)

    return probe


def _probe():
    if folder := os.environ.get("CLERK_TEST_PAUSE_DIR"):
        return _pause_probe(Path(folder))
    hang_at = int(os.environ.get("CLERK_TEST_HANG_AT", "0"))
    marker = os.environ.get("CLERK_TEST_MARKER", "")
    if not hang_at:
        return None

    def probe(mutation_id: int) -> None:
        if mutation_id == hang_at:
            Path(marker).write_text("applying")
            time.sleep(3600)

    return probe


def _clock():
    now = os.environ.get("CLERK_TEST_NOW", "")
    return FrozenClock(datetime.fromisoformat(now)) if now else None


def main() -> None:
    url, port = sys.argv[1], int(sys.argv[2])
    app = create_app(Store.url(url), clock=_clock(), probe=_probe())
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
