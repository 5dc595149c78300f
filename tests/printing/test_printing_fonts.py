"""The CJK font is found, and a missing one is reported with the package to install."""

from __future__ import annotations

from pathlib import Path

import pytest

from printing import fonts
from printing.errors import FontMissingError
from printing.fonts import FontFile, find_cjk_font, pil_font


def test_finds_an_installed_cjk_truetype_font():
    font = find_cjk_font()
    assert font.path.name in {"uming.ttc", "wqy-zenhei.ttc"}


def test_the_font_has_real_chinese_glyphs_not_tofu():
    # A font without the glyphs draws the same empty box for every character.
    face = pil_font(find_cjk_font(), 48)
    masks = {bytes(face.getmask(char)) for char in "不动产登记"}
    assert len(masks) == 5


def test_configured_font_that_does_not_exist_names_the_setting(tmp_path: Path):
    with pytest.raises(FontMissingError) as caught:
        find_cjk_font(str(tmp_path / "missing.ttf"))
    assert "printing.font_path" in caught.value.message


def test_no_font_installed_names_the_debian_package(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(fonts, "CANDIDATES", (FontFile(Path("/nonexistent/uming.ttc")),))
    with pytest.raises(FontMissingError) as caught:
        find_cjk_font()
    assert "fonts-arphic-uming" in caught.value.message
