"""The reference evaluator: what a rule says about a fact, in plain Python, on its own.

durable-rules does the nightly evaluation, through the compiler (engine/compile.py); this
module says what the answer must be, and every run compares the two on every (condition,
fact) pair (engine/run.py). It shares no code with the compiler: it reads the condition tree
(engine/expression.py, the input both read) its own way, with its own three-valued logic, its
own reading of the values durable-rules was given (``decode``) and its own date arithmetic
over the working-day calendar. What it shares, and why that cannot hide a fault: docs/engine.md,
"The reference evaluator".

Truth has three values: true, false and unknown (None). A test that reads a value the fact
does not have is unknown, and so is one that divides by zero; 'is missing' / 'is present' are
never unknown. 'not' of unknown is unknown; 'and' is false when an item is false, else unknown
when an item is unknown; 'or' is true when an item is true, else unknown when an item is.

A rule (``Meaning``): a fact is the rule's when its scope is true and no refinement's scope is
true (a refinement takes the facts its scope makes true; unknown is not true); then the rule's
finding is due when its condition is true, its missing-data finding when the condition is
unknown, and nothing when it is false. The missing-data condition itself holds where the
condition is not false and one of its tests is unknown; where the condition is true all the
same, the finding is due, not the missing data (engine/run.py ``Checker.plan``).
"""

from __future__ import annotations

import datetime as dt
import math
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
    Field,
    In,
    Literal,
    Missing,
    Not,
    Or,
    Shift,
    fields_of,
)
from dondoc.facts.calendar import DEFAULT, WEEKDAYS, WorkCalendar
from dondoc.facts.kinds import AS_OF_FIELD, KINDS

AS_OF = AS_OF_FIELD.name
Truth = bool | None  # None: unknown
Values = dict[str, Any]  # a fact's values as rules read them: numbers, texts, dates, true/false
Reader = Callable[[Values], Any]
Test = Callable[[Values], Truth]

# The operators' meaning, the reference's own: the compiler keeps its own table (compile._COMPARE)
# on purpose, so that a slip in one is a disagreement, not the same wrong answer on both sides.
_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq, "!=": operator.ne}
_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


class Absent(Exception):
    """A value an expression needs cannot be had for this fact: a field it reads is absent,
    or it divides by zero (or a date moved off the calendar)."""


class Undecodable(ValueError):
    """A value durable-rules was given that is not what the engine writes for its field."""


# -- the values durable-rules was given ---------------------------------------------------------
# The engine gives durable-rules numbers and texts as they are, dates as the integer YYYYMMDD and
# true/false as 1/0 (docs/engine.md). Read back here, by the field's type in the catalogue
# (facts/kinds.py), strictly: a value written any other way is a fault of the writer.


def _date(raw: Any) -> dt.date:
    if type(raw) is not int or raw < 0:
        raise Undecodable(f"{raw!r}, which is not a date written as the integer YYYYMMDD")
    year, rest = divmod(raw, 10000)
    month, day = divmod(rest, 100)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise Undecodable(f"{raw!r}, which is not a date written as the integer YYYYMMDD") from None


def _bool(raw: Any) -> bool:
    if type(raw) is int and raw in (0, 1):
        return raw == 1
    raise Undecodable(f"{raw!r}, which is not true/false written as 1/0")


def _number(raw: Any) -> int | float:
    if type(raw) in (int, float) and math.isfinite(raw):
        return raw
    raise Undecodable(f"{raw!r}, which is not a finite number")


def _text(raw: Any) -> str:
    if type(raw) is str:
        return raw
    raise Undecodable(f"{raw!r}, which is not a text")


_DECODERS: dict[str, Callable[[Any], Any]] = {"date": _date, "bool": _bool, "number": _number, "text": _text}


def decoders(kind: str, names: list[str] | tuple[str, ...] | None = None) -> dict[str, Callable[[Any], Any]]:
    """How to read each field of ``kind`` (or only ``names``) back from what durable-rules holds."""
    fields = KINDS[kind]
    return {name: _DECODERS[fields[name].type] for name in (names if names is not None else fields)}


def decode(kind: str, fact: dict[str, Any]) -> Values:
    """A fact as durable-rules holds it, read back as plain values (dates as dates); its kind
    and the values the engine computed for durable-rules ('=...') are not read."""
    return _read_back(fact, decoders(kind, [n for n in fact if n in KINDS[kind]]))


