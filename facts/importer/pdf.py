"""Text PDFs (read with pdfplumber) into the same paragraphs and tables.

Many plans are published as PDF. Tables are found by their ruling lines (pdfplumber's table
finder); the text outside them is read line by line and the lines of one paragraph are joined
again (a line that does not end a sentence goes on in the next, unless the next opens a new
item). A table that goes on at the top of the next page is one table with a page break, as in
Word files. Lines count the text lines and table rows from 1, in reading order.

A PDF with no text layer (a scan) cannot be read: it needs text recognition (OCR) first, and
the error says so.
"""

from __future__ import annotations

import re
from pathlib import Path

from dondoc import limits
from dondoc.errors import InputError
from dondoc.facts.importer.clean import clean_cell, nfc, squeeze
from dondoc.facts.importer.document import Block, Para, Row, Source, Table
from dondoc.facts.importer.labelled import labels
from dondoc.facts.importer.layout import MARKER

_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$|^Trang\s+\d+", re.IGNORECASE)


def read_pdf(path: Path) -> Source:
    try:
        import pdfplumber
        from pdfminer.pdfparser import PDFSyntaxError
    except ImportError:  # pragma: no cover - a missing dependency, not bad input
        raise InputError(path, "cần pdfplumber để đọc .pdf (pdfplumber is not installed)") from None
    try:
        pdf = pdfplumber.open(str(path))
    except (PDFSyntaxError, Exception) as exc:  # noqa: BLE001 - any damaged PDF is bad input
        raise InputError(
            path,
            f"không mở được tệp PDF: {exc} (not a readable PDF)",
            line=1,
            hint="lưu lại tệp PDF hoặc dùng bản .docx / save the PDF again or use the .docx",
        ) from None
    with pdf:
        # The page count from the page tree, before a page is read; each page is let go once
        # read (a 474 KB file of 2,000 pages, all kept, ran out of memory).
        limits.check("pdf_pages", _page_count(pdf), path, "số trang", line=1)
        pages = []
        for page in pdf.pages:
            pages.append(_page_items(page))
            page.close()
    if not any(items for items in pages):
        raise InputError(
            path,
            "tệp PDF là bản quét (ảnh), không có lớp chữ để đọc (a scanned PDF: no text layer)",
            line=1,
            hint="cần nhận dạng chữ (OCR) trước, hoặc dùng bản .docx / run OCR first, or use the .docx",
        )
    return Source(path=path, blocks=tuple(_blocks(pages)), kind="pdf")


