"""CSV files as people save them: from a text editor, or from Excel or LibreOffice in a Vietnamese locale.

The one CSV reader and writer of dondoc (plan folders, the office's days off, the Excel intake).

Accepted: UTF-8 with or without a BOM (Excel's 'CSV UTF-8'); cells separated by ',' or by ';'
(Excel in a Vietnamese locale saves ';'), decided by the header line; cells of any size; a first line
'sep=;'. Numbers: the comma is always a decimal mark ('91,2'); the dot is a decimal mark in a ','
file and a thousands separator in a ';' file ('1.234.567'); a trailing '%' is allowed. Dates:
YYYY-MM-DD or DD/MM/YYYY (day first, as Vietnamese write them). Refused, with the cause named:
another encoding (Windows-1258, TCVN3, VNI, UTF-16), an .xlsx renamed .csv, tab-separated text, a
row written with the other separator, an Excel serial date (a number in a date cell).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Iterator

from dondoc.errors import InputError
from dondoc.facts.textfile import decode, read_bytes
from dondoc.text import control_character, parse_number  # noqa: F401 - the cell reader of every table

# A cell may be as large as the file (a long evidence note pasted from a report).
csv.field_size_limit(sys.maxsize)

SEPARATORS = {",": "dấu phẩy", ";": "dấu chấm phẩy"}
_OTHER = {"\t": "dấu tab", "|": "dấu gạch đứng"}


@dataclass(frozen=True)
class Dialect:
    """How one CSV file is written, so that it is read and written back the same way."""

    separator: str = ","
    bom: bool = False

    @property
    def thousands(self) -> str | None:
        """A ';' file comes from a Vietnamese locale, where '.' separates thousands."""
        return "." if self.separator == ";" else None

    @property
    def decimal(self) -> str:
        return "," if self.separator == ";" else "."

    @property
    def context(self) -> dict[str, Any]:
        """What the models' number and date fields need to know about this file (pydantic context)."""
        return {"thousands": self.thousands}


EXCEL_VN = Dialect(separator=";", bom=True)  # what Excel saves in a Vietnamese locale


@dataclass
class Table:
    """A CSV file read whole: its dialect, its columns, and its rows with the line each starts on."""

    path: Path
    dialect: Dialect
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    def place(self, column: str | None) -> dict[str, Any]:
        """InputError keywords naming a column: its number and its name."""
        if column is None:
            return {}
        number = self.columns.index(column) + 1 if column in self.columns else None
        return {"column": number, "where": f"cột {column}"}


def read_table(path: str | Path, *, optional: bool = False, data: bytes | None = None) -> Table | None:
    """Read a CSV file; None when ``optional`` and there is no file (a folder, FIFO or broken link is an error).

    ``data``: the bytes about to be written to ``path``, read as if they were there (a writer
    checks what it will write before it writes it)."""
    path = Path(path)
    if data is None:
        data = read_bytes(path, optional=optional)
    if data is None:
        return None
    text = decode(path, data)
    bad = control_character(text)
    if bad is not None:
        raise InputError(
            path,
            f"ký tự không được phép (mã {ord(text[bad]):#06x}) trong văn bản",
            line=text.count("\n", 0, bad) + 1,
            column=bad - text.rfind("\n", 0, bad),
            hint="xoá ký tự này (thường do chép từ phần mềm khác): công văn không chứa được ký tự điều khiển",
        )
    bom = data.startswith(b"\xef\xbb\xbf")
    first = 1
    if re.match(r"sep=.\r?\n", text):  # Excel's hint line naming the separator
        sep_line, text = text.split("\n", 1)
        first = 2
        separator = sep_line.strip()[4:]
        if separator not in SEPARATORS:
            raise InputError(path, f"dòng 'sep=' ghi dấu phân cách '{separator}'", line=1, hint="dùng ',' hoặc ';'")
    else:
        separator = _separator(path, text)
    dialect = Dialect(separator, bom)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        header = next(reader, None)
        if header is None or not any(h.strip() for h in header):
            raise InputError(path, "tệp rỗng: dòng đầu phải ghi tên các cột", line=first)
        columns = _columns(path, header, first)
        table = Table(path, dialect, columns)
        start = reader.line_num + first
        for cells in reader:
            line, start = start, reader.line_num + first
            row = _row(path, dialect, columns, len(header), cells, line)
            if row is not None:
                table.rows.append((line, row))
    except csv.Error as exc:
        raise InputError(path, f"lỗi định dạng CSV: {exc}", line=reader.line_num + first - 1) from None
    return table


