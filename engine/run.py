"""A check: rules evaluated by durable-rules over plan facts, as of one date.

    facts (facts/derive.py) -> conditions (engine/compile.py) -> durable-rules
    (engine/durable_adapter.py) -> findings (engine/findings.py)

The run report counts, for each plan, the facts that went in, the facts the
engine evaluated and the findings that came out; a mismatch fails the run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from engine.compile import Compiler, encode, kind_test
from engine.durable_adapter import EngineError, Evaluation
from engine.findings import Finding
from engine.rulebook import Rule, render_message
from facts.derive import RuleFact, rule_facts
from facts.models import PlanFolder

MISSING_SUFFIX = "#thieu-du-lieu"


def compile_rules(rules: list[Rule], as_of: dt.date) -> dict[str, dict]:
    """Each rule's durable-rules condition, and its missing-data companion where it has one."""
    conditions: dict[str, dict] = {}
    for rule in rules:
        compiler = Compiler(rule.fact, as_of)
        head = [kind_test(rule.fact)] + ([compiler.condition(rule.scope)] if rule.scope else [])
        try:
            conditions[rule.id] = {"$and": head + [compiler.condition(rule.condition)]}
        except Exception as exc:
            raise EngineError(f"cannot be compiled: {exc}", rule.id) from None
        if rule.checked_missing:
            absent = [{"$nex": {name: 1}} for name in rule.checked_missing]
            conditions[rule.id + MISSING_SUFFIX] = {"$and": head + [{"$or": absent}]}
    return conditions


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
        }


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _finding(rule: Rule, key: str, fact: RuleFact, folder: PlanFolder, as_of: dt.date) -> Finding:
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
        severity=rule.missing_severity if missing_data else rule.severity,  # type: ignore[arg-type]
        message=" ".join(message.split()),
        values={n: _json_value(values[n]) for n in rule.reads if n in values},
        missing=missing,
        fact={k: _json_value(v) for k, v in values.items()},
    )


def check(folders: list[PlanFolder], rules: list[Rule], as_of: dt.date) -> tuple[list[Finding], RunReport]:
    """Evaluate every plan against the rules in force; findings in a stable order."""
    conditions = compile_rules(rules, as_of)
    by_id = {r.id: r for r in rules}
    evaluation = Evaluation(conditions)
    report = RunReport(as_of=as_of, rules=len(rules), conditions=len(conditions))
    findings: list[Finding] = []
    for index, folder in enumerate(folders):
        facts = rule_facts(folder, as_of)
        encoded = [
            {"fid": fid, "kind": f.kind, **{k: encode(v) for k, v in f.values.items()}}
            for fid, f in enumerate(facts, start=1)
        ]
        result = evaluation.evaluate(f"plan-{index}", encoded)
        plan_findings = []
        for key, fid in result.matches:
            rule = by_id[key.removesuffix(MISSING_SUFFIX)]
            plan_findings.append(_finding(rule, key, facts[fid - 1], folder, as_of))
        findings.extend(plan_findings)
        report.plans.append(
            PlanReport(
                plan=folder.plan.key,
                path=folder.path,
                facts_in=len(facts),
                evaluated=result.evaluated,
                rerouted=result.rerouted,
                matches=len(result.matches),
                findings=len(plan_findings),
            )
        )
        if len(plan_findings) != len(result.matches):
            raise EngineError(f"{len(result.matches)} matches gave {len(plan_findings)} findings")
    findings.sort(key=Finding.sort_key)
    return findings, report
