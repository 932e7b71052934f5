"""Compiles a checked condition tree into durable-rules' dict (JSON) form.

durable-rules has no date type, rejects '$not', wants a plain field on the left
of every comparison, treats a missing field inside arithmetic as if it matched,
and cannot count working days. So the compiler
- writes dates as integers YYYYMMDD and true/false as 1/0 (see ``encode``),
- works out here whatever reads no field of the fact (``as_of - 5 working days``,
  ``as_of >= 01/07/2026``): a comparison of constants becomes true or false,
- turns what a rule computes from a fact's fields (``weekday(due)``,
  ``due - 5 working days``) into a ``Term``: a value engine/run.py adds to the
  fact before it goes in (engine/functions.py computes it),
- pushes 'not' down to the comparisons (De Morgan), flipping each operator,
- moves terms across a comparison so that a lone field stands on the left,
- guards every comparison with '$ex' on the optional fields it reads, so a
  comparison with a missing operand is false, exactly as engine/reference.py says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dondoc.engine.expression import (
    And,
    Arith,
    Call,
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
    Shift,
    children,
    fields_of,
    nodes,
    to_text,
)
from dondoc.engine.functions import call, shift
from dondoc.engine.typecheck import AS_OF, field_spec
from dondoc.facts.calendar import DEFAULT, WorkCalendar
from dondoc.facts.kinds import KINDS

_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_DURABLE_OP = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "!=": "$neq"}
_ARITH_OP = {"+": "$add", "-": "$sub", "*": "$mul", "/": "$div"}
_LUA_MAGIC = set("^$()%.[]*+-?")
# Conditions that always / never hold: every fact we assert has a 'kind'.
ALWAYS = {"$ex": {"kind": 1}}
NEVER = {"$nex": {"kind": 1}}


@dataclass(frozen=True)
class Term(Field):
    """A value computed from a fact's fields (a function call, a date moved by some days).

    ``name`` is the key the value is stored under in the fact ("=weekday(due)").
    """

    expr: Expr | None = None


def term_key(node: Expr) -> str:
    return "=" + to_text(node)


def terms_needed(kind: str, exprs: list[Expr], as_of: dt.date, calendar: WorkCalendar = DEFAULT) -> list[Term]:
    """The values engine/run.py must compute for each fact of ``kind`` before it goes in."""
    compiler = Compiler(kind, as_of, calendar)
    found: dict[str, Term] = {}
    for expr in exprs:
        for node in nodes(compiler.prepare(expr)):
            if isinstance(node, Term):
                found.setdefault(node.name, node)
    return list(found.values())


def encode(value: Any) -> Any:
    """A fact or literal value as durable-rules stores it."""
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, dt.date):
        return value.year * 10000 + value.month * 100 + value.day
    return value


def decode_date(value: int) -> dt.date:
    return dt.date(value // 10000, value // 100 % 100, value % 100)


def negate(node: Expr) -> Expr:
    """not node, with the 'not' pushed down to the leaves."""
    if isinstance(node, Compare):
        return Compare(_NEGATE[node.op], node.left, node.right, node.pos)
    if isinstance(node, In):
        return In(node.item, node.options, not node.negated, node.pos)
    if isinstance(node, Missing):
        return Missing(node.field, not node.negated, node.pos)
    if isinstance(node, And):
        return Or(tuple(negate(i) for i in node.items))
    if isinstance(node, Or):
        return And(tuple(negate(i) for i in node.items))
    if isinstance(node, Not):
        return normal(node.item)
    if isinstance(node, Literal):  # a constant, worked out already
        return Literal(not node.value, node.pos)
    if isinstance(node, (Field, Call)):  # a true/false field or function
        return Compare("==", node, Literal(False), node.pos)
    if isinstance(node, Contains):
        raise ExpressionError(
            "không viết 'not' trước 'contains': bộ máy luật không kiểm tra được \"không chứa\"",
            node.pos,
            hint="viết quy tắc cho những câu có chứa các chữ đó",
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
    if isinstance(node, (Field, Call)):
        return Compare("==", node, Literal(True), node.pos)
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


def _scaled(side: Expr) -> tuple[Field, Expr] | None:
    """'actual * 2' -> (actual, 2): a field times a number, for the suggestion below."""
    if isinstance(side, Arith) and side.op in "*/":
        if isinstance(side.left, Field) and isinstance(side.right, Literal):
            return side.left, side.right
        if side.op == "*" and isinstance(side.right, Field) and isinstance(side.left, Literal):
            return side.right, side.left
    return None


def _lone_field(node: Compare) -> Compare:
    """Rearrange so the left side is one field: 'value - actual > 5' -> 'value > actual + 5'."""
    if isinstance(node.left, Field):
        return node
    if isinstance(node.right, Field):
        return Compare(_FLIP[node.op], node.right, node.left, node.pos)
    left = _terms(node.left, 1)
    right = _terms(node.right, 1)
    for terms, other, op in ((left, right, node.op), (right, left, _FLIP[node.op])):
        for i, (sign, term) in enumerate(terms):
            if sign > 0 and isinstance(term, Field):
                rest = [(-s, t) for j, (s, t) in enumerate(terms) if j != i]
                return Compare(op, term, _sum(other + rest), node.pos)
    hint = "ví dụ viết 'actual < value - 5' thay cho '5 > value - actual'"
    for side, other, op in ((node.left, node.right, node.op), (node.right, node.left, _FLIP[node.op])):
        scaled = _scaled(side)
        if scaled and isinstance(scaled[1].value, (int, float)) and scaled[1].value > 0:
            field, factor = scaled
            inverse = "/" if side.op == "*" else "*"  # type: ignore[union-attr]
            rest = to_text(other)
            if isinstance(other, Arith) and other.op in "+-":
                rest = f"({rest})"
            hint = f"chia (hoặc nhân) cả hai vế cho {to_text(factor)}: viết '{field.name} {op} {rest} {inverse} {to_text(factor)}'"
            break
    raise ExpressionError(
        "một vế của phép so sánh phải có một trường đứng riêng (được cộng, không bị trừ, nhân hay chia)",
        node.pos,
        hint=hint,
    )


class Compiler:
    """Compiles conditions for one fact kind, one as-of date and one working-day calendar."""

    def __init__(self, kind: str, as_of: dt.date, calendar: WorkCalendar = DEFAULT) -> None:
        self.kind = kind
        self.as_of = as_of
        self.calendar = calendar

    def condition(self, node: Expr) -> dict:
        prepared = simplify(normal(self.prepare(node)), self.as_of, self.calendar)
        if isinstance(prepared, Literal):
            return ALWAYS if prepared.value else NEVER
        return self._node(prepared)

    def prepare(self, node: Expr) -> Expr:
        """as_of bound, constants worked out, computed values made Terms."""
        node = bind(node, self.as_of, self.calendar)
        return _with_terms(node)

    def _optional(self, node: Expr) -> list[str]:
        names: list[str] = []

        def add(name: str) -> None:
            if name not in names:
                names.append(name)

        def walk(n: Expr) -> None:
            if isinstance(n, Term):
                if any(f.name != AS_OF and not field_spec(self.kind, f).always for f in fields_of(n.expr)):
                    add(n.name)
            elif isinstance(n, Field):
                if n.name != AS_OF and not field_spec(self.kind, n).always:
                    add(n.name)
            else:
                for child in children(n):
                    walk(child)

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
            tests = [Compare("!=" if node.negated else "==", item, opt, node.pos) for opt in node.options]
            compiled = [self._compare(t) for t in tests]
            inner = {"$and": compiled} if node.negated else {"$or": compiled}
            return self._guarded(item, inner)
        if isinstance(node, Compare):
            return self._guarded(node, self._compare(node))
        raise AssertionError(node)

    def _compare(self, node: Compare) -> dict:
        lone = _lone_field(node)
        name = lone.left.name  # type: ignore[union-attr]
        value = self._value(lone.right)
        if lone.op == "==":
            return {name: value}
        return {_DURABLE_OP[lone.op]: {name: value}}


def bind(node: Expr, as_of: dt.date, calendar: WorkCalendar) -> Expr:
    """``as_of`` as a date literal, and what reads no field of the fact worked out."""
    if isinstance(node, Field):
        return Literal(as_of, node.pos) if node.name == AS_OF else node
    if isinstance(node, Arith):
        return fold(Arith(node.op, bind(node.left, as_of, calendar), bind(node.right, as_of, calendar), node.pos))
    if isinstance(node, Shift):
        base = bind(node.base, as_of, calendar)
        if isinstance(base, Literal):
            return Literal(shift(base.value, node.days, node.working, calendar), node.pos)  # type: ignore[arg-type]
        return Shift(base, node.days, node.working, node.pos)
    if isinstance(node, Call):
        args = tuple(bind(a, as_of, calendar) for a in node.args)
        if all(isinstance(a, Literal) for a in args):
            return Literal(call(node.name, [a.value for a in args], calendar), node.pos)  # type: ignore[union-attr]
        return Call(node.name, args, node.pos)
    if isinstance(node, Compare):
        return Compare(node.op, bind(node.left, as_of, calendar), bind(node.right, as_of, calendar), node.pos)
    if isinstance(node, In):
        return In(bind(node.item, as_of, calendar), node.options, node.negated, node.pos)
    if isinstance(node, (And, Or)):
        return type(node)(tuple(bind(i, as_of, calendar) for i in node.items))
    if isinstance(node, Not):
        return Not(bind(node.item, as_of, calendar), node.pos)
    return node


def _with_terms(node: Expr) -> Expr:
    """Each computed value that reads the fact replaced by its Term."""
    if isinstance(node, (Call, Shift)):
        return Term(term_key(node), node.pos, node)
    if isinstance(node, Arith):
        return Arith(node.op, _with_terms(node.left), _with_terms(node.right), node.pos)
    if isinstance(node, Compare):
        return Compare(node.op, _with_terms(node.left), _with_terms(node.right), node.pos)
    if isinstance(node, In):
        return In(_with_terms(node.item), node.options, node.negated, node.pos)
    if isinstance(node, (And, Or)):
        return type(node)(tuple(_with_terms(i) for i in node.items))
    if isinstance(node, Not):
        return Not(_with_terms(node.item), node.pos)
    return node


def simplify(node: Expr, as_of: dt.date, calendar: WorkCalendar) -> Expr:
    """Comparisons of constants worked out; and/or with true/false items reduced."""
    from dondoc.engine.reference import holds

    if isinstance(node, (Compare, In)) and not any(isinstance(n, Field) for n in nodes(node)):
        return Literal(holds(node, {}, as_of, calendar), getattr(node, "pos", None))
    if isinstance(node, (And, Or)):
        absorbing = isinstance(node, Or)  # true absorbs an 'or', false an 'and'
        items = []
        for item in (simplify(i, as_of, calendar) for i in node.items):
            if isinstance(item, Literal):
                if bool(item.value) == absorbing:
                    return Literal(absorbing)
                continue
            items.append(item)
        if not items:
            return Literal(not absorbing)
        return items[0] if len(items) == 1 else type(node)(tuple(items))
    return node


def fold(node: Expr) -> Expr:
    """Work out arithmetic on literals here: durable-rules cannot ('0 + 1' never matches)."""
    if not isinstance(node, Arith):
        return node
    left, right = fold(node.left), fold(node.right)
    if isinstance(left, Literal) and isinstance(right, Literal):
        a, b = left.value, right.value
        if node.op == "+":
            return Literal(a + b, node.pos)  # type: ignore[operator]
        if node.op == "-":
            return Literal(a - b, node.pos)  # type: ignore[operator]
        if node.op == "*":
            return Literal(a * b, node.pos)  # type: ignore[operator]
        if b != 0:
            return Literal(a / b, node.pos)  # type: ignore[operator]
    return Arith(node.op, left, right, node.pos)


def kind_test(kind: str) -> dict:
    assert kind in KINDS
    return {"kind": kind}
