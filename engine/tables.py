"""Decision tables: rules staff keep in a spreadsheet (one .xlsx sheet, or a .csv), read into the
same rules as YAML files (engine/rulebook.py ``_entry``: one parse, type check and compile path).

A table is a few lines of settings, a blank line, then a header and one row per rule:

    Bảng quyết định,hai-long-theo-loai-xa
    Tên,Mức độ hài lòng theo loại xã
    Dữ kiện,target
    Tinh chỉnh,chi-tieu-toi-thieu
    Phạm vi,category in hai-long
    Chính sách,first
    Mục công văn,chi-tieu

    commune.class,actual <,Mức độ,Thông báo
    I,95,cảnh báo,Xã loại I phải đạt từ 95%...
    II,90,cảnh báo,...
    III,85,cảnh báo,...

Input columns are named by a field (`commune.class`, `category`, `population`); a cell is `-`
(any), a value (`I`: equal), values separated by commas inside brackets (`[I, II]`), or a
comparison (`>= 10000`). The condition column is a field and a comparison (`actual <`): each row
gives its threshold. Outputs: `Mức độ` (severity), `Thông báo` (message). The hit policy, as DMN
has them: `first` (the first row that matches decides: each row's scope leaves out the rows
above), `unique` (rows never overlap: an overlap is an error naming both rows), `collect` (every
row that matches finds). `rules check` names overlaps (unique) and gaps (a value of an
enumerated input no row takes) with their row numbers.
"""

from __future__ import annotations

import csv
import io
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dondoc.errors import InputError
from dondoc.files import replace_file
from dondoc.text import ascii_slug
from dondoc.facts.kinds import KINDS
from dondoc.facts.textfile import read_text

TABLE_SUFFIXES = (".csv", ".xlsx")
SETTINGS = {
    "bảng quyết định": "id",
    "tên": "title",
    "dữ kiện": "fact",
    "tinh chỉnh": "refines",
    "thay": "replaces",
    "phạm vi": "scope",
    "chính sách": "hit",
    "mục công văn": "section",
    "đề nghị": "request",
    "giải thích": "doc",
}
HIT_POLICIES = {"first": "first", "đầu tiên": "first", "unique": "unique", "duy nhất": "unique",
                "collect": "collect", "tất cả": "collect"}
OUTPUTS = {"mức độ": "severity", "thông báo": "message"}
COMPARISONS = ("<=", ">=", "==", "!=", "<", ">")
ANY = ("-", "")


@dataclass
class Table:
    """One table as read: its settings (with their lines), header and rows (with their lines)."""

    path: Path
    sheet: str = ""
    settings: dict[str, tuple[str, int]] = field(default_factory=dict)  # key -> (value, line)
    header: list[str] = field(default_factory=list)
    header_line: int = 0
    rows: list[tuple[int, list[str]]] = field(default_factory=list)

    def where(self, line: int, column: int | None = None) -> str | None:
        if not self.sheet:
            return None
        letter = _letter(column) if column else ""
        return f"trang '{self.sheet}', ô {letter}{line}" if letter else f"trang '{self.sheet}', dòng {line}"

    def error(self, message: str, line: int | None, column: int | None = None, hint: str = "") -> InputError:
        return InputError(self.path, message, line=line, column=column if not self.sheet else None,
                          where=self.where(line, column) if line else None, hint=hint or None)


def _letter(column: int) -> str:
    out = ""
    while column:
        column, rest = divmod(column - 1, 26)
        out = chr(65 + rest) + out
    return out


def _cells(values: list[Any]) -> list[str]:
    out = []
    for v in values:
        if v is None:
            out.append("")
        elif isinstance(v, float) and v.is_integer():
            out.append(str(int(v)))
        else:
            out.append(" ".join(str(v).split()))
    while out and out[-1] == "":
        out.pop()
    return out


