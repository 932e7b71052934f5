"""The shape every reader produces: paragraphs and tables, each with its line.

Text/Markdown and Word files differ in how they store a plan; after reading,
the rest of the importer sees only this, so both are read by the same rules.
For a text file ``line`` is the line number; for a Word file it counts the
body's paragraphs and table rows from 1, in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Para:
    line: int
    text: str  # markup removed, NFC, spaces collapsed
    level: int = 0  # Markdown / Word heading level; 0 for body text
    bold: str = ""  # leading bold text: the subject of an assignment is often set in bold
    footnote: bool = False  # a footnote body ("(1) Loại bỏ ..."), not part of the running text


@dataclass(frozen=True)
class Row:
    line: int
    cells: tuple[str, ...]  # cleaned; lines inside a cell are kept as "\n"
    page_break: bool = False  # a page break came before this row (blank line, new Word table)
    spans: frozenset[int] = frozenset()  # columns whose cell goes on from the row above (merged down)


@dataclass(frozen=True)
class Table:
    line: int
    rows: tuple[Row, ...]


Block = Para | Table


@dataclass(frozen=True)
class Source:
    path: Path
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    kind: str = "text"  # "text", "docx", "pdf" or "doc" (converted to .docx)
