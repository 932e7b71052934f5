"""Notices (công văn đôn đốc): every section, row and count from findings; Nghị định 30 formats;
the plan cited as issued; working days; escaping; commune templates sandboxed.

The assertions read the document's text (tests/notice_text.py), what an official reads.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import unicodedata

import pytest

from dondoc.engine.findings import Finding
from dondoc.engine.rulebook import load_rules
from dondoc.night import evaluate as check
from dondoc.facts.deadline import Deadline, DeadlineKind
from dondoc.facts.models import Plan, PlanFolder, Procedure, Signer, Target, Task
from dondoc.facts.planfolder import read_plan_folder
from dondoc.facts.settings import Settings
from dondoc.templates import Notice, NoticeTemplateError, build_sections, render_html
from dondoc.templates import formats
from dondoc.night.plan import build_letters
from dondoc.templates.sections import PlanIndex
from tests.notice_text import EXAMPLES, ROOT, html_lines, norm, parse

UNIT = "Phòng Kinh tế"
AS_OF = dt.date(2026, 11, 20)  # a Friday


# --- fixtures -----------------------------------------------------------------------------


def make_plan(**over) -> Plan:
    fields = dict(
        issuer="UBND xã Gia Lộc",
        locality="Gia Lộc",
        number="97/KH-UBND",
        issued=dt.date(2026, 3, 23),
        year=2026,
        title="Thực hiện nhiệm vụ, giải pháp cải thiện môi trường kinh doanh năm 2026",
        monitor="Văn phòng HĐND và UBND xã",
        signer=Signer(authority="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", title="PHÓ CHỦ TỊCH", name="Đoàn Ngọc Thuần"),
    )
    fields.update(over)
    return Plan(**fields)


def finding(fact_kind: str, subject: str, fact: dict, *, section: str, kind="vi-pham", rule="r", unit=UNIT, **over) -> Finding:
    return Finding(
        rule=rule,
        title=over.pop("title", "Vi phạm"),
        kind=kind,
        plan="97/KH-UBND (UBND xã Gia Lộc)",
        fact_kind=fact_kind,
        subject=subject,
        unit=unit,
        severity=over.pop("severity", "cảnh báo"),
        message=over.pop("message", ""),
        fact={"plan": "97/KH-UBND", "unit": unit, **fact},
        section=section,
        request=over.pop("request", ""),
        **over,
    )


def task(number: str, title: str, **fact) -> dict:
    return {"task": number, "section": "II", "title": title, "deadline": "Tháng 10/2026", "deadline_kind": "due",
            "status": "đang thực hiện", "reports": 1, **fact}


def target(tid: str, text: str, value, actual, comparison=">=", measure="%", **fact) -> dict:
    return {"target": tid, "text": text, "metric": tid.lower(), "comparison": comparison, "value": value,
            "measure": measure, "is_reduction": False, "scope": "", "period": "2026", "actual": actual, **fact}


OVERDUE = [
    finding("task", "task:13", task("13", "Rà soát thủ tục đất đai", due="2026-10-31", days_overdue=22),
            section="qua-han", rule="nhiem-vu-qua-han", request="khẩn trương hoàn thành các nhiệm vụ quá hạn nêu trên"),
    finding("occurrence", "occurrence:7@2026-Q3",
            task("7", "Báo cáo quý về giải quyết TTHC", deadline="Trước ngày 20 của tháng cuối quý", deadline_kind="recurring",
                 due="2026-09-19", status="chưa báo cáo", days_overdue=62, period="2026-Q3"),
            section="qua-han", rule="bao-cao-dinh-ky-qua-han", request="gửi ngay báo cáo các kỳ đã quá hạn"),
]
CHECKPOINT = finding(
    "task", "task:8",
    task("8", "Kiểm tra cải cách hành chính", deadline="Quý III, IV/2026", due="2026-12-31", checkpoint="2026-09-30",
         status="chưa báo cáo", reports=0, days_left=41, days_overdue=-41),
    section="cham-tien-do", rule="nhiem-vu-cham-tien-do", request="báo cáo ngay tiến độ thực hiện các nhiệm vụ nêu trên",
)
TARGETS = [
    finding("target", "target:T2", target("T2", "Tỷ lệ hồ sơ trực tuyến", 95, 78.5, measured_on="2026-11-20",
                                          numerator=785, denominator=1000), section="chi-tieu"),
    finding("target", "target:T4", target("T4", "Chỉ số DDCI thành phần", 8.25, 7.5, measure="điểm"), section="chi-tieu"),
    finding("target", "target:T5", target("T5", "Tỷ lệ hồ sơ trễ hạn", 2, 3.28, comparison="<="), section="chi-tieu"),
]
PROCEDURE_FACT = {"code": "1.001612", "name": "Cấp giấy phép xây dựng", "baseline_year": 2024, "baseline_days": 15,
                  "current_days": 10, "time_reduction": 33.33, "time_target": 50, "baseline_cost": 500000,
                  "current_cost": 500000, "cost_reduction": 0.0, "cost_target": 50}
PROCEDURE = [
    finding("procedure", "procedure:1.001612", PROCEDURE_FACT, section="03-giam", rule="giam-thoi-gian",
            values={"time_reduction": 33.33, "time_target": 50}),
    finding("procedure", "procedure:1.001612", PROCEDURE_FACT, section="03-giam", rule="giam-chi-phi",
            values={"cost_reduction": 0.0, "cost_target": 50}),
]
MISSING = finding("target", "target:T3", target("T3", "Tỷ lệ thanh toán trực tuyến", 80, None), section="thieu-so-lieu",
                  kind="thieu-du-lieu", missing=["actual"],
                  message="Chỉ tiêu “Tỷ lệ thanh toán trực tuyến”: chưa có số liệu kết quả thực hiện.")
DUE_SOON = finding("task", "task:15", task("15", "Tổng kết thực hiện Kế hoạch", due="2026-11-27", days_left=7),
                   section="sap-den-han", severity="nhắc nhở")
GENERAL = finding("task", "task:2", task("2", "Tuyên truyền Kế hoạch", deadline="Thường xuyên", deadline_kind="continuous"),
                  section="", message='Nhiệm vụ 2 "Tuyên truyền Kế hoạch" chưa có báo cáo tiến độ nào.')
ALL = [*OVERDUE, CHECKPOINT, *TARGETS, *PROCEDURE, MISSING, DUE_SOON, GENERAL]


def make_notice(findings=ALL, **over) -> Notice:
    fields = dict(plan=make_plan(), unit=UNIT, findings=list(findings), as_of=AS_OF)
    fields.update(over)
    return Notice(**fields)


def lines_of(notice: Notice, template_dir=None) -> list[str]:
    return html_lines(render_html(notice, template_dir))


def text_of(notice: Notice, template_dir=None) -> str:
    return " ".join(lines_of(notice, template_dir))


def table_rows(html: str, section: str) -> list[list[str]]:
    doc = parse(html)
    block = next(div for div in doc.find_all("div", "section") if section in div.classes)
    return [[td.text() for td in tr.find_all("td")] for tr in block.find("tbody").find_all("tr")]


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(make_notice())


# --- formats ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, words",
    [
        (dt.date(2026, 1, 5), "Gia Lộc, ngày 05 tháng 01 năm 2026"),
        (dt.date(2026, 2, 28), "Gia Lộc, ngày 28 tháng 02 năm 2026"),
        (dt.date(2026, 3, 3), "Gia Lộc, ngày 03 tháng 3 năm 2026"),
        (dt.date(2026, 12, 9), "Gia Lộc, ngày 09 tháng 12 năm 2026"),
    ],
)
def test_date_in_words_has_the_nd30_leading_zeros(day, words):
    assert formats.vn_date_words(day, "Gia Lộc") == words


@pytest.mark.parametrize("value, text", [(91.2, "91,2"), (1500000, "1.500.000"), (8.25, "8,25"), (-3.5, "-3,5"), (0.0, "0")])
def test_numbers_use_the_decimal_comma(value, text):
    assert formats.vn_number(value) == text


@pytest.mark.parametrize(
    "raw, typeset",
    [('Nhiệm vụ 2 "Tuyên truyền"', "Nhiệm vụ 2 “Tuyên truyền”"), ('("03 giảm")', "(“03 giảm”)"), ("it's", "it’s"),
     ("không có dấu", "không có dấu")],
)
def test_one_quotation_style(raw, typeset):
    assert formats.curly_quotes(raw) == typeset


@pytest.mark.parametrize(
    "phrase, written",
    [("Chậm nhất ngày 9/9/2026", "Chậm nhất ngày 09/09/2026"), ("trước ngày 20.7.2020", "trước ngày 20/07/2020"),
     ("Tháng 10/2026", "Tháng 10/2026"), ("ngày 31/02/2026", "ngày 31/02/2026")],
)
def test_dates_in_quoted_phrases_are_written_dd_mm_yyyy(phrase, written):
    assert formats.dates_in_text(phrase) == written


def test_a_group_name_takes_a_small_letter_inside_a_sentence():
    assert formats.mid_sentence("Các phòng chuyên môn") == "các phòng chuyên môn"
    assert formats.mid_sentence("Phòng Kinh tế") == "Phòng Kinh tế"


# --- sections, rows and counts come from findings --------------------------------------------


def test_each_finding_goes_to_the_section_its_rule_names():
    sections = {s.id: s for s in build_sections(ALL, UNIT)}
    assert list(sections) == ["qua-han", "cham-tien-do", "chi-tieu", "03-giam", "thieu-so-lieu", "khac", "sap-den-han"]
    assert [r.subject for r in sections["qua-han"].rows] == ["task:13", "occurrence:7@2026-Q3"]
    assert [r.subject for r in sections["khac"].rows] == ["task:2"]  # a rule naming no section


def test_a_section_name_nobody_prints_reaches_the_general_section_with_its_message():
    odd = finding("task", "task:9", task("9", "X"), section="khong-co", message="Nhiệm vụ 9 cần xem lại.")
    (section,) = build_sections([odd], UNIT)
    assert section.id == "khac" and section.rows[0].text == "Nhiệm vụ 9 cần xem lại"


def test_counts_agree_with_the_sections_periodic_occurrences_included(page):
    lines = html_lines(page)
    start = next(i for i, line in enumerate(lines) if line.startswith("Qua theo dõi"))
    assert lines[start + 1 : start + 8] == [
        "- Quá hạn chưa hoàn thành: 01 nhiệm vụ, 01 kỳ thực hiện nhiệm vụ định kỳ;",
        "- Chưa báo cáo tiến độ khi đã qua mốc kiểm tra: 01 nhiệm vụ;",
        "- Chưa đạt: 03 chỉ tiêu;",
        "- Chưa đạt chỉ tiêu “03 giảm”: 01 thủ tục hành chính;",
        "- Chưa có số liệu để theo dõi: 01 chỉ tiêu;",
        "- Nội dung khác cần khắc phục: 01 nhiệm vụ;",
        "- Sắp đến hạn: 01 nhiệm vụ.",
    ]
    assert len(table_rows(page, "qua-han")) == 2


def test_only_classes_with_something_in_them_are_counted():
    text = text_of(make_notice([OVERDUE[0]]))
    assert "- Quá hạn chưa hoàn thành: 01 nhiệm vụ." in text
    for absent in ("Chưa đạt", "Sắp đến hạn", "0 nhiệm vụ", "00"):
        assert absent not in text


def test_two_rules_on_one_subject_make_one_row():
    (section,) = build_sections(PROCEDURE, UNIT)
    assert len(section.rows) == 1 and section.count_text == "01 thủ tục hành chính"
    assert [i.label for i in section.rows[0].items] == ["Thời gian giải quyết", "Chi phí tuân thủ"]


def test_rows_follow_the_plans_order_not_the_rules():
    late = finding("task", "task:10", task("10", "Mười", due="2026-10-01", days_overdue=50), section="qua-han", rule="a")
    early = finding("task", "task:9", task("9", "Chín", due="2026-10-01", days_overdue=50), section="qua-han", rule="z")
    (section,) = build_sections([late, early], UNIT)
    assert [r.number for r in section.rows] == ["9", "10"]


def test_requests_are_the_rules_own_words_each_once(page):
    # One task asked: "nhiệm vụ ... nêu trên", not "các"; a request without "nêu trên" keeps its words.
    assert "Đề nghị Phòng Kinh tế khẩn trương hoàn thành nhiệm vụ quá hạn nêu trên; gửi ngay báo cáo các kỳ đã quá hạn." in html_lines(page)
    twice = [OVERDUE[0], finding("task", "task:14", task("14", "Khác", due="2026-10-31", days_overdue=22), section="qua-han",
                                 request="khẩn trương hoàn thành các nhiệm vụ quá hạn nêu trên")]
    (section,) = build_sections(twice, UNIT)
    assert section.requests == ["khẩn trương hoàn thành các nhiệm vụ quá hạn nêu trên"]


@pytest.mark.parametrize(
    "request_, one",
    [
        ("khẩn trương hoàn thành các nhiệm vụ quá hạn nêu trên", "khẩn trương hoàn thành nhiệm vụ quá hạn nêu trên"),
        ("bổ sung, báo cáo số liệu các nội dung nêu trên", "bổ sung, báo cáo số liệu nội dung nêu trên"),
        # Only the "các" that opens the phrase "nêu trên" closes: "các cơ quan" before a comma stays.
        ("phối hợp các cơ quan, rà soát thành phần hồ sơ các thủ tục hành chính nêu trên",
         "phối hợp các cơ quan, rà soát thành phần hồ sơ thủ tục hành chính nêu trên"),
        ("gửi ngay báo cáo các kỳ đã quá hạn", "gửi ngay báo cáo các kỳ đã quá hạn"),
        ("có giải pháp để đạt {chỉ tiêu}", "có giải pháp để đạt nội dung nêu trên"),
    ],
)
def test_a_request_for_one_row_speaks_of_one_item_and_for_two_of_several(request_, one):
    rows = [finding("task", f"task:{n}", task(str(n), "Việc", due="2026-10-31", days_overdue=3), section="qua-han",
                    request=request_) for n in (13, 14)]
    [single] = build_sections(rows[:1], UNIT)
    assert single.requests == [one]
    [both] = build_sections(rows, UNIT)
    assert both.requests == [request_.replace("{chỉ tiêu}", "các nội dung nêu trên")]


def test_the_missed_checkpoint_has_its_own_section_with_date_status_and_request(page):
    lines = html_lines(page)
    assert "2. Nhiệm vụ chưa báo cáo tiến độ khi đã qua mốc kiểm tra" in lines
    assert table_rows(page, "cham-tien-do") == [
        ["1", "Kiểm tra cải cách hành chính (nhiệm vụ số 8)", "Quý III, IV/2026 Hạn cuối: 31/12/2026", "30/09/2026", "Chưa báo cáo"]
    ]
    assert "Đề nghị Phòng Kinh tế báo cáo ngay tiến độ thực hiện nhiệm vụ nêu trên." in lines
    assert "sắp đến hạn" not in " ".join(table_rows(page, "cham-tien-do")[0]).lower()


def test_overdue_table_lists_task_and_occurrence_with_days_overdue(page):
    assert table_rows(page, "qua-han") == [
        ["1", "Rà soát thủ tục đất đai (nhiệm vụ số 13)", "Tháng 10/2026 Hạn cuối: 31/10/2026", "22", "Đang thực hiện"],
        ["2", "Báo cáo quý về giải quyết TTHC (nhiệm vụ số 7, kỳ quý III/2026)",
         "Trước ngày 20 của tháng cuối quý Hạn cuối: 19/09/2026", "62", "Chưa báo cáo"],
    ]


def test_targets_say_the_gap_in_words_not_signs(page):
    rows = table_rows(page, "chi-tieu")
    assert rows == [
        ["1", "Tỷ lệ hồ sơ trực tuyến", "tối thiểu 95%", "78,5% (785/1.000; số liệu ngày 20/11/2026)", "thấp hơn 16,5 điểm phần trăm"],
        ["2", "Chỉ số DDCI thành phần", "tối thiểu 8,25 điểm", "7,5 điểm", "thấp hơn 0,75 điểm"],
        ["3", "Tỷ lệ hồ sơ trễ hạn", "tối đa 2%", "3,28%", "vượt 1,28 điểm phần trăm"],
    ]


def test_reductions_say_what_was_cut_in_words(page):
    assert table_rows(page, "03-giam") == [
        ["1", "1.001612 - Cấp giấy phép xây dựng", "Thời gian giải quyết: giảm 50% so với năm 2024",
         "giảm 33,33% (từ 15 ngày xuống 10 ngày)"],
        ["Chi phí tuân thủ: giảm 50% so với năm 2024", "chưa cắt giảm (vẫn 500.000 đồng, như năm 2024)"],
    ]


def test_missing_data_is_a_request_in_the_rules_words(page):
    lines = html_lines(page)
    assert "- Chỉ tiêu “Tỷ lệ thanh toán trực tuyến”: chưa có số liệu kết quả thực hiện." in lines


def test_a_grace_period_in_the_rule_changes_both_the_table_and_the_count(tmp_path):
    """Policy lives in the rule: 30 days' grace on nhiem-vu-qua-han drops task 6 (22 days
    overdue) from the table and from the count; task 5 (53 days) stays."""
    folder = read_plan_folder(EXAMPLES / "gia-phuc-2025")
    as_of = dt.date(2025, 11, 22)
    rules_dir = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules_dir)
    path = rules_dir / "nhiem-vu.yaml"
    text = path.read_text(encoding="utf-8")
    graced = text.replace('condition: status != "hoàn thành" and days_overdue > 0\n    severity: nhắc nhở\n    escalate:',
                          'condition: status != "hoàn thành" and days_overdue > 30\n    severity: nhắc nhở\n    escalate:', 1)
    assert graced != text
    path.write_text(graced, encoding="utf-8")
    unit = "Phòng Văn hoá - Xã hội"

    def letter(rules) -> tuple[list[list[str]], list[str]]:
        findings, _ = check([folder], rules, as_of)
        notice = Notice(plan=folder.plan, unit=unit, findings=[f for f in findings if f.unit == unit], as_of=as_of)
        html = render_html(notice)
        return table_rows(html, "qua-han"), [line for line in html_lines(html) if line.startswith("- Quá hạn")]

    rows, count = letter(load_rules())
    assert [r[3] for r in rows] == ["53", "22"] and count == ["- Quá hạn chưa hoàn thành: 02 nhiệm vụ;"]
    rows, count = letter(load_rules(rules_dir))
    assert [r[3] for r in rows] == ["53"] and count == ["- Quá hạn chưa hoàn thành: 01 nhiệm vụ;"]


AT_RISK_REQUEST = "theo dõi sát, có giải pháp kịp thời để {chỉ tiêu} giữ ở mức {mức yêu cầu} đến hết kỳ"
AT_RISK = [
    finding("target", "target:T6",
            target("T6", "Tỷ lệ hồ sơ trực tuyến", 95, 95.62, measured_on="2026-11-05", numerator=612, denominator=640,
                   period_end="2026-12-31", projection_points=6, projected=94.8, projected_low=94.4, projected_high=95.3),
            section="nguy-co", rule="chi-tieu-nguy-co-khong-dat", severity="nhắc nhở", request=AT_RISK_REQUEST),
    finding("target", "target:T7",
            target("T7", "Tỷ lệ hồ sơ trễ hạn", 2, 1.7, comparison="<=", period_end="2026-12-31", projection_points=4,
                   projected=2.3, projected_low=2.3, projected_high=2.3),
            section="nguy-co", rule="chi-tieu-nguy-co-khong-dat", request=AT_RISK_REQUEST),
]


def test_a_target_at_risk_is_a_warning_with_its_projection_never_a_failure():
    sections = build_sections([*TARGETS, *AT_RISK], UNIT)
    assert [s.id for s in sections] == ["chi-tieu", "nguy-co"]
    html = render_html(make_notice([*TARGETS, *AT_RISK]))
    lines = html_lines(html)
    assert "- Chưa đạt: 03 chỉ tiêu;" in lines and "- Có nguy cơ không đạt: 02 chỉ tiêu." in lines
    assert "2. Chỉ tiêu có nguy cơ không đạt" in lines
    assert ("Các chỉ tiêu dưới đây hiện đạt yêu cầu, nhưng nếu giữ xu hướng của các lần đo trong kỳ thì đến hết kỳ"
            " có nguy cơ không đạt:") in lines
    assert table_rows(html, "nguy-co") == [
        ["1", "Tỷ lệ hồ sơ trực tuyến", "tối thiểu 95%", "95,62% (612/640; số liệu ngày 05/11/2026; 06 lần đo trong kỳ)",
         "khoảng 94,8% (đến ngày 31/12/2026; có thể từ 94,4% đến 95,3%) thấp hơn 0,2 điểm phần trăm so với yêu cầu"],
        # A projection with no spread says no interval.
        ["2", "Tỷ lệ hồ sơ trễ hạn", "tối đa 2%", "1,7% (04 lần đo trong kỳ)",
         "khoảng 2,3% (đến ngày 31/12/2026) vượt 0,3 điểm phần trăm so với yêu cầu"],
    ]
    # The unit is asked to keep each target where it is, by the period's end.
    assert ("Đề nghị Phòng Kinh tế theo dõi sát, có giải pháp kịp thời để t6 giữ ở mức tối thiểu 95% và t7 giữ ở mức"
            " không quá 2% đến hết kỳ.") in lines
    block = next(div for div in parse(html).find_all("div", "section") if "nguy-co" in div.classes)
    assert "chưa đạt" not in block.text().lower()


def test_one_target_at_risk_is_introduced_in_the_singular():
    lines = lines_of(make_notice(AT_RISK[:1]))
    assert "Chỉ tiêu dưới đây hiện đạt yêu cầu, nhưng nếu giữ xu hướng của các lần đo trong kỳ thì đến hết kỳ có nguy cơ không đạt:" in lines


# --- the document's fixed parts --------------------------------------------------------------


def test_header_has_issuer_motto_number_and_date(page):
    lines = html_lines(page)
    assert lines[:7] == [
        "ỦY BAN NHÂN DÂN", "XÃ GIA LỘC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Số: /UBND-VP", "Gia Lộc, ngày 20 tháng 11 năm 2026", "V/v đôn đốc thực hiện Kế hoạch số 97/KH-UBND",
    ]


def test_a_numbered_plan_is_cited_by_number_date_and_issuer(page):
    assert ("Theo Kế hoạch số 97/KH-UBND ngày 23/03/2026 của Ủy ban nhân dân xã Gia Lộc về thực hiện nhiệm vụ, giải pháp cải"
            " thiện môi trường kinh doanh năm 2026 (sau đây gọi tắt là Kế hoạch), Phòng Kinh tế được giao chủ trì") in page


def test_a_plan_issued_by_a_decision_is_cited_through_it():
    plan = make_plan(number="692/QĐ-UBND", issued=dt.date(2025, 7, 31), issuer="UBND xã Gia Phúc", locality="Gia Phúc",
                     title="Cải cách hành chính nhà nước xã Gia Phúc 6 tháng cuối năm 2025", year=2025)
    text = text_of(make_notice(plan=plan, as_of=dt.date(2025, 11, 21)))
    assert "V/v đôn đốc thực hiện Kế hoạch ban hành kèm theo Quyết định số 692/QĐ-UBND" in text
    assert ("Theo Kế hoạch cải cách hành chính nhà nước xã Gia Phúc 6 tháng cuối năm 2025 ban hành kèm theo Quyết định số"
            " 692/QĐ-UBND ngày 31/07/2025 của Chủ tịch Ủy ban nhân dân xã Gia Phúc") in text
    assert "Kế hoạch số 692" not in text


def test_a_stated_decision_and_its_signer_are_cited_as_written():
    plan = make_plan(decision_number="15/QĐ-UBND", decision_date=dt.date(2026, 1, 9), decision_by="Ủy ban nhân dân xã Gia Lộc")
    text = text_of(make_notice(plan=plan))
    assert "ban hành kèm theo Quyết định số 15/QĐ-UBND ngày 09/01/2026 của Ủy ban nhân dân xã Gia Lộc" in text


@pytest.mark.parametrize("over", [dict(number="/KH-UBND", issued=None), dict(number="97/KH-UBND", issued=None), dict(number="", issued=None)])
def test_a_draft_is_marked_and_keeps_blanks_for_the_clerk(over):
    plan = make_plan(**over)
    assert plan.is_draft
    lines = lines_of(make_notice(plan=plan))
    assert lines[0] == "DỰ THẢO"
    assert any("ngày ……/……/2026 của Ủy ban nhân dân xã Gia Lộc" in line for line in lines)


def test_an_issued_plan_is_not_a_draft(page):
    assert "DỰ THẢO" not in page and not make_plan().is_draft


def test_the_letter_is_dated_on_a_working_day_and_the_reply_falls_on_one():
    sunday = dt.date(2026, 11, 22)
    notice = make_notice(as_of=sunday)
    assert notice.date == dt.date(2026, 11, 23)  # Monday
    # Five working days after Monday 23/11/2026; Tuesday 24/11 is Ngày Văn hóa Việt Nam.
    assert notice.reply_by == dt.date(2026, 12, 1)
    text = text_of(notice)
    assert "Gia Lộc, ngày 23 tháng 11 năm 2026" in text and "chậm nhất ngày 01/12/2026" in text
    assert "tổng hợp đến ngày 22/11/2026" in text  # the data are as of the check date itself


def test_a_working_day_is_its_own_date_and_the_reply_counts_from_it():
    notice = make_notice(as_of=dt.date(2026, 11, 20), settings=Settings(reply_days=1))
    assert (notice.date, notice.reply_by) == (dt.date(2026, 11, 20), dt.date(2026, 11, 23))


def test_the_offices_own_days_off_move_the_reply_date(tmp_path):
    days_off = tmp_path / "ngay-nghi.csv"
    days_off.write_text("date,kind,note\n2026-11-25,nghỉ,Hội nghị toàn xã\n", encoding="utf-8")
    friday = dt.date(2026, 11, 20)
    # Three working days after Friday 20/11: 23, 25, 26 (24/11 is a holiday) ...
    assert make_notice(as_of=friday, settings=Settings(reply_days=3)).reply_by == dt.date(2026, 11, 26)
    # ... and 23, 26, 27 when the office is closed on 25/11.
    notice = make_notice(as_of=friday, settings=Settings(days_off=days_off, reply_days=3))
    assert notice.reply_by == dt.date(2026, 11, 27)


def test_settings_name_the_symbol_signer_copies_and_drafting_unit():
    settings = Settings(symbol="UBND-VHXH", signer=Signer(authority="TM. ỦY BAN NHÂN DÂN", title="CHỦ TỊCH", name="Nguyễn Văn A"),
                        copies=["Thường trực Đảng ủy", "Chủ tịch, các PCT UBND xã"], superior="UBND thành phố Hải Phòng")
    lines = lines_of(make_notice(settings=settings))
    assert lines[0] == "UBND THÀNH PHỐ HẢI PHÒNG"
    assert "Số: /UBND-VHXH" in lines
    assert lines[-9:] == ["Nơi nhận:", "- Như trên;", "- Thường trực Đảng ủy;", "- Chủ tịch, các PCT UBND xã;",
                          "- Văn phòng HĐND và UBND xã;", "- Lưu: VT, VHXH.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn A"]


def test_the_plans_signer_signs_when_the_settings_name_none(page):
    assert html_lines(page)[-4:] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đoàn Ngọc Thuần"]


def test_a_register_number_under_ten_gets_a_leading_zero():
    assert make_notice(number=5).number_line == "Số: 05/UBND-VP"
    assert make_notice(number=123).number_line == "Số: 123/UBND-VP"


def test_plan_text_is_escaped_and_its_quotes_typeset():
    bad = finding("task", "task:13", task("13", '<script>alert(1)</script> "Rà soát" & đối chiếu', due="2026-10-31",
                                          days_overdue=22), section="qua-han")
    html = render_html(make_notice([bad]))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "“Rà soát” &amp; đối chiếu" in html


def test_nfd_input_is_printed_in_nfc():
    nfd = unicodedata.normalize("NFD", "Phòng Văn hóa - Xã hội")
    f = finding("task", "task:1", task("1", unicodedata.normalize("NFD", "Tuyên truyền"), due="2026-10-31", days_overdue=2),
                section="qua-han", unit=nfd)
    html = render_html(make_notice([f], unit=nfd))
    assert html == unicodedata.normalize("NFC", html) and "Kính gửi: Phòng Văn hóa - Xã hội." in html


def test_no_findings_still_gives_a_complete_letter():
    text = text_of(make_notice([]))
    assert "chưa phát hiện nội dung nào cần đôn đốc" in text and "Nơi nhận:" in text


# --- commune templates: extended, checked, sandboxed -----------------------------------------


def test_a_commune_template_can_extend_the_default(tmp_path):
    (tmp_path / "notice.html.j2").write_text(
        '{% extends "dondoc/notice.html.j2" %}{% block closing %}<p class="x">Nơi nhận theo quy chế xã</p>{% endblock %}',
        encoding="utf-8")
    text = text_of(make_notice(), tmp_path)
    assert "Nơi nhận theo quy chế xã" in text and "Kính gửi: Phòng Kinh tế." in text


def test_a_broken_template_names_file_and_line(tmp_path):
    (tmp_path / "notice.html.j2").write_text("<p>\n{{ unit </p>\n", encoding="utf-8")
    with pytest.raises(NoticeTemplateError) as exc:
        render_html(make_notice(), tmp_path)
    assert exc.value.filename.endswith("notice.html.j2") and exc.value.lineno == 2


def test_a_commune_template_runs_in_the_sandbox(tmp_path):
    (tmp_path / "notice.html.j2").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8")
    with pytest.raises(NoticeTemplateError, match="hộp cát|unsafe|access"):
        render_html(make_notice(), tmp_path)


def test_a_symlink_out_of_the_template_folder_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("MẬT KHẨU", encoding="utf-8")
    folder = tmp_path / "mau"
    folder.mkdir()
    (folder / "notice.html.j2").write_text('{% include "leak.txt" %}', encoding="utf-8")
    os.symlink(secret, folder / "leak.txt")
    with pytest.raises(NoticeTemplateError, match="ngoài thư mục mẫu"):
        render_html(make_notice(), folder)


def test_a_link_inside_the_template_folder_is_fine(tmp_path):
    (tmp_path / "part.html").write_text("<p>Phần riêng của xã</p>", encoding="utf-8")
    os.symlink(tmp_path / "part.html", tmp_path / "alias.html")
    (tmp_path / "notice.html.j2").write_text('{% include "alias.html" %}', encoding="utf-8")
    assert "Phần riêng của xã" in render_html(make_notice(), tmp_path)


def test_the_packages_own_template_is_not_sandboxed_but_a_communes_is(tmp_path):
    from jinja2.sandbox import SandboxedEnvironment

    from dondoc.templates import make_environment

    (tmp_path / "notice.html.j2").write_text("x", encoding="utf-8")
    assert not isinstance(make_environment(None), SandboxedEnvironment)
    assert isinstance(make_environment(tmp_path), SandboxedEnvironment)


def test_a_folder_without_the_template_is_an_error(tmp_path):
    with pytest.raises(NoticeTemplateError, match="notice.html.j2"):
        render_html(make_notice(), tmp_path)


def test_a_notice_needs_an_addressee():
    with pytest.raises(ValueError):
        make_notice(unit=" ")


def test_the_default_signer_is_the_committee():
    assert Signer().authority == "TM. ỦY BAN NHÂN DÂN" and Signer().title == "CHỦ TỊCH"
    assert norm(" ".join(lines_of(make_notice(plan=make_plan(signer=Signer()))))).endswith("TM. ỦY BAN NHÂN DÂN CHỦ TỊCH")

# --- the classification: rows, who leads them, common items, order ----------------------------
# Found blind by mutation testing (make mutation templates/sections.py): pinned before only
# through whole letters rendered by the command line.

MONITOR = "Văn phòng HĐND và UBND xã"
ECONOMY = "Phòng Kinh tế"
CULTURE = "Phòng Văn hóa - Xã hội"
DUE = Deadline(phrase="Tháng 10/2026", kind=DeadlineKind.DUE, due=dt.date(2026, 10, 31))
ELSEWHERE = Deadline(phrase="Theo văn bản hướng dẫn của tỉnh", kind=DeadlineKind.EXTERNAL)
QUARTERLY = Deadline(phrase="Hằng quý", kind=DeadlineKind.RECURRING, every="quarter",
                     occurrences=[dt.date(2026, 3, 31), dt.date(2026, 6, 30)])


def plan_folder() -> PlanFolder:
    """Task 1, target CT02 and procedure 1.002 have a lead; task 2, recurring task 3, target
    CT01 and procedure 1.001 are the plan's own (no lead unit)."""
    plan = Plan(issuer="UBND xã Gia Lộc", locality="Gia Lộc", number="97/KH-UBND", issued=dt.date(2026, 3, 23),
                title="Cải cách hành chính năm 2026", year=2026, monitor=MONITOR)
    return PlanFolder(
        path="plans/a",
        plan=plan,
        tasks=[
            Task(id="1", title="Nhiệm vụ 1", lead=[ECONOMY, CULTURE], deadline=DUE),
            Task(id="2", title="Nhiệm vụ 2", deadline=ELSEWHERE, due=dt.date(2026, 9, 30),
                 due_source="Công văn  số 12/UBND-VP"),
            Task(id="3", title="Nhiệm vụ 3", deadline=QUARTERLY),
        ],
        targets=[
            Target(id="CT01", text="Tỷ lệ hồ sơ đúng hạn", metric="Tỷ lệ hồ sơ đúng hạn", comparison=">=", value=95,
                   unit="%"),
            Target(id="CT02", text="Tỷ lệ hồ sơ trực tuyến", metric="Tỷ lệ hồ sơ trực tuyến", comparison=">=",
                   value=80, unit="%", lead=[ECONOMY]),
        ],
        procedures=[
            Procedure(code="1.001", name="Thủ tục 1", baseline_year=2024, baseline_days=10),
            Procedure(code="1.002", name="Thủ tục 2", lead=CULTURE, baseline_year=2024, baseline_days=10),
        ],
    )


