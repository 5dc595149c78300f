"""潮汐窗口 suggestions: when a line's queue grows while a window idles, suggest a move.

Pure functions over plain data, so the supervisor's screen and its tests share them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

WindowMode = Literal["serving", "idle", "paused", "closed"]
MODE_LABELS = {"serving": "办理中", "idle": "空闲", "paused": "暂停", "closed": "无人"}


@dataclass(frozen=True)
class WindowLoad:
    id: str
    number: int
    name: str
    line_ids: tuple[str, ...]
    mode: WindowMode
    """serving: a ticket is called or served; idle: staffed and free; paused; closed: nobody seated."""
    note: str = ""
    """The pause reason or the ticket being served."""


@dataclass(frozen=True)
class LineLoad:
    id: str
    letter: str
    name: str
    waiting: int
    wait_minutes: float
    """Estimated wait for someone joining now; negative when no window is open for it."""
    mapped: bool = True
    """Some window is assigned the line (tickets can be issued for it)."""


@dataclass(frozen=True)
class Thresholds:
    queue: int = 10
    """A line with this many waiting is overloaded."""
    wait_minutes: float = 30.0
    """…or one whose estimated wait reaches this."""


@dataclass(frozen=True)
class Suggestion:
    line_id: str
    window_id: str
    text: str


def overloaded(line: LineLoad, t: Thresholds) -> bool:
    """Over a threshold, or people waiting with no open window at all (negative wait)."""
    if line.waiting <= 0:
        return False
    return line.waiting >= t.queue or line.wait_minutes >= t.wait_minutes or line.wait_minutes < 0


def _severity(line: LineLoad) -> tuple:
    no_window = line.wait_minutes < 0
    return (not no_window, -line.wait_minutes, -line.waiting, line.letter)


def suggest(windows: list[WindowLoad], lines: list[LineLoad], t: Thresholds | None = None) -> list[Suggestion]:
    """One move per idle window, worst line first: add the line to a window that idles."""
    t = t or Thresholds()
    idle = sorted((w for w in windows if w.mode == "idle"), key=lambda w: w.number)
    taken: set[str] = set()
    out: list[Suggestion] = []
    for line in sorted((x for x in lines if overloaded(x, t)), key=_severity):
        for window in idle:
            if window.id in taken or line.id in window.line_ids:
                continue
            taken.add(window.id)
            out.append(Suggestion(line.id, window.id, _text(line, window)))
            break
    return out


def _text(line: LineLoad, window: WindowLoad) -> str:
    if line.wait_minutes < 0:
        why = f"{line.waiting} 人等候且无窗口办理"
    else:
        why = f"{line.waiting} 人等候，约 {round(line.wait_minutes)} 分钟"
    return f"{line.letter} {line.name}：{why}；{window.number}号窗口空闲，建议增办"
