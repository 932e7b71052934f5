"""The register as a spreadsheet: the sổ đăng ký văn bản đi the clerk prints and files, and the
office's own register read back in.

Out (``export``): one sheet per issuer and year, in the columns of the outgoing-documents book
(Nghị định 30/2020/NĐ-CP, Phụ lục IV), with the date it went out, the reply date and the
file. A void number keeps its line, marked void with its reason in Ghi chú, so the book never
silently skips a number; so does a number the night before the store held back. Every text
cell that opens like a formula is written as text (text.spreadsheet_cell).

In (``read_office_book``): the office's register as .xlsx (its own book, or one dondoc wrote):
the header row is found by its titles (Số, Ngày, Ký hiệu, Trích yếu, Người ký, Nơi nhận, Lưu,
Số bản, Ghi chú; "Số, ký hiệu" in one column as "412/UBND-VP" is read as both), every row
checked, every error named at its sheet and cell, nothing taken from a book with an error.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from itertools import groupby
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from dondoc.errors import BoundError, InputError, InputErrors
from dondoc.files import replace_file
from dondoc.store.book import OfficeLine
from dondoc.store.records import Line
from dondoc.text import ascii_slug, one_line, spreadsheet_cell

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
# The number as the letters print it (ND30: "Số: 01/UBND-KT"): a leading zero below 10, kept a
# number the office can sort and sum, by its format rather than as text.
NUMBER_COLUMN, NUMBER_FORMAT = 1, "00"
CENTRED = (1, 2, 8, 9, 10, 12)
HELD = {  # the numbering of the night before the store: a number held back, or being given
    "free": "Số chưa cấp: lần chạy giữ số đã dừng trước khi ghi văn bản; số này sẽ cấp cho văn bản tiếp theo",
    "pending": "Đang cấp: lần chạy giữ số chưa kết thúc",
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


def note(line: Line) -> str:
    """Ghi chú: the void and its reason, a held-back number, the reply, the office's own note."""
    parts = []
    if line.voided_on is not None:
        parts.append(f"ĐÃ HỦY SỐ ngày {line.voided_on:%d/%m/%Y}: {line.void_reason}")
    if line.state in HELD:
        parts.append(HELD[line.state])
    if line.replied_on is not None:
        parts.append(f"Đã trả lời ngày {line.replied_on:%d/%m/%Y}")
    if line.note:
        parts.append(line.note)
    return "\n".join(parts)


def _row(line: Line) -> list:
    """One line; a number no document took yet keeps its line, empty but for the note."""
    taken = line.state != "free"
    return [
        line.number,
        line.date,
        line.symbol if taken else "",  # the symbol alone ("UBND-KT"): the number has its own column
        line.subject if taken else "",
        line.signer if taken else "",
        line.recipient if taken else "",
        line.archive if taken else "",
        line.copies if taken else None,
        line.pages if taken else None,
        line.sent_on,  # ngày chuyển: recorded with dondoc letters sent
        "",  # ký nhận: signed on paper
        line.reply_by if taken else None,
        line.file if taken else "",
        note(line),
    ]


def workbook(lines: list[Line]) -> Workbook:
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    any_sheet = False
    for (issuer, year), group in groupby(lines, key=lambda e: (e.issuer, e.year)):
        _sheet(book, issuer, year, list(group), used)
        any_sheet = True
    if not any_sheet:
        sheet = book.create_sheet("Sổ đăng ký")
        sheet["A1"] = "Sổ đăng ký chưa có văn bản nào."
    return book


def _sheet(book: Workbook, issuer: str, year: int, lines: list[Line], used: set[str]) -> None:
    sheet = book.create_sheet(_sheet_title(issuer, year, used))
    width = len(COLUMNS)
    last = get_column_letter(width)
    for row, text, size in ((1, issuer.upper(), 13), (2, "SỔ ĐĂNG KÝ VĂN BẢN ĐI", 16), (3, f"Năm {year}", 13)):
        sheet.merge_cells(f"A{row}:{last}{row}")
        cell = spreadsheet_cell(sheet.cell(row=row, column=1), text)
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
    for i, line in enumerate(lines, header_row + 1):
        values = _row(line)
        sheet.row_dimensions[i].height = _height(values)
        for col, value in enumerate(values, 1):
            cell = spreadsheet_cell(sheet.cell(row=i, column=col), value)  # a subject or signer may open with '='
            marked = col == width and (line.state != "issued" or line.voided_on is not None)
            cell.font = Font(name=FONT, size=11, italic=marked, strike=line.voided_on is not None and col in (3, 4))
            cell.alignment = _CENTRE if col in CENTRED else _WRAP
            cell.border = _BOX
            if col in DATE_COLUMNS:
                cell.number_format = "DD/MM/YYYY"
            elif col == NUMBER_COLUMN:
                cell.number_format = NUMBER_FORMAT
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


