"""Rule files: the shipped ones load; a bad one names its file, line and column."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from dondoc.engine.rulebook import DEFAULT_RULES_DIR, load_rules, render_message
from dondoc.facts.errors import InputError, InputErrors

SHIPPED = {
    "nhiem-vu-qua-han",
    "nhiem-vu-sap-den-han",
    "bao-cao-dinh-ky-qua-han",
    "nhiem-vu-chua-co-thoi-han",
    "nhiem-vu-thuong-xuyen-chua-bao-cao",
    "nhiem-vu-cham-tien-do",
    "chi-tieu-toi-thieu",
    "chi-tieu-toi-da",
    "chi-tieu-bang",
    "giam-thoi-gian",
    "giam-chi-phi",
    "giam-thanh-phan-ho-so",
}


def test_the_shipped_rules_load():
    rules = load_rules(DEFAULT_RULES_DIR)
    assert {r.id for r in rules} == SHIPPED
    overdue = next(r for r in rules if r.id == "nhiem-vu-qua-han")
    assert overdue.reads == ("due", "status", "days_overdue")
    assert overdue.checked_missing == ("days_overdue",)


def _write(tmp_path: Path, body: str, name: str = "r.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return tmp_path


GOOD = """
rules:
  - id: thu
    title: Thử
    fact: task
    condition: {condition}
    severity: cảnh báo
    message: "{message}"
"""


def _errors(tmp_path, condition="days_overdue > 0", message="{{ title }}") -> list[InputError]:
    _write(tmp_path, GOOD.format(condition=condition, message=message))
    with pytest.raises((InputErrors, InputError)) as caught:
        load_rules(tmp_path)
    exc = caught.value
    return exc.errors if isinstance(exc, InputErrors) else [exc]


@pytest.mark.parametrize(
    "condition, column, words",
    [
        ("days_overdu > 0", 16, "no field 'days_overdu'"),
        ("days_overdue > ", 30, "unexpected the end"),
        ("status = 'x'", 23, "unexpected character '='"),
        ("due > 5", 20, "cannot compare date with number"),
        ('status < "a"', 23, "text can only be compared with == or !="),
        ("status is missing", 16, "never missing"),
        ("days_overdue", 16, "not a test"),
    ],
)
def test_a_bad_condition_names_line_column_and_the_problem(tmp_path, condition, column, words):
    (error,) = _errors(tmp_path, condition=condition)
    assert error.path.endswith("r.yaml")
    assert error.line == 5
    assert error.column == column
    assert words in error.message


def test_an_unknown_field_suggests_the_right_one(tmp_path):
    (error,) = _errors(tmp_path, condition="days_overdu > 0")
    assert "did you mean 'days_overdue'" in error.hint


def test_a_message_naming_an_unknown_field_is_an_error(tmp_path):
    (error,) = _errors(tmp_path, message="{{ tieu_de }}")
    assert "'tieu_de'" in error.message and error.line == 7


def test_an_unknown_key_in_a_rule_is_an_error(tmp_path):
    _write(tmp_path, GOOD.format(condition="days_overdue > 0", message="x") + "    severty: cao\n")
    with pytest.raises(InputErrors) as caught:
        load_rules(tmp_path)
    (error,) = caught.value.errors
    assert error.message == "trường lạ 'severty'" and error.line == 8


def test_a_yaml_syntax_error_names_the_line(tmp_path):
    _write(tmp_path, "rules:\n  - id: a\n    title: [unclosed\n")
    with pytest.raises(InputErrors) as caught:
        load_rules(tmp_path)
    (error,) = caught.value.errors
    assert "lỗi cú pháp YAML" in error.message and error.line == 4


def test_duplicate_ids_across_files_are_an_error(tmp_path):
    _write(tmp_path, GOOD.format(condition="days_overdue > 0", message="x"), "a.yaml")
    _write(tmp_path, GOOD.format(condition="days_overdue > 1", message="x"), "b.yaml")
    with pytest.raises(InputErrors) as caught:
        load_rules(tmp_path)
    (error,) = caught.value.errors
    assert "already used at" in error.message and error.path.endswith("b.yaml")


def test_an_empty_rules_folder_is_an_error(tmp_path):
    with pytest.raises(InputError, match="no rules found"):
        load_rules(tmp_path)


def test_messages_write_numbers_and_dates_as_officials_do():
    import datetime as dt

    text = render_message("{{ a }} {{ b }} {{ c }} {{ d }}", {"a": 91.2, "b": 95, "c": dt.date(2026, 9, 9), "d": 3.80000001})
    assert text == "91,2 95 09/09/2026 3,8"


LADDER = """
rules:
  - id: thu
    title: Thử
    fact: task
    condition: days_overdue > 0
    severity: {base}
    escalate:
      - when: days_overdue >= 15
        severity: {step}
    message: x
