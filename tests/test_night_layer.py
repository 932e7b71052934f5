"""The night layer's decisions pinned at their boundaries, in this process (no store, no CLI):
which letters go out tonight (night/cadence.py), what changed since the last night, and the
keys the store keeps (night/keeping.py). `make mutation` runs these for every night mutant."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
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
KEY = "phòng kinh tế"  # unit_key("Phòng Kinh tế")


def finding(subject="task:1", unit="Phòng Kinh tế", severity="cảnh báo", rule="nhiem-vu-qua-han") -> Finding:
    return Finding(rule=rule, title="t", plan=PLAN, fact_kind="task", subject=subject, unit=unit, severity=severity, message="m")


def letter(*findings: Finding, keys=("phòng kinh tế",), draft_plan=False):
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
        key=finding_key(PLAN, f.rule, f.subject, f.unit), rule=f.rule, subject=f.subject, unit=KEY,
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
    hist = history([past(old)], units={"phòng kinh tế": ref(signed_on=signed_on)})
    (decision,) = decide([letter(old, new)], hist)
    assert decision.send is sent
    assert decision.why == ("có nội dung mới" if sent else "chưa đủ 5 ngày làm việc từ công văn trước")
    assert decision.follows.id == 7
    if sent:
        assert decision.reasons == (cadence.NEW,)
        assert cadence.citation(decision).number == 3


def test_without_a_store_or_a_letter_before_every_letter_is_new():
    f = finding()
    assert [(d.send, d.why) for d in decide([letter(f)], None)] == [(True, "mới")]
    (decision,) = decide([letter(f)], history([past(f)], units={"phong khac": ref()}))  # a letter to another unit
    assert (decision.send, decision.why, decision.follows) == (True, "mới", None)
    assert decision.raised == {"task:1": 1}
    (decision,) = decide([letter(f)], history([past(f)], units={"phòng kinh tế": ref(state="superseded")}))
    assert (decision.send, decision.why) == (True, "mới")


def test_an_unsigned_draft_is_drafted_again_only_when_what_it_says_changed():
    f = finding()
    digest = cadence.content_hash(PLAN, letter(f))
    unsigned = {"phòng kinh tế": ref(state="draft", signed_on=None, content_hash=digest)}
    (same,) = decide([letter(f)], history([past(f)], units=unsigned))
    assert (same.send, same.why) == (False, cadence.WAITING_FOR_SIGNATURE)
    (waiting,) = decide([letter(f, draft_plan=True)], history([past(f)], units=unsigned))
    assert (waiting.send, waiting.why) == (False, cadence.WAITING_FOR_PLAN)
    (changed,) = decide([letter(f, finding("task:2"))], history([past(f)], units=unsigned))
    assert (changed.send, changed.why) == (True, "đã thay đổi")


def test_a_letter_follows_the_latest_letter_to_any_of_its_units():
    f = finding()
    units = {
        "phòng kinh tế": ref(id=4, check_date=dt.date(2026, 11, 2), signed_on=dt.date(2026, 11, 2)),
        "phòng văn hóa": ref(id=9, check_date=dt.date(2026, 11, 9), signed_on=dt.date(2026, 11, 9)),
        "phong khac": ref(id=12, check_date=dt.date(2026, 11, 20), signed_on=dt.date(2026, 11, 20)),
    }
    (decision,) = decide([letter(f, keys=("phòng kinh tế", "phòng văn hóa"))], history([past(f)], units=units))
    assert decision.follows.id == 9
    same_day = {"phòng kinh tế": ref(id=4), "phòng văn hóa": ref(id=3)}
    (decision,) = decide([letter(f, keys=("phòng kinh tế", "phòng văn hóa"))], history([past(f)], units=same_day))
    assert decision.follows.id == 4  # one check date: the later id


def test_nothing_new_holds_the_letter_back_and_each_reason_can_be_turned_off():
    f = finding(severity="cảnh báo")
    signed = {"phòng kinh tế": ref(signed_on=dt.date(2026, 11, 2))}
    (held,) = decide([letter(f)], history([past(f)], units=signed))
    assert (held.send, held.why) == (False, "không có gì mới")
    # escalated since the last letter that carried it, not since last night
    worse = finding(severity="nghiêm trọng")
    (up,) = decide([letter(worse)], history([past(worse, severity="nghiêm trọng", notified_severity="cảnh báo")], units=signed))
    assert (up.send, up.why, up.reasons) == (True, "tăng mức độ", (cadence.ESCALATED,))
    (same,) = decide([letter(worse)], history([past(worse, notified_severity="nghiêm trọng")], units=signed))
    assert same.send is False
    (never,) = decide([letter(f)], history([past(f, notified=0)], units=signed))  # found, never carried by a letter
    assert (never.send, never.reasons) == (True, (cadence.NEW,))
    (lapsed,) = decide([letter(f)], history([past(f)], units=signed, lapsed=True))
    assert (lapsed.send, lapsed.why) == (True, "quá hạn trả lời")
    (both,) = decide([letter(worse, finding("task:2"))], history([past(worse, notified_severity="cảnh báo")], units=signed, lapsed=True))
    assert both.reasons == (cadence.LAPSED, cadence.NEW, cadence.ESCALATED) and both.why == "quá hạn trả lời"
    quiet = DEFAULTS.model_copy(update={"letters": DEFAULTS.letters.model_copy(update={"on_reply_lapsed": False, "on_new": False, "on_escalation": False})})
    (off,) = decide([letter(worse, finding("task:2"))], history([past(worse, notified_severity="cảnh báo")], units=signed, lapsed=True), quiet)
    assert (off.send, off.why) == (False, "không có gì mới")


def test_a_letter_before_with_no_signing_date_does_not_hold_the_next_back():
    f, new = finding(), finding("task:2")
    (decision,) = decide([letter(f, new)], history([past(f)], units={"phòng kinh tế": ref(state="sent", signed_on=None)}))
    assert decision.send is True and cadence.citation(decision) is None


def test_what_changed_since_the_last_night():
    new, open_, worse, back, lower = (finding(f"task:{i}") for i in range(1, 6))
    worse = finding("task:3", severity="nghiêm trọng")
    lower = finding("task:5", severity="nhắc nhở")
    gone = finding("task:9")
    other_rule = finding("task:8", rule="khac")
    moved = finding("task:7", rule="sap-den-han")  # due soon last night, overdue tonight: not put right
    hist = history([
        past(open_), past(worse, severity="cảnh báo"), past(back, resolved_on=dt.date(2026, 11, 10)), past(lower, severity="cảnh báo"),
        past(gone), past(other_rule), past(moved),
    ])
    tonight = [new, open_, worse, back, lower, finding("task:7")]
    changes = cadence.what_changed(PLAN, tonight, hist, ["nhiem-vu-qua-han", "sap-den-han"])
    by_subject = {k.split("|")[2]: v for k, v in changes.by_key.items()}
    assert by_subject == {
        "task:1": cadence.CHANGE_NEW, "task:2": cadence.CHANGE_OPEN, "task:3": cadence.CHANGE_ESCALATED,
        "task:4": cadence.CHANGE_REOPENED, "task:5": cadence.CHANGE_OPEN, "task:7": cadence.CHANGE_NEW,
    }
    assert [p.subject for p in changes.resolved] == ["task:9"]  # 'khac' did not run: not put right
    key = finding_key(PLAN, worse.rule, worse.subject, worse.unit)
    assert changes.since[key] == {"change": "tăng mức", "first_seen": dt.date(2026, 11, 2), "times_notified": 1, "previous_severity": "cảnh báo"}
    reopened = changes.since[finding_key(PLAN, back.rule, back.subject, back.unit)]
    assert reopened["previous_severity"] is None and reopened["times_notified"] == 1
    assert changes.since[finding_key(PLAN, new.rule, new.subject, new.unit)] == {
        "change": "mới", "first_seen": None, "times_notified": 0, "previous_severity": None,
    }
    assert changes.counts() == {"mới": 2, "mở lại": 1, "tăng mức": 1, "còn": 2, "đã khắc phục": 1}
    assert cadence.what_changed(PLAN, tonight, None, []).by_key == {}


def test_what_was_put_right_since_a_letter_is_what_the_letters_raised_and_is_not_found_again():
    raised, quiet, back = finding("task:1"), finding("task:2"), finding("task:3")
    before, after = dt.date(2026, 11, 10), dt.date(2026, 11, 12)
    hist = history([
        past(raised, resolved_on=after), past(quiet, resolved_on=after), past(back, resolved_on=after),
        past(finding("task:4"), resolved_on=before),  # put right before the letter's date
    ])
    hist.items[(PLAN, "task:2", KEY)] = ItemPast((PLAN, "task:2", KEY), dt.date(2026, 11, 2), 0, None, False)  # never raised
    tonight = cadence.what_changed(PLAN, [finding("task:3", rule="khac")], history([]), [])
    tonight.resolved = [past(raised, resolved_on=AS_OF)]  # tonight too: said once
    got = cadence.resolved_since(tonight, hist, dt.date(2026, 11, 11))
    assert [p.subject for p in got] == ["task:1"]  # task:3 is found again under another rule
    assert [p.subject for p in cadence.resolved_since(tonight, hist, None)] == ["task:1"]
    assert cadence.resolved_since(tonight, None, before) == []


def test_a_letters_content_hash_is_its_units_and_findings_with_their_severity():
    a, b = finding("task:1"), finding("task:2")
    same = cadence.content_hash(PLAN, letter(a, b))
    assert cadence.content_hash(PLAN, letter(b, a)) == same and len(same) == 32
    counted = a.model_copy(update={"values": {"days_overdue": 9}, "message": "quá hạn 9 ngày"})
    assert cadence.content_hash(PLAN, letter(counted, b)) == same  # the day counts change every night
    assert cadence.content_hash(PLAN, letter(finding("task:1", severity="nghiêm trọng"), b)) != same
    assert cadence.content_hash(PLAN, letter(a, b, keys=("phòng khác",))) != same
    assert cadence.content_hash("other-plan", letter(a, b)) != same


# -- the keys and the past the store gives the facts (night/keeping.py) ----------------------------


def test_a_finding_is_known_across_nights_by_plan_rule_subject_and_unit_key():
    assert finding_key(PLAN, "r", "task:1", "Phòng  Kinh tế") == f"{PLAN}|r|task:1|{KEY}"
    assert finding_key(PLAN, "r", "task:1", "Phòng Kinh Tế") == finding_key(PLAN, "r", "task:1", "phòng kinh tế")


def test_the_past_the_facts_read_is_each_items_highest_open_severity_and_its_letters():
    from dondoc.facts.history import ItemHistory
    from dondoc.night.keeping import plan_past

    warned = finding("task:1", severity="cảnh báo")
    serious = finding("task:1", severity="nghiêm trọng", rule="khac")
    reminded = finding("task:1", severity="nhắc nhở", rule="ba")
    settled = finding("task:2", severity="nghiêm trọng")
    hist = history([past(warned), past(serious), past(reminded), past(settled, resolved_on=dt.date(2026, 11, 19))], lapsed=True, notified=2)
    items = plan_past(hist).items
    assert items[("task:1", KEY)] == ItemHistory(dt.date(2026, 11, 2), 2, True, "nghiêm trọng")
    assert items[("task:2", KEY)].previous_severity is None  # put right: not seen last night
    hist = history([past(reminded), past(warned)])
    assert plan_past(hist).items[("task:1", KEY)].previous_severity == "cảnh báo"


# -- who receives which letter (night/letters.py) -------------------------------------------------


def test_two_units_spelt_alike_in_ascii_get_file_names_told_apart():
    from dondoc.night.letters import unit_slugs
    from dondoc.night.plans import _hash

    slugs = unit_slugs({"phòng kinh tế": "Phòng Kinh tế", "phong kinh te": "Phong Kinh Te", "ubnd": "UBND"})
    assert slugs == {
        "phòng kinh tế": f"phong-kinh-te-{_hash('phòng kinh tế')}",
        "phong kinh te": f"phong-kinh-te-{_hash('phong kinh te')}",
        "ubnd": "ubnd",
    }
    long = "Phòng " + "rất " * 30 + "dài"
    cut = unit_slugs({"a": long, "b": long + " hơn"})
    assert cut["a"] != cut["b"] and all(len(s) <= 60 for s in cut.values())


def test_a_letter_to_several_units_is_named_after_the_group_of_exactly_these_units_else_the_first_and_how_many():
    from dondoc.night.letters import letter_name

    settings = DEFAULTS.model_copy(update={"groups": {"Các phòng chuyên môn": ["Phòng Kinh tế", "Phòng Văn hóa - Xã hội"]}})
    assert letter_name(["Phòng Kinh tế"], settings) == "Phòng Kinh tế"
    assert letter_name(["phòng văn hóa - xã hội", "Phòng Kinh tế"], settings) == "Các phòng chuyên môn"
    assert letter_name(["Phòng Kinh tế", "Phòng Văn hóa - Xã hội", "Công an xã"], settings) == "Phòng Kinh tế và 2 đơn vị khác"
    assert letter_name(["Phòng Kinh tế", "Công an xã"], settings) == "Phòng Kinh tế và 1 đơn vị khác"


# -- how the night ends (night/night.py) ------------------------------------------------------------


EXAMPLES = __import__("pathlib").Path(__file__).resolve().parents[1] / "examples"


def _hong(folder, plan_key: str):
    """A rule whose message cannot be written for one plan's facts only (division by zero)."""
    folder.mkdir()
    (folder / "hong.yaml").write_text(
        "rules:\n  - id: hong\n    title: Hỏng\n    fact: task\n"
        "    condition: due is present\n    severity: cảnh báo\n"
        f"    message: '{{{{ 1 // (0 if plan == \"{plan_key}\" else 1) }}}}'\n",
        encoding="utf-8",
    )
    return folder


