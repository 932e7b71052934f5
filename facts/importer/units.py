"""Unit names in cells and sentences: split a cell into units, keep one name per unit.

A lead or coordinating cell lists units separated by ';', line breaks, list
dashes ('- A; - B'), or commas before a new unit ('Văn phòng HĐND và UBND xã,
các phòng chuyên môn'). A comma inside a name ('Trung tâm Văn hoá, Thể thao và
Truyền thông xã', 'các cơ quan, đơn vị liên quan') does not split it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dondoc.facts.importer.clean import squeeze
from dondoc.facts.models import Unit
from dondoc.text import is_group, unit_key

# Words that begin a unit's name: a comma before one of them starts a new unit.
_UNIT_START = (
    r"các|tất cả|phòng|văn phòng|trung tâm|công an|quân sự|ban|ubnd|ủy ban|uỷ ban|mttq|mặt trận|"
    r"hội|đoàn|công chức|chi cục|đội|trạm|trường|bộ phận|cổng|bưu điện|ngân hàng|kho bạc|"
    r"chi nhánh|hợp tác xã|lãnh đạo|thôn|tổ dân phố|khu dân cư|đảng ủy|đảng uỷ|chi bộ|bảo hiểm|"
    r"sở|cục|bộ|viện|báo|đài|tỉnh đoàn|liên đoàn|hiệp hội|công ty|tổng công ty|hội đồng|"
    r"thanh tra|kho|cảng vụ|tòa án|toà án|viện kiểm sát|uỷ ban|bộ chỉ huy|ubmttq|trưởng thôn|tổ trưởng|"
    r"trưởng ban|trưởng các"
)
_UNIT_WORD = re.compile(rf"^(?:{_UNIT_START})\b\s*", re.IGNORECASE)


def _starts_unit(piece: str) -> bool:
    """Does the text after a comma name a new unit? Yes for a capitalised unit word ("..., Sở
    Công Thương", "..., Công an xã"), a group ("..., các phòng chuyên môn"), or a unit word before
    a capitalised name ("..., phòng Kinh tế"). "Các sở, ban, ngành tỉnh" stays one group: "ban"
    alone names nothing; nor does a comma inside a name ("Trung tâm Văn hoá, Thể thao ...").
    """
    piece = piece.strip()
    if re.match(r"(?:các|tất cả)\b", piece, re.IGNORECASE):
        return True
    m = _UNIT_WORD.match(piece)
    if not m:
        return False
    rest = piece[m.end():]
    return piece[:1].isupper() and bool(rest) or rest[:1].isupper()


def _comma_split(piece: str) -> list[str]:
    parts = piece.split(",")
    out = [parts[0]]
    for part in parts[1:]:
        if _starts_unit(part):
            out.append(part)
        else:
            out[-1] += "," + part
    return out


# A dash inside a name ('Văn hóa - Xã hội', 'HĐND - UBND') does not split it; a list
# dash follows the end of the previous item ('. - ', '; - ') or starts the cell.
_LIST_SPLIT = re.compile(r"\n|;|(?<=[.:])\s+[-–+•]\s+|^\s*[-–+•]\s+")
_TRIM = re.compile(r"^[\s\-–+•*.,;:]+|[\s\-–+•*.,;:]+$")
_LEADING_VERB = re.compile(r"^(giao|đề nghị|yêu cầu)\s+", re.IGNORECASE)
# "Các công chức Văn hóa - xã hội, Tư pháp - hộ tịch, ...": one office title shared by several units.
_SHARED_TITLE = re.compile(r"^các\s+(công chức|phòng|ban|bộ phận|trung tâm|đồng chí)\s+(.+)$", re.IGNORECASE)


_STARTS_WITH_UNIT = re.compile(rf"^(?:giao\s+)?(?:{_UNIT_START})\b", re.IGNORECASE)


def starts_with_unit(text: str) -> bool:
    """'Phòng Kinh tế ...', 'Giao Công chức Tài chính ...', 'Các công chức xã ...' (capitalised)."""
    return text[:1].isupper() and bool(_STARTS_WITH_UNIT.match(text))


# "Văn phòng HĐND và UBND xã chủ trì" in a lead cell: the role repeated after the name.
_TRAILING_ROLE = re.compile(r"\s+(?:chủ trì|phối hợp|thực hiện|tham gia)$", re.IGNORECASE)


def clean_name(name: str) -> str:
    name = squeeze(name).strip("“”\"'")
    name = _TRIM.sub("", name)
    return _TRAILING_ROLE.sub("", _LEADING_VERB.sub("", name).strip()).strip()


def split_units(cell: str) -> list[str]:
    """The unit names in a lead or coordinating cell, as written (trimmed), in order."""
    out: list[str] = []
    for piece in _LIST_SPLIT.split(cell or ""):
        piece = clean_name(piece or "")
        if not piece:
            continue
        for part in _comma_split(piece):
            out.extend(_shared_title(clean_name(part)))
    return [name for name in out if name and any(ch.isalpha() for ch in name)]


def _shared_title(name: str) -> list[str]:
    match = _SHARED_TITLE.match(name)
    if not match:
        return [name]
    title, rest = match.groups()
    items = [clean_name(x) for x in re.split(r",\s*|\s+và\s+(?=[A-ZĐÀ-Ỹ])", rest)]
    # Only when every item is a proper name ('Tư pháp - hộ tịch'), not 'các phòng chuyên môn'.
    if len(items) < 2 or not all(item and item[0].isupper() for item in items):
        return [name]
    title = title[0].upper() + title[1:]
    return [f"{title} {item}" for item in items]


_LOPSIDED_DASH = re.compile(r"\S[-–]\s|\s[-–]\S")  # "HĐND- UBND", "HĐND -UBND"
_ACRONYM_DASH = re.compile(r"\b[A-ZĐ]{2,}\s*[-–]\s*[A-ZĐ]{2,}\b")  # "HĐND - UBND": shorthand for "HĐND và UBND"


def well_formed(name: str) -> int:
    """How properly a unit's name is written: 2 for its full form ("Văn phòng HĐND và UBND
    xã"), 1 for the dash shorthand of two bodies ("HĐND - UBND"), 0 for a lopsided dash."""
    if _LOPSIDED_DASH.search(name):
        return 0
    return 1 if _ACRONYM_DASH.search(name) else 2


@dataclass
class UnitRegister:
    """Every spelling met, grouped by unit_key; the most used spelling names the unit."""

    _spellings: dict[str, dict[str, int]] = field(default_factory=dict)
    _order: list[str] = field(default_factory=list)

    def add(self, name: str) -> str:
        key = unit_key(name)
        if key not in self._spellings:
            self._spellings[key] = {}
            self._order.append(key)
        counts = self._spellings[key]
        counts[name] = counts.get(name, 0) + 1
        return key

    def knows(self, name: str) -> bool:
        return unit_key(name) in self._spellings

    def canonical(self, name: str) -> str:
        counts = self._spellings[unit_key(name)]
        order = list(counts)
        # A spelling that starts a cell (capitalised), then a well-formed one, then the most
        # used, then the first met: a typist's slip ("HĐND- UBND") never names the unit.
        best = max(order, key=lambda s: (s[:1].isupper(), well_formed(s), counts[s], -order.index(s)))
        return best[:1].upper() + best[1:]

    def units(self) -> list[Unit]:
        out = []
        for key in self._order:
            counts = self._spellings[key]
            name = self.canonical(next(iter(counts)))
            aliases = [s for s in counts if s != name]
            out.append(Unit(name=name, aliases=aliases, group=is_group(name)))
        return out
