"""Send the spool's pending PDFs to paper: a print command, a CUPS queue or a folder.

A job leaves ``pending/`` only when its destination has taken it (``lp`` exited 0, or
the file is in the folder); CUPS then holds it until the printer prints, so a printer that
is off or out of paper loses nothing. When a destination fails, that job and the ones
after it stay pending, in order, and go at the next attempt.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from printing.errors import os_reason
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


class Destination(Protocol):
    """Where spooled PDFs go to be printed."""

    name: str
    """As the clerk knows it (a printer's name, a folder)."""

    def send(self, job: SpoolJob) -> str:
        """Hand ``job`` over; the reason in Chinese when it was not taken, else ""."""
        ...

    def check(self) -> str:
        """After jobs were handed over: why they may still not come out ("" if none)."""
        ...


@dataclass(frozen=True)
class PrintCommand:
    """A command line, ``{file}`` standing for the PDF (``lp -- {file}`` by default)."""

    command: str
    timeout_s: float = TIMEOUT_S

    @property
    def name(self) -> str:
        return self.command

    def send(self, job: SpoolJob) -> str:
        if not self.command.strip():
            return f"未设置打印机（[printing] a4_printer 或 pdf_print_command），文书保存在 {job.path.parent}，请手工打印"
        argv = [part.replace("{file}", str(job.path)) for part in shlex.split(self.command)]
        if not any(str(job.path) in part for part in argv):
            argv.append(str(job.path))  # a bare "lp" or "lp -d Counter3" prints the file named last
        return _run(argv, self.timeout_s)

    def check(self) -> str:
        return ""


@dataclass(frozen=True)
class CupsQueue:
    """A CUPS queue by name, through ``lp``; the job is titled with the spool job's label
    so the queue (``lpstat -o``) says which paper each job is."""

    queue: str
    timeout_s: float = TIMEOUT_S

    @property
    def name(self) -> str:
        return f"打印机 {self.queue}"

    def send(self, job: SpoolJob) -> str:
        title = job.label or job.id
        problem = _run(["lp", "-d", self.queue, "-t", title, "--", str(job.path)], self.timeout_s, self.queue)
        if problem and not self._scheduler_running():
            # lp says "printer does not exist" when it cannot reach CUPS at all.
            return f"打印服务（CUPS）未运行，{self.queue} 的文书留在打印队列中，恢复后自动打印"
        return problem

    def _scheduler_running(self) -> bool:
        try:
            done = subprocess.run(["lpstat", "-r"], capture_output=True, timeout=self.timeout_s, check=False, text=True)
        except (OSError, subprocess.TimeoutExpired):
            return False
        return "not running" not in done.stdout and done.returncode == 0

    def check(self) -> str:
        """CUPS keeps jobs for a stopped queue (a driver stops it when the printer fails,
        an administrator to fix a jam): nothing is lost, but the clerk must know."""
        try:
            done = subprocess.run(["lpstat", "-p", self.queue], capture_output=True, timeout=self.timeout_s,
                                  check=False, text=True)
        except (OSError, subprocess.TimeoutExpired):
            return ""  # the next send says what is wrong with CUPS itself
        first, _, rest = done.stdout.partition("\n")
        if " disabled " not in f" {first} ":
            return ""
        reason = rest.strip().splitlines()[0].strip() if rest.strip() else ""
        why = f"（{reason}）" if reason and reason != "Paused" else ""
        return f"打印机 {self.queue} 已停止{why}，文书在打印服务中等待，打印机恢复后自动打印"


@dataclass(frozen=True)
class Folder:
    """A folder a print server (or a person) takes PDFs from; written so that a reader
    never sees half a file."""

    path: Path

    @property
    def name(self) -> str:
        return f"文件夹 {self.path}"

    def send(self, job: SpoolJob) -> str:
        target = self.path / f"{job.label or job.id}.pdf"
        temp = self.path / f".{job.id}.part"
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(job.path, temp)
            os.replace(temp, target)
        except OSError as exc:
            return f"无法写入打印文件夹 {self.path}（{os_reason(exc)}）"
        return ""

    def check(self) -> str:
        return ""


def send_pending(spool: Spool, destination: Destination | str, timeout_s: float = TIMEOUT_S) -> Sent:
    """Hand every pending job, oldest first, to ``destination`` (a command line when a str:
    "" means no command, the jobs wait in the spool folder)."""
    if isinstance(destination, str):
        if not destination.strip():
            return Sent(0, len(spool.jobs("pending")), off=True)
        destination = PrintCommand(destination, timeout_s)
    with spool.sending():
        pending = spool.jobs("pending")
        for n, job in enumerate(pending):
            problem = destination.send(job)
            if problem:
                return Sent(n, len(pending) - n, problem)
            spool.mark_printed(job.id)
    return Sent(len(pending), 0)


# What ``lp`` says when CUPS cannot take a job, and what the clerk should hear instead.
_LP_SAYS = (
    ("does not exist", "{printer}不存在（已被删除或改名），请检查打印设置 [printing]"),
    ("not accepting jobs", "{printer}已暂停接收任务，请管理员在打印服务中恢复"),
    ("scheduler is not running", "打印服务（CUPS）未运行"),
    ("unable to connect", "打印服务（CUPS）连接不上"),
    ("no such file or directory", "打印服务（CUPS）未运行"),
    ("no default destination", "未设置默认打印机"),
)


def _run(argv: list[str], timeout_s: float, queue: str = "") -> str:
    """Run a print command for one job; the reason in Chinese if it did not take the job."""
    try:
        done = subprocess.run(argv, capture_output=True, timeout=timeout_s, check=False)
    except FileNotFoundError:
        return f"找不到打印命令 {argv[0]}，需安装 cups-client"
    except subprocess.TimeoutExpired:
        return f"{argv[0]} 超过 {timeout_s:.0f} 秒没有完成"
    except OSError as exc:
        return f"{argv[0]} 无法运行：{exc.strerror}"
    if done.returncode == 0:
        return ""
    said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
    # "lp: Error - No default destinations." says it all without its prefix
    first = said[0].split(" - ", 1)[-1] if said else f"退出码 {done.returncode}"
    for phrase, message in _LP_SAYS:
        if phrase in first.lower():
            printer = f"打印机 {queue} " if queue else "打印机"
            return f"{message.format(printer=printer)}（{first}）"
    return f"{argv[0]} 出错：{first}"
