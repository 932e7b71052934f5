"""When a letter goes out, and what changed: the night's answer to an office's rhythm.

A unit gets a letter when something in it is new, has escalated, or the reply date of its last
letter has passed unanswered; never sooner than ``letters.every`` working days after its last
letter went out (docs/history.md, "Nhịp công văn"). A draft that has not been signed yet is
drafted again only when what it says changed (the new draft supersedes it). Without a store
every night is the first: every letter is drafted, as before.

    changes = what_changed(plan_key, findings, history, rules_run)      # per finding: new, open, escalated
    decisions = decide(letters, plan_key, history, settings, as_of)     # per letter: drafted or not, and why
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Iterable

from dondoc.engine.findings import Finding
from dondoc.facts.calendar import WorkCalendar
from dondoc.facts.kinds import SEVERITY_ORDER
from dondoc.facts.settings import Settings
from dondoc.night.keeping import finding_key
from dondoc.templates.render import ESCALATED, LAPSED, NEW, Citation  # why a follow-up is written, as letters say it
from dondoc.text import unit_key

# A finding's change since the last night, as findings.json and the summary say it.
CHANGE_NEW, CHANGE_REOPENED, CHANGE_OPEN, CHANGE_ESCALATED = "mới", "mở lại", "còn", "tăng mức"
CHANGES = (CHANGE_NEW, CHANGE_REOPENED, CHANGE_ESCALATED, CHANGE_OPEN)
RESOLVED = "đã khắc phục"

WAITING_FOR_SIGNATURE, WAITING_FOR_PLAN = "chờ ký", "chờ Kế hoạch ban hành"


def waiting_for(plan: Any) -> str:
    """What an unsigned letter waits for: a draft plan's letters cannot be signed until the plan
    has its number and date."""
    return WAITING_FOR_PLAN if plan.is_draft else WAITING_FOR_SIGNATURE

_STOOD = ("signed", "sent", "replied")  # a letter that went out and stands (store/records.py GONE_OUT)
_DRAFT = "draft"


@dataclass
class Changes:
    """A plan's findings tonight against its last night: each finding's change, and the
    findings of its last night that are gone tonight though their rule ran (resolved)."""

    by_key: dict[str, str] = field(default_factory=dict)  # finding key -> CHANGE_*
    since: dict[str, dict[str, Any]] = field(default_factory=dict)  # finding key -> its history for findings.json
    resolved: list[Any] = field(default_factory=list)  # FindingPast of the items put right tonight (one per rule gone)
    open_items: set[tuple[str, str]] = field(default_factory=set)  # (subject, unit key) of tonight's findings

    def counts(self) -> dict[str, int]:
        out = {c: 0 for c in CHANGES}
        for change in self.by_key.values():
            out[change] += 1
        out[RESOLVED] = len(self.resolved)
        return out


def what_changed(plan_key: str, findings: Iterable[Finding], history: Any, rules_run: Iterable[str]) -> Changes:
    changes = Changes()
    if history is None:
        return changes
    ran = set(rules_run)
    seen = set()
    for f in findings:
        key = finding_key(plan_key, f.rule, f.subject, f.unit)
        seen.add(key)
        past = history.findings.get(key)
        if past is None:
            change = CHANGE_NEW
        elif past.resolved_on is not None:
            change = CHANGE_REOPENED
        elif SEVERITY_ORDER[f.severity] > SEVERITY_ORDER[past.severity]:
            change = CHANGE_ESCALATED
        else:
            change = CHANGE_OPEN
        changes.by_key[key] = change
        changes.since[key] = {
            "change": change,
            "first_seen": (past.first_seen if past is not None else None),
            "times_notified": past.times_notified if past is not None else 0,
            "previous_severity": past.severity if past is not None and past.resolved_on is None else None,
        }
    # Put right is said of an item (its subject and unit), not of a rule: a task that was due soon
    # and is overdue tonight changed rule, it was not put right.
    changes.open_items = {(f.subject, unit_key(f.unit)) for f in findings}
    changes.resolved = sorted(
        (
            p for key, p in history.findings.items()
            if p.resolved_on is None and key not in seen and p.rule in ran and (p.subject, p.unit) not in changes.open_items
        ),
        key=lambda p: (p.subject, p.unit, p.rule),
    )
    return changes


@dataclass(frozen=True)
class Tonight:
    """A plan's past as the night found it (night/workers.py): its identity, whether its night
    keeps a store, the store's history of it (None: the store has never seen it), and what
    changed since its last night (night/cadence.py)."""

    identity: str
    stored: bool = False
    history: Any = None
    changes: Changes | None = None


def content_hash(plan_key: str, letter: Any) -> str:
    """What a letter says, as a hash: its addressees, and each finding with its severity (not
    the day counts, which change every night): the same hash is the same letter."""
    notice = letter.notice
    body = {
        "units": sorted(letter.keys),
        "findings": sorted([finding_key(plan_key, f.rule, f.subject, f.unit), f.severity] for f in notice.findings),
    }
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:32]


@dataclass
class Decision:
    """One letter of the plan tonight: drafted or not, why, and what it follows."""

    letter: Any  # night/letters.py PlanLetter
    content_hash: str
    send: bool
    why: str  # as staff read it: "mới", "đã thay đổi", "quá hạn trả lời", "chờ ký", "chưa đến kỳ"...
    follows: Any = None  # store LetterRef: the last letter that went out to these units
    raised: dict[str, int] = field(default_factory=dict)  # subject -> letters that raised it before


def decide(letters: Iterable[Any], plan_key: str, history: Any, settings: Settings, as_of: dt.date, calendar: WorkCalendar) -> list[Decision]:
    """Which of the plan's letters go out tonight (see the module)."""
    cadence = settings.letters
    out = []
    for letter in letters:
        digest = content_hash(plan_key, letter)
        if history is None:
            out.append(Decision(letter, digest, True, "mới"))
            continue
        last = _last_letter(history, letter.keys)
        findings = letter.notice.findings
        keys = {finding_key(plan_key, f.rule, f.subject, f.unit): f for f in findings}
        raised = _raised(history, plan_key, findings)
        if last is None or last.state not in (_DRAFT, *_STOOD):
            out.append(Decision(letter, digest, True, "mới", raised=raised))
            continue
        if last.state == _DRAFT:
            same = last.content_hash == digest
            out.append(Decision(letter, digest, not same, waiting_for(letter.notice.plan) if same else "đã thay đổi", raised=raised))
            continue
        new = any(key not in history.findings or history.findings[key].times_notified == 0 for key in keys)
        # Worse than when a letter last carried it (not than last night: a night the cadence held
        # the letter back must not swallow the escalation).
        escalated = any(
            key in history.findings and history.findings[key].notified_severity is not None
            and SEVERITY_ORDER[f.severity] > SEVERITY_ORDER[history.findings[key].notified_severity]
            for key, f in keys.items()
        )
        items = {(plan_key, f.subject, unit_key(f.unit)) for f in findings}
        lapsed = any(history.items[i].reply_lapsed for i in items if i in history.items)
        reasons = tuple(
            r for r, on, held in ((LAPSED, cadence.on_reply_lapsed, lapsed), (NEW, cadence.on_new, new), (ESCALATED, cadence.on_escalation, escalated))
            if on and held
        )
        if not reasons:
            out.append(Decision(letter, digest, False, "không có gì mới", follows=last, raised=raised))
            continue
        waited = calendar.working_days_between(last.signed_on, as_of) if last.signed_on else cadence.every
        if waited < cadence.every:
            out.append(Decision(letter, digest, False, f"chưa đủ {cadence.every} ngày làm việc từ công văn trước", follows=last, raised=raised))
            continue
        decision = Decision(letter, digest, True, _REASON_WORDS[reasons[0]], follows=last, raised=raised)
        decision.reasons = reasons  # type: ignore[attr-defined]
        out.append(decision)
    return out


