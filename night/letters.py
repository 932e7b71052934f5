"""A plan's letters: who receives which findings, worked out once per plan and night.

    letters = plan_letters(folder, findings, as_of, settings)   # [PlanLetter], in file-name order

A finding addressed to a group ("Các phòng chuyên môn") goes to the units the commune's
settings name for the group, else to the plan's monitoring unit; whoever receives an item
gets it once. Units whose letters would say the same thing (the same findings, in the same
sections and rows, for the same reason) get one letter with several addressees
("Kính gửi: - Phòng Kinh tế; - Phòng Văn hóa - Xã hội."), as an office sends it. The letters
are what the night hands on: the notices render them (templates/notices.py), the Chairman's
summary counts them (templates/summary.py), and the store records them. Nothing downstream
routes findings again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from dondoc.engine.findings import Finding
from dondoc.facts.kinds import SEVERITY_ORDER
from dondoc.errors import InputError
from dondoc.facts.models import PlanFolder
from dondoc.facts.planfolder import PLAN_FILE
from dondoc.facts.settings import Settings
from dondoc.night.plans import SLUG_MAX, _hash, short_slug
from dondoc.templates.formats import prose
from dondoc.templates.render import Notice
from dondoc.templates.sections import PlanIndex, item_key
from dondoc.text import unit_key


@dataclass
class Route:
    """One addressee's share of a plan's findings."""

    name: str  # the unit to address
    findings: list[Finding] = field(default_factory=list)
    oversees: list[str] = field(default_factory=list)  # groups whose items it receives as the monitoring unit
    shares: list[str] = field(default_factory=list)  # groups whose items it receives as one of their members


LEAST = min(SEVERITY_ORDER, key=SEVERITY_ORDER.get)  # "info"


def addressees(folder: PlanFolder, findings: Iterable[Finding], settings: Settings) -> dict[str, Route]:
    """Who receives which findings: unit key -> Route.

    One pass. A finding with no unit goes to the monitoring unit; one led by a group goes
    to the units the settings name for the group, else to the monitoring unit.
    """
    monitor = folder.plan.monitor or settings.monitor
    routes: dict[str, list[str]] = {}
    letters: dict[str, Route] = {}
    for f in findings:
        unit = f.unit or ""
        targets = routes.get(unit)
        if targets is None:
            if unit and not folder.is_group(unit):
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
            for target in targets if unit and folder.is_group(unit) else ():
                route = _route(letters, target)
                (route.shares if members else route.oversees).append(unit)
        for target in targets:
            _route(letters, target).findings.append(f)
    return letters


def _route(letters: dict[str, Route], name: str) -> Route:
    key = unit_key(name)
    if key not in letters:
        letters[key] = Route(prose(name))
    return letters[key]


def unit_slugs(names: dict[str, str]) -> dict[str, str]:
    """unit key -> file name part, distinct within the plan ("Hoá"/"Hóa" are one unit, one key)."""
    slugs = {key: short_slug(name, key) for key, name in names.items()}
    taken: dict[str, list[str]] = {}
    for key, slug in slugs.items():
        taken.setdefault(slug, []).append(key)
    for slug, keys in taken.items():
        if len(keys) > 1:  # two different units, one ASCII spelling: tell them apart
            for key in keys:
                slugs[key] = f"{slug[: SLUG_MAX - 7]}-{_hash(key)}"
    return slugs


@dataclass
class PlanLetter:
    """One letter of the night: its file stem (under notices/) and what it says."""

    stem: str  # "<plan slug>/<unit slug>", or a name for several addressees (``letter_name``)
    key: str  # the first addressee's unit key
    notice: Notice
    keys: tuple[str, ...] = ()  # every addressee's unit key, the first one first

    def __post_init__(self) -> None:
        if not self.keys:
            self.keys = (self.key,)


def withheld(folder: PlanFolder, settings: Settings) -> bool:
    """A draft plan whose settings withhold its letters: none is written."""
    return folder.plan.is_draft and settings.drafts == "withhold"


def plan_letters(
    folder: PlanFolder, findings: Iterable[Finding], as_of: dt.date, settings: Settings, plan_slug: str, *, withholding: bool = True
) -> list[PlanLetter]:
    """The plan's letters in file-name order: one per distinct content, to every unit it is
    for; none for a draft plan whose settings withhold its letters (``withholding=False``:
    the letters it would have, for the summary to count)."""
    if withholding and withheld(folder, settings):
        return []
    # A letter urges (đôn đốc): a finding a rule grades "info" is for the record (findings.json,
    # the summary), not a row a unit is asked to act on (docs/rules.md, "Mức độ").
    routes = addressees(folder, (f for f in findings if f.severity != LEAST), settings)
    index = PlanIndex.of(folder)
    order = unit_slugs({key: route.name for key, route in routes.items()})
    notices = {}
    for key in sorted(routes, key=lambda k: order[k]):
        route = routes[key]
        # It leads by name when a finding of its letter names it (not as the monitor of a common
        # item): the opening says why it receives these rows, not what else the plan gives it.
        named = any(unit_key(f.unit) == key and item_key(f) not in index.common for f in route.findings)
        notices[key] = Notice(
            plan=folder.plan, unit=route.name, findings=route.findings, as_of=as_of, settings=settings,
            oversees=tuple(route.oversees), shares=tuple(route.shares), index=index, leads=named,
        )
    letters = same_letters(notices)
    slugs = unit_slugs({keys[0]: letter_name([routes[k].name for k in keys], settings) for keys in letters})
    out = []
    for keys in sorted(letters, key=lambda ks: slugs[ks[0]]):
        notice = notices[keys[0]]
        notice.co_addressees = tuple(routes[k].name for k in keys[1:])
        out.append(PlanLetter(f"{plan_slug}/{slugs[keys[0]]}", keys[0], notice, keys))
    return out


def _content(notice: Notice) -> tuple:
    """What a letter says apart from whom it is to: its sections, rows (the findings behind
    each, by identity: one finding routed to several units is one object), the leads each
    row names, and why it is written (the opening)."""
    rows = tuple(
        (section.id, tuple((row.subject, row.lead_units, row.common, tuple(map(id, row.findings))) for row in section.rows))
        for section in notice.sections
    )
    return rows, notice.oversees, notice.shares, notice.leads


def same_letters(notices: dict[str, Notice]) -> list[tuple[str, ...]]:
    """The addressees that receive the same letter, grouped (unit keys, in the given order)."""
    groups: dict[tuple, list[str]] = {}
    for key, notice in notices.items():
        groups.setdefault(_content(notice), []).append(key)
    return [tuple(keys) for keys in groups.values()]


def letter_name(names: list[str], settings: Settings) -> str:
    """What a letter's file is named after: its addressee; for several, the group the
    settings give exactly these units ("Các phòng chuyên môn"), else the first unit and how
    many more ("Phòng Kinh tế và 2 đơn vị khác")."""
    if len(names) == 1:
        return names[0]
    wanted = {unit_key(n) for n in names}
    for group, members in settings.groups.items():
        if {unit_key(m) for m in members} == wanted:
            return group
    return f"{names[0]} và {len(names) - 1} đơn vị khác"
