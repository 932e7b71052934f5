"""Reads rule files into checked Rule objects, and layers an office's own rules over the shipped ones.

A rule file is YAML with one list, ``rules:``, one rule per entry; docs/rules.md
teaches the format. Each rule is parsed, type-checked and compiled as it is read
(the one compile path: `rules check`, `rules test`, `rules explain` and `check`
all read rules here), and every problem is reported in Vietnamese with its file,
line and column, even inside a condition written over several lines.

The shipped rules are package data (``dondoc.rules``). An office keeps its own
rules in folders of its own (``--rules DIR``, or ``rules:`` in its settings); they
are layered over the shipped ones, and a local rule may ``replaces:`` or
``refines:`` a rule of a lower layer (docs/rules.md, "Thứ tự ưu tiên").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import importlib.resources
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Iterable, Literal as Lit

import yaml
from jinja2 import StrictUndefined, TemplateSyntaxError, meta, nodes
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field as PField,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from dondoc.engine import tables
from dondoc.engine.compile import Compiler
from dondoc.engine.expression import (
    Compare,
    Expr,
    ExpressionError,
    Field as FieldNode,
    Not,
    children,
    fields_of,
    guarded_fields,
    parse,
    resolve_groups,
    to_text,
)
from dondoc.engine.findings import (
    GENERAL_SECTION,
    IMPLIES,
    SECTION_FACTS,
    SECTION_SHOWS,
    SEVERITY_ORDER,
    DeclaredSection,
    Severity,
)
from dondoc.engine.rule_errors import Positions, schema_error, yaml_error
from dondoc.engine.sandbox import BoundedSandbox
from dondoc.engine.typecheck import AS_OF, suggest_field, check
from dondoc.facts.calendar import parse_day
from dondoc.errors import BoundError, InputError, InputErrors
from dondoc.facts.kinds import ATTRIBUTE_TYPES, CATEGORY_GROUPS, COMMUNE, COMMUNE_SCHEMA, KINDS, TARGET_CATEGORIES, FieldSpec, SchemaConflict, declare_commune
from dondoc.limits import files_under
from dondoc.text import rounded
from dondoc.facts.textfile import read_text
from dondoc.facts.yamlio import KEY, compose, load_yaml, locate

SHIPPED = "có sẵn"  # how the shipped layer is named to staff


def shipped_rules_dir() -> Path:
    """The rules that ship with dondoc (package data), wherever it is installed."""
    return Path(str(importlib.resources.files("dondoc.rules")))


DEFAULT_RULES_DIR = shipped_rules_dir()
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Names a message may use besides the fact's fields (a fact has its own "title"); `commune`:
# the commune's attributes, {{ commune.class }}.
MESSAGE_NAMES = {"rule", "rule_title", AS_OF, COMMUNE}
SCHEMA_FILE = "thuoc-tinh-xa.yaml"  # in a rule pack: the attributes of its communes (docs/rules.md, 3e)
_DATE_PATTERN = r"^(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})$"


def _date(value: Any) -> Any:
    """valid_from and valid_to as staff write dates: 01/07/2026, or 2026-07-01."""
    if isinstance(value, dt.date) or value is None:
        return value
    try:
        return parse_day(str(value))
    except ValueError:
        raise ValueError(f"'{value}' không phải một ngày") from None


DateText = Annotated[
    dt.date,
    BeforeValidator(_date),
    WithJsonSchema({"type": "string", "pattern": _DATE_PATTERN, "description": "01/07/2026 hoặc 2026-07-01"}),
]


def _rule_id(value: str | None) -> str | None:
    if value is not None and not _ID.match(value):
        raise ValueError(f"mã '{value}' chỉ gồm chữ thường không dấu, số và '-', ví dụ nhiem-vu-qua-han")
    return value


def _request_words(value: str) -> str:
    value = " ".join(value.split())
    if value.endswith((".", ";", ",")):
        raise ValueError("câu đề nghị không có dấu chấm cuối: công văn tự đặt dấu câu")
    if value[:1].isupper():
        raise ValueError("câu đề nghị viết tiếp sau 'Đề nghị <đơn vị>', nên bắt đầu bằng chữ thường")
    return value


class NoticeSpec(BaseModel):
    """Where a rule's findings go in the notice (công văn đôn đốc), and what the unit is asked to do."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    section: str = PField(
        GENERAL_SECTION,
        description="Mục của công văn (mặc định: khac, mục chung): một mục có sẵn ("
        + ", ".join(SECTION_FACTS) + ") hoặc một mục khai báo ở 'sections:' của tệp",
        json_schema_extra={"examples": list(SECTION_FACTS)},
    )
    request: str = PField(
        "",
        description="Đề nghị đơn vị làm gì, viết tiếp sau 'Đề nghị <đơn vị>', chữ thường, không dấu chấm cuối",
    )

    @field_validator("request")
    @classmethod
    def _request(cls, value: str) -> str:
        return _request_words(value)


