"""Resource bounds (limits.py): every reader refuses an input past its bound, before the work
grows, with exit 2 naming the file, the bound and its setting (DONDOC_LIMIT_*); an input at
the bound is read. Each bound is tested at the bound and one past it (lowered through its
environment variable, so that the test is small), and the issue's hostile file at the default.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest

from dondoc import limits
from dondoc.errors import BoundError, InputError
from dondoc.facts.importer import import_document
from tests.hostile import bombs
from tests.test_intake import run

HERE = Path(__file__).resolve().parent
BASE = HERE / "base"
office = pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed (make test installs it)")


def bound_error(result, path: Path, name: str) -> str:
    """The command ended with exit 2 on ``name``'s bound, naming the file and the setting."""
    assert result.exit_code == 2, result.output
    assert str(path) in result.output and "vượt giới hạn" in result.output, result.output
    assert limits.LIMITS[name].env in result.output, result.output
    assert "Traceback" not in result.output
    return result.output


def test_every_bound_has_a_default_and_an_environment_variable(monkeypatch):
    for spec in limits.LIMITS.values():
        assert spec.default > 0 and spec.env == "DONDOC_LIMIT_" + spec.name.upper()
        assert limits.limit(spec.name) == spec.default
    monkeypatch.setenv("DONDOC_LIMIT_PDF_PAGES", "12")
    assert limits.limit("pdf_pages") == 12
    monkeypatch.setenv("DONDOC_LIMIT_PDF_PAGES", "nhiều")
    with pytest.raises(InputError) as caught:
        limits.limit("pdf_pages")
    assert caught.value.path == "DONDOC_LIMIT_PDF_PAGES"


# -- workbooks --------------------------------------------------------------------------------------


def test_a_workbook_with_one_cell_at_the_last_row_is_refused_at_once(plan, book, tmp_path):
    """The issue's 10 KB workbook: before, 41 s and 2.3 GB (every row up to 1,048,576 made)."""
    far = bombs.far_cell(book, tmp_path / "xa.xlsx", 1_048_576)
    assert far.stat().st_size < 20_000
    output = bound_error(run("intake", "read", far, "--plan", plan), far, "xlsx_rows")
    assert "sheet 'Chỉ tiêu'" in output and "1.048.576" in output


@pytest.mark.parametrize("name, where", [("xlsx_rows", (40, 12)), ("xlsx_columns", (2, 40))])
def test_a_sheet_at_its_bound_is_read_and_one_past_it_refused(plan, book, tmp_path, monkeypatch, name, where):
    monkeypatch.setenv(limits.LIMITS[name].env, "40")
    row, column = where
    at = bombs.far_cell(book, tmp_path / "at.xlsx", row, column)  # a cell outside the read columns
    assert run("intake", "read", at, "--plan", plan).exit_code == 0
    past = bombs.far_cell(book, tmp_path / "past.xlsx", row + (name == "xlsx_rows"), column + (name == "xlsx_columns"))
    bound_error(run("intake", "read", past, "--plan", plan), past, name)


def test_a_zip_bomb_of_a_workbook_is_refused_before_it_is_inflated(plan, book, tmp_path):
    """A workbook of a few KB that unpacks to 64 MB (the issue's 2.5 MB one unpacked past 3.7 GB)."""
    bomb = bombs.inflated(book, tmp_path / "bom.xlsx", "worksheets/sheet3.xml", 64 << 20)
    assert bomb.stat().st_size < 300_000
    bound_error(run("intake", "read", bomb, "--plan", plan), bomb, "xlsx_bytes")


def test_a_workbook_at_its_unpacked_bound_is_read_and_one_byte_past_refused(plan, book, tmp_path, monkeypatch):
    with zipfile.ZipFile(book) as archive:
        size = sum(i.file_size for i in archive.infolist())
    monkeypatch.setenv("DONDOC_LIMIT_XLSX_BYTES", str(size))
    assert run("intake", "read", book, "--plan", plan).exit_code == 0
    monkeypatch.setenv("DONDOC_LIMIT_XLSX_BYTES", str(size - 1))
    bound_error(run("intake", "read", book, "--plan", plan), book, "xlsx_bytes")


# -- documents --------------------------------------------------------------------------------------


def imported(path: Path):
    """``dondoc import`` of one file: its exit status and what it said."""
    return run("import", path, "--json")


def test_a_pdf_of_2000_pages_is_refused_before_a_page_is_read(tmp_path):
    """The issue's 474 KB PDF of 2,000 pages: before, a MemoryError traceback (pages kept)."""
    pdf = bombs.pdf_pages(tmp_path / "2000.pdf", 2000, lines=100)
    assert pdf.stat().st_size < 500_000
    output = bound_error(imported(pdf), pdf, "pdf_pages")
    assert "số trang 2.000" in output


