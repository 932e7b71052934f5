"""Hostile cells in the units' workbooks, and hostile text in the workbooks dondoc writes.

Every cell is validated by the models (facts/models.py) and an error is named at its sheet
and cell (exit 2, nothing written); numbers are compared as numbers however written; a
formula the workbook holds no value of is warned with its cell; a text that opens like a
formula is written as text (OWASP); two units whose names make one file name get a
workbook each.
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from dondoc.facts.intake import layout as L
from tests.test_intake import fill, run



def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.name.endswith("dondoc-lock")}


def refused(plan: Path, filled: Path, *words: str) -> str:
    before = snapshot(plan)
    result = run("intake", "read", filled, "--plan", plan)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, result.output
    assert snapshot(plan) == before
    return result.output


@pytest.mark.parametrize("given", ["nan", "inf", "-inf", "NaN"])
def test_nan_or_inf_typed_in_a_number_cell_is_exit_2_at_its_cell(plan, book, tmp_path, given):
    """Before: a pydantic traceback, exit 1."""
    filled = fill(book, {}, {"CT02": {"Giá trị": given, "Ngày đo": dt.date(2026, 11, 5)}}, tmp_path / "f.xlsx")
    refused(plan, filled, "f.xlsx (sheet 'Chỉ tiêu', ô G3): 'Giá trị':", "không phải một số hữu hạn")


def test_an_infinite_number_stored_in_a_cell_is_exit_2_at_its_cell(plan, book, tmp_path):
    """A number cell holding 1e999 (a program's overflow) is read by openpyxl as inf."""
    filled = fill(book, {}, {"CT02": {"Giá trị": 1e300, "Ngày đo": dt.date(2026, 11, 5)}}, tmp_path / "f.xlsx")
    patched = tmp_path / "inf.xlsx"
    with zipfile.ZipFile(filled) as src, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, data.replace(b"1e+300", b"1e999"))
    refused(plan, patched, "inf.xlsx (sheet 'Chỉ tiêu', ô G3)", "không phải một số hữu hạn")


def test_a_count_target_with_numerator_over_denominator_is_exit_2_at_its_cell(plan, book, tmp_path):
    """Before: intake checked numerator > denominator for '%' targets only; the model refused
    the count target's row in a pydantic traceback, exit 1."""
    filled = fill(book, {}, {"CT02": {"Tử số": 12, "Mẫu số": 3, "Ngày đo": dt.date(2026, 11, 5)}}, tmp_path / "f.xlsx")
    refused(plan, filled, "f.xlsx (sheet 'Chỉ tiêu', ô F3): 'Mẫu số': tử số (numerator 12) lớn hơn mẫu số (3)")


def test_a_decimal_comma_in_the_file_is_the_same_number_as_the_workbooks(plan, book, tmp_path):
    """measurements.csv saved by Excel in a Vietnamese locale holds '91,2'; the workbook's 91.2 is
    the same value. Before: reported as a conflict (exit 1)."""
    (plan / "measurements.csv").write_bytes(
        "target;period;value;numerator;denominator;measured_on;source\r\n"
        "CT01;2026;91,2;;;05/11/2026;Hệ thống\r\n".encode("utf-8")
    )
    filled = fill(book, {}, {"CT01": {"Giá trị": 91.2, "Ngày đo": dt.date(2026, 11, 5)}}, tmp_path / "f.xlsx")
    before = snapshot(plan)
    result = run("intake", "read", filled, "--plan", plan)
    assert result.exit_code == 0, result.output
    assert "measurements.csv: thêm 0 dòng, 1 dòng đã có" in result.output
    assert snapshot(plan) == before


def test_a_formula_without_a_saved_value_is_warned_with_its_cell(plan, book, tmp_path):
    """openpyxl saves formulas without computing them; read with data_only, the cell is empty.
    Before: the row was skipped with no word (exit 0, 'thêm 0 dòng')."""
    note = "f.xlsx (sheet 'Chỉ tiêu', ô G3): ô có công thức '=2+3' nhưng sổ không lưu giá trị của nó"
    filled = fill(book, {}, {"CT02": {"Giá trị": "=2+3"}}, tmp_path / "f.xlsx")
    result = run("intake", "read", filled, "--plan", plan)
    assert result.exit_code == 0 and f"cảnh báo: {filled.parent}/{note}" in result.output, result.output
    # with the date measured, the row is refused for want of a number: the note says why
    filled = fill(book, {}, {"CT02": {"Giá trị": "=2+3", "Ngày đo": dt.date(2026, 11, 5)}}, tmp_path / "f.xlsx")
    refused(plan, filled, note, "chưa ghi số liệu")


