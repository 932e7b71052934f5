"""One night's record, and the past as a night (or a person) asks for it.

    with store.night(as_of, version=..., rulebook_hash=..., started=..., settings={plan: hash}) as night:
        past = night.history(plan_keys)
        night.observe(plan_key, observations, rules_run)
        night.draft(letter)
        night.finish(exit_status, counts, ended=...)

A finding's state is a fold over its plan's nights, in check-date order, of one step
(``step``): seen tonight -> last seen tonight, at tonight's severity (reopened if it had been
resolved; first seen stays); not seen tonight, open, and its rule ran -> resolved tonight; a
rule that did not run resolves nothing. The fold over every night of a plan is the truth; the
table ``store_finding_state`` keeps its result as of the plan's latest night so that a
nightly run (a check date after every recorded one) takes one step instead of folding a
year. A night for a date already recorded (a re-run) or before it (a past date) folds:
its history sees only the nights before its date, and what it records takes its place in the
fold by date, never as "now".

Nothing of a night is written before ``finish``, and ``finish`` is one transaction.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any, Iterable, Mapping, Sequence

import sqlalchemy as sa

from dondoc.engine.findings import SEVERITY_ORDER
from dondoc.errors import StoreError
from dondoc.store import book, letters
from dondoc.store import schema as S
from dondoc.store.records import (
    GONE_OUT,
    Draft,
    FindingPast,
    ItemKey,
    ItemPast,
    LetterRef,
    Observation,
    PlanHistory,
    Recorded,
)

_chunks = letters._chunks


@dataclass(frozen=True)
class State:
    first_seen: dt.date
    last_seen: dt.date
    severity: str
    previous_severity: str | None
    resolved_on: dt.date | None
    reopened: int


def step(state: State | None, day: dt.date, seen: str | None, ran: bool) -> State | None:
    """A finding's state after one night of its plan: ``seen`` its severity tonight (None: not
    seen), ``ran`` whether its rule ran on the plan tonight."""
    if seen is not None:
        if state is None:
            return State(day, day, seen, None, None, 0)
        return State(state.first_seen, day, seen, state.severity, None, state.reopened + (state.resolved_on is not None))
    if state is not None and state.resolved_on is None and ran:
        return replace(state, resolved_on=day)
    return state


@dataclass(frozen=True)
class _Identity:
    id: int
    key: str
    plan_key: str
    rule: str
    subject: str
    unit: str


def _identities(conn: sa.Connection, plan_keys: Sequence[str]) -> dict[int, _Identity]:
    f = S.findings
    found = {}
    for chunk in _chunks(list(plan_keys)):
        for r in conn.execute(sa.select(f).where(f.c.plan_key.in_(chunk))):
            found[r.id] = _Identity(r.id, r.key, r.plan_key, r.rule, r.subject, r.unit_key)
    return found


def _nights(conn: sa.Connection, plan_keys: Sequence[str], before: dt.date | None):
    """Each plan's recorded nights in date order, with the findings seen: {plan: [(date, rules, {fid: severity})]}."""
    pr, o = S.plan_runs, S.observations
    nights: dict[str, list] = defaultdict(list)
    index = {}
    for chunk in _chunks(list(plan_keys)):
        query = sa.select(pr.c.id, pr.c.plan_key, pr.c.check_date, pr.c.rules_run).where(pr.c.plan_key.in_(chunk))
        if before is not None:
            query = query.where(pr.c.check_date < before)
        for r in conn.execute(query.order_by(pr.c.plan_key, pr.c.check_date)):
            seen: dict[int, str] = {}
            nights[r.plan_key].append((r.check_date, frozenset(r.rules_run), seen))
            index[r.id] = seen
    ids = list(index)
    for chunk in _chunks(ids):
        for r in conn.execute(sa.select(o.c.plan_run_id, o.c.finding_id, o.c.severity).where(o.c.plan_run_id.in_(chunk))):
            index[r.plan_run_id][r.finding_id] = r.severity
    return nights


