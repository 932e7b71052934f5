"""Vietnamese formats for notices: dates, numbers, periods and ASCII slugs.

Nghị định 30/2020/NĐ-CP fixes how a date is written on a document; numbers use a
decimal comma and a dot between thousands ("1.500.000 đồng", "91,2%").
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from typing import Any

from dondoc.facts.periods import period_words
from dondoc.text import one_line, rounded, titled

EMPTY = "—"  # printed where a value is unknown, so a blank cell never looks like zero

def as_date(value: Any, field: str = "date") -> dt.date | None:
    """A date from a date or an ISO string (Finding.fact holds dates as ISO strings)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            if "T" in value:
                return dt.datetime.fromisoformat(value).date()
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{field}: {value!r} is not an ISO date (YYYY-MM-DD)")


def _day(d: dt.date) -> str:
    return f"{d.day:02d}"


def _month(d: dt.date | int) -> str:
    # ND30: only months 1 and 2 take a leading zero, so "01" and "02" cannot be misread as 10-12.
    m = d if isinstance(d, int) else d.month
    return f"{m:02d}" if m <= 2 else str(m)


def vn_date_words(d: dt.date, place: str) -> str:
    """ "Gia Lộc, ngày 22 tháng 11 năm 2026": the place-and-date line of a document."""
    words = f"ngày {_day(d)} tháng {_month(d)} năm {d.year}"
    place = place.strip()
    return f"{place}, {words}" if place else words


def dmy(value: Any) -> str:
    """dd/mm/yyyy, for dates in tables ("09/09/2026")."""
    d = as_date(value)
    return EMPTY if d is None else f"{d.day:02d}/{d.month:02d}/{d.year}"


def vn_number(value: Any, digits: int = 2) -> str:
    """91.2 -> "91,2"; 1500000 -> "1.500.000"; 8.25 -> "8,25"; trailing zeros dropped."""
    if value is None:
        return EMPTY
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"vn_number needs a number, got {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"vn_number cannot print {value!r}")
    # Half up, as officials round (95,625% -> 95,63%): the one rounding of every printed number.
    text = format(abs(rounded(value, digits)), "f") if isinstance(value, float) else str(abs(value))
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ".".join(groups) + ("," + frac if frac else "")
    negative = value < 0 and out.strip("0.,") != ""
    return ("-" if negative else "") + out


def vn_count(value: Any) -> str:
    """A count in running text, 1-9 written "01".."09" as the plans write them ("05 tin bài")."""
    if value is None:
        return EMPTY
    n = int(value)
    return f"{n:02d}" if 0 < n < 10 else str(n)


def vn_measure(value: Any, measure: str, digits: int = 2) -> str:
    """A value with its unit: "95%", "8,25 điểm", "5 tin bài/tháng"."""
    if value is None:
        return EMPTY
    text = vn_number(value, digits)
    measure = (measure or "").strip()
    if not measure:
        return text
    return f"{text}{measure}" if measure == "%" else f"{text} {measure}"


def period_label(period: str) -> str:
    """An occurrence's or a target's period as a reader says it mid-sentence: "2026-Q3" ->
    "quý III/2026" (facts/periods.py, the one formatter: the rules' messages say it alike)."""
    return period_words(period)


_QUOTE_OPENERS = set(" \t\n([{—–-/:;,") | {"", "\u00a0"}
_DMY = re.compile(r"\b(\d{1,2})([/.])(\d{1,2})\2(\d{4})\b")


def curly_quotes(text: str) -> str:
    """Straight quotes as typeset ones (“…”, ’): one quotation style in every notice."""
    if '"' not in text and "'" not in text:
        return text
    out = []
    for i, ch in enumerate(text):
        if ch == '"':
            before = text[i - 1] if i else ""
            out.append("“" if before in _QUOTE_OPENERS or before in "“‘" else "”")
        elif ch == "'":
            before = text[i - 1] if i else ""
            out.append("‘" if before in _QUOTE_OPENERS else "’")
        else:
            out.append(ch)
    return "".join(out)


