"""Every run proves its result: durable-rules' verdict on each (condition, fact) pair is the
reference evaluator's, or the run stops with exit 2, naming the pair, and writes nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dondoc.cli import main
from dondoc.engine import durable_adapter, run as engine_run
from dondoc.engine.durable_adapter import Evaluation
from dondoc.errors import EngineError
from dondoc.engine.rulebook import load_rules
from dondoc.engine.run import Checker
from dondoc.night import evaluate as check
from dondoc.facts.planfolder import read_plan_folder

TINY = Path(__file__).parent / "fixtures" / "tiny"
AS_OF = dt.date(2026, 11, 22)


def _check(*args):
    return CliRunner().invoke(main, ["check", str(TINY), "--as-of", "2026-11-22", *map(str, args)], catch_exceptions=False)


@pytest.fixture
def dropped_match(monkeypatch):
    """durable-rules 'loses' its first match of nhiem-vu-qua-han: the action never records it."""
    real = Evaluation._action

    def losing(self, key):
        record = real(self, key)
        lost = []

        def run(c):
            if key == "nhiem-vu-qua-han" and not lost:
                lost.append(c._m["m"]["fid"])
                return
            record(c)

        return run

    monkeypatch.setattr(Evaluation, "_action", losing)


def test_a_match_lost_inside_the_adapter_stops_the_run_with_exit_2_and_nothing_written(dropped_match, tmp_path):
    out = tmp_path / "out"
    result = _check("--out", out)
    assert result.exit_code == 2
    assert "durable-rules and the reference evaluator disagree on task:1 (Phòng Kinh tế)" in result.output
    assert "'nhiem-vu-qua-han' holds for the reference, not for durable-rules" in result.output
    assert not out.exists()


def test_without_the_proof_the_same_lost_match_would_pass_with_exit_0(dropped_match, monkeypatch, tmp_path):
    # The proof is what catches it: with the comparison taken out, the finding silently vanishes.
    def unproven(self, label, encoded, matches, subjects):
        by_fact: dict[int, set[str]] = {}
        for key, i in matches:
            by_fact.setdefault(i, set()).add(key)
        return sorted(by_fact.items())

    monkeypatch.setattr(Checker, "_prove", unproven)
    out = tmp_path / "out"
    result = _check("--out", out)
    assert result.exit_code == 0
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert [f["rule"] for f in findings] == ["chi-tieu-toi-thieu"]  # nhiem-vu-qua-han is lost


def test_a_match_the_reference_does_not_make_stops_the_run(monkeypatch, tmp_path):
    real = Evaluation.evaluate

    def extra(self, session, facts, names=None):
        result = real(self, session, facts, names)
        target = next(i for i, f in enumerate(facts) if f["kind"] == "target")
        result.matches.append(("chi-tieu-toi-da", target))
        return result

    monkeypatch.setattr(Evaluation, "evaluate", extra)
    result = _check("--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "disagree on target:CT01" in result.output
    assert "'chi-tieu-toi-da' holds for durable-rules, not for the reference" in result.output
    assert not (tmp_path / "out").exists()


def test_a_match_for_a_fact_that_was_not_asserted_stops_the_run(monkeypatch):
    real = Evaluation.evaluate

    def ghost(self, session, facts, names=None):
        result = real(self, session, facts, names)
        result.matches.append(("nhiem-vu-qua-han", len(facts)))
        return result

    monkeypatch.setattr(Evaluation, "evaluate", ghost)
    with pytest.raises(EngineError, match="matched facts that were not asserted"):
        check([read_plan_folder(TINY)], load_rules(), AS_OF)


def test_every_verdict_is_counted_in_the_run_report(tmp_path):
    result = _check("--out", tmp_path / "out")
    assert result.exit_code == 0
    plan = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))["plans"][0]
    checker = Checker(load_rules(), AS_OF)
    per_kind = checker.verdicts.per_kind
    # two tasks and one target, each against every condition of its kind
    assert plan["verdicts"] == 2 * per_kind["task"] + per_kind["target"] > 0
    assert plan["facts_in"] == plan["evaluated"] == 3 and plan["nothing_to_check"] is False


def test_a_plan_with_nothing_to_check_is_reported_and_the_others_still_run():
    tiny = read_plan_folder(TINY)
    empty = tiny.model_copy(
        update={"path": "empty", "tasks": [], "targets": [], "progress": [], "measurements": [], "procedures": []}
    )
    findings, report = check([empty, tiny, empty.model_copy(update={"path": "empty-2"})], load_rules(), AS_OF)
    assert [(p.path, p.facts_in, p.nothing_to_check) for p in report.plans] == [
        ("empty", 0, True),
        (str(TINY), 3, False),
        ("empty-2", 0, True),
    ]
    assert [f.rule for f in findings] == ["nhiem-vu-qua-han", "chi-tieu-toi-thieu"]


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_a_non_finite_number_never_reaches_durable_rules(monkeypatch, tmp_path, value):
    # A second line of defence behind the facts readers: the adapter refuses it, naming the fact.
    real = engine_run.rule_facts

    def poisoned(folder, as_of, calendar, past=None):
        facts = real(folder, as_of, calendar, past)
        return [
            type(f)(f.kind, f.subject, {**f.values, "actual": value}) if f.kind == "target" else f for f in facts
        ]

    monkeypatch.setattr(engine_run, "rule_facts", poisoned)
    out = tmp_path / "out"
    result = _check("--out", out)
    assert result.exit_code == 2
    assert f"{TINY}, target:CT01 (Văn phòng HĐND và UBND xã): field 'actual' is" in result.output
    assert "not a finite number" in result.output
    assert not out.exists()


def test_the_shipped_rules_fit_one_ruleset_per_kind():
    checker = Checker(load_rules(), AS_OF)
    kinds = [durable_adapter.kind_of(checker_condition) for checker_condition in _conditions(checker)]
    assert len(checker.evaluation.rulesets) == len(set(kinds))


def _conditions(checker: Checker) -> list[dict]:
    conditions = engine_run.compile_rules(checker.rules, AS_OF, {})
    return list(conditions.values())
