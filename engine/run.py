"""A check: rules evaluated by durable-rules over plan facts, as of one date.

    facts (facts/derive.py) -> conditions (engine/compile.py) -> durable-rules
    (engine/durable_adapter.py) -> findings (engine/findings.py)

The run report counts, for each plan, the facts that went in, the facts the
engine evaluated and the findings that came out; a mismatch fails the run.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from dondoc.engine.compile import Compiler, encode, kind_test, terms_needed
from dondoc.engine.durable_adapter import EngineError, Evaluation
from dondoc.engine.expression import Not, fields_of
from dondoc.engine.findings import Finding
from dondoc.engine.reference import Absent, value
from dondoc.engine.rulebook import Rule, in_force, render_message
from dondoc.facts.calendar import DEFAULT, WorkCalendar
from dondoc.facts.derive import RuleFact, rule_facts
from dondoc.facts.models import PlanFolder

MISSING_SUFFIX = "#thieu-du-lieu"
STEP_MARK = "@"  # "<rule>@<n>": the rule's condition and its ladder step n


def rule_of(key: str) -> str:
    """The rule id behind a condition key ('x', 'x@1', 'x#thieu-du-lieu')."""
    return key.split(STEP_MARK)[0].removesuffix(MISSING_SUFFIX)


def rule_expressions(rule: Rule) -> list:
    """Everything of a rule that is evaluated on a fact: scope, refinements' scopes, condition, ladder."""
    return [e for e in (rule.scope, *(s for _, s in rule.excluded), rule.condition) if e is not None] + [
        when for when, _ in rule.escalate
    ]


def _names(expr) -> set[str]:
    return {f.name for f in fields_of(expr)}


def rule_conditions(rule: Rule, as_of: dt.date, calendar: WorkCalendar = DEFAULT) -> dict[str, dict]:
    """A rule's durable-rules conditions: itself, its ladder steps, its missing-data companion.

    Facts a refinement decides (its scope) are left out of the refined rule's conditions.
    """
    compiler = Compiler(rule.fact, as_of, calendar)
    head = [kind_test(rule.fact)] + ([compiler.condition(rule.scope)] if rule.scope else [])
    head += [compiler.condition(Not(scope)) for _, scope in rule.excluded]
    base = compiler.condition(rule.condition)
    conditions = {rule.id: {"$and": head + [base]}}
    for j, (when, _) in enumerate(rule.escalate):
        conditions[f"{rule.id}{STEP_MARK}{j}"] = {"$and": head + [base, compiler.condition(when)]}
    if rule.checked_missing:
        absent = [{"$nex": {name: 1}} for name in rule.checked_missing]
        conditions[rule.id + MISSING_SUFFIX] = {"$and": head + [{"$or": absent}]}
    return conditions


def compile_rules(
    rules: list[Rule], as_of: dt.date, errors: dict[str, str], calendar: WorkCalendar = DEFAULT
) -> dict[str, dict]:
    """Every rule's conditions; a rule that cannot be compiled is named in ``errors`` and left out."""
    conditions: dict[str, dict] = {}
    for rule in rules:
        try:
            conditions.update(rule_conditions(rule, as_of, calendar))
        except Exception as exc:  # noqa: BLE001 - stop this rule, not the night's run
            errors[rule.id] = f"cannot be compiled: {exc}"
    return conditions


def _evaluation(conditions: dict[str, dict], errors: dict[str, str]) -> Evaluation:
    """A ruleset durable-rules accepts: a rule it rejects is named in ``errors`` and left out."""
    while True:
        try:
            return Evaluation(conditions)
        except EngineError as exc:
            if exc.rule is None:
                raise
            culprit = rule_of(exc.rule)
            errors[culprit] = str(exc)
            conditions = {k: v for k, v in conditions.items() if rule_of(k) != culprit}


@dataclass
class PlanReport:
    plan: str
    path: str
    facts_in: int = 0
    evaluated: int = 0
    rerouted: int = 0
    matches: int = 0
    findings: int = 0


@dataclass
class RunReport:
    as_of: dt.date
    rules: int = 0
    conditions: int = 0
    plans: list[PlanReport] = field(default_factory=list)
    rule_errors: dict[str, str] = field(default_factory=dict)  # rules stopped, and why

    @property
    def facts_in(self) -> int:
        return sum(p.facts_in for p in self.plans)

    @property
    def evaluated(self) -> int:
        return sum(p.evaluated for p in self.plans)

    @property
    def findings(self) -> int:
        return sum(p.findings for p in self.plans)

    def as_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "rules": self.rules,
            "conditions": self.conditions,
            "facts_in": self.facts_in,
            "evaluated": self.evaluated,
            "findings": self.findings,
            "plans": [vars(p) for p in self.plans],
            "rule_errors": dict(sorted(self.rule_errors.items())),
        }


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _finding(rule: Rule, key: str, fact: RuleFact, folder: PlanFolder, as_of: dt.date, steps: set[int]) -> Finding:
    values = fact.values
    missing_data = key.endswith(MISSING_SUFFIX)
    missing = [n for n in rule.checked_missing if n not in values] if missing_data else []
    context = {**values, "rule": rule.id, "rule_title": rule.title, "as_of": as_of, "missing": ", ".join(missing)}
    try:
        message = render_message(rule.missing_message if missing_data else rule.message, context)
    except Exception as exc:  # noqa: BLE001 - a message that cannot be written stops the rule
        raise EngineError(f"its message cannot be written for {fact.subject}: {exc}", rule.id) from None
    return Finding(
        rule=rule.id,
        title=rule.title,
        kind="thieu-du-lieu" if missing_data else "vi-pham",
        plan=folder.plan.key,
        plan_path=folder.path,
        fact_kind=fact.kind,  # type: ignore[arg-type]
        subject=fact.subject,
        subject_title=str(values.get("title") or values.get("text") or values.get("name") or ""),
        unit=values.get("unit", ""),
        severity=_severity(rule, missing_data, steps),  # type: ignore[arg-type]
        message=" ".join(message.split()),
        values={n: _json_value(values[n]) for n in rule.reads if n in values},
        missing=missing,
        fact={k: _json_value(v) for k, v in values.items()},
    )


