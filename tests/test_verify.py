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


REFINED = (
    "  - id: qua-han-rieng\n    title: Quá hạn\n    fact: task\n"
    "    condition: as_of >= due + 2 working days and due >= 01/07/2026 and status != \"hoàn thành\"\n"
    "    severity: cảnh báo\n    message: x\n"
)
TASK_PAIR = (
    "  - id: qua-han-nhac-lai\n    title: Quá hạn, đã nhắc\n    fact: task\n    refines: qua-han-rieng\n"
    "    scope: reply_lapsed == true and task in [\"13\", \"14\"] and section != \"II\"\n"
    "    condition: as_of >= due + 2 working days and status != \"hoàn thành\"\n"
    "    severity: nghiêm trọng\n    message: x\n"
)
DAY = dt.date(2026, 11, 23)
N = 7 * 3 * 6 * 4 * 3  # due, reply_lapsed, status, task, section: each value tried


def _pair(tmp_path: Path):
    """The refined rule in a folder, its refinement in the folder over it."""
    from dondoc.engine.verify import refinements

    folders = []
    for name, body in (("goc", REFINED), ("tinh-chinh", TASK_PAIR)):
        folders.append(tmp_path / name)
        folders[-1].mkdir()
        (folders[-1] / "r.yaml").write_text("rules:\n" + body, encoding="utf-8")
    (pair,) = refinements(load_book(folders).rules, DAY)
    return pair


def test_each_field_a_pair_reads_is_tried_on_the_values_the_rules_name_and_their_neighbours(tmp_path):
    from dondoc.engine.verify import generated_facts, partition_problem

    refined, refiner = _pair(tmp_path)
    facts = generated_facts(refined, refiner, DAY)
    day = dt.timedelta(days=1)
    assert {f.get("due") for f in facts} == {None, DAY - day, DAY, DAY + day, dt.date(2026, 6, 30), dt.date(2026, 7, 1), dt.date(2026, 7, 2)}
    assert {f.get("reply_lapsed") for f in facts} == {None, False, True}
    assert [s for s in dict.fromkeys(f["status"] for f in facts)] == ["hoàn thành", "đang thực hiện", "chưa thực hiện", "chưa báo cáo", "", "khác"]
    assert [s for s in dict.fromkeys(f["task"] for f in facts)] == ["13", "14", "", "khác"]  # 'in' names them
    assert [s for s in dict.fromkeys(f["section"] for f in facts)] == ["II", "", "khác"]
    assert len(facts) == N == len({tuple(sorted(f.items(), key=str)) for f in facts})  # every combination, once
    # the fields no rule reads: a plain value where a fact always has one (the first it may take), absent where it may not
    assert {(f["plan"], f["plan_year"], f["reports"], f["title"], f["deadline_kind"]) for f in facts} == {("x", 0, 0, "x", "due")}
    assert not any("start" in f or "open_days" in f for f in facts)
    assert partition_problem(refined, refiner, DAY) == ""  # as_of, working days, 'in' and absence on both sides


def test_a_pair_of_exactly_the_bound_is_tried_whole(monkeypatch, tmp_path):
    from dondoc.engine import verify as verify_module

    refined, refiner = _pair(tmp_path)
    monkeypatch.setattr(verify_module, "FACTS_PER_PAIR", N)
    facts = verify_module.generated_facts(refined, refiner, DAY)
    assert len({tuple(sorted(f.items(), key=str)) for f in facts}) == N  # not a draw (which repeats)
    monkeypatch.setattr(verify_module, "FACTS_PER_PAIR", N - 1)
    drawn = verify_module.generated_facts(refined, refiner, DAY)
    assert len(drawn) == N - 1 and len({tuple(sorted(f.items(), key=str)) for f in drawn}) < len(drawn)
    present, *absent = drawn[:3]
    assert absent == [{k: v for k, v in present.items() if k != name} for name in ("due", "reply_lapsed")]


def test_a_pair_a_rule_of_which_would_not_run_says_which_and_why(monkeypatch, tmp_path):
    from dondoc.engine.verify import partition_problem

    refined, refiner = _pair(tmp_path)
    real = engine_run.rule_conditions

    def rejected(rule, *args):
        conditions = real(rule, *args)
        if rule.id in ("qua-han-rieng", "qua-han-nhac-lai"):
            conditions[rule.id] = {"$not": {"$lt": {"reports": 1}}}
        return conditions

    monkeypatch.setattr(engine_run, "rule_conditions", rejected)
    first, second = partition_problem(refined, refiner, DAY).split("; ")
    assert first.startswith("'qua-han-nhac-lai': ") and second.startswith("'qua-han-rieng': ")


