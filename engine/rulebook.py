"""Reads the rule files in rules/ into checked Rule objects.

A rule file is YAML with one list, ``rules:``, one rule per entry; docs/rules.md
teaches the format. Every problem is reported with file, line and column.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal as Lit

from jinja2 import StrictUndefined, TemplateSyntaxError, meta
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel, ConfigDict, Field as PField, ValidationInfo, field_validator, model_validator

from dondoc.engine.expression import Expr, ExpressionError, fields_of, guarded_fields, parse
from dondoc.engine.findings import GENERAL_SECTION, SECTION_FACTS, SEVERITY_ORDER, NoticeSection, Severity
from dondoc.engine.typecheck import AS_OF, check
from dondoc.facts.errors import InputError, InputErrors, collect
from dondoc.facts.kinds import KINDS
from dondoc.facts.yamlio import load_yaml, locate, validate

DEFAULT_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Names a message may use besides the fact's fields (a fact has its own "title").
MESSAGE_NAMES = {"rule", "rule_title", AS_OF}


class NoticeSpec(BaseModel):
    """Where a rule's findings go in the notice (công văn đôn đốc), and what the unit is asked to do."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    section: NoticeSection = PField(GENERAL_SECTION, description="Mục của công văn (mặc định: khac, mục chung)")
    request: str = PField(
        "",
        description="Đề nghị đơn vị làm gì, viết tiếp sau 'Đề nghị <đơn vị>', chữ thường, không dấu chấm cuối",
    )

    @field_validator("request")
    @classmethod
    def _request(cls, value: str) -> str:
        value = " ".join(value.split())
        if value.endswith((".", ";", ",")):
            raise ValueError("câu đề nghị không có dấu chấm cuối: công văn tự đặt dấu câu")
        if value[:1].isupper():
            raise ValueError("câu đề nghị viết tiếp sau 'Đề nghị <đơn vị>', nên bắt đầu bằng chữ thường")
        return value


MISSING_NOTICE = NoticeSpec(section="thieu-so-lieu", request="bổ sung, báo cáo số liệu các nội dung nêu trên")


class MissingSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    severity: Severity = "nhắc nhở"
    message: str = "Chưa có số liệu ({{ missing }}) để kiểm tra quy tắc \"{{ rule_title }}\"."
    notice: NoticeSpec = PField(default_factory=lambda: MISSING_NOTICE)


class Step(BaseModel):
    """One rung of a severity ladder: from when this holds, the finding is this serious."""

    model_config = ConfigDict(extra="forbid")
    when: str = PField(description="A condition on the same fact, e.g. days_overdue >= 15")
    severity: Severity


class RuleEntry(BaseModel):
    """One entry of a rule file, as written."""

    model_config = ConfigDict(extra="forbid")

    id: str = PField(description="Mã quy tắc: chữ thường không dấu, số, '-'")
    title: str = PField(description="Tên quy tắc, tiếng Việt")
    fact: Lit["task", "occurrence", "target", "procedure"] = PField(description="Loại dữ kiện")
    scope: str | None = PField(None, description="Phạm vi: dữ kiện nào quy tắc xét")
    condition: str = PField(description="Điều kiện vi phạm")
    severity: Severity = PField(description="Mức độ")
    escalate: list[Step] = PField(
        default_factory=list, description="Thang mức độ: mức nặng hơn khi điều kiện 'when' đúng"
    )
    message: str = PField(description="Câu phát hiện; {{ trường }} lấy giá trị")
    doc: str = ""
    valid_from: dt.date | None = PField(None, description="Hiệu lực từ ngày")
    valid_to: dt.date | None = PField(None, description="Hiệu lực đến hết ngày")
    missing: MissingSpec = PField(default_factory=MissingSpec)
    notice: NoticeSpec = PField(default_factory=NoticeSpec, description="Mục công văn và câu đề nghị")

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("an id is lower-case letters, digits and '-', e.g. nhiem-vu-qua-han")
        return value

    @model_validator(mode="after")
    def _dates(self) -> "RuleEntry":
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ValueError("valid_from is after valid_to")
        return self

    @field_validator("notice", "missing")
    @classmethod
    def _section_fits(cls, value: Any, info: ValidationInfo) -> Any:
        # A section lays out one kind of fact (a task table cannot show a target).
        spec = value.notice if isinstance(value, MissingSpec) else value
        fact = info.data.get("fact")
        if fact and fact not in SECTION_FACTS[spec.section]:
            raise ValueError(
                f"mục công văn '{spec.section}' không trình bày dữ kiện '{fact}'"
                f" (mục này dành cho: {', '.join(SECTION_FACTS[spec.section])})"
            )
        return value


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    fact: str
    scope: Expr | None
    condition: Expr
    severity: str
    message: str
    missing_severity: str
    missing_message: str
    doc: str
    path: str
    line: int | None
    reads: tuple[str, ...] = field(default=())  # fields the scope and condition read, in order
    checked_missing: tuple[str, ...] = field(default=())  # optional fields whose absence is a finding
    escalate: tuple[tuple[Expr, str], ...] = field(default=())  # (when, severity), mildest first
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    notice: NoticeSpec = NoticeSpec()
    missing_notice: NoticeSpec = MISSING_NOTICE

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def in_force(self, on: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on <= self.valid_to)

    def overlaps(self, other: "Rule") -> bool:
        """Whether two versions of a rule are ever in force on the same day."""
        lo = max(self.valid_from or dt.date.min, other.valid_from or dt.date.min)
        hi = min(self.valid_to or dt.date.max, other.valid_to or dt.date.max)
        return lo <= hi


