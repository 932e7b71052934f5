"""Render warning notices (công văn đôn đốc) from findings, and write them atomically.

The template only lays out text: this module sorts each finding into the section
it belongs to (by fact kind and by what the fact says, never by rule id) and
hands the template plain rows, so a commune's own template needs no Python.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import traceback
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from dondoc.engine.findings import SEVERITY_ORDER, Finding
from dondoc.facts.derive import STATUS_CLASSES
from dondoc.facts.kinds import KINDS
from dondoc.facts.models import Plan, Signer
from dondoc.store.writer import replace_folder
from dondoc.templates import formats

PACKAGE_DIR = Path(__file__).resolve().parent
NOTICE_TEMPLATE = "notice.html.j2"
DEFAULT_PREFIX = "dondoc"  # an override template can {% extends "dondoc/notice.html.j2" %}

COUNT_KEYS = ("tong", *STATUS_CLASSES)  # the counts a notice gives, as facts/derive.py classes tasks

COMPARISON_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}

STATUS_LABELS = {
    "hoàn thành": "Đã hoàn thành",
    "đang thực hiện": "Đang thực hiện",
    "chưa thực hiện": "Chưa thực hiện",
    "chưa báo cáo": "Chưa báo cáo",
}

# The three reductions of "03 giảm": fact-field prefix -> (what is cut, unit of the raw values).
REDUCTIONS = {
    "time": ("Thời gian giải quyết", "ngày", "days"),
    "cost": ("Chi phí thực hiện", "đồng", "cost"),
    "components": ("Thành phần hồ sơ", "thành phần", "components"),
}

FACT_LABELS = {
    "task": "Nhiệm vụ",
    "occurrence": "Nhiệm vụ định kỳ",
    "target": "Chỉ tiêu",
    "procedure": "Thủ tục hành chính",
}


class NoticeTemplateError(Exception):
    """A notice template is missing, does not parse, or fails while rendering."""

    def __init__(self, message: str, filename: str | None = None, lineno: int | None = None):
        self.message = message
        self.filename = filename
        self.lineno = lineno
        where = filename or "notice template"
        if lineno:
            where = f"{where}, line {lineno}"
        super().__init__(f"{where}: {message}")


@dataclass
class Notice:
    """One công văn đôn đốc: one plan, one lead unit, that unit's findings."""

    plan: Plan
    unit: str
    findings: list[Finding]
    as_of: dt.date
    counts: dict[str, int]
    reply_by: dt.date | None = None  # None: as_of + 7 days
    number: str = ""  # "" = left blank for the clerk to fill at registration
    symbol: str = "UBND-VP"
    signer: Signer | None = None  # None: the plan's signer

    def __post_init__(self) -> None:
        if not self.unit.strip():
            raise ValueError("Notice.unit is empty: a notice must be addressed to a lead unit")
        if self.reply_by is None:
            self.reply_by = self.as_of + dt.timedelta(days=7)
        if self.reply_by < self.as_of:
            raise ValueError(f"reply_by {self.reply_by} is before as_of {self.as_of}")
        missing = [k for k in COUNT_KEYS if k not in self.counts]
        unknown = [k for k in self.counts if k not in COUNT_KEYS]
        if missing or unknown:
            raise ValueError(f"Notice.counts: missing keys {missing}, unknown keys {unknown}")
        for k, v in self.counts.items():
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise ValueError(f"Notice.counts[{k!r}] = {v!r} is not a count")
        if self.number and not re.fullmatch(r"\d+", self.number.strip()):
            raise ValueError(
                f"Notice.number {self.number!r}: give only the number; the symbol goes in 'symbol'"
            )
        # A unit must never receive another unit's findings; findings with no unit go to the
        # plan's monitoring unit (Plan.monitor), so those are accepted in its notice.
        me = _nfc(self.unit)
        for f in self.findings:
            theirs = _nfc(f.unit)
            if theirs != me and not (theirs == "" and me == _nfc(self.plan.monitor)):
                raise ValueError(
                    f"finding {f.rule} on {f.subject} is for unit {f.unit!r}, not {self.unit!r}"
                )

    @property
    def number_line(self) -> str:
        """ "Số: 05/UBND-VP", or "Số:      /UBND-VP" with the number left for the clerk."""
        n = self.number.strip()
        if n:
            n = f"{int(n):02d}"  # ND30: numbers under 10 take a leading zero
        else:
            n = "\u00a0" * 6  # non-breaking, so the blank survives HTML and print
        return f"Số: {n}/{self.symbol}"

    @property
    def slug(self) -> str:
        """The file name stem: "97-KH-UBND__phong-kinh-te"."""
        plan = self.plan
        if plan.number and not plan.number.startswith("/"):
            plan_part = formats.ascii_slug(plan.number, lower=False)
        else:  # a draft has no number: issuer, year and the start of the title stay stable
            words = " ".join(plan.title.split()[:6])
            plan_part = formats.ascii_slug(f"{plan.issuer} {plan.year} {words}")
        return f"{plan_part}__{formats.ascii_slug(self.unit)}"


