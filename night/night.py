"""One night: every plan checked with its own settings and rules, its letters and summary
written, the output landed whole.

    result = check(plan_dirs, Options(as_of=date, out=Path("out")))
    result.status(fail_on="cảnh báo")     # the exit status the run ends with (errors.py)

    findings, report = evaluate([plan_dir], rules, as_of)   # a one-worker night: specs, explain

The specs (`rules test`, pytest-bdd), `rules explain` and the nightly check all run plans
through this one driver (``Workers``, night/workers.py): the specs run the code the night runs.

A rule that cannot run on some plan is stopped for every plan of its book, never a partial
answer for a rule: a worker learns of a stop only from its own plans, so when a rule stops
after some plan's findings of it were already sent, the night is run a second time with the
stopped rules known from the start (the sink starts again). The stopped set cannot grow on
the second pass: every plan is evaluated the same way. Which message names a stopped rule is
the one from the first plan (in plan order) that stopped it, as in a one-process run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import os
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterable

from dondoc.engine.findings import SEVERITY_ORDER, Finding
from dondoc.engine.rulebook import Rule, rule_files, shipped_rules_dir
from dondoc.engine.run import RunReport
from dondoc.errors import EXIT_FINDINGS, EXIT_OK, EXIT_RULE_ERRORS, DondocError, InputError, InputErrors
from dondoc.facts.calendar import DEFAULT, WorkCalendar
from dondoc.facts.history import PlanPast
from dondoc.facts.models import PlanFolder
from dondoc.facts.settings import DEFAULTS
from dondoc.night.events import Events
from dondoc.night.keeping import Keeping, Pasts
from dondoc.night.plans import PlanJob, Plans, RuleSet, single
from dondoc.night.workers import PlanHook, PlanOutcome, Stopped, Workers
from dondoc.store.sink import FINDINGS, FindingsFile, OutputSink
from dondoc.templates import FORMATS
from dondoc.templates.fonts import ND30_FAMILIES


QUIET = Events()  # a night nobody watches: the specs, `rules explain`


@dataclass(frozen=True)
class Options:
    """What `dondoc check` was asked for."""

    as_of: dt.date
    out: Path | None = None
    rules_dirs: tuple[Path, ...] = ()  # --rules: over every plan's own rule folders
    settings_file: Path | None = None  # --settings: one file for every plan instead of each plan's own
    formats: tuple[str, ...] = FORMATS
    template_dir: Path | None = None
    summaries: bool = True
    workers: int | None = None
    store: str | None = None  # --store: the store of every plan, instead of each plan's settings' (docs/history.md)
    font_fallback: bool = False  # --allow-font-fallback: PDFs in another font when the ND30 font is missing


@dataclass
class NightResult:
    report: RunReport
    tally: Counter  # findings per (rule, kind, unit, severity), stopped rules left out
    plans: Plans
    letters: list[str] = field(default_factory=list)  # every letter file written, under notices/
    identities: list[str] = field(default_factory=list)  # each plan's identity, in plan order
    passes: int = 1
    books: dict[int, tuple[int, int, dict[str, str]]] = field(default_factory=dict)  # per book: rules, conditions, errors
    communes: list[tuple[str, Counter]] = field(default_factory=list)  # per plan, in plan order: its issuer and tally
    changes: dict[str, int] | None = None  # with a store: findings per change since each plan's last night
    decisions: list[tuple[str, bool, str]] = field(default_factory=list)  # each letter: (stem, drafted tonight, why)
    drafted: dict[str, list[int]] = field(default_factory=dict)  # store -> the letters it recorded tonight (ids)
    plan_changes: list[dict[str, int] | None] = field(default_factory=list)  # per plan, in plan order
    pdf_font: str = ""  # the family the PDFs are set in, when the night writes PDFs

    @property
    def font_fallback(self) -> bool:
        """PDFs set in another font than the ND30 one (allowed by --allow-font-fallback)."""
        return bool(self.pdf_font) and self.pdf_font not in ND30_FAMILIES

    @property
    def set_aside(self) -> list[InputError]:
        return self.plans.set_aside

    def status(self, fail_on: str = "never") -> int:
        """How the night ends (errors.py): 3 when a rule could not run, else 1 when a finding
        reaches ``fail_on``, else 0."""
        if self.report.rule_errors or self.set_aside:
            return EXIT_RULE_ERRORS
        if fail_on != "never" and any(SEVERITY_ORDER[sev] >= SEVERITY_ORDER[fail_on] for *_, sev in self.tally):
            return EXIT_FINDINGS
        return EXIT_OK


def _passes(workers: Workers, sink: Any, each: PlanHook | None, events: Events = QUIET) -> tuple[list[PlanOutcome], Stopped, int]:
    """Every plan through the workers into ``sink``, again when a rule stopped late (see the module)."""
    workers.start()
    stopped: Stopped = {}
    passes = 0
    while True:
        passes += 1
        events.phase("checking" if passes == 1 else "second pass", plans=len(workers.plans.jobs))
        sink.start()
        first: Stopped = {}  # outcomes come in plan order: the first plan to stop a rule names why
        kept: list[PlanOutcome] = []
        bad: list[InputError] = []
        try:
            for outcome in workers.run(stopped, each):
                events.plan(outcome)
                if outcome.input_errors:
                    bad += [InputError.from_portable(e) for e in outcome.input_errors]
                    for e in outcome.input_errors:
                        events.error(InputError.from_portable(e).render(), plan=outcome.job.given)
                    continue
                if bad:
                    continue  # the run will stop with exit 2: nothing more to write
                for rule, why in outcome.stopped.items():
                    first.setdefault(outcome.job.book, {}).setdefault(rule, why)
                sink.add(outcome)
                # Its findings are in the sink now: the night keeps the rest (report, tally, letters),
                # not 80 KB of findings.json text a plan (260 MB over the national night).
                outcome.findings = b""
                kept.append(outcome)
        except BaseException:
            workers.close()  # the workers stop before the output they write into is thrown away
            raise
        if bad:
            raise InputErrors(bad)
        # Rules a book cannot run at all (known when it is compiled): none made a finding.
        for book, (_, _, errors) in workers.header.items():
            for rule, why in errors.items():
                stopped.setdefault(book, {}).setdefault(rule, why)
        late = False
        for book, rules in first.items():
            for rule, why in sorted(rules.items()):
                if rule not in stopped.setdefault(book, {}):
                    stopped[book][rule] = why
                    late = late or any(r == rule for o in kept if o.job.book == book for r, *_ in o.tally)
        if not late:
            return kept, stopped, passes
        # A rule stopped after some plan's findings of it were written: start again, knowing it.


class _Findings:
    """A sink for a night without --out: findings.json into a spool."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.findings = FindingsFile(fh)

    def start(self) -> None:
        self.findings.start()

    def add(self, outcome: PlanOutcome) -> None:
        self.findings.add(outcome.findings, outcome.count)


