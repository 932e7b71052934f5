"""An office's own rules (--rules, repeatable) layered over the shipped ones: replaces, refines,
the precedence between layers, a bad file set aside at night (exit 3), and `rules check`
meaning "it will run"."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dondoc.cli import main
from dondoc.engine.rulebook import load_book

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "tiny"
EXAMPLES = ROOT / "examples"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def rule(rule_id: str, *, fact: str = "task", condition: str = "days_overdue > 0", extra: str = "", scope: str = "") -> str:
    """One entry of a rules: list, as staff write it."""
    lines = [f"  - id: {rule_id}", f"    title: Quy tắc {rule_id}", f"    fact: {fact}"]
    lines += [f"    scope: {scope}"] if scope else []
    lines += [f"    condition: {condition}", "    severity: cảnh báo", f'    message: "{rule_id}"']
    return "\n".join(lines) + "\n" + extra


def pack(tmp_path: Path, name: str, **files: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for file, body in files.items():
        (folder / f"{file}.yaml").write_text("rules:\n" + body, encoding="utf-8")
    return folder


def test_a_local_rule_runs_beside_the_shipped_ones(tmp_path):
    local = pack(tmp_path, "xa", rieng=rule("rieng-cua-xa", scope="due is present"))
    result = run("check", TINY, "--as-of", "2026-11-22", "--rules", local, "--json")
    assert result.exit_code == 0, result.output
    rules = {f["rule"] for f in json.loads(result.output)}
    assert {"rieng-cua-xa", "nhiem-vu-qua-han", "chi-tieu-toi-thieu"} <= rules


def test_at_night_a_bad_file_is_set_aside_named_and_the_other_rules_run(tmp_path):
    local = pack(tmp_path, "xa", tot=rule("tot", scope="due is present"), hong=rule("hong", condition="days_overdue >> 0"))
    out = tmp_path / "out"
    result = run("check", TINY, "--as-of", "2026-11-22", "--rules", local, "--out", out)
    assert result.exit_code == 3
    assert "tệp quy tắc để riêng" in result.output and "hong.yaml:5:30" in result.output
    findings = {f["rule"] for f in json.loads((out / "findings.json").read_text(encoding="utf-8"))}
    assert {"tot", "nhiem-vu-qua-han", "chi-tieu-toi-thieu"} <= findings and "hong" not in findings
    run_json = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert any("hong.yaml" in p for p in run_json["rule_files_set_aside"])


def test_a_missing_rules_folder_is_named_at_night_and_an_error_for_rules_check(tmp_path):
    night = run("check", TINY, "--as-of", "2026-11-22", "--rules", tmp_path / "khong-co", "--json")
    assert night.exit_code == 3 and "không có thư mục quy tắc này" in night.output
    assert run("rules", "check", tmp_path / "khong-co").exit_code == 2


def test_a_local_id_that_is_a_shipped_id_says_to_replace_or_refine(tmp_path):
    local = pack(tmp_path, "xa", trung=rule("nhiem-vu-qua-han"))
    result = run("rules", "check", local)
    assert result.exit_code == 2
    assert "mã 'nhiem-vu-qua-han' đã dùng cho quy tắc có sẵn" in result.output
    assert "replaces: nhiem-vu-qua-han" in result.output and "refines: nhiem-vu-qua-han" in result.output


def test_replaces_and_refines_name_a_rule_of_a_lower_layer(tmp_path):
    local = pack(tmp_path, "xa", a=rule("a", extra="    replaces: nhiem-vu-qua-hn\n"))
    result = run("rules", "check", local)
    assert result.exit_code == 2 and "không có quy tắc 'nhiem-vu-qua-hn' ở lớp dưới" in result.output
    assert "có phải 'nhiem-vu-qua-han'?" in result.output


def test_a_refinement_is_of_the_same_kind_and_has_a_scope_without_contains(tmp_path):
    other_kind = pack(tmp_path, "a", a=rule("a", scope="due is present", extra="    refines: chi-tieu-toi-thieu\n"))
    assert "quy tắc 'chi-tieu-toi-thieu' xét dữ kiện 'target'" in run("rules", "check", other_kind).output
    no_scope = pack(tmp_path, "b", b=rule("b", fact="target", condition="actual < 95", extra="    refines: chi-tieu-toi-thieu\n"))
    assert "quy tắc tinh chỉnh (refines) cần 'scope:'" in run("rules", "check", no_scope).output
    contains = pack(
        tmp_path, "c",
        c=rule("c", fact="target", condition="actual < 95", scope='text contains "hài lòng"', extra="    refines: chi-tieu-toi-thieu\n"),
    )
    result = run("rules", "check", contains)
    assert result.exit_code == 2 and "phạm vi của quy tắc tinh chỉnh (refines) không dùng được 'contains'" in result.output


def test_a_later_folder_may_refine_an_earlier_folders_rule(tmp_path):
    first = pack(tmp_path, "tinh", tinh=rule("qua-han-tinh", scope="due is present"))
    second = pack(
        tmp_path, "xa",
        xa=rule("qua-han-xa", scope='due is present and deadline_kind == "due"', condition="days_overdue > 100",
                extra="    refines: qua-han-tinh\n"),
    )
    book = load_book([first, second])
    assert [r.layer for r in book.rules if r.id.startswith("qua-han-")] == [1, 2]
    result = run("check", TINY, "--as-of", "2026-11-22", "--rules", first, "--rules", second, "--json")
    rules = [f["rule"] for f in json.loads(result.output)]
    # Task 1 is due 31/10 (22 days over): the province's rule would say so, the commune's decides: not yet.
    assert "qua-han-tinh" not in rules and "qua-han-xa" not in rules and "nhiem-vu-qua-han" in rules
    swapped = run("check", TINY, "--as-of", "2026-11-22", "--rules", second, "--rules", first, "--json")
    assert swapped.exit_code == 3  # refines names a rule of a lower layer only


def test_rules_check_says_what_it_checked(tmp_path):
    local = pack(tmp_path, "xa", a=rule("a", scope="due is present", extra="    valid_from: 01/07/2026\n"))
    result = run("rules", "check", local)
    assert result.exit_code == 0, result.output
    shipped = len(load_book().rules)  # the catalogue's count: a rule added to rules/ counts too
    assert f"Hợp lệ: {shipped} quy tắc có sẵn, 1 quy tắc trong {local}." in result.output
    assert "01/07/2026" in result.output  # the day the set of rules in force changes was tried too


FEATURE = """\
# language: vi
Tính năng: Quy tắc riêng của xã
  Kịch bản: Quá hạn thì nêu
    Cho ngày kiểm tra là 22/11/2026
    Và các nhiệm vụ:
      | TT | Nhiệm vụ | Đơn vị chủ trì | Thời gian thực hiện |
      | 1  | Việc một | Phòng Kinh tế  | Tháng 10/2026       |
    Khi kiểm tra theo quy tắc "rieng"
    Thì có phát hiện vi phạm cho nhiệm vụ "1"

  Khung kịch bản: Chưa đến hạn thì không nêu: <tên>
    Cho ngày kiểm tra là 22/11/2026
    Và các nhiệm vụ:
      | TT | Nhiệm vụ | Đơn vị chủ trì | Thời gian thực hiện |
      | 1  | Việc một | Phòng Kinh tế  | <hạn>               |
    Khi kiểm tra theo quy tắc "rieng"
    Thì không có phát hiện nào

    Dữ liệu:
      | tên            | hạn           |
      | nhắc nhở tháng | Tháng 12/2026 |
