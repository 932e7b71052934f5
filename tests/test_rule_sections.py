"""What the rule says is what the letter says (issue 17, 2): a rule's own threshold, comparison
and message are what its letter prints; a rule file may declare its own section (heading,
summary line, request, place); `rules check` refuses a rule whose section cannot show its values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dondoc.cli import main
from dondoc.engine.expression import parse
from dondoc.engine.rulebook import RequirementError, requirement_of
from tests.notice_text import docx_lines, html_lines

ROOT = Path(__file__).resolve().parent.parent
GIA_LOC = ROOT / "examples" / "gia-loc-2026"  # CT02: plan >= 80%, 84,5% measured (2026-10)
LETTER = "phong-kinh-te-xa"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def pack(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "quy-tac-tinh"
    folder.mkdir(exist_ok=True)
    (folder / "tinh.yaml").write_text(body, encoding="utf-8")
    return folder


def own_threshold(threshold: str, section: str = "chi-tieu", sections: str = "", request: str = "") -> str:
    notice = f"    notice:\n      section: {section}\n" + (f"      request: {request}\n" if request else "")
    return sections + f"""rules:
  - id: tai-su-dung-tinh
    title: Tái sử dụng dữ liệu chưa đạt mức của tỉnh
    fact: target
    refines: chi-tieu-toi-thieu
    scope: category == "tai-su-dung-du-lieu"
    condition: actual < {threshold}
    severity: cảnh báo
    message: Tỉnh yêu cầu tái sử dụng dữ liệu từ {threshold}%, kết quả {{{{ actual }}}}%.
{notice}"""


def letter(out: Path, fmt: str = "html") -> list[str]:
    path = next((out / "notices").glob(f"*/{LETTER}.{fmt}"))
    return html_lines(path.read_text(encoding="utf-8")) if fmt == "html" else docx_lines(path.read_bytes())


def night(tmp_path: Path, rules: Path, fmt: str = "html") -> Path:
    out = tmp_path / "out"
    result = run("check", GIA_LOC, "--as-of", "2026-11-22", "--rules", rules, "--out", out, "--format", fmt, "--no-summary")
    assert result.exit_code == 0, result.output
    return out


def test_a_rule_with_its_own_threshold_prints_its_requirement_gap_request_and_message(tmp_path):
    out = night(tmp_path, pack(tmp_path, own_threshold("85", request="có giải pháp cụ thể để đưa {chỉ tiêu} lên {mức yêu cầu}")))
    found = [f for f in json.loads((out / "findings.json").read_text()) if f["rule"] == "tai-su-dung-tinh"]
    assert [f["requirement"] for f in found] == [{"comparison": ">=", "value": 85}]
    lines = letter(out)
    text = "\n".join(lines)
    row = text[text.index("Tỷ lệ khai thác"):]
    assert "tối thiểu 85%" in lines and "thấp hơn 0,5 điểm phần trăm" in lines
    assert "tối thiểu 80%" not in lines and "vượt 4,5 điểm phần trăm" not in lines  # the plan's level: a contradiction
    assert "Tỉnh yêu cầu tái sử dụng dữ liệu từ 85%, kết quả 84,5%" in row
    assert "đưa tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa lên tối thiểu 85%" in row


def test_the_word_letter_prints_the_same(tmp_path):
    out = night(tmp_path, pack(tmp_path, own_threshold("85")), fmt="docx")
    text = "\n".join(letter(out, "docx"))
    assert "tối thiểu 85%" in text and "Tỉnh yêu cầu tái sử dụng dữ liệu từ 85%, kết quả 84,5%" in text


def test_at_the_threshold_there_is_no_finding(tmp_path):
    out = night(tmp_path, pack(tmp_path, own_threshold("84.5")))
    assert not [f for f in json.loads((out / "findings.json").read_text()) if f["rule"] == "tai-su-dung-tinh"]


SECTIONS = """sections:
  - id: muc-tinh
    heading: Chỉ tiêu chưa đạt mức tỉnh yêu cầu
    summary: Chưa đạt mức tỉnh yêu cầu
    like: chi-tieu
    after: qua-han
    request: có giải pháp cụ thể để đưa {chỉ tiêu} lên {mức yêu cầu}
