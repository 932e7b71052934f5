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

Nothing of a night is written before ``finish``, and ``finish`` is one transaction. Until then
the night's record waits on disk, not in the process (``Night``): its memory does not grow with
the number of plans.
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
from dondoc.store import book, bulk, letters
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
from dondoc.store.spill import Spill



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


def _in(conn: sa.Connection, values: Sequence) -> str:
    return bulk.marks(conn, len(values))


def _identities(conn: sa.Connection, plan_keys: Sequence[str]) -> dict[int, _Identity]:
    found = {}
    for chunk in bulk.chunks(list(plan_keys)):
        sql = f'SELECT id, "key", plan_key, rule, subject, unit_key FROM store_findings WHERE plan_key IN ({_in(conn, chunk)})'
        for row in bulk.rows(conn, sql, chunk):
            found[row[0]] = _Identity(*row)
    return found


def _nights(conn: sa.Connection, plan_keys: Sequence[str], before: dt.date | None):
    """Each plan's recorded nights in date order, with the findings seen: {plan: [(date, rules, {fid: severity})]}."""
    nights: dict[str, list] = defaultdict(list)
    index: dict[int, dict[int, str]] = {}
    day_in = bulk.date_in(conn)
    for chunk in bulk.chunks(list(plan_keys)):
        sql = f"SELECT id, plan_key, check_date, rules_run FROM store_plan_runs WHERE plan_key IN ({_in(conn, chunk)})"
        params = list(chunk)
        if before is not None:
            sql += f" AND check_date < {bulk.marks(conn, 1)}"
            params.append(day_in(before))
        for run_id, plan, day, rules in bulk.rows(conn, sql + " ORDER BY plan_key, check_date", params):
            seen: dict[int, str] = {}
            nights[plan].append((bulk.day(day), frozenset(bulk.parsed(rules)), seen))
            index[run_id] = seen
    for chunk in bulk.chunks(list(index)):
        sql = f"SELECT plan_run_id, finding_id, severity FROM store_observations WHERE plan_run_id IN ({_in(conn, chunk)})"
        for run_id, fid, severity in bulk.rows(conn, sql, chunk):
            index[run_id][fid] = severity
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
    latest = {}
    for chunk in bulk.chunks(list(plan_keys)):
        sql = f"SELECT plan_key, max(check_date) FROM store_plan_runs WHERE plan_key IN ({_in(conn, chunk)}) GROUP BY plan_key"
        for plan, day in bulk.rows(conn, sql, chunk):
            latest[plan] = bulk.day(day)
    return latest


def _kept_states(conn: sa.Connection, plan_keys: Sequence[str]) -> dict[int, State]:
    states = {}
    for chunk in bulk.chunks(list(plan_keys)):
        sql = (
            "SELECT finding_id, first_seen, last_seen, severity, previous_severity, resolved_on, reopened"
            f" FROM store_finding_state WHERE plan_key IN ({_in(conn, chunk)})"
        )
        for fid, first, last, severity, previous, resolved, reopened in bulk.rows(conn, sql, chunk):
            states[fid] = State(bulk.day(first), bulk.day(last), severity, previous, bulk.day(resolved), reopened)
    return states