def quoted(title: str) -> str:
    """A title named in a sentence, in quotation marks: “…”, the quotes inside it as ‘…’ (one
    level down, never “…“…”…”), and its own final period dropped, since the sentence's
    punctuation follows the closing mark (never "… tại thôn.”."). The one helper that quotes titles."""
    return f"“{titled(prose(title).translate(_INNER_QUOTES))}”"


_INNER_QUOTES = str.maketrans({"“": "‘", "”": "’"})


@functools.lru_cache(maxsize=16384)  # the same titles, phrases and unit names fill every letter
def prose(text: str) -> str:
    """Text from a plan or a rule as a notice prints it: NFC, one line, typeset quotes,
    dates written dd/mm/yyyy."""
    return dates_in_text(curly_quotes(one_line(text)))


def dates_in_text(text: str) -> str:
    """Dates inside a quoted phrase written dd/mm/yyyy ("Chậm nhất ngày 9/9/2026" -> 09/09/2026)."""

    def full(m: re.Match) -> str:
        day, month, year = int(m[1]), int(m[3]), int(m[4])
        try:
            return dmy(dt.date(year, month, day))
        except ValueError:
            return m[0]

    return _DMY.sub(full, text)


def lower_first(text: str) -> str:
    """A phrase taken into a sentence: "Cải cách hành chính" -> "cải cách hành chính";
    an abbreviation ("CCHC năm 2025", "TTHC ...") stays as written."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def mid_sentence(name: str) -> str:
    """A name as written inside a sentence: a group ("Các phòng chuyên môn") takes a small
    letter ("giao các phòng chuyên môn"); a unit's own name keeps its capital."""
    name = prose(name)
    first, _, rest = name.partition(" ")
    if first in ("Các", "Tất", "Toàn", "Những") and rest:
        return first.lower() + " " + rest
    return name


def enumerate_vn(items: list[str]) -> str:
    """ "a", "a và b", "a; b và c": names that hold commas themselves stay readable."""
    if len(items) <= 1:
        return "".join(items)
    return "; ".join(items[:-1]) + " và " + items[-1]


# "97/KH-UBND", "692/QĐ-UBND", "……/KH-UBND", "66.7/2025/NQ-CP", "quý III/2026", "05/11/2026",
# "612/640": whatever holds a slash between numbers or a Roman numeral and what follows.
DOCUMENT_NUMBER = re.compile(r"(?:\b[IVXLC]+|[\d…][\d.,…]*)/[^\s,;()]*[^\s,;().]")
WORD_JOINER = "\u2060"  # no line break on either side (Unicode line breaking, LB11): Word and LibreOffice keep it


def keep_numbers(text: str):
    """HTML in which a document number is never split across lines ("Kế hoạch số 97/ ⏎ KH-UBND",
    "Nghị quyết số 66. ⏎ 7/2025/NQ-CP", "kỳ quý III/ ⏎ 2026")."""
    from markupsafe import Markup, escape

    out, at = [], 0
    for m in DOCUMENT_NUMBER.finditer(text):
        out += [str(escape(text[at:m.start()])), f'<span class="nobr">{escape(m[0])}</span>']
        at = m.end()
    return Markup("".join(out) + str(escape(text[at:])))


def unbroken_numbers(text: str) -> str:
    """The same for a Word file, which has no "nowrap": a word joiner after each character of a
    document number, where a line could break ("66.⁠7/⁠2025/⁠NQ-⁠CP")."""
    return DOCUMENT_NUMBER.sub(lambda m: re.sub(r"(?<=[./\-–,])(?=.)", WORD_JOINER, m[0]), text)


def balanced_lines(text: str, width: int) -> list[str]:
    """A heading too long for one line, in two of about equal length, broken between words
    and never beside a dash: "TRUNG TÂM PHỤC VỤ / HÀNH CHÍNH CÔNG", not "... HÀNH / CHÍNH CÔNG"."""
    words = text.split()
    if len(text) <= width or len(words) < 2:
        return [text]
    cuts = [i for i in range(1, len(words)) if words[i - 1] not in "-–" and words[i] not in "-–"]
    if not cuts:
        return [text]
    best = min(cuts, key=lambda i: (max(len(" ".join(words[:i])), len(" ".join(words[i:]))), -i))
    return [" ".join(words[:best]), " ".join(words[best:])]
