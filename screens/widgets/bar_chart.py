"""A ledger chart drawn as horizontal block bars, labels aligned by terminal cells.

Chinese labels take two cells per character: widths come from ``rich.cells.cell_len``
(the same measure Textual lays out with), never from ``len``, so bars start in one column
whatever the labels. Eighth blocks give each bar a finer end than whole cells.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content

from clerk.reports.registry import Chart

EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(value: float, top: float, cells: int) -> str:
    """``value`` of ``top`` as a bar at most ``cells`` wide."""
    if top <= 0 or cells <= 0:
        return ""
    eighths = round(max(value, 0) / top * cells * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[part] if part else "")


def value_text(value: float, unit: str) -> str:
    return f"{value:.0f}{unit}" if float(value).is_integer() else f"{value:.1f}{unit}"


def chart_lines(chart: Chart, width: int) -> list[str]:
    """One line per label: ``label  ████▌ 12件``, every line at most ``width`` cells."""
    if not chart.labels:
        return ["（无数据）"]
    label_cells = max(cell_len(label) for label in chart.labels)
    values = [value_text(v, chart.unit) for v in chart.values]
    value_cells = max(cell_len(v) for v in values)
    room = max(width - label_cells - value_cells - 2, 1)
    top = max(chart.values, default=0)
    out = []
    for label, v, shown in zip(chart.labels, chart.values, values, strict=True):
        drawn = bar(v, top, room)
        out.append(label + " " * (label_cells - cell_len(label)) + " " + drawn
                   + " " * (room - cell_len(drawn) + value_cells - cell_len(shown)) + " " + shown)
    return out


def chart_content(chart: Chart, width: int) -> Content:
    return Content.assemble((chart.title + "\n", "bold"), "\n".join(chart_lines(chart, width)))
