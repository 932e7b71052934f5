"""The adapter contains every trap of durable-rules 2.0.28 (../shared/durable-rules.md)."""

from __future__ import annotations

import pytest
from durable import engine as durable

from dondoc.engine import durable_adapter
from dondoc.engine.durable_adapter import EngineError, Evaluation

OVERDUE = {"overdue": {"$and": [{"kind": "task"}, {"$gt": {"days_overdue": 0}}]}}


def _tasks(n: int, overdue_every: int = 3) -> list[dict]:
    return [
        {"fid": i, "kind": "task", "days_overdue": 5 if i % overdue_every == 0 else -1}
        for i in range(1, n + 1)
    ]


def test_every_fact_is_evaluated_even_when_no_rule_matches_it():
    # Trap 1: a fact matching no rule would raise and not be stored; the catch-all counts it.
    result = Evaluation(OVERDUE).evaluate("plan", _tasks(30))
    assert result.facts_in == 30
    assert result.evaluated == 30
    assert sorted(fid for _, fid in result.matches) == list(range(3, 31, 3))


def test_a_real_collision_is_the_exception_the_adapter_reroutes():
    # Trap 2: durable-rules refuses a fact it believes it has seen with MessageObservedException.
    evaluation = Evaluation(OVERDUE)
    fact = {"fid": 1, "kind": "task", "days_overdue": 1, "sid": "s"}
    evaluation.host.assert_fact(evaluation.name, fact)
    with pytest.raises(durable.MessageObservedException):
        evaluation.host.assert_fact(evaluation.name, dict(fact))
    evaluation.host.delete_state(evaluation.name, "s")


def test_a_fact_refused_as_already_observed_goes_to_an_overflow_session(monkeypatch):
    evaluation = Evaluation(OVERDUE)
    real = Evaluation._assert
    refused = []

    def colliding(self, sid, fact):
        if fact["fid"] == 6 and not refused:
            refused.append(sid)
            raise durable.MessageObservedException(fact)
        return real(self, sid, fact)

    monkeypatch.setattr(Evaluation, "_assert", colliding)
    result = evaluation.evaluate("plan", _tasks(9))
    assert refused == ["plan"]
    assert result.rerouted == 1 and result.sessions == 2
    assert result.evaluated == 9
    assert ("overdue", 6) in result.matches


def test_batches_are_never_used(monkeypatch):
    # Trap 3: assert_facts loses matches, so the adapter must not call it.
    monkeypatch.setattr(durable.Host, "assert_facts", lambda *a, **k: pytest.fail("batch used"))
    result = Evaluation(OVERDUE).evaluate("plan", _tasks(12))
    assert len(result.matches) == 4


def test_an_error_inside_an_action_fails_the_run_naming_the_rule(monkeypatch):
    # Trap 4: durable-rules swallows action errors into the session state.
    def broken(self, key):
        def run(c):
            raise RuntimeError("boom")

        return run

    monkeypatch.setattr(Evaluation, "_action", broken)
    with pytest.raises(EngineError, match="durable-rules reported an error"):
        Evaluation(OVERDUE).evaluate("plan", _tasks(3))


def test_an_error_recorded_by_our_action_names_the_rule(monkeypatch):
    class Broken(list):
        def append(self, item):
            raise RuntimeError("boom")

    evaluation = Evaluation(OVERDUE)
    monkeypatch.setattr(evaluation, "_fired", Broken())  # recording a match now fails
    with pytest.raises(EngineError, match="rule 'overdue': its action failed"):
        evaluation.evaluate("plan", _tasks(3))


def test_two_evaluations_of_the_same_rules_in_one_process():
    # Trap 5: a ruleset name can be registered once per host; each Evaluation has its own.
    first = Evaluation(OVERDUE).evaluate("plan", _tasks(3))
    second = Evaluation(OVERDUE).evaluate("plan", _tasks(3))
    assert first.matches == second.matches == [("overdue", 3)]


def test_a_fact_with_too_many_fields_is_a_clear_error():
    # Trap 6: at most 255 properties per fact.
    fact = {"fid": 1, "kind": "task", **{f"f{i}": i for i in range(300)}}
    with pytest.raises(EngineError, match="at most 250"):
        Evaluation(OVERDUE).evaluate("plan", [fact])


def test_the_host_runs_no_background_dispatch_thread():
    # Trap 7: delete_state raced the dispatch thread; ours starts none.
    evaluation = Evaluation(OVERDUE)
    assert not hasattr(evaluation.host, "_d_timer")
    assert not hasattr(evaluation.host, "_t_timer")


def test_more_plans_than_durable_rules_keeps_sessions_for():
    # Trap 9: 1,024 live sessions at most; each plan's session is deleted when it is done.
    evaluation = Evaluation(OVERDUE)
    for plan in range(1100):
        result = evaluation.evaluate(f"plan-{plan}", _tasks(3))
        assert result.evaluated == 3


def test_a_rule_durable_rules_rejects_is_named():
    rules = {**OVERDUE, "negated": {"$not": {"$lt": {"days_overdue": 1}}}}
    with pytest.raises(EngineError) as error:
        Evaluation(rules)
    assert error.value.rule == "negated"


def test_duplicate_fact_ids_are_refused():
    with pytest.raises(EngineError, match="share one fid"):
        Evaluation(OVERDUE).evaluate("plan", [{"fid": 1, "kind": "task"}, {"fid": 1, "kind": "task"}])


def test_the_adapter_is_the_only_module_that_imports_durable_rules():
    from pathlib import Path

    root = Path(durable_adapter.__file__).resolve().parent.parent
    offenders = [
        str(p.relative_to(root))
        for folder in ("engine", "facts", "templates")
        for p in (root / folder).rglob("*.py")
        if "from durable" in p.read_text(encoding="utf-8") or "import durable" in p.read_text(encoding="utf-8")
    ]
    assert offenders == ["engine/durable_adapter.py"]


def test_a_real_hash_collision_in_a_large_session_loses_no_fact():
    # Trap 2 for real: 100,000 distinct facts in one session make durable-rules refuse one
    # as "already observed" (a 32-bit hash collision). The adapter reroutes it; none is lost.
    facts = [{"fid": i, "kind": "task", "days_overdue": i % 7 - 3, "title": f"Nhiệm vụ {i}"} for i in range(1, 100_001)]
    result = Evaluation(OVERDUE).evaluate("big", facts)
    assert result.rerouted >= 1  # the collision happened, so the overflow path really ran
    assert result.evaluated == 100_000
    assert len(result.matches) == sum(1 for f in facts if f["days_overdue"] > 0)
