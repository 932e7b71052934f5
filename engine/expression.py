"""The condition language policy staff write, parsed by lark into a small tree.

    status != "hoàn thành" and days_overdue > 0
    actual < value - 5 or actual is missing
    deadline_kind in ["external", "unparsed"]
    not (title contains "báo cáo")

Parsing only builds the tree; engine/typecheck.py checks names and types, and
engine/compile.py turns the tree into durable-rules' dict form.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Iterator, Union

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

GRAMMAR = r"""
?start: or_expr

?or_expr: and_expr (_OR and_expr)*          -> or_
?and_expr: not_expr (_AND not_expr)*        -> and_
?not_expr: _NOT not_expr                    -> not_
         | test

?test: sum COMPARE sum                      -> compare
     | sum _IN list                         -> in_
     | sum _NOT _IN list                    -> not_in
     | NAME _IS _MISSING                    -> missing
     | NAME _IS _PRESENT                    -> present
     | NAME _CONTAINS STRING                -> contains
     | sum

?sum: product
    | sum ADD_OP product                    -> arith
?product: atom
        | product MUL_OP atom               -> arith
?atom: NUMBER                               -> number
     | STRING                               -> string
     | DATE                                 -> date
     | _TRUE                                -> true
     | _FALSE                               -> false
     | NAME                                 -> field
     | "-" atom                             -> neg
     | "(" or_expr ")"

list: "[" [literal ("," literal)*] "]"
?literal: NUMBER -> number
        | "-" NUMBER -> neg_number
        | STRING -> string
        | DATE -> date

COMPARE: "<=" | ">=" | "==" | "!=" | "<" | ">"
ADD_OP: "+" | "-"
MUL_OP: "*" | "/"
_OR.2: /or\b/
_AND.2: /and\b/
_NOT.2: /not\b/
_IN.2: /in\b/
_IS.2: /is\b/
_MISSING.2: /missing\b/
_PRESENT.2: /present\b/
_CONTAINS.2: /contains\b/
_TRUE.2: /true\b/
_FALSE.2: /false\b/
DATE.3: /\d{4}-\d{2}-\d{2}(?![\d])/
NUMBER: /\d+(\.\d+)?/
STRING: /"(\\.|[^"\\])*"/
NAME: /(?!(and|or|not|in|is|missing|present|contains|true|false)\b)[a-z_][a-z0-9_]*/

