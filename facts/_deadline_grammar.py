"""The grammar behind ``facts.deadline.parse_deadline``: normalising, time points, phrase forms.

Private to facts/deadline.py. It returns a plain ``Reading`` (no pydantic) so the model module
stays the only place that builds ``Deadline``. Every "cannot read this" ends as ``Invalid`` with a
Vietnamese reason; nothing here is meant to escape as another exception.

Patterns are matched against a *canonical* form of the phrase: NFKC, lower case, one space,
new-style tone placement (hoá, thuỷ, quý), so NFD input, capitals and hóa/hoá never matter.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable


MIN_YEAR, MAX_YEAR = 1900, 2199  # a plan's year outside this is a typo, not a deadline

# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Reading:
    kind: str  # a DeadlineKind value
    due: dt.date | None = None
    start: dt.date | None = None
    checkpoint: dt.date | None = None
    occurrences: tuple[dt.date, ...] = ()
    reason: str = ""
    every: str = ""  # recurring: "quarter", "month", "year", "half" or "" (mixed / day-based)
    continuous: bool = False  # recurring reports on work that also goes on between them
    covers: tuple[str, ...] = ()  # recurring, due after the period: the period each occurrence reports on


class Invalid(Exception):
    """A phrase with a deadline's shape that cannot be read; ``args[0]`` is the reason."""

    @property
    def reason(self) -> str:
        return str(self.args[0])


# --------------------------------------------------------------------------- normalising

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng (combining)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})
_EDGE = " \t.,;:!?…-*•·\\\"'“”‘’`_"
_WORD_NFD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+")


def _canon_tones(text: str) -> str:
    """Move the tone of a final "oa", "oe", "uy" onto its second vowel (hóa -> hoá, thủy -> thuỷ).

    Those three rhymes are the only place where old- and new-style placement differ, so
    putting them in one style makes the two spellings equal. ("qúy" becomes "quý" as a bonus.)
    """

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        tones = [c for c in word if c in _TONES]
        if len(tones) != 1:
            return word
        base = "".join(c for c in word if c not in _TONES)
        if not base.endswith(("oa", "oe", "uy")):
            return word
        return base + tones[0]

    return unicodedata.normalize("NFC", _WORD_NFD.sub(fix, unicodedata.normalize("NFD", text)))


def display_form(text: str) -> str:
    """The phrase as a person would quote it: NFC, no markup, one space, no edge punctuation."""
    t = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    t = re.sub(r"<[^>]*>", " ", t)  # cells of seed 002 carry HTML
    t = t.replace("**", " ").replace("\\*", " ")  # markdown bold/escapes of seed 003
    t = re.sub(r"\s+", " ", t).strip(_EDGE)
    while len(t) >= 2 and t[0] == "(" and t[-1] == ")":  # a phrase wholly in brackets
        t = t[1:-1].strip(_EDGE)
    return t


def canonical_form(display: str) -> str:
    t = unicodedata.normalize("NFKC", display).translate(_DASHES).lower().replace("ð", "đ")
    t = _canon_tones(t)
    t = re.sub(r"\bquí\b", "quý", t)  # the old spelling "Quí IV/2025"
    t = re.sub(r"\s+", " ", t).strip(_EDGE)
    return t


def _rx(pattern: str) -> re.Pattern[str]:
    # The pattern literals go through the same tone placement as the text they match.
    return re.compile(_canon_tones(pattern))


# Leading words that say nothing about time ("Thời gian thực hiện:", "Thực hiện xong ...").
_LABEL = _rx(
    r"^(?:(?:thời gian|thời hạn|hạn)(?:\s+(?:thực hiện|hoàn thành|dự kiến|triển khai))?|tiến độ(?:\s+thực hiện)?)"
    r"(?:\s*/\s*hoàn thành)?\s*:\s*"
)
_FILLER = _rx(
    r"^(?:và|triển khai|thực hiện|hoàn thành|xong|tiến hành|dự kiến|phấn đấu|tổ chức|"
    r"báo cáo(?: định kỳ)?|gửi báo cáo|nộp báo cáo)(?=\s|$)\s*"
)


# Trailing words that say what is done, not when ("định kỳ hằng quý báo cáo kết quả").
_TRAILING = _rx(
    r"\s+(?:(?:gửi|nộp)\s+)?báo cáo(?:\s+kết quả)?(?:\s+(?:thực hiện|triển khai))?$"
)


def strip_fillers(s: str) -> str:
    s = _LABEL.sub("", s)
    while True:
        t = _TRAILING.sub("", _FILLER.sub("", s, count=1))
        if t == s:
            return s.strip(_EDGE)
        s = t


# --------------------------------------------------------------------------- dates


def _date(y: int, m: int, d: int) -> dt.date:
    return dt.date(y, m, d)


def _plain(d: dt.date) -> dt.date:
    # pendulum returns its own Date subclass; the model wants plain dates
    return dt.date(d.year, d.month, d.day)


def _pendulum():
    import pendulum  # on first use: commands that read no phrase never import it

    return pendulum


def _month_end(y: int, m: int) -> dt.date:
    return _plain(_pendulum().date(y, m, 1).end_of("month"))


def _quarter_first(y: int, q: int) -> dt.date:
    return _plain(_pendulum().date(y, 3 * q - 2, 1).first_of("quarter"))


def _quarter_last(y: int, q: int) -> dt.date:
    return _plain(_pendulum().date(y, 3 * q, 1).last_of("quarter"))


def _day_before(d: dt.date) -> dt.date:
    return _plain(_pendulum().date(d.year, d.month, d.day).subtract(days=1))


def _check_year(y: int) -> int:
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise Invalid(f"Năm {y} nằm ngoài khoảng đọc được ({MIN_YEAR}–{MAX_YEAR})")
    return y


def _valid_day(y: int, m: int, d: int) -> dt.date:
    if not 1 <= m <= 12:
        raise Invalid(f"Tháng {m} không tồn tại (chỉ có tháng 1–12) trong ngày {d}/{m}/{y}")
    if d < 1:
        raise Invalid(f"Ngày {d}/{m}/{y} không có thật: ngày bắt đầu từ 1")
    try:
        return _date(y, m, d)
    except ValueError:
        last = _month_end(y, m).day
        raise Invalid(f"Ngày {d}/{m}/{y} không có thật: tháng {m}/{y} chỉ có {last} ngày") from None


_ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _quarter_no(tok: str) -> int:
    q = _ROMAN_Q.get(tok.lstrip("0") or "0") if tok.isdigit() else _ROMAN_Q.get(tok)
    if q is None:
        raise Invalid(f"Không có quý {tok.upper()}: một năm chỉ có quý I, II, III, IV")
    return q