def _severity(rule: Rule, missing_data: bool, steps: set[int]) -> str:
    """The highest rung of the rule's ladder whose condition held (the ladder climbs)."""
    if missing_data:
        return rule.missing_severity
    return rule.escalate[max(steps)][1] if steps else rule.severity


class Checker:
    """The rules in force on one date, compiled once and registered with durable-rules once;
    then one plan at a time (``plan``). ``check`` drives it over many plans."""

    def __init__(self, rules: list[Rule], as_of: dt.date, calendar: WorkCalendar = DEFAULT) -> None:
        self.as_of = as_of
        self.calendar = calendar
        self.rules = in_force(rules, as_of)
        self.errors: dict[str, str] = {}  # rules stopped, and why
        conditions = compile_rules(self.rules, as_of, self.errors, calendar)
        self.by_id = {r.id: r for r in self.rules}
        # What rules compute from a fact (weekday(due), due - 5 working days), per fact kind.
        self.terms = {
            kind: terms_needed(kind, [e for r in self.rules if r.fact == kind for e in rule_expressions(r)], as_of, calendar)
            for kind in {r.fact for r in self.rules}
        }
        # durable-rules gets only the fields some condition reads (messages are written from the
        # whole fact, in Python): fewer properties to serialise and match per fact.
        self.read = {
            kind: {name for r in self.rules if r.fact == kind for e in rule_expressions(r) for name in _names(e)}
            for kind in self.terms
        }
        self.evaluation = _evaluation(conditions, self.errors)

    def report(self) -> "RunReport":
        return RunReport(
            as_of=self.as_of, rules=len(self.rules), conditions=len(self.evaluation.keys), rule_errors=self.errors
        )

    def _encoded(self, fid: int, fact: RuleFact) -> dict[str, Any]:
        """A fact as durable-rules receives it, with the values the rules compute from it."""
        read = self.read.get(fact.kind, set())
        values = {k: encode(v) for k, v in fact.values.items()}
        encoded = {"fid": fid, "kind": fact.kind, **{k: v for k, v in values.items() if k in read}}
        for term in self.terms.get(fact.kind, ()):
            try:
                encoded[term.name] = value(term.expr, values, self.as_of, self.calendar)
            except Absent:
                pass  # a field it reads is missing: the guarded comparison is false, as the reference says
        return encoded

    def plan(self, folder: PlanFolder, index: int) -> tuple[list[Finding], PlanReport]:
        """One plan's findings (rules stopped so far included: ``check`` drops them at the end)."""
        as_of, errors = self.as_of, self.errors
        facts = rule_facts(folder, as_of, self.calendar)
        encoded = [self._encoded(fid, f) for fid, f in enumerate(facts, start=1)]
        result = self.evaluation.evaluate(f"plan-{index}", encoded)
        steps: dict[tuple[str, int], set[int]] = {}
        hits = []
        for key, fid in result.matches:
            if STEP_MARK in key:
                rule_id, step = key.split(STEP_MARK)
                steps.setdefault((rule_id, fid), set()).add(int(step))
            else:
                hits.append((key, fid))
        plan_findings = []
        for key, fid in hits:
            rule = self.by_id[rule_of(key)]
            # Ladder steps raise the rule's own finding, never its missing-data companion.
            held = set() if key.endswith(MISSING_SUFFIX) else steps.pop((rule.id, fid), set())
            try:
                plan_findings.append(_finding(rule, key, facts[fid - 1], folder, as_of, held))
            except EngineError as exc:
                errors.setdefault(rule.id, str(exc))
        if steps:  # a step holds only where its rule holds: anything left is an engine fault
            raise EngineError(f"ladder steps matched without their rule: {sorted(steps)[:5]}")
        failed = sum(1 for key, _ in hits if rule_of(key) in errors)
        if len(plan_findings) + failed < len(hits):
            raise EngineError(f"{len(hits)} matches gave {len(plan_findings)} findings")
        report = PlanReport(
            plan=folder.plan.key,
            path=folder.path,
            facts_in=len(facts),
            evaluated=result.evaluated,
            rerouted=result.rerouted,
            matches=len(hits),
            findings=len(plan_findings),
        )
        return plan_findings, report


def check(
    folders: list[PlanFolder], rules: list[Rule], as_of: dt.date, calendar: WorkCalendar = DEFAULT
) -> tuple[list[Finding], RunReport]:
    """Evaluate every plan against the rules in force; findings in a stable order."""
    checker = Checker(rules, as_of, calendar)
    report = checker.report()
    findings: list[Finding] = []
    for index, folder in enumerate(folders):
        plan_findings, plan_report = checker.plan(folder, index)
        findings.extend(plan_findings)
        report.plans.append(plan_report)
    errors = checker.errors
    # A rule stopped on any plan is stopped on all: never a partial answer for a rule.
    findings = [f for f in findings if f.rule not in errors]
    per_plan = Counter(f.plan_path for f in findings)
    for plan in report.plans:
        plan.findings = per_plan[plan.path]
    findings.sort(key=Finding.sort_key)
    return findings, report
