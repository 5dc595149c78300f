"""Cold start: process start to the sign-in screen on the terminal, against a bare Textual app.

Each run starts a new process in a pseudo-terminal (80×24), as a counter PC starts `./run`
after a power cut: the bare app (one Static) and the workstation (`clerk`, this checkout's
code, on a store made once beforehand with `clerk init`) take turns. The clock starts
just before the process is spawned; it stops at the time the process itself writes once
its first screen has been painted (``CLERK_BENCH_FIRST_SCREEN``, see
screens/start/first_paint.py), after which it exits. Both are ``time.time()`` on the same
machine. The machine's load is printed too: the figures are only comparable within a run.

Target (issue 9): the workstation's first screen within 1.5× the bare app's, medians.
Run: python bench/cold_start.py [--runs 7]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.5
TIMEOUT_S = 60

BARE_APP = """
import os, time
from pathlib import Path
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("bare")

    def on_mount(self):
        self.call_after_refresh(self.mark)

    def mark(self):
        Path(os.environ["CLERK_BENCH_FIRST_SCREEN"]).write_text(repr(time.time()))
        self.exit()

Bare().run()
"""


def clerk_command() -> list[str]:
    """The console script `./run` executes, else the same entry point through -m."""
    script = Path(sys.executable).parent / "clerk"
    return [str(script)] if script.exists() else [sys.executable, "-m", "cli.main"]


def first_screen_seconds(argv: list[str], env: dict[str, str], marker: Path) -> float:
    marker.unlink(missing_ok=True)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    started = time.time()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT,
                            start_new_session=True)
    os.close(slave)
    drain = threading.Thread(target=_drain, args=(master,), daemon=True)
    drain.start()  # the app blocks on a full terminal otherwise
    try:
        proc.wait(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    drain.join(timeout=5)
    if not marker.exists():
        raise SystemExit(f"{argv[0]} never reached its first screen (exit code {proc.returncode})")
    return float(marker.read_text()) - started


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass  # the pty closes when the process is gone
    finally:
        os.close(fd)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        marker = tmpdir / "first-screen"
        config = tmpdir / "config.toml"
        config.write_text("", encoding="utf-8")
        env = {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(ROOT), "CLERK_CONFIG": str(config),
               "CLERK_STORE_PATH": str(tmpdir / "clerk.sqlite3"), "CLERK_PRINTING_SPOOL_DIR": str(tmpdir / "spool"),
               "CLERK_BENCH_FIRST_SCREEN": str(marker)}
        subprocess.run([*clerk_command(), "init"], env=env, cwd=ROOT, check=True, capture_output=True)
        bare, real = [], []
        for _ in range(args.runs):
            bare.append(first_screen_seconds([sys.executable, "-c", BARE_APP], env, marker))
            real.append(first_screen_seconds(clerk_command(), env, marker))
    b, r = statistics.median(bare), statistics.median(real)
    print(f"load average {os.getloadavg()[0]:.2f}, {args.runs} runs each, process start → first screen painted")
    print(f"  bare Textual app   median {b * 1000:6.0f} ms  (min {min(bare) * 1000:.0f}, max {max(bare) * 1000:.0f})")
    print(f"  workstation        median {r * 1000:6.0f} ms  (min {min(real) * 1000:.0f}, max {max(real) * 1000:.0f})")
    verdict = "met" if r / b <= TARGET_RATIO else "NOT met"
    print(f"  ratio {r / b:.2f}×   target ≤ {TARGET_RATIO}× — {verdict}")


if __name__ == "__main__":
    main()
