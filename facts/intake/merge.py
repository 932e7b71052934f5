"""Merging what units reported into progress.csv and measurements.csv, losing nothing.

Rows already in the files stay as they are, byte for byte: new rows are appended. A row that
is already there (the same cells) is not added again, so reading the same workbook twice
changes nothing. Two values for one period are a conflict: the row already in the file (or read
first) is kept, the other is not written, and both are reported for a person to settle.
Numbers are compared as numbers, however written ("91,2" in a file saved by Excel in a
Vietnamese locale is the workbook's 91.2: dondoc.text.parse_number).

    progress.csv      a row per report: (task, period, reported_on) identifies it
    measurements.csv  a value per target and period: (target, period) identifies it

``intake_read`` does it all under the plan folder's lock (facts/planfolder.py ``writing``):
the plan, the workbooks and the CSV files are read, every cell is checked, the new files are
made (facts/csvio.py ``appended``: the file's own separator and decimal mark) and read back as
the plan folder they will make; only then are both written, as one change (files.py
``replace_files``), each previous file kept as NAME.~N~ unless dondoc wrote it unchanged. Two
`intake read` at once take turns: the second reads what the first wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dondoc.facts.csvio import appended, read_table
from dondoc.facts.intake.workbook import IntakeResult, Reported, read_workbooks
from dondoc.facts.planfolder import MEASUREMENTS_FILE, PROGRESS_FILE, read_plan_folder, write_files, writing
from dondoc.errors import EXIT_FINDINGS, EXIT_OK, InputError
from dondoc.text import parse_number, same_number

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
    warnings: list[InputError] = field(default_factory=list)  # from the workbooks (formulas with no value)
    kept: dict[str, Path | None] = field(default_factory=dict)  # file name -> its previous version's copy

    @property
    def status(self) -> int:
        """1 when some row conflicts with a figure already there (the others are written), else 0."""
        return EXIT_FINDINGS if self.conflicts else EXIT_OK


def intake_read(files: list[str | Path], plan_dir: str | Path) -> MergeReport:
    """`dondoc intake read`: the workbooks ``files`` checked and merged into ``plan_dir``, under its lock."""
    with writing(plan_dir) as folder:
        plan = read_plan_folder(folder)
        result = read_workbooks(list(files), plan)
        return merge(result, folder)


def merge(result: IntakeResult, plan_dir: str | Path) -> MergeReport:
    """Append the new rows to the plan folder's CSV files; report repeats and conflicts.
    The caller holds the folder's lock (``intake_read``); nothing is written unless the
    folder, changed, reads back whole."""
    plan_dir = Path(plan_dir)
    report = MergeReport(warnings=list(result.warnings))
    pending: dict[str, bytes] = {}
    for name, columns, key, compared, rows in (
        (PROGRESS_FILE, PROGRESS_COLUMNS, _PROGRESS_KEY, ("status", "done_on", "evidence"), result.progress),
        (MEASUREMENTS_FILE, MEASUREMENT_COLUMNS, _MEASUREMENT_KEY, _MEASURED, result.measurements),
    ):
        new = _merge_file(plan_dir / name, columns, key, compared, rows, report)
        if new:
            pending[name] = appended(plan_dir / name, list(columns), [_typed(row) for row in new])
    if pending:
        report.kept = write_files(plan_dir, pending)
    return report


def _same(existing: str, new: str, thousands: str | None) -> bool:
    """A cell of the file (in its own dialect) and a cell just read, as numbers when they are."""
    try:
        return same_number(parse_number(existing, thousands), new)
    except ValueError:
        return existing == new


def _merge_file(path: Path, columns, key_cols, compared, rows: list[Reported], report: MergeReport) -> list[dict]:
    existing: dict[tuple, tuple[dict[str, str], str, str | None]] = {}
    table = read_table(path, optional=True)
    if table is not None:
        for line, cells in table.rows:
            existing.setdefault(
                tuple(cells.get(k, "") for k in key_cols), (cells, f"{path.name} dòng {line}", table.dialect.thousands)
            )
    new: list[dict[str, str]] = []
    added = unchanged = 0
    for row in rows:
        key = tuple(row.cells.get(k, "") for k in key_cols)
        if key in existing:
            cells, where, thousands = existing[key]
            if _equal(cells, row.cells, compared, thousands):
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
        existing[key] = (row.cells, row.where, None)
        new.append(row.cells)
        added += 1
    report.added[path.name] = added
    report.unchanged[path.name] = unchanged
    return new


def _equal(a: dict[str, str], b: dict[str, str], compared: tuple[str, ...], thousands: str | None) -> bool:
    pairs = zip((a.get(c, "") for c in compared), (b.get(c, "") for c in compared))
    return all(_same(x, y, thousands) if x and y else x == y for x, y in pairs)


def _typed(cells: dict[str, str]) -> dict[str, object]:
    """Numbers as numbers, so that the writer puts them in the file's decimal mark."""
    return {c: parse_number(v) if c in _MEASURED and v else v for c, v in cells.items()}


def _show(cells: dict[str, str], compared: tuple[str, ...]) -> str:
    return ", ".join(f"{c}={cells.get(c, '')}" for c in compared if cells.get(c, ""))