def _month_no(tok: str) -> int:
    m = int(tok)
    if not 1 <= m <= 12:
        raise Invalid(f"Tháng {m} không tồn tại (chỉ có tháng 1–12)")
    return m


class Ctx:
    """The plan's year (checked only when a phrase needs it) and the years its period covers.

    ``years`` is the plan's period as whole years (2025..2030 for "giai đoạn 2025-2030"): a
    recurring phrase that names no year ("Hằng năm") has one occurrence per period of each.
    """

    def __init__(self, year: object, years: tuple[int, int] | None = None):
        self._year = year
        self._years = years

    def recurring_years(self) -> list[int]:
        if self._years is None:
            return [self.year]
        first, last = (_check_year(y) for y in self._years)
        return list(range(first, last + 1))

    @property
    def year(self) -> int:
        y = self._year
        if isinstance(y, bool) or not isinstance(y, int):
            raise Invalid(f"Cụm thời hạn không ghi năm và năm của kế hoạch không hợp lệ ({y!r})")
        if not MIN_YEAR <= y <= MAX_YEAR:
            raise Invalid(
                f"Cụm thời hạn không ghi năm và năm của kế hoạch ({y}) nằm ngoài khoảng "
                f"{MIN_YEAR}–{MAX_YEAR}"
            )
        return y


# --------------------------------------------------------------------------- time points

_N = r"[0-9]{1,2}"
_Y = r"[0-9]{4}"
_Q = r"(?:[ivxlcdm]+|[0-9]{1,2})"
# A year written out, or the year after the plan's ("Quý I năm sau", "15/01 năm tiếp theo").
_YEAR_TAIL = (
    rf"(?:\s*,?\s*(?:năm|/|-|\.)\s*(?P<y>{_Y})"
    r"|\s*,?\s*(?:của\s+)?(?P<next>năm\s+(?:sau|tiếp theo|kế tiếp|liền kề|liền sau)))?"
)


@dataclass
class Point:
    """A named stretch of time: one day, month, quarter, half-year or year; year may be implied."""

    unit: str  # day | month | quarter | half | year
    y: int | None = None
    m: int | None = None
    d: int | None = None
    q: int | None = None
    h: int | None = None  # 1 = first half, 2 = second half
    text: str = field(default="", compare=False)
    next_year: bool = False  # "năm sau": the year after the plan's

    def year_of(self, ctx: Ctx) -> int:
        if self.y is not None:
            return _check_year(self.y)
        return _check_year(ctx.year + 1) if self.next_year else ctx.year

    def first(self, ctx: Ctx) -> dt.date:
        y = self.year_of(ctx)
        if self.unit == "day":
            if self.m is None:
                raise Invalid(f"'{self.text}' thiếu tháng: không biết là ngày {self.d} tháng nào")
            return _valid_day(y, self.m, self.d)
        if self.unit == "month":
            return _date(y, self.m, 1)
        if self.unit == "quarter":
            return _quarter_first(y, self.q)
        if self.unit == "half":
            return _date(y, 1 if self.h == 1 else 7, 1)
        return _date(y, 1, 1)

    def last(self, ctx: Ctx) -> dt.date:
        y = self.year_of(ctx)
        if self.unit == "day":
            return self.first(ctx)
        if self.unit == "month":
            return _month_end(y, self.m)
        if self.unit == "quarter":
            return _quarter_last(y, self.q)
        if self.unit == "half":
            return _date(y, 6, 30) if self.h == 1 else _date(y, 12, 31)
        return _date(y, 12, 31)


_P_DAY_NUM = _rx(
    rf"(?:ngày\s*)?(?P<d>{_N})\s*[/.\-]\s*(?P<m>{_N})(?:\s*[/.\-]\s*(?P<y>{_Y})"
    r"|\s*,?\s*(?:của\s+)?(?P<next>năm\s+(?:sau|tiếp theo|kế tiếp|liền kề|liền sau)))?"
)
_P_DAY_WORDS = _rx(rf"ngày\s*(?P<d>{_N})\s+tháng\s*(?P<m>{_N}){_YEAR_TAIL}")
_P_DAY_ONLY = _rx(rf"ngày\s*(?P<d>{_N})")
_P_MONTH = _rx(rf"tháng\s*(?P<m>{_N}){_YEAR_TAIL}")
_P_MONTH_BARE = _rx(rf"(?P<m>{_N})\s*[/.\-]\s*(?P<y>{_Y})")
_P_QUARTER = _rx(rf"quý\s*(?P<q>{_Q}){_YEAR_TAIL}")
_P_HALF = _rx(
    rf"(?:(?:0?6|sáu)\s*tháng|nửa)\s+(?P<h>đầu|cuối)(?:\s+năm)?(?:\s*[/.\-]?\s*(?P<y>{_Y}))?"
)
_P_YEAR = _rx(rf"(?:năm\s*)?(?P<y>{_Y})")
_P_YEAR_IMPLIED = _rx(r"năm(?:\s+nay)?")


def parse_point(t: str, *, bare_year: bool = False) -> Point | None:
    """Read one time point; None if ``t`` is not one. ``bare_year``: accept "năm" alone (cả năm)."""
    t = t.strip(_EDGE)

    def year(m: re.Match[str]) -> int | None:
        return int(m.group("y")) if m.group("y") else None

    def nxt(m: re.Match[str]) -> bool:
        return bool(m.groupdict().get("next"))

    if m := _P_DAY_WORDS.fullmatch(t) or _P_DAY_NUM.fullmatch(t):
        return Point("day", y=year(m), m=_month_no(m.group("m")), d=int(m.group("d")), text=t, next_year=nxt(m))
    if m := _P_DAY_ONLY.fullmatch(t):
        return Point("day", d=int(m.group("d")), text=t)
    if m := _P_MONTH.fullmatch(t) or _P_MONTH_BARE.fullmatch(t):
        return Point("month", y=year(m), m=_month_no(m.group("m")), text=t, next_year=nxt(m))
    if m := _P_QUARTER.fullmatch(t):
        return Point("quarter", y=year(m), q=_quarter_no(m.group("q")), text=t, next_year=nxt(m))
    if m := _P_HALF.fullmatch(t):
        return Point("half", y=year(m), h=1 if m.group("h") == "đầu" else 2, text=t)
    if m := _P_YEAR.fullmatch(t):
        return Point("year", y=int(m.group("y")), text=t)
    if bare_year and _P_YEAR_IMPLIED.fullmatch(t):
        return Point("year", text=t)
    return None