"""


def test_a_declared_section_has_its_heading_summary_line_request_and_place(tmp_path):
    out = night(tmp_path, pack(tmp_path, own_threshold("85", section="muc-tinh", sections=SECTIONS)))
    lines = letter(out)
    text = "\n".join(lines)
    assert "- Chưa đạt mức tỉnh yêu cầu: 01 chỉ tiêu;" in text
    headings = [line for line in lines if line[:2] in ("1.", "2.", "3.")]
    assert headings[:3] == ["1. Nhiệm vụ quá hạn chưa hoàn thành", "2. Chỉ tiêu chưa đạt mức tỉnh yêu cầu", "3. Chỉ tiêu chưa đạt"]
    assert "đưa tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa lên tối thiểu 85%" in text


def test_the_chairmans_summary_counts_a_declared_section(tmp_path):
    out = tmp_path / "out"
    rules = pack(tmp_path, own_threshold("85", section="muc-tinh", sections=SECTIONS))
    result = run("check", GIA_LOC, "--as-of", "2026-11-22", "--rules", rules, "--out", out, "--format", "html")
    assert result.exit_code == 0, result.output
    summary = next((out / "summary").glob("*.html")).read_text(encoding="utf-8")
    assert "Chưa đạt mức tỉnh yêu cầu" in "\n".join(html_lines(summary))


@pytest.mark.parametrize(
    "body, where, words",
    [
        (own_threshold("85").replace("actual < 85", "missed_in_a_row >= 0 and measure == \"%\"").replace(
            "missed_in_a_row >= 0 and ", ""), "tinh.yaml:11:16", "không đọc 'actual'"),
        (own_threshold("85").replace("actual < 85", "actual < 85 or actual > 99"), "tinh.yaml:7", "nhiều mức"),
        (own_threshold("85", section="muc-tihn", sections=SECTIONS), "tinh.yaml:18:16", "có phải 'muc-tinh'?"),
        (own_threshold("85", section="muc-tinh", sections=SECTIONS.replace("like: chi-tieu", "like: qua-han")),
         "tinh.yaml:18:16", "không trình bày dữ kiện 'target'"),
        (own_threshold("85", section="muc-tinh", sections=SECTIONS.replace("like: chi-tieu", "like: chi-tiu")),
         "tinh.yaml:5", "có phải 'chi-tieu'?"),
        (own_threshold("85", section="muc-tinh", sections=SECTIONS.replace("id: muc-tinh", "id: chi-tieu")),
         "tinh.yaml:2", "mục có sẵn"),
    ],
    ids=["section-shows-actual-the-rule-does-not-read", "two-thresholds", "unknown-section", "like-wrong-kind",
         "like-unknown", "declared-id-shipped"],
)
def test_rules_check_refuses_a_rule_whose_section_cannot_show_its_values(tmp_path, body, where, words):
    result = run("rules", "check", pack(tmp_path, body))
    assert result.exit_code == 2, result.output
    assert where in result.output and words in result.output, result.output


def test_a_count_of_misses_implies_a_result_to_print(tmp_path):
    body = own_threshold("85").replace("actual < 85", "missed_in_a_row >= 2")
    assert run("rules", "check", pack(tmp_path, body)).exit_code == 0


@pytest.mark.parametrize(
    "condition, required",
    [
        ("actual < 95", (">=", "95")),
        ("95 > actual", (">=", "95")),
        ("actual <= 95", (">", "95")),
        ("not (actual >= 95)", (">=", "95")),
        ("category == \"khac\" and actual > 2.5", ("<=", "2.5")),
        ("actual < value", None),
        ("(comparison == \">=\" and actual < value) or (comparison == \">\" and actual <= value)", None),
        ("actual < value + 5", None),
        ("missed_in_a_row >= 2", None),
    ],
)
def test_the_requirement_a_condition_sets(condition, required):
    got = requirement_of(parse(condition), "actual")
    assert (got[0], str(got[1].value)) == required if required else got is None


def test_two_thresholds_are_no_one_requirement():
    with pytest.raises(RequirementError):
        requirement_of(parse("actual < 85 or actual > 99"), "actual")


def test_lateness_in_working_days_is_printed_in_working_days(tmp_path):
    body = """rules:
  - id: qua-han-ngay-lam-viec
    title: Nhiệm vụ quá hạn quá 10 ngày làm việc
    fact: task
    replaces: nhiem-vu-qua-han
    scope: due is present
    condition: status != "hoàn thành" and working_days_overdue > 10
    severity: cảnh báo
    message: Nhiệm vụ {{ task }} quá hạn {{ working_days_overdue }} ngày làm việc.
    notice:
      section: qua-han
      request: khẩn trương hoàn thành các nhiệm vụ quá hạn nêu trên
"""
    out = night(tmp_path, pack(tmp_path, body))
    found = [f for f in json.loads((out / "findings.json").read_text()) if f["rule"] == "qua-han-ngay-lam-viec"]
    assert [f["fact"]["task"] for f in found] == ["13"]
    lines = letter(out)
    at = lines.index("Tháng 10/2026")  # task 13's row: 22 calendar days, 15 working days (31/10 to 22/11)
    assert lines[at + 2: at + 4] == [str(found[0]["fact"]["working_days_overdue"]), "ngày làm việc"]
    assert found[0]["fact"]["working_days_overdue"] == 15 and "22" not in lines[at + 1: at + 4]
