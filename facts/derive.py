"""From a plan folder to the flat facts rules read, with derived values as of a date.

Everything a rule compares is computed here, once, from an explicit as-of date
(a calendar date in Asia/Ho_Chi_Minh): days overdue, days left, the latest
measurement, the trend of a target's measurements projected to its period's end
(facts/projection.py), the reduction against the baseline year. A value that is not known
is left out of the fact, never filled in, so a rule that needs it reports
missing data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from dondoc.facts.calendar import DEFAULT, WorkCalendar
from dondoc.facts.deadline import DeadlineKind
from dondoc.facts.history import PlanPast, history_fields
from dondoc.facts.kinds import COMMUNE, KINDS, REDUCTIONS, UNCATEGORISED
from dondoc.facts.models import Comparison, Measurement, PlanFolder, Procedure, Progress, Target, Task
from dondoc.facts.periods import Period, parse_period, period_kind
from dondoc.facts.projection import project
from dondoc.text import as_decimal, percent

TIMEZONE = "Asia/Ho_Chi_Minh"
NOT_REPORTED = "chưa báo cáo"
_NO_DATE = (DeadlineKind.EXTERNAL, DeadlineKind.UNPARSED)
DONE = "hoàn thành"


def today() -> dt.date:
    """Today's date where the plans are, whatever the machine's clock zone."""
    import pendulum  # only when no --as-of is given

    return pendulum.now(TIMEZONE).date()


@dataclass(frozen=True)
class RuleFact:
    """One fact as rules see it: its kind, a subject id, and its field values."""

    kind: str
    subject: str
    values: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        fields = KINDS[self.kind]  # its commune attributes are declared at run time: looked up, not copied
        unknown = self.values.keys() - fields.keys()
        assert not unknown, f"{self.kind} fact has fields not in facts/kinds.py: {unknown}"
        absent = [n for n in _ALWAYS[self.kind] if n not in self.values]
        assert not absent, f"{self.kind} fact lacks always-present fields {absent}"


# Per kind, the fields every fact of it has (a commune's attributes never are: facts/kinds.py).
_ALWAYS = {kind: tuple(n for n, s in fields.items() if s.always) for kind, fields in KINDS.items()}


def _days(later: dt.date, earlier: dt.date) -> int:
    return (later - earlier).days


def _present(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _latest(reports: list[Progress], as_of: dt.date) -> Progress | None:
    """The newest report known on the as-of date (reports dated later are not yet known)."""
    known = [r for r in reports if (r.reported_on or r.done_on or as_of) <= as_of]
    if not known:
        return None
    return max(known, key=lambda r: (r.reported_on or r.done_on or dt.date.min, r.source_line or 0))


def _status_fields(
    report: Progress | None, due: dt.date | None, as_of: dt.date, calendar: WorkCalendar
) -> dict[str, Any]:
    status = report.status if report else NOT_REPORTED
    done_on = report.done_on if report and report.status == DONE else None
    values: dict[str, Any] = {
        "status": status,
        "done_on": done_on,
        "reported_on": report.reported_on if report else None,
    }
    if due is not None:
        # Done tasks are measured at completion (late or not); open ones as of today.
        values["days_overdue"] = _days(done_on or as_of, due)
        values["days_left"] = _days(due, as_of)
        values["working_days_overdue"] = calendar.working_days_between(due, done_on or as_of)
        values["working_days_left"] = calendar.working_days_between(as_of, due)
    return values


def _units(leads: list[str], monitor: str) -> list[str]:
    return leads or [monitor]


def task_facts(folder: PlanFolder, as_of: dt.date, calendar: WorkCalendar = DEFAULT) -> list[RuleFact]:
    plan = folder.plan
    by_task: dict[str, list[Progress]] = {}
    for report in folder.progress:
        by_task.setdefault(report.task, []).append(report)
    facts: list[RuleFact] = []
    for task in folder.tasks:
        reports = by_task.get(task.id, [])
        base = _task_base(folder, task)
        if task.deadline.kind == DeadlineKind.RECURRING:
            facts.extend(_occurrences(folder, task, reports, base, as_of, calendar))
        # A date set elsewhere counts once a person has supplied it (task.due).
        due = task.due if task.deadline.kind in _NO_DATE else task.deadline.due
        whole = [r for r in reports if not r.period]
        values = {
            **base,
            "due": due,
            "start": task.deadline.start,
            "checkpoint": task.deadline.checkpoint,
            "reports": len([r for r in reports if (r.reported_on or r.done_on or as_of) <= as_of]),
            **_status_fields(_latest(whole or reports, as_of), due, as_of, calendar),
        }
        if task.deadline.kind == DeadlineKind.RECURRING:
            # A recurring task is checked per occurrence; as a whole it has no single due date.
            for name in ("days_overdue", "days_left", "working_days_overdue", "working_days_left"):
                values.pop(name, None)
            values["due"] = None
        for unit in _units(task.lead, plan.monitor):
            facts.append(RuleFact("task", f"task:{task.id}", _present({**values, "unit": unit})))
    return facts


def _task_base(folder: PlanFolder, task: Task) -> dict[str, Any]:
    return {
        "plan": folder.plan.key,
        "plan_year": folder.plan.year,
        "task": task.id,
        "section": task.section,
        "title": task.title,
        "deadline": task.deadline.phrase,
        "deadline_kind": task.deadline.kind.value,
    }


def period_of(task: Task, due: dt.date) -> str:
    """The occurrence's period: '2026-Q3' for quarterly, '2026-10' for monthly, else the year; a
    report due after its period ('trước ngày 05 của tháng liền kề') names the period it covers."""
    occurrences = task.deadline.occurrences
    if task.deadline.covers and due in occurrences:
        return task.deadline.covers[occurrences.index(due)]
    every = task.deadline.every  # set by parse_deadline; counts alone fail over several years
    if every == "quarter" or (not every and len(occurrences) == 4):
        return f"{due.year}-Q{(due.month - 1) // 3 + 1}"
    if every == "month" or (not every and len(occurrences) == 12):
        return f"{due.year}-{due.month:02d}"
    if every == "year" or len(occurrences) == 1:
        return str(due.year)
    return due.isoformat()


def _occurrences(folder, task: Task, reports, base, as_of: dt.date, calendar: WorkCalendar) -> list[RuleFact]:
    plan = folder.plan
    start, end = plan.start, plan.end  # properties worked out on each call: once per task
    facts = []
    for due in task.deadline.occurrences:
        period = period_of(task, due)
        covered = parse_period(period) if task.deadline.covers else None
        # A report due after its period belongs to the plan when the period it covers does.
        if not (covered.start <= end and start <= covered.end if covered else start <= due <= end):
            continue
        named = (period, due.isoformat())
        mine = [r for r in reports if r.period in named]
        values = {
            **base,
            "period": period,
            "due": due,
            "start": task.deadline.start,
            "reports": len(mine),
            **_status_fields(_latest(mine, as_of), due, as_of, calendar),
        }
        for unit in _units(task.lead, plan.monitor):
            facts.append(
                RuleFact("occurrence", f"occurrence:{task.id}@{period}", _present({**values, "unit": unit}))
            )
    return facts


def _period(measurement: Measurement) -> Period:
    """The period a measurement is for; one it does not name readably is the day it was measured."""
    return parse_period(measurement.period) or Period(measurement.measured_on, measurement.measured_on, measurement.period)


def target_period(target: Target, plan) -> Period:
    """The target's own period, or the plan's."""
    return parse_period(target.period) or Period(plan.start, plan.end, target.period or str(plan.year))


def _known(target: Target, measurements: list[Measurement], as_of: dt.date) -> list[Measurement]:
    return [m for m in measurements if m.target == target.id and m.measured_on <= as_of]


def _newest(measurements: list[Measurement]) -> Measurement | None:
    """The newest measurement: of the latest period, then the latest measured (a correction wins)."""
    if not measurements:
        return None
    return max(measurements, key=lambda m: (_period(m).end, _period(m).start, m.measured_on, m.source_line or 0))


def latest_measurement(
    target: Target, measurements: list[Measurement], as_of: dt.date, within: Period | None = None
) -> Measurement | None:
    """The newest measurement known on the as-of date, for a period inside ``within`` (the target's)."""
    known = _known(target, measurements, as_of)
    if within is not None:
        known = [m for m in known if _period(m).within(within)]
    return _newest(known)


def _described(measurement: Measurement) -> dt.date:
    """The day a measurement describes: its period's end ("2026-10": 31/10), or the day it was
    measured when that came first (a figure for the year so far)."""
    return min(_period(measurement).end, measurement.measured_on)


def trend_points(target: Target, measurements: list[Measurement], as_of: dt.date, within: Period) -> list[tuple[dt.date, float]]:
    """The series a projection is drawn through: the measurements known on the as-of date for
    periods inside ``within`` (the target's), one per day described, oldest first; of two for
    the same day the later measured counts (a correction)."""
    known = [m for m in _known(target, measurements, as_of) if _period(m).within(within)]
    by_day = {_described(m): m.actual for m in sorted(known, key=lambda m: (m.measured_on, m.source_line or 0))}
    return sorted(by_day.items())


def _projection(target: Target, folder: PlanFolder, as_of: dt.date, period: Period) -> dict[str, Any]:
    points = trend_points(target, folder.measurements, as_of, period)
    projection = project(points, period.end, target.bounds)
    return {
        "period_end": period.end,
        "projection_points": len(points),
        "projected": projection.value if projection else None,
        "projected_low": projection.low if projection else None,
        "projected_high": projection.high if projection else None,
    }


def _missed(target: Target, actual: float) -> bool:
    met = {
        Comparison.AT_LEAST: actual >= target.value,
        Comparison.MORE_THAN: actual > target.value,
        Comparison.AT_MOST: actual <= target.value,
        Comparison.LESS_THAN: actual < target.value,
        Comparison.EQUAL: actual == target.value,
    }[target.comparison]
    return not met


def _history(target: Target, measurements: list[Measurement], latest: Measurement, as_of: dt.date) -> dict[str, Any]:
    """The previous period's value, and how many periods in a row (up to the latest) were missed."""
    known = _known(target, measurements, as_of)

    def of(period: Period) -> Measurement | None:
        return _newest([m for m in known if (_period(m).start, _period(m).end) == (period.start, period.end)])

    current = _period(latest)
    readable = parse_period(latest.period) is not None  # else there is no "period before" to look at
    previous = of(current.previous()) if readable else None
    streak, measured = 0, latest
    while measured is not None and _missed(target, measured.actual):
        streak += 1
        if not readable:
            break
        current = current.previous()
        measured = of(current)
    return {
        "measured_period": latest.period,
        "measured_period_kind": period_kind(latest.period),
        "previous_actual": previous.actual if previous else None,
        "previous_period": previous.period if previous else None,
        "missed_in_a_row": streak,
    }


def _procedures_measured(folder: PlanFolder, reduction: str | None, as_of: dt.date) -> int | None:
    """How many procedures have both figures of the cut a "03 giảm" target sets (None: not such a target)."""
    if reduction is None:
        return None
    baseline, current = REDUCTIONS[reduction].baseline, REDUCTIONS[reduction].current
    known = (_unmeasured(p) if p.measured_on and p.measured_on > as_of else p for p in folder.procedures)
    return sum(1 for p in known if getattr(p, baseline) is not None and getattr(p, current) is not None)


def target_facts(folder: PlanFolder, as_of: dt.date) -> list[RuleFact]:
    plan = folder.plan
    facts = []
    for target in folder.targets:
        period = target_period(target, plan)
        latest = latest_measurement(target, folder.measurements, as_of, period)
        values = {
            "plan": plan.key,
            "plan_year": plan.year,
            "target": target.id,
            "text": target.text,
            "metric": target.metric,
            "category": target.category or UNCATEGORISED,
            "comparison": target.comparison.value,
            "value": target.value,
            "measure": target.unit,
            "is_reduction": target.reduction is not None,
            "baseline_year": target.baseline_year,
            "scope": target.scope,
            "period": target.period or str(plan.year),
            "procedures_measured": _procedures_measured(folder, target.reduction, as_of),
            "weight": target.weight,
            "actual": latest.actual if latest else None,
            "measured_on": latest.measured_on if latest else None,
            "numerator": latest.numerator if latest else None,
            "denominator": latest.denominator if latest else None,
            **(_history(target, folder.measurements, latest, as_of) if latest else {}),
            **_projection(target, folder, as_of, period),
        }
        for unit in _units(target.lead, plan.monitor):
            facts.append(RuleFact("target", f"target:{target.id}", _present({**values, "unit": unit})))
    return facts


def reduction(baseline: float | None, current: float | None) -> float | None:
    """Percentage cut against the baseline: (baseline - current) / baseline x 100."""
    if baseline is None or current is None:
        return None
    if baseline == 0:
        # Nothing to cut (a free procedure stays free): the cut is met in full;
        # a cost that appears where there was none counts as a full increase.
        return 100.0 if current == 0 else -100.0
    return percent(as_decimal(baseline) - as_decimal(current), baseline)  # exact: 0.3 - 0.1 is 0.2


def procedure_facts(folder: PlanFolder, as_of: dt.date) -> list[RuleFact]:
    plan = folder.plan
    goals: dict[str, float] = {}
    for target in folder.targets:
        if target.reduction and target.reduction not in goals:
            goals[target.reduction] = target.value
    facts = []
    for proc in folder.procedures:
        if proc.measured_on and proc.measured_on > as_of:
            proc = _unmeasured(proc)
        values = {
            "plan": plan.key,
            "plan_year": plan.year,
            "unit": proc.lead or plan.monitor,
            "code": proc.code,
            "name": proc.name,
            "baseline_year": proc.baseline_year,
        }
        for cut in REDUCTIONS.values():
            baseline, current = getattr(proc, cut.baseline), getattr(proc, cut.current)
            values.update({cut.baseline: baseline, cut.current: current, cut.reduction: reduction(baseline, current), cut.target: goals.get(cut.key)})
        values["measured_on"] = proc.measured_on
        facts.append(RuleFact("procedure", f"procedure:{proc.code}", _present(values)))
    return facts


def _unmeasured(proc: Procedure) -> Procedure:
    """A measurement dated after the as-of date is not yet known."""
    return proc.model_copy(update={**{cut.current: None for cut in REDUCTIONS.values()}, "measured_on": None})


def with_commune(facts: list[RuleFact], commune: dict[str, Any] | None) -> list[RuleFact]:
    """The commune's attributes on each fact of its plan, as `commune.class` (none given: unknown)."""
    if commune:
        attributes = {f"{COMMUNE}.{name}": value for name, value in commune.items() if value is not None}
        for fact in facts:
            fact.values.update(attributes)
    return facts


def rule_facts(
    folder: PlanFolder, as_of: dt.date, calendar: WorkCalendar = DEFAULT, past: PlanPast | None = None,
    commune: dict[str, Any] | None = None,
) -> list[RuleFact]:
    """All facts of a plan folder, in a stable order; working days counted on ``calendar``;
    ``past``: what the store remembers of its items (None: the night keeps no store);
    ``commune``: the attributes of the plan's commune (its settings'), read as `commune.class`."""
    facts = task_facts(folder, as_of, calendar) + target_facts(folder, as_of) + procedure_facts(folder, as_of)
    with_commune(facts, commune)
    if past is not None:
        for fact in facts:
            fact.values.update(history_fields(fact.subject, fact.values.get("unit", ""), as_of, past))
    return facts

