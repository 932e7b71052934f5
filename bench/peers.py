"""dondoc's evaluation beside its peers, on the same facts and the same conditions (issue 11).

    .venv/bin/python -m bench.peers --plans 300      # synthetic plans; prints a table

Three ways to find which (condition, fact) pairs hold, each given the plans' facts
already encoded (``encoded_plans``, as ``Checker.encode`` writes them: the fields some
condition reads, dates as YYYYMMDD, true/false as 1/0, and the values rules compute):

- ``dondoc_evaluation``: ``Checker.evaluate`` - the adapter (rulesets, traps, one
  session per plan) and the proof of every verdict against the reference evaluator.
- ``dondoc_workers``: the same over worker processes (each its own Checker), as the
  nightly run evaluates, timed on the wall clock like ``zen_batch``.
- ``bare_durable``: the least a durable-rules program must do: one ruleset with the same
  compiled conditions, each plan in a clean session (emptied after), facts asserted one at
  a time, each firing counted in a set. No proof, no findings.
- ``zen_batch``: GoRules zen-engine (``pip install '.[bench]'``): the same conditions
  written as ZEN expressions (one expression node per fact kind), every fact of every plan
  in ``evaluate_batch`` calls, split over ``workers`` processes (both cores by default).

Each returns a Counter of condition key -> facts it holds for, and the seconds taken: CPU
seconds of this process for the two single-threaded loops (the machine is shared: wall time
would measure the neighbours), wall seconds for zen-engine over its worker processes;
``findings`` turns that into the findings count (ladder steps are not findings). The
three must agree (``compare`` asserts it). ``make bench`` (bench/__main__.py) calls
these with the facts of its generated plans.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import time
import uuid
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from dondoc.engine.compile import Compiler, encode
from dondoc.engine.expression import And, Arith, Compare, Contains, Expr, Field, In, Literal, Missing, Or
from dondoc.engine.rulebook import Rule, in_force
from dondoc.night.workers import default_workers
from dondoc.engine.run import STEP_MARK, Checker
from dondoc.engine.typecheck import AS_OF
from dondoc.facts.calendar import DEFAULT
from dondoc.facts.derive import rule_facts
from dondoc.facts.models import PlanFolder

Plans = list[list[dict[str, Any]]]


def encoded_plans(checker: Checker, folders: list[PlanFolder]) -> Plans:
    """Each plan's facts as the engine reads them."""
    return [[checker.encode(f) for f in rule_facts(folder, checker.as_of, checker.calendar)] for folder in folders]


def findings(holding: Counter) -> int:
    """The findings a count of holding pairs makes: every pair but the ladder steps."""
    return sum(n for key, n in holding.items() if STEP_MARK not in key)


# -- dondoc --------------------------------------------------------------------------------------


def dondoc_evaluation(checker: Checker, plans: Plans) -> tuple[Counter, float]:
    """The adapter and the proof, as ``Checker.plan`` runs them (without deriving facts or
    writing findings)."""
    holding: Counter = Counter()
    start = time.process_time()
    for index, facts in enumerate(plans):
        _, held = checker.evaluate(f"plan-{index}", facts)
        for _, keys in held:
            holding.update(keys)
    return holding, time.process_time() - start


_CHECKER: Any = None


def _dondoc_worker(rules: list, as_of: dt.date) -> None:
    from dondoc.engine.run import Checker

    global _CHECKER
    _CHECKER = Checker(rules, as_of)


def _dondoc_chunk(job: tuple[int, Plans]) -> Counter:
    first, plans = job
    holding: Counter = Counter()
    for index, facts in enumerate(plans, first):
        _, held = _CHECKER.evaluate(f"plan-{index}", facts)
        for _, keys in held:
            holding.update(keys)
    return holding


