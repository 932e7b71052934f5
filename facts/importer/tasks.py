"""Tasks: the rows of the appendix table, or the assignments in the prose.

Appendix rows (docs/import.md has the full list of readings):

- a section row ("I", "II. Cải cách thể chế") sets the section of the rows under it;
- a numbered row is a task; a numbered row with no lead unit and no deadline whose
  unnumbered rows follow it ("2 | Tổ chức thực hiện các nhiệm vụ kiểm soát TTHC:") is
  a group: not a task itself, its rows are tasks "II.2.a", "II.2.b", ...;
- an unnumbered row is the rest of the row above when it has no deadline and either
  comes after a page break or names no lead unit (a row cut by the page); otherwise it
  is a task of its own (a sub-row), lettered under the numbered row above it;
- header rows repeated at the top of each page, and the row of column numbers, are skipped.

Plans with no appendix are read by prose.py into the same RawTask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dondoc.facts.importer.clean import squeeze
from dondoc.facts.importer.document import Row
from dondoc.facts.importer.layout import (
    COORD, DEADLINE, LEAD, NUMBER, PRODUCT, TITLE, TaskTable, is_column_numbers, is_header_row,
)
from dondoc.facts.importer.report import ImportWarning, warning
from dondoc.facts.importer.units import split_units


@dataclass
class RawTask:
    line: int
    number: str  # as printed, without a trailing dot; "" for an unnumbered row
    section: str
    title: str
    lead_text: str = ""
    coord_text: str = ""
    deadline_text: str = ""
    product: str = ""
    kind: str = "task"  # "task", "sub" (unnumbered row), "group" (heads sub-rows, not a task)
    parent: "RawTask | None" = None
    start_line: int = 0  # the line of the assignment a prose task comes from
    deadline_line: int = 0  # the line of its 'Thời gian thực hiện:' (prose); else the row's line
    columns: dict[str, str] = field(default_factory=dict)  # role -> the column's name, for a table row
    auto: int = 0  # the row's place, for a table without a number column
    id: str = ""
    leads: list[str] = field(default_factory=list)  # unit names as written
    coordinating: list[str] = field(default_factory=list)

    def extend(self, other: "RawTask") -> None:
        """The rest of a row cut by a page break: each cell goes on where it stopped."""
        for name in ("title", "lead_text", "coord_text", "deadline_text", "product"):
            more = getattr(other, name)
            if more:
                mine = getattr(self, name)
                setattr(self, name, f"{mine}\n{more}" if name in ("lead_text", "coord_text") and mine
                        and _ends_item(mine) else f"{mine} {more}".strip())


def _ends_item(text: str) -> bool:
    """A units cell that ends a unit ('...công;', '...xã.') starts the next on a new line."""
    return text.rstrip().endswith((";", "."))


_ROMAN = r"[IVXL]+"
_SECTION_ONLY = re.compile(rf"^({_ROMAN}|[A-H])[.)]?$")
_SECTION_TITLE = re.compile(rf"^({_ROMAN})[.)]\s*(\S.*)$")
_NUMBERED = re.compile(r"^\d+(?:\.\d+)*\.?$")
_LETTERED = re.compile(r"^[a-zđ][.)]?$")
_BULLET = re.compile(r"^[-–+•*]$")


def _cell(row: Row, roles: dict[int, str], role: str) -> str:
    return "\n".join(row.cells[i] for i, r in roles.items() if r == role and i < len(row.cells) and row.cells[i])


def _flat(text: str) -> str:
    return squeeze(text.replace("\n", " "))


@dataclass
class TableState:
    section: str = ""
    sections: dict[str, str] = field(default_factory=dict)  # numeral -> section title
    auto: int = 0  # rows counted in tables without a number column


def read_table(task_table: TaskTable, state: TableState, warnings: list[ImportWarning]) -> list[RawTask]:
    roles = task_table.roles
    rows = task_table.table.rows
    items: list[RawTask] = []
    last: RawTask | None = None
    broken = False
    numbered = NUMBER in roles.values()  # without a TT column, every row that is not a rest is a task
    header = rows[task_table.first - 1].cells if task_table.first else ()
    names = {r: _flat(header[i]) for i, r in roles.items() if i < len(header) and _flat(header[i])}
    for row in rows[task_table.first:]:
        broken = broken or row.page_break
        if is_header_row(row, roles):
            broken = True
            continue
        if is_column_numbers(row):
            continue
        number = _flat(_cell(row, roles, NUMBER))
        title = _cell(row, roles, TITLE)
        rest = {r: _cell(row, roles, r) for r in (LEAD, COORD, DEADLINE, PRODUCT)}
        if not number and not title and not any(rest.values()):
            continue
        if not any(rest.values()):
            section = _section(number, _flat(title))
            if section:
                state.section, state.sections[section[0]] = section
                last, broken = None, False
                continue
        item = RawTask(
            line=row.line,
            number=number.rstrip(".)") if (_NUMBERED.match(number) or _LETTERED.match(number)) else "",
            section=state.section,
            title=title,
            lead_text=rest[LEAD],
            coord_text=rest[COORD],
            deadline_text=rest[DEADLINE],
            product=rest[PRODUCT],
            columns=names,
        )
        if number and not item.number and not _BULLET.match(number):
            # Something else in the number column: keep it with the task's text.
            item.title = f"{number} {title}".strip()
        if item.number and not _LETTERED.match(number):
            items.append(item)
            last, broken = item, False
            continue
        if item.number:  # "a)", "b)": a lettered row under the numbered one above
            item.kind = "sub"
            items.append(item)
            last, broken = item, False
            continue
        if last is not None and _continues(item, last, broken):
            last.extend(item)
            broken = False
            continue
        if not numbered:
            item.auto = state.auto = state.auto + 1
            items.append(item)
            last, broken = item, False
            continue
        if last is None and not items:
            warnings.append(
                warning(
                    row.line,
                    "dong_khong_doc_duoc",
                    "Dòng không đánh số đứng trước mọi nhiệm vụ: đọc như một nhiệm vụ riêng",
                    "an unnumbered row before any task: read as a task of its own",
                )
            )
        item.kind = "sub"
        items.append(item)
        last, broken = item, False
    return items


def _section(number: str, title: str) -> tuple[str, str] | None:
    if _SECTION_ONLY.match(number):
        return number.rstrip(".)"), title
    if m := _SECTION_TITLE.match(number):
        if not title:
            return m.group(1), m.group(2)
    if not number and (m := _SECTION_TITLE.match(title)):
        return m.group(1), m.group(2)
    return None


def _continues(row: RawTask, last: RawTask, broken: bool) -> bool:
    """Is this unnumbered row the rest of the row above, cut by a page break?"""
    if not row.deadline_text:
        return broken or not row.lead_text
    # The row above stopped before its lead and deadline cells: the page cut it short.
    return (
        broken
        and not last.deadline_text
        and not last.lead_text
        and not _flat(last.title).endswith(":")
    )


def finish_table_tasks(items: list[RawTask], warnings: list[ImportWarning]) -> list[RawTask]:
    """Mark groups, give ids, check the numbering; the tasks in order."""
    for index, item in enumerate(items):
        if item.kind == "sub":
            item.parent = _parent(items, index)
    for item in items:
        if item.kind == "task" and not item.lead_text and not item.deadline_text:
            if any(other.parent is item for other in items):
                item.kind = "group"
    _check_numbers(items, warnings)
    qualified = _numbers_repeat(items)
    used: set[str] = set()
    letters: dict[int, int] = {}
    for item in items:
        if item.kind == "sub":
            parent_key = id(item.parent) if item.parent else hash(("section", item.section))
            letters[parent_key] = letters.get(parent_key, 0) + 1
            letter = item.number or _letter(letters[parent_key])  # a printed letter is kept
            base = item.parent.id if item.parent else item.section
            item.id = _unique(f"{base}.{letter}" if base else letter, used)
        else:
            number = item.number or str(item.auto)
            base = f"{item.section}.{number}" if qualified and item.section else number
            item.id = _unique(base, used)
    return [item for item in items if item.kind != "group"]


def _parent(items: list[RawTask], index: int) -> RawTask | None:
    section = items[index].section
    for item in reversed(items[:index]):
        if item.section != section:
            return None
        if item.kind != "sub":
            return item
    return None


def _letter(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def _unique(base: str, used: set[str]) -> str:
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}_{n}"
    used.add(candidate)
    return candidate


def _numbers_repeat(items: list[RawTask]) -> bool:
    numbers = [item.number or str(item.auto) for item in items if item.kind != "sub"]
    return len(numbers) != len(set(numbers))


def _check_numbers(items: list[RawTask], warnings: list[ImportWarning]) -> None:
    """Numbers run 1, 2, 3 ... through the table, or again from 1 in each section."""
    previous: int | None = None
    section = None
    seen: set[int] = set()
    for item in items:
        if item.kind == "sub" or not item.number.isdigit():
            continue
        n = int(item.number)
        if item.section != section and n == 1:
            previous, seen = None, set()  # numbering starts again in a new section
        section = item.section
        expected = 1 if previous is None else previous + 1
        if n > expected:
            missing = ", ".join(str(k) for k in range(expected, n)) if n - expected <= 5 else f"{expected}-{n - 1}"
            warnings.append(
                warning(
                    item.line,
                    "thieu_so_thu_tu",
                    f"Thiếu số thứ tự {missing} (trước nhiệm vụ số {n})",
                    f"number(s) {missing} missing before task {n}",
                )
            )
        elif n < expected:
            what = "lặp lại" if n in seen else "lùi lại"
            warnings.append(
                warning(
                    item.line,
                    "trung_so_thu_tu",
                    f"Số thứ tự {n} {what} (sau số {previous})",
                    f"number {n} {'repeated' if n in seen else 'out of order'} (after {previous})",
                )
            )
        seen.add(n)
        previous = n


def split_task_units(task: RawTask) -> None:
    task.leads = split_units(task.lead_text)
    task.coordinating = split_units(task.coord_text)
