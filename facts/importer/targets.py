"""Target sentences ("Tỷ lệ ... đạt tối thiểu 80%", "cắt giảm 50% thời gian ... so với năm 2024").

``parse_target(sentence, year)`` reads one sentence; ``read_targets(text, year)``
reads every target in a longer text (a cell, a paragraph), one per number that
is a target. Any string gives a reading: a target, or kind "unparsed" with the
reason; never an exception.

A number is a target when it is a percentage ("95%", "100% hồ sơ ..."), a score
with a target word ("đạt 8,25 điểm trở lên"), or a count with a target word
("ít nhất 05 tin bài/tháng"). Numbers in references ("Nghị định 61/2018",
"Chỉ số 1", "ngày 15/3") and statements ("là 61,68 điểm", "chiếm tỷ trọng 30%")
are not targets. docs/import.md lists every reading.
"""

from __future__ import annotations

import math
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from dondoc.facts.importer.clean import nfc, squeeze, strip_emphasis, strip_html, tidy_prose
from dondoc.facts.kinds import REDUCTIONS, ReductionKey
from dondoc.facts.models import Comparison



class TargetReading(BaseModel):
    """How one target sentence is read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    kind: Literal["target", "unparsed"]
    metric: str = ""
    comparison: Comparison | None = None
    value: float | None = None
    unit: str = ""
    baseline_year: int | None = None
    scope: str = ""
    period: str = ""
    reduction: ReductionKey | None = None
    category: str | None = Field(None, description="What kind of target (target_category), when the sentence says")
    reason: str = ""
    others: list["TargetReading"] = Field(
        default_factory=list, description="Further targets in the same sentence ('50% thời gian, 50% chi phí')"
    )

    def as_json(self) -> dict:
        """The shape `dondoc parse target --json` prints."""
        return {
            "text": self.text,
            "kind": self.kind,
            "metric": self.metric,
            "comparison": self.comparison.value if self.comparison else None,
            "value": self.value,
            "unit": self.unit,
            "baseline_year": self.baseline_year,
            "scope": self.scope,
            "period": self.period,
            "reduction": self.reduction,
            "category": self.category,
            "reason": self.reason,
            "others": [o.as_json() for o in self.others],
        }


def parse_target(sentence: str, year: int) -> TargetReading:
    """Read one target sentence; ``year`` is the plan's year ('so với năm trước' = year - 1)."""
    text = _normal(sentence)
    if not text:
        return TargetReading(text=text, kind="unparsed", reason="câu rỗng (empty sentence)")
    readings = read_targets(text, year)
    if not readings:
        return TargetReading(text=text, kind="unparsed", reason=_why_not(text))
    first, rest = readings[0], readings[1:]
    return first.model_copy(update={"text": text, "others": rest})


def read_targets(text: str, year: int) -> list[TargetReading]:
    """Every target stated in ``text``, in order; each keeps the sentence it came from."""
    out: list[TargetReading] = []
    for sentence in _sentences(_normal(text)):
        # "Đến năm 2025, đón ...; tỷ lệ ... đạt 100%": the year opening the sentence is every clause's
        opening = _OPENING_PERIOD.match(sentence)
        shared = _period(opening.group(0)) if opening else ""
        for clause in _clauses(sentence):
            for reading in _read_clause(sentence, clause, year):
                out.append(reading if reading.period or not shared else reading.model_copy(update={"period": shared}))
    return out


_OPENING_PERIOD = re.compile(r"^(?:đến|tới|trong|đến hết)?\s*năm\s+\d{4}\s*,", re.IGNORECASE)


# -- splitting ---------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[-–•+]?\s*[A-ZĐÀ-Ỹ0-9“\"(])")
# A list dash opens a clause; a dash between two numbers is a span ("60 - 70%").
_CLAUSE_SPLIT = re.compile(r"\s*;\s*|(?<!\d)\s+[-–•+]\s+(?=\d|[Đđ]ạt\b)|(?<=[.:])\s*[-–•+]\s+")


