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


# -- the facts at their boundaries: the check date itself, the threshold itself, the day before --

import datetime as dt  # noqa: E402

from dondoc.facts.deadline import Deadline, DeadlineKind  # noqa: E402
from dondoc.facts.derive import period_of, procedure_facts, target_facts, task_facts  # noqa: E402
from dondoc.facts.models import Measurement, Procedure, Progress, Target, Task  # noqa: E402
from dondoc.facts.planfolder import read_plan_folder  # noqa: E402

TINY = Path(__file__).parent / "fixtures" / "tiny"
AS_OF = dt.date(2026, 11, 23)
D = dt.date


def folder(**parts):
    return read_plan_folder(TINY).model_copy(update=parts)


def task(id="1", deadline=None, lead=("Phòng Kinh tế",), **more):
    deadline = deadline or Deadline(phrase="Tháng 10/2026", kind=DeadlineKind.DUE, due=D(2026, 10, 31))
    return Task(id=id, title=f"Nhiệm vụ {id}", lead=list(lead), deadline=deadline, **more)


def values(facts, subject=None):
    return [f.values for f in facts if subject is None or f.subject == subject]


def test_a_report_dated_on_the_check_date_is_known_one_dated_the_day_after_is_not():
    reports = [
        Progress(task="1", status="đang thực hiện", reported_on=D(2026, 6, 30), source_line=2),
        Progress(task="1", status="hoàn thành", done_on=AS_OF, reported_on=AS_OF, source_line=3),
    ]
    (on_the_day,) = values(task_facts(folder(tasks=[task()], progress=reports), AS_OF))
    assert (on_the_day["status"], on_the_day["done_on"], on_the_day["reported_on"], on_the_day["reports"]) == (
        "hoàn thành", AS_OF, AS_OF, 2,
    )
    (day_before,) = values(task_facts(folder(tasks=[task()], progress=reports), AS_OF - dt.timedelta(days=1)))
    assert (day_before["status"], day_before["reported_on"], day_before["reports"]) == ("đang thực hiện", D(2026, 6, 30), 1)
    assert "done_on" not in day_before


def test_a_task_done_late_is_overdue_until_its_completion_not_until_the_check_date():
    done = [Progress(task="1", status="hoàn thành", done_on=D(2026, 11, 5), source_line=2)]
    (fact,) = values(task_facts(folder(tasks=[task()], progress=done), AS_OF))
    assert (fact["done_on"], fact["days_overdue"], fact["working_days_overdue"]) == (D(2026, 11, 5), 5, 4)
    assert fact["days_left"] == -23  # from the check date


def test_of_two_reports_on_one_day_the_later_line_wins_and_a_report_without_a_date_counts_as_known():
    reports = [
        Progress(task="1", status="chưa thực hiện", reported_on=D(2026, 7, 1), source_line=2),
        Progress(task="1", status="đang thực hiện", reported_on=D(2026, 7, 1), source_line=3),
        Progress(task="1", status="chưa thực hiện", source_line=1),  # no date: known, but the oldest
    ]
    (fact,) = values(task_facts(folder(tasks=[task()], progress=reports), AS_OF))
    assert (fact["status"], fact["reports"]) == ("đang thực hiện", 3)
    done = [
        Progress(task="1", status="hoàn thành", done_on=D(2026, 7, 2)),
        Progress(task="1", status="đang thực hiện", reported_on=D(2026, 7, 1)),
    ]
    (fact,) = values(task_facts(folder(tasks=[task()], progress=done), AS_OF))
    assert fact["status"] == "hoàn thành"  # dated by its completion when it has no report date
    unnumbered = [
        Progress(task="1", status="chưa thực hiện", reported_on=D(2026, 7, 1)),
        Progress(task="1", status="đang thực hiện", reported_on=D(2026, 7, 1), source_line=1),
    ]
    (fact,) = values(task_facts(folder(tasks=[task()], progress=unnumbered), AS_OF))
    assert fact["status"] == "đang thực hiện"


def test_occurrences_on_the_plans_first_and_last_day_are_checked_one_after_it_is_not():
    deadline = Deadline(
        phrase="Hằng quý", kind=DeadlineKind.RECURRING, every="quarter",
        occurrences=[D(2025, 12, 31), D(2026, 1, 1), D(2026, 12, 31), D(2027, 1, 1)],
    )
    facts = task_facts(folder(tasks=[task(deadline=deadline, lead=())]), AS_OF)
    occurrences = [f for f in facts if f.kind == "occurrence"]
    assert [(f.values["period"], f.values["unit"]) for f in occurrences] == [
        ("2026-Q1", "Văn phòng HĐND và UBND xã"),  # no lead: the monitor is reminded
        ("2026-Q4", "Văn phòng HĐND và UBND xã"),
    ]


