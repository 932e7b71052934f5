"""Where the targets are stated: the objectives section, and the weights of component indices.

The objectives are the section "MỤC TIÊU" / "CHỈ TIÊU" (only its "Mục tiêu cụ thể"
part when it has one: "Mục tiêu chung" is prose), or the paragraphs after a label
"Mục tiêu năm 2023: ... như sau:". Each paragraph in it is read for targets; one
that has none (a qualitative aim) is reported, not dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dondoc.facts.importer.document import Para
from dondoc.facts.importer.layout import MARKER, heading_number, roman_heading
from dondoc.facts.importer.report import ImportWarning, warning
from dondoc.facts.importer.targets import TargetReading, read_targets
from dondoc.facts.models import Target, Task
from dondoc.facts.units import unit_key

_OBJECTIVES = re.compile(r"MỤC TIÊU|CHỈ TIÊU", re.IGNORECASE)
_NOT_OBJECTIVES = re.compile(r"MỤC ĐÍCH|NHIỆM VỤ|GIẢI PHÁP|TỔ CHỨC", re.IGNORECASE)
_GENERAL = re.compile(r"\bchung\b", re.IGNORECASE)
_LABEL = re.compile(r"^(Mục tiêu|Chỉ tiêu)(?!\s+chung)[^:]{0,40}:\s*(.*)$", re.IGNORECASE)
_WEIGHTED = re.compile(
    r"^(\d+)[.)]\s*Chỉ số\s*[“\"]?(.+?)[”\"]?\s*\((?:[^()]*?)(?:tỷ trọng|trọng số)\s*(\d+(?:[.,]\d+)?)\s*%",
    re.IGNORECASE,
)
_INDEX = re.compile(r"^Chỉ số\s+(\d+)\s*:", re.IGNORECASE)


def objective_paragraphs(paras: list[Para], start: int) -> list[Para]:
    """The paragraphs of the objectives, item markers removed, intro lines ('... như sau:') left out."""
    out: list[Para] = []
    inside = False  # in an objectives region
    top = False  # the region is a whole roman section ("II. MỤC TIÊU")
    skip = False  # in its "Mục tiêu chung" part
    for para in paras[start:]:
        text = para.text
        if text.startswith("Nơi nhận"):
            break
        if roman_heading(para):
            inside = bool(_OBJECTIVES.search(text)) and not _NOT_OBJECTIVES.search(text)
            top, skip = inside, False
            continue
        # Bold alone does not make a heading here: "**Tổng điểm mục tiêu năm 2023: 80,08 điểm**".
        if heading_number(para) or (para.level and not MARKER.match(text)):
            if top:
                skip = bool(_GENERAL.search(text)) and bool(_OBJECTIVES.search(text))
            else:
                inside = bool(_OBJECTIVES.search(text)) and not _GENERAL.search(text)
            continue
        if not inside:
            if m := _LABEL.match(text):
                inside = True
                if m.group(2) and not text.rstrip().endswith(":"):
                    out.append(Para(para.line, m.group(2)))
            continue
        if skip or text.rstrip().endswith(":"):
            continue
        body = MARKER.sub("", text, count=1).strip()
        if body:
            out.append(Para(para.line, body))
    return out


@dataclass(frozen=True)
class Weighted:
    number: str
    name: str
    weight: float
    line: int


def index_weights(paras: list[Para]) -> list[Weighted]:
    """'1. Chỉ số “Tính minh bạch ...” (Chiếm tỷ trọng 30% tổng số điểm)' -> weight 30."""
    out = []
    for para in paras:
        if m := _WEIGHTED.match(para.text):
            weight = float(m.group(3).replace(",", "."))
            out.append(Weighted(m.group(1), m.group(2).strip(" “”\""), weight, para.line))
    return out


def weighted_index(metric: str, weights: list[Weighted]) -> Weighted | None:
    """The component index a target names: by its number ('Chỉ số 7: ...'), else by its name."""
    if m := _INDEX.match(metric):
        for item in weights:
            if item.number == m.group(1):
                return item
    key = unit_key(metric)
    for item in weights:
        if unit_key(item.name) and unit_key(item.name) in key:
            return item
    return None


def collect_targets(
    paras: list[Para], start: int, tasks: list[Task], prose: bool, year: int, warnings: list[ImportWarning]
) -> list[Target]:
    """Targets in document order: the objectives, then (by line) those stated in task cells."""
    found: list[tuple[int, TargetReading, list[str]]] = []
    for para in objective_paragraphs(paras, start):
        readings = read_targets(para.text, year)
        if not readings:
            warnings.append(
                warning(
                    para.line,
                    "muc_tieu_khong_doc_duoc",
                    f"Mục tiêu không có con số nên không thành chỉ tiêu: '{_short(para.text)}'",
                    "an objective without a number; not a target",
                )
            )
        found += [(para.line, r, []) for r in readings]
    for task in tasks:
        found += [(task.source_line or 0, r, task.lead) for r in read_targets(task.title, year)]
    weights = index_weights(paras)
    leads_by_section: dict[str, list[str]] = {}
    for task in tasks:
        if prose and task.lead:
            leads_by_section.setdefault(task.section, task.lead)  # the index's first assignment
    targets = []
    found.sort(key=lambda item: item[0])  # document order (stable within a line)
    for n, (line, reading, lead) in enumerate(found, start=1):
        index = weighted_index(reading.metric, weights) if weights else None
        targets.append(
            Target(
                id=f"CT{n:02d}",
                text=reading.text,
                metric=reading.metric,
                comparison=reading.comparison,
                value=reading.value,
                unit=reading.unit,
                baseline_year=reading.baseline_year,
                scope=reading.scope,
                period=reading.period,
                weight=index.weight if index else None,
                reduction=reading.reduction,
                lead=lead or (leads_by_section.get(index.number, []) if index else []),
            )
        )
    return targets


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
