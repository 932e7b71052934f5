"""A check: rules evaluated by durable-rules over plan facts, as of one date.

    facts (facts/derive.py) -> conditions (engine/compile.py) -> durable-rules
    (engine/durable_adapter.py) -> findings (engine/findings.py)

Every run proves its result: durable-rules' verdict on each (condition, fact)
pair is compared with the reference evaluator's (engine/reference.py), and any
disagreement stops the run naming the condition and the fact (EngineError: exit
2, nothing written). The run report counts, for each plan, the facts that went
in, the verdicts compared and the findings that came out.
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from dondoc.engine.compile import NEVER, Compiler, NoValue, NotTrue, Term, Undecided, all_of, encode, kind_test, plain_value, term_reader
from dondoc.engine.durable_adapter import Evaluation
from dondoc.errors import EngineError
from dondoc.engine.expression import Call, Expr, Shift, fields_of, nodes
from dondoc.engine.findings import Finding
from dondoc.engine.functions import CALENDAR_FUNCTIONS
from dondoc.engine.reference import Meaning, Undecodable, Verdicts
from dondoc.engine.rulebook import Rule, in_force, render_message
from dondoc.engine.typecheck import AS_OF
from dondoc.facts.calendar import DEFAULT, WorkCalendar
from dondoc.facts.derive import RuleFact, rule_facts, with_commune
from dondoc.facts.history import PlanPast
from dondoc.facts.kinds import COMMUNE, PERIOD_FIELDS, TITLE_FIELDS, field_words
from dondoc.facts.models import PlanFolder
from dondoc.facts.periods import period_words
from dondoc.text import titled

MISSING_SUFFIX = "#thieu-du-lieu"
STEP_MARK = "@"  # "<rule>@<n>": the rule's condition and its ladder step n


def rule_of(key: str) -> str:
    """The rule id behind a condition key ('x', 'x@1', 'x#thieu-du-lieu')."""
    return key.split(STEP_MARK)[0].removesuffix(MISSING_SUFFIX)


def rule_expressions(rule: Rule) -> list:
    """Everything of a rule that is evaluated on a fact: scope, refinements' scopes, condition, ladder."""
    return [e for e in (rule.scope, *(s for _, s in rule.excluded), rule.condition) if e is not None] + [
        when for when, _ in rule.escalate
    ]


def uses_calendar(rule: Rule) -> bool:
    """Does the rule count working days (``due - 5 working days``, ``working_days(a, b)``)? Only
    then does its compiled form depend on the office's days off: facts are derived with each
    plan's own calendar whatever the rules."""
    return any(
        (isinstance(n, Shift) and n.working) or (isinstance(n, Call) and n.name in CALENDAR_FUNCTIONS)
        for e in rule_expressions(rule)
        for n in nodes(e)
    )


def _names(expr) -> set[str]:
    return {f.name for f in fields_of(expr)}


def rule_parts(rule: Rule) -> dict[str, tuple[Expr, ...]]:
    """The compiler's reading of a rule: after the test of the fact kind, the parts each of
    its conditions (the rule itself, its ladder steps, its missing-data finding) must hold in
    full. A fact is the rule's when its scope is true and no refinement's scope is true (a
    refinement takes the facts its scope makes true, ``NotTrue`` leaves it the others, unknown
    ones included); its missing-data condition holds when the condition is not false and a
    test of it is unknown (``Undecided``): where the rule's own condition holds too, the finding
    is due, not the missing data (``Checker.plan``), so missing data is due exactly where the
    condition is unknown.

    The reference evaluator does not read this: it reads the rule (``rule_meanings``), so a
    fault here is a disagreement at night."""
    head = ((rule.scope,) if rule.scope is not None else ()) + tuple(NotTrue(scope) for _, scope in rule.excluded)
    parts = {rule.id: head + (rule.condition,)}
    for j, (when, _) in enumerate(rule.escalate):
        parts[f"{rule.id}{STEP_MARK}{j}"] = head + (rule.condition, when)
    parts[rule.id + MISSING_SUFFIX] = head + (Undecided(rule.condition),)
    return parts


def rule_meanings(rule: Rule) -> dict[str, Meaning]:
    """The same conditions as the reference evaluator reads them: the rule's own pieces
    (scope, the scopes of its refinements, condition, ladder), whose meaning is its."""
    base = (rule.fact, rule.scope, tuple(scope for _, scope in rule.excluded), rule.condition)
    meanings = {rule.id: Meaning(*base, True)}
    for j, (when, _) in enumerate(rule.escalate):
        meanings[f"{rule.id}{STEP_MARK}{j}"] = Meaning(*base, True, when)
    meanings[rule.id + MISSING_SUFFIX] = Meaning(*base, None)
    return meanings


