"""The reference evaluator: the meaning of a condition, in plain Python.

durable-rules does the nightly evaluation; this module defines what the answer
must be. Property tests require the two to agree on every generated condition
and fact, and `dondoc rules explain` uses it to show each sub-condition's value.

Semantics: conditions are read in negation normal form (engine.compile.normal);
a comparison that reads a missing field is false; 'is missing' is true when the
field is absent.
"""

from __future__ import annotations

import operator
from typing import Any

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


class _Absent(Exception):
    pass


def _value(node: Expr, fact: dict[str, Any], as_of: Any) -> Any:
    if isinstance(node, Literal):
        return encode(node.value)
    if isinstance(node, Field):
        if node.name == AS_OF:
            return encode(as_of)
        if node.name not in fact:
            raise _Absent(node.name)
        return fact[node.name]
    if isinstance(node, Arith):
        left, right = _value(node.left, fact, as_of), _value(node.right, fact, as_of)
        if node.op == "+":
            return left + right
        if node.op == "-":
            return left - right
        if node.op == "*":
            return left * right
        return left / right
    raise AssertionError(node)


def _test(node: Expr, fact: dict[str, Any], as_of: Any) -> bool:
    if isinstance(node, And):
        return all(_test(i, fact, as_of) for i in node.items)
    if isinstance(node, Or):
        return any(_test(i, fact, as_of) for i in node.items)
    if isinstance(node, Missing):
        return (node.field.name in fact) == node.negated
    try:
        if isinstance(node, Contains):
            return node.text in _value(node.field, fact, as_of)
        if isinstance(node, In):
            item = _value(node.item, fact, as_of)
            found = any(item == encode(o.value) for o in node.options)
            return not found if node.negated else found
        if isinstance(node, Compare):
            return _OPS[node.op](_value(node.left, fact, as_of), _value(node.right, fact, as_of))
    except _Absent:
        return False
    except ZeroDivisionError:
        return False
    raise AssertionError(node)


def holds(node: Expr, fact: dict[str, Any], as_of: Any) -> bool:
    """Whether ``node`` holds for ``fact`` (values encoded as engine.compile.encode does)."""
    return _test(normal(node), fact, as_of)


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
        grouped: dict[str, dict[tuple[str, ...], list[tuple[str, Expr]]]] = {}
        for key, (kind, expr) in conditions.items():
            names = tuple(sorted({f.name for f in fields_of(expr)} - {AS_OF}))
            grouped.setdefault(kind, {}).setdefault(names, []).append((key, normal(expr)))
        self._kinds = {kind: _KindVerdicts(groups, as_of, self.MEMORY) for kind, groups in grouped.items()}
        self.per_kind = {kind: sum(len(items) for items in groups.values()) for kind, groups in grouped.items()}

    def holding(self, fact: dict[str, Any]) -> frozenset[str]:
        """The keys of the conditions that hold for ``fact`` (values encoded)."""
        kind = self._kinds.get(fact.get("kind"))  # type: ignore[arg-type]
        return kind.holding(fact) if kind is not None else _NOTHING


class _KindVerdicts:
    def __init__(self, groups: dict[tuple[str, ...], list[tuple[str, Expr]]], as_of: Any, memory: int) -> None:
        self.as_of = as_of
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
            answer = known[values] = frozenset(key for key, expr in items if _test(expr, fact, self.as_of))
        return answer
