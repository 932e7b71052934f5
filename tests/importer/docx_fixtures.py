"""Build .docx fixtures from the seed texts, at test time, with python-docx.

The Word file is what an official's file would be: Markdown headings become
Heading styles, ** becomes bold runs, <sup> becomes superscript, appendix rows
become real Word tables. A blank line between rows (a page break in the
extraction) starts a new Word table after an empty paragraph, as PDF-to-Word
conversions leave them; section rows have their empty cells merged; HTML lists
inside cells become paragraphs inside the cell.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
from docx.document import Document as WordDocument

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+")
_TOKENS = re.compile(r"(\*\*\*|\*\*|\*|<sup>.*?</sup>)", re.IGNORECASE)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_CELL_BREAK = re.compile(r"<\s*/?\s*(?:p|ul|ol|li)(?:\s[^>]*)?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def _runs(paragraph, text: str) -> None:
    """Add text with Markdown emphasis and <sup> as formatted runs."""
    text = _ESCAPE.sub(lambda m: chr(0xE000 + ord(m.group(1))), text.rstrip())
    bold = italic = False
    for token in _TOKENS.split(text):
        if not token:
            continue
        if token == "***":
            bold, italic = not bold, not italic
        elif token == "**":
            bold = not bold
        elif token == "*":
            italic = not italic
        elif token.lower().startswith("<sup>"):
            run = paragraph.add_run(_restore(_TAG.sub("", token)))
            run.font.superscript = True
        else:
            run = paragraph.add_run(_restore(_TAG.sub("", token)))
            run.bold = bold or None
            run.italic = italic or None


def _restore(text: str) -> str:
    return re.sub("[\ue000-\ue07f]", lambda m: chr(ord(m.group(0)) - 0xE000), text)


def _paragraph(document: WordDocument, line: str) -> None:
    heading = _HEADING.match(line)
    if heading:
        paragraph = document.add_heading("", level=min(len(heading.group(1)), 9))
        _runs(paragraph, line[heading.end():])
    else:
        _runs(document.add_paragraph(), line)


def _table(document: WordDocument, rows: list[list[str]]) -> None:
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for r, cells in enumerate(rows):
        filled = [i for i, c in enumerate(cells) if c.strip()]
        for c in range(width):
            text = cells[c] if c < len(cells) else ""
            parts = [p.strip() for p in _CELL_BREAK.split(text)]
            parts = [_TAG.sub("", p) for p in parts if p.strip()]
            cell = table.cell(r, c)
            cell.paragraphs[0].text = parts[0] if parts else ""
            for part in parts[1:]:
                cell.add_paragraph(part)
        # A section row ("I | Nhiệm vụ xây dựng ... | | | |"): its empty cells merged, as in Word.
        if filled and max(filled) <= 1 and width > 2 and len(filled) == len(set(filled)):
            last = table.cell(r, width - 1)
            start = table.cell(r, max(filled))
            if start._tc is not last._tc:
                start.merge(last)
                start.text = cells[max(filled)]


def seed_to_docx(text: str, out: Path) -> Path:
    document = docx.Document()
    rows: list[list[str]] = []
    blank = False

    def flush() -> None:
        nonlocal rows
        if rows:
            _table(document, rows)
        rows = []

    for line in text.replace("\r\n", "\n").split("\n"):
        if "\t" in line and line.strip():
            if blank and rows:
                flush()
                document.add_paragraph()  # the page break between two parts of one table
            rows.append(line.split("\t"))
            blank = False
        elif not line.strip():
            blank = True
        else:
            flush()
            blank = False
            _paragraph(document, line)
    flush()
    document.save(str(out))
    return out
