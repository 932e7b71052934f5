"""Reading a notice back as text, in each format, the way its reader sees it.

The HTML is parsed (stdlib html.parser), the .docx read with python-docx (body
paragraphs and table cells, in order), the PDF with pypdf. Tests compare this text
with the findings, so they check what an official reads, not how the file is built.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from dondoc.engine.rulebook import load_rules
from dondoc.night import evaluate as check
from dondoc.facts.planfolder import read_plan_folder

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DEMO_RUNS = (
    (("gia-loc-2026", "quyet-thang-2026", "an-bien-2026"), dt.date(2026, 11, 22)),
    (("gia-phuc-2025",), dt.date(2025, 11, 22)),
)

VOID = {"br", "hr", "meta", "link", "img", "col", "input", "wbr"}
BLOCKS = {"p", "li", "tr", "td", "th", "div", "h1", "h2", "h3", "table", "ul", "br", "title"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: "Node | None"):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        parts = [c if isinstance(c, str) else " " + c.text() + " " for c in self.children]
        return " ".join("".join(parts).replace("\u00a0", " ").split())

    def raw(self) -> str:
        return "".join(c if isinstance(c, str) else c.raw() for c in self.children)

    def find_all(self, tag: str, cls: str | None = None) -> list["Node"]:
        found = []
        for c in self.children:
            if isinstance(c, Node):
                if c.tag == tag and (cls is None or cls in c.classes):
                    found.append(c)
                found.extend(c.find_all(tag, cls))
        return found

    def find(self, tag: str, cls: str | None = None) -> "Node":
        found = self.find_all(tag, cls)
        assert found, f"no <{tag} class={cls!r}> in the document"
        return found[0]


class Dom(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.root = self.cur = Node("#root", {}, None)
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_endtag(self, tag):
        node = self.cur
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None and node.parent is not None, f"stray </{tag}>"
        self.cur = node.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse(html: str) -> Node:
    return Dom(html).root


def norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def html_lines(html: str) -> list[str]:
    """The body's text, one line per block (paragraph, list item, table cell)."""
    body = html.split("<body", 1)[1].split(">", 1)[1]
    lines: list[str] = []

    class Lines(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.buf: list[str] = []

        def flush(self):
            text = norm("".join(self.buf))
            if text:
                lines.append(text)
            self.buf = []

        def handle_starttag(self, tag, attrs):
            if tag in BLOCKS:
                self.flush()

        def handle_endtag(self, tag):
            if tag in BLOCKS:
                self.flush()

        def handle_data(self, data):
            self.buf.append(data)

    parser = Lines()
    parser.feed(body)
    parser.flush()
    return lines


def docx_lines(data: bytes) -> list[str]:
    """Every paragraph of the body, tables included (cell by cell), in document order."""
    from docx import Document
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph

    doc = Document(io.BytesIO(data))
    lines: list[str] = []

    def walk(container):
        for child in container.iter_inner_content():
            if isinstance(child, Paragraph):
                if norm(child.text):
                    lines.append(norm(child.text))
            elif isinstance(child, Table):
                for tr in child._tbl.tr_lst:
                    for tc in tr.tc_lst:
                        if tc.vMerge == "continue":  # merged into the cell above: read once, there
                            continue
                        walk(_Cell(tc, child))

    walk(doc)
    return lines


def pdf_text(data: bytes) -> list[str]:
    """Each page's text, as pypdf extracts it."""
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def words(text: str) -> list[str]:
    """Words and numbers ("91,61%", "1.823/1.990", "II.2.d"), without the punctuation around them."""
    return re.findall(r"\w+(?:[.,/\-]\w+)*%?", norm(text))


@lru_cache(maxsize=1)
def demo() -> dict[str, dict]:
    """Every demo notice, in every format, with the findings it was written from:
    stem -> {"html": str, "docx": bytes, "pdf": bytes, "findings": [...], "unit": str}."""
    from dondoc.night.plan import build_letters, notices_for_plan
    from dondoc.facts.settings import settings_for

    rules = load_rules()
    out: dict[str, dict] = {}
    for plans, as_of in DEMO_RUNS:
        folders = [read_plan_folder(EXAMPLES / p) for p in plans]
        findings, _ = check(folders, rules, as_of)
        for folder in folders:
            mine = [f for f in findings if f.plan_path == folder.path]
            settings = settings_for(folder.path)
            notices = {letter.stem: letter.notice for letter in build_letters(folder, mine, as_of, settings)[1]}
            for path, data in notices_for_plan(folder, mine, as_of, settings):
                stem, fmt = path.rsplit(".", 1)
                entry = out.setdefault(stem, {"notice": notices[stem]})
                entry[fmt] = data.decode("utf-8") if fmt == "html" else data
    return out


def pdf_top_lines(data: bytes, margin_pt: float = 56.7) -> list[list[str]]:
    """Per page, the text set in the top margin (above the 20 mm margin): the page number."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        height = float(page.mediabox.height)
        found: list[str] = []

        def visit(text, cm, tm, font, size, found=found):
            y = cm[5] + tm[5] * cm[3] if cm else tm[5]
            if text.strip() and y > height - margin_pt:
                found.append(text.strip())

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages
