"""From one plan's findings to its notices: one letter per addressee, in the formats asked for.

    files = notices_for_plan(folder, findings, as_of, settings, ("html", "docx", "pdf"))
    # [("xa-gia-loc-2026-97-KH-UBND/phong-kinh-te-xa.html", b"..."), ...]

A plain function of its arguments, so the nightly driver can run it in worker processes.
Grouping is one pass over the findings. A finding addressed to a group ("Các phòng
chuyên môn") goes to the units the commune's settings name for that group, else to the
plan's monitoring unit; whoever receives an item gets it once. File names come from the
plan's identity (commune, year, number) and the unit; a name two letters would share is
an error, never an overwrite.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Callable, Iterable, NamedTuple

from dondoc.engine.findings import Finding
from dondoc.errors import InputError
from dondoc.facts.models import PlanFolder, given_number
from dondoc.facts.planfolder import PLAN_FILE, read_plan_folder
from dondoc.facts.settings import Settings, settings_for
from dondoc.text import ascii_slug, is_group, unit_key
from dondoc.templates import FORMATS
from dondoc.templates import formats as vn
from dondoc.templates.render import Notice, citation, distribution, issuer_parts
from dondoc.templates.sections import PlanIndex, item_key

SLUG_MAX = 60  # a unit's part of a file name; longer names are cut and told apart by a hash

# number_for(issuer, year, key, **details) -> the notice's number in the issuer's register
# for the year (store/register.py); the same key on a re-run gives the same number.
NumberFor = Callable[..., int]


class NoticeFile(NamedTuple):
    path: str  # relative to the notices folder: "<plan>/<unit>.<format>"
    data: bytes


class Letter(NamedTuple):
    """One addressee's share of a plan's findings."""

    name: str  # the unit to address
    findings: list[Finding]
    oversees: list[str]  # groups whose items it receives as the monitoring unit (it urges them)
    shares: list[str]  # groups whose items it receives as one of their members


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]


def short_slug(text: str, key: str | None = None, max_len: int = SLUG_MAX) -> str:
    """An ASCII name part; one too long is cut and ends with a hash of the whole, so two
    long names that start alike stay apart."""
    slug = ascii_slug(text, max_len=10_000)
    if len(slug) <= max_len:
        return slug or _hash(key or text)
    return slug[: max_len - 7].rstrip("-") + "-" + _hash(key or text)


def plan_slug(folder: PlanFolder) -> str:
    """The plan's own identity: commune, year and number ("xa-gia-loc-2026-97-KH-UBND"); a
    draft has no number, so its title (with a hash of the title) stands in."""
    plan = folder.plan
    commune = ascii_slug(issuer_parts(plan.issuer)[1].removeprefix("Ủy ban nhân dân ") or plan.issuer)
    decision = plan.decision
    number = decision[0] if decision else plan.number
    if given_number(number):
        ident = ascii_slug(number, lower=False)
    else:
        ident = "du-thao-" + short_slug(plan.title, max_len=40)
    return f"{commune}-{plan.year}-{ident}"


def group_test(folder: PlanFolder) -> Callable[[str], bool]:
    """Is a name a group of units ("Các phòng chuyên môn"), by its words or by plan.yaml's `group: true`?"""
    flagged = {unit_key(u.name) for u in folder.units if u.group}
    return lambda name: unit_key(name) in flagged or is_group(name)


def addressees(folder: PlanFolder, findings: Iterable[Finding], settings: Settings) -> dict[str, Letter]:
    """Who receives which findings: unit key -> Letter.

    One pass. A finding with no unit goes to the monitoring unit; one led by a group goes
    to the units the settings name for the group, else to the monitoring unit.
    """
    monitor = folder.plan.monitor or settings.monitor
    is_a_group = group_test(folder)
    routes: dict[str, list[str]] = {}
    letters: dict[str, Letter] = {}
    for f in findings:
        unit = f.unit or ""
        targets = routes.get(unit)
        if targets is None:
            if unit and not is_a_group(unit):
                targets = [unit]
            else:
                members = settings.group_units(unit) if unit else None
                targets = members or ([monitor] if monitor else [])
                if not targets:
                    raise InputError(
                        Path(folder.path) / PLAN_FILE,
                        f"không biết gửi công văn về nội dung giao '{unit or '(không ghi đơn vị)'}' cho ai:"
                        " kế hoạch không ghi đơn vị theo dõi (monitor)",
                        hint="ghi plan.monitor trong plan.yaml, hoặc monitor / groups trong dondoc.yaml",
                    )
            routes[unit] = targets
            for target in targets if unit and is_a_group(unit) else ():
                letter = _letter(letters, target)
                (letter.shares if members else letter.oversees).append(unit)
        for target in targets:
            _letter(letters, target).findings.append(f)
    return letters


