"""The plan's header: issuer, locality, number, date, title, year or period, what it implements.

Where the header and another place disagree (the appendix's "Kèm theo Kế hoạch
số ... ngày ..."), the header wins and the disagreement is reported: the header
is what was signed. A blank header date is filled from the appendix when that
one is complete, and said so.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from dondoc.errors import InputError
from dondoc.facts.importer.document import Para
from dondoc.facts.importer.layout import roman_heading
from dondoc.facts.importer.report import ImportWarning, warning

_PLAN_WORD = re.compile(r"^KẾ\s+HOẠCH\b\s*[:.\-–]?\s*(.*)$")
_NUMBER_LINE = re.compile(r"^Số\s*:\s*(\S*)|^Số\s+(\d*\s*/\s*\S+)$")
_DATE_LINE = re.compile(
    r"^(?P<place>[^,\d]{2,50}),\s*ngày\s*(?P<d>\d{0,2})\s*tháng\s*(?P<m>\d{0,2})\s*năm\s*(?P<y>\d{4})",
    re.IGNORECASE,
)
_DATE_LINE_NUMERIC = re.compile(  # "An Hòa, ngày 14/11/2025"
    r"^(?P<place>[^,\d]{2,50}),\s*ngày\s*(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4})",
    re.IGNORECASE,
)
_ATTACHED = re.compile(
    r"kèm theo\s+(?P<kind>Kế hoạch|Quyết định)\s+(?:số\s*:?\s*)?(?P<number>[^\s,;]*)"
    r"(?:\s+ngày\s+(?P<date>\d{0,2}\s*(?:/|tháng)\s*\d{0,2}\s*(?:/|năm)\s*\d{4}))?",
    re.IGNORECASE,
)
_COMMITTEE = r"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)"
_LEVEL = r"(xã|phường|thị trấn|XÃ|PHƯỜNG|THỊ TRẤN)"
# The issuer block may name any level ("ỦY BAN NHÂN DÂN / TỈNH AN HÒA"); the line above it, when
# it names a committee too, is the superior ("UBND THÀNH PHỐ HẢI PHÒNG" over "UBND XÃ GIA LỘC").
_BLOCK_LEVEL = r"(xã|phường|thị trấn|XÃ|PHƯỜNG|THỊ TRẤN|TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ)"
_SUPERIOR = re.compile(rf"^{_COMMITTEE}\s+(TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ)\s+\S.*$")
# Words that end a place name in running text ("xã Gia Lộc năm 2026", "... tỉnh Bắc Ninh").
_NAME_END = re.compile(r"^(?:năm|giai|đến|trong|tỉnh|huyện|thành|quận|thị|về|và|theo|như|từ)$", re.IGNORECASE)
_SIGN_AUTHORITY = re.compile(r"^(?:TM|KT|TL|TUQ|Q|Q\.\s*CHỦ TỊCH)\.?\s+\S.*$")
_SIGN_TITLE = re.compile(r"^(?:PHÓ\s+)?CHỦ\s+TỊCH$|^(?:PHÓ\s+)?CHÁNH VĂN PHÒNG$|^(?:PHÓ\s+)?GIÁM ĐỐC$")
_REFERENCE = re.compile(
    r"(?P<kind>Kế hoạch|Quyết định|Nghị quyết|Chỉ thị|Công văn|Thông tư|Nghị định|Chương trình|"
    r"Đề án|Thông báo|Kết luận|Hướng dẫn)\s+số\s*:?\s*(?P<number>\d[\w.\-]*\s*/\s*[\w.\-/&]+)"
    r"(?:\s+ngày\s+(?P<date>\d{1,2}\s*(?:/|tháng)\s*\d{1,2}\s*(?:/|năm)\s*\d{4}))?",
)


@dataclass
class Header:
    issuer: str = ""
    superior: str = ""
    locality: str = ""
    number: str = ""
    issued: dt.date | None = None
    title: str = ""
    year: int = 0
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    implements: list[str] = field(default_factory=list)
    title_index: int = 0  # index of the title paragraph: the body starts after it
    date_year: int = 0  # the year on the date line, even when its day is blank
    signer: dict[str, str] = field(default_factory=dict)  # authority, title, name (Signer)
    warnings: list[ImportWarning] = field(default_factory=list)

    def plan_fields(self) -> dict:
        return {
            "issuer": self.issuer,
            "superior": self.superior,
            "locality": self.locality,
            "number": self.number,
            "issued": self.issued,
            "title": self.title,
            "year": self.year,
            "period_start": self.period_start,
            "period_end": self.period_end,
            "implements": self.implements,
            **({"signer": self.signer} if self.signer else {}),
        }


def parse_date(text: str) -> dt.date | None:
    """'27/3/2026', '31 tháng 7 năm 2025' -> a date; a blank part or an impossible date -> None."""
    match = re.search(r"(\d{1,2})\s*(?:/|\.|-|tháng)\s*(\d{1,2})\s*(?:/|\.|-|năm)\s*(\d{4})", text or "")
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def read_header(paras: list[Para], path: Path) -> Header:
    header = Header()
    plan_at = _plan_word(paras)
    if plan_at is None:
        raise InputError(
            path,
            "không phải kế hoạch: không thấy chữ 'KẾ HOẠCH' ở đầu văn bản (not a plan: no 'KẾ HOẠCH' title)",
            line=paras[0].line if paras else 1,
            hint="importer đọc văn bản KẾ HOẠCH của UBND xã, phường / the importer reads a commune's KẾ HOẠCH",
        )
    _title(header, paras, plan_at)
    head = paras[: header.title_index + 4]
    body_start = _body_start(paras, header.title_index)
    _number_and_date(header, head, paras[header.title_index + 1: body_start])
    _issuer(header, paras, head, body_start)
    _year(header, paras[plan_at], path)
    header.implements = _implements(paras[:body_start], header.title_index)
    _check_attachments(header, paras)
    _signer(header, paras)
    return header


def _plan_word(paras: list[Para]) -> int | None:
    for index, para in enumerate(paras[:120]):
        if _PLAN_WORD.match(para.text) and para.text[:8].isupper():
            return index
    return None


def _title(header: Header, paras: list[Para], at: int) -> None:
    rest = _PLAN_WORD.match(paras[at].text).group(1).strip()
    if rest:
        header.title, header.title_index = rest, at
    elif at + 1 < len(paras) and not paras[at + 1].text.startswith("("):
        header.title, header.title_index = paras[at + 1].text, at + 1
    else:
        header.title_index = at


def _body_start(paras: list[Para], title_index: int) -> int:
    for index in range(title_index + 1, len(paras)):
        if roman_heading(paras[index]):
            return index
    return len(paras)


def _number_and_date(header: Header, head: list[Para], after_title: list[Para]) -> None:
    number_line = date_line = None
    for para in head:
        if number_line is None and (m := _NUMBER_LINE.match(para.text)):
            number_line, header.number = para, re.sub(r"\s+", "", m.group(1) or m.group(2) or "")
        if date_line is None and (m := _DATE_LINE.match(para.text) or _DATE_LINE_NUMERIC.match(para.text)):
            date_line = para
            header.locality = m.group("place").strip()
            header.date_year = int(m.group("y"))
            if m.group("d") and m.group("m"):
                header.issued = parse_date(f"{m.group('d')}/{m.group('m')}/{m.group('y')}")
            if header.issued is None:
                header.warnings.append(
                    warning(
                        para.line,
                        "ngay_ban_hanh_trong",
                        f"Ngày ban hành để trống hoặc không đầy đủ: '{m.group(0).strip()}'",
                        "the issue date is blank or incomplete",
                    )
                )
    if number_line is None:
        # No "Số:" line: a plan issued with a decision is known by the decision's number
        # ("Kèm theo Quyết định số 692/QĐ-UBND"); an appendix may repeat the plan's own.
        for para in after_title + head:
            m = _ATTACHED.search(para.text)
            if m and m.group("number")[:1].isdigit():
                header.number = m.group("number")
                number_line = para
                break
    if not header.number[:1].isdigit():
        line = number_line.line if number_line else (head[0].line if head else None)
        printed = f"'{header.number}'" if header.number else "không có dòng 'Số:'"
        header.warnings.append(
            warning(
                line,
                "so_ky_hieu_trong",
                f"Số, ký hiệu văn bản để trống ({printed}): kế hoạch còn là dự thảo?",
                "the document number is blank: a draft?",
            )
        )
    if date_line is None:
        # A line that looks like the place and date but was not read is named, not passed over.
        shaped = next((p for p in head if re.search(r",\s*ngày\b.*\d{4}", p.text)), None)
        header.warnings.append(
            warning(
                shaped.line if shaped else (head[0].line if head else None),
                "ngay_ban_hanh_trong",
                f"Không đọc được dòng địa danh, ngày ban hành: '{shaped.text[:80]}' (cần dạng 'Gia Lộc, "
                "ngày 23 tháng 3 năm 2026')" if shaped else "Không có dòng địa danh, ngày tháng năm ban hành",
                "the place-and-date line could not be read" if shaped else "no place-and-date line",
            )
        )


def _issuer(header: Header, paras: list[Para], head: list[Para], body_start: int) -> None:
    # 1. The issuer block: "ỦY BAN NHÂN DÂN" over "XÃ GIA PHÚC" (or on one line). When two
    # committees are stacked, the lower one issues and the upper one is its superior.
    blocks: list[tuple[int, str]] = []
    for index, para in enumerate(head):
        text = para.text.strip()
        if (m := re.match(rf"^{_COMMITTEE}\s+{_BLOCK_LEVEL}\s+(\S.*)$", text)) and text.isupper():
            blocks.append((index, _issuer_name(m.group(1), m.group(2))))
        elif re.fullmatch(_COMMITTEE, text):
            for below in head[index + 1: index + 3]:
                if m := re.match(rf"^{_BLOCK_LEVEL}\s+(\S.*)$", below.text.strip()):
                    if below.text.strip().isupper():
                        blocks.append((index, _issuer_name(m.group(1), m.group(2))))
                    break
    if blocks:
        index, header.issuer = blocks[-1]
        if len(blocks) > 1:
            header.superior = head[blocks[-2][0]].text.strip()
        elif index and _SUPERIOR.match(head[index - 1].text.strip()):
            header.superior = head[index - 1].text.strip()
    # 2. No block: who the text says draws up the plan ("UBND xã Gia Lộc xây dựng kế hoạch ..."),
    # a mention of the committee in the preamble or the appendix reference, or the title's
    # "trên địa bàn xã ...". Never a common noun: "KINH TẾ - XÃ HỘI" names no commune. Said so.
    source = None
    if not header.issuer:
        candidates = [p for p in paras[header.title_index + 1: body_start]]
        candidates += [p for p in paras if "kèm theo" in p.text.lower()]
        title = Para(paras[header.title_index].line if paras else 0, header.title)
        for pattern, where in (
            (rf"{_COMMITTEE}\s+{_LEVEL}\s+(\S+(?:\s+\S+){{0,4}}?)\s+(?:xây dựng|ban hành|triển khai)", candidates),
            (rf"{_COMMITTEE}\s+{_LEVEL}\s+(\S+(?:\s+\S+){{0,4}})", candidates + [title]),
            (rf"(?:địa bàn|của)\s+{_LEVEL}\s+(\S+(?:\s+\S+){{0,4}})", candidates + [title]),
            (r"(?:^|\s)(xã|phường|thị trấn)\s+(\S+(?:\s+\S+){0,4})", [title]),
        ):
            for para in where:
                for m in re.finditer(pattern, para.text):
                    name = _proper_name(m.group(2))
                    if name:
                        header.issuer, source = _issuer_name(m.group(1), name), para
                        break
                if header.issuer:
                    break
            if header.issuer:
                break
    if not header.locality and header.issuer:
        header.locality = re.sub(r"^UBND (xã|phường|thị trấn|tỉnh|thành phố|huyện|quận|thị xã) ", "", header.issuer)
    first = head[0].line if head else None
    if not header.issuer:
        header.warnings.append(
            warning(
                first,
                "thieu_co_quan_ban_hanh",
                "Không có khối tên cơ quan ban hành (ỦY BAN NHÂN DÂN / XÃ ...) và văn bản không nêu "
                "UBND xã, phường nào ban hành; điền 'issuer' trong plan.yaml",
                "no issuer block and no issuing committee named; fill in 'issuer' in plan.yaml",
            )
        )
    elif source is not None:
        header.warnings.append(
            warning(
                source.line,
                "co_quan_ban_hanh_suy_ra",
                f"Không có khối tên cơ quan ban hành ở đầu văn bản; cơ quan ban hành "
                f"'{header.issuer}' lấy từ dòng này, cần kiểm tra",
                f"no issuer block; the issuer '{header.issuer}' is taken from this line, check it",
            )
        )


def _proper_name(text: str) -> str:
    """The capitalised words at the start: 'Gia Lộc xây dựng ...' -> 'Gia Lộc'."""
    words = []
    for word in text.split():
        word = word.strip(",.;:()")
        if not word or not word[0].isupper() or _NAME_END.match(word):
            break
        words.append(word)
    if words and words[0].lower() == "hội":
        return ""  # "XÃ HỘI" is society, not a commune named Hội
    return " ".join(words)


def _issuer_name(level: str, name: str) -> str:
    name = name.strip(" ,.;")
    if name.isupper():
        name = name.title()
    return f"UBND {level.lower()} {name}"


def _year(header: Header, plan_para: Para, path: Path) -> None:
    title = header.title
    if m := re.search(r"(?:6|sáu) tháng (đầu|cuối) năm (\d{4})", title, re.IGNORECASE):
        year = int(m.group(2))
        header.year = year
        first = m.group(1).lower() == "đầu"
        header.period_start = dt.date(year, 1 if first else 7, 1)
        header.period_end = dt.date(year, 6, 30) if first else dt.date(year, 12, 31)
    elif m := re.search(r"giai đoạn (\d{4})\s*[-–]\s*(\d{4})", title, re.IGNORECASE):
        start, end = int(m.group(1)), int(m.group(2))
        if start <= end:
            header.year = start
            header.period_start, header.period_end = dt.date(start, 1, 1), dt.date(end, 12, 31)
    elif m := re.search(r"(?<!đến )(?<!tới )(?<!hết )năm (\d{4})", title, re.IGNORECASE):
        header.year = int(m.group(1))
    elif m := re.search(r"(?:đến|tới)\s+(?:hết\s+)?năm (\d{4})", title, re.IGNORECASE):
        # "... ĐẾN NĂM 2030": the year it runs to, not the year of the plan. The plan's year is
        # the year it was issued; its period runs from then to the end of that year.
        end = int(m.group(1))
        start = header.issued.year if header.issued else header.date_year
        if start and start <= end:
            header.year = start
            header.period_start, header.period_end = dt.date(start, 1, 1), dt.date(end, 12, 31)
    if not header.year and header.issued:
        header.year = header.issued.year
    if not header.year:
        header.year = header.date_year
    if not 2000 <= header.year <= 2100:
        raise InputError(
            path,
            "không xác định được năm của kế hoạch (no year in the title or date)",
            line=plan_para.line,
            hint="tên kế hoạch thường có 'năm 2026' / the title usually says 'năm 2026'",
        )


def _implements(paras: list[Para], title_index: int) -> list[str]:
    """The documents the plan carries out, as 'Kế hoạch số 69/KH-UBND ngày 27/02/2026'.

    Only those cited directly after 'Thực hiện' / 'Căn cứ': a document named inside
    another one's description ('... về thực hiện Nghị quyết số 02/NQ-CP') is left out.
    """
    out: list[str] = []
    for index, para in enumerate(paras):
        if index == title_index or not re.match(r"^(Thực hiện|Căn cứ)\b", para.text):
            continue
        text = re.sub(r"\(sau đây gọi tắt[^)]*\)", "", para.text)
        last_end = None
        for m in _REFERENCE.finditer(text):
            between = text[last_end or 0: m.start()]
            # After "về" (until a ';') the text describes the previous document.
            nested = last_end is not None and re.search(r"\bvề\b", between) and ";" not in between
            last_end = m.end()
            if nested:
                continue
            number = re.sub(r"\s+", "", m.group("number")).rstrip(".-")
            if any(f" số {number}" in item for item in out):
                continue
            item = f"{m.group('kind')} số {number}"
            if m.group("date"):
                item += " ngày " + re.sub(r"\s+", " ", m.group("date"))
            out.append(item)
    return out


def _check_attachments(header: Header, paras: list[Para]) -> None:
    """The appendix names the plan again ('Kèm theo Kế hoạch số 97/KH-UBND ngày 27/3/2026')."""
    for para in paras[header.title_index + 1:]:
        for m in _ATTACHED.finditer(para.text):
            number, date_text = m.group("number"), m.group("date") or ""
            date = parse_date(date_text)
            if header.number[:1].isdigit() and number[:1].isdigit() and number != header.number:
                header.warnings.append(
                    warning(
                        para.line,
                        "so_khong_khop",
                        f"Số kế hoạch ở đầu văn bản là {header.number}, ở đây là {number}",
                        f"the header says {header.number}, this line {number}",
                    )
                )
            if date and header.issued and date != header.issued:
                header.warnings.append(
                    warning(
                        para.line,
                        "ngay_khong_khop",
                        f"Ngày ban hành ở đầu văn bản là {header.issued:%d/%m/%Y}, ở đây là "
                        f"{date:%d/%m/%Y}; giữ ngày ở đầu văn bản",
                        f"the header says {header.issued:%d/%m/%Y}, this line {date:%d/%m/%Y}; "
                        "the header's date is kept",
                    )
                )
            elif date and header.issued is None:
                header.issued = date
                header.warnings.append(
                    warning(
                        para.line,
                        "ngay_ban_hanh_trong",
                        f"Đầu văn bản để trống ngày; lấy ngày {date:%d/%m/%Y} ở dòng này",
                        f"the header's date is blank; {date:%d/%m/%Y} is taken from this line",
                    )
                )


_PLACEHOLDER = re.compile(r"^\(?\s*(?:đã ký|ký|ký tên|ký, ghi rõ họ tên|ký và đóng dấu)[^)]*\)?$", re.IGNORECASE)
_PERSON = re.compile(r"^[A-ZĐÀ-Ỹ][^\s\d,;:]*(?:\s+[A-ZĐÀ-Ỹ][^\s\d,;:]*){1,5}$")


def _signer(header: Header, paras: list[Para]) -> None:
    """The signature block: 'TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Trần Minh Khoa'.

    Authority lines (TM., KT., TL., Q.) and the title, then the name a few lines below (an
    "(Đã ký)" between is skipped). A block without a name (an unsigned draft) keeps the title.
    """
    for index in range(header.title_index + 1, len(paras)):
        text = paras[index].text.strip()
        if not (_SIGN_AUTHORITY.match(text) or _SIGN_TITLE.match(text)) or not text.isupper():
            continue
        authority: list[str] = []
        title = ""
        at = index
        while at < len(paras) and _SIGN_AUTHORITY.match(paras[at].text.strip()):
            authority.append(paras[at].text.strip())
            at += 1
        if at < len(paras) and _SIGN_TITLE.match(paras[at].text.strip()):
            title = paras[at].text.strip()
            at += 1
        elif authority and re.search(r"CHỦ TỊCH$", authority[-1]) and not authority[-1].startswith("KT"):
            title = "CHỦ TỊCH"  # "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH" on one line
        if not title:
            continue
        name = ""
        for below in paras[at: at + 3]:
            line = below.text.strip()
            if _PLACEHOLDER.match(line):
                continue
            if _PERSON.match(line) and not line.isupper():
                name = line
            break
        header.signer = {
            "authority": "\n".join(authority) or "TM. ỦY BAN NHÂN DÂN",
            "title": title,
            "name": name,
        }
        return
