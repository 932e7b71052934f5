"""The night's evaluation over worker processes: streamed, in a fixed order.

    with Workers(plans, as_of, workers=2, each=hook) as pool:   # processes start (before any lock)
        for outcome in pool.run(stopped): ...                     # in plan order

Each plan goes read -> derive (with its own calendar) -> evaluate (with its own rule book)
-> findings -> ``each`` (its letters and summary, night/plan.py) in one worker process; the
worker sends back only what the night keeps: the plan's report, its findings as JSON text
(serialised in the worker), a tally, and what ``each`` returned. Nothing holds every plan,
fact or finding at once.

Determinism: plans are numbered in the order of their resolved paths (night/plans.py) and
results come back in that order, whatever worker finished first; within a plan, findings are
in ``Finding.sort_key`` order. One worker or two, the night writes the same bytes.

Each worker keeps a durable-rules host per rule book it has met (an engine ``Checker``:
compiled and registered once; one session per plan, deleted after it, so the 1,024-session
limit is never near). A province's night with many books keeps the most recent
``CHECKERS`` of them per worker. A book is compiled only where a plan needs it: what the
night reports of a book (its rules, conditions and the rules that cannot run at all) comes
back with the first plan of that book each worker checks (``PlanOutcome.book``), not from
compiling every book up front in one process (with a third of 3,321 communes carrying their
own rules and days off, that alone was seconds of one core before any plan was checked, and
every book was compiled again where its plans ran).

A rule that cannot run on some plan is stopped for every plan of its book (engine/run.py):
see night/night.py for the second pass that makes this true whatever the workers.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import gc
import os
import signal
import time
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterator

from pydantic import TypeAdapter

from dondoc.engine.findings import Finding
from dondoc.engine.rulebook import Rule
from dondoc.engine.run import Checker, PlanReport, Registrations
from dondoc.errors import EngineError, InputError, InputErrors
from dondoc.facts.calendar import DEFAULT
from dondoc.facts.models import PlanFolder
from dondoc.facts.planfolder import read_plan_folder
from dondoc.facts.kinds import COMMUNE_SCHEMA
from dondoc.facts.settings import Settings, attributes_for
from dondoc.night.keeping import finding_key, plan_past
from dondoc.night.plans import PlanJob, Plans, plan_slug

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

CHUNK = 4  # plans per task sent to a worker: small, so two workers stay evenly loaded
CHECKERS = 32  # rule books a worker keeps compiled at once
Tally = Counter  # (rule, kind, unit, severity) -> findings
Stopped = dict  # book index -> {rule id: why}
BookHeader = tuple  # (rules in force, conditions, {rule id: why it cannot run at all})


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class PlanOutcome:
    """What a worker sends back for one plan: small, and already in its final form."""

    job: PlanJob
    report: PlanReport | None = None
    findings: bytes = b""  # the plan's findings.json entries in UTF-8, joined by ",\n" (see ``entry``)
    count: int = 0
    tally: Tally = field(default_factory=Counter)
    stopped: dict[str, str] = field(default_factory=dict)  # rules of its book this plan stopped, and why
    extra: Any = None  # what ``each`` returned
    input_errors: list[dict[str, Any]] = field(default_factory=list)  # portable InputErrors
    worker: int = field(default_factory=os.getpid)  # the process that checked it
    commune: str = ""  # the plan's issuer ("UBND xã Gia Lộc"): the closing table counts per commune
    changes: dict[str, int] | None = None  # with a store: findings per change since the last night (night/cadence.py)
    seconds: float = 0.0  # the plan's time in its worker (the operator's log)
    book: BookHeader | None = None  # its book's header, with the first plan of the book a worker checks


def entry(finding: Finding, changes: Any = None, plan_key: str = "") -> bytes:
    """One finding as it stands in findings.json: a two-space indented JSON object, in UTF-8
    (encoded here, in the worker: the command only copies bytes). With a store, ``since``:
    its change since the plan's last night, when first found, letters that raised it."""
    if changes is not None:
        since = changes.since.get(finding_key(plan_key, finding.rule, finding.subject, finding.unit))
        finding = finding.model_copy(update={"since": since})
    return b"  " + _to_json(finding, indent=2, exclude_none=True).replace(b"\n", b"\n  ")


_to_json = Finding.__pydantic_serializer__.to_json  # model_dump_json's bytes, before it decodes them


