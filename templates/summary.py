"""The Báo cáo tổng hợp for the Chairman: one per plan per run, in HTML, Word and PDF.

Its content comes from findings (what the rules decided) and from the plan's
own data (who leads what, what each target requires and what was measured);
nothing here decides whether a task is late or a target missed. The counts per
section are the letters' own (the notices' routing and sections), so a unit reads
the same figures in its letter and in the report.

Layout (Nghị định 30/2020/NĐ-CP, Phụ lục I, a report by the monitoring unit):
header ("DỰ THẢO" when the plan is one), "BÁO CÁO" and its subject, "Kính gửi: Chủ
tịch Ủy ban nhân dân ...", I. the units' table and chart, II. the late items at every
severity and the nghiêm trọng ones (the worst first, a few by name, the rest counted),
III. the targets' table and chart, IV. the targets at risk by the period's end (the
letters' section "nguy-co"), then "Nơi nhận" and the signer. See docs/notices.md.

Honest by construction: a target reads "Đạt" only when a rule in force checked it and
found nothing (``checked``: engine/explain.py ``checked_by``); where a rule that checks it
did not run, "Không kiểm tra được" names the rule; where none checks it, the report says so.
A draft plan's letters are drafts: the report says they cannot be sent yet.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from dondoc.engine.findings import SEVERITY_ORDER, Finding, natural
from dondoc.facts.derive import target_facts
from dondoc.facts.kinds import reduction_of
from dondoc.facts.models import PlanFolder
from dondoc.facts.projection import MIN_POINTS
from dondoc.facts.settings import DEFAULTS, Settings
from dondoc.text import ascii_slug, one_line, unit_key, without_locality
from dondoc.templates import formats
from dondoc.templates.render import Notice, citation, issuer_parts, make_environment
from dondoc.templates.sections import (
    SECTIONS,
    WARNING_SECTION,
    PlanIndex,
    ProjectionRow,
    Row,
    TaskRow as LetterTaskRow,
    gap_words,
    item_key,
    row_status,
    said_of,
    subject_label,
)

if TYPE_CHECKING:  # matplotlib is imported only to draw (a run without summaries never does)
    from dondoc.templates import charts

SUMMARY_TEMPLATE = "summary.html.j2"
FOLDER = "summary"

# The notice's sections, in the order a letter prints them, and their line in its summary.
SECTION_LABELS = {section_id: spec.summary for section_id, spec in SECTIONS.items()}
REQUIREMENT_WORDS = {">=": "Tối thiểu", ">": "Trên", "<=": "Tối đa", "<": "Dưới", "==": "Đạt"}
CHART_UNITS = 30  # bars in Biểu đồ 1: the units with the most to do, most severe first
MET = "Đạt"
NO_DATA = "Chưa có số liệu"
UNCHECKED = "Không kiểm tra được"  # a rule that checks the target did not run
NO_RULE = "Không có quy tắc kiểm tra"  # no rule in force checks it: never "Đạt"
LATE = "qua-han"  # the section of late items: named in II at every severity


@dataclass(frozen=True)
class UnitRow:
    unit: str
    classes: dict[str, int]  # rows per notice section of the unit's letter
    severities: dict[str, int]  # the letter's items by the most severe finding on each
    items: int  # the letter's items: the sum of ``classes`` and of ``severities``


@dataclass(frozen=True)
class LateRow:
    """An item of section II: late (at any severity) or rated nghiêm trọng."""

    unit: str
    subject: str
    status: str  # "Quá hạn 53 ngày (hạn 30/09/2025); chưa báo cáo"
    severity: str  # the most severe finding on it
    late: bool = True  # in the letters' "quá hạn" section (else: rated nghiêm trọng elsewhere)


@dataclass(frozen=True)
class WarningRow:
    """A target at risk of being missed by the period's end (section "nguy-co" of the letters)."""

    unit: str
    subject: str  # "Chỉ tiêu “...”"
    now: str  # "95,62% (số liệu ngày 05/11/2026; 07 lần đo trong kỳ)"
    projected: str  # "khoảng 94,5% (đến ngày 31/12/2026; có thể từ 94,1% đến 94,9%)"
    required: str  # "Tối thiểu 95%"


@dataclass(frozen=True)
class TargetRow:
    number: int  # TT in the targets' table, and the panel's number in Biểu đồ 2
    id: str
    text: str
    units: str
    required: str
    actual: str
    measured_on: str
    verdict: str  # "Đạt", "Chưa đạt (thấp hơn 1,4 điểm phần trăm)", "Chưa có số liệu", ...
    kind: str  # "vi-pham", "nguy-co", "thieu-du-lieu", "khong-kiem-tra" or "" (the chart's colour)
    value: float
    actual_value: float | None
    measure: str
    short: str = ""  # a few words for the chart panel