def test_a_pair_the_nightly_proof_stops_is_named_in_the_proofs_words(monkeypatch, tmp_path):
    from dondoc.engine.verify import partition_problem, refinements

    folder = tmp_path / "quy-tac"
    folder.mkdir()
    (folder / "r.yaml").write_text("rules:\n" + REFINER, encoding="utf-8")
    (refined, refiner), = refinements(load_book([folder]).rules, TODAY)
    monkeypatch.setattr(engine_run, "NotTrue", Not)  # the compiler loses the missing-data finding: the proof says so
    problem = partition_problem(refined, refiner, TODAY)
    assert "chi-tieu-bang/chi-tieu-bang-lien-tiep" in problem and "holds for the reference, not for durable-rules" in problem


def test_a_lost_finding_is_said_with_the_fact_and_both_outcomes(monkeypatch, tmp_path):
    from dondoc.engine import verify as verify_module

    refined, refiner = _pair(tmp_path)
    monkeypatch.setattr(verify_module, "_outcome", lambda *a: {"qua-han-rieng", "qua-han-nhac-lai#thieu-du-lieu"})
    problem = verify_module.partition_problem(refined, refiner, DAY)
    assert problem == (
        "với dữ kiện thử (due = 30/06/2026, status = hoàn thành, reply_lapsed = không, task = 13, section = II), mong đợi"
        " phát hiện thiếu dữ liệu của 'qua-han-nhac-lai' và phát hiện của 'qua-han-rieng' nhưng bộ máy luật cho không có phát hiện"
    )


def test_numbers_are_tried_around_each_threshold_and_at_0_and_1_and_unread_fields_take_a_plain_value(tmp_path):
    from dondoc.engine.verify import generated_facts, refinements
    from dondoc.facts.kinds import KINDS

    def pair(refined: str, scope: str):
        folders = []
        for name, body in (
            ("goc", f"  - id: rieng\n    title: x\n    fact: target\n    condition: {refined}\n    severity: cảnh báo\n    message: x\n"),
            ("tren", f"  - id: rieng-lien-tiep\n    title: x\n    fact: target\n    refines: rieng\n    scope: {scope}\n"
                     f"    condition: {refined}\n    severity: nghiêm trọng\n    message: x\n"),
        ):
            folders.append(tmp_path / name / str(len(list(tmp_path.glob("*/*")))))
            folders[-1].mkdir(parents=True)
            (folders[-1] / "r.yaml").write_text("rules:\n" + body, encoding="utf-8")
        (found,) = refinements(load_book(folders).rules, TODAY)
        return generated_facts(*found, TODAY)

    facts = pair("actual < 10", "missed_in_a_row >= 10")
    assert {f.get("missed_in_a_row") for f in facts} == {None, 0, 1, 9, 10, 11}
    assert {f.get("actual") for f in facts} == {None, 0, 1, 9, 10, 11}  # a threshold is tried on every number read
    comparisons = KINDS["target"]["comparison"].values
    plain = {(f["period_end"], f["plan_year"], f["is_reduction"], f["comparison"], f["text"]) for f in facts}
    assert plain == {(TODAY, 0, False, comparisons[0], "x")}  # read by neither rule: a plain value of each type
    assert {f.get("actual") for f in pair("actual != value", "missed_in_a_row is present")} == {None, 0, 1}  # no threshold


# -- the office's days off, several pairs, a pair with a stopped rule --------------------------------

CALENDAR_PAIR = (
    "  - id: han-lam-viec-nhac-lai\n    title: x\n    fact: task\n    refines: han-lam-viec\n"
    "    scope: as_of + 1 working days > due and section != \"II\" and section != \"III\"\n"
    "    condition: due <= as_of + 2 working days and status != \"hoàn thành\"\n    severity: nghiêm trọng\n    message: x\n"
)
CALENDAR_REFINED = (
    "  - id: han-lam-viec\n    title: x\n    fact: task\n    scope: due <= as_of + 2 working days\n"
    "    condition: due != 26/11/2026 and due <= as_of + 2 working days and task != \"12\" and task in [\"13\", \"14\"]\n"
    "    severity: cảnh báo\n    message: x\n"
)


def _calendar_book(tmp_path: Path, *, lost: bool = False):
    folders = []
    for name, body in (("goc", CALENDAR_REFINED + REFINED), ("tinh-chinh", CALENDAR_PAIR + TASK_PAIR)):
        folders.append(tmp_path / name)
        folders[-1].mkdir()
        (folders[-1] / "r.yaml").write_text("rules:\n" + body, encoding="utf-8")
    return load_book(folders)


