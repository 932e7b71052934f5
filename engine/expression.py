"""The condition language policy staff write, parsed by lark into a small tree.

    status != "hoàn thành" and days_overdue > 0
    actual < value - 5 or actual is missing
    deadline_kind in ["external", "unparsed"]
    as_of >= due - 5 working days and due >= 01/07/2026
    weekday(due) == "thứ bảy"

Parsing only builds the tree; engine/typecheck.py checks names and types, and
engine/compile.py turns the tree into durable-rules' dict form. Every node keeps
``pos``, its character offset in the text, so an error can point at it even
inside a condition written over several lines. Errors read in Vietnamese and say
how to write it instead.

The tree is built without recursion (any number of parentheses), and a tree deeper
than ``MAX_NESTING`` is refused here, at the node past the bound: everything that
reads the tree afterwards (the type checker, the compiler, the reference evaluator)
walks it by recursion.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
import functools
from typing import TYPE_CHECKING, Iterator, Union

from dondoc.facts.calendar import parse_day  # the one reader of dates as offices write them

if TYPE_CHECKING:
    from lark import Token
    from lark.exceptions import UnexpectedInput

# How deep a condition may nest: each 'not', each and/or inside another, each operator of a
# sum or product, each function call and date moved by days is a level (parentheses alone are
# none). Conditions staff write nest under 10; Python's own limit comes near 300.
MAX_NESTING = 64

KEYWORDS = ("and", "or", "not", "in", "is", "missing", "present", "contains", "true", "false", "working", "days")

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
    | sum ADD_OP NUMBER WORKING_DAYS        -> shift
    | sum ADD_OP NUMBER DAYS                -> shift
?product: atom
        | product MUL_OP atom               -> arith
?atom: NUMBER                               -> number
     | STRING                               -> string
     | DATE                                 -> date
     | _TRUE                                -> true
     | _FALSE                               -> false
     | NAME "(" [or_expr ("," or_expr)*] ")" -> call
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
WORKING_DAYS.3: /working\s+days?\b/ | /ngày\s+làm\s+việc\b/
DAYS.2: /days?\b/ | /ngày\b/
DATE.3: /\d{4}-\d{2}-\d{2}(?!\d)/ | /\d{1,2}\/\d{1,2}\/\d{4}(?!\d)/
NUMBER: /\d+(\.\d+)?/
STRING: /"(\\.|[^"\\])*"/
NAME: /(?!(and|or|not|in|is|missing|present|contains|true|false|working|days?)\b)[^\W\d]\w*/

%import common.WS
%ignore WS
"""


# -- the tree ---------------------------------------------------------------------------------
# ``pos`` is the node's character offset in the condition's text (None for nodes the compiler makes).


@dataclass(frozen=True)
class Field:
    name: str
    pos: int | None = None


@dataclass(frozen=True)
class Literal:
    value: object  # int | float | str | dt.date | bool
    pos: int | None = None


@dataclass(frozen=True)
class Arith:
    op: str  # + - * /
    left: "Expr"
    right: "Expr"
    pos: int | None = None


@dataclass(frozen=True)
class Shift:
    """A date moved by a number of days: ``due - 5 working days``, ``as_of + 7 days``."""

    base: "Expr"
    days: int  # negative: earlier
    working: bool  # count working days (facts/calendar.py) or calendar days
    pos: int | None = None


@dataclass(frozen=True)
class Call:
    """A function of the language (facts/kinds.py FUNCTIONS): ``weekday(due)``."""

    name: str
    args: tuple["Expr", ...]
    pos: int | None = None


@dataclass(frozen=True)
class Compare:
    op: str  # < <= > >= == !=
    left: "Expr"
    right: "Expr"
    pos: int | None = None


@dataclass(frozen=True)
class In:
    item: "Expr"
    options: tuple[Literal, ...]
    negated: bool = False
    pos: int | None = None


@dataclass(frozen=True)
class Missing:
    field: Field
    negated: bool = False  # True: "is present"
    pos: int | None = None