# A run of quarters or months: "quý iii, iv/2025", "quý iii và quý iv năm 2025", "tháng 4-11/2026".
_SEQ_SEP = r"\s*(?:,|;|&|và|hoặc|-|đến|tới)\s*"
_P_QSEQ = _rx(
    rf"quý\s*(?P<items>{_Q}(?:{_SEQ_SEP}(?:quý\s*)?{_Q})+){_YEAR_TAIL}"
)
_P_MSEQ = _rx(
    rf"tháng\s*(?P<items>{_N}(?:{_SEQ_SEP}(?:tháng\s*)?{_N})+){_YEAR_TAIL}"
)
_RANGE_SEPS = {"-", "đến", "tới"}
_P_YSEQ = _rx(rf"(?:giai đoạn|năm)?\s*(?P<a>{_Y})\s*(?:-|đến|tới)\s*(?:năm\s*)?(?P<b>{_Y})")


def _parse_seq(t: str) -> tuple[str, list[Point]] | None:
    """("list" | "range", points) for a run of quarters or months sharing one year, or a span of
    years ("Năm 2025-2030", "Giai đoạn 2026 - 2030"), else None."""
    if m := _P_YSEQ.fullmatch(t):
        return "range", [Point("year", y=int(m.group("a")), text=t), Point("year", y=int(m.group("b")), text=t)]
    for rx, unit, word, conv in (
        (_P_QSEQ, "quarter", "quý", _quarter_no),
        (_P_MSEQ, "month", "tháng", _month_no),
    ):
        m = rx.fullmatch(t)
        if not m:
            continue
        y = int(m.group("y")) if m.group("y") else None
        parts = re.split(rf"({_SEQ_SEP})", m.group("items"))
        toks = [p.replace(word, "").strip() for p in parts[::2]]
        seps = {p.strip() for p in parts[1::2]}
        vals = [conv(tok) for tok in toks]
        key = "q" if unit == "quarter" else "m"
        points = [Point(unit, y=y, text=t, **{key: v}) for v in vals]
        if seps & _RANGE_SEPS:
            # "tháng 4-11", "quý iii đến iv": a span, read like "từ ... đến ..."
            if len(points) != 2 or len(seps) != 1:
                raise Invalid(f"Không rõ khoảng thời gian trong '{t}'")
            return "range", points
        return "list", points
    return None


# --------------------------------------------------------------------------- forms
#
# One entry of FORMS per family of phrases: what it means (Vietnamese, for docs/deadlines.md), the
# function that reads it, and examples with the reading they must get (plan year 2026, or the
# period after '@'). tests/test_deadline.py reads every example through parse_deadline and checks
# that this form, and no earlier one, read it. A new way of writing a deadline is a new example of
# a family here, or a new family: never a test of one string elsewhere.

_BEFORE = "trước"
# Words before a point that all mean "by the end of it".
_BY_END = (
    "chậm nhất là",
    "chậm nhất vào",
    "chậm nhất",
    "muộn nhất",
    "hạn chót",
    "hạn cuối",
    "không quá",
    "không muộn hơn",
    "đến hết",
    "đến",
    "tới",
    "hết",
    "trong",
    "vào",
    "cuối",
    "cả",
    "suốt",
    "là",
    "xong",
    "trước",
)
_YEAR_IMPLYING = {"cả", "trong", "suốt", "cuối", "hết", "đến hết"}
_P_PREFIX = _rx(r"^(?:" + "|".join(re.escape(w) for w in _BY_END) + r")(?=\s|$|:)\s*:?\s*")


def _strip_prefixes(s: str) -> tuple[str, list[str]]:
    words = []
    while m := _P_PREFIX.match(s):
        if not m.group(0):
            break
        words.append(m.group(0).strip(" :"))
        s = s[m.end() :]
    return s, words


def _form_due(s: str, ctx: Ctx) -> Reading | None:
    """A single deadline: a day, a month, a quarter, a half or a whole year, or a run of them."""
    body, words = _strip_prefixes(s)
    if not body:
        return None
    before = _BEFORE in words
    seq = _parse_seq(body)
    if seq is not None:
        how, points = seq
        if before:
            raise Invalid(f"'trước' đi với nhiều mốc thời gian trong '{s}'")
        if how == "range":
            return _window(points[0], points[1], ctx, s)
        lasts = sorted({p.last(ctx) for p in points})
        # DOMAIN: due at the end of the last period named, progress by the end of the first
        return Reading("due", due=lasts[-1], checkpoint=lasts[0] if len(lasts) > 1 else None)
    point = parse_point(body, bare_year=bool(_YEAR_IMPLYING & set(words)))
    if point is None:
        return None
    if before:
        # "trước ngày D": done by the end of the day before D; likewise before any period
        return Reading("due", due=_day_before(point.first(ctx)))
    if point.unit == "half":
        return Reading("due", due=point.last(ctx), start=point.first(ctx))
    return Reading("due", due=point.last(ctx))


def _window(a: Point, b: Point, ctx: Ctx, text: str, *, b_before: bool = False) -> Reading:
    # Fill what one end leaves out from the other: "từ ngày 1 đến ngày 5/4/2026",
    # "từ tháng 4 đến tháng 11/2026" (the start takes the end's year).
    if a.unit == "day" and a.m is None and b.unit == "day":
        a.m, a.y = b.m, b.y if a.y is None else a.y
    if a.y is None and b.y is not None:
        a.y = b.y
        start, due = a.first(ctx), b.last(ctx)
        if start > due:  # "từ tháng 11 đến tháng 2/2027": the start is in the year before
            a.y = b.y - 1
    elif b.y is None and a.y is not None:
        b.y = a.y
        if b.last(ctx) < a.first(ctx):
            b.y = a.y + 1
    start = a.first(ctx)
    due = _day_before(b.first(ctx)) if b_before else b.last(ctx)
    if due < start:
        raise Invalid(
            f"Khoảng thời gian '{text}' kết thúc ({due:%d/%m/%Y}) "
            f"trước khi bắt đầu ({start:%d/%m/%Y})"
        )
    return Reading("window", start=start, due=due)


# "Trong khoảng thời gian từ ... đến ...", "bắt đầu từ ...", "kể từ ...": the words before "từ".
_P_FROM = _rx(
    r"^(?:thường xuyên\s+)?(?:trong\s+(?:khoảng\s+)?thời gian\s+|trong khoảng\s+|khoảng\s+)?"
    r"(?:bắt đầu\s+)?(?:kể\s+)?từ\s+(?P<rest>.+)$"
)
_P_SPAN_SEP = _rx(r"\s+(?:cho\s+)?(?:đến|tới)\s+(?:hết\s+)?|\s+-\s+|\s*-\s*(?=ngày|tháng|quý|năm)")
_UNIT_WORD = {"month": "tháng ", "quarter": "quý ", "day": "ngày "}


def _point_after(a: Point, t: str) -> Point | None:
    p = parse_point(t, bare_year=True)
    if p is None and a.unit in _UNIT_WORD and not t.startswith(_UNIT_WORD[a.unit].strip()):
        p = parse_point(_UNIT_WORD[a.unit] + t)  # "từ tháng 4 đến 11/2026"
    return p


