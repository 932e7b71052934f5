"""Tasks written as numbered paragraphs with labelled lines, and dated duties of the organisation.

    4.1. Rà soát, lập danh sách hộ nghèo ...
    - Đơn vị chủ trì: Công chức Văn hóa - xã hội.
    - Đơn vị phối hợp: Trưởng các thôn.
    - Thời gian hoàn thành: Quý IV/2025;

The labels are the column names of an appendix table written as lines ("Đơn vị chủ trì",
"Cơ quan chủ trì", "Thời gian", "Thời hạn hoàn thành", ...): ``layout.column_role`` tells
what each holds, so a label and a column are one vocabulary. Several labels may share a line
("Đơn vị chủ trì: ... . Thời gian hoàn thành: ...").

A duty of "Tổ chức thực hiện" that carries a date of its own ("... báo cáo UBND tỉnh trong
tháng 01 hằng năm") is a task of the unit the paragraph names, in a plan of either shape: the
unit can be late with it.
"""

from __future__ import annotations

import re

from dondoc.facts.deadline import DeadlineKind, parse_deadline
from dondoc.facts.importer.document import Para
from dondoc.facts.importer.headings import ORGANISATION, section_kind
from dondoc.facts.importer.layout import COORD, DEADLINE, LEAD, PRODUCT, column_role, is_heading, roman_heading
from dondoc.facts.importer.monitor import duty_unit
from dondoc.facts.importer.tasks import RawTask

# A label: a column name and a colon, opening the line or after the full stop of the one before
# ("Đơn vị chủ trì: ... . Thời gian hoàn thành: ..."); layout.COLUMN_ROLES says what it names.
_CANDIDATE = re.compile(r"(?:^|(?<=[.;])\s+)([^:.;]{3,40}?)\s*:")
_ROLES = (LEAD, COORD, DEADLINE, PRODUCT)
_ITEM = re.compile(r"^(\d+(?:\.\d+)*)[.)]\s+(\S.*)$")


def labels(text: str) -> dict[str, str] | None:
    """{role: value} of a line made of labelled fields, else None."""
    body = re.sub(r"^[-–+•*]\s*", "", text.strip())
    found = [m for m in _CANDIDATE.finditer(body) if column_role(m.group(1)) in _ROLES]
    if not found or found[0].start() != 0:
        return None
    out: dict[str, str] = {}
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(body)
        role = column_role(m.group(1))
        if role not in out:
            out[role] = body[m.end():end].strip(" .;")
    return out


def labelled_tasks(paras: list[Para], start: int) -> list[RawTask]:
    """Numbered paragraphs followed by labelled lines, in a plan without an appendix."""
    tasks: list[RawTask] = []
    current: RawTask | None = None
    section = ""
    for para in paras[start:]:
        text = para.text
        if text.startswith("Nơi nhận"):
            break
        if roman := roman_heading(para):
            section = roman
            current = None
            continue
        fields = labels(text)
        if fields and current is not None:
            current.lead_text = current.lead_text or fields.get(LEAD, "")
            current.coord_text = current.coord_text or fields.get(COORD, "")
            current.product = current.product or fields.get(PRODUCT, "")
            if DEADLINE in fields and not current.deadline_text:
                current.deadline_text, current.deadline_line = fields[DEADLINE], para.line
            if current not in tasks:
                tasks.append(current)
            continue
        m = _ITEM.match(text)
        if m and not (is_heading(para) and para.level):
            current = RawTask(line=para.line, number=m.group(1), section=section, title=m.group(2))
            current.id = m.group(1)
            continue
        if is_heading(para):
            current = None
    return tasks


_TIME_START = re.compile(
    r"\s(?:trước|chậm nhất|trong|vào|hằng|hàng|định kỳ|quý|tháng|ngày|năm|từ|đến hết)\b", re.IGNORECASE
)


def dated_phrase(text: str, year: int, period) -> str:
    """The deadline a sentence ends with ('... báo cáo UBND tỉnh trong tháng 01 hằng năm'), or ''.

    Only a reading with dates counts: "theo quy định" names none."""
    sentence = text.rstrip(" .;")
    for m in _TIME_START.finditer(sentence):
        phrase = sentence[m.start() + 1:]
        reading = parse_deadline(phrase, year, period)
        if reading.kind in (DeadlineKind.DUE, DeadlineKind.WINDOW, DeadlineKind.RECURRING):
            return phrase
    return ""


def organisation_duties(paras: list[Para], start: int, year: int, period) -> list[RawTask]:
    """Duties with a date of their own in "Tổ chức thực hiện", as tasks of the unit named."""
    out: list[RawTask] = []
    inside = False
    item_unit = ""
    for para in paras[start:]:
        text = para.text
        if text.startswith(("Nơi nhận", "PHỤ LỤC", "Phụ lục")):
            break
        kind = section_kind(para)
        if kind is not None:
            inside = kind == ORGANISATION
            item_unit = ""
            continue
        if not inside:
            continue
        unit, item = duty_unit(text)
        item_unit = item or item_unit
        phrase = dated_phrase(text, year, period)
        if not phrase or text.isupper() or len(text) < len(phrase) + 20:
            continue  # a title ("... 6 THÁNG CUỐI NĂM 2025"), not a duty with its date
        title = re.sub(r"^(?:\d+|[a-zđ])[.)]\s*", "", text)
        task = RawTask(line=para.line, number="", section="", title=title, lead_text=unit or item_unit,
                       deadline_text=phrase)
        task.deadline_line = para.line
        out.append(task)
    for n, task in enumerate(out, start=1):
        task.id = f"TCTH.{n}"
    return out
