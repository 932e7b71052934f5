"""The sections of a notice, built from findings alone.

Which section a finding belongs to, and what the unit is asked to do about it, is
written in its rule (``notice: {section, request}`` in rules/*.yaml) and carried by
the finding. This module only lays findings out: one row per subject (task,
occurrence, target, procedure) in each section, rows in the plan's order, and the
counts of the letter's summary taken from those same rows, so a count can never
disagree with a table. Nothing here looks at a fact to decide where it goes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
import re
from typing import Any, Iterable, Mapping

from dondoc.engine.findings import GENERAL_SECTION, SECTION_FACTS, Finding, natural
from dondoc.facts.kinds import REDUCTIONS, reduction_of
from dondoc.facts.models import PlanFolder
from dondoc.text import one_line, unit_key
from dondoc.templates import formats
from dondoc.templates.formats import prose


@dataclass(frozen=True)
class SectionSpec:
    """How a section is printed: its heading, its line in the summary, its layout."""

    id: str
    heading: str
    summary: str  # the line in the letter's opening summary: "Quá hạn chưa hoàn thành: 02 nhiệm vụ"
    layout: str  # "tasks", "targets", "projections", "reductions" or "list"
    column: str = ""  # a task table's fourth column: "days_overdue", "days_left", "checkpoint"


WARNING_SECTION = "nguy-co"  # the early warning: its own part of the Chairman's summary too (summary.py)

# In the order the letter prints them: what is late first, what is coming last.
SECTIONS: dict[str, SectionSpec] = {
    s.id: s
    for s in (
        SectionSpec("qua-han", "Nhiệm vụ quá hạn chưa hoàn thành", "Quá hạn chưa hoàn thành", "tasks", "days_overdue"),
        SectionSpec(
            "cham-tien-do",
            "Nhiệm vụ chưa báo cáo tiến độ khi đã qua mốc kiểm tra",
            "Chưa báo cáo tiến độ khi đã qua mốc kiểm tra",
            "tasks",
            "checkpoint",
        ),
        # "Thường xuyên chưa báo cáo" alone would read "habitually not reporting": the task is the regular one.
        SectionSpec(
            "thuong-xuyen", "Nhiệm vụ thường xuyên chưa báo cáo kết quả", "Nhiệm vụ thường xuyên chưa báo cáo kết quả", "tasks"
        ),
        SectionSpec("chua-co-thoi-han", "Nhiệm vụ chưa có thời hạn cụ thể", "Chưa có thời hạn cụ thể để theo dõi", "tasks"),
        SectionSpec("chi-tieu", "Chỉ tiêu chưa đạt", "Chưa đạt", "targets"),
        SectionSpec("03-giam", "Thủ tục hành chính chưa đạt chỉ tiêu “03 giảm”", "Chưa đạt chỉ tiêu “03 giảm”", "reductions"),
        SectionSpec("thieu-so-lieu", "Nội dung chưa có số liệu", "Chưa có số liệu để theo dõi", "list"),
        SectionSpec("khac", "Nội dung khác cần khắc phục", "Nội dung khác cần khắc phục", "list"),
        # What may be missed by the period's end, if the trend holds: a warning, not a failure.
        SectionSpec(WARNING_SECTION, "Chỉ tiêu có nguy cơ không đạt", "Có nguy cơ không đạt", "projections"),
        SectionSpec("sap-den-han", "Nhiệm vụ sắp đến hạn", "Sắp đến hạn", "tasks", "days_left"),
    )
}
assert set(SECTIONS) == set(SECTION_FACTS), "every section a rule may name is printed"

# How a count of rows is said, by the kind of fact in the row.
NOUNS = {
    "task": "nhiệm vụ",
    "occurrence": "kỳ thực hiện nhiệm vụ định kỳ",
    "target": "chỉ tiêu",
    "procedure": "thủ tục hành chính",
}

STATUS_LABELS = {
    "hoàn thành": "Đã hoàn thành",
    "đang thực hiện": "Đang thực hiện",
    "chưa thực hiện": "Chưa thực hiện",
    "chưa báo cáo": "Chưa báo cáo",
}



# How an item's kind is named where the plan gives it no lead unit.
COMMON_NOTES = {
    "task": "Nhiệm vụ chung của Kế hoạch, không giao đơn vị chủ trì",
    "occurrence": "Nhiệm vụ chung của Kế hoạch, không giao đơn vị chủ trì",
    "target": "Chỉ tiêu chung của Kế hoạch, không giao đơn vị chủ trì",
    "procedure": "Thủ tục chung của Kế hoạch, không giao đơn vị chủ trì",
}


def item_key(f: Finding) -> str:
    """The plan item a finding is about: "task:13" (every occurrence of task 13 too),
    "target:CT01", "procedure:1.001612"."""
    fact = f.fact
    if f.fact_kind in ("task", "occurrence") and fact.get("task"):
        return f"task:{fact['task']}"
    if f.fact_kind == "target" and fact.get("target"):
        return f"target:{fact['target']}"
    if f.fact_kind == "procedure" and fact.get("code"):
        return f"procedure:{fact['code']}"
    return f.subject


@dataclass(frozen=True)
class PlanIndex:
    """What a letter needs from the plan itself beside the findings: the items it gives no
    lead unit (they reach the monitoring unit, which must be told so), every lead the plan
    gives an item (so a unit reads who else leads it, though their findings went to other
    letters), and the document that set a date supplied in deadlines.csv (the letter cites it)."""

    common: frozenset[str] = frozenset()  # item keys (item_key)
    sources: Mapping[str, str] = field(default_factory=dict)  # task id -> "Công văn số ..."
    leads: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # item key -> its leads, in the plan's order

    @classmethod
    def of(cls, folder: PlanFolder) -> "PlanIndex":
        leads: dict[str, tuple[str, ...]] = {}
        for key, names in (
            *((f"task:{t.id}", t.lead) for t in folder.tasks),
            *((f"target:{t.id}", t.lead) for t in folder.targets),
            *((f"procedure:{p.code}", [p.lead] if p.lead else []) for p in folder.procedures),
        ):
            if names:
                leads[key] = tuple(dict.fromkeys(one_line(n) for n in names if one_line(n)))
        common = {key for key in (*(f"task:{t.id}" for t in folder.tasks), *(f"target:{t.id}" for t in folder.targets),
                                  *(f"procedure:{p.code}" for p in folder.procedures)) if not leads.get(key)}
        sources = {t.id: prose(t.due_source) for t in folder.tasks if t.due_source}
        return cls(frozenset(common), sources, leads)


NO_INDEX = PlanIndex()


# --- rows ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """What every row has: its subject, the findings behind it, and who leads it when the
    letter's addressee received it for another unit (a group such as "các phòng chuyên môn")."""

    subject: str
    kind: str  # the fact kind: task, occurrence, target, procedure
    findings: tuple[Finding, ...]
    lead_units: tuple[str, ...]  # () when the addressee leads it alone; else every lead, addressee first
    common: bool = False  # the plan gives it no lead unit: the addressee has it as the monitoring unit
    raised: int = 0  # letters that raised it before this one (the store's count; 0: the first time)

    @property
    def raised_note(self) -> str:
        """Under a row raised before: "Đôn đốc lần thứ 3" (this letter is the third)."""
        return f"Đôn đốc lần thứ {self.raised + 1}" if self.raised else ""

    @property
    def leads(self) -> str:
        """ "Trung tâm Phục vụ hành chính công; các phòng chuyên môn" ("" when the addressee's alone)."""
        return "; ".join(self.lead_units)

    @property
    def lead_note(self) -> str:
        """Who leads it, under the row: "Đơn vị chủ trì: các phòng chuyên môn", or that no one
        does ("Chỉ tiêu chung của Kế hoạch, không giao đơn vị chủ trì"); "" when it is the addressee's own."""
        if self.common:
            return COMMON_NOTES.get(self.kind, COMMON_NOTES["task"])
        return f"Đơn vị chủ trì: {self.leads}" if self.lead_units else ""

    @property
    def lead_inline(self) -> str:
        """The same, inside a sentence: "đơn vị chủ trì: các phòng chuyên môn"."""
        note = self.lead_note
        return note[:1].lower() + note[1:]


