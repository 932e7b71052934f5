"""The register as a spreadsheet: a sổ đăng ký văn bản đi the clerk prints and files.

One sheet per issuer and year, in the columns of the outgoing-documents book
(Nghị định 30/2020/NĐ-CP, Phụ lục IV), with the reply date and the file the
notice was written to. A number held back by a run that never finished is
shown as such, so the book never silently skips a number.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from itertools import groupby
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from dondoc.store.register import FREE, PENDING, Entry, Register
from dondoc.files import replace_file

# (header, width in characters): the columns of the sổ đăng ký văn bản đi (Nghị định 30/2020/NĐ-CP,
# Phụ lục IV), then what dondoc adds: the page count, the reply date and the file written.
COLUMNS = (
    ("Số", 5),
    ("Ngày tháng văn bản", 11),
    ("Ký hiệu", 15),
    ("Tên loại và trích yếu nội dung văn bản", 32),
    ("Người ký", 14),
    ("Nơi nhận văn bản", 24),
    ("Đơn vị, người nhận bản lưu", 12),
    ("Số bản", 6),
    ("Số trang", 6),
    ("Ngày chuyển", 11),
    ("Ký nhận", 10),
    ("Hạn trả lời", 11),
    ("Tệp", 22),
    ("Ghi chú", 18),
)
DATE_COLUMNS = (2, 10, 12)  # real dates, shown dd/mm/yyyy
CENTRED = (1, 2, 8, 9, 10, 12)
NOTES = {
    FREE: "Số chưa cấp: lần chạy giữ số đã dừng trước khi ghi văn bản; số này sẽ cấp cho văn bản tiếp theo",
    PENDING: "Đang cấp: lần chạy giữ số chưa kết thúc",
}

FONT = "Times New Roman"
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTRE = Alignment(wrap_text=True, vertical="top", horizontal="center")


def _sheet_title(issuer: str, year: int, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the book."""
    base = re.sub(r"[\[\]:*?/\\]", " ", f"{year} {issuer}")[:31].strip()
    title, n = base, 2
    while title in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title)
    return title


def _row(entry: Entry) -> list:
    """One line; a number no document took yet keeps its line, empty but for the note."""
    taken = entry.state != FREE
    return [
        entry.number,
        entry.date,
        entry.symbol if taken else "",  # the symbol alone ("UBND-KT"): the number has its own column
        entry.subject if taken else "",
        entry.signer if taken else "",
        entry.recipient if taken else "",
        entry.archive if taken else "",
        entry.copies if taken else None,
        entry.pages if taken else None,
        None,  # ngày chuyển, ký nhận: the clerk writes them when the letter leaves
        "",
        entry.reply_by if taken else None,
        entry.file if taken else "",
        NOTES.get(entry.state, ""),
    ]


def workbook(entries: list[Entry]) -> Workbook:
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    groups = groupby(entries, key=lambda e: (e.issuer, e.year))
    any_sheet = False
    for (issuer, year), lines in groups:
        _sheet(book, issuer, year, list(lines), used)
        any_sheet = True
    if not any_sheet:
        sheet = book.create_sheet("Sổ đăng ký")
        sheet["A1"] = "Sổ đăng ký chưa có văn bản nào."
    return book


def _sheet(book: Workbook, issuer: str, year: int, lines: list[Entry], used: set[str]) -> None:
    sheet = book.create_sheet(_sheet_title(issuer, year, used))
    width = len(COLUMNS)
    last = get_column_letter(width)
    for row, text, size in ((1, issuer.upper(), 13), (2, "SỔ ĐĂNG KÝ VĂN BẢN ĐI", 16), (3, f"Năm {year}", 13)):
        sheet.merge_cells(f"A{row}:{last}{row}")
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font = Font(name=FONT, size=size, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.row_dimensions[row].height = size * 1.6
    header_row = 5
    for col, (title, chars) in enumerate(COLUMNS, 1):
        cell = sheet.cell(row=header_row, column=col, value=title)
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.alignment = _CENTRE
        cell.border = _BOX
        sheet.column_dimensions[get_column_letter(col)].width = chars
    sheet.row_dimensions[header_row].height = _height([t for t, _ in COLUMNS])
    for i, entry in enumerate(lines, header_row + 1):
        values = _row(entry)
        sheet.row_dimensions[i].height = _height(values)
        for col, value in enumerate(values, 1):
            cell = sheet.cell(row=i, column=col, value=value)
            cell.font = Font(name=FONT, size=11, italic=entry.state != "issued" and col == width)
            cell.alignment = _CENTRE if col in CENTRED else _WRAP
            cell.border = _BOX
            if col in DATE_COLUMNS:
                cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.oddFooter.center.text = "Trang &P/&N"


def _height(values: list) -> float:
    """Row height in points for wrapped text (spreadsheet programs do not grow rows they did not lay out)."""
    lines = max(
        sum(math.ceil(max(1, len(part)) * 1.1 / (chars - 1)) for part in str(v or "").split("\n"))
        for v, (_, chars) in zip(values, COLUMNS)
        if not isinstance(v, dt.date)
    )
    return 15.0 * max(1, lines)


def export(register: Register, path: str | Path, *, year: int | None = None, issuer: str | None = None) -> tuple[int, Path | None]:
    """Write the register (or one year, one issuer) to ``path``; returns (lines, kept previous file)."""
    lines = register.entries(year, issuer)
    buffer = io.BytesIO()
    workbook(lines).save(buffer)
    kept = replace_file(path, buffer.getvalue())
    return len(lines), kept