class SectionEntry(DeclaredSection):
    """One entry of a rule file's ``sections:``, as written (docs/rules.md, 3d)."""

    @field_validator("id")
    @classmethod
    def _section_id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError(f"mã mục '{value}' chỉ gồm chữ thường không dấu, số và '-', ví dụ chi-tieu-cua-tinh")
        if value in SECTION_FACTS:
            raise ValueError(f"'{value}' là một mục có sẵn: đặt một mã mới (mục có sẵn: {', '.join(SECTION_FACTS)})")
        return value

    @field_validator("like")
    @classmethod
    def _like(cls, value: str) -> str:
        if value not in SECTION_FACTS:
            close = difflib.get_close_matches(value, list(SECTION_FACTS), n=1)
            raise ValueError(
                f"'like: {value}': không có mục có sẵn này"
                + (f"; có phải '{close[0]}'?" if close else "")
                + f" (chọn một trong: {', '.join(SECTION_FACTS)})"
            )
        return value

    @field_validator("request")
    @classmethod
    def _request(cls, value: str) -> str:
        return _request_words(value)

    @field_validator("heading", "summary")
    @classmethod
    def _one_line(cls, value: str) -> str:
        return " ".join(value.split())


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
    valid_from: DateText | None = PField(None, description="Hiệu lực từ ngày")
    valid_to: DateText | None = PField(None, description="Hiệu lực đến hết ngày")
    missing: MissingSpec = PField(default_factory=MissingSpec)
    replaces: str | None = PField(None, description="Thay hẳn quy tắc có mã này (của lớp dưới) khi có hiệu lực")
    refines: str | None = PField(
        None, description="Tinh chỉnh quy tắc có mã này: trong phạm vi của quy tắc này, chỉ quy tắc này quyết định"
    )
    notice: NoticeSpec = PField(default_factory=NoticeSpec, description="Mục công văn và câu đề nghị")

    _id = field_validator("id", "replaces", "refines")(_rule_id)

    @field_validator("notice", "missing")
    @classmethod
    def _section_fits(cls, value: Any, info: ValidationInfo) -> Any:
        # A section lays out one kind of fact (a task table cannot show a target).
        spec = value.notice if isinstance(value, MissingSpec) else value
        fact = info.data.get("fact")
        # A section the rule file declares is checked against its 'like' when the file is read.
        if fact and spec.section in SECTION_FACTS and fact not in SECTION_FACTS[spec.section]:
            raise ValueError(
                f"mục công văn '{spec.section}' không trình bày dữ kiện '{fact}'"
                f" (mục này dành cho: {', '.join(SECTION_FACTS[spec.section])})"
            )
        return value

    @model_validator(mode="after")
    def _dates(self) -> "RuleEntry":
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ValueError("valid_from (ngày bắt đầu hiệu lực) sau valid_to (ngày hết hiệu lực)")
        if self.replaces and self.refines:
            raise ValueError("một quy tắc chỉ 'replaces' hoặc 'refines', không cả hai")
        if self.refines and not self.scope:
            raise ValueError("quy tắc tinh chỉnh (refines) cần 'scope:': những dữ kiện nó quyết định thay")
        return self


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
    layer: int = 0  # 0: shipped; 1, 2, ...: the office's folders, in order
    folder: str = SHIPPED
    replaces: str | None = None
    refines: str | None = None
    # Set by in_force: the scopes of the rules that refine this one on that day (id, scope).
    excluded: tuple[tuple[str, Expr], ...] = field(default=())
    notice: NoticeSpec = NoticeSpec()  # where its findings go in the notice
    missing_notice: NoticeSpec = MISSING_NOTICE
    # The rule's own requirement, when its condition compares the measured value with its own
    # threshold ('actual < 95' requires '>= 95'): (comparison required, threshold); None: the plan's.
    requirement: tuple[str, Expr] | None = None
    section_spec: DeclaredSection | None = None  # the section, when its file declares it
    missing_section_spec: DeclaredSection | None = None

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

    def validity(self) -> str:
        """'có hiệu lực từ 01/07/2026', 'hết hiệu lực từ 01/07/2026' as of no date: both ends."""
        parts = []
        if self.valid_from:
            parts.append(f"từ {self.valid_from:%d/%m/%Y}")
        if self.valid_to:
            parts.append(f"đến hết {self.valid_to:%d/%m/%Y}")
        return "có hiệu lực " + " ".join(parts) if parts else "luôn có hiệu lực"


def message_environment() -> BoundedSandbox:
    """Messages are jinja2 templates over the fact's fields, sandboxed and bounded in steps, time
    and size (engine/sandbox.py): staff write them."""
    env = BoundedSandbox(undefined=StrictUndefined, autoescape=False, finalize=format_value)
    env.filters["so"] = format_value
    return env


def format_value(value: Any) -> Any:
    """Numbers with the decimal comma, dates as dd/mm/yyyy: how officials write them."""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float):
        text = format(rounded(value, 2), "f").rstrip("0").rstrip(".")  # half up, as the letters print it
        return text.replace(".", ",")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list):
        return ", ".join(str(format_value(v)) for v in value)
    return value


_ENV = message_environment()


class _RuleFile:
    """One rule file being read: its text, where its values stand, and its errors."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.text = read_text(path)  # encoding, file kind and permission named with the line
        try:
            compose(self.text)  # libyaml, behind facts/yamlio.py's nesting guard
        except yaml.MarkedYAMLError:
            try:  # PyYAML's own wording of the slip, which rule_errors.yaml_error explains
                yaml.compose(self.text, Loader=yaml.SafeLoader)
            except yaml.MarkedYAMLError as exc:
                raise yaml_error(path, self.text, exc) from None
        except (yaml.YAMLError, InputError):
            pass  # a control character, too deep a nesting: load_yaml names them with their line
        try:
            self.data, self.marks = load_yaml(path)
        except InputError as exc:
            raise _translated(exc) from None
        self.positions = Positions(self.text)
        self.groups: dict[str, tuple[str, ...]] = dict(CATEGORY_GROUPS)  # and the file's own (``groups:``)

    def place(self, loc: tuple, offset: int | None = None) -> tuple[int | None, int | None]:
        """The line and column of a value (and of a character inside it)."""
        exact = self.positions.at(loc, offset) if offset is not None else None
        return exact or locate(self.marks, loc)

    def error(self, loc: tuple, message: str, offset: int | None = None, hint: str = "") -> InputError:
        line, column = self.place(loc, offset)
        return InputError(self.path, message, line=line, column=column, hint=hint or None)


def _translated(exc: InputError) -> InputError:
    """facts/yamlio.py's own errors, said in Vietnamese for rule files."""
    message = exc.message
    twice = re.match(r"key '(.+)' appears twice", message)
    if twice:
        message = f"khóa '{twice.group(1)}' viết hai lần trong cùng một chỗ"
    elif message.startswith("a key must be text"):
        message = "tên khóa phải là chữ"
    elif message.startswith("not UTF-8"):
        message = "tệp không phải chữ UTF-8"
    return InputError(exc.path, message, line=exc.line, column=exc.column, hint=exc.hint)