def _form_from(s: str, ctx: Ctx) -> Reading | None:
    """ "Từ A" alone: continuous from A."""
    m = _P_FROM.match(s)
    if m and (a := parse_point(m.group("rest"))) is not None:
        return Reading("continuous", start=a.first(ctx))
    return None


def _form_span(s: str, ctx: Ctx) -> Reading | None:
    """ "Từ A đến B" or "A đến B": a window, both ends kept."""
    m = _P_FROM.match(s)
    rest = m.group("rest") if m else s
    # The separators never match the bare dashes inside "15-3-2026": see _P_SPAN_SEP.
    for sep in _P_SPAN_SEP.finditer(rest):
        left, right = rest[: sep.start()].strip(), rest[sep.end() :].strip()
        a = parse_point(left)
        if a is None:
            continue
        b_before = False
        if right.startswith(_BEFORE + " "):
            b_before, right = True, right[len(_BEFORE) + 1 :]
        b = _point_after(a, right)
        if b is None:
            continue
        return _window(a, b, ctx, s, b_before=b_before)
    return None


# Continuous: "thường xuyên", "liên tục", "thường xuyên trong năm 2026", "ngay từ đầu năm".
_P_ALWAYS = _rx(
    r"(?:thường xuyên|liên tục|hàng ngày|hằng ngày|mỗi ngày)"
    r"(?:\s*(?:,|và)?\s*(?:thường xuyên|liên tục|kịp thời))*"
)
_P_ALWAYS_IN_YEAR = _rx(
    rf"(?:thường xuyên|liên tục)(?:\s*,?\s*(?:liên tục|thường xuyên))?\s+(?:trong|suốt|cả)\s+"
    rf"(?:cả\s+)?năm(?:\s*(?P<y>{_Y})|\s+nay)?"
)
_P_FROM_YEAR_START = _rx(rf"(?:ngay\s+)?(?:từ\s+)?đầu\s+năm(?:\s*(?P<y>{_Y}))?")


def _form_always(s: str, ctx: Ctx) -> Reading | None:
    return Reading("continuous") if _P_ALWAYS.fullmatch(s) else None


def _form_always_in_year(s: str, ctx: Ctx) -> Reading | None:
    if m := _P_ALWAYS_IN_YEAR.fullmatch(s):
        y = _check_year(int(m.group("y"))) if m.group("y") else ctx.year
        # continuous has no due date; the year bounds it, so it is the start and the reason
        return Reading("continuous", start=_date(y, 1, 1), reason=f"Thường xuyên trong năm {y}")
    return None


def _form_from_year_start(s: str, ctx: Ctx) -> Reading | None:
    if m := _P_FROM_YEAR_START.fullmatch(s):
        y = _check_year(int(m.group("y"))) if m.group("y") else ctx.year
        return Reading("continuous", start=_date(y, 1, 1))
    return None


# Recurring ----------------------------------------------------------------

_EVERY = r"(?:hàng|hằng|mỗi|các)"
_REC_YEAR = rf"(?:\s*,?\s*(?:trong\s+)?năm\s*(?P<y>{_Y}))?"
_P_EVERY = _rx(
    rf"(?:(?:định kỳ\s+)?(?:{_EVERY}|theo)|định kỳ)\s+(?P<p>quý|tháng|năm|0?6 tháng|sáu tháng|tuần)"
    rf"(?P<more>(?:\s*(?:,|và|/)\s*(?:{_EVERY}\s+)?(?:quý|tháng|năm|0?6 tháng))*){_REC_YEAR}"
)
_P_EVERY_END = _rx(rf"(?:vào\s+)?cuối\s+(?:{_EVERY}\s+)(?P<p>quý|tháng|năm){_REC_YEAR}")
_P_HALF_YEARLY = _rx(rf"(?:định kỳ\s+)?(?:0?6|sáu) tháng\s*(?:một lần|/\s*lần|1 lần){_REC_YEAR}")
_PRE_DAY = r"(?P<pre>trước|chậm nhất(?: là)?(?: trước)?|vào|trong|không quá)?\s*"
_P_QUARTER_DAY = _rx(
    rf"(?:(?:định kỳ\s+)?(?:{_EVERY}\s+)?quý\s*,?\s*)?{_PRE_DAY}ngày\s*(?P<n>{_N})\s+"
    rf"(?:của\s+)?tháng\s+cuối\s+(?:của\s+)?(?:{_EVERY}\s+)?quý"
    rf"(?:\s*,?\s*{_EVERY}\s+quý)?{_REC_YEAR}"
)
# The period after the one reported on: "tháng liền kề", "tháng sau", "quý tiếp theo".
_NEXT = r"(?:liền kề|liền sau|kế tiếp|tiếp theo|sau|kế sau)"
_P_NEXT_MONTH_DAY = _rx(
    rf"(?:(?:định kỳ\s+)?(?:{_EVERY}\s+)?tháng\s*,?\s*)?{_PRE_DAY}ngày\s*(?P<n>{_N})\s+"
    rf"(?:của\s+)?tháng\s+{_NEXT}(?:\s*,?\s*{_EVERY}\s+tháng)?{_REC_YEAR}"
)
_P_NEXT_QUARTER_DAY = _rx(
    rf"(?:(?:định kỳ\s+)?(?:{_EVERY}\s+)?quý\s*,?\s*)?{_PRE_DAY}ngày\s*(?P<n>{_N})\s+"
    rf"(?:của\s+)?tháng\s+đầu(?:\s+tiên)?\s+(?:của\s+)?quý\s+{_NEXT}(?:\s*,?\s*{_EVERY}\s+quý)?{_REC_YEAR}"
)
_P_MONTH_DAY = _rx(
    rf"(?:từ\s+(?:ngày\s*)?(?P<a>{_N})\s*(?:đến|tới|-)\s*)?{_PRE_DAY}(?:ngày\s*)?(?P<n>{_N})\s+"
    rf"(?:của\s+)?{_EVERY}\s+tháng{_REC_YEAR}"
)
_P_MONTH_DAY_SWAPPED = _rx(
    rf"(?:định kỳ\s+)?{_EVERY}\s+tháng\s*,?\s*{_PRE_DAY}ngày\s*(?P<n>{_N}){_REC_YEAR}"
)
_P_YEARLY_POINT = _rx(rf"(?P<body>.+?)\s+(?:{_EVERY})\s+năm{_REC_YEAR}")
_P_YEARLY_POINT_SWAPPED = _rx(rf"(?:định kỳ\s+)?{_EVERY}\s+năm\s*,?\s*(?P<body>.+?){_REC_YEAR}")


