"""Periods as plan folders write them: a year, a quarter, a month or a day.

    2026        the year 2026
    2026-Q3     the third quarter of 2026
    2026-10     October 2026
    2026-10-05  one day

A measurement counts for a target only if its period lies inside the target's
period; "the previous period" is the one just before, of the same length.

``period_words`` says a period as staff write it inside a sentence ("quý III/2026"): the
one formatter, for the rules' messages (engine/run.py) and the letters (templates/formats.py).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    text: str

    def within(self, other: "Period") -> bool:
        return other.start <= self.start and self.end <= other.end

    def previous(self) -> "Period":
        """The period just before, of the same length (the quarter before, the month before...)."""
        return parse_period(_previous_text(self.text))  # type: ignore[return-value]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@functools.lru_cache(maxsize=4096)  # a night reads the same few periods in every plan
def parse_period(text: str) -> Period | None:
    """The period a text names, or None if it is not one of the forms above."""
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}", text):
            year = int(text)
            return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), text)
        match = re.fullmatch(r"(\d{4})-Q([1-4])", text, re.I)
        if match:
            year, quarter = int(match.group(1)), int(match.group(2))
            return Period(dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter), f"{year}-Q{quarter}")
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            return Period(dt.date(year, month, 1), _month_end(year, month), f"{year}-{month:02d}")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = dt.date.fromisoformat(text)
            return Period(day, day, text)
    except ValueError:
        return None
    return None


def period_kind(text: str) -> str | None:
    """ "năm", "quý", "tháng" or "ngày": what kind of period a text names (None: not a period)."""
    period = parse_period(text)
    if period is None:
        return None
    return {4: "năm", 7: "tháng", 10: "ngày"}.get(len(period.text), "quý") if "Q" not in period.text else "quý"


def _previous_text(text: str) -> str:
    if re.fullmatch(r"\d{4}", text):
        return str(int(text) - 1)
    match = re.fullmatch(r"(\d{4})-Q([1-4])", text)
    if match:
        year, quarter = int(match.group(1)), int(match.group(2))
        return f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}"
    match = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
    return (dt.date.fromisoformat(text) - dt.timedelta(days=1)).isoformat()


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@functools.lru_cache(maxsize=4096)  # every finding, row and letter of a night says the same few periods
def period_words(text: str) -> str:
    """A period as staff write it inside a sentence: "2026-Q3" -> "quý III/2026", "2026-01" ->
    "tháng 01/2026", "2026-H1" -> "6 tháng đầu năm 2026", "2026" -> "năm 2026", "2026-10-05" ->
    "ngày 05/10/2026" (months 1 and 2 with a leading zero, as Nghị định 30 writes dates).
    Anything else is returned as written."""
    p = (text or "").strip()
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", p, re.IGNORECASE):
        return f"quý {_ROMAN[int(m[2])]}/{m[1]}"
    if m := re.fullmatch(r"(\d{4})-H([12])", p, re.IGNORECASE):
        return f"6 tháng {'đầu' if m[2] == '1' else 'cuối'} năm {m[1]}"
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", p):
        month = int(m[2])
        if 1 <= month <= 12:
            return f"tháng {month:02d}/{m[1]}" if month <= 2 else f"tháng {month}/{m[1]}"
    if re.fullmatch(r"\d{4}", p):
        return f"năm {p}"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", p):
        try:
            return f"ngày {dt.date.fromisoformat(p):%d/%m/%Y}"
        except ValueError:
            pass
    return p