_PROBE_DATE = dt.date.today()  # constants fold differently by date; compiling succeeds on any


def _expr(rf: _RuleFile, text: str, kind: str, loc: tuple, negatable: bool = False) -> Expr:
    """Parse, type-check and compile one condition: what loads here will run."""
    try:
        node = resolve_groups(parse(text), rf.groups)
        check(kind, node, negatable)
        compiler = Compiler(kind, _PROBE_DATE)
        compiler.condition(node)
        if negatable:
            compiler.condition(Not(node))
    except ExpressionError as exc:
        raise rf.error(loc, exc.message, exc.pos, exc.hint) from None
    return node


def _template(rf: _RuleFile, text: str, kind: str, loc: tuple) -> None:
    try:
        names = meta.find_undeclared_variables(_ENV.parse(text))
    except TemplateSyntaxError as exc:
        lines = text.split("\n")
        offset = sum(len(line) + 1 for line in lines[: (exc.lineno or 1) - 1])
        problem = exc.message or ""
        if "end of template" in problem:
            message, hint = "câu thông báo có '{{' chưa đóng", "mỗi '{{' đóng bằng '}}', ví dụ {{ title }}"
        elif "unexpected '}'" in problem:
            message, hint = "câu thông báo có '}' thừa hoặc thiếu", "tên trường viết trong hai cặp ngoặc: {{ title }}"
        else:
            message, hint = f"câu thông báo viết sai: {problem}", "tên trường đặt trong {{ }}, ví dụ {{ title }}"
        raise rf.error(loc, message, offset, hint) from None
    except ValueError:  # jinja2 reads a number of over 4,300 digits with int(), which refuses it
        raise rf.error(loc, "câu thông báo có một số quá dài", 0, "số trong câu thông báo viết như kế hoạch viết, ví dụ 95") from None
    allowed = set(KINDS[kind]) | MESSAGE_NAMES | {"missing"}
    unknown = sorted(names - allowed)
    if not unknown:
        _probe(rf, text, kind, loc, names)
    if unknown:
        name = unknown[0]
        found = re.search(r"\{\{-?\s*" + re.escape(name), text)
        offset = found.end() - len(name) if found else None
        raise rf.error(
            loc,
            f"câu thông báo dùng '{name}', dữ kiện '{kind}' không có trường này",
            offset,
            suggest_field(kind, name) if name not in MESSAGE_NAMES else "",
        )


_PROBE = {"text": "Phòng Kinh tế", "number": 100.0, "date": dt.date(2026, 12, 31), "bool": True}


def _probe(rf: _RuleFile, text: str, kind: str, loc: tuple, names: set[str]) -> None:
    """A message is written once per finding, every night: rendered here with a fact of
    ordinary values, so that one past the bounds on templates (a loop nested in a loop) is an
    error of `rules check`, not a rule stopped at night. Other failures (a filter that an
    ordinary value does not suit) are left to the night, which names them."""
    values: dict[str, Any] = {name: _PROBE[spec.type] for name, spec in KINDS[kind].items()}
    values.update(rule="quy-tac", rule_title="Quy tắc", missing="", **{AS_OF: dt.date(2026, 11, 22)})
    values[COMMUNE] = {name: _PROBE[spec.type] for name, spec in COMMUNE_SCHEMA.items()}
    try:
        _ENV.from_string(text).render(**{n: values.get(n, "") for n in names})
    except BoundError as exc:
        line, column = rf.place(loc, 0)
        raise BoundError(rf.path, f"câu thông báo: {exc.message}", line=line, column=column, hint=exc.hint) from None
    except Exception:  # noqa: BLE001 - not a bound: the night renders it with real values, and says so
        pass


_NEGATED = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
PLAN_VALUE = "value"  # the plan's own requirement, on the fact: a comparison with it is the plan's


class RequirementError(ValueError):
    """The condition compares the measured value with more than one requirement."""


def requirement_of(condition: Expr, measure: str) -> tuple[str, Expr] | None:
    """What a condition requires of the measured value, when it sets its own threshold:
    'actual < 95' is a violation of 'actual >= 95', so ('>=', 95). None when it compares the
    value only with the plan's ('actual < value'), or not at all. Two different thresholds
    ('actual < 95 or actual > 99') are no one requirement a letter can print: RequirementError."""
    own: dict[str, tuple[str, Expr]] = {}
    stack: list[tuple[Expr, bool]] = [(condition, False)]
    while stack:
        node, negated = stack.pop()
        if isinstance(node, Not):
            stack.append((node.item, not negated))
            continue
        if isinstance(node, Compare):
            for side, other, op in ((node.left, node.right, node.op), (node.right, node.left, _FLIPPED[node.op])):
                if type(side) is FieldNode and side.name == measure and measure not in {f.name for f in fields_of(other)}:
                    if PLAN_VALUE in {f.name for f in fields_of(other)}:
                        break  # the plan's requirement, printed from the fact
                    violated = _NEGATED[op] if negated else op
                    required = _NEGATED[violated]
                    own[f"{required} {to_text(other)}"] = (required, other)
                    break
            continue
        stack.extend((child, negated) for child in children(node))
    if len(own) > 1:
        raise RequirementError(" và ".join(sorted(own)))
    return next(iter(own.values()), None)