def test_a_rule_stopped_on_the_last_plan_runs_the_night_again_without_it_and_the_night_ends_3(tmp_path):
    from dondoc.facts.planfolder import read_plan_folder
    from dondoc.night import Options, check

    plans = [EXAMPLES / "an-bien-2026", EXAMPLES / "gia-loc-2026"]
    rules = _hong(tmp_path / "quy-tac", read_plan_folder(plans[1]).plan.key)  # the last in plan order
    result = check(plans, Options(AS_OF, rules_dirs=(rules,), workers=1))
    assert result.passes == 2 and list(result.report.rule_errors) == ["hong"] and "by zero" in result.report.rule_errors["hong"]
    assert "hong" not in {rule for rule, *_ in result.tally}
    assert result.status() == 3 and result.status("nghiêm trọng") == 3
    clean = check(plans, Options(AS_OF, workers=1))
    assert clean.passes == 1 and clean.report.rule_errors == {} and clean.status() == 0
    assert ("hong", "vi-pham", "Phòng Kinh tế xã", "cảnh báo") not in clean.tally


@pytest.mark.parametrize(
    "severity, fail_on, status",
    [("cảnh báo", "cảnh báo", 1), ("nhắc nhở", "cảnh báo", 0), ("nghiêm trọng", "cảnh báo", 1), ("nghiêm trọng", "never", 0),
     ("nhắc nhở", "nhắc nhở", 1)],
    ids=["at", "below", "above", "never", "lowest"],
)
def test_the_night_ends_1_when_a_finding_reaches_fail_on(severity, fail_on, status):
    from collections import Counter

    from dondoc.engine.run import RunReport
    from dondoc.night.night import NightResult

    tally = Counter({("r", "vi-pham", "u", "info"): 3, ("r", "vi-pham", "u", severity): 1})
    night = NightResult(RunReport(as_of=AS_OF, rules=1, conditions=1), tally, SimpleNamespace(set_aside=[]))
    assert night.status(fail_on) == status
    night.report.rule_errors["r"] = "x"  # a rule that could not run: 3 whatever was found
    assert night.status(fail_on) == 3
    assert NightResult(RunReport(as_of=AS_OF, rules=1, conditions=1), tally, SimpleNamespace(set_aside=["x"])).status() == 3