def entries(findings: list[Finding], changes: Any = None, plan_key: str = "") -> bytes:
    """A plan's findings as they stand in findings.json, joined by ",\n" (``entry`` each). Without a
    store, one serialisation of the list: "[\n" + the same entries + "\n]" (half the time of one
    call per finding); with one, each finding gets its ``since`` first."""
    if changes is not None:
        return b",\n".join(entry(f, changes, plan_key) for f in findings)
    return _list_to_json(findings, indent=2, exclude_none=True)[2:-2] if findings else b""


_list_to_json = TypeAdapter(list[Finding]).dump_json

# each(job, folder, settings, findings, stopped rules of its book, its book's rules in force)
#   -> what the night keeps of the plan
PlanHook = Callable[[PlanJob, PlanFolder, Settings, list[Finding], dict[str, str], tuple[Rule, ...]], Any]


class Evaluator:
    """The checkers of one process, one per rule book met, most recent kept."""

    def __init__(self, plans: Plans, as_of: dt.date) -> None:
        self.plans = plans
        self.as_of = as_of
        self._checkers: OrderedDict[int, Checker] = OrderedDict()
        self.headers: dict[int, BookHeader] = {}  # per book met: as compiled, before any plan
        self._told: set[int] = set()  # books whose header went back with an outcome
        self._registrations = Registrations()  # books compiled alike share durable-rules' registration

    def checker(self, book: int) -> Checker:
        found = self._checkers.get(book)
        if found is None:
            rules = self.plans.books[book]
            found = Checker(list(rules.rules), self.as_of, rules.calendar or DEFAULT, self._registrations)
            report = found.report()
            self.headers.setdefault(book, (report.rules, report.conditions, dict(report.rule_errors)))
            self._checkers[book] = found
            if len(self._checkers) > CHECKERS:
                self._checkers.popitem(last=False)
        else:
            self._checkers.move_to_end(book)
        return found

    def check_plan(self, job: PlanJob, each: PlanHook | None, stopped: Stopped) -> PlanOutcome:
        """Read, evaluate and hand on one plan; rules stopped for its book are left out.

        Bad input (the plan's files, or a letter template ``each`` cannot render) comes back
        in ``input_errors``, to be reported with every other plan's at the end of the run.
        """
        outcome = PlanOutcome(job)
        started = time.perf_counter()
        try:
            self._check_plan(job, each, stopped.get(job.book, {}), outcome)
        except InputErrors as exc:
            outcome.input_errors = [e.portable() for e in exc.errors]
        except InputError as exc:
            outcome.input_errors = [exc.portable()]
        outcome.seconds = time.perf_counter() - started
        return outcome

    def _check_plan(self, job: PlanJob, each: PlanHook | None, stopped: dict[str, str], outcome: PlanOutcome) -> None:
        folder = job.folder if job.folder is not None else read_plan_folder(job.given)
        outcome.commune = folder.plan.issuer
        settings = self.plans.settings[job.settings]
        checker = self.checker(job.book)
        if job.book not in self._told:
            self._told.add(job.book)
            outcome.book = self.headers[job.book]
        for rule, why in stopped.items():
            checker.errors.setdefault(rule, why)
        known = set(checker.errors)
        # A plan whose night keeps a store: its items' past goes into its facts (facts/history.py).
        stored = job.settings in self.plans.stored
        identity = plan_slug(folder) if stored or each is not None else ""
        history = self.plans.past.get(identity) if stored else None
        if stored and history is None:  # a plan its store has never seen: an empty past, every finding new
            from dondoc.store.records import PlanHistory

            history = PlanHistory(identity, None, {}, {}, {})
        past = plan_past(history) if stored else self.plans.given_past
        commune = attributes_for(settings, folder.plan.locality, COMMUNE_SCHEMA)  # its dondoc.yaml's, or the province's row
        findings, report = checker.plan(folder, job.index, self.plans.calendar_of(job), past, commune)
        outcome.stopped = {r: why for r, why in checker.errors.items() if r not in known}
        kept = sorted((f for f in findings if f.rule not in checker.errors), key=Finding.sort_key)
        report.findings = outcome.count = len(kept)
        outcome.report = report
        changes = None
        if stored:
            from dondoc.night.cadence import what_changed  # a night with a store (the letters' templates load)

            ran = {r.id for r in checker.rules} - set(checker.errors)
            changes = what_changed(identity, kept, history, ran)
            outcome.changes = changes.counts()
        outcome.findings = entries(kept, changes, identity)
        outcome.tally = Counter((f.rule, f.kind, f.unit, f.severity) for f in kept)
        if each is not None:
            from dondoc.night.cadence import Tonight

            tonight = Tonight(identity, stored, history, changes)
            outcome.extra = each(job, folder, settings, kept, dict(checker.errors), tuple(checker.rules), tonight)

    def header(self, book: int) -> BookHeader:
        """A book's rules in force, their conditions, and those that cannot run at all."""
        self.checker(book)
        return self.headers[book]