%import common.WS
%ignore WS
"""


# -- the tree ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    column: int = 0


@dataclass(frozen=True)
class Literal:
    value: object  # float | str | dt.date | bool
    column: int = 0


@dataclass(frozen=True)
class Arith:
    op: str  # + - * /
    left: "Expr"
    right: "Expr"
    column: int = 0


@dataclass(frozen=True)
class Compare:
    op: str  # < <= > >= == !=
    left: "Expr"
    right: "Expr"
    column: int = 0


@dataclass(frozen=True)
class In:
    item: "Expr"
    options: tuple[Literal, ...]
    negated: bool = False
    column: int = 0


@dataclass(frozen=True)
class Missing:
    field: Field
    negated: bool = False  # True: "is present"
    column: int = 0


@dataclass(frozen=True)
class Contains:
    field: Field
    text: str
    column: int = 0


@dataclass(frozen=True)
class And:
    items: tuple["Expr", ...]


@dataclass(frozen=True)
class Or:
    items: tuple["Expr", ...]


@dataclass(frozen=True)
class Not:
    item: "Expr"
    column: int = 0


Expr = Union[Field, Literal, Arith, Compare, In, Missing, Contains, And, Or, Not]


class ExpressionError(Exception):
    """A syntax error at a column of the expression (1-based), with a hint."""

    def __init__(self, message: str, column: int | None = None, line: int = 1, hint: str = ""):
        self.message = message
        self.column = column
        self.line = line
        self.hint = hint
        super().__init__(message)


def _unquote(token: Token) -> str:
    body = token[1:-1]
    return unicodedata.normalize("NFC", body.replace('\\"', '"').replace("\\\\", "\\"))


def _col(token) -> int:
    return getattr(token, "column", 0) or 0


@v_args(inline=True)
class _Build(Transformer):
    def number(self, tok):
        text = str(tok)
        return Literal(float(text) if "." in text else int(text), _col(tok))

    def neg_number(self, tok):
        lit = self.number(tok)
        return Literal(-lit.value, lit.column)

    def string(self, tok):
        return Literal(_unquote(tok), _col(tok))

    def date(self, tok):
        try:
            return Literal(dt.date.fromisoformat(str(tok)), _col(tok))
        except ValueError:
            raise ExpressionError(f"'{tok}' is not a real date", _col(tok), hint="write YYYY-MM-DD") from None

    def true(self):
        return Literal(True)

    def false(self):
        return Literal(False)

    def field(self, tok):
        return Field(str(tok), _col(tok))

    def neg(self, item):
        if isinstance(item, Literal) and isinstance(item.value, (int, float)) and not isinstance(item.value, bool):
            return Literal(-item.value, item.column)
        return Arith("-", Literal(0), item, getattr(item, "column", 0))

    def arith(self, left, op, right):
        return Arith(str(op), left, right, _col(op))

    def compare(self, left, op, right):
        return Compare(str(op), left, right, _col(op))

    def in_(self, item, options):
        return In(item, options, False, getattr(item, "column", 0))

    def not_in(self, item, options):
        return In(item, options, True, getattr(item, "column", 0))

    def list(self, *items):
        return tuple(i for i in items if i is not None)

    def missing(self, name):
        return Missing(Field(str(name), _col(name)), False, _col(name))

    def present(self, name):
        return Missing(Field(str(name), _col(name)), True, _col(name))

    def contains(self, name, text):
        return Contains(Field(str(name), _col(name)), _unquote(text), _col(name))

    def and_(self, *items):
        return items[0] if len(items) == 1 else And(tuple(items))

    def or_(self, *items):
        return items[0] if len(items) == 1 else Or(tuple(items))

    def not_(self, item):
        return Not(item, getattr(item, "column", 0))


_PARSER = Lark(GRAMMAR, parser="lalr", propagate_positions=True, maybe_placeholders=False)

_TOKEN_NAMES = {
    "COMPARE": "a comparison (<, <=, >, >=, ==, !=)",
    "NAME": "a field name",
    "NUMBER": "a number",
    "STRING": 'a text in double quotes ("...")',
    "DATE": "a date (YYYY-MM-DD)",
    "RPAR": "')'",
    "LPAR": "'('",
    "RSQB": "']'",
    "LSQB": "'['",
    "COMMA": "','",
    "$END": "the end of the condition",
    "_AND": "'and'",
    "_OR": "'or'",
    "_IN": "'in'",
    "_IS": "'is'",
}


def _expected(exc: UnexpectedInput) -> str:
    names = sorted({_TOKEN_NAMES.get(t, t) for t in getattr(exc, "expected", ()) or ()})
    shown = [n for n in names if not n.startswith("_") and not n.isupper()]
    return ", ".join(shown[:6])


def parse(text: str) -> Expr:
    """Parse a condition; raise ExpressionError with the column and what was expected."""
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise ExpressionError("the condition is empty", 1, hint='e.g. days_overdue > 0')
    try:
        tree = _PARSER.parse(text)
    except UnexpectedCharacters as exc:
        char = text[exc.pos_in_stream] if exc.pos_in_stream < len(text) else ""
        hint = ""
        if char == "'":
            hint = 'texts go in double quotes: "hoàn thành"'
        elif char == "=":
            hint = "equality is written '=='"
        elif char.isupper():
            hint = "field names are lower case; write 'and', 'or', 'not' in lower case"
        elif char in "&|!":
            hint = "write 'and', 'or', 'not'"
        raise ExpressionError(f"unexpected character {char!r}", exc.column, exc.line, hint) from None
    except UnexpectedToken as exc:
        got = "the end of the condition" if exc.token.type == "$END" else repr(str(exc.token))
        expected = _expected(exc)
        raise ExpressionError(
            f"unexpected {got}" + (f"; expected {expected}" if expected else ""),
            getattr(exc, "column", None) if exc.token.type != "$END" else len(text) + 1,
            getattr(exc, "line", 1) if exc.token.type != "$END" else text.count("\n") + 1,
        ) from None
    except UnexpectedEOF as exc:
        raise ExpressionError("the condition ends too early", len(text) + 1) from None
    try:
        return _Build().transform(tree)
    except Exception as exc:  # lark wraps transformer errors
        inner = getattr(exc, "orig_exc", exc)
        if isinstance(inner, ExpressionError):
            raise inner from None
        raise


def nodes(expr: Expr) -> Iterator[Expr]:
    """Every node of the tree, parents before children, left to right."""
    yield expr
    if isinstance(expr, (Arith, Compare)):
        yield from nodes(expr.left)
        yield from nodes(expr.right)
    elif isinstance(expr, In):
        yield from nodes(expr.item)
    elif isinstance(expr, (Missing, Contains)):
        yield expr.field
    elif isinstance(expr, (And, Or)):
        for item in expr.items:
            yield from nodes(item)
    elif isinstance(expr, Not):
        yield from nodes(expr.item)


def fields_of(expr: Expr) -> list[Field]:
    """Every field the expression reads, in order of appearance."""
    return [node for node in nodes(expr) if isinstance(node, Field)]


def guarded_fields(expr: Expr) -> set[str]:
    """Fields the expression explicitly tests with 'is missing' / 'is present'."""
    return {node.field.name for node in nodes(expr) if isinstance(node, Missing)}


def to_text(node: Expr) -> str:
    """The expression written back in the rule language (for explanations)."""
    if isinstance(node, Field):
        return node.name
    if isinstance(node, Literal):
        value = node.value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            return '"' + value.replace('"', '\\"') + '"'
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)
    if isinstance(node, Arith):
        return f"{_wrap(node.left)} {node.op} {_wrap(node.right)}"
    if isinstance(node, Compare):
        return f"{to_text(node.left)} {node.op} {to_text(node.right)}"
    if isinstance(node, In):
        options = ", ".join(to_text(o) for o in node.options)
        return f"{to_text(node.item)} {'not in' if node.negated else 'in'} [{options}]"
    if isinstance(node, Missing):
        return f"{node.field.name} is {'present' if node.negated else 'missing'}"
    if isinstance(node, Contains):
        return f"{node.field.name} contains {to_text(Literal(node.text))}"
    if isinstance(node, And):
        return " and ".join(_wrap(i) for i in node.items)
    if isinstance(node, Or):
        return " or ".join(_wrap(i) for i in node.items)
    if isinstance(node, Not):
        return f"not {_wrap(node.item)}"
    raise AssertionError(node)


def _wrap(node: Expr) -> str:
    text = to_text(node)
    return f"({text})" if isinstance(node, (And, Or, Arith)) else text
