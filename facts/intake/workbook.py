"""Reading filled workbooks back: every cell checked, errors by file, sheet and cell, in Vietnamese.

A row counts as reported when its status (tasks) or a number (targets) is filled. Nothing is
taken from a workbook with an error: every error of every file is listed, and the person
corrects them and runs the command again.

What a report or a measurement may hold is the models' to say (facts/models.py: Progress,
Measurement, Target.value_problem), as for a CSV file: a row is handed to its model with the
cells as written, and each error the model finds is named at its cell. Here are only the
checks of the workbook itself (its sheets, version, plan and unit; a row of the unit's own
task or target, in one of its periods; a report date to key the row by).

A workbook is bounded before it is read (limits.py): its uncompressed size, then each
sheet's rows and columns, so that a cell at row 1,048,576 or a zip bomb is refused in
milliseconds. A formula whose value the workbook does not hold (saved by a program that does
not compute) reads as empty: it is warned, with its cell.
"""

from __future__ import annotations

import os
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from dondoc import limits
from dondoc.errors import InputError, InputErrors
from dondoc.facts.intake import layout as L
from dondoc.facts.models import Measurement, PlanFolder, Progress
from dondoc.facts.yamlio import describe


@dataclass(frozen=True)
class Reported:
    """One row to merge: the CSV cells and where it came from."""

    cells: dict[str, str]
    where: str  # "tệp.xlsx, sheet 'Nhiệm vụ', dòng 5"


@dataclass
class IntakeResult:
    progress: list[Reported] = field(default_factory=list)
    measurements: list[Reported] = field(default_factory=list)
    warnings: list[InputError] = field(default_factory=list)  # read, but a person should look


def read_workbooks(files: list[str | Path], folder: PlanFolder) -> IntakeResult:
    """Read every workbook; raise InputErrors listing every bad cell of every file."""
    result = IntakeResult()
    errors: list[InputError] = []
    for file in files:
        _read_one(Path(file), folder, result, errors)
    if errors:  # a formula read as empty is likely the cause of an error in its row: both are said
        raise InputErrors(result.warnings + errors)
    return result


def _load(path: Path, data_only: bool):
    from openpyxl import load_workbook

    try:
        return load_workbook(path, data_only=data_only)
    except FileNotFoundError:
        raise InputError(path, "không có tệp này (no such file)") from None
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError) as exc:
        raise InputError(
            path,
            f"không mở được sổ Excel (.xlsx): {exc} (not a readable .xlsx)",
            hint="mở bằng Excel và lưu lại dạng .xlsx / save it again as .xlsx",
        ) from None
    except Exception as exc:  # noqa: BLE001 - lxml's errors on a damaged part: bad input, said so
        raise InputError(path, f"sổ Excel bị hỏng: {type(exc).__name__}: {exc} (damaged .xlsx)") from None


def _open(path: Path):
    """The workbook's values, and its formulas (for those it holds no value of); bounded first."""
    try:
        found = os.stat(path)
    except OSError:
        found = None  # said below, by the open
    if found is not None and not stat.S_ISREG(found.st_mode) and not stat.S_ISDIR(found.st_mode):
        raise InputError(path, "không phải tệp thường (FIFO, thiết bị): không đọc (not a regular file)")  # would block
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except FileNotFoundError:
        raise InputError(path, "không có tệp này (no such file)") from None
    except IsADirectoryError:
        raise InputError(path, "là thư mục, không phải sổ Excel (a folder)") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise InputError(
            path,
            f"không mở được sổ Excel (.xlsx): {exc} (not a readable .xlsx)",
            hint="mở bằng Excel và lưu lại dạng .xlsx / save it again as .xlsx",
        ) from None
    # The declared sizes bound what is inflated: zipfile stops at them (a lying entry fails its CRC).
    limits.check("xlsx_bytes", unpacked, path, "sổ Excel giải nén ra")
    values = _load(path, data_only=True)
    for sheet in values.worksheets:
        where = {"where": f"sheet '{sheet.title}'"}
        limits.check("xlsx_rows", sheet.max_row, path, "số dòng (tới ô cuối có dữ liệu hoặc định dạng)", **where)
        limits.check("xlsx_columns", sheet.max_column, path, "số cột", **where)
    return values, _load(path, data_only=False)


def _unsaved_formulas(path: Path, values, formulas, result: IntakeResult) -> None:
    """A formula cell that holds no value reads as empty: say so, cell by cell, never silently."""
    for name in (L.TASKS, L.TARGETS):
        if name not in formulas.sheetnames:
            continue
        shown = values[name]
        for row in formulas[name].iter_rows(min_row=L.FIRST_ROW):
            for cell in row:
                if cell.data_type == "f" and shown[cell.coordinate].value is None:
                    result.warnings.append(InputError(
                        path,
                        f"ô có công thức '{str(cell.value)[:60]}' nhưng sổ không lưu giá trị của nó: đọc là ô trống",
                        where=f"sheet '{name}', ô {cell.coordinate}",
                        hint="mở sổ bằng Excel (hoặc LibreOffice) cho công thức được tính, lưu lại rồi đọc lại;"
                        " hoặc ghi thẳng con số",
                    ))