def item(subject: str, unit: str, section: str, **fact) -> Finding:
    kind = subject.partition(":")[0]
    ident = subject.partition(":")[2].partition("@")[0]
    key = {"task": "task", "occurrence": "task", "target": "target", "procedure": "code"}[kind]
    request = fact.pop("request", "")
    return Finding(rule=f"r-{section}", title="Vi phạm", plan="97/KH-UBND", fact_kind=kind, subject=subject,
                   unit=unit, severity="cảnh báo", message=f"{subject}: vi phạm.", section=section,
                   fact={"plan": "97/KH-UBND", "unit": unit, key: ident, **fact}, request=request)


def row_facts(sections) -> dict[str, tuple]:
    return {row.subject: (s.number, s.id, row.common, row.lead_units, row.lead_note) for s in sections for row in s.rows}


def test_the_plan_index_holds_the_items_with_no_lead_and_the_sources_of_supplied_dates():
    index = PlanIndex.of(plan_folder())
    assert index.common == {"task:2", "task:3", "target:CT01", "procedure:1.001"}
    assert index.sources == {"2": "Công văn số 12/UBND-VP"}


def test_an_item_with_no_lead_unit_is_common_in_the_monitors_letter_and_its_supplied_date_cites_its_source():
    """derive.py gives such an item to the monitor (plan.monitor); the letter must say it is the
    plan's own, not that the monitor was given it."""
    findings = [
        item("task:2", MONITOR, "qua-han", due="2026-09-30", deadline="Theo văn bản hướng dẫn của tỉnh"),
        item("occurrence:3@2026-Q1", MONITOR, "thuong-xuyen", period="2026-Q1", due="2026-03-31"),
        item("target:CT01", MONITOR, "chi-tieu", comparison=">=", value=95, measure="%", actual=90),
        item("procedure:1.001", MONITOR, "03-giam", baseline_year=2024),
        item("task:4", MONITOR, "khac"),  # the monitor's own item (led by name): not common
    ]
    sections = build_sections(findings, MONITOR, PlanIndex.of(plan_folder()))
    assert row_facts(sections) == {
        "task:2": (1, "qua-han", True, (), "Nhiệm vụ chung của Kế hoạch, không giao đơn vị chủ trì"),
        "occurrence:3@2026-Q1": (2, "thuong-xuyen", True, (), "Nhiệm vụ chung của Kế hoạch, không giao đơn vị chủ trì"),
        "target:CT01": (3, "chi-tieu", True, (), "Chỉ tiêu chung của Kế hoạch, không giao đơn vị chủ trì"),
        "procedure:1.001": (4, "03-giam", True, (), "Thủ tục chung của Kế hoạch, không giao đơn vị chủ trì"),
        "task:4": (5, "khac", False, (), ""),
    }
    assert sections[0].rows[0].due_note == "Hạn cuối: 30/09/2026 (theo Công văn số 12/UBND-VP)"
    # Without the plan's index nothing is common, and the date cites nothing.
    plain = build_sections(findings, MONITOR)
    assert not any(row.common for s in plain for row in s.rows)
    assert plain[0].rows[0].due_note == "Hạn cuối: 30/09/2026"


