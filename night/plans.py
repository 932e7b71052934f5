"""The plans of a night, each with its own settings and rule book, and each plan's one identity.

    plans = Plans(plan_dirs, rules_dirs=(), settings_file=None)
    plans.jobs       # in the order of their resolved paths, each once
    plans.books      # the distinct rule books: each compiled once, shared by the plans using it
    plans.settings   # the distinct settings files (dondoc.yaml), each read once

A province runs every commune in one night: each plan is checked with the rules, days off,
signer and routing of its own dondoc.yaml (the nearest one above the plan; ``--settings``
names one for all). Plans whose settings name the same rule folders share one book, and so
one compiled rule set in each worker; the days off change the book only when a rule of it
counts working days (engine: ``uses_calendar``), since facts are derived with each plan's
own calendar anyway, and then only by the days they hold: communes that keep copies of their
province's days off (each its own ngay-nghi.csv, the same days) share one book.
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from dondoc.engine.rulebook import SHIPPED, Book, Rule, load_book
from dondoc.engine.run import uses_calendar
from dondoc.errors import BoundError, InputError
from dondoc.facts.calendar import DEFAULT, WorkCalendar
from dondoc.facts.kinds import COMMUNE_SCHEMA
from dondoc.facts.models import PlanFolder, given_number
from dondoc.facts.planfolder import PLAN_FILE
from dondoc.facts.settings import DEFAULTS, Settings, check_commune, find_settings, settings_for
from dondoc.text import ascii_slug, one_line


@dataclass(frozen=True)
class PlanJob:
    """One plan of the night: its place in the order, its folder, its settings and rule book."""

    index: int
    given: str  # the path as the user wrote it (``plan_path`` in findings)
    path: Path  # resolved: the plan's folder
    settings: int = 0  # index into Plans.settings
    book: int = 0  # index into Plans.books
    folder: PlanFolder | None = field(default=None, compare=False)  # read already (a spec's, a bench's)


@dataclass(frozen=True)
class RuleSet:
    """One rule book as the night runs it: its rules, the calendar its rules count working
    days on (None: its rules count none), and where it comes from (for messages)."""

    rules: tuple[Rule, ...]
    calendar: WorkCalendar | None
    folders: tuple[str, ...]  # the office's rule folders layered over the shipped ones
    set_aside: tuple[InputError, ...] = ()

    @property
    def label(self) -> str:
        return ", ".join(self.folders) if self.folders else SHIPPED


@dataclass
class Plans:
    """The night's plans, settings and books, worked out once in the command's process."""

    jobs: list[PlanJob] = field(default_factory=list)
    twice: list[tuple[str, str]] = field(default_factory=list)  # (dropped, kept): one folder given twice
    settings: list[Settings] = field(default_factory=list)
    books: list[RuleSet] = field(default_factory=list)
    calendar: WorkCalendar | None = None  # every plan's working days, instead of its settings' (a night of its own)
    stored: frozenset[int] = frozenset()  # the settings (indexes) whose plans keep a store tonight
    past: Any = field(default_factory=dict)  # plan key -> the store's history of it: .get(key) (night/keeping.py Pasts)
    given_past: Any = None  # facts.history.PlanPast for every plan instead (a night of its own: the specs)

    def calendar_of(self, job: PlanJob) -> WorkCalendar:
        """The working days a plan's facts are counted on: its settings' days off."""
        return self.calendar or self.settings[job.settings].calendar()

    @classmethod
    def of(
        cls,
        paths: Iterable[str | Path],
        rules_dirs: Iterable[Path] = (),
        settings_file: Path | None = None,
        *,
        strict: bool = False,
    ) -> "Plans":
        """The plans in the order of their resolved paths, each once, with their settings and
        books. ``strict``: a rule file that cannot be read is an error (else it is set aside,
        named, and the other rules run: the night exits 3)."""
        plans = cls()
        first: dict[Path, str] = {}
        for given in discover(paths):
            resolved = Path(os.path.realpath(given))
            if resolved in first:
                plans.twice.append((str(given), first[resolved]))
            else:
                first[resolved] = str(given)
        ordered = sorted(first, key=lambda p: os.fsencode(p))
        seen: dict = {}  # each folder above the plans looked at once (find_settings)
        by_file: dict[str | None, int] = {}
        loaded: dict[tuple[str, ...], Book] = {}
        counts: dict[tuple[str, ...], bool] = {}  # does a rule of the book count working days?
        by_key: dict[tuple, int] = {}
        local = tuple(str(d) for d in rules_dirs)
        for index, path in enumerate(ordered):
            file = str(settings_file) if settings_file is not None else _settings_file(path, seen)
            if file not in by_file:
                by_file[file] = len(plans.settings)
                plans.settings.append(settings_for(path, settings_file, seen) if file is not None else DEFAULTS)
            settings = plans.settings[by_file[file]]
            folders = tuple(str(d) for d in settings.rules) + local
            if folders not in loaded:
                loaded[folders] = load_book(list(folders), strict=strict)
            if settings.commune or settings.communes:  # the commune's attributes, against the schema its rule pack declared
                check_commune(settings, COMMUNE_SCHEMA)
            book = loaded[folders]
            if folders not in counts:
                counts[folders] = any(uses_calendar(r) for r in book.rules)
            calendar = settings.calendar() if counts[folders] else None
            key = (folders, calendar.key if calendar is not None else None)
            if key not in by_key:
                by_key[key] = len(plans.books)
                plans.books.append(RuleSet(tuple(book.rules), calendar, folders, tuple(book.set_aside)))
            plans.jobs.append(PlanJob(index, first[path], path, by_file[file], by_key[key]))
        return plans

    @property
    def set_aside(self) -> list[InputError]:
        """Rule files set aside in any book, each once."""
        seen: dict[str, InputError] = {}
        for book in self.books:
            for problem in book.set_aside:
                seen.setdefault(problem.render(), problem)
        return list(seen.values())


# A folder that holds plan folders (a province's plans/, a commune's) is checked whole: every
# folder below it with a plan.yaml. The walk is bounded: a mistaken `dondoc check /` stops early.
WALK_DEPTH = 6
WALK_FOLDERS = 200_000


def discover(paths: Iterable[str | Path]) -> list[str]:
    """The plan folders named, and those below each folder named that is not a plan itself, in
    the order found (``Plans.of`` sorts them); a folder with no plan anywhere below is an error."""
    found: list[str] = []
    for given in paths:
        given = str(given)
        if os.path.isfile(os.path.join(given, PLAN_FILE)) or not os.path.isdir(given):
            found.append(given)  # a plan folder, or what read_plan_folder will name as bad input
            continue
        below = _plans_below(given)
        if not below:
            raise InputError(given, "không có thư mục kế hoạch nào (thư mục có plan.yaml) ở đây hay bên dưới",
                             hint="đưa đường dẫn tới thư mục kế hoạch, hoặc thư mục chứa các thư mục kế hoạch")
        found += below
    return found


def _plans_below(root: str) -> list[str]:
    found, folders = [], 0
    stack = [(root, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue  # unreadable: not a plan folder of ours
        for entry in entries:
            if entry.name.startswith(".") or not entry.is_dir(follow_symlinks=False):
                continue
            folders += 1
            if folders > WALK_FOLDERS:
                raise BoundError(root, f"hơn {WALK_FOLDERS:,} thư mục bên dưới: không tìm kế hoạch trong cả cây thư mục này".replace(",", "."),
                                 hint="đưa thư mục chứa các kế hoạch (ví dụ /srv/dondoc/plans), không phải thư mục gốc")
            if os.path.isfile(os.path.join(entry.path, PLAN_FILE)):
                found.append(entry.path)
            elif depth + 1 < WALK_DEPTH:
                stack.append((entry.path, depth + 1))
    return found


def _settings_file(path: Path, seen: dict) -> str | None:
    found = find_settings(path, seen) if path.is_dir() else None
    return str(found) if found is not None else None


def single(rules: list[Rule], calendar: WorkCalendar = DEFAULT) -> RuleSet:
    """One rule book for a night of its own (the specs, `rules explain`): the rules as given."""
    return RuleSet(tuple(rules), calendar, ())


# -- a plan's identity --------------------------------------------------------------------------


def plan_slug(folder: PlanFolder) -> str:
    """The plan's one identity: commune, year and number ("xa-gia-loc-2026-97-KH-UBND"); a
    draft has no number, so its title (with a hash of the title) stands in. Letters, the
    summary and the store all name the plan by it: two plans of one commune with one number
    in different years are two identities."""
    from dondoc.templates.render import issuer_parts  # here: a night without --out renders nothing (cold start)

    plan = folder.plan
    commune = ascii_slug(issuer_parts(plan.issuer)[1].removeprefix("Ủy ban nhân dân ") or plan.issuer)
    decision = plan.decision
    number = decision[0] if decision else plan.number
    if given_number(number):
        ident = ascii_slug(number, lower=False)
    else:
        ident = "du-thao-" + short_slug(one_line(plan.title), max_len=40)
    return f"{commune}-{plan.year}-{ident}"


SLUG_MAX = 60  # a unit's part of a file name; longer names are cut and told apart by a hash


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]


@functools.lru_cache(maxsize=8192)  # each letter's file is named after units every plan names
def short_slug(text: str, key: str | None = None, max_len: int = SLUG_MAX) -> str:
    """An ASCII name part; one too long is cut and ends with a hash of the whole, so two
    long names that start alike stay apart."""
    slug = ascii_slug(text, max_len=10_000)
    if len(slug) <= max_len:
        return slug or _hash(key or text)
    return slug[: max_len - 7].rstrip("-") + "-" + _hash(key or text)


# -- the rules of one office, for the rules commands ---------------------------------------------


def office_book(
    plan_dir: Path | None, rules_dirs: Iterable[Path] = (), settings_file: Path | None = None, *, strict: bool
) -> tuple[Book, WorkCalendar]:
    """The rules and calendar the night would use on ``plan_dir``: the shipped rules, the rule
    folders of the plan's settings (its dondoc.yaml, or ``settings_file``), then each --rules
    folder; the settings' days off. Without a plan, the settings file given, else the
    dondoc.yaml of the current folder or the nearest above it: `rules check`, `rules test` and
    `rules list` of an office see its rules and days off as its nights do."""
    where = plan_dir if plan_dir is not None else Path.cwd()
    settings = settings_for(where, settings_file)
    book = load_book([*settings.rules, *rules_dirs], strict=strict)
    return book, settings.calendar()