def _office_calendar():
    from dondoc.facts.calendar import OFF, DayOff, WorkCalendar

    return WorkCalendar((DayOff(dt.date(2026, 11, 25), OFF, "nghỉ bù"),))  # the Wednesday after DAY (24/11 is a holiday already)


def test_a_pair_counting_working_days_is_proved_on_the_offices_days_off(tmp_path):
    from dondoc.engine.verify import generated_facts, partition_problem, refinements

    book = _calendar_book(tmp_path)
    pairs = {refiner.id: (refined, refiner) for refined, refiner in refinements(book.rules, DAY)}
    refined, refiner = pairs["han-lam-viec-nhac-lai"]
    facts = generated_facts(refined, refiner, DAY)
    assert {f.get("due") for f in facts} >= {dt.date(2026, 11, 25), dt.date(2026, 11, 26), dt.date(2026, 11, 27)}
    assert [s for s in dict.fromkeys(f["section"] for f in facts)] == ["II", "III", "", "khác"]  # both texts compared
    assert [s for s in dict.fromkeys(f["task"] for f in facts)] == ["12", "13", "14", "", "khác"]  # a '!=' then an 'in'
    assert partition_problem(refined, refiner, DAY, _office_calendar()) == ""
    assert verify(book, DAY, _office_calendar()) == ([], [DAY])


def test_rules_check_proves_each_pair_on_the_calendar_it_was_given(monkeypatch, tmp_path):
    from dondoc.engine import verify as verify_module

    given = []
    monkeypatch.setattr(verify_module, "partition_problem", lambda refined, refiner, day, calendar=None: given.append(calendar) or "")
    office = _office_calendar()
    verify(_calendar_book(tmp_path), DAY, office)
    assert given == [office, office]  # both pairs, on the office's days off


def test_each_pair_with_a_problem_is_said_once_and_a_pair_with_a_stopped_rule_not_at_all(monkeypatch, tmp_path):
    from dondoc.engine import verify as verify_module

    book = _calendar_book(tmp_path)
    extra = tmp_path / "sau"
    extra.mkdir()
    (extra / "r.yaml").write_text("rules:\n  - id: tu-nam-sau\n    title: x\n    fact: task\n    condition: reports > 3\n"
                                  "    severity: nhắc nhở\n    message: x\n    valid_from: 2027-01-01\n", encoding="utf-8")
    monkeypatch.setattr(verify_module, "_outcome", lambda *args: set())  # every fact 'should' give nothing
    errors, days = verify(book, DAY)
    assert [e.message.split(":")[0] for e in errors] == [
        "quy tắc 'han-lam-viec-nhac-lai' tinh chỉnh 'han-lam-viec' (ngày 23/11/2026)",
        "quy tắc 'qua-han-nhac-lai' tinh chỉnh 'qua-han-rieng' (ngày 23/11/2026)",
    ]
    assert errors[0].hint == (
        "mỗi dữ kiện phải thuộc đúng một quy tắc: quy tắc tinh chỉnh nhận dữ kiện mà phạm vi của nó đúng,"
        " dữ kiện thiếu số liệu vẫn thuộc quy tắc gốc (docs/rules.md, mục 5); đây là lỗi của bộ máy luật,"
        " xin báo cho người quản trị dondoc"
    )
    assert errors[1].message.endswith("mong đợi không có phát hiện nhưng bộ máy luật cho phát hiện của 'qua-han-nhac-lai'")
    # a pair with a problem on two days (another rule comes into force in 2027) is said once
    errors, days = verify(load_book([tmp_path / "goc", tmp_path / "tinh-chinh", extra]), DAY)
    assert days == [DAY, dt.date(2027, 1, 1)] and len(errors) == 2
    # a pair whose rule would not run is left to that rule's error; the pairs after it are still proved
    real = engine_run.rule_conditions

    def rejected(rule, *args):
        conditions = real(rule, *args)
        if rule.id == "han-lam-viec":
            conditions[rule.id] = {"$not": {"$lt": {"reports": 1}}}
        return conditions

    monkeypatch.setattr(engine_run, "rule_conditions", rejected)
    errors, _ = verify(book, DAY)
    assert [e.message.split(":")[0] for e in errors] == [
        "quy tắc 'han-lam-viec' không chạy được (ngày 23/11/2026)",
        "quy tắc 'qua-han-nhac-lai' tinh chỉnh 'qua-han-rieng' (ngày 23/11/2026)",
    ]
