"""Merging what units reported into progress.csv and measurements.csv, losing nothing.

Rows already in the files stay as they are, byte for byte: new rows are appended. A row that
is already there (the same cells) is not added again, so reading the same workbook twice
changes nothing. Two values for one period are a conflict: the row already in the file (or read
first) is kept, the other is not written, and both are reported for a person to settle.

    progress.csv      a row per report: (task, period, reported_on) identifies it
    measurements.csv  a value per target and period: (target, period) identifies it

Rows are appended by facts/csvio.py ``append_csv`` (the one CSV writer): in the file's own
separator and decimal mark (a file saved by Excel in a Vietnamese locale stays ';' with decimal
commas), through files.py ``replace_file``, which keeps the previous file as NAME.~N~.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dondoc.facts.csvio import append_csv
from dondoc.facts.intake.workbook import IntakeResult, Reported
from dondoc.facts.planfolder import MEASUREMENTS_FILE, PROGRESS_FILE
from dondoc.facts.csvio import read_csv

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
        append_csv(path, list(columns), [_typed(row) for row in new])


def _typed(cells: dict[str, str]) -> dict[str, object]:
    """Numbers as numbers, so that the writer puts them in the file's decimal mark."""
    return {c: float(v) if c in _MEASURED and v else v for c, v in cells.items()}


def _show(cells: dict[str, str], compared: tuple[str, ...]) -> str:
    return ", ".join(f"{c}={cells.get(c, '')}" for c in compared if cells.get(c, ""))
