"""Find the CJK TrueType font that tickets and PDFs embed.

reportlab's built-in ``STSong-Light`` is a non-embedded CID font: on a machine without
Adobe-GB1 data the text comes out blank, so we always embed a TrueType subset. Noto CJK is
refused by reportlab (CFF outlines); UMing is a Song face like official documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import ImageFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from printing.errors import FontMissingError


@dataclass(frozen=True)
class FontFile:
    """A font file and, for a .ttc collection, which face in it."""

    path: Path
    subfont_index: int = 0
    package: str = ""


# Search order: the Song face first (simplified Chinese is face 0 of uming.ttc).
CANDIDATES = (
    FontFile(Path("/usr/share/fonts/truetype/arphic/uming.ttc"), 0, "fonts-arphic-uming"),
    FontFile(Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 0, "fonts-wqy-zenhei"),
)


def find_cjk_font(configured: str = "") -> FontFile:
    """Return the configured font, else the first installed candidate.

    Raises FontMissingError (Chinese message naming the Debian package) when none exists.
    """
    if configured:
        path = Path(configured).expanduser()
        if not path.is_file():
            raise FontMissingError(
                f"找不到设置的字体文件：{path}（printing.font_path）",
                f"configured font not found: {path}",
            )
        return FontFile(path)
    for candidate in CANDIDATES:
        if candidate.path.is_file():
            return candidate
    raise FontMissingError(
        "找不到中文字体，无法打印中文。请安装字体包：sudo apt-get install fonts-arphic-uming"
        "（或 fonts-wqy-zenhei）",
        "no CJK TrueType font found; install fonts-arphic-uming or fonts-wqy-zenhei",
    )


@cache
def pil_font(font: FontFile, size: int) -> ImageFont.FreeTypeFont:
    """A Pillow font at ``size`` pixels; cached because loading a 20 MB .ttc costs ~50 ms."""
    try:
        return ImageFont.truetype(str(font.path), size, index=font.subfont_index)
    except OSError as exc:
        raise FontMissingError(f"字体文件无法读取：{font.path}", str(exc)) from exc


@cache
def reportlab_font(font: FontFile) -> str:
    """Register ``font`` with reportlab once per process and return its name.

    reportlab embeds only the glyphs used (a subset) in each PDF it writes.
    """
    name = "CJK-" + font.path.stem
    try:
        pdfmetrics.registerFont(TTFont(name, str(font.path), subfontIndex=font.subfont_index))
    except Exception as exc:  # reportlab raises TTFError or plain errors for unusable files
        raise FontMissingError(
            f"字体文件无法用于 PDF：{font.path}（请换用 AR PL UMing 或文泉驿正黑）", str(exc)
        ) from exc
    return name