# The night's two passes and what it adds up (night/night.py), with stand-ins for the workers, the
# output and the operator's events: which plans reach the output, when the night starts again.


class _Sink:
    def __init__(self):
        self.passes: list[list[str]] = []

    def start(self):
        self.passes.append([])

    def add(self, outcome):
        assert outcome.findings == b"x"  # given whole; the night drops the text once it is written
        self.passes[-1].append(outcome.job.given)


class _Events:
    def __init__(self):
        self.said: list[tuple] = []

    def phase(self, name, **fields):
        self.said.append(("phase", name, fields))

    def plan(self, outcome):
        self.said.append(("plan", outcome.job.given))

    def error(self, message, **fields):
        self.said.append(("error", message, fields))


class _Workers:
    """Plans in plan order; each pass gives every plan's outcome, as the rules stopped so far allow."""

    def __init__(self, outcomes, header=None):
        self.outcomes, self.header = outcomes, header or {}
        self.plans = SimpleNamespace(jobs=[o.job for o in outcomes if not isinstance(o, BaseException)])
        self.calls: list = []

    def start(self):
        self.calls.append("start")

    def run(self, stopped, each):
        self.calls.append(("run", {b: dict(r) for b, r in stopped.items()}, each))
        for outcome in self.outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
            kept = {r for r in stopped.get(outcome.job.book, {})}
            yield dataclasses.replace(outcome, findings=b"x", tally=Counter(
                {k: n for k, n in outcome.tally.items() if k[0] not in kept}), stopped={
                r: why for r, why in outcome.stopped.items() if r not in kept})

    def close(self):
        self.calls.append("close")