def _normal(text: str) -> str:
    if not isinstance(text, str):
        return ""
    return tidy_prose(squeeze(strip_emphasis(strip_html(nfc(text)))))


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _clauses(sentence: str) -> list[str]:
    return [c.strip(" -–•+") for c in _CLAUSE_SPLIT.split(sentence) if c.strip(" -–•+")]


# -- numbers -----------------------------------------------------------------------------------

# A number not glued to a reference ("02/NQ-CP", "15/3/2023", "Đề án 06"): see _reference().
_NUMBER = re.compile(r"(?<![\w/.,\-])(\d+(?:[.,]\d+)*)(?![\w/]|[.,]\d)")
_PERCENT = re.compile(r"^\s*%")
_SCORE = re.compile(r"^\s*điểm\b", re.IGNORECASE)
_PER_PERIOD = re.compile(
    r"^\s*((?:[^\W\d_]+\s+){0,3}?[^\W\d_]+)\s*/\s*(tháng|quý|năm|tuần|ngày|kỳ|lượt)\b", re.IGNORECASE
)
# Measure words that count by themselves ("02 cuộc đối thoại", "03 lượt", "05 người").
_ONE_SYLLABLE = {"cuộc", "lần", "lượt", "buổi", "đợt", "lớp", "người", "hộ", "vụ", "con", "chiếc", "cái", "ngày", "km", "ha"}
_STOP = {
    "của", "trong", "trên", "tại", "được", "về", "cho", "và", "với", "theo", "đối", "so", "trở",
    "thuộc", "đạt", "có", "là", "để", "nhằm", "gồm", "mỗi", "hằng", "hàng", "phục",
}
_REFERENCE_BEFORE = re.compile(
    r"(?:\bsố|\bngày|\btháng|\bnăm|\bquý|\bđiều|\bkhoản|\bmục|\bchỉ số|\bnghị định|\bquyết định|"
    r"\bthông tư|\bnghị quyết|\bđề án|\bgiai đoạn|\blần|\bphụ lục|\biso|\btcvn|\bkế hoạch|\bcấp|"
    r"\bcông văn|\bchỉ thị|\bluật|\bkhóa|\bkhoá)\s*:?\s*$",
    re.IGNORECASE,
)


def number_value(text: str) -> float | None:
    """'8,25' -> 8.25 (decimal comma); '1.000' -> 1000 (dot groups thousands); '05' -> 5."""
    if "," in text and "." in text:
        whole, _, frac = text.rpartition(",")
        text = whole.replace(".", "") + "." + frac
    elif "," in text:
        if text.count(",") > 1:
            return None
        text = text.replace(",", ".")
    elif "." in text:
        groups = text.split(".")
        if all(len(g) == 3 for g in groups[1:]):
            text = "".join(groups)
        elif len(groups) > 2:
            return None
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value) or value > 1e12:
        return None
    return value


# -- cue words -----------------------------------------------------------------------------------

_AT_MOST = re.compile(r"(không quá|không vượt quá|tối đa|không lớn hơn|không cao hơn|không nhiều hơn)\s*$")
_AT_LEAST = re.compile(
    r"(tối thiểu|ít nhất|không dưới|không thấp hơn|không ít hơn|trên hoặc bằng|từ)\s*(là\s*)?$"
)
_BELOW = re.compile(r"\b(dưới|ít hơn|thấp hơn|nhỏ hơn)\s*$")
_ABOVE = re.compile(r"\b(trên|hơn|cao hơn|lớn hơn|vượt)\s*$")
_EQUAL = re.compile(r"\bbằng\s*$")
_CUT = re.compile(r"\b(cắt giảm|giảm)(\s+(tối thiểu|ít nhất|từ))?\s*$")
_TARGET_WORD = re.compile(
    r"\b(đạt|tối thiểu|ít nhất|không quá|tối đa|không dưới|phấn đấu|mục tiêu|chỉ tiêu|"
    r"cắt giảm|giảm|tăng|dưới|trên|hoàn thành|bảo đảm|đảm bảo)\b",
    re.IGNORECASE,
)
# A statement of where things stand, not a target ("là 61,68 điểm", "đã đạt 70%"). "chiếm 45%
# GRDP" is a target; "chiếm tỷ trọng 30% tổng số điểm" a weight (see _WEIGHT).
# "là 61,68 điểm" states what is; "ít nhất là 50%" is still a target word before it.
_STATEMENT = re.compile(
    r"((?<!nhất )(?<!thiểu )(?<!đa )\blà|tỷ trọng|trọng số|\bđã đạt|\bmới đạt|\bcòn|\bhiện nay)\s*$", re.IGNORECASE
)
_WEIGHT = re.compile(r"tỷ trọng|trọng số", re.IGNORECASE)
_AFTER_MORE = re.compile(r"^\s*trở lên\b", re.IGNORECASE)
_AFTER_LESS = re.compile(r"^\s*trở xuống\b", re.IGNORECASE)

