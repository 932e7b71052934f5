"""The unit that follows the plan for the committee (Plan.monitor), from 'Tổ chức thực hiện'.

Findings that name no unit (a target of the objectives section has no lead) go to
it. It is read, in this order, from:

1. a paragraph that has the unit follow the plan itself: "theo dõi" with "đôn đốc"
   or "tổng hợp", and "Kế hoạch" ("Là cơ quan thường trực tham mưu UBND xã theo dõi,
   đôn đốc, tổng hợp tình hình thực hiện Kế hoạch"); the unit is the one the paragraph
   or its numbered item names ("1. Phòng Kinh tế xã", "3. Trách nhiệm của Trung tâm
   ...", "2. Giao Công chức Tài chính – kế toán chủ trì, ...");
2. else where reports are sent to be compiled ("gửi Phòng Văn hoá - Xã hội xã tổng hợp").

Nothing found: left blank, for a person to fill in.
"""

from __future__ import annotations

import re

from dondoc.facts.importer.document import Para
from dondoc.facts.importer.headings import ORGANISATION, section_kind
from dondoc.facts.importer.units import clean_name, starts_with_unit

_FOLLOWS = re.compile(r"theo dõi", re.IGNORECASE)
_AND = re.compile(r"đôn đốc|tổng hợp", re.IGNORECASE)
_PLAN = re.compile(r"Kế hoạch")
_ITEM = re.compile(r"^(?:\d+|[a-zđ])[.)]\s*(?:Trách nhiệm của\s+)?(.+)$")
_UNIT_END = re.compile(
    r"\s+(?:là\b|chủ trì|làm đầu mối|tham mưu|thường xuyên|chủ động|phối hợp|có trách nhiệm|căn cứ|theo dõi|giúp)|[:.;,(]"
)
_COMPILED_BY = re.compile(r"(?:gửi|qua|về)\s+((?:Phòng|Văn phòng|Trung tâm|Công chức|Ban|Bộ phận)[^,;()]*?)\)?\s+(?:để\s+)?tổng hợp")


def _unit_of(text: str) -> str:
    text = re.sub(r"^Giao\s+", "", text)
    if not starts_with_unit(text):
        return ""
    cut = _UNIT_END.search(text)
    name = clean_name(text[: cut.start()] if cut else text)
    return name if 0 < len(name.split()) <= 12 else ""


# "... giao Sở Khoa học và Công nghệ (là cơ quan thường trực,) (có trách nhiệm) theo dõi, đôn đốc":
# the unit named in the sentence just before what it is asked to do.
_NAMED = re.compile(
    r"(?:^|\bgiao\s+|\bđề nghị\s+|\bdo\s+)((?:Sở|Phòng|Văn phòng|Trung tâm|Công chức|Ban|Bộ phận|Công an|Cục|Chi cục)"
    r"\s[^,;.()]*?)\s*,?\s+(?:(?:là cơ quan thường trực|là cơ quan đầu mối|là đầu mối|chủ trì|"
    r"có trách nhiệm|làm đầu mối|tham mưu)\s*,?\s*)*(?:giúp\s+(?:UBND|Ủy ban nhân dân|Chủ tịch)[^,;.]{0,40}?\s+)?"
    r"(?:hướng dẫn\s*,?\s*)?theo dõi",
)


def _named_in(text: str) -> str:
    m = _NAMED.search(re.sub(r"^Giao\s+", "", text))  # "Giao Sở Nội vụ theo dõi, đôn đốc ..."
    return clean_name(m.group(1)) if m and len(m.group(1).split()) <= 12 else ""


def read_monitor(paras: list[Para], start: int) -> tuple[str, int | None]:
    """(unit name as written, its line), or ('', None)."""
    inside = False
    item_unit = ""
    compiled: tuple[str, int] | None = None
    for para in paras[start:]:
        if para.text.startswith("Nơi nhận"):
            break
        kind = section_kind(para)  # "IV. TỔ CHỨC THỰC HIỆN", "5. TỔ CHỨC THỰC HIỆN"
        if kind is not None:
            inside = kind == ORGANISATION
            item_unit = ""
            continue
        if not inside:
            continue
        text = para.text
        if m := _ITEM.match(text):
            item_unit = _unit_of(m.group(1)) or item_unit
        if _FOLLOWS.search(text) and _AND.search(text) and _PLAN.search(text):
            unit = (_unit_of(m.group(1)) if m else "") or _named_in(text) or item_unit
            if unit:
                return unit, para.line
        if compiled is None and (c := _COMPILED_BY.search(text)):
            compiled = (clean_name(c.group(1)), para.line)
    return compiled if compiled else ("", None)


def duty_unit(text: str) -> tuple[str, str]:
    """(the unit a duty's sentence names, the unit of its numbered item) as written, or ''."""
    item = ""
    if m := _ITEM.match(text):
        item = _unit_of(m.group(1))
    named = _named_in(text) or _unit_of(re.sub(r"^(?:\d+|[a-zđ])[.)]\s*", "", text))
    return named or item, item
