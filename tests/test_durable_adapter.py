"""The adapter contains every trap of durable-rules 2.0.28 (../shared/durable-rules.md)."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest
from durable import engine as durable

from dondoc.engine import durable_adapter
from dondoc.engine.durable_adapter import Evaluation
from dondoc.errors import EngineError

OVERDUE = {"overdue": {"$and": [{"kind": "task"}, {"$gt": {"days_overdue": 0}}]}}


def _tasks(n: int, overdue_every: int = 3) -> list[dict]:
    """n task facts; fact i (0-based) is overdue when i + 1 is a multiple of ``overdue_every``."""
    return [{"kind": "task", "days_overdue": 5 if i % overdue_every == 0 else -1} for i in range(1, n + 1)]


def test_every_fact_is_evaluated_even_when_no_rule_matches_it():
    # Trap 1: a fact matching no rule raises MessageNotHandledException: that is the verdict.
    result = Evaluation(OVERDUE).evaluate("plan", _tasks(30))
    assert result.facts_in == 30
    assert result.evaluated == 30
    assert sorted(i for _, i in result.matches) == list(range(2, 30, 3))


def test_a_real_collision_is_the_exception_the_adapter_reroutes():
    # Trap 2: durable-rules refuses a fact it believes it has seen with MessageObservedException.
    evaluation = Evaluation(OVERDUE)
    name = evaluation.rulesets[0].name
    fact = {"fid": 1, "kind": "task", "days_overdue": 1, "sid": "s"}
    evaluation.host.assert_fact(name, fact)
    with pytest.raises(durable.MessageObservedException):
        evaluation.host.assert_fact(name, dict(fact))
    evaluation.host.delete_state(name, "s")
    # The adapter's own calls into the engine (Evaluation._post) read the same verdict.
    ruleset = evaluation.rulesets[0]
    assert evaluation._post(ruleset, fact) == durable_adapter.STORED
    assert evaluation._post(ruleset, dict(fact)) == durable_adapter.OBSERVED
    evaluation.host.delete_state(name, "s")


def test_the_adapter_fires_what_durable_rules_own_python_layer_fires():
    # Evaluation._post makes durable-rules' own calls without its per-fact objects: the same
    # (rule, fact) pairs, an 'or' firing once per branch that holds (trap 13) included.
    conditions = {
        **OVERDUE,
        "either": {"$or": [{"$gt": {"days_overdue": 0}}, {"$gt": {"days_overdue": 3}}]},
        "late": {"$lt": {"days_overdue": 0}},
    }
    facts = [{**fact, "fid": i, "sid": "s"} for i, fact in enumerate(_tasks(12))]
    evaluation = Evaluation(conditions)
    ours = []
    for ruleset in evaluation.rulesets:
        for fact in facts:
            evaluation._post(ruleset, fact)
        ours += evaluation._fired
        evaluation._fired.clear()
        evaluation.host.delete_state(ruleset.name, "s")
    theirs = []
    for ruleset in evaluation.rulesets:
        for fact in facts:
            try:
                evaluation.host.assert_fact(ruleset.name, fact)
            except durable.MessageNotHandledException:
                pass
        theirs += evaluation._fired
        evaluation._fired.clear()
        evaluation.host.delete_state(ruleset.name, "s")
    assert sorted(ours) == sorted(theirs)
    assert sum(1 for key, _ in ours if key == "either") == 8  # 4 overdue facts, both branches hold


def test_a_fact_refused_as_already_observed_goes_to_an_overflow_session(monkeypatch):
    evaluation = Evaluation(OVERDUE)
    real = evaluation._post
    refused = []

    def colliding(ruleset, fact):
        if fact["fid"] == 5 and not refused:
            refused.append(fact["sid"])
            return durable_adapter.OBSERVED
        return real(ruleset, fact)

    monkeypatch.setattr(evaluation, "_post", colliding)
    result = evaluation.evaluate("plan", _tasks(9))
    assert refused == [durable_adapter.SESSION]
    assert result.rerouted == 1 and result.sessions == 2
    assert result.evaluated == 9
    assert ("overdue", 5) in result.matches


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


def test_two_evaluations_of_the_same_rules_in_one_process():
    # Trap 5: a ruleset name can be registered once per host; each Evaluation has its own.
    first = Evaluation(OVERDUE).evaluate("plan", _tasks(3))
    second = Evaluation(OVERDUE).evaluate("plan", _tasks(3))
    assert first.matches == second.matches == [("overdue", 2)]


def test_a_fact_with_too_many_fields_is_a_clear_error():
    # Trap 6: at most 255 properties per fact.
    fact = {"kind": "task", **{f"f{i}": i for i in range(300)}}
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
    # Trap 2 for real: 100,000 distinct facts stored in one session (each matches, so each is
    # stored) make durable-rules refuse one as "already observed" (a 32-bit hash collision).
    # The adapter reroutes it; none is lost.
    facts = [{"kind": "task", "days_overdue": i % 11 + 1, "title": f"Nhiệm vụ {i}"} for i in range(1, 100_001)]
    result = Evaluation(OVERDUE).evaluate("big", facts)
    assert result.rerouted >= 1  # the collision happened, so the overflow path really ran
    assert result.evaluated == 100_000
    assert sorted(i for _, i in result.matches) == list(range(100_000))


@pytest.mark.parametrize(
    "value, shown",
    [(float("nan"), "nan, not a finite number"), (float("inf"), "inf, not a finite number"), (None, "None")],
)
def test_a_value_durable_rules_would_get_wrong_is_refused_naming_the_fact(value, shown):
    # Trap 11: nan matches nothing, inf fails the assertion, null reads as present.
    facts = _tasks(2) + [{"kind": "task", "plan": "05/KH-UBND", "task": "7", "days_overdue": value}]
    with pytest.raises(EngineError) as error:
        Evaluation(OVERDUE).evaluate("plans/gia-loc", facts)
    assert "plans/gia-loc, fact 2 (kind=task task=7): field 'days_overdue' is" in str(error.value)
    assert shown in str(error.value)


def test_a_plan_with_no_facts_opens_no_session():
    # Trap 12: reading the state of a session that never had a fact fails with error 309.
    result = Evaluation(OVERDUE).evaluate("empty", [])
    assert (result.facts_in, result.evaluated, result.sessions, result.matches) == (0, 0, 0, [])


def test_plans_whose_facts_match_nothing_neither_crash_nor_pile_up_sessions():
    # Trap 14: deleting a session where nothing was stored kills the process (segfault), and
    # undeleted sessions would reach the 1,024 limit: each plan reuses one session id.
    evaluation = Evaluation(OVERDUE)
    for plan in range(1100):
        facts = _tasks(3, overdue_every=1000) if plan % 2 else _tasks(3)
        result = evaluation.evaluate(f"plan-{plan}", facts)
        assert result.evaluated == 3 and len(result.matches) == (0 if plan % 2 else 1)


_SESSION = """\
from durable import engine
from dondoc.engine.durable_adapter import _Host
h = _Host()
h.set_rulesets({'t': {'r': {'all': [{'m': {'$gt': {'x': 5}}}], 'run': lambda c: None}}})
try:
    h.assert_fact('t', {'sid': 's', 'x': X})