def test_a_formula_with_its_saved_value_is_read(plan, book, tmp_path):
    """What Excel saves: the formula and its value; the value is what counts, no warning."""
    filled = fill(book, {}, {"CT02": {"Giá trị": "=2+3", "Ngày đo": dt.date(2026, 11, 5)}}, tmp_path / "f.xlsx")
    patched = tmp_path / "saved.xlsx"
    with zipfile.ZipFile(filled) as src, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info).replace(b"<f>2+3</f><v></v>", b"<f>2+3</f><v>5</v>"))
    result = run("intake", "read", patched, "--plan", plan)
    assert result.exit_code == 0 and "cảnh báo" not in result.output, result.output
    assert "CT02,2026,5," in (plan / "measurements.csv").read_text(encoding="utf-8")


# -- what dondoc writes -------------------------------------------------------------------------------


def test_a_title_or_unit_opening_like_a_formula_is_written_as_text(plan, tmp_path):
    """OWASP CSV injection: a cell opening with = + - @, a tab or a carriage return is a formula
    to Excel. Before: the Info sheet wrote the title '=HYPERLINK(...)' as a formula."""
    doc = yaml.safe_load((plan / "plan.yaml").read_text(encoding="utf-8"))
    doc["plan"]["title"] = '=HYPERLINK("http://x.invalid","Bấm")'
    doc["units"].append({"name": "@Phòng Lạ"})
    doc["tasks"][0]["lead"] = ["@Phòng Lạ"]
    doc["tasks"][1]["title"] = "+1 tuyên truyền"
    (plan / "plan.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "books"
    assert run("intake", "template", plan, "--out", out).exit_code == 0
    cells = []
    for path in out.glob("*.xlsx"):
        book = load_workbook(path)
        for sheet in book.worksheets:
            cells += [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in cells if c.value[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert {c.value for c in risky} >= {'=HYPERLINK("http://x.invalid","Bấm")', "@Phòng Lạ", "+1 tuyên truyền"}
    for cell in risky:
        assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, cell.value, cell.data_type)
    # and it still reads back: the Info sheet names the plan as written
    filled = fill(out / "@Phòng Lạ.xlsx", {"1": {"Tình trạng": "đang thực hiện", "Ngày báo cáo": dt.date(2026, 11, 5)}},
                  {}, tmp_path / "f.xlsx")
    assert run("intake", "read", filled, "--plan", plan).exit_code == 0


def test_units_whose_names_make_one_file_name_get_a_workbook_each(plan, tmp_path):
    """'Tổ A/B' and 'Tổ A:B' both made 'Tổ A-B.xlsx': one unit silently got none."""
    doc = yaml.safe_load((plan / "plan.yaml").read_text(encoding="utf-8"))
    names = ["Tổ A/B", "Tổ A:B", "Tổ A*B", "TỔ A?B"]  # four units, one file name (the last on a disk that ignores case)
    doc["units"] += [{"name": name} for name in names]
    doc["tasks"][0]["lead"] = names[:2]
    doc["tasks"][1]["lead"] = names[2:]
    (plan / "plan.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "books"
    result = run("intake", "template", plan, "--out", out)
    assert result.exit_code == 0, result.output
    units = {}
    for path in out.glob("*.xlsx"):
        info = {r[0].value: r[1].value for r in load_workbook(path)[L.INFO].iter_rows(max_col=2)}
        units[info["Đơn vị báo cáo"]] = path.name
    assert set(names) <= set(units)
    assert len(set(units.values())) == len(units)
    assert len({name.casefold() for name in units.values()}) == len(units)  # a disk that ignores case, too


def test_a_fifo_given_as_a_workbook_is_refused_not_waited_on(plan, tmp_path):
    """Before: `intake read` waited for ever on the FIFO (zipfile opened it)."""
    fifo = tmp_path / "so.xlsx"
    os.mkfifo(fifo)
    refused(plan, fifo, "so.xlsx", "không phải tệp thường")
