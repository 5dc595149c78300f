"""Render a ledger (clerk.reports.ledger.Report) as A4: header, every section's tables and
bar charts, in the embedded CJK font (reportlab's graphics take the font by name, so chart
labels are Chinese too; ``wordWrap="CJK"`` breaks table cells between any two characters)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from clerk.clock import local_time
from clerk.reports.ledger import Report
from clerk.reports.registry import Chart
from clerk.reports.registry import Table as LedgerTable
from clerk.reports.scope import KIND_LABELS
from printing.fonts import find_cjk_font, reportlab_font

WIDTH = A4[0] - 36 * mm


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=17, leading=24, alignment=1),
        "h2": ParagraphStyle("h2", parent=base, fontSize=13, leading=18, spaceBefore=8, spaceAfter=4),
        "h3": ParagraphStyle("h3", parent=base, fontSize=10.5, leading=15, spaceBefore=4, spaceAfter=2),
        "body": base,
        "note": ParagraphStyle("note", parent=base, fontSize=8, leading=11, textColor=colors.HexColor("#444444")),
    }


def _table(table: LedgerTable, st: dict[str, ParagraphStyle], font: str) -> list:
    cell = st["body"]
    data = [[Paragraph(escape(str(c)), cell) for c in table.columns]]
    data += [[Paragraph(escape("" if c is None else str(c)), cell) for c in row] for row in table.rows]
    if len(data) == 1:
        data.append([Paragraph("（无记录）", cell)] + [""] * (len(table.columns) - 1))
    widths = [WIDTH * 0.34] + [WIDTH * 0.66 / max(1, len(table.columns) - 1)] * (len(table.columns) - 1)
    t = Table(data, colWidths=widths, repeatRows=1)
    t.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font),  # for plain-string cells too: never Helvetica
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    out = [Paragraph(escape(table.title), st["h3"]), t]
    if table.note:
        out.append(Paragraph(escape(f"说明：{table.note}"), st["note"]))
    return out


def _chart(chart: Chart, font: str) -> Drawing:
    drawing = Drawing(WIDTH, 62 * mm)
    drawing.initialFontName = font  # the drawing would otherwise start in Helvetica, not embedded
    drawing.add(String(0, 58 * mm, f"{chart.title}（{chart.unit}）", fontName=font, fontSize=10))
    bars = VerticalBarChart()
    bars.x, bars.y, bars.width, bars.height = 12 * mm, 12 * mm, WIDTH - 16 * mm, 42 * mm
    bars.data = [list(chart.values) or [0]]
    bars.categoryAxis.categoryNames = list(chart.labels) or [""]
    bars.categoryAxis.labels.fontName = font
    bars.categoryAxis.labels.fontSize = 7
    bars.categoryAxis.labels.angle = 45 if len(chart.labels) > 12 else 0
    bars.categoryAxis.labels.boxAnchor = "ne" if len(chart.labels) > 12 else "n"
    bars.valueAxis.labels.fontName = font
    bars.valueAxis.labels.fontSize = 7
    bars.valueAxis.valueMin = 0
    bars.barLabels.fontName = font  # unused labels still name their font in the PDF
    bars.bars[0].fillColor = colors.HexColor("#4a6fa5")
    drawing.add(bars)
    return drawing


def render_pdf(report: Report, font_path: str = "") -> bytes:
    font = reportlab_font(find_cjk_font(font_path))
    st = _styles(font)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=16 * mm, bottomMargin=16 * mm,
                            title=f"值班台账 {report.period.label}", author="clerk", pageCompression=1,
                            # Each page would otherwise start in Helvetica, which is not embedded.
                            initialFontName=font, initialFontSize=9)
    story: list = [
        Paragraph(escape(f"值班台账　{report.period.label}"), st["title"]),
        Paragraph(escape(f"范围：{KIND_LABELS[report.scope.kind]}　{report.scope.label}"), st["body"]),
        Paragraph(escape(f"统计区间：{report.period.first_day} 至 {report.period.last_day}　"
                         f"生成时间：{local_time(report.made_at):%Y-%m-%d %H:%M}"), st["body"]),
    ]
    for section in report.sections:
        story.append(Paragraph(escape(section.title), st["h2"]))
        for table in section.tables:
            story += _table(table, st, font)
        for chart in section.charts:
            story += [Spacer(1, 3 * mm), KeepTogether([_chart(chart, font)])]
    doc.build(story)
    return buffer.getvalue()
