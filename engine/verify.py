"""`dondoc rules check`: a book of rules is valid when it will run.

Reading a rule already parses, type-checks and compiles it (engine/rulebook.py).
Here the rules in force are also compiled together and registered with
durable-rules through the same Checker the nightly check uses, once for each
stretch of time with its own set of rules (valid_from / valid_to), so whatever
durable-rules or the engine's limits refuse is an error now, not exit 3 at night.
"""

from __future__ import annotations

import datetime as dt

from dondoc.errors import EngineError
from dondoc.engine.rulebook import Book
from dondoc.engine.run import Checker
from dondoc.facts.calendar import DEFAULT, WorkCalendar
from dondoc.errors import InputError


def verify(book: Book, today: dt.date, calendar: WorkCalendar = DEFAULT) -> tuple[list[InputError], list[dt.date]]:
    """Errors of rules that would not run on some day (each rule once), and the days tried."""
    days = book.boundaries(today)
    stopped: dict[str, tuple[dt.date, str]] = {}
    for day in days:
        try:
            checker = Checker(book.rules, day, calendar)
        except EngineError as exc:  # the ruleset as a whole was refused
            return [InputError(None, f"bộ quy tắc không đăng ký được với durable-rules ngày {day:%d/%m/%Y}: {exc}")], days
        for rule_id, why in checker.errors.items():
            stopped.setdefault(rule_id, (day, why))
    errors = []
    for rule_id, (day, why) in sorted(stopped.items()):
        rule = next(r for r in book.rules if r.id == rule_id and r.in_force(day))
        errors.append(
            InputError(
                rule.path,
                f"quy tắc '{rule_id}' không chạy được (ngày {day:%d/%m/%Y}): {why}",
                line=rule.line,
                hint="bộ máy luật durable-rules không nhận điều kiện này; xem docs/engine.md",
            )
        )
    return errors, days