@dataclass(frozen=True)
class LetterLine:
    """One unit's letters as the Chairman reads them (night/plan.py fills it from the store)."""

    units: str  # the addressees
    last: str  # "412/UBND-KT ngày 23/11/2026", "dự thảo lập ngày 22/11/2026, chờ ký", "chưa có"
    reply: str  # "hạn 01/12/2026: đã quá hạn, chưa trả lời", "đã trả lời ngày 30/11/2026"
    tonight: str  # "dự thảo công văn tiếp theo (quá hạn trả lời)", "không gửi lại: chưa đủ 5 ngày làm việc"


@dataclass(frozen=True)
class Follow:
    """What changed since the plan's last night, and each unit's letters: the summary's last
    part when the night keeps a store (night/plan.py fills it). With ``last_checked``,
    ``build_summary`` writes ``since`` and ``resolved`` per item (nội dung), as Bảng 1 counts:
    the items tonight are new, reappeared, raised in severity or still there, and add up to its
    Tổng cộng; an item is put right when nothing of it is left tonight."""

    since: str  # one sentence
    letters: list[LetterLine]
    resolved: list[str] = field(default_factory=list)  # what was put right since the last night
    last_checked: dt.date | None = None  # the plan's last night (None: the first one the store keeps)
    changes: Mapping[tuple[str, str, str], str] = field(default_factory=dict)  # (rule, subject, unit key) -> "mới", "mở lại", "tăng mức", "còn"
    gone: Mapping[str, str] = field(default_factory=dict)  # subject -> its label: last night's findings resolved tonight


# An item's change since the last night, from its findings' (night/cadence.py), and how the summary says it.
ITEM_CHANGES = (("mới", "nội dung mới"), ("mở lại", "nội dung xuất hiện lại"), ("tăng mức", "nội dung tăng mức độ"),
                ("còn", "nội dung vẫn còn"))


@dataclass
class Summary:
    folder: PlanFolder
    as_of: dt.date
    date: dt.date  # the report's date: the check date, or the next working day
    units: list[UnitRow]
    classes: list[str]  # notice sections with at least one row, in the letters' order
    severities: list[str]  # severities shown, least to most severe
    late: list[LateRow]  # the worst ``settings.summary_late`` of the late and the nghiêm trọng items
    targets: list[TargetRow]
    warnings: list[WarningRow]
    totals: dict[str, int]
    leads: dict[str, int] = field(default_factory=dict)  # units, groups, common items the plan assigns
    charts: list[charts.Chart] = field(default_factory=list)
    plan_slug: str = ""  # the plan's one identity (night/plans.py): letters and summary share it
    rest: dict[str, int] = field(default_factory=dict)  # the other items of II, by severity, most severe first
    stopped: dict[str, str] = field(default_factory=dict)  # rules that did not run: id -> title
    late_words: str = "quá hạn"  # what II's items are: "quá hạn", "ở mức nghiêm trọng", or both
    settings: Settings = DEFAULTS
    follow: Follow | None = None  # with a store: what changed, and the letters (the last part)

    @property
    def draft(self) -> bool:
        """The plan has no number or date yet: its letters cannot be sent, nor this report."""
        return self.folder.plan.is_draft

    @property
    def slug(self) -> str:
        return "bao-cao-tong-hop__" + self.plan_slug


def _worst(rows: list[Row]) -> str:
    return max((f.severity for row in rows for f in row.findings), key=SEVERITY_ORDER.__getitem__)


