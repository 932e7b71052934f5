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