def _recurring(occ: list[dt.date], every: str = "", covers: list[str] | None = None) -> Reading:
    pairs = sorted(set(zip(occ, covers))) if covers else [(d, "") for d in sorted(set(occ))]
    return Reading(
        "recurring",
        start=_date(pairs[0][0].year, 1, 1) if not covers else _first_covered(pairs[0][1]),
        due=pairs[-1][0],
        occurrences=tuple(d for d, _ in pairs),
        every=every,
        covers=tuple(c for _, c in pairs) if covers else (),
    )


def _first_covered(label: str) -> dt.date:
    """1 January of the year of the first period reported on ('2026-01', '2026-Q1')."""
    return _date(int(label[:4]), 1, 1)


def _rec_years(m: re.Match[str], ctx: Ctx) -> list[int]:
    """The year named in the phrase, else every year of the plan's period."""
    return [_check_year(int(m.group("y")))] if m.group("y") else ctx.recurring_years()


_EVERY_NAME = {"quý": "quarter", "tháng": "month", "năm": "year", "6 tháng": "half"}


def _period_ends(period: str, y: int) -> list[dt.date]:
    if period == "quý":
        return [_quarter_last(y, q) for q in range(1, 5)]
    if period == "tháng":
        return [_month_end(y, m) for m in range(1, 13)]
    if period == "năm":
        return [_date(y, 12, 31)]
    return [_date(y, 6, 30), _date(y, 12, 31)]  # 6 tháng


def _day_or_before(y: int, mo: int, n: int, before: bool) -> dt.date:
    """Day ``n`` of a month (the last day where the month is shorter); with "trước", the day
    before it, like any one-off "trước ngày D" (DOMAIN: "trước ngày 20" is due on the 19th)."""
    if before:
        return _day_before(_date(y, mo, min(n, _month_end(y, mo).day)))
    return _date(y, mo, min(n, _month_end(y, mo).day))


def _monthly_day(n: int, before: bool, y: int) -> list[dt.date]:
    """Day ``n`` of every month of ``y``; with "trước", day ``n - 1``. "trước ngày 1 hằng tháng"
    is read as the end of each month, so all twelve dates stay inside ``y``.
    """
    if before and n == 1:
        return [_month_end(y, mo) for mo in range(1, 13)]
    return [_day_or_before(y, mo, n, before) for mo in range(1, 13)]


def _check_day_of_month(n: int, text: str) -> int:
    if not 1 <= n <= 31:
        raise Invalid(f"Ngày {n} không có trong tháng nào ('{text}')")
    return n


def _before(m: re.Match[str]) -> bool:
    return (m.group("pre") or "").endswith("trước")


def _form_every(s: str, ctx: Ctx) -> Reading | None:
    if m := _P_EVERY.fullmatch(s) or _P_EVERY_END.fullmatch(s):
        period = m.group("p")
        if period == "tuần":
            raise Invalid("Chu kỳ hằng tuần chưa được hỗ trợ: cần ghi ngày hạn cụ thể")
        more = re.findall(r"quý|tháng|năm|6 tháng", m.groupdict().get("more") or "")
        periods = [p.replace("0", "").replace("sáu", "6") for p in [period, *more]]
        occ = [d for y in _rec_years(m, ctx) for p in periods for d in _period_ends(p, y)]
        every = _EVERY_NAME.get(periods[0], "") if len(set(periods)) == 1 else ""
        return _recurring(occ, every)
    return None


def _form_half_yearly(s: str, ctx: Ctx) -> Reading | None:
    if m := _P_HALF_YEARLY.fullmatch(s):
        return _recurring([d for y in _rec_years(m, ctx) for d in _period_ends("6 tháng", y)], "half")
    return None


def _form_quarter_day(s: str, ctx: Ctx) -> Reading | None:
    if m := _P_QUARTER_DAY.fullmatch(s):
        n = _check_day_of_month(int(m.group("n")), s)
        # DOMAIN (corrected): "Trước ngày 20 của tháng cuối quý" is due on the 19th, like any
        # one-off "trước ngày D"; "ngày 31 của tháng cuối quý" keeps its day (clamped).
        occ = [_day_or_before(y, mo, n, _before(m)) for y in _rec_years(m, ctx) for mo in (3, 6, 9, 12)]
        return _recurring(occ, "quarter")
    return None


def _form_next_month_day(s: str, ctx: Ctx) -> Reading | None:
    """A monthly report due in the month after the one it covers: January's by 4 February."""
    if m := _P_NEXT_MONTH_DAY.fullmatch(s):
        n = _check_day_of_month(int(m.group("n")), s)
        occ, covers = [], []
        for y in _rec_years(m, ctx):
            for mo in range(1, 13):
                ny, nm = (y + 1, 1) if mo == 12 else (y, mo + 1)
                occ.append(_day_or_before(ny, nm, n, _before(m)))
                covers.append(f"{y}-{mo:02d}")
        return _recurring(occ, "month", covers)
    return None


def _form_next_quarter_day(s: str, ctx: Ctx) -> Reading | None:
    """A quarterly report due in the first month of the next quarter: Q1's by 9 April."""
    if m := _P_NEXT_QUARTER_DAY.fullmatch(s):
        n = _check_day_of_month(int(m.group("n")), s)
        occ, covers = [], []
        for y in _rec_years(m, ctx):
            for q in range(1, 5):
                ny, nm = (y + 1, 1) if q == 4 else (y, 3 * q + 1)
                occ.append(_day_or_before(ny, nm, n, _before(m)))
                covers.append(f"{y}-Q{q}")
        return _recurring(occ, "quarter", covers)
    return None


def _form_month_day(s: str, ctx: Ctx) -> Reading | None:
    if m := _P_MONTH_DAY.fullmatch(s) or _P_MONTH_DAY_SWAPPED.fullmatch(s):
        n = _check_day_of_month(int(m.group("n")), s)
        a = m.groupdict().get("a")
        if a is not None and not 1 <= int(a) <= n:
            raise Invalid(f"Khoảng ngày trong tháng không hợp lệ: '{s}'")
        return _recurring([d for y in _rec_years(m, ctx) for d in _monthly_day(n, _before(m), y)], "month")
    return None


def _form_yearly_point(s: str, ctx: Ctx) -> Reading | None:
    """'ngày 15/12 hằng năm', 'trong tháng 01 hằng năm', 'Hằng năm, chậm nhất trong tháng 9':
    one occurrence a year at the end of the point named (not 31/12)."""
    m = _P_YEARLY_POINT.fullmatch(s) or _P_YEARLY_POINT_SWAPPED.fullmatch(s)
    if not m:
        return None
    body, words = _strip_prefixes(m.group("body"))
    point = parse_point(body)
    if point is None or point.y is not None or point.unit == "year":
        return None
    occ = []
    for y in _rec_years(m, ctx):
        if _BEFORE in words:
            # the day before the point's start, in y or (for 1/1) at the end of y
            cands = [Point(**{**point.__dict__, "y": yy}).first(ctx) for yy in (y, y + 1)]
            occ += [d for d in map(_day_before, cands) if d.year == y]
        else:
            occ.append(Point(**{**point.__dict__, "y": y}).last(ctx))
    return _recurring(occ, "year")


