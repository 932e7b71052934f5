"""dondoc rules check / list / explain / test / schema: the tools policy staff use."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from dondoc.cli import main
from dondoc.engine.rulebook import DEFAULT_RULES_DIR, rule_file_schema, rule_files

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_the_committed_schema_is_current():
    committed = json.loads((ROOT / "docs" / "rule.schema.json").read_text(encoding="utf-8"))
    assert committed == rule_file_schema(), "run: dondoc rules schema > docs/rule.schema.json"


@pytest.mark.parametrize("path", rule_files(DEFAULT_RULES_DIR), ids=lambda p: p.name)
def test_the_shipped_rule_files_satisfy_the_schema(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data = json.loads(json.dumps(data, default=str))  # dates as text, as an editor sees them
    jsonschema.validate(data, rule_file_schema())


def test_the_schema_refuses_what_the_checker_refuses():
    bad = {"rules": [{"id": "x", "title": "x", "fact": "taks", "condition": "a > 1", "severity": "cao", "message": "x"}]}
    errors = list(jsonschema.Draft202012Validator(rule_file_schema()).iter_errors(bad))
    assert {e.path[-1] for e in errors} == {"fact", "severity"}


def test_rules_check_reports_every_error_and_exits_2(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "rules:\n  - id: A\n    title: x\n    fact: task\n    condition: days_overdue > 0\n    severity: cảnh báo\n    message: x\n"
        "  - id: b\n    title: x\n    fact: task\n    condition: tieu_de == \"x\"\n    severity: cảnh báo\n    message: x\n",
        encoding="utf-8",
    )
    result = run("rules", "check", tmp_path)
    assert result.exit_code == 2
    assert "a.yaml:2:9: id: mã 'A' chỉ gồm chữ thường không dấu" in result.output
    assert "a.yaml:11:16: dữ kiện 'task' không có trường 'tieu_de' -- tên trường viết theo danh mục" in result.output
    assert "Traceback" not in result.output


def test_rules_list_shows_ladders_and_dates():
    result = run("rules", "list")
    line = next(row for row in result.output.splitlines() if row.startswith("nhiem-vu-qua-han "))
    assert "nhắc nhở → cảnh báo → nghiêm trọng" in line and "… – …" in line


def test_rules_explain_shows_each_sub_condition_with_its_values():
    result = run("rules", "explain", "chi-tieu-toi-thieu", EXAMPLES / "gia-loc-2026", "--as-of", "2026-11-22")
    assert result.exit_code == 0, result.output
    text = result.output
    assert 'Chỉ tiêu CT04 "Mức độ hài lòng' in text and "(Phòng Kinh tế xã): CÓ PHÁT HIỆN, mức cảnh báo" in text
    assert "✓ actual < value  [actual = 88,3; value = 90]" in text
    assert "→ Chỉ tiêu \"Mức độ hài lòng" in text and "(thiếu 1,7%)." in text  # the message sent
    assert 'không đúng: comparison in [">=", ">"]: chỉ tiêu CT01, CT03, CT05' in text  # why out of scope
    assert "target:" not in text  # titled, not coded
    assert len(text.splitlines()) < 25
    assert "!!" not in text  # durable-rules agreed with the reference on every fact


def test_rules_explain_all_gives_the_whole_trace():
    result = run("rules", "explain", "chi-tieu-toi-thieu", EXAMPLES / "gia-loc-2026", "--as-of", "2026-11-22", "--all")
    assert "(Trung tâm Phục vụ hành chính công xã): ngoài phạm vi" in result.output
    assert "✓ một trong (or):" in result.output and "phạm vi (scope):" in result.output


def test_rules_explain_names_missing_data():
    result = run("rules", "explain", "chi-tieu-bang", EXAMPLES / "gia-loc-2026", "--as-of", "2026-11-22")
    assert "(Trung tâm Phục vụ hành chính công xã): THIẾU DỮ LIỆU: actual" in result.output
    assert "actual = không có (missing)" in result.output
    # The rule's own missing-data sentence (rules/chi-tieu.yaml), as the notice prints it.
    assert "→ Chỉ tiêu “phấn đấu 100% hồ sơ đủ điều kiện được hướng dẫn thực hiện trực tuyến, thanh toán trực tuyến theo quy định”: chưa có số liệu kết quả thực hiện." in result.output


def test_rules_explain_of_an_unknown_rule_is_exit_2():
    result = run("rules", "explain", "khong-co", EXAMPLES / "gia-loc-2026", "--as-of", "2026-11-22")
    assert result.exit_code == 2 and "không có quy tắc 'khong-co'" in result.output


def test_rules_explain_of_a_rule_not_yet_in_force_says_from_when(tmp_path):
    (tmp_path / "moi.yaml").write_text(
        "rules:\n  - id: moi\n    title: Mới\n    fact: task\n    condition: days_overdue > 0\n"
        "    severity: cảnh báo\n    message: x\n    valid_from: 01/07/2026\n",
        encoding="utf-8",
    )
    result = run("rules", "explain", "moi", EXAMPLES / "gia-phuc-2025", "--as-of", "2025-11-22", "--rules", tmp_path)
    assert result.exit_code == 2
    assert "quy tắc 'moi' có hiệu lực từ 01/07/2026, không có hiệu lực ngày kiểm tra 22/11/2025" in result.output


def test_rules_explain_never_prints_a_traceback(tmp_path):
    (tmp_path / "hong.yaml").write_text(
        "rules:\n  - id: hong\n    title: Hỏng\n    fact: target\n    condition: not (text contains \"hài lòng\")\n"
        "    severity: cảnh báo\n    message: x\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["rules", "explain", "hong", str(EXAMPLES / "gia-loc-2026"), "--as-of", "2026-11-22", "--rules", str(tmp_path)]
    )
    assert result.exit_code == 2 and "Traceback" not in result.output and result.exception.__class__ is SystemExit
    assert "hong.yaml:5:21: không viết 'not' trước 'contains'" in result.output


def test_coverage_lists_what_no_rule_checks():
    result = run("rules", "list", "--coverage", EXAMPLES / "gia-phuc-2025", "--as-of", "2025-11-22")
    assert result.exit_code == 0
    assert "target:CT04" in result.output and "procedures.csv chưa có thủ tục nào" in result.output
    covered = run("rules", "list", "--coverage", EXAMPLES / "quyet-thang-2026", "--as-of", "2026-11-22")
    assert "mọi nhiệm vụ và chỉ tiêu đều có quy tắc kiểm tra" in covered.output


def test_rules_test_prints_one_line_per_scenario():
    result = run("rules", "test", ROOT / "features" / "chi-tieu-bang.feature")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("✓ chi-tieu-bang") and len([line for line in lines if line.startswith("✓")]) == 3
    assert "3 kịch bản đạt, 0 không đạt" in result.output


def test_rules_test_of_a_missing_feature_is_exit_2():
    result = run("rules", "test", ROOT / "features" / "khong-co.feature")
    assert result.exit_code == 2
