"""Every run proves its result: durable-rules' verdict on each (condition, fact) pair is the
reference evaluator's, or the run stops with exit 2, naming the pair, and writes nothing."""

from __future__ import annotations

import datetime as dt
import json
import operator
from pathlib import Path

import pytest
from click.testing import CliRunner

from dondoc.cli import main
from dondoc.engine import compile as compile_module, durable_adapter, run as engine_run
from dondoc.engine.durable_adapter import Evaluation
from dondoc.errors import EngineError
from dondoc.engine.expression import Not
from dondoc.engine.rulebook import load_rules
from dondoc.engine.run import Checker
from dondoc.night import evaluate as check
from dondoc.facts.planfolder import read_plan_folder

TINY = Path(__file__).parent / "fixtures" / "tiny"
AS_OF = dt.date(2026, 11, 22)


def _check(*args):
    return CliRunner().invoke(main, ["check", str(TINY), "--as-of", "2026-11-22", *map(str, args)], catch_exceptions=False)


@pytest.fixture
def dropped_match(monkeypatch):
    """durable-rules 'loses' its first match of nhiem-vu-qua-han: the action never records it."""
    real = Evaluation._action

    def losing(self, key):
        record = real(self, key)
        lost = []

        def run(c):
            if key == "nhiem-vu-qua-han" and not lost:
                lost.append(c._m["m"]["fid"])
                return
            record(c)

        return run

    monkeypatch.setattr(Evaluation, "_action", losing)


def test_a_match_lost_inside_the_adapter_stops_the_run_with_exit_2_and_nothing_written(dropped_match, tmp_path):
    out = tmp_path / "out"
    result = _check("--out", out)
    assert result.exit_code == 2
    assert "durable-rules and the reference evaluator disagree on task:1 (Phòng Kinh tế)" in result.output
    assert "'nhiem-vu-qua-han' holds for the reference, not for durable-rules" in result.output
    assert not out.exists()


def test_without_the_proof_the_same_lost_match_would_pass_with_exit_0(dropped_match, monkeypatch, tmp_path):
    # The proof is what catches it: with the comparison taken out, the finding silently vanishes.
    def unproven(self, label, encoded, matches, subjects):
        by_fact: dict[int, set[str]] = {}
        for key, i in matches:
            by_fact.setdefault(i, set()).add(key)
        return sorted(by_fact.items())

    monkeypatch.setattr(Checker, "_prove", unproven)
    out = tmp_path / "out"
    result = _check("--out", out)
    assert result.exit_code == 0
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert [f["rule"] for f in findings] == ["chi-tieu-toi-thieu"]  # nhiem-vu-qua-han is lost


def test_a_match_the_reference_does_not_make_stops_the_run(monkeypatch, tmp_path):
    real = Evaluation.evaluate

    def extra(self, session, facts, names=None):
        result = real(self, session, facts, names)
        target = next(i for i, f in enumerate(facts) if f["kind"] == "target")
        result.matches.append(("chi-tieu-toi-da", target))
        return result

    monkeypatch.setattr(Evaluation, "evaluate", extra)
    result = _check("--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "disagree on target:CT01" in result.output
    assert "'chi-tieu-toi-da' holds for durable-rules, not for the reference" in result.output
    assert not (tmp_path / "out").exists()


def test_a_match_for_a_fact_that_was_not_asserted_stops_the_run(monkeypatch):
    real = Evaluation.evaluate

    def ghost(self, session, facts, names=None):
        result = real(self, session, facts, names)
        result.matches.append(("nhiem-vu-qua-han", len(facts)))
        return result

    monkeypatch.setattr(Evaluation, "evaluate", ghost)
    with pytest.raises(EngineError, match="matched facts that were not asserted"):
        check([read_plan_folder(TINY)], load_rules(), AS_OF)


def test_every_verdict_is_counted_in_the_run_report(tmp_path):
    result = _check("--out", tmp_path / "out")
    assert result.exit_code == 0
    plan = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))["plans"][0]
    checker = Checker(load_rules(), AS_OF)
    per_kind = checker.verdicts.per_kind
    # two tasks and one target, each against every condition of its kind
    assert plan["verdicts"] == 2 * per_kind["task"] + per_kind["target"] > 0
    assert plan["facts_in"] == plan["evaluated"] == 3 and plan["nothing_to_check"] is False


def test_a_plan_with_nothing_to_check_is_reported_and_the_others_still_run():
    tiny = read_plan_folder(TINY)
    empty = tiny.model_copy(
        update={"path": "empty", "tasks": [], "targets": [], "progress": [], "measurements": [], "procedures": []}
    )
    findings, report = check([empty, tiny, empty.model_copy(update={"path": "empty-2"})], load_rules(), AS_OF)
    assert [(p.path, p.facts_in, p.nothing_to_check) for p in report.plans] == [
        ("empty", 0, True),
        (str(TINY), 3, False),
        ("empty-2", 0, True),
    ]
    assert [f.rule for f in findings] == ["nhiem-vu-qua-han", "chi-tieu-toi-thieu"]


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_a_non_finite_number_never_reaches_durable_rules(monkeypatch, tmp_path, value):
    # A second line of defence behind the facts readers: the adapter refuses it, naming the fact.
    real = engine_run.rule_facts

    def poisoned(folder, as_of, calendar, past=None):
        facts = real(folder, as_of, calendar, past)
        return [
            type(f)(f.kind, f.subject, {**f.values, "actual": value}) if f.kind == "target" else f for f in facts
        ]

    monkeypatch.setattr(engine_run, "rule_facts", poisoned)
    out = tmp_path / "out"
    result = _check("--out", out)
    assert result.exit_code == 2
    assert f"{TINY}, target:CT01 (Văn phòng HĐND và UBND xã): field 'actual' is" in result.output
    assert "not a finite number" in result.output
    assert not out.exists()


def test_the_shipped_rules_fit_one_ruleset_per_kind():
    checker = Checker(load_rules(), AS_OF)
    kinds = [durable_adapter.kind_of(checker_condition) for checker_condition in _conditions(checker)]
    assert len(checker.evaluation.rulesets) == len(set(kinds))


def _conditions(checker: Checker) -> list[dict]:
    conditions = engine_run.compile_rules(checker.rules, AS_OF, {})
    return list(conditions.values())


# -- planted faults: the proof is independent of the compiler ------------------------------------
# Each fault below is planted (monkeypatched) in the compiler or the adapter, never in the code
# shipped; each must stop the nightly run with exit 2, naming what disagrees, and write nothing.
# The reference evaluator shares none of the compiler's code (docs/engine.md, "The reference
# evaluator"), so a fault on the compiler's side cannot sit on both sides of the comparison.

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
GIA_LOC = EXAMPLES / "gia-loc-2026"


def test_the_reference_and_the_compiler_share_no_code():
    """Neither imports the other, directly, through another module or lazily; the only engine
    module the reference reads is the parsed tree (docs/engine.md lists what it shares)."""
    import grimp

    graph = grimp.build_graph("dondoc")
    reads = graph.find_upstream_modules("dondoc.engine.reference")
    assert {m for m in reads if m.startswith("dondoc.engine.")} == {"dondoc.engine.expression"}
    assert "dondoc.engine.reference" not in graph.find_upstream_modules("dondoc.engine.compile")
    assert {"dondoc.engine.compile", "dondoc.engine.functions", "dondoc.engine.typecheck"} & reads == set()


def _rules(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "quy-tac"
    folder.mkdir(exist_ok=True)
    (folder / "r.yaml").write_text("rules:\n" + body, encoding="utf-8")
    return folder


def _night(plan: Path, tmp_path: Path, *args) -> tuple[int, str, Path]:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["check", str(plan), "--as-of", "2026-11-22", "--out", str(out), "--no-summary", "--format", "html", *map(str, args)],
        catch_exceptions=False,
    )
    return result.exit_code, result.output, out


