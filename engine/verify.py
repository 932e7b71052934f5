"""`dondoc rules check`: a book of rules is valid when it will run, and a refinement loses nothing.

Reading a rule already parses, type-checks and compiles it (engine/rulebook.py).
Here the rules in force are also compiled together and registered with
durable-rules through the same Checker the nightly check uses, once for each
stretch of time with its own set of rules (valid_from / valid_to), so whatever
durable-rules or the engine's limits refuse is an error now, not exit 3 at night.

Then each rule a refinement refines, with each refinement (a rule pair), is run through a
Checker of the two on generated facts: every field either rule reads given values on both
sides of each threshold the rules write, and absent where a fact may lack it. Each fact must
end in exactly one of: out of both rules' scope, or decided by exactly one of them (the
refinement when its scope is true, else the refined rule when its own is), with a finding
when the deciding rule's condition is true, a missing-data finding when it is unknown, and
nothing when it is false (docs/rules.md, "Thứ tự ưu tiên"). The nightly proof runs inside.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any, Iterator

from dondoc.engine.expression import Compare, Expr, Field, In, Literal, nodes
from dondoc.engine.reference import truth
from dondoc.engine.rulebook import Book, Rule, format_value, in_force
from dondoc.engine.run import MISSING_SUFFIX, STEP_MARK, Checker
from dondoc.errors import EngineError, InputError
from dondoc.facts.calendar import DEFAULT, WorkCalendar
from dondoc.facts.derive import RuleFact
from dondoc.facts.kinds import KINDS

FACTS_PER_PAIR = 4096  # generated facts per rule pair, at most (every combination when fewer)
_ABSENT = object()


def verify(book: Book, today: dt.date, calendar: WorkCalendar = DEFAULT) -> tuple[list[InputError], list[dt.date]]:
    """Errors of rules that would not run on some day (each rule once), or whose refinement
    would lose or double a finding, and the days tried."""
    days = book.boundaries(today)
    stopped: dict[str, tuple[dt.date, str]] = {}
    for day in days:
        try:
            checker = Checker(book.rules, day, calendar)
        except EngineError as exc:  # the ruleset as a whole was refused
            return [InputError(None, f"bộ quy tắc không đăng ký được với durable-rules ngày {day:%d/%m/%Y}: {exc}")], days
        for rule_id, why in checker.errors.items():
            stopped.setdefault(rule_id, (day, why))
    errors = []
    for rule_id, (day, why) in sorted(stopped.items()):
        rule = next(r for r in book.rules if r.id == rule_id and r.in_force(day))
        errors.append(
            InputError(
                rule.path,
                f"quy tắc '{rule_id}' không chạy được (ngày {day:%d/%m/%Y}): {why}",
                line=rule.line,
                hint="bộ máy luật durable-rules không nhận điều kiện này; xem docs/engine.md",
            )
        )
    seen: set[tuple[str, str]] = set()
    for day in days:
        for refined, refiner in refinements(book.rules, day):
            pair = (refined.id, refiner.id)
            if pair in seen or refined.id in stopped or refiner.id in stopped:
                continue
            problem = partition_problem(refined, refiner, day, calendar)
            if problem:
                seen.add(pair)
                errors.append(
                    InputError(
                        refiner.path,
                        f"quy tắc '{refiner.id}' tinh chỉnh '{refined.id}' (ngày {day:%d/%m/%Y}): {problem}",
                        line=refiner.line,
                        hint="mỗi dữ kiện phải thuộc đúng một quy tắc: quy tắc tinh chỉnh nhận dữ kiện mà phạm vi của nó đúng,"
                        " dữ kiện thiếu số liệu vẫn thuộc quy tắc gốc (docs/rules.md, mục 5); đây là lỗi của bộ máy luật,"
                        " xin báo cho người quản trị dondoc",
                    )
                )
    return errors, days


def refinements(rules: list[Rule], day: dt.date) -> Iterator[tuple[Rule, Rule]]:
    """Each (refined rule, refinement) pair in force on ``day``, as the book writes them."""
    active = {r.id: r for r in rules if r.in_force(day)}
    for rule in in_force(rules, day):
        for refiner_id, _ in rule.excluded:
            yield active[rule.id], active[refiner_id]


def partition_problem(refined: Rule, refiner: Rule, day: dt.date, calendar: WorkCalendar = DEFAULT) -> str:
    """'' when every generated fact ends in exactly one outcome; else what went wrong, with the fact."""
    checker = Checker([refined, refiner], day, calendar)
    if checker.errors:
        return "; ".join(f"'{k}': {v}" for k, v in sorted(checker.errors.items()))
    facts = [RuleFact(refined.fact, f"{refined.fact}:thu-{i}", values) for i, values in enumerate(generated_facts(refined, refiner, day))]
    subjects = [_shown(f.values, refined, refiner) for f in facts]
    try:
        _, held = checker.evaluate(f"{refined.id}/{refiner.id}", [checker.encode(f) for f in facts], subjects)
    except EngineError as exc:
        return str(exc)
    found = dict(held)
    for i, fact in enumerate(facts):
        expected = _outcome(refined, refiner, fact.values, day, calendar)
        held_here = {key for key in found.get(i, ()) if STEP_MARK not in key}
        # what the night makes of it: where a rule's condition holds, its finding, not missing data
        got = {k for k in held_here if not (k.endswith(MISSING_SUFFIX) and k.removesuffix(MISSING_SUFFIX) in held_here)}
        if got != expected:
            return (
                f"với dữ kiện thử {subjects[i]}, mong đợi {_keys(expected)} nhưng bộ máy luật cho {_keys(got)}"
            )
    return ""


def _outcome(refined: Rule, refiner: Rule, values: dict[str, Any], day: dt.date, calendar: WorkCalendar) -> set[str]:
    """What the pair must give for a fact: the refinement decides it when its scope is true,
    else the refined rule when its own scope is (or it has none); the rule that decides gives a
    finding when its condition is true, a missing-data finding when it is unknown."""
    if truth(refiner.scope, values, day, calendar) is True:  # type: ignore[arg-type]
        decider = refiner
    elif refined.scope is None or truth(refined.scope, values, day, calendar) is True:
        decider = refined
    else:
        return set()
    verdict = truth(decider.condition, values, day, calendar)
    if verdict is None:
        return {decider.id + MISSING_SUFFIX}
    return {decider.id} if verdict else set()


def _keys(keys: set[str]) -> str:
    if not keys:
        return "không có phát hiện"
    words = [
        f"phát hiện thiếu dữ liệu của '{k.removesuffix(MISSING_SUFFIX)}'" if k.endswith(MISSING_SUFFIX) else f"phát hiện của '{k}'"
        for k in sorted(keys)
    ]
    return " và ".join(words)


def _shown(values: dict[str, Any], *rules: Rule) -> str:
    read = dict.fromkeys(name for rule in rules for name in rule.reads)
    return "(" + ", ".join(f"{n} = {format_value(values[n])}" if n in values else f"{n} không có" for n in read) + ")"


# -- generated facts ------------------------------------------------------------------------------


def generated_facts(refined: Rule, refiner: Rule, day: dt.date) -> list[dict[str, Any]]:
    """Facts of the pair's kind: each field either rule reads takes each of its candidate
    values (around the rules' thresholds; absent where a fact may lack it), every combination
    when there are at most FACTS_PER_PAIR, else that many drawn (seeded), with each field absent
    alone and all present first. The fields no rule reads take a plain value."""
    kind = refined.fact
    specs = KINDS[kind]
    exprs = [e for rule in (refined, refiner) for e in _expressions(rule)]
    read = [n for n in dict.fromkeys(name for rule in (refined, refiner) for name in rule.reads) if n in specs]
    choices = {name: _candidates(name, specs[name], exprs, day) for name in read}
    base = {name: _plain(spec, day) for name, spec in specs.items() if spec.always and name not in choices}
    sizes = [len(choices[n]) for n in read]
    total = 1
    for size in sizes:
        total *= size
    if total <= FACTS_PER_PAIR:
        combos: list[tuple] = list(itertools.product(*(choices[n] for n in read)))
    else:
        present = tuple(next(v for v in choices[n] if v is not _ABSENT) for n in read)
        combos = [present] + [present[:i] + (_ABSENT,) + present[i + 1 :] for i, n in enumerate(read) if _ABSENT in choices[n]]
        rng = random.Random(0)
        while len(combos) < FACTS_PER_PAIR:
            combos.append(tuple(rng.choice(choices[n]) for n in read))
    return [{**base, **{n: v for n, v in zip(read, combo) if v is not _ABSENT}} for combo in combos]


def _expressions(rule: Rule) -> list[Expr]:
    return [e for e in (rule.scope, rule.condition, *(when for when, _ in rule.escalate)) if e is not None]


def _candidates(name: str, spec: Any, exprs: list[Expr], day: dt.date) -> list[Any]:
    """A field's values to try: those the rules compare it with, and their neighbours."""
    literals = [n.value for e in exprs for n in nodes(e) if isinstance(n, Literal)]
    if spec.type == "number":
        numbers = {v for v in literals if isinstance(v, (int, float)) and not isinstance(v, bool)}
        values: list[Any] = sorted({0, 1} | {x + d for x in numbers for d in (-1, 0, 1)})
    elif spec.type == "date":
        dates = {v for v in literals if isinstance(v, dt.date)} | {day}
        values = sorted({x + dt.timedelta(days=d) for x in dates for d in (-1, 0, 1)})
    elif spec.type == "bool":
        values = [False, True]
    else:
        texts = [v for e in exprs for v in _texts_for(name, e)] + list(spec.values)
        values = list(dict.fromkeys(texts + ["", "khác"]))
    return values + ([] if spec.always else [_ABSENT])


def _texts_for(name: str, expr: Expr) -> list[str]:
    out = []
    for n in nodes(expr):
        if isinstance(n, Compare) and any(isinstance(s, Field) and s.name == name for s in (n.left, n.right)):
            out += [s.value for s in (n.left, n.right) if isinstance(s, Literal) and isinstance(s.value, str)]
        elif isinstance(n, In) and isinstance(n.item, Field) and n.item.name == name:
            out += [o.value for o in n.options if isinstance(o.value, str)]
    return out


def _plain(spec: Any, day: dt.date) -> Any:
    return {"number": 0, "date": day, "bool": False}.get(spec.type, spec.values[0] if spec.values else "x")