def fold(nights: Iterable, rules: Mapping[int, str]) -> dict[int, State]:
    """Every finding's state after the nights given, in order."""
    states: dict[int, State] = {}
    for day, ran, seen in nights:
        for fid in set(seen) | set(states):
            new = step(states.get(fid), day, seen.get(fid), rules[fid] in ran)
            if new is not None:
                states[fid] = new
    return states


def _latest(conn: sa.Connection, plan_keys: Sequence[str]) -> dict[str, dt.date]:
    pr = S.plan_runs
    latest = {}
    for chunk in _chunks(list(plan_keys)):
        for r in conn.execute(sa.select(pr.c.plan_key, sa.func.max(pr.c.check_date)).where(pr.c.plan_key.in_(chunk)).group_by(pr.c.plan_key)):
            latest[r[0]] = r[1]
    return latest


def _kept_states(conn: sa.Connection, plan_keys: Sequence[str]) -> dict[int, State]:
    fs = S.finding_state
    states = {}
    for chunk in _chunks(list(plan_keys)):
        for r in conn.execute(sa.select(fs).where(fs.c.plan_key.in_(chunk))):
            states[r.finding_id] = State(r.first_seen, r.last_seen, r.severity, r.previous_severity, r.resolved_on, r.reopened)
    return states


def states_before(conn: sa.Connection, plan_keys: Sequence[str], as_of: dt.date) -> tuple[dict[int, State], dict[int, _Identity], dict[str, dt.date | None]]:
    """Every finding's state as of the night before ``as_of``, and each plan's last check date before it."""
    plan_keys = list(dict.fromkeys(plan_keys))
    identities = _identities(conn, plan_keys)
    latest = _latest(conn, plan_keys)
    kept = [p for p in plan_keys if p in latest and latest[p] < as_of]  # a nightly run: the kept state is the past
    folded = [p for p in plan_keys if p in latest and latest[p] >= as_of]  # a re-run, a past date: fold
    states = _kept_states(conn, kept)
    last: dict[str, dt.date | None] = {p: latest[p] for p in kept}
    nights = _nights(conn, folded, before=as_of)
    rules = {i: ident.rule for i, ident in identities.items()}
    for plan in folded:
        states.update(fold(nights.get(plan, []), rules))
        last[plan] = nights[plan][-1][0] if nights.get(plan) else None
    return states, identities, last


def history(conn: sa.Connection, plan_keys: Sequence[str], as_of: dt.date) -> dict[str, PlanHistory]:
    """What the night of ``as_of`` knows of its plans' past: only check dates, signatures,
    dispatches and replies before ``as_of``."""
    plan_keys = list(dict.fromkeys(plan_keys))
    states, identities, last = states_before(conn, plan_keys, as_of)
    notified = _notified(conn, plan_keys, as_of)
    out_letters, by_item = _item_letters(conn, plan_keys, as_of)
    findings: dict[str, dict[str, FindingPast]] = {p: {} for p in plan_keys}
    first: dict[ItemKey, dt.date] = {}
    for fid, state in states.items():
        ident = identities[fid]
        findings[ident.plan_key][ident.key] = FindingPast(
            key=ident.key, rule=ident.rule, subject=ident.subject, unit=ident.unit, first_seen=state.first_seen,
            last_seen=state.last_seen, severity=state.severity, previous_severity=state.previous_severity,
            resolved_on=state.resolved_on, reopened=state.reopened, times_notified=notified.get(fid, 0),
        )
        item = (ident.plan_key, ident.subject, ident.unit)
        first[item] = min(first.get(item, state.first_seen), state.first_seen)
    items: dict[str, dict[ItemKey, ItemPast]] = {p: {} for p in plan_keys}
    for item in set(first) | set(by_item):
        raised = sorted(by_item.get(item, ()), key=lambda ref: (ref.signed_on, ref.id))
        last_letter = raised[-1] if raised else None
        lapsed = bool(
            last_letter is not None and last_letter.reply_by is not None and last_letter.reply_by < as_of
            and (last_letter.replied_on is None or last_letter.replied_on >= as_of)
        )
        seen_first = first.get(item) or min(r.check_date for r in raised)
        items[item[0]][item] = ItemPast(item, seen_first, len(raised), last_letter, lapsed)
    units = _unit_letters(conn, plan_keys, as_of)
    return {
        p: PlanHistory(p, last.get(p), findings[p], items[p], units.get(p, {}))
        for p in plan_keys
    }