def build_summary(
    folder: PlanFolder,
    findings: list[Finding],
    letters: list[Notice],
    as_of: dt.date,
    settings: Settings,
    plan_slug: str,
    *,
    checked: Mapping[str, tuple[str, ...]],
    stopped: Mapping[str, str] = {},
    written: bool = True,
    follow: Follow | None = None,
) -> Summary:
    """The report's content for one plan: ``findings`` are that plan's findings and ``letters``
    its letters as the night built them (night/letters.py), so each unit reads in the report
    exactly the counts of its letter: the rows are the letters' own sections. ``checked``:
    which rules check each target (engine/explain.py ``checked_by``); ``stopped``: the rules
    of the plan's book that did not run (id -> title); ``written``: False when the letters were
    withheld (a draft plan): ``letters`` are then the ones it would have, counted, not sent."""
    index = PlanIndex.of(folder)
    items: dict[tuple[str, str], list[Row]] = defaultdict(list)  # (section, subject) -> its rows in every letter
    per_letter: dict[str, tuple[str, list]] = {}
    for letter in letters:
        sections = letter.sections
        for name in letter.addressees:  # a letter to several units: each unit's row has its counts
            per_letter[unit_key(name)] = (formats.prose(name), sections)
        for section in sections:
            for row in section.rows:
                items[section.id, row.subject].append(row)
    present = sorted({f.severity for f in findings} | {"nghiêm trọng"}, key=SEVERITY_ORDER.__getitem__)
    rows = []
    for name, sections in per_letter.values():
        severities = Counter(_worst([row]) for section in sections for row in section.rows)
        rows.append(
            UnitRow(
                unit=name,
                classes={c: 0 for c in SECTION_LABELS} | {s.id: len(s.rows) for s in sections},
                severities={s: severities.get(s, 0) for s in present},
                items=sum(len(s.rows) for s in sections),
            )
        )
    # Units the plan makes responsible that no letter was needed for: the Chairman sees them all.
    named = {unit_key(r.unit) for r in rows}
    is_a_group = folder.is_group
    leads = [formats.prose(n) for n in folder.leads()]
    for lead in leads:
        if not is_a_group(lead) and unit_key(lead) not in named:
            named.add(unit_key(lead))
            rows.append(UnitRow(lead, dict.fromkeys(SECTION_LABELS, 0), dict.fromkeys(present, 0), 0))
    # The most severe first: the Chairman reads the top of the table.
    rows.sort(key=lambda r: (*(-r.severities[s] for s in reversed(present)), -r.items, natural(r.unit)))
    classes = [c for c in SECTION_LABELS if any(r.classes[c] for r in rows)]
    # The total row counts each item once, however many letters it reached.
    item_severity = Counter(_worst(found) for found in items.values())
    totals = {
        "plan_tasks": len(folder.tasks),
        "plan_targets": len(folder.targets),
        "letters": len(letters) if written else 0,
        "addressees": len(per_letter) if written else 0,
        "items": len(items),
        **{c: sum(1 for (section, _) in items if section == c) for c in SECTION_LABELS},
        **{s: item_severity.get(s, 0) for s in present},
    }
    late = _late(items, folder, index)
    shown = late[: settings.summary_late]
    rest = Counter(row.severity for row in late[settings.summary_late :])
    kinds = {row.late for row in late}
    summary = Summary(
        folder=folder,
        as_of=as_of,
        date=settings.calendar().on_or_after(as_of),
        units=rows,
        classes=classes,
        severities=present,
        late=shown,
        targets=_targets(folder, findings, as_of, index, checked, stopped),
        warnings=_warnings(items, folder, index),
        totals=totals,
        leads=_lead_counts(leads, is_a_group, index),
        plan_slug=plan_slug,
        rest={s: rest[s] for s in sorted(rest, key=SEVERITY_ORDER.__getitem__, reverse=True)},
        late_words="quá hạn" if kinds == {True} else "ở mức nghiêm trọng" if kinds == {False} else "quá hạn hoặc ở mức nghiêm trọng",
        stopped=dict(stopped),
        settings=settings,
        follow=follow,
    )
    if follow is not None and follow.last_checked is not None:
        summary.follow = _changes_by_item(follow, items)
    from dondoc.templates import charts

    summary.charts = [
        # The units with the most to do: a bar per unit of a plan of 10,000 units took minutes and
        # gigabytes to lay out (a figure 4,200 inches tall) and could not be read; Bảng 1 lists all.
        charts.units_chart([(r.unit, r.severities) for r in rows[:CHART_UNITS]], present, of=len(rows)),
        charts.targets_chart([(t.number, t.short, t.value, t.actual_value, t.measure, t.kind, t.verdict) for t in summary.targets]),
    ]
    return summary


def _item_change(found: Iterable[Finding], changes: Mapping[tuple[str, str, str], str]) -> str:
    """One item's change from its findings': new when all of them are, raised when one is,
    reappeared when all of them are new or reappeared, else still there."""
    seen = {changes.get((f.rule, f.subject, unit_key(f.unit)), "còn") for f in found}
    if seen == {"mới"}:
        return "mới"
    if "tăng mức" in seen:
        return "tăng mức"
    return "mở lại" if seen <= {"mới", "mở lại"} else "còn"


