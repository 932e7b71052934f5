"""YAML and CSV reading that remembers where each value came from.

Pydantic tells us *which* field is wrong (its ``loc``); the maps built here turn
that into a line and column in the file, so every error names its place.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path
from typing import Any, Iterator

import yaml
from pydantic import BaseModel, ValidationError

from dondoc.facts.errors import InputError, InputErrors

Loc = tuple[Any, ...]
KEY = "<key>"  # marks[loc + (KEY,)] is where the key of a mapping entry stands


def nfc(text: str) -> str:
    """Vietnamese may arrive as NFD; compare and store everything as NFC."""
    return unicodedata.normalize("NFC", text)


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text: dates are validated (and located) by pydantic."""


# YAML 1.1 would turn 2026-02-30 into a ValueError with no location; leave dates to the models.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _walk(node: yaml.Node, loc: Loc, marks: dict[Loc, tuple[int, int]]) -> Any:
    # A quoted value's text starts one column after its quote mark.
    quoted = isinstance(node, yaml.ScalarNode) and node.style in ('"', "'")
    marks[loc] = (node.start_mark.line + 1, node.start_mark.column + 1 + quoted)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _Loader.construct_object(_LOADER, key_node)
            if not isinstance(key, str):
                raise InputError(
                    None,
                    f"a key must be text, not {key!r}",
                    line=key_node.start_mark.line + 1,
                    column=key_node.start_mark.column + 1,
                )
            key = nfc(key)
            if key in out:
                raise InputError(
                    None,
                    f"key '{key}' appears twice",
                    line=key_node.start_mark.line + 1,
                    column=key_node.start_mark.column + 1,
                )
            marks[loc + (key, KEY)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = _walk(value_node, loc + (key,), marks)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, loc + (i,), marks) for i, item in enumerate(node.value)]
    value = _Loader.construct_object(_LOADER, node)
    return nfc(value) if isinstance(value, str) else value


_LOADER = _Loader("")


def load_yaml(path: Path) -> tuple[Any, dict[Loc, tuple[int, int]]]:
    """Parse a YAML file; return the data and a map from each value's path to (line, column)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}") from None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise InputError(
            path,
            f"YAML syntax: {exc.problem or exc.context}",
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(path, f"YAML: {exc}") from None
    marks: dict[Loc, tuple[int, int]] = {}
    if node is None:
        return None, marks
    try:
        return _walk(node, (), marks), marks
    except InputError as exc:
        exc.path = str(path)
        raise InputError(path, exc.message, line=exc.line, column=exc.column) from None
    finally:
        # The shared loader remembers every node it constructed: forget this file's, or a
        # night of 3,321 plans keeps ~0.5 MB of each in every worker.
        _LOADER.constructed_objects.clear()


def locate(marks: dict[Loc, tuple[int, int]], loc: Loc) -> tuple[int | None, int | None]:
    """The line and column of the deepest known prefix of ``loc``."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in marks:
            return marks[loc[:end]]
    return None, None


def describe(err: dict[str, Any]) -> str:
    """A pydantic error as one plain sentence naming the field."""
    field = ".".join(str(p) for p in err["loc"] if not isinstance(p, int)) or "value"
    kind = err["type"]
    if kind == "extra_forbidden":
        return f"unknown field '{err['loc'][-1]}'"
    if kind == "missing":
        return f"missing required field '{err['loc'][-1]}'"
    given = err.get("input")
    msg = err["msg"].removeprefix("Value error, ")
    if isinstance(given, (str, int, float)) and kind != "value_error":
        return f"{field}: {msg} (got {given!r})"
    return f"{field}: {msg}"


def validation_errors(
    path: Path, exc: ValidationError, marks: dict[Loc, tuple[int, int]], base: Loc = ()
) -> InputErrors:
    errors = []
    for err in exc.errors():
        loc = base + tuple(err["loc"])
        # An unknown field is shown where its name is written, not its value.
        line, column = locate(marks, loc + (KEY,) if err["type"] == "extra_forbidden" else loc)
        errors.append(InputError(path, describe(err), line=line, column=column))
    return InputErrors(errors)


def validate(model: type[BaseModel], data: Any, path: Path, marks, base: Loc = ()) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_errors(path, exc, marks, base) from None


def read_csv(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) for each data row; blank cells become absent keys."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text (byte {exc.start})") from None
    reader = csv.DictReader(io.StringIO(nfc(text), newline=""))
    if not reader.fieldnames:
        raise InputError(path, "empty file: the first line must name the columns", line=1)
    header = [h.strip() for h in reader.fieldnames]
    if len(set(header)) != len(header):
        raise InputError(path, "a column name appears twice in the header", line=1)
    for row in reader:
        line = reader.line_num
        if None in row:
            raise InputError(path, "more cells than columns in the header", line=line)
        cells = {k.strip(): (v or "").strip() for k, v in row.items()}
        if not any(cells.values()):
            continue
        yield line, {k: v for k, v in cells.items() if v != ""}