def _gone_out_before(as_of: dt.date):
    l = S.letters
    return sa.and_(l.c.state.in_(GONE_OUT), l.c.signed_on < as_of)


def _notified(conn: sa.Connection, plan_keys: Sequence[str], as_of: dt.date) -> dict[int, int]:
    l, lf = S.letters, S.letter_findings
    counts: dict[int, int] = defaultdict(int)
    for chunk in _chunks(plan_keys):
        query = (
            sa.select(lf.c.finding_id, sa.func.count())
            .join(l, l.c.id == lf.c.letter_id)
            .where(l.c.plan_key.in_(chunk), _gone_out_before(as_of))
            .group_by(lf.c.finding_id)
        )
        for fid, n in conn.execute(query):
            counts[fid] += n
    return counts


def _item_letters(conn: sa.Connection, plan_keys: Sequence[str], as_of: dt.date):
    """The letters that went out before ``as_of`` (as they stand now, voided ones left out),
    and for each item the ones that raised it."""
    li = S.letter_items
    refs: dict[int, LetterRef] = {}
    by_item: dict[ItemKey, list[LetterRef]] = defaultdict(list)
    for chunk in _chunks(plan_keys):
        for row in conn.execute(letters._select().where(S.letters.c.plan_key.in_(chunk), _gone_out_before(as_of))):
            refs[row.id] = (row.plan_key, letters.ref(row))
    ids = list(refs)
    for chunk in _chunks(ids):
        for r in conn.execute(sa.select(li).where(li.c.letter_id.in_(chunk))):
            plan, ref = refs[r.letter_id]
            by_item[(plan, r.subject, r.unit_key)].append(ref)
    return refs, by_item


def _unit_letters(conn: sa.Connection, plan_keys: Sequence[str], as_of: dt.date) -> dict[str, dict[str, LetterRef]]:
    """Per plan and unit key: the last letter to it (draft or signed, any state) drafted before ``as_of``."""
    lu, l = S.letter_units, S.letters
    last: dict[str, dict[str, tuple]] = defaultdict(dict)
    for chunk in _chunks(plan_keys):
        query = (
            letters._select().add_columns(lu.c.unit_key).join(lu, lu.c.letter_id == l.c.id)
            .where(l.c.plan_key.in_(chunk), l.c.check_date < as_of)
        )
        for row in conn.execute(query):
            order = (row.check_date, row.id)
            held = last[row.plan_key].get(row.unit_key)
            if held is None or held[0] < order:
                last[row.plan_key][row.unit_key] = (order, letters.ref(row))
    return {p: {u: ref for u, (_, ref) in units.items()} for p, units in last.items()}


# -- recording ---------------------------------------------------------------------------------------------


@dataclass
class _Plan:
    observations: list[Observation]
    rules_run: frozenset[str]
    measures: dict[str, Any]


