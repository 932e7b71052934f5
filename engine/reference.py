"""The reference evaluator: the meaning of a condition, in plain Python.

durable-rules does the nightly evaluation; this module defines what the answer
must be. Property tests require the two to agree on every generated condition
and fact, and `dondoc rules explain` uses it to show each sub-condition's value.

Semantics: conditions are read in negation normal form (engine.compile.normal);
a comparison that reads a missing field is false; 'is missing' is true when the
field is absent. Facts hold values as engine.compile.encode writes them.
"""

from __future__ import annotations

import operator
from typing import Any

from dondoc.engine.compile import decode_date, encode, normal
from dondoc.engine.expression import And, Arith, Call, Compare, Contains, Expr, Field, In, Literal, Missing, Or, Shift
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
    if isinstance(node, Literal):
        return encode(node.value)
    if isinstance(node, Field):
        if node.name == AS_OF:
            return encode(as_of)
        if node.name not in fact:
            raise Absent(node.name)
        return fact[node.name]
    if isinstance(node, Arith):
        left, right = value(node.left, fact, as_of, calendar), value(node.right, fact, as_of, calendar)
        if node.op == "+":
            return left + right
        if node.op == "-":
            return left - right
        if node.op == "*":
            return left * right
        return left / right
    if isinstance(node, Shift):
        base = decode_date(value(node.base, fact, as_of, calendar))
        return encode(shift(base, node.days, node.working, calendar))
    if isinstance(node, Call):
        # The language's functions take plain values: dates as dates.
        types = FUNCTIONS[node.name].args
        args = [value(a, fact, as_of, calendar) for a in node.args]
        plain = [decode_date(a) if t == "date" else a for a, t in zip(args, types)]
        return encode(call(node.name, plain, calendar))
    raise AssertionError(node)


def _test(node: Expr, fact: dict[str, Any], as_of: Any, calendar: WorkCalendar) -> bool:
    if isinstance(node, Literal):
        return bool(node.value)
    if isinstance(node, And):
        return all(_test(i, fact, as_of, calendar) for i in node.items)
    if isinstance(node, Or):
        return any(_test(i, fact, as_of, calendar) for i in node.items)
    if isinstance(node, Missing):
        return (node.field.name in fact) == node.negated
    try:
        if isinstance(node, Contains):
            return node.text in value(node.field, fact, as_of, calendar)
        if isinstance(node, In):
            item = value(node.item, fact, as_of, calendar)
            found = any(item == encode(o.value) for o in node.options)
            return not found if node.negated else found
        if isinstance(node, Compare):
            return _OPS[node.op](value(node.left, fact, as_of, calendar), value(node.right, fact, as_of, calendar))
    except Absent:
        return False
    except ZeroDivisionError:
        return False
    raise AssertionError(node)


def holds(node: Expr, fact: dict[str, Any], as_of: Any, calendar: WorkCalendar = DEFAULT) -> bool:
    """Whether ``node`` holds for ``fact`` (values encoded as engine.compile.encode does)."""
    return _test(normal(node), fact, as_of, calendar)
