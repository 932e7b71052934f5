"""Where the targets are stated: the objectives section, and the weights of component indices.

The objectives are the section "MỤC TIÊU" / "CHỈ TIÊU" (only its "Mục tiêu cụ thể"
part when it has one: "Mục tiêu chung" is prose), or the paragraphs after a label
"Mục tiêu năm 2023: ... như sau:". Each paragraph in it is read for targets; one
that has none (a qualitative aim) is reported, not dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dondoc.facts.importer.clean import squeeze
from dondoc.facts.importer.document import Para
from dondoc.facts.importer.headings import GENERAL, OBJECTIVES, kinds_of
from dondoc.facts.importer.layout import (
    LEAD, MARKER, NUMBER, TARGET, UNIT, VALUE, TaskTable, heading_number, is_column_numbers, is_header_row, roman_heading,
)
from dondoc.facts.importer.report import ImportWarning, warning
from dondoc.facts.importer.targets import TargetReading, parse_target, read_targets, read_value_cell
from dondoc.facts.importer.units import UnitRegister, split_units
from dondoc.facts.models import Target, Task
from dondoc.text import unit_key

_OBJECTIVES = re.compile(r"MỤC TIÊU|CHỈ TIÊU", re.IGNORECASE)
_NOT_OBJECTIVES = re.compile(r"MỤC ĐÍCH|NHIỆM VỤ|GIẢI PHÁP|TỔ CHỨC", re.IGNORECASE)
_GENERAL = re.compile(r"\bchung\b", re.IGNORECASE)
_LABEL = re.compile(r"^(Mục tiêu|Chỉ tiêu)(?!\s+chung)[^:]{0,40}:\s*(.*)$", re.IGNORECASE)
_WEIGHTED = re.compile(
    r"^(\d+)[.)]\s*Chỉ số\s*[“\"]?(.+?)[”\"]?\s*\((?:[^()]*?)(?:tỷ trọng|trọng số)\s*(\d+(?:[.,]\d+)?)\s*%",
    re.IGNORECASE,
)
_INDEX = re.compile(r"^Chỉ số\s+(\d+)\s*:", re.IGNORECASE)


_HEADING_YEAR = re.compile(r"(?:(?:đến|tới)\s+(?:hết\s+)?)?năm\s+(\d{4})", re.IGNORECASE)
# A short item with no number that only names a topic ("a) Về dịch vụ công trực tuyến"): a
# sub-heading, not an objective left unread.
_SUB_HEADING = re.compile(r"^(?:[a-zđ][).]\s*|\d+(?:\.\d+)*[.)]\s*)?(?:Về|Đối với|Trong)\b[^.\d]{0,80}$")


def heading_period(text: str, year: int, single_year: bool) -> str:
    """The period a heading gives its targets: 'Mục tiêu đến hết năm 2026' -> '2026'.

    The plan's own year in a one-year plan is its period already: '' then.
    """
    m = _HEADING_YEAR.search(text)
    if not m:
        return ""
    stated = int(m.group(1))
    return "" if single_year and stated == year else str(stated)


_SHORT_SUB = re.compile(r"^[a-zđ][).]\s*(\S[^.;:]{0,60})$")


def _sub_heading(text: str) -> bool:
    """A lettered line that only names a part: 'a) Mục tiêu', 'b) Nhiệm vụ'."""
    m = _SHORT_SUB.match(text)
    return bool(m) and bool(kinds_of(m.group(1))) and not re.search(r"\d", m.group(1))


def objective_paragraphs(paras: list[Para], start: int, year: int = 0, single_year: bool = True) -> list[tuple[Para, str]]:
    """The paragraphs of the objectives with the period their heading gives them, item markers
    removed, intro lines ('... như sau:') left out."""
    out: list[tuple[Para, str]] = []
    inside = False  # in an objectives region
    top = False  # the region is a whole roman section ("II. MỤC TIÊU")
    skip = False  # in its "Mục tiêu chung" part
    period = ""  # given by the heading of the part ("2. Mục tiêu đến hết năm 2026")
    for para in paras[start:]:
        text = para.text
        if text.startswith("Nơi nhận"):
            break
        if roman_heading(para):
            # "II. MỤC TIÊU", and combined headings ("II. CHỈ TIÊU, NHIỆM VỤ"): their
            # sub-headings say which part is the objectives' (headings.PARTS)
            kinds = kinds_of(text)
            inside = OBJECTIVES in kinds and GENERAL not in kinds
            top, skip = inside, False
            period = heading_period(text, year, single_year) if inside else ""
            continue
        # Bold alone does not make a heading here: "**Tổng điểm mục tiêu năm 2023: 80,08 điểm**".
        sub = heading_number(para) or (para.level and not MARKER.match(text)) or _sub_heading(text)
        if sub:
            kinds = kinds_of(text)
            if top:
                if GENERAL in kinds or (kinds and OBJECTIVES not in kinds):
                    skip = True  # "1. Mục tiêu chung", "b) Nhiệm vụ": not targets
                elif OBJECTIVES in kinds:
                    skip = False
                    period = heading_period(text, year, single_year)
            else:
                inside = OBJECTIVES in kinds and GENERAL not in kinds
                period = heading_period(text, year, single_year) if inside else ""
            continue
        if not inside:
            if m := _LABEL.match(text):
                inside = True
                period = heading_period(text, year, single_year)
                if m.group(2) and not text.rstrip().endswith(":"):
                    out.append((Para(para.line, m.group(2)), period))
            continue
        if skip or text.rstrip().endswith(":"):
            continue
        body = MARKER.sub("", text, count=1).strip()
        if body:
            out.append((Para(para.line, body), period))
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


def _target_cells(table: TaskTable):
    """(row, number, target text, lead cell) for each row of a target table."""
    roles = table.roles
    for row in table.table.rows[table.first:]:
        if is_header_row(row, roles) or is_column_numbers(row):
            continue
        cell = lambda role: "\n".join(  # noqa: E731 - one line per role
            row.cells[i] for i, r in roles.items() if r == role and i < len(row.cells) and row.cells[i]
        )
        text = squeeze(cell(TARGET))
        if not text:
            continue
        yield row, squeeze(cell(NUMBER)), text, cell(LEAD)


def target_table_units(table: TaskTable) -> list[str]:
    """The lead units a target table names, as written (for the unit register)."""
    return [name for _, _, _, lead in _target_cells(table) for name in split_units(lead)]


def collect_targets(
    paras: list[Para],
    start: int,
    tasks: list[Task],
    prose: bool,
    header,
    warnings: list[ImportWarning],
    target_tables: list[TaskTable] = (),
    register: UnitRegister | None = None,
) -> list[Target]:
    """Targets in document order: the objectives, the target tables, then (by line) those stated
    in task cells."""
    year = header.year
    single_year = not (header.period_start and header.period_end) or (
        header.period_start.year == header.period_end.year
    )
    found: list[tuple[int, TargetReading, list[str]]] = []
    for para, period in objective_paragraphs(paras, start, year, single_year):
        readings = read_targets(para.text, year)
        if not readings:
            if not _SUB_HEADING.match(para.text):
                warnings.append(
                    warning(
                        para.line,
                        "muc_tieu_khong_doc_duoc",
                        f"Mục tiêu không thành chỉ tiêu ({parse_target(para.text, year).reason}): "
                        f"'{_short(para.text)}'",
                        "an objective read as no target",
                    )
                )
        found += [(para.line, _with_period(r, period), []) for r in readings]
    for table in target_tables:
        values = [i for i, r in table.roles.items() if r == VALUE]
        heads = table.table.rows[table.first - 1].cells if table.first else ()
        for row, number, text, lead_cell in _target_cells(table):
            if not number and not lead_cell and re.match(r"^[IVXL]+[.)]?\s", text + " "):
                continue  # a section row of the table
            leads = [register.canonical(n) if register else n for n in split_units(lead_cell)]
            if values:
                # the level in a column of its own, one column per year ("Năm 2026 | Năm 2030")
                unit = squeeze(" ".join(row.cells[i] for i, r in table.roles.items() if r == UNIT and i < len(row.cells)))
                for i in values:
                    cell = squeeze(row.cells[i]) if i < len(row.cells) else ""
                    head = squeeze(heads[i]) if i < len(heads) else ""
                    if not cell:
                        continue
                    reading = read_value_cell(text, cell, unit, year)
                    if reading.kind != "target":
                        warnings.append(
                            warning(
                                row.line,
                                "muc_tieu_khong_doc_duoc",
                                f"Dòng {number or '?'} của bảng chỉ tiêu, cột '{head}': '{cell}' không có con số "
                                f"nên '{_short(text)}' không thành chỉ tiêu",
                                "a row of the target table whose level has no number",
                            )
                        )
                        continue
                    found.append((row.line, _with_period(reading, heading_period(head, year, single_year)),
                                  list(dict.fromkeys(leads))))
                continue
            readings = read_targets(text, year)
            if not readings:
                warnings.append(
                    warning(
                        row.line,
                        "muc_tieu_khong_doc_duoc",
                        f"Dòng {number or '?'} của bảng chỉ tiêu không thành chỉ tiêu "
                        f"({parse_target(text, year).reason}): '{_short(text)}'",
                        "a row of the target table read as no target",
                    )
                )
            found += [(row.line, r, list(dict.fromkeys(leads))) for r in readings]
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
                category=reading.category,
                source_line=line or None,
                lead=lead or (leads_by_section.get(index.number, []) if index else []),
            )
        )
    return targets


def _with_period(reading: TargetReading, period: str) -> TargetReading:
    """A period stated in the sentence wins over the heading's."""
    return reading if reading.period or not period else reading.model_copy(update={"period": period})


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
