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
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

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


class WordLists:
    """Real Word numbering for a fixture: typed markers ("1.", "a)", "II.", "- ") become numbered
    paragraphs (numbering.xml), as Word's list buttons make them. Consecutive numbers share one
    list; a number that does not follow starts a new list at that number (startOverride)."""

    # marker -> (numFmt, lvlText); 'đ' has no Word letter and stays typed
    _MARKERS = (
        (re.compile(r"^(\d{1,3})\.(?=\s)"), "decimal", "%1."),
        (re.compile(r"^(\d{1,3})\)(?=\s)"), "decimal", "%1)"),
        (re.compile(r"^([a-ce-z])\)(?=\s)"), "lowerLetter", "%1)"),
        (re.compile(r"^([IVX]{1,4})\.(?=\s)"), "upperRoman", "%1."),
        (re.compile(r"^(-)(?=\s)"), "bullet", "-"),
    )

    def __init__(self, document: WordDocument) -> None:
        self.document = document
        self.root = document.part.numbering_part.element
        self.abstract: dict[tuple[str, str], int] = {}
        self.current: dict[tuple[str, str], tuple[int, int]] = {}  # kind -> (numId, last value)
        self.used = 0  # paragraphs numbered by Word
        self.lists = 0

    def _abstract_id(self, fmt: str, text: str) -> int:
        key = (fmt, text)
        if key not in self.abstract:
            ident = 900 + len(self.abstract)
            element = parse_xml(
                f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{ident}"><w:multiLevelType w:val="singleLevel"/>'
                f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>'
            )
            first_num = self.root.find(qn("w:num"))
            if first_num is not None:
                first_num.addprevious(element)  # abstractNum elements come before num elements
            else:
                self.root.append(element)
            self.abstract[key] = ident
        return self.abstract[key]

    def _num_id(self, fmt: str, text: str, value: int) -> int:
        key = (fmt, text)
        if key in self.current and self.current[key][1] + 1 == value:
            num_id = self.current[key][0]
        else:
            self.lists += 1
            num_id = 900 + self.lists
            self.root.append(
                parse_xml(
                    f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{self._abstract_id(fmt, text)}"/>'
                    f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{value}"/></w:lvlOverride></w:num>'
                )
            )
        self.current[key] = (num_id, value)
        return num_id

    def number(self, paragraph, text: str) -> str:
        """Take a typed marker off ``text`` (inside leading emphasis too) and number the paragraph."""
        stars = re.match(r"^\**", text).group(0)
        body = text[len(stars):]
        for pattern, fmt, level_text in self._MARKERS:
            m = pattern.match(body)
            if not m:
                continue
            token = m.group(1)
            if fmt == "decimal":
                value = int(token)
            elif fmt == "lowerLetter":
                value = ord(token) - ord("a") + 1
            elif fmt == "upperRoman":
                value = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}.get(token)
                if value is None:
                    return text
            else:
                value = 0
            num_id = self._num_id(fmt, level_text, value) if fmt != "bullet" else self._num_id(fmt, level_text, 0)
            numpr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            numpr.get_or_add_ilvl().val = 0
            numpr.get_or_add_numId().val = num_id
            self.used += 1
            return stars + body[m.end():].lstrip()
        return text


def _paragraph(document: WordDocument, line: str, lists: WordLists | None = None) -> None:
    heading = _HEADING.match(line)
    if heading:
        paragraph = document.add_heading("", level=min(len(heading.group(1)), 9))
        line = line[heading.end():]
    else:
        paragraph = document.add_paragraph()
    if lists is not None:
        line = lists.number(paragraph, line)
    _runs(paragraph, line)


def _table(document: WordDocument, rows: list[list[str]], lists: WordLists | None = None) -> None:
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"  # ruled, as printed plans are (a PDF of it shows the lines)
    for r, cells in enumerate(rows):
        filled = [i for i, c in enumerate(cells) if c.strip()]
        for c in range(width):
            text = cells[c] if c < len(cells) else ""
            parts = [p.strip() for p in _CELL_BREAK.split(text)]
            parts = [_TAG.sub("", p) for p in parts if p.strip()]
            cell = table.cell(r, c)
            if lists is not None and c == 0 and re.fullmatch(r"\d{1,3}\.?", text.strip()):
                # the TT column numbered by Word ("1." drawn, nothing typed)
                cell.paragraphs[0].text = lists.number(cell.paragraphs[0], text.strip().rstrip(".") + ". x")[:-1].strip()
                continue
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


def seed_to_docx(text: str, out: Path, word_numbering: bool = False) -> Path:
    """The seed as a Word file; with ``word_numbering`` its list markers are Word's own numbers."""
    document = docx.Document()
    for style in ("Normal", "Title", *(f"Heading {n}" for n in range(1, 7))):
        document.styles[style].font.name = "Times New Roman"  # Nghị định 30/2020: the official font
    lists = WordLists(document) if word_numbering else None
    rows: list[list[str]] = []
    blank = False

    def flush() -> None:
        nonlocal rows
        if rows:
            _table(document, rows, lists)
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
            _paragraph(document, line, lists)
    flush()
    document.add_paragraph()  # Word always ends the body with a paragraph, even after a table
    document.save(str(out))
    return out