def states_before(conn: sa.Connection, plan_keys: Sequence[str],
                  as_of: dt.date) -> tuple[dict[int, State], dict[int, _Identity], dict[str, dt.date | None]]:
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
    """What the night of ``as_of`` knows of its plans' past: check dates before ``as_of``, and
    signatures, dispatches and replies on or before it (the night of a day runs after its office
    hours: a letter signed that day has gone out, a reply received that day is in)."""
    plan_keys = list(dict.fromkeys(plan_keys))
    states, identities, last = states_before(conn, plan_keys, as_of)
    notified, by_item, notified_as = _gone_out(conn, plan_keys, as_of)
    findings: dict[str, dict[str, FindingPast]] = {p: {} for p in plan_keys}
    first: dict[ItemKey, dt.date] = {}
    for fid, state in states.items():
        ident = identities[fid]
        findings[ident.plan_key][ident.key] = FindingPast(
            key=ident.key, rule=ident.rule, subject=ident.subject, unit=ident.unit, first_seen=state.first_seen,
            last_seen=state.last_seen, severity=state.severity, previous_severity=state.previous_severity,
            resolved_on=state.resolved_on, reopened=state.reopened, times_notified=notified.get(ident.key, 0),
            notified_severity=notified_as.get(ident.key, (None, None))[1],
        )
        item = (ident.plan_key, ident.subject, ident.unit)
        first[item] = min(first.get(item, state.first_seen), state.first_seen)
    items: dict[str, dict[ItemKey, ItemPast]] = {p: {} for p in plan_keys}
    for item in set(first) | set(by_item):
        raised = sorted(by_item.get(item, ()), key=lambda ref: (ref.signed_on, ref.id))
        last_letter = raised[-1] if raised else None
        lapsed = bool(
            last_letter is not None and last_letter.reply_by is not None and last_letter.reply_by < as_of
            and (last_letter.replied_on is None or last_letter.replied_on > as_of)
        )
        seen_first = first.get(item) or min(r.check_date for r in raised)
        items[item[0]][item] = ItemPast(item, seen_first, len(raised), last_letter, lapsed)
    units = _unit_letters(conn, plan_keys, as_of)
    return {
        p: PlanHistory(p, last.get(p), findings[p], items[p], units.get(p, {}))
        for p in plan_keys
    }


_REF = (  # a LetterRef's columns, in its order, for the reads of a night's volume
    "l.id, l.state, l.issuer, l.symbol, l.check_date, l.content_hash, e.number, e.year, l.signed_on, l.reply_by,"
    " l.sent_on, l.replied_on"
)
_REF_FROM = "store_letters l LEFT JOIN register_entries e ON e.id = l.entry_id"


def _ref(row: Sequence) -> LetterRef:
    (id_, state, issuer, symbol, check_date, content, number, year, signed, reply_by, sent, replied) = row[:12]
    return LetterRef(id_, state, issuer, symbol, bulk.day(check_date), content, number, year, bulk.day(signed),
                     bulk.day(reply_by), bulk.day(sent), bulk.day(replied))


def _gone_out(conn: sa.Connection, plan_keys: Sequence[str], as_of: dt.date):
    """The letters signed on or before ``as_of`` that stand (signed, sent, replied: not voided):
    how many carried each finding key, for each item the letters that raised it, and each
    finding's severity in the last letter that carried it (a letter goes again on escalation
    since then, not since the night before: night/cadence.py)."""
    notified: dict[str, int] = defaultdict(int)
    by_item: dict[ItemKey, list[LetterRef]] = defaultdict(list)
    notified_as: dict[str, tuple[tuple, str]] = {}
    day_in = bulk.date_in(conn)
    states = ", ".join(f"'{s}'" for s in GONE_OUT)
    for chunk in bulk.chunks(plan_keys):
        sql = (
            f"SELECT {_REF}, l.plan_key, l.findings, l.items FROM {_REF_FROM}"
            f" WHERE l.plan_key IN ({_in(conn, chunk)}) AND l.state IN ({states}) AND l.signed_on <= {bulk.marks(conn, 1)}"
            f" AND l.check_date < {bulk.marks(conn, 1)}"  # an earlier night's letter, not tonight's own (a re-run)
        )
        for row in bulk.rows(conn, sql, [*chunk, day_in(as_of), day_in(as_of)]):
            ref = _ref(row)
            plan, carried, raised = row[12], bulk.parsed(row[13]), bulk.parsed(row[14])
            order = (ref.signed_on, ref.id)
            for key, severity in carried.items():
                notified[key] += 1
                if key not in notified_as or notified_as[key][0] < order:
                    notified_as[key] = (order, severity)
            for subject, unit, _ in raised:
                by_item[(plan, subject, unit)].append(ref)
    return notified, by_item, notified_as