_REASON_WORDS = {LAPSED: "quá hạn trả lời", NEW: "có nội dung mới", ESCALATED: "tăng mức độ"}


def citation(decision: Decision) -> Citation | None:
    """The letter a follow-up cites, with why it is written again."""
    last = decision.follows
    if last is None or last.number is None or last.signed_on is None:
        return None
    return Citation(last.number, last.symbol, last.signed_on, last.reply_by, getattr(decision, "reasons", ()))


def _last_letter(history: Any, units: Iterable[str]) -> Any:
    """The most recent letter to any of these units (by its check date, then id)."""
    found = [history.units[u] for u in units if u in history.units]
    return max(found, key=lambda ref: (ref.check_date, ref.id)) if found else None


def _raised(history: Any, plan_key: str, findings: Iterable[Finding]) -> dict[str, int]:
    """Per subject of the letter: how many letters that went out raised it before."""
    raised: dict[str, int] = {}
    for f in findings:
        item = history.items.get((plan_key, f.subject, unit_key(f.unit)))
        if item is not None and item.times_notified:
            raised[f.subject] = max(raised.get(f.subject, 0), item.times_notified)
    return raised


def resolved_since(changes: Changes, history: Any, since: dt.date | None) -> list[Any]:
    """What was put right since a letter's date, of what the office's letters raised: resolved
    tonight, or on a night after it, and not found again tonight under another rule."""
    out = list(changes.resolved)
    if history is not None and since is not None:
        out += [p for p in history.findings.values() if p.resolved_on is not None and p.resolved_on > since]
    raised = {(item[1], item[2]) for item, past in history.items.items() if past.times_notified} if history is not None else set()
    seen, unique = set(), []
    for p in out:
        if (p.subject, p.unit) in changes.open_items or (p.subject, p.unit) not in raised:
            continue
        if (p.subject, p.unit) not in seen:
            seen.add((p.subject, p.unit))
            unique.append(p)
    return unique