@dataclass(frozen=True)
class TaskRow(Row):
    number: str = ""
    title: str = ""
    period: str = ""  # "Quý III/2025" for an occurrence of a recurring task
    deadline: str = ""  # the plan's phrase
    due: dt.date | None = None
    due_note: str = ""  # "Hạn cuối: 27/11/2026 (theo Công văn số ...)"; "" when the phrase already says it
    checkpoint: dt.date | None = None
    days: float | None = None  # days overdue or left, for the section's column
    status: str = ""  # "Đang thực hiện (báo cáo ngày 25/09/2025)"


@dataclass(frozen=True)
class TargetRow(Row):
    id: str = ""
    text: str = ""
    metric: str = ""  # what is measured, mid-sentence: "tỷ lệ hồ sơ giải quyết quá hạn"
    comparison: str = ""  # ">=", "<=", ...
    note: str = ""  # scope and period
    required: str = ""  # "tối thiểu 90%"
    level: str = ""  # the level to reach, in a request: "không quá 2%", "tối thiểu 90%"
    result: str = ""  # "88,3%"
    detail: str = ""  # "(883/1.000), số liệu ngày 20/11/2026"
    gap: str = ""  # "thấp hơn 1,7 điểm phần trăm"


@dataclass(frozen=True)
class ProjectionRow(TargetRow):
    """A target met today whose trend misses it by the period's end (rule chi-tieu-nguy-co-khong-dat)."""

    points: str = ""  # "06 lần đo trong kỳ"
    horizon: dt.date | None = None  # the period's last day
    projected: str = ""  # "94,5%"
    interval: str = ""  # "từ 93,8% đến 95,2%"
    projected_gap: str = ""  # "thấp hơn 0,5 điểm phần trăm"

    @property
    def result_note(self) -> str:
        """Under the result: "612/640; số liệu ngày 05/11/2026; 07 lần đo trong kỳ"."""
        return "; ".join(x for x in (self.detail, self.points) if x)

    @property
    def projection_note(self) -> str:
        """Under the projection: "đến ngày 31/12/2026; có thể từ 94,1% đến 94,9%"."""
        when = [f"đến ngày {formats.dmy(self.horizon)}"] if self.horizon else []
        return "; ".join(when + ([f"có thể {self.interval}"] if self.interval else []))


