"""Text PDFs (pdfplumber) and old .doc files (LibreOffice): read like the Word file they came from.

The PDF is made at test time the way offices make theirs: the seed as a Word file (Times New
Roman, ruled tables, Word's own list numbers), printed to PDF by LibreOffice headless.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from dondoc.errors import InputError
from dondoc.facts.importer import import_document
from tests.importer.conftest import SEEDS
from tests.importer.docx_fixtures import seed_to_docx

office = pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed (make test installs it)")


def convert(path: Path, to: str) -> Path:
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(path.parent / 'lo-profile').as_uri()}", "--headless",
         "--convert-to", to, "--outdir", str(path.parent), str(path)],
        check=True, capture_output=True, timeout=300,
    )
    return path.with_suffix("." + to.split(":")[0])


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory) -> Path:
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("pdf")
    word = seed_to_docx(SEEDS["000"].read_text(encoding="utf-8"), folder / "000.docx", word_numbering=True)
    return convert(word, "pdf")


@office
def test_a_text_pdf_reads_like_the_text(imported, seed_pdf):
    want, got = imported["000"], import_document(seed_pdf)
    assert got.folder.plan == want.folder.plan
    assert [t.model_dump(exclude={"source_line"}) for t in got.folder.tasks] == [
        t.model_dump(exclude={"source_line"}) for t in want.folder.tasks
    ]
    assert [t.model_dump(exclude={"source_line"}) for t in got.folder.targets] == [
        t.model_dump(exclude={"source_line"}) for t in want.folder.targets
    ]
    assert got.folder.units == want.folder.units
    assert sorted(w.code for w in got.warnings) == sorted(w.code for w in want.warnings)


def test_a_scanned_pdf_says_it_has_no_text_layer(tmp_path):
    from PIL import Image

    scan = tmp_path / "ke-hoach-scan.pdf"
    Image.new("RGB", (595, 842), "white").save(scan)  # a page that is only a picture
    with pytest.raises(InputError) as caught:
        import_document(scan)
    assert "bản quét" in caught.value.message and "OCR" in (caught.value.hint or "")


def test_a_damaged_pdf_is_bad_input(tmp_path):
    bad = tmp_path / "hong.pdf"
    bad.write_bytes(b"%PDF-1.4\n this is not a pdf body")
    with pytest.raises(InputError):
        import_document(bad)


@office
def test_an_old_word_file_is_converted_by_libreoffice(imported, tmp_path):
    word = seed_to_docx(SEEDS["000"].read_text(encoding="utf-8"), tmp_path / "000.docx")
    old = convert(word, "doc:MS Word 97")
    assert old.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    got = import_document(old)
    assert [(t.id, t.lead, t.deadline.phrase) for t in got.folder.tasks] == [
        (t.id, t.lead, t.deadline.phrase) for t in imported["000"].folder.tasks
    ]


def test_an_old_word_file_without_libreoffice_says_what_to_install(tmp_path, monkeypatch):
    old = tmp_path / "ke-hoach.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(InputError) as caught:
        import_document(old)
    assert "LibreOffice" in caught.value.message
