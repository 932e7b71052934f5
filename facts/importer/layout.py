"""From blocks to what the readers need: task tables, and paragraphs joined across page breaks.

A table whose first rows name its columns ("TT", "Nhiệm vụ", "Đơn vị chủ trì",
"Thời gian thực hiện", ...) is a task table. Any other table (the issuer and
motto laid out side by side in a Word file) is read as paragraphs.

A paragraph cut by a page break ("... bảo" / "đảm hồ sơ được tiếp nhận ...")
is joined again: the next paragraph goes on a cut one when it starts in lower
case, or when the cut one is long and ends on a lower-case word; footnote
bodies in between are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dondoc.errors import InputError
from dondoc.facts.importer.clean import squeeze
from dondoc.facts.importer.document import Para, Row, Source, Table
from dondoc.facts.importer.report import ImportWarning, warning

NUMBER, TITLE, LEAD, COORD, DEADLINE, PRODUCT, NOTE, TARGET, VALUE, UNIT = (
    "number", "title", "lead", "coordinating", "deadline", "product", "note", "target", "value", "unit",
)
# Roles a table may have several columns of: one value column per year ("Năm 2026 | Năm 2030").
REPEATABLE = {VALUE}

@dataclass(frozen=True)
class ColumnRole:
    role: str
    words: str  # a regular expression over the column's name (lower case, no edge punctuation)
    examples: tuple[str, ...]


# What a column holds, from its name as plans write it: the first entry whose words match. A label
# of a prose task ("- Đơn vị chủ trì: ...") is a column name written as a line and is read by the
# same table (labelled.py). tests/importer/test_vocabulary.py reads every example.
COLUMN_ROLES: tuple[ColumnRole, ...] = (
    ColumnRole(NUMBER, r"^(?:s\.?\s?t\.?\s?t|t\.?\s?t|số\s*tt|số thứ tự)\.?$", ("TT", "STT", "Số TT", "Số thứ tự", "S.T.T")),
    ColumnRole(UNIT, r"^(?:đơn vị tính|đvt|đơn vị đo)$", ("Đơn vị tính", "ĐVT")),
    ColumnRole(TARGET, r"nội dung chỉ tiêu|tên chỉ tiêu", ("Nội dung chỉ tiêu", "Tên chỉ tiêu")),
    ColumnRole(
        VALUE,  # the level to reach, in a column of its own
        r"chỉ tiêu giao|mức phấn đấu|kế hoạch năm|^giá trị|mục tiêu năm|chỉ tiêu năm|^năm \d{4}$|^\d{4}$"
        r"|kết quả phấn đấu|mức chỉ tiêu",
        ("Mức phấn đấu năm 2026", "Chỉ tiêu giao", "Kế hoạch năm 2026", "Năm 2030", "2026", "Giá trị",
         "Chỉ tiêu năm 2025"),
    ),
    ColumnRole(COORD, r"phối hợp", ("Đơn vị phối hợp", "Cơ quan phối hợp", "Phối hợp")),
    ColumnRole(LEAD, r"chủ trì|chịu trách nhiệm", ("Đơn vị chủ trì", "Cơ quan chủ trì", "Phòng ban chủ trì", "Chủ trì")),
    ColumnRole(
        DEADLINE, r"thời gian|thời hạn|tiến độ|thời điểm|mốc",
        ("Thời gian thực hiện", "Thời hạn hoàn thành", "Tiến độ", "Thời gian", "Thời gian hoàn thành"),
    ),
    ColumnRole(PRODUCT, r"sản phẩm|kết quả", ("Sản phẩm", "Sản phẩm dự kiến", "Kết quả", "Kết quả đầu ra")),
    ColumnRole(NOTE, r"ghi chú", ("Ghi chú",)),
    ColumnRole(
        TITLE, r"nhiệm vụ|nội dung|công việc|giải pháp|hoạt động|tên đề án|đề án|chương trình",
        ("Nhiệm vụ", "Nội dung công việc", "Nhiệm vụ, giải pháp chủ yếu", "Nội dung hoạt động", "Nội dung"),
    ),
    ColumnRole(TARGET, r"chỉ tiêu|mục tiêu", ("Chỉ tiêu", "Mục tiêu")),
    ColumnRole(
        LEAD, r"(?:đơn vị|cơ quan|phòng ban|bộ phận)\s*(?:thực hiện|được giao)?$",
        ("Đơn vị thực hiện", "Cơ quan thực hiện", "Đơn vị"),
    ),
)
_COMPILED = tuple((re.compile(entry.words), entry.role) for entry in COLUMN_ROLES)


def column_role(text: str) -> str | None:
    """What a column holds, from its name (COLUMN_ROLES), or None."""
    head = squeeze(text).lower().strip(" :.*()")
    if not head:
        return None
    for pattern, role in _COMPILED:
        if pattern.search(head):
            return role
    return None


@dataclass(frozen=True)
class TaskTable:
    table: Table
    roles: dict[int, str]  # column index -> role
    first: int  # index of the first row after the header

    @property
    def of_targets(self) -> bool:
        """TT | Chỉ tiêu | Chủ trì: each row a target with its lead (objectives.py reads it)."""
        return TARGET in self.roles.values() and TITLE not in self.roles.values()


def find_header(table: Table) -> tuple[int, dict[int, str]] | None:
    """(index of the header row, roles) when one of the first rows names the columns."""
    for index, row in enumerate(table.rows[:6]):
        roles = row_roles(row)
        named = roles.values()
        if len(set(named)) >= 3 or ((TITLE in named or TARGET in named) and len(roles) >= 2):
            return index, roles
    return None


def row_roles(row: Row) -> dict[int, str]:
    roles = {}
    for i, cell in enumerate(row.cells):
        role = column_role(cell)
        if role and (role not in roles.values() or role in REPEATABLE):
            roles[i] = role
    return roles


def is_header_row(row: Row, roles: dict[int, str]) -> bool:
    """A header repeated at the top of a page: every cell a column name, in the first header's
    places. A task whose cells only contain such words ('3 | Rà soát nội dung ... | Đơn vị chủ
    trì: ...') has a number or text that names no column: it is a row, not a header."""
    mine = row_roles(row)
    filled = [i for i, c in enumerate(row.cells) if squeeze(c)]
    return (
        len(mine) >= 3
        and all(roles.get(i) == r for i, r in mine.items())
        and all(i in mine or i in row.spans for i in filled)
    )


def _sub_header(row: Row, roles: dict[int, str]) -> dict[int, str] | None:
    """The second row of a two-row header ('Đơn vị thực hiện' over 'Chủ trì' | 'Phối hợp')."""
    found = {}
    for i, cell in enumerate(row.cells):
        role = column_role(cell)
        if role in (LEAD, COORD):
            found[i] = role
    # the other cells are empty, or the header's own cells merged down ("TT", "Thời gian")
    if not found or any(squeeze(c) and i not in found and i not in row.spans for i, c in enumerate(row.cells)):
        return None
    merged = {i: r for i, r in roles.items() if r not in found.values()}
    merged.update(found)
    return merged


def is_column_numbers(row: Row) -> bool:
    """The row of column numbers some plans put under the header: '1 2 5 6 7 8', '(1) (2)'."""
    cells = [squeeze(c) for c in row.cells if squeeze(c)]
    return len(cells) >= 3 and all(re.fullmatch(r"\(?\d{1,2}\)?\.?", c) for c in cells)


def arrange(source: Source) -> tuple[list[Para], list[TaskTable], list[ImportWarning]]:
    """Paragraphs in order (other tables read as paragraphs) and the task tables."""
    paras: list[Para] = []
    tables: list[TaskTable] = []
    warnings: list[ImportWarning] = []
    for block in source.blocks:
        if isinstance(block, Para):
            paras.append(block)
            continue
        header = find_header(block)
        if header is None:
            paras.extend(_as_paragraphs(block))
            wide = sum(1 for row in block.rows if sum(1 for c in row.cells if c) >= 3)
            if wide >= 3:
                warnings.append(
                    warning(
                        block.line,
                        "bang_khong_ro_cot",
                        "Bảng không có dòng tên cột (TT, Nhiệm vụ, Đơn vị chủ trì, Thời gian...), "
                        "không đọc nhiệm vụ từ bảng này",
                        "a table without recognisable column names; no tasks read from it",
                    )
                )
            continue
        index, roles = header
        if TITLE not in roles.values() and TARGET not in roles.values():
            raise InputError(
                source.path,
                "bảng phân công không có cột nhiệm vụ (a task table with no task column)",
                line=block.rows[index].line,
                where="dòng tên cột / header row",
                hint="cột nhiệm vụ có tên như 'Nhiệm vụ', 'Nội dung công việc' / name the task column "
                "'Nhiệm vụ' or 'Nội dung công việc'",
            )
        first = index + 1
        if first < len(block.rows) and (sub := _sub_header(block.rows[first], roles)):
            roles, first = sub, first + 1
        tables.append(TaskTable(block, roles, first))
    return paras, tables, warnings


def _as_paragraphs(table: Table) -> list[Para]:
    out = []
    for row in table.rows:
        for cell in row.cells:
            for line in cell.split("\n"):
                if line.strip():
                    out.append(Para(row.line, squeeze(line)))
    return out


# -- paragraphs ----------------------------------------------------------------------------------

MARKER = re.compile(r"^([-–+•*]|\d+(?:\.\d+)*[.)]|[a-zđ][).]|[IVXL]+[.)])(\s|$)")
ROMAN_HEADING = re.compile(r"^([IVXL]+)[.)]\s*(.+)$")
NUMBERED_HEADING = re.compile(r"^(\d+(?:\.\d+)*)[.)]\s*(.+)$")


def join_paragraphs(paras: list[Para]) -> list[Para]:
    """Paragraphs cut by a page break joined again; footnote bodies left out."""
    out: list[Para] = []
    for para in paras:
        if para.footnote:
            continue
        if out and _continues(out[-1], para):
            prev = out.pop()
            out.append(Para(prev.line, f"{prev.text} {para.text}", prev.level, prev.bold, False))
            continue
        out.append(para)
    return out


def _continues(prev: Para, para: Para) -> bool:
    if para.level or MARKER.match(para.text) or para.text.startswith("("):
        return False
    if para.text[:1].islower():
        return True
    last = prev.text.split()[-1] if prev.text.split() else ""
    return len(prev.text) >= 80 and last[:1].islower() and last[-1:].isalpha()


def is_heading(para: Para) -> bool:
    """A section title: Markdown/Word heading, 'II. MỤC TIÊU', or a short numbered title."""
    text = para.text
    if text.startswith(("-", "+", "•", "*")):
        return False
    if para.level:
        return True
    if ROMAN_HEADING.match(text) and len(text) < 150:
        return True
    if NUMBERED_HEADING.match(text):
        return (len(text) <= 100 and not text.endswith((".", ";"))) or para.bold == text
    return bool(para.bold) and para.bold == text and len(text) < 150


def roman_heading(para: Para) -> str | None:
    """'II' for 'II. MỤC TIÊU' (a top-level section), else None."""
    if not is_heading(para):
        return None
    match = ROMAN_HEADING.match(para.text)
    return match.group(1) if match else None


def heading_number(para: Para) -> str | None:
    if not is_heading(para):
        return None
    match = NUMBERED_HEADING.match(para.text)
    return match.group(1) if match else None