def _parse(path: Path, sheet: str, lines: list[list[str]]) -> Table:
    table = Table(path, sheet)
    at = 0
    while at < len(lines) and lines[at]:  # the settings, down to the blank line
        key, *rest = lines[at]
        name = SETTINGS.get(key.strip().lower())
        if name is None:
            raise table.error(f"'{key}' không phải một dòng cài đặt của bảng quyết định", at + 1, 1,
                              hint="các dòng: " + ", ".join(k.capitalize() for k in SETTINGS) + "; rồi một dòng trống, rồi dòng tiêu đề")
        table.settings[name] = ((rest[0] if rest else "").strip(), at + 1)
        at += 1
    while at < len(lines) and not lines[at]:
        at += 1
    if at >= len(lines):
        raise table.error("bảng chưa có dòng tiêu đề và các dòng quy tắc", len(lines) or 1,
                          hint="sau các dòng cài đặt: một dòng trống, dòng tiêu đề (trường, 'actual <', Mức độ, Thông báo), rồi mỗi dòng một quy tắc")
    table.header, table.header_line = lines[at], at + 1
    table.rows = [(i + 1, row) for i, row in enumerate(lines[at + 1:], start=at + 1) if row]
    return table


def read_tables(path: Path) -> list[Table]:
    """A .csv (one table) or a .xlsx (one table per sheet), cells as text."""
    if path.suffix.lower() == ".csv":
        text = read_text(path)
        return [_parse(path, "", [_cells(row) for row in csv.reader(io.StringIO(text))])]
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - a damaged or foreign file: bad input, said so
        raise InputError(path, f"không mở được sổ Excel (.xlsx): {type(exc).__name__}", hint="lưu lại dạng .xlsx") from None
    try:
        return [_parse(path, ws.title, [_cells(list(r)) for r in ws.iter_rows(values_only=True)]) for ws in book.worksheets]
    finally:
        book.close()


# -- from rows to rule entries ----------------------------------------------------------------------


def _quoted(field_name: str, kind: str, text: str) -> str:
    spec = KINDS[kind].get(field_name)
    if spec is not None and spec.type == "text":
        return '"' + text.replace('"', '\\"') + '"'
    return text


def _test(field_name: str, kind: str, cell: str) -> str | None:
    """A cell of an input column as a test of the rule language; None for '-' (any)."""
    cell = cell.strip()
    if cell in ANY:
        return None
    for op in COMPARISONS:
        if cell.startswith(op):
            return f"{field_name} {op} {cell[len(op):].strip()}"
    if cell.startswith("[") and cell.endswith("]"):
        items = [c.strip() for c in cell[1:-1].split(",") if c.strip()]
        return f"{field_name} in [{', '.join(_quoted(field_name, kind, i) for i in items)}]"
    return f"{field_name} == {_quoted(field_name, kind, cell)}"