except engine.MessageNotHandledException:
    pass
h.delete_state('t', 's')
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="shown with glibc's malloc tunables")
def test_deleting_a_session_where_nothing_was_stored_frees_a_pointer_durable_rules_never_set(tmp_path):
    """Trap 14, and why the adapter never does it: shown in subprocesses, since it kills them.

    durable-rules' deleteStateNode frees the session's context pointers (messages, stateFact),
    which createStateNode never sets; only running an action sets them. With nothing stored,
    what it frees is whatever the allocator left in that memory, so whether a process dies
    depended on what ran before (this test once passed or failed with an unrelated edit). Here
    glibc's malloc is told what to leave (``perturb``; the tcache off so that every allocation
    goes through it): filled with 0x5a bytes, the pointer freed is 0x5a5a... and the process
    dies, every time; filled with zeros, free(NULL) does nothing and it lives; a session where
    a fact was stored (an action ran) lives either way.
    """

    def run(x: int, fill: int) -> int:
        script = tmp_path / f"session_{x}_{fill}.py"
        script.write_text(_SESSION.replace("X", str(x)), encoding="utf-8")
        # perturb=p fills each allocation with the byte p ^ 0xff: 165 -> 0x5a, 255 -> 0x00
        env = dict(os.environ, GLIBC_TUNABLES=f"glibc.malloc.perturb={fill}:glibc.malloc.tcache_count=0")
        env.pop("LD_PRELOAD", None)
        return subprocess.run([sys.executable, str(script)], capture_output=True, timeout=60, env=env).returncode

    assert run(x=1, fill=165) in (-6, -11)  # nothing stored, garbage left: SIGSEGV (or SIGABRT: invalid pointer)
    assert run(x=1, fill=255) == 0  # nothing stored, zeros left: the same call frees only NULL
    assert run(x=9, fill=165) == 0  # a fact stored: the pointers were set, the same garbage is harmless


# -- trap 10: large rule books are split over several rulesets --------------------------------


def _at_least(n: int) -> dict[str, dict]:
    """n conditions on one field, all holding for x = 0: n tests pushed on durable-rules' stack."""
    return {f"r{i}": {"$and": [{"kind": "task"}, {"$gte": {"x": -i}}]} for i in range(n)}


