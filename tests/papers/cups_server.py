"""A private CUPS scheduler for a test: its own folders, a Unix socket, no root privileges.

Run as root (CI), cupsd itself is started as ``nobody`` (cupsd refuses ``User root``);
otherwise as the user running the tests. Its printer writes into a FIFO that a thread
reads, so every job that reaches "paper" is one PDF in ``FifoPaper.jobs``.
"""

from __future__ import annotations

import contextlib
import getpass
import grp
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

PPD = Path("/usr/share/ppd/cupsfilters/Generic-PDF_Printer-PDF.ppd")
CUPSD = "/usr/sbin/cupsd"


def _identity() -> tuple[str, str, list[str]]:
    """The user and group cupsd runs as, and the command prefix that makes it so."""
    if os.geteuid() == 0:
        return "nobody", "nogroup", ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    return getpass.getuser(), grp.getgrgid(os.getegid()).gr_name, []


class PrivateCups:
    def __init__(self) -> None:
        # Short: a Unix socket's path must fit in 108 bytes.
        self.root = Path(tempfile.mkdtemp(prefix="cups-"))
        self.socket = self.root / "cups.sock"
        self.user, self.group, self._prefix = _identity()
        self._process: subprocess.Popen | None = None
        self._configure()

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "CUPS_SERVER": str(self.socket)}

    def _configure(self) -> None:
        for name in ("conf", "spool", "cache", "state", "logs", "out", "conf/ppd"):
            (self.root / name).mkdir(exist_ok=True)
        (self.root / "conf" / "cupsd.conf").write_text(
            f"Listen {self.socket}\nLogLevel info\nDefaultAuthType None\nDefaultPolicy open\nBrowsing No\n"
            "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Policy open>\n  <Limit All>\n    AuthType None\n    Order deny,allow\n    Allow all\n  </Limit>\n</Policy>\n"
        )
        r = self.root
        (r / "conf" / "cups-files.conf").write_text(
            f"FileDevice Yes\nServerRoot {r}/conf\nRequestRoot {r}/spool\nCacheDir {r}/cache\nStateDir {r}/state\n"
            f"TempDir {r}/spool\nAccessLog {r}/logs/access_log\nErrorLog {r}/logs/error_log\n"
            f"PageLog {r}/logs/page_log\nServerBin /usr/lib/cups\nDataDir /usr/share/cups\n"
            f"User {self.user}\nGroup {self.group}\nSystemGroup {self.group}\n"
        )
        if self._prefix:
            shutil.chown(r, self.user, self.group)
            for path in r.rglob("*"):
                shutil.chown(path, self.user, self.group)

    def start(self) -> None:
        conf = self.root / "conf"
        self._process = subprocess.Popen(
            [*self._prefix, CUPSD, "-f", "-c", str(conf / "cupsd.conf"), "-s", str(conf / "cups-files.conf")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while self.lp("lpstat", "-r").stdout.strip() != "scheduler is running":
            if self._process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"cupsd did not start: {(self.root / 'logs' / 'error_log').read_text()[-2000:]}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(10)
            self._process = None
        self.socket.unlink(missing_ok=True)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def lp(self, *argv: str) -> subprocess.CompletedProcess:
        return subprocess.run(argv, env=self.env, capture_output=True, text=True, timeout=20, check=False)

    def add_printer(self, name: str) -> FifoPaper:
        paper = FifoPaper(self.root / "out" / f"{name}.fifo", self.user, self.group, bool(self._prefix))
        done = self.lp("lpadmin", "-p", name, "-v", f"file://{paper.fifo}", "-P", str(PPD), "-E")
        assert done.returncode == 0, done.stderr
        return paper

    def remove_printer(self, name: str) -> None:
        assert self.lp("lpadmin", "-x", name).returncode == 0


class FifoPaper:
    """The printer's output: each job CUPS writes into the FIFO becomes one item of ``jobs``."""

    def __init__(self, fifo: Path, user: str, group: str, chown: bool) -> None:
        self.fifo = fifo
        os.mkfifo(fifo)
        if chown:
            shutil.chown(fifo, user, group)
        self.jobs: list[bytes] = []
        self._stop = False
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while not self._stop:
            with open(self.fifo, "rb") as pipe:  # blocks until CUPS opens it for a job
                data = pipe.read()
            if data:
                self.jobs.append(data)

    def wait_for(self, count: int, timeout: float = 90.0) -> list[bytes]:
        deadline = time.monotonic() + timeout
        while len(self.jobs) < count:
            assert time.monotonic() < deadline, f"{len(self.jobs)} of {count} jobs reached the printer"
            time.sleep(0.05)
        return self.jobs

    def close(self) -> None:
        self._stop = True
        with contextlib.suppress(OSError):  # no reader waiting
            # lets a reader blocked in open() return, reading nothing
            os.close(os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK))
        self._thread.join(5)
        self.fifo.unlink(missing_ok=True)
