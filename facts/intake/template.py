"""One workbook per lead unit (openpyxl), written through files.py.

The columns a unit must not change (ids, titles, deadlines, the level to reach) are locked and
the sheets protected without a password (protection guards against slips, not against people);
the cells to fill are unlocked, with data validation: the status from a drop-down, dates between
2000 and 2100, numbers not below zero. The reader checks every cell again: validation in Excel
can be pasted over.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from dondoc.facts.intake import layout as L
from dondoc.facts.models import PlanFolder
from dondoc.text import nfc, spreadsheet_cell

_HEAD = Font(name="Times New Roman", bold=True)
_BODY = Font(name="Times New Roman")
_FILL_ME = PatternFill("solid", fgColor="FFF8DC")  # the cells to fill, in a pale yellow
_WRAP = Alignment(wrap_text=True, vertical="top")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def file_names(units: list[str]) -> dict[str, str]:
    """Each unit's workbook name: its name with Vietnamese kept, only characters no disk takes
    replaced. Two units whose names come out alike ("Tổ A/B", "Tổ A:B"; or only in case, which a
    Windows share does not tell apart) get "(2)", "(3)" after the name: one workbook each."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for unit in units:
        stem = _UNSAFE.sub("-", unit).strip(" .-") or "don-vi"
        name, n = f"{stem}.xlsx", 1
        while nfc(name).casefold() in taken:
            n += 1
            name = f"{stem} ({n}).xlsx"
        taken.add(nfc(name).casefold())
        names[unit] = name
    return names


def workbook(folder: PlanFolder, unit: str) -> Workbook:
    book = Workbook()
    info = book.active
    info.title = L.INFO
    _info(info, folder, unit)
    _tasks(book.create_sheet(L.TASKS), folder, unit)
    _targets(book.create_sheet(L.TARGETS), folder, unit)
    book.active = 1
    return book


def write_templates(folder: PlanFolder, out: str | Path) -> list[str]:
    """Write one workbook per lead unit into ``out`` (replaced as a whole); the file names."""
    from dondoc.files import replace_folder

    names = file_names(L.lead_units(folder))
    with replace_folder(Path(out)) as staging:
        for unit, name in names.items():
            workbook(folder, unit).save(staging.path(name))
    return list(names.values())


def _info(sheet: Worksheet, folder: PlanFolder, unit: str) -> None:
    plan = folder.plan
    rows = (
        ("Kế hoạch", plan.key),
        ("Tên kế hoạch", plan.title),
        ("Đơn vị báo cáo", unit),
        ("Mẫu", L.VERSION),
        ("Cách điền", "Sheet 'Nhiệm vụ': chọn Tình trạng, ghi Ngày báo cáo (và Ngày hoàn thành khi đã "
                      "hoàn thành). Sheet 'Chỉ tiêu': ghi Tử số và Mẫu số, hoặc Giá trị, và Ngày đo. "
                      "Ngày ghi dd/mm/yyyy. Các cột nền trắng không sửa."),
    )
    for r, (key, value) in enumerate(rows, start=1):
        sheet.cell(r, 1, key).font = _HEAD
        cell = spreadsheet_cell(sheet.cell(r, 2), value)  # a title or unit may open with '='
        cell.font, cell.alignment = _BODY, _WRAP
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 100
    _print_setup(sheet)
    sheet.print_title_rows = None
    sheet.protection.sheet = True


def _print_setup(sheet: Worksheet) -> None:
    """A4 landscape, one page wide, the header row on every page: units print these to sign."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_title_rows = "1:1"


def _header(sheet: Worksheet, columns) -> None:
    for c, (name, width, fill) in enumerate(columns, start=1):
        cell = sheet.cell(1, c, name)
        cell.font, cell.alignment = _HEAD, Alignment(wrap_text=True, vertical="center")
        if fill:
            cell.fill = _FILL_ME
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"
    _print_setup(sheet)


def _row(sheet: Worksheet, r: int, columns, values) -> None:
    # Excel and LibreOffice do not grow a row for wrapped text written by a program: say how tall
    lines = max(1, *(-(-len(str(v)) // max(8, int(w * 1.15))) for (_, w, _), v in zip(columns, values) if v))
    sheet.row_dimensions[r].height = 15 * lines
    for c, ((_, _, fill), value) in enumerate(zip(columns, values), start=1):
        cell = spreadsheet_cell(sheet.cell(r, c), value)  # a title is text, never a formula
        cell.font, cell.alignment = _BODY, _WRAP
        if fill:
            cell.protection = Protection(locked=False)
            cell.fill = _FILL_ME
        if hasattr(value, "year"):
            cell.number_format = "DD/MM/YYYY"


def _date_validation(sheet: Worksheet, ref: str) -> None:
    dv = DataValidation(
        type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2100,12,31)",
        allow_blank=True, showErrorMessage=True, errorTitle="Ngày không hợp lệ",
        error="Ghi ngày dạng dd/mm/yyyy, từ năm 2000 đến 2100.",
    )
    sheet.add_data_validation(dv)
    dv.add(ref)


def _tasks(sheet: Worksheet, folder: PlanFolder, unit: str) -> None:
    columns = L.TASK_COLUMNS
    _header(sheet, columns)
    r = L.FIRST_ROW
    for task in L.unit_tasks(folder, unit):
        for period, due in L.task_rows(folder, task):
            values = (task.id, task.number, task.title, task.deadline.phrase, period, due, None, None, None, None)
            _row(sheet, r, columns, values)
            r += 1
    last = max(r - 1, L.FIRST_ROW)
    status = DataValidation(
        type="list", formula1='"' + ",".join(L.STATUSES) + '"', allow_blank=True,
        showErrorMessage=True, errorTitle="Tình trạng không hợp lệ",
        error="Chọn một trong: " + ", ".join(L.STATUSES),
    )
    sheet.add_data_validation(status)
    col = lambda name: sheet.cell(1, L.column(columns, name)).column_letter  # noqa: E731
    status.add(f"{col('Tình trạng')}{L.FIRST_ROW}:{col('Tình trạng')}{last}")
    for name in ("Ngày hoàn thành", "Ngày báo cáo"):
        _date_validation(sheet, f"{col(name)}{L.FIRST_ROW}:{col(name)}{last}")
    sheet.protection.sheet = True


def _targets(sheet: Worksheet, folder: PlanFolder, unit: str) -> None:
    columns = L.TARGET_COLUMNS
    _header(sheet, columns)
    r = L.FIRST_ROW
    for target in L.unit_targets(folder, unit):
        for period in L.target_periods(folder, target):
            values = (target.id, target.metric, L.level_text(target), period, None, None, None, None, None)
            _row(sheet, r, columns, values)
            r += 1
    last = max(r - 1, L.FIRST_ROW)
    col = lambda name: sheet.cell(1, L.column(columns, name)).column_letter  # noqa: E731
    numbers = DataValidation(
        type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
        showErrorMessage=True, errorTitle="Số không hợp lệ", error="Ghi một số không âm.",
    )
    sheet.add_data_validation(numbers)
    numbers.add(f"{col('Tử số')}{L.FIRST_ROW}:{col('Giá trị')}{last}")
    _date_validation(sheet, f"{col('Ngày đo')}{L.FIRST_ROW}:{col('Ngày đo')}{last}")
    sheet.protection.sheet = True
