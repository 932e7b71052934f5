"""Text as dondoc reads and writes it: one normaliser for every reader and writer.

Vietnamese arrives in NFC or NFD, with old or new tone placement, numbers with a decimal comma,
and one unit spelled several ways. Everything that compares, keys or names text does it here:

- ``nfc``, ``one_line``: the Unicode form every stored text has, and text as one line;
- ``ascii_slug``: file names and identifiers ("Phòng Kinh tế" -> "phong-kinh-te");
- ``unit_key``, ``is_group``, ``without_locality``: one key per unit, whatever its spelling;
- ``parse_number``, ``same_number``: numbers written by people and by Excel (decimal comma);
- ``rounded``, ``percent``: numbers rounded as officials round them (half up: 95,625 -> 95,63);
- ``spreadsheet_cell``: a text put in a spreadsheet cell stays text, never a formula.

This module is at the bottom of the house: it imports nothing of dondoc.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from typing import Any


def nfc(text: str) -> str:
    """Vietnamese may arrive as NFD (combining marks); compare and keep everything as NFC."""
    return unicodedata.normalize("NFC", text)


# Characters no letter can hold (XML 1.0, and so Word, refuses them): the C0 controls but tab,
# line feed and carriage return; DEL and the C1 controls (mojibake, never meant); lone
# surrogates; U+FFFE and U+FFFF. Readers refuse them where they are written, with the line.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def control_character(text: str) -> int | None:
    """Where the first character no letter can hold stands in ``text``, if any."""
    found = CONTROL.search(text)
    return found.start() if found else None


def one_line(text: str | None) -> str:
    """NFC, one space between words, none at the ends."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def ascii_slug(text: str, *, lower: bool = True, max_len: int = 80) -> str:
    """ "Phòng Kinh tế" -> "phong-kinh-te"; đ/Đ become d/D, which NFKD alone would drop."""
    text = unicodedata.normalize("NFC", text).replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.encode("ascii", "ignore").decode("ascii")
    if lower:
        text = text.lower()
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")
    return text[:max_len].rstrip("-")


# -- unit names -------------------------------------------------------------------------------------
# "Phòng Văn hóa - Xã hội", "Phòng Văn hoá-Xã hội" and "phòng văn hóa xã hội" are one unit.