class Night:
    """One night: its lock held from ``__enter__`` to ``__exit__``, its record written at ``finish``."""

    def __init__(self, db, as_of: dt.date, *, version: str, rulebook_hash: str, started: dt.datetime | None = None,
                 settings: Mapping[str, str] | None = None) -> None:
        self.db = db
        self.as_of = as_of
        self.version = version
        self.rulebook_hash = rulebook_hash
        self.started = _utc(started) if started is not None else book.now()
        self.settings = dict(settings or {})
        self.lock = db.night_lock()
        self._plans: dict[str, _Plan] = {}
        self._drafts: list[Draft] = []
        self.recorded: Recorded | None = None

    def __enter__(self) -> "Night":
        self.lock.acquire(self.started, self.as_of)
        return self

    def __exit__(self, *exc) -> None:
        self.lock.release()

    def history(self, plan_keys: Iterable[str]) -> dict[str, PlanHistory]:
        with self.db.read() as conn:
            return history(conn, list(plan_keys), self.as_of)

    def observe(self, plan_key: str, observations: Iterable[Observation], rules_run: Iterable[str],
                measures: Mapping[str, Any] | None = None) -> None:
        """Every finding of the plan tonight, the rules that ran on it, and (for the read side)
        the values its targets measured tonight: subject -> JSON value."""
        self._check_open()
        seen = list(observations)
        keys = [o.key for o in seen]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{plan_key}: a finding key twice in one night")
        self._plans[plan_key] = _Plan(seen, frozenset(rules_run), dict(measures or {}))

    def draft(self, letter: Draft) -> None:
        self._check_open()
        self._drafts.append(letter)

    def _check_open(self) -> None:
        if self.recorded is not None:
            raise RuntimeError("the night is recorded already")

    def finish(self, exit_status: int, counts: Any = None, *, ended: dt.datetime | None = None) -> Recorded:
        """Record the night, in one transaction: its run, each plan's findings (replacing what
        its date recorded for those plans), the findings' states, its drafts."""
        self._check_open()
        with self.db.write() as conn:
            if not self.lock.holds(conn):
                raise StoreError(self.db.name, "lần chạy này đã mất khóa của kho dữ liệu (một lần chạy khác đã giữ)",
                                 "không ghi gì; chạy lại khi lần chạy kia kết thúc")
            self.recorded = _record(conn, self, exit_status, counts, _utc(ended) if ended else book.now())
        return self.recorded


def _utc(moment: dt.datetime) -> dt.datetime:
    """Naive UTC, as the store keeps times."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment


def _record(conn: sa.Connection, night: Night, exit_status: int, counts: Any, ended: dt.datetime) -> Recorded:
    as_of = night.as_of
    newest = conn.execute(sa.select(sa.func.max(S.runs.c.check_date))).scalar()
    run_id = conn.execute(
        S.runs.insert()
        .values(check_date=as_of, past=newest is not None and as_of < newest, started_at=night.started, ended_at=ended,
                recorded_at=book.now(), version=night.version, rulebook_hash=night.rulebook_hash, exit_status=exit_status,
                counts=counts, host=socket.gethostname(), pid=os.getpid())
        .returning(S.runs.c.id)
    ).scalar_one()
    plans = night._plans
    plan_keys = list(plans)
    ids = _finding_ids(conn, plans)
    latest = _latest(conn, plan_keys)
    pr = S.plan_runs
    stepped = [p for p in plan_keys if p not in latest or latest[p] < as_of]
    for chunk in _chunks(plan_keys):
        conn.execute(pr.delete().where(pr.c.plan_key.in_(chunk), pr.c.check_date == as_of))  # a re-run replaces
    obs_rows, measure_rows = [], []
    for plan in plan_keys:
        entry = plans[plan]
        plan_run = conn.execute(
            pr.insert()
            .values(run_id=run_id, plan_key=plan, check_date=as_of, settings_hash=night.settings.get(plan, ""),
                    rules_run=sorted(entry.rules_run))
            .returning(pr.c.id)
        ).scalar_one()
        obs_rows += [{"plan_run_id": plan_run, "finding_id": ids[o.key], "severity": o.severity, "data": o.values} for o in entry.observations]
        measure_rows += [{"plan_run_id": plan_run, "subject": s, "value": v} for s, v in entry.measures.items()]
    if obs_rows:
        conn.execute(S.observations.insert(), obs_rows)
    if measure_rows:
        conn.execute(S.measures.insert(), measure_rows)
    _keep_states(conn, night, stepped, [p for p in plan_keys if p not in set(stepped)], ids)
    letter_ids = letters.record_drafts(conn, run_id, as_of, night._drafts, ids, set(plan_keys))
    return Recorded(run_id, tuple(letter_ids))


def _finding_ids(conn: sa.Connection, plans: Mapping[str, _Plan]) -> dict[str, int]:
    """Each observed finding key's id, its identity created on first sight. A key seen again
    must name the same plan, rule, subject and unit: the night's keys are identities."""
    f = S.findings
    wanted = {o.key: (plan, o) for plan, entry in plans.items() for o in entry.observations}
    ids: dict[str, int] = {}
    keys = list(wanted)
    for chunk in _chunks(keys):
        for r in conn.execute(sa.select(f).where(f.c.key.in_(chunk))):
            plan, o = wanted[r.key]
            if (r.plan_key, r.rule, r.subject, r.unit_key) != (plan, o.rule, o.subject, o.unit):
                raise ValueError(f"finding key {r.key!r} names another finding than when first recorded")
            ids[r.key] = r.id
    new = [
        {"key": k, "plan_key": plan, "rule": o.rule, "subject": o.subject, "unit_key": o.unit}
        for k, (plan, o) in wanted.items() if k not in ids
    ]
    if new:
        for row in conn.execute(f.insert().returning(f.c.id, f.c.key, sort_by_parameter_order=True), new):
            ids[row.key] = row.id
    return ids


