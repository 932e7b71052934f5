"""The shape of an intake workbook, shared by the writer and the reader: sheets, columns, words.

Changing a column here changes both sides at once; a workbook made by an older layout is
refused by its version cell, not misread.
"""

from __future__ import annotations

import datetime as dt
import re

from dondoc.facts.derive import period_of
from dondoc.facts.models import PlanFolder, Target, Task

VERSION = "dondoc-intake-1"

INFO = "Thông tin"
TASKS = "Nhiệm vụ"
TARGETS = "Chỉ tiêu"

# (header, width, filled by the unit)
TASK_COLUMNS = (
    ("Mã nhiệm vụ", 12, False),
    ("TT", 6, False),
    ("Nhiệm vụ", 55, False),
    ("Thời hạn (theo kế hoạch)", 24, False),
    ("Kỳ", 10, False),
    ("Hạn", 12, False),
    ("Tình trạng", 18, True),
    ("Ngày hoàn thành", 15, True),
    ("Ngày báo cáo", 14, True),
    ("Ghi chú, minh chứng", 30, True),
)
TARGET_COLUMNS = (
    ("Mã chỉ tiêu", 12, False),
    ("Chỉ tiêu", 55, False),
    ("Mức phải đạt", 16, False),
    ("Kỳ", 10, True),
    ("Tử số", 12, True),
    ("Mẫu số", 12, True),
    ("Giá trị", 12, True),
    ("Ngày đo", 14, True),
    ("Nguồn số liệu", 30, True),
)
STATUSES = ("hoàn thành", "đang thực hiện", "chưa thực hiện")
FIRST_ROW = 2  # row 1 holds the headers
PERIOD = re.compile(r"^\d{4}(?:-(?:Q[1-4]|H[12]|(?:0[1-9]|1[0-2])))?$")


def column(columns, header: str) -> int:
    """1-based column index of a header."""
    return next(i for i, (name, _, _) in enumerate(columns, start=1) if name == header)


def unit_tasks(folder: PlanFolder, unit: str) -> list[Task]:
    return [t for t in folder.tasks if unit in t.lead]


def unit_targets(folder: PlanFolder, unit: str) -> list[Target]:
    """The unit's targets; a target with no lead is the monitor's (Plan.monitor follows it)."""
    return [t for t in folder.targets if unit in t.lead or (not t.lead and unit == folder.plan.monitor)]


def lead_units(folder: PlanFolder) -> list[str]:
    """Every unit that receives a workbook, in the order the plan first names it."""
    units: list[str] = []
    for task in folder.tasks:
        units += [u for u in task.lead if u not in units]
    for target in folder.targets:
        units += [u for u in target.lead if u not in units]
    if folder.plan.monitor and unit_targets(folder, folder.plan.monitor) and folder.plan.monitor not in units:
        units.append(folder.plan.monitor)
    return units


def task_rows(folder: PlanFolder, task: Task) -> list[tuple[str, dt.date | None]]:
    """(period, due) for each row of a task: one per occurrence inside the plan's period for a
    recurring task, else one row with no period."""
    plan = folder.plan
    if task.deadline.occurrences:
        return [
            (period_of(task, due), due)
            for due in task.deadline.occurrences
            if plan.start <= due <= plan.end
        ] or [("", task.deadline.due)]
    return [("", task.due or task.deadline.due)]


def target_periods(folder: PlanFolder, target: Target) -> list[str]:
    """The periods a unit reports a target for: the target's own, else each year of the plan."""
    if target.period:
        return [target.period]
    plan = folder.plan
    return [str(y) for y in range(plan.start.year, plan.end.year + 1)]


_LEVEL_WORDS = {">=": "tối thiểu", ">": "trên", "<=": "tối đa", "<": "dưới", "==": "đạt"}


def level_text(target: Target) -> str:
    """'tối thiểu 80%', 'đạt 100%': in words (a cell opening with '=' would be a formula)."""
    value = f"{target.value:g}".replace(".", ",")
    unit = target.unit if target.unit == "%" else f" {target.unit}"
    return f"{_LEVEL_WORDS[target.comparison.value]} {value}{unit}"