@dataclass(frozen=True)
class Contains:
    field: Field
    text: str
    pos: int | None = None


@dataclass(frozen=True)
class And:
    items: tuple["Expr", ...]


@dataclass(frozen=True)
class Or:
    items: tuple["Expr", ...]


@dataclass(frozen=True)
class Not:
    item: "Expr"
    pos: int | None = None


Expr = Union[Field, Literal, Arith, Shift, Call, Compare, In, Missing, Contains, And, Or, Not]


class ExpressionError(Exception):
    """A mistake at a character offset of the condition (``pos``), with how to write it instead."""

    def __init__(self, message: str, pos: int | None = None, hint: str = ""):
        self.message = message
        self.pos = pos
        self.hint = hint
        super().__init__(message + (f" -- {hint}" if hint else ""))


def _unquote(token: Token) -> str:
    body = token[1:-1]
    return unicodedata.normalize("NFC", body.replace('\\"', '"').replace("\\\\", "\\"))


def _pos(token) -> int | None:
    return getattr(token, "start_pos", None)


def _node_pos(node) -> int | None:
    if isinstance(node, (And, Or)):
        return _node_pos(node.items[0])
    return getattr(node, "pos", None)


@functools.cache
def _lark():
    """The parser and the tree builder, made on first use: lark is imported, and the grammar
    built (60 ms), only when a condition is read (not when the rule book comes from the cache)."""
    from lark import Lark, v_args
    from lark.visitors import Transformer_NonRecursive

    @v_args(inline=True)
    class _Build(Transformer_NonRecursive):  # a tree as deep as the text, built without recursion
        def number(self, tok):
            text = str(tok)
            return Literal(float(text) if "." in text else int(text), _pos(tok))

        def neg_number(self, tok):
            lit = self.number(tok)
            return Literal(-lit.value, lit.pos)

        def string(self, tok):
            return Literal(_unquote(tok), _pos(tok))

        def date(self, tok):
            try:
                return Literal(parse_day(str(tok)), _pos(tok))
            except ValueError:
                raise ExpressionError(
                    f"'{tok}' không phải một ngày có thật", _pos(tok), hint="viết ngày/tháng/năm, ví dụ 01/07/2026"
                ) from None

        def true(self):
            return Literal(True)

        def false(self):
            return Literal(False)

        def field(self, tok):
            return Field(unicodedata.normalize("NFC", str(tok)), _pos(tok))

        def call(self, name, *args):
            return Call(str(name), tuple(a for a in args if a is not None), _pos(name))

        def neg(self, item):
            if isinstance(item, Literal) and isinstance(item.value, (int, float)) and not isinstance(item.value, bool):
                return Literal(-item.value, item.pos)
            return Arith("-", Literal(0), item, _node_pos(item))

        def arith(self, left, op, right):
            return Arith(str(op), left, right, _pos(op))

        def shift(self, base, op, amount, unit):
            text = str(amount)
            if "." in text:
                raise ExpressionError("số ngày phải là số nguyên", _pos(amount), hint="ví dụ: due - 5 working days")
            days = int(text) * (-1 if str(op) == "-" else 1)
            return Shift(base, days, unit.type == "WORKING_DAYS", _pos(op))

        def compare(self, left, op, right):
            return Compare(str(op), left, right, _pos(op))

        def in_(self, item, options):
            return In(item, options, False, _node_pos(item))

        def not_in(self, item, options):
            return In(item, options, True, _node_pos(item))

        def list(self, *items):
            return tuple(i for i in items if i is not None)

        def missing(self, name):
            return Missing(Field(str(name), _pos(name)), False, _pos(name))

        def present(self, name):
            return Missing(Field(str(name), _pos(name)), True, _pos(name))

        def contains(self, name, text):
            return Contains(Field(str(name), _pos(name)), _unquote(text), _pos(name))

        def and_(self, *items):
            return items[0] if len(items) == 1 else And(tuple(items))

        def or_(self, *items):
            return items[0] if len(items) == 1 else Or(tuple(items))

        def not_(self, item):
            return Not(item, _node_pos(item))

    return Lark(GRAMMAR, parser="lalr", propagate_positions=True, maybe_placeholders=False), _Build