"""


def test_a_ladder_that_does_not_climb_is_an_error(tmp_path):
    _write(tmp_path, LADDER.format(base="cảnh báo", step="nhắc nhở"))
    with pytest.raises(InputErrors) as caught:
        load_rules(tmp_path)
    (error,) = caught.value.errors
    assert "must climb" in error.message and error.line == 9


def test_a_ladder_step_is_type_checked(tmp_path):
    _write(tmp_path, LADDER.format(base="nhắc nhở", step="cảnh báo").replace("days_overdue >= 15", 'due >= 15'))
    with pytest.raises(InputErrors) as caught:
        load_rules(tmp_path)
    (error,) = caught.value.errors
    assert "cannot compare date with number" in error.message and error.line == 8


VERSIONED = """
rules:
  - id: thu
    title: Thử cũ
    fact: task
    scope: due is present
    condition: days_overdue > 0
    severity: nhắc nhở
    message: x
    valid_to: 2026-06-30
  - id: thu
    title: Thử mới
    fact: task
    scope: due is present
    condition: days_overdue > 5
    severity: cảnh báo
    message: x
    valid_from: {start}
"""


def test_two_versions_of_a_rule_take_turns_by_date(tmp_path):
    import datetime as dt

    from dondoc.engine.rulebook import in_force

    _write(tmp_path, VERSIONED.format(start="2026-07-01"))
    rules = load_rules(tmp_path)
    assert [r.title for r in in_force(rules, dt.date(2026, 6, 30))] == ["Thử cũ"]
    assert [r.title for r in in_force(rules, dt.date(2026, 7, 1))] == ["Thử mới"]


def test_two_versions_in_force_on_the_same_day_are_an_error(tmp_path):
    _write(tmp_path, VERSIONED.format(start="2026-06-30"))
    with pytest.raises(InputErrors) as caught:
        load_rules(tmp_path)
    assert "already used" in caught.value.errors[0].message


def test_valid_from_after_valid_to_is_an_error(tmp_path):
    _write(tmp_path, GOOD.format(condition="days_overdue > 0", message="x") + "    valid_from: 2026-07-01\n    valid_to: 2026-06-01\n")
    with pytest.raises(InputErrors) as caught:
        load_rules(tmp_path)
    assert "valid_from is after valid_to" in caught.value.errors[0].message


def test_a_check_uses_the_rules_in_force_on_its_date(tmp_path):
    import datetime as dt

    from dondoc.engine.run import check
    from dondoc.facts.planfolder import read_plan_folder

    _write(tmp_path, VERSIONED.format(start="2026-07-01"))
    tiny = read_plan_folder(Path(__file__).parent / "fixtures" / "tiny")
    early, report = check([tiny], load_rules(tmp_path), dt.date(2026, 6, 30))
    assert early == [] and report.rules == 1
    late, _ = check([tiny], load_rules(tmp_path), dt.date(2026, 11, 22))
    assert [(f.title, f.severity) for f in late] == [("Thử mới", "cảnh báo")]