def rule_conditions(rule: Rule, as_of: dt.date, calendar: WorkCalendar = DEFAULT, compiler: Compiler | None = None) -> dict[str, dict]:
    """A rule's durable-rules conditions (see ``rule_parts``), each testing the fact kind first.
    A missing-data finding that can never be due (the condition reads nothing a fact may
    lack) is not registered."""
    compiler = compiler or Compiler(rule.fact, as_of, calendar)
    conditions = {}
    for key, parts in rule_parts(rule).items():
        compiled = [compiler.condition(part) for part in parts]
        if key.endswith(MISSING_SUFFIX) and NEVER in compiled:
            continue
        conditions[key] = all_of(kind_test(rule.fact), *compiled)
    return conditions


@dataclass(frozen=True)
class CompiledRule:
    """One rule compiled for one date: its conditions and the values they compute from a fact
    (``Term``), or why it cannot be compiled. ``counted_days``: a constant of it was worked out on
    the calendar's days (``as_of - 5 working days``), so it holds for that calendar only; else for
    any (a rule that counts working days from a fact's fields counts them per fact, engine-side)."""

    conditions: dict[str, dict]
    terms: tuple[Term, ...]
    error: str | None
    counted_days: bool


def compile_rule(rule: Rule, as_of: dt.date, calendar: WorkCalendar = DEFAULT) -> CompiledRule:
    compiler = Compiler(rule.fact, as_of, calendar)
    try:
        conditions = rule_conditions(rule, as_of, calendar, compiler)
        terms = tuple(compiler.terms(rule_expressions(rule)))
    except Exception as exc:  # noqa: BLE001 - stop this rule, not the night's run
        return CompiledRule({}, (), f"cannot be compiled: {exc}", compiler.counted_days)
    return CompiledRule(conditions, terms, None, compiler.counted_days)


def compile_rules(
    rules: list[Rule], as_of: dt.date, errors: dict[str, str], calendar: WorkCalendar = DEFAULT
) -> dict[str, dict]:
    """Every rule's conditions; a rule that cannot be compiled is named in ``errors`` and left out."""
    conditions: dict[str, dict] = {}
    for rule in rules:
        compiled = compile_rule(rule, as_of, calendar)
        if compiled.error is not None:
            errors[rule.id] = compiled.error
        conditions.update(compiled.conditions)
    return conditions


class Registrations:
    """What the Checkers of one process share (night/workers.py): rules compiled, and durable-rules
    registrations.

    A rule is compiled once per date and, only when a constant of it is counted on the calendar
    (``CompiledRule.counted_days``), once per set of days off: a province's communes share their
    province's rules and the shipped ones however their days off differ. Books that differ only in
    what their conditions never read (a province's communes with copies of its days off, under
    rules that take working days from the facts) compile to the same conditions: they share one
    registration. A Checker evaluates one plan at a time, so a shared Evaluation is a host used
    turn by turn. The most recent ``most`` registrations and ``most_rules`` rules are kept."""

    def __init__(self, most: int = 64, most_rules: int = 4096) -> None:
        self.most = most
        self.most_rules = most_rules
        self._held: collections.OrderedDict[str, tuple[Evaluation, dict[str, str]]] = collections.OrderedDict()
        # (rule, date, None) -> the rule compiled for any calendar, or _COUNTED: look under its days;
        # (rule, date, days) -> the rule compiled for those days off.
        self._rules: collections.OrderedDict[tuple, CompiledRule | None] = collections.OrderedDict()
        self.compiled_rules = 0  # rules compiled in this process (tests, benchmarks)

    def rule(self, rule: Rule, as_of: dt.date, calendar: WorkCalendar) -> CompiledRule:
        """``rule`` compiled for ``as_of`` and ``calendar``, shared where the calendar does not matter."""
        key: tuple = (rule, as_of, None)
        held = self._rules.get(key, _UNSEEN)
        if held is _COUNTED:
            key = (rule, as_of, calendar.key)
            held = self._rules.get(key, _UNSEEN)
        if isinstance(held, CompiledRule):
            self._rules.move_to_end(key)
            return held
        compiled = compile_rule(rule, as_of, calendar)
        self.compiled_rules += 1
        if compiled.counted_days:
            self._rules[(rule, as_of, None)] = _COUNTED
            key = (rule, as_of, calendar.key)
        self._rules[key] = compiled
        while len(self._rules) > self.most_rules:
            self._rules.popitem(last=False)
        return compiled

    def evaluation(self, conditions: dict[str, dict], errors: dict[str, str]) -> Evaluation:
        key = hashlib.sha256(json.dumps(conditions, sort_keys=True, default=str).encode()).hexdigest()
        held = self._held.get(key)
        if held is None:
            stopped: dict[str, str] = {}
            held = self._held[key] = (_evaluation(conditions, stopped), stopped)
            if len(self._held) > self.most:
                self._held.popitem(last=False)
        else:
            self._held.move_to_end(key)
        errors.update(held[1])
        return held[0]