def _unit_letters(conn: sa.Connection, plan_keys: Sequence[str], as_of: dt.date) -> dict[str, dict[str, LetterRef]]:
    """Per plan and unit key: the last letter to it (draft or signed, any state) drafted before
    ``as_of``. A draft superseded by a letter drafted before ``as_of`` is never that last one
    (the one that superseded it is later), so it is not read: a nightly run reads the standing
    letters, not every draft ever made."""
    last: dict[str, dict[str, tuple]] = defaultdict(dict)
    day_in = bulk.date_in(conn)
    mark = bulk.marks(conn, 1)
    for chunk in bulk.chunks(plan_keys):
        sql = (
            f"SELECT {_REF}, l.plan_key, lu.unit_key FROM {_REF_FROM}"
            " JOIN store_letter_units lu ON lu.letter_id = l.id"
            " LEFT JOIN store_letters later ON later.id = l.superseded_by"
            f" WHERE l.plan_key IN ({_in(conn, chunk)}) AND l.check_date < {mark}"
            f" AND (l.state <> 'superseded' OR later.id IS NULL OR later.check_date >= {mark})"
        )
        for row in bulk.rows(conn, sql, [*chunk, day_in(as_of), day_in(as_of)]):
            ref = _ref(row)
            plan, unit = row[12], row[13]
            order = (ref.check_date, ref.id)
            held = last[plan].get(unit)
            if held is None or held[0] < order:
                last[plan][unit] = (order, ref)
    return {p: {u: ref for u, (_, ref) in units.items()} for p, units in last.items()}


# -- recording ---------------------------------------------------------------------------------------------


# Plans recorded at a time by ``finish``: what it holds of the night at once (their findings,
# drafts and states). Smaller than ``bulk.CHUNK``: a first national night's plan drafts a
# letter for each unit, and 500 plans of those held whole is most of what the night spared.
RECORD_CHUNK = 100


@dataclass
class _Plan:
    observations: list[Observation]
    rules_run: frozenset[str]
    measures: dict[str, Any]


class Night:
    """One night: its lock held from ``__enter__`` to ``__exit__``, its record written at ``finish``.

    What the night observes and drafts goes to a spill (store/spill.py) as it arrives: the
    process keeps each plan's key and where its share lies, never the shares, whatever the
    number of plans. ``finish`` reads them back ``RECORD_CHUNK`` plans at a time, all in its
    one transaction."""

    def __init__(self, db, as_of: dt.date, *, version: str, rulebook_hash: str, started: dt.datetime | None = None,
                 settings: Mapping[str, str] | None = None) -> None:
        self.db = db
        self.as_of = as_of
        self.version = version
        self.rulebook_hash = rulebook_hash
        self.started = _utc(started) if started is not None else book.now()
        self.settings = dict(settings or {})
        self.lock = db.night_lock()
        self._spill = Spill()  # ("seen" | "draft" | "withdrawn", plan key) -> its records
        self._observed: dict[str, None] = {}  # the plans observed, in order
        self._touched: dict[str, None] = {}  # the plans drafted or withdrawn from, in order
        self._drafts = 0  # drafts so far: each one's place in the night's order
        self.recorded: Recorded | None = None

    def __enter__(self) -> "Night":
        self.lock.acquire(self.started, self.as_of)
        return self

    def __exit__(self, *exc) -> None:
        self._spill.close()
        self.lock.release()

    def history(self, plan_keys: Iterable[str]) -> dict[str, PlanHistory]:
        with self.db.read() as conn:
            return history(conn, list(plan_keys), self.as_of)

    def observe(self, plan_key: str, observations: Iterable[Observation], rules_run: Iterable[str],
                measures: Mapping[str, Any] | None = None) -> None:
        """Every finding of the plan tonight, the rules that ran on it, and (for the read side)
        the values its targets measured tonight: subject -> JSON value. Observed again, the
        plan's last observation counts."""
        self._check_open()
        seen = list(observations)
        keys = [o.key for o in seen]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{plan_key}: a finding key twice in one night")
        self._spill.put(("seen", plan_key), _Plan(seen, frozenset(rules_run), dict(measures or {})))
        self._observed.setdefault(plan_key)

    def draft(self, letter: Draft) -> None:
        self._check_open()
        self._spill.put(("draft", letter.plan_key), (self._drafts, letter))
        self._drafts += 1
        self._touched.setdefault(letter.plan_key)

    def withdraw(self, plan_key: str, unit_keys: Iterable[str]) -> None:
        """Tonight nothing is left to tell these units of the plan: an unsigned draft to them is
        withdrawn (superseded by nothing), so no one signs a letter about what was put right."""
        self._check_open()
        self._spill.put(("withdrawn", plan_key), list(unit_keys))
        self._touched.setdefault(plan_key)

    def restart(self) -> None:
        """Forget what was observed and drafted: the night checks its plans again (a second pass)."""
        self._check_open()
        self._spill.clear()
        self._observed.clear()
        self._touched.clear()
        self._drafts = 0

    @property
    def spilled(self) -> int:
        """Bytes of the night's record held on disk until ``finish``."""
        return self._spill.size

    def _seen(self, plan_key: str) -> _Plan:
        return self._spill.get(("seen", plan_key))[-1]

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
        self._spill.close()
        return self.recorded


