"""Rule-file mistakes as policy staff should read them: in Vietnamese, at the right place, with the fix.

facts/yamlio.py reads YAML for every input; for rule files this module says what
a YAML slip means (indentation, a tab, a colon inside a sentence), turns schema
errors into plain sentences, and finds the line and column of a character inside
a value written over several lines (``condition: >-``).
"""

from __future__ import annotations

import difflib
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from dondoc.errors import InputError

Loc = tuple[Any, ...]

RULE_KEYS_HINT = (
    "các khóa của một quy tắc (id, title, fact, condition, ...) phải thẳng cột với nhau, thường 4 dấu cách"
    " từ đầu dòng; mỗi quy tắc bắt đầu bằng '- ' thẳng cột với '- ' của quy tắc trước, thường 2 dấu cách"
)


def _line(text: str, number: int) -> str:
    lines = text.splitlines()
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _key_column(line: str) -> int:
    """Where a line's key starts ('  - id: a' and '    title: x' both at 4)."""
    return len(line) - len(line.lstrip(" -"))


def yaml_error(path: Path, text: str, exc: yaml.MarkedYAMLError) -> InputError:
    """A YAML syntax error, explained plainly."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    problem = exc.problem or ""
    context = exc.context or ""
    source = _line(text, line or 0)
    if "'\\t'" in problem or "\t" in source[: (column or 1)]:
        return InputError(
            path, "YAML không dùng phím Tab để thụt lề", line=line, column=column, hint="thay Tab bằng dấu cách"
        )
    if problem.startswith("expected <block end>"):
        if "{{" in source or "{%" in source:
            return InputError(
                path,
                "một câu bắt đầu bằng '{{' bị đọc như một bảng YAML",
                line=line,
                hint='đặt cả câu trong ngoặc kép ("{{ task }} quá hạn"), hoặc viết "message: >-" rồi xuống dòng viết câu',
            )
        return InputError(
            path, f"dòng {line} thụt lề không khớp với các dòng trên", line=line, column=column, hint=RULE_KEYS_HINT
        )
    if problem.startswith("mapping values are not allowed"):
        previous = next(
            (_line(text, n) for n in range((line or 1) - 1, 0, -1) if _line(text, n).strip()), ""
        )
        first_colon = source.find(":")
        second = column is not None and first_colon >= 0 and column - 1 > first_colon
        if not second and _key_column(source) > _key_column(previous) and not previous.rstrip().endswith(
            (":", ">-", "|", ">")
        ):
            return InputError(
                path, f"dòng {line} thụt vào sâu hơn dòng trên", line=line, column=_key_column(source) + 1, hint=RULE_KEYS_HINT
            )
        return InputError(
            path,
            "câu có dấu ':' nên YAML đọc nhầm thành một khóa mới",
            line=line,
            column=column,
            hint='đặt cả câu trong ngoặc kép ("Nhiệm vụ: quá hạn"), hoặc viết ">-" rồi xuống dòng viết câu',
        )
    # These point where the thing started (the key, the opening quote), not where YAML gave up.
    at = exc.context_mark or mark
    opened = dict(line=at.line + 1, column=at.column + 1) if at else dict(line=line, column=column)
    if "could not find expected ':'" in problem:
        return InputError(
            path,
            "thiếu dấu ':' sau tên khóa",
            hint="viết 'title: Tên quy tắc' (tên khóa, dấu hai chấm, một dấu cách, giá trị)",
            **opened,
        )
    if "quoted scalar" in context:
        return InputError(
            path, "ngoặc kép mở mà chưa đóng", hint='đóng ngoặc kép ở cuối câu; trong câu, dấu " viết \\"', **opened
        )
    if "flow sequence" in context or "flow mapping" in context:
        return InputError(
            path,
            "dấu '[' hoặc '{' mở mà chưa đóng",
            hint="danh sách viết [\"a\", \"b\"]; một câu bắt đầu bằng '[' hoặc '{' phải đặt trong ngoặc kép",
            **opened,
        )
    return InputError(path, f"YAML không đọc được: {problem or context}", line=line, column=column)


# -- schema errors ------------------------------------------------------------------------------

_NAMES = {
    "id": "mã quy tắc",
    "title": "tên quy tắc",
    "fact": "loại dữ kiện",
    "scope": "phạm vi",
    "condition": "điều kiện",
    "severity": "mức độ",
    "message": "câu thông báo",
    "valid_from": "ngày bắt đầu hiệu lực",
    "valid_to": "ngày hết hiệu lực",
    "when": "điều kiện của bậc",
    "replaces": "mã quy tắc được thay",
    "refines": "mã quy tắc được tinh chỉnh",
    "section": "mục công văn",
}


def _where(loc: Loc) -> str:
    parts = []
    for p in loc:
        if isinstance(p, int):
            parts.append(f"bậc {p + 1}" if parts and parts[-1] == "escalate" else "")
        else:
            parts.append(str(p))
    return ".".join(p for p in parts if p)


def schema_error(err: dict[str, Any], keys: list[str], choices: dict[str, tuple[str, ...]]) -> tuple[str, str]:
    """A pydantic error on a rule entry as (message, hint), in Vietnamese."""
    loc = tuple(err["loc"])
    name = str(next((p for p in reversed(loc) if isinstance(p, str)), ""))
    kind = err["type"]
    given = err.get("input")
    where = _where(loc)
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(name, keys, n=1)
        return (
            f"khóa '{name}' không có trong một quy tắc",
            (f"có phải '{close[0]}'? " if close else "") + "các khóa: " + ", ".join(keys),
        )
    if kind == "missing":
        return f"quy tắc thiếu khóa '{name}' ({_NAMES.get(name, name)})", "xem mẫu ở docs/rules.md, mục 1"
    if kind in ("literal_error", "enum") and name in choices:
        options = choices[name]
        close = difflib.get_close_matches(str(given), options, n=1, cutoff=0.5)
        return (
            f"{_NAMES.get(name, name)} '{given}' không có",
            (f"có phải '{close[0]}'? " if close else "") + "chọn một trong: " + ", ".join(options),
        )
    if kind.startswith("date") or name in ("valid_from", "valid_to"):
        return (
            f"{where}: '{given}' không phải một ngày",
            "viết ngày/tháng/năm, ví dụ 01/07/2026 (hoặc 2026-07-01)",
        )
    if kind == "string_type":
        if isinstance(given, dict):
            return (
                f"{where}: giá trị bị đọc thành một bảng YAML, không phải một câu",
                'câu có dấu ":" hoặc bắt đầu bằng "{" thì đặt trong ngoặc kép, hoặc viết ">-" rồi xuống dòng',
            )
        return f"{where}: cần một câu (chữ), không phải {given!r}", 'đặt giá trị trong ngoặc kép: "..."'
    if kind == "list_type":
        return f"{where}: cần một danh sách, mỗi mục bắt đầu bằng '- '", ""
    message = str(err.get("msg", "")).removeprefix("Value error, ")
    return f"{where}: {message}", ""


# -- positions inside values --------------------------------------------------------------------


def _node_at(root: yaml.Node | None, loc: Loc) -> yaml.Node | None:
    node = root
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return None
    return node


class Positions:
    """Where each character of a rule file's values stands in the file (line, column, 1-based)."""

    def __init__(self, text: str) -> None:
        self.text = text
        try:
            self.root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            self.root = None

    def _line_col(self, index: int) -> tuple[int, int]:
        line = self.text.count("\n", 0, index) + 1
        return line, index - (self.text.rfind("\n", 0, index) + 1) + 1

    def at(self, loc: Loc, offset: int | None) -> tuple[int, int] | None:
        """The place of character ``offset`` of the (NFC) value at ``loc``; None if unknown."""
        node = _node_at(self.root, loc)
        if not isinstance(node, yaml.ScalarNode) or offset is None:
            return None
        raw = node.value
        # The value was read as NFC; count the offset back in the text as written.
        if unicodedata.normalize("NFC", raw) != raw:
            offset = next(
                (i for i in range(len(raw) + 1) if len(unicodedata.normalize("NFC", raw[:i])) >= offset), len(raw)
            )
        start, end = node.start_mark.index, node.end_mark.index
        source = self.text[start:end]
        # Walk the value and the source together: folded line breaks, indentation, the
        # '>-' header and quote marks are in the source only.
        j = 0
        for i, char in enumerate(raw[: offset + 1]):
            while j < len(source) and source[j] != char:
                j += 1
            if j >= len(source):
                return self._line_col(min(end, len(self.text)) - 1 if end else 0)
            if i == offset:
                return self._line_col(start + j)
            j += 1
        return self._line_col(start + j)  # just after the value: "the condition ends too early"
