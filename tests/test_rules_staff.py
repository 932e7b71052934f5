"""Rules staff do not need a programmer (issue 17, 6): `rules show`, `rules list` marks what is
replaced and refined, `rules test` counts the rules of the pack given and covers them alone,
`dondoc calendar` lists the days off the night uses with their source."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from dondoc.cli import main
from dondoc.engine.rulebook import load_rules

ROOT = Path(__file__).resolve().parent.parent
GIA_PHUC = ROOT / "examples" / "gia-phuc-2025"  # its dondoc.yaml names a days_off file (28/11/2025)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


PACK = {
    "tinh.yaml": """rules:
  - id: qua-han-an-han
    title: Quá hạn sau thời gian ân hạn 5 ngày
    fact: task
    replaces: nhiem-vu-qua-han
    scope: due is present
    condition: status != "hoàn thành" and days_overdue > 5
    severity: cảnh báo
    message: "Nhiệm vụ {{ task }} quá hạn {{ days_overdue }} ngày."
    notice:
      section: qua-han
  - id: hai-long-95
    title: Hài lòng chưa đạt 95%
    fact: target
    refines: chi-tieu-toi-thieu
    scope: category == "hai-long-tthc"
    condition: actual < 95
    severity: cảnh báo
    message: "Kết quả {{ actual }}%, tỉnh yêu cầu từ 95%."
  - id: sau-thang-7
    title: Quy tắc từ tháng 7/2027
    fact: task
    condition: reports > 100
    severity: info
    message: "x"
    valid_from: 01/07/2027
""",
    "tinh.feature": """# language: vi
Tính năng: gói của tỉnh

  Bối cảnh:
    Cho ngày kiểm tra là 22/11/2026
    Và kế hoạch năm 2026
    Và các chỉ tiêu:
      | Mã   | Chỉ tiêu              | So sánh | Giá trị | Đơn vị tính | Loại          |
      | CT04 | Hài lòng từ 90%       | >=      | 90      | %           | hai-long-tthc |

  Kịch bản: 92% đạt kế hoạch nhưng chưa đạt 95%
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT04 | 2026-Q3 | 92      | 10/10/2026 |
    Khi kiểm tra theo mọi quy tắc
    Thì có phát hiện của quy tắc "hai-long-95" cho chỉ tiêu "CT04"
    Và không có phát hiện của quy tắc "chi-tieu-toi-thieu" cho chỉ tiêu "CT04"

  Kịch bản: Đúng 95% thì đạt
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT04 | 2026-Q3 | 95      | 10/10/2026 |
    Khi kiểm tra theo quy tắc "hai-long-95"
    Thì không có phát hiện nào
