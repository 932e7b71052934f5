"""Plan folders: written, read back the same; the same document twice gives the same files."""

from __future__ import annotations

import json

import pytest

from dondoc.facts.importer import import_document
from dondoc.facts.planfolder import read_plan_folder, write_plan_folder
from tests.importer.conftest import SEEDS


def without_lines(folder) -> dict:
    data = folder.model_dump(mode="json", exclude={"path"})
    for item in data["tasks"] + data["targets"]:
        item.pop("source_line")
    return data


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_round_trip(imported, key, tmp_path):
    folder = imported[key].folder
    write_plan_folder(folder, tmp_path)
    assert without_lines(read_plan_folder(tmp_path)) == without_lines(folder)


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_deterministic(key, tmp_path):
    first, second = import_document(SEEDS[key]), import_document(SEEDS[key])
    assert json.dumps(first.as_json(), ensure_ascii=False) == json.dumps(second.as_json(), ensure_ascii=False)
    write_plan_folder(first.folder, tmp_path / "a")
    write_plan_folder(second.folder, tmp_path / "b")
    assert (tmp_path / "a" / "plan.yaml").read_bytes() == (tmp_path / "b" / "plan.yaml").read_bytes()


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_ids_are_unique(imported, key):
    folder = imported[key].folder
    ids = [t.id for t in folder.tasks]
    assert len(ids) == len(set(ids))
    assert [t.id for t in folder.targets] == [f"CT{n:02d}" for n in range(1, len(folder.targets) + 1)]


def test_as_json_shape(imported):
    data = imported["002"].as_json()
    assert list(data) == ["plan", "tasks", "targets", "units", "warnings"]
    assert {"issuer", "number", "issued", "year", "title", "locality", "implements"} <= set(data["plan"])
    task = data["tasks"][0]
    assert {"id", "number", "title", "lead", "deadline"} <= set(task)
    assert set(task["deadline"]) == {"phrase", "kind", "due", "start", "checkpoint", "occurrences", "every", "continuous", "reason", "covers"}
    target = data["targets"][0]
    assert {"text", "comparison", "value", "unit", "baseline_year", "scope", "period", "reduction", "metric"} <= set(target)
    assert {"line", "code", "message"} == set(data["warnings"][0])
    json.dumps(data, ensure_ascii=False, allow_nan=False)


def test_nfd_input_reads_like_nfc(tmp_path):
    import unicodedata

    text = SEEDS["000"].read_text(encoding="utf-8")
    path = tmp_path / "nfd.txt"
    path.write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    assert import_document(path).as_json() == import_document(SEEDS["000"]).as_json()


def test_the_category_parse_target_works_out_is_written_to_plan_yaml(imported, tmp_path):
    """Issue 17, item 3: category rules match imported plans without editing plan.yaml."""
    from dondoc.facts.importer import parse_target

    folder = imported["000"].folder
    for target in folder.targets:
        assert target.category == parse_target(target.text, folder.plan.year).category, target.id
    write_plan_folder(folder, tmp_path)
    again = {t.id: t.category for t in read_plan_folder(tmp_path).targets}
    assert again["CT04"] == "hai-long-tthc"  # "Mức độ hài lòng ... đạt tối thiểu 90%"
    assert again["CT02"] == "tai-su-dung-du-lieu"
    assert "category: hai-long-tthc" in (tmp_path / "plan.yaml").read_text(encoding="utf-8")
