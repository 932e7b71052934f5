"""The store's answers as a person reads them on a terminal, and as JSON (``dondoc history``,
``dondoc letters``): lines of Vietnamese text, dates dd/mm/yyyy."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any, Iterable, Sequence

from dondoc.store.history import EVENTS, FindingStory, PlanNight
from dondoc.store.records import STATE_NAMES, Letter, LetterRef


def _d(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def letter_line(letter: LetterRef) -> str:
    """"#12  đã gửi   số 05/UBND-KT  ký 23/11/2026  gửi 24/11/2026  hạn trả lời 01/12/2026"."""
    parts = [f"#{letter.id:<5d}", f"{STATE_NAMES.get(letter.state, letter.state):10}"]
    parts.append(f"số {letter.cited:14}" if letter.number is not None else f"{'(chưa có số)':17}")
    parts.append(f"lập {_d(letter.check_date)}")
    for label, day in (("ký", letter.signed_on), ("gửi", letter.sent_on), ("trả lời", letter.replied_on), ("hạn trả lời", letter.reply_by)):
        if day:
            parts.append(f"{label} {_d(day)}")
    return "  ".join(parts)


def letters_table(letters: Sequence[Letter]) -> list[str]:
    if not letters:
        return ["Không có công văn nào."]
    return [f"{letter_line(letter)}  {letter.plan_key}  Kính gửi: {'; '.join(letter.addressees)}" for letter in letters]


def letter_detail(letter: Letter) -> list[str]:
    lines = [
        f"Công văn #{letter.id} — {STATE_NAMES.get(letter.state, letter.state)}",
        f"  Cơ quan ban hành: {letter.issuer}; ký hiệu {letter.symbol}" + (f"; số {letter.cited} năm {letter.register_year}" if letter.number is not None else ""),
        f"  Kế hoạch: {letter.plan_key}; lập theo kết quả kiểm tra ngày {_d(letter.check_date)}",
        f"  Kính gửi: {'; '.join(letter.addressees)}",
    ]
    if letter.subject:
        lines.append(f"  Trích yếu: {letter.subject}")
    if letter.follows:
        lines.append(f"  Tiếp theo công văn #{letter.follows}")
    for label, value in (
        ("Người ký", letter.signer), ("Ngày ký", _d(letter.signed_on)), ("Hạn trả lời", _d(letter.reply_by)),
        ("Ngày gửi", _d(letter.sent_on)), ("Ngày trả lời", _d(letter.replied_on)), ("Ghi chú trả lời", letter.reply_note),
        ("Ngày hủy", _d(letter.voided_on)), ("Lý do hủy", letter.void_reason),
        ("Thay bằng", f"công văn #{letter.superseded_by}" if letter.superseded_by else ""),
    ):
        if value:
            lines.append(f"  {label}: {value}")
    lines.append(f"  Nội dung: {len(letter.findings)} phát hiện, {len(letter.items)} nội dung đôn đốc")
    for path in letter.signed_files or letter.draft_files:
        lines.append(f"  Tệp: {path}")
    return lines


def finding_lines(stories: Iterable[FindingStory]) -> list[str]:
    lines = []
    for story in stories:
        lines.append(f"{story.key}")
        lines.append(f"  kế hoạch {story.plan_key}; quy tắc {story.rule}; nội dung {story.subject}; đơn vị {story.unit or '(không có)'}")
        for event in story.events:
            lines.append(f"  {_d(event.check_date)}  {EVENTS[event.event]}" + (f" ({event.severity})" if event.severity else ""))
        for letter in story.letters:
            lines.append(f"  trong {letter_line(letter)}")
    return lines or ["Không có phát hiện nào."]


def plan_lines(plan: str, nights: Sequence[PlanNight], letters: Sequence[Letter]) -> list[str]:
    lines = [f"Kế hoạch {plan}: {len(nights)} lần kiểm tra"]
    for night in nights:
        severities: dict[str, int] = {}
        for counts in night.counts.values():
            for severity, n in counts.items():
                severities[severity] = severities.get(severity, 0) + n
        total = sum(severities.values())
        detail = ", ".join(f"{s} {n}" for s, n in sorted(severities.items()))
        lines.append(
            f"  {_d(night.check_date)}: {total} phát hiện" + (f" ({detail})" if detail else "")
            + f"; mới {night.new}, tăng mức {night.escalated}, đã khắc phục {night.resolved}, tái phát {night.reopened}"
        )
    if letters:
        lines.append("Công văn:")
        lines += [f"  {letter_line(letter)}  Kính gửi: {'; '.join(letter.addressees)}" for letter in letters]
    return lines


def as_json(value: Any) -> str:
    return json.dumps(_plain(value), ensure_ascii=False, indent=2) + "\n"


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        if any(isinstance(k, tuple) for k in value):  # item keys (plan, subject, unit)
            return [{"key": list(k), "value": _plain(v)} for k, v in value.items()]
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value
