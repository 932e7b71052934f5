"""Compiles a checked condition tree into durable-rules' dict (JSON) form.

durable-rules has no date type, rejects '$not', wants a plain field on the left
of every comparison, and treats a missing field inside arithmetic as if it
matched. So the compiler
- writes dates as integers YYYYMMDD and true/false as 1/0 (see ``encode``),
- pushes 'not' down to the comparisons (De Morgan), flipping each operator,
- moves terms across a comparison so that a lone field stands on the left,
- guards every comparison with '$ex' on the optional fields it reads, so a
  comparison with a missing operand is false, exactly as engine/reference.py says.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dondoc.engine.expression import (
    And,
    Arith,
    Compare,
    Contains,
    Expr,
    ExpressionError,
    Field,
    In,
    Literal,
    Missing,
    Not,
    Or,
)
from dondoc.engine.typecheck import AS_OF, field_spec
from dondoc.facts.kinds import KINDS

_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_DURABLE_OP = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "!=": "$neq"}
_ARITH_OP = {"+": "$add", "-": "$sub", "*": "$mul", "/": "$div"}
_LUA_MAGIC = set("^$()%.[]*+-?")


def encode(value: Any) -> Any:
    """A fact or literal value as durable-rules stores it."""
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, dt.date):
        return value.year * 10000 + value.month * 100 + value.day
    return value


def negate(node: Expr) -> Expr:
    """not node, with the 'not' pushed down to the leaves."""
    if isinstance(node, Compare):
        return Compare(_NEGATE[node.op], node.left, node.right, node.column)
    if isinstance(node, In):
        return In(node.item, node.options, not node.negated, node.column)
    if isinstance(node, Missing):
        return Missing(node.field, not node.negated, node.column)
    if isinstance(node, And):
        return Or(tuple(negate(i) for i in node.items))
    if isinstance(node, Or):
        return And(tuple(negate(i) for i in node.items))
    if isinstance(node, Not):
        return normal(node.item)
    if isinstance(node, Field):  # a true/false field
        return Compare("==", node, Literal(False), node.column)
    if isinstance(node, Contains):
        raise ExpressionError(
            "'not' cannot stand before 'contains' (the engine cannot test that a text lacks words)",
            node.column,
            hint="write the rule for the texts that do contain the words instead",
        )
    raise AssertionError(node)


def normal(node: Expr) -> Expr:
    """The negation normal form: 'not' only as flipped comparisons and 'is present'."""
    if isinstance(node, Not):
        return negate(node.item)
    if isinstance(node, And):
        return And(tuple(normal(i) for i in node.items))
    if isinstance(node, Or):
        return Or(tuple(normal(i) for i in node.items))
    if isinstance(node, Field):
        return Compare("==", node, Literal(True), node.column)
    return node


def _bind_as_of(node: Expr, as_of: dt.date) -> Expr:
    if isinstance(node, Field) and node.name == AS_OF:
        return Literal(as_of, node.column)
    if isinstance(node, Arith):
        return Arith(node.op, _bind_as_of(node.left, as_of), _bind_as_of(node.right, as_of), node.column)
    return node


def _terms(node: Expr, sign: int) -> list[tuple[int, Expr]]:
    """Split a sum into signed terms: a - (b + 2) -> [(+1, a), (-1, b), (-1, 2)]."""
    if isinstance(node, Arith) and node.op in "+-":
        right_sign = sign if node.op == "+" else -sign
        return _terms(node.left, sign) + _terms(node.right, right_sign)
    return [(sign, node)]


def _sum(terms: list[tuple[int, Expr]]) -> Expr:
    if not terms:
        return Literal(0)
    sign, first = terms[0]
    expr = first if sign > 0 else Arith("-", Literal(0), first)
    for sign, term in terms[1:]:
        expr = Arith("+" if sign > 0 else "-", expr, term)
    return expr


def _lone_field(node: Compare) -> Compare:
    """Rearrange so the left side is one field: 'value - actual > 5' -> 'value > actual + 5'."""
    if isinstance(node.left, Field):
        return node
    if isinstance(node.right, Field):
        return Compare(_FLIP[node.op], node.right, node.left, node.column)
    left = _terms(node.left, 1)
    right = _terms(node.right, 1)
    for terms, other, op in ((left, right, node.op), (right, left, _FLIP[node.op])):
        for i, (sign, term) in enumerate(terms):
            if sign > 0 and isinstance(term, Field):
                rest = [(-s, t) for j, (s, t) in enumerate(terms) if j != i]
                return Compare(op, term, _sum(other + rest), node.column)
    raise ExpressionError(
        "one side of this comparison must hold a field on its own (added, not subtracted)",
        node.column,
        hint="e.g. write 'actual < value - 5' rather than '5 > value - actual'",
    )


class Compiler:
    """Compiles conditions for one fact kind and one as-of date."""

    def __init__(self, kind: str, as_of: dt.date) -> None:
        self.kind = kind
        self.as_of = as_of

    def condition(self, node: Expr) -> dict:
        return self._node(normal(node))

    def _optional(self, node: Expr) -> list[str]:
        names: list[str] = []

        def walk(n: Expr) -> None:
            if isinstance(n, Field) and n.name != AS_OF and not field_spec(self.kind, n).always:
                if n.name not in names:
                    names.append(n.name)
            elif isinstance(n, (Arith, Compare)):
                walk(n.left)
                walk(n.right)
            elif isinstance(n, In):
                walk(n.item)
            elif isinstance(n, Contains):
                walk(n.field)

        walk(node)
        return names

    def _guarded(self, node: Expr, test: dict) -> dict:
        guards = [{"$ex": {name: 1}} for name in self._optional(node)]
        return {"$and": guards + [test]} if guards else test

    def _value(self, node: Expr) -> Any:
        node = fold(node)
        if isinstance(node, Literal):
            return encode(node.value)
        if isinstance(node, Field):
            return {"$m": node.name}
        if isinstance(node, Arith):
            return {_ARITH_OP[node.op]: {"$l": self._value(node.left), "$r": self._value(node.right)}}
        raise AssertionError(node)

    def _node(self, node: Expr) -> dict:
        if isinstance(node, And):
            return {"$and": [self._node(i) for i in node.items]}
        if isinstance(node, Or):
            return {"$or": [self._node(i) for i in node.items]}
        if isinstance(node, Missing):
            return {"$ex" if node.negated else "$nex": {node.field.name: 1}}
        if isinstance(node, Contains):
            pattern = "".join("%" + ch if ch in _LUA_MAGIC else ch for ch in node.text)
            return self._guarded(node, {"$mt": {node.field.name: f".*{pattern}.*"}})
        if isinstance(node, In):
            item = node.item
            tests = [Compare("!=" if node.negated else "==", item, opt, node.column) for opt in node.options]
            compiled = [self._compare(t) for t in tests]
            inner = {"$and": compiled} if node.negated else {"$or": compiled}
            return self._guarded(item, inner)
        if isinstance(node, Compare):
            return self._guarded(node, self._compare(node))
        raise AssertionError(node)

    def _compare(self, node: Compare) -> dict:
        bound = Compare(
            node.op, _bind_as_of(node.left, self.as_of), _bind_as_of(node.right, self.as_of), node.column
        )
        if not any(isinstance(n, Field) for n in (bound.left, bound.right)) and not (
            _has_field(bound.left) or _has_field(bound.right)
        ):
            raise ExpressionError("this comparison reads no field of the fact", node.column)
        lone = _lone_field(bound)
        name = lone.left.name  # type: ignore[union-attr]
        value = self._value(lone.right)
        if lone.op == "==":
            return {name: value}
        return {_DURABLE_OP[lone.op]: {name: value}}


def fold(node: Expr) -> Expr:
    """Work out arithmetic on literals here: durable-rules cannot ('0 + 1' never matches)."""
    if not isinstance(node, Arith):
        return node
    left, right = fold(node.left), fold(node.right)
    if isinstance(left, Literal) and isinstance(right, Literal):
        a, b = left.value, right.value
        if node.op == "+":
            return Literal(a + b, node.column)
        if node.op == "-":
            return Literal(a - b, node.column)
        if node.op == "*":
            return Literal(a * b, node.column)
        if b != 0:
            return Literal(a / b, node.column)
    return Arith(node.op, left, right, node.column)


def _has_field(node: Expr) -> bool:
    if isinstance(node, Field):
        return True
    if isinstance(node, Arith):
        return _has_field(node.left) or _has_field(node.right)
    return False


def kind_test(kind: str) -> dict:
    assert kind in KINDS
    return {"kind": kind}