def test_a_report_due_the_month_after_is_the_month_it_covers_and_belongs_to_the_plan_by_it():
    """'Trước ngày 05 của tháng liền kề': December's report is due 04/01/2027, after a 2026 plan
    ends, and is still December's (checked); a report covering December 2025 is not the plan's."""
    from dondoc.facts.deadline import parse_deadline

    deadline = parse_deadline("Trước ngày 05 của tháng liền kề", 2026)
    facts = task_facts(folder(tasks=[task(deadline=deadline)]), D(2027, 1, 10))
    periods = [(f.values["period"], f.values["due"]) for f in facts if f.kind == "occurrence"]
    assert periods[0] == ("2026-01", D(2026, 2, 4))
    assert periods[-1] == ("2026-12", D(2027, 1, 4))
    assert len(periods) == 12
    earlier = deadline.model_copy(update={"occurrences": [D(2026, 1, 4)], "covers": ["2025-12"]})
    assert not [f for f in task_facts(folder(tasks=[task(deadline=earlier)]), AS_OF) if f.kind == "occurrence"]


@pytest.mark.parametrize(
    "every, occurrences, due, period",
    [
        ("quarter", 4, D(2026, 3, 31), "2026-Q1"),
        ("quarter", 4, D(2026, 4, 1), "2026-Q2"),
        ("quarter", 4, D(2026, 12, 31), "2026-Q4"),
        ("", 4, D(2026, 9, 30), "2026-Q3"),  # four a year: quarters
        ("", 5, D(2026, 9, 30), "2026-09-30"),
        ("month", 12, D(2026, 10, 20), "2026-10"),
        ("", 12, D(2026, 1, 20), "2026-01"),  # twelve a year: months
        ("", 13, D(2026, 1, 20), "2026-01-20"),
        ("", 11, D(2026, 1, 20), "2026-01-20"),
        ("year", 3, D(2026, 12, 15), "2026"),
        ("", 1, D(2026, 12, 15), "2026"),
        ("", 2, D(2026, 12, 15), "2026-12-15"),
        ("half", 2, D(2026, 6, 30), "2026-06-30"),
    ],
)
def test_the_period_of_an_occurrence(every, occurrences, due, period):
    start = D(2026, 1, 1)
    deadline = Deadline(
        phrase="định kỳ", kind=DeadlineKind.RECURRING, every=every,
        occurrences=[start + dt.timedelta(days=i) for i in range(occurrences)],
    )
    assert period_of(task(deadline=deadline), due) == period


def target(comparison, value=95, **more):
    return Target(id="CT01", text="Tỷ lệ", metric="Tỷ lệ", comparison=comparison, value=value, unit="%", **more)


def measured(actual, period="2026-10", on=D(2026, 11, 5), line=None):
    return Measurement(target="CT01", period=period, value=actual, measured_on=on, source_line=line)


@pytest.mark.parametrize(
    "comparison, missed_at_the_threshold",
    [(">=", 0), (">", 1), ("<=", 0), ("<", 1), ("==", 0)],
)
def test_a_target_met_or_missed_exactly_at_its_value(comparison, missed_at_the_threshold):
    (fact,) = values(target_facts(folder(targets=[target(comparison)], measurements=[measured(95)]), AS_OF))
    assert fact["missed_in_a_row"] == missed_at_the_threshold
    (fact,) = values(target_facts(folder(targets=[target(comparison)], measurements=[measured(96)]), AS_OF))
    assert fact["missed_in_a_row"] == {">=": 0, ">": 0, "<=": 1, "<": 1, "==": 1}[comparison]


def test_a_measurement_taken_on_the_check_date_is_known_the_day_after_it_is_not():
    known = folder(targets=[target(">=")], measurements=[measured(90, on=AS_OF)])
    (fact,) = values(target_facts(known, AS_OF))
    assert (fact["actual"], fact["measured_on"]) == (90, AS_OF)
    (fact,) = values(target_facts(known, AS_OF - dt.timedelta(days=1)))
    assert "actual" not in fact and "measured_on" not in fact and fact["period"] == "2026"


