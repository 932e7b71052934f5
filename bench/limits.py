"""Where durable-rules 2.0.28 breaks, measured: ``python -m bench.limits``.

Each probe builds one ruleset of a given shape and size and asserts a fact chosen to
be the worst case for it, in a subprocess with a timeout, so that a hang, an abort or
a segfault cannot take the caller with it. For each shape it runs the largest size
the adapter's model (engine/durable_adapter.py, ``LIMITS``) says durable-rules takes,
and one more, and prints what happened beside the model's figures. The last probe,
``book``, copies the shipped rule book until one ruleset breaks, then runs the same
copies through the adapter, which splits them.

Results are in docs/engine.md ("Limits"). Nothing here is timed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
import uuid

AS_OF = dt.date(2026, 11, 22)
TIMEOUT_S = 30


def conditions(shape: str, n: int) -> dict[str, dict]:
    """n conditions of one shape (see ``SHAPES``)."""
    task = {"kind": "task"}
    if shape == "stack":  # n tests under one node, all holding for the fact
        return {f"r{i}": {"$and": [task, {"$gte": {"x": -i}}]} for i in range(n)}
    if shape == "tested":  # n tests under one node, none holding
        return {f"r{i}": {"$and": [task, {"$gte": {"x": i + 1}}]} for i in range(n)}
    if shape == "absent":  # n 'is missing' tests under one node, the fields all present
        return {f"r{i}": {"$and": [task, {"$nex": {f"f{i}": 1}}]} for i in range(n)}
    if shape == "ends":  # n identical conditions: n rules end on one node, all holding
        return {f"r{i}": {"$and": [task, {"$gt": {"x": 0}}]} for i in range(n)}
    if shape == "joins":  # n identical 'or's: n joins under each branch, all holding
        return {f"r{i}": {"$and": [task, {"$or": [{"$nex": {"y": 1}}, {"$gt": {"x": 0}}]}]} for i in range(n)}
    if shape == "book":  # the shipped rule book, n copies
        from dondoc.engine.rulebook import in_force, load_rules
        from dondoc.engine.run import compile_rules

        one = compile_rules(in_force(load_rules(), AS_OF), AS_OF, {})
        return {f"{key}~{copy}": condition for copy in range(n) for key, condition in one.items()}
    raise ValueError(shape)


def worst_fact(shape: str, n: int) -> dict:
    if shape == "absent":
        return {"kind": "task", "x": 1, **{f"f{i}": 1 for i in range(min(n, 200))}}
    return {"kind": "task", "x": 1}


def book_facts() -> list[dict]:
    """The facts of the bundled example plans, encoded."""
    from pathlib import Path

    from dondoc.engine.compile import encode
    from dondoc.facts.derive import rule_facts
    from dondoc.facts.planfolder import read_plan_folder

    examples = Path(__file__).resolve().parent.parent / "examples"
    facts = []
    for folder in sorted(p for p in examples.iterdir() if (p / "plan.yaml").exists()):
        for fact in rule_facts(read_plan_folder(folder), AS_OF):
            facts.append({"kind": fact.kind, **{k: encode(v) for k, v in fact.values.items()}})
    return facts


def child(shape: str, n: int, split: bool) -> None:
    """Runs in the subprocess: build, assert, print one JSON line."""
    from durable import engine as durable

    from dondoc.engine.durable_adapter import Evaluation, _Host

    conds = conditions(shape, n)
    facts = book_facts() if shape == "book" else [worst_fact(shape, n)]
    start = time.perf_counter()
    if split:
        evaluation = Evaluation(conds)
        print(json.dumps({"stage": "created", "rulesets": len(evaluation.rulesets)}), flush=True)
        matches = len(evaluation.evaluate("s", facts).matches)
    else:
        fired = []
        host, name = _Host(), f"probe_{uuid.uuid4().hex[:8]}"
        definition = {f"r{i}": {"all": [{"m": c}], "run": lambda c: fired.append(1)} for i, c in enumerate(conds.values())}
        host.set_rulesets({name: definition})
        print(json.dumps({"stage": "created", "rulesets": 1}), flush=True)
        for i, fact in enumerate(facts):
            try:
                host.assert_fact(name, {**fact, "fid": i, "sid": "s"})
            except durable.MessageNotHandledException:
                pass
        matches = len(fired)
    print(json.dumps({"stage": "done", "matches": matches, "seconds": round(time.perf_counter() - start, 2)}), flush=True)


def probe(shape: str, n: int, split: bool = False) -> str:
    """What happened: 'ok (...)', 'error ...', 'hang', or 'crash (signal ...)'."""
    command = [sys.executable, "-m", "bench.limits", "--child", shape, str(n)] + (["--split"] if split else [])
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        stage = "after creating the ruleset" if exc.stdout and b"created" in exc.stdout else "creating the ruleset"
        return f"hang ({stage}, killed after {TIMEOUT_S} s)"
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode < 0:
        return f"crash (signal {-done.returncode}, {'after' if lines else 'while'} creating the ruleset)"
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return f"error: {last[-120:]}"
    info = {k: v for line in lines for k, v in line.items() if k != "stage"}
    return "ok (" + ", ".join(f"{k} {v}" for k, v in info.items()) + ")"


def model(shape: str, n: int) -> dict[str, int]:
    from dondoc.engine.durable_adapter import Network

    network = Network()
    for condition in conditions(shape, n).values():
        network.add(condition)
    return network.figures()


# shape -> (the limit it reaches, the largest n the model says fits)
SHAPES = {"stack": ("stack", 64), "tested": ("tested", 511), "absent": ("absent", 127), "ends": ("ends", 255), "joins": ("stack", 63)}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.limits")
    parser.add_argument("--child", nargs=2, metavar=("SHAPE", "N"))
    parser.add_argument("--split", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), args.split)
        return
    from dondoc.engine.durable_adapter import LIMITS

    print(f"durable-rules 2.0.28 limits (model: {LIMITS})")
    for shape, (limit, fits) in SHAPES.items():
        for n in (fits, fits + 1):
            figures = model(shape, n)
            print(f"{shape:7} n={n:4}  model {limit}={figures[limit]:4}  one ruleset: {probe(shape, n)}")
    for copies in range(1, 40):
        figures = model("book", copies)
        if any(v > LIMITS[k] for k, v in figures.items()):
            break
    for n in (copies - 1, copies):
        keys = len(conditions("book", n))
        print(f"book    x{n:3} ({keys} conditions)  model {model('book', n)}  one ruleset: {probe('book', n)}")
    print(f"book    x{copies:3} split by the adapter: {probe('book', copies, split=True)}")


if __name__ == "__main__":
    main()
