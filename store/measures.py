"""What a plan measured on a night, kept for the read side (the dashboard): the night gives it
as ``night.observe(plan_key, observations, rules_run, measures=measures.of_plan(folder, as_of))``.

The store keeps ``measures`` as given (subject -> JSON) and never reads it; this module is the
one place that says what goes in and how it reads back:

- ``"plan"``: the plan's header as the document states it (issuer: the commune; superior: the
  province; number, title, year), so a reader can group plans by commune and province;
- ``"target:CT01"``: a target's figures that night, as the rules saw them (facts/derive.py
  ``target_facts``): what it requires, its latest measurement, the series its projection was
  drawn through and the projection with its interval (docs/engine.md, "Early warning");
- ``"procedure:1.001612"``: a procedure's figures of "03 giảm" (facts/kinds.py ``REDUCTIONS``):
  baseline, current and the cut in percent, per cut.

Each value's keys are the fields of the fact the rules read (facts/kinds.py), dates as ISO
text, with the target's lead units (``leads``), its cut of "03 giảm" (``reduction``) and its
series (``points``) beside them. A value that is a bare number (a night that recorded only a
target's measured value) reads as that target's ``actual`` with nothing else known.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

from dondoc.facts.derive import procedure_facts, target_facts, target_period, trend_points
from dondoc.facts.kinds import REDUCTIONS, UNCATEGORISED
from dondoc.facts.models import PlanFolder

PLAN = "plan"  # the subject of the plan's header


@dataclass(frozen=True)
class PlanAbout:
    issuer: str  # "UBND xã Gia Lộc": the commune
    superior: str  # "UBND THÀNH PHỐ HẢI PHÒNG": the province
    locality: str
    number: str
    title: str
    year: int | None
    draft: bool


@dataclass(frozen=True)
class TargetMeasure:
    id: str
    text: str
    category: str  # facts/kinds.py TARGET_CATEGORIES
    comparison: str  # ">=", ...
    value: float | None  # the level required
    measure: str  # "%", "điểm", ...
    reduction: str | None  # a cut of "03 giảm" (facts/kinds.py REDUCTIONS)
    leads: tuple[str, ...]
    period: str
    period_end: dt.date | None
    actual: float | None
    measured_on: dt.date | None
    points: tuple[tuple[dt.date, float], ...]  # the series the projection was drawn through
    projected: float | None
    projected_low: float | None
    projected_high: float | None


@dataclass(frozen=True)
class ProcedureMeasure:
    code: str
    name: str
    cuts: Mapping[str, tuple[float | None, float | None, float | None]]  # reduction key -> (baseline, current, cut %)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def of_plan(folder: PlanFolder, as_of: dt.date) -> dict[str, Any]:
    """The plan's measures on ``as_of``, JSON-ready: from the same facts the rules read."""
    plan = folder.plan
    out: dict[str, Any] = {PLAN: {
        "issuer": plan.issuer, "superior": plan.superior, "locality": plan.locality, "number": plan.number,
        "title": plan.title, "year": plan.year, "draft": plan.is_draft,
    }}
    targets = {t.id: t for t in folder.targets}
    for fact in target_facts(folder, as_of):
        if fact.subject in out:  # one fact per lead unit: the figures are the target's
            continue
        v, target = fact.values, targets[fact.values["target"]]
        points = trend_points(target, folder.measurements, as_of, target_period(target, plan))
        kept = {name: _iso(v[name]) if isinstance(v.get(name), dt.date) else v.get(name) for name in TARGET_FIELDS if name in v}
        out[fact.subject] = {**kept, "reduction": target.reduction, "leads": list(target.lead),
                             "points": [[d.isoformat(), x] for d, x in points]}
    for fact in procedure_facts(folder, as_of):
        v = fact.values
        out[fact.subject] = {name: v.get(name) for name in PROCEDURE_FIELDS if name in v}
    return out


# The fact fields kept (facts/kinds.py names them): what the dashboard shows of a target, a procedure.
TARGET_FIELDS = ("text", "category", "comparison", "value", "measure", "period", "period_end", "actual", "measured_on",
                 "projection_points", "projected", "projected_low", "projected_high")
PROCEDURE_FIELDS = ("name", *(name for c in REDUCTIONS.values() for name in (c.baseline, c.current, c.reduction)))


def _day(text: Any) -> dt.date | None:
    return dt.date.fromisoformat(text) if isinstance(text, str) else None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def about(value: Any) -> PlanAbout | None:
    if not isinstance(value, Mapping):
        return None
    year = value.get("year")
    return PlanAbout(str(value.get("issuer", "")), str(value.get("superior", "")), str(value.get("locality", "")),
                     str(value.get("number", "")), str(value.get("title", "")), year if isinstance(year, int) else None,
                     bool(value.get("draft", False)))


def target(subject: str, value: Any) -> TargetMeasure:
    tid = subject.partition(":")[2] or subject
    if not isinstance(value, Mapping):  # a bare measured value
        return TargetMeasure(tid, "", UNCATEGORISED, "", None, "", None, (), "", None, _number(value), None, (), None, None, None)
    points = tuple((d, x) for d, x in ((_day(p[0]), _number(p[1])) for p in value.get("points") or () if isinstance(p, list) and len(p) == 2)
                   if d is not None and x is not None)
    return TargetMeasure(
        tid, str(value.get("text") or ""), str(value.get("category") or UNCATEGORISED), str(value.get("comparison") or ""),
        _number(value.get("value")), str(value.get("measure") or ""), value.get("reduction") if value.get("reduction") in REDUCTIONS else None,
        tuple(str(u) for u in value.get("leads") or ()), str(value.get("period") or ""), _day(value.get("period_end")),
        _number(value.get("actual")), _day(value.get("measured_on")), points,
        _number(value.get("projected")), _number(value.get("projected_low")), _number(value.get("projected_high")),
    )


def procedure(subject: str, value: Any) -> ProcedureMeasure:
    code = subject.partition(":")[2] or subject
    if not isinstance(value, Mapping):
        return ProcedureMeasure(code, "", {})
    cuts = {}
    for c in REDUCTIONS.values():
        figures = (_number(value.get(c.baseline)), _number(value.get(c.current)), _number(value.get(c.reduction)))
        if any(x is not None for x in figures):
            cuts[c.key] = figures
    return ProcedureMeasure(code, str(value.get("name") or ""), cuts)


@dataclass(frozen=True)
class Measures:
    """A plan's measures of one night, read back."""

    about: PlanAbout | None
    targets: Mapping[str, TargetMeasure]  # by subject ("target:CT01"), in the plan's order
    procedures: Mapping[str, ProcedureMeasure]  # by subject ("procedure:1.001612")


def read(measures: Mapping[str, Any]) -> Measures:
    targets, procedures = {}, {}
    for subject, value in measures.items():
        if subject.startswith("target:"):
            targets[subject] = target(subject, value)
        elif subject.startswith("procedure:"):
            procedures[subject] = procedure(subject, value)
    return Measures(about(measures.get(PLAN)), targets, procedures)