def _shows(rf: _RuleFile, entry: "RuleEntry", section: str, condition: Expr, loc: tuple, scope: Expr | None = None) -> tuple[str, Expr] | None:
    """A section that prints a value of every row (the days overdue, a target's result and its
    requirement) takes only a rule whose findings have that value: the rule's condition reads
    it. Returns the rule's own requirement, which the letter prints instead of the plan's."""
    shown = SECTION_SHOWS.get(section)
    if not shown:
        return None
    # What the rule's findings surely have: the fields its condition reads, and its scope's (a
    # finding is in scope); and what those imply.
    read = {f.name for f in fields_of(condition)} | ({f.name for f in fields_of(scope)} if scope is not None else set())
    if shown not in read and not any(shown in IMPLIES.get(name, ()) for name in read):
        raise rf.error(
            loc + ("notice", "section"),
            f"mục công văn '{entry.notice.section}' in '{shown}' của từng dòng, nhưng điều kiện của quy tắc không đọc '{shown}':"
            " công văn sẽ có ô trống",
            hint=f"thêm '{shown}' vào điều kiện (ví dụ '... and {shown} is present'), hoặc chọn mục 'khac' (in câu thông báo)",
        )
    if shown not in ("actual", "projected"):
        return None
    try:
        return requirement_of(condition, shown)
    except RequirementError as exc:
        raise rf.error(
            loc + ("condition",),
            f"điều kiện so '{shown}' với nhiều mức ({exc}): mục công văn '{entry.notice.section}' chỉ in được một mức yêu cầu",
            hint="tách thành hai quy tắc, mỗi quy tắc một mức; hoặc chọn mục 'khac' (in câu thông báo)",
        ) from None


def _sections(rf: _RuleFile, data: dict) -> dict[str, DeclaredSection]:
    """The sections a rule file declares (``sections:``), checked: each extends the shipped
    table for the rules of this file."""
    raw = data.get("sections") or []
    if not isinstance(raw, list):
        raise rf.error(("sections",), "'sections:' là một danh sách, mỗi mục bắt đầu bằng '  - id: ...'")
    declared: dict[str, DeclaredSection] = {}
    errors: list[InputError] = []
    for i, item in enumerate(raw):
        try:
            entry = SectionEntry.model_validate(item)
        except ValidationError as exc:
            for err in exc.errors():
                where = ("sections", i) + tuple(err["loc"])
                at = where + (KEY,) if err["type"] == "extra_forbidden" else where
                line, column = locate(rf.marks, at)
                if err["type"] == "extra_forbidden":
                    message = f"khóa '{err['loc'][-1]}' không có trong một mục công văn"
                    hint = "các khóa: " + ", ".join(DeclaredSection.model_fields)
                elif err["type"] == "missing":
                    message, hint = f"mục công văn thiếu khóa '{err['loc'][-1]}'", "xem mẫu ở docs/rules.md, mục 3d"
                else:
                    message, hint = str(err["msg"]).removeprefix("Value error, "), ""
                errors.append(InputError(rf.path, message, line=line, column=column, hint=hint or None))
            continue
        if entry.id in declared:
            errors.append(rf.error(("sections", i, "id"), f"mục '{entry.id}' khai báo hai lần trong tệp"))
            continue
        if entry.after and entry.after not in SECTION_FACTS and entry.after not in declared:
            errors.append(rf.error(
                ("sections", i, "after"), f"'after: {entry.after}': không có mục này",
                hint="một mục có sẵn (" + ", ".join(SECTION_FACTS) + ") hoặc một mục khai báo phía trên trong tệp",
            ))
            continue
        declared[entry.id] = DeclaredSection(**entry.model_dump())
    if errors:
        raise InputErrors(errors)
    return declared


def _groups(rf: _RuleFile, data: dict) -> dict[str, tuple[str, ...]]:
    """The groups of target categories a rule file declares (``groups: {ten-nhom: [loai, ...]}``),
    for `category in ten-nhom` in its rules; each member a category of the catalogue."""
    raw = data.get("groups") or {}
    if not isinstance(raw, dict):
        raise rf.error(("groups",), "'groups:' là một bảng: mỗi dòng 'ten-nhom: [loai-1, loai-2]'")
    out: dict[str, tuple[str, ...]] = {}
    for name, members in raw.items():
        if not isinstance(name, str) or not _ID.match(name) or name in TARGET_CATEGORIES:
            raise rf.error(("groups", name), f"tên nhóm '{name}' chỉ gồm chữ thường không dấu, số, '-', khác tên các loại chỉ tiêu")
        if not isinstance(members, list) or not members:
            raise rf.error(("groups", name), f"nhóm '{name}' là một danh sách loại chỉ tiêu, ví dụ [hai-long-tthc, hai-long-dich-vu-cong]")
        for member in members:
            if member not in TARGET_CATEGORIES:
                close = difflib.get_close_matches(str(member), list(TARGET_CATEGORIES), n=1)
                raise rf.error(("groups", name), f"nhóm '{name}': '{member}' không phải một loại chỉ tiêu",
                               hint=(f"có phải '{close[0]}'? " if close else "") + "xem: dondoc rules fields")
        out[name] = tuple(dict.fromkeys(members))
    return out