def _page_count(pdf) -> int:
    """The pages the document declares (its page tree's /Count), and at least the pages found."""
    from pdfminer.pdftypes import resolve1

    try:
        declared = int(resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"]))
    except Exception:  # noqa: BLE001 - a damaged tree: the pages found say it
        declared = 0
    return max(declared, len(pdf.pages)) if declared <= limits.limit("pdf_pages") else declared


def _page_items(page) -> list[tuple[str, object]]:
    """('line', text) and ('table', rows) in reading order on one page."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    items: list[tuple[float, str, object]] = []
    lines = page.filter(outside).extract_text_lines(keep_blank_chars=False)
    right = max((line["x1"] for line in lines), default=0)
    for top, text, height, full in _columns(lines, page.width, right):
        items.append((top, "line", (text, height, full)))
    for table in tables:
        rows = [[_cell(c) for c in row] for row in table.extract()]
        rows = [r for r in rows if any(r)]
        if rows:
            items.append((table.bbox[1], "table", rows))
    items.sort(key=lambda item: item[0])
    return [(kind, (top, data)) for top, kind, data in items]


_COLUMN_GAP = 18.0  # points: a gap this wide inside a line parts two columns of a layout table


def _segments(line) -> list[tuple[float, float, str]]:
    """(x0, x1, text) of the pieces of a line that a wide gap parts; a narrower gap is a space."""
    pieces: list[list] = []
    for ch in line["chars"]:
        if not pieces or ch["x0"] - pieces[-1][-1]["x1"] > _COLUMN_GAP:
            pieces.append([])
        pieces[-1].append(ch)
    out = []
    for piece in pieces:
        text = piece[0]["text"]
        for before, ch in zip(piece, piece[1:]):
            text += (" " if ch["x0"] - before["x1"] > 1.5 else "") + ch["text"]
        out.append((piece[0]["x0"], piece[-1]["x1"], squeeze(nfc(text))))
    return out


def _bold(line) -> bool:
    chars = [c for c in line["chars"] if c["text"].strip()]
    return sum("bold" in str(c.get("fontname", "")).lower() for c in chars) * 2 > len(chars)


def _columns(lines, width: float, right: float) -> list[tuple[float, str, float, tuple[bool, bool]]]:
    """(sort key, text, height, reaches the right margin) for each line, in reading order.

    The issuer | motto header and the recipients | signature block are borderless tables in
    Word: printed, their two columns share lines ("ỦY BAN NHÂN DÂN   CỘNG HÒA XÃ HỘI ...").
    Such a run of lines is read as the table is: the left column top to bottom, then the right.
    """
    out: list[tuple[float, str, float, tuple[bool, bool]]] = []
    middle = width / 2
    block: list[tuple[object, list[tuple[float, float, str]]]] = []

    def flush() -> None:
        if not block:
            return
        first = block[0][0]["top"]
        column = [(ln, seg) for ln, segs in block for seg in segs if seg[0] < middle - 20]
        column += [(ln, seg) for ln, segs in block for seg in segs if seg[0] >= middle - 20]
        for i, (ln, seg) in enumerate(column):
            if not seg[2]:
                continue
            same_column = i > 0 and (column[i - 1][1][0] < middle - 20) == (seg[0] < middle - 20)
            if same_column and column[i - 1][1][2] and (seg[2][:1].islower() or seg[2][:1].isdigit()) and not out[
                -1
            ][1].endswith((".", ";", ":")):
                # the cell's line wrapped: "Bến Thành, ngày 03 tháng 02 năm" + "2026"
                top, text, height, flags = out[-1]
                out[-1] = (top, f"{text} {seg[2]}", height, flags)
                continue
            out.append((first + i * 1e-3, seg[2], ln["bottom"] - ln["top"], (False, _bold(ln))))
        block.clear()

    for line in lines:
        segs = _segments(line)
        if len(segs) > 1 and not (segs[-1][0] >= middle - 20 and segs[0][1] <= middle + 20):
            # a list number with a tab after it ("1.   Phòng Kinh tế"), not two columns
            segs = [(segs[0][0], segs[-1][1], squeeze(nfc(line["text"])))]
        height = line["bottom"] - line["top"]
        gap = line["top"] - block[-1][0]["bottom"] if block else None
        # One column goes on below the other: the motto's second line, the recipients' last line
        # (set tight, as lines of one cell are), the signer's name under blank lines.
        right_only = len(segs) == 1 and segs[0][0] >= middle - 20
        left_only = len(segs) == 1 and segs[0][1] <= middle + 20
        goes_on = gap is not None and (
            (right_only and gap < 6 * height) or (left_only and gap < 0.6 * height)
        )
        if len(segs) > 1 or goes_on:
            block.append((line, segs))
            continue
        flush()
        text = squeeze(nfc(line["text"]))
        if text:
            # a line that reaches the right margin wrapped: its paragraph goes on below (a
            # bold title does not go on into the plain text under it)
            out.append((line["top"], text, height, (line["x1"] >= right * 0.9, _bold(line))))
    flush()
    return out


def _cell(text: str | None) -> str:
    """A cell's wrapped lines joined; a line opening a list item ('- Phòng ...') stays a line."""
    lines = [squeeze(nfc(line)) for line in (text or "").split("\n")]
    out: list[str] = []
    for line in lines:
        if not line:
            continue
        if out and not re.match(r"^[-–+•]\s", line) and not out[-1].endswith(";"):
            # "02/NQ-" + "CP": a word cut at its own hyphen goes on without a space
            out[-1] = f"{out[-1]}{line}" if re.search(r"\S-$", out[-1]) else f"{out[-1]} {line}"
        else:
            out.append(line)
    return clean_cell("\n".join(out))


def _blocks(pages: list[list[tuple[str, object]]]) -> list[Block]:
    blocks: list[Block] = []
    counter = 0
    last_bottom = None  # of the previous text line on this page, to tell a new paragraph
    wrapped = False  # the previous text line reached the right margin
    for items in pages:
        last_bottom = None
        for kind, (top, data) in items:
            if kind == "line":
                text, height, (full, bold) = data
                if _PAGE_NUMBER.match(text):
                    continue
                counter += 1
                previous = blocks[-1] if blocks else None
                gap = top - last_bottom if last_bottom is not None else None
                joins = (
                    isinstance(previous, Para)
                    and wrapped
                    and bool(previous.bold) == bold
                    and not MARKER.match(text)
                    and labels(text) is None  # "Thời gian thực hiện: ..." starts a line of its own
                    and not text.isupper()  # a title ("PHỤ LỤC") does not go on a paragraph
                    and (gap is None or gap < height * 1.2)
                )
                if joins:
                    joined = f"{previous.text} {text}"
                    blocks[-1] = Para(previous.line, joined, bold=joined if bold else "")
                else:
                    blocks.append(Para(counter, text, bold=text if bold else ""))
                last_bottom, wrapped = top + height, full
                continue
            rows: list[Row] = []
            for cells in data:
                counter += 1
                rows.append(Row(counter, tuple(cells)))
            previous = blocks[-1] if blocks else None
            if isinstance(previous, Table) and _goes_on(previous, Table(rows[0].line, tuple(rows))):
                # nothing between the two: the table goes on (over a page, or a break left by Word)
                rows[0] = Row(rows[0].line, rows[0].cells, page_break=True)
                blocks[-1] = Table(previous.line, previous.rows + tuple(rows))
            else:
                blocks.append(Table(rows[0].line, tuple(rows)))
            last_bottom, wrapped = None, False
    return blocks


def _goes_on(previous: Table, table: Table) -> bool:
    """A table right after another goes on with it, unless it opens with columns of its own."""
    from dondoc.facts.importer.layout import find_header

    mine = find_header(table)
    if mine is None:
        return True
    theirs = find_header(previous)
    return theirs is not None and set(theirs[1].values()) == set(mine[1].values())
