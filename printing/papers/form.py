"""The building blocks a paper's body is made of, bound to one paper and its font.

A kind module (``printing.papers.kinds``) writes its wording with these: ``f.say(...)``
fills the form's blanks with the paper's values, underlined; ``f.facts`` is
the two-column grid of a form; ``f.table`` is a list that runs on to the next page with
its header row repeated.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer

from clerk.papers.content import MaterialLine, Paper, Rights
from printing.papers.flowables import Columns, TextBlock
from printing.papers.grid import PAD_X, Cell, Grid
from printing.papers.styles import BODY_LEADING, BODY_PT, CELL_LEADING, SMALL_LEADING, SMALL_PT
from printing.papers.text import Plain, cn_date, runs

WIDTH = 156 * mm
"""The type area of GB/T 9704 (A4 less 28 mm inner and 26 mm outer margin)."""
DEFECTS = {"missing": "缺少", "not_legal_form": "不符合法定形式"}
PROVISIONAL = "（暂定）"


class Form:
    """Helpers for one paper's body; every value passed in is printed literally."""

    def __init__(self, paper: Paper, font: str) -> None:
        self.paper = paper
        self.font = font

    # -- text ------------------------------------------------------------------------

    def block(self, text: str | list, size: float = BODY_PT, leading: float = BODY_LEADING, **kw) -> TextBlock:
        return TextBlock(text, self.font, size, leading, **kw)

    def say(self, wording: str, **values: object) -> Flowable:
        """A paragraph of the form's ``wording`` (``{name}`` blanks) with ``values``
        filled in, short ones underlined as a form's blanks are."""
        return self.block(runs(wording, values), indent=2 * BODY_PT, space_after=2)

    @staticmethod
    def plain(value: object) -> Plain:
        """A value for ``say`` that is printed as it is, not underlined as a blank."""
        return Plain(value)

    @staticmethod
    def clause(value: str) -> Plain:
        """Someone's sentence used inside the form's own (its closing stop dropped)."""
        return Plain(value.strip().rstrip("。；，.;, "))

    def text(self, value: object) -> Flowable:
        """A paragraph of someone's text (reasons, a pledge), as typed."""
        return self.block(str(value), indent=2 * BODY_PT, space_after=2)

    def fixed(self, wording: str) -> Flowable:
        """A paragraph of the form's own wording, with no blanks."""
        return self.block(wording, indent=2 * BODY_PT, space_after=2)

    def line(self, text: str) -> Flowable:
        """A line of small print (handler, contacts, notes), not indented."""
        return self.block(text, SMALL_PT, SMALL_LEADING)

    def heading(self, wording: str) -> Flowable:
        return self.block(wording, space_before=4, space_after=2, keep_with_next=True)

    def addressee(self, name: str | None = None) -> Flowable:
        """``张三：`` — whom the paper speaks to (the applicant unless named)."""
        who = name if name is not None else (self.paper.applicant.name if self.paper.applicant else "")
        return self.block(f"{who}：")

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

    def cell(self, value: object, align: str = "left") -> TextBlock:
        """A cell's text, as typed."""
        return self.block(str(value), SMALL_PT, CELL_LEADING, align=align)

    def label(self, value: object) -> Cell:
        return Cell(self.cell(value, "centre"))

    def facts(self, rows: Sequence[tuple[str, object]], label_mm: float = 34) -> Flowable:
        """A label | value grid, one fact a row."""
        cells = [[self.label(label), Cell(self.cell(value))] for label, value in rows]
        return Grid(cells, [label_mm * mm, WIDTH - label_mm * mm])

    def pairs(self, pairs: Sequence[tuple[str, object]]) -> Flowable:
        """A grid of label | value pairs, two to a row in the order given; a value too long
        for half the width takes a whole row (and so does a pair left alone at the end)."""
        # Labels as wide as the longest needs, so the values get the rest of the row.
        label_w = max(stringWidth(label, self.font, SMALL_PT) for label, _ in pairs) + 2 * PAD_X + 1
        value_w = WIDTH / 2 - label_w
        rows: list[list[tuple[str, object]]] = []
        waiting: list[tuple[str, object]] | None = None  # a row with one short pair
        for label, value in pairs:
            if stringWidth(str(value), self.font, SMALL_PT) > value_w - 2 * PAD_X:
                rows.append([(label, value)])
            elif waiting is not None:
                waiting.append((label, value))
                waiting = None
            else:
                waiting = [(label, value)]
                rows.append(waiting)
        cells = []
        for row in rows:
            line = []
            for label, value in row:
                line += [self.label(label), Cell(self.cell(value), 1 if len(row) == 2 else 3)]
            cells.append(line)
        return Grid(cells, [label_w, value_w, label_w, value_w])

    def table(self, columns: Sequence[tuple[str, float]], rows: Sequence[Sequence[object]]) -> Flowable:
        """A list with a header row that repeats on every page it runs on to.

        ``columns`` are (heading, share of the width); ``rows`` hold the values.
        """
        # 序号 gets what two characters need; the other columns share the rest.
        fixed = {"序号": 12 * mm}
        total = sum(share for name, share in columns if name not in fixed)
        rest = WIDTH - sum(fixed.get(name, 0) for name, _ in columns)
        widths = [fixed.get(name, rest * share / total) for name, share in columns]
        head = [self.label(name) for name, _ in columns]
        body = [[Cell(self.cell(value)) for value in row] for row in rows]
        return Grid([head, *body], widths, header=True)

    def columns(self, columns: list[list[Flowable]], widths: Sequence[float], valign: str = "bottom") -> Flowable:
        """Flowables side by side, without rules."""
        return Columns(columns, list(widths), valign)

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
                detail = line.defect_detail
                row.append(f"{problem}：{detail}" if problem and detail else problem or detail)
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
        return self.say(wording, what=Plain(document), days=rights.review_days, organ=rights.review_organ,
                        months=rights.suit_months, court=rights.court)


def copies(line: MaterialLine) -> str:
    """``复印件 2份`` (and pages when counted)."""
    parts = [line.form, f"{line.copies}份"]
    if line.pages:
        parts.append(f"{line.pages}页")
    return " ".join(p for p in parts if p)


def requirement(line: MaterialLine) -> str:
    return "；".join(p for p in (line.standard, f"来源：{line.source}" if line.source else "") if p)
