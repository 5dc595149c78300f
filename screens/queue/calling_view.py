"""What the calling screen shows, as plain functions from the queue's read model to Content."""

from __future__ import annotations

from datetime import datetime

from rich.cells import cell_len
from textual.content import Content

from clerk.clock import local_time
from clerk.queue.issuer import wait_text
from clerk.queue.tidal import LineLoad
from clerk.queue.views import CurrentTicket, DeskView, QueueRow


def pad(text: str, cells: int) -> str:
    """``text`` padded with spaces to ``cells`` terminal cells (CJK characters take two)."""
    return text + " " * max(cells - cell_len(text), 1)


def minutes_between(start: datetime, end: datetime) -> int:
    return max(int((end - start).total_seconds() // 60), 0)


DIGIT_CHARS = set("0123456789ABCDEF")


def digits(ticket: CurrentTicket | None) -> str:
    """The number for the big Digits widget; letters it cannot draw (G, H, J, K) become blank,
    the text line next to it always shows the whole number."""
    if ticket is None:
        return "----"
    return "".join(ch if ch in DIGIT_CHARS else " " for ch in ticket.number)


def current_number(ticket: CurrentTicket | None) -> Content:
    if ticket is None:
        return Content.assemble(("当前无号", "dim"))
    return Content.assemble((f" {ticket.number} ", "bold reverse"), "  ", (ticket.status_label, "bold"))


def current_detail(ticket: CurrentTicket | None, now: datetime) -> Content:
    if ticket is None:
        return Content("当前没有叫号。按 F1 叫下一位，F2 按号码叫号。")
    waited = minutes_between(ticket.issued_at, ticket.called_at or now)
    recalls = f" · 已重呼 {ticket.recall_count} 次" if ticket.recall_count else ""
    return Content.assemble(
        (ticket.line_name, "bold"), " · ", ticket.priority_label, f" · 取号 {local_time(ticket.issued_at):%H:%M}",
        f" · 等了 {waited} 分钟{recalls}\n",
        ("叫号原因：", "dim"), (ticket.reason or "—", "bold $accent"),
    )


def window_state(number: int, view: DeskView, lunch: str = "") -> Content:
    """The window's line: open or paused, parked tickets, and ``lunch`` (clerk.hours.notice)."""
    lunch = f" · {lunch}" if lunch else ""
    if view.paused_reason is not None:
        return Content.assemble((f"{number}号窗口 · 已暂停", "bold $warning"),
                                f"（{view.paused_reason}）· F10 恢复", lunch)
    parked = f" · 暂挂 {len(view.parked)} 个（F11 回叫）" if view.parked and view.current is None else ""
    if view.parked and view.current is not None:
        parked = f" · 暂挂 {len(view.parked)} 个"
    return Content.assemble((f"{number}号窗口 · 开放", "$success"), parked, lunch)


def line_summary(lines: list[LineLoad]) -> Content:
    if not lines:
        return Content("本窗口未分配业务类别，请联系值班长。")
    parts: list[str | tuple[str, str]] = []
    for i, line in enumerate(lines):
        parts += [("  ", "")] if i else []
        # No spaces inside an entry: a wrapped summary breaks between lines, never within one.
        wait = wait_text(line.wait_minutes).replace(" ", "")
        parts += [(f"{line.letter}{line.name}", "bold"), f"·{line.waiting}人·{wait}"]
    return Content.assemble(*parts)


def waiting_title(view: DeskView) -> Content:
    shown = len(view.head)
    more = f"，列出前 {shown} 个" if view.waiting > shown else ""
    return Content(f"等候 {view.waiting} 人（转本窗口、优先号在前{more}）")


def queue_lines(rows: list[QueueRow], now: datetime, limit: int) -> Content:
    if not rows:
        return Content.assemble(("（没有人等候）", "dim"))
    out: list[str | tuple[str, str]] = []
    for i, row in enumerate(rows[:limit]):
        label = "转至本窗口" if row.directed else row.priority_label
        style = "bold" if row.directed or label != "普通" else ""
        out += ["\n"] if i else []
        out += [
            (f"{row.number:<6}", "bold"),
            (pad(label, 20), style),
            f" {local_time(row.issued_at):%H:%M} 取号 · 已等 {minutes_between(row.issued_at, now)} 分钟",
        ]
    return Content.assemble(*out)
