"""The building blocks a paper's body is made of, bound to one paper and its styles.

A kind module (``printing.papers.kinds``) writes its wording with these: ``f.say(...)``
fills the form's blanks with the paper's values, escaped and underlined; ``f.facts`` is
the two-column grid of a form; ``f.table`` is a list that runs on to the next page with
its header row repeated.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, LongTable, Spacer, Table, TableStyle

from clerk.papers.content import MaterialLine, Paper, Rights
from printing.papers.styles import SMALL_PT, Styles
from printing.papers.text import Plain, cn_date, esc, fill
from printing.papers.typography import FormParagraph

WIDTH = 156 * mm
"""The type area of GB/T 9704 (A4 less 28 mm inner and 26 mm outer margin)."""
RULE = colors.black
GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.6, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
)
PLAIN = TableStyle(
    [
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]
)
DEFECTS = {"missing": "缺少", "not_legal_form": "不符合法定形式"}
PROVISIONAL = "（暂定）"


class Form:
    """Helpers for one paper's body; every value passed in is printed literally."""

    def __init__(self, paper: Paper, styles: Styles) -> None:
        self.paper = paper
        self.s = styles

    # -- text ------------------------------------------------------------------------

    def say(self, wording: str, **values: object) -> Flowable:
        """A paragraph of the form's ``wording`` (trusted, ``{name}`` blanks) with
        ``values`` filled in, each escaped and underlined."""
        return FormParagraph(wording.format(**{k: fill(v) for k, v in values.items()}), self.s.body)

    @staticmethod
    def plain(value: object) -> Plain:
        """A value for ``say`` that is printed as it is, not underlined as a blank."""
        return Plain(value)

    @staticmethod
    def clause(value: str) -> Plain:
        """Someone's sentence used inside the form's own (its closing stop dropped)."""
        return Plain(value.strip().rstrip("。；，.;, "))

    def text(self, value: object, style: str = "body") -> Flowable:
        """A block of someone's text (reasons, a pledge), escaped, not underlined."""
        return FormParagraph(esc(value), getattr(self.s, style))

    def fixed(self, wording: str, style: str = "body") -> Flowable:
        """The form's own wording, with no blanks."""
        return FormParagraph(wording, getattr(self.s, style))

    def heading(self, wording: str) -> Flowable:
        return FormParagraph(wording, self.s.heading)

    def addressee(self, name: str | None = None) -> Flowable:
        """``张三：`` — whom the paper speaks to (the applicant unless named)."""
        who = name if name is not None else (self.paper.applicant.name if self.paper.applicant else "")
        return FormParagraph(f"{esc(who)}：", self.s.plain)

    def gap(self, height_mm: float = 3) -> Flowable:
        return Spacer(1, height_mm * mm)

    # -- dates -----------------------------------------------------------------------

    @staticmethod
    def date(day: date | None) -> str:
        return cn_date(day) if day else ""

    def due(self, day: date | None) -> str:
        """A computed deadline: marked 暂定 when the paper says its dates are provisional."""
        if day is None:
            return ""
        return cn_date(day) + (PROVISIONAL if self.paper.provisional_dates else "")

    # -- grids and lists -------------------------------------------------------------

    def facts(self, rows: Sequence[tuple[str, object]], label_mm: float = 34) -> Flowable:
        """A label | value grid, one fact a row."""
        cells = [
            [FormParagraph(esc(label), self.s.label), FormParagraph(esc(value), self.s.cell)]
            for label, value in rows
        ]
        return self.grid(cells, [label_mm * mm, WIDTH - label_mm * mm])

    def pairs(self, pairs: Sequence[tuple[str, object]]) -> Flowable:
        """A grid of label | value pairs, two to a row in the order given; a value too long
        for half the width (and a last pair left alone) takes a whole row."""
        # Labels as wide as the longest needs, so the values get the rest of the row.
        label_w = max(stringWidth(label, self.s.font, SMALL_PT) for label, _ in pairs) + 9
        value_w = WIDTH / 2 - label_w
        room = value_w - 8  # the cell's padding
        rows: list[list[tuple[str, object]]] = []
        waiting: list[tuple[str, object]] | None = None  # a row with one short pair
        for label, value in pairs:
            if stringWidth(str(value), self.s.font, SMALL_PT) > room:
                rows.append([(label, value)])
            elif waiting is not None:
                waiting.append((label, value))
                waiting = None
            else:
                waiting = [(label, value)]
                rows.append(waiting)
        cells, spans = [], []
        for r, row in enumerate(rows):
            line: list[object] = []
            for label, value in row:
                line += [FormParagraph(esc(label), self.s.label), FormParagraph(esc(value), self.s.cell)]
            if len(row) == 1:
                line += [[], []]  # spanned; a string here would be drawn in Helvetica
                spans.append(("SPAN", (1, r), (3, r)))
            cells.append(line)
        return self.grid(cells, [label_w, value_w, label_w, value_w], spans)

    def table(self, columns: Sequence[tuple[str, float]], rows: Sequence[Sequence[object]]) -> Flowable:
        """A list with a header row that repeats on every page it runs on to.

        ``columns`` are (heading, share of the width); ``rows`` hold the values.
        """
        # 序号 gets what two characters need; the other columns share the rest.
        fixed = {"序号": 12 * mm}
        total = sum(share for name, share in columns if name not in fixed)
        rest = WIDTH - sum(fixed.get(name, 0) for name, _ in columns)
        widths = [fixed.get(name, rest * share / total) for name, share in columns]
        head = [FormParagraph(esc(name), self.s.cell_head) for name, _ in columns]
        body = [[FormParagraph(esc(value), self.s.cell) for value in row] for row in rows]
        return self.grid([head, *body], widths, repeat_header=True)

    def grid(self, cells: list, widths: Sequence[float], spans: Sequence[tuple] = (), *,
             repeat_header: bool = False) -> Table:
        """A ruled table; with ``repeat_header`` its first row repeats on every page."""
        if repeat_header:
            table = LongTable(cells, colWidths=widths, repeatRows=1, splitInRow=0)
        else:
            table = Table(cells, colWidths=widths)
        table.setStyle(GRID)
        table.setStyle(TableStyle([*spans, *self._font_style()]))
        return table

    def layout(self, cells: list, widths: Sequence[float], valign: str = "BOTTOM") -> Table:
        """An unruled table that only places things side by side."""
        table = Table(cells, colWidths=widths)
        table.setStyle(PLAIN)
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), valign), *self._font_style()]))
        return table

    def _font_style(self) -> list[tuple]:
        # A table sets its cells' font even when they hold paragraphs; left alone that is
        # Helvetica, which the PDF would then name without embedding.
        return [("FONT", (0, 0), (-1, -1), self.s.font, SMALL_PT)]

    def materials(self, lines: Sequence[MaterialLine], *, due: bool = False, defect: bool = False) -> Flowable:
        """The material list most papers carry: name, form and copies, standard, source."""
        columns = [("序号", 0), ("材料名称", 2.6)]
        if defect:
            columns.append(("存在问题", 2.2))
        columns += [("形式及份数", 1.7), ("材料要求及来源", 3.6)]
        if due:
            columns.append(("补交期限", 1.8))
        rows = []
        for n, line in enumerate(lines, start=1):
            row: list[object] = [n, line.name]
            if defect:
                problem = DEFECTS.get(line.defect, "")
                row.append(f"{problem}：{line.defect_detail}" if line.defect_detail else problem)
            row += [copies(line), requirement(line)]
            if due:
                row.append(self.due(line.due))
            rows.append(row)
        return self.table(columns, rows)

    def rights(self, rights: Rights, document: str) -> Flowable:
        """The remedies (行政复议法 Art 20, 行政诉讼法 Art 46, and Art 23 where review comes first)."""
        if rights.review_first:
            wording = (
                "你（单位）如对本决定不服，应当自收到{what}之日起{days}日内向{organ}申请行政复议；"
                "对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向{court}提起行政诉讼。"
            )
        else:
            wording = (
                "你（单位）如对本决定不服，可以自收到{what}之日起{days}日内向{organ}申请行政复议，"
                "也可以自收到{what}之日起{months}个月内依法向{court}提起行政诉讼。"
            )
        return FormParagraph(
            wording.format(
                what=document,
                days=fill(rights.review_days),
                organ=fill(rights.review_organ),
                months=fill(rights.suit_months),
                court=fill(rights.court),
            ),
            self.s.body,
        )


def copies(line: MaterialLine) -> str:
    """``复印件 2份`` (and pages when counted)."""
    parts = [line.form, f"{line.copies}份"]
    if line.pages:
        parts.append(f"{line.pages}页")
    return " ".join(p for p in parts if p)


def requirement(line: MaterialLine) -> str:
    return "；".join(p for p in (line.standard, f"来源：{line.source}" if line.source else "") if p)