def _resolve(rf: _RuleFile, entry: "RuleEntry", spec: NoticeSpec, loc: tuple, declared: dict[str, DeclaredSection]):
    """A rule's section: a shipped one, or one its file declares (which lends the rule its request)."""
    if spec.section in SECTION_FACTS:
        return spec, None
    own = declared.get(spec.section)
    if own is None:
        options = list(SECTION_FACTS) + list(declared)
        close = difflib.get_close_matches(spec.section, options, n=1, cutoff=0.5)
        raise rf.error(
            loc + ("section",),
            f"mục công văn '{spec.section}' không có",
            hint=(f"có phải '{close[0]}'? " if close else "")
            + "chọn một trong: " + ", ".join(options) + "; hoặc khai báo mục ở 'sections:' đầu tệp (docs/rules.md, 3d)",
        )
    if entry.fact not in SECTION_FACTS[own.like]:
        raise rf.error(
            loc + ("section",),
            f"mục công văn '{own.id}' trình bày như '{own.like}', không trình bày dữ kiện '{entry.fact}'"
            f" (mục '{own.like}' dành cho: {', '.join(SECTION_FACTS[own.like])})",
        )
    if not spec.request and own.request:
        spec = spec.model_copy(update={"request": own.request})
    return spec, own


def _entry(rf: _RuleFile, raw: Any, loc: tuple, layer: int, folder: str, declared: dict[str, DeclaredSection] | None = None) -> Rule:
    try:
        entry = RuleEntry.model_validate(raw)
    except ValidationError as exc:
        errors = []
        keys = list(RuleEntry.model_fields)
        choices = {"severity": tuple(SEVERITY_ORDER), "fact": tuple(KINDS), "section": tuple(SECTION_FACTS)}
        for err in exc.errors():
            message, hint = schema_error(err, keys, choices)
            where = loc + tuple(err["loc"])
            at = where + (KEY,) if err["type"] == "extra_forbidden" else where
            line, column = locate(rf.marks, at)
            errors.append(InputError(rf.path, message, line=line, column=column, hint=hint or None))
        raise InputErrors(errors) from None
    refining = entry.refines is not None
    scope = _expr(rf, entry.scope, entry.fact, loc + ("scope",), negatable=refining) if entry.scope else None
    condition = _expr(rf, entry.condition, entry.fact, loc + ("condition",))
    ladder = tuple(
        (_expr(rf, step.when, entry.fact, loc + ("escalate", j, "when")), step.severity)
        for j, step in enumerate(entry.escalate)
    )
    _ladder_order(rf, entry, loc)
    notice, section_spec = _resolve(rf, entry, entry.notice, loc + ("notice",), declared or {})
    missing_notice, missing_spec = _resolve(rf, entry, entry.missing.notice, loc + ("missing", "notice"), declared or {})
    requirement = _shows(rf, entry, section_spec.like if section_spec else notice.section, condition, loc, scope)
    _template(rf, entry.message, entry.fact, loc + ("message",))
    _template(rf, entry.missing.message, entry.fact, loc + ("missing", "message"))
    reads: list[str] = []
    for node in ([scope] if scope else []) + [condition] + [when for when, _ in ladder]:
        for f in fields_of(node):
            if f.name != AS_OF and f.name not in reads:
                reads.append(f.name)
    spec = KINDS[entry.fact]
    guarded = guarded_fields(condition) | (guarded_fields(scope) if scope else set())
    checked = tuple(
        f.name for f in fields_of(condition) if f.name != AS_OF and not spec[f.name].always and f.name not in guarded
    )
    return Rule(
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
        path=str(rf.path),
        line=locate(rf.marks, loc)[0],
        reads=tuple(reads),
        checked_missing=tuple(dict.fromkeys(checked)),
        escalate=ladder,
        valid_from=entry.valid_from,
        valid_to=entry.valid_to,
        layer=layer,
        folder=folder,
        replaces=entry.replaces,
        refines=entry.refines,
        notice=notice,
        missing_notice=missing_notice,
        requirement=requirement,
        section_spec=section_spec,
        missing_section_spec=missing_spec,
    )


class _NoPositions:
    def at(self, loc: tuple, offset: int | None) -> None:
        return None


class _TableFile(_RuleFile):
    """A decision table read as a rule file: its entries, and where each stands in the table."""

    def __init__(self, table: tables.Table, marks: dict) -> None:
        self.path, self.text, self.data, self.marks = table.path, "", {}, marks
        self.positions = _NoPositions()
        self.groups = dict(CATEGORY_GROUPS)
        self.table = table

    def error(self, loc: tuple, message: str, offset: int | None = None, hint: str = "") -> InputError:
        line, column = locate(self.marks, loc)
        return self.table.error(message, line, column, hint)


def read_table_file(path: Path, layer: int = 0, folder: str = SHIPPED) -> list[Rule]:
    """Every rule of a decision table (a .csv, or each sheet of a .xlsx that is one), through the
    one path rule files take (``_entry``); overlaps and gaps named with their rows."""
    rules: list[Rule] = []
    errors: list[InputError] = []
    for table in tables.read_tables(path):
        try:
            raw, marks, hit = tables.entries(table)
        except InputError as exc:
            errors.append(exc)
            continue
        tf = _TableFile(table, marks)
        for i, entry in enumerate(raw):
            try:
                rules.append(_entry(tf, entry, ("rules", i), layer, folder))
            except (InputErrors, InputError) as exc:
                # Said at the row and cell of the table (a sheet's cell by its letter).
                errors.extend(table.error(e.message, e.line, e.column, e.hint or "")
                              for e in (exc.errors if isinstance(exc, InputErrors) else [exc]))
        errors.extend(tables.problems(table, hit))
    if errors:
        raise InputErrors(errors)
    return rules