def test_the_network_model_counts_what_durable_rules_limits():
    network = durable_adapter.Network()
    for condition in _at_least(10).values():
        network.add(condition)
    assert network.figures() == {"stack": 10, "tested": 10, "absent": 0, "ends": 1}
    same = durable_adapter.Network()
    for _ in range(7):
        same.add({"$and": [{"kind": "task"}, {"$or": [{"$nex": {"y": 1}}, {"$gt": {"x": 0}}]}]})
    # each 'or' adds a join under both branches; the joins all wait on the stack at once
    assert same.figures() == {"stack": 8, "tested": 1, "absent": 7, "ends": 1}
    kinds = durable_adapter.Network()
    for kind in ("task", "target", "procedure"):
        kinds.add({"$and": [{"kind": kind}, {"$gt": {"x": 0}}]})
    assert kinds.figures()["stack"] == 1  # a fact has one kind: one '==' per field can hold


def test_more_conditions_holding_at_once_than_durable_rules_can_stack_fail_in_one_ruleset():
    # What the split avoids: 65 conditions holding for one fact in one ruleset is error 303.
    host = durable_adapter._Host()
    host.set_rulesets({"big": {k: {"all": [{"m": c}], "run": lambda c: None} for k, c in _at_least(65).items()}})
    with pytest.raises(Exception, match="error code: 303"):
        host.assert_fact("big", {"sid": "s", "kind": "task", "x": 0})


def test_at_the_split_boundary_one_more_condition_opens_a_second_ruleset():
    budget = durable_adapter.BUDGET["stack"]
    assert durable_adapter.plan_rulesets(_at_least(budget)) == [[f"r{i}" for i in range(budget)]]
    split = durable_adapter.plan_rulesets(_at_least(budget + 1))
    assert split == [[f"r{i}" for i in range(budget)], [f"r{budget}"]]
    for n, rulesets in ((budget, 1), (budget + 1, 2), (3 * budget, 3)):
        evaluation = Evaluation(_at_least(n))
        assert len(evaluation.rulesets) == rulesets
        result = evaluation.evaluate("plan", [{"kind": "task", "x": 0}, {"kind": "task", "x": -budget}])
        holding = [(f"r{i}", 0) for i in range(n)] + [(f"r{i}", 1) for i in range(budget, n)]
        assert sorted(result.matches) == sorted(holding)


def test_facts_go_only_to_the_rulesets_of_their_kind(monkeypatch):
    conditions = {
        "task": {"$and": [{"kind": "task"}, {"$gt": {"x": 0}}]},
        "target": {"$and": [{"kind": "target"}, {"$gt": {"x": 0}}]},
        "any": {"$gt": {"x": 0}},  # tests no kind: every fact goes to its ruleset
    }
    evaluation = Evaluation(conditions)
    assert [r.keys for r in evaluation.rulesets] == [["task"], ["target"], ["any"]]
    asserted = []
    real = evaluation._post
    monkeypatch.setattr(evaluation, "_post", lambda rs, f: asserted.append((rs.name[-1], f["kind"])) or real(rs, f))
    result = evaluation.evaluate("plan", [{"kind": "task", "x": 1}, {"kind": "procedure", "x": 1}])
    assert asserted == [("0", "task"), ("2", "task"), ("2", "procedure")]
    assert sorted(result.matches) == [("any", 0), ("any", 1), ("task", 0)]


def test_a_condition_too_large_on_its_own_is_named_with_the_limit():
    chain = {"$and": [{"kind": "task"}, {"$or": [{"$gt": {"x": i}} for i in range(40)]}]}
    refused = durable_adapter.check_limits({"ok": OVERDUE["overdue"], "huge": chain})
    assert list(refused) == ["huge"]
    assert "stack 40 (the engine keeps it at 32 or less; durable-rules fails above 64)" in refused["huge"]
    with pytest.raises(EngineError) as error:
        Evaluation({"ok": OVERDUE["overdue"], "huge": chain})
    assert error.value.rule == "huge"


# --- at the limits themselves (found by mutation testing) --------------------------------------


def _chain(n: int) -> dict:
    """A condition whose 'or' of n comparisons can all hold at once: a stack of n."""
    return {"$and": [{"kind": "task"}, {"$or": [{"$gt": {"x": i}} for i in range(n)]}]}


def test_a_condition_at_the_budget_itself_runs_and_one_over_is_refused_with_the_figures():
    budget = durable_adapter.BUDGET["stack"]
    assert durable_adapter.check_limits({"at": _chain(budget)}) == {}
    assert durable_adapter.check_limits({"over": _chain(budget + 1)}) == {
        "over": f"too large for durable-rules: stack {budget + 1} (the engine keeps it at {budget} or less;"
        f" durable-rules fails above {durable_adapter.LIMITS['stack']})"
    }


