"""Block-bar charts line up by terminal cells with Chinese and mixed labels."""

from __future__ import annotations

from rich.cells import cell_len

from clerk.reports.registry import Chart
from screens.widgets.bar_chart import chart_lines


def test_bars_start_in_one_column_and_scale_whatever_the_labels():
    chart = Chart("办件结果", ("受理（材料齐全）", "容缺受理", "10号", "A"), (40.0, 10.0, 20.0, 0.0), "件")
    lines = chart_lines(chart, 60)
    assert {cell_len(line) for line in lines} == {60}  # every line exactly as wide as asked
    label_cells = cell_len("受理（材料齐全）")
    starts = {cell_len(line[: len(label)]) for line, label in zip(lines, chart.labels, strict=True)}
    assert all(cell_len(label) <= label_cells for label in chart.labels) and starts <= set(range(label_cells + 1))
    bars = [line.count("█") for line in lines]
    assert bars[0] > bars[2] > bars[1] > bars[3] == 0
    assert bars[0] == 2 * bars[2]  # 40 is twice 20
    assert lines[0].endswith(" 40件") and lines[3].endswith(" 0件")
    # The bar column: the cell after the widest label and its space, the same on every line.
    for line in lines[:3]:
        head = line[: line.index("█")]
        assert cell_len(head) == label_cells + 1


def test_an_empty_chart_says_so():
    assert chart_lines(Chart("x", (), (), "件"), 40) == ["（无数据）"]
