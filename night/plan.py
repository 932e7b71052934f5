"""One plan's share of the night, in the worker that checked it: its identity, its letters and
its summary, each built once, rendered in the formats asked for and written into the staging
folder.

    outcome.extra = plan_output(root, options, job, folder, settings, findings, stopped, rules)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from dondoc.engine.explain import checked_by
from dondoc.engine.findings import Finding
from dondoc.engine.rulebook import Rule
from dondoc.errors import InputError
from dondoc.facts.models import PlanFolder
from dondoc.facts.settings import Settings
from dondoc.night.letters import PlanLetter, plan_letters, withheld
from dondoc.night.plans import PlanJob, office_book, plan_slug
from dondoc.store.sink import NOTICES, SUMMARY, write_plan_files
from dondoc.templates import FORMATS
from dondoc.templates.notices import letter_files
from dondoc.templates.render import NoticeTemplateError


@dataclass(frozen=True)
class Rendering:
    """What a night writes for each plan: the letters' formats, a commune's template folder
    (else the settings'), and whether the Chairman's summary is written."""

    as_of: dt.date
    formats: tuple[str, ...] = FORMATS
    template_dir: Path | None = None
    summaries: bool = True


@dataclass
class PlanFiles:
    """What the command keeps of one plan's output: its identity and its letter files."""

    identity: str
    letters: list[str]


def build_letters(folder: PlanFolder, findings: list[Finding], as_of: dt.date, settings: Settings) -> tuple[str, list[PlanLetter]]:
    """The plan's identity and its letters, built once: notices, the summary and the store use these."""
    identity = plan_slug(folder)
    return identity, plan_letters(folder, findings, as_of, settings, identity)


def summary_of(
    folder: PlanFolder,
    findings: list[Finding],
    letters: list[PlanLetter],
    as_of: dt.date,
    settings: Settings,
    identity: str,
    rules: Iterable[Rule],
    stopped: Mapping[str, str],
):
    """The plan's Chairman's summary from its letters, told which rules check each target and
    which of them did not run (so it says "Đạt" only of what a rule that ran checked)."""
    from dondoc.templates.summary import build_summary

    rules = list(rules)
    checked = checked_by(rules, folder, as_of, settings.calendar())
    titles = {r.id: r.title for r in rules}
    not_run = {rule: titles.get(rule, rule) for rule in sorted(stopped)}
    written = not withheld(folder, settings)
    if not written:  # the items still reach the Chairman, unit by unit, though no letter was written
        letters = plan_letters(folder, findings, as_of, settings, identity, withholding=False)
    notices = [letter.notice for letter in letters]
    return build_summary(
        folder, findings, notices, as_of, settings, identity, checked=checked, stopped=not_run, written=written
    )


def plan_files(
    folder: PlanFolder,
    findings: list[Finding],
    settings: Settings,
    rendering: Rendering,
    rules: Iterable[Rule] = (),
    stopped: Mapping[str, str] = {},
) -> tuple[str, dict[str, bytes]]:
    """One plan's files, by their path in the output: its letters (notices/) and its summary
    (summary/); ``rules``: the plan's book in force, ``stopped``: those that did not run."""
    identity, letters = build_letters(folder, findings, rendering.as_of, settings)
    template_dir = rendering.template_dir if rendering.template_dir is not None else settings.templates
    files: dict[str, bytes] = {}
    if rendering.summaries:
        from dondoc.templates.summary import summary_files

        summary = summary_of(folder, findings, letters, rendering.as_of, settings, identity, rules, stopped)
        files.update((f"{SUMMARY}/{name}", data) for name, data in summary_files(summary, rendering.formats).items())
    try:
        rendered = letter_files([(letter.stem, letter.notice) for letter in letters], rendering.formats, template_dir)
    except NoticeTemplateError as exc:
        raise InputError(exc.filename or template_dir, exc.message, line=exc.lineno) from None
    files.update((f"{NOTICES}/{f.path}", f.data) for f in rendered)
    return identity, files


def plan_output(
    root: Path,
    rendering: Rendering,
    job: PlanJob,
    folder: PlanFolder,
    settings: Settings,
    findings: list[Finding],
    stopped: dict[str, str],
    rules: Iterable[Rule] = (),
) -> PlanFiles:
    """In the worker: the plan's letters and summary, into the staging folder ``root``;
    ``rules``: its book in force, ``stopped``: those of them that did not run."""
    identity, files = plan_files(folder, findings, settings, rendering, rules, stopped)
    write_plan_files(root, files)
    return PlanFiles(identity, [name.removeprefix(NOTICES + "/") for name in files if name.startswith(NOTICES + "/")])


def notices_for_plan(
    folder: PlanFolder | str | Path,
    findings: list[Finding],
    as_of: dt.date,
    settings: Settings | None = None,
    formats: tuple[str, ...] | list[str] = FORMATS,
    *,
    template_dir: Path | str | None = None,
) -> list:
    """One plan's letters, rendered: [NoticeFile(path under notices/, bytes)], in a stable order,
    as the night writes them. ``settings`` default to the plan's dondoc.yaml; ``template_dir``
    (else the settings' ``templates``) is a commune's template folder."""
    from dondoc.facts.planfolder import read_plan_folder
    from dondoc.facts.settings import settings_for

    if not isinstance(folder, PlanFolder):
        folder = read_plan_folder(folder)
    settings = settings if settings is not None else settings_for(folder.path)
    _, letters = build_letters(folder, list(findings), as_of, settings)
    chosen = template_dir if template_dir is not None else settings.templates
    return letter_files([(letter.stem, letter.notice) for letter in letters], formats, chosen)


def plan_summary(
    folder: PlanFolder,
    findings: list[Finding],
    as_of: dt.date,
    settings: Settings | None = None,
    rules: Iterable[Rule] | None = None,
    stopped: Mapping[str, str] = {},
):
    """One plan's Chairman's summary, built from its letters as the night builds them;
    ``rules`` default to the plan's own book (the shipped rules and its settings' folders)."""
    from dondoc.facts.settings import settings_for

    settings = settings if settings is not None else settings_for(folder.path)
    if rules is None:
        rules = office_book(Path(folder.path), strict=True)[0].rules
    identity, letters = build_letters(folder, findings, as_of, settings)
    return summary_of(folder, findings, letters, as_of, settings, identity, rules, stopped)