def is_table(path: Path) -> bool:
    """A .csv or .xlsx in a rule folder is a decision table when its first cell says so."""
    if path.suffix.lower() == ".csv":
        try:
            with open(path, encoding="utf-8-sig") as fh:
                return fh.readline().strip().lower().startswith("bảng quyết định")
        except (OSError, UnicodeDecodeError):
            return True  # read it, and say what is wrong
    return path.suffix.lower() == ".xlsx"


def read_rule_file(path: Path, layer: int = 0, folder: str = SHIPPED) -> list[Rule]:
    """Every rule of one file, checked; all its errors together (InputErrors)."""
    if path.suffix.lower() in tables.TABLE_SUFFIXES:
        return read_table_file(path, layer, folder)
    rf = _RuleFile(path)
    data = rf.data
    if not isinstance(data, dict) or not set(data) <= {"rules", "sections", "groups"} or not isinstance(data.get("rules"), list):
        hint = "dòng đầu viết 'rules:', rồi mỗi quy tắc bắt đầu bằng '  - id: ...'"
        if isinstance(data, list):
            hint = "thêm dòng 'rules:' ở đầu tệp và thụt các quy tắc vào 2 dấu cách"
        raise InputError(path, "tệp quy tắc chứa một danh sách 'rules:'", line=1, hint=hint)
    rules: list[Rule] = []
    errors: list[InputError] = []
    try:
        rf.groups.update(_groups(rf, data))
    except InputError as exc:
        errors.append(exc)
    try:
        declared = _sections(rf, data)
    except InputErrors as exc:
        errors.extend(exc.errors)
        declared = {}
    except InputError as exc:
        errors.append(exc)
        declared = {}
    for i, raw in enumerate(data["rules"]):
        try:
            rules.append(_entry(rf, raw, ("rules", i), layer, folder, declared))
        except InputErrors as exc:
            errors.extend(exc.errors)
        except InputError as exc:
            errors.append(exc)
    if errors:
        raise InputErrors(errors)
    return rules


def rule_files(directory: Path) -> list[Path]:
    """The rule files of a folder, at any depth (bounded: limits.files_under); the pack's schema
    of commune attributes is not one."""
    found = files_under(directory, (".yaml", ".yml", *tables.TABLE_SUFFIXES))
    return [p for p in found if p.name != SCHEMA_FILE and (p.suffix.lower() not in tables.TABLE_SUFFIXES or is_table(p))]


class AttributeEntry(BaseModel):
    """One attribute of a commune, as the province declares it."""

    model_config = ConfigDict(extra="forbid")
    type: Lit["text", "number", "bool"] = PField(description="text, number hoặc bool")
    values: list[str] = PField(default_factory=list, description="Các giá trị được phép (với text), ví dụ [I, II, III]")
    meaning: str = PField("", description="Ý nghĩa, tiếng Việt")


def read_commune_schema(path: Path) -> dict[str, FieldSpec]:
    """A pack's ``thuoc-tinh-xa.yaml``: ``commune:`` then one entry per attribute, each checked
    at its line."""
    rf = _RuleFile(path)
    data = rf.data
    if not isinstance(data, dict) or set(data) != {COMMUNE} or not isinstance(data[COMMUNE], dict):
        raise InputError(path, "tệp thuộc tính xã chứa một bảng 'commune:'", line=1,
                         hint="dòng đầu 'commune:', rồi mỗi thuộc tính một dòng: '  class: {type: text, values: [I, II, III]}'")
    attributes: dict[str, FieldSpec] = {}
    errors: list[InputError] = []
    for name, raw in data[COMMUNE].items():
        if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            errors.append(rf.error((COMMUNE, name, KEY), f"tên thuộc tính '{name}' chỉ gồm chữ thường không dấu, số, '_'",
                                   hint="ví dụ class, urban, population"))
            continue
        try:
            entry = AttributeEntry.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors():
                message, hint = schema_error(err, list(AttributeEntry.model_fields), {"type": ATTRIBUTE_TYPES})
                errors.append(rf.error((COMMUNE, name) + tuple(err["loc"]), message, hint=hint))
            continue
        if entry.values and entry.type != "text":
            errors.append(rf.error((COMMUNE, name, "values"), "chỉ thuộc tính kiểu text mới có danh sách giá trị"))
            continue
        attributes[name] = FieldSpec(name, entry.type, entry.meaning or name, False, tuple(str(v) for v in entry.values))
    if errors:
        raise InputErrors(errors)
    return attributes


def _declare(folder: Path) -> list[InputError]:
    """The pack's commune attributes, declared before its rules are read (they read them)."""
    path = folder / SCHEMA_FILE
    if not path.is_file():
        return []
    try:
        declare_commune(read_commune_schema(path))
    except InputErrors as exc:
        return list(exc.errors)
    except InputError as exc:
        return [exc]
    except SchemaConflict as exc:
        return [InputError(path, f"thuộc tính '{exc}' đã được khai báo khác ở một gói quy tắc khác",
                           hint="mỗi thuộc tính một kiểu, một danh sách giá trị trong mọi gói của một đêm")]
    return []


