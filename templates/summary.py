"""The Báo cáo tổng hợp for the Chairman: one per plan per run, in HTML, Word and PDF.

Its content comes from findings (what the rules decided) and from the plan's
own data (who leads what, what each target requires and what was measured);
nothing here decides whether a task is late or a target missed. The counts per
status class are the ones the notices give (``unit_counts``, the notices'
function), so a unit reads the same figures in its letter and in the report.

Layout (Nghị định 30/2020/NĐ-CP, Phụ lục I, a report by the monitoring unit):
header, "BÁO CÁO" and its subject, "Kính gửi: Chủ tịch Ủy ban nhân dân ...",
I. the units' table and chart, II. the nghiêm trọng items, III. the targets'
table and chart, then "Nơi nhận" and the signer. See docs/notices.md.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dondoc.engine.findings import SEVERITY_ORDER, Finding, natural
from dondoc.facts.calendar import DEFAULT as CALENDAR
from dondoc.facts.derive import target_facts
from dondoc.facts.models import PlanFolder
from dondoc.templates import formats
from dondoc.templates.render import citation, issuer_parts, make_environment
from dondoc.templates.sections import SECTIONS, build_sections, subject_label

if TYPE_CHECKING:  # matplotlib is imported only to draw (a run without summaries never does)
    from dondoc.templates import charts

SUMMARY_TEMPLATE = "summary.html.j2"
FOLDER = "summary"

# The notice's sections, in the order a letter prints them, and their line in its summary.
SECTION_LABELS = {section_id: spec.summary for section_id, spec in SECTIONS.items()}
REQUIREMENT_WORDS = {">=": "Tối thiểu", ">": "Trên", "<=": "Tối đa", "<": "Dưới", "==": "Đạt"}
NO_FINDING = "Không có phát hiện"


def unit_counts(findings: list[Finding], unit: str = "") -> dict[str, int]:
    """One unit's rows in each section of its notice: the notices' own sections (the rules').

    The report counts what the letters list, so a unit reads the same figures in both;
    when the notices' sections change, these counts follow them.
    """
    counts = {section_id: 0 for section_id in SECTION_LABELS}
    counts.update({s.id: len(s.rows) for s in build_sections(findings, unit)})
    return counts


@dataclass(frozen=True)
class UnitRow:
    unit: str
    classes: dict[str, int]  # rows per notice section
    severities: dict[str, int]
    findings: int


@dataclass(frozen=True)
class SevereRow:
    unit: str
    subject: str
    rule_title: str
    message: str


@dataclass(frozen=True)
class TargetRow:
    id: str
    text: str
    units: str
    required: str
    actual: str
    measured_on: str
    verdict: str  # the rules' word: their titles, "Chưa có số liệu", or NO_FINDING
    kind: str  # "vi-pham", "thieu-du-lieu" or ""
    value: float
    actual_value: float | None
    measure: str


@dataclass
class Summary:
    folder: PlanFolder
    as_of: dt.date
    date: dt.date  # the report's date: the check date, or the next working day
    units: list[UnitRow]
    classes: list[str]  # notice sections with at least one row, in the letters' order
    severities: list[str]  # severities shown, least to most severe
    severe: list[SevereRow]
    targets: list[TargetRow]
    totals: dict[str, int]
    charts: list[charts.Chart] = field(default_factory=list)

    @property
    def slug(self) -> str:
        plan = self.folder.plan
        if plan.number and not plan.number.startswith("/"):
            return "bao-cao-tong-hop__" + formats.ascii_slug(f"{plan.issuer} {plan.number}")
        return "bao-cao-tong-hop__" + formats.ascii_slug(f"{plan.issuer} {plan.year} {' '.join(plan.title.split()[:6])}")


def _nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def build_summary(folder: PlanFolder, findings: list[Finding], as_of: dt.date) -> Summary:
    """The report's content for one plan: ``findings`` are that plan's findings."""
    plan = folder.plan
    monitor = _nfc(plan.monitor)
    by_unit: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_unit[_nfc(f.unit) or monitor].append(f)
    # Every unit the plan makes responsible, with or without findings: the Chairman sees them all.
    leads = {_nfc(u) for t in folder.tasks for u in t.lead} | {_nfc(u) for t in folder.targets for u in t.lead}
    leads |= {_nfc(p.lead) for p in folder.procedures}
    names = (leads | set(by_unit) | {monitor}) - {""}
    present = sorted({f.severity for f in findings} | {"nghiêm trọng"}, key=SEVERITY_ORDER.__getitem__)
    rows = []
    for unit in names:
        mine = by_unit.get(unit, [])
        severities = Counter(f.severity for f in mine)
        rows.append(
            UnitRow(
                unit=unit,
                classes=unit_counts(mine, unit),
                severities={s: severities.get(s, 0) for s in present},
                findings=len(mine),
            )
        )
    # The most severe first: the Chairman reads the top of the table.
    rows.sort(key=lambda r: (*(-r.severities[s] for s in reversed(present)), -r.findings, natural(r.unit)))
    classes = [c for c in SECTION_LABELS if any(r.classes[c] for r in rows)]
    severe = [
        SevereRow(unit=_nfc(f.unit) or monitor, subject=subject_label(f), rule_title=f.title, message=f.message)
        for f in sorted(findings, key=Finding.sort_key)
        if f.severity == "nghiêm trọng"
    ]
    totals = {
        "plan_tasks": len(folder.tasks),
        "plan_targets": len(folder.targets),
        "units": len(rows),
        "findings": len(findings),
        **{c: sum(r.classes[c] for r in rows) for c in SECTION_LABELS},
        **{s: sum(r.severities[s] for r in rows) for s in present},
    }
    summary = Summary(
        folder=folder,
        as_of=as_of,
        date=CALENDAR.on_or_after(as_of),
        units=rows,
        classes=classes,
        severities=present,
        severe=severe,
        targets=_targets(folder, findings, as_of),
        totals=totals,
    )
    from dondoc.templates import charts

    summary.charts = [
        charts.units_chart([(r.unit, r.severities) for r in rows], present),
        charts.targets_chart([(t.id, _short(t.text), t.value, t.actual_value, t.measure, t.kind) for t in summary.targets]),
    ]
    return summary


def _short(text: str, words: int = 9) -> str:
    parts = text.rstrip(".").split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _targets(folder: PlanFolder, findings: list[Finding], as_of: dt.date) -> list[TargetRow]:
    """Every target of the plan: what it requires, what was measured, and what the rules found."""
    facts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for fact in target_facts(folder, as_of):
        facts[fact.values["target"]].append(fact.values)
    found: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.fact_kind == "target":
            found[f.subject.split(":", 1)[1]].append(f)
    rows = []
    for target_id, values in facts.items():
        v = values[0]
        mine = found.get(target_id, [])
        violations = [f for f in mine if f.kind == "vi-pham"]
        if violations:
            kind, verdict = "vi-pham", "; ".join(dict.fromkeys(f.title for f in violations))
        elif mine:
            kind, verdict = "thieu-du-lieu", "Chưa có số liệu"
        else:
            kind, verdict = "", NO_FINDING
        measure = str(v.get("measure") or "")
        required = f"{REQUIREMENT_WORDS.get(v['comparison'], v['comparison'])} {formats.vn_measure(v['value'], measure)}"
        if v.get("is_reduction"):
            required = f"Cắt giảm {required[0].lower()}{required[1:]}" + (f" so với năm {v['baseline_year']}" if v.get("baseline_year") else "")
        actual = v.get("actual")
        rows.append(
            TargetRow(
                id=target_id,
                text=_nfc(str(v.get("text") or v.get("metric") or target_id)),
                units=", ".join(dict.fromkeys(_nfc(x["unit"]) for x in values)),
                required=required,
                actual=formats.vn_measure(actual, measure) if actual is not None else "Chưa có số liệu",
                measured_on=formats.dmy(v.get("measured_on")) if v.get("measured_on") else "",
                verdict=verdict,
                kind=kind,
                value=float(v["value"]),
                actual_value=float(actual) if actual is not None else None,
                measure=measure,
            )
        )
    return sorted(rows, key=lambda r: natural(r.id))


# -- the fixed parts of the form ------------------------------------------------------------------

_UNIT_TITLES = (
    (re.compile(r"^văn phòng\b"), "CHÁNH VĂN PHÒNG"),
    (re.compile(r"^phòng\b"), "TRƯỞNG PHÒNG"),
    (re.compile(r"^trung tâm\b"), "GIÁM ĐỐC"),
    (re.compile(r"^ban\b"), "TRƯỞNG BAN"),
    (re.compile(r"^công an\b"), "TRƯỞNG CÔNG AN"),
)
_LOCAL_SUFFIX = re.compile(r"\s+(xã|phường|thị trấn)$", re.IGNORECASE)


def _head_title(unit: str) -> str:
    """The head of the reporting unit, who signs: "TRƯỞNG PHÒNG", "CHÁNH VĂN PHÒNG"..."""
    key = unit.lower()
    return next((title for pattern, title in _UNIT_TITLES if pattern.search(key)), "THỦ TRƯỞNG ĐƠN VỊ")


def _unit_symbol(unit: str) -> str:
    """A unit's initials for the document symbol: "Phòng Kinh tế xã" -> "PKT"."""
    words = [w for w in re.split(r"[\s\-–]+", _LOCAL_SUFFIX.sub("", unit)) if w and w.lower() not in ("và", "các")]
    letters = [w if w.isupper() and len(w) > 1 else w[0].upper() for w in words]
    return formats.ascii_slug("".join(letters), lower=False).replace("-", "") or "VP"


def context(summary: Summary) -> dict[str, Any]:
    from dondoc.templates import charts

    plan = summary.folder.plan
    header, issuer_full, level = issuer_parts(plan.issuer)
    monitor = _nfc(plan.monitor) or "Văn phòng HĐND và UBND"
    plan_ref, cited = citation(plan)  # the notices' citation, so letters and report name the plan alike
    symbol = f"BC-{_unit_symbol(monitor)}"
    subject = plan.title.strip().rstrip(".")
    return {
        "s": summary,
        "plan": plan,
        "superior": ("UBND " + header[1]) if len(header) > 1 else header[0],  # the commune, over its unit
        "unit_line": _LOCAL_SUFFIX.sub("", monitor).upper(),
        "number_line": f"Số: {chr(0xA0) * 6}/{symbol}",
        "plan_ref": plan_ref,
        "citation": cited,
        "plan_subject": subject[:1].lower() + subject[1:] if subject[1:2].islower() else subject,
        "issuer_full": issuer_full,
        "chairman": f"Chủ tịch {issuer_full}",
        "level": level,
        "monitor": monitor,
        "signer_title": _head_title(monitor),
        "archive": f"Lưu: VT, {_unit_symbol(monitor)}.",
        "section_labels": SECTION_LABELS,
        "severity_labels": charts.SEVERITY_LABELS,
        "charts": [
            {"title": c.title, "name": c.name, "src": "data:image/svg+xml;base64," + base64.b64encode(c.svg).decode("ascii"), "width_in": c.width_in}
            for c in summary.charts
        ],
    }


def render_html(summary: Summary) -> str:
    html = make_environment().get_template(SUMMARY_TEMPLATE).render(context(summary))
    return unicodedata.normalize("NFC", html)


def render_pdf(html: str) -> bytes:
    """The PDF of the HTML (WeasyPrint). Switch to the notices' PDF renderer once it is on main."""
    from weasyprint import HTML

    return HTML(string=html, base_url=None).write_pdf()


def summary_files(folder: PlanFolder, findings: list[Finding], as_of: dt.date, formats_: tuple[str, ...] = ("html", "docx", "pdf")) -> dict[str, bytes]:
    """One plan's report: file name -> bytes (.html, .docx, .pdf and each chart as .svg and .png).

    `dondoc check` writes them in its workers, under OUT/summary/<plan folder>/ (cli.py).
    """
    summary = build_summary(folder, findings, as_of)
    stem = summary.slug
    html = render_html(summary)
    files = {}
    if "html" in formats_:
        files[f"{stem}.html"] = html.encode("utf-8")
    if "pdf" in formats_:
        files[f"{stem}.pdf"] = render_pdf(html)
    if "docx" in formats_:
        from dondoc.templates.summary_docx import render_docx

        files[f"{stem}.docx"] = render_docx(summary, context(summary))
    for chart in summary.charts:
        files[f"{stem}__{chart.name}.svg"] = chart.svg
        files[f"{stem}__{chart.name}.png"] = chart.png
    return files