def _changes_by_item(follow: Follow, items: Mapping[tuple[str, str], list[Row]]) -> Follow:
    """The last part's sentence and list per item, the unit of Bảng 1 (its Tổng cộng counts each
    item once), not per finding (one item may hold several rules' findings, for several units):
    "So với lần kiểm tra ngày 23/11/2026: 03 nội dung mới, 15 nội dung vẫn còn (18 nội dung tại
    Bảng 1); 01 nội dung đã được khắc phục." An item is put right only when no finding of its
    subject is left tonight."""
    tally = Counter(_item_change((f for row in rows for f in row.findings), follow.changes) for rows in items.values())
    said = [f"{formats.vn_count(tally[change])} {words}" for change, words in ITEM_CHANGES if tally[change]]
    present = {subject for _, subject in items}
    resolved = list(dict.fromkeys(label for subject, label in follow.gone.items() if subject not in present))
    since = f"So với lần kiểm tra ngày {formats.dmy(follow.last_checked)}: "
    if said:
        since += ", ".join(said) + (f" ({formats.vn_count(len(items))} nội dung tại Bảng 1)" if len(said) > 1 else "")
    if resolved:
        since += ("; " if said else "") + f"{formats.vn_count(len(resolved))} nội dung đã được khắc phục"
    since += "." if said or resolved else "không có thay đổi."
    return dataclasses.replace(follow, since=since, resolved=resolved)


def lead_list(names: Iterable[str]) -> str:
    """Lead units in a table cell: "Các phòng chuyên môn; các cơ quan, đơn vị liên quan" (a
    group takes a small letter after the first)."""
    names = list(dict.fromkeys(formats.prose(n) for n in names))
    return "; ".join(names[:1] + [formats.mid_sentence(n) for n in names[1:]])


def _lead_counts(leads: list[str], is_a_group: Callable[[str], bool], index: PlanIndex) -> dict[str, int]:
    """What the plan assigns: single units, groups of units, and items it gives no lead."""
    groups = [n for n in leads if is_a_group(n)]
    return {"units": len(leads) - len(groups), "groups": len(groups), "common": len(index.common)}


def _item_unit(row: Row, found: list[Finding], monitor: str, index: PlanIndex) -> str:
    """Who leads an item, in the report's tables: every lead the plan gives it, as the letters
    name them (co-leads included), or that the plan gives it none."""
    if row.common:
        return f"Không giao ({monitor} theo dõi)" if monitor else "Không giao"
    return lead_list(index.leads.get(item_key(found[0])) or [f.unit for f in found if f.unit])


def _warnings(items: dict[tuple[str, str], list[Row]], folder: PlanFolder, index: PlanIndex) -> list[WarningRow]:
    """The targets the letters warn about (section "nguy-co"), each once, in the plan's order."""
    monitor = one_line(folder.plan.monitor)
    out = []
    for (section_id, subject), rows in sorted(items.items(), key=lambda kv: natural(kv[0][1])):
        row = rows[0]
        if section_id != WARNING_SECTION or not isinstance(row, ProjectionRow):
            continue
        found = [f for r in rows for f in r.findings]
        now = row.result + (f" ({row.result_note})" if row.result_note else "")
        projected = f"khoảng {row.projected}" + (f" ({row.projection_note})" if row.projection_note else "")
        required = row.required[:1].upper() + row.required[1:]  # a table cell, as in the targets' table
        out.append(WarningRow(unit=_item_unit(row, found, monitor, index), subject=subject_label(found[0]), now=now, projected=projected, required=required))
    return out


def _late(items: dict[tuple[str, str], list[Row]], folder: PlanFolder, index: PlanIndex) -> list[LateRow]:
    """Every late item at whatever severity the rules gave it, and every item rated nghiêm
    trọng, each once, in the letters' words: the most severe first, then the longest
    overdue, then in the plan's order. Nothing is re-derived: "late" is the rules' section."""
    monitor = one_line(folder.plan.monitor)
    sections = list(SECTIONS)
    candidates = []
    for (section_id, subject), rows in items.items():
        found = [f for row in rows for f in row.findings]
        worst = max((f.severity for f in found), key=SEVERITY_ORDER.__getitem__)
        if section_id != LATE and worst != "nghiêm trọng":
            continue
        row = rows[0]
        days = row.days if isinstance(row, LetterTaskRow) and section_id == LATE and row.days is not None else -1
        order = (-SEVERITY_ORDER[worst], -days, sections.index(section_id), natural(subject))
        candidates.append((order, section_id, subject, row, found, worst))
    out, seen = [], set()
    for _, section_id, subject, row, found, worst in sorted(candidates, key=lambda c: c[0]):
        if subject in seen:  # an item in two sections: named once, where it weighs most
            continue
        seen.add(subject)
        unit = _item_unit(row, found, monitor, index)
        worst_finding = next(f for f in found if f.severity == worst)
        out.append(LateRow(unit, subject_label(worst_finding), row_status(section_id, row), worst, section_id == LATE))
    return out


def _dimension(f: Finding) -> str | None:
    """Which cut of "03 giảm" a procedure finding is about (the fields its rule read or missed)."""
    cut = reduction_of(set(f.values) | set(f.missing))
    return cut.key if cut else None


