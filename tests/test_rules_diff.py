"""`dondoc rules diff`: a rule change previewed on every plan before it ships (issue 17, 5)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from dondoc.cli import main
from dondoc.night.diff import compare

ROOT = Path(__file__).resolve().parent.parent
GIA_LOC = ROOT / "examples" / "gia-loc-2026"  # task 13: 22 days overdue on 22/11/2026 (cảnh báo); CT04 88,3% of 90%


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def pack(tmp_path: Path, grace: int, threshold: float) -> Path:
    folder = tmp_path / f"moi-{grace}-{threshold}"
    folder.mkdir()
    (folder / "a.yaml").write_text(f"""rules:
  - id: qua-han-an-han
    title: Quá hạn sau thời gian ân hạn
    fact: task
    replaces: nhiem-vu-qua-han
    scope: due is present
    condition: status != "hoàn thành" and days_overdue > {grace}
    severity: nhắc nhở
    message: "Nhiệm vụ {{{{ task }}}} quá hạn {{{{ days_overdue }}}} ngày."
    notice:
      section: qua-han
  - id: hai-long-tinh
    title: Hài lòng chưa đạt mức tỉnh
    fact: target
    refines: chi-tieu-toi-thieu
    scope: category == "hai-long-tthc"
    condition: actual < {threshold}
    severity: cảnh báo
    message: "Kết quả {{{{ actual }}}}%, tỉnh yêu cầu từ {threshold}%."
    notice:
      section: chi-tieu
""", encoding="utf-8")
    return folder


def diff(tmp_path, grace, threshold):
    result = run("rules", "diff", "--rules", pack(tmp_path, grace, threshold), GIA_LOC, "--as-of", "2026-11-22", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_grace_period_that_the_task_is_past_regrades_it_and_changes_its_letter(tmp_path):
    got = diff(tmp_path, 21, 88.3)  # 22 days late: still late after 21 days' grace; CT04 at 88,3 is not under 88,3
    by = {(c["subject"], c["change"]): c for c in got["changes"]}
    task = by["task:13", "đổi mức"]
    assert (task["before"]["rule"], task["before"]["severity"]) == ("nhiem-vu-qua-han", "cảnh báo")
    assert (task["after"]["rule"], task["after"]["severity"]) == ("qua-han-an-han", "nhắc nhở")
    assert by["target:CT04", "bớt"]["before"]["rule"] == "chi-tieu-toi-thieu"  # the refiner decides: met at its level
    assert {"plan": "97/KH-UBND (UBND xã Gia Lộc)", "unit": "Phòng Kinh tế xã"} in got["letters_changed"]
    assert got["counts"] == {"đổi mức": 1, "bớt": 1}


def test_the_day_the_grace_covers_the_lateness_the_finding_goes(tmp_path):
    got = diff(tmp_path, 22, 88.4)  # 22 days: not more than 22; CT04 88,3 < 88,4: the province's rule finds it
    changes = {(c["subject"], c["change"]) for c in got["changes"]}
    assert ("task:13", "bớt") in changes and ("target:CT04", "đổi quy tắc") in changes
    assert got["findings_after"] == got["findings_before"] - 1


def test_the_table_names_plan_unit_item_and_the_letters(tmp_path):
    result = run("rules", "diff", "--rules", pack(tmp_path, 21, 88.3), GIA_LOC, "--as-of", "2026-11-22")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Kế hoạch 97/KH-UBND (UBND xã Gia Lộc)" and lines[1] == "  Phòng Kinh tế xã"
    assert any("task:13" in line and "nhiem-vu-qua-han (cảnh báo) → qua-han-an-han (nhắc nhở)" in line for line in lines)
    assert any(line.startswith("1 kế hoạch: ") and "1 công văn sẽ khác" in line for line in lines)


def test_a_pack_with_an_error_is_named_not_previewed(tmp_path):
    folder = pack(tmp_path, 21, 88.3)
    (folder / "a.yaml").write_text((folder / "a.yaml").read_text().replace("days_overdue > 21", "days_overdu > 21"))
    result = run("rules", "diff", "--rules", folder, GIA_LOC, "--as-of", "2026-11-22")
    assert result.exit_code == 2 and "có phải 'days_overdue'?" in result.output


def test_compare_keeps_each_key_apart():
    f = dict(plan="p", unit="u", subject="task:1", kind="vi-pham", rule="a", severity="info", message="m")
    same = compare([f], [f], {}, {}, 1)
    assert same.changes == [] and same.letters == []
    worded = compare([f], [{**f, "message": "n"}], {}, {}, 1)
    assert worded.changes == [] and worded.letters == [("p", "u")]  # the same finding in other words: its letter changes