def _swapped_month_and_day(value):
    """A classic slip: YYYYDDMM."""
    if isinstance(value, dt.date):
        return value.year * 10000 + value.day * 100 + value.month
    return compile_module.__dict__["_real_encode"](value)


def _a_year_early(value):
    """Dates one year early, facts and literals alike: every comparison durable-rules makes
    between a fact's date and a date in a rule still comes out the same."""
    if isinstance(value, dt.date):
        return (value.year - 1) * 10000 + value.month * 100 + value.day
    return compile_module.__dict__["_real_encode"](value)


@pytest.mark.parametrize(
    "fault, said",
    [
        (_swapped_month_and_day, "field 'due' holds 20263110, which is not a date written as the integer YYYYMMDD"),
        (_a_year_early, "'hoan-thanh-truoc-thang-12' holds for durable-rules, not for the reference"),
    ],
    ids=["month-and-day-swapped", "a-year-early"],
)
def test_a_fault_in_the_compilers_encoding_of_dates_stops_the_night(monkeypatch, tmp_path, fault, said):
    rules = _rules(
        tmp_path,
        "  - id: hoan-thanh-truoc-thang-12\n    title: Hạn trước tháng 12\n    fact: task\n"
        "    condition: due < 01/12/2026 and due >= 01/11/2025\n    severity: info\n    message: x\n",
    )
    code, output, out = _night(TINY, tmp_path, "--rules", rules)
    assert code == 0  # without the fault
    monkeypatch.setattr(compile_module, "_real_encode", compile_module.encode, raising=False)
    monkeypatch.setattr(compile_module, "encode", fault)
    monkeypatch.setattr(engine_run, "encode", fault)  # the one function, where run.py reaches it
    code, output, out = _night(TINY, tmp_path / "faulty", "--rules", rules)
    assert code == 2
    assert "task:1 (Phòng Kinh tế)" in output and said in output
    assert not out.exists()


OVERDUE_NOT = (
    "  - id: chua-xong-qua-han\n    title: Chưa xong mà quá hạn\n    fact: task\n"
    '    condition: not (status == "hoàn thành" or days_overdue <= 0)\n    severity: info\n    message: x\n'
)


def _de_morgan_forgotten(monkeypatch):
    """'not (a or b)' written as 'not a or not b'."""
    monkeypatch.setitem(compile_module._KEEPS_AND, compile_module.FALSE, True)


def _operator_flipped(monkeypatch):
    """'not (x <= 0)' written as 'x < 0'."""
    monkeypatch.setitem(compile_module._NEGATE, "<=", "<")


@pytest.mark.parametrize("plant", [_de_morgan_forgotten, _operator_flipped], ids=["de-morgan", "operator-flip"])
def test_a_fault_in_the_compilers_negation_stops_the_night(monkeypatch, tmp_path, plant):
    rules = _rules(tmp_path, OVERDUE_NOT)
    code, output, out = _night(TINY, tmp_path, "--rules", rules)
    assert code == 0
    assert any(f["rule"] == "chua-xong-qua-han" for f in json.loads((out / "findings.json").read_text(encoding="utf-8")))
    plant(monkeypatch)
    code, output, out = _night(TINY, tmp_path / "faulty", "--rules", rules)
    assert code == 2
    assert "disagree on task:" in output and "'chua-xong-qua-han'" in output
    assert not out.exists()


def test_a_fault_in_the_compilers_constant_folding_stops_the_night(monkeypatch, tmp_path):
    rules = _rules(
        tmp_path,
        "  - id: tu-ngay-22\n    title: Từ ngày 22/11\n    fact: task\n"
        '    condition: as_of >= 22/11/2026 and status != "hoàn thành" and days_overdue > 0\n'
        "    severity: info\n    message: x\n",
    )
    code, output, out = _night(TINY, tmp_path, "--rules", rules)
    assert code == 0
    assert any(f["rule"] == "tu-ngay-22" for f in json.loads((out / "findings.json").read_text(encoding="utf-8")))
    monkeypatch.setitem(compile_module._COMPARE, ">=", operator.gt)  # on the day itself, 'as_of >= day' folds to false
    code, output, out = _night(TINY, tmp_path / "faulty", "--rules", rules)
    assert code == 2
    assert "disagree on task:1 (Phòng Kinh tế)" in output
    assert "'tu-ngay-22' holds for the reference, not for durable-rules" in output
    assert not out.exists()