# --- rows the template lays out -------------------------------------------------------------


@dataclass(frozen=True)
class TaskRow:
    number: str
    section: str
    title: str
    period: str  # occurrence period as read ("Quý III/2026"), "" for a task
    deadline: str  # the original phrase
    due: dt.date | None
    checkpoint: dt.date | None
    days: float | None  # days overdue, or days left for a task due soon
    status: str
    status_label: str
    done_on: dt.date | None
    reported_on: dt.date | None
    severity: str
    findings: list[Finding]


@dataclass(frozen=True)
class TargetRow:
    id: str
    text: str
    metric: str
    scope: str
    period: str
    sign: str  # "≥"
    value: float | None
    measure: str
    is_reduction: bool
    baseline_year: int | None
    actual: float | None
    numerator: float | None
    denominator: float | None
    measured_on: dt.date | None
    difference: float | None  # actual - value
    difference_measure: str  # "điểm %" for a percentage: the gap is in points, not percent
    findings: list[Finding]


@dataclass(frozen=True)
class ReductionItem:
    label: str  # "Thời gian giải quyết"
    target: float | None  # percent to cut
    achieved: float | None  # percent cut
    baseline: float | None
    current: float | None
    measure: str  # "ngày", "đồng", "thành phần"


@dataclass(frozen=True)
class ReductionRow:
    code: str
    name: str
    baseline_year: int | None
    items: list[ReductionItem]
    findings: list[Finding]


@dataclass(frozen=True)
class NoteRow:
    """A finding shown as a line of text: missing data, or a violation no table fits."""

    what: str  # "Nhiệm vụ", "Chỉ tiêu"...
    label: str
    fields: list[str]  # Vietnamese meanings of the missing fields
    rule_title: str
    message: str
    finding: Finding


@dataclass
class Sections:
    overdue: list[TaskRow] = field(default_factory=list)
    due_soon: list[TaskRow] = field(default_factory=list)
    targets: list[TargetRow] = field(default_factory=list)
    reductions: list[ReductionRow] = field(default_factory=list)
    other: list[NoteRow] = field(default_factory=list)
    missing: list[NoteRow] = field(default_factory=list)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