# Old-style tone placement (hoá, thuý, ...) to the new style (hóa, thúy): the
# tone mark moves from the second vowel of oa/oe/uy to... the first; both are
# in use in government documents, so fold them to one form before comparing.
_OLD_TONES = {
    "oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oé": "óe", "oè": "òe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uý": "úy", "uỳ": "ùy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_OLD_TONE_RE = re.compile("|".join(_OLD_TONES))
_SUFFIX_RE = re.compile(r"\s+(xã|phường|thị trấn)$", re.IGNORECASE)

# Spelled-out and abbreviated names of the same bodies; plans mix them freely
# ("Văn phòng HĐND - UBND xã", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân").
_ABBREVIATIONS = (
    (re.compile(r"\bủy ban nhân dân\b"), "ubnd"),
    (re.compile(r"\bhội đồng nhân dân\b"), "hđnd"),
    (re.compile(r"\bủy ban mặt trận tổ quốc việt nam\b|\bmặt trận tổ quốc việt nam\b"), "mttq"),
    (re.compile(r"\bmặt trận tổ quốc\b|\bub mttqvn\b|\bmttqvn\b"), "mttq"),
    (re.compile(r"\bhđnd và ubnd\b"), "hđnd ubnd"),
)

# A name that stands for several units ("các phòng chuyên môn", "MTTQ và các
# tổ chức chính trị - xã hội"): a reminder cannot be addressed to it as one office.
_GROUP_RE = re.compile(r"^(các|tất cả|toàn bộ|những)\b|\bvà các\b")


@functools.lru_cache(maxsize=8192)  # a night names the same few hundred units again and again
def titled(text: str) -> str:
    """A title as named inside a sentence: its own final period dropped (an ellipsis "..."
    stays), since the sentence's punctuation follows it (never “… trở lên.” không đạt)."""
    text = text.rstrip()
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip()
    return text


def unit_key(name: str) -> str:
    """A comparison key: NFC, lower case, one tone style, no dashes, no 'xã'/'phường' suffix."""
    text = unicodedata.normalize("NFC", name).lower()
    text = _OLD_TONE_RE.sub(lambda m: _OLD_TONES[m.group(0)], text)
    text = re.sub(r"[\-–—_,;.:()]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    for pattern, short in _ABBREVIATIONS:
        text = pattern.sub(short, text)
    return _SUFFIX_RE.sub("", text)


def without_locality(name: str) -> str:
    """The unit's name without its trailing 'xã'/'phường'/'thị trấn' ("Phòng Kinh tế xã" ->
    "Phòng Kinh tế"), as written otherwise."""
    return _SUFFIX_RE.sub("", name)


def is_group(name: str) -> bool:
    """True for a name that stands for several units ('các phòng chuyên môn')."""
    return bool(_GROUP_RE.search(unit_key(name)))


# -- numbers ----------------------------------------------------------------------------------------

_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?")
_COMMA = re.compile(r"[+-]?\d+,\d+")
_NON_FINITE = {"nan", "inf", "infinity", "-inf", "+inf", "-infinity", "+infinity", "-nan", "+nan"}


def parse_number(value: Any, thousands: str | None = None) -> float:
    """A number written by a person or by Excel; raises ValueError saying why it is not one.

    "91,2" and "91.2" are one number; with ``thousands="."`` (a file written by Vietnamese
    Excel) "1.234,5" is 1234.5 and a lone dot is refused as ambiguous."""
    if isinstance(value, bool):
        raise ValueError(f"cần một số, không phải {str(value).lower()}")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        number = _number_text(value, thousands)
    else:
        raise ValueError("cần một số")
    if not math.isfinite(number):
        raise ValueError(f"'{value}' không phải một số hữu hạn: ghi số đo được, hoặc để trống nếu chưa có số liệu")
    return number


def _number_text(text: str, thousands: str | None) -> float:
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    if s.endswith("%"):
        s = s[:-1]
    if s.lower() in _NON_FINITE:
        raise ValueError(f"'{text}' không phải một số hữu hạn: ghi số đo được, hoặc để trống nếu chưa có số liệu")
    if thousands == ".":
        if _GROUPED.fullmatch(s):
            s = s.replace(".", "")
        elif "." in s:
            raise ValueError(
                f"'{text}': tệp dùng dấu chấm phẩy (Excel tiếng Việt), nên dấu phẩy là dấu thập phân"
                f" và dấu chấm ngăn cách hàng nghìn: viết {s.replace('.', ',')}"
            )
    if _COMMA.fullmatch(s):
        s = s.replace(",", ".")
    if not _PLAIN.fullmatch(s):
        raise ValueError(f"'{text}' không phải một số")
    return float(s)


def same_number(a: Any, b: Any) -> bool:
    """Two cells that hold one number however written ("91,2", "91.2", 91.2); else equal text."""
    try:
        return parse_number(a) == parse_number(b)
    except ValueError:
        return a == b


def rounded(value: Any, digits: int = 2) -> Decimal:
    """A number rounded half up to ``digits`` decimals, as officials round: 95,625 -> 95,63 and
    33,335 -> 33,34. On the decimal the number is written as (a float's shortest repr), not on
    its binary value: round(95.625, 2) and f"{95.625:.2f}" give 95.62 (half to even, and 33.335
    is stored as 33.33499...)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise TypeError(f"rounded needs a number, got {value!r}")
    return as_decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def percent(part: Any, whole: Any, digits: int = 2) -> float:
    """100 * part / whole on the exact quotient, rounded half up: 612/640 -> 95.63 (the float
    100.0 * 612 / 640 is 95.625, which round() takes to 95.62)."""
    quotient = Decimal(100) * as_decimal(part) / as_decimal(whole)
    return float(rounded(quotient, digits))


def as_decimal(value: Any) -> Decimal:
    """A number as the decimal it is written as (a float by its shortest repr: 0.1 is 0.1)."""
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


# -- spreadsheets -----------------------------------------------------------------------------------

# What a spreadsheet takes for the start of a formula (OWASP, "CSV Injection"): a cell opening with
# one of these, typed or opened, is computed: '=HYPERLINK(...)' in a plan's title would be a link.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(cell: Any, value: Any) -> Any:
    """Put ``value`` in a spreadsheet cell (an openpyxl cell) as what it is: a text that opens
    like a formula is stored as text, with Excel's quote prefix (the "'" a person would type),
    so that neither opening the workbook nor editing the cell runs it. Every workbook dondoc
    writes puts its texts through here. Returns the cell."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def csv_text(value: str) -> str:
    """A text for a CSV cell, written as text: one that opens like a formula gets the quote a
    person would type before it ("'=HYPERLINK(...)"), so a spreadsheet opening the file shows it
    and never computes it (OWASP, "CSV Injection"). Numbers are not texts: give them as numbers."""
    return "'" + value if value.startswith(FORMULA_START) else value