def _targets(
    folder: PlanFolder,
    findings: list[Finding],
    as_of: dt.date,
    index: PlanIndex,
    checked: Mapping[str, tuple[str, ...]],
    stopped: Mapping[str, str],
) -> list[TargetRow]:
    """Every target of the plan, numbered as in the targets' table: what it requires, what was measured,
    and what the rules found (a "03 giảm" target: what they found on its procedures); what
    no rule checked, or a rule that did not run should have, is said so, never "Đạt"."""
    facts: dict[str, dict[str, Any]] = {}
    for fact in target_facts(folder, as_of):
        facts.setdefault(fact.values["target"], fact.values)
    found: dict[str, list[Finding]] = defaultdict(list)
    cuts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # dim -> kind -> codes
    for f in findings:
        if f.fact_kind == "target":
            found[item_key(f)].append(f)
        elif f.fact_kind == "procedure" and (dim := _dimension(f)):
            cuts[dim][f.kind].add(f.fact.get("code") or f.subject)
    monitor = one_line(folder.plan.monitor)
    rows = []
    for number, target in enumerate(folder.targets, 1):
        v = facts[target.id]
        mine = found.get(f"target:{target.id}", [])
        measure = str(v.get("measure") or "")
        required = f"{REQUIREMENT_WORDS.get(v['comparison'], v['comparison'])} {formats.vn_measure(v['value'], measure)}"
        actual = v.get("actual")
        text = one_line(str(v.get("text") or v.get("metric") or target.id)).rstrip(". ")
        text = text[:1].upper() + text[1:]  # a cell begins a line: "Phấn đấu 100% ...", as the plan's sentence would
        short = one_line(str(v.get("metric") or text))
        scope = one_line(str(v.get("scope") or ""))
        if scope and scope.lower() not in short.lower():
            short = f"{short} {scope}"
        if target.lead:
            units = lead_list(target.lead)
        else:
            units = f"Không giao ({monitor} theo dõi)" if monitor else "Không giao"
        result = formats.vn_measure(actual, measure) if actual is not None else NO_DATA
        measured_on = formats.dmy(v.get("measured_on")) if v.get("measured_on") else ""
        checking = checked.get(f"target:{target.id}", ())
        if target.reduction:
            # Measured on its procedures: the findings on them say how it stands, cut by cut.
            text = f"Cắt giảm {formats.prose(target.metric or text)}" + (f" so với năm {target.baseline_year}" if target.baseline_year else "")
            short, measured_on = text, ""
            kind, verdict, result = _reduction_verdict(cuts[target.reduction], v.get("procedures_measured") or 0)
            if mine:
                kind, verdict = _verdict(mine, v)
            elif kind != "vi-pham":
                kind, verdict = _unchecked(checking, stopped) or (kind, verdict)
        else:
            kind, verdict = _verdict(mine, v)
            if not (mine and kind == "vi-pham"):  # a violation found stands; anything else needs a rule that ran
                kind, verdict = _unchecked(checking, stopped) or (kind, verdict)
        rows.append(
            TargetRow(
                number=number,
                id=target.id,
                text=text,
                units=units,
                required=required,
                actual=result,
                measured_on=measured_on,
                verdict=verdict,
                kind=kind,
                value=float(v["value"]),
                actual_value=float(actual) if actual is not None and not target.reduction else None,
                measure=measure,
                short=short[:1].upper() + short[1:],
            )
        )
    return rows


def _verdict(mine: list[Finding], fact: dict[str, Any]) -> tuple[str, str]:
    """What the rules' findings on a target say, as an assessment: (chart colour, words)."""
    measured = fact.get("actual") is not None
    # Data missing beside a result (too few measurements to project) leaves the result as it is.
    if all(f.section == "thieu-so-lieu" or f.kind == "thieu-du-lieu" for f in mine):
        return ("", MET) if measured else ("thieu-du-lieu", NO_DATA)
    violations = [f for f in mine if f.section != "thieu-so-lieu" and f.kind == "vi-pham"]
    if all(f.section == WARNING_SECTION for f in violations) and fact.get("projected") is not None:
        # Met today, at risk by the period's end: a warning, not a failure.
        return WARNING_SECTION, f"Đạt; có nguy cơ không đạt (dự kiến đến hết kỳ khoảng {formats.vn_measure(fact['projected'], str(fact.get('measure') or ''))})"
    gap = gap_words(fact.get("actual"), fact.get("value"), str(fact.get("measure") or ""))
    if violations and all(f.section == "chi-tieu" for f in violations) and gap:
        if fact.get("comparison") in ("<=", "<"):
            return "vi-pham", "Vượt mức tối đa " + gap.removeprefix("vượt ")
        return "vi-pham", f"Chưa đạt ({gap})"
    return "vi-pham", "; ".join(dict.fromkeys(f.title for f in violations or mine))