# A duty opened by "định kỳ" names its rhythm somewhere after the words that say what is done
# and for whom ("Định kỳ báo cáo UBND xã trước ngày 20 tháng cuối quý"): the longest ending
# that a recurring form reads. "Định kỳ" alone or with no rhythm ("định kỳ theo quy định") is
# left to the external reading.
_P_PERIODIC = _rx(r"^định kỳ\s+(?P<rest>.+)$")


def _form_periodic_duty(s: str, ctx: Ctx) -> Reading | None:
    m = _P_PERIODIC.match(s)
    if not m:
        return None
    words = m.group("rest").split()
    for k in range(len(words)):
        tail = " ".join(words[k:])
        for form in FORMS:
            if form.kind == "recurring" and form.read is not _form_periodic_duty:
                if (r := form.read(strip_fillers(tail), ctx)) is not None:
                    return r
    return None


def reads_recurring(s: str, ctx: Ctx) -> bool:
    """Does a recurring form read ``s``? ("theo quý", "định kỳ hằng quý" look external by their
    first word but name the period.)"""
    try:
        return any(form.read(s, ctx) is not None for form in FORMS if form.kind == "recurring")
    except Invalid:
        return False


# External ------------------------------------------------------------------

_P_EXTERNAL = _rx(
    r"^(?:theo|kết hợp|khi|sau khi|ngay khi|lúc|tuỳ|tuỳ theo|tuỳ thuộc|phụ thuộc|căn cứ|"
    r"đột xuất|định kỳ|trường hợp|nếu)(?=\s|$)"
)
_REPEAT = re.compile(r"\b(\w+(?:\s+\w+){0,3})(?:\s+\1\b)+", re.IGNORECASE)


def _clip(text: str, n: int = 160) -> str:
    # reasons are shown in reports; a pasted paragraph should not flood them
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def is_external(s: str) -> bool:
    return bool(_P_EXTERNAL.match(s))


def external_reason(gist: str, canonical: str) -> str:
    """Say who sets the date, in the phrase's own words ("Sở Y tế", "Thành phố")."""
    gist = _clip(_REPEAT.sub(r"\1", gist[:1000]))  # "Thành phố Thành phố": an extraction echo
    parts = re.split(r"\s+của\s+", gist, flags=re.IGNORECASE)
    if canonical.startswith("kết hợp"):
        return f"Thời hạn theo kỳ báo cáo, không ghi ngày cụ thể: {gist}"
    if re.match(r"(?:khi|sau khi|ngay khi|lúc|nếu|trường hợp|đột xuất)\b", canonical):
        return f"Thời hạn phát sinh khi có yêu cầu, chưa biết trước: {gist}"
    if len(parts) > 1 and parts[-1].strip():
        return f"Thời hạn do {parts[-1].strip()} quyết định, không ghi trong kế hoạch: {gist}"
    return f"Thời hạn do nơi khác quyết định, không ghi trong kế hoạch: {gist}"


# --------------------------------------------------------------------------- the table of forms


@dataclass(frozen=True)
class Form:
    name: str
    kind: str  # the DeadlineKind value it reads
    says: str  # what the form means, in Vietnamese
    read: Callable[[str, Ctx], Reading | None]
    examples: tuple[tuple[str, str], ...]  # (phrase, short reading); "phrase @2026-2030": a period