_COUNTED = None  # under (rule, date, None): the rule counts a constant on the calendar, kept per set of days
_UNSEEN = object()


def _evaluation(conditions: dict[str, dict], errors: dict[str, str]) -> Evaluation:
    """Rulesets durable-rules accepts: a rule it rejects is named in ``errors`` and left out."""
    while True:
        try:
            return Evaluation(conditions)
        except EngineError as exc:
            if exc.rule is None:
                raise
            culprit = rule_of(exc.rule)
            errors[culprit] = str(exc)
            conditions = {k: v for k, v in conditions.items() if rule_of(k) != culprit}


@dataclass
class PlanReport:
    plan: str
    path: str
    facts_in: int = 0
    evaluated: int = 0  # facts durable-rules gave a verdict on, for every condition of their kind
    verdicts: int = 0  # (condition, fact) verdicts compared with the reference evaluator
    rerouted: int = 0
    matches: int = 0
    findings: int = 0
    nothing_to_check: bool = False  # the plan has no task, target or procedure to check


@dataclass
class RunReport:
    as_of: dt.date
    rules: int = 0
    conditions: int = 0
    plans: list[PlanReport] = field(default_factory=list)
    rule_errors: dict[str, str] = field(default_factory=dict)  # rules stopped, and why

    @property
    def facts_in(self) -> int:
        return sum(p.facts_in for p in self.plans)

    @property
    def evaluated(self) -> int:
        return sum(p.evaluated for p in self.plans)

    @property
    def findings(self) -> int:
        return sum(p.findings for p in self.plans)

    def as_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "rules": self.rules,
            "conditions": self.conditions,
            "facts_in": self.facts_in,
            "evaluated": self.evaluated,
            "findings": self.findings,
            "plans": [vars(p) for p in self.plans],
            "rule_errors": dict(sorted(self.rule_errors.items())),
        }


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


_COMMUNE_DOT = COMMUNE + "."
_COMMUNE_AT = len(_COMMUNE_DOT)


def _finding(rule: Rule, key: str, fact: RuleFact, folder: PlanFolder, as_of: dt.date, steps: set[int]) -> Finding:
    values = fact.values
    missing_data = key.endswith(MISSING_SUFFIX)
    notice = rule.missing_notice if missing_data else rule.notice
    # The values the condition could not be worked out without.
    missing = [n for n in _condition_fields(rule.condition) if n not in values] if missing_data else []
    said = ", ".join(field_words(rule.fact, n) for n in missing)  # staff's words, not field names
    context = {**values, "rule": rule.id, "rule_title": rule.title, "as_of": as_of, "missing": said}
    # {{ commune.class }}: the commune's attributes as one name (a fact holds them as 'commune.class').
    context[COMMUNE] = {k[_COMMUNE_AT:]: v for k, v in values.items() if k.startswith(_COMMUNE_DOT)}
    for name in PERIOD_FIELDS & values.keys():  # "Kỳ quý III/2026", never "Kỳ 2026-Q3"
        context[name] = period_words(str(values[name]))
    for name in TITLE_FIELDS & values.keys():  # 'Chỉ tiêu "… trở lên" không đạt', never '"… trở lên." không đạt'
        context[name] = titled(str(values[name]))
    as_json = {k: v if type(v) in _PLAIN else _json_value(v) for k, v in values.items()}
    try:
        message = render_message(rule.missing_message if missing_data else rule.message, context)
    except Exception as exc:  # noqa: BLE001 - a message that cannot be written stops the rule
        raise EngineError(f"its message cannot be written for {fact.subject}: {exc}", rule.id) from None
    return Finding(
        rule=rule.id,
        title=rule.title,
        kind="thieu-du-lieu" if missing_data else "vi-pham",
        plan=folder.plan.key,
        plan_path=folder.path,
        fact_kind=fact.kind,  # type: ignore[arg-type]
        subject=fact.subject,
        subject_title=str(values.get("title") or values.get("text") or values.get("name") or ""),
        unit=values.get("unit", ""),
        severity=_severity(rule, missing_data, steps),  # type: ignore[arg-type]
        message=" ".join(message.split()),
        values={n: as_json[n] for n in rule.reads if n in as_json},
        missing=missing,
        fact=as_json,
        section=notice.section,
        request=notice.request,
        requirement=None if missing_data else _requirement(rule, values),
        section_spec=rule.missing_section_spec if missing_data else rule.section_spec,
    )


