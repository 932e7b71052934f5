"""The nights' history in the store: identities as given, a re-run of a date replaces it, a past
date never disturbs the present, resolved and reopened, superseded drafts, what a night knows
of the letters that went out. Each test runs on SQLite and (make test-postgres) PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import random
import weakref

import pytest
import sqlalchemy as sa

from dondoc.errors import InputError, StoreError
from dondoc.store import bulk
from dondoc.store import history as H
from dondoc.store import schema as S
from dondoc.store.records import SUPERSEDED, Observation
from dondoc.store.spill import Spill
from dondoc.store.store import Store
from tests.storekit import D1, D2, D3, D4, ISSUER, KT, OTHER, PLAN, VHXH, key, letter, night, seen


@pytest.fixture
def store(store_url):
    """A store whose office opened its 2026 register at 01 (dondoc never opens one itself)."""
    with Store.open(store_url) as s:
        s.register_start(ISSUER, 2026, 1)
        yield s


def test_keys_are_stored_and_given_back_exactly_as_the_night_made_them(store):
    odd = Observation(key="quá-hạn|xa-gia-loc-2026-du-thao-ab12|occurrence:7@2026-Q3|phòng  kinh tế",
                      rule="quá-hạn", subject="occurrence:7@2026-Q3", unit="phòng  kinh tế", severity="nghiêm trọng")
    plan = "xa-gia-loc-2026-du-thao-ab12"
    night(store, D1, {plan: ([odd], ["quá-hạn"])})
    past = store.history([plan], D2)[plan]
    assert list(past.findings) == [odd.key]
    found = past.findings[odd.key]
    assert (found.rule, found.subject, found.unit, found.severity) == (odd.rule, odd.subject, odd.unit, odd.severity)
    assert list(past.items) == [(plan, "occurrence:7@2026-Q3", "phòng  kinh tế")]
    assert past.last_checked == D1


def test_a_key_that_comes_back_naming_another_finding_is_refused_and_nothing_is_recorded(store):
    night(store, D1, {PLAN: ([seen("r1", "task:1")], ["r1"])})
    other = Observation(key=key("r1", "task:1"), rule="r1", subject="task:2", unit=KT, severity="cảnh báo")
    with pytest.raises(ValueError, match="another finding"):
        night(store, D2, {PLAN: ([other], ["r1"])})
    assert [r.check_date for r in store.runs()] == [D1]


def test_first_seen_last_seen_and_severity_then_and_before(store):
    night(store, D1, {PLAN: ([seen("r1", "task:1", "nhắc nhở")], ["r1"])})
    night(store, D2, {PLAN: ([seen("r1", "task:1", "cảnh báo")], ["r1"])})
    night(store, D3, {PLAN: ([seen("r1", "task:1", "nghiêm trọng")], ["r1"])})
    found = store.history([PLAN], D4)[PLAN].findings[key("r1", "task:1")]
    assert (found.first_seen, found.last_seen) == (D1, D3)
    assert (found.severity, found.previous_severity, found.resolved_on) == ("nghiêm trọng", "cảnh báo", None)
    # The night before D3 sees D2 as the last night: only the past.
    before = store.history([PLAN], D3)[PLAN].findings[key("r1", "task:1")]
    assert (before.last_seen, before.severity, before.previous_severity) == (D2, "cảnh báo", "nhắc nhở")


def test_resolved_when_its_rule_ran_and_it_was_gone_and_reopened_when_it_comes_back(store):
    one, two = seen("r1", "task:1"), seen("r2", "target:T1")
    night(store, D1, {PLAN: ([one, two], ["r1", "r2"])})
    night(store, D2, {PLAN: ([], ["r1"])})  # r2 did not run: its finding is not resolved
    past = store.history([PLAN], D3)[PLAN].findings
    assert past[one.key].resolved_on == D2 and past[two.key].resolved_on is None
    night(store, D3, {PLAN: ([one], ["r1", "r2"])})  # one comes back; two, now checked and gone, resolves
    past = store.history([PLAN], D4)[PLAN].findings
    assert (past[one.key].resolved_on, past[one.key].first_seen, past[one.key].last_seen, past[one.key].reopened) == (None, D1, D3, 1)
    assert past[two.key].resolved_on == D3
    [story] = store.findings([one.key])
    assert [(e.check_date, e.event) for e in story.events] == [(D1, "new"), (D2, "resolved"), (D3, "reopened")]
    [story] = store.findings([two.key])
    assert [(e.check_date, e.event) for e in story.events] == [(D1, "new"), (D2, "unchecked"), (D3, "resolved")]


def test_a_plan_not_checked_tonight_keeps_its_findings_open(store):
    night(store, D1, {PLAN: ([seen("r1", "task:1")], ["r1"]), OTHER: ([seen("r1", "task:9", plan=OTHER)], ["r1"])})
    night(store, D2, {PLAN: ([], ["r1"])})  # OTHER not checked
    past = store.history([PLAN, OTHER], D3)
    assert past[PLAN].findings[key("r1", "task:1")].resolved_on == D2
    assert past[OTHER].findings[key("r1", "task:9", plan=OTHER)].resolved_on is None
    assert past[OTHER].last_checked == D1


def test_re_running_a_date_replaces_what_it_recorded_for_those_plans_and_no_other(store):
    a, b = seen("r1", "task:1"), seen("r1", "task:2")
    c = seen("r1", "task:9", plan=OTHER)
    night(store, D1, {PLAN: ([a], ["r1"]), OTHER: ([c], ["r1"])})
    night(store, D2, {PLAN: ([a, b], ["r1"]), OTHER: ([c], ["r1"])})
    first = store.history([PLAN, OTHER], D3)
    night(store, D2, {PLAN: ([a, b], ["r1"]), OTHER: ([c], ["r1"])})  # the same night again: the same state
    assert store.history([PLAN, OTHER], D3) == first
    night(store, D2, {PLAN: ([a], ["r1"])})  # D2 again for PLAN only, b now gone: replaced
    again = store.history([PLAN, OTHER], D3)
    assert key("r1", "task:2") not in again[PLAN].findings or again[PLAN].findings[key("r1", "task:2")].first_seen != D2
    assert again[PLAN].findings[a.key].last_seen == D2
    assert again[OTHER] == first[OTHER]  # OTHER's record of D2 stays
    nights = store.plan_nights(PLAN)
    assert [n.check_date for n in nights] == [D1, D2] and nights[1].counts == {KT: {"cảnh báo": 1}}
    assert len(store.plan_nights(OTHER)) == 2


def test_a_past_date_sees_only_the_past_and_never_disturbs_the_present(store):
    f = seen("r1", "task:1")
    night(store, D1, {PLAN: ([f], ["r1"])})
    night(store, D3, {PLAN: ([f], ["r1"])})
    present = store.history([PLAN], D4)
    past, recorded = night(store, D2, {PLAN: ([], ["r1"])})  # checked again as of D2: f was gone that day
    assert past[PLAN].last_checked == D1 and past[PLAN].findings[f.key].last_seen == D1  # nothing of D3
    assert {r.check_date: r.past for r in store.runs()} == {D1: False, D2: True, D3: False}
    now = store.history([PLAN], D4)[PLAN].findings[f.key]
    assert (now.resolved_on, now.last_seen, now.first_seen, now.severity) == (None, D3, D1, "cảnh báo")  # still open
    assert now == present[PLAN].findings[f.key].__class__(**{**present[PLAN].findings[f.key].__dict__, "reopened": 1})
    [story] = store.findings([f.key])
    assert [(e.check_date, e.event) for e in story.events] == [(D1, "new"), (D2, "resolved"), (D3, "reopened")]


def test_the_kept_state_is_always_the_fold_of_every_night(store):
    # Nights forward, re-runs and past dates at random: the state kept for the next night
    # (store_finding_state) is what folding every recorded night gives, finding by finding.
    rng = random.Random(11)
    plans = [PLAN, OTHER]
    pool = [seen(r, f"task:{i}", plan=p) for p in plans for r in ("r1", "r2") for i in range(4)]
    dates = [D1 + dt.timedelta(days=i) for i in range(8)]
    for _ in range(14):
        as_of = rng.choice(dates)
        chosen = {
            p: ([o for o in pool if o.key.split("|")[1] == p and rng.random() < 0.5], [r for r in ("r1", "r2") if rng.random() < 0.8])
            for p in plans if rng.random() < 0.8
        }
        night(store, as_of, {p: (rng.sample(o, len(o)), r) for p, (o, r) in chosen.items()})
        with store.db.read() as conn:
            ids = H._identities(conn, plans)
            kept = H._kept_states(conn, plans)
            nights = H._nights(conn, plans, before=None)
        rules = {i: ident.rule for i, ident in ids.items()}
        folded = {}
        for p in plans:
            folded.update(H.fold(nights.get(p, []), rules))
        assert kept == folded
    # and a night after all of them reads the kept state: the same as a night folding them
    with store.db.read() as conn:
        fast = H.history(conn, plans, dates[-1] + dt.timedelta(days=1))
    with store.db.read() as conn:
        slow_states, _, _ = H.states_before(conn, plans, dates[-1] + dt.timedelta(days=1))
    assert {f.key for p in fast.values() for f in p.findings.values()} == {ids[i].key for i in slow_states}


def test_a_night_that_fails_before_finish_records_nothing(store):
    with pytest.raises(RuntimeError):
        with store.night(D1, version="0.1.0", rulebook_hash="x") as n:
            n.observe(PLAN, [seen("r1", "task:1")], ["r1"])
            n.draft(letter(D1, [seen("r1", "task:1")]))
            raise RuntimeError("the night stopped")
    assert store.runs() == [] and store.letters() == [] and store.history([PLAN], D2)[PLAN].findings == {}


def test_a_failure_inside_finish_rolls_the_whole_night_back(store):
    bad = letter(D1, [seen("r1", "task:1")], units=())  # a letter to nobody: the night's bug
    with pytest.raises(ValueError):
        night(store, D1, {PLAN: ([seen("r1", "task:1")], ["r1"])}, drafts=[bad])
    assert store.runs() == [] and store.history([PLAN], D2)[PLAN].findings == {}


def test_a_night_that_lost_its_lock_records_nothing(store):
    with store.night(D1, version="0.1.0", rulebook_hash="x") as n:
        n.observe(PLAN, [seen("r1", "task:1")], ["r1"])
        with store.db.write() as conn:  # as if another night had taken the store meanwhile
            conn.execute(S.lock.update().values(token="another"))
        with pytest.raises(StoreError, match="mất khóa") as caught:
            n.finish(0)
    assert caught.value.exit_code == 4 and store.runs() == []


def test_drafts_a_later_night_replaces_become_superseded_never_deleted(store):
    a, b = seen("r1", "task:1"), seen("r1", "task:2", unit=VHXH)
    _, first = night(store, D1, {PLAN: ([a, b], ["r1"])}, drafts=[letter(D1, [a]), letter(D1, [b], units=[VHXH])])
    to_kt, to_vhxh = first.letters
    _, second = night(store, D2, {PLAN: ([a, b], ["r1"])}, drafts=[letter(D2, [a], content="changed")])
    [new] = second.letters
    old = store.letter(to_kt)
    assert (old.state, old.superseded_by) == (SUPERSEDED, new)
    assert store.letter(to_vhxh).state == "draft"  # its unit got no new letter: it stays a draft
    with pytest.raises(InputError, match=f"#{to_kt}") as caught:
        store.sign(to_kt, "Nguyễn Văn A", D2)
    assert caught.value.exit_code == 2
    assert {stored.id for stored in store.letters()} == {to_kt, to_vhxh, new}


def test_a_re_run_keeps_the_id_of_an_unchanged_letter_and_supersedes_the_drafts_it_no_longer_writes(store):
    a, b = seen("r1", "task:1"), seen("r1", "task:2", unit=VHXH)
    _, first = night(store, D1, {PLAN: ([a, b], ["r1"])}, drafts=[letter(D1, [a]), letter(D1, [b], units=[VHXH])])
    _, again = night(store, D1, {PLAN: ([a, b], ["r1"])}, drafts=[letter(D1, [a])])
    assert again.letters == first.letters[:1]
    assert store.letter(first.letters[1]).state == SUPERSEDED
    # signed meanwhile, then the date re-run: the signed letter stands, no second draft
    store.sign(first.letters[0], "Nguyễn Văn A", D1)
    _, third = night(store, D1, {PLAN: ([a, b], ["r1"])}, drafts=[letter(D1, [a])])
    assert third.letters == first.letters[:1] and store.letter(first.letters[0]).state == "signed"


def test_a_past_date_night_supersedes_no_later_draft(store):
    a = seen("r1", "task:1")
    _, later = night(store, D3, {PLAN: ([a], ["r1"])}, drafts=[letter(D3, [a])])
    night(store, D1, {PLAN: ([a], ["r1"])}, drafts=[letter(D1, [a])])
    assert store.letter(later.letters[0]).state == "draft"


def test_a_night_knows_the_letters_that_went_out_their_count_and_a_lapsed_reply(store):
    a = seen("r1", "task:1")
    _, first = night(store, D1, {PLAN: ([a], ["r1"])}, drafts=[letter(D1, [a], reply_by=D3)])
    [one] = first.letters
    signed = store.sign(one, "Nguyễn Văn A", D1)
    assert signed.number == 1 and signed.reply_by == D3
    past = store.history([PLAN], D1)[PLAN]
    assert past.findings == {} and past.items == {}  # the night of D1 (a re-run) knows nothing of D1 itself
    past = store.history([PLAN], D2)[PLAN]
    assert past.findings[a.key].times_notified == 1  # signed on D1: known the night after
    past = store.history([PLAN], D3)[PLAN]
    item = past.items[(PLAN, "task:1", KT)]
    assert (past.findings[a.key].times_notified, item.times_notified, item.last_letter.id, item.reply_lapsed) == (1, 1, one, False)
    assert past.units[KT].id == one and past.units[KT].cited == "01/UBND-KT"
    assert store.history([PLAN], D4)[PLAN].items[(PLAN, "task:1", KT)].reply_lapsed  # D3 passed, no reply
    store.mark_replied(one, D4, "đã báo cáo")
    assert not store.history([PLAN], D4 + dt.timedelta(days=1))[PLAN].items[(PLAN, "task:1", KT)].reply_lapsed
    # The night of a day runs after its office hours: a reply received that day is in.
    assert not store.history([PLAN], D4)[PLAN].items[(PLAN, "task:1", KT)].reply_lapsed


def test_a_letter_signed_on_the_check_date_is_known_to_that_night(store):
    """Signed during the day of D2, the night of D2 counts it (times notified, its reply date),
    as the summary and the cadence already cite it: one rule for the night (the demo signs on
    23/11 and runs the night of 23/11)."""
    a = seen("r1", "task:1")
    _, first = night(store, D1, {PLAN: ([a], ["r1"])}, drafts=[letter(D1, [a], reply_by=D3)])
    store.sign(first.letters[0], "Nguyễn Văn A", D2)
    assert store.history([PLAN], D2)[PLAN].findings[a.key].times_notified == 1
    assert store.history([PLAN], D1 + dt.timedelta(days=0))[PLAN].findings == {}


def test_a_voided_letter_notified_nobody(store):
    a = seen("r1", "task:1")
    _, first = night(store, D1, {PLAN: ([a], ["r1"])}, drafts=[letter(D1, [a])])
    store.sign(first.letters[0], "Nguyễn Văn A", D1)
    assert store.history([PLAN], D2)[PLAN].findings[a.key].times_notified == 1
    store.void(first.letters[0], "ghi sai đơn vị", D1)
    past = store.history([PLAN], D2)[PLAN]
    assert past.findings[a.key].times_notified == 0 and past.items[(PLAN, "task:1", KT)].last_letter is None
    assert past.units[KT].state == "voided"  # the unit's last letter, whatever became of it


def test_the_read_side_counts_per_unit_and_severity_and_keeps_the_values_measured(store):
    with store.night(D1, version="0.1.0", rulebook_hash="x") as n:
        n.observe(PLAN, [seen("r1", "task:1", values={"actual": 80.5}), seen("r1", "task:2", "nghiêm trọng", unit=VHXH)], ["r1"],
                  measures={"target:T1": 80.5, "target:T2": None})
        n.finish(1, {"vi-pham": 2})
    night(store, D2, {PLAN: ([seen("r1", "task:1", "nghiêm trọng")], ["r1"])})
    nights = store.plan_nights(PLAN)
    assert nights[0].counts == {KT: {"cảnh báo": 1}, VHXH: {"nghiêm trọng": 1}}
    assert nights[0].measures == {"target:T1": 80.5, "target:T2": None} and nights[1].measures == {}
    assert (nights[1].new, nights[1].resolved, nights[1].escalated) == (0, 1, 1)
    [story] = store.findings([key("r1", "task:1")])
    assert story.events[0].values == {"actual": 80.5}
    run = store.runs()[0]
    assert (run.exit_status, run.counts, run.version, run.rulebook_hash, run.plans) == (1, {"vi-pham": 2}, "0.1.0", "x", 1)
    assert store.plans() == [PLAN] and store.units() == [KT, VHXH]
    with store.db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(S.observations)).scalar() == 3


# -- the record written a chunk of plans at a time (store/history.py _record) -------------------------------


PLANS = [f"xa-{i}-2026-{i}-KH-UBND" for i in range(5)]


def _plans_night(store: Store, as_of: dt.date, shown: dict[str, list[Observation]], withdrawn=()) -> tuple:
    """A night as night/keeping.py hands it over, plan by plan: observed, its letters (one a
    unit), what it withdraws. Returns the letters recorded."""
    with store.night(as_of, version="0.1.0", rulebook_hash="x") as n:
        n.history(list(shown))
        for plan, observations in shown.items():
            n.observe(plan, observations, ["r1", "r2"], measures={"target:T1": len(observations)})
            for unit in sorted({o.unit for o in observations}):
                mine = [o for o in observations if o.unit == unit]
                n.draft(letter(as_of, mine, plan=plan, units=[unit], content=f"{as_of}|{len(mine)}"))
            if plan in withdrawn:
                n.withdraw(plan, [VHXH])
        return n.finish(0, {"plans": len(shown)}).letters


def _nights_of_five_plans(store: Store) -> list[tuple]:
    """Nights forward, a re-run of a date for some plans, a past date, a letter signed between
    them: every path of the record (new findings, steps, folds, drafts kept, superseded, withdrawn)."""
    def shown(day: int, plans=PLANS) -> dict[str, list[Observation]]:
        return {
            p: [seen(r, f"task:{t}", sev, unit=unit, plan=p, values={"day": day})
                for t, (r, sev, unit) in enumerate([("r1", "cảnh báo", KT), ("r2", "nhắc nhở", VHXH), ("r1", "nghiêm trọng", KT)])
                if (i + t + day) % 3 != 0]
            for i, p in enumerate(plans)
        }
    recorded = [_plans_night(store, D1, shown(1))]
    store.sign(recorded[0][0], "Nguyễn Văn A", D1)
    recorded.append(_plans_night(store, D2, shown(2), withdrawn={PLANS[1]}))
    recorded.append(_plans_night(store, D2, shown(3, PLANS[1:4])))  # a re-run of D2 for three plans: folded
    recorded.append(_plans_night(store, D3, shown(4), withdrawn={PLANS[0], PLANS[4]}))
    recorded.append(_plans_night(store, D1, shown(5, PLANS[:2])))  # a past date
    return recorded


def _rows(store: Store) -> dict[str, list[tuple]]:
    """Every table of the store, row by row, without the times a night or a signature took."""
    rows = {}
    with store.db.read() as conn:
        for table in S.metadata.sorted_tables:
            if table is S.lock:
                continue
            kept = [c for c in table.columns if not isinstance(c.type, sa.DateTime) and c.name not in ("host", "pid")]
            rows[table.name] = sorted(
                (tuple(r) for r in conn.execute(sa.select(*kept))), key=lambda r: tuple((v is None, str(v)) for v in r)
            )
    return rows


@pytest.fixture
def fresh_store(store_url, request, tmp_path):
    """Stores of their own (SQLite files, or PostgreSQL databases on the test's cluster)."""
    made = []

    def new() -> Store:
        if store_url.startswith("sqlite"):
            url = f"sqlite:///{tmp_path}/kho-{len(made)}.sqlite"
        else:
            cluster = request.getfixturevalue("postgres_cluster")
            name = f"{sa.engine.make_url(store_url).database}_{len(made)}"
            cluster.admin(f"CREATE DATABASE {name}")
            url = cluster.url(name)
        store = Store.open(url)
        store.register_start(ISSUER, 2026, 1)
        made.append((store, url))
        return store

    yield new
    for store, url in made:
        store.close()
        if not url.startswith("sqlite"):
            request.getfixturevalue("postgres_cluster").admin(f"DROP DATABASE {sa.engine.make_url(url).database} WITH (FORCE)")


def test_the_record_is_the_same_written_one_two_or_a_chunk_of_plans_at_a_time(fresh_store, monkeypatch):
    seen_at_once = []
    finding_ids = H._finding_ids

    def counted(conn, plans, identities):
        seen_at_once.append(len(plans))
        return finding_ids(conn, plans, identities)

    monkeypatch.setattr(H, "_finding_ids", counted)
    results = {}
    for size in (1, 2, H.RECORD_CHUNK):
        monkeypatch.setattr(H, "RECORD_CHUNK", size)
        seen_at_once.clear()
        store = fresh_store()
        recorded = _nights_of_five_plans(store)
        assert max(seen_at_once) == min(size, len(PLANS))  # the plans whose record is read back at once
        letters = [dataclasses.replace(one, drafted_at=None, signed_at=None) for one in store.letters()]
        results[size] = (recorded, _rows(store), letters)
    one, two, whole = results.values()
    assert whole[1]["store_observations"] and whole[1]["store_finding_state"] and whole[1]["store_measures"]
    assert {one.state for one in whole[2]} == {"draft", "superseded", "signed"}
    assert one == whole and two == whole


def test_a_failure_in_the_middle_of_finish_records_nothing(store, monkeypatch):
    """One plan at a time: the first plans written, then the last one's draft found to carry a
    finding never observed (the night's bug) or its key naming another finding: nothing of
    the night stays, not even the plans written before."""
    monkeypatch.setattr(H, "RECORD_CHUNK", 1)
    first = {p: [seen("r1", "task:1", plan=p)] for p in PLANS[:3]}
    _plans_night(store, D1, first)
    before = _rows(store)
    with pytest.raises(ValueError, match="never observed"):
        with store.night(D2, version="0.1.0", rulebook_hash="x") as n:
            for p in PLANS[:3]:
                n.observe(p, [seen("r1", "task:2", plan=p)], ["r1"])
                n.draft(letter(D2, [seen("r1", "task:2", plan=p)] if p != PLANS[2] else [seen("r1", "task:9", plan=p)], plan=p))
            n.finish(0)
    assert _rows(store) == before
    clash = Observation(key=key("r1", "task:1", plan=PLANS[2]), rule="r1", subject="task:7", unit=KT, severity="cảnh báo")
    with pytest.raises(ValueError, match="another finding"):
        _plans_night(store, D2, {PLANS[0]: [seen("r1", "task:2", plan=PLANS[0])], PLANS[1]: [], PLANS[2]: [clash]})
    assert _rows(store) == before


def _observed_away(n, plans: list[str]) -> list:
    """Observe and draft for these plans; keep only weak references to what was handed over."""
    refs = []
    for p in plans:
        observations = [seen("r1", f"task:{t}", plan=p) for t in range(3)]
        draft = letter(D1, observations, plan=p)
        n.observe(p, observations, ["r1"])
        n.draft(draft)
        refs += [weakref.ref(o) for o in observations] + [weakref.ref(draft)]
    return refs


def test_a_night_holds_no_plans_record_until_finish_and_finish_one_chunk_of_plans(store, monkeypatch):
    """What the night is handed goes to disk as it comes (the process keeps none of it), and
    finish reads back one chunk of plans at a time: at most two plans' findings alive while
    the rows are written, of six. Holding the record whole (a list of every plan) fails both."""
    monkeypatch.setattr(H, "RECORD_CHUNK", 2, raising=False)
    alive = []
    insert = bulk.insert

    def watched(conn, table, columns, rows, **given):
        gc.collect()
        alive.append(sum(1 for o in gc.get_objects() if isinstance(o, Observation)))
        return insert(conn, table, columns, rows, **given)

    with store.night(D1, version="0.1.0", rulebook_hash="x") as n:
        refs = _observed_away(n, PLANS + ["xa-5-2026-5-KH-UBND"])
        gc.collect()
        assert [r for r in refs if r() is not None] == []
        monkeypatch.setattr(bulk, "insert", watched)
        n.finish(0)
    assert max(alive) == 2 * 3  # two plans of three findings
    assert len(store.letters()) == 6 and len(store.runs()) == 1


def test_a_spill_gives_back_what_was_put_in_its_order_and_forgets_it_when_cleared():
    spill = Spill()
    try:
        spill.put("a", {"x": 1})
        spill.put("b", [Observation("k", "r", "s", "u", "cảnh báo")])
        spill.put("a", "again")
        assert spill.get("a") == [{"x": 1}, "again"] and spill.get("b")[0][0].key == "k" and spill.get("c") == []
        assert list(spill.keys()) == ["a", "b"] and len(spill) == 2 and spill.size > 0
        spill.clear()
        assert spill.get("a") == [] and len(spill) == 0 and spill.size == 0
        spill.put("c", 3)
        assert spill.get("c") == [3]
    finally:
        spill.close()


def test_a_process_forked_before_a_spill_was_filled_reads_it_once_sealed():
    """night/keeping.py Pasts: the workers fork before the store's history is read."""
    import multiprocessing

    spill = Spill()
    ctx = multiprocessing.get_context("fork")
    go, answers = ctx.Event(), ctx.SimpleQueue()

    def worker() -> None:
        go.wait()
        answers.put((spill.get("plan"), spill.get("other")))

    child = ctx.Process(target=worker)
    child.start()
    try:
        spill.put("plan", {"past": 1})
        spill.seal()
        go.set()
        assert answers.get() == ([{"past": 1}], [])
    finally:
        child.join(10)
        spill.close()


def test_a_letter_may_carry_a_finding_another_chunk_of_plans_observed(store, monkeypatch):
    """Letters are recorded once every plan is observed: a draft carrying a finding of a plan
    written in a later chunk is recorded, as when the night was written whole."""
    monkeypatch.setattr(H, "RECORD_CHUNK", 1)
    later = seen("r1", "task:3", plan=PLANS[2])
    with store.night(D1, version="0.1.0", rulebook_hash="x") as n:
        for p in PLANS[:3]:
            n.observe(p, [seen("r1", "task:1", plan=p)] + ([later] if p == PLANS[2] else []), ["r1"])
        n.draft(letter(D1, [seen("r1", "task:1", plan=PLANS[0]), later], plan=PLANS[0]))
        [made] = n.finish(0).letters
    assert set(store.letter(made).findings) == {key("r1", "task:1", plan=PLANS[0]), later.key}