def test_an_item_the_addressee_leads_alone_names_no_lead_and_one_it_shares_names_it_first():
    findings = [
        item("task:1", ECONOMY, "qua-han", due="2026-10-31"),
        item("task:1", CULTURE, "qua-han", due="2026-10-31"),
        item("target:CT02", CULTURE, "chi-tieu", comparison=">=", value=80, measure="%", actual=70),
        item("procedure:1.002", CULTURE, "03-giam", baseline_year=2024),
    ]
    got = row_facts(build_sections(findings, CULTURE, PlanIndex.of(plan_folder())))
    assert got == {
        "task:1": (1, "qua-han", False, (CULTURE, ECONOMY), f"Đơn vị chủ trì: {CULTURE}; {ECONOMY}"),
        # The plan gives CT02 to Phòng Kinh tế: the row says so, though only this finding reached the letter.
        "target:CT02": (2, "chi-tieu", False, (CULTURE, ECONOMY), f"Đơn vị chủ trì: {CULTURE}; {ECONOMY}"),
        "procedure:1.002": (3, "03-giam", False, (), ""),
    }
    # A common item reached through another unit is that unit's, not common.
    shared = row_facts(build_sections([item("target:CT01", ECONOMY, "chi-tieu", value=95, measure="%")], CULTURE,
                                 PlanIndex.of(plan_folder())))
    assert shared["target:CT01"][2:4] == (False, (ECONOMY,))


