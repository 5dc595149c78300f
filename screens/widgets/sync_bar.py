"""The sync status the clerk always sees: one line above the footer of every signed-in screen.

The text is built by plain functions (tested without a UI) from ``clerk.sync.status``;
the app reads that status in a thread worker every couple of seconds and hands it to
every :class:`SyncBar` and :class:`SyncDetail` on the screen stack.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from clerk.clock import local_time
from clerk.sync.status import SyncStatus
from screens.base import DeskScreen

if TYPE_CHECKING:
    from screens.app import ClerkApp

NOT_CONFIGURED = "本机未接入中心库，所有操作只保存在本机。"
OFFLINE_STYLE = "bold $warning"
ONLINE_STYLE = "$success"
ALERT_STYLE = "bold $error"


@dataclass(frozen=True)
class Part:
    """One piece of the line: its full and abbreviated text, and whether it may be dropped."""

    full: str
    short: str
    style: str = ""
    optional: bool = False


def age_text(delta: timedelta) -> str:
    """``12 分钟`` / ``3 小时`` / ``2 天`` — a counter can be offline for days."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes < 1:
        return "不到 1 分钟"
    if minutes < 120:
        return f"{minutes} 分钟"
    if minutes < 48 * 60:
        return f"{minutes // 60} 小时"
    return f"{minutes // (24 * 60)} 天"


def ack_text(at: datetime, now: datetime) -> str:
    """``09:05`` today (Beijing time), ``11-14 09:05`` on another day."""
    local, today = local_time(at), local_time(now).date()
    return f"{local:%H:%M}" if local.date() == today else f"{local:%m-%d %H:%M}"


def state_part(status: SyncStatus | None, running: bool) -> Part:
    if status is None:
        return Part("中心库：……", "……")
    if not status.configured:
        if running:  # a URL is configured but `clerk enrol` was never run
            return Part("○ 中心库：本机未登记", "○ 未登记", OFFLINE_STYLE)
        return Part("中心库：未配置", "未配置")
    if status.online:
        return Part("● 在线", "● 在线", ONLINE_STYLE)
    if status.failing:  # the store answered and sync still fails: not an outage to wait out
        return Part(f"✕ 同步出错（{status.error}）", "✕ 同步出错", ALERT_STYLE)
    if not status.error:  # neither success nor failure recorded yet: the first round runs
        return Part("○ 连接中", "○ 连接中")
    return Part(f"○ 离线（{status.error}）", "○ 离线", OFFLINE_STYLE)


def status_parts(status: SyncStatus | None, now: datetime, running: bool) -> list[Part]:
    """Everything the status line may say, most important first."""
    parts = [state_part(status, running)]
    if status is None or not status.configured:
        return parts
    n = status.pending
    parts.append(Part(f"待同步 {n} 条", f"待同步 {n}", "bold" if n else ""))
    if n and status.oldest_pending_age is not None:
        age = age_text(status.oldest_pending_age)
        parts.append(Part(f"最早 {age}前", f"最早{age.replace(' ', '')}前", optional=True))
    if status.last_ack_at is not None:
        ack = ack_text(status.last_ack_at, now)
        parts.append(Part(f"上次确认 {ack}", f"确认 {ack}", optional=True))
    if status.conflicts:
        c = status.conflicts
        parts.append(Part(f"冲突 {c} 条（F6 查看）", f"冲突 {c}", OFFLINE_STYLE))
    if status.clock_warning and status.clock_skew_ms is not None:
        skew = age_text(timedelta(milliseconds=abs(status.clock_skew_ms)))
        parts.append(Part(f"本机时钟与中心库相差 {skew}", f"时钟差 {skew}", ALERT_STYLE))
    return parts


SEPARATOR = " · "


def fit_line(parts: list[Part], width: int) -> Content:
    """The longest wording that fits ``width`` cells.

    In order: everything in full; the failure reason cut short, then left out (the home
    screen shows it whole); the other parts abbreviated from the least important up;
    the optional parts left out; the last parts dropped.
    """
    pieces = [(p.full, p.style) for p in parts]
    for step in _shorter(parts, width):
        if _cells(pieces) <= width:
            return _assemble(pieces)
        pieces = step(pieces)
    while len(pieces) > 1 and _cells(pieces) > width:
        pieces = pieces[:-1]  # parts come most important first
    text, style = pieces[0]
    return _assemble([(_clip(text, width), style), *pieces[1:]])


