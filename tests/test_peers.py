"""The peers of bench/peers.py find exactly what dondoc finds, on the same facts: the bare
durable-rules loop and zen-engine's batch (the rules written as ZEN expressions)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from bench import peers
from bench.__main__ import synthetic_plan
from dondoc.engine.compile import Compiler, term_reader
from dondoc.engine.expression import parse
from dondoc.engine.reference import holds
from dondoc.engine.rulebook import load_rules
from dondoc.engine.run import Checker
from dondoc.facts.planfolder import read_plan_folder

AS_OF = dt.date(2026, 11, 22)
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_dondoc_the_bare_loop_and_zen_engine_agree_on_every_condition():
    rng = random.Random(3)
    folders = [read_plan_folder(p) for p in sorted(EXAMPLES.glob("*-2026"))]
    folders += [peers.varied(synthetic_plan(i, 30, 10), rng) for i in range(12)]
    rules = load_rules()
    plans = peers.encoded_plans(Checker(rules, AS_OF), folders)
    figures = peers.compare(plans, rules, AS_OF, workers=2)
    assert figures["findings"] > 100
    assert figures["facts"] == sum(len(p) for p in plans)


def test_a_rule_computing_from_a_fact_runs_alike_in_zen_engine(tmp_path):
    # weekday(due) and 'working days' are values engine/run.py adds to the fact before it goes in
    (tmp_path / "r.yaml").write_text(
        "rules:\n"
        "  - id: han-cuoi-tuan\n    title: Hạn rơi vào cuối tuần\n    fact: task\n"
        "    condition: 'weekday(due) != \"thứ hai\" and due - 3 working days < as_of'\n"
        "    severity: nhắc nhở\n    message: x\n",
        encoding="utf-8",
    )
    rules = load_rules(tmp_path)
    folders = [read_plan_folder(p) for p in sorted(EXAMPLES.glob("*-2026"))]
    plans = peers.encoded_plans(Checker(rules, AS_OF), folders)
    assert any(k.startswith("=") for plan in plans for fact in plan for k in fact)
    figures = peers.compare(plans, rules, AS_OF, workers=1)
    assert figures["findings"] > 0


def test_zen_expressions_mean_what_the_reference_means():
    import zen

    fact = {"kind": "target", "comparison": ">=", "value": 95, "actual": 91.2, "metric": "hồ sơ trực tuyến"}
    for text in [
        "actual < value",
        "actual < value - 5",
        "weight > 1",  # weight missing: a comparison reading it is false
        "weight is missing and not (actual >= value)",
        'comparison in [">=", ">"] and metric contains "trực"',
        'comparison not in [">=", ">"]',
        "actual / value < 1",
        "measured_on < as_of",
    ]:
        expr = parse(text)
        # the values the compiler computes, added as Checker.encode adds them, named as ZEN reads them
        computed = {peers._zen_name(t.name): term_reader(t)(fact) for t in Compiler("target", AS_OF).terms([expr])}
        assert zen.evaluate_expression(peers.zen_expression(expr, AS_OF), {**fact, **computed}) is holds(expr, fact, AS_OF), text


def test_dondoc_over_worker_processes_finds_what_it_finds_in_one():
    rng = random.Random(5)
    folders = [read_plan_folder(p) for p in sorted(EXAMPLES.glob("*-2026"))]
    folders += [peers.varied(synthetic_plan(i, 30, 10), rng) for i in range(20)]
    rules = load_rules()
    checker = Checker(rules, AS_OF)
    plans = peers.encoded_plans(checker, folders)
    alone, _ = peers.dondoc_evaluation(checker, plans)
    spread, seconds = peers.dondoc_workers(rules, AS_OF, plans, workers=2)
    assert spread == alone and peers.findings(spread) > 100 and seconds > 0
