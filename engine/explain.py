"""Why a rule fires or not on each fact (`dondoc rules explain`), and what no rule checks.

The reference evaluator gives each sub-condition's value; the real engine's
verdict (and the message it would send) is shown beside it, and any disagreement
is reported, not hidden. The short form says only what decided; ``--all`` gives
the whole tree for every fact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable

from dondoc.engine.expression import And, Expr, Not, Or, fields_of, to_text
from dondoc.engine.reference import compile_condition, holds, truth
from dondoc.engine.rulebook import Rule, format_value, in_force
from dondoc.facts.calendar import DEFAULT, WorkCalendar
from dondoc.facts.derive import RuleFact, procedure_facts, rule_facts, target_facts, task_facts
from dondoc.facts.models import PlanFolder

KIND_NAMES = {"task": "Nhiệm vụ", "occurrence": "Kỳ", "target": "Chỉ tiêu", "procedure": "Thủ tục"}

# The night's own driver (night.evaluate): explain shows what the nightly check finds, by the
# code the nightly check runs; it is passed in, the engine being below the night.
Run = Callable[..., tuple[list, Any]]


@dataclass
class Line:
    depth: int
    text: str


@dataclass
class FactExplanation:
    fact: RuleFact
    in_scope: bool
    fires: bool  # by the reference: the condition is true
    engine: str  # what durable-rules found: "vi-pham", "thieu-du-lieu" or ""
    missing: list[str]  # the values the condition could not be worked out without (it is unknown)
    unknown: bool = False  # in scope, and the condition is neither true nor false: missing data
    severity: str = ""
    message: str = ""  # the message the finding carries (what the notice says)
    refined_by: str = ""  # the refinement that decides this fact instead of the rule
    why: list[Line] = field(default_factory=list)  # the sub-conditions that decided, flat
    lines: list[Line] = field(default_factory=list)  # the whole tree

    @property
    def agrees(self) -> bool:
        expected = "vi-pham" if self.fires else ("thieu-du-lieu" if self.unknown else "")
        return self.engine == expected


def fact_title(fact: RuleFact, width: int = 70) -> str:
    """'Chỉ tiêu CT04 "Tỷ lệ hồ sơ ..."', 'Kỳ 2026-Q3 của nhiệm vụ 2 "..."': how staff name a fact."""
    values = fact.values
    text = str(values.get("title") or values.get("text") or values.get("name") or "")
    if len(text) > width:
        text = text[: width - 1].rstrip() + "…"
    ident = fact.subject.split(":", 1)[1]
    if fact.kind == "occurrence":
        task, period = ident.split("@", 1)
        return f'Kỳ {period} của nhiệm vụ {task} "{text}"'
    return f'{KIND_NAMES[fact.kind]} {ident} "{text}"'


def _values(node: Expr, fact: dict[str, Any]) -> str:
    names = list(dict.fromkeys(f.name for f in fields_of(node) if f.name != "as_of"))
    shown = [f"{n} = {format_value(fact[n]) if n in fact else 'không có (missing)'}" for n in names]
    return "  [" + "; ".join(shown) + "]" if shown else ""


_MARKS = {True: "✓", False: "✗", None: "?"}  # true, false, unknown (a value it reads is absent)


def _mark(node: Expr, values: dict, as_of: dt.date, calendar) -> str:
    return _MARKS[truth(node, values, as_of, calendar)]


def _tree(node: Expr, values: dict, raw: dict, as_of: dt.date, calendar, depth: int, out: list[Line]) -> None:
    mark = _mark(node, values, as_of, calendar)
    if isinstance(node, (And, Or)):
        word = "tất cả (and)" if isinstance(node, And) else "một trong (or)"
        out.append(Line(depth, f"{mark} {word}:"))
        for item in node.items:
            _tree(item, values, raw, as_of, calendar, depth + 1, out)
    elif isinstance(node, Not):
        out.append(Line(depth, f"{mark} không (not):"))
        _tree(node.item, values, raw, as_of, calendar, depth + 1, out)
    else:
        out.append(Line(depth, f"{mark} {to_text(node)}{_values(node, raw)}"))


def _deciding(node: Expr, values: dict, as_of, calendar) -> list[Expr]:
    """The sub-conditions that decided the value: all of a true 'and', the false items of a
    false 'and', the first true item of a true 'or', all of a false 'or'."""
    value = holds(node, values, as_of, calendar)
    if isinstance(node, Not):
        return _deciding(node.item, values, as_of, calendar)
    if isinstance(node, And):
        items = node.items if value else [i for i in node.items if not holds(i, values, as_of, calendar)]
        return [leaf for item in items for leaf in _deciding(item, values, as_of, calendar)]
    if isinstance(node, Or):
        items = [next(i for i in node.items if holds(i, values, as_of, calendar))] if value else list(node.items)
        return [leaf for item in items for leaf in _deciding(item, values, as_of, calendar)]
    return [node]


def _why(node: Expr, values: dict, raw: dict, as_of, calendar) -> list[Line]:
    return [
        Line(1, f"{_mark(leaf, values, as_of, calendar)} {to_text(leaf)}{_values(leaf, raw)}")
        for leaf in _deciding(node, values, as_of, calendar)
    ]


def explain(rule: Rule, folder: PlanFolder, as_of: dt.date, calendar: WorkCalendar, run: Run) -> list[FactExplanation]:
    """For each fact of the rule's kind: in scope, fires, why, the message, and the engine's
    answer (``run``: the night's driver, night.evaluate)."""
    findings, _ = run([folder], [rule], as_of, calendar)
    found = {(f.subject, f.unit): f for f in findings}
    out = []
    for fact in rule_facts(folder, as_of, calendar):
        if fact.kind != rule.fact:
            continue
        values = fact.values  # the reference reads a fact's own values (dates as dates)
        own_scope = rule.scope is None or holds(rule.scope, values, as_of, calendar)
        # A refinement takes the facts its scope makes true (unknown is not true).
        refined_by = next(
            (rid for rid, scope in rule.excluded if own_scope and holds(scope, values, as_of, calendar)), ""
        )
        in_scope = own_scope and not refined_by
        verdict = truth(rule.condition, values, as_of, calendar) if in_scope else False
        fires = verdict is True
        read = dict.fromkeys(f.name for f in fields_of(rule.condition) if f.name != "as_of")
        missing = [n for n in read if n not in fact.values] if verdict is None else []
        finding = found.get((fact.subject, fact.values["unit"]))
        item = FactExplanation(
            fact=fact,
            in_scope=in_scope,
            fires=fires,
            engine=finding.kind if finding else "",
            missing=missing,
            unknown=verdict is None,
            severity=finding.severity if finding else "",
            message=finding.message if finding else "",
            refined_by=refined_by,
        )
        if not own_scope:
            item.why = _why(rule.scope, values, fact.values, as_of, calendar)  # type: ignore[arg-type]
        elif in_scope:
            item.why = _why(rule.condition, values, fact.values, as_of, calendar)
        if rule.scope is not None:
            _tree(rule.scope, values, fact.values, as_of, calendar, 1, item.lines)
            item.lines.insert(0, Line(0, "phạm vi (scope):"))
        if in_scope:
            item.lines.append(Line(0, "điều kiện (condition):"))
            _tree(rule.condition, values, fact.values, as_of, calendar, 1, item.lines)
            for when, severity in rule.escalate:
                item.lines.append(Line(0, f"thang mức độ → {severity}:"))
                _tree(when, values, fact.values, as_of, calendar, 1, item.lines)
        out.append(item)
    return out


@dataclass
class Uncovered:
    subject: str
    title: str
    why: str


def coverage(rules: list[Rule], folder: PlanFolder, as_of: dt.date) -> list[Uncovered]:
    """The plan's tasks and targets that no rule in force checks."""
    rules = in_force(rules, as_of)
    gaps: list[Uncovered] = []
    seen: set[str] = set()
    for fact in rule_facts(folder, as_of):
        if fact.kind not in ("task", "target") or fact.subject in seen:
            continue
        seen.add(fact.subject)
        values = fact.values
        title = str(fact.values.get("title") or fact.values.get("text"))
        if fact.values.get("is_reduction"):
            target = next(t for t in folder.targets if f"target:{t.id}" == fact.subject)
            wanted = f"{target.reduction}_target"
            readers = [r.id for r in rules if r.fact == "procedure" and wanted in r.reads]
            if not readers:
                gaps.append(Uncovered(fact.subject, title, f"không có quy tắc nào về thủ tục đọc {wanted}"))
            elif not folder.procedures:
                gaps.append(Uncovered(fact.subject, title, "chỉ tiêu '03 giảm' nhưng procedures.csv chưa có thủ tục nào"))
            continue
        applies = [r for r in rules if r.fact == fact.kind and (r.scope is None or holds(r.scope, values, as_of))]
        if not applies:
            gaps.append(Uncovered(fact.subject, title, f"không có quy tắc nào xét {KIND_NAMES[fact.kind].lower()} như thế này"))
    return gaps


def _verdict(item: FactExplanation) -> str:
    if item.fires:
        return f"CÓ PHÁT HIỆN, mức {item.severity or '?'}"
    if item.unknown:
        return "THIẾU DỮ LIỆU: " + (", ".join(item.missing) or "không tính được (chia cho 0)")
    return "không vi phạm"


def find_rule(book, rule_id: str, as_of: dt.date) -> Rule:
    """The version of ``rule_id`` that runs on ``as_of``, as it runs (refinements applied);
    else an InputError that says when it is in force, or which rule replaces it."""
    import difflib

    from dondoc.errors import InputError

    versions = book.versions(rule_id)
    if not versions:
        known = sorted({r.id for r in book.rules})
        close = difflib.get_close_matches(rule_id, known, n=1)
        raise InputError(
            None, f"không có quy tắc '{rule_id}'", hint=(f"có phải '{close[0]}'? " if close else "") + "xem: dondoc rules list"
        )
    active = in_force(book.rules, as_of)
    rule = next((r for r in active if r.id == rule_id), None)
    if rule is not None:
        return rule
    replacing = next((r for r in active if r.replaces == rule_id), None)
    if replacing is not None:
        raise InputError(
            replacing.path,
            f"quy tắc '{rule_id}' được thay bằng '{replacing.id}' ({replacing.validity()})",
            line=replacing.line,
            hint=f"giải thích quy tắc thay nó: dondoc rules explain {replacing.id} ...",
        )
    when = "; ".join(v.validity() for v in versions)
    raise InputError(
        versions[0].path,
        f"quy tắc '{rule_id}' {when}, không có hiệu lực ngày kiểm tra {as_of:%d/%m/%Y}",
        line=versions[0].line,
        hint="chọn ngày kiểm tra khác bằng --as-of",
    )


def explain_report(
    book, rule_id: str, folder: PlanFolder, as_of: dt.date, calendar: WorkCalendar, show_all: bool, run: Run
) -> tuple[str, int]:
    """The text of `dondoc rules explain`, and how many facts durable-rules and the reference disagree on."""
    rule = find_rule(book, rule_id, as_of)
    items = explain(rule, folder, as_of, calendar, run)
    in_scope = [i for i in items if i.in_scope]
    source = "có sẵn" if rule.layer == 0 else rule.folder
    out = [
        f"Quy tắc {rule.id}: {rule.title}",
        f"  xét: {KIND_NAMES[rule.fact].lower()} ({rule.fact}); {rule.validity()}; {source}, {rule.location}",
    ]
    if rule.scope is not None:
        out.append(f"  phạm vi:   {to_text(rule.scope)}")
    for refiner, _ in rule.excluded:
        out.append(f"  trừ những dữ kiện quy tắc tinh chỉnh '{refiner}' quyết định")
    out.append(f"  điều kiện: {to_text(rule.condition)}")
    out.append(
        f"  ngày kiểm tra {as_of:%d/%m/%Y}; kế hoạch {folder.plan.key}: "
        f"{len(in_scope)} dữ kiện trong phạm vi, {len(items) - len(in_scope)} ngoài phạm vi"
    )
    disagreements = sum(1 for i in items if not i.agrees)
    blocks: dict[tuple, list[str]] = {}
    # Short: a block for each fact with a finding; the others grouped by what decided.
    shown = items if show_all else [i for i in in_scope if i.fires or i.unknown or not i.agrees]
    for item in shown:
        verdict = _verdict(item) if item.in_scope else "ngoài phạm vi"
        if not item.agrees:
            verdict += f"  !! durable-rules: {item.engine or 'không có phát hiện'}"
        body = [("  " + "  " * line.depth + line.text) for line in (item.lines if show_all else item.why)]
        if item.message:
            body.append(f"  → {item.message}")
        key = (item.fact.subject, verdict, tuple(body))
        blocks.setdefault(key, []).append(item.fact.values["unit"])
    titles = {i.fact.subject: fact_title(i.fact) for i in items}
    for (subject, verdict, body), units in blocks.items():
        out += ["", f"{titles[subject]} ({'; '.join(units)}): {verdict}", *body]
    if not show_all:
        out += _grouped([i for i in in_scope if i not in shown], "Không vi phạm")
        out += _grouped([i for i in items if not i.in_scope], "Ngoài phạm vi")
    return "\n".join(out), disagreements


def _grouped(items: list[FactExplanation], heading: str) -> list[str]:
    """One line per reason: the sub-conditions that were false (for facts out of scope, of the
    scope; for facts in scope without a finding, of the condition), and the facts it applies to."""
    if not items:
        return []
    reasons: dict[str, list[str]] = {}
    for item in items:
        if item.refined_by:
            reason = f"quy tắc tinh chỉnh '{item.refined_by}' quyết định"
        else:
            falses = [line.text[2:].split("  [")[0] for line in item.why if line.text[0] in "✗?"]  # not true
            reason = "không đúng: " + " và ".join(dict.fromkeys(falses))
        ident = item.fact.subject.split(":", 1)[1]
        names = reasons.setdefault(reason, [])
        if ident not in names:
            names.append(ident)
    out = ["", f"{heading} ({len(items)} dữ kiện; xem từng dữ kiện bằng --all):"]
    kind = KIND_NAMES[items[0].fact.kind].lower()
    for reason, idents in reasons.items():
        out.append(f"  {reason}: {kind} {', '.join(idents)}")
    return out


# Which rules check which facts (the Chairman's summary).


def checked_by(
    rules: list[Rule],
    folder: PlanFolder,
    as_of: dt.date,
    calendar: WorkCalendar = DEFAULT,
    kinds: tuple[str, ...] = ("target",),
) -> dict[str, tuple[str, ...]]:
    """Which rules in force check each fact of ``kinds``: subject -> rule ids, in the book's
    order; () for a fact no rule checks. A rule checks a fact of its kind when its scope holds
    on it, unless a refinement decides that fact instead (the refinement checks it then). A
    "03 giảm" target is checked by the procedure rules that read its cut's target field (as
    ``coverage`` says) and reach one of the plan's procedures.

    What a summary may say of a fact with no finding rests on this: "met" only where some
    rule looked (templates/summary.py); a rule that checks it and stopped leaves it unchecked.
    """
    rules = in_force(rules, as_of)
    wanted = set(kinds)
    facts: list[RuleFact] = []
    if wanted & {"task", "occurrence"}:
        facts += task_facts(folder, as_of, calendar)
    if "target" in wanted:
        facts += target_facts(folder, as_of)
    procedures = procedure_facts(folder, as_of) if wanted & {"procedure", "target"} else []
    facts += procedures if "procedure" in wanted else []

    def test(scope: Expr) -> Callable[[dict[str, Any]], bool | None]:  # each scope compiled once, as ``holds`` does
        return compile_condition(scope, as_of, calendar)

    scopes = {r.id: (test(r.scope) if r.scope is not None else None, [test(x) for _, x in r.excluded]) for r in rules}

    def checks(rule: Rule, values: dict[str, Any]) -> bool:
        # its scope true, and no refinement's true (a scope that is unknown is not true)
        own, refined = scopes[rule.id]
        if own is not None and own(values) is not True:
            return False
        return not any(decides(values) is True for decides in refined)

    procedure_values = [p.values for p in procedures]  # the reference reads a fact's own values
    reductions = {f"target:{t.id}": t.reduction for t in folder.targets if t.reduction}
    out: dict[str, list[str]] = {}
    for fact in facts:
        if fact.kind not in wanted:
            continue
        found = out.setdefault(fact.subject, [])
        cut = reductions.get(fact.subject) if fact.kind == "target" else None
        if cut:
            field_name = f"{cut}_target"
            readers = [r for r in rules if r.fact == "procedure" and field_name in r.reads]
            found += [r.id for r in readers if r.id not in found and any(checks(r, p) for p in procedure_values)]
            continue
        found += [r.id for r in rules if r.fact == fact.kind and r.id not in found and checks(r, fact.values)]
    order = {r.id: n for n, r in enumerate(rules)}
    return {subject: tuple(sorted(ids, key=order.__getitem__)) for subject, ids in out.items()}
