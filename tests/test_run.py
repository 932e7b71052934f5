"""engine/run.py at its edges: what a finding carries, what the run report counts, how a rule
that cannot compile, register or write its message is stopped and named, and the proof's own
messages. (Mutation testing found each of these unpinned: docs/engine.md, "Mutation testing".)"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from dondoc.engine import durable_adapter, run as engine_run
from dondoc.engine.durable_adapter import Evaluation
from dondoc.errors import EngineError
from dondoc.engine.rulebook import load_rules
from dondoc.engine.run import Checker, Registrations
from dondoc.night import evaluate as check
from dondoc.facts.calendar import DayOff, WorkCalendar
from dondoc.facts.planfolder import read_plan_folder

TINY = Path(__file__).parent / "fixtures" / "tiny"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
AS_OF = dt.date(2026, 11, 23)  # a Monday; task 1 of the tiny plan is due 31/10/2026, unreported


def rules(tmp_path: Path, body: str) -> list:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / "r.yaml").write_text("rules:\n" + textwrap.indent(textwrap.dedent(body).strip(), "  ") + "\n", encoding="utf-8")
    return load_rules(folder)


OVERDUE = """
- id: qua-han
  title: Quá hạn
  fact: task
  condition: days_overdue > 0 or reported_on < 01/01/2026 or done_on < 01/01/2026
  severity: nhắc nhở
  escalate:
    - when: days_overdue >= 20
      severity: cảnh báo
  message: "{{ task }} ({{ rule }}) kiểm tra {{ as_of }}"
  missing:
    message: "{{ task }} ({{ rule }}) thiếu {{ missing }}"
"""


def test_a_finding_carries_the_rule_the_check_date_the_missing_fields_and_the_fact(tmp_path):
    findings, _ = check([read_plan_folder(TINY)], rules(tmp_path, OVERDUE), AS_OF)
    # Task 1 is 23 days overdue: a violation, on the ladder's step (it has no report either, but
    # the condition is true without one: no missing-data finding). Task 2 has no due date and
    # reported in June: whether it is late cannot be worked out without its days overdue or
    # the day it was done (missing data).
    violation, missing = findings
    assert (violation.kind, violation.message, violation.severity) == ("vi-pham", "1 (qua-han) kiểm tra 23/11/2026", "cảnh báo")
    assert violation.missing == []
    assert (missing.kind, missing.subject, missing.message, missing.missing) == (
        "thieu-du-lieu",
        "task:2",
        "2 (qua-han) thiếu số ngày quá hạn, ngày hoàn thành",  # staff's words for the fields, never their names
        ["days_overdue", "done_on"],
    )
    assert violation.plan_path == str(TINY) and violation.plan == read_plan_folder(TINY).plan.key
    assert (violation.subject, violation.subject_title, violation.unit) == ("task:1", "Tổ chức đối thoại với doanh nghiệp", "Phòng Kinh tế")
    assert violation.values == {"days_overdue": 23}  # the values the rule reads that the fact has
    assert violation.fact["due"] == "2026-10-31" and violation.fact["days_overdue"] == 23


def test_the_subject_title_is_the_tasks_title_the_targets_text_the_procedures_name():
    findings, _ = check([read_plan_folder(EXAMPLES / "quyet-thang-2026")], load_rules(), dt.date(2026, 11, 22))
    titles = {(f.fact_kind, f.subject): f.subject_title for f in findings}
    assert titles[("task", "task:II.2.e")].startswith("Tổ chức rà soát, kiến nghị cắt giảm thành phần hồ sơ")
    assert titles[("target", "target:CT14")] == "Đạt 100% cấp kết quả giải quyết TTHC điện tử."
    assert titles[("procedure", "procedure:1.000894")] == "Đăng ký kết hôn"


def test_the_run_report_counts_facts_verdicts_matches_and_findings(tmp_path):
    # Only task rules: the target fact of the tiny plan goes in and meets no condition.
    checker = Checker(rules(tmp_path, OVERDUE), AS_OF)
    assert checker.evaluation.keys == ["qua-han", "qua-han@0", "qua-han#thieu-du-lieu"]
    findings, report = check([read_plan_folder(TINY)], checker.rules, AS_OF)
    assert report.as_json() == {
        "as_of": "2026-11-23",
        "rules": 1,
        "conditions": 3,
        "facts_in": 3,
        "evaluated": 3,
        "findings": 2,
        "plans": [
            {
                "plan": read_plan_folder(TINY).plan.key,
                "path": str(TINY),
                "facts_in": 3,
                "evaluated": 3,
                "verdicts": 6,  # two tasks, three conditions each; none for the target
                "rerouted": 0,
                "matches": 2,  # the rule on task 1, its missing-data companion on task 2; the ladder step is no match
                "findings": 2,
                "nothing_to_check": False,
            }
        ],
        "rule_errors": {},
    }


def test_a_fact_rerouted_after_a_collision_is_counted_in_the_plan_report(monkeypatch):
    real = durable_adapter.Evaluation._post
    refused = []

    def colliding(self, ruleset, message):
        if not refused and message["sid"] == durable_adapter.SESSION:
            refused.append(message["fid"])
            return durable_adapter.OBSERVED  # durable-rules' "already observed"
        return real(self, ruleset, message)

    monkeypatch.setattr(durable_adapter.Evaluation, "_post", colliding)
    findings, report = check([read_plan_folder(TINY)], load_rules(), AS_OF)
    assert refused and report.plans[0].rerouted == 1
    assert [f.rule for f in findings] == ["nhiem-vu-qua-han", "chi-tieu-toi-thieu"]


HONG = """
- id: hong
  title: Hỏng
  fact: task
  scope: due is present
  condition: days_overdue > 0
  severity: cảnh báo
  message: "{{ days_overdue / 0 }}"