def _unchecked(checking: tuple[str, ...], stopped: Mapping[str, str]) -> tuple[str, str] | None:
    """A target no rule in force checks, or one a checking rule did not run on: (colour, words)."""
    missed = [rule for rule in checking if rule in stopped]
    if missed:
        return "khong-kiem-tra", f"{UNCHECKED} (quy tắc {', '.join(missed)} không chạy được)"
    if not checking:
        return "khong-kiem-tra", NO_RULE
    return None


def _reduction_verdict(cut: dict[str, set[str]], measured: int) -> tuple[str, str, str]:
    """A "03 giảm" target from its procedures' findings: (colour, assessment, result)."""
    missed, missing = len(cut.get("vi-pham", ())), len(cut.get("thieu-du-lieu", ()))
    if not measured:
        return "thieu-du-lieu", NO_DATA, NO_DATA
    result = f"{formats.vn_count(measured)} thủ tục có số liệu"
    if missing:
        result += f"; {formats.vn_count(missing)} thủ tục chưa có số liệu"
    if missed:
        return "vi-pham", f"Chưa đạt: {formats.vn_count(missed)}/{formats.vn_count(measured)} thủ tục", result
    return "", f"Đạt: {formats.vn_count(measured)}/{formats.vn_count(measured)} thủ tục", result


# -- the fixed parts of the form ------------------------------------------------------------------

_UNIT_TITLES = (
    (re.compile(r"^văn phòng\b"), "CHÁNH VĂN PHÒNG"),
    (re.compile(r"^phòng\b"), "TRƯỞNG PHÒNG"),
    (re.compile(r"^trung tâm\b"), "GIÁM ĐỐC"),
    (re.compile(r"^ban\b"), "TRƯỞNG BAN"),
    (re.compile(r"^công an\b"), "TRƯỞNG CÔNG AN"),
)


def _head_title(unit: str) -> str:
    """The head of the reporting unit, who signs: "TRƯỞNG PHÒNG", "CHÁNH VĂN PHÒNG"..."""
    key = unit.lower()
    return next((title for pattern, title in _UNIT_TITLES if pattern.search(key)), "THỦ TRƯỞNG ĐƠN VỊ")


def unit_symbol(unit: str, drafter: str = "") -> str:
    """A unit's abbreviation, in the report's symbol ("Số: …/BC-KT") and its "Lưu: VT, KT.":
    the letters' drafting unit (settings: ``archive``, else the symbol's part after "-") when
    it abbreviates this unit (its letters are the unit's initials, in order), so the letters
    and the report write one unit one way; else the initials, a phòng named by its field
    ("Phòng Kinh tế xã" -> "KT", "Phòng Văn hóa - Xã hội" -> "VHXH"), the Văn phòng "VP"."""
    words = [w for w in re.split(r"[\s\-–]+", without_locality(unit)) if w and w.lower() not in ("và", "các")]
    letters = [w if w.isupper() and len(w) > 1 else w[0].upper() for w in words]
    initials = ascii_slug("".join(letters), lower=False).replace("-", "")
    wanted = ascii_slug(drafter, lower=False).replace("-", "").upper()
    if wanted and _in_order(wanted, initials.upper()):
        return drafter.strip()
    first = [w.lower() for w in words[:2]]
    if first == ["văn", "phòng"]:
        return "VP"
    if first[:1] == ["phòng"] and len(words) > 1:
        initials = initials[1:]
    return initials or "VP"


def _in_order(short: str, letters: str) -> bool:
    """Every letter of ``short`` found in ``letters``, in order ("VHXH" in "PVHXH")."""
    rest = iter(letters)
    return all(ch in rest for ch in short)