def test_a_common_item_does_not_make_the_monitor_a_lead_unit_of_the_plan():
    folder = plan_folder()
    assert folder.leads() == [ECONOMY, CULTURE]
    notices = {letter.stem: letter.notice for letter in build_letters(folder, [item("task:2", MONITOR, "qua-han")], AS_OF, Settings())[1]}
    [notice] = notices.values()
    assert notice.unit == MONITOR and notice.leads is False
    notices = {letter.stem: letter.notice for letter in build_letters(folder, [item("task:4", MONITOR, "qua-han")], AS_OF, Settings())[1]}
    assert [n.leads for n in notices.values()] == [True]


def test_rows_keep_the_plans_order_tasks_then_occurrences_each_by_number_then_due():
    findings = [
        item("occurrence:2.1@2026-Q1", ECONOMY, "thuong-xuyen", period="2026-Q1", due="2026-03-31"),
        item("occurrence:2@2026-Q2", ECONOMY, "thuong-xuyen", period="2026-Q2", due="2026-06-30"),
        item("occurrence:2@2026-Q1", ECONOMY, "thuong-xuyen", period="2026-Q1", due="2026-03-31"),
        item("task:10", ECONOMY, "thuong-xuyen"),
        item("task:9", ECONOMY, "thuong-xuyen"),
    ]
    [section] = build_sections(findings, ECONOMY)
    assert [row.subject for row in section.rows] == [
        "task:9", "task:10", "occurrence:2@2026-Q1", "occurrence:2@2026-Q2", "occurrence:2.1@2026-Q1",
    ]