def _read_back(fact: dict[str, Any], readers: dict[str, Callable[[Any], Any]]) -> Values:
    out: Values = {}
    for name, read in readers.items():
        raw = fact.get(name)
        if raw is None:
            continue
        try:
            out[name] = read(raw)
        except Undecodable as exc:
            raise Undecodable(f"field '{name}' holds {exc}") from None
    return out


# -- dates: the calendar's days, counted here --------------------------------------------------
# Which days are working days is the calendar's (facts/calendar.py: the data both sides read);
# counting them is done here, a day at a time, not with the calendar's own tables.


def _moved(day: dt.date, days: int, working: bool, calendar: WorkCalendar) -> dt.date:
    if not working:
        return day + dt.timedelta(days=days)
    step = dt.timedelta(days=1 if days > 0 else -1)
    left = abs(days)
    while left:
        day += step
        if calendar.is_working_day(day):
            left -= 1
    return day


def _working_days(start: dt.date, end: dt.date, calendar: WorkCalendar) -> int:
    """Working days after ``start`` up to and including ``end``; negative when end comes first."""
    sign, (first, last) = (1, (start, end)) if start <= end else (-1, (end, start))
    count, day = 0, first
    while day < last:
        day += dt.timedelta(days=1)
        count += calendar.is_working_day(day)
    return sign * count


def _call(name: str, args: list[Any], calendar: WorkCalendar) -> Any:
    if name == "weekday":
        return WEEKDAYS[args[0].weekday()]
    if name == "is_working_day":
        return calendar.is_working_day(args[0])
    if name == "working_days":
        return _working_days(args[0], args[1], calendar)
    raise AssertionError(f"no function {name}")  # typecheck lets only facts/kinds.py FUNCTIONS through


# -- expressions ---------------------------------------------------------------------------------


class _Context:
    def __init__(self, as_of: dt.date, calendar: WorkCalendar) -> None:
        self.as_of = as_of
        self.calendar = calendar


def _field(name: str) -> Reader:
    def read(values: Values) -> Any:
        value = values.get(name)
        if value is None:
            raise Absent(name)
        return value

    return read


def _reader(node: Expr, ctx: _Context) -> Reader:
    """An expression's value as a function of a fact's values; raises Absent."""
    if isinstance(node, Literal):
        constant = node.value
        return lambda values: constant
    if isinstance(node, Field):
        if node.name == AS_OF:
            as_of = ctx.as_of
            return lambda values: as_of
        return _field(node.name)
    if isinstance(node, Arith):
        op, left, right = _ARITH[node.op], _reader(node.left, ctx), _reader(node.right, ctx)

        def computed(values: Values) -> Any:
            try:
                return op(left(values), right(values))
            except ZeroDivisionError:
                raise Absent("/ 0") from None

        return computed
    if isinstance(node, Shift):
        base, days, working, calendar = _reader(node.base, ctx), node.days, node.working, ctx.calendar

        def moved(values: Values) -> dt.date:
            try:
                return _moved(base(values), days, working, calendar)
            except (OverflowError, ValueError):  # past the calendar's end: no such day
                raise Absent("date") from None

        return moved
    if isinstance(node, Call):
        name, args, calendar = node.name, [_reader(a, ctx) for a in node.args], ctx.calendar

        def called(values: Values) -> Any:
            try:
                return _call(name, [arg(values) for arg in args], calendar)
            except (OverflowError, ValueError):  # a day at the calendar's end
                raise Absent(name) from None

        return called
    raise AssertionError(node)


def _test(node: Expr, ctx: _Context) -> Test:
    """A condition's three-valued truth as a function of a fact's values."""
    if isinstance(node, Literal):
        constant = bool(node.value)
        return lambda values: constant
    if isinstance(node, Not):
        inner = _test(node.item, ctx)

        def negated(values: Values) -> Truth:
            truth = inner(values)
            return None if truth is None else not truth

        return negated
    if isinstance(node, (And, Or)):
        # false decides an 'and', true an 'or'; else unknown if an item is unknown
        items, decisive = [_test(i, ctx) for i in node.items], isinstance(node, Or)

        def junction(values: Values) -> Truth:
            result: Truth = not decisive
            for item in items:
                truth = item(values)
                if truth is decisive:
                    return decisive
                if truth is None:
                    result = None
            return result

        return junction
    if isinstance(node, Missing):
        name, present = node.field.name, node.negated
        return lambda values: (values.get(name) is not None) == present
    if isinstance(node, Compare) and isinstance(node.left, (Field, Literal)) and isinstance(node.right, (Field, Literal)):
        return _plain_compare(_OPS[node.op], node.left, node.right, ctx)
    if isinstance(node, Compare):
        op, left, right = _OPS[node.op], _reader(node.left, ctx), _reader(node.right, ctx)
        return _leaf(lambda values: op(left(values), right(values)))
    if isinstance(node, In):
        item, options, negated = _reader(node.item, ctx), [o.value for o in node.options], node.negated
        return _leaf(lambda values: (item(values) in options) != negated)
    if isinstance(node, Contains):
        text, read = node.text, _reader(node.field, ctx)
        return _leaf(lambda values: text in read(values))
    if isinstance(node, (Field, Call)):  # a true/false field or function, as a test
        read = _reader(node, ctx)
        return _leaf(lambda values: bool(read(values)))
    raise AssertionError(node)


