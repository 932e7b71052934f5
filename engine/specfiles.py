"""Reading the Vietnamese specs (.feature files): their scenarios, each step with its line.

The spec runner (night/spectest.py) runs them; the catalogue (engine/catalogue.py) lists them
beside each rule. Reading them needs nothing of the night.
"""

from __future__ import annotations

import importlib.resources
import re
from pathlib import Path
from typing import Iterable

from gherkin.errors import CompositeParserException, ParserError
from gherkin.parser import Parser
from gherkin.pickles.compiler import Compiler as PickleCompiler

from dondoc.errors import InputError
from dondoc.limits import files_under


def shipped_features_dir() -> Path:
    return Path(str(importlib.resources.files("dondoc.features")))


class FeatureError(Exception):
    """A .feature file that cannot be read: named, with the line, in Vietnamese."""


def _step_lines(node, lines: dict[str, int]) -> dict[str, int]:
    """The line of every step in a parsed feature, by its id (pickle steps name their source)."""
    if isinstance(node, dict):
        if "keyword" in node and "text" in node and "id" in node and "location" in node:
            lines[node["id"]] = node["location"]["line"]
        for value in node.values():
            _step_lines(value, lines)
    elif isinstance(node, list):
        for value in node:
            _step_lines(value, lines)
    return lines


def read_feature(path: Path) -> list[dict]:
    """The scenarios (pickles) of one feature file, outlines expanded; each step knows its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FeatureError(f"{path}: không đọc được tệp kịch bản ({exc})") from None
    try:
        document = Parser().parse(text)
    except (CompositeParserException, ParserError) as exc:
        first = (getattr(exc, "errors", None) or [exc])[0]
        line = (getattr(first, "location", None) or {}).get("line", "?")
        got = re.search(r"got '(.*)'", str(first))
        raise FeatureError(
            f"{path}:{line}: tệp kịch bản viết sai Gherkin"
            + (f", không hiểu dòng '{got.group(1).strip()}'" if got else "")
            + "; dòng đầu viết '# language: vi', rồi 'Tính năng:', 'Bối cảnh:', 'Kịch bản:' (hoặc 'Khung kịch bản:'"
            " với 'Dữ liệu:'), các câu 'Cho', 'Khi', 'Thì', 'Và'"
        ) from None
    document["uri"] = str(path)
    lines = _step_lines(document, {})
    pickles = PickleCompiler().compile(document)
    for pickle in pickles:
        for step in pickle["steps"]:
            step["line"] = lines.get(step["astNodeIds"][0], 0)
    return pickles


def _named_rule(pickle: dict) -> str | None:
    for step in pickle["steps"]:
        found = re.search(r"kiểm tra theo quy tắc \"([^\"]+)\"", step["text"])
        if found:
            return found.group(1)
    return None


def rule_of(path: Path, pickle: dict, pickles: list[dict] | None = None) -> str:
    """The rule a scenario specifies: the one it checks, else the one its file's scenarios check."""
    named = _named_rule(pickle) or next((r for r in map(_named_rule, pickles or []) if r), None)
    return named or path.stem


def feature_files(paths: Iterable[Path]) -> list[Path]:
    """The .feature files named, and those inside the folders named (recursively)."""
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            try:  # walked within a bound: `rules test --rules /` is refused, not a walk of the disk
                files += files_under(path, (".feature",))
            except InputError as exc:
                raise FeatureError(exc.render()) from None
        elif path.is_file():
            files.append(path)
        else:
            raise FeatureError(f"{path}: không có tệp hay thư mục kịch bản này")
    return files