def test_a_request_with_places_is_said_once_for_each_target_of_its_section():
    ask = "có giải pháp cụ thể để đưa {chỉ tiêu} về {mức yêu cầu}"
    findings = [
        item("target:CT02", ECONOMY, "chi-tieu", metric="Tỷ lệ hồ sơ trực tuyến", comparison=">=", value=80,
                measure="%", actual=70, request=ask),
        item("target:CT01", ECONOMY, "chi-tieu", metric="Tỷ lệ hồ sơ đúng hạn", comparison=">=", value=95,
                measure="%", actual=90, request=ask),
    ]
    [section] = build_sections(findings, ECONOMY)
    assert section.requests == [
        "có giải pháp cụ thể để đưa tỷ lệ hồ sơ đúng hạn về tối thiểu 95% và tỷ lệ hồ sơ trực tuyến về tối thiểu 80%"
    ]


@pytest.mark.parametrize(
    "code, words",
    [
        ("2026-Q3", "quý III/2026"),
        ("2026-q1", "quý I/2026"),
        ("2026-01", "tháng 01/2026"),
        ("2026-02", "tháng 02/2026"),  # months 1 and 2 with a leading zero (Nghị định 30)...
        ("2026-03", "tháng 3/2026"),  # ...the others without
        ("2026-12", "tháng 12/2026"),
        ("2026-13", "2026-13"),  # not a month: as written
        ("2025-H2", "6 tháng cuối năm 2025"),
        ("2026", "năm 2026"),
        ("2026-10-05", "ngày 05/10/2026"),
        ("2026-02-30", "2026-02-30"),
        ("", ""),
    ],
)
def test_a_period_reads_as_staff_write_it_in_letters_and_in_rule_messages(code, words):
    from dondoc.facts.periods import period_words
    from dondoc.templates.formats import period_label

    assert period_words(code) == period_label(code) == words