def _outcome(given, book=0, tally=(), stopped=None, input_errors=()):
    from dondoc.night.workers import PlanOutcome

    return PlanOutcome(SimpleNamespace(given=given, book=book), tally=Counter({(r, "vi-pham", "u", "cảnh báo"): 1 for r in tally}),
                       stopped=stopped or {}, input_errors=list(input_errors))


def test_a_rule_stopped_after_a_plan_wrote_its_findings_runs_every_plan_again_knowing_it():
    from dondoc.night.night import _passes

    workers = _Workers([
        _outcome("a", tally=["r", "s"]), _outcome("b", tally=["r"], stopped={"r": "chia cho 0", "s": "hỏng"}),
        _outcome("c", stopped={"r": "lỗi khác"}), _outcome("d", book=1, stopped={"t": "hỏng ở sổ 1"}),
    ], header={0: (3, 4, {"u": "không biên dịch được"})})
    sink, events, each = _Sink(), _Events(), object()
    kept, stopped, passes = _passes(workers, sink, each, events)
    assert passes == 2 and sink.passes == [["a", "b", "c", "d"]] * 2 and [o.job.given for o in kept] == ["a", "b", "c", "d"]
    # the first plan in plan order to stop a rule says why; a book's own refusals are stopped too
    assert stopped == {0: {"r": "chia cho 0", "s": "hỏng", "u": "không biên dịch được"}, 1: {"t": "hỏng ở sổ 1"}}
    assert workers.calls == ["start", ("run", {}, each), ("run", stopped, each)]
    assert [o.findings for o in kept] == [b""] * 4 and kept[0].tally == Counter()  # r and s gone from a's findings
    assert [e for e in events.said if e[0] == "phase"] == [
        ("phase", "checking", {"plans": 4}), ("phase", "second pass", {"plans": 4})]
    assert [e[1] for e in events.said if e[0] == "plan"] == ["a", "b", "c", "d"] * 2