def _leaf(evaluate: Callable[[Values], bool]) -> Test:
    """A test that reads values: unknown when one of them cannot be had."""

    def test(values: Values) -> Truth:
        try:
            return evaluate(values)
        except Absent:
            return None

    return test


def _plain_compare(op: Callable[[Any, Any], bool], left: Field | Literal, right: Field | Literal, ctx: _Context) -> Test:
    """The common comparison of a field with a constant or another field, in one call (the
    general form above means the same)."""

    def constant(node: Field | Literal) -> tuple[bool, Any]:
        if isinstance(node, Literal):
            return True, node.value
        if node.name == AS_OF:
            return True, ctx.as_of
        return False, node.name

    (left_fixed, a), (right_fixed, b) = constant(left), constant(right)
    if left_fixed and right_fixed:
        held = op(a, b)
        return lambda values: held
    if right_fixed:

        def field_to_constant(values: Values) -> Truth:
            value = values.get(a)
            return None if value is None else op(value, b)

        return field_to_constant
    if left_fixed:

        def constant_to_field(values: Values) -> Truth:
            value = values.get(b)
            return None if value is None else op(a, value)

        return constant_to_field

    def field_to_field(values: Values) -> Truth:
        x, y = values.get(a), values.get(b)
        return None if x is None or y is None else op(x, y)

    return field_to_field


def value(node: Expr, values: Values, as_of: dt.date, calendar: WorkCalendar = DEFAULT) -> Any:
    """An expression's value on a fact's values; raises Absent when it cannot be had."""
    return _reader(node, _Context(as_of, calendar))(values)


def _tests_of(node: Expr) -> list[Expr]:
    """The tests a condition is made of, those that can be unknown ('is missing' and constants cannot)."""
    if isinstance(node, (And, Or)):
        return [t for item in node.items for t in _tests_of(item)]
    if isinstance(node, Not):
        return _tests_of(node.item)
    if isinstance(node, (Missing, Literal)):
        return []
    return [node]


def _undecided(node: Expr, ctx: _Context) -> Test:
    """True when ``node`` is not false and one of its tests is unknown (two-valued)."""
    whole, tests = _test(node, ctx), [_test(t, ctx) for t in _tests_of(node)]

    def undecided(values: Values) -> Truth:
        return whole(values) is not False and any(test(values) is None for test in tests)

    return undecided


def compile_condition(node: Expr, as_of: dt.date, calendar: WorkCalendar = DEFAULT) -> Test:
    """The condition's three-valued truth as a function of a fact's values, built once."""
    return _test(node, _Context(as_of, calendar))


def truth(node: Expr, values: Values, as_of: dt.date, calendar: WorkCalendar = DEFAULT) -> Truth:
    """True, false, or None (unknown: a value it needs is absent) for a fact's values."""
    return compile_condition(node, as_of, calendar)(values)


def holds(node: Expr, values: Values, as_of: dt.date, calendar: WorkCalendar = DEFAULT) -> bool:
    """Whether ``node`` is true for a fact's values (plain: dates as dates)."""
    return truth(node, values, as_of, calendar) is True


def undecided(node: Expr, values: Values, as_of: dt.date, calendar: WorkCalendar = DEFAULT) -> bool:
    """Whether ``node`` is not false and one of its tests is unknown: a missing-data condition."""
    return _undecided(node, _Context(as_of, calendar))(values) is True


# -- rules ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Meaning:
    """What one of a rule's conditions stands for, read from the rule itself.

    The fact is the rule's when ``scope`` (if any) is true and none of ``refined`` (the scopes
    of the rules that refine it) is true; then, for ``outcome`` True (the rule's finding), the
    condition must be true (and ``step``, a ladder step's condition, true too); for ``outcome``
    None (its missing-data condition), not false with one of its tests unknown.
    """

    kind: str
    scope: Expr | None
    refined: tuple[Expr, ...]
    condition: Expr
    outcome: Truth
    step: Expr | None = None

    def parts(self) -> list[Expr]:
        return [e for e in (self.scope, *self.refined, self.condition, self.step) if e is not None]


