"""One plan's share of the night, in the worker that checked it: its identity, its letters and
its summary, each built once, rendered in the formats asked for and written into the staging
folder.

    outcome.extra = plan_output(root, options, job, folder, settings, findings, stopped, rules)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from dondoc.engine.explain import checked_by
from dondoc.engine.findings import Finding
from dondoc.engine.rulebook import Rule
from dondoc.errors import InputError
from dondoc.facts.models import PlanFolder
from dondoc.facts.settings import Settings
from dondoc.night.cadence import CHANGE_OPEN, Changes, Decision, Tonight, citation, decide, resolved_since, waiting_for
from dondoc.night.keeping import finding_key
from dondoc.night.letters import PlanLetter, plan_letters, withheld
from dondoc.night.plans import PlanJob, office_book, plan_slug
from dondoc.store.measures import of_plan
from dondoc.store.sink import NOTICES, SUMMARY, write_plan_files
from dondoc.templates import FORMATS
from dondoc.templates.formats import quoted
from dondoc.templates.notices import letter_files
from dondoc.templates.render import NoticeTemplateError
from dondoc.facts.periods import period_words
from dondoc.text import unit_key


@dataclass(frozen=True)
class Rendering:
    """What a night writes for each plan: the letters' formats, a commune's template folder
    (else the settings'), and whether the Chairman's summary is written."""

    as_of: dt.date
    formats: tuple[str, ...] = FORMATS
    template_dir: Path | None = None
    summaries: bool = True


@dataclass
class Kept:
    """What the store records of one plan tonight (night/keeping.py)."""

    plan_key: str
    observations: list
    rules_run: frozenset[str]
    measures: dict
    drafts: list
    withdrawn: list[str] = field(default_factory=list)  # units an unsigned draft no longer has anything to tell


@dataclass
class PlanFiles:
    """What the command keeps of one plan's output: its identity, its letter files, what the
    store records of it, what changed since its last night, and its letters' fate tonight."""

    identity: str
    letters: list[str]
    kept: Kept | None = None
    changes: dict[str, int] | None = None  # per change (new, open, escalated, resolved): how many
    decisions: list[tuple[str, bool, str]] = field(default_factory=list)  # (letter stem, drafted, why)


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
    follow: Any = None,
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
        folder, findings, notices, as_of, settings, identity, checked=checked, stopped=not_run, written=written, follow=follow
    )


def plan_files(
    folder: PlanFolder,
    findings: list[Finding],
    settings: Settings,
    rendering: Rendering,
    rules: Iterable[Rule] = (),
    stopped: Mapping[str, str] = {},
    tonight: Tonight | None = None,
) -> tuple[str, dict[str, bytes], list[Decision]]:
    """One plan's files, by their path in the output: the letters that go out tonight
    (notices/) and its summary (summary/); ``rules``: the plan's book in force, ``stopped``:
    those that did not run; ``tonight``: its past (which letters go out: night/cadence.py)."""
    identity = tonight.identity if tonight is not None else plan_slug(folder)
    letters = plan_letters(folder, findings, rendering.as_of, settings, identity)
    history = tonight.history if tonight is not None else None
    decisions = decide(letters, identity, history, settings, rendering.as_of, settings.calendar())
    changes = tonight.changes if tonight is not None else None
    for decision in decisions:
        _follow_up(decision, folder, settings, changes, history)
    going = [d.letter for d in decisions if d.send]
    template_dir = rendering.template_dir if rendering.template_dir is not None else settings.templates
    files: dict[str, bytes] = {}
    if rendering.summaries:
        from dondoc.templates.summary import summary_files

        follow = follow_of(folder, decisions, tonight, rendering.as_of, findings) if tonight is not None and tonight.stored else None
        summary = summary_of(folder, findings, letters, rendering.as_of, settings, identity, rules, stopped, follow)
        files.update((f"{SUMMARY}/{name}", data) for name, data in summary_files(summary, rendering.formats).items())
    try:
        rendered = letter_files([(letter.stem, letter.notice) for letter in going], rendering.formats, template_dir)
    except NoticeTemplateError as exc:
        raise InputError(exc.filename or template_dir, exc.message, line=exc.lineno) from None
    files.update((f"{NOTICES}/{f.path}", f.data) for f in rendered)
    return identity, files, decisions