# -- context -------------------------------------------------------------------------------------

_BASELINE = re.compile(r"so với\s+(?:cùng kỳ\s+)?(?:năm\s+)?(\d{4})\b", re.IGNORECASE)
_BASELINE_PREVIOUS = re.compile(r"so với\s+(?:cùng kỳ(?:\s+năm trước)?|năm trước)", re.IGNORECASE)
_SCOPE = re.compile(
    r"\blĩnh vực\s+(.+?)(?=\s+(?:đạt|tối thiểu|ít nhất|từ|trên|dưới|không|phải|là|được)\b|[.;:]|$)",
    re.IGNORECASE,
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_PERIODS = (
    (re.compile(r"(?:6|sáu) tháng (đầu|cuối) năm (\d{4})", re.IGNORECASE), "half"),
    (re.compile(r"quý\s+(iv|iii|ii|i|[1-4])\s*(?:/|năm)\s*(\d{4})", re.IGNORECASE), "quarter"),
    (re.compile(r"tháng\s+(\d{1,2})\s*(?:/|năm)\s*(\d{4})", re.IGNORECASE), "month"),
    (re.compile(r"năm\s+(\d{4})", re.IGNORECASE), "year"),
)
_LEADING_WORDS = re.compile(
    r"^(?:[-–•+*]\s*|trong đó\s*,?\s*|cụ thể\s*:?\s*|thực hiện\s+|phấn đấu\s+|đạt\s+|bảo đảm\s+|đảm bảo\s+)+",
    re.IGNORECASE,
)
# A lead-in that already names what is measured ("Tỷ lệ ...", "Mức độ hài lòng ...").
_MEASURE_NOUN = re.compile(
    r"^(tỷ lệ|mức độ|chỉ số|số lượng|số|tổng|điểm|thời gian|chi phí|kết quả|giá trị|doanh thu|thu nhập)\b",
    re.IGNORECASE,
)
_TRAILING_CUES = re.compile(
    r"(?:\s+|^)(?:đạt|từ|tối thiểu|ít nhất|không quá|không vượt quá|tối đa|trên|dưới|cắt giảm|giảm|"
    r"phấn đấu|bằng|là|không dưới|không thấp hơn|đạt tỷ lệ|ở mức|mức)\s*:?\s*$",
    re.IGNORECASE,
)


class _Mention:
    """One number in a clause and what follows it."""

    def __init__(self, start: int, end: int, value: float, unit: str, span: bool = False):
        self.start, self.end, self.value, self.unit = start, end, value, unit
        self.span = span  # the low end of "60 - 70%": a floor


# "60 - 70%", "từ 60 đến 70%": a span; the target is its low end (a floor).
_SPAN = re.compile(r"^\s*(?:-|–|đến|tới)\s*(\d+(?:[.,]\d+)?)\s*%")
# Words that qualify who or what is counted, never a target: "dân số từ 15 tuổi trở lên".
_QUALIFIER_UNITS = {"tuổi"}
# A count after "có" in a clause that already has a percentage is part of the metric:
# "100% thôn có tối thiểu 1 trạm phát sóng".
_HAS_COUNT = re.compile(r"\bcó\s+(?:tối thiểu|ít nhất|từ|trên)\s*$", re.IGNORECASE)
# A second count sharing the first one's cue: "ít nhất 05 bộ dữ liệu ... và 02 dịch vụ".
_SHARED_CUE = re.compile(r"^(?:\s*[^\W\d_]+){0,8}\s*(?:,|và)\s*$")
_UNIT_WORDS = 6  # a counted unit is at most this many syllables ("dịch vụ chia sẻ dữ liệu")


def _count_unit(rest: str) -> tuple[str, int] | None:
    """The counted thing after a number and where it ends: '05 bộ dữ liệu mở được ...' ->
    ('bộ dữ liệu mở', end). It stops at a linking word, punctuation or a number."""
    words = list(re.finditer(r"[^\W\d_]+", rest[:80]))
    if not words or rest[: words[0].start()].strip():
        return None
    kept = []
    for w in words:
        word = w.group(0).lower()
        gap = rest[kept[-1].end(): w.start()] if kept else ""
        if word in _STOP or gap.strip() or len(kept) == _UNIT_WORDS:
            break
        kept.append(w)
        if len(kept) == 1 and word in _ONE_SYLLABLE:
            break  # "02 cuộc đối thoại": the measure word counts by itself
    if not kept:
        return None
    return " ".join(w.group(0).lower() for w in kept), kept[-1].end()


def _mentions(clause: str) -> list[_Mention]:
    found: list[_Mention] = []
    skip_to = -1
    for match in _NUMBER.finditer(clause):
        if match.start() < skip_to:
            continue  # the high end of a span already read
        value = number_value(match.group(1))
        if value is None:
            continue
        rest = clause[match.end():]
        before = clause[: match.start()]
        if _REFERENCE_BEFORE.search(before):
            continue
        if (m := _SPAN.match(rest)) and (high := number_value(m.group(1))) is not None and high >= value:
            found.append(_Mention(match.start(), match.end() + m.end(), value, "%", span=True))
            skip_to = match.end() + m.end()
        elif m := _PERCENT.match(rest):
            found.append(_Mention(match.start(), match.end() + m.end(), value, "%"))
        elif m := _SCORE.match(rest):
            found.append(_Mention(match.start(), match.end() + m.end(), value, "điểm"))
        elif m := _PER_PERIOD.match(rest):
            unit = f"{squeeze(m.group(1)).lower()}/{m.group(2).lower()}"
            found.append(_Mention(match.start(), match.end() + m.end(), value, unit))
        elif counted := _count_unit(rest):
            unit, end = counted
            if unit.split()[0] in _QUALIFIER_UNITS:
                continue
            if any(f.unit == "%" for f in found) and _HAS_COUNT.search(before):
                continue
            shared = (
                found
                and found[-1].unit not in ("%", "điểm")
                and _SHARED_CUE.match(clause[found[-1].end: match.start()])
            )
            if _comparison_cue(before.lower()) or shared:
                found.append(_Mention(match.start(), match.end() + end, value, unit))
    return found


def _comparison_cue(before: str) -> bool:
    tail = before[-40:]
    return bool(
        _AT_MOST.search(tail) or _AT_LEAST.search(tail) or _BELOW.search(tail) or _ABOVE.search(tail)
        or _CUT.search(tail) or re.search(r"\bđạt\s*$", tail)
    )


# "Đối với thôn có dưới 100 cử tri: ... ít nhất là 50%": who the target is for, not a target. The
# condition runs to the colon, else to the first comma.
_CONDITION = re.compile(r"^(?:đối với|riêng với|trường hợp|nếu|tại)\s", re.IGNORECASE)


def _condition_end(clause: str) -> int:
    if not _CONDITION.match(clause):
        return 0
    for mark in (":", ","):
        if (at := clause.find(mark)) > 0:
            return at + 1
    return 0


def _read_clause(sentence: str, clause: str, year: int) -> list[TargetReading]:
    condition = _condition_end(clause)
    mentions = [m for m in _mentions(clause) if m.start >= condition]
    out: list[TargetReading] = []
    previous: tuple[_Mention, Comparison, bool] | None = None
    baseline = _baseline(clause, year)
    scope = _scope(clause)
    period = _period(clause)
    for i, mention in enumerate(mentions):
        window_start = mentions[i - 1].end if i else 0
        window = clause[window_start: mention.start]
        lower_window = window.lower()
        tail = lower_window[-40:]
        after_end = mentions[i + 1].start if i + 1 < len(mentions) else len(clause)
        after = clause[mention.end: after_end]
        if _STATEMENT.search(window) or (mention.unit == "%" and _is_weight(window)):
            previous = None
            continue
        # "50% thời gian ..., 50% chi phí ...": the second number shares the first one's verb.
        inherits = previous is not None and not _TARGET_WORD.search(window) and not _comparison_cue(tail)
        if mention.unit != "%" and not inherits:
            has_cue = _TARGET_WORD.search(clause[: mention.start]) or _AFTER_MORE.match(after)
            if not has_cue:
                continue
        cut = bool(_CUT.search(tail)) or (inherits and previous is not None and previous[2])
        comparison = _comparison(tail, after, mention, cut)
        if inherits and previous is not None and not _comparison_cue(tail) and not _AFTER_MORE.match(after):
            comparison = previous[1]
        metric_after = _metric_after(after)
        counted_thing = mention.unit not in ("%", "điểm") and "/" not in mention.unit
        if counted_thing and mention.unit not in _ONE_SYLLABLE:
            # "công bố ít nhất 05 bộ dữ liệu mở": the verb before and the thing counted
            metric_after = mention.unit
        if cut or inherits:
            metric = metric_after
        else:
            metric = _metric(clause[:mention.start] if i == 0 else window, metric_after)
        metric = _without_scope(metric, scope)
        counted = mention.unit.split("/")[0]
        if len(metric.split()) < 3 and mention.unit not in ("%", "điểm") and counted not in metric.lower():
            # "đăng tải ít nhất 05 tin bài/tháng": the thing counted completes the verb.
            metric = _tidy(f"{metric} {counted}")
        reduction = _reduction(metric_after) if cut else None
        out.append(
            TargetReading(
                text=standalone(clause if len(clause) >= 20 else sentence),  # a bullet of a list is its own sentence
                kind="target",
                metric=metric or squeeze(clause),
                comparison=comparison,
                value=mention.value,
                unit=mention.unit,
                baseline_year=baseline,
                scope=scope,
                period=period,
                reduction=reduction,
                category=target_category(f"{metric} {clause}", mention.unit),
            )
        )
        previous = (mention, comparison, cut)
    return out


# "Trong đó, mức độ hài lòng ... đạt tối thiểu 90%": a target stated as part of the one before.
_PART_OF = re.compile(r"^(?:trong đó|cụ thể|riêng)\s*[,:]\s*", re.IGNORECASE)


def standalone(text: str) -> str:
    """A target's sentence as it reads on its own, in a letter's table: the link to the
    sentence before ("Trong đó, ...") dropped and the first letter capitalised."""
    rest = _PART_OF.sub("", text, count=1)
    if rest == text or not rest:
        return text
    return rest[:1].upper() + rest[1:]


def _is_weight(window: str) -> bool:
    """'Chiếm tỷ trọng 30%' is a weight; 'Tỷ trọng ... đạt trên 60%' a target (a cue after it)."""
    m = _WEIGHT.search(window)
    if not m:
        return False
    later = window[m.end():].lower()
    return not (_TARGET_WORD.search(later) or _comparison_cue(later))


def _comparison(tail: str, after: str, mention: _Mention, cut: bool) -> Comparison:
    if mention.span:
        return Comparison.AT_LEAST  # "60 - 70%": at least the low end
    if _AT_MOST.search(tail) or _AFTER_LESS.match(after):
        return Comparison.AT_MOST
    if _AT_LEAST.search(tail) or _AFTER_MORE.match(after):
        return Comparison.AT_LEAST
    if _BELOW.search(tail):
        return Comparison.LESS_THAN
    if _ABOVE.search(tail):
        return Comparison.MORE_THAN
    if _EQUAL.search(tail):
        return Comparison.EQUAL
    if cut:
        return Comparison.AT_LEAST
    # "đạt 100%", "100% hồ sơ ...": all of them, nothing above; any other plain level is a floor.
    if mention.unit == "%" and mention.value == 100:
        return Comparison.EQUAL
    return Comparison.AT_LEAST


def _metric_after(after: str) -> str:
    text = re.split(r"\bso với\b", after, maxsplit=1, flags=re.IGNORECASE)[0]
    text = re.sub(r"^\s*(trở lên|trở xuống)\b", "", text, flags=re.IGNORECASE)
    return _tidy(text)


def _metric(before: str, after: str) -> str:
    text = _tidy(before)
    for _ in range(4):
        text = _tidy(_TRAILING_CUES.sub("", text))
    if len(text.split()) > 20:
        # A long lead-in ("Sắp xếp danh mục ..., đăng tải ít nhất 05 tin bài/tháng"): the
        # measured thing is in its last part.
        text = _tidy(re.split(r"[,;:]\s+", text)[-1])
    text = _LEADING_WORDS.sub("", text).strip()
    if len(text.split()) >= 3 and (_MEASURE_NOUN.match(text) or not after):
        return text
    # "Hoàn thành, đảm bảo tiến độ, chất lượng 100% nhiệm vụ ...": the verb before, the thing after.
    return _tidy(f"{text} {after}")


def _tidy(text: str) -> str:
    text = re.sub(r"[“”\"()]", "", text)
    return squeeze(text).strip(" ,;:.-–")


def _without_scope(metric: str, scope: str) -> str:
    if scope and scope in metric:
        trimmed = _tidy(metric.replace(scope, ""))
        for word in (" về", " các", " trong", " thuộc", " đối với"):
            trimmed = trimmed.removesuffix(word)
        return _tidy(trimmed) or metric
    return metric


def _reduction(metric: str) -> ReductionKey | None:
    """The cut of "03 giảm" a metric after "cắt giảm" names (facts/kinds.py REDUCTIONS)."""
    return next((r.key for r in REDUCTIONS.values() if r.named_by(metric)), None)  # type: ignore[return-value]


def _baseline(clause: str, year: int) -> int | None:
    if m := _BASELINE.search(clause):
        value = int(m.group(1))
        return value if 1900 <= value <= 2100 else None
    if _BASELINE_PREVIOUS.search(clause) and isinstance(year, int) and 1901 <= year <= 2101:
        return year - 1
    return None


def _scope(clause: str) -> str:
    m = _SCOPE.search(clause)
    return _tidy("lĩnh vực " + m.group(1)) if m else ""


def _period(clause: str) -> str:
    text = re.sub(r"so với\s+(?:cùng kỳ\s+)?(?:năm\s+)?\d{4}", " ", clause, flags=re.IGNORECASE)
    for pattern, kind in _PERIODS:
        m = pattern.search(text)
        if not m:
            continue
        year = int(m.groups()[-1])
        if not 1900 <= year <= 2100:
            continue
        if kind == "half":
            return f"{year}-H{1 if m.group(1).lower() == 'đầu' else 2}"
        if kind == "quarter":
            q = m.group(1).lower()
            return f"{year}-Q{_ROMAN.get(q) or int(q)}"
        if kind == "month":
            month = int(m.group(1))
            if 1 <= month <= 12:
                return f"{year}-{month:02d}"
            continue
        return str(year)
    return ""


def _why_not(text: str) -> str:
    if not re.search(r"\d", text):
        return "không có con số (no number)"
    if _WEIGHT.search(text):
        return "tỷ trọng, trọng số: không phải chỉ tiêu (a weight, not a target)"
    return (
        "có con số nhưng không phải chỉ tiêu: không có %, điểm hay từ chỉ mức (đạt, tối thiểu, ...) "
        "(a number, but no target wording)"
    )


# -- categories ----------------------------------------------------------------------------------

# (category, words that must all be there, words that must not): the first that fits wins, so
# the narrow ones come first. The slugs are the target categories of facts/kinds.py (being added
# by the rules' owner); this is the one place the importer decides them.
_CATEGORIES = (
    ("thanh-toan-truc-tuyen", (r"thanh toán", r"trực tuyến|điện tử|không dùng tiền mặt"), ()),
    ("dich-vu-cong-toan-trinh", (r"toàn trình|một phần",), ()),
    ("hai-long-dich-vu-cong", (r"hài lòng", r"y tế|giáo dục|sipas"), ()),
    ("hai-long-tthc", (r"hài lòng",), ()),
    ("phan-anh-kien-nghi", (r"phản ánh|kiến nghị|pakn",), ()),
    ("tai-su-dung-du-lieu", (r"sử dụng lại|tái sử dụng|khai thác", r"dữ liệu|thông tin"), ()),
    ("so-hoa-ho-so", (r"số hóa|số hoá", r"hồ sơ|kết quả"), ()),
    ("giai-quyet-dung-han", (r"đúng hạn|trước hạn|trễ hạn|quá hạn", r"hồ sơ|giải quyết"), ()),
    ("cong-khai-tthc", (r"công khai", r"thủ tục|tthc"), ()),
    ("nop-ho-so-truc-tuyen", (r"trực tuyến", r"hồ sơ|nộp|tiếp nhận"), (r"thanh toán",)),
    ("chi-so-danh-gia", (r"\bchỉ số\b|ddci|\bpci\b|par ?index|sipas|766",), ()),
)


def target_category(text: str, unit: str = "") -> str | None:
    """What kind of target a sentence states ('hai-long-tthc', 'thanh-toan-truc-tuyen', ...), or
    None when the sentence does not make it clear (rules then see 'khac')."""
    lower = _normal(text).lower()
    for slug, needed, excluded in _CATEGORIES:
        if all(re.search(w, lower) for w in needed) and not any(re.search(w, lower) for w in excluded):
            return slug
    return "chi-so-danh-gia" if unit == "điểm" else None


# -- a value in a column of its own ----------------------------------------------------------------

_SIGNS = {"≥": "tối thiểu", ">=": "tối thiểu", "≤": "không quá", "<=": "không quá", ">": "trên", "<": "dưới"}
_CELL_NUMBER = re.compile(r"(\d+(?:[.,]\d+)*)")


def read_value_cell(metric: str, cell: str, unit: str, year: int) -> TargetReading:
    """A target whose level stands in a column of its own: 'Tỷ lệ hồ sơ ...' | '%' | 'Tối thiểu 90'.

    The cell says the comparison in words or signs ('Không thấp hơn 92', '≥ 60', 'Dưới 2') or
    not at all (a bare figure is the level to reach: at least it, and 100% is all); the unit is
    the unit column's, else what follows the number ('88%', '05 tin bài/tháng'). A cell without
    a number ('Đạt yêu cầu') is no target: kind 'unparsed' with the reason.
    """
    text = _normal(cell)
    for sign, words in _SIGNS.items():
        text = text.replace(sign, f" {words} ")
    text = squeeze(text)
    m = _CELL_NUMBER.search(text)
    value = number_value(m.group(1)) if m else None
    name = _normal(metric)
    if value is None:
        return TargetReading(text=name, kind="unparsed", reason=_why_not(text or name))
    before, after = text[: m.start()].lower(), text[m.end():]
    if not unit:
        if _PERCENT.match(after):
            unit = "%"
        elif _SCORE.match(after):
            unit = "điểm"
        elif counted := (_PER_PERIOD.match(after) or None):
            unit = f"{squeeze(counted.group(1)).lower()}/{counted.group(2).lower()}"
        elif counted_unit := _count_unit(after):
            unit = counted_unit[0]
    unit = squeeze(unit)
    comparison = _comparison(before, after, _Mention(m.start(), m.end(), value, unit), cut=False)
    return TargetReading(
        text=f"{name}: {squeeze(cell)}",
        kind="target",
        metric=name,
        comparison=comparison,
        value=value,
        unit=unit,
        baseline_year=_baseline(name, year),
        scope=_scope(name),
        period=_period(name),
        category=target_category(name, unit),
    )
