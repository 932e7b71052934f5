"""Plans with no appendix: tasks from the assignments in the prose (seed 003).

An assignment is a lettered item ("a) Giao Công chức Văn hóa - xã hội là đầu mối ...") or a
numbered item that opens with a unit ("1. Phòng Kinh tế"). The text under it is the task; every
"Thời gian thực hiện:" line closes one task. docs/import.md, 3.3, lists the readings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from dondoc.facts.importer.document import Para
from dondoc.facts.importer.layout import heading_number, is_heading, roman_heading
from dondoc.facts.importer.report import ImportWarning, warning
from dondoc.facts.importer.tasks import RawTask
from dondoc.facts.importer.units import clean_name, starts_with_unit

_ASSIGNMENT = re.compile(r"^([a-zđ])\)\s*(.+)$")
_TIME_LINE = re.compile(r"^\*?\s*Thời\s+(?:gian|hạn)\s*(?:thực hiện|hoàn thành)?\s*[:：]\s*(.*)$", re.IGNORECASE)
_LEADER_LINE = re.compile(r"^\*?\s*Lãnh đạo phụ trách\s*:\s*(.*)$", re.IGNORECASE)
# Where the unit's name ends in "Giao Công chức Văn hóa - xã hội là đầu mối, chủ trì ...".
_AFTER_UNIT = re.compile(
    r"\s+(?:là\b|chủ trì|làm đầu mối|tham mưu|thường xuyên|nâng cao|quyết liệt|phối hợp|có trách nhiệm|"
    r"chịu trách nhiệm|thực hiện|căn cứ|chủ động|tổ chức|triển khai|theo dõi|hướng dẫn)|[:.;]|,\s",
)
_DEADLINE_WORDS = re.compile(
    r"(?:trước|chậm nhất|hoàn thành trước|xong trước)\s+ngày\s+\d{1,2}\s*(?:/\s*\d{1,2}(?:\s*/\s*\d{4})?|"
    r"(?:của\s+)?tháng\s+cuối\s+quý)|\b(?:hằng|hàng)\s+(?:tháng|quý)\b",
    re.IGNORECASE,
)
_BLOCKING_SECTIONS = re.compile(r"MỤC ĐÍCH|YÊU CẦU|MỤC TIÊU|CHỈ TIÊU|KINH PHÍ", re.IGNORECASE)
_ORGANISATION = re.compile(r"TỔ CHỨC THỰC HIỆN", re.IGNORECASE)


@dataclass
class _Assignment:
    letter: str
    section: str
    lead_text: str
    intro: str
    line: int
    parts: list[Para] = field(default_factory=list)
    tasks: list[RawTask] = field(default_factory=list)


def assignment_unit(para: Para) -> tuple[str, str]:
    """(unit names, the rest) of 'a) Giao Công chức Văn hóa - xã hội là đầu mối, chủ trì ...'."""
    m = _ASSIGNMENT.match(para.text)
    text = m.group(2) if m else para.text
    bold = re.sub(r"^[a-zđ]\)\s*", "", para.bold) if para.bold else ""
    bold = re.sub(r"^Giao\s+", "", bold).strip()
    text = re.sub(r"^Giao\s+", "", text)
    if bold and text.startswith(bold) and len(bold.split()) <= 40:
        return clean_name(bold), text[len(bold):].strip()
    cut = _AFTER_UNIT.search(text)
    if cut and cut.start() > 0:
        return clean_name(text[: cut.start()]), text[cut.start():].strip(" ,")
    return clean_name(text), ""


@dataclass
class Prose:
    tasks: list[RawTask]
    leaders: list[tuple[int, str]]  # 'Lãnh đạo phụ trách: ...' lines


def read_prose(paras: list[Para], start: int, warnings: list[ImportWarning]) -> Prose:
    """Tasks from the assignments in the text (a plan with no appendix).

    An assignment is a lettered item ("a) Giao Công chức ...") or a numbered item or heading
    that opens with a unit ("1. Phòng Kinh tế", "2. Công an xã"). Under it, each
    'Thời gian thực hiện:' line closes one task. In 'Tổ chức thực hiện', only duties with a
    date of their own are tasks ("báo cáo ... trước ngày 20 tháng cuối Quý"): the rest of
    that section says who follows the plan, not what is due.
    """
    tasks: list[RawTask] = []
    leaders: list[tuple[int, str]] = []
    section = ""  # the numbered part ("1" for "1. Chỉ số ...")
    top = ""  # the roman section
    current: _Assignment | None = None
    unread: list[Para] = []  # lettered items and time lines that belong to no unit
    skipping = False
    organisation = False

    def close() -> None:
        nonlocal current
        if current is not None and current.parts and not organisation:
            # Text after the last 'Thời gian thực hiện' line (or with none): a task without a deadline.
            current.tasks.append(_prose_task(current, "", current.parts))
            tasks.append(current.tasks[-1])
        if current is not None and len(current.tasks) > 1:
            for n, task in enumerate(current.tasks, start=1):
                task.id = f"{task.id}.{n}"
        current = None

    for para in paras[start:]:
        text = para.text
        if text.startswith("Nơi nhận") or re.match(r"^Trên đây là", text):
            break
        if roman := roman_heading(para):
            close()
            top, section = roman, ""
            skipping = bool(_BLOCKING_SECTIONS.search(text)) and not re.search(r"NHIỆM VỤ", text, re.IGNORECASE)
            organisation = bool(_ORGANISATION.search(text))
            continue
        if skipping:
            continue
        numbered = re.match(r"^(\d+)[.)]\s*(.+)$", text)
        if numbered and starts_with_unit(numbered.group(2)):
            # "1. Phòng Kinh tế", "2. Giao Công chức Tài chính – kế toán chủ trì, ...": an assignment.
            close()
            lead, intro = assignment_unit(Para(para.line, numbered.group(2), bold=_no_marker(para.bold)))
            current = _Assignment(numbered.group(1), top, lead, intro, para.line)
            continue
        if number := heading_number(para):
            close()
            section = number
            continue
        if m := _LEADER_LINE.match(text):
            leaders.append((para.line, m.group(1)))
            continue
        if text.startswith("(") and text.endswith(")"):
            continue
        if m := _ASSIGNMENT.match(text) or (para.level and _ASSIGNMENT.match(para.bold or "")):
            if not _names_unit(para):
                # "a) Rà soát, sửa đổi quy chế ...": a topic, not an assignment. Under a numbered
                # unit ("1. Phòng Kinh tế") it is part of that unit's work; else no unit does it.
                if current is not None and current.letter.isdigit():
                    current.parts.append(para)
                elif not organisation:
                    close()
                    unread.append(para)
                continue
            close()
            lead, intro = assignment_unit(para)
            current = _Assignment(m.group(1), top if organisation else section, lead, intro, para.line)
            continue
        if current is None:
            if _TIME_LINE.match(text) and not organisation:
                unread.append(para)
            continue
        if m := _TIME_LINE.match(text):
            parts = current.parts
            if not parts and not current.tasks and current.intro:
                parts = [Para(current.line, current.intro)]  # no list under it: the assignment itself
            current.tasks.append(_prose_task(current, m.group(1), parts or [para]))
            current.tasks[-1].deadline_line = para.line
            tasks.append(current.tasks[-1])
            current.parts = []
            continue
        if organisation and (d := _DEADLINE_WORDS.search(text)):
            task = _prose_task(current, d.group(0), [para])
            task.deadline_line = para.line
            current.tasks.append(task)
            tasks.append(task)
            continue
        if is_heading(para) and para.level:
            close()
            continue
        current.parts.append(para)
    close()
    _check_letters(tasks, warnings)
    for para in unread:
        warnings.append(
            warning(
                para.line,
                "nhiem_vu_khong_doc_duoc",
                f"Mục '{short(para.text)}' không nêu đơn vị thực hiện (Giao ..., Phòng ..., Công chức "
                "...) nên không đọc thành nhiệm vụ; nếu là nhiệm vụ, thêm vào plan.yaml",
                "an item that names no unit: not read as a task",
            )
        )
    return Prose(tasks, leaders)


def _names_unit(para: Para) -> bool:
    """Does a lettered item open with a unit ('a) Giao Công chức ...', bold 'Phòng Kinh tế')?"""
    m = _ASSIGNMENT.match(para.text)
    text = m.group(2) if m else para.text
    bold = re.sub(r"^[a-zđ]\)\s*", "", para.bold or "").strip()
    return starts_with_unit(text) or (bool(bold) and starts_with_unit(bold))


def _no_marker(bold: str) -> str:
    return re.sub(r"^\d+[.)]\s*", "", bold) if bold else ""


def _prose_task(assignment: _Assignment, deadline: str, parts: list[Para]) -> RawTask:
    # each part without its list dash or letter ("- ...", "b) ..."): the task's own words
    title = " ".join(re.sub(r"^(?:[-–+•*]|[a-zđ][).])\s*", "", p.text) for p in parts if not _TIME_LINE.match(p.text))
    task = RawTask(
        line=parts[0].line if parts else assignment.line,
        number=assignment.letter,
        section=assignment.section,
        title=title.strip() or assignment.intro,
        lead_text=assignment.lead_text,
        deadline_text=deadline,
    )
    task.id = f"{assignment.section}.{assignment.letter}" if assignment.section else assignment.letter
    task.start_line = assignment.line
    return task


def _check_letters(tasks: list[RawTask], warnings: list[ImportWarning]) -> None:
    """Assignments a), b), c) ... in each section: say which letters are missing."""
    seen: dict[str, list[tuple[str, int]]] = {}
    for task in tasks:
        if len(task.number) == 1 and task.number.isalpha():
            letters = seen.setdefault(task.section, [])
            if not letters or letters[-1][0] != task.number:
                letters.append((task.number, task.start_line or task.line))
    order = "abcdđeghiklmnopqrstuvxy"
    for section, letters in seen.items():
        previous = -1
        for letter, line in letters:
            at = order.find(letter)
            if at > previous + 1:
                missing = ", ".join(f"{c})" for c in order[previous + 1: at])
                warnings.append(
                    warning(
                        line,
                        "thieu_so_thu_tu",
                        f"Mục {section}: thiếu {missing} (trước {letter}))",
                        f"section {section}: {missing} missing before {letter})",
                    )
                )
            previous = max(previous, at)


def appendix_missing(paras: list[Para], warnings: list[ImportWarning]) -> None:
    for para in paras:
        if re.search(r"(theo|tại)\s+Phụ lục|Phụ lục\s+(kèm theo|gửi kèm)", para.text, re.IGNORECASE):
            warnings.append(
                warning(
                    para.line,
                    "thieu_phu_luc",
                    f"Văn bản nhắc đến phụ lục ('{short(para.text)}') nhưng tệp không có bảng phụ lục; "
                    "nhiệm vụ đọc từ lời văn",
                    "the text refers to an appendix the file does not contain; tasks read from the prose",
                )
            )
            return


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFD", name.lower()).replace("đ", "d")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def leader_names(leaders: list[tuple[int, str]], warnings: list[ImportWarning]) -> None:
    """'Đồng chí Hoàng Văn Mẫn' and 'Đồng chí Hoàng Văn Mán' in the same plan: say so."""
    spellings: dict[str, list[tuple[int, str]]] = {}
    for line, text in leaders:
        m = re.search(r"(?:Đồng chí|Đ/c|Ông|Bà)\s+([^,;(]+)", text)
        if m:
            name = m.group(1).strip(" .")
            group = spellings.setdefault(_fold(name), [])
            if name not in [n for _, n in group]:
                group.append((line, name))
    for group in spellings.values():
        if len(group) > 1:
            names = ", ".join(f"'{n}' (dòng {line})" for line, n in group)
            warnings.append(
                warning(
                    group[1][0],
                    "ten_lanh_dao_khong_thong_nhat",
                    f"Tên lãnh đạo phụ trách viết khác nhau: {names}",
                    "a leader's name is spelled in different ways",
                )
            )


def short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
