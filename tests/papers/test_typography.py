"""Chinese line breaking: closing punctuation never opens a line, opening punctuation never
ends one, nothing hangs past the edge, no character is lost — where reportlab's own CJK
splitter, even with its lists extended, breaks the first rule."""

from __future__ import annotations

import random

from reportlab.lib import textsplit
from reportlab.lib.textsplit import wordSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import paragraph

from printing.fonts import reportlab_font
from printing.papers.typography import CANNOT_START, cjk_lines, first_bad_break

PIECES = ["根据《中华人民共和国行政许可法》，", "本机关决定：", "予以受理！", "是否？", "第三十二条；",
          "（四）项）。", "材料", "“营业执照”，", "A4纸2份；", "法定代表人", "<b>&amp;[red]"]


def _cases(n: int):
    rng = random.Random(20261202)
    for _ in range(n):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(4, 30)))
        yield text, rng.randint(120, 440)


def test_both_of_reportlabs_lists_are_extended():
    for module in (textsplit, paragraph):
        assert set("，；：！？》") <= set(module.ALL_CANNOT_START)
    assert set("，；：！？》") <= set(CANNOT_START)


def test_reportlab_alone_breaks_the_rule_and_our_lines_do_not(font):
    name = reportlab_font(font)
    theirs_bad = 0
    for text, width in _cases(300):
        theirs_bad += first_bad_break([line for _, line in wordSplit(text, [width], name, 13)]) is not None
        lines = cjk_lines(text, width, name, 13, first=width - 26)
        texts = [line for _, line in lines]
        assert first_bad_break(texts) is None, texts
        assert "".join(texts) == text  # nothing lost or doubled
        assert [text[at : at + len(line)] for at, line in lines] == texts  # offsets (for underlines) are right
        for n, line in enumerate(texts):  # nothing hangs past the edge (or a cell's border)
            assert stringWidth(line, name, 13) <= (width - 26 if n == 0 else width) + 0.5
    assert theirs_bad > 0  # the cases do exercise the rule


def test_line_breaks_in_the_text_are_kept(font):
    lines = cjk_lines("第一行\n第二行", 400, reportlab_font(font), 12)
    assert [line for _, line in lines] == ["第一行", "第二行"]