""",
}


def pack(tmp_path: Path) -> Path:
    folder = tmp_path / "tinh"
    folder.mkdir()
    for name, body in PACK.items():
        (folder / name).write_text(body, encoding="utf-8")
    return folder


def test_rules_list_marks_the_replaced_the_refined_and_the_not_yet_in_force(tmp_path):
    result = run("rules", "list", "--rules", pack(tmp_path), "--as-of", "2026-11-22")
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()[2:]}
    assert "[bị thay bởi 'qua-han-an-han'" in lines["nhiem-vu-qua-han"] and "không chạy" in lines["nhiem-vu-qua-han"]
    assert "[được tinh chỉnh bởi 'hai-long-95'" in lines["chi-tieu-toi-thieu"]
    assert "[thay 'nhiem-vu-qua-han']" in lines["qua-han-an-han"]
    assert "[chưa có hiệu lực" in lines["sau-thang-7"]
    assert "[" not in lines["chi-tieu-bang"]  # running, nothing to say
    # The day before a replacing rule comes into force, the shipped rule still runs.
    before = run("rules", "list", "--rules", tmp_path / "tinh", "--as-of", "2027-06-30").output.splitlines()
    on = run("rules", "list", "--rules", tmp_path / "tinh", "--as-of", "2027-07-01").output.splitlines()
    assert "[chưa có hiệu lực" in next(line for line in before if line.startswith("sau-thang-7"))
    assert "[" not in next(line for line in on if line.startswith("sau-thang-7"))


def test_rules_show_prints_the_rule_as_written_where_it_is_and_how_it_stands(tmp_path):
    result = run("rules", "show", "nhiem-vu-qua-han", "--rules", pack(tmp_path), "--as-of", "2026-11-22")
    assert result.exit_code == 0, result.output
    head, *body = result.output.splitlines()
    assert "nhiem-vu-qua-han (có sẵn," in head and "nhiem-vu.yaml:" in head and "bị thay bởi 'qua-han-an-han'" in head
    assert body[0] == "  - id: nhiem-vu-qua-han" and any("escalate:" in line for line in body)
    assert not any(line.strip().startswith("- id:") for line in body[1:-1])  # one entry, not the next
    assert body[-1].startswith("# kịch bản: ") and "Đúng ngày hạn cuối thì chưa quá hạn" in body[-1]
    local = run("rules", "show", "hai-long-95", "--rules", tmp_path / "tinh")
    assert "refines: chi-tieu-toi-thieu" in local.output and "92% đạt kế hoạch nhưng chưa đạt 95%" in local.output


def test_rules_show_of_an_unknown_id_suggests_one():
    result = run("rules", "show", "nhiem-vu-qua-hn")
    assert result.exit_code == 2 and "có phải 'nhiem-vu-qua-han'?" in result.output


def test_rules_test_counts_the_rules_of_the_pack_and_covers_them_alone(tmp_path):
    folder = pack(tmp_path)
    result = run("rules", "test", folder, "--rules", folder, "--coverage")
    assert result.exit_code == 0, result.output
    assert "2 kịch bản đạt, 0 không đạt (1 quy tắc, 1 tệp)." in result.output
    assert "Quy tắc chưa có kịch bản nào: qua-han-an-han, sau-thang-7" in result.output
    covered = [line.split(":")[0].strip() for line in result.output.splitlines() if line.startswith("  ") and ": " in line
               and "vế gặp" in line]
    # The pack's rules in force on the scenarios' day, never the shipped rules under the pack.
    assert covered == ["hai-long-95", "qua-han-an-han"]


def test_rules_test_of_the_shipped_specs_counts_every_shipped_rule():
    result = run("rules", "test")
    assert result.exit_code == 0, result.output
    features = list((ROOT / "features").rglob("*.feature"))
    assert f"({len(load_rules())} quy tắc, " in result.output and f"quy tắc viết trong kịch bản, {len(features)} tệp)." in result.output


def test_the_calendar_lists_the_days_off_with_their_source():
    result = run("calendar", "2025", "--plan", GIA_PHUC)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("  02/09/2025 thứ ba") and "Quốc khánh" in line and "[thư viện holidays" in line for line in lines)
    assert any(line.startswith("  28/11/2025 thứ sáu") and "nghỉ" in line and "ngay-nghi.csv]" in line for line in lines)
    assert not any(line.startswith("  27/11/2025") for line in lines)  # the day before: an ordinary Thursday
    assert any(line.startswith("  26/04/2025 thứ bảy") and "làm việc" in line for line in lines)  # a Saturday worked
    as_json = json.loads(run("calendar", "2025", "--plan", GIA_PHUC, "--json").output)
    assert {"date": "2025-11-28", "kind": "nghỉ", "name": "Ví dụ: ngày nghỉ riêng của cơ quan (tổ chức hội nghị toàn xã)",
            "source": str((GIA_PHUC / "ngay-nghi.csv").resolve())} in as_json or any(
        d["date"] == "2025-11-28" and d["source"].endswith("ngay-nghi.csv") for d in as_json)


def test_the_calendar_is_the_one_the_night_counts_working_days_with():
    from dondoc.facts.calendar import year_days
    from dondoc.night.plans import settings_for

    calendar = settings_for(GIA_PHUC, None).calendar()
    for day in year_days(calendar, 2025):
        assert calendar.is_working_day(day.date) == (day.kind == "làm việc")