class _Output:
    """A sink for a night with --out: findings, letters and summaries into the staged output;
    what each plan's store records of it, handed to the store as the plan arrives (the store
    spills it until its one transaction: night/keeping.py)."""

    def __init__(self, sink: OutputSink, keeping: Keeping | None) -> None:
        self.sink = sink
        self.keeping = keeping

    def start(self) -> None:
        self.sink.start()
        if self.keeping is not None:
            self.keeping.restart()

    def add(self, outcome: PlanOutcome) -> None:
        files = outcome.extra  # night/plan.py PlanFiles
        self.sink.claim(files.identity, outcome.job.given)
        self.sink.add(outcome.findings, outcome.count, files.letters, first=outcome.job.index == 0)
        if self.keeping is not None:
            self.keeping.observe(outcome.job, files.kept)
        files.kept = None  # the night keeps the outcome (its report, tally, letters), not the record


def check(
    plan_dirs: Iterable[str | Path], options: Options, *, findings_to: IO[bytes] | None = None, events: Events = QUIET
) -> NightResult:
    """The night over ``plan_dirs``: findings (to ``findings_to`` as findings.json's bytes,
    and in --out), letters and summaries in --out, run.json last; landed whole or not at all.
    ``events`` hears of each phase, plan and error (night/events.py)."""
    started = time.time()
    events.phase("start", as_of=options.as_of.isoformat(), out=str(options.out) if options.out else None)
    try:
        result = _check(plan_dirs, options, findings_to, events, started)
    except BaseException as exc:
        for line in (exc.messages() if isinstance(exc, DondocError) else [f"{type(exc).__name__}: {exc}"]):
            events.error(line, status=getattr(exc, "exit_code", None))
        events.phase("end", status=getattr(exc, "exit_code", None), seconds=round(time.time() - started, 3))
        raise
    finally:
        events.close()
    return result


