"""Cleaning text as extracted: Unicode form, stray HTML, Markdown emphasis, spaces."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from dondoc.text import nfc  # noqa: F401 - the importer's modules take it from here

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\ufeff\u00ad]")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_SUP = re.compile(r"<sup>.*?</sup>", re.IGNORECASE | re.DOTALL)
_FOOTNOTE = re.compile(r"^\s*<sup>\s*\(?\d+\)?\s*</sup>", re.IGNORECASE)
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_EMPHASIS = re.compile(r"\*{1,3}|(?<!\w)_{2,3}|_{2,3}(?!\w)")
_LEADING_BOLD = re.compile(r"^(\s*(?:[a-zđ]\)|\d+(?:\.\d+)*\.)?\s*)(\*{2,3}|__)(.+?)\2")


def _protect(match: re.Match) -> str:
    # A Markdown-escaped character ("\\*") is kept out of the emphasis removal:
    # it is moved to the private-use area and brought back afterwards.
    return chr(0xE000 + ord(match.group(1)))


def _restore(text: str) -> str:
    return re.sub("[\ue000-\ue07f]", lambda m: chr(ord(m.group(0)) - 0xE000), text)


def squeeze(text: str) -> str:
    """One space between words, none at the ends; line breaks become spaces."""
    return _SPACES.sub(" ", _ZERO_WIDTH.sub("", text).replace("\n", " ")).strip()


class _TextOnly(HTMLParser):
    """Keeps the text of an HTML fragment; block tags become spaces so words do not run together."""

    _BLOCK = {"p", "li", "ul", "ol", "br", "div", "tr", "td", "th", "table"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self._BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self._BLOCK:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def strip_html(text: str) -> str:
    """Text of a fragment such as '<p>tâm Phục vụ</p> <ul style="..."> - Các phòng'."""
    if "<" not in text and "&" not in text:
        return text
    text = _SUP.sub("", text)  # footnote marks: "<sup>(1)</sup>"
    if not _TAG.search(text):
        return html.unescape(text)
    parser = _TextOnly()
    try:
        parser.feed(text)
        parser.close()
    except Exception:  # malformed markup: fall back to dropping anything tag-shaped
        return html.unescape(_TAG.sub(" ", text))
    return "".join(parser.parts)


def strip_emphasis(text: str) -> str:
    """Remove Markdown emphasis (**, *, __) and escapes ('\\*' stays a literal star)."""
    text = _ESCAPED.sub(_protect, text)

    def drop(match: re.Match) -> str:
        # "PHỤ LỤC**Nội dung": a marker between two words stood where a line break was.
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        return " " if before.isalnum() and after.isalnum() else ""

    return _restore(_EMPHASIS.sub(drop, text))


def clean_cell(text: str) -> str:
    """A table cell: NFC, no HTML or emphasis; lines kept (units are often one per line)."""
    text = strip_emphasis(strip_html(nfc(text)))
    lines = (squeeze(line) for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def markdown_line(raw: str) -> tuple[str, int, str, bool]:
    """One line of extracted text: (text, heading level, leading bold text, is a footnote body)."""
    text = nfc(raw)
    level = 0
    heading = _HEADING.match(text)
    if heading:
        level = len(heading.group(1))
        text = text[heading.end():]
    footnote = bool(_FOOTNOTE.match(text))
    bold = ""
    match = _LEADING_BOLD.match(_ESCAPED.sub(_protect, text))
    if match:
        bold = squeeze(_restore(strip_emphasis(strip_html(match.group(1) + match.group(3)))))
    if footnote:
        text = _FOOTNOTE.sub(lambda m: re.sub(r"</?sup>", "", m.group(0)), text, count=1)
    text = squeeze(strip_emphasis(strip_html(text)))
    return text, level, bold, footnote


# A phrase of two to four words typed twice ("của Thành phố Thành phố", "kiểm tra kiểm tra").
# One word twice is left alone: Vietnamese doubles single syllables on purpose ("từ từ", "dần dần").
_REPEATED = re.compile(r"\b(\w+(?:\s+\w+){1,3})\s+\1\b", re.IGNORECASE)
# A target word capitalised inside a sentence ("Kiểm tra cải cách hành chính Tối thiểu 30% ...").
_CUE_MID_SENTENCE = re.compile(r"(?<=\w )(Tối thiểu|Tối đa|Ít nhất|Không quá|Không dưới|Trở lên)\b")


def tidy_prose(text: str) -> str:
    """Slips of the typist that a letter would repeat word for word: a phrase typed twice,
    a target word capitalised mid-sentence. Nothing else in the wording changes."""
    text = _REPEATED.sub(lambda m: m.group(1), text)
    return _CUE_MID_SENTENCE.sub(lambda m: m.group(1)[0].lower() + m.group(1)[1:], text)