def export(lines: list[Line], path: str | Path) -> tuple[int, Path | None]:
    """Write the lines to ``path``; returns (lines, the previous file kept beside it)."""
    buffer = io.BytesIO()
    workbook(lines).save(buffer)
    kept = replace_file(path, buffer.getvalue())
    return len(lines), kept


# -- the office's own register, read in ------------------------------------------------------------------------

# Header titles by their ASCII slug's start: the office's books name the columns in their own words.
_HEADERS = (
    ("number", ("so-ky-hieu", "so-va-ky-hieu", "so-van-ban", "so")),
    ("date", ("ngay-thang", "ngay-van-ban", "ngay-ban-hanh", "ngay")),
    ("symbol", ("ky-hieu",)),
    ("subject", ("ten-loai", "trich-yeu")),
    ("signer", ("nguoi-ky",)),
    ("recipient", ("noi-nhan",)),
    ("archive", ("don-vi-nguoi-nhan-ban-luu", "ban-luu", "noi-luu", "luu")),
    ("copies", ("so-ban", "so-luong-ban")),
    ("note", ("ghi-chu",)),
)
_SKIPPED = ("so-trang", "ngay-chuyen", "ky-nhan", "han-tra-loi", "tep")  # dondoc's own export: not the office's
_NUMBER_SYMBOL = re.compile(r"^\s*0*(\d{1,6})\s*(?:/\s*(\S.*?))?\s*$")
_YEAR = re.compile(r"\bnăm\s+(\d{4})\b", re.IGNORECASE)
MAX_BYTES = 50 << 20  # uncompressed: a register of several years is a few MB
MAX_ROWS = 100_000


def read_office_book(path: Path, year: int | None = None) -> list[OfficeLine]:
    """Every line of every sheet that has a register's header row. The year of a line: ``year``
    if given, else the sheet's "Năm 2026" above its header, else the line's date."""
    book, formulas = _open(path)
    errors: list[InputError] = []
    lines: list[OfficeLine] = []
    read_any = False
    for sheet in book.worksheets:
        found = _header(sheet)
        if found is None:
            continue
        read_any = True
        header_row, columns, sheet_year = found
        lines += _sheet_lines(path, sheet, formulas[sheet.title], header_row, columns, year or sheet_year, errors)
    if not read_any:
        raise InputError(path, "không thấy dòng tiêu đề của sổ đăng ký (cột Số, Ngày ...) trong sheet nào",
                         hint="sổ cần một dòng tiêu đề có ít nhất cột 'Số' và cột 'Ngày tháng văn bản'")
    seen: dict[tuple[int, int], str] = {}
    for line in lines:
        if (line.year, line.number) in seen:
            errors.append(InputError(path, f"số {line.number:02d}/{line.year} có hai dòng (đã có ở {seen[line.year, line.number]})",
                                     where=line.where, hint="một số chỉ có một dòng trong sổ"))
        seen.setdefault((line.year, line.number), line.where)
    if errors:
        raise InputErrors(errors)
    return lines


def _open(path: Path):
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except FileNotFoundError:
        raise InputError(path, "không có tệp này") from None
    except (IsADirectoryError, zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise InputError(path, f"không mở được sổ Excel (.xlsx): {exc}", hint="mở bằng Excel và lưu lại dạng .xlsx") from None
    if unpacked > MAX_BYTES:
        raise BoundError(path, f"sổ Excel giải nén ra {unpacked} byte: quá {MAX_BYTES} byte của một sổ đăng ký")
    try:
        book = load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001 - a damaged part (lxml, zip, openpyxl's own): bad input, said so
        raise InputError(path, f"sổ Excel bị hỏng: {type(exc).__name__}: {exc}", hint="mở bằng Excel và lưu lại dạng .xlsx") from None
    for sheet in book.worksheets:
        if sheet.max_row > MAX_ROWS:
            raise BoundError(path, f"{sheet.max_row} dòng: quá {MAX_ROWS} dòng của một sổ đăng ký", where=f"sheet '{sheet.title}'")
    return book, load_workbook(path, data_only=False)  # the formulas: a value the book does not hold is said, not read as empty


def _slug(value) -> str:
    return ascii_slug(str(value)) if value is not None else ""


def _header(sheet):
    """(header row, {field: column}, the year named above it) of a sheet, or None."""
    year = None
    for row in sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, 30)):
        texts = [one_line(str(c.value)) if c.value is not None else "" for c in row]
        for text in texts:
            match = _YEAR.search(text)
            if match and year is None:
                year = int(match.group(1))
        columns: dict[str, int] = {}
        for cell, text in zip(row, texts):
            slug = _slug(text)
            if not slug or slug.startswith(_SKIPPED):
                continue
            for field, starts in _HEADERS:
                if field not in columns and any(slug == s or slug.startswith(s + "-") for s in starts):
                    columns[field] = cell.column
                    break
        if "number" in columns and "date" in columns:
            return row[0].row, columns, year
    return None


