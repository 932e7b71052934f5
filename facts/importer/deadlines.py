"""Deadline phrases as the plan writes them, read through facts.deadline.parse_deadline.

A cell or a 'Thời gian thực hiện:' line may say more than a deadline ("Ngay từ
đầu năm, thực hiện xong trước ngày 15/03/2023 và triển khai thực hiện thường
xuyên trong năm"). The whole phrase is tried first. Only when parse_deadline
cannot read it are its parts tried (clauses, then the deadline-shaped pieces in
it); the part that gives the most definite reading becomes the task's phrase,
and the importer says so. The phrase kept is always one parse_deadline read,
so writing it to plan.yaml and reading it back gives the same deadline.
"""

from __future__ import annotations

import re

import dondoc.facts.deadline as deadline_module
from dondoc.facts.deadline import Deadline, DeadlineKind
from dondoc.facts.importer.clean import squeeze, tidy_prose

_CLAUSES = re.compile(r"\s*[;.]\s+|\s*[;.]$|,\s+|\s+và\s+")
_DATE = r"\d{1,2}\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{2,4})?"
_ROMAN = r"[IVX]+"
# Deadline-shaped pieces, for phrases parse_deadline cannot read whole.
_PIECES = [
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"(?:chậm nhất|trước|đến|hoàn thành trước|xong trước)\s+ngày\s+{_DATE}",
        r"trước\s+ngày\s+\d{1,2}\s+(?:của\s+)?tháng\s+cuối\s+quý",
        rf"quý\s+{_ROMAN}(?:\s*,\s*{_ROMAN})*(?:\s*(?:/|năm)\s*\d{{4}})?",
        r"(?:6|sáu)\s+tháng\s+(?:đầu|cuối)\s+năm(?:\s+\d{4})?",
        r"tháng\s+\d{1,2}\s*(?:/|năm)\s*\d{4}",
        r"(?:hằng|hàng)\s+(?:tháng|quý|năm)",
        r"thường\s+xuyên(?:\s+trong\s+năm(?:\s+\d{4})?)?",
    )
]
# Most definite first: a due date is what a check can hold a unit to.
_RANK = {
    DeadlineKind.DUE: 0,
    DeadlineKind.WINDOW: 1,
    DeadlineKind.RECURRING: 2,
    DeadlineKind.CONTINUOUS: 3,
    DeadlineKind.EXTERNAL: 4,
    DeadlineKind.UNPARSED: 5,
}


def clean_phrase(text: str) -> str:
    return tidy_prose(squeeze(text).strip(" .;,:"))


def read_deadline(text: str, year: int, period: deadline_module.Period | None = None) -> tuple[Deadline, str]:
    """(deadline, the full text when only part of it was read, else ''); ``period`` is the plan's."""
    phrase = clean_phrase(text)
    whole = deadline_module.parse_deadline(phrase, year, period)
    if whole.kind != DeadlineKind.UNPARSED:
        return whole, ""
    best: Deadline | None = None
    for candidate in _candidates(phrase):
        reading = deadline_module.parse_deadline(candidate, year, period)
        if reading.kind == DeadlineKind.UNPARSED:
            continue
        if best is None or _better(reading, best):
            best = reading
    if best is None:
        return whole, ""
    return best, phrase


def _candidates(phrase: str) -> list[str]:
    seen: list[str] = []
    # Deadline-shaped pieces first: on a tie they give the plainer phrase.
    pieces = [clean_phrase(m.group(0)) for pattern in _PIECES for m in pattern.finditer(phrase)]
    pieces += [clean_phrase(p) for p in _CLAUSES.split(phrase)]
    for piece in pieces:
        if piece and piece != phrase and piece not in seen:
            seen.append(piece)
    return seen


def _better(a: Deadline, b: Deadline) -> bool:
    if _RANK[a.kind] != _RANK[b.kind]:
        return _RANK[a.kind] < _RANK[b.kind]
    # Two due dates in one line: the task is done when its last part is done.
    return bool(a.due and b.due and a.due > b.due)
