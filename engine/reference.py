"""The reference evaluator: the meaning of a condition, in plain Python.

durable-rules does the nightly evaluation; this module defines what the answer
must be. Property tests require the two to agree on every generated condition
and fact, and `dondoc rules explain` uses it to show each sub-condition's value.

Semantics: conditions are read in negation normal form (engine.compile.normal);
a comparison that reads a missing field is false; 'is missing' is true when the
field is absent. Facts hold values as engine.compile.encode writes them. A
condition is turned once into plain Python closures (``compile_condition``), then
applied to facts; ``value`` gives an expression's value on one fact.
"""

from __future__ import annotations

import operator
from typing import Any, Callable

from dondoc.engine.compile import decode_date, encode, normal
from dondoc.engine.expression import And, Arith, Call, Compare, Contains, Expr, Field, In, Literal, Missing, Or, Shift, fields_of
from dondoc.engine.functions import call, shift
from dondoc.engine.typecheck import AS_OF
from dondoc.facts.calendar import DEFAULT, WorkCalendar
from dondoc.facts.kinds import FUNCTIONS

_OPS = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


class Absent(Exception):
    """A field the expression reads has no value on this fact."""


def value(node: Expr, fact: dict[str, Any], as_of: Any, calendar: WorkCalendar = DEFAULT) -> Any:
    """The encoded value of an expression on a fact; raises Absent when it reads a missing field."""
    return _reader(node, as_of, calendar)(fact)


def reader(node: Expr, as_of: Any, calendar: WorkCalendar = DEFAULT) -> Callable[[dict[str, Any]], Any]:
    """``value`` as a function of the fact, built once (for an expression read on every fact)."""
    return _reader(node, as_of, calendar)


_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}

Reader = Callable[[dict[str, Any]], Any]
Test = Callable[[dict[str, Any]], bool]


def _field(name: str) -> Reader:
    def read(fact: dict[str, Any]) -> Any:
        try:
            return fact[name]
        except KeyError:
            raise Absent(name) from None

    return read


def _reader(node: Expr, as_of: Any, calendar: WorkCalendar) -> Reader:
    """An expression's value as a function of an encoded fact."""
    if isinstance(node, Literal) or (isinstance(node, Field) and node.name == AS_OF):
        constant = encode(node.value if isinstance(node, Literal) else as_of)
        return lambda fact: constant
    if isinstance(node, Field):
        return _field(node.name)
    if isinstance(node, Arith):
        op, left, right = _ARITH[node.op], _reader(node.left, as_of, calendar), _reader(node.right, as_of, calendar)
        return lambda fact: op(left(fact), right(fact))
    if isinstance(node, Shift):
        base, days, working = _reader(node.base, as_of, calendar), node.days, node.working
        return lambda fact: encode(shift(decode_date(base(fact)), days, working, calendar))
    if isinstance(node, Call):
        # The language's functions take plain values: dates as dates.
        name, types = node.name, FUNCTIONS[node.name].args
        args = [_reader(a, as_of, calendar) for a in node.args]

        def called(fact: dict[str, Any]) -> Any:
            values = [arg(fact) for arg in args]
            return encode(call(name, [decode_date(v) if t == "date" else v for v, t in zip(values, types)], calendar))

        return called
    raise AssertionError(node)


def _all(tests: list[Test]) -> Test:
    def test(fact: dict[str, Any]) -> bool:
        for each in tests:
            if not each(fact):
                return False
        return True

    return test


def _any(tests: list[Test]) -> Test:
    def test(fact: dict[str, Any]) -> bool:
        for each in tests:
            if each(fact):
                return True
        return False

    return test


def _leaf(evaluate: Test) -> Test:
    def test(fact: dict[str, Any]) -> bool:
        try:
            return evaluate(fact)
        except (Absent, ZeroDivisionError):  # a missing field, a division by zero: false
            return False

    return test


def compile_condition(node: Expr, as_of: Any, calendar: WorkCalendar = DEFAULT) -> Test:
    """The condition (in negation normal form) as a function of an encoded fact."""
    if isinstance(node, Literal):
        constant = bool(node.value)
        return lambda fact: constant
    if isinstance(node, And):
        return _all([compile_condition(i, as_of, calendar) for i in node.items])
    if isinstance(node, Or):
        return _any([compile_condition(i, as_of, calendar) for i in node.items])
    if isinstance(node, Missing):
        name, negated = node.field.name, node.negated
        return lambda fact: (name in fact) == negated
    if isinstance(node, Contains):
        text, read = node.text, _reader(node.field, as_of, calendar)
        return _leaf(lambda fact: text in read(fact))
    if isinstance(node, In):
        item, negated = _reader(node.item, as_of, calendar), node.negated
        options = [encode(o.value) for o in node.options]

        def found(fact: dict[str, Any]) -> bool:
            value = item(fact)
            return any(value == option for option in options) != negated

        return _leaf(found)
    if isinstance(node, Compare):
        op = _OPS[node.op]
        if _plain(node.left) and _plain(node.right):
            return _plain_compare(op, node.left, node.right, as_of)
        left, right = _reader(node.left, as_of, calendar), _reader(node.right, as_of, calendar)
        return _leaf(lambda fact: op(left(fact), right(fact)))
    raise AssertionError(node)