def _keep_states(conn: sa.Connection, night: Night, stepped: list[str], folded: list[str], ids: dict[str, int]) -> None:
    """``store_finding_state`` after tonight: one step for the plans whose nights all came
    before tonight; a fold over every night for the others (a re-run, a past date)."""
    fs = S.finding_state
    as_of = night.as_of
    identities = _identities(conn, stepped + folded)
    rules = {i: ident.rule for i, ident in identities.items()}
    old = _kept_states(conn, stepped)
    by_plan: dict[str, list[int]] = defaultdict(list)
    for fid in old:
        by_plan[identities[fid].plan_key].append(fid)
    inserts, updates = [], []
    for plan in stepped:
        entry = night._plans[plan]
        seen = {ids[o.key]: o.severity for o in entry.observations}
        for fid in set(seen) | set(by_plan.get(plan, ())):
            before = old.get(fid)
            after = step(before, as_of, seen.get(fid), rules[fid] in entry.rules_run)
            if after is None or after == before:
                continue
            row = {"finding_id": fid, "plan_key": plan, **after.__dict__}
            (inserts if before is None else updates).append(row)
    if inserts:
        conn.execute(fs.insert(), inserts)
    if updates:
        conn.execute(
            fs.update().where(fs.c.finding_id == sa.bindparam("fid")).values(
                {c: sa.bindparam(f"v_{c}") for c in ("last_seen", "severity", "previous_severity", "resolved_on", "reopened")}
            ),
            [{"fid": r["finding_id"], **{f"v_{c}": r[c] for c in ("last_seen", "severity", "previous_severity", "resolved_on", "reopened")}} for r in updates],
        )
    if folded:
        nights = _nights(conn, folded, before=None)
        for chunk in _chunks(folded):
            conn.execute(fs.delete().where(fs.c.plan_key.in_(chunk)))
        rows = []
        for plan in folded:
            for fid, state in fold(nights.get(plan, []), rules).items():
                rows.append({"finding_id": fid, "plan_key": plan, **state.__dict__})
        if rows:
            conn.execute(fs.insert(), rows)


# -- the read side: a finding's, a unit's, a plan's story ------------------------------------------------------


