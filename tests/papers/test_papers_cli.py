"""`clerk documents --demo DIR` (one specimen of every paper) and `clerk spool` for the A4 spool."""

from __future__ import annotations

import shutil

from pdf_checks import text_of

from clerk.config import REPO_ROOT
from clerk.papers.kinds import KINDS
from cli.main import main


def test_one_specimen_of_every_kind_with_the_centres_names_and_phones(tmp_path, capsys):
    assert main(["documents", "--demo", str(tmp_path / "proofs")]) == 0
    said = capsys.readouterr().out
    written = sorted((tmp_path / "proofs").glob("*.pdf"))
    assert len(written) == len(KINDS) and f"已生成 {len(KINDS)} 份文书样张" in said
    titles = [path.stem.split("_", 1)[1] for path in written]
    assert titles == [kind.title for kind in KINDS.values()]
    for path in written:
        text = text_of(path.read_bytes())
        assert "样张" in text and "示范县政务服务中心" in text and "0000-12345679" in text  # centre, supervision phone


def test_another_centre_proofs_its_own_papers(tmp_path, monkeypatch, capsys):
    fixtures = tmp_path / "fixtures"
    shutil.copytree(REPO_ROOT / "fixtures", fixtures)
    monkeypatch.setenv("CLERK_FIXTURES_PATH", str(fixtures))
    monkeypatch.setenv("CLERK_CENTRE_CODE", "demo-township")
    assert main(["documents", "--demo", str(tmp_path / "proofs")]) == 0
    first = sorted((tmp_path / "proofs").glob("*.pdf"))[0]
    assert "示范镇便民服务中心" in text_of(first.read_bytes())


def test_an_unwritable_folder_gets_a_clear_message(tmp_path, capsys):
    blocker = tmp_path / "proofs"
    blocker.write_text("a file, not a folder")
    assert main(["documents", "--demo", str(blocker / "2026")]) == 2
    err = capsys.readouterr().err
    assert f"无法写入目录：{blocker / '2026'}（路径中有同名文件，不是文件夹）" in err


def test_an_unknown_centre_is_named(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CLERK_CENTRE_CODE", "nowhere")
    assert main(["documents", "--demo", str(tmp_path)]) == 2
    assert "基础数据中没有中心 nowhere" in capsys.readouterr().err


def test_clerk_spool_sends_the_papers_left_waiting(tmp_path, monkeypatch, capsys):
    from printing.spool import Spool

    spool_dir, out = tmp_path / "spool", tmp_path / "hot-folder"
    Spool(spool_dir / "a4").add(b"%PDF-1.4 left", "业务受理通知书_示范县政服受〔2026〕5号")
    monkeypatch.setenv("CLERK_PRINTING_SPOOL_DIR", str(spool_dir))
    monkeypatch.setenv("CLERK_PRINTING_A4_PRINTER", f"folder:{out}")
    monkeypatch.setenv("CLERK_PRINTING_PDF_PRINT_COMMAND", "")
    assert main(["spool"]) == 0
    assert (out / "业务受理通知书_示范县政服受〔2026〕5号.pdf").read_bytes() == b"%PDF-1.4 left"
    assert "A4文书打印队列" in capsys.readouterr().out


def test_clerk_spool_on_an_unwritable_spool_says_so(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "spool"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CLERK_PRINTING_SPOOL_DIR", str(blocker))
    assert main(["spool"]) == 2
    assert f"无法写入打印队列文件夹：{blocker}" in capsys.readouterr().err