@dataclass(frozen=True)
class ReductionItem:
    label: str  # "Thời gian giải quyết"
    goal: str  # "giảm 50% so với năm 2024"
    result: str  # "giảm 33,33% (từ 15 ngày xuống 10 ngày)"


@dataclass(frozen=True)
class ReductionRow(Row):
    code: str = ""
    name: str = ""
    items: tuple[ReductionItem, ...] = ()


@dataclass(frozen=True)
class NoteRow(Row):
    text: str = ""  # the rules' own messages for this subject


@dataclass
class Section:
    spec: SectionSpec
    number: int
    rows: list[Row]
    requests: list[str]  # the rules' requests, each once

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def heading(self) -> str:
        return self.spec.heading

    @property
    def layout(self) -> str:
        return self.spec.layout

    @property
    def column(self) -> str:
        return self.spec.column

    @property
    def request(self) -> str:
        return "; ".join(self.requests)

    @property
    def common(self) -> bool:
        return any(row.common for row in self.rows)

    @property
    def counts(self) -> list[tuple[int, str]]:
        """(count, noun) per fact kind, in a fixed order: "02 nhiệm vụ, 01 kỳ thực hiện ..."."""
        by_kind = Counter(row.kind for row in self.rows)
        return [(by_kind[k], noun) for k, noun in NOUNS.items() if by_kind[k]]

    @property
    def count_text(self) -> str:
        return ", ".join(f"{formats.vn_count(n)} {noun}" for n, noun in self.counts)


# --- building --------------------------------------------------------------------------------


