"""Send the spool's pending PDFs to paper with the system's print command (CUPS ``lp``).

A job leaves ``pending/`` only when the command has taken it (exit status 0); CUPS then
holds it until the printer prints, so a printer that is off or out of paper loses nothing.
When the command fails, that job and the ones after it stay pending, in order, and go at
the next attempt (the next ticket that falls back to PDF, or ``clerk spool``).
"""

from __future__ import annotations

import shlex
import subprocess
from dataclasses import dataclass

from printing.spool import Spool, SpoolJob

TIMEOUT_S = 20.0


@dataclass(frozen=True)
class Sent:
    """What one attempt did: jobs sent, jobs still pending, and why they wait."""

    sent: int
    waiting: int
    problem: str = ""
    """Empty when every pending job was sent (or sending is switched off, see ``off``)."""
    off: bool = False
    """No print command is set: PDFs wait in the spool folder to be printed by hand."""


def send_pending(spool: Spool, command: str, timeout_s: float = TIMEOUT_S) -> Sent:
    """Hand every pending job, oldest first, to ``command`` (``{file}`` is the PDF's path)."""
    pending = spool.jobs("pending")
    if not command.strip():
        return Sent(0, len(pending), off=True)
    for n, job in enumerate(pending):
        problem = _send(job, command, timeout_s)
        if problem:
            return Sent(n, len(pending) - n, problem)
        spool.mark_printed(job.id)
    return Sent(len(pending), 0)


def _send(job: SpoolJob, command: str, timeout_s: float) -> str:
    """Run the command for one job; the reason in Chinese if it did not take the job."""
    argv = [part.replace("{file}", str(job.path)) for part in shlex.split(command)]
    if not any(str(job.path) in part for part in argv):
        argv.append(str(job.path))  # a bare "lp" or "lp -d Counter3" prints the file named last
    try:
        done = subprocess.run(argv, capture_output=True, timeout=timeout_s, check=False)
    except FileNotFoundError:
        return f"找不到打印命令 {argv[0]}，需安装 cups-client"
    except subprocess.TimeoutExpired:
        return f"{argv[0]} 超过 {timeout_s:.0f} 秒没有完成"
    except OSError as exc:
        return f"{argv[0]} 无法运行：{exc.strerror}"
    if done.returncode != 0:
        said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
        # "lp: Error - No default destinations." says it all without its prefix
        first = said[0].split(" - ", 1)[-1] if said else f"退出码 {done.returncode}"
        return f"{argv[0]} 出错：{first}"
    return ""