def _utc(moment: dt.datetime) -> dt.datetime:
    """Naive UTC, as the store keeps times."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment


def _record(conn: sa.Connection, night: Night, exit_status: int, counts: Any, ended: dt.datetime) -> Recorded:
    """The night's rows, ``RECORD_CHUNK`` plans at a time. What spans the chunks stays small:
    the run's id, each plan's key and whether it takes one step, each letter's id and place.
    Every plan's findings, states and observations are its own (a finding key names its
    plan), and so are its drafts, their superseding and withdrawals; only the finding ids a
    draft carries are looked up across plans, once every plan is observed."""
    as_of = night.as_of
    newest = conn.execute(sa.select(sa.func.max(S.runs.c.check_date))).scalar()
    run_id = conn.execute(
        S.runs.insert()
        .values(check_date=as_of, past=newest is not None and as_of < newest, started_at=night.started, ended_at=ended,
                recorded_at=book.now(), version=night.version, rulebook_hash=night.rulebook_hash, exit_status=exit_status,
                counts=counts, host=socket.gethostname(), pid=os.getpid())
        .returning(S.runs.c.id)
    ).scalar_one()
    plan_keys = list(night._observed)
    day_in, json_in = bulk.date_in(conn), bulk.json_in(conn)
    # The plans whose nights all came before tonight take one step; the others fold (a re-run, a
    # past date). Read before a re-run's rows of this date go: under the night's lock, as its
    # history read them.
    stepped: set[str] = set()
    for chunk in bulk.chunks(plan_keys, RECORD_CHUNK):
        latest = _latest(conn, chunk)
        stepped.update(p for p in chunk if p not in latest or latest[p] < as_of)
    for chunk in bulk.chunks(plan_keys):  # a re-run replaces what its date recorded (its observations go with it)
        bulk.rows_changed(conn, f"DELETE FROM store_plan_runs WHERE plan_key IN ({_in(conn, chunk)}) AND check_date = {bulk.marks(conn, 1)}",
                          [*chunk, day_in(as_of)])
    for chunk in bulk.chunks(plan_keys, RECORD_CHUNK):
        plans = {p: night._seen(p) for p in chunk}
        identities = _identities(conn, chunk)
        ids = _finding_ids(conn, plans, identities)
        run_ids = dict(zip(chunk, bulk.reserve(conn, S.plan_runs, len(chunk))))
        bulk.insert(conn, S.plan_runs, ("id", "run_id", "plan_key", "check_date", "settings_hash", "rules_run"), [
            (run_ids[p], run_id, p, day_in(as_of), night.settings.get(p, ""), json_in(sorted(plans[p].rules_run))) for p in chunk
        ])
        bulk.insert(conn, S.observations, ("plan_run_id", "finding_id", "severity", "data"), [
            (run_ids[p], ids[o.key], o.severity, json_in(o.values)) for p in chunk for o in plans[p].observations
        ])
        bulk.insert(conn, S.measures, ("plan_run_id", "subject", "value"), [
            (run_ids[p], subject, json_in(value)) for p in chunk for subject, value in plans[p].measures.items()
        ])
        steps = [p for p in chunk if p in stepped]
        _keep_states(conn, night.as_of, plans, steps, [p for p in chunk if p not in stepped], ids, identities,
                     _kept_states(conn, steps))
    letter_ids: list[tuple[int, int]] = []  # (place in the night's order, id)
    observed = set(plan_keys)
    for chunk in bulk.chunks([*plan_keys, *(p for p in night._touched if p not in observed)], RECORD_CHUNK):
        drafts = sorted((d for p in chunk for d in night._spill.get(("draft", p))), key=lambda d: d[0])
        ids = _observed_ids(conn, run_id, chunk, {key for _, d in drafts for key in d.findings})
        made = letters.record_drafts(conn, run_id, as_of, [d for _, d in drafts], ids, {p for p in chunk if p in observed})
        letter_ids += zip((place for place, _ in drafts), made)
        letters.withdraw(conn, as_of, [(p, u) for p in chunk for units in night._spill.get(("withdrawn", p)) for u in units])
    return Recorded(run_id, tuple(i for _, i in sorted(letter_ids)))


def _observed_ids(conn: sa.Connection, run_id: int, plans: Sequence[str], keys: Iterable[str]) -> dict[str, int]:
    """The ids of these finding keys observed by the night of ``run_id`` (a key it did not
    observe has none): those of ``plans`` read by plan, any other by its key."""
    found: dict[str, int] = {}
    mark = bulk.marks(conn, 1)
    tonight = (
        'SELECT f."key", f.id FROM store_findings f JOIN store_observations o ON o.finding_id = f.id'
        f" JOIN store_plan_runs pr ON pr.id = o.plan_run_id WHERE pr.run_id = {mark}"
    )
    for chunk in bulk.chunks(list(plans)):
        found.update(bulk.rows(conn, f"{tonight} AND pr.plan_key IN ({_in(conn, chunk)})", [run_id, *chunk]))
    for chunk in bulk.chunks(sorted(set(keys) - set(found))):  # a letter carrying another plan's finding
        found.update(bulk.rows(conn, f'{tonight} AND f."key" IN ({_in(conn, chunk)})', [run_id, *chunk]))
    return found


def _finding_ids(conn: sa.Connection, plans: Mapping[str, _Plan], identities: dict[int, _Identity]) -> dict[str, int]:
    """Each observed finding key's id, its identity created on first sight (and added to
    ``identities``). A key seen again must name the same plan, rule, subject and unit: the
    night's keys are identities."""
    known = {ident.key: ident for ident in identities.values()}
    ids: dict[str, int] = {}
    new = []
    for plan, entry in plans.items():
        for o in entry.observations:
            ident = known.get(o.key)
            if ident is None:
                new.append((o.key, plan, o.rule, o.subject, o.unit))
            elif (ident.plan_key, ident.rule, ident.subject, ident.unit) != (plan, o.rule, o.subject, o.unit):
                raise ValueError(f"finding key {o.key!r} names another finding than when first recorded")
            else:
                ids[o.key] = ident.id
    keys = [row[0] for row in new]
    for chunk in bulk.chunks(keys):  # a key first recorded under another plan
        clash = bulk.rows(conn, f'SELECT "key" FROM store_findings WHERE "key" IN ({_in(conn, chunk)})', chunk)
        if clash:
            raise ValueError(f"finding key {clash[0][0]!r} names another finding than when first recorded")
    made = bulk.reserve(conn, S.findings, len(new))
    bulk.insert(conn, S.findings, ("id", "key", "plan_key", "rule", "subject", "unit_key"), [(i, *row) for i, row in zip(made, new)])
    ids.update(zip(keys, made))
    identities.update((i, _Identity(i, *row)) for i, row in zip(made, new))
    return ids


