"""Dates relative to the plan (plan_year, date(), end_of_quarter(), end_of_month()), the error for a
day written without its year, groups of target categories as data (`category in chuyen-doi-so`,
a rule file's own `groups:`), and the kind of the period measured (issue 17, 3)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dondoc.cli import main
from dondoc.engine.functions import call
from dondoc.engine.reference import _call as reference_call
from dondoc.facts.calendar import DEFAULT
from dondoc.facts.kinds import CATEGORY_GROUPS, TARGET_CATEGORIES
from dondoc.facts.periods import period_kind

ROOT = Path(__file__).resolve().parent.parent
GIA_LOC = ROOT / "examples" / "gia-loc-2026"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def rules_file(tmp_path: Path, condition: str, fact: str = "target", head: str = "") -> Path:
    folder = tmp_path / "goi"
    folder.mkdir(exist_ok=True)
    (folder / "a.yaml").write_text(head + f"""rules:
  - id: thu
    title: Thử
    fact: {fact}
    condition: {condition}
    severity: info
    message: x
""", encoding="utf-8")
    return folder


@pytest.mark.parametrize("day, end", [
    (dt.date(2026, 3, 31), dt.date(2026, 3, 31)), (dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
    (dt.date(2026, 6, 30), dt.date(2026, 6, 30)), (dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
    (dt.date(2024, 2, 10), dt.date(2024, 3, 31)),
])
def test_the_end_of_a_quarter_both_readings(day, end):
    assert call("end_of_quarter", [day], DEFAULT) == reference_call("end_of_quarter", [day], DEFAULT) == end


@pytest.mark.parametrize("day, end", [(dt.date(2024, 2, 1), dt.date(2024, 2, 29)), (dt.date(2026, 12, 31), dt.date(2026, 12, 31))])
def test_the_end_of_a_month_both_readings(day, end):
    assert call("end_of_month", [day], DEFAULT) == reference_call("end_of_month", [day], DEFAULT) == end


def test_a_day_that_does_not_exist_has_no_value_in_both_readings():
    for read in (call, reference_call):
        with pytest.raises(ValueError):
            read("date", [2026, 6, 31], DEFAULT)


def test_a_day_without_its_year_is_named_with_the_fix(tmp_path):
    result = run("rules", "check", rules_file(tmp_path, "due > 30/06", fact="task"))
    assert result.exit_code == 2
    assert "a.yaml:5:22: '30/06' không phải một ngày (thiếu năm" in result.output
    assert "date(plan_year, 6, 30)" in result.output and "30/06/2026" in result.output


def test_a_written_day_that_does_not_exist_is_refused(tmp_path):
    result = run("rules", "check", rules_file(tmp_path, "due > date(2026, 2, 30)", fact="task"))
    assert result.exit_code == 2 and "date(2026, 2, 30) không phải một ngày" in result.output


def test_a_number_divided_is_still_a_number(tmp_path):
    assert run("rules", "check", rules_file(tmp_path, "actual > 90/2")).exit_code == 0


def _fired(tmp_path: Path, folder: Path) -> list[tuple[str, str]]:
    result = run("check", GIA_LOC, "--as-of", "2026-11-22", "--rules", folder, "--json")
    assert result.exit_code == 0, result.output
    return sorted((f["subject"], f["kind"]) for f in json.loads(result.output) if f["rule"] == "thu")


def test_a_group_of_categories(tmp_path):
    # Gia Lộc: CT02 tai-su-dung-du-lieu, CT05 thanh-toan-truc-tuyen (both chuyen-doi-so), CT04 hai-long-tthc.
    assert _fired(tmp_path, rules_file(tmp_path, "category in chuyen-doi-so and actual < 100")) == [
        ("target:CT02", "vi-pham"), ("target:CT05", "thieu-du-lieu")]
    assert ("target:CT04", "vi-pham") in _fired(tmp_path, rules_file(tmp_path, "category not in chuyen-doi-so and actual < 100"))


def test_a_rule_file_declares_its_own_group(tmp_path):
    head = "groups:\n  tinh-theo-doi: [hai-long-tthc, tai-su-dung-du-lieu]\n"
    assert _fired(tmp_path, rules_file(tmp_path, "category in tinh-theo-doi and actual < 100", head=head)) == [
        ("target:CT02", "vi-pham"), ("target:CT04", "vi-pham")]


@pytest.mark.parametrize("condition, head, words", [
    ("category in chuyen-doi-s", "", "không có nhóm 'chuyen-doi-s' -- có phải 'chuyen-doi-so'?"),
    ("category in x-y", "groups:\n  x-y: [hai-long-ttch]\n", "'hai-long-ttch' không phải một loại chỉ tiêu -- có phải 'hai-long-tthc'?"),
])
def test_a_group_that_is_not_one(tmp_path, condition, head, words):
    result = run("rules", "check", rules_file(tmp_path, condition, head=head))
    assert result.exit_code == 2 and words in result.output, result.output


def test_the_shipped_groups_hold_catalogue_categories():
    assert all(set(m) <= set(TARGET_CATEGORIES) for m in CATEGORY_GROUPS.values())


def test_the_plan_year_and_the_kind_of_the_period_measured(tmp_path):
    condition = 'plan_year == 2026 and measured_period_kind == "quý"'
    # CT04 measured for 2026-Q3; the others by month; CT05 not measured: its kind is unknown.
    assert _fired(tmp_path, rules_file(tmp_path, condition)) == [("target:CT04", "vi-pham"), ("target:CT05", "thieu-du-lieu")]
    assert [period_kind(p) for p in ("2026", "2026-Q3", "2026-10", "2026-10-05")] == ["năm", "quý", "tháng", "ngày"]
