"""`dondoc rules test`: run the Vietnamese specs, one line per scenario, for policy staff.

Reads .feature files with the official Gherkin parser (gherkin-official, `# language: vi`),
runs each scenario's steps with the shared vocabulary (night/specsteps.py) against a
book of rules, and prints ✓ or ✗, the rule, the scenario and, on failure, one
Vietnamese sentence. No pytest, no tests/ folder: it works from the installed package
on any folder of specs. ``--coverage`` says which sub-conditions the scenarios reached.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from dondoc.engine.expression import Expr, leaves, to_text
from dondoc.engine.reference import holds
from dondoc.engine.rulebook import Rule
from dondoc.engine.specfiles import FeatureError, feature_files, read_feature, rule_of, shipped_features_dir  # noqa: F401
from dondoc.night.specsteps import STEPS, SpecFailure, World, match
from dondoc.facts.derive import rule_facts
from dondoc.errors import EXIT_RULE_ERRORS, InputError

_KEYWORDS = {"Context": "given", "Action": "when", "Outcome": "then"}
_WORDS = {"given": "Cho", "when": "Khi", "then": "Thì"}


@dataclass
class ScenarioResult:
    feature: Path
    rule: str
    name: str
    line: int
    failure: str = ""  # one Vietnamese sentence; "" when the scenario holds

    @property
    def passed(self) -> bool:
        return not self.failure


@dataclass
class Coverage:
    """For each rule, each sub-condition and whether the scenarios made it true, and false."""

    seen: dict[str, dict[str, set[bool]]] = field(default_factory=lambda: defaultdict(dict))
    subjects: frozenset[str] | None = None  # the rules under test (an office's pack): the others are not its coverage

    def add(self, world: World) -> None:
        for evaluated in world.evaluated:
            facts = rule_facts(evaluated.folder, evaluated.as_of, evaluated.calendar, commune=evaluated.commune)
            for rule in evaluated.rules:
                if self.subjects is not None and rule.id not in self.subjects:
                    continue
                self._rule(rule, [f for f in facts if f.kind == rule.fact], evaluated.as_of, evaluated.calendar)

    def _rule(self, rule: Rule, facts, as_of: dt.date, calendar) -> None:
        parts = self.seen[rule.id]
        for part in _parts(rule):
            parts.setdefault(part[0], set())
        for fact in facts:
            encoded = fact.values  # the reference reads a fact's own values
            in_scope = rule.scope is None or holds(rule.scope, encoded, as_of, calendar)
            for label, node, needs_scope in _parts(rule):
                if needs_scope and not in_scope:
                    continue
                parts[label].add(holds(node, encoded, as_of, calendar))


def _parts(rule: Rule) -> list[tuple[str, Expr, bool]]:
    """(label, sub-condition, evaluated only in scope) for every sub-condition of a rule."""
    parts = []
    if rule.scope is not None:
        parts += [(f"phạm vi: {to_text(leaf)}", leaf, False) for leaf in leaves(rule.scope)]
    parts += [(f"điều kiện: {to_text(leaf)}", leaf, True) for leaf in leaves(rule.condition)]
    for when, severity in rule.escalate:
        parts += [(f"bậc {severity}: {to_text(leaf)}", leaf, True) for leaf in leaves(when)]
    return parts


def _arguments(step: dict) -> dict:
    argument = step.get("argument") or {}
    out = {}
    if "dataTable" in argument:
        out["datatable"] = [[cell["value"] for cell in row["cells"]] for row in argument["dataTable"]["rows"]]
    if "docString" in argument:
        out["docstring"] = argument["docString"]["content"]
    return out


def _closest(text: str) -> str:
    patterns = [re.sub(r"\(\?P<\w+>[^)]*\)", "…", s.pattern).replace("\\", "") for s in STEPS]
    close = difflib.get_close_matches(text, patterns, n=1, cutoff=0.4)
    return f"; gần nhất: '{close[0]}'" if close else ""


def run_scenario(pickle: dict, rules: list[Rule], coverage: Coverage | None) -> tuple[str, int]:
    """Run one scenario; return ('', 0) if it holds, else one Vietnamese sentence and the step's line."""
    keyword = "given"
    with tempfile.TemporaryDirectory(prefix="dondoc-spec-") as tmp:
        world = World(Path(tmp), rules)
        for step in pickle["steps"]:
            keyword = _KEYWORDS.get(step.get("type", ""), keyword)
            line = step.get("line", 0)
            found = match(keyword, step["text"])
            if found is None:
                return f"câu '{_WORDS[keyword]} {step['text']}' không có trong từ vựng (docs/specs.md){_closest(step['text'])}", line
            kwargs = {**found.kwargs, **{k: v for k, v in _arguments(step).items() if k in found.step.wants}}
            missing = {"datatable", "docstring"} & found.step.wants - set(kwargs)
            if missing:
                return f"câu '{_WORDS[keyword]} {step['text']}' cần " + (
                    "một bảng ngay dưới nó" if "datatable" in missing else 'một đoạn """ ... """ ngay dưới nó'
                ), line
            try:
                found.step.func(world, **kwargs)
            except SpecFailure as exc:
                return str(exc), line
            except InputError as exc:
                return exc.message + (f" ({exc.hint})" if exc.hint else ""), line
        if coverage is not None:
            coverage.add(world)
    return "", 0


_QUOTED = re.compile(r'"([a-z0-9][a-z0-9-]*)"')


