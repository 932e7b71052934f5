"""The parts of a plan, told by their headings: one vocabulary, with its examples beside it.

A heading names one part or several ("II. CHỈ TIÊU, NHIỆM VỤ"); its sub-headings then say which
part the text under them belongs to ("a) Mục tiêu", "b) Nhiệm vụ"). Plans number their top
level with Roman numerals ("II. MỤC TIÊU") or, in many commune plans, with Arabic ones in capitals
("4. NHIỆM VỤ CỤ THỂ"). tests/importer/test_vocabulary.py reads every example.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dondoc.facts.importer.document import Para
from dondoc.facts.importer.layout import NUMBERED_HEADING, heading_number, is_heading, roman_heading

PURPOSE, OBJECTIVES, GENERAL, TASKS, ORGANISATION, FUNDING = (
    "purpose", "objectives", "general", "tasks", "organisation", "funding",
)


@dataclass(frozen=True)
class Part:
    kind: str
    words: str  # a regular expression over the heading, lower case
    examples: tuple[str, ...]


# The first part whose words match decides, except that every part named is kept for combined
# headings ("CHỈ TIÊU, NHIỆM VỤ"). "Mục tiêu chung" is the general aim: prose, not targets.
PARTS: tuple[Part, ...] = (
    Part(GENERAL, r"mục tiêu (?:chung|tổng quát)", ("1. Mục tiêu chung", "a) Mục tiêu tổng quát")),
    Part(PURPOSE, r"mục đích|yêu cầu", ("I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "2. Yêu cầu")),
    Part(OBJECTIVES, r"mục tiêu|chỉ tiêu", (
        "II. MỤC TIÊU", "2. Mục tiêu cụ thể", "II. CHỈ TIÊU CHỦ YẾU", "3. Mục tiêu đến năm 2030",
        "a) Mục tiêu", "2. CHỈ TIÊU", "MỘT SỐ CHỈ TIÊU CHỦ YẾU",
    )),
    Part(TASKS, r"nhiệm vụ|giải pháp|nội dung (?:thực hiện|hoạt động)|phân công|nội dung, thời gian", (
        "III. NHIỆM VỤ, GIẢI PHÁP", "4. NHIỆM VỤ CỤ THỂ", "b) Nhiệm vụ", "II. NHIỆM VỤ VÀ PHÂN CÔNG",
        "II. NỘI DUNG, THỜI GIAN", "III. NHIỆM VỤ CỦA CÁC ĐƠN VỊ",
    )),
    Part(ORGANISATION, r"tổ chức thực hiện", ("IV. TỔ CHỨC THỰC HIỆN", "5. TỔ CHỨC THỰC HIỆN")),
    Part(FUNDING, r"kinh phí", ("V. KINH PHÍ THỰC HIỆN",)),
)
_MARK = re.compile(r"^(?:[IVXL]+|\d+(?:\.\d+)*|[a-zđ])[.)]\s*")


def kinds_of(text: str) -> frozenset[str]:
    """Every part a heading names: {'objectives', 'tasks'} for 'II. CHỈ TIÊU, NHIỆM VỤ'."""
    body = _MARK.sub("", text.strip()).lower()
    found = set()
    rest = body
    for part in PARTS:
        if re.search(part.words, rest):
            found.add(part.kind)
            rest = re.sub(part.words, " ", rest)  # "mục tiêu chung" is not also "mục tiêu"
    return frozenset(found)


def is_top(para: Para) -> bool:
    """A top-level heading: 'II. MỤC TIÊU', or an Arabic-numbered one in capitals ('4. NHIỆM VỤ')."""
    if roman_heading(para):
        return True
    number = heading_number(para)
    if number is None or "." in number:
        return False
    m = NUMBERED_HEADING.match(para.text)
    words = m.group(2) if m else ""
    letters = [ch for ch in words if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) > 0.8 * len(letters)


def section_kind(para: Para) -> str | None:
    """For a top-level heading, the part it opens (the first named; '' for none known), else None."""
    if not is_top(para) or not is_heading(para):
        return None
    kinds = kinds_of(para.text)
    for part in PARTS:
        if part.kind in kinds:
            return part.kind
    return ""