# -- a refinement whose scope reads an absent value (issue 17, item 1) ---------------------------

REFINER = (
    "  - id: chi-tieu-bang-lien-tiep\n    title: Chỉ tiêu đạt đúng mức chưa đạt nhiều kỳ liền\n    fact: target\n"
    "    refines: chi-tieu-bang\n    scope: missed_in_a_row >= 2\n    condition: actual != value\n"
    "    severity: nghiêm trọng\n"
    '    message: Chỉ tiêu "{{ text }}" chưa đạt {{ missed_in_a_row }} kỳ liền.\n'
)
CT05 = ("chi-tieu-bang", "thieu-du-lieu", "target:CT05")


def _targets(out: Path) -> list[tuple[str, str, str]]:
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return [(f["rule"], f["kind"], f["subject"]) for f in findings if f["fact_kind"] == "target"]


def test_a_refinement_whose_scope_reads_an_absent_value_leaves_the_missing_data_finding_to_the_refined_rule(tmp_path):
    """CT05 has no result (and so no 'missed_in_a_row'): the refinement's scope is unknown for
    it, unknown is not true, so CT05 stays with chi-tieu-bang, whose condition is unknown: its
    missing-data finding, and its letter line, are kept."""
    code, _, out = _night(GIA_LOC, tmp_path)
    assert code == 0 and CT05 in _targets(out)
    code, output, refined = _night(GIA_LOC, tmp_path / "refined", "--rules", _rules(tmp_path, REFINER))
    assert code == 0, output
    assert _targets(refined) == _targets(out)  # no target has missed two periods in a row: the refinement takes none
    ct05 = next(f for f in json.loads((refined / "findings.json").read_text(encoding="utf-8")) if f["subject"] == "target:CT05")
    assert "chưa có số liệu" in ct05["message"]
    letters = "".join(p.read_text(encoding="utf-8") for p in (refined / "notices").rglob("*.html"))
    assert "chưa có số liệu kết quả thực hiện" in letters and "hướng dẫn thực hiện trực tuyến, thanh toán trực tuyến" in letters


def test_the_refined_rule_given_plain_negation_of_the_scope_loses_the_finding_and_the_proof_stops_the_night(monkeypatch, tmp_path):
    """Item 1 as it was: the refined rule received 'not (scope)', false when the value is absent.
    The reference reads the rule, not the compiler's parts, so the loss is a disagreement."""
    monkeypatch.setattr(engine_run, "NotTrue", Not)
    code, output, out = _night(GIA_LOC, tmp_path, "--rules", _rules(tmp_path, REFINER))
    assert code == 2
    assert "disagree on target:CT05" in output
    assert "'chi-tieu-bang#thieu-du-lieu' holds for the reference, not for durable-rules" in output
    assert not out.exists()


def test_a_compiler_writing_not_true_as_false_loses_the_finding_and_the_proof_stops_the_night(monkeypatch, tmp_path):
    """A negation fault in the compiler: 'not true' written as 'false' (absence forgotten)."""
    real = compile_module.project

    def forgetful(node, want=compile_module.TRUE, *args, **kwargs):
        return real(node, compile_module.FALSE if want == compile_module.NOT_TRUE else want, *args, **kwargs)

    monkeypatch.setattr(compile_module, "project", forgetful)
    code, output, out = _night(GIA_LOC, tmp_path, "--rules", _rules(tmp_path, REFINER))
    assert code == 2
    assert "disagree on target:CT05" in output
    assert not out.exists()


# -- `rules check` proves the partition per rule pair -------------------------------------------


