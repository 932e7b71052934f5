"""Text no letter can hold, and rule packs that collide: refused where they are written.

A control character spelled in a settings or plan file ("\\x07" in double quotes; a raw one is
refused by the YAML reader) used to make every Word letter fail with an error naming the
shipped template (templates/notice.docx), not the line that holds it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_intake import run

BASE = Path(__file__).resolve().parent / "base"


def check(plan: Path, tmp_path: Path):
    return run("check", plan, "--as-of", "2026-11-22", "--out", tmp_path / "out", "--format", "docx")


@pytest.mark.parametrize("escape", ["\\x07", "\\u0000", "\\x1b", "\\u0085", "\\uFFFF"])
def test_a_control_character_in_the_settings_is_named_at_its_line(plan, tmp_path, escape):
    (plan / "dondoc.yaml").write_text(f'symbol: UBND-VP\nsigner: {{name: "Nguyễn{escape} Văn A"}}\n', encoding="utf-8")
    result = check(plan, tmp_path)
    assert result.exit_code == 2, result.output
    assert f"{plan}/dondoc.yaml:2:" in result.output and "ký tự không được phép" in result.output, result.output
    assert "notice.docx" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_control_character_in_a_plan_title_is_named_at_its_line(plan, tmp_path):
    text = (plan / "plan.yaml").read_text(encoding="utf-8")
    (plan / "plan.yaml").write_text(
        text.replace("title: Kế hoạch thử dữ liệu đầu vào năm 2026", 'title: "Kế hoạch\\x0c thử năm 2026"'), encoding="utf-8"
    )
    result = check(plan, tmp_path)
    assert result.exit_code == 2, result.output
    assert f"{plan}/plan.yaml:7:10: ký tự không được phép (mã 0x000c)" in result.output, result.output


def test_a_control_character_in_a_csv_cell_is_named_at_its_line_and_column(plan, tmp_path):
    (plan / "progress.csv").write_text(
        "task,status,done_on,reported_on,evidence\n1,đang thực hiện,,2026-06-30,Báo cáo\x1b[31m đỏ\n", encoding="utf-8"
    )
    result = check(plan, tmp_path)
    assert result.exit_code == 2, result.output
    assert f"{plan}/progress.csv:2:37: ký tự không được phép (mã 0x001b)" in result.output, result.output


def test_tab_and_line_breaks_are_text(plan, tmp_path):
    (plan / "dondoc.yaml").write_text('signer: {name: "Nguyễn\\tVăn A", title: "PHÓ\\nCHỦ TỊCH"}\n', encoding="utf-8")
    assert check(plan, tmp_path).exit_code == 0


# -- rule packs that collide -------------------------------------------------------------------------


def _rule(rule_id: str, replaces: str, valid: str = "") -> str:
    return (f"rules:\n  - id: {rule_id}\n    title: Quy tắc {rule_id}\n    fact: task\n    condition: days_overdue > 0\n"
            f"    severity: cảnh báo\n    message: \"{rule_id}\"\n    replaces: {replaces}\n{valid}")


def test_two_packs_replacing_one_rule_are_refused_naming_both_files(tmp_path):
    """Before: both replacements ran, every overdue task found twice."""
    first, second = tmp_path / "tinh", tmp_path / "xa"
    first.mkdir(), second.mkdir()
    (first / "a.yaml").write_text(_rule("qua-han-tinh", "nhiem-vu-qua-han"), encoding="utf-8")
    (second / "b.yaml").write_text(_rule("qua-han-xa", "nhiem-vu-qua-han"), encoding="utf-8")
    result = run("rules", "check", first, second)
    assert result.exit_code == 2, result.output
    assert f"{second}/b.yaml:2: 'replaces: nhiem-vu-qua-han': quy tắc 'qua-han-tinh' ở {first}/a.yaml:2" in result.output
    night = run("check", BASE, "--as-of", "2026-11-22", "--rules", first, "--rules", second, "--json")
    assert night.exit_code == 3 and "b.yaml" in night.output  # set aside at night, named
    assert "qua-han-xa" not in night.output.split("[", 1)[-1]


def test_a_replacement_of_the_replacement_and_replacements_in_turn_are_fine(tmp_path):
    first, second, third = tmp_path / "tinh", tmp_path / "xa", tmp_path / "nam"
    for folder in (first, second, third):
        folder.mkdir()
    (first / "a.yaml").write_text(_rule("qua-han-tinh", "nhiem-vu-qua-han"), encoding="utf-8")
    (second / "b.yaml").write_text(_rule("qua-han-xa", "qua-han-tinh"), encoding="utf-8")
    assert run("rules", "check", first, second).exit_code == 0
    (third / "c.yaml").write_text(
        _rule("qua-han-2025", "nhiem-vu-qua-han", "    valid_to: 31/12/2025\n")
        + _rule("qua-han-2026", "nhiem-vu-qua-han", "    valid_from: 01/01/2026\n").replace("rules:\n", ""),
        encoding="utf-8",
    )
    assert run("rules", "check", third).exit_code == 0
    (third / "c.yaml").write_text(
        _rule("qua-han-2025", "nhiem-vu-qua-han", "    valid_to: 01/01/2026\n")
        + _rule("qua-han-2026", "nhiem-vu-qua-han", "    valid_from: 01/01/2026\n").replace("rules:\n", ""),
        encoding="utf-8",
    )
    assert run("rules", "check", third).exit_code == 2  # one day in common: both would run on it