class Verdicts:
    """The reference's answer for every condition on a fact, worked out once per set of values.

    ``meanings`` maps a condition key to what it stands for. A condition's answer depends only
    on the fact's kind and the values of the fields it reads, so ``holding`` works out each
    group of conditions reading the same fields once per distinct combination of those values
    and remembers it; within a fact, a part shared by several conditions (a rule's scope and
    condition, for the rule, its ladder steps and its missing-data finding) is evaluated once.
    The engine compares durable-rules' verdict on every (condition, fact) pair with this.
    """

    MEMORY = 50_000  # combinations remembered per group before starting afresh (bounds memory)

    def __init__(self, meanings: dict[str, Meaning], as_of: dt.date, calendar: WorkCalendar = DEFAULT) -> None:
        ctx = _Context(as_of, calendar)
        parts: dict[tuple, int] = {}  # each distinct part, compiled once
        tests: list[Test] = []

        def part(expr: Expr | None, build: Callable[[Expr, _Context], Test] = _test) -> int | None:
            if expr is None:
                return None
            if (expr, build) not in parts:
                parts[(expr, build)] = len(tests)
                tests.append(build(expr, ctx))
            return parts[(expr, build)]

        grouped: dict[str, dict[tuple[str, ...], list[tuple]]] = {}
        for key, meaning in meanings.items():
            plan = (
                key,
                part(meaning.scope),
                tuple(part(r) for r in meaning.refined),
                part(meaning.condition, _test if meaning.outcome else _undecided),
                part(meaning.step),
            )
            names = tuple(sorted({f.name for p in meaning.parts() for f in fields_of(p)} - {AS_OF}))
            grouped.setdefault(meaning.kind, {}).setdefault(names, []).append(plan)
        self._kinds = {kind: _KindVerdicts(kind, groups, tests, self.MEMORY) for kind, groups in grouped.items()}
        self.per_kind = {kind: sum(len(items) for items in groups.values()) for kind, groups in grouped.items()}

    def holding(self, fact: dict[str, Any]) -> frozenset[str]:
        """The keys of the conditions that hold for ``fact``, as durable-rules was given it."""
        kind = self._kinds.get(fact.get("kind"))  # type: ignore[arg-type]
        return kind.holding(fact) if kind is not None else _NOTHING


_NOTHING: frozenset[str] = frozenset()


class _KindVerdicts:
    def __init__(self, kind: str, groups: dict[tuple[str, ...], list[tuple]], tests: list[Test], memory: int) -> None:
        self.tests = tests
        self.memory = memory
        self.names = tuple(sorted({n for names in groups for n in names}))
        self.decoders = decoders(kind, self.names)
        self.groups = [(names, items, {}) for names, items in groups.items()]
        self.known: dict[tuple, frozenset[str]] = {}

    def holding(self, fact: dict[str, Any]) -> frozenset[str]:
        # Absent fields read as None: the facts durable-rules is given never hold None (the adapter refuses it).
        values = tuple(map(fact.get, self.names))
        answer = self.known.get(values)
        if answer is None:
            if len(self.known) >= self.memory:
                self.known.clear()
            plain = _read_back(fact, self.decoders)
            done: dict[int, Truth] = {}
            answer = self.known[values] = frozenset().union(*(self._group(g, fact, plain, done) for g in self.groups))
        return answer

    def _group(self, group, fact: dict[str, Any], plain: Values, done: dict[int, Truth]) -> frozenset[str]:
        names, items, known = group
        values = tuple(map(fact.get, names))
        answer = known.get(values)
        if answer is None:
            if len(known) >= self.memory:
                known.clear()
            tests = self.tests

            def truth(part: int) -> Truth:
                if part in done:
                    return done[part]
                result = done[part] = tests[part](plain)
                return result

            held = []
            for key, scope, refined, condition, step in items:
                if scope is not None and truth(scope) is not True:
                    continue
                if any(truth(r) is True for r in refined):
                    continue  # a refinement's: its scope is true
                if truth(condition) is not True:  # true, or undecided for a missing-data condition
                    continue
                if step is not None and truth(step) is not True:
                    continue
                held.append(key)
            answer = known[values] = frozenset(held)
        return answer