FORMS: tuple[Form, ...] = (
    Form("hang-ky", "recurring", "một lần mỗi kỳ, vào ngày cuối kỳ", _form_every, (
        ("Hàng quý", "recurring quarter 2026-03-31 2026-06-30 2026-09-30 2026-12-31"),
        ("Hằng tháng", "recurring month x12 2026-01-31..2026-12-31"),
        ("Định kỳ hằng quý", "recurring quarter 2026-03-31 2026-06-30 2026-09-30 2026-12-31"),
        ("Theo quý", "recurring quarter 2026-03-31 2026-06-30 2026-09-30 2026-12-31"),
        ("Hằng năm @2026-2030", "recurring year 2026-12-31 2027-12-31 2028-12-31 2029-12-31 2030-12-31"),
        ("Hằng năm", "recurring year 2026-12-31"),
        ("Cuối mỗi quý", "recurring quarter 2026-03-31 2026-06-30 2026-09-30 2026-12-31"),
        ("Hằng quý năm 2027 @2026-2030", "recurring quarter 2027-03-31 2027-06-30 2027-09-30 2027-12-31"),
    )),
    Form("sau-thang", "recurring", "định kỳ 6 tháng: 30/6 và 31/12", _form_half_yearly, (
        ("Định kỳ 6 tháng một lần", "recurring half 2026-06-30 2026-12-31"),
        ("6 tháng/lần", "recurring half 2026-06-30 2026-12-31"),
    )),
    Form("ngay-thang-cuoi-quy", "recurring", "ngày N của tháng cuối mỗi quý ('trước ngày N': ngày N - 1)",
         _form_quarter_day, (
        ("Trước ngày 20 của tháng cuối quý", "recurring quarter 2026-03-19 2026-06-19 2026-09-19 2026-12-19"),
        ("báo cáo quý trước ngày 10 của tháng cuối quý", "recurring quarter 2026-03-09 2026-06-09 2026-09-09 2026-12-09"),
        ("ngày 31 của tháng cuối quý", "recurring quarter 2026-03-31 2026-06-30 2026-09-30 2026-12-31"),
    )),
    Form("ngay-thang-lien-ke", "recurring",
         "báo cáo tháng nộp trong tháng sau: ngày N của tháng liền kề ('trước ngày N': ngày N - 1); "
         "kỳ là tháng được báo cáo", _form_next_month_day, (
        ("Trước ngày 05 của tháng liền kề", "recurring month x12 2026-02-04..2027-01-04 covers 2026-01..2026-12"),
        ("chậm nhất ngày 3 tháng sau", "recurring month x12 2026-02-03..2027-01-03 covers 2026-01..2026-12"),
        ("Hằng tháng, trước ngày 10 của tháng tiếp theo", "recurring month x12 2026-02-09..2027-01-09 covers 2026-01..2026-12"),
    )),
    Form("ngay-thang-dau-quy-sau", "recurring",
         "báo cáo quý nộp trong tháng đầu quý sau: ngày N của tháng đó; kỳ là quý được báo cáo",
         _form_next_quarter_day, (
        ("trước ngày 10 của tháng đầu quý sau", "recurring quarter 2026-04-09 2026-07-09 2026-10-09 2027-01-09 covers 2026-Q1..2026-Q4"),
        ("Hằng quý, ngày 15 tháng đầu tiên của quý tiếp theo", "recurring quarter 2026-04-15 2026-07-15 2026-10-15 2027-01-15 covers 2026-Q1..2026-Q4"),
    )),
    Form("ngay-hang-thang", "recurring", "ngày N mỗi tháng ('trước ngày N': ngày N - 1)", _form_month_day, (
        ("trước ngày 25 hằng tháng", "recurring month x12 2026-01-24..2026-12-24"),
        ("từ ngày 1 đến ngày 5 hằng tháng", "recurring month x12 2026-01-05..2026-12-05"),
        ("Hằng tháng, trước ngày 25", "recurring month x12 2026-01-24..2026-12-24"),
    )),
    Form("moc-hang-nam", "recurring",
         "một lần mỗi năm, vào cuối mốc được nêu (ngày, tháng, quý), không phải 31/12", _form_yearly_point, (
        ("Ngày 15/12 hằng năm", "recurring year 2026-12-15"),
        ("trong tháng 01 hằng năm", "recurring year 2026-01-31"),
        ("chậm nhất trong tháng 9 hằng năm", "recurring year 2026-09-30"),
        ("chậm nhất trong tháng 9 hằng năm @2026-2030",
         "recurring year 2026-09-30 2027-09-30 2028-09-30 2029-09-30 2030-09-30"),
        ("Hằng năm, trong quý I", "recurring year 2026-03-31"),
        ("trước ngày 15 tháng 12 hằng năm", "recurring year 2026-12-14"),
    )),
    Form("dinh-ky", "recurring",
         "việc 'định kỳ' kèm lời nói việc gì, gửi ai: đọc nhịp định kỳ ở cuối câu",
         _form_periodic_duty, (
        ("Định kỳ báo cáo trước ngày 15 hằng tháng", "recurring month x12 2026-01-14..2026-12-14"),
        ("Định kỳ báo cáo UBND xã trước ngày 20 tháng cuối quý",
         "recurring quarter 2026-03-19 2026-06-19 2026-09-19 2026-12-19"),
        ("Định kỳ gửi báo cáo về Văn phòng hằng quý", "recurring quarter 2026-03-31 2026-06-30 2026-09-30 2026-12-31"),
    )),
    Form("thuong-xuyen", "continuous", "thường xuyên: không có hạn", _form_always, (
        ("Thường xuyên", "continuous"),
        ("Thường xuyên, liên tục", "continuous"),
        ("Hằng ngày", "continuous"),
    )),
    Form("thuong-xuyen-trong-nam", "continuous", "thường xuyên trong một năm: từ 1/1", _form_always_in_year, (
        ("Thường xuyên trong năm 2026", "continuous from 2026-01-01"),
        ("Thường xuyên trong năm", "continuous from 2026-01-01"),
    )),
    Form("tu-dau-nam", "continuous", "ngay từ đầu năm", _form_from_year_start, (
        ("Ngay từ đầu năm", "continuous from 2026-01-01"),
    )),
    Form("tu-ngay", "continuous", "từ một mốc, không có hạn", _form_from, (
        ("Từ ngày 15/3/2026", "continuous from 2026-03-15"),
        ("Kể từ 15-3-2026", "continuous from 2026-03-15"),
        ("Từ tháng 4/2026", "continuous from 2026-04-01"),
    )),
    Form("khoang", "window", "từ ... đến ...: bắt đầu và hạn đều giữ", _form_span, (
        ("Bắt đầu từ tháng 4 đến tháng 11/2026", "window 2026-04-01..2026-11-30"),
        ("Trong khoảng thời gian từ ngày 04/02/2026 đến ngày 08/02/2026", "window 2026-02-04..2026-02-08"),
        ("trong thời gian từ 01/3 đến 15/3/2026", "window 2026-03-01..2026-03-15"),
        ("từ ngày 01/4 đến ngày 30/11/2026", "window 2026-04-01..2026-11-30"),
    )),
    Form("han", "due", "một mốc (ngày, tháng, quý, nửa năm, năm) hay một dãy mốc; 'trước D' là ngày liền trước D",
         _form_due, (
        ("Chậm nhất ngày 09/9/2026", "due 2026-09-09"),
        ("chậm nhất là ngày 15/4/2026", "due 2026-04-15"),
        ("Trước ngày 15/3/2026", "due 2026-03-14"),
        ("Tháng 10/2026", "due 2026-10-31"),
        ("Quý IV/2025", "due 2025-12-31"),
        ("Quý III, IV/2026", "due 2026-12-31 checkpoint 2026-09-30"),
        ("6 tháng đầu năm 2026", "due 2026-06-30 start 2026-01-01"),
        ("Cả năm 2026", "due 2026-12-31"),
        ("Giai đoạn 2026 - 2030", "window 2026-01-01..2030-12-31"),
        ("Tháng 4-11/2026", "window 2026-04-01..2026-11-30"),
        ("Trước ngày 15/01 năm sau", "due 2027-01-14"),
        ("Quý I năm sau", "due 2027-03-31"),
    )),
)


def short(r: Reading) -> str:
    """A reading in one line, as FORMS' examples write it."""
    if r.kind == "recurring":
        occ = r.occurrences
        dates = (f"x{len(occ)} {occ[0]}..{occ[-1]}" if len(occ) > 6 else " ".join(map(str, occ)))
        out = f"recurring {r.every} {dates}" if r.every else f"recurring {dates}"
        if r.covers:
            out += f" covers {r.covers[0]}..{r.covers[-1]}"
        return out
    if r.kind == "window":
        return f"window {r.start}..{r.due}"
    if r.kind == "continuous":
        return f"continuous from {r.start}" if r.start else "continuous"
    if r.kind == "due":
        out = f"due {r.due}"
        if r.checkpoint:
            out += f" checkpoint {r.checkpoint}"
        if r.start:
            out += f" start {r.start}"
        return out
    return r.kind


# --------------------------------------------------------------------------- one clause


def parse_clause(s: str, ctx: Ctx) -> Reading | None:
    """One self-contained phrase (already canonical); None if no form matches. May raise Invalid."""
    found = read_form(s, ctx)
    return found[1] if found else None


def read_form(s: str, ctx: Ctx) -> tuple[Form, Reading] | None:
    """The first form of FORMS that reads ``s``, and its reading."""
    s = strip_fillers(s)
    if not s:
        return None
    for form in FORMS:
        r = form.read(s, ctx)
        if r is not None:
            return form, r
    return None