# -- the book: shipped rules and the office's layers --------------------------------------------


@dataclass
class Book:
    """The rules dondoc runs: the shipped ones, then each local folder in order.

    ``set_aside`` holds the errors of rule files (or folders) that could not be loaded
    when loading leniently (the nightly check): the other rules still run.
    """

    rules: list[Rule] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)
    set_aside: list[InputError] = field(default_factory=list)

    def boundaries(self, today: dt.date) -> list[dt.date]:
        """One day in each stretch of time with its own set of rules in force (and today)."""
        starts = set()  # each day the set in force changes begins a stretch
        for rule in self.rules:
            if rule.valid_from:
                starts.add(rule.valid_from)
            if rule.valid_to and rule.valid_to < dt.date.max:
                starts.add(rule.valid_to + dt.timedelta(days=1))
        days = starts | {today}
        if starts and dt.date.min < min(starts) <= today:  # the stretch before the first change, over by today
            days.add(min(starts) - dt.timedelta(days=1))
        return sorted(days)

    def versions(self, rule_id: str) -> list[Rule]:
        return [r for r in self.rules if r.id == rule_id]


def _folder_errors(folder: Path) -> list[InputError]:
    if not folder.is_dir():
        return [InputError(folder, "không có thư mục quy tắc này", hint="đưa đường dẫn tới thư mục chứa các tệp .yaml")]
    try:
        if not rule_files(folder):
            return [InputError(folder, "thư mục không có tệp quy tắc nào (tệp .yaml)")]
    except InputError as exc:  # the disk's root, or a folder past the bound: not a rules folder
        return [exc]
    return []


def _fits(rule: Rule, book: list[Rule], path: Path) -> list[InputError]:
    """Errors that depend on the other rules: one id each, replaces/refines name a lower rule."""
    errors = []
    for other in book:
        if other.id != rule.id:
            continue
        if other.layer != rule.layer:
            errors.append(
                InputError(
                    path,
                    f"mã '{rule.id}' đã dùng cho quy tắc {other.folder} ở {other.location}",
                    line=rule.line,
                    hint=f"đặt một mã mới và viết 'replaces: {rule.id}' để thay quy tắc đó,"
                    f" hoặc 'refines: {rule.id}' để chỉ quyết định thay nó trong phạm vi của mình",
                )
            )
        elif other.overlaps(rule):
            errors.append(
                InputError(
                    path,
                    f"mã '{rule.id}' đã dùng ở {other.location}",
                    line=rule.line,
                    hint="mỗi quy tắc một mã; hai phiên bản của một quy tắc cần valid_from / valid_to không trùng ngày",
                )
            )
        break
    if rule.replaces:  # two rules replacing one would both run, each finding it again
        for other in book:
            if other.replaces == rule.replaces and other.id != rule.id and other.overlaps(rule):
                errors.append(
                    InputError(
                        path,
                        f"'replaces: {rule.replaces}': quy tắc '{other.id}' ở {other.location} đã thay quy tắc này;"
                        " hai quy tắc thay một quy tắc sẽ cùng chạy, mỗi phát hiện thành hai",
                        line=rule.line,
                        hint=f"giữ một trong hai; hoặc viết 'replaces: {other.id}' để thay quy tắc '{other.id}',"
                        " hoặc đặt valid_from / valid_to không trùng ngày",
                    )
                )
                break
    target = rule.replaces or rule.refines
    if target:
        word = "replaces" if rule.replaces else "refines"
        lower = [r for r in book if r.id == target and r.layer < rule.layer]
        if not lower:
            known = sorted({r.id for r in book if r.layer < rule.layer})
            close = difflib.get_close_matches(target, known, n=1)
            errors.append(
                InputError(
                    path,
                    f"'{word}: {target}': không có quy tắc '{target}' ở lớp dưới"
                    + (" (quy tắc có sẵn hoặc thư mục quy tắc đứng trước)" if rule.layer else ""),
                    line=rule.line,
                    hint=f"có phải '{close[0]}'?" if close else "xem các mã bằng: dondoc rules list",
                )
            )
        elif any(r.fact != rule.fact for r in lower):
            errors.append(
                InputError(
                    path,
                    f"'{word}: {target}': quy tắc '{target}' xét dữ kiện '{lower[0].fact}', quy tắc này xét '{rule.fact}'",
                    line=rule.line,
                    hint="chỉ thay hoặc tinh chỉnh một quy tắc cùng loại dữ kiện",
                )
            )
    return errors


def load_book(local: Iterable[str | Path] = (), *, shipped: bool = True, strict: bool = True) -> Book:
    """The shipped rules (package data) and each local folder over them, in order.

    strict: any error in any file raises InputErrors (`rules check`); otherwise a file
    (or folder) with errors is set aside whole, named in ``Book.set_aside``, and the
    rest are loaded (the nightly check, which then exits 3).
    """
    layers = ([(DEFAULT_RULES_DIR, SHIPPED)] if shipped else []) + [(Path(d), str(d)) for d in local]
    book = Book(folders=[p for p, _ in layers])
    errors: list[InputError] = []
    for layer, (folder, label) in enumerate(layers, start=0 if shipped else 1):
        problems = _folder_errors(folder) or _declare(folder)
        if problems:
            (errors if strict else book.set_aside).extend(problems)
            continue
        for path in rule_files(folder):
            try:
                rules = _read_rule_file_cached(path, layer, label)
                problems, seen = [], list(book.rules)
                for rule in rules:
                    problems += _fits(rule, seen, path)
                    seen.append(rule)
            except InputErrors as exc:
                problems = exc.errors
            except InputError as exc:
                problems = [exc]
            if problems:
                (errors if strict else book.set_aside).extend(problems)
                continue
            book.rules.extend(rules)
    if errors:
        raise InputErrors(errors)
    return book