def follow_of(folder: PlanFolder, decisions: list[Decision], tonight: Tonight, as_of: dt.date, findings: Iterable[Finding] = ()) -> Any:
    """The summary's last part: what changed since the plan's last night, and each unit's
    letters (the last one, its reply date, and what tonight does about it). The changes go
    per finding (``findings``: tonight's) and per subject resolved; the summary counts them per
    item (nội dung), as its Bảng 1 counts (templates/summary.py)."""
    from dondoc.templates.formats import dmy
    from dondoc.templates.summary import Follow, LetterLine

    history = tonight.history
    first = history is None or history.last_checked is None
    since = ("Đây là lần kiểm tra đầu tiên của Kế hoạch được ghi vào kho theo dõi; mọi nội dung nêu trên được ghi nhận từ lần này."
             if first else "")
    by_key = tonight.changes.by_key if tonight.changes is not None else {}
    changes = {(f.rule, f.subject, unit_key(f.unit)): by_key.get(finding_key(tonight.identity, f.rule, f.subject, f.unit), CHANGE_OPEN)
               for f in findings}
    lines, seen = [], set()
    for d in decisions:
        seen.update(d.letter.keys)
        last = d.follows or (_last_of(history, d.letter.keys) if history is not None else None)
        tonight_words = (f"dự thảo công văn {'tiếp theo' if d.letter.notice.follows else 'mới'} ({d.why}), {waiting_for(d.letter.notice.plan)}" if d.send
                         else f"không gửi lại: {d.why}")
        lines.append(LetterLine(", ".join(d.letter.notice.addressees), *_last_words(last, dmy, as_of), tonight_words))
    if history is not None:
        for key, ref in sorted(history.units.items()):
            if key not in seen and ref.state in ("signed", "sent", "replied"):
                lines.append(LetterLine(key, *_last_words(ref, dmy, as_of), "không còn nội dung cần đôn đốc"))
    titles = _titles(folder)
    gone = {p.subject: _label(p, titles) for p in (tonight.changes.resolved if tonight.changes is not None else [])}
    return Follow(since, lines, list(dict.fromkeys(gone.values())), last_checked=None if first else history.last_checked,
                  changes=changes, gone=gone)


def _last_of(history: Any, keys) -> Any:
    found = [history.units[k] for k in keys if k in history.units]
    return max(found, key=lambda r: (r.check_date, r.id)) if found else None


def _last_words(ref: Any, dmy, as_of: dt.date) -> tuple[str, str]:
    """(the last letter, its reply date) as the summary's table says them."""
    if ref is None:
        return "chưa có", ""
    if ref.state == "draft":
        return f"dự thảo lập ngày {dmy(ref.check_date)}, chưa ký", ""
    if ref.number is None:
        return f"công văn lập ngày {dmy(ref.check_date)} ({ref.state})", ""
    last = f"{ref.cited} ngày {dmy(ref.signed_on)}"
    if ref.replied_on is not None:
        return last, f"đã trả lời ngày {dmy(ref.replied_on)}"
    if ref.reply_by is None:
        return last, ""
    return last, f"hạn {dmy(ref.reply_by)}" + (": đã quá hạn, chưa trả lời" if ref.reply_by < as_of else "")


def _follow_up(decision: Decision, folder: PlanFolder, settings: Settings, changes: Changes | None, history: Any) -> None:
    """What a letter says of its past: the letter it follows, how often each row was raised,
    and, in the monitoring unit's letter, what was put right since."""
    notice = decision.letter.notice
    notice.follows = citation(decision) if decision.send else None
    if dict(notice.raised) != decision.raised:  # its rows laid out again with their counts ("Đôn đốc lần thứ 2")
        notice.raised = dict(decision.raised)
        notice.__dict__.pop("sections", None)  # else kept: grouping the letters laid them out already
    monitor = unit_key(notice.plan.monitor or settings.monitor)
    if changes is not None and notice.follows is not None:
        titles = _titles(folder)
        since = resolved_since(changes, history, notice.follows.signed_on)
        notice.answered = tuple(_label(p, titles) for p in since if p.unit in decision.letter.keys)
        if monitor in decision.letter.keys:
            notice.resolved = tuple(_label(p, titles) for p in since)


def _titles(folder: PlanFolder) -> dict[str, str]:
    return {
        **{f"task:{t.id}": t.title for t in folder.tasks},
        **{f"target:{t.id}": t.text for t in folder.targets},
        **{f"procedure:{p.code}": p.name for p in folder.procedures},
    }