def headline(summary: Summary, monitor: str) -> str:
    """The paragraph above Bảng 1: what the plan assigns, what the check found, who was written to."""
    s, t, leads = summary, summary.totals, summary.leads
    given = [f"{formats.vn_count(leads.get('units', 0))} đơn vị"] if leads.get("units") else []
    if leads.get("groups"):
        given.append(f"{formats.vn_count(leads['groups'])} nhóm đơn vị")
    text = f"Kế hoạch có {formats.vn_count(t['plan_tasks'])} nhiệm vụ"
    if t["plan_targets"]:
        text += f", {formats.vn_count(t['plan_targets'])} chỉ tiêu"
    if given:
        text += f", giao {' và '.join(given)} chủ trì"
    if leads.get("common"):
        text += f"; {formats.vn_count(leads['common'])} nội dung chung không giao đơn vị chủ trì" + (f" do {monitor} theo dõi" if monitor else "")
    text += f". Qua kiểm tra có {formats.vn_count(t['items'])} nội dung cần đôn đốc, khắc phục"
    if t.get("nghiêm trọng"):
        text += f", trong đó {formats.vn_count(t['nghiêm trọng'])} nội dung ở mức nghiêm trọng"
    text += _letters_sentence(summary)
    text += ". Số liệu của từng đơn vị tại Bảng 1 và Biểu đồ 1"
    if sum(r.items for r in s.units) > t["items"]:
        text += " (nội dung gửi nhiều đơn vị được tính ở từng đơn vị, một lần ở dòng Tổng cộng)"
    return text + "."


def _letters_sentence(summary: Summary) -> str:
    """What became of the letters, as it is: a draft plan's letters are drafts (they cannot be
    sent until the plan has its number and date), and withheld ones were not written."""
    t = summary.totals
    letters, units = t["letters"], t.get("addressees", t["letters"])
    counted = f"{formats.vn_count(letters)} công văn đôn đốc gửi {formats.vn_count(units)} đơn vị" if letters != units else (
        f"công văn đôn đốc gửi {formats.vn_count(units)} đơn vị")
    if summary.draft:
        if not letters:
            return "; chưa có công văn đôn đốc: Kế hoạch chưa có số, ngày ban hành" if t["items"] else ""
        return (f"; {counted} mới là dự thảo, chỉ gửi được khi Kế hoạch có số, ngày ban hành")
    if summary.follow is not None:  # the store decided which letters go out tonight: part V says each
        drafted = sum(1 for line in summary.follow.letters if line.tonight.startswith("dự thảo"))
        part = "V" if summary.targets else "IV"
        if not drafted:
            return f"; lần kiểm tra này không lập công văn mới (mục {part})" if letters else ""
        return f"; lần kiểm tra này lập {formats.vn_count(drafted)} dự thảo công văn đôn đốc, chờ ký (mục {part})"
    # Letters are written unnumbered, for the văn thư to number once they are signed.
    return f"; đã lập dự thảo {counted}, chờ ký" if letters else ""


def context(summary: Summary) -> dict[str, Any]:
    from dondoc.templates import charts

    plan = summary.folder.plan
    header, issuer_full, level = issuer_parts(plan.issuer)
    monitor = one_line(plan.monitor) or "Văn phòng HĐND và UBND"
    plan_ref, cited = citation(plan)  # the notices' citation, so letters and report name the plan alike
    abbreviation = unit_symbol(monitor, summary.settings.drafter)
    signer = summary.settings.summary_signer
    captions = numbered_captions(summary)
    return {
        "s": summary,
        "plan": plan,
        "superior": ("UBND " + header[1]) if len(header) > 1 else header[0],  # the commune, over its unit
        "unit_lines": formats.balanced_lines(without_locality(monitor).upper(), 26),
        "headline": headline(summary, one_line(plan.monitor)),
        "number_line": f"Số: {chr(0xA0) * 6}/BC-{abbreviation}",
        "plan_ref": plan_ref,
        "citation": cited,
        "chairman": f"Chủ tịch {issuer_full}",
        "level": level,
        "monitor": monitor,
        "signer_authority": [line.strip() for line in (signer.authority if signer else "").splitlines() if line.strip()],
        "signer_title": one_line(signer.title).upper() if signer and signer.title.strip() else _head_title(monitor),
        "signer_name": one_line(signer.name) if signer else "",
        "archive": f"Lưu: VT, {abbreviation}.",
        "draft": summary.draft,
        "stopped_note": _stopped_note(summary.stopped, captions.get("targets", "")),
        "captions": captions,
        "resolved_lead": said_of("Các nội dung sau đã được khắc phục:", len(summary.follow.resolved)) if summary.follow else "",
        "late_rest": _rest_sentence(summary.rest),
        "late_lead": _late_lead(summary, level),
        "section_labels": SECTION_LABELS,
        "min_points": MIN_POINTS,  # the fewest measurements a projection is drawn through
        "severity_labels": charts.SEVERITY_LABELS,
        "charts": [
            {"title": c.title, "name": c.name, "src": "data:image/svg+xml;base64," + base64.b64encode(c.svg).decode("ascii"), "width_in": c.width_in}
            for c in summary.charts
        ],
    }


