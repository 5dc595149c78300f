"""A period's "办不成事" ledger as a PDF table (A4 landscape, header repeated on each page).

The rows come from clerk.ledgers.service.LedgerDesk.period_rows; long descriptions wrap
(CJK word wrap) inside their column rather than running off the page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from printing.fonts import find_cjk_font, reportlab_font

COLUMNS = (("编号", 26), ("登记时间", 23), ("当事人", 16), ("事项", 24), ("问题描述", 41), ("分类", 16),
           ("责任单位", 20), ("负责人", 13), ("时限", 17), ("状态", 12), ("办理结果", 32), ("回访", 14),
           ("超期", 9))
"""Printed columns and their widths in mm (sum 263: landscape A4 less 17 mm margins)."""
_FROM_ROW = (0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 15)
"""Where each printed column is in a period_rows row (CSV_HEADER order)."""


def render_ledger_pdf(title: str, rows: Sequence[Sequence[str]], font_path: str = "") -> bytes:
    font = reportlab_font(find_cjk_font(font_path))
    cell = ParagraphStyle("cell", fontName=font, fontSize=7, leading=9, wordWrap="CJK")
    head = ParagraphStyle("head", parent=cell, fontSize=7.5)
    heading = ParagraphStyle("title", fontName=font, fontSize=14, leading=20, alignment=1, spaceAfter=4)
    data = [[Paragraph(label, head) for label, _ in COLUMNS]]
    # Plain strings for the short columns (far cheaper than a Paragraph each), Paragraphs
    # where the text can be long and must wrap.
    wrap = {3, 4, 6, 10}
    for row in rows:
        data.append([Paragraph(escape(row[i] or ""), cell) if n in wrap else (row[i] or "")
                     for n, i in enumerate(_FROM_ROW)])
    if len(rows) == 0:
        data.append(["（本期无记录）"] + [""] * (len(COLUMNS) - 1))
    table = Table(data, colWidths=[w * mm for _, w in COLUMNS], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 7),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
    ]))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=17 * mm, rightMargin=17 * mm,
                            topMargin=12 * mm, bottomMargin=12 * mm, title=title, author="clerk",
                            initialFontName=font, initialFontSize=7)
    doc.build([Paragraph(escape(title), heading), table])
    return buffer.getvalue()
