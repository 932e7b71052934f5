"""The whole store at a glance, for a reader that shows every plan at once (the dashboard).

``overview(conn)`` answers in a few bulk reads, whatever the number of plans and nights (a
national store: 3,321 plans, 30 nights, four million observations), with what each plan's
pages need:

- every night of the plan: the findings seen, per unit and severity (the classes over time);
- its latest night's measures (store/measures.py), and those of the night that opens the
  trend window (the earliest within ``window_days`` before the latest);
- the rules' distinct subjects seen on those two nights, per severity (how many tasks were
  overdue, ...);
- its open findings as of its latest night (the kept state, store/history.py), each with
  whether its rule ran that night, the values it was seen with, and the standing letters
  that carried it;
- what changed on its latest night against the night before: the event of every finding
  that night, as ``history.step`` folds it (new, still open, escalated, eased, resolved,
  reopened, not checked), exactly: where the two nights alone cannot tell, the finding's own
  nights are folded;
- its standing letters (every state but superseded drafts).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import sqlalchemy as sa

from dondoc.store import bulk
from dondoc.store.history import State, _event, step
from dondoc.store.records import SUPERSEDED, LetterRef


@dataclass(frozen=True)
class NightTally:
    check_date: dt.date
    counts: Mapping[str, Mapping[str, int]]  # unit key -> severity -> findings seen that night


@dataclass(frozen=True)
class OpenFinding:
    key: str
    rule: str
    subject: str
    unit: str
    severity: str  # when last seen
    first_seen: dt.date
    last_seen: dt.date
    reopened: int
    checked: bool  # its rule ran on the plan's latest night (else: open, not checked)
    values: Any  # what the rule measured when last seen on the latest night (None otherwise)
    letters: tuple[int, ...]  # the standing letters that carried it, oldest first


@dataclass(frozen=True)
class Change:
    """A finding's event on the plan's latest night (store/history.py ``EVENTS``)."""

    key: str
    rule: str
    subject: str
    unit: str
    event: str
    severity: str | None  # tonight's, or the last one seen
    before: str | None  # its severity before tonight, when it was open


@dataclass(frozen=True)
class StandingLetter:
    ref: LetterRef
    addressees: tuple[str, ...]
    unit_keys: tuple[str, ...]  # the units it is addressed to, as the night keys them (sorted)
    files: tuple[str, ...]  # the signed files, else the draft's (relative to the night's output)
    findings: frozenset[str]
    voided_on: dt.date | None
    void_reason: str | None


@dataclass(frozen=True)
class PlanOverview:
    plan_key: str
    nights: tuple[NightTally, ...]  # in check-date order
    measures: Mapping[str, Any]  # the latest night's (store/measures.py reads them)
    window: tuple[dt.date, Mapping[str, Any]] | None  # the trend window's first night and its measures
    subjects: Mapping[dt.date, Mapping[str, Mapping[str, int]]]  # latest and window night: rule -> severity -> distinct subjects seen
    open: tuple[OpenFinding, ...]
    changes: tuple[Change, ...]
    letters: tuple[StandingLetter, ...]

    @property
    def latest(self) -> dt.date:
        return self.nights[-1].check_date

    @property
    def resolved(self) -> tuple[Change, ...]:
        """Tonight's findings resolved whose item (subject, unit) has no finding open: what is put
        right, as the letters count it (night/cadence.py). A task gone from "sắp đến hạn" to
        "quá hạn" ended one finding, but nothing about it was put right."""
        still = {(f.subject, f.unit) for f in self.open}
        return tuple(c for c in self.changes if c.event == "resolved" and (c.subject, c.unit) not in still)

    @property
    def previous(self) -> dt.date | None:
        return self.nights[-2].check_date if len(self.nights) > 1 else None


def _in(conn: sa.Connection, values: Sequence) -> str:
    return bulk.marks(conn, len(values))


def _chunked(conn: sa.Connection, sql: str, ids: Sequence) -> list[tuple]:
    """``sql`` with ``{}`` standing for the placeholders of a chunk of ``ids``."""
    out: list[tuple] = []
    for chunk in bulk.chunks(list(ids)):
        out += bulk.rows(conn, sql.format(_in(conn, chunk)), chunk)
    return out


def overview(conn: sa.Connection, window_days: int = 30) -> list[PlanOverview]:
    """Every plan of the store (in plan-key order), as of its latest night."""
    day = bulk.day
    # Every plan's nights: (plan run id, date, rules run as stored).
    nights: dict[str, list[tuple[int, dt.date, Any]]] = defaultdict(list)
    for run_id, plan, check_date, rules in bulk.rows(
        conn, "SELECT id, plan_key, check_date, rules_run FROM store_plan_runs ORDER BY plan_key, check_date"
    ):
        nights[plan].append((run_id, day(check_date), rules))
    if not nights:
        return []

    counts: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for run_id, unit, severity, n in bulk.rows(
        conn,
        "SELECT o.plan_run_id, f.unit_key, o.severity, count(*) FROM store_observations o"
        " JOIN store_findings f ON f.id = o.finding_id GROUP BY o.plan_run_id, f.unit_key, o.severity",
    ):
        counts[run_id][unit][severity] = n

    latest = {p: ns[-1] for p, ns in nights.items()}
    previous = {p: ns[-2] for p, ns in nights.items() if len(ns) > 1}
    window: dict[str, tuple[int, dt.date, Any]] = {}
    for plan, ns in nights.items():
        start = ns[-1][1] - dt.timedelta(days=window_days)
        first = next(n for n in ns if n[1] >= start)
        if first[0] != ns[-1][0]:
            window[plan] = first
    chosen = [n[0] for n in latest.values()] + [n[0] for n in window.values()]

    measures: dict[int, dict[str, Any]] = defaultdict(dict)
    for run_id, subject, value in _chunked(conn, "SELECT plan_run_id, subject, value FROM store_measures WHERE plan_run_id IN ({})", chosen):
        measures[run_id][subject] = bulk.parsed(value)
    subjects: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for run_id, rule, severity, n in _chunked(
        conn,
        "SELECT o.plan_run_id, f.rule, o.severity, count(DISTINCT f.subject) FROM store_observations o JOIN store_findings f ON f.id = o.finding_id"
        " WHERE o.plan_run_id IN ({}) GROUP BY o.plan_run_id, f.rule, o.severity",
        chosen,
    ):
        subjects[run_id][rule][severity] = n

    # Tonight's and the night before's observations.
    seen: dict[int, dict[int, tuple[str, Any]]] = defaultdict(dict)
    latest_ids = {n[0] for n in latest.values()}
    for run_id, fid, severity, data in _chunked(
        conn, "SELECT plan_run_id, finding_id, severity, data FROM store_observations WHERE plan_run_id IN ({})",
        [n[0] for n in latest.values()] + [n[0] for n in previous.values()],
    ):
        seen[run_id][fid] = (severity, bulk.parsed(data) if run_id in latest_ids else None)

    # The kept states still open, or resolved on the plan's latest night, with their identities.
    states: dict[str, list[tuple]] = defaultdict(list)
    for row in bulk.rows(
        conn,
        'SELECT s.finding_id, f."key", f.plan_key, f.rule, f.subject, f.unit_key, s.first_seen, s.last_seen, s.severity,'
        " s.previous_severity, s.resolved_on, s.reopened FROM store_finding_state s JOIN store_findings f ON f.id = s.finding_id"
        " JOIN (SELECT plan_key, max(check_date) AS latest FROM store_plan_runs GROUP BY plan_key) m ON m.plan_key = s.plan_key"
        " WHERE s.resolved_on IS NULL OR s.resolved_on = m.latest",
    ):
        states[row[2]].append(row)

    letters, carried = _letters(conn)
    out = []
    for plan in sorted(nights):
        ns = nights[plan]
        last_id, last_day, last_rules = latest[plan]
        ran = frozenset(bulk.parsed(last_rules))
        prev = previous.get(plan)
        ran_before = frozenset(bulk.parsed(prev[2])) if prev else frozenset()
        tonight, before = seen.get(last_id, {}), seen.get(prev[0], {}) if prev else {}
        open_, changes, unclear = [], [], []
        for fid, key, _, rule, subject, unit, first, last, severity, _prev, resolved, reopened in states.get(plan, ()):
            first, last, resolved = day(first), day(last), day(resolved)
            if resolved is None:
                values = tonight[fid][1] if fid in tonight else None
                open_.append(OpenFinding(key, rule, subject, unit, severity, first, last, reopened, rule in ran, values,
                                         tuple(carried.get(key, ()))))
            if fid in tonight:
                if first == last_day:
                    event, was = "new", None
                elif fid in before:
                    was = before[fid][0]
                    event = _event(State(first, prev[1], was, None, None, 0), None, tonight[fid][0], True)
                elif rule in ran_before:
                    event, was = "reopened", None
                else:  # neither night tells whether it was open: fold its own nights
                    unclear.append((fid, key, rule, subject, unit))
                    continue
                changes.append(Change(key, rule, subject, unit, event, tonight[fid][0], was))
            elif resolved == last_day:
                changes.append(Change(key, rule, subject, unit, "resolved", severity, severity))
            elif resolved is None:
                changes.append(Change(key, rule, subject, unit, "unchecked", severity, severity))
        if unclear:
            changes += _folded(conn, ns, unclear)
        changes.sort(key=lambda c: (c.unit, c.subject, c.rule))
        opened = window.get(plan)
        out.append(PlanOverview(
            plan_key=plan,
            nights=tuple(NightTally(d, {u: dict(s) for u, s in counts.get(i, {}).items()}) for i, d, _ in ns),
            measures=measures.get(last_id, {}),
            window=(opened[1], measures.get(opened[0], {})) if opened else None,
            subjects={last_day: dict(subjects.get(last_id, {})), **({opened[1]: dict(subjects.get(opened[0], {}))} if opened else {})},
            open=tuple(sorted(open_, key=lambda f: (f.unit, f.subject, f.rule))),
            changes=tuple(changes),
            letters=tuple(letters.get(plan, ())),
        ))
    return out


def _folded(conn: sa.Connection, nights: Sequence[tuple[int, dt.date, Any]], findings: Sequence[tuple]) -> list[Change]:
    """Tonight's event of each finding the last two nights cannot tell about, from its own nights."""
    found: dict[int, dict[int, str]] = defaultdict(dict)
    for fid, run_id, severity in _chunked(
        conn, "SELECT finding_id, plan_run_id, severity FROM store_observations WHERE finding_id IN ({})", [f[0] for f in findings]
    ):
        found[fid][run_id] = severity
    rules = {run_id: frozenset(bulk.parsed(r)) for run_id, _, r in nights}
    changes = []
    for fid, key, rule, subject, unit in findings:
        state: State | None = None
        for run_id, day, _ in nights[:-1]:
            state = step(state, day, found[fid].get(run_id), rule in rules[run_id])
        last_id, last_day, _ = nights[-1]
        severity = found[fid].get(last_id)
        after = step(state, last_day, severity, rule in rules[last_id])
        event = _event(state, after, severity, rule in rules[last_id])
        was = state.severity if state is not None and state.resolved_on is None else None
        changes.append(Change(key, rule, subject, unit, event or "open", severity, was))
    return changes