def test_a_rule_stopped_before_any_plan_found_by_it_needs_no_second_pass():
    from dondoc.night.night import _passes

    # s stops on b; a found by r only, and d (book 1) by s: another book's findings do not count
    workers = _Workers([_outcome("a", tally=["r"]), _outcome("b", stopped={"s": "x"}), _outcome("d", book=1, tally=["s"])])
    sink = _Sink()
    kept, stopped, passes = _passes(workers, sink, None)
    assert passes == 1 and sink.passes == [["a", "b", "d"]] and stopped == {0: {"s": "x"}}
    assert workers.calls == ["start", ("run", {}, None)]


def test_plans_that_cannot_be_read_stop_the_night_each_said_and_none_after_the_first_is_written():
    from dondoc.errors import InputError, InputErrors
    from dondoc.night.night import _passes

    bad = [InputError("b/plan.yaml", "hỏng", line=3).portable(), InputError("b/tasks.csv", "thiếu cột").portable()]
    workers = _Workers([_outcome("a"), _outcome("b", input_errors=bad), _outcome("c"),
                        _outcome("d", input_errors=[InputError("d/plan.yaml", "trống").portable()])])
    sink, events = _Sink(), _Events()
    with pytest.raises(InputErrors) as caught:
        _passes(workers, sink, None, events)
    assert [e.render() for e in caught.value.errors] == [
        InputError("b/plan.yaml", "hỏng", line=3).render(), InputError("b/tasks.csv", "thiếu cột").render(),
        InputError("d/plan.yaml", "trống").render()]
    assert sink.passes == [["a"]]
    assert [e for e in events.said if e[0] == "error"] == [
        ("error", InputError("b/plan.yaml", "hỏng", line=3).render(), {"plan": "b"}),
        ("error", InputError("b/tasks.csv", "thiếu cột").render(), {"plan": "b"}),
        ("error", InputError("d/plan.yaml", "trống").render(), {"plan": "d"})]


def test_the_workers_are_stopped_before_a_failure_of_the_night_leaves_it():
    from dondoc.night.night import _passes

    workers = _Workers([_outcome("a"), KeyboardInterrupt()])
    with pytest.raises(KeyboardInterrupt):
        _passes(workers, _Sink(), None)
    assert workers.calls[-1] == "close"