def _sheet_lines(path: Path, sheet, formulas, header_row: int, columns: dict[str, int], year: int | None,
                 errors: list[InputError]) -> list[OfficeLine]:
    lines = []
    for row in sheet.iter_rows(min_row=header_row + 1):
        cells = {field: row[col - 1] if col - 1 < len(row) else None for field, col in columns.items()}
        unsaved = [c for c in cells.values() if c is not None and c.value is None and formulas[c.coordinate].data_type == "f"]
        for cell in unsaved:
            errors.append(InputError(
                path, f"ô có công thức '{str(formulas[cell.coordinate].value)[:60]}' nhưng sổ không lưu giá trị của nó",
                where=f"sheet '{sheet.title}', ô {cell.coordinate}",
                hint="mở sổ bằng Excel (hoặc LibreOffice) cho công thức được tính rồi lưu lại, hoặc ghi thẳng giá trị",
            ))
        if unsaved:
            continue
        raw = cells["number"].value if cells["number"] is not None else None
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue  # a blank line of the book
        where_row = f"sheet '{sheet.title}', dòng {row[0].row}"

        def fail(field: str, message: str, hint: str | None = None) -> None:
            errors.append(InputError(path, message, where=f"sheet '{sheet.title}', ô {cells[field].coordinate}", hint=hint))

        number, symbol = _number(raw)
        if number is None:
            fail("number", f"'{raw}' không phải số văn bản", "ghi số (ví dụ 412) hoặc số và ký hiệu (412/UBND-VP)")
            continue
        date = _date(cells["date"].value if cells["date"] is not None else None)
        if date is False:
            fail("date", f"'{cells['date'].value}' không phải ngày", "ghi ngày dạng dd/mm/yyyy, ví dụ 05/01/2026")
            continue
        line_year = year or (date.year if date else None)
        if line_year is None:
            fail("number", f"số {number}: không biết năm của dòng này (không có ngày, sheet không ghi 'Năm ...')",
                 "ghi ngày của văn bản, hoặc chạy lại với --year")
            continue
        if date is not None and year is not None and date.year != year:
            fail("date", f"ngày {date:%d/%m/%Y} không thuộc năm {year} của sổ")
            continue
        copies = _count(cells.get("copies"))
        if copies is False:
            fail("copies", f"'{cells['copies'].value}' không phải số bản", "ghi một số nguyên, ví dụ 5")
            continue
        text = {f: _text(cells.get(f)) for f in ("symbol", "subject", "signer", "recipient", "archive", "note")}
        lines.append(OfficeLine(
            number=number, year=line_year, where=where_row, date=date or None, symbol=text["symbol"] or symbol,
            subject=text["subject"], signer=text["signer"], recipient=text["recipient"], archive=text["archive"],
            copies=copies, note=text["note"],
        ))
    return lines


def _number(value) -> tuple[int | None, str]:
    if isinstance(value, bool):
        return None, ""
    if isinstance(value, int) and value > 0:
        return value, ""
    if isinstance(value, float) and value.is_integer() and value > 0:
        return int(value), ""
    match = _NUMBER_SYMBOL.match(str(value))
    if match and int(match.group(1)) > 0:
        return int(match.group(1)), one_line(match.group(2) or "")
    return None, ""


def _date(value):
    """A date, None for an empty cell, False for one that is not a date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(str(value).strip(), fmt).date()
        except ValueError:
            continue
    return False


def _count(cell):
    if cell is None or cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
        return None
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer() and value >= 0:
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return False


def _text(cell) -> str:
    if cell is None or cell.value is None:
        return ""
    value = cell.value
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    # keep the book's line breaks (one recipient a line), each line as one line of text
    return "\n".join(one_line(part) for part in str(value).splitlines() if part.strip())
