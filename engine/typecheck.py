"""Checks a parsed condition against the fields of a fact kind (facts/kinds.py).

A rule that names a field the kind does not have, compares a date with a
percentage, or compares a status with a value it never takes is an error before
anything runs, at the offset of the mistake, in Vietnamese, with the fix.
"""

from __future__ import annotations

import datetime as dt
import difflib

from dondoc.engine.expression import (
    And,
    Arith,
    Call,
    choices_hint,
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
)
from dondoc.facts.kinds import AS_OF_FIELD, FUNCTIONS, KINDS, FieldSpec

AS_OF = AS_OF_FIELD.name
TYPE_NAMES = {"number": "số", "text": "chữ", "date": "ngày", "bool": "đúng/sai"}


def _literal_type(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, dt.date):
        return "date"
    return "text"


def _folded(name: str) -> str:
    from dondoc.text import ascii_slug

    return ascii_slug(name.replace("_", " "))


def suggest_field(kind: str, name: str) -> str:
    """How to write an unknown field: its catalogue name, from a Vietnamese name or a near miss."""
    fields = KINDS[kind]
    wanted = _folded(name)
    for spec in fields.values():
        if wanted in {_folded(v) for v in spec.vi}:
            return f"tên trường viết theo danh mục, không dấu: '{name}' là '{spec.name}' ({spec.meaning})"
    if name != name.lower() and name.lower() in fields:
        return f"tên trường viết chữ thường: '{name.lower()}'"
    names = list(fields) + [AS_OF]
    close = difflib.get_close_matches(name, names, n=1) or difflib.get_close_matches(
        wanted.replace("-", "_"), names, n=1
    )
    if close:
        return f"có phải '{close[0]}'?"
    return f"các trường của '{kind}': " + ", ".join(fields) + " (dondoc rules fields)"


def field_spec(kind: str, field: Field) -> FieldSpec:
    if field.name == AS_OF:
        return AS_OF_FIELD
    fields = KINDS[kind]
    if field.name not in fields:
        if field.name.startswith("commune."):  # an attribute of the commune no pack has declared
            declared = [n for n in fields if n.startswith("commune.")]
            raise ExpressionError(
                f"thuộc tính xã '{field.name}' chưa được khai báo", field.pos,
                hint="khai báo trong thuoc-tinh-xa.yaml của gói quy tắc (docs/rules.md, 3e)"
                + (f"; đã khai báo: {', '.join(declared)}" if declared else ""),
            )
        raise ExpressionError(
            f"dữ kiện '{kind}' không có trường '{field.name}'", field.pos, hint=suggest_field(kind, field.name)
        )
    return fields[field.name]


def values_of(kind: str, node: Expr) -> tuple[str, ...]:
    """The only values a text field (or function) can take; () when any text may come."""
    if isinstance(node, Field):
        return field_spec(kind, node).values
    if isinstance(node, Call) and node.name in FUNCTIONS:
        return FUNCTIONS[node.name].values
    return ()


def _check_value(kind: str, subject: Expr, literal: Literal) -> None:
    allowed = values_of(kind, subject)
    if not allowed or not isinstance(literal.value, str) or literal.value in allowed:
        return
    close = difflib.get_close_matches(literal.value, allowed, n=1, cutoff=0.6)
    hint = f"có phải \"{close[0]}\"? " if close else ""
    name = subject.name if isinstance(subject, (Field, Call)) else "?"
    raise ExpressionError(
        f"\"{literal.value}\" không phải một giá trị của '{name}'",
        literal.pos,
        hint=hint + "các giá trị: " + ", ".join(f'"{v}"' for v in allowed),
    )


