"""Plain text and Markdown, as extracted from plan documents, into paragraphs and tables.

A line with a tab is a table row (the extraction writes appendix rows as
tab-separated cells); so is a Markdown table row ('| 1 | Nhiệm vụ | ... |'). Blank lines between rows are page breaks: the table goes
on, and the row after the break may be the rest of a row cut by the page.
Every other non-blank line is one paragraph, with its Markdown removed.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from dondoc.errors import InputError
from dondoc.facts.importer.clean import clean_cell, markdown_line, nfc
from dondoc.facts.importer.document import Block, Para, Row, Source, Table

_CONTROL_OK = {"\t", "\n", "\r", "\f", "\v"}


def decode(path: Path, data: bytes) -> str:
    """Bytes to text: UTF-8 (with or without BOM) or UTF-16 with BOM; anything else is refused."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise InputError(
            path,
            "tệp nhị phân, không phải văn bản (binary file, not text)",
            line=1,
            hint="xuất kế hoạch ra .txt (UTF-8) hoặc .docx / export the plan as UTF-8 text or .docx",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            path,
            f"không phải văn bản UTF-8 (byte {exc.start}) (not UTF-8 text)",
            line=line,
            hint="lưu lại tệp với mã UTF-8 / save the file as UTF-8",
        ) from None
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in _CONTROL_OK)
    if control > max(3, len(text) // 100):
        raise InputError(path, "tệp nhị phân, không phải văn bản (binary file, not text)", line=1)
    return text


_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$")


def _pipe_cells(line: str) -> list[str] | None:
    """The cells of a Markdown table row ('| 1 | Nhiệm vụ | Phòng Kinh tế |'), else None."""
    stripped = line.strip()
    if not (stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3):
        return None
    return [cell.replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", stripped[1:-1])]


def read_text(path: Path, data: bytes) -> Source:
    text = nfc(decode(path, data)).replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[Block] = []
    rows: list[Row] = []
    broken = False  # a blank line since the last row of the open table

    def close() -> None:
        nonlocal rows
        if rows:
            blocks.append(Table(rows[0].line, tuple(rows)))
        rows = []

    for number, raw in enumerate(text.split("\n"), start=1):
        raw = raw.replace("\f", "")  # form feed: a page break, nothing to read
        if _PIPE_RULE.match(raw):
            continue  # the |---|---| line under a Markdown table's header
        pipes = _pipe_cells(raw)
        if pipes is not None or ("\t" in raw and raw.strip()):
            cells = tuple(clean_cell(cell) for cell in (pipes if pipes is not None else raw.split("\t")))
            if any(cells):
                rows.append(Row(number, cells, page_break=broken and bool(rows)))
                broken = False
                continue
        if not raw.strip() or not any(clean_cell(raw).split()):
            broken = True
            continue
        close()
        broken = False
        body, level, bold, footnote = markdown_line(raw)
        if body:
            blocks.append(Para(number, body, level, bold, footnote))
    close()
    return Source(path=path, blocks=tuple(blocks), kind="text")