EVENTS = {  # what happened to a finding on one of its plan's nights, as staff read it
    "new": "phát hiện mới",
    "open": "vẫn còn",
    "escalated": "tăng mức",
    "eased": "giảm mức",
    "resolved": "đã khắc phục",
    "reopened": "tái phát",
    "unchecked": "không kiểm tra được (quy tắc không chạy)",
}


@dataclass(frozen=True)
class Event:
    check_date: dt.date
    event: str  # a key of EVENTS
    severity: str | None
    values: Any = None


@dataclass(frozen=True)
class FindingStory:
    key: str
    plan_key: str
    rule: str
    subject: str
    unit: str
    events: tuple[Event, ...]
    letters: tuple[LetterRef, ...]  # every letter that carried it, any state


def finding_stories(conn: sa.Connection, keys: Sequence[str] | None = None, *, plan: str | None = None,
                    unit: str | None = None) -> list[FindingStory]:
    """Each night a finding was seen, how its severity went, when it was resolved and came back,
    and the letters that carried it: by finding keys, or every finding of a plan and/or unit."""
    f = S.findings
    query = sa.select(f).order_by(f.c.plan_key, f.c.subject, f.c.rule, f.c.key)
    if keys is not None:
        query = query.where(f.c.key.in_(list(keys)))
    if plan is not None:
        query = query.where(f.c.plan_key == plan)
    if unit is not None:
        query = query.where(f.c.unit_key == unit)
    chosen = conn.execute(query).all()
    plans = sorted({r.plan_key for r in chosen})
    nights = _nights(conn, plans, before=None)
    values = _values(conn, [r.id for r in chosen])
    carried = _carried(conn, [r.id for r in chosen])
    stories = []
    for r in chosen:
        events: list[Event] = []
        state: State | None = None
        for day, ran, seen in nights.get(r.plan_key, []):
            severity = seen.get(r.id)
            after = step(state, day, severity, r.rule in ran)
            event = _event(state, after, severity, r.rule in ran)
            if event is not None:
                events.append(Event(day, event, severity if severity is not None else (after.severity if after else None), values.get((r.id, day))))
            state = after
        stories.append(FindingStory(r.key, r.plan_key, r.rule, r.subject, r.unit_key, tuple(events), tuple(carried.get(r.id, ()))))
    return stories


def _event(before: State | None, after: State | None, seen: str | None, ran: bool) -> str | None:
    if seen is not None:
        if before is None:
            return "new"
        if before.resolved_on is not None:
            return "reopened"
        order = SEVERITY_ORDER.get(seen, 0) - SEVERITY_ORDER.get(before.severity, 0)
        return "escalated" if order > 0 else "eased" if order < 0 else "open"
    if before is not None and before.resolved_on is None:
        return "resolved" if ran else "unchecked"
    return None


def _values(conn: sa.Connection, fids: Sequence[int]) -> dict[tuple[int, dt.date], Any]:
    o, pr = S.observations, S.plan_runs
    found = {}
    for chunk in _chunks(list(fids)):
        for r in conn.execute(
            sa.select(o.c.finding_id, pr.c.check_date, o.c.data).join(pr, pr.c.id == o.c.plan_run_id).where(o.c.finding_id.in_(chunk))
        ):
            found[(r.finding_id, r.check_date)] = r.data
    return found


def _carried(conn: sa.Connection, fids: Sequence[int]) -> dict[int, list[LetterRef]]:
    lf, l = S.letter_findings, S.letters
    found: dict[int, list[LetterRef]] = defaultdict(list)
    for chunk in _chunks(list(fids)):
        query = letters._select().add_columns(lf.c.finding_id).join(lf, lf.c.letter_id == l.c.id).where(lf.c.finding_id.in_(chunk)).order_by(l.c.check_date, l.c.id)
        for row in conn.execute(query):
            found[row.finding_id].append(letters.ref(row))
    return found


