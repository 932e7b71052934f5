"""Text no letter can hold, and rule packs that collide: refused where they are written.

A control character spelled in a settings or plan file ("\\x07" in double quotes; a raw one is
refused by the YAML reader) used to make every Word letter fail with an error naming the
shipped template (templates/notice.docx), not the line that holds it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.test_intake import run

BASE = Path(__file__).resolve().parent / "base"


@pytest.fixture
def plan(tmp_path) -> Path:
    folder = tmp_path / "plan"
    shutil.copytree(BASE, folder)
    return folder


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