def test_misses_in_a_row_stop_at_a_met_period_or_at_a_period_that_cannot_be_read():
    series = [measured(80, "2026-08", D(2026, 9, 5)), measured(96, "2026-09", D(2026, 10, 5)), measured(90, "2026-10")]
    (fact,) = values(target_facts(folder(targets=[target(">=")], measurements=series), AS_OF))
    assert (fact["missed_in_a_row"], fact["previous_actual"], fact["previous_period"]) == (1, 96, "2026-09")
    unreadable = [measured(80, "đợt 1", D(2026, 9, 5)), measured(90, "đợt 2")]
    (fact,) = values(target_facts(folder(targets=[target(">=")], measurements=unreadable), AS_OF))
    assert (fact["missed_in_a_row"], fact["measured_period"]) == (1, "đợt 2")
    assert "previous_actual" not in fact and "previous_period" not in fact


def test_two_measurements_of_one_period_the_later_then_the_later_line_wins():
    same_day = [measured(80, line=4), measured(90, line=7), measured(85, line=5)]
    (fact,) = values(target_facts(folder(targets=[target(">=")], measurements=same_day), AS_OF))
    assert fact["actual"] == 90
    unnumbered = [measured(80, line=None), measured(90, line=1)]
    (fact,) = values(target_facts(folder(targets=[target(">=")], measurements=unnumbered), AS_OF))
    assert fact["actual"] == 90


def test_a_measurement_for_a_period_it_does_not_name_readably_is_for_the_day_it_was_taken():
    # 'đợt 1' is no period: it counts as the day it was measured, inside the plan's year
    (fact,) = values(target_facts(folder(targets=[target(">=")], measurements=[measured(90, "đợt 1")]), AS_OF))
    assert (fact["actual"], fact["measured_period"]) == (90, "đợt 1")
    later = [measured(90, "đợt 1", D(2026, 11, 5)), measured(70, "đợt 0", D(2026, 11, 4))]
    (fact,) = values(target_facts(folder(targets=[target(">=")], measurements=later), AS_OF))
    assert fact["actual"] == 90


def test_a_target_without_its_own_period_is_for_the_plans_year():
    (fact,) = values(target_facts(folder(targets=[target(">=", period="2026-Q4")], measurements=[]), AS_OF))
    assert fact["period"] == "2026-Q4"
    (fact,) = values(target_facts(folder(targets=[target(">=")], measurements=[]), AS_OF))
    assert fact["period"] == "2026"


def procedure(**more):
    base = dict(code="1.0001", name="Đăng ký kết hôn", baseline_year=2024, baseline_days=10, baseline_cost=100,
                baseline_components=5, current_days=5, current_cost=80, current_components=4)
    return Procedure(**{**base, **more})


def test_a_procedure_measured_on_the_check_date_is_known_the_day_after_it_is_not():
    goals = [
        target(">=", 50, reduction="time"),
        Target(id="CT02", text="chi phí", metric="chi phí", comparison=">=", value=20, unit="%", reduction="cost"),
        Target(id="CT03", text="hồ sơ", metric="hồ sơ", comparison=">=", value=30, unit="%", reduction="components"),
        Target(id="CT04", text="hồ sơ", metric="hồ sơ", comparison=">=", value=99, unit="%", reduction="components"),
    ]
    measured_then = folder(targets=goals, procedures=[procedure(measured_on=AS_OF, lead="Trung tâm")])
    (fact,) = values(procedure_facts(measured_then, AS_OF))
    assert fact["unit"] == "Trung tâm"
    assert (fact["time_reduction"], fact["cost_reduction"], fact["components_reduction"]) == (50.0, 20.0, 20.0)
    assert (fact["time_target"], fact["cost_target"], fact["components_target"]) == (50, 20, 30)  # the first goal
    (fact,) = values(procedure_facts(measured_then, AS_OF - dt.timedelta(days=1)))
    assert "current_days" not in fact and "components_reduction" not in fact and "measured_on" not in fact
    assert "current_cost" not in fact and "cost_reduction" not in fact and "current_components" not in fact
    assert fact["baseline_components"] == 5 and fact["unit"] == "Trung tâm"
    (fact,) = values(procedure_facts(folder(procedures=[procedure()]), AS_OF))
    assert fact["unit"] == "Văn phòng HĐND và UBND xã" and "time_target" not in fact  # no lead: the monitor


