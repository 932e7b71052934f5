"""Which rules check which facts (engine/explain.py ``checked_by``): what the Chairman's summary
rests on when it says "Đạt" of a target with no finding (templates/summary.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from dondoc.engine.explain import checked_by
from dondoc.engine.rulebook import load_book, load_rules
from dondoc.facts.planfolder import read_plan_folder

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
AS_OF = dt.date(2026, 11, 22)
WARNING = "chi-tieu-nguy-co-khong-dat"  # the early warning: checks a met target's trend, beside its threshold


def threshold_rules():
    return [r for r in load_rules() if r.id != WARNING]


def _pack(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "xa"
    folder.mkdir()
    (folder / "rieng.yaml").write_text("rules:\n" + body, encoding="utf-8")
    return folder


def test_each_target_is_checked_by_the_rules_whose_scope_takes_it_in():
    folder = read_plan_folder(EXAMPLES / "gia-loc-2026")
    checked = checked_by(threshold_rules(), folder, AS_OF)
    by_comparison = {f"target:{t.id}": t.comparison for t in folder.targets}
    assert set(checked) == set(by_comparison)
    for subject, comparison in by_comparison.items():
        expected = {">=": "chi-tieu-toi-thieu", ">": "chi-tieu-toi-thieu", "<=": "chi-tieu-toi-da", "==": "chi-tieu-bang"}
        assert checked[subject] == (expected[comparison],), subject
    # The early warning checks too, where its scope takes the target in: CT02 (84,5% against
    # 80%) is met and its period runs on; CT04 (88,3% against 90%) missed its last measurement.
    every = checked_by(load_rules(), folder, AS_OF)
    assert every["target:CT02"] == ("chi-tieu-toi-thieu", WARNING) and every["target:CT04"] == ("chi-tieu-toi-thieu",)


def test_a_rule_out_of_force_or_out_of_scope_checks_nothing():
    folder = read_plan_folder(EXAMPLES / "gia-loc-2026")
    rules = threshold_rules()
    ended = [dataclasses.replace(r, valid_to=dt.date(2026, 11, 21)) if r.id == "chi-tieu-toi-thieu" else r for r in rules]
    checked = checked_by(ended, folder, AS_OF)
    assert checked["target:CT04"] == ()  # 88,3% against 90%: nothing looked at it on 22/11
    assert checked_by(ended, folder, dt.date(2026, 11, 21))["target:CT04"] == ("chi-tieu-toi-thieu",)  # the day before
    assert checked_by([r for r in rules if r.fact != "target"], folder, AS_OF)["target:CT01"] == ()


def test_a_refinement_checks_the_facts_it_decides_instead_of_the_rule_it_refines(tmp_path):
    folder = read_plan_folder(EXAMPLES / "gia-loc-2026")
    local = _pack(
        tmp_path,
        "  - id: hai-long-rieng\n    title: Hài lòng\n    fact: target\n    refines: chi-tieu-toi-thieu\n"
        "    scope: value == 90\n    condition: actual < 85\n    severity: cảnh báo\n    message: \"m\"\n",
    )
    rules = [r for r in load_book([local]).rules if r.id != WARNING]
    checked = checked_by(rules, folder, AS_OF)
    assert checked["target:CT04"] == ("hai-long-rieng",)  # 90%: the office's refinement decides it
    assert checked["target:CT02"] == ("chi-tieu-toi-thieu",)  # 80%: still the shipped rule's


def test_a_03_giam_target_is_checked_by_the_procedure_rules_that_read_its_cut():
    folder = read_plan_folder(EXAMPLES / "quyet-thang-2026")
    reductions = {f"target:{t.id}": t.reduction for t in folder.targets if t.reduction}
    assert set(reductions.values()) == {"time", "cost"}
    checked = checked_by(load_rules(), folder, AS_OF)
    for subject, cut in reductions.items():
        assert checked[subject] == ({"time": "giam-thoi-gian", "cost": "giam-chi-phi"}[cut],), subject
    # No procedure to measure the cut on: no rule has checked it.
    bare = folder.model_copy(update={"procedures": []})
    assert all(checked_by(load_rules(), bare, AS_OF)[subject] == () for subject in reductions)


def test_tasks_and_occurrences_on_request():
    folder = read_plan_folder(EXAMPLES / "an-bien-2026")
    checked = checked_by(load_rules(), folder, AS_OF, kinds=("task", "occurrence"))
    assert checked["occurrence:2@2026-Q3"] == ("bao-cao-dinh-ky-qua-han",)
    assert not any(subject.startswith("target:") for subject in checked)
