"""The way to the first screen stays light: the heavy libraries load behind it.

A counter PC restarts after every power cut. The sign-in screen needs Textual and the
start-up modules only; the store (SQLAlchemy, SQLModel, Alembic), settings (pydantic),
pinyin search, keys (cryptography, argon2) and PDFs (reportlab) load in the start-up
worker once the screen is up. Checked in a fresh interpreter, through sys.modules.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

HEAVY = ("pypinyin", "reportlab", "alembic", "sqlalchemy", "sqlmodel", "cryptography", "argon2", "pydantic",
         "escpos", "httpx", "uvicorn", "fastapi")

# What `clerk` runs before Textual paints the sign-in screen: the console script's module,
# its argument parser, the app and the first screen.
START_UP = """
import sys
import cli.main
cli.main.build_parser().parse_args([])
import screens.app
import screens.start.sign_in
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_the_first_screen_loads_none_of_the_heavy_libraries():
    out = subprocess.run([sys.executable, "-c", START_UP], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, check=True).stdout
    loaded = set(out.split())
    assert "textual" in loaded  # the check itself sees what was imported
    assert sorted(loaded.intersection(HEAVY)) == []