def _rules_check(folder: Path):
    return CliRunner().invoke(main, ["rules", "check", str(folder)], catch_exceptions=False)


def test_rules_check_proves_a_refinement_and_the_rule_it_refines_share_every_fact_out(tmp_path):
    from dondoc.engine.rulebook import load_book
    from dondoc.engine.verify import generated_facts, partition_problem, refinements

    folder = _rules(tmp_path, REFINER)
    result = _rules_check(folder)
    assert result.exit_code == 0, result.output
    (refined, refiner), = refinements(load_book([folder]).rules, AS_OF)
    facts = generated_facts(refined, refiner, AS_OF)
    # every field either rule reads, present on both sides of the threshold and absent
    assert {f.get("missed_in_a_row") for f in facts} == {None, 0, 1, 2, 3}
    assert {f.get("actual") for f in facts} >= {None, 1, 2} and {f["comparison"] for f in facts} >= {"==", ">="}
    assert partition_problem(refined, refiner, AS_OF) == ""


def test_rules_check_refuses_a_refinement_that_loses_a_missing_data_finding(monkeypatch, tmp_path):
    """The compiler's parts as item 1 had them: the nightly proof inside `rules check` stops it."""
    monkeypatch.setattr(engine_run, "NotTrue", Not)
    result = _rules_check(_rules(tmp_path, REFINER))
    assert result.exit_code == 2
    assert "r.yaml:2" in result.output and "quy tắc 'chi-tieu-bang-lien-tiep' tinh chỉnh 'chi-tieu-bang'" in result.output
    assert "missed_in_a_row không có" in result.output  # a generated fact the refinement's scope cannot decide
    assert "'chi-tieu-bang' holds for the reference, not for durable-rules" in result.output


def test_rules_check_refuses_the_loss_even_when_the_reference_shares_the_fault(monkeypatch, tmp_path):
    """The reference fed the compiler's own parts (the circle this work removed): the two agree,
    the finding is lost at night without a word; the partition, stated on its own, refuses it."""
    from dondoc.engine.expression import And
    from dondoc.engine.reference import Meaning

    monkeypatch.setattr(engine_run, "NotTrue", Not)
    real = engine_run.rule_meanings

    def circular(rule):
        if not rule.excluded:
            return real(rule)
        carved = And(((rule.scope,) if rule.scope is not None else ()) + tuple(Not(s) for _, s in rule.excluded))
        return {k: Meaning(m.kind, carved, (), m.condition, m.outcome, m.step) for k, m in real(rule).items()}

    monkeypatch.setattr(engine_run, "rule_meanings", circular)
    folder = _rules(tmp_path, REFINER)
    code, output, out = _night(GIA_LOC, tmp_path, "--rules", folder)
    assert code == 0 and CT05 not in _targets(out)  # lost, and the night cannot tell
    result = _rules_check(folder)
    assert result.exit_code == 2
    assert "quy tắc 'chi-tieu-bang-lien-tiep' tinh chỉnh 'chi-tieu-bang'" in result.output
    assert "missed_in_a_row không có" in result.output
    assert "mong đợi phát hiện của 'chi-tieu-bang' nhưng bộ máy luật cho không có phát hiện" in result.output


def test_rules_explain_shows_unknown_as_unknown_and_keeps_the_fact_with_the_refined_rule(tmp_path):
    result = CliRunner().invoke(
        main,
        ["rules", "explain", "chi-tieu-bang", str(GIA_LOC), "--as-of", "2026-11-22", "--rules", str(_rules(tmp_path, REFINER))],
        catch_exceptions=False,
    )
    assert result.exit_code == 0 and "!!" not in result.output  # durable-rules and the reference agree
    assert "trừ những dữ kiện quy tắc tinh chỉnh 'chi-tieu-bang-lien-tiep' quyết định" in result.output
    assert "(Trung tâm Phục vụ hành chính công xã): THIẾU DỮ LIỆU: actual" in result.output
    assert "    ? actual != value  [actual = không có (missing); value = 100]" in result.output  # unknown, not false