def exercised(path: Path, pickle: dict, pickles: list[dict], ids: Iterable[str]) -> set[str]:
    """The rules a scenario exercises: the one it specifies (rule_of), and every rule its steps
    name ("kiểm tra theo quy tắc \"x\"", "có phát hiện của quy tắc \"y\""), among ``ids``."""
    known = set(ids)
    named = {m for step in pickle["steps"] for m in _QUOTED.findall(step["text"])} & known
    # The scenario's own words; the file's other scenarios name the rule only when it names none.
    return named or ({rule_of(path, pickle, pickles)} & known)


def test_rules(
    paths: Iterable[Path],
    rules_dirs: Iterable[Path],
    settings_file: Path | None,
    coverage: bool,
    echo: Callable[[str], None],
    warn: Callable[[str], None],
) -> int:
    """`dondoc rules test`: the specs ``paths`` (default: the shipped ones and those in the
    office's rule folders) run against the office's book, as the night assembles it. Exit
    status: run_specs's, or 3 when rule files were set aside (as `check` does)."""
    from dondoc.engine.rulebook import SHIPPED
    from dondoc.night.plans import office_book
    from dondoc.night.specsteps import shipped_rules

    book, _ = office_book(None, tuple(rules_dirs), settings_file, strict=False)
    for problem in book.set_aside:
        warn(f"lỗi: tệp quy tắc để riêng (không đọc được): {problem.render()}")
    shipped_dir = shipped_features_dir().resolve()
    local = book.folders[1:]  # the office's folders: its settings' rules, then each --rules
    try:
        files = feature_files(list(paths) or [shipped_dir, *local])
    except FeatureError as exc:
        raise InputError(None, str(exc)) from None
    if not files:
        raise InputError(None, "không có tệp kịch bản (.feature) nào", hint="đưa đường dẫn tới tệp hoặc thư mục kịch bản")
    # The shipped specs pin the shipped rules; the office's specs run against its whole book.
    features = [
        (f, list(shipped_rules()) if f.resolve().is_relative_to(shipped_dir) else book.rules) for f in files
    ]
    # The rules under test: the shipped ones for the shipped specs, the office's own for its specs
    # (its count and its coverage are of its pack, not of the 14 rules below it).
    subjects = {r.id for r in shipped_rules()} if any(rules is not book.rules for _, rules in features) else set()
    if any(rules is book.rules for _, rules in features):
        subjects |= {r.id for r in book.rules if r.folder != SHIPPED}
    status = run_specs(features, echo, coverage=coverage, subjects=subjects)
    return status or (EXIT_RULE_ERRORS if book.set_aside else 0)


def run_specs(
    features: list[tuple[Path, list[Rule]]],
    echo: Callable[[str], None],
    coverage: bool = False,
    subjects: Iterable[str] | None = None,
) -> int:
    """Run each feature file against its rules; print one line per scenario.

    ``subjects``: the rules under test (the pack given; default: every rule the features run
    against): the count says how many of them the scenarios exercise, names those none does,
    and the coverage covers them alone. Exit status: 0 every scenario holds, 1 some do not, 2 a
    feature file cannot be read.
    """
    results: list[ScenarioResult] = []
    shipped_only = all(path.resolve().is_relative_to(shipped_features_dir().resolve()) for path, _ in features)
    under_test = set(subjects) if subjects is not None else {r.id for _, rules in features for r in rules}
    touched: set[str] = set()
    tally = Coverage(subjects=frozenset(under_test)) if coverage else None
    unreadable = []
    for path, rules in features:
        try:
            pickles = read_feature(path)
        except FeatureError as exc:
            unreadable.append(str(exc))
            continue
        for pickle in pickles:
            these = exercised(path, pickle, pickles, under_test)
            touched |= these or {rule_of(path, pickle, pickles)}  # a rule the scenario writes itself counts too
            named = rule_of(path, pickle, pickles)  # a scenario of every rule is shown under the rule it names
            result = ScenarioResult(path, named if named in these or not these else min(these), pickle["name"], 0)
            result.failure, result.line = run_scenario(pickle, rules, tally)
            results.append(result)
            if result.passed:
                echo(f"✓ {result.rule:38} {result.name}")
            else:
                echo(f"✗ {result.rule:38} {result.name} — {result.failure} ({path.name}:{result.line})")
    for problem in unreadable:
        echo(f"lỗi: {problem}")
    failed = [r for r in results if not r.passed]
    own, written = touched & under_test, touched - under_test  # the book's rules; rules a scenario writes itself
    counted = f"{len(own)} quy tắc, {len(written)} quy tắc viết trong kịch bản" if own and written else f"{len(touched)} quy tắc"
    echo(f"\n{len(results) - len(failed)} kịch bản đạt, {len(failed)} không đạt ({counted}, {len(features)} tệp).")
    untested = sorted(under_test - touched)
    if untested and subjects is not None and not shipped_only:
        echo("Quy tắc chưa có kịch bản nào: " + ", ".join(untested))
    if tally is not None:
        _print_coverage(tally, echo)
    if unreadable:
        return 2
    return 1 if failed else 0


def _print_coverage(tally: Coverage, echo: Callable[[str], None]) -> None:
    echo("\nĐộ phủ: mỗi vế của điều kiện đã gặp đúng (✓) và sai (✗) trong các kịch bản chưa:")
    for rule_id in sorted(tally.seen):
        parts = tally.seen[rule_id]
        full = sum(1 for seen in parts.values() if seen == {True, False})
        echo(f"  {rule_id}: {full}/{len(parts)} vế gặp cả đúng lẫn sai")
        for label, seen in parts.items():
            if seen != {True, False}:
                missing = " và ".join(w for w, v in (("đúng", True), ("sai", False)) if v not in seen)
                echo(f"      chưa lần nào {missing}: {label}")
