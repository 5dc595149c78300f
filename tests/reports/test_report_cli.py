"""``clerk report``: CSV that spreadsheets read, and clear refusals that leave no file behind."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from report_days import SIM_DAYS

from cli.main import main


@pytest.fixture
def cli_store(simulated_store, tmp_path, monkeypatch) -> Path:
    """The simulated store as this counter's own store, and the demo password."""
    db = tmp_path / "counter.sqlite3"
    shutil.copyfile(simulated_store.path, db)
    monkeypatch.setenv("CLERK_STORE_PATH", str(db))
    monkeypatch.setenv("CLERK_PASSWORD", "demo1234")
    return db


def _report(*extra: str, user: str = "super01", out: Path) -> int:
    return main(["report", "--user", user, "--out", str(out), *extra])


def test_csv_has_a_bom_a_header_naming_scope_and_period_and_reads_back(cli_store, tmp_path, capsys):
    out = tmp_path / "三月台账.csv"
    assert _report("--period", "month", "--date", SIM_DAYS[1].isoformat(), "--format", "csv", out=out) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel and WPS read UTF-8 only with the BOM
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["值班台账", "2026年3月"]
    assert rows[1] == ["范围", "全中心：示范县政务服务中心"]
    header = rows.index(["项目", "数量", "目标"])
    counts = {r[0]: r[1] for r in rows[header + 1: header + 9]}
    assert int(counts["取号"]) > 0 and int(counts["办结"]) > 0
    assert "已生成2026年3月台账" in capsys.readouterr().out


def test_csv_for_one_window(cli_store, tmp_path):
    out = tmp_path / "w1.csv"
    assert _report("--period", "day", "--date", SIM_DAYS[1].isoformat(), "--window", "1", "--format", "csv",
                   out=out) == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[1][1].startswith("窗口：1号窗口")
    issued = next(r for r in rows if r and r[0] == "取号")
    assert issued[1] == "—"  # tickets are issued to a line, not to a window


@pytest.mark.parametrize(("args", "user", "message"), [
    (["--period", "day", "--date", "2026-12-25"], "super01", "尚未开始"),
    (["--period", "year", "--date", "2031-03-01"], "super01", "没有2031年的节假日安排"),
    (["--period", "day", "--date", "2026-3-9x"], "super01", "日期格式"),
    (["--period", "day", "--date", "2026-03-09", "--window", "99"], "super01", "没有 99 号窗口"),
    (["--period", "day", "--date", "2026-03-09", "--staff", "nobody"], "super01", "没有工作人员“nobody”"),
    (["--period", "day", "--date", "2026-03-09"], "clerk01", "只有值班长和首席事务代表"),
])
def test_bad_requests_are_refused_in_chinese_and_write_nothing(cli_store, tmp_path, capsys, args, user, message):
    out = tmp_path / "report.csv"
    assert _report(*args, "--format", "csv", user=user, out=out) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.glob("report.csv*")) == [] and list(tmp_path.glob(".report*")) == []


@pytest.mark.parametrize("where", ["missing/r.csv", "a-file/r.csv", "."])
def test_an_unwritable_path_is_refused(cli_store, tmp_path, capsys, where):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "a-file").write_text("not a folder")
    before = sorted(folder.rglob("*"))
    assert _report("--period", "day", "--date", "2026-03-09", "--format", "csv", out=folder / where) == 2
    err = capsys.readouterr().err
    assert "无法写入" in err or "输出路径是一个文件夹" in err
    assert sorted(folder.rglob("*")) == before


def test_a_wrong_password_is_refused(cli_store, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CLERK_PASSWORD", "wrong")
    out = tmp_path / "r.csv"
    assert _report("--period", "day", "--date", "2026-03-09", "--format", "csv", out=out) == 2
    assert "用户名或密码错误" in capsys.readouterr().err
    assert not out.exists()


def test_pdf_is_a4_with_chinese_text_and_the_charts_labels(cli_store, tmp_path):
    import subprocess

    from pypdf import PdfReader

    out = tmp_path / "month.pdf"
    assert _report("--period", "month", "--date", SIM_DAYS[1].isoformat(), "--format", "pdf", out=out) == 0
    page = PdfReader(out).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    for words in ("值班台账", "2026年3月", "示范县政务服务中心", "票号统计", "按取号时段的等候", "最近秩法",
                  "各时段等候中位数（分钟）", "各窗口办结量（件）", "窗口机离线与同步"):
        assert words in text, words
    assert "09:00" in text and "1号" in text  # the bars' own labels, drawn in the CJK font
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    embedded = [line for line in fonts.splitlines() if "UMing" in line or "ZenHei" in line]
    assert embedded and all(" yes yes " in line for line in embedded)  # the CJK face, embedded as a subset


def test_clerk_simulate_from_the_command_line_fills_a_new_store_that_the_report_reads(tmp_path):
    """A fresh process, as a newcomer runs it: every workflow's mutations must be loaded by
    the command itself (a test process has them all already, which once hid 未知的操作)."""
    import os
    import subprocess
    import sys

    env = os.environ | {"CLERK_STORE_PATH": str(tmp_path / "new.sqlite3"), "CLERK_PASSWORD": "demo1234"}
    run = subprocess.run([sys.executable, "-m", "cli.main", "simulate", "--days", "1", "--tickets", "40"],
                         capture_output=True, text=True, env=env, cwd=Path(__file__).parents[2], timeout=600)
    assert run.returncode == 0, run.stderr
    assert "已模拟 1 个工作日" in run.stdout, run.stdout
    issued = run.stdout.split("共取号 ")[1].split(" 张")[0]  # about 40: arrivals are drawn at random
    out = tmp_path / "day.csv"
    day = run.stdout.split("（")[1][:10]
    report = subprocess.run([sys.executable, "-m", "cli.main", "report", "--user", "super01", "--period", "day",
                             "--date", day, "--format", "csv", "--out", str(out)],
                            capture_output=True, text=True, env=env, cwd=Path(__file__).parents[2], timeout=600)
    assert report.returncode == 0, report.stderr
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert next(r for r in rows if r and r[0] == "取号")[1] == issued
