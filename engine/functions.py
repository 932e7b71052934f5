"""The values the rule language computes: its functions and date arithmetic (facts/kinds.py FUNCTIONS).

durable-rules cannot count working days or name a weekday, so whatever a rule
computes from a fact's fields is computed here, once per fact, before the fact
goes in (engine/compile.py ``Term``), and by the reference evaluator the same way.
Working days come from the one calendar (facts/calendar.py) the notices use too.
"""

from __future__ import annotations

import calendar as calendar_module
import datetime as dt
from typing import Any

from dondoc.facts.calendar import WorkCalendar, weekday_name

# The functions that count on the calendar (the office's days off): only they, and a date moved by
# working days, make a value depend on the days off (engine/run.py ``uses_calendar``, the compiler's folding).
CALENDAR_FUNCTIONS = frozenset({"is_working_day", "working_days"})


def shift(day: dt.date, days: int, working: bool, calendar: WorkCalendar) -> dt.date:
    """``day`` moved by ``days`` calendar days, or working days."""
    if working:
        return calendar.add_working_days(day, days)
    return day + dt.timedelta(days=days)


def call(name: str, args: list[Any], calendar: WorkCalendar) -> Any:
    """A function of the language on plain values (dates as datetime.date)."""
    if name == "weekday":
        return weekday_name(args[0])
    if name == "is_working_day":
        return calendar.is_working_day(args[0])
    if name == "working_days":
        return calendar.working_days_between(args[0], args[1])
    if name == "date":  # date(plan_year, 6, 30); no such day (31/6): ValueError, the value is unknown
        year, month, day = args
        if any(isinstance(v, bool) or int(v) != v for v in args):
            raise ValueError("date() takes whole numbers")
        return dt.date(int(year), int(month), int(day))
    if name == "end_of_quarter":
        last = 3 * ((args[0].month - 1) // 3 + 1)
        return dt.date(args[0].year, last, calendar_module.monthrange(args[0].year, last)[1])
    if name == "end_of_month":
        return dt.date(args[0].year, args[0].month, calendar_module.monthrange(args[0].year, args[0].month)[1])
    raise AssertionError(f"no function {name}")  # typecheck lets only facts/kinds.py FUNCTIONS through
