"""One plan's share of the night, in the worker that checked it: its identity, its letters and
its summary, each built once, rendered in the formats asked for and written into the staging
folder.

    outcome.extra = plan_output(root, options, job, folder, settings, findings, stopped)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from dondoc.engine.findings import Finding
from dondoc.errors import InputError
from dondoc.facts.models import PlanFolder
from dondoc.facts.settings import Settings
from dondoc.night.letters import PlanLetter, plan_letters
from dondoc.night.plans import PlanJob, plan_slug
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


def plan_files(
    folder: PlanFolder, findings: list[Finding], settings: Settings, rendering: Rendering
) -> tuple[str, dict[str, bytes]]:
    """One plan's files, by their path in the output: its letters (notices/) and its summary (summary/)."""
    identity, letters = build_letters(folder, findings, rendering.as_of, settings)
    template_dir = rendering.template_dir if rendering.template_dir is not None else settings.templates
    files: dict[str, bytes] = {}
    if rendering.summaries:
        from dondoc.templates.summary import build_summary, summary_files

        summary = build_summary(folder, findings, [letter.notice for letter in letters], rendering.as_of, settings, identity)
        files.update((f"{SUMMARY}/{name}", data) for name, data in summary_files(summary, rendering.formats).items())
    try:
        rendered = letter_files([(letter.stem, letter.notice) for letter in letters], rendering.formats, template_dir)
    except NoticeTemplateError as exc:
        raise InputError(exc.filename or template_dir, exc.message, line=exc.lineno) from None
    files.update((f"{NOTICES}/{f.path}", f.data) for f in rendered)
    return identity, files


def plan_output(
    root: Path, rendering: Rendering, job: PlanJob, folder: PlanFolder, settings: Settings, findings: list[Finding], stopped: dict[str, str]
) -> PlanFiles:
    """In the worker: the plan's letters and summary, into the staging folder ``root``."""
    identity, files = plan_files(folder, findings, settings, rendering)
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


def plan_summary(folder: PlanFolder, findings: list[Finding], as_of: dt.date, settings: Settings | None = None):
    """One plan's Chairman's summary, built from its letters as the night builds them."""
    from dondoc.facts.settings import settings_for
    from dondoc.templates.summary import build_summary

    settings = settings if settings is not None else settings_for(folder.path)
    identity, letters = build_letters(folder, findings, as_of, settings)
    return build_summary(folder, findings, [letter.notice for letter in letters], as_of, settings, identity)
