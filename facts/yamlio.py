"""YAML reading that remembers where each value came from.

Pydantic tells us *which* field is wrong (its ``loc``); the maps built here turn
that into a line and column in the file, so every error names its place.

Files are parsed by libyaml's C composer (14x faster than PyYAML's own, and its nodes
keep their marks), then walked here into plain data: text, numbers, true/false, null,
lists and mappings, nothing else. Aliases, tags and merge keys are refused with their
line: a plan has no use for them, and an alias bomb ("billion laughs") would otherwise
expand to gigabytes. Nesting is bounded before libyaml sees it (it recurses in C).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Callable

import yaml
from pydantic import BaseModel, ValidationError

from dondoc.facts.csvio import read_csv  # noqa: F401  (the CSV reader, where readers used to find it)
from dondoc.errors import InputError, InputErrors
from dondoc.facts.textfile import decode, nfc, read_text  # noqa: F401
from dondoc.text import control_character

Loc = tuple[Any, ...]
KEY = "<key>"  # marks[loc + (KEY,)] is where the key of a mapping entry stands
MAX_DEPTH = 64  # a plan nests 4 deep, a rule file 5; libyaml's C composer crashes near 50,000

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # PyYAML built without libyaml: same result, slower


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Safe loading that keeps dates as text: dates are validated (and located) by pydantic."""

    def resolve(self, kind, value, implicit):  # noqa: D401 - BaseResolver.resolve, without path resolvers
        # libyaml's composer calls this for every node: a plan has ~1,000 (the general one,
        # which also walks path resolvers nobody registers, was 15% of composing).
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


# YAML 1.1 would turn 2026-02-30 into a ValueError with no location; leave dates to the models.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_T = "tag:yaml.org,2002:"
_LOADER = _Loader("")
_SCALARS = {
    _T + "null": _Loader.construct_yaml_null,
    _T + "bool": _Loader.construct_yaml_bool,
    _T + "int": _Loader.construct_yaml_int,
    _T + "float": _Loader.construct_yaml_float,
}
_STR, _SEQ, _MAP = _T + "str", _T + "seq", _T + "map"
_QUOTES = ('"', "'")


def _at(node: yaml.Node) -> dict[str, int]:
    return {"line": node.start_mark.line + 1, "column": node.start_mark.column + 1}


class Marks:
    """Where each value of a read file stands: ``marks[loc]`` is the (line, column) of the value
    at ``loc`` (``loc + (KEY,)``: of its key in a mapping), looked up in libyaml's nodes when an
    error or a line is asked for. Recording every value's place while reading cost a fifth of
    reading a plan, for the few places an error or a task's line ever needs."""

    __slots__ = ("_root",)

    def __init__(self, root: yaml.Node) -> None:
        self._root = root

    def _find(self, loc: Loc) -> tuple[int, int] | None:
        node = self._root
        last = len(loc) - 1
        for i, part in enumerate(loc):
            if node.__class__ is yaml.MappingNode:
                for key_node, value_node in node.value:
                    if key_node.value == part:
                        if i + 1 == last and loc[last] == KEY:
                            mark = key_node.start_mark
                            return mark.line + 1, mark.column + 1
                        node = value_node
                        break
                else:
                    return None
            elif node.__class__ is yaml.SequenceNode and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
            else:
                return None
        mark = node.start_mark
        # A quoted value's text starts one column after its quote mark.
        quoted = node.__class__ is yaml.ScalarNode and node.style in _QUOTES
        return mark.line + 1, mark.column + 1 + quoted

    def __contains__(self, loc: Loc) -> bool:
        return self._find(loc) is not None

    def __getitem__(self, loc: Loc) -> tuple[int, int]:
        found = self._find(loc)
        if found is None:
            raise KeyError(loc)
        return found

    def get(self, loc: Loc, default: Any = None) -> Any:
        found = self._find(loc)
        return default if found is None else found