def numbered_captions(summary: Summary) -> dict[str, str]:
    """Each table's and chart's caption, numbered in the order the report prints them (the HTML
    and the Word file alike): "Bảng 1. ...", "Biểu đồ 1. ...". Keys: "units", "late", "targets",
    "warnings", "letters" for the tables printed, "chart:<name>" for the charts."""
    tables = [
        ("units", "Nội dung cần đôn đốc của từng đơn vị, theo mục của công văn và theo mức độ"),
        *([("late", f"Nội dung {summary.late_words}")] if summary.late else []),
        *([("targets", "Chỉ tiêu: yêu cầu, kết quả và đánh giá")] if summary.targets else []),
        *([("warnings", "Chỉ tiêu có nguy cơ không đạt đến hết kỳ")] if summary.targets and summary.warnings else []),
        *([("letters", "Công văn đôn đốc của từng đơn vị")] if summary.follow is not None and summary.follow.letters else []),
    ]
    out = {key: f"Bảng {n}. {title}" for n, (key, title) in enumerate(tables, 1)}
    charts = summary.charts[: 2 if summary.targets else 1]  # Biểu đồ 2 is printed with the targets only
    out.update((f"chart:{c.name}", f"Biểu đồ {n}. {c.title}") for n, c in enumerate(charts, 1))
    return out


def _stopped_note(stopped: Mapping[str, str], targets_caption: str = "") -> str:
    """The rules that did not run, named: what they check was not assessed this time; the
    targets' table named by its number (``targets_caption``: "Bảng 3. ...")."""
    if not stopped:
        return ""
    named = formats.enumerate_vn([f"{rule} ({formats.quoted(title)})" if title and title != rule else rule for rule, title in stopped.items()])
    which = "quy tắc" if len(stopped) == 1 else "các quy tắc"
    table = targets_caption.partition(".")[0]
    where = f" ({table} ghi “{UNCHECKED}”)" if table else ""
    return (f"Lưu ý: lần kiểm tra này {which} {named} không chạy được; các nội dung {which} đó kiểm tra chưa được"
            f" đánh giá{where}.")


def _late_lead(summary: Summary, level: str) -> str:
    """The sentence above II's table: how many items, and which of them it names."""
    shown = len(summary.late)
    total = shown + sum(summary.rest.values())
    chairman = "Chủ tịch Ủy ban nhân dân" + (f" {level}" if level else "")
    which = f"; dưới đây là {formats.vn_count(shown)} nội dung nặng nhất" if total > shown else ""
    return f"Có {formats.vn_count(total)} nội dung {summary.late_words}{which}, đề nghị {chairman} xem xét, chỉ đạo:"


def _rest_sentence(rest: Mapping[str, int]) -> str:
    """The items of II not named: how many, by severity; they are in the units' letters."""
    if not rest:
        return ""
    from dondoc.templates import charts

    total = sum(rest.values())
    by = ", ".join(f"{formats.vn_count(n)} ở mức {charts.SEVERITY_LABELS[s].lower()}" for s, n in rest.items())
    return f"Ngoài ra còn {formats.vn_count(total)} nội dung khác ({by}), nêu tại công văn gửi từng đơn vị."


def render_html(summary: Summary, ctx: dict[str, Any] | None = None) -> str:
    """The report as HTML; ``ctx``: its ``context``, when the caller has it already."""
    html = make_environment().get_template(SUMMARY_TEMPLATE).render(ctx or context(summary))
    return unicodedata.normalize("NFC", html)


def render_pdf(html: str) -> bytes:
    """The PDF of the HTML (WeasyPrint). The package's own template, never a commune's, so the
    notices' renderer (templates/pdf.py, which refuses every fetch) is not needed here."""
    from dondoc.templates.pdf import weasyprint_here

    return weasyprint_here().HTML(string=html, base_url=None).write_pdf()


def summary_files(summary: Summary, formats_: tuple[str, ...] = ("html", "docx", "pdf")) -> dict[str, bytes]:
    """One plan's report: file name -> bytes (.html, .docx, .pdf and each chart as .svg and .png).

    The night writes them in its workers, under OUT/summary/ (night/plan.py).
    """
    stem = summary.slug
    ctx = context(summary)  # once: the charts are encoded in it
    html = render_html(summary, ctx) if {"html", "pdf"} & set(formats_) else ""
    files = {}
    if "html" in formats_:
        files[f"{stem}.html"] = html.encode("utf-8")
    if "pdf" in formats_:
        files[f"{stem}.pdf"] = render_pdf(html)
    if "docx" in formats_:
        from dondoc.templates.summary_docx import render_docx

        files[f"{stem}.docx"] = render_docx(summary, ctx)
    for chart in summary.charts:
        files[f"{stem}__{chart.name}.svg"] = chart.svg
        files[f"{stem}__{chart.name}.png"] = chart.png
    return files
