"""Every demo notice, in every format, read for the forms an administrative writer never uses:
straight quotes, arrows, signs for words ("điểm %", "+1,28"), "None", field names or other
English, a capital "Các" after a lower-case word, a date not written dd/mm/yyyy, a zero count,
an unsigned letter."""

from __future__ import annotations

import re

import pytest

from dondoc.facts.kinds import KINDS
from tests.notice_text import demo, docx_lines, html_lines, pdf_text

ENGLISH = {name for fields in KINDS.values() for name in fields} | {
    "none", "null", "nan", "inf", "true", "false", "undefined", "the", "and", "notice", "rule", "finding",
    "overdue", "missing", "unit", "task", "target", "procedure", "occurrence", "section", "request",
}
FORBIDDEN = [
    (re.compile(r"[\"']"), "straight quote"),
    (re.compile(r"[→←↔⇒⇐]|->|=>"), "arrow"),
    (re.compile(r"điểm\s*%"), "'điểm %' (write 'điểm phần trăm')"),
    (re.compile(r"(?<![\w/])[+−-]\d"), "a signed number (write 'vượt', 'thấp hơn')"),
    (re.compile(r"[≥≤]|(?<=\s)[<>=](?=\s)"), "a comparison sign (write 'tối thiểu', 'tối đa')"),
    (re.compile(r"\b(?!\d{2}/\d{2}/\d{4}\b)\d{1,2}/\d{1,2}/\d{4}\b"), "a date not written dd/mm/yyyy"),
    (re.compile(r":\s0+\s"), "a zero count"),
    (re.compile(r"\{\{|\{%|\}\}"), "template syntax"),
    (re.compile(r"\b(\w+(?:\s+\w+){1,3})\s+\1\b", re.IGNORECASE), "a phrase written twice"),
    (re.compile(r"(?<=[a-zà-ỹđ] )(?:Tối thiểu|Tối đa|Ít nhất|Không quá)\b"), "a target word capitalised mid-sentence"),
    (re.compile(r"(?:^|[\s(“])Trong đó,"), "'Trong đó,' with nothing before it to refer to"),
    (re.compile(r"\w- \w"), "a dash glued to one word ('HĐND- UBND')"),
    (re.compile(r"\{(?:chỉ tiêu|mức yêu cầu)\}"), "a request's place left unfilled"),
]


def problems(lines: list[str]) -> list[str]:
    found = []
    for line in lines:
        for pattern, what in FORBIDDEN:
            if pattern.search(line):
                found.append(f"{what}: {line}")
        for word in re.findall(r"\b[A-Za-z_]+\b", line):
            if word.lower() in ENGLISH or "_" in word:
                found.append(f"English '{word}': {line}")
        for m in re.finditer(r"(\w+) Các\b", line):
            if m[1][-1].islower():
                found.append(f"capital 'Các' after '{m[1]}': {line}")
    return found


def _lines(entry: dict, fmt: str) -> list[str]:
    if fmt == "html":
        return html_lines(entry["html"])
    if fmt == "docx":
        return docx_lines(entry["docx"])
    return [line for page in pdf_text(entry["pdf"]) for line in page.splitlines()]


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_no_demo_notice_has_a_forbidden_form(fmt):
    found = {stem: problems(_lines(entry, fmt)) for stem, entry in demo().items()}
    assert {stem: p for stem, p in found.items() if p} == {}


@pytest.mark.parametrize(
    "line",
    ['Nhiệm vụ "A"', "15 ngày → 10 ngày", "-16,5 điểm %", "+1,28", "≥ 90%", "None", "kết quả actual", "days_overdue",
     "giao Các phòng chuyên môn", "hạn 31/7/2025", "- Hoàn thành đúng hạn: 0 nhiệm vụ;", "{{ unit }}",
     "của Thành phố Thành phố", "Thực hiện kiểm tra kiểm tra công tác", "Kiểm tra cải cách hành chính Tối thiểu 30%",
     "1 Trong đó, mức độ hài lòng", "Kính gửi: Văn phòng HĐND- UBND xã.", "để đưa {chỉ tiêu} về {mức yêu cầu}"],
)
def test_the_check_catches_each_form(line):
    assert problems([line]), line


@pytest.mark.parametrize(
    "line",
    ["Kính gửi: Các phòng chuyên môn.", "hạn cuối 31/07/2025", "thấp hơn 16,5 điểm phần trăm", "Nghị quyết số 66.7/2025/NQ-CP",
     "Theo Kế hoạch số 97/KH-UBND", "1.001612 - Cấp giấy phép", "- Quá hạn chưa hoàn thành: 02 nhiệm vụ;", "An Biên",
     "Tối thiểu 30% số cơ quan", "Phòng Văn hóa - Xã hội", "Kính gửi: Văn phòng HĐND và UBND xã.", "từ từ, dần dần"],
)
def test_the_check_lets_good_forms_through(line):
    assert not problems([line]), line


def test_every_demo_letter_is_signed_by_a_named_person():
    for stem, entry in demo().items():
        notice = entry["notice"]
        lines = html_lines(entry["html"])
        assert lines[-1] == (notice.settings.signer or notice.plan.signer).name != "", stem
        assert lines[-1] not in ("CHỦ TỊCH", "PHÓ CHỦ TỊCH"), stem