_TOKEN_NAMES = {
    "COMPARE": "một phép so sánh (<, <=, >, >=, ==, !=)",
    "NAME": "tên một trường",
    "NUMBER": "một số",
    "STRING": 'một chữ trong ngoặc kép ("...")',
    "DATE": "một ngày (01/07/2026)",
    "RPAR": "')'",
    "LPAR": "'('",
    "RSQB": "']'",
    "LSQB": "'['",
    "COMMA": "','",
    "ADD_OP": "'+' hoặc '-'",
    "_AND": "'and'",
    "_OR": "'or'",
    "_IN": "'in'",
    "_IS": "'is'",
    "_MISSING": "'missing'",
    "_PRESENT": "'present'",
}


def _expected(exc: UnexpectedInput) -> str:
    names = sorted({_TOKEN_NAMES[t] for t in getattr(exc, "expected", ()) or () if t in _TOKEN_NAMES})
    return ", ".join(names[:6])


def _slip(text: str, pos: int) -> str:
    """How to write what staff commonly mistype at ``pos``."""
    char = text[pos] if pos < len(text) else ""
    before = text[:pos].rstrip()
    word = re.match(r"[^\W\d]\w*", text[pos:])
    if char == "%":
        return "viết 95, không có %: giá trị và kết quả phần trăm là số (actual < 95)"
    if char == "'" or char in "“”‘’":
        return 'chữ đặt trong ngoặc kép thẳng: "hoàn thành"'
    if char == "=":
        return "so sánh bằng viết '==', khác viết '!='"
    if char == "," and before[-1:].isdigit() and text[pos + 1 : pos + 2].isdigit():
        return "trong điều kiện, số thập phân viết dấu chấm: 91.2 (trong câu thông báo mới viết 91,2)"
    if char in "&|":
        return "viết 'and', 'or'"
    if char == "!":
        return "phủ định viết 'not', khác viết '!='"
    if word and word.group(0).lower() in KEYWORDS and word.group(0) != word.group(0).lower():
        return f"từ khóa viết chữ thường: '{word.group(0).lower()}'"
    if word and word.group(0)[0].isupper():
        return "tên trường viết chữ thường, theo danh mục trường (dondoc rules fields)"
    if char == "/" and re.search(r"\d$", before):
        return "ngày viết đủ ngày/tháng/năm, ví dụ 01/07/2026"
    return ""


def parse(text: str, max_nesting: int | None = None) -> Expr:
    """Parse a condition; raise ExpressionError at the offset of the mistake, with the fix.

    ``max_nesting`` (default ``MAX_NESTING``): the deepest tree accepted."""
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise ExpressionError("điều kiện để trống", 0, hint="ví dụ: days_overdue > 0")
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    bound = MAX_NESTING if max_nesting is None else max_nesting
    _parentheses_within(text, bound)
    parser, build = _lark()
    try:
        tree = parser.parse(text)
    except UnexpectedCharacters as exc:
        pos = exc.pos_in_stream
        char = text[pos] if pos < len(text) else ""
        raise ExpressionError(f"không đọc được ký tự '{char}' ở đây", pos, _slip(text, pos)) from None
    except UnexpectedToken as exc:
        expected = _expected(exc)
        if exc.token.type == "$END":
            raise ExpressionError(
                "điều kiện kết thúc khi chưa đủ" + (f"; còn thiếu {expected}" if expected else ""), len(text.rstrip())
            ) from None
        pos = exc.token.start_pos
        raise ExpressionError(
            f"không đọc được '{exc.token}' ở đây" + (f"; cần {expected}" if expected else ""), pos, _slip(text, pos)
        ) from None
    except UnexpectedEOF:
        raise ExpressionError("điều kiện kết thúc khi chưa đủ", len(text.rstrip())) from None
    try:
        expr = build().transform(tree)
    except Exception as exc:  # lark wraps transformer errors
        inner = getattr(exc, "orig_exc", exc)
        if isinstance(inner, ExpressionError):
            raise inner from None
        raise
    _within(expr, bound)
    return expr


