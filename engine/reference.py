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
from dondoc.engine.expression import And, Arith, Compare, Contains, Expr, Field, In, Literal, Missing, Or
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