def _plain(node: Expr) -> bool:
    return isinstance(node, (Field, Literal))


def _plain_compare(op: Callable[[Any, Any], bool], left: Expr, right: Expr, as_of: Any) -> Test:
    """The common comparison of a field with a constant or another field, in one call (the
    general form above means the same: a missing field makes it false)."""
    def constant(node: Expr) -> tuple[bool, Any]:
        if isinstance(node, Literal):
            return True, encode(node.value)
        if node.name == AS_OF:  # type: ignore[union-attr]
            return True, encode(as_of)
        return False, node.name  # type: ignore[union-attr]

    (left_fixed, a), (right_fixed, b) = constant(left), constant(right)
    if left_fixed and right_fixed:
        held = op(a, b)
        return lambda fact: held
    if right_fixed:

        def field_to_constant(fact: dict[str, Any]) -> bool:
            try:
                return op(fact[a], b)
            except KeyError:
                return False

        return field_to_constant
    if left_fixed:

        def constant_to_field(fact: dict[str, Any]) -> bool:
            try:
                return op(a, fact[b])
            except KeyError:
                return False

        return constant_to_field

    def field_to_field(fact: dict[str, Any]) -> bool:
        try:
            return op(fact[a], fact[b])
        except KeyError:
            return False

    return field_to_field


def holds(node: Expr, fact: dict[str, Any], as_of: Any, calendar: WorkCalendar = DEFAULT) -> bool:
    """Whether ``node`` holds for ``fact`` (values encoded as engine.compile.encode does)."""
    return compile_condition(normal(node), as_of, calendar)(fact)


class Verdicts:
    """The reference's answer for every condition on a fact, worked out once per set of values.

    ``conditions`` maps a condition key to the fact kind it applies to and its parts, which
    must all hold (a rule's scope, its condition, a ladder step...). A condition's answer
    depends only on the fact's kind and the values of the fields it reads, so ``holding``
    works out each group of conditions reading the same fields once per distinct combination
    of those values and remembers it; within a fact, a part shared by several conditions
    (the scope and condition of a rule and of its ladder steps) is evaluated once.
    The engine compares durable-rules' verdict on every (condition, fact) pair with this.
    """

    MEMORY = 50_000  # combinations remembered per group before starting afresh (bounds memory)

    def __init__(
        self, conditions: dict[str, tuple[str, tuple[Expr, ...]]], as_of: Any, calendar: WorkCalendar = DEFAULT
    ) -> None:
        parts: dict[Expr, int] = {}  # each distinct part, compiled once
        tests: list[Test] = []
        grouped: dict[str, dict[tuple[str, ...], list[tuple[str, list[int]]]]] = {}
        for key, (kind, conjuncts) in conditions.items():
            ids = []
            for part in conjuncts:
                if part not in parts:
                    parts[part] = len(tests)
                    tests.append(compile_condition(normal(part), as_of, calendar))
                ids.append(parts[part])
            names = tuple(sorted({f.name for part in conjuncts for f in fields_of(part)} - {AS_OF}))
            grouped.setdefault(kind, {}).setdefault(names, []).append((key, ids))
        self._kinds = {kind: _KindVerdicts(groups, tests, self.MEMORY) for kind, groups in grouped.items()}
        self.per_kind = {kind: sum(len(items) for items in groups.values()) for kind, groups in grouped.items()}

    def holding(self, fact: dict[str, Any]) -> frozenset[str]:
        """The keys of the conditions that hold for ``fact`` (values encoded)."""
        kind = self._kinds.get(fact.get("kind"))  # type: ignore[arg-type]
        return kind.holding(fact) if kind is not None else _NOTHING


_NOTHING: frozenset[str] = frozenset()


class _KindVerdicts:
    def __init__(self, groups: dict[tuple[str, ...], list[tuple[str, list[int]]]], tests: list[Test], memory: int) -> None:
        self.tests = tests
        self.memory = memory
        self.names = tuple(sorted({n for names in groups for n in names}))
        self.groups = [(names, items, {}) for names, items in groups.items()]
        self.known: dict[tuple, frozenset[str]] = {}

    def holding(self, fact: dict[str, Any]) -> frozenset[str]:
        # Absent fields read as None: encoded facts never hold None (the adapter refuses it).
        values = tuple(map(fact.get, self.names))
        answer = self.known.get(values)
        if answer is None:
            if len(self.known) >= self.memory:
                self.known.clear()
            done: dict[int, bool] = {}
            answer = self.known[values] = frozenset().union(*(self._group(g, fact, done) for g in self.groups))
        return answer

    def _group(self, group, fact: dict[str, Any], done: dict[int, bool]) -> frozenset[str]:
        names, items, known = group
        values = tuple(map(fact.get, names))
        answer = known.get(values)
        if answer is None:
            if len(known) >= self.memory:
                known.clear()
            tests = self.tests
            held = []
            for key, ids in items:
                for part in ids:
                    result = done.get(part)
                    if result is None:
                        result = done[part] = tests[part](fact)
                    if not result:
                        break
                else:
                    held.append(key)
            answer = known[values] = frozenset(held)
        return answer
