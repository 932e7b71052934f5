"""The one CSV reader and writer: Excel's Vietnamese dialect read and written back the same way,
numbers and dates at their boundaries, legacy encodings named."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from dondoc.facts.csvio import EXCEL_VN, Dialect, format_cell, parse_day, read_table, write_csv
from dondoc.text import parse_number
from dondoc.facts.planfolder import read_plan_folder
from dondoc.facts.textfile import guess_legacy
from tests.hostile.legacy import encode_cp1258, encode_tcvn3, encode_vni
from tests.test_planfolder import errors_of

BASE = Path(__file__).parent / "hostile" / "base"


@pytest.mark.parametrize(
    "text, thousands, expected",
    [
        ("91.2", None, 91.2),
        ("91,2", None, 91.2),
        ("91,2", ".", 91.2),
        ("1.234.567", ".", 1234567.0),
        ("1.234,5", ".", 1234.5),
        ("95%", None, 95.0),
        ("91,2 %", ".", 91.2),
        (" 7 ", None, 7.0),
        ("-3", None, -3.0),
        ("1e3", None, 1000.0),
    ],
)
def test_numbers_as_people_and_excel_write_them(text, thousands, expected):
    assert parse_number(text, thousands) == expected


@pytest.mark.parametrize(
    "text, thousands, words",
    [
        ("91.2", ".", "viết 91,2"),
        ("1.23", ".", "dấu phẩy là dấu thập phân"),
        ("nan", None, "không phải một số hữu hạn"),
        ("-Infinity", None, "không phải một số hữu hạn"),
        ("1e999", None, "không phải một số hữu hạn"),
        ("9x", None, "không phải một số"),
        ("1,2,3", None, "không phải một số"),
        (True, None, "không phải true"),
    ],
)
def test_what_is_not_a_number_says_why(text, thousands, words):
    with pytest.raises(ValueError) as caught:
        parse_number(text, thousands)
    assert words in str(caught.value)


@pytest.mark.parametrize(
    "text, expected",
    [("2026-11-05", dt.date(2026, 11, 5)), ("05/11/2026", dt.date(2026, 11, 5)), ("5/11/2026", dt.date(2026, 11, 5)), ("29/02/2028", dt.date(2028, 2, 29))],
)
def test_dates_iso_or_day_first(text, expected):
    assert parse_day(text) == expected


@pytest.mark.parametrize(
    "value, words",
    [
        ("29/02/2026", "không có thật"),
        ("11/27/2026", "không có thật"),
        ("20261105", "không phải một ngày"),  # fromisoformat would take it; a person would not write it
        ("2026-W45", "không phải một ngày"),
        ("46331", "ngày dạng số của Excel (05/11/2026?)"),
        ("61", "ngày dạng số của Excel (01/03/1900?)"),
        ("60", "không phải một ngày"),
        ("2958465", "ngày dạng số của Excel (31/12/9999?)"),  # Excel's last day
        ("2958466", "không phải một ngày"),
        ("0", "không phải một ngày"),  # was 1970-01-01 (Unix time) before
        (46331, "ngày dạng số của Excel"),  # a number in YAML
        (True, "cần một ngày"),
    ],
)
def test_what_is_not_a_date_says_why(value, words):
    with pytest.raises(ValueError) as caught:
        parse_day(value)
    assert words in str(caught.value)


def test_written_csv_is_read_back_to_the_same_values_in_both_dialects(tmp_path):
    rows = [
        {"target": "CT01", "period": "2026-10", "value": 91.25, "measured_on": dt.date(2026, 11, 5), "source": "Sổ; theo dõi, \"PAKN\""},
        {"target": "CT02", "period": "2026-10", "numerator": 1234567, "denominator": 2000000.0, "measured_on": dt.date(2026, 11, 6)},
    ]
    columns = ["target", "period", "value", "numerator", "denominator", "measured_on", "source"]
    for dialect in (Dialect(), EXCEL_VN):
        path = tmp_path / f"m{dialect.separator == ';'}.csv"
        assert write_csv(path, columns, rows, dialect) is None  # a new file: nothing kept
        table = read_table(path)
        assert table.dialect == dialect and table.columns == columns
        assert [line for line, _ in table.rows] == [2, 3]
        assert table.rows[0][1]["source"] == rows[0]["source"]
        assert parse_number(table.rows[0][1]["value"], dialect.thousands) == 91.25
        assert parse_number(table.rows[1][1]["numerator"], dialect.thousands) == 1234567
        assert parse_day(table.rows[1][1]["measured_on"]) == dt.date(2026, 11, 6)
    assert (tmp_path / "mTrue.csv").read_bytes().startswith(b"\xef\xbb\xbftarget;period;")
    assert b"91,25" in (tmp_path / "mTrue.csv").read_bytes() and b"91.25" in (tmp_path / "mFalse.csv").read_bytes()


def test_writing_over_a_csv_keeps_the_previous_version(tmp_path):
    path = tmp_path / "progress.csv"
    path.write_text("task,status\n1,đang thực hiện\n", encoding="utf-8")
    kept = write_csv(path, ["task", "status"], [{"task": "1", "status": "hoàn thành"}])
    assert kept == tmp_path / "progress.csv.~1~"
    assert kept.read_text(encoding="utf-8") == "task,status\n1,đang thực hiện\n"


@pytest.mark.parametrize("value, cell", [(None, ""), (3.0, "3"), (0.1, "0.1"), (1e-7, "0.0000001"), (1e16, "10000000000000000"), (dt.date(2026, 1, 2), "2026-01-02")])
def test_cells_are_plain(value, cell):
    assert format_cell(value) == cell


def test_a_non_finite_number_is_never_written():
    with pytest.raises(ValueError):
        format_cell(float("nan"))


@pytest.mark.parametrize(
    "text",
    [
        "Báo cáo 6 tháng đầu năm của Phòng Văn hóa - Xã hội, đang thực hiện",
        "Trung tâm Phục vụ hành chính công; Phiếu khảo sát quý III",
        "Cộng hòa xã hội chủ nghĩa Việt Nam",
    ],
)
def test_legacy_vietnamese_encodings_are_told_apart(text):
    assert guess_legacy(encode_cp1258(text)) == "Windows-1258"
    assert guess_legacy(encode_tcvn3(text)) == "TCVN3 (ABC)"
    assert guess_legacy(encode_vni(text)) == "VNI"
    assert guess_legacy(text.encode("ascii", "ignore")) is None


def test_the_legacy_encoders_match_the_known_anchors():
    assert encode_tcvn3("Cộng hoà xã hội chủ nghĩa Việt Nam").decode("cp1252") == "Céng hoµ x· héi chñ nghÜa ViÖt Nam"
    assert encode_vni("Cộng hòa xã hội chủ nghĩa Việt Nam").decode("cp1252") == "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"


# -- values in range for their kind, at the boundaries ------------------------------------------------


def _measure(tmp_path: Path, row: str) -> Path:
    folder = tmp_path / "plan"
    shutil.copytree(BASE, folder)
    (folder / "measurements.csv").write_text("target,period,value,numerator,denominator,measured_on\n" + row + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "row",
    ["CT01,2026-10,0,,,2026-11-05", "CT01,2026-10,100,,,2026-11-05", "CT01,2026-10,,1000,1000,2026-11-05", "CT01,2026-10,,0,1000,2026-11-05", "CT02,2026-10,0,,,2026-11-05"],
)
def test_values_at_the_edge_of_their_range_are_read(tmp_path, row):
    assert len(read_plan_folder(_measure(tmp_path, row)).measurements) == 1


@pytest.mark.parametrize(
    "row, column",
    [
        ("CT01,2026-10,100.01,,,2026-11-05", 3),
        ("CT01,2026-10,-0.01,,,2026-11-05", 3),
        ("CT01,2026-10,,1000.5,1000,2026-11-05", 5),
        ("CT01,2026-10,,-1,1000,2026-11-05", 4),
        ("CT01,2026-10,,1,0,2026-11-05", 5),
        ("CT02,2026-10,-0.5,,,2026-11-05", 3),
    ],
)
def test_values_just_past_their_range_are_named(tmp_path, row, column):
    errors = errors_of(_measure(tmp_path, row))
    assert [(e.line, e.column) for e in errors] == [(2, column)], [e.render() for e in errors]


def test_a_change_against_a_baseline_year_may_be_negative(tmp_path):
    folder = _measure(tmp_path, "CT01,2026-10,-5,,,2026-11-05")
    plan = folder / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace('    unit: "%"\n', '    unit: "%"\n    baseline_year: 2024\n'), encoding="utf-8")
    assert read_plan_folder(folder).measurements[0].actual == -5
