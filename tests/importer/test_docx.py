"""Word documents: .docx built from each seed at test time reads the same as the seed's text."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from dondoc.facts.importer import import_document
from tests.importer.conftest import SEEDS
from tests.importer.docx_fixtures import seed_to_docx


def comparable(result) -> dict:
    """Everything but line numbers (a Word file counts paragraphs and rows, not text lines)."""
    data = result.as_json()
    for task in data["tasks"]:
        task.pop("source_line")
    data["warnings"] = sorted(w["code"] for w in data["warnings"])
    return data


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_docx_reads_like_the_text(imported, key, tmp_path):
    path = seed_to_docx(SEEDS[key].read_text(encoding="utf-8"), tmp_path / f"{key}.docx")
    assert comparable(import_document(path)) == comparable(imported[key])


def test_fixture_has_real_tables_and_merged_section_rows(tmp_path):
    path = seed_to_docx(SEEDS["002"].read_text(encoding="utf-8"), tmp_path / "002.docx")
    document = docx.Document(str(path))
    assert len(document.tables) > 1  # one Word table per page, as converted files have them
    section = document.tables[0].rows[1]
    assert len(section._tr.tc_lst) == 2  # "I" and its title merged across the other columns


def _plan(tmp_path: Path, rows: list[list[str]], header_table: bool = True, sub_header: bool = False) -> Path:
    """A small plan as an official would write it in Word: layout table, then the appendix."""
    document = docx.Document()
    if header_table:
        layout = document.add_table(rows=2, cols=2)
        layout.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nXÃ AN LẠC"
        layout.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
        layout.cell(1, 0).text = "Số: 15/KH-UBND"
        layout.cell(1, 1).text = "An Lạc, ngày 02 tháng 02 năm 2026"
    document.add_paragraph("KẾ HOẠCH").runs[0].bold = True
    document.add_paragraph("Chuyển đổi số năm 2026")
    document.add_paragraph("I. MỤC TIÊU")
    document.add_paragraph("- Tỷ lệ hồ sơ trực tuyến đạt tối thiểu 70%.")
    document.add_paragraph("II. NHIỆM VỤ")
    table = document.add_table(rows=0, cols=5)
    head = ["TT", "Nội dung", "Đơn vị thực hiện", "", "Thời hạn"]
    for values in ([head, ["", "", "Chủ trì", "Phối hợp", ""]] if sub_header else [
        ["TT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn"]
    ]) + rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            lines = value.split("\n")
            cell.paragraphs[0].text = lines[0]
            for more in lines[1:]:
                cell.add_paragraph(more)
    path = tmp_path / "plan.docx"
    document.save(str(path))
    return path


def test_layout_table_and_units_one_per_line(tmp_path):
    path = _plan(
        tmp_path,
        [["1", "Rà soát thủ tục", "Phòng Kinh tế\nCông an xã", "Các thôn", "Quý II/2026"]],
    )
    result = import_document(path)
    plan = result.folder.plan
    assert (plan.issuer, plan.number, plan.issued.isoformat()) == ("UBND xã An Lạc", "15/KH-UBND", "2026-02-02")
    [task] = result.folder.tasks
    assert task.lead == ["Phòng Kinh tế", "Công an xã"]
    assert task.deadline.due.isoformat() == "2026-06-30"
    [target] = result.folder.targets
    assert (target.comparison.value, target.value) == (">=", 70)


def test_two_row_header(tmp_path):
    path = _plan(tmp_path, [["1", "Rà soát", "Phòng Kinh tế", "Văn phòng HĐND và UBND xã", "Tháng 5/2026"]], sub_header=True)
    [task] = import_document(path).folder.tasks
    assert task.lead == ["Phòng Kinh tế"] and task.coordinating == ["Văn phòng HĐND và UBND xã"]


# -- Word's automatic numbering (issue 10) -------------------------------------------------------


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_word_numbering_reads_like_typed_numbers(imported, key, tmp_path):
    path = seed_to_docx(SEEDS[key].read_text(encoding="utf-8"), tmp_path / f"{key}.docx", word_numbering=True)
    assert comparable(import_document(path)) == comparable(imported[key])


def test_the_numbered_fixture_has_no_typed_numbers_left(tmp_path):
    """The fixture is what Word makes: the number is in numbering.xml, not in the text."""
    path = seed_to_docx(SEEDS["000"].read_text(encoding="utf-8"), tmp_path / "000.docx", word_numbering=True)
    document = docx.Document(str(path))
    numbered = [p for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert len(numbered) > 20
    assert not any(p.text.lstrip("*").startswith(("II.", "1.", "a)", "- ")) for p in numbered)
    tt = [row.cells[0] for table in document.tables for row in table.rows[1:]]
    assert tt and all(cell.text == "" for cell in tt if cell.paragraphs[0]._p.pPr is not None and cell.paragraphs[0]._p.pPr.numPr is not None)


def test_without_resolving_numbering_the_plan_would_not_read(tmp_path, monkeypatch):
    """The guard: with Word's numbers dropped (what python-docx alone gives), seed 000 loses its
    task numbers. The resolver is what reads them."""
    from dondoc.facts.importer import numbering

    path = seed_to_docx(SEEDS["000"].read_text(encoding="utf-8"), tmp_path / "000.docx", word_numbering=True)
    numbers = [t.number for t in import_document(path).folder.tasks]
    assert numbers[:3] == ["1", "2", "3"]
    monkeypatch.setattr(numbering.Numbering, "label", lambda self, paragraph: "")
    assert [t.number for t in import_document(path).folder.tasks] != numbers


def test_numbering_formats_and_restarts():
    from dondoc.facts.importer.numbering import format_number

    assert [format_number(n, "lowerLetter") for n in (1, 2, 26, 27)] == ["a", "b", "z", "aa"]
    assert [format_number(n, "upperRoman") for n in (1, 4, 9, 14)] == ["I", "IV", "IX", "XIV"]
    assert format_number(3, "decimalZero") == "03"


@pytest.mark.skipif(not __import__("shutil").which("soffice"), reason="LibreOffice is not installed (make test installs it)")
def test_libreoffice_draws_the_same_numbers(tmp_path):
    """A second reading: LibreOffice, converting the Word-numbered file to text, draws the same
    list numbers in front of the same paragraphs as the resolver."""
    import re
    import subprocess

    from dondoc.facts.importer.clean import squeeze
    from dondoc.facts.importer.docx import read_docx
    from dondoc.facts.importer.document import Para

    path = seed_to_docx(SEEDS["003"].read_text(encoding="utf-8"), tmp_path / "003.docx", word_numbering=True)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "txt:Text", "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=180,
    )
    lines = (tmp_path / "003.txt").read_text(encoding="utf-8-sig").splitlines()
    # a bullet is drawn with the font's bullet; the reader writes every bullet as "-"
    drawn = {re.sub(r"^[•▪◦·]", "-", squeeze(line)) for line in lines}
    document = docx.Document(str(path))
    numbered = {squeeze(p.text) for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None}
    ours = [b.text for b in read_docx(path).blocks if isinstance(b, Para)]
    labelled = [t for t in ours if any(t.endswith(n) and t != n for n in numbered if n)]
    assert len(labelled) > 20
    missing = [t for t in labelled if t not in drawn]
    assert not missing, missing[:5]


def test_multilevel_word_numbering_restarts_the_deeper_level(tmp_path):
    """'1.', '1.1.', '1.2.', '2.', '2.1.': a level under another starts again when it moves on."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    from dondoc.facts.importer.docx import read_docx

    document = docx.Document()
    root = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="{t}"/></w:lvl>'
        for i, t in enumerate(("%1.", "%1.%2."))
    )
    root.find(qn("w:num")).addprevious(
        parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="77">{levels}</w:abstractNum>')
    )
    root.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="77"><w:abstractNumId w:val="77"/></w:num>'))
    for level, text in ((0, "Mục một"), (1, "Ý một"), (1, "Ý hai"), (0, "Mục hai"), (1, "Ý ba")):
        numpr = document.add_paragraph(text)._p.get_or_add_pPr().get_or_add_numPr()
        numpr.get_or_add_ilvl().val = level
        numpr.get_or_add_numId().val = 77
    document.save(str(tmp_path / "list.docx"))
    texts = [b.text for b in read_docx(tmp_path / "list.docx").blocks]
    assert texts == ["1. Mục một", "1.1. Ý một", "1.2. Ý hai", "2. Mục hai", "2.1. Ý ba"]