# -- the worker processes -----------------------------------------------------------------------

_evaluator: Evaluator | None = None


def _die_with_parent(parent: int) -> None:
    """A worker never outlives the run (a killed run must not leave writers behind)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _start_worker(plans: Plans, as_of: dt.date, parent: int) -> None:
    global _evaluator
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _evaluator = Evaluator(plans, as_of)
    _settle()


def _settle() -> None:
    """Collect garbage once per plan, not every 700 allocations: what lives for the whole run
    (modules, the rules, the checkers) is set aside for good, and a plan's leftovers go
    between plans (``_tidy``). The collector took 12% of a plan's CPU; now 3%."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(100_000, 20, 100)  # a plan of 100,000 facts still collects as it goes


def _tidy() -> None:
    gc.collect(1)


def _ready() -> int:
    return os.getpid()


def _work(jobs: list[PlanJob], each: PlanHook | None, stopped: Stopped) -> list[PlanOutcome]:
    assert _evaluator is not None
    outcomes = []
    for job in jobs:
        outcomes.append(_evaluator.check_plan(job, each, stopped))
        _tidy()
    return outcomes


class Workers:
    """The night's plans, ready to be checked over ``workers`` processes.

    With one worker (or one plan) everything runs in this process, no pool at all.
    """

    def __init__(self, plans: Plans, as_of: dt.date, workers: int | None = None) -> None:
        self.plans = plans
        self.as_of = as_of
        self.workers = max(1, workers or default_workers())
        self._pool: ProcessPoolExecutor | None = None
        self._local: Evaluator | None = None
        self.header: dict[int, BookHeader] = {}  # per book, as its plans' outcomes bring it (``books``)

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def start(self) -> None:
        """Start the workers now (before output is locked); a pool only if it can help."""
        if self._pool is not None or self._local is not None:
            return
        plans = len(self.plans.jobs)
        if min(self.workers, plans) <= 1:
            self._local = Evaluator(self.plans, self.as_of)
            if plans > 1:
                _settle()
            return
        # Frozen before the fork: the collector never touches (and so never copies) the pages
        # the workers share with this process.
        gc.freeze()
        from concurrent.futures import ProcessPoolExecutor  # here: one plan needs no pool
        from multiprocessing import get_context

        self._pool = ProcessPoolExecutor(
            max_workers=min(self.workers, plans),
            mp_context=get_context("fork"),  # workers share the parent's imports: no start-up cost
            initializer=_start_worker,
            initargs=(self.plans, self.as_of, os.getpid()),
        )
        self._pool.submit(_ready).result()  # launches the processes (a fork pool starts them all at once)

    def run(self, stopped: Stopped, each: PlanHook | None = None) -> Iterator[PlanOutcome]:
        """Every plan's outcome, in plan order; ``stopped``: rules known not to run, per book;
        ``each``: what the worker does with a plan's findings (night/plan.py)."""
        for outcome in self._run(stopped, each):
            if outcome.book is not None:
                self.header.setdefault(outcome.job.book, outcome.book)
            yield outcome

    def books(self) -> dict[int, BookHeader]:
        """Every book's header: those its plans brought back; a book no plan reached (none
        given, or the night stopped on bad input) compiled here."""
        for book in range(len(self.plans.books)):
            if book not in self.header:
                self.header[book] = (self._local or Evaluator(self.plans, self.as_of)).header(book)
        return dict(sorted(self.header.items()))

    def _run(self, stopped: Stopped, each: PlanHook | None) -> Iterator[PlanOutcome]:
        self.start()
        jobs = self.plans.jobs
        if self._local is not None:
            for job in jobs:
                yield self._local.check_plan(job, each, stopped)
                _tidy()
            return
        from concurrent.futures.process import BrokenProcessPool

        assert self._pool is not None
        size = max(1, min(CHUNK, len(jobs) // (8 * self.workers)))  # a few plans: one at a time
        chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
        try:
            for outcomes in self._pool.map(_work, chunks, [each] * len(chunks), [stopped] * len(chunks)):
                yield from outcomes
        except BrokenProcessPool:
            raise EngineError("a worker process died during the check (killed, or out of memory): nothing written") from None