def _check(plan_dirs, options: Options, findings_to, events: Events, started: float) -> NightResult:
    pdf_font = ""
    if options.out is not None and "pdf" in options.formats:
        # The machine first: a night without the ND30 font or Pango stops at once (exit 4),
        # not after every plan was read.
        from dondoc.templates.pdf import pdf_ready

        pdf_font = pdf_ready(options.font_fallback)
    plans = Plans.of(plan_dirs, options.rules_dirs, options.settings_file)
    events.phase("plans read", plans=len(plans.jobs), settings=len(plans.settings), books=len(plans.books), seconds=round(time.time() - started, 3))
    targets = Keeping.targets(plans, options)
    with contextlib.ExitStack() as stack:
        if targets:
            # What the store knows of the plans goes into a spill the workers can read though they
            # fork before the store is opened: they carry neither its modules nor its reads.
            plans.stored = frozenset(targets)
            plans.past = stack.enter_context(contextlib.closing(Pasts()))
        workers = stack.enter_context(Workers(plans, options.as_of, options.workers))
        workers.start()  # workers start before the store's and the output's locks: they inherit none
        events.phase("workers started", workers=min(workers.workers, len(plans.jobs)))
        keeping = stack.enter_context(Keeping.open(plans, options, dt.datetime.fromtimestamp(started, dt.timezone.utc), plans.past))
        if keeping is not None:
            events.phase("store read", stores=len(keeping.kept), plans_known=len(keeping.past))
        return _checked(plans, options, findings_to, events, started, workers, keeping, pdf_font)


def _checked(
    plans: Plans, options: Options, findings_to, events: Events, started: float, workers: Workers, keeping: Keeping | None,
    pdf_font: str = "",
) -> NightResult:
    if options.out is None:
        with tempfile.TemporaryFile("w+b") as spool:
            sink = _Findings(spool)
            outcomes, stopped, passes = _passes(workers, sink, None, events)
            sink.findings.finish()
            if findings_to is not None:
                spool.seek(0)
                shutil.copyfileobj(spool, findings_to)
        result = _result(plans, workers, outcomes, stopped, passes)
    else:
        # Here: a night without --out renders nothing, and starts without the renderers.
        from dondoc.night.plan import Rendering, plan_output

        rendering = Rendering(options.as_of, options.formats, options.template_dir, options.summaries)
        with OutputSink.open(options.out) as sink:
            each = functools.partial(plan_output, sink.root, rendering)
            output = _Output(sink, keeping)
            outcomes, stopped, passes = _passes(workers, output, each, events)
            result = _result(plans, workers, outcomes, stopped, passes)
            result.letters = sink.files
            result.pdf_font = pdf_font
            if keeping is not None:  # recorded before the output lands: the store is the record
                result.drafted = keeping.finish(result.status(), _counts(result), dt.datetime.now(dt.timezone.utc))
                events.phase("store recorded", letters=sum(len(v) for v in result.drafted.values()))
            events.phase("landing", letters=len(sink.files))
            sink.finish(run_json(result, started, time.time()))
        if findings_to is not None:
            with open(options.out / FINDINGS, "rb") as fh:
                shutil.copyfileobj(fh, findings_to)
    events.phase("end", status=result.status(), findings=sum(result.tally.values()), seconds=round(time.time() - started, 3))
    return result


def _result(plans: Plans, workers: Workers, outcomes: list[PlanOutcome], stopped: Stopped, passes: int) -> NightResult:
    books = workers.books()
    errors: dict[str, str] = {}
    for book, rules in sorted(stopped.items()):
        for rule, why in sorted(rules.items()):
            errors[_rule_label(plans, book, rule)] = why
    report = RunReport(
        as_of=workers.as_of,
        rules=max((n for n, _, _ in books.values()), default=0),  # each book's own: run.json's rule_books
        conditions=max((c for _, c, _ in books.values()), default=0),
        rule_errors=errors,
    )
    report.plans = [o.report for o in outcomes if o.report is not None]
    tally: Counter = Counter()
    for o in outcomes:
        tally.update(o.tally)
    identities = [o.extra.identity for o in outcomes if hasattr(o.extra, "identity")]
    communes = [(o.commune, o.tally) for o in outcomes]
    plan_changes = [o.changes for o in outcomes]
    changes: Counter | None = None
    for o in outcomes:
        if o.changes is not None:
            changes = (changes or Counter()) + Counter(o.changes)
    decisions = [d for o in outcomes for d in getattr(o.extra, "decisions", [])]
    return NightResult(
        report, tally, plans, identities=identities, passes=passes, books=dict(books), communes=communes,
        changes=_all_changes(changes), decisions=decisions, plan_changes=plan_changes,
    )


def _all_changes(changes: Counter | None) -> dict[str, int] | None:
    if changes is None:
        return None
    from dondoc.night.cadence import CHANGES, RESOLVED

    return {c: changes.get(c, 0) for c in (*CHANGES, RESOLVED)}


def _counts(result: NightResult) -> dict[str, Any]:
    """What the store keeps of the night's counts (its run row)."""
    return {
        "plans": len(result.report.plans),
        "findings": sum(result.tally.values()),
        "severities": severity_counts(result.tally),
        "changes": result.changes,
        "letters": sum(1 for _, sent, _ in result.decisions if sent),
    }