def _num(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    raise ValueError(f"{value!r} is not a number")


def _most_severe(findings: list[Finding]) -> str:
    return max((f.severity for f in findings), key=lambda s: SEVERITY_ORDER.get(s, 0))


def _task_row(findings: list[Finding], days_key: str) -> TaskRow:
    f = findings[0]
    fact = f.fact
    status = str(fact.get("status") or "")
    return TaskRow(
        number=str(fact.get("task") or ""),
        section=str(fact.get("section") or ""),
        title=str(fact.get("title") or f.subject_title or f.subject),
        period=formats.period_label(str(fact.get("period") or "")),
        deadline=str(fact.get("deadline") or ""),
        due=formats.as_date(fact.get("due"), "due"),
        checkpoint=formats.as_date(fact.get("checkpoint"), "checkpoint"),
        days=_num(fact.get(days_key)),
        status=status,
        status_label=STATUS_LABELS.get(status, status[:1].upper() + status[1:]),
        done_on=formats.as_date(fact.get("done_on"), "done_on"),
        reported_on=formats.as_date(fact.get("reported_on"), "reported_on"),
        severity=_most_severe(findings),
        findings=findings,
    )


def _target_row(findings: list[Finding]) -> TargetRow:
    f = findings[0]
    fact = f.fact
    value, actual = _num(fact.get("value")), _num(fact.get("actual"))
    measure = str(fact.get("measure") or "")
    baseline_year = fact.get("baseline_year")
    return TargetRow(
        id=str(fact.get("target") or f.subject),
        text=str(fact.get("text") or f.subject_title or fact.get("metric") or f.subject),
        metric=str(fact.get("metric") or ""),
        scope=str(fact.get("scope") or ""),
        period=formats.period_label(str(fact.get("period") or "")),
        sign=COMPARISON_SIGNS.get(str(fact.get("comparison") or ""), str(fact.get("comparison") or "")),
        value=value,
        measure=measure,
        is_reduction=bool(fact.get("is_reduction")),
        baseline_year=int(baseline_year) if baseline_year is not None else None,
        actual=actual,
        numerator=_num(fact.get("numerator")),
        denominator=_num(fact.get("denominator")),
        measured_on=formats.as_date(fact.get("measured_on"), "measured_on"),
        difference=None if value is None or actual is None else round(actual - value, 6),
        difference_measure="điểm %" if measure == "%" else measure,
        findings=findings,
    )


def _reduction_dims(f: Finding) -> list[str]:
    """Which of the three reductions a procedure finding is about: the fields its rule read,
    else every reduction the fact shows as short of its target."""
    read = [
        d
        for d, (_, _, raw) in REDUCTIONS.items()
        if {f"{d}_reduction", f"{d}_target", f"current_{raw}", f"baseline_{raw}"} & set(f.values)
    ]
    if read:
        return read
    short = []
    for d in REDUCTIONS:
        got, want = _num(f.fact.get(f"{d}_reduction")), _num(f.fact.get(f"{d}_target"))
        if want is not None and (got is None or got < want):
            short.append(d)
    return short


def _reduction_row(findings: list[Finding]) -> ReductionRow:
    fact = findings[0].fact
    dims = {d for f in findings for d in _reduction_dims(f)}
    items = []
    for d, (label, measure, raw) in REDUCTIONS.items():
        if d in dims:
            items.append(
                ReductionItem(
                    label=label,
                    target=_num(fact.get(f"{d}_target")),
                    achieved=_num(fact.get(f"{d}_reduction")),
                    baseline=_num(fact.get(f"baseline_{raw}")),
                    current=_num(fact.get(f"current_{raw}")),
                    measure=measure,
                )
            )
    baseline_year = fact.get("baseline_year")
    return ReductionRow(
        code=str(fact.get("code") or ""),
        name=str(fact.get("name") or findings[0].subject_title or findings[0].subject),
        baseline_year=int(baseline_year) if baseline_year is not None else None,
        items=items,
        findings=findings,
    )


def _lower_first(text: str) -> str:
    """ "Ngày đo" -> "ngày đo" inside a sentence; acronyms ("DDCI", "TTHC") are left alone."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[0].isupper() and first[1:].islower():
        return text[0].lower() + text[1:]
    return text


def _subject_label(f: Finding) -> str:
    """ "nhiệm vụ số 13 “...”", "chỉ tiêu “...”", "thủ tục 1.001612 “...”", for a line of text."""
    fact = f.fact
    if f.fact_kind in ("task", "occurrence"):
        title = str(fact.get("title") or f.subject_title or f.subject)
        number = str(fact.get("task") or "")
        label = f"Nhiệm vụ số {number} “{title}”" if number else f"Nhiệm vụ “{title}”"
        period = formats.period_label(str(fact.get("period") or ""))
        return f"{label}, kỳ {period}" if period else label
    if f.fact_kind == "target":
        text = fact.get("text") or f.subject_title or fact.get("metric") or f.subject
        return f"Chỉ tiêu “{text}”"
    code, name = str(fact.get("code") or ""), str(fact.get("name") or f.subject_title or f.subject)
    return f"Thủ tục {code} “{name}”" if code else f"Thủ tục “{name}”"


def _note_row(f: Finding) -> NoteRow:
    specs = KINDS.get(f.fact_kind, {})
    fields = [_lower_first(specs[name].meaning) if name in specs else name for name in f.missing]
    return NoteRow(
        what=FACT_LABELS[f.fact_kind],
        label=_subject_label(f),
        fields=fields,
        rule_title=f.title,
        message=f.message,
        finding=f,
    )


def classify(findings: list[Finding]) -> Sections:
    """Put each finding in exactly one section of the notice.

    Findings on the same subject (several rules firing on one overdue task) become one row,
    so a task is never listed twice in a table.
    """
    buckets: dict[str, dict[tuple[str, str], list[Finding]]] = {
        "overdue": {}, "due_soon": {}, "targets": {}, "reductions": {}
    }
    sections = Sections()
    for f in sorted(findings, key=Finding.sort_key):
        key = (f.fact_kind, f.subject)
        if f.kind == "thieu-du-lieu":
            sections.missing.append(_note_row(f))
            continue
        if f.fact_kind in ("task", "occurrence"):
            overdue, left = _num(f.fact.get("days_overdue")), _num(f.fact.get("days_left"))
            if overdue is not None and overdue > 0:
                buckets["overdue"].setdefault(key, []).append(f)
            elif left is not None and left >= 0:
                buckets["due_soon"].setdefault(key, []).append(f)
            else:  # e.g. a continuous task with no progress reported: no deadline to count
                sections.other.append(_note_row(f))
        elif f.fact_kind == "target":
            buckets["targets"].setdefault(key, []).append(f)
        elif f.fact_kind == "procedure" and _reduction_dims(f):
            buckets["reductions"].setdefault((f.fact_kind, str(f.fact.get("code") or f.subject)), []).append(f)
        else:
            sections.other.append(_note_row(f))
    # A task both overdue and "due soon" (two rules, two views) is overdue: list it once.
    for key in list(buckets["due_soon"]):
        if key in buckets["overdue"]:
            buckets["overdue"][key].extend(buckets["due_soon"].pop(key))

    def task_order(row: TaskRow) -> tuple:
        return (formats.natural_key(row.number), row.due or dt.date.max, row.title)

    sections.overdue = sorted((_task_row(v, "days_overdue") for v in buckets["overdue"].values()), key=task_order)
    sections.due_soon = sorted((_task_row(v, "days_left") for v in buckets["due_soon"].values()), key=task_order)
    sections.targets = sorted(
        (_target_row(v) for v in buckets["targets"].values()), key=lambda r: formats.natural_key(r.id)
    )
    sections.reductions = sorted(
        (_reduction_row(v) for v in buckets["reductions"].values()), key=lambda r: formats.natural_key(r.code)
    )
    return sections


# --- the document's fixed parts -------------------------------------------------------------

_UBND = re.compile(r"^(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+(.+)$", re.IGNORECASE)
_LEVELS = ("thị trấn", "đặc khu", "phường", "xã", "huyện", "quận", "thị xã", "thành phố", "tỉnh")


def issuer_parts(issuer: str) -> tuple[list[str], str, str]:
    """From "UBND xã Gia Lộc": header lines ["ỦY BAN NHÂN DÂN", "XÃ GIA LỘC"], the full name
    for running text "Ủy ban nhân dân xã Gia Lộc", and its level "xã" ("Ủy ban nhân dân xã")."""
    issuer = " ".join(_nfc(issuer).split())
    m = _UBND.match(issuer)
    if not m:
        return [issuer.upper()], issuer, ""
    rest = m[1]
    level = next((lv for lv in sorted(_LEVELS, key=len, reverse=True) if rest.lower().startswith(lv + " ")), "")
    return ["ỦY BAN NHÂN DÂN", rest.upper()], f"Ủy ban nhân dân {rest}", level


def plan_reference(plan: Plan) -> str:
    """How a document cites the plan: "Kế hoạch số 97/KH-UBND ngày 23/3/2026" (a draft: "Kế hoạch năm 2026")."""
    has_number = bool(plan.number) and not plan.number.startswith("/")
    ref = "Kế hoạch" + (f" số {plan.number}" if has_number else "")
    if plan.issued:
        ref += f" ngày {formats.vn_dmy(plan.issued)}"
    elif not has_number:
        ref += f" năm {plan.year}"
    return ref


def _subject_phrase(title: str) -> str:
    """The plan's title after "về": "Thực hiện ..." -> "thực hiện ..."."""
    return _lower_first(" ".join(_nfc(title).split()))


def _context(notice: Notice) -> dict[str, Any]:
    plan = notice.plan
    header, issuer_full, level = issuer_parts(plan.issuer)
    committee = f"Ủy ban nhân dân {level}" if level else issuer_full
    plan_ref = plan_reference(plan)
    signer = notice.signer or plan.signer
    drafter = notice.symbol.split("-", 1)[1] if "-" in notice.symbol else ""
    monitor = _nfc(plan.monitor)
    return {
        "notice": notice,
        "plan": plan,
        "unit": _nfc(notice.unit),
        "as_of": notice.as_of,
        "reply_by": notice.reply_by,
        "counts": notice.counts,
        "number_line": notice.number_line,
        "superior": _nfc(plan.superior).upper(),
        "issuer_lines": header,
        "issuer_full": issuer_full,
        "committee": committee,  # "Ủy ban nhân dân xã", as the body names the issuer
        "level": level,
        "plan_ref": plan_ref,
        "plan_subject": _subject_phrase(plan.title),
        "monitor": monitor if monitor and monitor != _nfc(notice.unit) else "",
        "signer": signer,
        "signer_authority": [line.strip() for line in signer.authority.splitlines() if line.strip()],
        "archive": "Lưu: VT" + (f", {drafter}." if drafter else "."),
        "sections": classify(notice.findings),
    }


# --- environment, rendering, writing --------------------------------------------------------


@functools.lru_cache(maxsize=8)
@functools.lru_cache(maxsize=8)
def _environment(template_dir: str | None) -> jinja2.Environment:
    # One environment per folder, so each template is compiled once per run, not per notice.
    package = jinja2.FileSystemLoader(str(PACKAGE_DIR))
    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        loaders.append(jinja2.FileSystemLoader(template_dir))
    loaders += [jinja2.PrefixLoader({DEFAULT_PREFIX: package}), package]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "htm", "xml", "html.j2"), default_for_string=True, default=True
        ),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        vn_number=formats.vn_number,
        vn_signed=formats.vn_signed,
        vn_count=formats.vn_count,
        vn_measure=formats.vn_measure,
        dmy=formats.dmy,
        vn_dmy=formats.vn_dmy,
        vn_date_words=formats.vn_date_words,
    )
    return env