def test_the_procedures_a_03_giam_target_counts_are_those_with_both_figures_by_the_check_date():
    goals = [target(">=", 50, reduction="time")]
    procedures = [procedure(measured_on=AS_OF), procedure(code="1.0002", measured_on=AS_OF),
                  procedure(code="1.0003").model_copy(update={"current_days": None})]  # no figure yet
    measured = folder(targets=goals, procedures=procedures, measurements=[])
    (fact,) = values(target_facts(measured, AS_OF))
    assert fact["procedures_measured"] == 2
    (fact,) = values(target_facts(measured, AS_OF - dt.timedelta(days=1)))
    assert fact["procedures_measured"] == 0


def test_a_targets_weight_and_the_figures_behind_its_result_reach_the_fact():
    counted = Measurement(target="CT01", period="2026-10", numerator=883, denominator=1000, measured_on=D(2026, 11, 5))
    (fact,) = values(target_facts(folder(targets=[target(">=", weight=0.3)], measurements=[counted]), AS_OF))
    assert (fact["weight"], fact["numerator"], fact["denominator"], fact["actual"]) == (0.3, 883, 1000, 88.3)
    (fact,) = values(target_facts(folder(targets=[target(">=")], measurements=[]), AS_OF))
    assert not {"weight", "numerator", "denominator", "actual"} & set(fact)


# As the deadline reader gives it: the last occurrence as its due date.
QUARTERLY = Deadline(phrase="Hằng quý", kind=DeadlineKind.RECURRING, every="quarter", due=D(2026, 12, 31),
                     occurrences=[D(2026, 3, 31), D(2026, 6, 30), D(2026, 9, 30), D(2026, 12, 31)])


def test_a_recurring_task_as_a_whole_has_no_due_date_and_no_days_to_count():
    """Its occurrences are checked; the task as a whole must not be overdue by a rule on days_overdue."""
    facts = task_facts(folder(tasks=[task(deadline=QUARTERLY)], progress=[]), AS_OF)
    (whole,) = values(facts, "task:1")
    assert not {"due", "days_overdue", "days_left", "working_days_overdue", "working_days_left"} & set(whole)
    overdue = [f.values for f in facts if f.kind == "occurrence" and "days_overdue" in f.values]
    assert [(f["period"], f["days_overdue"]) for f in overdue] == [("2026-Q1", 237), ("2026-Q2", 146), ("2026-Q3", 54), ("2026-Q4", -38)]


def test_a_recurring_tasks_own_status_comes_from_reports_on_the_whole_task_else_from_its_periods():
    reports = [
        Progress(task="1", status="hoàn thành", done_on=D(2026, 11, 1), reported_on=D(2026, 11, 1)),
        Progress(task="1", period="2026-Q3", status="đang thực hiện", reported_on=D(2026, 11, 10)),
    ]
    (whole,) = values(task_facts(folder(tasks=[task(deadline=QUARTERLY)], progress=reports), AS_OF), "task:1")
    assert whole["status"] == "hoàn thành"
    (whole,) = values(task_facts(folder(tasks=[task(deadline=QUARTERLY)], progress=reports[1:]), AS_OF), "task:1")
    assert whole["status"] == "đang thực hiện"


def test_a_completion_dated_after_the_check_date_is_not_known_and_the_later_report_wins():
    future = [Progress(task="1", status="hoàn thành", done_on=AS_OF + dt.timedelta(days=1))]
    (fact,) = values(task_facts(folder(tasks=[task()], progress=future), AS_OF))
    assert fact["reports"] == 0 and "done_on" not in fact and fact["status"] != "hoàn thành"
    dated = [
        Progress(task="1", status="đang thực hiện", reported_on=D(2026, 7, 1)),
        Progress(task="1", status="chưa thực hiện", reported_on=D(2026, 7, 5)),
    ]
    (fact,) = values(task_facts(folder(tasks=[task()], progress=dated), AS_OF))
    assert (fact["status"], fact["reported_on"]) == ("chưa thực hiện", D(2026, 7, 5))


def test_a_fact_with_a_field_the_catalogue_does_not_name_or_without_an_always_present_one_is_refused():
    """The guard that keeps facts/kinds.py (what rules may read) and derive.py in step."""
    from dondoc.facts.derive import RuleFact

    (fact,) = task_facts(folder(tasks=[task()], progress=[]), AS_OF)
    with pytest.raises(AssertionError, match="fields not in facts/kinds.py: {'bogus'}"):
        RuleFact("task", "task:1", {**fact.values, "bogus": 1})
    without_title = {k: v for k, v in fact.values.items() if k != "title"}
    with pytest.raises(AssertionError, match=r"lacks always-present fields \['title'\]"):
        RuleFact("task", "task:1", without_title)