def dondoc_workers(rules: list, as_of: dt.date, plans: Plans, workers: int = 2) -> tuple[Counter, float]:
    """``dondoc_evaluation`` over ``workers`` processes, each with its own Checker (its own
    durable-rules host), as the nightly run evaluates: wall seconds, set up as zen_batch is."""
    size = max(1, -(-len(plans) // (workers * 8)))
    chunks = [(i, plans[i : i + size]) for i in range(0, len(plans), size)]
    with ProcessPoolExecutor(workers, initializer=_dondoc_worker, initargs=(rules, as_of)) as pool:
        list(pool.map(_dondoc_chunk, [(0, [])] * workers))  # start the workers before the clock
        start = time.perf_counter()
        holding: Counter = Counter()
        for part in pool.map(_dondoc_chunk, chunks):
            holding.update(part)
        seconds = time.perf_counter() - start
    return holding, seconds


# -- bare durable-rules -------------------------------------------------------------------------


def bare_durable(plans: Plans, conditions: dict[str, dict]) -> tuple[Counter, float]:
    """The bare loop: one ruleset, one clean session per plan, one fact at a time."""
    from durable import engine as durable

    from dondoc.engine.durable_adapter import _Host as Host  # no dispatch threads: actions run inside assert_fact

    fired: set[tuple[str, int]] = set()

    def action(key: str):
        return lambda c: fired.add((key, c._m["m"]["fid"]))

    host, name = Host(), f"bare_{uuid.uuid4().hex[:8]}"
    host.set_rulesets({name: {f"r{i}": {"all": [{"m": c}], "run": action(k)} for i, (k, c) in enumerate(conditions.items())}})
    holding: Counter = Counter()
    start = time.process_time()
    for facts in plans:
        fired.clear()
        stored = False
        for fid, fact in enumerate(facts):
            try:
                host.assert_fact(name, {**fact, "fid": fid, "sid": "plan"})
                stored = True
            except durable.MessageNotHandledException:
                pass
        if stored:  # deleting a session that stored nothing crashes durable-rules
            host.delete_state(name, "plan")
        holding.update(key for key, _ in fired)
    return holding, time.process_time() - start


# -- zen-engine ---------------------------------------------------------------------------------


def zen_expression(node: Expr, as_of: dt.date, kind: str = "target") -> str:
    """A condition in ZEN's expression language, as the compiler writes it for durable-rules
    (engine/compile.py ``Compiler.expanded``: what holds exactly when the condition is true,
    a comparison guarded against absent values). What a rule computes from a fact
    (``weekday(due)``, a quotient, whether a text contains some words) is read from the fact,
    where ``Checker.encode`` put it, as durable-rules reads it."""
    return _zen(Compiler(kind, as_of, DEFAULT).expanded(node), as_of)


def _zen(node: Expr, as_of: dt.date) -> str:
    if isinstance(node, Literal):
        return "true" if node.value else "false"
    if isinstance(node, (And, Or)):
        word = " and " if isinstance(node, And) else " or "
        return "(" + word.join(_zen(i, as_of) for i in node.items) + ")"
    if isinstance(node, Missing):
        return f"({_zen_name(node.field.name)} {'!=' if node.negated else '=='} null)"
    if isinstance(node, Contains):
        name = _zen_name(node.field.name)
        return f"({name} != null and contains({name}, {_zen_literal(node.text)}))"
    if isinstance(node, In):
        tests = [f"{_zen_value(node.item, as_of)} {'!=' if node.negated else '=='} {_zen_literal(o.value)}" for o in node.options]
        body = (" and " if node.negated else " or ").join(tests)
        return "(" + " and ".join(_guards(node.item) + [f"({body})"]) + ")"
    if isinstance(node, Compare):
        test = f"{_zen_value(node.left, as_of)} {node.op} {_zen_value(node.right, as_of)}"
        return "(" + " and ".join(_guards(node.left) + _guards(node.right) + [test]) + ")"
    raise ValueError(f"no ZEN form for {node!r}")


def _guards(node: Expr) -> list[str]:
    if isinstance(node, Field):
        return [] if node.name == AS_OF else [f"{_zen_name(node.name)} != null"]
    if isinstance(node, Arith):
        divisor = [f"{_zen_value(node.right, None)} != 0"] if node.op == "/" else []
        return _guards(node.left) + _guards(node.right) + divisor
    return []


def _zen_name(name: str) -> str:
    """A field's name in ZEN: a computed value's key ("=weekday(due)") is no identifier."""
    return name if name.isidentifier() else "t_" + hashlib.sha1(name.encode()).hexdigest()[:12]


def _zen_value(node: Expr, as_of: dt.date | None) -> str:
    if isinstance(node, Field):
        return _zen_literal(as_of) if node.name == AS_OF else _zen_name(node.name)
    if isinstance(node, Literal):
        return _zen_literal(node.value)
    if isinstance(node, Arith):
        return f"({_zen_value(node.left, as_of)} {node.op} {_zen_value(node.right, as_of)})"
    raise ValueError(f"no ZEN value for {node!r}")


def _zen_literal(value: Any) -> str:
    return json.dumps(encode(value), ensure_ascii=False)


def zen_decisions(meanings: dict[str, tuple[str, Expr]], as_of: dt.date) -> tuple[dict[str, dict], dict[str, str]]:
    """One JDM decision per fact kind (an expression node of the kind's conditions), and
    the output name given to each condition key."""
    names = {key: f"c{i}" for i, key in enumerate(meanings)}
    decisions = {}
    for kind in sorted({kind for kind, _ in meanings.values()}):
        expressions = [
            {"id": names[key], "key": names[key], "value": zen_expression(expr, as_of, kind)}
            for key, (k, expr) in meanings.items()
            if k == kind
        ]
        decisions[kind] = {
            "nodes": [
                {"id": "in", "type": "inputNode", "name": "fact", "position": {"x": 0, "y": 0}},
                {"id": "checks", "type": "expressionNode", "name": kind, "position": {"x": 200, "y": 0},
                 "content": {"expressions": expressions}},
                {"id": "out", "type": "outputNode", "name": "verdicts", "position": {"x": 400, "y": 0}},
            ],
            "edges": [
                {"id": "e1", "sourceId": "in", "targetId": "checks", "type": "edge"},
                {"id": "e2", "sourceId": "checks", "targetId": "out", "type": "edge"},
            ],
        }
    return decisions, names


_ZEN: Any = None


def _zen_worker(decisions: dict[str, dict]) -> None:
    import zen

    global _ZEN
    _ZEN = zen.ZenEngine({"loader": {"type": "static", "content": decisions}})


def _zen_chunk(facts: list[dict]) -> Counter:
    requests = [{"key": fact["kind"], "context": {_zen_name(k): v for k, v in fact.items()}} for fact in facts]
    holding: Counter = Counter()
    for answer in _ZEN.evaluate_batch(requests):
        if not answer.get("success"):
            raise RuntimeError(f"zen-engine: {answer.get('error')}")
        holding.update(name for name, held in answer["data"]["result"].items() if held is True)
    return holding


def zen_batch(plans: Plans, meanings: dict[str, tuple[str, Expr]], as_of: dt.date, workers: int = 2) -> tuple[Counter, float]:
    """zen-engine's batch evaluation of every fact, over ``workers`` processes."""
    decisions, names = zen_decisions(meanings, as_of)
    kinds = set(decisions)
    facts = [fact for plan in plans for fact in plan if fact["kind"] in kinds]
    size = max(1, -(-len(facts) // (workers * 8)))
    chunks = [facts[i : i + size] for i in range(0, len(facts), size)]
    with ProcessPoolExecutor(workers, initializer=_zen_worker, initargs=(decisions,)) as pool:
        list(pool.map(_zen_chunk, [[]] * workers))  # start the workers before the clock
        start = time.perf_counter()
        counted: Counter = Counter()
        for part in pool.map(_zen_chunk, chunks):
            counted.update(part)
        seconds = time.perf_counter() - start
    by_name = {name: key for key, name in names.items()}
    return Counter({by_name[name]: n for name, n in counted.items()}), seconds


# -- all three ----------------------------------------------------------------------------------


def meanings_and_conditions(checker: Checker) -> tuple[dict[str, tuple[str, Expr]], dict[str, dict]]:
    """The conditions the checker runs: their meaning (kind, expression) and durable form."""
    from dondoc.engine.run import rule_conditions, rule_parts, rule_of

    meanings, conditions = {}, {}
    for rule in checker.rules:
        if rule.id in checker.errors:
            continue
        for key, parts in rule_parts(rule).items():
            meanings[key] = (rule.fact, And(parts))
        conditions.update(rule_conditions(rule, checker.as_of, checker.calendar))
    keys = checker.evaluation.keys
    assert sorted(keys) == sorted(conditions), "the checker runs other conditions than compiled here"
    assert all(rule_of(k) in checker.by_id for k in keys)
    return meanings, conditions


def compare(
    plans: Plans, rules: list[Rule], as_of: dt.date, zen: bool = True, workers: int = 2, repeat: int = 1
) -> dict[str, Any]:
    """Run dondoc, the bare loop and zen-engine on the same facts; assert they agree.

    Returns the figures: facts, findings, and for each the seconds (the best of ``repeat``
    runs, dondoc and the bare loop taking turns) and facts per second.
    """
    checker = Checker(in_force(rules, as_of), as_of)
    meanings, conditions = meanings_and_conditions(checker)
    facts = sum(len(p) for p in plans)
    ours_s = bare_s = float("inf")
    # Warm the process first (heap, durable-rules' tables): whichever ran first paid for it.
    warm = plans[: max(1, len(plans) // 20)]
    dondoc_evaluation(Checker(in_force(rules, as_of), as_of), warm)
    bare_durable(warm, conditions)
    for _ in range(repeat):
        fresh = Checker(in_force(rules, as_of), as_of)  # nothing remembered: as on a night
        ours, seconds = dondoc_evaluation(fresh, plans)
        ours_s = min(ours_s, seconds)
        bare, seconds = bare_durable(plans, conditions)
        bare_s = min(bare_s, seconds)
    assert bare == ours, f"the bare loop and dondoc disagree: {sorted((bare - ours) + (ours - bare))[:5]}"
    figures: dict[str, Any] = {
        "facts": facts,
        "findings": findings(ours),
        "dondoc_s": ours_s,
        "dondoc_facts_per_s": facts / ours_s,
        "durable_bare_s": bare_s,
        "durable_bare_facts_per_s": facts / bare_s,
        "adapter_over_bare": ours_s / bare_s,
    }
    if zen:
        theirs, zen_s = zen_batch(plans, meanings, as_of, workers)
        for _ in range(repeat - 1):
            zen_s = min(zen_s, zen_batch(plans, meanings, as_of, workers)[1])
        assert findings(theirs) == findings(ours), f"zen-engine finds {findings(theirs)}, dondoc {findings(ours)}"
        assert theirs == ours, f"zen-engine and dondoc disagree: {sorted((theirs - ours) + (ours - theirs))[:5]}"
        figures.update(zen_s=zen_s, zen_facts_per_s=facts / zen_s, zen_workers=workers)
    return figures


def varied(folder: PlanFolder, rng) -> PlanFolder:
    """A synthetic plan with seeded variety, so that facts differ in the values rules read:
    progress (status, report and completion dates), comparisons, targets and measurements."""
    from dondoc.facts.models import Comparison, Measurement, Progress

    day = lambda: dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(330))  # noqa: E731
    progress = []
    for task in folder.tasks:
        status = rng.choice(["hoàn thành", "đang thực hiện", "chưa thực hiện", None])
        if status is not None:
            reported = day()
            progress.append(Progress(task=task.id, status=status, reported_on=reported, done_on=reported if status == "hoàn thành" else None))
    targets = [t.model_copy(update={"comparison": rng.choice(list(Comparison)), "value": float(rng.randrange(50, 101))}) for t in folder.targets]
    measurements = [
        Measurement(target=t.id, period="2026-10", value=round(rng.uniform(40, 100), 1), measured_on=day())
        for t in targets
        if rng.random() < 0.7
    ]
    return folder.model_copy(update={"progress": progress, "targets": targets, "measurements": measurements})


def proof_cost(checker: Checker, plans: Plans, repeat: int = 3) -> dict[str, float]:
    """The proof's share of dondoc's evaluation (best of ``repeat``, taking turns): with it
    (from nothing remembered, as on a night); with every verdict worked out afresh by the
    reference (nothing remembered at all); without it."""
    fresh = Checker(checker.rules, checker.as_of)
    for kind in fresh.verdicts._kinds.values():
        kind.memory = 0  # forget each answer at once: the reference evaluates every pair
    unproven = Checker(checker.rules, checker.as_of)
    unproven._prove = lambda label, encoded, matches, subjects: _grouped(matches)  # type: ignore[method-assign]
    runs = {"with_proof_s": checker, "reference_every_pair_s": fresh, "without_proof_s": unproven}
    figures = {name: float("inf") for name in runs}
    for _ in range(repeat):
        runs["with_proof_s"] = Checker(checker.rules, checker.as_of)  # starts with nothing remembered
        for name, each in runs.items():
            figures[name] = min(figures[name], dondoc_evaluation(each, plans)[1])
    return figures


def _grouped(matches) -> list[tuple[int, set[str]]]:
    by_fact: dict[int, set[str]] = {}
    for key, i in matches:
        by_fact.setdefault(i, set()).add(key)
    return sorted(by_fact.items())


def main() -> None:
    import random

    from bench.__main__ import synthetic_plan

    from dondoc.engine.rulebook import load_rules

    parser = argparse.ArgumentParser(prog="python -m bench.peers")
    parser.add_argument("--plans", type=int, default=300)
    parser.add_argument("--tasks", type=int, default=80)
    parser.add_argument("--targets", type=int, default=20)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--no-zen", action="store_true")
    parser.add_argument("--proof-cost", action="store_true", help="also time the proof's share")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs, taking turns")
    args = parser.parse_args()
    as_of = dt.date(2026, 11, 22)
    rng = random.Random(args.seed)
    folders = [varied(synthetic_plan(i, args.tasks, args.targets), rng) for i in range(args.plans)]
    rules = load_rules()
    plans = encoded_plans(Checker(in_force(rules, as_of), as_of), folders)
    figures = compare(plans, rules, as_of, zen=not args.no_zen, workers=min(2, default_workers()), repeat=args.repeat)
    print(f"{len(plans):,} plans, {figures['facts']:,} facts, {figures['findings']:,} findings, the same from every engine")
    print(f"  dondoc (adapter + proof)  {figures['dondoc_s']:6.2f} s  {figures['dondoc_facts_per_s']:9,.0f} facts/s")
    print(f"  bare durable-rules loop   {figures['durable_bare_s']:6.2f} s  {figures['durable_bare_facts_per_s']:9,.0f} facts/s")
    if "zen_s" in figures:
        print(f"  zen-engine batch ({figures['zen_workers']} proc) {figures['zen_s']:6.2f} s  {figures['zen_facts_per_s']:9,.0f} facts/s")
    print(f"  dondoc / bare = {figures['adapter_over_bare']:.2f}")
    if args.proof_cost:
        checker = Checker(in_force(rules, as_of), as_of)
        cost = proof_cost(checker, plans, args.repeat)
        pairs = sum(checker.verdicts.per_kind.get(f["kind"], 0) for plan in plans for f in plan)
        print(f"  proof: {pairs:,} (condition, fact) verdicts compared")
        for name, seconds in cost.items():
            print(f"    {name:24} {seconds:6.2f} s  {figures['facts'] / seconds:9,.0f} facts/s")


if __name__ == "__main__":
    main()