# What shapes a Rule: a change to any of these makes the cached rules another entry.
_RULE_CODE = (
    __name__,
    "dondoc.engine.expression",
    "dondoc.engine.typecheck",
    "dondoc.engine.compile",
    "dondoc.engine.rule_errors",
    "dondoc.engine.findings",
    "dondoc.engine.tables",
    "dondoc.facts.kinds",
    "dondoc.facts.calendar",
)


def _read_rule_file_cached(path: Path, layer: int, label: str) -> list[Rule]:
    """``read_rule_file``, kept in the user's cache (cache.py) under the file's bytes: a
    `dondoc check` reads its rules without parsing or type-checking them again (~100 ms of a
    one-plan check, lark included). A file with errors is never kept: it is read each time."""
    from dondoc.cache import cached, code_stamp

    try:
        content = path.read_bytes()
    except OSError:
        return read_rule_file(path, layer, label)  # its error, with the file named
    # The commune attributes declared so far type the rules too: another schema, another entry.
    schema = repr(sorted((n, s.type, s.values) for n, s in COMMUNE_SCHEMA.items()))
    key = "\0".join((code_stamp(*_RULE_CODE), str(path), str(layer), label, schema)).encode() + b"\0" + content
    return cached("rules", key, lambda: read_rule_file(path, layer, label))


def load_rules(directory: str | Path | None = None) -> list[Rule]:
    """Every rule in one folder (default: the shipped rules), checked; all errors reported together."""
    if directory is None or Path(directory) == DEFAULT_RULES_DIR:
        return load_book().rules
    return load_book([directory], shipped=False).rules


@functools.lru_cache(maxsize=1024)
def _message_template(template: str):
    return _ENV.from_string(template)


@functools.lru_cache(maxsize=1024)
def _fields_only(template: str) -> tuple[tuple[str, bool], ...] | None:
    """A message that only prints fields ("quá hạn {{ days_overdue }} ngày": no filter, no
    expression, no statement) as (text, is a field name) parts; None for any other. Such a
    message is never compiled by jinja2 (``_message_template``) unless a field is missing: most are
    of this kind, and compiling one took about 1 ms of a one-plan check."""
    parts = []
    for node in _ENV.parse(template).body:
        if not isinstance(node, nodes.Output):
            return None
        for item in node.nodes:
            if isinstance(item, nodes.TemplateData):
                parts.append((item.data, False))
            elif isinstance(item, nodes.Name) and item.ctx == "load":
                parts.append((item.name, True))
            else:
                return None
    return tuple(parts)


def rule_file_schema() -> dict[str, Any]:
    """The JSON Schema of a rule file, so an editor can check a rule as it is typed."""
    entry = RuleEntry.model_json_schema()
    defs = entry.pop("$defs", {})
    section = DeclaredSection.model_json_schema()
    section["title"] = "SectionEntry"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "dondoc rule file",
        "description": "Tệp quy tắc của dondoc: một danh sách 'rules:', mỗi mục một quy tắc (docs/rules.md).",
        "type": "object",
        "properties": {
            "rules": {"type": "array", "items": {"$ref": "#/$defs/RuleEntry"}},
            "sections": {"type": "array", "items": {"$ref": "#/$defs/SectionEntry"},
                         "description": "Mục công văn riêng của tệp (docs/rules.md, 3d)"},
        },
        "required": ["rules"],
        "additionalProperties": False,
        "$defs": {**defs, "RuleEntry": entry, "SectionEntry": section},
    }


def in_force(rules: list[Rule], on: dt.date) -> list[Rule]:
    """The rules that run on a date: each id at most once, replaced rules left out, and each
    refined rule told which scopes its refinements decide instead of it (``excluded``)."""
    active = [r for r in rules if r.in_force(on)]
    replaced = {r.replaces for r in active if r.replaces}
    active = [r for r in active if r.id not in replaced]
    refiners: dict[str, list[Rule]] = {}
    for rule in active:
        if rule.refines:
            refiners.setdefault(rule.refines, []).append(rule)
    return [
        dataclasses.replace(r, excluded=tuple((x.id, x.scope) for x in refiners[r.id])) if r.id in refiners else r
        for r in active
    ]


def _ladder_order(rf: _RuleFile, entry: RuleEntry, loc: tuple) -> None:
    """A ladder climbs: each step more serious than the one before, all above the base."""
    previous = entry.severity
    for j, step in enumerate(entry.escalate):
        if SEVERITY_ORDER[step.severity] <= SEVERITY_ORDER[previous]:
            raise rf.error(
                loc + ("escalate", j, "severity"),
                f"thang mức độ phải tăng dần: '{step.severity}' không nặng hơn '{previous}'",
                hint="viết các bậc từ nhẹ đến nặng: " + " → ".join(SEVERITY_ORDER),
            )
        previous = step.severity


def render_message(template: str, values: dict[str, Any]) -> str:
    # Read once per template: compiling per finding cost 90% of a large run.
    parts = _fields_only(template)
    if parts is not None and all(name in values for name, field in parts if field):
        # What jinja2 prints for {{ name }} (str of the finalized value), without a render
        # context per finding; a field that is missing takes jinja2's path and its error.
        return "".join(str(format_value(values[text])) if field else text for text, field in parts)
    return _message_template(template).render(**values)