Pieces = list[tuple[str, str]]


def _shorter(parts: list[Part], width: int):
    """Steps that each shorten the line a little more (see :func:`fit_line`)."""

    def clip_reason(pieces: Pieces) -> Pieces:
        room = width - _cells(pieces[1:]) - (cell_len(SEPARATOR) if len(pieces) > 1 else 0)
        return [(_clip_reason(parts[0].full, room) or parts[0].short, parts[0].style), *pieces[1:]]

    def abbreviate(i: int):
        return lambda pieces: [*pieces[:i], (parts[i].short, parts[i].style), *pieces[i + 1 :]]

    def drop_optional(pieces: Pieces) -> Pieces:
        return [piece for piece, part in zip(pieces, parts, strict=True) if not part.optional]

    yield clip_reason
    yield abbreviate(0)
    for i in range(len(parts) - 1, 0, -1):
        yield abbreviate(i)
    yield drop_optional


def _clip_reason(text: str, width: int) -> str:
    """``○ 离线（无法连接中…）``: the reason in brackets cut to fit, or "" if too little is left."""
    if "（" not in text or not text.endswith("）"):
        return ""
    head, reason = text[:-1].split("（", 1)
    room = width - cell_len(head) - 4  # the brackets
    if room < 8:
        return ""
    return f"{head}（{_clip(reason, room)}）"


def _cells(pieces: list[tuple[str, str]]) -> int:
    return sum(cell_len(t) for t, _ in pieces) + cell_len(SEPARATOR) * (len(pieces) - 1)


def _clip(text: str, width: int) -> str:
    if cell_len(text) <= width:
        return text
    out = ""
    for ch in text:
        if cell_len(out + ch) > width - 1:
            return out + "…"
        out += ch
    return out


def _assemble(pieces: list[tuple[str, str]]) -> Content:
    out: list[str | tuple[str, str]] = []
    for i, piece in enumerate(pieces):
        if i:
            out.append((SEPARATOR, "dim"))
        out.append(piece)  # server and error text: a (text, style) pair is never markup
    return Content.assemble(*out)


class SyncView(Static):
    """Something that shows the sync status; the app feeds every one on the screen stack."""

    def on_mount(self) -> None:
        app: ClerkApp = self.app  # type: ignore[assignment]
        self.show_sync(app.sync_status, app.clock.now(), app.sync_running)

    def show_sync(self, status: SyncStatus | None, now: datetime, running: bool) -> None:
        raise NotImplementedError


class SyncBar(SyncView):
    """The one-line status docked above the footer; abbreviates itself to its width."""

    def __init__(self) -> None:
        super().__init__(Content(""), id="sync-bar")
        self._last: tuple[SyncStatus | None, datetime, bool] | None = None

    def show_sync(self, status: SyncStatus | None, now: datetime, running: bool) -> None:
        self._last = (status, now, running)
        width = self.size.width or self.app.size.width
        line = fit_line(status_parts(status, now, running), max(width - 2, 10))
        shown = self.content
        if not (isinstance(shown, Content) and shown.is_same(line)):
            # One line high (clerk.tcss): no layout pass. The status is read every 1.5 s
            # and mostly unchanged, so most reads draw nothing.
            self.update(line, layout=False)
        offline = status is not None and status.configured and not status.online
        self.set_class(offline, "offline")

    def on_resize(self) -> None:
        if self._last is not None:
            self.show_sync(*self._last)


SYNC_BINDINGS = [
    Binding("f5", "force_sync", "立即同步"),
    Binding("f6", "conflicts", "同步冲突"),
]
"""Every signed-in screen lists these after its own keys (footer order is list order)."""


class SyncedScreen(DeskScreen):
    """A signed-in screen: F5 forces a sync round, F6 lists conflicts (only with a central store)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "conflicts":
            return self.clerk_app.sync_running
        return True

    def action_force_sync(self) -> None:
        self.clerk_app.force_sync()

    def action_conflicts(self) -> None:
        from screens.sync.conflicts import ConflictsScreen

        if not isinstance(self, ConflictsScreen):
            self.app.push_screen(ConflictsScreen())