def _parentheses_within(text: str, bound: int) -> None:
    """Refuse parentheses nested deeper than ``bound``, at the one past it (outside quoted text)."""
    depth, quoted, escaped = 0, False, False
    for pos, char in enumerate(text):
        if quoted:
            escaped, quoted = (not escaped and char == "\\"), quoted and (escaped or char != '"')
            continue
        if char == '"':
            quoted = True
        elif char in "([":
            depth += 1
            if depth > bound:
                raise ExpressionError(
                    f"ngoặc lồng quá sâu: hơn {bound} cấp",
                    pos,
                    hint=f"bỏ bớt ngoặc thừa (giới hạn {bound} cấp: MAX_NESTING trong engine/expression.py)",
                )
        elif char in ")]":
            depth -= 1


def _within(expr: Expr, bound: int) -> None:
    """Refuse a tree deeper than ``bound``, at the first node past it (walked without recursion)."""
    stack = [(expr, 1, None)]
    while stack:
        node, depth, pos = stack.pop()
        pos = _node_pos(node) if _node_pos(node) is not None else pos
        if depth > bound:
            raise ExpressionError(
                f"điều kiện lồng quá sâu: hơn {bound} cấp",
                pos,
                hint="mỗi 'not', mỗi and/or nằm trong and/or khác, mỗi phép tính, mỗi hàm là một cấp;"
                " viết điều kiện phẳng hơn hoặc tách thành nhiều quy tắc"
                f" (giới hạn {bound} cấp: MAX_NESTING trong engine/expression.py)",
            )
        stack.extend((child, depth + 1, pos) for child in reversed(children(node)))  # leftmost first


def children(expr: Expr) -> tuple[Expr, ...]:
    """The node's sub-expressions, left to right."""
    if isinstance(expr, (Arith, Compare)):
        return (expr.left, expr.right)
    if isinstance(expr, In):
        return (expr.item,)
    if isinstance(expr, (Missing, Contains)):
        return (expr.field,)
    if isinstance(expr, Shift):
        return (expr.base,)
    if isinstance(expr, Call):
        return expr.args
    if isinstance(expr, (And, Or)):
        return expr.items
    if isinstance(expr, Not):
        return (expr.item,)
    return ()


def nodes(expr: Expr) -> Iterator[Expr]:
    """Every node of the tree, parents before children, left to right."""
    yield expr
    for child in children(expr):
        yield from nodes(child)


def fields_of(expr: Expr) -> list[Field]:
    """Every field the expression reads, in order of appearance."""
    return [node for node in nodes(expr) if isinstance(node, Field)]


def guarded_fields(expr: Expr) -> set[str]:
    """Fields the expression explicitly tests with 'is missing' / 'is present'."""
    return {node.field.name for node in nodes(expr) if isinstance(node, Missing)}


def leaves(expr: Expr) -> list[Expr]:
    """The sub-conditions that are true or false on their own (not and/or/not)."""
    if isinstance(expr, (And, Or)):
        return [leaf for item in expr.items for leaf in leaves(item)]
    if isinstance(expr, Not):
        return leaves(expr.item)
    return [expr]


def format_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


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
            return format_date(value)
        return str(value)
    if isinstance(node, Arith):
        return f"{_wrap(node.left)} {node.op} {_wrap(node.right)}"
    if isinstance(node, Shift):
        unit = "working days" if node.working else "days"
        return f"{_wrap(node.base)} {'-' if node.days < 0 else '+'} {abs(node.days)} {unit}"
    if isinstance(node, Call):
        return f"{node.name}({', '.join(to_text(a) for a in node.args)})"
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
    return f"({text})" if isinstance(node, (And, Or, Arith, Shift)) else text
