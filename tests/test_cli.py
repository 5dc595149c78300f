"""The `clerk` command: its help, `clerk init`, and a clear message for bad reference data."""

import argparse
import re
import shutil
import subprocess
import sys

import pytest
from sqlmodel import func, select

from clerk.config import REPO_ROOT
from clerk.store.engine import Store
from clerk.store.reference import ServiceItem
from cli.main import main


def test_help_lists_the_subcommands():
    out = subprocess.run([sys.executable, "-m", "cli.main", "--help"], capture_output=True, text=True, check=True).stdout
    assert "tui" in out and "init" in out


def _parsers(parser):
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _parsers(sub)


def test_every_help_text_is_chinese():
    from cli.main import build_parser

    cjk = re.compile(r"[\u4e00-\u9fff]")
    for parser in _parsers(build_parser()):
        helps = [a.help for a in parser._actions if a.help not in (None, argparse.SUPPRESS)]
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                helps += [c.help for c in action._choices_actions]
        english = [h for h in helps if not cjk.search(h)]
        assert not english, (parser.prog, english)
        page = parser.format_help()
        assert page.startswith("用法：") and "显示本帮助并退出" in page, parser.prog
        assert "usage:" not in page and "options:" not in page and "show this help" not in page, parser.prog
        # …and no help text in English with a Chinese word stuck on (the old "supervisor: … 值班台账")
        assert not re.search(r"\b(the|of|for|and|from|into|with|instead)\b", page), (parser.prog, page)


ARGPARSE_ENGLISH = re.compile(r"usage:|error:|Traceback|argument|required|invalid|choose from|unrecognized|"
                              r"expected|ambiguous|could match|ignored explicit|not allowed")


@pytest.mark.parametrize(("argv", "said"), [
    (["enrol"], "clerk enrol：缺少必填参数：url, code"),
    (["report", "--period", "week"], "clerk report：参数 --period 的值 'week' 无效，可选："),
    (["bogus"], "clerk：参数 命令 的值 'bogus' 无效，可选：'tui'"),
    (["sync", "--bogus"], "clerk：无法识别的参数：--bogus"),
    (["simulate", "--days", "x"], "clerk simulate：参数 --days 须为整数：'x'"),
    (["serve", "--hours", "1"], "clerk：无法识别的参数：--hours 1"),
    (["enrol-code", "--hours", "soon", "--centre", "c"], "clerk enrol-code：参数 --hours 须为数字：'soon'"),
    (["enrol-code", "--centre"], "clerk enrol-code：参数 --centre 后须跟一个值"),
    (["enrol-code", "--h", "2"], "clerk enrol-code：参数 --h 不明确，可能是：--help, --hours"),
    (["init", "--reset-lines=yes"], "clerk init：参数 --reset-lines 不带值，却给了 'yes'"),
    (["report", "--window", "1", "--staff", "s"], "参数 --staff 不能与 --window 同时使用"),
], ids=["missing", "choice", "command", "unknown", "int", "option-of-another", "float", "no-value", "ambiguous",
        "flag-value", "exclusive"])
def test_a_mistyped_command_line_is_answered_in_chinese(argv, said):
    run = subprocess.run([sys.executable, "-m", "cli.main", *argv], capture_output=True, text=True, cwd=REPO_ROOT)
    assert run.returncode == 2, run.stderr
    assert run.stderr.startswith("用法：clerk") and said in run.stderr, run.stderr
    assert not ARGPARSE_ENGLISH.search(run.stderr), run.stderr
    assert run.stdout == ""


def count_items(path) -> int:
    store = Store.sqlite(path)
    with store.session() as s:
        n = s.exec(select(func.count()).select_from(ServiceItem)).one()
    store.dispose()
    return n


def test_init_loads_fixtures_and_a_broken_file_changes_nothing(tmp_path, monkeypatch, capsys):
    db = tmp_path / "counter.sqlite3"
    fixtures = tmp_path / "fixtures"
    shutil.copytree(REPO_ROOT / "fixtures", fixtures)
    monkeypatch.setenv("CLERK_STORE_PATH", str(db))
    monkeypatch.setenv("CLERK_FIXTURES_PATH", str(fixtures))
    assert main(["init"]) == 0
    loaded = count_items(db)
    assert loaded >= 12
    assert "已载入" in capsys.readouterr().out

    item = sorted((fixtures / "items").glob("*.toml"))[0]
    item.write_text(item.read_text(encoding="utf-8").replace("case_type", "case_kind", 1), encoding="utf-8")
    assert main(["init"]) == 2
    err = capsys.readouterr().err
    assert item.name in err and "case_kind" in err
    assert count_items(db) == loaded


def test_spool_sends_what_waits_and_says_why_not(tmp_path, monkeypatch, capsys):
    from printing.spool import Spool

    spool = Spool(tmp_path / "spool")
    spool.add(b"%PDF-1.4 left by a power cut")
    monkeypatch.setenv("CLERK_PRINTING_SPOOL_DIR", str(tmp_path / "spool"))
    monkeypatch.setenv("CLERK_PRINTING_PDF_PRINT_COMMAND", "no-such-print-program -- {file}")
    assert main(["spool"]) == 1
    assert "找不到打印命令" in capsys.readouterr().err and len(spool.jobs("pending")) == 1
    out = tmp_path / "paper.pdf"
    monkeypatch.setenv("CLERK_PRINTING_PDF_PRINT_COMMAND", f"cp {{file}} {out}")
    assert main(["spool"]) == 0
    assert "已送打印机 1 份" in capsys.readouterr().out
    assert out.read_bytes() == b"%PDF-1.4 left by a power cut" and spool.jobs("pending") == []


def test_devices_without_a_central_store_refuses_and_creates_nothing(tmp_path, capsys):
    central = tmp_path / "central.sqlite3"
    assert main(["devices", "--database-url", f"sqlite:///{central}"]) == 2
    err = capsys.readouterr().err
    assert "中心库不存在" in err and str(central) in err
    assert not central.exists() and list(tmp_path.iterdir()) == []


def test_devices_says_when_there_are_none(tmp_path, capsys):
    from clerk.central import state

    url = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    store = Store.url(url)
    state.prepare(store)  # an empty central store, as `clerk serve` leaves it
    assert main(["devices", "--database-url", url]) == 0
    assert capsys.readouterr().out.strip() == "尚无设备登记到中心库（clerk enrol-code 生成登记码）"
    store.dispose()
