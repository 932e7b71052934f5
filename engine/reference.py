"""The reference evaluator: the meaning of a condition, in plain Python.

durable-rules does the nightly evaluation; this module defines what the answer
must be. Property tests require the two to agree on every generated condition
and fact, and `dondoc rules explain` uses it to show each sub-condition's value.

Semantics: conditions are read in negation normal form (engine.compile.normal);
a comparison that reads a missing field (or divides by zero) is false; 'is
missing' is true when the field is absent. A condition is turned once into
plain Python closures (``compile_condition``), then applied to facts.
"""

from __future__ import annotations

import operator
from typing import Any, Callable

from dondoc.engine.compile import encode, normal
from dondoc.engine.expression import And, Arith, Compare, Contains, Expr, Field, In, Literal, Missing, Or, fields_of
from dondoc.engine.typecheck import AS_OF

_OPS = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}

Test = Callable[[dict[str, Any]], bool]


def _value(node: Expr, as_of: Any) -> Callable[[dict[str, Any]], Any]:
    """A value's reader. A missing field raises KeyError, which makes its comparison false."""
    if isinstance(node, Literal) or (isinstance(node, Field) and node.name == AS_OF):
        constant = encode(node.value if isinstance(node, Literal) else as_of)
        return lambda fact: constant
    if isinstance(node, Field):
        return operator.itemgetter(node.name)
    if isinstance(node, Arith):
        op, left, right = _ARITH[node.op], _value(node.left, as_of), _value(node.right, as_of)
        return lambda fact: op(left(fact), right(fact))
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


def _leaf(evaluate: Callable[[dict[str, Any]], bool]) -> Test:
    def test(fact: dict[str, Any]) -> bool:
        try:
            return evaluate(fact)
        except (KeyError, ZeroDivisionError):  # a missing field, a division by zero: false
            return False

    return test


def compile_condition(node: Expr, as_of: Any) -> Test:
    """The condition (in negation normal form) as a function of an encoded fact."""
    if isinstance(node, And):
        return _all([compile_condition(i, as_of) for i in node.items])
    if isinstance(node, Or):
        return _any([compile_condition(i, as_of) for i in node.items])
    if isinstance(node, Missing):
        name, negated = node.field.name, node.negated
        return lambda fact: (name in fact) == negated
    if isinstance(node, Contains):
        text, value = node.text, _value(node.field, as_of)
        return _leaf(lambda fact: text in value(fact))
    if isinstance(node, In):
        item, options, negated = _value(node.item, as_of), [encode(o.value) for o in node.options], node.negated

        def found(fact: dict[str, Any]) -> bool:
            value = item(fact)
            return any(value == option for option in options) != negated

        return _leaf(found)
    if isinstance(node, Compare):
        op, left, right = _OPS[node.op], _value(node.left, as_of), _value(node.right, as_of)
        return _leaf(lambda fact: op(left(fact), right(fact)))
    raise AssertionError(node)


def holds(node: Expr, fact: dict[str, Any], as_of: Any) -> bool:
    """Whether ``node`` holds for ``fact`` (values encoded as engine.compile.encode does)."""
    return compile_condition(normal(node), as_of)(fact)


_NOTHING: frozenset[str] = frozenset()


class Verdicts:
    """The reference's answer for every condition on a fact, worked out once per set of values.

    ``conditions`` maps a condition key to the fact kind it applies to and its meaning. A
    condition's answer depends only on the fact's kind and the values of the fields it
    reads, so ``holding`` evaluates each group of conditions reading the same fields once
    per distinct combination of those values (with ``holds``' semantics) and remembers it.
    The engine compares durable-rules' verdict on every (condition, fact) pair with this.
    """

    MEMORY = 50_000  # combinations remembered per group before starting afresh (bounds memory)

    def __init__(self, conditions: dict[str, tuple[str, Expr]], as_of: Any) -> None:
        self.as_of = as_of
        grouped: dict[str, dict[tuple[str, ...], list[tuple[str, Test]]]] = {}
        for key, (kind, expr) in conditions.items():
            names = tuple(sorted({f.name for f in fields_of(expr)} - {AS_OF}))
            grouped.setdefault(kind, {}).setdefault(names, []).append((key, compile_condition(normal(expr), as_of)))
        self._kinds = {kind: _KindVerdicts(groups, as_of, self.MEMORY) for kind, groups in grouped.items()}
        self.per_kind = {kind: sum(len(items) for items in groups.values()) for kind, groups in grouped.items()}

    def holding(self, fact: dict[str, Any]) -> frozenset[str]:
        """The keys of the conditions that hold for ``fact`` (values encoded)."""
        kind = self._kinds.get(fact.get("kind"))  # type: ignore[arg-type]
        return kind.holding(fact) if kind is not None else _NOTHING


class _KindVerdicts:
    def __init__(self, groups: dict[tuple[str, ...], list[tuple[str, Test]]], as_of: Any, memory: int) -> None:
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
            answer = self.known[values] = frozenset().union(*(self._group(g, fact) for g in self.groups))
        return answer

    def _group(self, group, fact: dict[str, Any]) -> frozenset[str]:
        names, items, known = group
        values = tuple(map(fact.get, names))
        answer = known.get(values)
        if answer is None:
            if len(known) >= self.memory:
                known.clear()
            answer = known[values] = frozenset(key for key, test in items if test(fact))
        return answer
