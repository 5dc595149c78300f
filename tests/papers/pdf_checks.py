"""Reading a rendered PDF the way a person (or a scanner) would: its text, its lines, its
fonts, its page size and its QR codes, with poppler's and zbar's own tools."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader

A4_POINTS = (595.28, 841.89)
_XHTML = "{http://www.w3.org/1999/xhtml}"


def need(tool: str, package: str) -> None:
    """Skip without ``tool``, except under CI, where scripts/ensure-system.sh installs it."""
    if shutil.which(tool) is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tool} ({package}) is required under CI=true")
        pytest.skip(f"{tool} not installed (Debian package {package})")


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Text with every space and line break removed: wrapping must not hide a field."""
    return re.sub(r"\s+", "", text)


def text_of(pdf: bytes) -> str:
    return flat("".join(page_texts(pdf)))


def lines_of(pdf: bytes, tmp_path: Path) -> list[str]:
    """Every text line poppler finds on every page (a table cell's lines are lines too)."""
    need("pdftotext", "poppler-utils")
    source = tmp_path / "lines.pdf"
    source.write_bytes(pdf)
    xhtml = subprocess.run(["pdftotext", "-bbox-layout", str(source), "-"], capture_output=True, check=True).stdout
    root = ET.fromstring(xhtml)
    return ["".join(w.text or "" for w in line.iter(f"{_XHTML}word")) for line in root.iter(f"{_XHTML}line")]


def fonts_of(pdf: bytes, tmp_path: Path) -> list[dict[str, str]]:
    """``pdffonts``' table: one dict a font (name, type, emb, sub)."""
    need("pdffonts", "poppler-utils")
    source = tmp_path / "fonts.pdf"
    source.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(source)], capture_output=True, check=True, text=True).stdout.splitlines()
    rows = []
    for line in out[2:]:
        # name type [type…] encoding emb sub uni object ID: read from the right.
        parts = line.split()
        rows.append({"name": parts[0], "type": " ".join(parts[1:-6]), "emb": parts[-5], "sub": parts[-4]})
    return rows


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(io.BytesIO(pdf)).pages]


def qr_codes(pdf: bytes, tmp_path: Path, page: int = 1) -> list[str]:
    """What a phone would read from the QR codes on ``page``."""
    need("pdftoppm", "poppler-utils")
    need("zbarimg", "zbar-tools")
    source = tmp_path / "qr.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", str(page), "-l", str(page), "-singlefile", str(source),
                    str(tmp_path / "qr")], check=True)
    done = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "qr.png")], capture_output=True, text=True)
    return [line for line in done.stdout.splitlines() if line]