def message_environment() -> SandboxedEnvironment:
    """Messages are jinja2 templates over the fact's fields, sandboxed: staff write them."""
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, finalize=format_value)
    env.filters["so"] = format_value
    return env


def format_value(value: Any) -> Any:
    """Numbers with the decimal comma, dates as dd/mm/yyyy: how officials write them."""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return text.replace(".", ",")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list):
        return ", ".join(str(format_value(v)) for v in value)
    return value


_ENV = message_environment()


def _expr(text: str, kind: str, path: Path, marks, loc) -> Expr:
    line, col = locate(marks, loc)
    try:
        node = parse(text)
        check(kind, node)
    except ExpressionError as exc:
        # The value's own position plus the column inside the expression.
        where_line = (line or 1) + (exc.line - 1)
        where_col = (col or 1) + (exc.column - 1 if exc.column else 0) if exc.line == 1 else exc.column
        raise InputError(path, exc.message, line=where_line, column=where_col, hint=exc.hint) from None
    return node


def _template(text: str, kind: str, path: Path, marks, loc) -> None:
    line, col = locate(marks, loc)
    try:
        names = meta.find_undeclared_variables(_ENV.parse(text))
    except TemplateSyntaxError as exc:
        raise InputError(path, f"message template: {exc.message}", line=(line or 1) + exc.lineno - 1) from None
    allowed = set(KINDS[kind]) | MESSAGE_NAMES | {"missing"}
    unknown = sorted(names - allowed)
    if unknown:
        raise InputError(
            path,
            f"the message uses {', '.join(repr(n) for n in unknown)}, which '{kind}' facts do not have",
            line=line,
            column=col,
            hint="names in {{ }} are fields: " + ", ".join(sorted(KINDS[kind])),
        )