def _day_without_year(node: Expr) -> str:
    """'30/06' as staff write a day of the year: two whole numbers divided, a day and a month."""
    if isinstance(node, Arith) and node.op == "/" and isinstance(node.left, Literal) and isinstance(node.right, Literal):
        day, month = node.left.value, node.right.value
        if isinstance(day, int) and isinstance(month, int) and 1 <= day <= 31 and 1 <= month <= 12:
            return f"{day:02d}/{month:02d}"
    return ""


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
            hint = (
                "cộng, trừ ngày viết: due - 5 working days (ngày làm việc) hoặc due + 7 days (ngày lịch)"
                if "date" in (left, right) and node.op in "+-"
                else "so sánh số ngày bằng days_overdue, days_left, working_days_left"
            )
            raise ExpressionError(
                f"phép '{node.op}' chỉ dùng cho số, không dùng cho {TYPE_NAMES[bad]}", node.pos, hint=hint
            )
        return "number"
    if isinstance(node, Shift):
        base = type_of(kind, node.base)
        if base != "date":
            raise ExpressionError(
                f"chỉ cộng, trừ ngày vào một ngày, không vào {TYPE_NAMES[base]}", node.pos,
                hint="ví dụ: due - 5 working days",
            )
        return "date"
    if isinstance(node, Call):
        spec = FUNCTIONS.get(node.name)
        if spec is None:
            raise ExpressionError(f"không có hàm '{node.name}'", node.pos, hint=choices_hint(node.name, list(FUNCTIONS), "các hàm"))
        if len(node.args) != len(spec.args):
            raise ExpressionError(
                f"hàm '{node.name}' nhận {len(spec.args)} giá trị ({', '.join(TYPE_NAMES[a] for a in spec.args)})",
                node.pos,
                hint=f"ví dụ: {spec.example}",
            )
        for arg, wanted in zip(node.args, spec.args):
            got = type_of(kind, arg)
            if got != wanted:
                raise ExpressionError(
                    f"hàm '{node.name}' cần {TYPE_NAMES[wanted]}, không phải {TYPE_NAMES[got]}",
                    getattr(arg, "pos", node.pos),
                    hint=f"ví dụ: {spec.example}",
                )
        if node.name == "date" and all(isinstance(a, Literal) for a in node.args):
            try:  # a day written whole: no fact can make it exist
                dt.date(*(int(a.value) for a in node.args))  # type: ignore[arg-type, union-attr]
            except (ValueError, TypeError, OverflowError):
                raise ExpressionError(
                    f"date({', '.join(str(a.value) for a in node.args)}) không phải một ngày", node.pos,  # type: ignore[union-attr]
                    hint="date(năm, tháng, ngày), ví dụ date(plan_year, 6, 30)",
                ) from None
        return spec.type
    if isinstance(node, Compare):
        left, right = type_of(kind, node.left), type_of(kind, node.right)
        if left != right:
            hint = "hai vế của phép so sánh phải cùng kiểu (số, chữ, ngày hoặc true/false)"
            if "date" in (left, right) and "number" in (left, right):
                hint = "so sánh số ngày bằng days_overdue, days_left, working_days_left; hoặc so ngày với ngày: due < 01/07/2026"
                slash = _day_without_year(node.right if right == "number" else node.left)
                if slash:  # '30/06' reads as 30 divided by 6: a day needs its year
                    raise ExpressionError(
                        f"'{slash}' không phải một ngày (thiếu năm: đọc thành phép chia)",
                        getattr(getattr(node.right if right == "number" else node.left, "left", None), "pos", node.pos),
                        hint=f"viết đủ ngày/tháng/năm ({slash}/2026), hoặc ngày theo năm của kế hoạch:"
                        f" date(plan_year, {int(slash.split('/')[1])}, {int(slash.split('/')[0])})",
                    )
            raise ExpressionError(
                f"không so sánh được {TYPE_NAMES[left]} với {TYPE_NAMES[right]}", node.pos, hint=hint
            )
        if left in ("text", "bool") and node.op not in ("==", "!="):
            raise ExpressionError(
                f"{TYPE_NAMES[left]} chỉ so sánh bằng == hoặc !=",
                node.pos,
                hint='tìm chữ trong một câu: title contains "..."' if left == "text" else "",
            )
        for subject, other in ((node.left, node.right), (node.right, node.left)):
            if isinstance(other, Literal):
                _check_value(kind, subject, other)
        return "bool"
    if isinstance(node, In):
        item = type_of(kind, node.item)
        if not node.options:
            raise ExpressionError("danh sách sau 'in' đang trống", node.pos)
        for option in node.options:
            if _literal_type(option.value) != item:
                raise ExpressionError(
                    f"danh sách có {TYPE_NAMES[_literal_type(option.value)]} trong khi vế trái là {TYPE_NAMES[item]}",
                    option.pos,
                )
            _check_value(kind, node.item, option)
        return "bool"
    if isinstance(node, Missing):
        spec = field_spec(kind, node.field)
        if spec.always:
            raise ExpressionError(
                f"trường '{spec.name}' luôn có giá trị ở dữ kiện '{kind}'",
                node.pos,
                hint="bỏ phép thử này: nó luôn " + ("sai" if not node.negated else "đúng"),
            )
        return "bool"
    if isinstance(node, Contains):
        if field_spec(kind, node.field).type != "text":
            raise ExpressionError("'contains' chỉ dùng cho trường chữ", node.pos)
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
            f"phần này là {TYPE_NAMES[kind_of]}, không phải một phép thử đúng hay sai",
            getattr(node, "pos", None),
            hint="so sánh nó với một giá trị, ví dụ days_overdue > 0",
        )


def _negated_contains(node: Expr, negated: bool = False) -> Contains | None:
    """A 'contains' under an odd number of 'not': the engine cannot test that a text lacks words."""
    if isinstance(node, Contains):
        return node if negated else None
    if isinstance(node, Not):
        return _negated_contains(node.item, not negated)
    if isinstance(node, (And, Or)):
        return next((c for c in (_negated_contains(i, negated) for i in node.items) if c), None)
    return None


def check(kind: str, node: Expr, negatable: bool = False) -> None:
    """Raise ExpressionError unless ``node`` is a well-typed test on ``kind`` facts.

    ``negatable``: the expression will also be used negated (a scope a refinement carves
    out), so it may not use 'contains' at all.
    """
    if kind not in KINDS:
        raise ExpressionError(f"không có loại dữ kiện '{kind}'", hint="một trong: " + ", ".join(KINDS))
    _require_bool(kind, node)
    bad = _negated_contains(node, negatable)
    if bad is not None:
        raise ExpressionError(
            "không viết 'not' trước 'contains': bộ máy luật không kiểm tra được \"không chứa\""
            if not negatable
            else "phạm vi của quy tắc tinh chỉnh (refines) không dùng được 'contains'",
            bad.pos,
            hint="chọn dữ kiện bằng một trường có danh sách giá trị, ví dụ category == \"hai-long-tthc\","
            " hoặc viết quy tắc cho những câu có chứa các chữ đó",
        )
