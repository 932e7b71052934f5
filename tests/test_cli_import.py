"""dondoc import and dondoc parse target, from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dondoc.cli import main

SEEDS = Path(__file__).parent / "importer" / "seeds"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_import_writes_the_plan_folder_and_says_what_it_found(tmp_path):
    out = tmp_path / "gia-loc"
    result = run("import", SEEDS / "000_224dbfae265b9690.txt", "--out", out)
    assert result.exit_code == 0, result.output
    assert "21 nhiệm vụ, 5 chỉ tiêu" in result.output
    assert "ngay_khong_khop" in result.output  # 23/3 in the header, 27/3 in the appendix
    assert (out / "plan.yaml").is_file()
    check = run("check", out, "--as-of", "2026-11-22", "--json")
    assert check.exit_code == 0 and json.loads(check.output)


def test_import_keeps_what_people_added_to_the_folder(tmp_path):
    out = tmp_path / "gia-loc"
    run("import", SEEDS / "000_224dbfae265b9690.txt", "--out", out)
    (out / "progress.csv").write_text("task,status,reported_on\n13,đang thực hiện,2026-10-20\n", encoding="utf-8")
    first = (out / "plan.yaml").read_bytes()
    run("import", SEEDS / "000_224dbfae265b9690.txt", "--out", out)
    assert (out / "plan.yaml").read_bytes() == first
    assert (out / "progress.csv").read_text(encoding="utf-8").startswith("task,status")


def test_import_json_has_plan_tasks_and_targets():
    result = run("import", SEEDS / "002_a68239bbb8dfc748.txt", "--json")
    data = json.loads(result.output)
    assert data["plan"]["number"] == "/KH-UBND" and data["plan"]["year"] == 2026
    task = next(t for t in data["tasks"] if t["id"] == "II.2.c")
    assert task["deadline"]["kind"] == "due" and task["deadline"]["due"] == "2026-09-09"
    assert task["lead"] == ["Các phòng chuyên môn", "Các cơ quan, đơn vị liên quan"]
    reductions = {t["reduction"]: t["value"] for t in data["targets"] if t.get("reduction")}
    assert reductions == {"time": 50.0, "cost": 50.0}


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary", "Biên bản họp thôn\n".encode()])
def test_a_document_that_is_not_a_plan_is_exit_2_and_writes_nothing(tmp_path, content):
    source = tmp_path / "doc.txt"
    source.write_bytes(content)
    out = tmp_path / "out"
    result = run("import", source, "--out", out)
    assert result.exit_code == 2 and "doc.txt" in result.output
    assert not out.exists()


def test_import_needs_an_output():
    assert run("import", SEEDS / "000_224dbfae265b9690.txt").exit_code == 2


def test_parse_target_json():
    result = run("parse", "target", "Đạt 8,25 điểm trở lên", "--year", "2023", "--json")
    data = json.loads(result.output)
    assert (data["comparison"], data["value"], data["unit"]) == (">=", 8.25, "điểm")
    result = run("parse", "target", "cắt giảm 50% thời gian giải quyết TTHC so với năm 2024", "--year", "2026", "--json")
    data = json.loads(result.output)
    assert (data["comparison"], data["value"], data["baseline_year"], data["reduction"]) == (">=", 50.0, 2024, "time")
