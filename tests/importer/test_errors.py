"""What the importer refuses: a clear InputError naming the file and the line, and no output."""

from __future__ import annotations

import docx
import pytest

from dondoc.errors import InputError
from dondoc.facts.importer import import_document


def refuse(path) -> InputError:
    with pytest.raises(InputError) as caught:
        import_document(path)
    error = caught.value
    assert error.path == str(path)
    return error


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("")
    error = refuse(path)
    assert error.line == 1 and "rỗng" in error.message


def test_blank_file(tmp_path):
    path = tmp_path / "blank.md"
    path.write_text("\n \n\t\n")
    assert "rỗng" in refuse(path).message


def test_binary_file(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    error = refuse(path)
    assert error.line == 1 and "nhị phân" in error.message


def test_not_utf8(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes("KẾ HOẠCH\nnăm 2026\n".encode("utf-8") + b"\xff\xfe\xfa abc\n")
    error = refuse(path)
    assert error.line == 3 and "UTF-8" in error.message


def test_not_a_plan(tmp_path):
    path = tmp_path / "thong-bao.txt"
    path.write_text("ỦY BAN NHÂN DÂN\nXÃ AN LẠC\n\nTHÔNG BÁO\nVề việc nghỉ lễ năm 2026\n", encoding="utf-8")
    error = refuse(path)
    assert "không phải kế hoạch" in error.message and error.line == 1


def test_a_plan_with_no_year(tmp_path):
    path = tmp_path / "no-year.txt"
    path.write_text("KẾ HOẠCH\nCải cách hành chính\n\nI. MỤC TIÊU\n", encoding="utf-8")
    error = refuse(path)
    assert "năm" in error.message and error.line == 1


def test_table_with_no_task_column(tmp_path):
    path = tmp_path / "no-task-column.txt"
    path.write_text(
        "KẾ HOẠCH\nCải cách hành chính năm 2026\n\nPHỤ LỤC\n"
        "TT\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian thực hiện\n"
        "1\tPhòng Kinh tế\tCông an xã\tQuý I/2026\n",
        encoding="utf-8",
    )
    error = refuse(path)
    assert error.line == 5 and "cột nhiệm vụ" in error.message


def test_docx_table_with_no_task_column(tmp_path):
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Cải cách hành chính năm 2026")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["STT", "Cơ quan chủ trì", "Thời hạn hoàn thành"]):
        cell.text = text
    path = tmp_path / "plan.docx"
    document.save(str(path))
    error = refuse(path)
    assert error.line == 3 and "cột nhiệm vụ" in error.message


def test_broken_docx(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    assert "Word" in refuse(path).message


def test_old_word_format(tmp_path):
    path = tmp_path / "plan.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    assert ".doc" in refuse(path).message


def test_a_folder(tmp_path):
    assert "thư mục" in refuse(tmp_path).message


def test_missing_file(tmp_path):
    assert "không đọc được" in refuse(tmp_path / "missing.txt").message
