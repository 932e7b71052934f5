"""Periods as plan folders write them: a year, a quarter, a month or a day.

    2026        the year 2026
    2026-Q3     the third quarter of 2026
    2026-10     October 2026
    2026-10-05  one day

A measurement counts for a target only if its period lies inside the target's
period; "the previous period" is the one just before, of the same length.
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