def test_the_nights_result_adds_up_its_plans_and_names_a_stopped_rule_by_its_book_when_there_are_several():
    from dondoc.engine.run import PlanReport
    from dondoc.night.night import _counts, _result, severity_counts

    def plan(name, tally, changes, extra, report=True):
        return SimpleNamespace(report=PlanReport(name, name) if report else None, tally=Counter(tally), extra=extra,
                               commune="UBND " + name, changes=changes)

    a = {("r", "vi-pham", "u", "cảnh báo"): 2}
    b = {("r", "vi-pham", "u", "cảnh báo"): 1, ("s", "vi-pham", "v", "nghiêm trọng"): 1}
    outcomes = [
        plan("a", a, {"mới": 2}, SimpleNamespace(identity="xa-a", decisions=[("a/u", True, "mới")])),
        plan("b", b, None, SimpleNamespace(decisions=[("b/u", False, "chờ ký"), ("b/v", True, "nặng hơn")])),
        plan("c", {}, {"còn": 1, "đã khắc phục": 3}, None, report=False),
    ]
    books = [SimpleNamespace(label="sổ xã"), SimpleNamespace(label="sổ phường")]
    workers = SimpleNamespace(as_of=AS_OF, books=lambda: {0: (12, 30, {}), 1: (14, 25, {})})
    stopped = {1: {"z": "hỏng", "y": "chia cho 0"}, 0: {"x": "lỗi"}}
    result = _result(SimpleNamespace(books=books), workers, outcomes, stopped, 2)
    assert (result.report.as_of, result.report.rules, result.report.conditions, result.passes) == (AS_OF, 14, 30, 2)
    assert list(result.report.rule_errors.items()) == [("x [sổ xã]", "lỗi"), ("y [sổ phường]", "chia cho 0"), ("z [sổ phường]", "hỏng")]
    assert [p.plan for p in result.report.plans] == ["a", "b"]
    assert result.tally == Counter({("r", "vi-pham", "u", "cảnh báo"): 3, ("s", "vi-pham", "v", "nghiêm trọng"): 1})
    assert result.identities == ["xa-a"] and result.books == {0: (12, 30, {}), 1: (14, 25, {})}
    assert result.communes == [("UBND a", Counter(a)), ("UBND b", Counter(b)), ("UBND c", Counter())]
    assert result.plan_changes == [{"mới": 2}, None, {"còn": 1, "đã khắc phục": 3}]
    assert list(result.changes.items()) == [("mới", 2), ("mở lại", 0), ("tăng mức", 0), ("còn", 1), ("đã khắc phục", 3)]
    assert result.decisions == [("a/u", True, "mới"), ("b/u", False, "chờ ký"), ("b/v", True, "nặng hơn")]
    assert list(severity_counts(result.tally).items()) == [("nghiêm trọng", 1), ("cảnh báo", 3), ("nhắc nhở", 0), ("info", 0)]
    assert list(severity_counts(Counter())) == ["nghiêm trọng", "cảnh báo", "nhắc nhở", "info"]  # most severe first, zeros said
    two = Counter({("r", "vi-pham", "u", "cảnh báo"): 2, ("s", "vi-pham", "u", "cảnh báo"): 1, ("s", "thieu-du-lieu", "v", "info"): 4})
    assert severity_counts(two) == {"nghiêm trọng": 0, "cảnh báo": 3, "nhắc nhở": 0, "info": 4}  # every rule's of a severity
    assert _counts(result) == {"plans": 2, "findings": 4, "severities": {"nghiêm trọng": 1, "cảnh báo": 3, "nhắc nhở": 0, "info": 0},
                               "changes": result.changes, "letters": 2}
    # one book: a stopped rule by its id alone; no book, no plan: nothing counted; no store: no changes
    alone = _result(SimpleNamespace(books=books[:1]), SimpleNamespace(as_of=AS_OF, books=dict), outcomes[1:2], {0: {"x": "lỗi"}}, 1)
    assert alone.report.rule_errors == {"x": "lỗi"} and (alone.report.rules, alone.report.conditions) == (0, 0)
    assert alone.changes is None and alone.identities == []


def test_items_put_right_tonight_are_listed_by_subject_unit_and_rule():
    found = [finding("task:9"), finding("task:2", rule="b"), finding("task:2", rule="a"), finding("task:2", unit="Công an xã")]
    hist = history([past(f) for f in found])
    changes = cadence.what_changed(PLAN, [], hist, ["nhiem-vu-qua-han", "a", "b"])
    assert [(p.subject, p.rule) for p in changes.resolved] == [("task:2", "a"), ("task:2", "b"), ("task:2", "nhiem-vu-qua-han"), ("task:9", "nhiem-vu-qua-han")]


def test_put_right_since_a_letter_means_after_its_date_and_one_item_set_aside_does_not_end_the_list():
    on, kept, later = dt.date(2026, 11, 11), finding("task:1"), finding("task:5")
    hist = history([past(kept, resolved_on=on), past(finding("task:2"), resolved_on=dt.date(2026, 11, 12)),
                    past(later, resolved_on=dt.date(2026, 11, 12))])
    hist.items[(PLAN, "task:2", KEY)] = ItemPast((PLAN, "task:2", KEY), dt.date(2026, 11, 2), 0, None, False)  # never raised
    nothing = cadence.what_changed(PLAN, [], history([]), [])
    assert [p.subject for p in cadence.resolved_since(nothing, hist, on)] == ["task:5"]  # not on the letter's date itself
    assert [p.subject for p in cadence.resolved_since(nothing, hist, on - dt.timedelta(days=1))] == ["task:1", "task:5"]