def make_environment(template_dir: Path | str | None = None) -> jinja2.Environment:
    """The jinja2 environment: a commune's folder first (if given), then the package's templates."""
    if template_dir is None:
        return _environment(None)
    folder = Path(template_dir).resolve()
    if not folder.is_dir():
        raise NoticeTemplateError("template folder does not exist", str(folder))
    if not (folder / NOTICE_TEMPLATE).is_file():
        raise NoticeTemplateError(
            f"override template not found (the folder must hold {NOTICE_TEMPLATE})",
            str(folder / NOTICE_TEMPLATE),
        )
    return _environment(str(folder))


def _template_frame(exc: BaseException) -> tuple[str, int] | None:
    """The innermost template line in a traceback: jinja2 rewrites its frames to point there."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        name = frame.filename
        if not name.endswith(".py") and not name.startswith("<frozen"):
            return name, frame.lineno or 0
    return None


def render_notice(notice: Notice, template_dir: Path | str | None = None) -> str:
    """The notice as a complete HTML document. Template problems raise NoticeTemplateError."""
    env = make_environment(template_dir)
    who = f" (notice for {notice.unit}, plan {notice.plan.number or notice.plan.title})"
    try:
        html = env.get_template(NOTICE_TEMPLATE).render(_context(notice))
    except jinja2.TemplateSyntaxError as e:
        raise NoticeTemplateError((e.message or str(e)) + who, e.filename or e.name, e.lineno) from e
    except Exception as e:  # undefined variables and errors inside filters: say where
        where = _template_frame(e)
        if where is None:
            raise
        if isinstance(e, jinja2.TemplateNotFound):
            message = f"template {e.name!r} not found"
        else:
            message = str(e)
        raise NoticeTemplateError(message + who, *where) from e
    # Text may arrive in NFD; print one form so fonts place the marks and search finds words.
    return unicodedata.normalize("NFC", html)


def write_notices(
    notices: list[Notice], out_dir: Path | str, template_dir: Path | str | None = None
) -> list[Path]:
    """Write one HTML file per notice into out_dir, all or nothing (store/writer.py).

    Everything is rendered before the disk is touched; the folder is then swapped in
    whole (yesterday's notices for units no longer late must not linger). A folder
    dondoc did not write is never replaced.
    """
    out_dir = Path(out_dir)
    rendered: dict[str, str] = {}
    for notice in notices:
        name = notice.slug + ".html"
        if name in rendered:
            raise ValueError(f"two notices would be written to {name}: one notice per plan and unit")
        rendered[name] = render_notice(notice, template_dir)
    with replace_folder(out_dir) as staging:
        for name, html in rendered.items():
            staging.write_text(name, html)
    return [out_dir / name for name in rendered]
