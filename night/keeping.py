"""The night and its store: what earlier nights say, read before the plans are checked; what
tonight adds, recorded in one transaction before the output lands.

    plans.past = Pasts()                            # before the workers fork: they read it once sealed
    with Keeping.open(plans, options, started, plans.past) as keeping:  # each store: opened, its lock held, its past put in
        keeping.restart()                           # each pass of the night
        keeping.observe(job, kept)                  # each plan as it arrives: its findings, its letters (spilled)
        keeping.finish(status, counts, ended)       # one transaction per store

A plan's store is `--store`, else its settings' `store:` (docs/history.md). A night without
--out only reads: its facts know their past (open_days, times_notified...), nothing is
recorded and no lock is taken. Keys are made here, once, and the store keeps them as given:
a finding is (plan, rule, subject, unit), an item (plan, subject, unit).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any, Iterator

from dondoc.facts.history import ItemHistory, PlanPast
from dondoc.facts.kinds import SEVERITY_ORDER
from dondoc.store.spill import Spill
from dondoc.text import unit_key


def finding_key(plan: str, rule: str, subject: str, unit: str) -> str:
    """One finding's identity across nights: its plan, rule, subject (a recurring task's
    occurrence included) and unit."""
    return f"{plan}|{rule}|{subject}|{unit_key(unit)}"


def plan_past(history: Any) -> PlanPast:
    """A store's PlanHistory as the facts read it: per (subject, unit key), when it was first
    found, the letters that raised it, whether the last one's reply date passed unanswered,
    and its highest severity when last seen."""
    worst: dict[tuple[str, str], str] = {}
    for past in history.findings.values():
        if past.resolved_on is None:  # seen last night (or before, still open)
            key = (past.subject, past.unit)
            if key not in worst or SEVERITY_ORDER[past.severity] > SEVERITY_ORDER[worst[key]]:
                worst[key] = past.severity
    items = {}
    for (_, subject, unit), item in history.items.items():
        items[(subject, unit)] = ItemHistory(
            first_seen=item.first_seen,
            times_notified=item.times_notified,
            reply_lapsed=item.reply_lapsed,
            previous_severity=worst.get((subject, unit)),
        )
    return PlanPast(items)


# Plans whose history is read from the store at a time: a national night read every plan's
# history at once, as objects the workers' forks then copied page by page (1.7 GB of 1,000 plans).
HISTORY_CHUNK = 250


class Pasts:
    """Each plan's history, spilled to disk (store/spill.py) until its worker asks for it. Made
    before the workers fork, so that they carry neither the store's modules nor its reads in
    their pages: the store's history is put in afterwards, then sealed for them to find."""

    def __init__(self) -> None:
        self._spill = Spill()

    def update(self, histories: dict[str, Any]) -> None:
        for key, history in histories.items():
            self._spill.put(key, history)

    def seal(self) -> None:
        self._spill.seal()

    def get(self, key: str) -> Any:
        found = self._spill.get(key)
        return found[-1] if found else None

    def __len__(self) -> int:
        return len(self._spill)

    def close(self) -> None:
        self._spill.close()


@dataclass
class _Kept:
    store: Any  # store.Store
    night: Any = None  # store.history.Night, when the night records


class Keeping:
    """The stores of one night, by their target (a path or a URL)."""

    def __init__(self, targets: dict[str, _Kept], by_settings: dict[int, str], past: Pasts) -> None:
        self.kept = targets
        self.by_settings = by_settings  # a plan's settings index -> its store target
        self.past = past  # plan key -> PlanHistory (every plan its store knows)

    @staticmethod
    def targets(plans, options) -> dict[int, str]:
        """Each plan settings' store, by the settings' index: --store, else the settings' own."""
        return {
            i: str(options.store or settings.store) for i, settings in enumerate(plans.settings) if options.store or settings.store
        }

    @classmethod
    @contextlib.contextmanager
    def open(cls, plans, options, started: dt.datetime, past: Pasts) -> Iterator["Keeping | None"]:
        """Each store the night's plans name, opened; with --out, each one's night lock held;
        what each store knows of its plans put in ``past`` (sealed). None when no plan has a store."""
        by_settings = cls.targets(plans, options)
        if not by_settings:
            yield None
            return
        from dondoc.night.night import book_digest  # the one rule book hash run.json gives too
        from dondoc.store.store import Store

        digest = "+".join(sorted({book_digest(b) for b in plans.books}))
        with contextlib.ExitStack() as stack:
            kept: dict[str, _Kept] = {}
            for target in sorted(set(by_settings.values())):
                base = None if "://" in target else Path.cwd()
                store = stack.enter_context(Store.open(target, base=base))
                entry = kept[target] = _Kept(store)
                if options.out is not None:
                    entry.night = stack.enter_context(
                        store.night(options.as_of, version=version("dondoc"), rulebook_hash=digest, started=started)
                    )
            keeping = cls(kept, by_settings, past)
            for entry in kept.values():
                known = entry.store.plans()
                for start in range(0, len(known), HISTORY_CHUNK):
                    chunk = known[start : start + HISTORY_CHUNK]
                    if entry.night is not None:
                        keeping.past.update(entry.night.history(chunk))
                    else:
                        keeping.past.update(entry.store.history(chunk, options.as_of))
            past.seal()
            yield keeping

    def restart(self) -> None:
        """Tonight's record forgotten: the night checks its plans again (night/night.py's passes)."""
        for entry in self.kept.values():
            if entry.night is not None:
                entry.night.restart()

    def observe(self, job, kept) -> None:
        """One plan's share of tonight's record (night/plan.py PlanFiles.kept), as it arrives:
        each store's night spills it until ``finish``."""
        if kept is None:
            return
        entry = self.kept[self.by_settings[job.settings]]
        if entry.night is None:
            return
        entry.night.observe(kept.plan_key, kept.observations, kept.rules_run, kept.measures)
        for draft in kept.drafts:
            entry.night.draft(draft)
        if kept.withdrawn:
            entry.night.withdraw(kept.plan_key, kept.withdrawn)

    def finish(self, status: int, counts: Any, ended: dt.datetime) -> dict[str, list[int]]:
        """Every store's night recorded, each in one transaction; the letters drafted, by store."""
        drafted = {}
        for target, entry in self.kept.items():
            if entry.night is not None:
                recorded = entry.night.finish(status, counts, ended=ended)
                drafted[target] = list(recorded.letters)
        return drafted
