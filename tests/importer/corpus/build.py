"""Build the fidelity corpus: each plan in src/*.plan becomes a Word file, or a text PDF, in docs/.

    .venv/bin/python -m tests.importer.corpus.build          # every plan
    .venv/bin/python -m tests.importer.corpus.build 03-xa     # the plans whose name starts so

The plans are written for dondoc (docs/import.md, "Kiểm chứng"): each reproduces the forms and
layout of a kind of published plan, in words of its own. The source is one line per paragraph:

    **bold** and <sup>(1)</sup>   emphasis and footnote marks, as in the seed fixtures
    #1. text  #a) text  #II. text  #- text
                                  Word's automatic numbering (numbering.xml), not typed numbers
    a \\ b                        a soft line break (Shift+Enter) inside the paragraph or cell
    @pagebreak                    a page break
    @layout ... @end              a borderless table used for layout (issuer | motto, signature)
    @table [repeat] ... @end      a ruled table; "repeat": its first row repeats on every page
      | a | b | c |               one row; "<" merges a cell into the one on its left, "^" into
                                  the one above; " ;; " starts a new paragraph in the cell; "#"
                                  alone is a number Word draws (the TT column numbered by Word), "#!"
                                  one that starts again at 1
      @split                      the table goes on in a new table after an empty paragraph, its
                                  header row repeated as a row (as PDF-to-Word conversions leave)
    @format pdf                   (first line) the plan is published as a PDF: LibreOffice prints
                                  the Word file; only the PDF is kept

The built files are committed, so the tests need neither this script nor LibreOffice; rebuild
after changing a source and commit both.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import docx
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from tests.importer.docx_fixtures import WordLists, _runs

HERE = Path(__file__).resolve().parent
SRC, DOCS = HERE / "src", HERE / "docs"


def _text(paragraph, text: str) -> None:
    """Runs with emphasis; '\\\\' is a soft line break."""
    for i, piece in enumerate(re.split(r"\s*\\\\\s*", text)):
        if i:
            paragraph.add_run().add_break(WD_BREAK.LINE)
        _runs(paragraph, piece)


def _paragraph(document, line: str, lists: WordLists, container=None) -> None:
    paragraph = (container or document).add_paragraph()
    if line.startswith("#") and not line.startswith("# "):
        line = lists.number(paragraph, line[1:])
    _text(paragraph, line)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    table._tbl.tblPr.append(borders)


def _repeat_header(row) -> None:
    trPr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trPr.append(flag)


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _table(document, rows: list[list[str]], lists: WordLists, *, ruled: bool, repeat: bool) -> None:
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    if ruled:
        table.style = "Table Grid"
    else:
        _no_borders(table)
    for r, cells in enumerate(rows):
        for c in range(width):
            text = cells[c] if c < len(cells) else ""
            cell = table.cell(r, c)
            if text in ("<", "^"):
                continue
            parts = text.split(" ;; ")
            first = cell.paragraphs[0]
            if parts[0] in ("#", "#!"):
                # drawn by Word: the number comes from numbering.xml; "#!" starts again at 1
                lists.tt = 1 if parts[0] == "#!" else getattr(lists, "tt", 0) + 1
                lists.number(first, f"{lists.tt}. x")
            else:
                if parts[0].startswith("#") and len(parts[0]) > 1:
                    parts[0] = lists.number(first, parts[0][1:])
                _text(first, parts[0])
            for part in parts[1:]:
                _paragraph(document, part, lists, container=cell)
    # merges after the text, so a merged cell keeps the text of its first cell
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            if text == "<":
                left = c - 1
                while left > 0 and cells[left] == "<":
                    left -= 1
                table.cell(r, left).merge(table.cell(r, c))
            elif text == "^":
                up = r - 1
                while up > 0 and rows[up][c] == "^":
                    up -= 1
                table.cell(up, c).merge(table.cell(r, c))
    if repeat:
        _repeat_header(table.rows[0])


def build_docx(source: Path, out: Path) -> Path:
    document = docx.Document()
    for style in ("Normal", "Title", *(f"Heading {n}" for n in range(1, 7))):
        document.styles[style].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(13)
    lists = WordLists(document)
    lines = source.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        i += 1
        if not line.strip() or line.startswith("@format") or line.startswith("//"):
            continue
        if line == "@pagebreak":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            continue
        if line.startswith(("@table", "@layout")):
            ruled = line.startswith("@table")
            repeat = "repeat" in line
            rows: list[list[str]] = []
            header: list[str] | None = None
            while i < len(lines) and lines[i].strip() != "@end":
                row = lines[i].strip()
                i += 1
                if row == "@split":
                    _table(document, rows, lists, ruled=ruled, repeat=repeat)
                    document.add_paragraph()
                    rows = [list(header)] if header else []
                    continue
                if row.startswith("|"):
                    rows.append(_cells(row))
                    header = header or rows[0]
            i += 1
            if rows:
                _table(document, rows, lists, ruled=ruled, repeat=repeat)
            continue
        _paragraph(document, line, lists)
    document.add_paragraph()
    document.save(str(out))
    return out


def to_pdf(docx_file: Path, out_dir: Path) -> Path:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise SystemExit("LibreOffice (soffice) is needed to print the PDF fixtures")
    with tempfile.TemporaryDirectory(prefix="dondoc-corpus-") as tmp:
        profile = Path(tmp, "profile").as_uri()
        subprocess.run(
            [office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(docx_file)],
            check=True, capture_output=True, timeout=300,
        )
        made = Path(tmp) / (docx_file.stem + ".pdf")
        target = out_dir / made.name
        shutil.copyfile(made, target)
    return target


def build(source: Path) -> Path:
    first = source.read_text(encoding="utf-8").splitlines()[0]
    DOCS.mkdir(exist_ok=True)
    if first.strip() == "@format pdf":
        with tempfile.TemporaryDirectory(prefix="dondoc-corpus-") as tmp:
            word = build_docx(source, Path(tmp) / f"{source.stem}.docx")
            return to_pdf(word, DOCS)
    return build_docx(source, DOCS / f"{source.stem}.docx")


def main(args: list[str]) -> None:
    for source in sorted(SRC.glob("*.plan")):
        if args and not any(source.stem.startswith(a) for a in args):
            continue
        print(build(source).relative_to(HERE))


if __name__ == "__main__":
    main(sys.argv[1:])
