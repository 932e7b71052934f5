"""Progress in Excel: template -> a workbook filled by the test -> intake read -> check.

The plan is the Gia Lộc example without its progress and measurements, checked on 22/11/2026.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from dondoc.cli import main
from dondoc.errors import InputErrors
from dondoc.facts.intake import merge, read_workbooks
from dondoc.facts.intake import layout as L
from dondoc.facts.intake.workbook import IntakeResult, Reported
from dondoc.facts.csvio import append_csv
from dondoc.facts.planfolder import read_plan_folder

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "gia-loc-2026"
UNIT = "Phòng Kinh tế xã"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def plan(tmp_path) -> Path:
    folder = tmp_path / "gia-loc"
    folder.mkdir()
    shutil.copy(EXAMPLE / "plan.yaml", folder / "plan.yaml")
    return folder


@pytest.fixture
def books(plan, tmp_path) -> Path:
    out = tmp_path / "so-bao-cao"
    result = run("intake", "template", plan, "--out", out)
    assert result.exit_code == 0, result.output
    return out


def rows_of(sheet, header_col: str, value: str) -> list[int]:
    col = L.column(L.TASK_COLUMNS if sheet.title == L.TASKS else L.TARGET_COLUMNS, header_col)
    return [r for r in range(L.FIRST_ROW, sheet.max_row + 1) if str(sheet.cell(r, col).value) == value]


def fill(path: Path, tasks: dict[str, dict], targets: dict[str, dict], out: Path) -> Path:
    """What the unit does in Excel: type into the unlocked cells."""
    book = load_workbook(path)
    for sheet_name, columns, key, entries in (
        (L.TASKS, L.TASK_COLUMNS, "Mã nhiệm vụ", tasks),
        (L.TARGETS, L.TARGET_COLUMNS, "Mã chỉ tiêu", targets),
    ):
        sheet = book[sheet_name]
        for ident, cells in entries.items():
            [row] = rows_of(sheet, key, ident)
            for header, value in cells.items():
                sheet.cell(row, L.column(columns, header), value)
    book.save(out)
    return out


def findings(plan: Path) -> set[tuple[str, str, str]]:
    result = run("check", plan, "--as-of", "2026-11-22", "--json")
    assert result.exit_code == 0, result.output
    return {(f["rule"], f["kind"], f["subject"]) for f in json.loads(result.output)}


# -- the template ----------------------------------------------------------------------------------


def test_one_workbook_per_lead_unit_with_locked_columns_and_validation(plan, books):
    folder = read_plan_folder(plan)
    assert sorted(p.name for p in books.glob("*.xlsx")) == sorted(f"{u}.xlsx" for u in L.lead_units(folder))
    book = load_workbook(books / f"{UNIT}.xlsx")
    tasks, targets = book[L.TASKS], book[L.TARGETS]
    assert [c.value for c in tasks[1]] == [name for name, _, _ in L.TASK_COLUMNS]
    mine = [t.id for t in folder.tasks if UNIT in t.lead]
    assert [tasks.cell(r, 1).value for r in range(2, tasks.max_row + 1)] == mine
    assert tasks.protection.sheet and targets.protection.sheet
    for col, (_, _, fill_me) in enumerate(L.TASK_COLUMNS, start=1):
        assert tasks.cell(2, col).protection.locked is (not fill_me)
    lists = [dv for dv in tasks.data_validations.dataValidation if dv.type == "list"]
    assert lists and all(s in lists[0].formula1 for s in L.STATUSES)
    assert any(dv.type == "date" for dv in targets.data_validations.dataValidation)
    # targets without a lead are the monitor's: Phòng Kinh tế xã follows this plan
    assert {targets.cell(r, 1).value for r in range(2, targets.max_row + 1)} >= {"CT01", "CT02"}
    assert targets.cell(rows_of(targets, "Mã chỉ tiêu", "CT02")[0], 3).value == "tối thiểu 80%"


def test_a_recurring_task_has_a_row_per_occurrence(tmp_path):
    folder = tmp_path / "an-bien"
    shutil.copytree(EXAMPLE.parent / "an-bien-2026", folder)
    plan = read_plan_folder(folder)
    [task] = [t for t in plan.tasks if t.deadline.kind.value == "recurring"][:1]
    rows = L.task_rows(plan, task)
    assert [p for p, _ in rows] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert rows[0][1] == dt.date(2026, 3, 19)  # "Trước ngày 20 của tháng cuối quý"


# -- the round trip ---------------------------------------------------------------------------------


def test_round_trip_gives_the_expected_findings(plan, books, tmp_path):
    before = findings(plan)
    assert ("nhiem-vu-qua-han", "vi-pham", "task:13") in before
    assert ("chi-tieu-toi-thieu", "thieu-du-lieu", "target:CT02") in before
    filled = fill(
        books / f"{UNIT}.xlsx",
        tasks={
            "13": {"Tình trạng": "hoàn thành", "Ngày hoàn thành": dt.date(2026, 10, 20),
                   "Ngày báo cáo": dt.date(2026, 10, 25), "Ghi chú, minh chứng": "Biên bản đối thoại"},
            "1": {"Tình trạng": "đang thực hiện", "Ngày báo cáo": "15/11/2026"},
        },
        targets={
            "CT02": {"Tử số": 70, "Mẫu số": 100, "Ngày đo": dt.date(2026, 11, 5)},
            "CT04": {"Giá trị": "92,5", "Ngày đo": "05/11/2026", "Nguồn số liệu": "Khảo sát SIPAS"},
        },
        out=tmp_path / "filled.xlsx",
    )
    result = run("intake", "read", filled, "--plan", plan)
    assert result.exit_code == 0, result.output
    after = findings(plan)
    assert ("nhiem-vu-qua-han", "vi-pham", "task:13") not in after  # done on 20/10, before 31/10
    assert ("nhiem-vu-thuong-xuyen-chua-bao-cao", "vi-pham", "task:1") not in after
    assert ("chi-tieu-toi-thieu", "vi-pham", "target:CT02") in after  # 70% < 80%
    assert not {f for f in after if f[2] == "target:CT04" and f[1] == "vi-pham"}  # 92.5% >= 90%
    # One measurement in the year: met, and too few to project (the early warning's missing data).
    assert {f for f in after if f[2] == "target:CT04"} == {("chi-tieu-nguy-co-khong-dat", "thieu-du-lieu", "target:CT04")}
    folder = read_plan_folder(plan)
    ct02 = next(m for m in folder.measurements if m.target == "CT02")
    assert (ct02.numerator, ct02.denominator, ct02.actual, ct02.period) == (70, 100, 70.0, "2026")

    # idempotent: the same workbook again changes nothing
    csvs = {p.name: p.read_bytes() for p in plan.glob("*.csv")}
    again = run("intake", "read", filled, "--plan", plan)
    assert again.exit_code == 0 and "thêm 0 dòng" in again.output
    assert {p.name: p.read_bytes() for p in plan.glob("*.csv")} == csvs
    assert not list(plan.glob("*.~*~"))


def test_earlier_reports_are_kept_and_conflicts_reported(plan, books, tmp_path):
    (plan / "progress.csv").write_text(
        "task,period,status,done_on,reported_on,evidence\n1,,đang thực hiện,,2026-06-30,Báo cáo 6 tháng\n",
        encoding="utf-8",
    )
    (plan / "measurements.csv").write_text(
        "target,period,value,numerator,denominator,measured_on,source\nCT02,2026,85,,,2026-10-01,Hệ thống\n",
        encoding="utf-8",
    )
    filled = fill(
        books / f"{UNIT}.xlsx",
        tasks={"1": {"Tình trạng": "đang thực hiện", "Ngày báo cáo": dt.date(2026, 11, 15)}},
        targets={"CT02": {"Giá trị": 70, "Ngày đo": dt.date(2026, 11, 5)}},
        out=tmp_path / "filled.xlsx",
    )
    result = run("intake", "read", filled, "--plan", plan)
    assert result.exit_code == 1  # a conflict: a person settles it
    assert "CT02 2026" in result.output and "value=85" in result.output and "value=70" in result.output
    progress = (plan / "progress.csv").read_text(encoding="utf-8").splitlines()
    assert progress[1] == "1,,đang thực hiện,,2026-06-30,Báo cáo 6 tháng"  # untouched
    assert progress[2].startswith("1,,đang thực hiện,,2026-11-15")
    assert "70" not in (plan / "measurements.csv").read_text(encoding="utf-8")
    assert (plan / "progress.csv.~1~").read_text(encoding="utf-8").count("\n") == 2  # the old file kept


def test_two_files_with_two_values_for_one_period_conflict(plan, books, tmp_path):
    one = fill(books / f"{UNIT}.xlsx", {}, {"CT02": {"Giá trị": 81, "Ngày đo": dt.date(2026, 11, 5)}}, tmp_path / "a.xlsx")
    two = fill(books / f"{UNIT}.xlsx", {}, {"CT02": {"Giá trị": 79, "Ngày đo": dt.date(2026, 11, 6)}}, tmp_path / "b.xlsx")
    folder = read_plan_folder(plan)
    report = merge(read_workbooks([one, two], folder), plan)
    assert [c.key for c in report.conflicts] == ["CT02 2026"]
    assert "a.xlsx" in report.conflicts[0].kept and "b.xlsx" in report.conflicts[0].refused


# -- validation ---------------------------------------------------------------------------------------


def test_every_bad_cell_is_named_by_file_sheet_and_cell(plan, books, tmp_path):
    filled = fill(
        books / f"{UNIT}.xlsx",
        tasks={
            "13": {"Tình trạng": "xong rồi", "Ngày báo cáo": dt.date(2026, 10, 25)},
            "1": {"Tình trạng": "hoàn thành", "Ngày báo cáo": dt.date(2026, 11, 1)},
            "2": {"Tình trạng": "đang thực hiện", "Ngày báo cáo": "mai"},
            "11": {"Ngày báo cáo": dt.date(2026, 11, 1)},
        },
        targets={
            "CT02": {"Tử số": 120, "Mẫu số": 100, "Ngày đo": dt.date(2026, 11, 5)},
            "CT04": {"Giá trị": "nhiều", "Ngày đo": dt.date(2026, 11, 5)},
            "CT01": {"Mẫu số": 0, "Tử số": 0, "Ngày đo": dt.date(2026, 11, 5)},
        },
        out=tmp_path / "sai.xlsx",
    )
    csvs = sorted(p.name for p in plan.iterdir())
    result = run("intake", "read", filled, "--plan", plan)
    assert result.exit_code == 2
    errors = result.output.splitlines()
    # The models' words (facts/models.py), at the cell: the intake validates nothing of its own.
    expect = [
        ("Nhiệm vụ", "ô G6): 'Tình trạng': phải là một trong: 'hoàn thành'"),
        ("Nhiệm vụ", "ô H2): 'Ngày hoàn thành': trạng thái 'hoàn thành' cần done_on (ngày hoàn thành)"),
        ("Nhiệm vụ", "ô I3): 'Ngày báo cáo': 'mai' không phải một ngày"),
        ("Nhiệm vụ", "chưa chọn Tình trạng"),
        ("Chỉ tiêu", "ô F3): 'Mẫu số': tử số (numerator 120) lớn hơn mẫu số (100)"),
        ("Chỉ tiêu", "ô G5): 'Giá trị': 'nhiều' không phải một số"),
        ("Chỉ tiêu", "ô F2): 'Mẫu số': phải lớn hơn 0"),
    ]
    for sheet, message in expect:
        assert any("sai.xlsx" in e and f"sheet '{sheet}', ô " in e and message in e for e in errors), (message, errors)
    assert sorted(p.name for p in plan.iterdir()) == csvs  # nothing written


def test_a_workbook_of_another_plan_is_refused(plan, books, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(EXAMPLE.parent / "an-bien-2026", other)
    with pytest.raises(InputErrors) as caught:
        read_workbooks([books / f"{UNIT}.xlsx"], read_plan_folder(other))
    assert "kế hoạch" in caught.value.errors[0].message


def test_not_a_workbook(plan, tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_text("không phải excel", encoding="utf-8")
    result = run("intake", "read", bad, "--plan", plan)
    assert result.exit_code == 2 and "x.xlsx" in result.output


def test_appending_keeps_a_semicolon_file_as_it_is(tmp_path):
    path = tmp_path / "progress.csv"
    before = "\ufefftask;period;status;done_on;reported_on;evidence\r\n1;;đang thực hiện;;2026-06-30;\r\n".encode("utf-8")
    path.write_bytes(before)
    append_csv(path, ["task"], [{"task": "2", "status": "hoàn thành", "done_on": "2026-07-01", "reported_on": "2026-07-02"}])
    after = path.read_bytes()
    assert after.startswith(before)
    assert after.decode("utf-8").splitlines()[-1] == "2;;hoàn thành;2026-07-01;2026-07-02;"


def test_a_measured_value_is_appended_with_the_files_decimal_mark(tmp_path):
    """'91.2' in a ';' file (Excel in a Vietnamese locale) would be refused by dondoc check."""
    path = tmp_path / "measurements.csv"
    path.write_text("target;period;value;measured_on\nCT01;2026-10;91,2;05/11/2026\n", encoding="utf-8")
    append_csv(path, ["target"], [{"target": "CT01", "period": "2026-11", "value": 93.5, "measured_on": dt.date(2026, 12, 5)}])
    assert path.read_text(encoding="utf-8").splitlines()[-1] == "CT01;2026-11;93,5;2026-12-05"


# -- merging, in this process (facts/intake/merge.py) -------------------------------------------------


def _measured(value="", numerator="", denominator="", period="2026", where="so.xlsx, dòng 5") -> Reported:
    cells = {"target": "CT02", "period": period, "value": value, "numerator": numerator, "denominator": denominator,
             "measured_on": "2026-11-05", "source": "Phòng Kinh tế xã"}
    return Reported(cells, where)


def _report(status="đang thực hiện", reported_on="2026-11-15", evidence="", where="so.xlsx, dòng 6") -> Reported:
    cells = {"task": "1", "period": "", "status": status, "done_on": "", "reported_on": reported_on, "evidence": evidence}
    return Reported(cells, where)


def _merged(plan: Path, progress=(), measurements=()):
    return merge(IntakeResult(progress=list(progress), measurements=list(measurements)), plan)


def test_a_number_the_file_writes_with_a_decimal_comma_is_the_number_read_again(plan):
    """Excel in a Vietnamese locale saves '91,2' and '1.234,5' (';' file): read again as 91.2 and
    1234.5 they are the same rows, not conflicts (issue 19: 91,2 against 91.2)."""
    before = "target;period;value;numerator;denominator;measured_on;source\nCT02;2026;91,2;1.234,5;2.000;2026-11-05;x\n"
    (plan / "measurements.csv").write_text(before, encoding="utf-8")
    report = _merged(plan, measurements=[_measured("91.2", "1234.5", "2000")])
    assert (report.added, report.unchanged, report.conflicts, report.kept) == (
        {"progress.csv": 0, "measurements.csv": 0}, {"progress.csv": 0, "measurements.csv": 1}, [], {},
    )
    assert (plan / "measurements.csv").read_text(encoding="utf-8") == before  # nothing written
    report = _merged(plan, measurements=[_measured("91.3", "1234.5", "2000", where="b.xlsx, dòng 7")])
    (conflict,) = report.conflicts
    assert conflict.key == "CT02 2026"
    assert conflict.kept == "value=91,2, numerator=1.234,5, denominator=2.000 (measurements.csv dòng 2)"
    assert conflict.refused == "value=91.3, numerator=1234.5, denominator=2000 (b.xlsx, dòng 7)"
    assert report.unchanged["measurements.csv"] == 0


def test_a_value_given_where_the_file_has_none_is_a_conflict_and_a_new_period_is_appended_in_the_files_mark(plan):
    (plan / "measurements.csv").write_text(
        "target;period;value;numerator;denominator;measured_on;source\nCT02;2026;;90;100;2026-11-05;x\n", encoding="utf-8")
    report = _merged(plan, measurements=[_measured("91.2"), _measured("93.5", period="2026-Q4"), _measured("94", period="2026-Q4", where="c")])
    assert [c.key for c in report.conflicts] == ["CT02 2026", "CT02 2026-Q4"]
    assert report.conflicts[1].kept == "value=93.5 (so.xlsx, dòng 5)"  # the first read is kept
    assert (report.added["measurements.csv"], report.unchanged["measurements.csv"]) == (1, 0)
    lines = (plan / "measurements.csv").read_text(encoding="utf-8").splitlines()
    assert lines[-1] == "CT02;2026-Q4;93,5;;;2026-11-05;Phòng Kinh tế xã" and len(lines) == 3
    assert report.kept == {"measurements.csv": plan / "measurements.csv.~1~"}


def test_a_report_is_known_by_its_task_period_and_date(plan):
    (plan / "progress.csv").write_text(
        "task,period,status,done_on,reported_on,evidence\n1,,đang thực hiện,,2026-11-15,\n", encoding="utf-8")
    report = _merged(plan, progress=[
        _report(), _report(reported_on="2026-11-20"), _report(status="hoàn thành", evidence="x"), _report(where="lần nữa"),
        _report(reported_on="2026-11-21"),
    ])
    assert report.unchanged["progress.csv"] == 2 and report.added["progress.csv"] == 2
    (conflict,) = report.conflicts
    assert (conflict.key, conflict.kept, conflict.refused) == (
        "1 2026-11-15", "status=đang thực hiện (progress.csv dòng 2)", "status=hoàn thành, evidence=x (so.xlsx, dòng 6)",
    )
    assert (plan / "progress.csv").read_text(encoding="utf-8").splitlines()[-2:] == [
        "1,,đang thực hiện,,2026-11-20,", "1,,đang thực hiện,,2026-11-21,",
    ]
    done = _report(status="hoàn thành", reported_on="2026-11-21")
    (plan / "progress.csv").write_text(
        "task,period,status,done_on,reported_on,evidence\n1,,hoàn thành,2026-11-18,2026-11-21,\n", encoding="utf-8")
    report = _merged(plan, progress=[Reported({**done.cells, "done_on": "2026-11-19"}, "so.xlsx")])
    assert [c.refused for c in report.conflicts] == ["status=hoàn thành, done_on=2026-11-19 (so.xlsx)"]  # the day it was done, too


# -- a workbook's own checks, word for word, in this process (facts/intake/workbook.py) ------------------


def edit(path: Path, out: Path, tasks: dict[int, dict] | None = None, targets: dict[int, dict] | None = None,
         info: dict[str, object] | None = None, drop: tuple[str, ...] = ()) -> Path:
    """A workbook as a person may leave it: cells typed by row number (past the table too), the
    information sheet changed, sheets deleted."""
    book = load_workbook(path)
    for sheet_name, columns, rows in ((L.TASKS, L.TASK_COLUMNS, tasks), (L.TARGETS, L.TARGET_COLUMNS, targets)):
        for row, cells in (rows or {}).items():
            for header, value in cells.items():
                column = L.column(columns, header) if header in {c for c, _, _ in columns} else int(header)
                book[sheet_name].cell(row, column, value)
    for r in book[L.INFO].iter_rows(max_col=2):
        if r[0].value in (info or {}):
            r[1].value = info[r[0].value]
    for name in drop:
        del book[name]
    book.save(out)
    return out


def said(errors) -> list[tuple[str, str, str | None, str | None]]:
    return [(Path(e.path).name, e.message, e.where, e.hint) for e in errors]


# The template's rows for Phòng Kinh tế xã (the plan's monitor): tasks 1, 2, 11, 12, 13, 14, 18, 19, 21
# on rows 2-10 (none recurring by occurrence: no period), targets CT01-CT04 on rows 2-5, period 2026.
LONG_FORMULA = '=CONCATENATE("Báo cáo kết quả thực hiện kế hoạch cải thiện môi trường kinh doanh", " quý IV")'
AGAIN = "không sửa các cột nền trắng; tạo lại sổ nếu kế hoạch đã đổi"
FORMULA_HINT = "mở sổ bằng Excel (hoặc LibreOffice) cho công thức được tính, lưu lại rồi đọc lại; hoặc ghi thẳng con số"


def test_a_filled_workbook_gives_each_reported_row_as_the_csv_files_hold_it_and_warns_of_a_formula_without_its_value(
        plan, tmp_path):
    D = dt.date
    # CT04 is target '4' and task 14 yearly (its period '2026') here: codes and a year Excel keeps
    # as numbers once retyped, as task 13's
    text = (plan / "plan.yaml").read_text(encoding="utf-8").replace("- id: CT04\n", "- id: '4'\n")
    text = re.sub(r"(- id: '14'\n(?:  .*\n)*?  deadline: )Thường xuyên", r"\1Hằng năm", text)
    (plan / "plan.yaml").write_text(text, encoding="utf-8")
    assert run("intake", "template", plan, "--out", tmp_path / "so").exit_code == 0
    filled = edit(tmp_path / "so" / f"{UNIT}.xlsx", tmp_path / "du.xlsx", tasks={
        1: {"11": "=1+1"},  # past the table, in the headers' row: not read
        2: {"Tình trạng": "đang thực hiện", "Ngày báo cáo": "15/11/2026", "Ghi chú, minh chứng": "  Báo cáo quý IV  "},
        6: {"Mã nhiệm vụ": 13, "Tình trạng": "Hoàn thành ", "Ngày hoàn thành": D(2026, 10, 20), "Ngày báo cáo": D(2026, 10, 25),
            "Ghi chú, minh chứng": 3},  # a number for evidence (3 biên bản): its text
        7: {"Kỳ": 2026, "Tình trạng": "đang thực hiện", "Ngày báo cáo": D(2026, 11, 2)},
        12: {"Ghi chú, minh chứng": "  "},  # a blank typed under the table: nothing
    }, targets={
        2: {"Tử số": 45, "Mẫu số": 50, "Ngày đo": D(2026, 11, 5)},
        3: {"Kỳ": 2026, "Giá trị": "98,6", "Ngày đo": "05/11/2026", "Nguồn số liệu": "Khảo sát SIPAS"},
        4: {"Giá trị": LONG_FORMULA},  # saved by a program that does not compute: read as empty, said
        5: {"Mã chỉ tiêu": 4, "Tử số": 1.5e20, "Mẫu số": 2e20, "Ngày đo": D(2026, 11, 6)},
        7: {"Kỳ": "2026"},  # a period alone under the table: nothing reported
    })
    result = read_workbooks([filled], read_plan_folder(plan))
    assert result.progress == [
        Reported({"task": "1", "period": "", "status": "đang thực hiện", "done_on": "", "reported_on": "2026-11-15",
                  "evidence": "Báo cáo quý IV"}, "du.xlsx, sheet 'Nhiệm vụ', dòng 2"),
        Reported({"task": "13", "period": "", "status": "hoàn thành", "done_on": "2026-10-20", "reported_on": "2026-10-25",
                  "evidence": "3"}, "du.xlsx, sheet 'Nhiệm vụ', dòng 6"),
        Reported({"task": "14", "period": "2026", "status": "đang thực hiện", "done_on": "", "reported_on": "2026-11-02",
                  "evidence": ""}, "du.xlsx, sheet 'Nhiệm vụ', dòng 7"),
    ]
    assert result.measurements == [
        Reported({"target": "CT01", "period": "2026", "value": "", "numerator": "45", "denominator": "50",
                  "measured_on": "2026-11-05", "source": "Phòng Kinh tế xã (du.xlsx)"}, "du.xlsx, sheet 'Chỉ tiêu', dòng 2"),
        Reported({"target": "CT02", "period": "2026", "value": "98.6", "numerator": "", "denominator": "",
                  "measured_on": "2026-11-05", "source": "Khảo sát SIPAS"}, "du.xlsx, sheet 'Chỉ tiêu', dòng 3"),
        Reported({"target": "4", "period": "2026", "value": "", "numerator": "1.5e+20", "denominator": "2e+20",
                  "measured_on": "2026-11-06", "source": "Phòng Kinh tế xã (du.xlsx)"}, "du.xlsx, sheet 'Chỉ tiêu', dòng 5"),
    ]
    assert said(result.warnings) == [(
        "du.xlsx", "ô có công thức '=CONCATENATE(\"Báo cáo kết quả thực hiện kế hoạch cải thiện m' nhưng sổ không lưu giá trị"
        " của nó: đọc là ô trống", "sheet 'Chỉ tiêu', ô G4", FORMULA_HINT,
    )]


def test_every_refused_cell_of_every_workbook_is_said_in_words_at_its_cell_after_the_warnings(plan, books, tmp_path):
    D = dt.date
    one = edit(books / f"{UNIT}.xlsx", tmp_path / "mot.xlsx", tasks={
        2: {"Tình trạng": "đang thực hiện", "Ngày báo cáo": "15/11/2026"},  # fine: the others are refused
        3: {"Tình trạng": "Đang thực hiện "},  # a status and nothing else
        4: {"Ngày báo cáo": D(2026, 11, 1), "Ghi chú, minh chứng": "Biên bản"},
        5: {"Kỳ": "2026-Q1", "Tình trạng": "đang thực hiện", "Ngày báo cáo": D(2026, 11, 1)},
        7: {"Mã nhiệm vụ": "3", "Tình trạng": "đang thực hiện", "Ngày báo cáo": D(2026, 11, 1)},  # Phòng Văn hóa's task
        8: {"Tình trạng": "xong", "Ngày báo cáo": D(2026, 11, 1)},
        9: {"Tình trạng": "hoàn thành", "Ngày báo cáo": D(2026, 11, 1)},
        10: {"Tình trạng": "chưa thực hiện", "Ngày báo cáo": "mai"},
        12: {"Ghi chú, minh chứng": "ghi thêm"},  # typed under the table
    }, targets={
        4: {"Giá trị": 120, "Ngày đo": D(2026, 11, 5)},
        5: {"Ngày đo": D(2026, 11, 5)},
        6: {"Mã chỉ tiêu": "CT05", "Giá trị": 5},  # Trung tâm Phục vụ hành chính công's target
        7: {"Nguồn số liệu": "dòng lạc"},  # no target and no number under the table: nothing
        8: {"Giá trị": 7},  # a number under the table, past that row: refused
    })
    two = edit(books / f"{UNIT}.xlsx", tmp_path / "hai.xlsx", tasks={3: {"Ghi chú, minh chứng": "=1+1"}}, targets={
        2: {"Kỳ": "2026-Q5", "Giá trị": 50, "Ngày đo": D(2026, 11, 5)},
        3: {"Giá trị": 50},
        4: {"Tử số": 5, "Ngày đo": D(2026, 11, 5)},
        5: {"Nguồn số liệu": "Hệ thống"},
    })
    csvs = sorted(p.name for p in plan.iterdir())
    with pytest.raises(InputErrors) as caught:
        read_workbooks([one, two], read_plan_folder(plan))
    tasks, targets = "sheet 'Nhiệm vụ', ô ", "sheet 'Chỉ tiêu', ô "
    assert said(caught.value.errors) == [
        ("hai.xlsx", "ô có công thức '=1+1' nhưng sổ không lưu giá trị của nó: đọc là ô trống", tasks + "J3", FORMULA_HINT),
        ("mot.xlsx", "thiếu Ngày báo cáo", tasks + "I3", "ghi ngày báo cáo dạng dd/mm/yyyy"),
        ("mot.xlsx", "đã ghi Ngày báo cáo, Ghi chú, minh chứng nhưng chưa chọn Tình trạng", tasks + "G4",
         "chọn: hoàn thành, đang thực hiện, chưa thực hiện"),
        ("mot.xlsx", "kỳ '2026-Q1' không phải một kỳ của nhiệm vụ 12", tasks + "E5", "không sửa cột Kỳ"),
        ("mot.xlsx", "nhiệm vụ '3' không phải nhiệm vụ 'Phòng Kinh tế xã' chủ trì trong kế hoạch", tasks + "A7", AGAIN),
        ("mot.xlsx", "'Tình trạng': phải là một trong: 'hoàn thành', 'đang thực hiện' hoặc 'chưa thực hiện' (đang ghi 'xong')",
         tasks + "G8", None),
        ("mot.xlsx", "'Ngày hoàn thành': trạng thái 'hoàn thành' cần done_on (ngày hoàn thành)", tasks + "H9", None),
        ("mot.xlsx", "'Ngày báo cáo': 'mai' không phải một ngày: viết YYYY-MM-DD (ví dụ 2026-11-05) hoặc DD/MM/YYYY",
         tasks + "I10", None),
        ("mot.xlsx", "nhiệm vụ '' không phải nhiệm vụ 'Phòng Kinh tế xã' chủ trì trong kế hoạch", tasks + "A12", AGAIN),
        ("mot.xlsx", "chỉ tiêu CT03: 120% nằm ngoài 0-100%", targets + "G4",
         "kiểm tra số liệu (phản ánh, kiến nghị của người dân, doanh nghiệp, hộ kinh doanh được tiếp nhận, xử lý và trả lời"
         " đúng hạn, đơn vị '%')"),
        ("mot.xlsx", "đã ghi Ngày đo hoặc Nguồn nhưng chưa ghi số liệu", targets + "G5", "ghi Tử số và Mẫu số, hoặc Giá trị"),
        ("mot.xlsx", "chỉ tiêu 'CT05' không phải chỉ tiêu của 'Phòng Kinh tế xã' trong kế hoạch", targets + "A6", AGAIN),
        ("mot.xlsx", "chỉ tiêu '' không phải chỉ tiêu của 'Phòng Kinh tế xã' trong kế hoạch", targets + "A8", AGAIN),
        ("hai.xlsx", "Kỳ '2026-Q5' không đúng dạng", targets + "D2", "ghi 2026, 2026-Q3, 2026-H2 hoặc 2026-10"),
        ("hai.xlsx", "'Ngày đo': thiếu Ngày đo", targets + "H3", None),
        ("hai.xlsx", "'Giá trị': ghi value (kết quả), hoặc numerator và denominator (tử số và mẫu số)", targets + "G4", None),
        ("hai.xlsx", "đã ghi Ngày đo hoặc Nguồn nhưng chưa ghi số liệu", targets + "G5", "ghi Tử số và Mẫu số, hoặc Giá trị"),
    ]
    assert sorted(p.name for p in plan.iterdir()) == csvs  # nothing written


def test_a_workbook_not_made_for_this_plan_and_unit_is_refused_whole_and_the_others_are_still_read(plan, books, tmp_path):
    source = books / f"{UNIT}.xlsx"
    cells = {2: {"Tình trạng": "đang thực hiện"}}  # a bad cell in each: none is read past its refusal
    files = [
        edit(source, tmp_path / "thieu.xlsx", tasks=cells, drop=(L.TASKS, L.TARGETS)),
        edit(source, tmp_path / "cu.xlsx", tasks=cells, info={"Mẫu": "dondoc-intake-0"}),
        edit(source, tmp_path / "khac.xlsx", tasks=cells, info={"Kế hoạch": "12/KH-UBND (UBND xã Quyết Thắng)"}),
        edit(source, tmp_path / "don-vi.xlsx", tasks=cells, info={"Đơn vị báo cáo": "Phòng Tư pháp xã"}),
        edit(source, tmp_path / "trong.xlsx", tasks=cells, info={"Đơn vị báo cáo": None}),
        edit(source, tmp_path / "sai.xlsx", tasks=cells),
    ]
    with pytest.raises(InputErrors) as caught:
        read_workbooks(files, read_plan_folder(plan))
    info = "sheet 'Thông tin'"
    assert said(caught.value.errors) == [
        ("thieu.xlsx", "không phải sổ báo cáo của dondoc: thiếu sheet 'Nhiệm vụ', 'Chỉ tiêu'", None,
         "dùng sổ do 'dondoc intake template' tạo ra"),
        ("cu.xlsx", "mẫu sổ 'dondoc-intake-0' không đúng mẫu dondoc-intake-1", info, "tạo lại sổ bằng 'dondoc intake template'"),
        ("khac.xlsx", "sổ này lập cho kế hoạch '12/KH-UBND (UBND xã Quyết Thắng)', không phải '97/KH-UBND (UBND xã Gia Lộc)'",
         info, "đọc sổ với đúng thư mục kế hoạch (--plan)"),
        ("don-vi.xlsx", "đơn vị 'Phòng Tư pháp xã' không chủ trì nhiệm vụ, chỉ tiêu nào của kế hoạch", info, None),
        ("trong.xlsx", "đơn vị '' không chủ trì nhiệm vụ, chỉ tiêu nào của kế hoạch", info, None),
        ("sai.xlsx", "thiếu Ngày báo cáo", "sheet 'Nhiệm vụ', ô I2", "ghi ngày báo cáo dạng dd/mm/yyyy"),
    ]