# --------------------------------------------------------------------------- compound phrases

# Clause boundaries of prose deadlines ("xong trước ngày 15/3/2023 và thường xuyên trong năm").
# A bracket too: "Dự kiến ngày 20/5/2026 (Chậm nhất ngày 30/5/2026)".
_SPLIT = re.compile(r"(\s*;\s*|\s*,\s*|\.\s+|\s+và\s+|\s+hoặc\s+|\s+sau đó\s+|\s+rồi\s+|\s*\(\s*|\s*\)\s*)")
MAX_PIECES = 12


def parse_compound(s: str, ctx: Ctx) -> Reading:
    """Read a phrase made of several clauses; raises Invalid when any clause cannot be read.

    Clauses are taken greedily, longest first, so "quý iii, iv/2025" stays one clause. An
    external clause ("hoặc theo lộ trình của thành phố") takes the rest of the phrase with it.
    """
    parts = _SPLIT.split(s)
    pieces, seps = parts[::2], parts[1::2]
    if len(pieces) < 2:
        raise Invalid("")
    if len(pieces) > MAX_PIECES:
        raise Invalid(f"Cụm thời hạn có quá nhiều vế ({len(pieces)}) để đọc")
    clauses: list[tuple[str, Reading]] = []
    i = 0
    while i < len(pieces):
        first = strip_fillers(pieces[i])
        if i > 0 and is_external(first) and not reads_recurring(first, ctx):
            text = pieces[i] + "".join(seps[k] + pieces[k + 1] for k in range(i, len(seps)))
            gist = strip_fillers(text.strip(_EDGE))
            if seps[i - 1].strip() == "hoặc":  # keep "or": the date may come from elsewhere
                gist = "hoặc " + gist
            clauses.append((gist, Reading("external", reason=gist)))
            break
        for j in range(len(pieces), i, -1):
            text = pieces[i] + "".join(seps[k] + pieces[k + 1] for k in range(i, j - 1))
            try:
                r = parse_clause(text, ctx)
            except Invalid:
                if j == i + 1:
                    raise
                continue
            if r is not None:
                clauses.append((strip_fillers(text), r))
                i = j
                break
        else:
            if not first:  # a stray "và" or empty piece between separators
                i += 1
                continue
            raise Invalid(f"Không đọc được vế '{_clip(pieces[i])}'")
    if not clauses:  # only brackets and separators: nothing was read (")" is no deadline)
        raise Invalid("")
    return combine(clauses)


def combine(clauses: list[tuple[str, Reading]]) -> Reading:
    """Fold clause readings into one: dated clauses decide; the others are noted in the reason."""
    dated = [(t, r) for t, r in clauses if r.kind in ("due", "window")]
    rec = [(t, r) for t, r in clauses if r.kind == "recurring"]
    rest = [(t, r) for t, r in clauses if r.kind in ("continuous", "external")]
    note = "; ".join(t for t, _ in rest)
    if rec and dated:
        raise Invalid("Cụm thời hạn vừa định kỳ vừa có hạn cụ thể, không ghép được")
    if rec:
        occ = sorted({d for _, r in rec for d in r.occurrences})
        if len({frozenset(d.year for d in r.occurrences) for _, r in rec}) > 1:
            raise Invalid("Các vế định kỳ thuộc những năm khác nhau")
        everies = {r.every for _, r in rec}
        if len(rec) == 1:
            r = rec[0][1]  # one rhythm, with what it covers
        else:
            r = _recurring(occ, everies.pop() if len(everies) == 1 else "")
        # "Thường xuyên, định kỳ hằng quý báo cáo": the work goes on, the reports recur
        continuous = any(r.kind == "continuous" for _, r in rest)
        return Reading(
            r.kind, r.due, r.start, None, r.occurrences, f"Kèm: {note}" if note else "",
            every=r.every, continuous=continuous, covers=r.covers,
        )
    if dated:
        dues = sorted({r.due for _, r in dated} | {r.checkpoint for _, r in dated if r.checkpoint})
        starts = [r.start for _, r in dated if r.start]
        kinds = {r.kind for _, r in dated}
        kind = "window" if "window" in kinds or (len(dated) > 1 and starts) else dated[0][1].kind
        return Reading(
            kind,
            due=dues[-1],
            start=min(starts) if starts else None,
            checkpoint=dues[0] if len(dues) > 1 else None,
            reason=f"Kèm: {note}" if note else "",
        )
    cont = [r for _, r in rest if r.kind == "continuous"]
    if cont:
        starts = [r.start for r in cont if r.start]
        ext = [t for t, r in rest if r.kind == "external"]
        reasons = [r.reason for r in cont if r.reason] + ext
        start = min(starts) if starts else None
        return Reading("continuous", start=start, reason="; ".join(reasons))
    return Reading("external", reason="; ".join(t for t, _ in rest))


# --------------------------------------------------------------------------- the whole phrase

MAX_LEN = 400  # a deadline cell; longer text is a task description pasted into the column


def read(phrase: str, year: object, years: tuple[int, int] | None = None) -> Reading:
    shown = display_form(phrase)
    s = canonical_form(shown)
    if not s:
        return Reading("unparsed", reason="Chưa ghi thời hạn (ô trống)")
    ctx = Ctx(year, years)
    try:
        body = strip_fillers(s)
        if is_external(body) and not reads_recurring(body, ctx):
            if (r := _periodic_compound(body, ctx)) is not None:
                return r
            return Reading("external", reason=external_reason(_strip_label_shown(shown), body))
        if len(s) > MAX_LEN:
            raise Invalid(f"Cụm thời hạn quá dài ({len(s)} ký tự): cần tách riêng thời hạn")
        r = parse_clause(s, ctx)
        if r is not None:
            return r
        try:
            return parse_compound(body, ctx)
        except Invalid as e:
            if e.reason:
                raise
        raise Invalid(
            f"Không đọc được thời hạn '{_clip(shown)}': không khớp dạng nào đã biết "
            "(ngày, tháng, quý, năm, từ ... đến ..., thường xuyên, hằng quý/tháng, theo ...)"
        )
    except Invalid as e:
        return Reading("unparsed", reason=e.reason)


def _periodic_compound(body: str, ctx: Ctx) -> Reading | None:
    """ "Định kỳ hằng quý và đột xuất": the rhythm is read, the rest noted; a "định kỳ" phrase
    with no rhythm in it stays external."""
    if not _P_PERIODIC.match(body):
        return None
    try:
        r = parse_compound(body, ctx)
    except Invalid:
        return None
    return r if r.kind == "recurring" else None


def _strip_label_shown(shown: str) -> str:
    return re.sub(
        r"^(?:thời gian thực hiện|thời hạn hoàn thành|thời hạn)\s*:\s*", "", shown, flags=re.I
    )
