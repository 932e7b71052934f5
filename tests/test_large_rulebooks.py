"""Rule books of any size: 2,000 rules run in durable-rules, split over rulesets below its limits,
and give exactly what the reference evaluator says, on the example plans."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from dondoc.engine import durable_adapter
from dondoc.engine.expression import And, Arith, Compare, Expr, Field, In, Literal, Missing
from dondoc.engine.reference import holds, truth
from dondoc.engine.rulebook import Rule
from dondoc.engine.run import Checker, rule_conditions
from dondoc.facts.derive import rule_facts
from dondoc.facts.planfolder import read_plan_folder

AS_OF = dt.date(2026, 11, 22)
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
OPEN = Compare("!=", Field("status"), Literal("hoàn thành"))


def _rule(i: int, kind: str, condition: Expr, scope: Expr | None = None, ladder=(), missing=()) -> Rule:
    return Rule(
        id=f"sinh-{i:04d}",
        title=f"Quy tắc sinh {i}",
        fact=kind,
        scope=scope,
        condition=condition,
        severity="nhắc nhở",
        message="{{ rule_title }}: {{ unit }}",
        missing_severity="nhắc nhở",
        missing_message="Thiếu {{ missing }}",
        doc="",
        path="sinh.yaml",
        line=i + 1,
        checked_missing=tuple(missing),
        escalate=tuple(ladder),
    )


def generated_rules(n: int) -> list[Rule]:
    """n rules over every fact kind, with scopes, 'or's, 'in', arithmetic, ladders and
    missing-data companions; thresholds spread so that some fire and most do not."""
    rules = []
    for i in range(n):
        k = (i * 37) % 400
        shape = i % 6
        if shape == 0:
            cond = And((OPEN, Compare(">", Field("days_overdue"), Literal(k))))
            ladder = [(Compare(">=", Field("days_overdue"), Literal(k + 15)), "cảnh báo")]
            rules.append(_rule(i, "task", cond, Missing(Field("due"), negated=True), ladder, ["days_overdue"]))
        elif shape == 1:
            cond = And((OPEN, Compare("<=", Field("days_left"), Literal(k % 60))))
            rules.append(_rule(i, "task", cond, In(Field("deadline_kind"), (Literal("due"), Literal("window"))), missing=["days_left"]))
        elif shape == 2:
            cond = Compare("<", Field("actual"), Arith("-", Field("value"), Literal(k % 13)))
            missing = ["actual"] if i % 60 == 2 else []
            rules.append(_rule(i, "target", cond, Compare("==", Field("is_reduction"), Literal(False)), missing=missing))
        elif shape == 3:
            cond = Compare(">", Field("days_overdue"), Literal(k))
            rules.append(_rule(i, "occurrence", And((OPEN, cond)), missing=["days_overdue"]))
        elif shape == 4:
            cond = Compare("<", Field("time_reduction"), Arith("-", Field("time_target"), Literal(k % 17)))
            rules.append(_rule(i, "procedure", cond, missing=["time_reduction", "time_target"]))
        else:
            cond = Compare(">", Field("reports"), Literal(k % 40))
            rules.append(_rule(i, "task", cond, Compare("==", Field("deadline_kind"), Literal("continuous"))))
    return rules


def expected(rules: list[Rule], folders) -> Counter:
    """What the reference evaluator says each rule finds, computed here without the engine:
    a finding where the condition is true, a missing-data finding where it is unknown."""
    found: Counter = Counter()
    for folder in folders:
        for fact in rule_facts(folder, AS_OF):
            values = fact.values
            for rule in rules:
                if rule.fact != fact.kind or (rule.scope is not None and not holds(rule.scope, values, AS_OF)):
                    continue
                verdict = truth(rule.condition, values, AS_OF)
                if verdict is not False:
                    found[(rule.id, fact.subject, values["unit"], "vi-pham" if verdict else "thieu-du-lieu")] += 1
    return found


def test_two_thousand_rules_run_split_over_rulesets_and_agree_with_the_reference():
    rules = generated_rules(2000)
    folders = [read_plan_folder(p) for p in sorted(EXAMPLES.glob("*-2026"))]
    checker = Checker(rules, AS_OF)
    assert checker.errors == {}
    rulesets = checker.evaluation.rulesets
    assert len(rulesets) > 10
    assert sorted(k for r in rulesets for k in r.keys) == sorted(checker.evaluation.keys)
    conditions = {k: v for rule in rules for k, v in rule_conditions(rule, AS_OF).items()}
    assert len(conditions) == len(checker.evaluation.keys) > 3500
    for size in durable_adapter.ruleset_sizes(conditions):
        assert all(size[name] <= durable_adapter.BUDGET[name] for name in durable_adapter.BUDGET)
    findings, reports = [], []
    for index, folder in enumerate(folders):  # the proof against the reference runs inside
        plan_findings, report = checker.plan(folder, index)
        findings += plan_findings
        reports.append(report)
    assert checker.errors == {}
    assert Counter((f.rule, f.subject, f.unit, f.kind) for f in findings) == expected(rules, folders)
    assert 1000 < len(findings) < 10_000  # some fire (or cannot be worked out), most do not
    assert all(r.evaluated == r.facts_in for r in reports)
    assert sum(r.verdicts for r in reports) > 100_000


def _huge_rule_file(folder: Path) -> Path:
    branches = " or ".join(f"days_overdue > {i}" for i in range(40))
    folder.mkdir()
    (folder / "lon.yaml").write_text(
        "rules:\n"
        "  - id: nho\n    title: Nhỏ\n    fact: task\n    condition: days_overdue > 0\n"
        "    severity: cảnh báo\n    message: x\n"
        f"  - id: qua-lon\n    title: Quá lớn\n    fact: task\n    condition: {branches}\n"
        "    severity: cảnh báo\n    message: x\n",
        encoding="utf-8",
    )
    return folder


def test_rules_check_reports_the_size_limits_the_engine_has(tmp_path):
    from click.testing import CliRunner

    from dondoc.cli import main

    rules = _huge_rule_file(tmp_path / "rules")
    result = CliRunner().invoke(main, ["rules", "check", str(rules)])
    assert result.exit_code == 2
    assert "lon.yaml:8: quy tắc 'qua-lon' không chạy được" in result.output
    assert "too large for durable-rules: stack 40 (the engine keeps it at 32 or less; durable-rules fails above 64)" in result.output
    # the engine stops the same rule, names it, and runs the other (exit 3)
    tiny = Path(__file__).parent / "fixtures" / "tiny"
    result = CliRunner().invoke(main, ["check", str(tiny), "--as-of", "2026-11-22", "--rules", str(rules), "--json"])
    assert result.exit_code == 3
    assert "qua-lon" in result.output and "too large for durable-rules" in result.output
