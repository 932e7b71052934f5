"""Compiles a checked condition tree into durable-rules' dict (JSON) form.

durable-rules has no date type, rejects '$not', wants a plain field on the left
of every comparison, treats a missing field inside arithmetic as if it matched,
divides integers as C does (10 / 3 is 3, and 1 / 0 kills the process), cannot
test that a text lacks some words, and cannot count working days. So the compiler
- writes dates as integers YYYYMMDD and true/false as 1/0 (see ``encode``),
- works out here whatever reads no field of the fact (``as_of - 5 working days``,
  ``as_of >= 01/07/2026``): a comparison of constants becomes true or false, or
  unknown when it divides by zero (its own folding, not the reference's),
- turns what a rule computes from a fact's fields (``weekday(due)``,
  ``due - 5 working days``, ``value / weight``, ``title contains "x"``) into a
  ``Term``: a value engine/run.py adds to the fact before it goes in (``term_reader``,
  with engine/functions.py), left out when it cannot be worked out,
- reads conditions in three values, as engine/reference.py does (a test that reads an
  absent value is unknown) and writes for durable-rules, which knows two, the test that
  holds exactly when a condition is true (``TRUE``), false, not true or not false
  (``project``): 'not' pushed down to the comparisons (De Morgan), each operator
  flipped, and an absent value tested with '$nex' where it makes a test unknown,
- moves terms across a comparison so that a lone field stands on the left,
- guards every comparison with '$ex' on the optional values it reads, so a
  comparison with an absent operand is not true (and not false).

``NotTrue`` (what a refinement leaves to the rule it refines) and ``Undecided`` (a rule's
missing-data condition) are the compiler's own nodes: engine/run.py builds a rule's
conditions with them (``rule_parts``). None of this is shared with the reference evaluator.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
from dataclasses import dataclass
from typing import Any, Callable

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
from dondoc.engine.functions import CALENDAR_FUNCTIONS, call, shift
from dondoc.engine.typecheck import AS_OF, field_spec
from dondoc.facts.calendar import DEFAULT, WorkCalendar
from dondoc.facts.kinds import KINDS

_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_DURABLE_OP = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "!=": "$neq"}
_ARITH_OP = {"+": "$add", "-": "$sub", "*": "$mul"}  # '/' never reaches durable-rules: a Term
# For constants folded here; the reference evaluator has its own on purpose (see reference._OPS).
_COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq, "!=": operator.ne}
_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}
# Conditions that always / never hold: every fact we assert has a 'kind'.
ALWAYS = {"$ex": {"kind": 1}}
NEVER = {"$nex": {"kind": 1}}

# What a projection asks of a condition's three-valued truth.
TRUE, FALSE, NOT_TRUE, NOT_FALSE = "true", "false", "not true", "not false"
_UNDER_NOT = {TRUE: FALSE, FALSE: TRUE, NOT_TRUE: NOT_FALSE, NOT_FALSE: NOT_TRUE}
_KEEPS_AND = {TRUE: True, NOT_FALSE: True, FALSE: False, NOT_TRUE: False}  # 'and' stays 'and', else 'or'


@dataclass(frozen=True)
class Term(Field):
    """A value computed from a fact's fields (a function call, a date moved by some days, a
    quotient, whether a text contains some words).

    ``name`` is the key the value is stored under in the fact ("=weekday(due)"). ``partial``:
    it may have no value even when every field it reads is there (a division by zero, a date
    moved past the end of the calendar).
    """

    expr: Expr | None = None
    partial: bool = False


@dataclass(frozen=True)
class NotTrue:
    """Holds when ``item`` is false or unknown: the facts a refinement leaves to the rule it refines."""

    item: Expr


@dataclass(frozen=True)
class Undecided:
    """Holds when ``item`` is not false and one of its tests is unknown (a value it reads is
    absent): a rule's missing-data condition. Where the item is true all the same (an 'or'
    decided without the value), the rule's finding is due instead (engine/run.py): so the
    missing-data finding is due exactly when the item is unknown. Written this way, durable-rules
    sees about as much as the condition itself (trap 17), not the condition twice."""

    item: Expr


def term_key(node: Expr) -> str:
    if isinstance(node, Contains):  # the words may hold anything; durable-rules keys hold plain text
        digest = hashlib.sha1(node.text.encode("utf-8")).hexdigest()[:12]
        return f"={node.field.name} contains #{digest}"
    return "=" + to_text(node)


def encode(value: Any) -> Any:
    """A fact or literal value as durable-rules stores it."""
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, dt.date):
        return value.year * 10000 + value.month * 100 + value.day
    return value


# -- computed values ------------------------------------------------------------------------------


class NoValue(Exception):
    """A computed value that cannot be worked out for a fact: a field it reads is absent, it
    divides by zero, or a date moves off the calendar. The fact goes in without it."""


def term_reader(term: Term, calendar: WorkCalendar = DEFAULT) -> Callable[[dict[str, Any]], Any]:
    """A Term's value from a fact's own values (dates as dates), encoded; raises NoValue."""
    read = _plain(term.expr, calendar)  # type: ignore[arg-type]

    def value(values: dict[str, Any]) -> Any:
        try:
            return encode(read(values))
        except (KeyError, ZeroDivisionError, OverflowError, ValueError):
            raise NoValue(term.name) from None

    return value


def plain_value(node: Expr, values: dict[str, Any], calendar: WorkCalendar = DEFAULT) -> Any:
    """An expression's value on a fact's own values (a rule's threshold, for its letter);
    None when it cannot be worked out (a field absent, a division by zero)."""
    try:
        return _plain(node, calendar)(values)
    except (KeyError, ZeroDivisionError, OverflowError, ValueError):
        return None


def _plain(node: Expr, calendar: WorkCalendar) -> Callable[[dict[str, Any]], Any]:
    if isinstance(node, Literal):
        constant = node.value
        return lambda values: constant
    if isinstance(node, Field):  # as_of is a literal by now (bind)
        name = node.name
        return lambda values: values[name]
    if isinstance(node, Arith):
        op, left, right = _ARITH[node.op], _plain(node.left, calendar), _plain(node.right, calendar)
        return lambda values: op(left(values), right(values))
    if isinstance(node, Shift):
        base, days, working = _plain(node.base, calendar), node.days, node.working
        return lambda values: shift(base(values), days, working, calendar)
    if isinstance(node, Call):
        name, args = node.name, [_plain(a, calendar) for a in node.args]
        return lambda values: call(name, [arg(values) for arg in args], calendar)
    if isinstance(node, Contains):
        text, field = node.text, node.field.name
        return lambda values: text in values[field]
    raise AssertionError(node)


# -- constants ------------------------------------------------------------------------------------


def _constant_value(node: Expr) -> Any:
    """The value of an expression that reads no field; raises ZeroDivisionError."""
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Arith):
        return _ARITH[node.op](_constant_value(node.left), _constant_value(node.right))
    raise AssertionError(node)  # bind has worked out every other constant


def _constant_truth(node: Expr) -> bool | None:
    """A comparison of constants worked out: true, false, or None when it divides by zero."""
    try:
        if isinstance(node, Compare):
            return _COMPARE[node.op](_constant_value(node.left), _constant_value(node.right))
        if isinstance(node, In):
            item = _constant_value(node.item)
            return any(item == option.value for option in node.options) != node.negated
    except ZeroDivisionError:
        return None
    raise AssertionError(node)


def _reads_fact(node: Expr) -> bool:
    return any(isinstance(n, Field) for n in nodes(node))


def _undefined_part(node: Expr) -> bool:
    """Whether a sub-expression that reads no field cannot be worked out (a division by zero):
    the comparison holding it is unknown, whatever the fact."""
    for n in nodes(node):
        if isinstance(n, Arith) and not _reads_fact(n):
            try:
                _constant_value(n)
            except ZeroDivisionError:
                return True
    return False


# -- negation and absence -------------------------------------------------------------------------


def negate(node: Expr) -> Expr:
    """The opposite test of a leaf (a comparison, 'in', 'is missing', a constant)."""
    if isinstance(node, Compare):
        return Compare(_NEGATE[node.op], node.left, node.right, node.pos)
    if isinstance(node, In):
        return In(node.item, node.options, not node.negated, node.pos)
    if isinstance(node, Missing):
        return Missing(node.field, not node.negated, node.pos)
    if isinstance(node, Literal):
        return Literal(not node.value, node.pos)
    if isinstance(node, Contains):
        raise ExpressionError(
            "không viết 'not' trước 'contains': bộ máy luật không kiểm tra được \"không chứa\"",
            node.pos,
            hint="viết quy tắc cho những câu có chứa các chữ đó",
        )
    raise AssertionError(node)


def _all_optional(node: Expr) -> list[str]:
    return list(dict.fromkeys(f.name for f in fields_of(node) if f.name != AS_OF))


def _names_read(node: Expr) -> set[str]:
    """Every value a test reads: its fields and computed values, and the fields those read."""
    names = set()
    for n in nodes(node):
        if isinstance(n, Term):
            names.add(n.name)
            names.update(f.name for f in fields_of(n.expr))  # type: ignore[arg-type]
        elif isinstance(n, Field):
            names.add(n.name)
    return names


def project(
    node: Expr,
    want: str = TRUE,
    optional: Callable[[Expr], list[str]] = _all_optional,
    absent: frozenset[str] = frozenset(),
) -> Expr:
    """A tree of and/or over tests durable-rules can run (comparisons, 'in', 'is missing',
    constants) that holds exactly when ``node``'s three-valued truth is ``want``.

    A comparison is true or false only when every value it reads is there (each is guarded
    with '$ex' when compiled); ``optional(leaf)`` names the values of a test that a fact may
    lack, which make it unknown. ``absent``: values known to be absent, which make every test
    that reads them unknown and every 'is missing' of them true.
    """

    def go(n: Expr, w: str) -> Expr:
        return project(n, w, optional, absent)

    if isinstance(node, Not):
        return go(node.item, _UNDER_NOT[want])
    if isinstance(node, (And, Or)):
        same = _KEEPS_AND[want] == isinstance(node, And)
        return (And if same else Or)(tuple(go(i, want) for i in node.items))
    if isinstance(node, NotTrue):  # two-valued: true exactly when its item is not true
        return go(node.item, {TRUE: NOT_TRUE, FALSE: TRUE, NOT_TRUE: TRUE, NOT_FALSE: NOT_TRUE}[want])
    if isinstance(node, Undecided):  # two-valued
        leaves = _leaves(node.item)
        # First what makes a test unknown (cheap, and false for most facts): an absent value,
        # or a part that divides by zero whatever the fact.
        unknown: list[Expr] = [Literal(True)] if any(_undefined_part(leaf) for leaf in leaves) else []
        unknown += dict.fromkeys(Missing(Field(n)) for leaf in leaves for n in optional(leaf))
        if want not in (TRUE, NOT_FALSE):
            return Or((And(tuple(negate(u) for u in unknown)), go(node.item, FALSE))) if unknown else Literal(True)
        if not unknown:
            return Literal(False)
        whole = simplify(And((Or(tuple(unknown)), go(node.item, NOT_FALSE))))
        # The same, case by case: each absent value with the tests that read it worked out as
        # unknown; smaller when few values may be absent. durable-rules gets the smaller.
        cases = simplify(Or(tuple(
            And((u, project(node.item, NOT_FALSE, optional, absent | {u.field.name})))
            if isinstance(u, Missing) else And((u, go(node.item, NOT_FALSE)))
            for u in unknown
        )))
        return cases if _size(cases) <= _size(whole) else whole
    if isinstance(node, (Field, Call)):  # a true/false field or function, as a test
        node = Compare("==", node, Literal(True), node.pos)
    truth: bool | None
    if isinstance(node, Literal):
        truth = bool(node.value)
    elif isinstance(node, Missing):  # never unknown
        if node.field.name not in absent:
            return node if want in (TRUE, NOT_FALSE) else negate(node)
        truth = not node.negated
    elif _undefined_part(node) or (absent and _names_read(node) & absent):
        truth = None
    elif not _reads_fact(node):
        truth = _constant_truth(node)
    elif want == TRUE:
        return node
    elif want == FALSE:
        return negate(node)
    else:
        test = node if want == NOT_FALSE else negate(node)
        missing = [Missing(Field(n)) for n in optional(node)]
        return Or((test, *missing)) if missing else test
    held = {TRUE: truth is True, FALSE: truth is False, NOT_TRUE: truth is not True, NOT_FALSE: truth is not False}
    return Literal(held[want], getattr(node, "pos", None))


def _size(node: Expr) -> int:
    """How much of a rule's expression sequence a tree takes, about (trap 17): its and/or and its tests."""
    if isinstance(node, (And, Or)):
        return 2 + sum(_size(i) for i in node.items)
    return 1


def _leaves(node: Expr) -> list[Expr]:
    """The tests a condition is made of (those that can be unknown: not 'is missing')."""
    if isinstance(node, (And, Or)):
        return [leaf for item in node.items for leaf in _leaves(item)]
    if isinstance(node, (Not, NotTrue, Undecided)):
        return _leaves(node.item)
    if isinstance(node, (Missing, Literal)):
        return []
    return [node]


def normal(node: Expr) -> Expr:
    """The negation normal form: what holds exactly when ``node`` is true."""
    return project(node, TRUE)


# -- moving terms ---------------------------------------------------------------------------------


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


def _lone(node: Expr) -> bool:
    """A field (or computed value) that can stand alone on the left: not a quotient, which
    the language keeps on the right of a comparison (as it was before quotients were Terms)."""
    return isinstance(node, Field) and not (isinstance(node, Term) and isinstance(node.expr, Arith))


def _written(node: Expr) -> Expr:
    """The expression as the rule writes it, computed values put back."""
    if isinstance(node, Term):
        return node.expr  # type: ignore[return-value]
    if isinstance(node, Arith):
        return Arith(node.op, _written(node.left), _written(node.right), node.pos)
    return node


def _scaled(side: Expr) -> tuple[Field, Expr] | None:
    """'actual * 2' -> (actual, 2): a field times a number, for the suggestion below."""
    side = _written(side)
    if isinstance(side, Arith) and side.op in "*/":
        if isinstance(side.left, Field) and isinstance(side.right, Literal):
            return side.left, side.right
        if side.op == "*" and isinstance(side.right, Field) and isinstance(side.left, Literal):
            return side.right, side.left
    return None


def _lone_field(node: Compare) -> Compare:
    """Rearrange so the left side is one field: 'value - actual > 5' -> 'value > actual + 5'."""
    if _lone(node.left):
        return node
    if _lone(node.right):
        return Compare(_FLIP[node.op], node.right, node.left, node.pos)
    left = _terms(node.left, 1)
    right = _terms(node.right, 1)
    for terms, other, op in ((left, right, node.op), (right, left, _FLIP[node.op])):
        for i, (sign, term) in enumerate(terms):
            if sign > 0 and _lone(term):
                rest = [(-s, t) for j, (s, t) in enumerate(terms) if j != i]
                return Compare(op, term, _sum(other + rest), node.pos)
    hint = "ví dụ viết 'actual < value - 5' thay cho '5 > value - actual'"
    for side, other, op in ((node.left, node.right, node.op), (node.right, node.left, _FLIP[node.op])):
        scaled = _scaled(side)
        if scaled and isinstance(scaled[1].value, (int, float)) and scaled[1].value > 0:
            field, factor = scaled
            inverse = "/" if _written(side).op == "*" else "*"  # type: ignore[union-attr]
            rest = to_text(_written(other))
            if isinstance(other, Arith) and other.op in "+-":
                rest = f"({rest})"
            hint = f"chia (hoặc nhân) cả hai vế cho {to_text(factor)}: viết '{field.name} {op} {rest} {inverse} {to_text(factor)}'"
            break
    raise ExpressionError(
        "một vế của phép so sánh phải có một trường đứng riêng (được cộng, không bị trừ, nhân hay chia)",
        node.pos,
        hint=hint,
    )


# -- the compiler ---------------------------------------------------------------------------------


class Compiler:
    """Compiles conditions for one fact kind, one as-of date and one working-day calendar.

    ``counted_days``: whether a constant was worked out on the calendar's days so far (``as_of -
    5 working days``); until one is, what it wrote holds for any calendar (engine/run.py shares
    it between books that differ only by their days off)."""

    def __init__(self, kind: str, as_of: dt.date, calendar: WorkCalendar = DEFAULT) -> None:
        self.kind = kind
        self.as_of = as_of
        self.calendar = calendar
        self.counted_days = False

    def condition(self, node: Expr) -> dict:
        """durable-rules' condition that holds exactly when ``node`` is true."""
        prepared = self.expanded(node)
        if isinstance(prepared, Literal):
            return ALWAYS if prepared.value else NEVER
        return self._node(prepared)

    def expanded(self, node: Expr) -> Expr:
        """``condition`` before it is written for durable-rules: and/or over guarded tests."""
        return simplify(project(self.prepare(node), TRUE, self._optional))

    def prepare(self, node: Expr) -> Expr:
        """as_of bound, constants worked out, computed values made Terms."""
        node = bind(node, self.as_of, self.calendar, self._counted)
        return _with_terms(node)

    def _counted(self) -> None:
        self.counted_days = True

    def terms(self, exprs: list[Expr]) -> list[Term]:
        """The values engine/run.py must compute for each fact before it goes in, for ``exprs``."""
        found: dict[str, Term] = {}
        for expr in exprs:
            for node in nodes(self.prepare(expr)):
                if isinstance(node, Term):
                    found.setdefault(node.name, node)
        return list(found.values())

    def _optional(self, node: Expr) -> list[str]:
        """The values ``node`` reads that a fact may lack: optional fields, and computed values
        that read one or may have no value at all."""
        names: list[str] = []

        def add(name: str) -> None:
            if name not in names:
                names.append(name)

        def walk(n: Expr) -> None:
            if isinstance(n, Term):
                if n.partial or any(f.name != AS_OF and not field_spec(self.kind, f).always for f in fields_of(n.expr)):
                    add(n.name)
            elif isinstance(n, Field):
                if n.name != AS_OF and not field_spec(self.kind, n).always:
                    add(n.name)
            else:
                for child in children(n):
                    walk(child)

        walk(node)
        return names

    def _value(self, node: Expr) -> Any:
        node = fold(node)
        if isinstance(node, Literal):
            return encode(node.value)
        if isinstance(node, Field):
            return {"$m": node.name}
        if isinstance(node, Arith):
            return {_ARITH_OP[node.op]: {"$l": self._value(node.left), "$r": self._value(node.right)}}
        raise AssertionError(node)

    def _node(self, node: Expr, absent_already: frozenset[str] = frozenset()) -> dict:
        if isinstance(node, And):
            return all_of(*(self._node(i) for i in node.items))
        if isinstance(node, Or):
            # 'b is missing or a < b': where b is absent the 'or' holds anyway, so 'a < b' needs no guard
            tested = frozenset(i.field.name for i in node.items if isinstance(i, Missing) and not i.negated)
            return any_of(*(self._node(i, tested) for i in node.items))
        if isinstance(node, Missing):
            return {"$ex" if node.negated else "$nex": {node.field.name: 1}}
        if isinstance(node, In):
            tests = [self._compare(Compare("!=" if node.negated else "==", node.item, o, node.pos), absent_already) for o in node.options]
            return all_of(*tests) if node.negated else any_of(*tests)
        if isinstance(node, Compare):
            return self._compare(node, absent_already)
        raise AssertionError(node)

    def _compare(self, node: Compare, absent_already: frozenset[str] = frozenset()) -> dict:
        lone = _lone_field(node)
        name = lone.left.name  # type: ignore[union-attr]
        value = self._value(lone.right)
        test = {name: value} if lone.op == "==" else {_DURABLE_OP[lone.op]: {name: value}}
        # A test on an absent field never matches, but durable-rules takes an absent field read
        # on the other side ({"$m": ...}, arithmetic) as matching: those are guarded.
        guards = [{"$ex": {n: 1}} for n in self._optional(lone.right) if n not in absent_already]
        return all_of(*guards, test)


def all_of(*conditions: dict) -> dict:
    """Conditions that must all hold, as one: nested 'and's flattened (durable-rules counts each
    'and' and 'or' of a rule against a limit of its own)."""
    return _joined("$and", conditions, ALWAYS)


def any_of(*conditions: dict) -> dict:
    return _joined("$or", conditions, NEVER)


def _joined(word: str, conditions: tuple[dict, ...], neutral: dict) -> dict:
    items: list[dict] = []
    for condition in conditions:
        if condition == neutral:
            continue
        items.extend(condition[word] if list(condition) == [word] else [condition])
    if not items:
        return neutral
    return items[0] if len(items) == 1 else {word: items}


def bind(node: Expr, as_of: dt.date, calendar: WorkCalendar, counted: Callable[[], None] = lambda: None) -> Expr:
    """``as_of`` as a date literal, and what reads no field of the fact worked out; ``counted`` is
    called when a constant is worked out on the calendar's days (``as_of - 5 working days``)."""

    def go(n: Expr) -> Expr:
        if isinstance(n, Field):
            return Literal(as_of, n.pos) if n.name == AS_OF else n
        if isinstance(n, Arith):
            return fold(Arith(n.op, go(n.left), go(n.right), n.pos))
        if isinstance(n, Shift):
            base = go(n.base)
            if isinstance(base, Literal):
                if n.working:
                    counted()
                return Literal(shift(base.value, n.days, n.working, calendar), n.pos)  # type: ignore[arg-type]
            return Shift(base, n.days, n.working, n.pos)
        if isinstance(n, Call):
            args = tuple(go(a) for a in n.args)
            if all(isinstance(a, Literal) for a in args):
                if n.name in CALENDAR_FUNCTIONS:
                    counted()
                return Literal(call(n.name, [a.value for a in args], calendar), n.pos)  # type: ignore[union-attr]
            return Call(n.name, args, n.pos)
        return _through(n, go)

    return go(node)


def _through(node: Expr, go: Callable[[Expr], Expr]) -> Expr:
    """A comparison, 'in', and/or or 'not' with ``go`` applied to what it holds; anything else as it is."""
    if isinstance(node, Compare):
        return Compare(node.op, go(node.left), go(node.right), node.pos)
    if isinstance(node, In):
        return In(go(node.item), node.options, node.negated, node.pos)
    if isinstance(node, (And, Or)):
        return type(node)(tuple(go(i) for i in node.items))
    if isinstance(node, Not):
        return Not(go(node.item), node.pos)
    if isinstance(node, (NotTrue, Undecided)):
        return type(node)(go(node.item))
    return node


def _with_terms(node: Expr) -> Expr:
    """Each computed value that reads the fact replaced by its Term."""
    if isinstance(node, (Call, Shift)):  # partial: a date moved past the calendar's end has none
        return Term(term_key(node), node.pos, node, partial=True)
    if isinstance(node, Contains):  # durable-rules can test that a text has words, never that it lacks them
        return Compare("==", Term(term_key(node), node.pos, node), Literal(True), node.pos)
    if isinstance(node, Arith) and node.op == "/" and _reads_fact(node):
        return Term(term_key(node), node.pos, node, partial=True)  # durable-rules divides integers as C does
    if isinstance(node, Arith):
        return Arith(node.op, _with_terms(node.left), _with_terms(node.right), node.pos)
    return _through(node, _with_terms)


def simplify(node: Expr) -> Expr:
    """And/or with true/false items reduced (true absorbs an 'or', false an 'and')."""
    if isinstance(node, (And, Or)):
        absorbing = isinstance(node, Or)
        items = []
        for item in (simplify(i) for i in node.items):
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
