"""The nightly run over many plans: streamed, over worker processes, in a fixed order.

    with Night(rules, as_of, workers=2) as night:       # workers start (before any lock is taken)
        result = night.run(plan_jobs(paths)[0], sink, each=hook)

Each plan goes read -> derive -> evaluate -> findings -> ``each`` (notices) in one worker
process; the worker sends back only what the run keeps: the plan's report, its findings
as JSON text (serialised in the worker), a tally per rule, unit and severity, and what
``each`` returned. Nothing holds every plan, fact or finding at once.

Determinism: plans are numbered in the order of their resolved paths and results reach
the sink in that order, whatever worker finished first; within a plan, findings are in
``Finding.sort_key`` order. One worker or two, the sink sees the same bytes.

Each worker is its own durable-rules host (a ``Checker``: compiled and registered once;
one session per plan, deleted after it, so the 1,024-session limit is never near).

A rule stopped on any plan is stopped on all (engine/run.py): a worker learns of a stop
only from its own plans, so when a rule stops after some plan's findings of it were
already sent, the night is run a second time with the stopped rules known from the
start (``sink.start`` is called again). The stopped set cannot grow on the second pass:
every plan is evaluated the same way, and a stop is recorded whether or not the rule is
already stopped. Which message names a stopped rule is the one from the first plan (in
plan order) that stopped it, as in a one-process run.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import gc
import os
import signal
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Callable, Iterable, Protocol

from dondoc.errors import EngineError
from dondoc.engine.findings import Finding
from dondoc.engine.rulebook import Rule
from dondoc.engine.run import Checker, PlanReport, RunReport
from dondoc.facts.calendar import DEFAULT, WorkCalendar
from dondoc.errors import InputError, InputErrors
from dondoc.facts.models import PlanFolder
from dondoc.facts.planfolder import read_plan_folder

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

CHUNK = 4  # plans per task sent to a worker: small, so two workers stay evenly loaded
Tally = Counter  # (rule, kind, unit, severity) -> findings


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class PlanJob:
    """One plan of the night: its place in the order and its folder."""

    index: int
    given: str  # the path as the user wrote it (``plan_path`` in findings)
    path: Path  # resolved: the plan's identity


def plan_jobs(paths: Iterable[str | Path]) -> tuple[list[PlanJob], list[tuple[str, str]]]:
    """The plans in the order of their resolved paths, each once; and (dropped, kept) pairs
    for every plan given a second time (the same folder by another path, or twice)."""
    first: dict[Path, str] = {}
    twice: list[tuple[str, str]] = []
    for given in paths:
        resolved = Path(os.path.realpath(given))
        if resolved in first:
            twice.append((str(given), first[resolved]))
        else:
            first[resolved] = str(given)
    ordered = sorted(first, key=lambda p: os.fsencode(p))
    return [PlanJob(i, first[p], p) for i, p in enumerate(ordered)], twice


# -- what one plan gives ------------------------------------------------------------------------


@dataclass
class PlanOutcome:
    """What a worker sends back for one plan: small, and already in its final form."""

    job: PlanJob
    report: PlanReport | None = None
    findings: bytes = b""  # the plan's findings.json entries in UTF-8, joined by ",\n" (see ``entry``)
    count: int = 0
    tally: Tally = field(default_factory=Counter)
    stopped: dict[str, str] = field(default_factory=dict)  # rules this plan stopped, and why
    extra: Any = None  # what ``each`` returned
    input_errors: list[dict[str, Any]] = field(default_factory=list)  # portable InputErrors
    worker: int = field(default_factory=os.getpid)  # the process that checked it


def entry(finding: Finding) -> bytes:
    """One finding as it stands in findings.json: a two-space indented JSON object, in UTF-8
    (encoded here, in the worker: the command only copies bytes)."""
    return b"  " + _to_json(finding, indent=2).replace(b"\n", b"\n  ")


_to_json = Finding.__pydantic_serializer__.to_json  # model_dump_json's bytes, before it decodes them


def _portable(error: InputError) -> dict[str, Any]:
    return {k: getattr(error, k) for k in ("path", "message", "line", "column", "where", "hint")}


def _input_error(data: dict[str, Any]) -> InputError:
    return InputError(data.pop("path"), data.pop("message"), **data)


PlanHook = Callable[[PlanJob, PlanFolder, list[Finding]], Any]


def check_plan(checker: Checker, job: PlanJob, each: PlanHook | None, stopped: dict[str, str]) -> PlanOutcome:
    """Read, evaluate and hand on one plan; rules in ``stopped`` (or stopped here) are left out.

    Bad input (the plan's files, or a notice template ``each`` cannot render) comes back
    in ``input_errors``, to be reported with every other plan's at the end of the run.
    """
    outcome = PlanOutcome(job)
    try:
        _check_plan(checker, job, each, stopped, outcome)
    except InputErrors as exc:
        outcome.input_errors = [_portable(e) for e in exc.errors]
    except InputError as exc:
        outcome.input_errors = [_portable(exc)]
    return outcome


def _check_plan(checker: Checker, job: PlanJob, each: PlanHook | None, stopped: dict[str, str], outcome: PlanOutcome) -> None:
    folder = read_plan_folder(job.given)
    for rule, why in stopped.items():
        checker.errors.setdefault(rule, why)
    known = set(checker.errors)
    findings, report = checker.plan(folder, job.index)
    outcome.stopped = {r: why for r, why in checker.errors.items() if r not in known}
    kept = sorted((f for f in findings if f.rule not in checker.errors), key=Finding.sort_key)
    report.findings = outcome.count = len(kept)
    outcome.report = report
    outcome.findings = b",\n".join(map(entry, kept))
    outcome.tally = Counter((f.rule, f.kind, f.unit, f.severity) for f in kept)
    if each is not None:
        outcome.extra = each(job, folder, kept)


class FindingsFile:
    """A sink writing findings.json as a stream (into a file opened in binary): the same bytes
    as one ``json.dumps(indent=2)`` of the whole list, without ever holding the list."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.count = 0

    def start(self) -> None:
        self.fh.seek(0)
        self.fh.truncate()
        self.fh.write(b"[")
        self.count = 0

    def add(self, outcome: PlanOutcome) -> None:
        if outcome.count:
            self.fh.write((b"," if self.count else b"") + b"\n" + outcome.findings)
            self.count += outcome.count

    def finish(self) -> None:
        self.fh.write(b"\n]\n" if self.count else b"]\n")
        self.fh.flush()


# -- the worker processes -----------------------------------------------------------------------

_checker: Checker | None = None


def _die_with_parent(parent: int) -> None:
    """A worker never outlives the run (a killed run must not leave writers behind)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _start_worker(rules: list[Rule], as_of: dt.date, calendar: WorkCalendar, parent: int) -> None:
    global _checker
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _checker = Checker(rules, as_of, calendar)
    _settle()


def _settle() -> None:
    """Collect garbage once per plan, not every 700 allocations: what lives for the whole run
    (modules, the rules, the checker) is set aside for good, and a plan's leftovers go
    between plans (``_tidy``). The collector took 12% of a plan's CPU; now 3%."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(100_000, 20, 100)  # a plan of 100,000 facts still collects as it goes


def _tidy() -> None:
    gc.collect(1)


def _header() -> tuple[int, int, dict[str, str]]:
    assert _checker is not None
    report = _checker.report()
    return report.rules, report.conditions, dict(report.rule_errors)


def _work(jobs: list[PlanJob], each: PlanHook | None, stopped: dict[str, str]) -> list[PlanOutcome]:
    assert _checker is not None
    outcomes = []
    for job in jobs:
        outcomes.append(check_plan(_checker, job, each, stopped))
        _tidy()
    return outcomes


# -- the night ----------------------------------------------------------------------------------


class Sink(Protocol):
    """Where results go, plan by plan in order. ``start`` is called before each pass,
    ``finish`` once after the last."""

    def start(self) -> None: ...

    def add(self, outcome: PlanOutcome) -> None: ...

    def finish(self) -> None: ...


@dataclass
class NightResult:
    report: RunReport
    tally: Tally  # findings per (rule, kind, unit, severity), stopped rules left out
    extras: list[Any]  # what ``each`` returned, per plan, in plan order
    passes: int = 1


class Night:
    """The rules in force on one date, ready to check many plans over ``workers`` processes.

    With one worker (or one plan) everything runs in this process, no pool at all.
    """

    def __init__(self, rules: list[Rule], as_of: dt.date, workers: int | None = None, calendar: WorkCalendar = DEFAULT) -> None:
        self.rules = rules
        self.as_of = as_of
        self.calendar = calendar
        self.workers = max(1, workers or default_workers())
        self._pool: ProcessPoolExecutor | None = None
        self._checker: Checker | None = None

    def __enter__(self) -> "Night":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def start(self, plans: int) -> None:
        """Start the workers now (before output is locked); a pool only if it can help."""
        if self._pool is not None or self._checker is not None:
            return
        if min(self.workers, plans) <= 1:
            self._checker = Checker(self.rules, self.as_of, self.calendar)
            header = self._checker.report()
            self._header = header.rules, header.conditions, dict(header.rule_errors)
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
            initargs=(self.rules, self.as_of, self.calendar, os.getpid()),
        )
        self._header = self._pool.submit(_header).result()  # launches the processes

    def _pass(self, jobs: list[PlanJob], each: PlanHook | None, stopped: dict[str, str]):
        if self._checker is not None:
            for job in jobs:
                yield check_plan(self._checker, job, each, stopped)
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

    def run(self, jobs: list[PlanJob], sink: Sink, each: PlanHook | None = None) -> NightResult:
        """Check every plan; the sink receives each plan's outcome in plan order."""
        self.start(len(jobs))
        rules, conditions, errors = self._header  # the rules in force, and those that cannot run at all
        stopped = dict(errors)  # rules that cannot be compiled or registered: the same everywhere
        passes = 0
        while True:
            passes += 1
            sink.start()
            first: dict[str, str] = {}  # outcomes come in plan order: the first plan to stop a rule names why
            plans, tally, extras, bad = [], Counter(), [], []
            try:
                for outcome in self._pass(jobs, each, stopped):
                    if outcome.input_errors:
                        bad += [_input_error(dict(e)) for e in outcome.input_errors]
                        continue
                    if bad:
                        continue  # the run will stop with exit 2: nothing more to write
                    for rule, why in outcome.stopped.items():
                        first.setdefault(rule, why)
                    sink.add(outcome)  # first: a sink may finish what ``each`` began (numbered notices)
                    plans.append(outcome.report)
                    tally.update(outcome.tally)
                    extras.append(outcome.extra)
            except BaseException:
                self.close()  # the workers stop before the output they write into is thrown away
                raise
            if bad:
                raise InputErrors(bad)
            new = {rule: why for rule, why in sorted(first.items()) if rule not in stopped}
            stopped.update(new)
            if not new.keys() & {rule for rule, *_ in tally}:
                break
            # A rule stopped after some plan's findings of it were written: start again, knowing it.
        sink.finish()
        report = RunReport(as_of=self.as_of, rules=rules, conditions=conditions, rule_errors=stopped)
        report.plans = plans
        return NightResult(report=report, tally=tally, extras=extras, passes=passes)