def read_csv(path: str | Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) for each data row of a CSV file; blank cells become absent keys."""
    table = read_table(path)
    assert table is not None
    yield from table.rows


def _separator(path: Path, text: str) -> str:
    header = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]

    def cells(sep: str) -> int:
        try:
            return len(next(csv.reader([header], delimiter=sep), []))
        except csv.Error:
            return 0

    counts = {sep: cells(sep) for sep in (*SEPARATORS, *_OTHER)}
    best = max(counts, key=lambda sep: counts[sep])
    if counts[best] <= 1:
        return ","
    if best in _OTHER:
        raise InputError(
            path,
            f"các cột cách nhau bằng {_OTHER[best]}, không phải dấu phẩy hay dấu chấm phẩy",
            line=1,
            hint="trong Excel chọn Lưu thành (Save As) > 'CSV UTF-8'",
        )
    return best


def _columns(path: Path, header: list[str], line: int) -> list[str]:
    names = [h.strip() for h in header]
    while names and names[-1] == "":  # Excel keeps empty columns once formatted: ';;'
        names.pop()
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name == "":
            raise InputError(path, "một cột không có tên", line=line, column=i + 1, hint="ghi tên cột ở dòng đầu")
        if name in seen:
            raise InputError(path, f"tên cột '{name}' xuất hiện hai lần", line=line, column=i + 1)
        seen.add(name)
    return names


def _row(
    path: Path, dialect: Dialect, columns: list[str], width: int, cells: list[str], line: int
) -> dict[str, str] | None:
    """One row as {column: cell}; ``width`` counts the header's cells, its empty trailing ones too."""
    values = [c.strip() for c in cells]
    if not any(values):
        return None
    if len(columns) > 1 and len(values) == 1:
        other = next((sep for sep in (*SEPARATORS, *_OTHER) if sep != dialect.separator and sep in values[0]), None)
        if other is not None:
            name = SEPARATORS.get(other) or _OTHER[other]
            raise InputError(
                path,
                f"dòng này dùng {name}, dòng tiêu đề dùng {SEPARATORS[dialect.separator]}",
                line=line,
                hint="cả tệp phải dùng một dấu phân cách: lưu lại tệp từ Excel, hoặc sửa dòng này",
            )
    if len(values) > width or any(values[len(columns) :]):
        hint = None
        if dialect.separator == ",":
            hint = "số thập phân trong tệp dùng dấu phẩy phải đặt trong ngoặc kép (\"91,2\") hoặc viết 91.2"
        raise InputError(
            path,
            f"nhiều ô hơn số cột ({len(values)} ô, {len(columns)} cột ở dòng tiêu đề)",
            line=line,
            column=len(columns) + 1,
            hint=hint,
        )
    return {name: value for name, value in zip(columns, values) if value != ""}


# -- values ------------------------------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's serial dates (after its 1900 leap-year bug)