def _requirement(rule: Rule, values: dict[str, Any]) -> dict[str, Any] | None:
    """The rule's own requirement on this fact ('>= 95'), for the letter to print instead of the plan's."""
    if rule.requirement is None:
        return None
    comparison, threshold = rule.requirement
    value = plain_value(threshold, values)
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return {"comparison": comparison, "value": value}


@functools.lru_cache(maxsize=4096)
def _condition_fields(condition: Expr) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f.name for f in fields_of(condition) if f.name != AS_OF))


def _severity(rule: Rule, missing_data: bool, steps: set[int]) -> str:
    """The highest rung of the rule's ladder whose condition held (the ladder climbs)."""
    if missing_data:
        return rule.missing_severity
    return rule.escalate[max(steps)][1] if steps else rule.severity


_PLAIN = {str, int, float}


class Checker:
    """The rules in force on one date, compiled once and registered with durable-rules once;
    then one plan at a time (``plan``). ``check`` drives it over many plans."""

    def __init__(
        self, rules: list[Rule], as_of: dt.date, calendar: WorkCalendar = DEFAULT, registrations: Registrations | None = None
    ) -> None:
        self.as_of = as_of
        self.calendar = calendar
        self.rules = in_force(rules, as_of)
        self.errors: dict[str, str] = {}  # rules stopped, and why
        shared = registrations if registrations is not None else Registrations()
        conditions: dict[str, dict] = {}
        # What rules compute from a fact (weekday(due), due - 5 working days), per fact kind.
        self.terms: dict[str, list[Term]] = {r.fact: [] for r in self.rules}
        for rule in self.rules:
            compiled = shared.rule(rule, as_of, calendar)
            if compiled.error is not None:
                self.errors[rule.id] = compiled.error
                continue
            conditions.update(compiled.conditions)
            known = {t.name for t in self.terms[rule.fact]}
            self.terms[rule.fact] += [t for t in compiled.terms if t.name not in known]
        self.by_id = {r.id: r for r in self.rules}
        # durable-rules gets only the fields some condition reads (messages are written from the
        # whole fact, in Python): fewer properties to serialise and match per fact.
        self.read = {
            kind: {name for r in self.rules if r.fact == kind for e in rule_expressions(r) for name in _names(e)}
            for kind in self.terms
        }
        # Each computed value's reader built once, not once per fact (the compiler's, from the fact's own values).
        self._term_readers = {kind: [(t.name, term_reader(t, calendar)) for t in terms] for kind, terms in self.terms.items()}
        self.evaluation = (registrations.evaluation if registrations is not None else _evaluation)(conditions, self.errors)
        keys = self.evaluation.keys
        # The reference's meaning of every condition of every rule that runs, read from the rules,
        # not from the conditions compiled (a condition the compiler left out is still judged).
        meanings = {k: m for r in self.rules if r.id not in self.errors for k, m in rule_meanings(r).items()}
        self.verdicts = Verdicts(meanings, as_of, calendar)
        # Per condition key: its rule, whether it is the missing-data companion, its ladder step.
        self._keys: dict[str, tuple[Rule, bool, int | None]] = {}
        for key in keys:
            step = int(key.split(STEP_MARK)[1]) if STEP_MARK in key else None
            self._keys[key] = (self.by_id[rule_of(key)], key.endswith(MISSING_SUFFIX), step)
        self._rank = {key: n for n, key in enumerate(keys)}

    def report(self) -> "RunReport":
        return RunReport(
            as_of=self.as_of, rules=len(self.rules), conditions=len(self.evaluation.keys), rule_errors=self.errors
        )

    def encode(self, fact: RuleFact) -> dict[str, Any]:
        """A fact as durable-rules and the reference read it: its kind, the fields some
        condition reads (encoded), and the values the rules compute from it."""
        read = self.read.get(fact.kind, ())
        values = fact.values
        encoded = {"kind": fact.kind, **{k: v if type(v) in _PLAIN else encode(v) for k, v in values.items() if k in read}}
        for name, read_term in self._term_readers.get(fact.kind, ()):
            try:
                encoded[name] = read_term(values)
            except NoValue:
                pass  # a field it reads is absent (or it divides by zero): its guarded tests are unknown
        return encoded

    def plan(
        self, folder: PlanFolder, index: int, calendar: WorkCalendar | None = None, past: PlanPast | None = None,
        commune: dict[str, Any] | None = None,
    ) -> tuple[list[Finding], PlanReport]:
        """One plan's findings (rules stopped so far included: the night drops them at the end).

        ``calendar``: the plan's own working days (its settings' days off), which the facts are
        derived with; the rules' own counting of working days is the checker's calendar."""
        facts = with_commune(rule_facts(folder, self.as_of, calendar or self.calendar, past), commune)
        encoded = [self.encode(f) for f in facts]
        subjects = [f"{f.subject} ({f.values.get('unit', '')})" for f in facts]
        result, held = self.evaluate(folder.path, encoded, subjects)
        plan_findings = []
        matches = 0  # condition matches that make findings (ladder steps only raise them)
        for i, keys in held:
            ladder: dict[str, set[int]] = {}  # rule id -> the ladder steps that held
            for key in keys:
                rule, _, step = self._keys[key]
                if step is not None:
                    ladder.setdefault(rule.id, set()).add(step)
            for key in sorted(keys, key=self._rank.__getitem__):
                rule, missing_data, step = self._keys[key]
                if step is not None or (missing_data and rule.id in keys):
                    continue  # a ladder step raises the finding; where the condition holds, no missing data
                matches += 1
                # Ladder steps raise the rule's own finding, never its missing-data companion.
                steps = set() if missing_data else ladder.get(rule.id, set())
                try:
                    plan_findings.append(_finding(rule, key, facts[i], folder, self.as_of, steps))
                except EngineError as exc:
                    self.errors.setdefault(rule.id, str(exc))
        report = PlanReport(
            plan=folder.plan.key,
            path=folder.path,
            facts_in=len(facts),
            evaluated=result.evaluated,
            verdicts=sum(self.verdicts.per_kind.get(f["kind"], 0) for f in encoded),
            rerouted=result.rerouted,
            matches=matches,
            findings=len(plan_findings),
            nothing_to_check=not facts,
        )
        return plan_findings, report

    def evaluate(self, label: str, encoded: list[dict], subjects: list[str] | None = None):
        """durable-rules' verdicts on one plan's encoded facts (``encode``), proven.

        Returns the adapter's SessionResult and, for each fact with a condition holding,
        its index and those condition keys. ``label`` and ``subjects`` name the plan and
        its facts in errors.
        """
        result = self.evaluation.evaluate(label, encoded, subjects)
        return result, self._prove(label, encoded, result.matches, subjects)

    def _prove(self, label: str, encoded: list[dict], matches, subjects) -> list[tuple[int, set[str]]]:
        """durable-rules' verdict on every (condition, fact) pair must be the reference's."""
        by_fact: dict[int, set[str]] = {}
        for key, i in matches:
            by_fact.setdefault(i, set()).add(key)
        holding = self.verdicts.holding
        for i, fact in enumerate(encoded):
            try:
                expected = holding(fact)
            except Undecodable as exc:  # the compiler wrote a value the reference reads otherwise
                raise EngineError(
                    f"the reference evaluator cannot read what durable-rules was given for {_subject(i, fact, subjects)}"
                    f" of plan {label}: {exc} (the compiler's encoding and the reference's reading disagree)"
                ) from None
            except Exception as exc:  # noqa: BLE001 - a fault of the reference itself
                raise EngineError(f"the reference evaluator failed on {_subject(i, fact, subjects)} of {label}: {exc}") from None
            got = by_fact.get(i)
            if (got or expected) and got != expected:
                raise EngineError(_disagreement(label, _subject(i, fact, subjects), got or set(), expected))
        if any(i >= len(encoded) or i < 0 for i in by_fact):
            raise EngineError(f"durable-rules matched facts that were not asserted in {label}")
        return sorted(by_fact.items())


def _subject(i: int, fact: dict, subjects: list[str] | None) -> str:
    return subjects[i] if subjects else f"{fact.get('kind')} fact {i}"


def _disagreement(label: str, subject: str, got: set[str], expected: frozenset[str]) -> str:
    wrong = sorted(got - expected)
    lost = sorted(expected - got)
    pairs = [f"'{k}' holds for durable-rules, not for the reference" for k in wrong]
    pairs += [f"'{k}' holds for the reference, not for durable-rules" for k in lost]
    return f"durable-rules and the reference evaluator disagree on {subject} of plan {label}: " + "; ".join(pairs)