def test_a_pdf_at_its_page_bound_is_read_and_one_page_past_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("DONDOC_LIMIT_PDF_PAGES", "3")
    at = imported(bombs.pdf_pages(tmp_path / "3.pdf", 3))
    assert at.exit_code == 2 and "vượt giới hạn" not in at.output and "không phải kế hoạch" in at.output, at.output
    past = bombs.pdf_pages(tmp_path / "4.pdf", 4)
    bound_error(imported(past), past, "pdf_pages")


def test_each_pdf_page_is_let_go_once_read(tmp_path, monkeypatch):
    """Pages are released as read (page.close): memory stays that of one page. Measured (one
    shared page of 9,000 characters): 20 and 60 pages took 425 MB and 1.15 GB before, 95 MB
    both after."""
    import pdfplumber.page

    from dondoc.facts.importer import pdf as reader

    events: list[tuple[str, int]] = []
    close, items = pdfplumber.page.Page.close, reader._page_items
    monkeypatch.setattr(pdfplumber.page.Page, "close", lambda self: (events.append(("close", self.page_number)), close(self))[1])
    monkeypatch.setattr(reader, "_page_items", lambda page: (events.append(("read", page.page_number)), items(page))[1])
    with pytest.raises(InputError):
        import_document(bombs.pdf_pages(tmp_path / "5.pdf", 5, lines=3))
    assert events[:10] == [(what, n) for n in range(1, 6) for what in ("read", "close")]


def test_a_word_file_of_200000_paragraphs_is_refused_before_they_are_read(tmp_path):
    """The issue's 58 KB file: before, more than 5 minutes."""
    word = bombs.docx_paragraphs(tmp_path / "200000.docx", 200_000)
    assert word.stat().st_size < 100_000
    assert "200.000" in bound_error(imported(word), word, "docx_paragraphs")


def test_a_word_file_at_its_paragraph_bound_is_read_and_one_past_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("DONDOC_LIMIT_DOCX_PARAGRAPHS", "100")
    at = imported(bombs.docx_paragraphs(tmp_path / "100.docx", 100))
    assert at.exit_code == 2 and "vượt giới hạn" not in at.output, at.output  # read: no plan in it
    past = bombs.docx_paragraphs(tmp_path / "101.docx", 101)
    bound_error(imported(past), past, "docx_paragraphs")


def test_a_zip_bomb_of_a_word_file_is_refused_before_it_is_inflated(tmp_path, monkeypatch):
    word = bombs.docx_paragraphs(tmp_path / "p.docx", 10)
    with zipfile.ZipFile(word) as archive:
        size = sum(i.file_size for i in archive.infolist())
    monkeypatch.setenv("DONDOC_LIMIT_DOCX_BYTES", str(size))
    assert "vượt giới hạn" not in imported(word).output
    monkeypatch.setenv("DONDOC_LIMIT_DOCX_BYTES", str(size - 1))
    bound_error(imported(word), word, "docx_bytes")
    monkeypatch.delenv("DONDOC_LIMIT_DOCX_BYTES")
    bomb = bombs.inflated(word, tmp_path / "bom.docx", "document.xml", 101 << 20)
    bound_error(imported(bomb), bomb, "docx_bytes")


def test_a_document_at_its_size_bound_is_read_and_one_byte_past_refused(tmp_path, monkeypatch):
    text = tmp_path / "ke-hoach.txt"
    text.write_text("KẾ HOẠCH\n" + "x" * 100, encoding="utf-8")
    monkeypatch.setenv("DONDOC_LIMIT_DOCUMENT_BYTES", str(text.stat().st_size))
    assert "vượt giới hạn" not in imported(text).output
    monkeypatch.setenv("DONDOC_LIMIT_DOCUMENT_BYTES", str(text.stat().st_size - 1))
    bound_error(imported(text), text, "document_bytes")


def test_a_fifo_given_as_a_document_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "ke-hoach.txt"
    os.mkfifo(fifo)
    result = imported(fifo)
    assert result.exit_code == 2 and "không phải tệp thường" in result.output, result.output


# -- old Word files through LibreOffice -------------------------------------------------------------


@pytest.fixture(scope="module")
def old_word(tmp_path_factory) -> Path:
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    from tests.importer.test_pdf import convert

    folder = tmp_path_factory.mktemp("doc")
    word = folder / "ke-hoach.docx"
    import docx

    document = docx.Document()
    for line in ("ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM", "Số: 07/KH-UBND", "KẾ HOẠCH", "Thử nghiệm năm 2026"):
        document.add_paragraph(line)
    document.save(str(word))
    return convert(word, "doc:MS Word 97")