"""


def test_a_message_that_cannot_be_written_stops_its_rule_on_every_plan_and_is_named(tmp_path):
    book = rules(tmp_path, OVERDUE + HONG)
    findings, report = check([read_plan_folder(TINY)], book, AS_OF)
    assert report.rule_errors == {"hong": "rule 'hong': its message cannot be written for task:1: division by zero"}
    assert report.as_json()["rule_errors"] == report.rule_errors
    assert {f.rule for f in findings} == {"qua-han"}
    # the plan's count is of the findings kept, not of those of the stopped rule
    assert report.plans[0].findings == len(findings) == 2


def test_a_rule_that_cannot_be_compiled_is_named_and_the_others_run(tmp_path, monkeypatch):
    real = engine_run.rule_conditions

    def failing(rule, *args):
        if rule.id == "hong":
            raise ValueError("boom")
        return real(rule, *args)

    monkeypatch.setattr(engine_run, "rule_conditions", failing)
    findings, report = check([read_plan_folder(TINY)], rules(tmp_path, OVERDUE + HONG), AS_OF)
    assert report.rule_errors == {"hong": "cannot be compiled: boom"}
    assert report.conditions == 3 and {f.rule for f in findings} == {"qua-han"}


def test_a_rule_durable_rules_rejects_is_named_and_only_it_is_left_out(tmp_path, monkeypatch):
    from tests.faults import refused_by_durable_rules

    refused_by_durable_rules(monkeypatch, "hong", "days_overdue")
    checker = Checker(rules(tmp_path, OVERDUE + HONG), AS_OF)
    assert checker.errors == {"hong": "rule 'hong': the engine does not use durable-rules' operator $not"}
    assert checker.evaluation.keys == ["qua-han", "qua-han@0", "qua-han#thieu-du-lieu"]


def test_an_engine_error_that_names_no_rule_stops_the_run(monkeypatch, tmp_path):
    def broken(self, conditions):
        raise EngineError("the host is gone")

    monkeypatch.setattr(Evaluation, "__init__", broken)
    with pytest.raises(EngineError, match="^the host is gone$"):
        Checker(rules(tmp_path, OVERDUE), AS_OF)


def test_the_offices_days_off_count_in_every_working_day_a_rule_computes(tmp_path):
    # 04/11 and Friday 20/11 are the office's days off. As of Monday 23/11, one working day
    # back is Thursday 19/11 (Friday on the national calendar); from the due date (31/10) to
    # then, 13 working days (15 on the national calendar). Worked out at compile time (a
    # constant), for each fact (a value computed from a field), and by the reference.
    office = WorkCalendar((DayOff(dt.date(2026, 11, 4), "nghỉ"), DayOff(dt.date(2026, 11, 20), "nghỉ")))
    book = rules(
        tmp_path,
        """
        - id: hang-so
          title: Hằng số
          fact: task
          scope: due is present
          condition: as_of - 1 working days == 19/11/2026
          severity: nhắc nhở
          message: "{{ task }} {{ as_of }}"
        - id: tinh-tu-du-kien
          title: Tính từ dữ kiện
          fact: task
          scope: due is present
          condition: working_days(due, as_of - 1 working days) == 13
          severity: nhắc nhở
          message: "{{ task }} {{ as_of }}"
        """,
    )
    findings, report = check([read_plan_folder(TINY)], book, AS_OF, office)
    assert report.rule_errors == {}
    assert [(f.rule, f.message) for f in findings] == [("hang-so", "1 23/11/2026"), ("tinh-tu-du-kien", "1 23/11/2026")]
    national, _ = check([read_plan_folder(TINY)], book, AS_OF)
    assert national == []


@pytest.fixture
def tiny_checker(tmp_path):
    checker = Checker(rules(tmp_path, OVERDUE), AS_OF)
    facts = engine_run.rule_facts(read_plan_folder(TINY), AS_OF)
    return checker, [checker.encode(f) for f in facts]


def test_a_failing_reference_is_named_with_the_fact_and_the_plan(tiny_checker, monkeypatch):
    checker, encoded = tiny_checker

    def broken(fact):
        raise KeyError("boom")

    monkeypatch.setattr(checker.verdicts, "holding", broken)
    with pytest.raises(EngineError) as caught:
        checker.evaluate("plans/x", encoded, ["task:1 (Phòng Kinh tế)", "task:2", "target:CT01"])
    assert str(caught.value) == "the reference evaluator failed on task:1 (Phòng Kinh tế) of plans/x: 'boom'"
    with pytest.raises(EngineError) as caught:
        checker.evaluate("plans/x", encoded)
    assert str(caught.value) == "the reference evaluator failed on task fact 0 of plans/x: 'boom'"


def test_a_fact_whose_only_match_is_lost_or_whose_matches_differ_is_named_both_ways(tiny_checker, monkeypatch):
    checker, encoded = tiny_checker
    real = Evaluation.evaluate

    def lose_all(self, session, facts, names=None):
        result = real(self, session, facts, names)
        result.matches = []
        return result

    monkeypatch.setattr(Evaluation, "evaluate", lose_all)
    with pytest.raises(EngineError) as caught:
        checker.evaluate("plans/x", encoded)
    assert str(caught.value) == (
        "durable-rules and the reference evaluator disagree on task fact 0 of plan plans/x: "
        "'qua-han' holds for the reference, not for durable-rules; "
        "'qua-han#thieu-du-lieu' holds for the reference, not for durable-rules; "
        "'qua-han@0' holds for the reference, not for durable-rules"
    )

    def swap(self, session, facts, names=None):
        result = real(self, session, facts, names)
        result.matches = [(k, i) for k, i in result.matches if k != "qua-han@0"] + [("qua-han@0", 1)]
        return result

    monkeypatch.setattr(Evaluation, "evaluate", swap)
    with pytest.raises(EngineError) as caught:
        checker.evaluate("plans/x", encoded, ["task:1", "task:2", "target:CT01"])
    assert str(caught.value) == (
        "durable-rules and the reference evaluator disagree on task:1 of plan plans/x: "
        "'qua-han@0' holds for the reference, not for durable-rules"
    )


def test_a_value_durable_rules_refuses_is_named_by_the_plan_the_subject_and_its_unit(tmp_path, monkeypatch):
    """What an official needs to fix the input: which plan, which item, which unit (found unpinned
    by mutation testing: the label was only checked with the adapter's own fallback)."""
    from dondoc.facts.derive import RuleFact

    real = engine_run.rule_facts

    def with_nan(folder, as_of, calendar, past=None):
        facts = real(folder, as_of, calendar, past)
        bad = next(i for i, f in enumerate(facts) if f.kind == "task" and "days_overdue" in f.values)
        facts[bad] = RuleFact(facts[bad].kind, facts[bad].subject, {**facts[bad].values, "days_overdue": float("nan")})
        return facts

    monkeypatch.setattr(engine_run, "rule_facts", with_nan)
    checker = Checker(rules(tmp_path, OVERDUE), AS_OF)
    with pytest.raises(EngineError) as caught:
        checker.plan(read_plan_folder(TINY), 0)
    assert str(caught.value) == f"{TINY}, task:1 (Phòng Kinh tế): field 'days_overdue' is nan, not a finite number"


def test_a_disagreement_names_both_what_only_durable_rules_and_what_only_the_reference_holds():
    message = engine_run._disagreement("plans/x", "task:1 (Phòng A)", {"qua-han", "a"}, frozenset({"qua-han", "b", "c"}))
    assert message == (
        "durable-rules and the reference evaluator disagree on task:1 (Phòng A) of plan plans/x: "
        "'a' holds for durable-rules, not for the reference; "
        "'b' holds for the reference, not for durable-rules; 'c' holds for the reference, not for durable-rules"
    )


def test_books_compiled_alike_share_one_registration_and_find_the_same(tmp_path):
    """A province's communes keep copies of its days off: their books differ by days no condition
    reads, so one process registers their conditions with durable-rules once (the province's
    night registered 370 books). A book whose conditions differ gets its own."""
    shared = Registrations()
    office = WorkCalendar((DayOff(dt.date(2026, 11, 4), "nghỉ"),))
    book = rules(tmp_path, OVERDUE)
    first, second = Checker(book, AS_OF, registrations=shared), Checker(book, AS_OF, office, registrations=shared)
    assert first.evaluation is second.evaluation
    (tmp_path / "b").mkdir()
    other = Checker(rules(tmp_path / "b", OVERDUE.replace("days_overdue > 0", "days_overdue > 5")), AS_OF, registrations=shared)
    assert other.evaluation is not first.evaluation
    alone = Checker(book, AS_OF)
    plan = read_plan_folder(TINY)
    assert first.plan(plan, 0)[0] == alone.plan(plan, 0)[0] != []
    # The office's days count in its own facts (working days), its findings the same ones.
    assert [(f.rule, f.subject, f.severity) for f in second.plan(plan, 0)[0]] == [(f.rule, f.subject, f.severity) for f in alone.plan(plan, 0)[0]]


LATE_BY_WORKING_DAYS = """
- id: tre-ngay-lam-viec
  title: Trễ từ 16 ngày làm việc
  fact: task
  scope: due is present
  condition: working_days(due, as_of) >= 16
  severity: nhắc nhở
  message: "{{ task }} trễ"
"""
DUE_BEFORE_A_WORKING_DAY = """
- id: han-truoc-moc
  title: Hạn trước mốc 15 ngày làm việc
  fact: task
  scope: due is present
  condition: due < as_of - 15 working days
  severity: nhắc nhở
  message: "{{ task }} trễ"
"""
# Task 1 of the tiny plan is due Saturday 31/10/2026; as of Monday 23/11/2026 that is 16 working
# days ago, and the 15th working day back is Monday 02/11. An office off on Wednesday 04/11
# counts 15 working days since, and its 15th working day back is Friday 30/10, before the due date.
OFF_ON_4_NOVEMBER = WorkCalendar((DayOff(dt.date(2026, 11, 4), "nghỉ"),))


def test_a_constant_counted_in_working_days_is_known_to_the_compiler():
    from dondoc.engine.compile import Compiler
    from dondoc.engine.expression import parse

    def counted(text: str) -> bool:
        compiler = Compiler("task", AS_OF)
        compiler.condition(parse(text))
        return compiler.counted_days

    assert counted("due < as_of - 15 working days")
    assert counted("working_days(01/11/2026, as_of) > 3") and counted("is_working_day(as_of)")
    assert not counted("due - 15 working days < as_of")  # counted per fact, on the fact's due date
    assert not counted("working_days(due, as_of) >= 16") and not counted("is_working_day(due)")
    assert not counted("due < as_of - 15 days") and not counted("weekday(as_of) == \"thứ hai\"")


def test_books_differing_by_a_day_off_no_constant_counts_share_one_compile_and_count_their_own_days(tmp_path):
    """A rule that counts working days from a fact's fields is compiled once for every calendar:
    each book counts them on its own days when the fact goes in (a day off of the commune's own
    makes 16 working days 15, and the finding goes)."""
    shared = Registrations()
    book = rules(tmp_path, LATE_BY_WORKING_DAYS)
    plain = Checker(book, AS_OF, registrations=shared)
    office = Checker(book, AS_OF, OFF_ON_4_NOVEMBER, registrations=shared)
    assert shared.compiled_rules == 1
    assert office.evaluation is plain.evaluation
    plan = read_plan_folder(TINY)
    assert [f.subject for f in plain.plan(plan, 0)[0]] == ["task:1"]
    assert office.plan(plan, 0)[0] == []
    # The same findings as books compiled apart.
    assert plain.plan(plan, 0)[0] == Checker(book, AS_OF).plan(plan, 0)[0]
    assert Checker(book, AS_OF, OFF_ON_4_NOVEMBER).plan(plan, 0)[0] == []


def test_a_book_whose_rule_counts_a_constant_on_its_days_is_compiled_for_its_days(tmp_path):
    """``as_of - 15 working days`` is worked out when the rule is compiled, on the book's days off:
    a book with other days off gets its own compile (and its own condition), and the findings
    differ at the boundary day; a book with the same days shares it."""
    shared = Registrations()
    book = rules(tmp_path, DUE_BEFORE_A_WORKING_DAY)
    plain = Checker(book, AS_OF, registrations=shared)
    office = Checker(book, AS_OF, OFF_ON_4_NOVEMBER, registrations=shared)
    assert shared.compiled_rules == 2
    assert office.evaluation is not plain.evaluation
    plan = read_plan_folder(TINY)
    assert [f.subject for f in plain.plan(plan, 0)[0]] == ["task:1"]  # 31/10 < 02/11
    assert office.plan(plan, 0)[0] == []  # 31/10 is not before 30/10
    again = Checker(book, AS_OF, WorkCalendar((DayOff(dt.date(2026, 11, 4), "nghỉ", "Lễ hội"),)), registrations=shared)
    assert shared.compiled_rules == 2 and again.evaluation is office.evaluation  # the same days, another note
    assert again.plan(plan, 0)[0] == []


@pytest.mark.parametrize("title, said", [
    ("Mức độ hài lòng đạt từ 90% trở lên.", "Mức độ hài lòng đạt từ 90% trở lên"),  # its own period goes
    ("Tuyên truyền, phổ biến...", "Tuyên truyền, phổ biến..."),  # an ellipsis stays
    ("Cấp phiếu lý lịch tư pháp", "Cấp phiếu lý lịch tư pháp"),
])
def test_a_title_quoted_in_a_message_has_no_period_of_its_own(tmp_path, title, said):
    from dondoc.engine.run import _finding
    from dondoc.facts.derive import rule_facts

    folder = read_plan_folder(TINY)
    book = rules(tmp_path, """
    - id: tieu-de
      title: Tiêu đề
      fact: task
      condition: days_overdue > 0
      severity: nhắc nhở
      message: 'Nhiệm vụ "{{ title }}" quá hạn.'
    """)
    fact = next(f for f in rule_facts(folder, AS_OF) if f.kind == "task" and f.values.get("days_overdue", 0) > 0)
    fact.values["title"] = title
    assert _finding(book[0], "tieu-de", fact, folder, AS_OF, set()).message == f'Nhiệm vụ "{said}" quá hạn.'
