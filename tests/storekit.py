"""Small builders for the store's tests: findings, letters and nights as the night would give them."""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from dondoc.store.records import Draft, Observation
from dondoc.store.store import Store
from dondoc.text import ascii_slug

PLAN = "xa-gia-loc-2026-97-KH-UBND"
OTHER = "xa-quyet-thang-2026-12-KH-UBND"
ISSUER = "UBND xã Gia Lộc"
KT, VHXH = "phòng kinh tế", "phòng văn hóa xã hội"  # text.unit_key of the units' names, as the night keys them
NAMES = {KT: "Phòng Kinh tế", VHXH: "Phòng Văn hóa - Xã hội"}
D1, D2, D3, D4 = dt.date(2026, 11, 22), dt.date(2026, 11, 23), dt.date(2026, 11, 24), dt.date(2026, 11, 25)


def key(rule: str, subject: str, unit: str = KT, plan: str = PLAN) -> str:
    """A finding key as the night makes it: from rule, plan, subject and unit."""
    return f"{rule}|{plan}|{subject}|{unit}"


def seen(rule: str, subject: str, severity: str = "cảnh báo", unit: str = KT, plan: str = PLAN, values=None) -> Observation:
    return Observation(key=key(rule, subject, unit, plan), rule=rule, subject=subject, unit=unit, severity=severity, values=values)


def letter(as_of: dt.date, findings: Iterable[Observation], *, plan: str = PLAN, units: Iterable[str] = (KT,),
           content: str = "", follows: int | None = None, **extra) -> Draft:
    findings = list(findings)
    units = list(units)
    return Draft(
        plan_key=plan, issuer=ISSUER, year=as_of.year, symbol="UBND-KT", addressees=[NAMES.get(u, u) for u in units],
        unit_keys=units, content_hash=content or "|".join(sorted(o.key for o in findings)) or "empty",
        findings={o.key: o.severity for o in findings}, items={(plan, o.subject, o.unit): 0 for o in findings},
        check_date=as_of, files=[f"notices/{plan}/{ascii_slug(u)}.docx" for u in units],
        payload={"as_of": as_of.isoformat(), "units": units}, follows=follows,
        subject="Công văn V/v đôn đốc thực hiện Kế hoạch số 97/KH-UBND", recipients=[NAMES.get(u, u) for u in units] + ["Lưu: VT, KT"],
        archive="VT, KT", copies=len(units) + 2, **extra,
    )


def night(store: Store, as_of: dt.date, plans: dict[str, tuple[list[Observation], Iterable[str]]], drafts=(), exit_status: int = 0):
    """One whole night: history read, each plan observed, the drafts, finish. Returns (history, recorded)."""
    with store.night(as_of, version="0.1.0", rulebook_hash="sha256:test", settings={p: "s" for p in plans}) as n:
        past = n.history(list(plans))
        for plan, (observations, rules) in plans.items():
            n.observe(plan, observations, rules)
        for draft in drafts:
            n.draft(draft)
        recorded = n.finish(exit_status, {"findings": sum(len(o) for o, _ in plans.values())})
    return past, recorded