def read_rule_file(path: Path) -> list[Rule]:
    data, marks = load_yaml(path)
    if not isinstance(data, dict) or set(data) != {"rules"} or not isinstance(data["rules"], list):
        raise InputError(path, "a rule file holds one list: 'rules:' with '- id: ...' entries", line=1)
    rules: list[Rule] = []
    errors: list[InputError] = []
    for i, raw in enumerate(data["rules"]):
        loc = ("rules", i)
        try:
            entry: RuleEntry = validate(RuleEntry, raw, path, marks, loc)
            scope = _expr(entry.scope, entry.fact, path, marks, loc + ("scope",)) if entry.scope else None
            condition = _expr(entry.condition, entry.fact, path, marks, loc + ("condition",))
            ladder = tuple(
                (_expr(step.when, entry.fact, path, marks, loc + ("escalate", j, "when")), step.severity)
                for j, step in enumerate(entry.escalate)
            )
            _ladder_order(entry, path, marks, loc)
            _template(entry.message, entry.fact, path, marks, loc + ("message",))
            _template(entry.missing.message, entry.fact, path, marks, loc + ("missing",))
        except InputErrors as exc:
            errors.extend(exc.errors)
            continue
        except InputError as exc:
            errors.append(exc)
            continue
        reads: list[str] = []
        for node in ([scope] if scope else []) + [condition] + [when for when, _ in ladder]:
            for f in fields_of(node):
                if f.name != AS_OF and f.name not in reads:
                    reads.append(f.name)
        spec = KINDS[entry.fact]
        guarded = guarded_fields(condition) | (guarded_fields(scope) if scope else set())
        checked = tuple(
            f.name
            for f in fields_of(condition)
            if f.name != AS_OF and not spec[f.name].always and f.name not in guarded
        )
        rules.append(
            Rule(
                id=entry.id,
                title=entry.title,
                fact=entry.fact,
                scope=scope,
                condition=condition,
                severity=entry.severity,
                message=entry.message,
                missing_severity=entry.missing.severity,
                missing_message=entry.missing.message,
                doc=entry.doc,
                path=str(path),
                line=locate(marks, loc)[0],
                reads=tuple(reads),
                checked_missing=tuple(dict.fromkeys(checked)),
                escalate=ladder,
                valid_from=entry.valid_from,
                valid_to=entry.valid_to,
                notice=entry.notice,
                missing_notice=entry.missing.notice,
            )
        )
    if errors:
        raise InputErrors(errors)
    return rules


def rule_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def load_rules(directory: str | Path = DEFAULT_RULES_DIR) -> list[Rule]:
    """Every rule in ``directory`` (recursively), checked; all errors reported together."""
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError(directory, "no such rules directory")
    rules: list[Rule] = []
    errors: list[InputError] = []
    versions: dict[str, list[Rule]] = {}
    for path in rule_files(directory):
        for rule in collect(errors, lambda: read_rule_file(path)) or []:
            clash = next((r for r in versions.get(rule.id, []) if r.overlaps(rule)), None)
            if clash is not None:
                errors.append(
                    InputError(
                        path,
                        f"rule id '{rule.id}' is already used at {clash.location}",
                        line=rule.line,
                        hint="every rule needs its own id; two versions of one rule need"
                        " valid_from / valid_to that do not overlap",
                    )
                )
                continue
            versions.setdefault(rule.id, []).append(rule)
            rules.append(rule)
    if errors:
        raise InputErrors(errors)
    if not rules:
        raise InputError(directory, "no rules found (rule files end in .yaml)")
    return rules


@functools.lru_cache(maxsize=1024)
def _compiled(template: str):
    return _ENV.from_string(template)


def rule_file_schema() -> dict[str, Any]:
    """The JSON Schema of a rule file, so an editor can check a rule as it is typed."""
    entry = RuleEntry.model_json_schema()
    defs = entry.pop("$defs", {})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "dondoc rule file",
        "description": "Tệp quy tắc của dondoc: một danh sách 'rules:', mỗi mục một quy tắc (docs/rules.md).",
        "type": "object",
        "properties": {"rules": {"type": "array", "items": {"$ref": "#/$defs/RuleEntry"}}},
        "required": ["rules"],
        "additionalProperties": False,
        "$defs": {**defs, "RuleEntry": entry},
    }


def in_force(rules: list[Rule], on: dt.date) -> list[Rule]:
    """The rules in force on a date: each id at most once."""
    return [r for r in rules if r.in_force(on)]


def _ladder_order(entry: RuleEntry, path: Path, marks, loc) -> None:
    """A ladder climbs: each step more serious than the one before, all above the base."""
    previous = entry.severity
    for j, step in enumerate(entry.escalate):
        if SEVERITY_ORDER[step.severity] <= SEVERITY_ORDER[previous]:
            line, col = locate(marks, loc + ("escalate", j, "severity"))
            raise InputError(
                path,
                f"the ladder must climb: '{step.severity}' is not more serious than '{previous}'",
                line=line,
                column=col,
                hint="list the steps from the mildest to the most serious",
            )
        previous = step.severity


def render_message(template: str, values: dict[str, Any]) -> str:
    # Compiled once per template: compiling per finding cost 90% of a large run.
    return _compiled(template).render(**values)
