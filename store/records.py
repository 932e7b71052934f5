"""What goes into the store and what comes out of it: plain frozen records.

Keys are the night's, stored as given and never parsed: a plan key ("xa-gia-loc-2026-97-KH-UBND"),
a finding key (made from rule, plan, subject and unit), an item key (plan key, subject, unit
key): the thing a letter is about, whatever rule fired on it.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

# A letter's states: draft -> signed -> sent -> replied; draft -> superseded; signed/sent -> voided.
DRAFT, SUPERSEDED, SIGNED, SENT, REPLIED, VOIDED = "draft", "superseded", "signed", "sent", "replied", "voided"
STATES = (DRAFT, SUPERSEDED, SIGNED, SENT, REPLIED, VOIDED)
GONE_OUT = (SIGNED, SENT, REPLIED)  # a letter that went out and still stands: it notified its units
STATE_NAMES = {  # as staff read them
    DRAFT: "dự thảo",
    SUPERSEDED: "đã thay",
    SIGNED: "đã ký",
    SENT: "đã gửi",
    REPLIED: "đã trả lời",
    VOIDED: "đã hủy",
}

ItemKey = tuple[str, str, str]  # (plan key, subject, unit key)


# -- in: one night --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Observation:
    """A finding seen on a plan tonight."""

    key: str  # the finding key
    rule: str
    subject: str  # names a recurring task's occurrence already ("occurrence:7@2026-Q3")
    unit: str  # the unit key ('' when the finding has no lead unit)
    severity: str
    values: Any = None  # JSON: what the rule measured (the read side shows it)


@dataclass(frozen=True)
class Packed:
    """A JSON value held compressed until the store writes it: a national night drafts tens of
    thousands of letters, and their payloads held as Python objects took gigabytes."""

    data: bytes

    @classmethod
    def of(cls, value: Any) -> "Packed":
        return cls(zlib.compress(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(), 1))

    def value(self) -> Any:
        return json.loads(zlib.decompress(self.data))


@dataclass(frozen=True)
class Draft:
    """A letter the night wants to go out, unsigned (no number: a number is given at signing)."""

    plan_key: str
    issuer: str
    year: int
    symbol: str
    addressees: Sequence[str]  # unit names, one or several (one letter when the content is the same)
    unit_keys: Sequence[str]
    content_hash: str
    findings: Mapping[str, str]  # finding key -> its severity in the letter
    items: Mapping[ItemKey, int]  # item key -> how many times it was raised before
    check_date: dt.date
    files: Sequence[str] = ()  # the draft's files, relative to the output
    payload: "Mapping[str, Any] | Packed" = field(default_factory=dict)  # opaque JSON: what the night needs to render it again
    follows: int | None = None  # the letter it follows
    subject: str = ""  # trích yếu, for the register ("Công văn V/v đôn đốc thực hiện Kế hoạch số 97/KH-UBND")
    recipients: Sequence[str] = ()  # nơi nhận as the letter lists it, for the register
    archive: str = ""  # đơn vị, người nhận bản lưu ("VT, KT")
    copies: int | None = None  # số bản
    reply_by: dt.date | None = None  # the reply date the draft gives (signing may set another)


@dataclass(frozen=True)
class Rendered:
    """What ``sign``'s ``render`` wrote: the numbered letter's files and its page count."""

    files: Sequence[str]
    pages: int | None = None


@dataclass(frozen=True)
class Recorded:
    """What ``finish`` recorded: the night's run and its letters' ids, in the order drafted (a
    letter drafted again unchanged on a re-run of its date keeps its id)."""

    run_id: int
    letters: tuple[int, ...]


# -- out: letters -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LetterRef:
    """A letter in a history: enough to cite it and to tell whether its reply date lapsed."""

    id: int
    state: str
    issuer: str
    symbol: str
    check_date: dt.date
    content_hash: str
    number: int | None
    register_year: int | None
    signed_on: dt.date | None
    reply_by: dt.date | None
    sent_on: dt.date | None
    replied_on: dt.date | None

    @property
    def cited(self) -> str:
        """"12/UBND-KT" (numbers under 10 with a leading zero), or "" before signing."""
        return f"{self.number:02d}/{self.symbol}" if self.number is not None else ""


@dataclass(frozen=True)
class Letter(LetterRef):
    """A letter whole, as drafted and as its life went."""

    plan_key: str
    year: int
    subject: str
    addressees: tuple[str, ...]
    unit_keys: tuple[str, ...]
    recipients: tuple[str, ...]
    archive: str
    copies: int | None
    follows: int | None
    draft_files: tuple[str, ...]
    payload: Mapping[str, Any]
    findings: Mapping[str, str]
    items: Mapping[ItemKey, int]
    run_id: int
    drafted_at: dt.datetime
    signer: str | None
    signed_at: dt.datetime | None
    signed_files: tuple[str, ...]
    pages: int | None
    reply_note: str | None
    voided_on: dt.date | None
    void_reason: str | None
    superseded_by: int | None


# -- out: what a night knows of the past ----------------------------------------------------------------


@dataclass(frozen=True)
class FindingPast:
    """A finding as of the night before: only check dates before the night's count."""

    key: str
    rule: str
    subject: str
    unit: str
    first_seen: dt.date  # stays when it reopens
    last_seen: dt.date
    severity: str  # its severity when last seen
    previous_severity: str | None  # its severity the time it was seen before that
    resolved_on: dt.date | None  # the first check date after last_seen its rule ran and it was gone; None: open
    reopened: int  # how many times it came back after being resolved
    times_notified: int  # letters that carried it and went out (signed before the night's date, not voided)
    notified_severity: str | None = None  # its severity in the last of those letters (None: never notified)


@dataclass(frozen=True)
class ItemPast:
    """What a letter is about (plan, subject, unit), whatever rule fired on it."""

    key: ItemKey
    first_seen: dt.date  # the earliest first_seen of its findings: where open_days counts from
    times_notified: int  # letters that raised it and went out
    last_letter: LetterRef | None  # the last of those
    reply_lapsed: bool  # that letter's reply date passed before the night's date with no reply


@dataclass(frozen=True)
class PlanHistory:
    plan_key: str
    last_checked: dt.date | None  # the plan's latest check date before the night's
    findings: Mapping[str, FindingPast]
    items: Mapping[ItemKey, ItemPast]
    units: Mapping[str, LetterRef]  # unit key -> the last letter to it (any state), by check date


# -- out: the register ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of the register (sổ đăng ký văn bản đi), with what was recorded beside it."""

    issuer: str
    year: int
    number: int
    state: str  # issued; pending/free: the night's numbering before the store
    origin: str | None  # signed | office | None (the night's numbering before the store)
    date: dt.date | None
    symbol: str
    subject: str
    signer: str
    recipient: str
    archive: str
    copies: int | None
    pages: int | None
    reply_by: dt.date | None
    file: str
    note: str
    letter_id: int | None
    sent_on: dt.date | None
    replied_on: dt.date | None
    voided_on: dt.date | None
    void_reason: str | None
