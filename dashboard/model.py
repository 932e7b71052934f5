"""What the dashboard shows, worked out from the store's overview (store/overview.py): plans
grouped by commune and province, the province's indicators per commune with their rank,
trend and outliers. Nothing here decides policy: a finding is what a rule found, an overdue
task is a subject a rule of the letters' section "qua-han" found, a target's category and a
cut of "03 giảm" are the plan's own (facts/kinds.py).

The province's indicators (``INDICATORS``), per commune, from its plan checked last:

- a target category (online filing, payment, satisfaction, digitised): the measured value of
  the plan's first target of that category (in the plan's order) that has one, with the level
  it requires;
- overdue tasks: the subjects (tasks, periods of recurring tasks) a "qua-han" rule found on
  the plan's latest night;
- a cut of "03 giảm": the mean cut (%) over the plan's procedures with both figures.

Rank: 1 is the best (higher is better, but for overdue tasks), equal values share a rank.
Trend: the value on the latest night minus the value on the first night of the trend window
(``WINDOW_DAYS`` before the latest), when both are known. Outliers (Tukey's fences): a value
below Q1 − 1.5·IQR or above Q3 + 1.5·IQR of the province's communes, when at least
``MIN_FOR_OUTLIERS`` have a value.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

from dondoc.engine.findings import SEVERITY_ORDER, natural
from dondoc.engine.rulebook import Book
from dondoc.facts.deadline import KIND_WORDS
from dondoc.facts.kinds import KINDS, REDUCTIONS, TARGET_CATEGORIES
from dondoc.store import measures as M
from dondoc.store.overview import PlanOverview
from dondoc.templates import formats
from dondoc.templates.render import issuer_parts
from dondoc.templates.sections import SECTIONS
from dondoc.templates.summary import REQUIREMENT_WORDS
from dondoc.text import ascii_slug, one_line

WINDOW_DAYS = 30
MIN_FOR_OUTLIERS = 4
FENCE = 1.5
OVERDUE_SECTION = "qua-han"
SEVERITIES = sorted(SEVERITY_ORDER, key=SEVERITY_ORDER.get, reverse=True)  # the worst first
UNKNOWN_PROVINCE = "Chưa rõ tỉnh, thành phố"
TARGET_LABELS = {slug: c.label for slug, c in TARGET_CATEGORIES.items()}


@dataclass(frozen=True)
class Indicator:
    key: str  # a column of the export and an anchor: the category's slug, "qua-han", "cat-giam-time"
    label: str
    measure: str  # what its values are in
    better: int  # +1: higher is better; -1: lower is better
    kind: str  # "target", "overdue", "reduction"
    source: str  # the category's slug, the section, the cut's key


def _category(slug: str) -> Indicator:
    return Indicator(slug, TARGET_CATEGORIES[slug].label, "%", +1, "target", slug)


def _cut(key: str) -> Indicator:
    return Indicator(f"cat-giam-{key}", f"03 giảm: {REDUCTIONS[key].label.lower()}", "%", +1, "reduction", key)


INDICATORS: tuple[Indicator, ...] = (
    _category("nop-ho-so-truc-tuyen"),
    _category("thanh-toan-truc-tuyen"),
    _category("hai-long-tthc"),
    _category("so-hoa-ho-so"),
    Indicator(OVERDUE_SECTION, SECTIONS[OVERDUE_SECTION].heading, "nội dung", -1, "overdue", OVERDUE_SECTION),
    *(_cut(k) for k in REDUCTIONS),
)


# -- names ------------------------------------------------------------------------------------------

def place_name(authority: str) -> str:
    """ "UBND TỈNH HÀ TĨNH" -> "Tỉnh Hà Tĩnh"; "UBND xã Gia Lộc" -> "Xã Gia Lộc" (the authority's
    words read as the letters read them: templates/render.py ``issuer_parts``)."""
    name = issuer_parts(one_line(authority))[1].removeprefix("Ủy ban nhân dân ")
    if not name:
        return ""
    if name.isupper():  # a header in capitals: the kind in lower case, the name capitalised
        words = name.lower().split()
        kind = 2 if words[:2] == ["thành", "phố"] else 1 if words[0] in ("tỉnh", "xã", "phường", "đặc") else 0
        name = " ".join(words[:kind] + [w[:1].upper() + w[1:] for w in words[kind:]])
    return name[:1].upper() + name[1:]


def subject_label(subject: str, targets: Mapping[str, M.TargetMeasure], procedures: Mapping[str, M.ProcedureMeasure]) -> str:
    """A stored subject as staff read it: "Nhiệm vụ số 13", "Nhiệm vụ số 7, kỳ quý III/2026",
    "Chỉ tiêu CT01 “...”", "Thủ tục 1.001612 “...”"."""
    kind, _, rest = subject.partition(":")
    if kind == "task":
        return f"Nhiệm vụ số {rest}"
    if kind == "occurrence":
        task, _, period = rest.partition("@")
        return f"Nhiệm vụ số {task}, kỳ {formats.period_label(period)}" if period else f"Nhiệm vụ số {task}"
    if kind == "target":
        text = targets[subject].text if subject in targets else ""
        return f"Chỉ tiêu {rest} “{text.rstrip('. ')}”" if text else f"Chỉ tiêu {rest}"
    if kind == "procedure":
        name = procedures[subject].name if subject in procedures else ""
        return f"Thủ tục {rest} “{name}”" if name else f"Thủ tục {rest}"
    return subject


# -- rules ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleInfo:
    id: str
    title: str
    section: str  # where its findings go in the letter
    severities: frozenset[str] = frozenset()  # those its condition gives (its severity and escalations)
    missing_severity: str = ""  # that of its missing-data findings
    missing_section: str = ""  # and where they go

    def section_of(self, severity: str) -> str:
        """The letter's section of one finding of this rule, as the night files it: a finding at
        the missing-data severity (and at none the condition gives) is a missing-data one; the
        store keeps the severity, not the kind."""
        missing = severity == self.missing_severity and severity not in self.severities
        return self.missing_section if missing and self.missing_section else self.section


def rule_infos(book: Book) -> dict[str, RuleInfo]:
    """Each rule id's title and letter sections (its latest version); a rule the book does not
    have (an office's own, not given with --rules) is shown by its id."""
    found = {}
    for rule in book.rules:
        found[rule.id] = RuleInfo(rule.id, rule.title, rule.notice.section, frozenset({rule.severity, *(s for _, s in rule.escalate)}),
                                  rule.missing_severity, rule.missing_notice.section)
    return found


# -- the plans --------------------------------------------------------------------------------------------


@dataclass
class PlanView:
    overview: PlanOverview
    measures: M.Measures
    slug: str  # its page: ke-hoach/<slug>.html
    commune: str  # "Xã Gia Lộc"
    province: str  # "Thành phố Hải Phòng"
    title: str
    number: str
    year: int | None
    values: dict[str, float | None] = field(default_factory=dict)  # indicator key -> value on the latest night
    required: dict[str, float | None] = field(default_factory=dict)  # indicator key -> level required (targets)
    earlier: dict[str, float | None] = field(default_factory=dict)  # indicator key -> value on the window's first night

    @property
    def key(self) -> str:
        return self.overview.plan_key

    @property
    def latest(self) -> dt.date:
        return self.overview.latest


def indicator_value(ind: Indicator, measures: M.Measures, subjects: Mapping[str, Mapping[str, int]],
                    rules: Mapping[str, RuleInfo]) -> tuple[float | None, float | None]:
    """(value, level required) of one indicator for one plan's night."""
    if ind.kind == "target":
        for subject in sorted(measures.targets, key=natural):
            t = measures.targets[subject]
            if t.category == ind.source and t.actual is not None:
                return t.actual, t.value
        return None, None
    if ind.kind == "overdue":
        # the subjects the section's rules found, not their missing-data findings (a task whose deadline
        # cannot be read is not an overdue one)
        return float(sum(n for rule, by in subjects.items() if rule in rules
                         for severity, n in by.items() if rules[rule].section_of(severity) == ind.source)), None
    cuts = [p.cuts[ind.source][2] for p in measures.procedures.values() if ind.source in p.cuts and p.cuts[ind.source][2] is not None]
    return (round(statistics.fmean(cuts), 2), None) if cuts else (None, None)


def plan_views(overviews: Iterable[PlanOverview], rules: Mapping[str, RuleInfo]) -> list[PlanView]:
    views, slugs = [], set()
    for o in overviews:
        measures = M.read(o.measures)
        about = measures.about
        slug = ascii_slug(o.plan_key) or "ke-hoach"
        while slug in slugs:  # two keys one slug apart: never one page for two plans
            slug += "-1"
        slugs.add(slug)
        view = PlanView(
            o, measures, slug,
            commune=place_name(about.issuer) if about and about.issuer else o.plan_key,
            province=place_name(about.superior) if about and about.superior else UNKNOWN_PROVINCE,
            title=about.title if about else "", number=about.number if about else "", year=about.year if about else None,
        )
        earlier = M.read(o.window[1]) if o.window else None
        for ind in INDICATORS:
            view.values[ind.key], view.required[ind.key] = indicator_value(ind, measures, o.subjects.get(o.latest, {}), rules)
            if o.window is not None and earlier is not None:
                view.earlier[ind.key] = indicator_value(ind, earlier, o.subjects.get(o.window[0], {}), rules)[0]
        views.append(view)
    return views


# -- the province side by side ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    plan: PlanView
    value: float
    required: float | None
    rank: int
    trend: float | None
    outlier: str  # "", "thấp", "cao"


@dataclass(frozen=True)
class Ranking:
    indicator: Indicator
    rows: tuple[Ranked, ...]  # the best first
    missing: tuple[PlanView, ...]  # communes with no value
    fences: tuple[float, float] | None  # (low, high) when there are enough values
    median: float | None


def fences(values: Sequence[float]) -> tuple[float, float] | None:
    """Tukey's fences: (Q1 − 1.5·IQR, Q3 + 1.5·IQR), quartiles by linear interpolation."""
    if len(values) < MIN_FOR_OUTLIERS:
        return None
    q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    spread = q3 - q1
    return q1 - FENCE * spread, q3 + FENCE * spread


def rank(ind: Indicator, plans: Sequence[PlanView]) -> Ranking:
    have = [p for p in plans if p.values.get(ind.key) is not None]
    have.sort(key=lambda p: (-ind.better * p.values[ind.key], p.commune, p.key))
    bounds = fences([p.values[ind.key] for p in have])
    rows, place, last = [], 0, None
    for i, p in enumerate(have, start=1):
        value = p.values[ind.key]
        if value != last:
            place, last = i, value
        before = p.earlier.get(ind.key)
        outlier = ""
        if bounds is not None:
            outlier = "thấp" if value < bounds[0] else "cao" if value > bounds[1] else ""
        rows.append(Ranked(p, value, p.required.get(ind.key), place, round(value - before, 2) if before is not None else None, outlier))
    median = statistics.median([r.value for r in rows]) if rows else None
    return Ranking(ind, tuple(rows), tuple(p for p in plans if p.values.get(ind.key) is None), bounds, median)


@dataclass
class Commune:
    name: str
    province: str
    slug: str
    plans: list[PlanView]

    @property
    def current(self) -> PlanView:
        """The plan the province's table reads: the one checked last (then the later year)."""
        return max(self.plans, key=lambda p: (p.latest, p.year or 0, p.key))


@dataclass
class Province:
    name: str
    slug: str
    communes: list[Commune]

    def rankings(self) -> list[Ranking]:
        current = [c.current for c in self.communes]
        return [rank(ind, current) for ind in INDICATORS]


def provinces(plans: Sequence[PlanView]) -> list[Province]:
    grouped: dict[str, dict[str, list[PlanView]]] = defaultdict(lambda: defaultdict(list))
    for p in plans:
        grouped[p.province][p.commune].append(p)
    out, used = [], set()
    for name in sorted(grouped, key=lambda n: (n == UNKNOWN_PROVINCE, ascii_slug(n), n)):
        slug = ascii_slug(name) or "tinh"
        while slug in used:
            slug += "-1"
        used.add(slug)
        communes, taken = [], set()
        for commune in sorted(grouped[name], key=lambda n: (ascii_slug(n), n)):
            cslug = ascii_slug(commune) or "xa"
            while cslug in taken:
                cslug += "-1"
            taken.add(cslug)
            communes.append(Commune(commune, name, cslug, sorted(grouped[name][commune], key=lambda p: (-(p.year or 0), p.key))))
        out.append(Province(name, slug, communes))
    return out


# -- a plan's page -------------------------------------------------------------------------------------------


def worst(counts: Mapping[str, int]) -> str | None:
    return next((s for s in SEVERITIES if counts.get(s)), None)


def days_between(later: dt.date, earlier: dt.date) -> int:
    return (later - earlier).days


# A coded text value as staff say it: "thường xuyên", not "continuous"; "tối thiểu", not ">=".
VALUE_WORDS: dict[str, dict[str, str]] = {
    "deadline_kind": {kind.value: words for kind, words in KIND_WORDS.items()},
    "comparison": {sign: words.lower() for sign, words in REQUIREMENT_WORDS.items()},
}


def plain_values(values: Any, subject: str = "") -> str:
    """What a rule measured, as a short line, each field by the name staff give it
    (facts/kinds.py): "số ngày quá hạn: 12; tình trạng: chưa báo cáo"."""
    if not isinstance(values, Mapping):
        return "" if values is None else str(values)
    fields = KINDS.get(subject.partition(":")[0], {})
    parts = []
    for name, value in values.items():
        value = VALUE_WORDS.get(name, {}).get(value, value) if isinstance(value, str) else value
        spec = fields.get(name)
        label = spec.vi[0] if spec is not None and spec.vi else spec.meaning.split(" (")[0].lower() if spec is not None else name
        if isinstance(value, bool):
            text = "có" if value else "không"
        elif isinstance(value, (int, float)):
            text = formats.vn_number(value)
        elif isinstance(value, (list, tuple)):
            text = ", ".join(str(v) for v in value)
        else:
            text = formats.dmy(value) if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else str(value)
        parts.append(f"{label}: {text}")
    return "; ".join(parts)


def by_key(items: Iterable[Any], key: Callable[[Any], str]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        found[key(item)].append(item)
    return found