def _rule_label(plans: Plans, book: int, rule: str) -> str:
    """A stopped rule by its id; by its id and book when the night runs several books."""
    if len(plans.books) == 1:
        return rule
    return f"{rule} [{plans.books[book].label}]"


def run_json(result: NightResult, started: float, ended: float) -> dict[str, Any]:
    """run.json: the report, when and by what it ran, and each plan's settings and rule book."""
    from importlib.metadata import version

    plans = result.plans
    report = result.report.as_json()
    for entry, job, (commune, tally) in zip(report["plans"], plans.jobs, result.communes):  # all in plan order
        entry["commune"] = commune
        entry["settings"] = plans.settings[job.settings].path or None
        entry["book"] = job.book
        entry["severities"] = severity_counts(tally)
    for entry, changes in zip(report["plans"], result.plan_changes):
        if changes is not None:
            entry["changes"] = changes
    return {
        **report,
        "severities": severity_counts(result.tally),
        "changes": result.changes,  # with a store: since each plan's last night (docs/history.md)
        "letters": [{"letter": stem, "drafted": sent, "why": why} for stem, sent, why in result.decisions],
        "rule_files_set_aside": [p.render() for p in result.set_aside],
        **({"pdf_font": result.pdf_font} if result.pdf_font else {}),  # another than Times New Roman / Liberation Serif: --allow-font-fallback
        "rule_books": [
            {
                "book": i,
                "folders": list(book.folders),
                "digest": book_digest(book),
                "rules": result.books[i][0],
                "conditions": result.books[i][1],
                "days_off": book.calendar is not None,  # its rules count working days on its plans' days off
            }
            for i, book in enumerate(plans.books)
        ],
        "dondoc": version("dondoc"),
        "started": _iso(started),
        "ended": _iso(ended),
        "seconds": round(ended - started, 3),
    }


def severity_counts(tally: Counter) -> dict[str, int]:
    """Findings per severity, most severe first (every severity named, zeros too)."""
    counts = Counter()
    for (*_, severity), n in tally.items():
        counts[severity] += n
    return {sev: counts[sev] for sev in sorted(SEVERITY_ORDER, key=SEVERITY_ORDER.__getitem__, reverse=True)}


def _iso(moment: float) -> str:
    return dt.datetime.fromtimestamp(moment, dt.timezone.utc).isoformat(timespec="seconds")


@functools.lru_cache(maxsize=256)
def _folder_digest(folder: str) -> str:
    digest = hashlib.sha256()
    for path in rule_files(Path(folder)):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def book_digest(book: RuleSet) -> str:
    """The rule book's hash: the shipped rules' files and the office's, in layer order."""
    digest = hashlib.sha256()
    for folder in (str(shipped_rules_dir()), *book.folders):
        try:
            digest.update(_folder_digest(folder).encode())
        except OSError:
            digest.update(b"?")  # a folder set aside: named in rule_files_set_aside
    return digest.hexdigest()[:16]


# -- a night of its own: the specs, `rules explain` ----------------------------------------------------


def evaluate(
    plans_in: Iterable[str | Path | PlanFolder], rules: list[Rule], as_of: dt.date, calendar: WorkCalendar = DEFAULT,
    *, past: PlanPast | None = None, commune: dict[str, Any] | None = None,
) -> tuple[list[Finding], RunReport]:
    """Plans (folders on disk, or read already) checked against ``rules`` in one process, by the
    night's own driver: findings in a stable order (stopped rules left out) and the run's report;
    ``past``: what a store remembers of every plan's items (a spec's "lịch sử đôn đốc");
    ``commune``: the attributes of every plan's commune (a spec's "thuộc tính của xã")."""
    plans = Plans.of([], ())
    plans.books = [single(rules, calendar)]
    plans.settings = [DEFAULTS.model_copy(update={"commune": dict(commune)}) if commune else DEFAULTS]
    plans.calendar = calendar  # every plan's facts counted on it too
    plans.given_past = past
    plans.jobs = [
        PlanJob(i, p.path, Path(p.path), folder=p) if isinstance(p, PlanFolder) else PlanJob(i, str(p), Path(os.path.realpath(p)))
        for i, p in enumerate(plans_in)
    ]
    collected: list[Finding] = []

    class _Collect:
        def start(self) -> None:
            collected.clear()

        def add(self, outcome: PlanOutcome) -> None:
            collected.extend(outcome.extra)

    with Workers(plans, as_of, 1) as workers:
        outcomes, stopped, passes = _passes(workers, _Collect(), _keep_findings)
        result = _result(plans, workers, outcomes, stopped, passes)
    return sorted(collected, key=Finding.sort_key), result.report


def _keep_findings(job, folder, settings, findings, stopped, rules, tonight=None) -> list[Finding]:
    return findings