class _Walk:
    """Nodes -> plain data, refusing what a plan file has no use for."""

    def __init__(self, text: str) -> None:
        self.text = text
        # An alias is written "*name": without a '*' anywhere, no node can be met twice.
        self.seen: set[int] | None = set() if "*" in text else None

    def node(self, node: yaml.Node, depth: int) -> Any:
        # The hot loop of reading a plan: one call per value, so plain comparisons only.
        seen = self.seen
        if seen is not None:
            if id(node) in seen:
                raise self._alias()
            seen.add(id(node))
        tag = node.tag
        kind = node.__class__
        if kind is yaml.ScalarNode:
            if tag == _STR:
                # Only a double-quoted scalar can spell a control character ("\x07"); a raw one
                # is refused by the reader. A letter could not hold it: refused here, at its line.
                if node.style == '"' and control_character(node.value) is not None:
                    raise _control(node)
                return node.value
            if tag in _SCALARS:
                return self.scalar(node)
            raise _tag(node)
        if depth >= MAX_DEPTH:
            raise InputError(None, f"lồng quá sâu (hơn {MAX_DEPTH} cấp)", **_at(node))
        if kind is yaml.MappingNode and tag == _MAP:
            return self.mapping(node, depth + 1)
        if kind is yaml.SequenceNode and tag == _SEQ:
            walk = self.node
            return [walk(item, depth + 1) for item in node.value]
        raise _tag(node)

    def mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        seen, walk = self.seen, self.node
        for key_node, value_node in node.value:
            if seen is not None:
                if id(key_node) in seen:
                    raise self._alias()
                seen.add(id(key_node))
            if key_node.tag != _STR or key_node.__class__ is not yaml.ScalarNode:
                raise _bad_key(key_node)
            key = key_node.value
            if key in out:
                raise InputError(None, f"trường '{key}' xuất hiện hai lần", **_at(key_node))
            out[key] = walk(value_node, depth)
        return out

    def scalar(self, node: yaml.ScalarNode) -> Any:
        try:
            value = _SCALARS[node.tag](_LOADER, node)
        except (ValueError, OverflowError, yaml.YAMLError):
            raise InputError(None, f"không đọc được giá trị '{node.value[:40]}'", **_at(node)) from None
        if isinstance(value, float) and not math.isfinite(value):
            raise InputError(
                None,
                f"'{node.value}' không phải một số hữu hạn",
                **_at(node),
                hint="ghi một số; bỏ trường nếu chưa có số liệu",
            )
        return value

    def _alias(self) -> InputError:
        # The composed tree shares the aliased node; the events say where the alias is written.
        for event in yaml.parse(self.text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                return InputError(
                    None,
                    f"bí danh YAML '*{event.anchor}' không được dùng",
                    line=mark.line + 1,
                    column=mark.column + 1,
                    hint=f"viết đầy đủ giá trị thay cho '*{event.anchor}' (và bỏ '&{event.anchor}')",
                )
        return InputError(None, "bí danh YAML không được dùng")  # pragma: no cover - an alias has an event


def _control(node: yaml.ScalarNode) -> InputError:
    char = node.value[control_character(node.value) or 0]
    return InputError(
        None,
        f"ký tự không được phép (mã {ord(char):#06x}) trong văn bản",
        **_at(node),
        hint="xoá ký tự này (thường do chép từ phần mềm khác): công văn không chứa được ký tự điều khiển",
    )


def _bad_key(node: yaml.Node) -> InputError:
    if node.tag == _T + "merge":
        return InputError(
            None,
            "khoá gộp '<<:' không được dùng",
            **_at(node),
            hint="viết đầy đủ các trường ở mỗi chỗ cần, không chép từ chỗ khác",
        )
    if node.tag not in _SCALARS and node.tag not in (_STR, _SEQ, _MAP):
        return _tag(node)
    return InputError(None, "tên trường phải là văn bản", **_at(node))


def _tag(node: yaml.Node) -> InputError:
    tag = node.tag.replace(_T, "!!")
    return InputError(
        None,
        f"thẻ YAML '{tag}' không được dùng",
        **_at(node),
        hint="bỏ thẻ và viết giá trị thường: văn bản, số, true/false, danh sách hoặc các trường",
    )


def _depth_guard(text: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH before libyaml's recursive C composer sees it.

    Each level needs one of these marks; files under the bound skip the (linear) event scan."""
    if sum(text.count(c) for c in "[{-?:") < 2000:
        return
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise InputError(None, f"lồng quá sâu (hơn {MAX_DEPTH} cấp)", line=mark.line + 1, column=mark.column + 1)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


def compose(text: str) -> yaml.Node | None:
    """libyaml's composer behind the nesting guard. Syntax errors are yaml's own (for a reader
    that explains them its own way); too deep a nesting is an InputError without a path."""
    _depth_guard(text)
    return yaml.compose(text, Loader=_Loader)


def parse_yaml(text: str) -> tuple[Any, Marks | dict[Loc, tuple[int, int]]]:
    """YAML text -> (data, marks); errors are InputErrors without a path."""
    try:
        node = compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or ""
        raise InputError(
            None,
            f"lỗi cú pháp YAML: {problem}",
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            hint="bí danh (*tên) không được dùng: viết đầy đủ giá trị" if "alias" in problem else
            "kiểm tra thụt lề (dấu cách, không dùng tab), dấu ':' sau tên trường, ngoặc và dấu nháy",
        ) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (a control character)
        at = exc.position if isinstance(exc.position, int) else 0
        raise InputError(
            None,
            f"ký tự không được phép (mã {exc.character:#06x}) trong tệp YAML" if isinstance(exc.character, int)
            else f"lỗi YAML: {exc.reason}",
            line=text.count("\n", 0, at) + 1,
            column=at - text.rfind("\n", 0, at),
            hint="xoá ký tự này (thường do chép từ phần mềm khác)",
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(None, f"lỗi YAML: {exc}") from None
    if node is None:
        return None, {}
    return _Walk(text).node(node, 0), Marks(node)


def load_yaml(path: Path, data: bytes | None = None) -> tuple[Any, Marks | dict[Loc, tuple[int, int]]]:
    """Parse a YAML file; return the data and a map from each value's path to (line, column).

    ``data``: the bytes about to be written to ``path``, read as if they were there."""
    text = read_text(path) if data is None else decode(path, data)
    try:
        return parse_yaml(text)
    except InputError as exc:
        raise InputError(path, exc.message, line=exc.line, column=exc.column, hint=exc.hint) from None


def locate(marks: dict[Loc, tuple[int, int]], loc: Loc) -> tuple[int | None, int | None]:
    """The line and column of the deepest known prefix of ``loc``."""
    for end in range(len(loc), -1, -1):
        found = marks.get(loc[:end])  # one look-up: in Marks each walks libyaml's nodes
        if found is not None:
            return found
    return None, None


_MESSAGES = {
    "string_type": "cần văn bản",
    "int_type": "cần một số nguyên",
    "int_parsing": "cần một số nguyên",
    "int_from_float": "cần một số nguyên",
    "float_type": "cần một số",
    "float_parsing": "cần một số",
    "finite_number": "cần một số hữu hạn (không phải nan, inf)",
    "bool_type": "cần true hoặc false",
    "bool_parsing": "cần true hoặc false",
    "list_type": "cần một danh sách ('- ...' hoặc [..])",
    "dict_type": "cần các trường dạng 'tên: giá trị'",
    "model_type": "cần các trường dạng 'tên: giá trị'",
    "model_attributes_type": "cần các trường dạng 'tên: giá trị'",
    "date_type": "cần một ngày viết YYYY-MM-DD",
    "date_parsing": "cần một ngày viết YYYY-MM-DD",
    "date_from_datetime_parsing": "cần một ngày viết YYYY-MM-DD",
    "greater_than": "phải lớn hơn {gt}",
    "greater_than_equal": "phải lớn hơn hoặc bằng {ge}",
    "less_than": "phải nhỏ hơn {lt}",
    "less_than_equal": "phải nhỏ hơn hoặc bằng {le}",
    "literal_error": "phải là một trong: {expected}",
    "enum": "phải là một trong: {expected}",
    "string_too_short": "không được để trống",
}


def describe(err: dict[str, Any], *, named: bool = True) -> str:
    """A pydantic error as one plain sentence (in Vietnamese) naming the field, unless the
    caller names it already (a CSV error names its column)."""
    field = ".".join(str(p) for p in err["loc"] if not isinstance(p, int)) or "giá trị"
    kind = err["type"]
    if kind == "extra_forbidden":
        return f"trường lạ '{err['loc'][-1]}'"
    if kind == "missing":
        return f"thiếu trường bắt buộc '{err['loc'][-1]}'"
    given = err.get("input")
    template = _MESSAGES.get(kind)
    ctx = {k: str(v).replace("' or '", "' hoặc '") for k, v in err.get("ctx", {}).items()}
    msg = template.format(**ctx) if template else err["msg"].removeprefix("Value error, ")
    if isinstance(given, (str, int, float)) and kind != "value_error":
        msg = f"{msg} (đang ghi {given!r})"
    return f"{field}: {msg}" if named or not err["loc"] else msg


def validation_errors(
    path: Path,
    exc: ValidationError,
    marks: dict[Loc, tuple[int, int]],
    base: Loc = (),
    words: Callable[[dict[str, Any]], str] = describe,
) -> InputErrors:
    """Each pydantic error at its line and column; ``words`` says it (a file of its own kind,
    the settings, has its own wording)."""
    errors = []
    for err in exc.errors():
        loc = base + tuple(err["loc"])
        # An unknown field is shown where its name is written, not its value.
        line, column = locate(marks, loc + (KEY,) if err["type"] == "extra_forbidden" else loc)
        errors.append(InputError(path, words(err), line=line, column=column))
    return InputErrors(errors)


def validate(model: type[BaseModel], data: Any, path: Path, marks, base: Loc = ()) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_errors(path, exc, marks, base) from None
