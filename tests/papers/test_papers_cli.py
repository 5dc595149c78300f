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


def test_the_papers_take_codes_seals_review_organ_and_court_from_the_reference_data(tmp_path, monkeypatch):
    """Nothing of the demo centre is written into the code: edit the files, the papers follow."""
    fixtures = tmp_path / "fixtures"
    shutil.copytree(REPO_ROOT / "fixtures", fixtures)
    depts = fixtures / "departments.toml"
    text = depts.read_text(encoding="utf-8")
    for old, new in (('doc_code = "示范县残联"\nreview_organ = "示范县人民政府"\ncourt = "示范县人民法院"',
                      'doc_code = "样县残联"\nreview_organ = "样县人民政府"\ncourt = "样市铁路运输法院"'),):
        assert old in text
        text = text.replace(old, new)
    depts.write_text(text, encoding="utf-8")
    county = fixtures / "centres" / "demo-county.toml"
    county.write_text(county.read_text(encoding="utf-8").replace('doc_code = "示范县政服"', 'doc_code = "样县政服"'),
                      encoding="utf-8")
    monkeypatch.setenv("CLERK_FIXTURES_PATH", str(fixtures))
    assert main(["documents", "--demo", str(tmp_path / "county")]) == 0
    papers = {path.stem.split("_", 1)[1]: text_of(path.read_bytes()) for path in (tmp_path / "county").glob("*.pdf")}
    refusal = papers[KINDS["refusal"].title]
    assert "样县人民政府" in refusal and "样市铁路运输法院" in refusal
    assert f"样县残联{KINDS['refusal'].type_code}〔" in refusal
    assert f"样县政服{KINDS['receipt'].type_code}〔" in papers[KINDS["receipt"].title]
    assert "示范县政务服务中心行政审批专用章" in papers[KINDS["receipt"].title]

    monkeypatch.setenv("CLERK_CENTRE_CODE", "demo-township")
    assert main(["documents", "--demo", str(tmp_path / "township")]) == 0
    receipt = next((tmp_path / "township").glob(f"*_{KINDS['receipt'].title}.pdf"))
    text = text_of(receipt.read_bytes())
    assert "示范镇便民服务中心审核审批专用章" in text and f"示范镇便民{KINDS['receipt'].type_code}〔" in text
