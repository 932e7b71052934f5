"""The read side for the dashboard (store/overview.py, store/measures.py): every plan at once,
as of its latest night, equal to what the store's own one-plan answers say."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from dondoc.facts.planfolder import read_plan_folder
from dondoc.store import measures as M
from dondoc.store.store import Store
from tests.storekit import D1, D2, D3, D4, ISSUER, KT, OTHER, PLAN, VHXH, letter, night, seen

EXAMPLES = __import__("pathlib").Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture
def store(store_url):
    with Store.open(store_url) as s:
        yield s


def by_plan(store: Store, **kw):
    return {p.plan_key: p for p in store.overview(**kw)}


def events(plan) -> dict[str, tuple[str, str | None, str | None]]:
    return {c.key: (c.event, c.severity, c.before) for c in plan.changes}


def test_an_empty_store_has_no_plans(store):
    assert store.overview() == []


def test_the_classes_per_unit_and_severity_of_every_night(store):
    night(store, D1, {PLAN: ([seen("r1", "task:1"), seen("r1", "task:2", "nghiêm trọng", unit=VHXH), seen("r2", "task:2", "nhắc nhở", unit=VHXH)], ["r1", "r2"])})
    night(store, D2, {PLAN: ([seen("r1", "task:1", "nghiêm trọng")], ["r1", "r2"])})
    [plan] = store.overview()
    assert [(n.check_date, n.counts) for n in plan.nights] == [
        (D1, {KT: {"cảnh báo": 1}, VHXH: {"nghiêm trọng": 1, "nhắc nhở": 1}}),
        (D2, {KT: {"nghiêm trọng": 1}}),
    ]
    # the same figures as the one-plan read side
    assert [n.counts for n in plan.nights] == [n.counts for n in store.plan_nights(PLAN)]
    assert (plan.latest, plan.previous) == (D2, D1)


def test_what_changed_on_the_latest_night_every_event(store):
    a, b, c, d, e = (seen("r1", f"task:{i}") for i in range(1, 6))
    g = seen("r2", "target:T1", "nhắc nhở")
    night(store, D1, {PLAN: ([a, b, c, d, g], ["r1", "r2"])})
    night(store, D2, {PLAN: ([a, b, c, g], ["r1", "r2"])})  # d resolved
    night(store, D3, {PLAN: ([seen("r1", "task:1", "nghiêm trọng"), seen("r1", "task:2", "nhắc nhở"), c, d, e], ["r1"])})
    plan = by_plan(store)[PLAN]
    assert events(plan) == {
        a.key: ("escalated", "nghiêm trọng", "cảnh báo"),
        b.key: ("eased", "nhắc nhở", "cảnh báo"),
        c.key: ("open", "cảnh báo", "cảnh báo"),
        d.key: ("reopened", "cảnh báo", None),
        e.key: ("new", "cảnh báo", None),
        g.key: ("unchecked", "nhắc nhở", "nhắc nhở"),  # r2 did not run tonight: open, not checked
    }
    night(store, D4, {PLAN: ([c], ["r1", "r2"])})
    assert {k: v[0] for k, v in events(by_plan(store)[PLAN]).items()} == {
        a.key: "resolved", b.key: "resolved", c.key: "open", d.key: "resolved", e.key: "resolved", g.key: "resolved",
    }


def test_an_item_is_put_right_only_when_no_finding_of_it_stays_open(store):
    """A task gone from "sắp đến hạn" to "quá hạn" ends one finding, but nothing was put right:
    the dashboard says "đã khắc phục" of an item as the letters do (PlanOverview.resolved)."""
    soon, late, other = seen("sap-den-han", "task:1"), seen("qua-han", "task:1"), seen("sap-den-han", "task:2")
    night(store, D1, {PLAN: ([soon, other], ["sap-den-han", "qua-han"])})
    night(store, D2, {PLAN: ([late], ["sap-den-han", "qua-han"])})
    plan = by_plan(store)[PLAN]
    assert {c.key for c in plan.changes if c.event == "resolved"} == {soon.key, other.key}
    assert [c.key for c in plan.resolved] == [other.key]
    # the same task of another unit is another item
    night(store, D3, {PLAN: ([seen("qua-han", "task:1", unit=VHXH)], ["sap-den-han", "qua-han"])})
    assert [c.key for c in by_plan(store)[PLAN].resolved] == [late.key]


def test_a_finding_the_last_two_nights_cannot_tell_about_is_folded(store):
    # Not seen the night before, whose rules did not include its own: open then (not checked) or
    # resolved long before? Its own nights say.
    a, b = seen("r1", "task:1"), seen("r1", "task:2")
    night(store, D1, {PLAN: ([a, b], ["r1"])})
    night(store, D2, {PLAN: ([a], ["r1"])})  # b resolved
    night(store, D3, {PLAN: ([], ["r2"])})  # r1 did not run: a open, not checked; b stays resolved
    night(store, D4, {PLAN: ([seen("r1", "task:1", "nghiêm trọng"), b], ["r1"])})
    assert events(by_plan(store)[PLAN]) == {a.key: ("escalated", "nghiêm trọng", "cảnh báo"), b.key: ("reopened", "cảnh báo", None)}


def test_changes_equal_the_stories_the_store_tells_of_each_finding(store):
    # Random nights of two plans: each finding's event on its plan's latest night is the one
    # store.findings (the fold of every night) gives for that date.
    rng = random.Random(20)
    pool = [seen(r, f"task:{i}", rng.choice(["nhắc nhở", "cảnh báo"]), plan=p) for p in (PLAN, OTHER) for r in ("r1", "r2") for i in range(5)]
    for i in range(9):
        as_of = D1 + dt.timedelta(days=i)
        chosen = {}
        for p in (PLAN, OTHER):
            if rng.random() < 0.85:
                obs = [o if rng.random() < 0.7 else seen(o.rule, o.subject, rng.choice(["nhắc nhở", "nghiêm trọng"]), plan=p)
                       for o in pool if o.key.split("|")[1] == p and rng.random() < 0.5]
                chosen[p] = (obs, [r for r in ("r1", "r2") if rng.random() < 0.75])
        night(store, as_of, chosen)
        for plan in store.overview():
            told = {}
            for story in store.findings(plan=plan.plan_key):
                for event in story.events:
                    if event.check_date == plan.latest:
                        told[story.key] = event.event
            assert {c.key: c.event for c in plan.changes} == told


def test_open_findings_are_the_kept_state_with_their_rule_run_their_values_and_letters(store):
    a = seen("r1", "task:1", values={"days_overdue": 12})
    b = seen("r2", "task:2", unit=VHXH)
    _, first = night(store, D1, {PLAN: ([a, b], ["r1", "r2"])}, drafts=[letter(D1, [a]), letter(D1, [b], units=[VHXH])])
    store.register_start(ISSUER, 2026, 1)  # the office opens its register: numbers at signing
    store.sign(first.letters[0], "Nguyễn Văn A", D2)
    _, second = night(store, D2, {PLAN: ([a], ["r1"])}, drafts=[letter(D2, [a], content="again")])
    plan = by_plan(store)[PLAN]
    found = {f.key: f for f in plan.open}
    assert set(found) == {a.key, b.key}  # b: r2 did not run, so it stays open
    assert (found[a.key].checked, found[b.key].checked) == (True, False)
    assert found[a.key].values == {"days_overdue": 12} and found[b.key].values is None
    assert (found[a.key].first_seen, found[a.key].last_seen) == (D1, D2)
    # a: the signed letter and tonight's draft; b's draft of D1 still stands (no later draft to its unit)
    assert found[a.key].letters == (first.letters[0], second.letters[0])
    assert found[b.key].letters == (first.letters[1],)
    past = store.history([PLAN], D3)[PLAN]
    assert {k for k, f in past.findings.items() if f.resolved_on is None} == set(found)
    signed = next(stored for stored in plan.letters if stored.ref.id == first.letters[0])
    assert signed.ref.state == "signed" and signed.ref.number is not None and signed.addressees == ("Phòng Kinh tế",)
    assert signed.unit_keys == (KT,)


def test_superseded_drafts_are_not_among_the_standing_letters(store):
    a = seen("r1", "task:1")
    _, first = night(store, D1, {PLAN: ([a], ["r1"])}, drafts=[letter(D1, [a])])
    _, second = night(store, D2, {PLAN: ([a], ["r1"])}, drafts=[letter(D2, [a], content="new")])
    plan = by_plan(store)[PLAN]
    assert [stored.ref.id for stored in plan.letters] == [second.letters[0]]
    assert plan.open[0].letters == (second.letters[0],)


def test_measures_of_the_latest_night_and_of_the_trend_windows_first_night(store):
    for i, day in enumerate([D1, D2, D3, D4]):
        with store.night(day, version="0.1.0", rulebook_hash="x") as n:
            found = [seen("r1", "task:1"), seen("r1", "task:2", unit=VHXH), seen("r1", "task:3", "info")][: 1 + i % 2 + (i == 3)]
            n.observe(PLAN, found + [seen("r1", "task:1", unit=VHXH)], ["r1"], measures={"target:T1": 80 + i})
            n.finish(0)
    plan = by_plan(store, window_days=2)[PLAN]
    assert plan.measures == {"target:T1": 83}
    assert plan.window == (D2, {"target:T1": 81})  # the earliest night within two days before D4
    # distinct subjects per rule and severity: task:1 seen for two units counts once
    assert plan.subjects == {D4: {"r1": {"cảnh báo": 2, "info": 1}}, D2: {"r1": {"cảnh báo": 2}}}
    one = by_plan(store, window_days=0)[PLAN]
    assert one.window is None and one.subjects == {D4: {"r1": {"cảnh báo": 2, "info": 1}}}


def test_a_plans_measures_as_the_night_gives_them_and_read_back():
    folder = read_plan_folder(EXAMPLES / "an-bien-2026")
    as_of = dt.date(2026, 11, 22)
    given = M.of_plan(folder, as_of)
    read = M.read(__import__("json").loads(__import__("json").dumps(given)))  # through JSON, as the store keeps it
    assert read.about.issuer == folder.plan.issuer and read.about.superior == folder.plan.superior
    from dondoc.facts.derive import target_facts

    facts = {f.subject: f.values for f in target_facts(folder, as_of)}
    assert set(read.targets) == set(facts)
    for subject, t in read.targets.items():
        v = facts[subject]
        assert (t.comparison, t.value, t.actual, t.measured_on, t.period_end) == (
            v["comparison"], v["value"], v.get("actual"), v.get("measured_on"), v["period_end"])
        assert (t.projected, t.projected_low, t.projected_high) == (v.get("projected"), v.get("projected_low"), v.get("projected_high"))
        assert len(t.points) == v["projection_points"]
    assert any(t.projected is not None for t in read.targets.values()), "the example has a series long enough to project"
    assert {t.category for t in read.targets.values()} >= {"nop-ho-so-truc-tuyen", "so-hoa-ho-so"}


def test_a_bare_number_reads_as_a_targets_measured_value_and_nonsense_reads_as_nothing():
    read = M.read({"target:T1": 80.5, "target:T2": {"points": "x", "projected": "1", "value": "95"},
                   "procedure:1.1": {"baseline_days": 10, "current_days": 5, "time_reduction": 50.0, "cost_reduction": True}, "plan": 3})
    assert read.about is None
    assert read.targets["target:T1"].actual == 80.5 and read.targets["target:T1"].value is None
    assert read.targets["target:T2"].points == () and read.targets["target:T2"].projected is None and read.targets["target:T2"].value is None
    assert read.procedures["procedure:1.1"].cuts == {"time": (10.0, 5.0, 50.0)}