_STATE = ("first_seen", "last_seen", "severity", "previous_severity", "resolved_on", "reopened")


def _keep_states(conn: sa.Connection, as_of: dt.date, plans: Mapping[str, _Plan], stepped: list[str], folded: list[str],
                 ids: dict[str, int], identities: dict[int, _Identity], old: dict[int, State]) -> None:
    """``store_finding_state`` after tonight: one step for the plans whose nights all came
    before tonight; a fold over every night for the others (a re-run, a past date)."""
    day_in = bulk.date_in(conn)
    rules = {i: ident.rule for i, ident in identities.items()}
    by_plan: dict[str, list[int]] = defaultdict(list)
    for fid in old:
        by_plan[identities[fid].plan_key].append(fid)

    def values(state: State) -> tuple:
        return (day_in(state.first_seen), day_in(state.last_seen), state.severity, state.previous_severity,
                day_in(state.resolved_on), state.reopened)

    inserts, updates = [], []
    for plan in stepped:
        entry = plans[plan]
        seen = {ids[o.key]: o.severity for o in entry.observations}
        for fid in set(seen) | set(by_plan.get(plan, ())):
            before = old.get(fid)
            after = step(before, as_of, seen.get(fid), rules[fid] in entry.rules_run)
            if after is None or after == before:
                continue
            if before is None:
                inserts.append((fid, plan, *values(after)))
            else:
                updates.append((*values(after), fid))
    if folded:
        nights = _nights(conn, folded, before=None)
        for chunk in bulk.chunks(folded):
            bulk.rows_changed(conn, f"DELETE FROM store_finding_state WHERE plan_key IN ({_in(conn, chunk)})", chunk)
        for plan in folded:
            inserts += [(fid, plan, *values(state)) for fid, state in fold(nights.get(plan, []), rules).items()]
    bulk.insert(conn, S.finding_state, ("finding_id", "plan_key", *_STATE), inserts)
    bulk.update(conn, S.finding_state, _STATE, "finding_id", updates)


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
    carried = _carried(conn, plans)
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
        stories.append(FindingStory(r.key, r.plan_key, r.rule, r.subject, r.unit_key, tuple(events), tuple(carried.get(r.key, ()))))
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
    for chunk in bulk.chunks(list(fids)):
        for r in conn.execute(
            sa.select(o.c.finding_id, pr.c.check_date, o.c.data).join(pr, pr.c.id == o.c.plan_run_id).where(o.c.finding_id.in_(chunk))
        ):
            found[(r.finding_id, r.check_date)] = r.data
    return found


def _carried(conn: sa.Connection, plan_keys: Sequence[str]) -> dict[str, list[LetterRef]]:
    """Finding key -> every letter of these plans that carried it, any state, in drafting order."""
    found: dict[str, list[LetterRef]] = defaultdict(list)
    for chunk in bulk.chunks(list(plan_keys)):
        sql = f"SELECT {_REF}, l.findings FROM {_REF_FROM} WHERE l.plan_key IN ({_in(conn, chunk)}) ORDER BY l.check_date, l.id"
        for row in bulk.rows(conn, sql, chunk):
            ref = _ref(row)
            for key in bulk.parsed(row[12]):
                found[key].append(ref)
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
