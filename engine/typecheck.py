"""Checks a parsed condition against the fields of a fact kind (facts/kinds.py).

A rule that names a field the kind does not have, or compares a date with a
percentage, is an error before anything runs, with the column and a hint.
"""

from __future__ import annotations

import datetime as dt
import difflib

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
from dondoc.facts.kinds import KINDS, FieldSpec

# The check's own date: usable in any rule, fixed for a whole run.
AS_OF = "as_of"


def _literal_type(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, dt.date):
        return "date"
    return "text"


def field_spec(kind: str, field: Field) -> FieldSpec:
    fields = KINDS[kind]
    if field.name == AS_OF:
        return FieldSpec(AS_OF, "date", "Ngày kiểm tra", True)
    if field.name not in fields:
        close = difflib.get_close_matches(field.name, list(fields), n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"fields of '{kind}': " + ", ".join(fields)
        raise ExpressionError(f"'{kind}' facts have no field '{field.name}'", field.column, hint=hint)
    return fields[field.name]


def type_of(kind: str, node: Expr) -> str:
    """The type of an expression: number, text, date or bool; raises ExpressionError."""
    if isinstance(node, Field):
        return field_spec(kind, node).type
    if isinstance(node, Literal):
        return _literal_type(node.value)
    if isinstance(node, Arith):
        left, right = type_of(kind, node.left), type_of(kind, node.right)
        if left != "number" or right != "number":
            bad = left if left != "number" else right
            hint = "for dates use days_overdue / days_left" if "date" in (left, right) else ""
            raise ExpressionError(f"'{node.op}' works on numbers, not on {bad}", node.column, hint=hint)
        return "number"
    if isinstance(node, Compare):
        left, right = type_of(kind, node.left), type_of(kind, node.right)
        if left != right:
            raise ExpressionError(
                f"cannot compare {left} with {right}",
                node.column,
                hint="both sides of a comparison must be of one type (number, text, date or true/false)",
            )
        if left in ("text", "bool") and node.op not in ("==", "!="):
            raise ExpressionError(
                f"{left} can only be compared with == or !=", node.column,
                hint="to look for words in a text, write: title contains \"...\"" if left == "text" else "",
            )
        return "bool"
    if isinstance(node, In):
        item = type_of(kind, node.item)
        if not node.options:
            raise ExpressionError("the list after 'in' is empty", node.column)
        for option in node.options:
            if _literal_type(option.value) != item:
                raise ExpressionError(
                    f"the list mixes {_literal_type(option.value)} into a test of a {item}",
                    option.column,
                )
        return "bool"
    if isinstance(node, Missing):
        spec = field_spec(kind, node.field)
        if spec.always:
            raise ExpressionError(
                f"'{spec.name}' is never missing on '{kind}' facts", node.column,
                hint="remove this test: it is always " + ("false" if not node.negated else "true"),
            )
        return "bool"
    if isinstance(node, Contains):
        if field_spec(kind, node.field).type != "text":
            raise ExpressionError("'contains' works on text fields", node.column)
        return "bool"
    if isinstance(node, (And, Or)):
        for item in node.items:
            _require_bool(kind, item)
        return "bool"
    if isinstance(node, Not):
        _require_bool(kind, node.item)
        return "bool"
    raise AssertionError(node)


def _require_bool(kind: str, node: Expr) -> None:
    kind_of = type_of(kind, node)
    if kind_of != "bool":
        raise ExpressionError(
            f"this part is a {kind_of}, not a test that is true or false",
            getattr(node, "column", None),
            hint="compare it with something, e.g. days_overdue > 0",
        )


def check(kind: str, node: Expr) -> None:
    """Raise ExpressionError unless ``node`` is a well-typed test on ``kind`` facts."""
    if kind not in KINDS:
        raise ExpressionError(f"unknown fact kind '{kind}'", hint="one of: " + ", ".join(KINDS))
    _require_bool(kind, node)