def _read_one(path: Path, folder: PlanFolder, result: IntakeResult, errors: list[InputError]) -> None:
    try:
        book, formulas = _open(path)
    except InputError as exc:
        errors.append(exc)
        return
    missing = [name for name in (L.INFO, L.TASKS, L.TARGETS) if name not in book.sheetnames]
    if missing:
        errors.append(
            InputError(
                path,
                f"không phải sổ báo cáo của dondoc: thiếu sheet {', '.join(repr(m) for m in missing)}",
                hint="dùng sổ do 'dondoc intake template' tạo ra",
            )
        )
        return
    info = {str(r[0].value): r[1].value for r in book[L.INFO].iter_rows(max_col=2) if r[0].value}
    unit = str(info.get("Đơn vị báo cáo") or "")
    where_info = f"sheet '{L.INFO}'"
    if info.get("Mẫu") != L.VERSION:
        errors.append(InputError(path, f"mẫu sổ '{info.get('Mẫu')}' không đúng mẫu {L.VERSION}", where=where_info,
                                 hint="tạo lại sổ bằng 'dondoc intake template'"))
        return
    if info.get("Kế hoạch") != folder.plan.key:
        errors.append(InputError(
            path,
            f"sổ này lập cho kế hoạch '{info.get('Kế hoạch')}', không phải '{folder.plan.key}'",
            where=where_info, hint="đọc sổ với đúng thư mục kế hoạch (--plan)",
        ))
        return
    if unit not in L.lead_units(folder):
        errors.append(InputError(path, f"đơn vị '{unit}' không chủ trì nhiệm vụ, chỉ tiêu nào của kế hoạch",
                                 where=where_info))
        return
    _unsaved_formulas(path, book, formulas, result)
    _tasks(path, book[L.TASKS], folder, unit, result, errors)
    _targets(path, book[L.TARGETS], folder, unit, result, errors)


class _Cells:
    """One row's cells by header, and the errors found in them."""

    def __init__(self, path: Path, sheet, columns, row: int, errors: list[InputError]):
        self.path, self.sheet, self.columns, self.row, self.errors = path, sheet, columns, row, errors
        self.failed = False

    def ref(self, header: str) -> str:
        cell = self.sheet.cell(self.row, L.column(self.columns, header))
        return f"sheet '{self.sheet.title}', ô {cell.coordinate}"

    def raw(self, header: str):
        value = self.sheet.cell(self.row, L.column(self.columns, header)).value
        return value.strip() if isinstance(value, str) else value

    def given(self, header: str):
        """The cell as written (None when empty): the model reads it (dates, "98,6", ...)."""
        value = self.raw(header)
        return None if value == "" else value

    def error(self, header: str, message: str, hint: str | None = None) -> None:
        self.failed = True
        self.errors.append(InputError(self.path, message, where=self.ref(header), hint=hint))

    def text(self, header: str) -> str:
        value = self.raw(header)
        return "" if value is None else str(value).strip()

    def model(self, model, data: dict, headers: dict[str, str], whole: str):
        """``data`` validated by ``model``; each error named at the cell of its field (``headers``:
        field -> column header), an error of the row as a whole at the ``whole`` column."""
        try:
            return model.model_validate({k: v for k, v in data.items() if v is not None})
        except ValidationError as exc:
            for err in exc.errors():
                field = next((p for p in err["loc"] if isinstance(p, str)), None)
                header = headers.get(field or "", whole)
                if err["type"] == "missing":
                    said = f"thiếu {header}"
                elif not err["loc"]:  # the row as a whole (the model's own check)
                    said = err["msg"].removeprefix("Value error, ")
                else:
                    said = describe(err, named=False)
                self.error(header, f"'{header}': {said}")
            return None


def _rows(path: Path, sheet, columns, errors):
    """(row number, its cells) for every row under the headers."""
    for row in range(L.FIRST_ROW, sheet.max_row + 1):
        yield row, _Cells(path, sheet, columns, row, errors)


_PROGRESS_CELLS = {"task": "Mã nhiệm vụ", "period": "Kỳ", "status": "Tình trạng", "done_on": "Ngày hoàn thành",
                   "reported_on": "Ngày báo cáo", "evidence": "Ghi chú, minh chứng"}
_MEASUREMENT_CELLS = {"target": "Mã chỉ tiêu", "period": "Kỳ", "value": "Giá trị", "numerator": "Tử số",
                      "denominator": "Mẫu số", "measured_on": "Ngày đo", "source": "Nguồn số liệu"}


