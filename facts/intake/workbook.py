"""Reading filled workbooks back: every cell checked, errors by file, sheet and cell, in Vietnamese.

A row counts as reported when its status (tasks) or a number (targets) is filled. Nothing is
taken from a workbook with an error: every error of every file is listed, and the person
corrects them and runs the command again.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from dondoc.errors import InputError, InputErrors
from dondoc.facts.intake import layout as L
from dondoc.facts.models import Measurement, PlanFolder, Progress


@dataclass(frozen=True)
class Reported:
    """One row to merge: the CSV cells and where it came from."""

    cells: dict[str, str]
    where: str  # "tệp.xlsx, sheet 'Nhiệm vụ', dòng 5"


@dataclass
class IntakeResult:
    progress: list[Reported] = field(default_factory=list)
    measurements: list[Reported] = field(default_factory=list)


def read_workbooks(files: list[str | Path], folder: PlanFolder) -> IntakeResult:
    """Read every workbook; raise InputErrors listing every bad cell of every file."""
    result = IntakeResult()
    errors: list[InputError] = []
    for file in files:
        _read_one(Path(file), folder, result, errors)
    if errors:
        raise InputErrors(errors)
    return result


def _open(path: Path):
    from openpyxl import load_workbook

    try:
        return load_workbook(path, data_only=True)
    except FileNotFoundError:
        raise InputError(path, "không có tệp này (no such file)") from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(
            path,
            f"không mở được sổ Excel (.xlsx): {exc} (not a readable .xlsx)",
            hint="mở bằng Excel và lưu lại dạng .xlsx / save it again as .xlsx",
        ) from None


def _read_one(path: Path, folder: PlanFolder, result: IntakeResult, errors: list[InputError]) -> None:
    try:
        book = _open(path)
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

    def error(self, header: str, message: str, hint: str | None = None) -> None:
        self.failed = True
        self.errors.append(InputError(self.path, message, where=self.ref(header), hint=hint))

    def text(self, header: str) -> str:
        value = self.raw(header)
        return "" if value is None else str(value).strip()

    def date(self, header: str) -> dt.date | None:
        value = self.raw(header)
        if value in (None, ""):
            return None
        if isinstance(value, dt.date):  # Excel's own date cells (openpyxl gives datetimes)
            return value.date() if isinstance(value, dt.datetime) else value
        if isinstance(value, str):
            for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
                try:
                    return dt.datetime.strptime(value, fmt).date()
                except ValueError:
                    continue
        self.error(header, f"'{header}' không phải ngày: '{value}'", "ghi ngày dạng dd/mm/yyyy, ví dụ 30/06/2026")
        return None

    def number(self, header: str) -> float | None:
        value = self.raw(header)
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            value = str(value)
        if isinstance(value, (int, float)):
            number = float(value)
        else:
            text = str(value).replace(" ", "").replace("\u00a0", "")
            # Vietnamese writing: "1.234,5" (dot groups thousands, comma decimal)
            text = text.replace(".", "").replace(",", ".") if "," in text else text
            try:
                number = float(text)
            except ValueError:
                self.error(header, f"'{header}' không phải số: '{value}'", "ghi một số, ví dụ 98,6")
                return None
        if number < 0:
            self.error(header, f"'{header}' là số âm ({value})", "ghi một số không âm")
            return None
        return number


def _rows(path: Path, sheet, columns, errors):
    """(row number, its cells) for every row under the headers."""
    for row in range(L.FIRST_ROW, sheet.max_row + 1):
        yield row, _Cells(path, sheet, columns, row, errors)


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
        if status.lower() not in L.STATUSES:
            cells.error("Tình trạng", f"Tình trạng '{status}' không có trong danh sách", "chọn: " + ", ".join(L.STATUSES))
            continue
        status = status.lower()
        period = cells.text("Kỳ")
        if period not in {p for p, _ in L.task_rows(folder, mine[task_id])}:
            cells.error("Kỳ", f"kỳ '{period}' không phải một kỳ của nhiệm vụ {task_id}", "không sửa cột Kỳ")
        done_on, reported_on = cells.date("Ngày hoàn thành"), cells.date("Ngày báo cáo")
        if reported_on is None and not cells.failed:
            cells.error("Ngày báo cáo", "thiếu Ngày báo cáo", "ghi ngày báo cáo dạng dd/mm/yyyy")
        if status == "hoàn thành" and done_on is None and not cells.failed:
            cells.error("Ngày hoàn thành", "Tình trạng 'hoàn thành' cần Ngày hoàn thành")
        if status != "hoàn thành" and done_on is not None:
            cells.error("Ngày hoàn thành", f"có Ngày hoàn thành nhưng Tình trạng là '{status}'",
                        "chọn 'hoàn thành' hoặc xoá Ngày hoàn thành")
        if done_on and reported_on and done_on > reported_on:
            cells.error("Ngày hoàn thành", f"Ngày hoàn thành {done_on:%d/%m/%Y} sau Ngày báo cáo {reported_on:%d/%m/%Y}")
        if cells.failed:
            continue
        row_cells = {
            "task": task_id, "period": period, "status": status,
            "done_on": done_on.isoformat() if done_on else "",
            "reported_on": reported_on.isoformat(), "evidence": cells.text("Ghi chú, minh chứng"),
        }
        Progress.model_validate({k: v for k, v in row_cells.items() if v})  # the model's own checks
        result.progress.append(Reported(row_cells, f"{path.name}, sheet '{sheet.title}', dòng {row}"))


def _targets(path: Path, sheet, folder: PlanFolder, unit: str, result: IntakeResult, errors) -> None:
    mine = {t.id: t for t in L.unit_targets(folder, unit)}
    for row, cells in _rows(path, sheet, L.TARGET_COLUMNS, errors):
        target_id = cells.text("Mã chỉ tiêu")
        numbers = {h: cells.number(h) for h in ("Tử số", "Mẫu số", "Giá trị")}
        measured_on = cells.date("Ngày đo")
        if not target_id and not any(v is not None for v in numbers.values()):
            continue
        if target_id not in mine:
            cells.error("Mã chỉ tiêu", f"chỉ tiêu '{target_id}' không phải chỉ tiêu của '{unit}' trong kế hoạch",
                        "không sửa các cột nền trắng; tạo lại sổ nếu kế hoạch đã đổi")
            continue
        if all(v is None for v in numbers.values()) and not cells.failed:
            if measured_on is not None or cells.text("Nguồn số liệu"):
                cells.error("Giá trị", "đã ghi Ngày đo hoặc Nguồn nhưng chưa ghi số liệu",
                            "ghi Tử số và Mẫu số, hoặc Giá trị")
            continue
        if cells.failed:
            continue
        num, den, value = numbers["Tử số"], numbers["Mẫu số"], numbers["Giá trị"]
        period = cells.text("Kỳ")
        if not L.PERIOD.match(period):
            cells.error("Kỳ", f"Kỳ '{period}' không đúng dạng", "ghi 2026, 2026-Q3, 2026-H2 hoặc 2026-10")
        if value is None and (num is None or den is None):
            cells.error("Mẫu số" if num is not None else "Tử số", "cần cả Tử số và Mẫu số (hoặc chỉ ghi Giá trị)")
        if den == 0:
            cells.error("Mẫu số", "Mẫu số bằng 0", "mẫu số là tổng số (hồ sơ, ...), lớn hơn 0")
        if num is not None and den and num > den and mine[target_id].unit == "%":
            cells.error("Tử số", f"Tử số {num:g} lớn hơn Mẫu số {den:g}: tỷ lệ quá 100%")
        if value is not None and num is not None and den:
            cells.error("Giá trị", "ghi Tử số và Mẫu số, hoặc Giá trị, không ghi cả hai")
        if measured_on is None and not cells.failed:
            cells.error("Ngày đo", "thiếu Ngày đo", "ghi ngày đo dạng dd/mm/yyyy")
        if cells.failed:
            continue
        row_cells = {
            "target": target_id, "period": period,
            "value": _plain(value), "numerator": _plain(num), "denominator": _plain(den),
            "measured_on": measured_on.isoformat(), "source": cells.text("Nguồn số liệu") or f"{unit} ({path.name})",
        }
        Measurement.model_validate({k: v for k, v in row_cells.items() if v})
        result.measurements.append(Reported(row_cells, f"{path.name}, sheet '{sheet.title}', dòng {row}"))


def _plain(number: float | None) -> str:
    """98.6 -> '98.6', 120.0 -> '120': what progress/measurements CSV files hold."""
    return "" if number is None else format(number, ".15g")