def plan_leads(folder: PlanFolder) -> list[str]:
    """The names the plan itself gives as lead of a task, a target or a procedure, in its order."""
    names = [u for t in folder.tasks for u in t.lead] + [u for t in folder.targets for u in t.lead]
    return list(dict.fromkeys(vn.prose(n) for n in names + [p.lead for p in folder.procedures] if n))


def lead_keys(folder: PlanFolder) -> set[str]:
    return {unit_key(n) for n in plan_leads(folder)}


def _letter(letters: dict[str, Letter], name: str) -> Letter:
    key = unit_key(name)
    if key not in letters:
        letters[key] = Letter(vn.prose(name), [], [], [])
    return letters[key]


def _resolve_register(settings: Settings) -> NumberFor:
    try:
        from dondoc.store.register import number_for  # noqa: PLC0415 - only when numbering is on
    except ImportError:
        raise InputError(
            settings.path or "dondoc.yaml",
            "numbering: true, nhưng bản dondoc này chưa có sổ đăng ký văn bản đi (store/register.py)",
            hint="đặt numbering: false để văn thư ghi số khi đăng ký",
        ) from None
    return number_for


def unit_slugs(letters: dict[str, Letter]) -> dict[str, str]:
    """unit key -> file name part, distinct within the plan ("Hoá"/"Hóa" are one unit, one key)."""
    slugs = {key: short_slug(letter.name, key) for key, letter in letters.items()}
    taken: dict[str, list[str]] = {}
    for key, slug in slugs.items():
        taken.setdefault(slug, []).append(key)
    for slug, keys in taken.items():
        if len(keys) > 1:  # two different units, one ASCII spelling: tell them apart
            for key in keys:
                slugs[key] = f"{slug[: SLUG_MAX - 7]}-{_hash(key)}"
    return slugs


def build_notices(
    folder: PlanFolder,
    findings: Iterable[Finding],
    as_of: dt.date,
    settings: Settings,
    *,
    number_for: NumberFor | None = None,
    formats: Iterable[str] = FORMATS,
) -> list[tuple[str, Notice]]:
    """(file stem, Notice) for each addressee, numbered from the register when numbering is on."""
    plan = folder.plan
    if plan.is_draft and settings.drafts == "withhold":
        return []
    letters = addressees(folder, findings, settings)
    slugs = unit_slugs(letters)
    index = PlanIndex.of(folder)
    leads = lead_keys(folder)
    base = plan_slug(folder)
    # A draft plan's letters are not registered: they cannot be sent until the plan is issued.
    numbered = settings.numbering and not plan.is_draft
    if numbered and number_for is None:
        number_for = _resolve_register(settings)
    wanted = list(formats)
    registered = "docx" if "docx" in wanted else (wanted or ["html"])[0]  # the file the clerk registers
    out = []
    for key in sorted(letters, key=lambda k: slugs[k]):
        name, unit_findings, oversees, shares = letters[key]
        stem = f"{base}/{slugs[key]}"
        # It leads by name when the plan says so, or when a finding names it (not as the monitor of a common item).
        named = key in leads or any(unit_key(f.unit) == key and item_key(f) not in index.common for f in unit_findings)
        notice = Notice(plan=plan, unit=name, findings=unit_findings, as_of=as_of, settings=settings,
                        oversees=tuple(oversees), shares=tuple(shares), index=index, leads=named)
        if numbered:
            assert number_for is not None
            sent = distribution(notice)
            notice.number = number_for(
                plan.issuer,
                notice.date.year,
                register_key(stem, as_of),
                date=notice.date,
                symbol=settings.symbol,
                subject=f"Công văn V/v đôn đốc thực hiện {citation(plan)[0]}",
                recipient="\n".join([name, *sent.copies, *([sent.monitor] if sent.monitor else [])]),
                archive=", ".join(sent.archive),
                copies=sent.count,
                reply_by=notice.reply_by,
                file=f"notices/{stem}.{registered}",
                signer=(settings.signer or plan.signer).name,
                register=settings.register_url,
            )
        out.append((stem, notice))
    return out