def test_every_condition_is_checked_after_one_durable_rules_cannot_read():
    refused = durable_adapter.check_limits({"bad": {"$gt": {"x": 0}, "$lt": {"x": 5}}, "ok": OVERDUE["overdue"],
                                            "huge": _chain(40)})
    assert list(refused) == ["bad", "huge"]
    assert refused["bad"] == "durable-rules reads one test per object, not {'$gt': {'x': 0}, '$lt': {'x': 5}}"


def test_a_network_counts_what_it_holds_from_nothing():
    network = durable_adapter.Network()
    assert network.figures() == {"stack": 1, "tested": 0, "absent": 0, "ends": 0}
    network.add(OVERDUE["overdue"])
    network.add(OVERDUE["overdue"])  # two rules with one condition: two ends on one path
    assert network.figures() == {"stack": 1, "tested": 1, "absent": 0, "ends": 2}


def test_a_fact_at_the_field_limit_itself_goes_in_and_one_more_field_is_refused():
    at = {"kind": "task", "days_overdue": 1, **{f"f{i}": i for i in range(durable_adapter.MAX_PROPERTIES - 2)}}
    assert len(at) == durable_adapter.MAX_PROPERTIES
    assert Evaluation(OVERDUE).evaluate("plans/a", [at]).matches == [("overdue", 0)]
    with pytest.raises(EngineError) as error:
        Evaluation(OVERDUE).evaluate("plans/a", [{**at, "one_more": 0}], names=["task:7 (Phòng Kinh tế)"])
    assert str(error.value) == "plans/a, task:7 (Phòng Kinh tế) has 251 fields; durable-rules takes at most 250"


@pytest.mark.parametrize("value, shown", [(float("nan"), "nan, not a finite number"), (True, "True; durable-rules takes numbers and texts")],
                         ids=["nan", "true"])
def test_a_refused_value_names_the_plan_item_when_the_engine_gives_names(value, shown):
    facts = [{"kind": "task", "days_overdue": 2}, {"kind": "target", "target": "CT01", "actual": value}]
    with pytest.raises(EngineError) as error:
        Evaluation(OVERDUE).evaluate("plans/a", facts, names=["task:1 (Phòng A)", "target:CT01 (Phòng Kinh tế)"])
    assert str(error.value) == f"plans/a, target:CT01 (Phòng Kinh tế): field 'actual' is {shown}"
    fact = {"kind": "procedure", "task": "3", "target": "CT02", "code": "1.001", "period": "2026", "unit": "Phòng A", "x": value}
    with pytest.raises(EngineError) as error:
        Evaluation(OVERDUE).evaluate("plans/a", [fact])
    assert str(error.value).startswith("plans/a, fact 0 (kind=procedure task=3 target=CT02 code=1.001 period=2026 unit=Phòng A): ")


def test_two_conditions_compared_with_arithmetic_are_counted_as_two_paths():
    """durable-rules shares a node only for an equal plain value: counting arithmetic as shared
    would underestimate the network and let a ruleset past the budget."""
    computed = {"$add": {"$l": {"$m": "y"}, "$r": 1}}
    network = durable_adapter.Network()
    for _ in range(2):
        network.add({"$and": [{"kind": "task"}, {"$gt": {"x": computed}}]})
    assert network.figures() == {"stack": 2, "tested": 2, "absent": 0, "ends": 1}


# -- trap 17: a rule's expression sequence -----------------------------------------------------


def _sequence(levels: int, reads: int) -> dict:
    """A rule of ``levels`` nested and/or (2 entries each) and ``reads`` tests reading another field (1 each)."""
    node: dict = {"$lt": {"a": {"$m": "b"}}} if reads else {"$gt": {"x": 0}}
    for i in range(levels - 1):
        node = {"$or" if i % 2 else "$and": [{"$gt": {f"y{i}": i}}, node]}
    return {"$and": [{"kind": "task"}, node]}


@pytest.mark.parametrize("levels, reads, refused", [(15, 1, False), (16, 0, True), (15, 0, False)], ids=["31", "32", "30"])
def test_a_rule_of_more_than_31_expression_entries_is_refused_by_durable_rules_naming_it(levels, reads, refused):
    """durable-rules keeps, per rule, a sequence of at most 31 entries (each $and / $or two, each
    test reading another field one); one more is error 113 at ruleset creation. The compiler
    flattens nested and/or and guards only right-hand reads to stay under it; a rule still over
    it is refused by name (and stopped at night, reported by rules check)."""
    conditions = {"small": OVERDUE["overdue"], "deep": _sequence(levels, reads)}
    if not refused:
        assert Evaluation(conditions).keys == ["small", "deep"]
        return
    with pytest.raises(EngineError) as error:
        Evaluation(conditions)
    assert error.value.rule == "deep" and "error code: 113" in str(error.value)
