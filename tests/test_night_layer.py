"""The night layer's decisions pinned at their boundaries, in this process (no store, no CLI):
which letters go out tonight (night/cadence.py), what changed since the last night, and the
keys the store keeps (night/keeping.py). `make mutation` runs these for every night mutant."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from dondoc.engine.findings import Finding
from dondoc.facts.calendar import DEFAULT
from dondoc.facts.settings import DEFAULTS
from dondoc.night import cadence
from dondoc.night.keeping import finding_key
from dondoc.store.records import FindingPast, ItemPast, LetterRef, PlanHistory

AS_OF = dt.date(2026, 11, 23)  # a Monday
PLAN = "gia-loc"


def finding(subject="task:1", unit="Phòng Kinh tế", severity="cảnh báo", rule="nhiem-vu-qua-han") -> Finding:
    return Finding(rule=rule, title="t", plan=PLAN, fact_kind="task", subject=subject, unit=unit, severity=severity, message="m")


def letter(*findings: Finding, keys=("phong kinh te",), draft_plan=False):
    plan = SimpleNamespace(is_draft=draft_plan)
    return SimpleNamespace(keys=tuple(keys), notice=SimpleNamespace(findings=list(findings), plan=plan))


def ref(state="signed", signed_on=dt.date(2026, 11, 16), content_hash="", check_date=dt.date(2026, 11, 16), id=7) -> LetterRef:
    return LetterRef(
        id=id, state=state, issuer="UBND", symbol="UBND-VP", check_date=check_date, content_hash=content_hash,
        number=3 if signed_on else None, register_year=2026 if signed_on else None, signed_on=signed_on,
        reply_by=None, sent_on=None, replied_on=None,
    )


def past(f: Finding, *, severity=None, notified=1, notified_severity=None, resolved_on=None) -> FindingPast:
    return FindingPast(
        key=finding_key(PLAN, f.rule, f.subject, f.unit), rule=f.rule, subject=f.subject, unit="phong kinh te",
        first_seen=dt.date(2026, 11, 2), last_seen=dt.date(2026, 11, 20), severity=severity or f.severity,
        previous_severity=None, resolved_on=resolved_on, reopened=0, times_notified=notified,
        notified_severity=notified_severity if notified_severity is not None else (f.severity if notified else None),
    )


def history(findings=(), units=None, lapsed=False, notified=1) -> PlanHistory:
    items = {
        (PLAN, p.subject, p.unit): ItemPast((PLAN, p.subject, p.unit), p.first_seen, notified, None, lapsed) for p in findings
    }
    return PlanHistory(PLAN, dt.date(2026, 11, 20), {p.key: p for p in findings}, items, units or {})


def decide(letters, hist, settings=DEFAULTS):
    return cadence.decide(letters, PLAN, hist, settings, AS_OF, DEFAULT)


# -- the cadence: how many working days since the last letter ------------------------------------


@pytest.mark.parametrize(
    "signed_on, sent",
    [(dt.date(2026, 11, 16), True), (dt.date(2026, 11, 17), False)],  # 5 working days to Monday 23/11; 4
    ids=["five-days", "four-days"],
)
def test_a_new_finding_goes_out_once_every_working_days_have_passed_since_the_last_letter(signed_on, sent):
    old, new = finding("task:1"), finding("task:2")
    hist = history([past(old)], units={"phong kinh te": ref(signed_on=signed_on)})
    (decision,) = decide([letter(old, new)], hist)
    assert decision.send is sent
    assert decision.why == ("có nội dung mới" if sent else "chưa đủ 5 ngày làm việc từ công văn trước")
    assert decision.follows.id == 7
    if sent:
        assert decision.reasons == (cadence.NEW,)
        assert cadence.citation(decision).number == 3
