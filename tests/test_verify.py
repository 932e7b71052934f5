"""`dondoc rules check` (engine/verify.py) over every stretch of time a book has: each set of
rules in force is tried, the days tried are said, and an error names the day it appears on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dondoc.engine import run as engine_run
from dondoc.engine.expression import Not
from dondoc.engine.rulebook import load_book
from dondoc.engine.verify import verify

TODAY = dt.date(2026, 11, 22)
REFINER = (
    "  - id: chi-tieu-bang-lien-tiep\n    title: Chỉ tiêu đạt đúng mức chưa đạt nhiều kỳ liền\n    fact: target\n"
    "    refines: chi-tieu-bang\n    scope: missed_in_a_row >= 2\n    condition: actual != value\n"
    "    severity: nghiêm trọng\n"
    '    message: Chỉ tiêu "{{ text }}" chưa đạt {{ missed_in_a_row }} kỳ liền.\n'
)


def _book(tmp_path: Path, validity: str = ""):
    folder = tmp_path / "quy-tac"
    folder.mkdir(exist_ok=True)
    (folder / "r.yaml").write_text("rules:\n" + REFINER + validity, encoding="utf-8")
    return load_book([folder])


def test_a_refinement_in_force_only_from_a_later_date_is_proved_on_that_date(monkeypatch, tmp_path):
    book = _book(tmp_path, "    valid_from: 2027-01-01\n")
    errors, days = verify(book, TODAY)
    assert errors == [] and TODAY in days and dt.date(2027, 1, 1) in days
    monkeypatch.setattr(engine_run, "NotTrue", Not)  # the refined rule loses its missing-data finding
    errors, _ = verify(book, TODAY)
    (error,) = errors
    assert "quy tắc 'chi-tieu-bang-lien-tiep' tinh chỉnh 'chi-tieu-bang' (ngày 01/01/2027)" in error.render()


def _refused_from(monkeypatch, rule_id: str, valid_from: dt.date | None):
    """durable-rules refuses the version of ``rule_id`` in force from ``valid_from`` (it refuses '$not')."""
    real = engine_run.rule_conditions

    def rejected(rule, *args):
        conditions = real(rule, *args)
        if rule.id == rule_id and rule.valid_from == valid_from:
            conditions[rule.id] = {"$not": {"$lt": {"actual": 1}}}
        return conditions

    monkeypatch.setattr(engine_run, "rule_conditions", rejected)


def _versions(tmp_path: Path) -> Path:
    """chi-tieu-toi-da in two versions: the first until 31/12/2026, the second from 01/01/2027."""
    folder = tmp_path / "quy-tac"
    folder.mkdir(exist_ok=True)
    version = (
        "  - id: chi-tieu-rieng\n    title: Chỉ tiêu riêng\n    fact: target\n    condition: actual < {value}\n"
        "    severity: cảnh báo\n    message: x\n    {validity}\n"
    )
    (folder / "r.yaml").write_text(
        "rules:\n" + version.format(value=10, validity="valid_to: 2026-12-31")
        + version.format(value=20, validity="valid_from: 2027-01-01"),
        encoding="utf-8",
    )
    return folder


def test_a_version_of_a_rule_that_would_not_run_is_named_with_the_day_it_comes_into_force(monkeypatch, tmp_path):
    book = load_book([_versions(tmp_path)])
    errors, days = verify(book, TODAY)
    assert errors == [] and days == [TODAY, dt.date(2027, 1, 1)]
    _refused_from(monkeypatch, "chi-tieu-rieng", dt.date(2027, 1, 1))
    (error,) = verify(book, TODAY)[0]
    assert error.message.startswith("quy tắc 'chi-tieu-rieng' không chạy được (ngày 01/01/2027): ")
    assert error.line == 9 and error.path.endswith("r.yaml")  # the second version, not the first
    assert error.hint == "bộ máy luật durable-rules không nhận điều kiện này; xem docs/engine.md"


def test_a_rule_that_would_not_run_is_named_once_on_the_first_day_it_fails(monkeypatch, tmp_path):
    book = load_book([_versions(tmp_path)])
    _refused_from(monkeypatch, "chi-tieu-rieng", None)  # the first version: in force today only
    (error,) = verify(book, dt.date(2026, 6, 1))[0]
    assert "(ngày 01/06/2026)" in error.message and error.line == 2
    monkeypatch.undo()
    _refused_from(monkeypatch, "chi-tieu-toi-thieu", None)  # a shipped rule in force on every day tried
    (error,) = [e for e in verify(book, dt.date(2026, 6, 1))[0]]
    assert "quy tắc 'chi-tieu-toi-thieu' không chạy được (ngày 01/06/2026)" in error.message


def test_a_book_durable_rules_refuses_whole_on_some_day_is_one_error_naming_the_day(monkeypatch, tmp_path):
    from dondoc.engine import verify as verify_module
    from dondoc.errors import EngineError

    real = verify_module.Checker

    def checker(rules, day, *args):
        if day == dt.date(2027, 1, 1):
            raise EngineError("ruleset refused")
        return real(rules, day, *args)

    monkeypatch.setattr(verify_module, "Checker", checker)
    errors, days = verify(load_book([_versions(tmp_path)]), TODAY)
    assert [e.message for e in errors] == ["bộ quy tắc không đăng ký được với durable-rules ngày 01/01/2027: ruleset refused"]
    assert days == [TODAY, dt.date(2027, 1, 1)]


def test_a_pair_with_more_combinations_than_the_bound_is_tried_on_a_seeded_draw_all_present_and_each_absent_first(tmp_path):
    from dondoc.engine.verify import FACTS_PER_PAIR, generated_facts, partition_problem, refinements

    many = REFINER.replace(
        "scope: missed_in_a_row >= 2",
        "scope: missed_in_a_row >= 2 and previous_actual > 3 and previous_actual < 40 and numerator > 7 and denominator > 9 and open_days > 30"
        " and actual > 11 and actual < 90 and value > 13 and value < 50",
    )
    folder = tmp_path / "quy-tac"
    folder.mkdir()
    (folder / "r.yaml").write_text("rules:\n" + many, encoding="utf-8")
    (refined, refiner), = refinements(load_book([folder]).rules, TODAY)
    facts = generated_facts(refined, refiner, TODAY)
    assert len(facts) == FACTS_PER_PAIR and facts == generated_facts(refined, refiner, TODAY)  # seeded: the same draw
    read = list(dict.fromkeys([*refined.reads, *refiner.reads]))
    optional = [n for n in read if n not in facts[0] or any(n not in f for f in facts)]
    assert all(n in facts[0] for n in read)  # all present first
    for i, name in enumerate(optional, start=1):  # then each optional field absent alone
        assert name not in facts[i] and all(n in facts[i] for n in read if n != name)
    assert partition_problem(refined, refiner, TODAY) == ""