def _tasks(path: Path, sheet, folder: PlanFolder, unit: str, result: IntakeResult, errors) -> None:
    mine = {t.id: t for t in L.unit_tasks(folder, unit)}
    for row, cells in _rows(path, sheet, L.TASK_COLUMNS, errors):
        task_id = cells.text("Mã nhiệm vụ")
        status = cells.text("Tình trạng")
        filled = [h for h in ("Ngày hoàn thành", "Ngày báo cáo", "Ghi chú, minh chứng") if cells.text(h)]
        if not task_id and not status and not filled:
            continue
        if task_id not in mine:
            cells.error("Mã nhiệm vụ", f"nhiệm vụ '{task_id}' không phải nhiệm vụ '{unit}' chủ trì trong kế hoạch",
                        "không sửa các cột nền trắng; tạo lại sổ nếu kế hoạch đã đổi")
            continue
        if not status:
            if filled:
                cells.error("Tình trạng", f"đã ghi {', '.join(filled)} nhưng chưa chọn Tình trạng",
                            "chọn: " + ", ".join(L.STATUSES))
            continue
        period = cells.text("Kỳ")
        if period not in {p for p, _ in L.task_rows(folder, mine[task_id])}:
            cells.error("Kỳ", f"kỳ '{period}' không phải một kỳ của nhiệm vụ {task_id}", "không sửa cột Kỳ")
        if cells.given("Ngày báo cáo") is None:  # a report is known by its date (merge.py)
            cells.error("Ngày báo cáo", "thiếu Ngày báo cáo", "ghi ngày báo cáo dạng dd/mm/yyyy")
        data = {field: cells.given(header) for field, header in _PROGRESS_CELLS.items()}
        data.update(task=task_id, period=period, evidence=cells.text("Ghi chú, minh chứng") or None)
        report = cells.model(Progress, data, _PROGRESS_CELLS, "Ngày hoàn thành")
        if report is None or cells.failed:
            continue
        row_cells = {
            "task": task_id, "period": period, "status": report.status,
            "done_on": report.done_on.isoformat() if report.done_on else "",
            "reported_on": report.reported_on.isoformat(), "evidence": report.evidence,
        }
        result.progress.append(Reported(row_cells, f"{path.name}, sheet '{sheet.title}', dòng {row}"))


def _targets(path: Path, sheet, folder: PlanFolder, unit: str, result: IntakeResult, errors) -> None:
    mine = {t.id: t for t in L.unit_targets(folder, unit)}
    for row, cells in _rows(path, sheet, L.TARGET_COLUMNS, errors):
        target_id = cells.text("Mã chỉ tiêu")
        numbers = {h: cells.given(h) for h in ("Tử số", "Mẫu số", "Giá trị")}
        if not target_id and all(v is None for v in numbers.values()):
            continue
        if target_id not in mine:
            cells.error("Mã chỉ tiêu", f"chỉ tiêu '{target_id}' không phải chỉ tiêu của '{unit}' trong kế hoạch",
                        "không sửa các cột nền trắng; tạo lại sổ nếu kế hoạch đã đổi")
            continue
        if all(v is None for v in numbers.values()):
            if cells.given("Ngày đo") is not None or cells.text("Nguồn số liệu"):
                cells.error("Giá trị", "đã ghi Ngày đo hoặc Nguồn nhưng chưa ghi số liệu",
                            "ghi Tử số và Mẫu số, hoặc Giá trị")
            continue
        period = cells.text("Kỳ")
        if not L.PERIOD.match(period):
            cells.error("Kỳ", f"Kỳ '{period}' không đúng dạng", "ghi 2026, 2026-Q3, 2026-H2 hoặc 2026-10")
        data = {field: cells.given(header) for field, header in _MEASUREMENT_CELLS.items()}
        data.update(target=target_id, period=period,
                    source=cells.text("Nguồn số liệu") or f"{unit} ({path.name})")
        measured = cells.model(Measurement, data, _MEASUREMENT_CELLS, "Giá trị")
        if measured is None:
            continue
        target = mine[target_id]
        problem = target.value_problem(measured.actual)
        if problem:
            cells.error("Giá trị" if measured.value is not None else "Tử số", f"chỉ tiêu {target.id}: {problem}",
                        f"kiểm tra số liệu ({target.metric}, đơn vị '{target.unit}')")
        if cells.failed:
            continue
        row_cells = {
            "target": target_id, "period": period,
            "value": _plain(measured.value), "numerator": _plain(measured.numerator),
            "denominator": _plain(measured.denominator),
            "measured_on": measured.measured_on.isoformat(), "source": measured.source,
        }
        result.measurements.append(Reported(row_cells, f"{path.name}, sheet '{sheet.title}', dòng {row}"))


def _plain(number: float | None) -> str:
    """98.6 -> '98.6', 120.0 -> '120': what progress/measurements CSV files hold."""
    return "" if number is None else format(number, ".15g")