def test_a_letter_says_how_many_letters_raised_each_subject_before_the_most_of_its_units():
    one, other = finding("task:1"), finding("task:1", unit="Phòng Văn hóa")
    hist = history([past(one)], units={KEY: ref()})
    hist.items[(PLAN, "task:1", KEY)] = ItemPast((PLAN, "task:1", KEY), dt.date(2026, 11, 2), 3, None, False)
    hist.items[(PLAN, "task:1", "phòng văn hóa")] = ItemPast((PLAN, "task:1", "phòng văn hóa"), dt.date(2026, 11, 2), 1, None, False)
    (decision,) = decide([letter(one, other, keys=(KEY, "phòng văn hóa"))], hist)
    assert decision.raised == {"task:1": 3}


def test_only_a_letter_with_its_number_and_date_is_cited_and_a_letter_held_back_cites_it_for_no_reason():
    held = cadence.Decision(letter(finding()), "h", False, "không có gì mới", follows=ref())
    assert cadence.citation(held).reasons == () and cadence.citation(held).number == 3
    unnumbered = dataclasses.replace(ref(), number=None)
    undated = dataclasses.replace(ref(), signed_on=None)
    for last in (unnumbered, undated, None):
        assert cadence.citation(cadence.Decision(letter(finding()), "h", True, "x", follows=last)) is None


def test_a_letters_hash_is_the_one_the_store_keeps_across_versions():
    """The store compares tonight's hash with an unsigned draft's: a hash made otherwise after an
    upgrade would redraft every waiting letter. It is the SHA-256 of the sorted JSON (UTF-8) of
    the units and of each finding's key and severity."""
    import hashlib
    import json

    a, b = finding("task:2", unit="Phòng Văn hóa"), finding("task:1", severity="nghiêm trọng")
    body = ('{"findings": [["gia-loc|nhiem-vu-qua-han|task:1|phòng kinh tế", "nghiêm trọng"],'
            ' ["gia-loc|nhiem-vu-qua-han|task:2|phòng văn hóa", "cảnh báo"]], "units": ["phòng kinh tế", "phòng văn hóa"]}')
    assert json.loads(body)  # well formed
    expected = hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]
    assert cadence.content_hash(PLAN, letter(a, b, keys=("phòng văn hóa", KEY))) == expected


def test_every_letter_of_a_plan_is_decided_whichever_way_the_one_before_went():
    """Each way a letter can go, followed by another letter: both decided, each with its hash and
    what raised its subjects before."""
    f, g = finding("task:1"), finding("task:2", unit="Phòng Văn hóa")
    other = letter(g, keys=("phòng văn hóa",))
    digest = cadence.content_hash(PLAN, letter(f))
    for units, lapsed in (
        ({KEY: ref(state="draft", signed_on=None, content_hash=digest)}, False),  # waiting for its signature
        ({KEY: ref(state="draft", signed_on=None, content_hash="x")}, False),  # changed
        ({KEY: ref(signed_on=dt.date(2026, 11, 2))}, False),  # nothing new
        ({KEY: ref(signed_on=dt.date(2026, 11, 20))}, True),  # too soon
        ({}, False),  # new
    ):
        decisions = decide([letter(f), other], history([past(f)], units=units, lapsed=lapsed))
        assert [d.letter.keys for d in decisions] == [(KEY,), ("phòng văn hóa",)], units
        assert decisions[0].content_hash == digest and decisions[0].raised == {"task:1": 1}, decisions[0].why
    decisions = decide([letter(f), other], None)
    assert [(d.send, d.content_hash) for d in decisions] == [(True, digest), (True, cadence.content_hash(PLAN, other))]


def test_a_plans_letters_come_in_file_name_order_with_the_plans_settings():
    from dondoc.facts.planfolder import read_plan_folder
    from dondoc.night.letters import PlanLetter, plan_letters

    folder = read_plan_folder(EXAMPLES / "gia-loc-2026")
    settings = DEFAULTS.model_copy(update={"reply_days": 7})
    found = [finding("task:1", unit="Phòng Kinh tế"), finding("task:2", unit="Đội quản lý trật tự đô thị")]
    letters = plan_letters(folder, found, AS_OF, settings, "gia-loc")
    # 'đ' sorts after every ASCII letter as a key, but the files are named in ASCII: doi-... before phong-...
    assert [letter.stem for letter in letters] == ["gia-loc/doi-quan-ly-trat-tu-do-thi", "gia-loc/phong-kinh-te"]
    assert all(letter.notice.settings is settings for letter in letters)
    assert PlanLetter("a/b", "b", letters[0].notice).keys == ("b",)