def register_key(stem: str, as_of: dt.date) -> str:
    """A letter's key in the register: plan, unit and check date (a re-run keeps its number)."""
    return f"{stem}@{as_of.isoformat()}"


def render(notice: Notice, fmt: str, template_dir: Path | str | None = None) -> bytes:
    return render_pages(notice, fmt, template_dir)[0]


def render_pages(notice: Notice, fmt: str, template_dir: Path | str | None = None) -> tuple[bytes, int | None]:
    """The notice in one format, and its pages when the format lays them out (PDF)."""
    if fmt == "pdf":
        from dondoc.templates.pdf import render_pdf_pages

        return render_pdf_pages(notice, template_dir)
    return _render(notice, fmt, template_dir), None


def _render(notice: Notice, fmt: str, template_dir: Path | str | None = None) -> bytes:
    if fmt == "html":
        from dondoc.templates.render import render_html

        return render_html(notice, template_dir).encode("utf-8")
    if fmt == "docx":
        from dondoc.templates.docx import render_docx

        return render_docx(notice, template_dir)
    raise ValueError(f"unknown notice format {fmt!r}; formats are {', '.join(FORMATS)}")


def notices_for_plan(
    folder: PlanFolder | str | Path,
    findings: Iterable[Finding],
    as_of: dt.date,
    settings: Settings | None = None,
    formats: Iterable[str] = FORMATS,
    *,
    template_dir: Path | str | None = None,
    number_for: NumberFor | None = None,
    record_for: Callable[..., None] | None = None,
) -> list[NoticeFile]:
    """Every notice of one plan, rendered: [(relative path, bytes)], in a stable order.

    ``findings`` are this plan's; ``settings`` default to the plan's dondoc.yaml;
    ``template_dir`` (else the settings' ``templates``) is a commune's template folder.
    """
    if not isinstance(folder, PlanFolder):
        folder = read_plan_folder(folder)
    settings = settings if settings is not None else settings_for(folder.path)
    template_dir = template_dir if template_dir is not None else settings.templates
    wanted = list(dict.fromkeys(formats))
    for fmt in wanted:
        if fmt not in FORMATS:
            raise ValueError(f"unknown notice format {fmt!r}; formats are {', '.join(FORMATS)}")
    files = []
    for stem, notice in build_notices(folder, findings, as_of, settings, number_for=number_for, formats=wanted):
        for fmt in wanted:
            data, pages = render_pages(notice, fmt, template_dir)
            files.append(NoticeFile(f"{stem}.{fmt}", data))
            if pages is not None and notice.number is not None:  # Số trang: known once the letter is laid out
                record = record_for or _resolve_record()
                record(folder.plan.issuer, notice.date.year, register_key(stem, as_of), pages=pages)
    return unique_files(files)


def _resolve_record() -> Callable[..., None]:
    from dondoc.store.register import record  # noqa: PLC0415 - only when numbering is on

    return record


def unique_files(files: list[NoticeFile]) -> list[NoticeFile]:
    """The files, checked: two with one name would lose a letter, so that is an error."""
    seen: set[str] = set()
    for f in files:
        if f.path in seen:
            raise InputError(
                f.path,
                "hai công văn trùng tên tệp: hai kế hoạch cùng xã, cùng năm, cùng số?",
                hint="kiểm tra số, ngày của các kế hoạch (plan.yaml)",
            )
        seen.add(f.path)
    return files