@dataclass(frozen=True)
class PlanNight:
    """One night of a plan, for the read side (and a dashboard): its counts per unit and severity,
    what changed since its previous night, the values its targets measured."""

    check_date: dt.date
    run_id: int
    rules_run: int
    counts: Mapping[str, Mapping[str, int]]  # unit key -> severity -> findings
    new: int
    resolved: int
    reopened: int
    escalated: int
    measures: Mapping[str, Any]


def plan_nights(conn: sa.Connection, plan_key: str) -> list[PlanNight]:
    pr, o, f, m = S.plan_runs, S.observations, S.findings, S.measures
    rows = conn.execute(sa.select(pr).where(pr.c.plan_key == plan_key).order_by(pr.c.check_date)).all()
    counts: dict[int, dict[str, dict[str, int]]] = {r.id: defaultdict(lambda: defaultdict(int)) for r in rows}
    for r in conn.execute(
        sa.select(o.c.plan_run_id, f.c.unit_key, o.c.severity, sa.func.count())
        .join(f, f.c.id == o.c.finding_id).join(pr, pr.c.id == o.c.plan_run_id)
        .where(pr.c.plan_key == plan_key).group_by(o.c.plan_run_id, f.c.unit_key, o.c.severity)
    ):
        counts[r[0]][r[1]][r[2]] = r[3]
    measured: dict[int, dict[str, Any]] = defaultdict(dict)
    for r in conn.execute(sa.select(m).join(pr, pr.c.id == m.c.plan_run_id).where(pr.c.plan_key == plan_key)):
        measured[r.plan_run_id][r.subject] = r.value
    nights = _nights(conn, [plan_key], before=None).get(plan_key, [])
    rules = {i: ident.rule for i, ident in _identities(conn, [plan_key]).items()}
    states: dict[int, State] = {}
    out = []
    for row, (day, ran, seen) in zip(rows, nights):
        tally = defaultdict(int)
        for fid in set(seen) | set(states):
            before = states.get(fid)
            after = step(before, day, seen.get(fid), rules[fid] in ran)
            tally[_event(before, after, seen.get(fid), rules[fid] in ran)] += 1
            if after is not None:
                states[fid] = after
        out.append(PlanNight(
            day, row.run_id, len(row.rules_run), {u: dict(s) for u, s in counts[row.id].items()},
            tally["new"], tally["resolved"], tally["reopened"], tally["escalated"], measured.get(row.id, {}),
        ))
    return out


@dataclass(frozen=True)
class Run:
    id: int
    check_date: dt.date
    past: bool
    started_at: dt.datetime
    ended_at: dt.datetime | None
    version: str
    rulebook_hash: str
    exit_status: int | None
    counts: Any
    plans: int


def runs(conn: sa.Connection, since: dt.date | None = None) -> list[Run]:
    r, pr = S.runs, S.plan_runs
    plans = sa.select(sa.func.count()).where(pr.c.run_id == r.c.id).scalar_subquery()
    query = sa.select(r, plans.label("plans")).order_by(r.c.check_date, r.c.id)
    if since is not None:
        query = query.where(r.c.check_date >= since)
    return [
        Run(x.id, x.check_date, x.past, x.started_at, x.ended_at, x.version, x.rulebook_hash, x.exit_status, x.counts, x.plans)
        for x in conn.execute(query)
    ]


def plans(conn: sa.Connection) -> list[str]:
    """Every plan the store has a night of."""
    return [r[0] for r in conn.execute(sa.select(S.plan_runs.c.plan_key).distinct().order_by(S.plan_runs.c.plan_key))]


def units(conn: sa.Connection) -> list[str]:
    """Every unit key a finding or a letter of the store names."""
    found = {r[0] for r in conn.execute(sa.select(S.findings.c.unit_key).distinct())}
    found |= {r[0] for r in conn.execute(sa.select(S.letter_units.c.unit_key).distinct())}
    return sorted(found)
