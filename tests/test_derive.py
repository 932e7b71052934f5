"""Derived values: reductions against the baseline.

(The tracking classes of tasks used to be computed here for the notices' counts; the
notices now count only what the rules found: tests/test_notices.py.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dondoc.facts import derive
from dondoc.facts.derive import reduction


@pytest.mark.parametrize(
    "baseline, current, cut",
    [(20, 12, 40.0), (15, 10, 33.33), (2, 1, 50.0), (400000, 400000, 0.0), (5, 6, -20.0), (0, 0, 100.0), (0, 5, -100.0), (None, 3, None), (3, None, None)],
)
def test_reduction_against_the_baseline(baseline, current, cut):
    assert reduction(baseline, current) == cut


def test_no_second_policy_classifies_tasks_in_python():
    # The status classes were a second policy beside the rules; only the rules classify.
    for name in ("STATUS_CLASSES", "status_class", "task_counts"):
        assert not hasattr(derive, name), name


def test_periods_and_the_period_before():
    import datetime as dt

    from dondoc.facts.periods import parse_period

    q1 = parse_period("2026-Q1")
    assert (q1.start, q1.end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert q1.previous().text == "2025-Q4"
    assert parse_period("2026-01").previous().text == "2025-12"
    assert parse_period("2026-3").text == "2026-03"
    assert parse_period("2026").previous().text == "2025"
    assert parse_period("2026-03-01").previous().text == "2026-02-28"
    assert parse_period("2026-10").within(parse_period("2026-Q4"))
    assert not parse_period("2026-Q4").within(parse_period("2026-10"))
    assert parse_period("Quý III") is None and parse_period("2026-13") is None


def test_working_days_fields_count_on_the_calendar_given():
    import datetime as dt

    from dondoc.facts.calendar import DayOff, WorkCalendar
    from dondoc.facts.derive import task_facts
    from dondoc.facts.planfolder import read_plan_folder

    tiny = read_plan_folder(Path(__file__).parent / "fixtures" / "tiny")
    as_of = dt.date(2026, 11, 20)  # a Friday; task 1 is due 31/10 (a Saturday)
    (plain,) = [f.values for f in task_facts(tiny, as_of) if f.subject == "task:1"]
    office = WorkCalendar((DayOff(dt.date(2026, 11, 19), "nghỉ"),))
    (with_day_off,) = [f.values for f in task_facts(tiny, as_of, office) if f.subject == "task:1"]
    assert plain["days_overdue"] == 20 and plain["working_days_overdue"] == 15
    assert plain["working_days_left"] == -15
    assert with_day_off["working_days_overdue"] == 14