def entries(table: Table) -> tuple[list[dict], dict[tuple, tuple[int, int]], str]:
    """The rule entries of a table (as a rule file writes them), where each key of each entry
    stands in the table (for errors), and its hit policy."""
    s = {k: v for k, (v, _) in table.settings.items()}
    line_of = {k: line for k, (_, line) in table.settings.items()}
    for needed in ("id", "fact"):
        if not s.get(needed):
            name = next(k for k, v in SETTINGS.items() if v == needed).capitalize()
            raise table.error(f"bảng quyết định thiếu dòng '{name}'", 1, hint=f"viết một dòng '{name},...' ở đầu bảng")
    kind = s["fact"]
    if kind not in KINDS:
        raise table.error(f"dữ kiện '{kind}' không có", line_of["fact"], 2, hint="chọn một trong: " + ", ".join(KINDS))
    hit = HIT_POLICIES.get(s.get("hit", "first").lower())
    if hit is None:
        raise table.error(f"chính sách '{s.get('hit')}' không có", line_of["hit"], 2, hint="first (đầu tiên), unique (duy nhất) hoặc collect (tất cả)")
    inputs, condition, outputs = [], None, {}
    for col, head in enumerate(table.header, start=1):
        name = OUTPUTS.get(head.strip().lower())
        if name:
            outputs[name] = col
            continue
        parts = head.split()
        if len(parts) == 2 and parts[1] in COMPARISONS:
            if condition is not None:
                raise table.error("bảng chỉ có một cột điều kiện (trường và phép so sánh, ví dụ 'actual <')", table.header_line, col)
            condition = (parts[0], parts[1], col)
        elif len(parts) == 1:
            inputs.append((parts[0], col))
        else:
            raise table.error(f"tiêu đề cột '{head}' không đọc được", table.header_line, col,
                              hint="cột vào: tên trường (commune.class); cột điều kiện: trường và phép so sánh (actual <); cột ra: Mức độ, Thông báo")
    if condition is None:
        raise table.error("bảng chưa có cột điều kiện", table.header_line, hint="thêm một cột tiêu đề 'actual <' (trường và phép so sánh): mỗi dòng ghi mức của nó")
    for name in ("severity", "message"):
        if name not in outputs:
            said = next(k for k, v in OUTPUTS.items() if v == name).capitalize()
            raise table.error(f"bảng chưa có cột '{said}'", table.header_line)
    if not table.rows:
        raise table.error("bảng chưa có dòng quy tắc nào", table.header_line)
    out: list[dict] = []
    marks: dict[tuple, tuple[int, int]] = {}
    earlier: list[str] = []
    for i, (line, row) in enumerate(table.rows):
        cell = lambda col: row[col - 1] if col - 1 < len(row) else ""  # noqa: E731
        tests = [t for t in (_test(f, kind, cell(c)) for f, c in inputs) if t]
        parts = ([f"({s['scope']})"] if s.get("scope") else []) + tests
        if hit == "first":
            parts += [f"not ({e})" for e in earlier]
        earlier.append(" and ".join(tests) if tests else "true")
        entry: dict[str, Any] = {
            "id": f"{s['id']}-{i + 1}",
            "title": s.get("title") or s["id"],
            "fact": kind,
            "condition": f"{condition[0]} {condition[1]} {cell(condition[2])}",
            "severity": cell(outputs["severity"]),
            "message": cell(outputs["message"]),
            "doc": s.get("doc", "") + (f" (bảng {s['id']}, dòng {line})" if s.get("doc") else f"Bảng quyết định {s['id']}, dòng {line}."),
        }
        if parts:
            entry["scope"] = " and ".join(parts)
        for key in ("refines", "replaces"):
            if s.get(key):
                entry[key] = s[key]
        if s.get("section") or s.get("request"):
            entry["notice"] = {k: s[k] for k in ("section", "request") if s.get(k)}
        out.append(entry)
        at = ("rules", i)
        marks[at] = (line, 1)
        marks[at + ("scope",)] = (line, inputs[0][1] if inputs else 1)
        marks[at + ("condition",)] = (line, condition[2])
        marks[at + ("severity",)] = (line, outputs["severity"])
        marks[at + ("message",)] = (line, outputs["message"])
        for key in ("refines", "replaces", "section", "request"):
            if key in line_of:
                marks[at + ((key,) if key in ("refines", "replaces") else ("notice", key))] = (line_of[key], 2)
        if condition[0] and not cell(condition[2]).strip():
            raise table.error(f"dòng {line}: chưa ghi mức ở cột '{condition[0]} {condition[1]}'", line, condition[2])
    return out, marks, hit


# -- overlaps and gaps ------------------------------------------------------------------------------


def _cell_values(cell: str) -> set[str] | None:
    """The values an enumerated input cell takes; None: any."""
    cell = cell.strip()
    if cell in ANY:
        return None
    if cell.startswith("[") and cell.endswith("]"):
        return {c.strip() for c in cell[1:-1].split(",") if c.strip()}
    return {cell}


def _interval(cell: str) -> tuple[float, float, bool, bool] | None:
    """A numeric input cell as (low, high, low included, high included); None: any."""
    cell = cell.strip()
    if cell in ANY:
        return None
    inf = float("inf")
    for op in COMPARISONS:
        if cell.startswith(op):
            n = float(cell[len(op):].strip().replace(",", "."))
            return {"<": (-inf, n, False, False), "<=": (-inf, n, False, True), ">": (n, inf, False, False),
                    ">=": (n, inf, True, False), "==": (n, n, True, True)}.get(op, (-inf, inf, False, False))
    n = float(cell.replace(",", "."))
    return (n, n, True, True)


