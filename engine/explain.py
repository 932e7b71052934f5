"""Why a rule fires or not on each fact (`dondoc rules explain`), and what no rule checks.

The reference evaluator gives each sub-condition's value; the real engine's
verdict is shown beside it, and any disagreement is reported, not hidden.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from dondoc.engine.compile import encode
from dondoc.engine.expression import And, Expr, Not, Or, fields_of, to_text
from dondoc.engine.reference import holds
from dondoc.engine.rulebook import Rule, format_value, in_force
from dondoc.engine.run import check
from dondoc.facts.derive import RuleFact, rule_facts
from dondoc.facts.models import PlanFolder


@dataclass
class Line:
    depth: int
    text: str


@dataclass
class FactExplanation:
    fact: RuleFact
    in_scope: bool
    fires: bool  # by the reference
    engine: str  # what durable-rules found: "vi-pham", "thieu-du-lieu" or ""
    missing: list[str]
    severity: str = ""
    lines: list[Line] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        expected = "vi-pham" if self.fires else ("thieu-du-lieu" if self.missing and self.in_scope else "")
        return self.engine == expected


def _values(node: Expr, fact: dict[str, Any]) -> str:
    names = list(dict.fromkeys(f.name for f in fields_of(node) if f.name != "as_of"))
    shown = [f"{n} = {format_value(fact[n]) if n in fact else 'không có (missing)'}" for n in names]
    return "  [" + "; ".join(shown) + "]" if shown else ""


def _tree(node: Expr, encoded: dict, raw: dict, as_of: dt.date, depth: int, out: list[Line]) -> None:
    mark = "✓" if holds(node, encoded, as_of) else "✗"
    if isinstance(node, (And, Or)):
        word = "tất cả (and)" if isinstance(node, And) else "một trong (or)"
        out.append(Line(depth, f"{mark} {word}:"))
        for item in node.items:
            _tree(item, encoded, raw, as_of, depth + 1, out)
    elif isinstance(node, Not):
        out.append(Line(depth, f"{mark} không (not):"))
        _tree(node.item, encoded, raw, as_of, depth + 1, out)
    else:
        out.append(Line(depth, f"{mark} {to_text(node)}{_values(node, raw)}"))


def explain(rule: Rule, folder: PlanFolder, as_of: dt.date) -> list[FactExplanation]:
    """For each fact of the rule's kind: in scope, fires, each sub-condition, and the engine's answer."""
    findings, _ = check([folder], [rule], as_of)
    found = {(f.subject, f.unit): f for f in findings}
    out = []
    for fact in rule_facts(folder, as_of):
        if fact.kind != rule.fact:
            continue
        encoded = {k: encode(v) for k, v in fact.values.items()}
        in_scope = rule.scope is None or holds(rule.scope, encoded, as_of)
        fires = in_scope and holds(rule.condition, encoded, as_of)
        missing = [n for n in rule.checked_missing if n not in fact.values] if in_scope else []
        finding = found.get((fact.subject, fact.values["unit"]))
        item = FactExplanation(
            fact=fact,
            in_scope=in_scope,
            fires=fires,
            engine=finding.kind if finding else "",
            missing=missing,
            severity=finding.severity if finding else "",
        )
        if rule.scope is not None:
            _tree(rule.scope, encoded, fact.values, as_of, 1, item.lines)
            item.lines.insert(0, Line(0, "phạm vi (scope):"))
        if in_scope:
            item.lines.append(Line(0, "điều kiện (condition):"))
            _tree(rule.condition, encoded, fact.values, as_of, 1, item.lines)
            for when, severity in rule.escalate:
                item.lines.append(Line(0, f"thang mức độ → {severity}:"))
                _tree(when, encoded, fact.values, as_of, 1, item.lines)
        out.append(item)
    return out


@dataclass
class Uncovered:
    subject: str
    title: str
    why: str


def coverage(rules: list[Rule], folder: PlanFolder, as_of: dt.date) -> list[Uncovered]:
    """The plan's tasks and targets that no rule in force checks."""
    rules = in_force(rules, as_of)
    gaps: list[Uncovered] = []
    seen: set[str] = set()
    for fact in rule_facts(folder, as_of):
        if fact.kind not in ("task", "target") or fact.subject in seen:
            continue
        seen.add(fact.subject)
        encoded = {k: encode(v) for k, v in fact.values.items()}
        title = str(fact.values.get("title") or fact.values.get("text"))
        if fact.values.get("is_reduction"):
            target = next(t for t in folder.targets if f"target:{t.id}" == fact.subject)
            wanted = f"{target.reduction}_target"
            readers = [r.id for r in rules if r.fact == "procedure" and wanted in r.reads]
            if not readers:
                gaps.append(Uncovered(fact.subject, title, f"no procedure rule reads {wanted}"))
            elif not folder.procedures:
                gaps.append(Uncovered(fact.subject, title, "a '03 giảm' target, but procedures.csv is empty"))
            continue
        applies = [r for r in rules if r.fact == fact.kind and (r.scope is None or holds(r.scope, encoded, as_of))]
        if not applies:
            gaps.append(Uncovered(fact.subject, title, f"no rule for {fact.kind} facts like this one"))
    return gaps
