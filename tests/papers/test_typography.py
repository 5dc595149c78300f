"""Chinese line breaking on reportlab: closing punctuation never opens a line, opening
punctuation never ends one, nothing hangs past the edge, no character is lost."""

from __future__ import annotations

import random

import pytest
from reportlab.lib import textsplit
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import paragraph
from reportlab.platypus.paragraph import Paragraph

from printing.fonts import reportlab_font
from printing.papers.typography import CANNOT_START, FormParagraph, first_bad_break, line_texts

PIECES = ["根据《中华人民共和国行政许可法》，", "本机关决定：", "予以受理！", "是否？", "第三十二条；",
          "（四）项）。", "材料", "“营业执照”，", "A4纸2份；", "法定代表人"]


def _wrapped(cls, markup: str, width: float, font: str):
    style = ParagraphStyle("t", fontName=font, fontSize=14, leading=20, wordWrap="CJK")
    para = cls(markup, style)
    para.wrap(width, 10_000)
    return para.blPara


def _cases(n: int):
    rng = random.Random(20261202)
    for _ in range(n):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(4, 30)))
        yield text, rng.randint(120, 440)


def test_both_of_reportlabs_lists_are_extended():
    for module in (textsplit, paragraph):
        assert set("，；：！？》") <= set(module.ALL_CANNOT_START)


@pytest.mark.parametrize("mixed", [False, True], ids=["one style", "mixed styles"])
def test_reportlab_alone_breaks_the_rule_and_form_paragraphs_do_not(font, mixed):
    name = reportlab_font(font)
    plain_bad = form_bad = 0
    for text, width in _cases(150):
        markup = f"<u>甲</u>{text}" if mixed else text
        plain_bad += first_bad_break(line_texts(_wrapped(Paragraph, markup, width, name))) is not None
        lines = _wrapped(FormParagraph, markup, width, name)
        form_bad += first_bad_break(line_texts(lines)) is not None
        assert "".join(line_texts(lines)) == ("甲" if mixed else "") + text  # nothing lost or doubled
        for line in lines.lines:  # nothing hangs past the edge (into a table's border)
            extra = line[0] if isinstance(line, tuple) else line.extraSpace
            assert extra >= -0.5
    assert plain_bad > 0  # the cases do exercise the rule
    assert form_bad == 0


def test_the_punctuation_the_issue_names_is_kept_off_line_starts():
    assert set("，；：！？》") <= set(CANNOT_START)