"""


def test_rules_test_runs_an_offices_specs_from_any_folder_without_pytest(tmp_path):
    local = pack(tmp_path, "xa", rieng=rule("rieng", scope="due is present"))
    (local / "bat-ky-ten-gi.feature").write_text(FEATURE, encoding="utf-8")
    script = (
        "import sys\n"
        "from dondoc.cli import main\n"
        "try:\n"
        "    main(['rules', 'test', 'xa', '--rules', 'xa', '--coverage'])\n"
        "finally:\n"
        "    assert 'pytest' not in sys.modules and 'pytest_bdd' not in sys.modules, 'rules test imported pytest'\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"✓ {'rieng':38} Quá hạn thì nêu"
    assert lines[1] == f"✓ {'rieng':38} Chưa đến hạn thì không nêu: nhắc nhở tháng"  # unescaped
    assert "2 kịch bản đạt, 0 không đạt (1 quy tắc, 1 tệp)." in done.stdout
    assert "rieng: 1/2 vế gặp cả đúng lẫn sai" in done.stdout and "chưa lần nào sai: phạm vi: due is present" in done.stdout
    assert "Traceback" not in done.stderr


def test_a_failing_scenario_is_one_line_with_one_vietnamese_sentence(tmp_path):
    local = pack(tmp_path, "xa", rieng=rule("rieng", scope="due is present"))
    (local / "sai.feature").write_text(FEATURE.replace("Tháng 10/2026", "Tháng 12/2026"), encoding="utf-8")
    result = run("rules", "test", local / "sai.feature", "--rules", local)
    assert result.exit_code == 1
    (failed,) = [line for line in result.output.splitlines() if line.startswith("✗")]
    assert failed == (
        f"✗ {'rieng':38} Quá hạn thì nêu — mong đợi có phát hiện cho nhiệm vụ \"1\", nhưng không có phát hiện nào"
        " (sai.feature:9)"
    )
    assert "Traceback" not in result.output and "assert" not in result.output


def test_rules_test_names_an_unknown_step_and_the_closest_one(tmp_path):
    (tmp_path / "x.feature").write_text(FEATURE.replace("Thì có phát hiện vi phạm", "Thì có phat hien vi pham"), encoding="utf-8")
    local = pack(tmp_path, "xa", rieng=rule("rieng", scope="due is present"))
    result = run("rules", "test", tmp_path / "x.feature", "--rules", local)
    assert result.exit_code == 1
    assert "không có trong từ vựng (docs/specs.md); gần nhất: 'có phát hiện vi phạm cho" in result.output


@pytest.mark.parametrize("text", ["Tính năng: x\n  Kịch bản: y\n    Given z\n", "# language: vi\nKịch bản không có tính năng\n"])
def test_a_feature_file_that_is_not_gherkin_is_exit_2_named(tmp_path, text):
    (tmp_path / "hong.feature").write_text(text, encoding="utf-8")
    result = run("rules", "test", tmp_path / "hong.feature")
    assert result.exit_code == 2 and "hong.feature:" in result.output and "Traceback" not in result.output