def test_a_letter_to_several_units_names_them_in_file_name_order_not_key_order():
    from dondoc.facts.planfolder import read_plan_folder
    from dondoc.night.letters import plan_letters

    folder = read_plan_folder(EXAMPLES / "gia-loc-2026")
    # One finding for a group reaches both its units: one letter, to both. As keys "phòng kinh tế"
    # comes before "đội ..."; as file names doi-... comes first, and so it is the first addressee.
    settings = DEFAULTS.model_copy(update={"groups": {"Các phòng chuyên môn": ["Phòng Kinh tế", "Đội quản lý trật tự đô thị"]}})
    letters = plan_letters(folder, [finding("task:1", unit="Các phòng chuyên môn")], AS_OF, settings, "gia-loc")
    assert [letter.keys for letter in letters] == [("đội quản lý trật tự đô thị", "phòng kinh tế")]
    assert letters[0].notice.unit == "Đội quản lý trật tự đô thị"
    assert letters[0].notice.co_addressees == ("Phòng Kinh tế",)
    assert letters[0].stem == "gia-loc/cac-phong-chuyen-mon"


def test_a_finding_with_no_unit_goes_to_the_monitor_whatever_the_groups():
    from dondoc.facts.planfolder import read_plan_folder
    from dondoc.night.letters import addressees

    folder = read_plan_folder(EXAMPLES / "gia-loc-2026")
    settings = DEFAULTS.model_copy(update={"groups": {"": ["Phòng Văn hóa - Xã hội"]}})
    routes = addressees(folder, [finding("task:1", unit="")], settings)
    assert [r.name for r in routes.values()] == [folder.plan.monitor or settings.monitor]


def test_two_units_of_one_ascii_spelling_at_the_longest_keep_names_of_the_longest_length():
    from dondoc.night.letters import unit_slugs
    from dondoc.night.plans import SLUG_MAX, _hash

    name, plain = "Phòng Đội " + "a" * 50, "Phong Doi " + "a" * 50  # "phong-doi-aaa...": 60 ASCII letters, the most kept whole
    assert unit_slugs({"x": plain})["x"] == "phong-doi-" + "a" * 50 and len("phong-doi-" + "a" * 50) == SLUG_MAX
    slugs = unit_slugs({"a": name, "b": plain})
    cut = "phong-doi-" + "a" * 43  # 53 letters, a dash and 6 of the key's hash: 60 again
    assert slugs == {"a": f"{cut}-{_hash('a')}", "b": f"{cut}-{_hash('b')}"}
    long = unit_slugs({"k": name + " mở rộng"})["k"]
    assert long.endswith("-" + _hash("k")) and len(long) <= SLUG_MAX  # cut, told apart by the unit's key


# -- signing (night/signing.py) ---------------------------------------------------------------------


def test_signed_letters_go_to_out_else_beside_an_sqlite_store_and_a_server_store_needs_out(tmp_path):
    from pathlib import Path

    from dondoc.errors import InputError
    from dondoc.night.signing import signed_folder

    beside = SimpleNamespace(db=SimpleNamespace(folder=tmp_path / "kho"))
    assert signed_folder(beside, None) == tmp_path / "kho" / "van-ban-di"
    assert signed_folder(beside, Path("ra")) == Path("ra")
    server = SimpleNamespace(db=SimpleNamespace(folder=None))
    with pytest.raises(InputError) as caught:
        signed_folder(server, None)
    assert caught.value.message == "kho trên máy chủ cơ sở dữ liệu: cần --out THƯ_MỤC cho các công văn đã ký"


def test_a_letter_with_nothing_to_print_again_is_not_signed(tmp_path):
    from dondoc.errors import InputError
    from dondoc.night.signing import drafts_to_sign, sign
    from dondoc.store.store import Store
    from tests.storekit import D1, ISSUER, OTHER, letter as draft, night, seen

    with Store.open(tmp_path / "kho.sqlite") as store:
        store.register_start(ISSUER, 2026, 1)
        found = [seen("r1", "task:1")]
        _, recorded = night(store, D1, {draft(D1, found).plan_key: (found, ["r1"])}, drafts=[dataclasses.replace(draft(D1, found), payload={})])
        (letter_id,) = recorded.letters
        with pytest.raises(InputError) as caught:
            sign(store, [letter_id], by="A", on=AS_OF, out=tmp_path / "ra")
        assert caught.value.message == f"công văn #{letter_id} không có nội dung để in lại (lập bởi dondoc cũ hơn)"
        assert store.letter(letter_id).state == "draft" and store.lines() == []
        # `letters sign --all` leaves it waiting, saying why, and only for the plan asked
        assert drafts_to_sign(store) == ([], [(letter_id, "không có nội dung để in lại")])
        assert drafts_to_sign(store, plan=OTHER) == ([], [])