def _meet(a: str, b: str, numeric: bool) -> bool:
    """Whether two cells of one input column can both hold for one fact."""
    if numeric:
        x, y = _interval(a), _interval(b)
        if x is None or y is None:
            return True
        lo = max(x[0], y[0])
        hi = min(x[1], y[1])
        if lo < hi:
            return True
        if lo > hi:
            return False
        inc = (x[2] if x[0] == lo else True) and (y[2] if y[0] == lo else True) and (x[3] if x[1] == hi else True) and (y[3] if y[1] == hi else True)
        return inc
    x, y = _cell_values(a), _cell_values(b)
    return x is None or y is None or bool(x & y)


def problems(table: Table, hit: str) -> list[InputError]:
    """Rows that overlap (a unique table), and values of an enumerated input no row takes (gaps)."""
    s = {k: v for k, (v, _) in table.settings.items()}
    kind = s["fact"]
    specs = KINDS[kind]
    inputs = [(h.strip(), c) for c, h in enumerate(table.header, start=1)
              if len(h.split()) == 1 and h.strip().lower() not in OUTPUTS]
    cell = lambda row, col: row[col - 1] if col - 1 < len(row) else ""  # noqa: E731
    found: list[InputError] = []
    if hit == "unique":
        for (la, ra), (lb, rb) in itertools.combinations(table.rows, 2):
            if all(_meet(cell(ra, c), cell(rb, c), specs.get(f) is not None and specs[f].type == "number") for f, c in inputs):
                found.append(table.error(f"dòng {la} và dòng {lb} chồng nhau: cùng một dữ kiện khớp cả hai (chính sách unique)", lb, 1,
                                         hint="sửa để mỗi dữ kiện khớp nhiều nhất một dòng, hoặc dùng chính sách first (dòng trên thắng)"))
    enumerated = [(f, c, specs[f].values) for f, c in inputs if f in specs and specs[f].values]
    if enumerated and len(enumerated) <= 3:
        for combo in itertools.product(*(values for _, _, values in enumerated)):
            covered = any(
                all((vals := _cell_values(cell(row, c))) is None or value in vals for (f, c, _), value in zip(enumerated, combo))
                for _, row in table.rows
            )
            if not covered:
                said = ", ".join(f"{f} = {v}" for (f, _, _), v in zip(enumerated, combo))
                found.append(table.error(f"không dòng nào của bảng cho {said} (thiếu dòng)", table.rows[-1][0] + 1, 1,
                                         hint="thêm một dòng cho giá trị đó (hoặc '-' ở cột đó để một dòng nhận mọi giá trị)"))
    return found


# -- export / import --------------------------------------------------------------------------------


def table_lines(table: Table) -> list[list[str]]:
    """The table's cells again, line by line (settings, a blank line, header, rows)."""
    settings = {v: k for k, v in SETTINGS.items()}
    lines = [[settings[k].capitalize(), v] for k, (v, _) in table.settings.items()]
    return lines + [[]] + [table.header] + [row for _, row in table.rows]


def to_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for line in table_lines(table):
        writer.writerow(line)
    return out.getvalue()


def to_xlsx(tables: list[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet((table.sheet or table.settings.get("id", ("bang", 0))[0])[:31])
        for line in table_lines(table):
            sheet.append(line)
        for cell in sheet[table_lines(table).index(table.header) + 1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_tables(source: Path, out: Path) -> int:
    """`dondoc rules table export`: the decision tables of ``source`` (.csv or .xlsx) written as
    one workbook, a sheet a table. Returns how many tables."""
    read = read_tables(source)
    replace_file(out, to_xlsx(read))
    return len(read)


def import_tables(book: Path, out: Path) -> list[Path]:
    """`dondoc rules table import`: each sheet of ``book`` written as a decision table .csv in the
    rule folder ``out``, named by its rule id (else its sheet). Returns the files written."""
    written = []
    for table in read_tables(book):
        name = table.settings.get("id", (table.sheet, 0))[0] or ascii_slug(table.sheet)
        target = out / f"{name}.csv"
        replace_file(target, to_csv(table))
        written.append(target)
    return written