def _ours_running(marker: str) -> list[str]:
    """Processes whose command line names ``marker`` (this test's own temporary folder)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if marker in cmdline:
            found.append(f"{pid}: {cmdline[:200]}")
    return found


@office
def test_an_old_word_file_whose_name_opens_with_a_dash_is_converted(old_word, tmp_path, monkeypatch):
    """Before: LibreOffice read '-ke-hoach.doc' as an option and waited 300 s."""
    dashed = tmp_path / "-ke-hoach.doc"
    shutil.copy(old_word, dashed)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = run("import", "--json", "--", "-ke-hoach.doc")
    assert "LibreOffice" not in result.output and "vượt giới hạn" not in result.output, result.output
    assert '"plan"' in result.output or "không phải kế hoạch" in result.output or result.exit_code == 0, result.output
    assert _ours_running(str(tmp_path)) == []


def test_a_conversion_past_its_time_is_stopped_with_every_process_it_started(tmp_path, monkeypatch):
    # A stand-in for LibreOffice that never finishes and starts a process of its own, as
    # soffice starts soffice.bin. The real one converts in about a second on a quiet machine, so
    # a one-second bound against it passed or failed by load.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stand_in = bin_dir / "soffice"
    stand_in.write_text("#!/bin/sh\nsh -c 'sleep 300; :' child \"$@\" &\nsleep 300\n:\n", encoding="utf-8")
    stand_in.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("DONDOC_LIMIT_DOC_SECONDS", "1")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(work))
    old = tmp_path / "ke-hoach.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    bound_error(imported(old), old, "doc_seconds")
    assert _ours_running(str(work)) == []  # neither the stand-in nor what it started is left running


# -- folders walked ---------------------------------------------------------------------------------


def test_rules_at_the_root_of_the_disk_are_refused_at_once():
    """Before: `--rules /` walked the whole filesystem."""
    for args in (["rules", "check", "/"], ["rules", "list", "--rules", "/"], ["rules", "test", "--rules", "/"]):
        result = run(*args)
        assert result.exit_code == 2 and "thư mục gốc" in result.output, (args, result.output)


def test_a_rules_folder_at_its_entry_bound_is_read_and_one_past_refused(tmp_path, monkeypatch):
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "a.yaml").write_text(
        'rules:\n  - id: rieng\n    title: Riêng\n    fact: task\n    condition: days_overdue > 0\n'
        '    severity: cảnh báo\n    message: "x"\n', encoding="utf-8")
    for i in range(4):
        (folder / f"ghi-chu-{i}.txt").write_text("", encoding="utf-8")
    # Python's bytecode is not counted (the shipped rules/ has an __init__.py, so a checkout run
    # without PYTHONDONTWRITEBYTECODE grows a __pycache__ there, walked by the same function)
    (folder / "__pycache__").mkdir()
    for i in range(3):
        (folder / "__pycache__" / f"a-{i}.pyc").write_bytes(b"")
    monkeypatch.setenv("DONDOC_LIMIT_FOLDER_ENTRIES", "5")
    assert run("rules", "check", folder).exit_code == 0
    (folder / "ghi-chu-4.txt").write_text("", encoding="utf-8")
    bound_error(run("rules", "check", folder), folder, "folder_entries")


def test_the_root_of_the_disk_as_out_is_refused_at_once(tmp_path):
    """Before: `--out /` walked the whole filesystem looking for files dondoc did not write."""
    result = run("check", BASE, "--as-of", "2026-11-22", "--out", "/")
    assert result.exit_code == 2 and "--out là thư mục gốc" in result.output, result.output
    result = run("intake", "template", BASE, "--out", "/")
    assert result.exit_code == 2 and "thư mục gốc" in result.output, result.output


def test_a_big_folder_that_is_not_ours_is_refused_without_walking_it(tmp_path, monkeypatch):
    out = tmp_path / "nha"
    for i in range(50):
        (out / f"d{i}").mkdir(parents=True)
        (out / f"d{i}" / "x.txt").write_text("", encoding="utf-8")
    walked: list[str] = []
    real = os.lstat
    monkeypatch.setattr(os, "lstat", lambda p, *a, **k: (walked.append(str(p)), real(p, *a, **k))[1])
    result = run("check", BASE, "--as-of", "2026-11-22", "--out", out)
    assert result.exit_code == 2 and "và các tệp khác" in result.output, result.output
    assert len([p for p in walked if p.startswith(str(out)) and p.endswith("x.txt")]) < 10  # of 50


def test_bound_errors_are_input_errors_with_exit_2():
    assert issubclass(BoundError, InputError) and BoundError.exit_code == 2