def _num(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    raise ValueError(f"{value!r} is not a number")


def _leads(findings: tuple[Finding, ...], addressee_key: str, index: PlanIndex) -> tuple[str, ...]:
    """Every lead of the row's item, the addressee first ("" when it leads alone): the plan's
    own list, so a co-lead whose findings went to another letter is named too; the
    findings' units for an item the plan does not list (a rule's own subject)."""
    planned = index.leads.get(item_key(findings[0]))
    if planned:
        units = {unit_key(u): u for u in planned}
        units.update((unit_key(f.unit), f.unit) for f in findings if f.unit and unit_key(f.unit) not in units)
        if set(units) == {addressee_key}:
            return ()
        mine = [formats.prose(units.pop(addressee_key))] if addressee_key in units else []
        return tuple(mine + [formats.mid_sentence(u) for u in units.values()])
    units = {unit_key(f.unit): f.unit for f in findings if f.unit}
    if not units or set(units) == {addressee_key}:
        return ()
    mine = [formats.prose(units.pop(addressee_key))] if addressee_key in units else []
    return tuple(mine + sorted(formats.mid_sentence(u) for u in units.values()))


def _status(fact: dict[str, Any]) -> str:
    status = str(fact.get("status") or "")
    label = STATUS_LABELS.get(status, status[:1].upper() + status[1:]) or "Chưa báo cáo"
    done_on = formats.as_date(fact.get("done_on"), "done_on")
    reported_on = formats.as_date(fact.get("reported_on"), "reported_on")
    if done_on:
        return f"{label} ngày {formats.dmy(done_on)}"
    if reported_on:
        return f"{label} (báo cáo ngày {formats.dmy(reported_on)})"
    return label


def _due_note(deadline: str, due: dt.date | None, source: str) -> str:
    """The due date under the plan's phrase, unless the phrase says it already ("Chậm nhất
    ngày 12/09/2026"); a date supplied in deadlines.csv cites the document that set it."""
    if due is None or (formats.dmy(due) in deadline and not source):
        return ""
    return f"Hạn cuối: {formats.dmy(due)}" + (f" (theo {source})" if source else "")


def _task_row(subject: str, findings: tuple[Finding, ...], leads: tuple[str, ...], column: str, index: PlanIndex) -> TaskRow:
    fact = findings[0].fact
    days = _num(fact.get(column)) if column in ("days_overdue", "days_left") else None
    deadline = prose(str(fact.get("deadline") or ""))
    due = formats.as_date(fact.get("due"), "due")
    number = str(fact.get("task") or "")
    return TaskRow(
        subject=subject,
        kind=findings[0].fact_kind,
        findings=findings,
        lead_units=leads,
        number=number,
        title=prose(str(fact.get("title") or findings[0].subject_title or subject)),
        period=formats.period_label(str(fact.get("period") or "")),
        deadline=deadline,
        due=due,
        due_note=_due_note(deadline, due, index.sources.get(number, "") if findings[0].fact_kind == "task" else ""),
        checkpoint=formats.as_date(fact.get("checkpoint"), "checkpoint"),
        days=days,
        status=_status(fact),
    )


_REQUIRED = {">=": "tối thiểu", ">": "trên", "<=": "tối đa", "<": "dưới", "==": "đạt"}
_LEVEL = {">=": "tối thiểu", ">": "trên", "<=": "không quá", "<": "dưới", "==": ""}  # "đưa ... về không quá 2%"


def gap_words(actual: float | None, value: float | None, measure: str) -> str:
    """How far a result is from its target, in words: "thấp hơn 1,7 điểm phần trăm"."""
    if actual is None or value is None:
        return ""
    diff = round(actual - value, 6)
    if diff == 0:
        return "bằng mức yêu cầu"
    unit = "điểm phần trăm" if measure == "%" else measure
    words = "thấp hơn" if diff < 0 else "vượt"
    return f"{words} {formats.vn_measure(abs(diff), unit)}"


def _target_row(subject: str, findings: tuple[Finding, ...], leads: tuple[str, ...]) -> TargetRow:
    fact = findings[0].fact
    value, actual = _num(fact.get("value")), _num(fact.get("actual"))
    measure = str(fact.get("measure") or "")
    comparison = str(fact.get("comparison") or "")
    required = f"{_REQUIRED.get(comparison, comparison)} {formats.vn_measure(value, measure)}"
    if fact.get("baseline_year"):
        required += f" so với năm {fact['baseline_year']}"
    text = prose(str(fact.get("text") or findings[0].subject_title or subject)).rstrip(". ")
    notes = []
    scope = prose(str(fact.get("scope") or ""))
    if scope and scope.lower() not in text.lower():  # the sentence names its scope: not twice
        notes.append(f"phạm vi: {scope}")
    period = str(fact.get("period") or "")
    if period and not period.isdigit():  # a whole year is the plan's own period: nothing to say
        notes.append(f"kỳ: {formats.period_label(period)}")
    detail = []
    numerator, denominator = _num(fact.get("numerator")), _num(fact.get("denominator"))
    if numerator is not None and denominator is not None:
        detail.append(f"{formats.vn_number(numerator)}/{formats.vn_number(denominator)}")
    measured_on = formats.as_date(fact.get("measured_on"), "measured_on")
    if measured_on:
        detail.append(f"số liệu ngày {formats.dmy(measured_on)}")
    return TargetRow(
        subject=subject,
        kind="target",
        findings=findings,
        lead_units=leads,
        id=str(fact.get("target") or subject),
        text=text,
        metric=formats.lower_first(prose(str(fact.get("metric") or text))),
        comparison=comparison,
        note="; ".join(notes),
        required=required,
        level=f"{_LEVEL.get(comparison, comparison)} {formats.vn_measure(value, measure)}".strip(),
        result=formats.vn_measure(actual, measure),
        detail="; ".join(detail),
        gap=gap_words(actual, value, measure),
    )


def _projection_row(subject: str, findings: tuple[Finding, ...], leads: tuple[str, ...]) -> ProjectionRow:
    """The target's row, and where its trend leads by the period's end (facts/projection.py)."""
    now = _target_row(subject, findings, leads)
    fact = findings[0].fact
    measure = str(fact.get("measure") or "")
    projected, low, high = (_num(fact.get(name)) for name in ("projected", "projected_low", "projected_high"))
    points = _num(fact.get("projection_points"))
    interval = ""
    if low is not None and high is not None and low != high:
        interval = f"từ {formats.vn_measure(low, measure)} đến {formats.vn_measure(high, measure)}"
    return ProjectionRow(
        **{f.name: getattr(now, f.name) for f in dataclasses.fields(now)},
        points=f"{formats.vn_count(int(points))} lần đo trong kỳ" if points else "",
        horizon=formats.as_date(fact.get("period_end"), "period_end"),
        projected=formats.vn_measure(projected, measure) if projected is not None else "",
        interval=interval,
        projected_gap=gap_words(projected, _num(fact.get("value")), measure),
    )


def _change(baseline: float | None, current: float | None, measure: str, year: Any) -> str:
    if baseline is None or current is None:
        return ""
    before, now = formats.vn_measure(baseline, measure), formats.vn_measure(current, measure)
    if current < baseline:
        return f"từ {before} xuống {now}"
    if current > baseline:
        return f"tăng từ {before} lên {now}"
    return f"vẫn {now}, như năm {year}" if year else f"vẫn {now}"


def _reduction_row(subject: str, findings: tuple[Finding, ...], leads: tuple[str, ...]) -> ReductionRow:
    fact = findings[0].fact
    year = fact.get("baseline_year")
    read = {name for f in findings for name in f.values}
    items = []
    for cut in REDUCTIONS.values():
        # The reductions this row is about are the ones its rules read, nothing more.
        if not cut.fields & read:
            continue
        label, measure = cut.label, cut.measure
        target = _num(fact.get(cut.target))
        achieved = _num(fact.get(cut.reduction))
        since = f"năm {year}" if year else "năm gốc"
        goal = f"giảm {formats.vn_measure(target, '%')} so với {since}" if target is not None else f"ít hơn {since}"
        change = _change(_num(fact.get(cut.baseline)), _num(fact.get(cut.current)), measure, year)
        if achieved is None:
            result = "chưa có số liệu"
        elif achieved > 0:
            result = f"giảm {formats.vn_measure(achieved, '%')}" + (f" ({change})" if change else "")
        elif achieved < 0:
            result = f"tăng {formats.vn_measure(-achieved, '%')}" + (f" ({change})" if change else "")
        else:
            result = "chưa cắt giảm" + (f" ({change})" if change else "")
        items.append(ReductionItem(label, goal, result))
    if not items:  # a local rule reading other fields: its own words
        items.append(ReductionItem("", "", _messages(findings)))
    return ReductionRow(
        subject=subject,
        kind="procedure",
        findings=findings,
        lead_units=leads,
        code=str(fact.get("code") or ""),
        name=prose(str(fact.get("name") or findings[0].subject_title or subject)),
        items=tuple(items),
    )


def _reduction_order(f: Finding) -> int:
    """A procedure's findings in the order "03 giảm" names them: time, cost, components."""
    cut = reduction_of(set(f.values) | set(f.missing))
    return list(REDUCTIONS).index(cut.key) if cut else len(REDUCTIONS)


def _messages(findings: Iterable[Finding]) -> str:
    """The rules' messages on one subject as one line: "Thủ tục X: a; b." when they share the
    subject before the colon, else the sentences one after another."""
    texts = list(dict.fromkeys(prose(f.message).rstrip(" .;") for f in findings if f.message.strip()))
    if not texts:
        return prose(next(iter(findings)).title)
    if len(texts) == 1:
        return texts[0]
    heads = {t.partition(": ")[0] for t in texts}
    if len(heads) == 1 and all(": " in t for t in texts):
        head = heads.pop()
        return head + ": " + "; ".join(t.partition(": ")[2] for t in texts)
    return ". ".join(texts)


def subject_label(f: Finding) -> str:
    """ "Nhiệm vụ số 13 “...”", "Chỉ tiêu “...”", "Thủ tục 1.001612 “...”": a finding's subject in a line of text."""
    fact = f.fact
    if f.fact_kind in ("task", "occurrence"):
        title = formats.quoted(str(fact.get("title") or f.subject_title or f.subject))
        number = str(fact.get("task") or "")
        label = f"Nhiệm vụ số {number} {title}" if number else f"Nhiệm vụ {title}"
        period = formats.period_label(str(fact.get("period") or ""))
        return f"{label}, kỳ {period}" if period else label
    if f.fact_kind == "target":
        return f"Chỉ tiêu {formats.quoted(str(fact.get('text') or f.subject_title or fact.get('metric') or f.subject))}"
    code, name = str(fact.get("code") or ""), formats.quoted(str(fact.get("name") or f.subject_title or f.subject))
    return f"Thủ tục {code} {name}" if code else f"Thủ tục {name}"


def _note_row(subject: str, findings: tuple[Finding, ...], leads: tuple[str, ...]) -> NoteRow:
    ordered = sorted(findings, key=_reduction_order) if findings[0].fact_kind == "procedure" else findings
    return NoteRow(subject=subject, kind=findings[0].fact_kind, findings=findings, lead_units=leads, text=_messages(ordered))


def _row(spec: SectionSpec, subject: str, findings: tuple[Finding, ...], leads: tuple[str, ...], index: PlanIndex) -> Row:
    if spec.layout == "tasks":
        row: Row = _task_row(subject, findings, leads, spec.column, index)
    elif spec.layout == "targets":
        row = _target_row(subject, findings, leads)
    elif spec.layout == "projections":
        row = _projection_row(subject, findings, leads)
    elif spec.layout == "reductions":
        row = _reduction_row(subject, findings, leads)
    else:
        row = _note_row(subject, findings, leads)
    if not leads and item_key(findings[0]) in index.common:
        row = dataclasses.replace(row, common=True)
    return row


# Places a rule's request leaves for the letter to fill, per target row of its section:
# "có giải pháp cụ thể để đưa {chỉ tiêu} về {mức yêu cầu}" -> "... đưa tỷ lệ hồ sơ giải quyết
# quá hạn về không quá 2%". With several rows, the part from the first place to the last is
# said once per row ("đưa A về không quá 2% và B về dưới 5%").
REQUEST_SLOTS = {"chỉ tiêu": "metric", "mức yêu cầu": "level"}
_SLOT = re.compile(r"\{(" + "|".join(REQUEST_SLOTS) + r")\}")


# "các ... nêu trên" said of one row reads as if there were several: "hoàn thành nhiệm vụ quá
# hạn nêu trên". Only the "các" that opens the phrase "nêu trên" (or "sau", of a list that
# follows) closes (no comma between).
_PLURAL = re.compile(r"\b[Cc]ác (?=(?:(?!\b[Cc]ác\b)[^,;.])*\b(?:nêu trên|sau)\b)")


def said_of(text: str, rows: int) -> str:
    """``text`` said of ``rows`` rows: of one, "các nội dung nêu trên" is "nội dung nêu trên"
    and "Các nội dung sau đã được khắc phục:" is "Nội dung sau đã được khắc phục:"."""
    if rows != 1:
        return text
    out = _PLURAL.sub("", text)
    return out[:1].upper() + out[1:] if text[:1].isupper() else out


def fill_request(request: str, rows: list[Row]) -> str:
    request = said_of(request, len(rows))
    slots = list(_SLOT.finditer(request))
    if not slots:
        return request
    head, tail = request[: slots[0].start()], request[slots[-1].end():]
    part = request[slots[0].start(): slots[-1].end()]
    said = [_SLOT.sub(lambda m: str(getattr(row, REQUEST_SLOTS[m[1]], "")), part) for row in rows if isinstance(row, TargetRow)]
    if not said:  # the section holds no target: the rule's words without the places
        return " ".join(_SLOT.sub("nội dung nêu trên" if len(rows) == 1 else "các nội dung nêu trên", request).split())
    return head + formats.enumerate_vn(list(dict.fromkeys(said))) + tail


def row_status(section_id: str, row: Row) -> str:
    """A row's state in one line, for a table that lists rows of several sections (the
    Chairman's summary): "Quá hạn 53 ngày (hạn 30/09/2025); chưa báo cáo"."""
    status = row.status[:1].lower() + row.status[1:] if isinstance(row, TaskRow) and row.status else ""
    if isinstance(row, TaskRow):
        due = f" (hạn {formats.dmy(row.due)})" if row.due else ""
        if section_id == "qua-han" and row.days is not None:
            head = f"Quá hạn {formats.vn_number(row.days)} ngày{due}"
        elif section_id == "sap-den-han" and row.days is not None:
            head = f"Còn {formats.vn_number(row.days)} ngày đến hạn{due}"
        elif section_id == "cham-tien-do" and row.checkpoint:
            head = f"Đã qua mốc kiểm tra tiến độ {formats.dmy(row.checkpoint)}{due}"
        else:
            head = SECTIONS[section_id].summary if section_id in SECTIONS else ""
        return "; ".join(x for x in (head, status) if x)
    if isinstance(row, ProjectionRow) and row.projected:
        horizon = f" ({formats.dmy(row.horizon)})" if row.horizon else ""
        return (f"Hiện đạt {row.result}; nếu giữ xu hướng hiện nay, đến hết kỳ{horizon} dự kiến đạt khoảng"
                f" {row.projected}, yêu cầu {row.required}")
    if isinstance(row, TargetRow):
        return f"Kết quả {row.result}, yêu cầu {row.required}" + (f" ({row.gap})" if row.gap else "")
    if isinstance(row, ReductionRow):
        return "; ".join(f"{item.label}: {item.result}" if item.label else item.result for item in row.items)
    text = getattr(row, "text", "")
    head, sep, rest = text.partition(": ")
    return (rest[:1].upper() + rest[1:]) if sep else text


_KIND_ORDER = {kind: i for i, kind in enumerate(NOUNS)}


def _order(row: Row) -> tuple:
    """The plan's order: tasks by their number, then targets, then procedures."""
    number = getattr(row, "number", "") or getattr(row, "id", "") or getattr(row, "code", "")
    due = getattr(row, "due", None) or dt.date.max
    return (_KIND_ORDER.get(row.kind, 9), natural(number or row.subject.partition(":")[2]), due, natural(row.subject))


def build_sections(
    findings: Iterable[Finding], addressee: str = "", index: PlanIndex = NO_INDEX, raised: Mapping[str, int] | None = None
) -> list[Section]:
    """The letter's sections, in print order, from one unit's findings (one pass over them);
    ``raised``: subject -> letters that raised it before (its row says "Đôn đốc lần thứ N").

    Each finding goes to the section its rule named ("" or an unknown name: the general
    section). A subject is one row per section, however many rules fired on it and
    however many groups it reached the addressee through.
    """
    buckets: dict[str, dict[str, list[Finding]]] = {}
    for f in findings:
        section = f.section if f.section in SECTIONS else GENERAL_SECTION
        # The same subject, reached through several rules or several groups, is one row.
        buckets.setdefault(section, {}).setdefault(f.subject, []).append(f)
    me = unit_key(addressee)
    sections: list[Section] = []
    for spec in SECTIONS.values():
        subjects = buckets.get(spec.id)
        if not subjects:
            continue
        rows = []
        requests: dict[str, list[Row]] = {}
        for subject, found_list in subjects.items():
            found = tuple(sorted(found_list, key=Finding.sort_key))
            row = _row(spec, subject, found, _leads(found, me, index), index)
            if raised and raised.get(subject):
                row = dataclasses.replace(row, raised=raised[subject])
            rows.append(row)
            for f in found:
                if f.request:
                    asked = requests.setdefault(prose(f.request), [])
                    if not asked or asked[-1] is not row:
                        asked.append(row)
        rows.sort(key=_order)
        filled = [fill_request(request, sorted(asked, key=_order)) for request, asked in requests.items()]
        sections.append(Section(spec, len(sections) + 1, rows, list(dict.fromkeys(filled))))
    return sections