def _label(past: Any, titles: Mapping[str, str]) -> str:
    """A resolved item as the letter names it: "Nhiệm vụ số 13 “…”", "Chỉ tiêu “…”", a task's
    period "Nhiệm vụ số 7 “…”, kỳ quý III/2026"."""
    kind, _, ident = past.subject.partition(":")
    task, _, period = ident.partition("@")
    if kind in ("task", "occurrence"):
        label = f"Nhiệm vụ số {task} {quoted(titles.get(f'task:{task}', ''))}"
        return f"{label}, kỳ {period_words(period)}" if period else label
    if kind == "target":
        return f"Chỉ tiêu {quoted(titles.get(past.subject, ident))}"
    return f"Thủ tục {ident} {quoted(titles.get(past.subject, ''))}"


def plan_output(
    root: Path,
    rendering: Rendering,
    job: PlanJob,
    folder: PlanFolder,
    settings: Settings,
    findings: list[Finding],
    stopped: dict[str, str],
    rules: Iterable[Rule] = (),
    tonight: Tonight | None = None,
) -> PlanFiles:
    """In the worker: the plan's letters and summary, into the staging folder ``root``;
    ``rules``: its book in force, ``stopped``: those of them that did not run; what its store
    records of it tonight (``kept``) when it keeps one."""
    identity, files, decisions = plan_files(folder, findings, settings, rendering, rules, stopped, tonight)
    write_plan_files(root, files)
    letters = [name.removeprefix(NOTICES + "/") for name in files if name.startswith(NOTICES + "/")]
    result = PlanFiles(identity, letters, decisions=[(d.letter.stem, d.send, d.why) for d in decisions])
    if tonight is not None and tonight.stored:
        ran = frozenset(r.id for r in rules) - set(stopped)
        result.kept = Kept(identity, observations(identity, findings), ran, measures(folder, rendering.as_of),
                           [draft(d, identity, rendering, letters) for d in decisions if d.send], withdrawn(decisions, tonight.history))
        result.changes = tonight.changes.counts() if tonight.changes is not None else None
    return result


def withdrawn(decisions: list[Decision], history: Any) -> list[str]:
    """Units whose unsigned draft tonight's letters no longer carry: nothing is left to tell them."""
    if history is None:
        return []
    tonight = {key for d in decisions for key in d.letter.keys}
    return sorted(u for u, ref in history.units.items() if ref.state == "draft" and u not in tonight)


def observations(plan_key: str, findings: Iterable[Finding]) -> list:
    from dondoc.store.records import Observation

    return [
        Observation(finding_key(plan_key, f.rule, f.subject, f.unit), f.rule, f.subject, unit_key(f.unit), f.severity, f.values)
        for f in findings
    ]


def measures(folder: PlanFolder, as_of: dt.date) -> dict[str, Any]:
    """What the plan measured tonight, for the store's read side (the dashboard): the one shape
    store/measures.py gives and reads back."""
    return of_plan(folder, as_of)


def draft(decision: Decision, plan_key: str, rendering: Rendering, files: list[str]) -> Any:
    """A letter going out tonight, as the store keeps it until it is signed."""
    from dondoc.store.records import Draft, Packed
    from dondoc.templates.render import citation as plan_citation
    from dondoc.templates.render import distribution, notice_payload

    letter, notice = decision.letter, decision.letter.notice
    sent = distribution(notice)
    mine = [f"{NOTICES}/{name}" for name in files if name.startswith(letter.stem + ".")]
    return Draft(
        plan_key=plan_key,
        issuer=notice.plan.issuer,
        year=notice.date.year,
        symbol=notice.settings.symbol,
        addressees=list(notice.addressees),
        unit_keys=list(letter.keys),
        content_hash=decision.content_hash,
        findings={finding_key(plan_key, f.rule, f.subject, f.unit): f.severity for f in notice.findings},
        items={(plan_key, f.subject, unit_key(f.unit)): notice.raised.get(f.subject, 0) for f in notice.findings},
        check_date=rendering.as_of,
        files=mine,
        payload=Packed.of(notice_payload(notice)),
        follows=decision.follows.id if decision.follows is not None and notice.follows is not None else None,
        subject=f"Công văn V/v đôn đốc thực hiện {plan_citation(notice.plan)[0]}",
        recipients=[*notice.addressees, *sent.copies, *([sent.monitor] if sent.monitor else [])],
        archive=", ".join(sent.archive),
        copies=sent.count,
        reply_by=notice.reply_by,
    )


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
