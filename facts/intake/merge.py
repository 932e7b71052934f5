"""Merging what units reported into progress.csv and measurements.csv, losing nothing.

Rows already in the files stay as they are, byte for byte: new rows are appended. A row that
is already there (the same cells) is not added again, so reading the same workbook twice
changes nothing. Two values for one period are a conflict: the row already in the file (or read
first) is kept, the other is not written, and both are reported for a person to settle.

    progress.csv      a row per report: (task, period, reported_on) identifies it
    measurements.csv  a value per target and period: (target, period) identifies it

Until the CSV writer shared by facts/ is on main, the text is made by ``csv_append`` (the one
function to swap) and written with store/writer.py ``replace_file``, which keeps the previous
file as NAME.~N~.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from dondoc.facts.errors import InputError
from dondoc.facts.intake.workbook import IntakeResult, Reported
from dondoc.facts.planfolder import MEASUREMENTS_FILE, PROGRESS_FILE
from dondoc.facts.yamlio import read_csv

PROGRESS_COLUMNS = ("task", "period", "status", "done_on", "reported_on", "evidence")
MEASUREMENT_COLUMNS = ("target", "period", "value", "numerator", "denominator", "measured_on", "source")
_PROGRESS_KEY = ("task", "period", "reported_on")
_MEASUREMENT_KEY = ("target", "period")
_MEASURED = ("value", "numerator", "denominator")


@dataclass(frozen=True)
class Conflict:
    key: str  # "CT02 2026"
    kept: str  # the values kept, and where they are
    refused: str  # the values not written, and where they came from


@dataclass
class MergeReport:
    added: dict[str, int] = field(default_factory=dict)  # file name -> rows appended
    unchanged: dict[str, int] = field(default_factory=dict)  # rows already there
    conflicts: list[Conflict] = field(default_factory=list)


def merge(result: IntakeResult, plan_dir: str | Path) -> MergeReport:
    """Append the new rows to the plan folder's CSV files; report repeats and conflicts."""
    plan_dir = Path(plan_dir)
    report = MergeReport()
    _merge_file(plan_dir / PROGRESS_FILE, PROGRESS_COLUMNS, _PROGRESS_KEY, ("status", "done_on", "evidence"),
                result.progress, report)
    _merge_file(plan_dir / MEASUREMENTS_FILE, MEASUREMENT_COLUMNS, _MEASUREMENT_KEY, _MEASURED,
                result.measurements, report)
    return report


def _same_number(a: str, b: str) -> bool:
    try:
        return float(a) == float(b)
    except ValueError:
        return a == b


def _values(cells: dict[str, str], compared: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(cells.get(c, "") for c in compared)


def _equal(a: dict[str, str], b: dict[str, str], compared: tuple[str, ...]) -> bool:
    return all(_same_number(x, y) if x and y else x == y for x, y in zip(_values(a, compared), _values(b, compared)))


def _merge_file(path: Path, columns, key_cols, compared, rows: list[Reported], report: MergeReport) -> None:
    existing: dict[tuple, tuple[dict[str, str], str]] = {}
    if path.is_file():
        for line, cells in read_csv(path):
            existing.setdefault(tuple(cells.get(k, "") for k in key_cols), (cells, f"{path.name} dòng {line}"))
    new: list[dict[str, str]] = []
    added = unchanged = 0
    for row in rows:
        key = tuple(row.cells.get(k, "") for k in key_cols)
        if key in existing:
            cells, where = existing[key]
            if _equal(cells, row.cells, compared):
                unchanged += 1
            else:
                report.conflicts.append(
                    Conflict(
                        key=" ".join(k for k in key if k),
                        kept=f"{_show(cells, compared)} ({where})",
                        refused=f"{_show(row.cells, compared)} ({row.where})",
                    )
                )
            continue
        existing[key] = (row.cells, row.where)
        new.append(row.cells)
        added += 1
    report.added[path.name] = added
    report.unchanged[path.name] = unchanged
    if new:
        from dondoc.store.writer import replace_file

        before = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
        header, _ = _header_of(before, columns)
        lacking = sorted({c for row in new for c, v in row.items() if v and c not in header})
        if lacking:
            raise InputError(
                path, f"tệp thiếu cột {', '.join(lacking)} để ghi số liệu mới", line=1,
                hint="thêm các cột đó vào dòng đầu của tệp rồi chạy lại",
            )
        replace_file(path, csv_append(before, columns, new))


def _show(cells: dict[str, str], compared: tuple[str, ...]) -> str:
    return ", ".join(f"{c}={cells.get(c, '')}" for c in compared if cells.get(c, ""))


def _header_of(text: str, columns: tuple[str, ...]) -> tuple[list[str], str]:
    """The columns of a CSV text and its delimiter (a file saved by Excel in a Vietnamese locale
    uses ';'); the default columns for a new file."""
    header_line = text.split("\n", 1)[0] if text.strip() else ""
    if not header_line:
        return list(columns), ","
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    return [h.strip() for h in next(csv.reader([header_line], delimiter=delimiter))], delimiter


def csv_append(before: str, columns: tuple[str, ...], rows: list[dict[str, str]]) -> str:
    """The file's text with ``rows`` appended in its own column order and delimiter, the earlier
    lines unchanged."""
    header, delimiter = _header_of(before, columns)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    if not before.strip():
        writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    text = before if not before or before.endswith("\n") else before + "\n"
    return text + out.getvalue()