def parse_day(value: Any) -> dt.date:
    """A date written YYYY-MM-DD or DD/MM/YYYY; raises ValueError saying why it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError("cần một ngày viết YYYY-MM-DD (ví dụ 2026-11-05)")
    text = str(value).strip()
    match = _ISO.fullmatch(text)
    day: tuple[int, int, int] | None = None
    if match:
        day = (int(match[1]), int(match[2]), int(match[3]))
    elif match := _DMY.fullmatch(text):
        day = (int(match[3]), int(match[2]), int(match[1]))
    if day is not None:
        try:
            return dt.date(*day)
        except ValueError:
            raise ValueError(
                f"'{text}' không phải một ngày: ngày {day[2]} tháng {day[1]} năm {day[0]} không có thật"
            ) from None
    if re.fullmatch(r"\d+([.,]\d+)?", text):
        serial = float(text.replace(",", "."))
        if 61 <= serial < 2958466:  # 1/3/1900 (Excel counts a 29/2/1900 that never was) to 31/12/9999
            seen = _EXCEL_EPOCH + dt.timedelta(days=int(serial))
            raise ValueError(
                f"ô ngày chứa số {text}: đây là ngày dạng số của Excel ({seen:%d/%m/%Y}?); trong Excel định dạng"
                f" ô là Ngày (Date) hoặc Văn bản và ghi {seen:%Y-%m-%d}"
            )
    raise ValueError(f"'{text}' không phải một ngày: viết YYYY-MM-DD (ví dụ 2026-11-05) hoặc DD/MM/YYYY")


# -- writing ---------------------------------------------------------------------------------------


def format_cell(value: Any, dialect: Dialect = Dialect()) -> str:
    """A value as a cell this file's readers read back to the same value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError("a CSV cell cannot hold a bool")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        text = format(Decimal(repr(float(value))), "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text.replace(".", dialect.decimal)
    return str(value)


def render_csv(
    columns: list[str], rows: Iterable[dict[str, Any]], dialect: Dialect = Dialect(), *, header: bool = True,
    newline: str = "\n",
) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=dialect.separator, lineterminator=newline)
    if header:
        writer.writerow(columns)
    for row in rows:
        unknown = {c for c, v in row.items() if v not in (None, "")} - set(columns)
        if unknown:
            raise ValueError(f"cells for columns not in the header: {sorted(unknown)}")
        writer.writerow([format_cell(row.get(c), dialect) for c in columns])
    return (b"\xef\xbb\xbf" if dialect.bom and header else b"") + out.getvalue().encode("utf-8")


def write_csv(
    path: str | Path, columns: list[str], rows: Iterable[dict[str, Any]], dialect: Dialect = Dialect()
) -> Path | None:
    """Write a CSV file through the one output writer (files.py): atomically, the previous
    version kept as NAME.~N~. Give the dialect read from the file being replaced, to keep its form."""
    from dondoc.files import replace_file

    return replace_file(path, render_csv(columns, rows, dialect))


def append_csv(path: str | Path, columns: list[str], rows: list[dict[str, Any]], dialect: Dialect = Dialect()) -> Path | None:
    """Append rows to a CSV file (``appended``), through the one writer (files.py)."""
    from dondoc.files import replace_file

    return replace_file(path, appended(path, columns, rows, dialect))


def appended(path: str | Path, columns: list[str], rows: list[dict[str, Any]], dialect: Dialect = Dialect()) -> bytes:
    """A CSV file with rows appended, its earlier bytes unchanged, in the file's own separator,
    decimal mark, column order and line ends (``columns`` and ``dialect`` make a file that is
    not there). Nothing is written: the caller writes it (after checking it reads back)."""
    path = Path(path)
    table = read_table(path, optional=True)
    if table is None:
        return render_csv(columns, rows, dialect)
    lacking = sorted({c for row in rows for c, v in row.items() if v not in (None, "") and c not in table.columns})
    if lacking:
        raise InputError(
            path, f"tệp thiếu cột {', '.join(lacking)} để ghi số liệu mới", line=1,
            hint="thêm các cột đó vào dòng đầu của tệp rồi chạy lại",
        )
    before = read_bytes(path) or b""
    newline = "\r\n" if b"\r\n" in before else "\n"
    if before and not before.endswith(b"\n"):
        before += newline.encode()
    return before + render_csv(table.columns, rows, table.dialect, header=False, newline=newline)