def _letters(conn: sa.Connection) -> tuple[dict[str, list[StandingLetter]], dict[str, list[int]]]:
    """Each plan's standing letters (all but superseded drafts), in drafting order, and for each
    finding key the ids of those that carried it."""
    by_plan: dict[str, list[StandingLetter]] = defaultdict(list)
    carried: dict[str, list[int]] = defaultdict(list)
    day = bulk.day
    units: dict[int, list[str]] = defaultdict(list)
    for letter_id, unit in bulk.rows(
        conn, "SELECT lu.letter_id, lu.unit_key FROM store_letter_units lu JOIN store_letters l ON l.id = lu.letter_id"
        f" WHERE l.state <> '{SUPERSEDED}'",
    ):
        units[letter_id].append(unit)
    for row in bulk.rows(
        conn,
        "SELECT l.id, l.state, l.issuer, l.symbol, l.check_date, l.content_hash, e.number, e.year, l.signed_on, l.reply_by,"
        " l.sent_on, l.replied_on, l.plan_key, l.addressees, l.findings, l.draft_files, l.signed_files, a.\"on\", a.reason"
        " FROM store_letters l LEFT JOIN register_entries e ON e.id = l.entry_id"
        " LEFT JOIN register_amendments a ON a.entry_id = e.id AND a.kind = 'void'"
        f" WHERE l.state <> '{SUPERSEDED}' ORDER BY l.check_date, l.id",
    ):
        (id_, state, issuer, symbol, check_date, content, number, year, signed, reply_by, sent, replied,
         plan, addressees, findings, draft_files, signed_files, voided_on, reason) = row
        ref = LetterRef(id_, state, issuer, symbol, day(check_date), content, number, year, day(signed), day(reply_by),
                        day(sent), day(replied))
        keys = frozenset(bulk.parsed(findings))
        files = bulk.parsed(signed_files) if signed_files else None
        by_plan[plan].append(StandingLetter(ref, tuple(bulk.parsed(addressees)), tuple(sorted(units.get(id_, ()))),
                                            tuple(files or bulk.parsed(draft_files)), keys, day(voided_on), reason))
        for key in keys:
            carried[key].append(id_)
    return by_plan, carried

