"""The Chairman's summary (Báo cáo tổng hợp) and the register through the command line:
content from findings only, three formats read back, numbers in the notices, the .xlsx book."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn

from dondoc.cli import main
from dondoc.engine.rulebook import load_rules
from dondoc.night import evaluate as check
from dondoc.facts.planfolder import read_plan_folder
from dondoc.facts.settings import settings_for
from dondoc.night.plan import build_letters, plan_summary as build_summary
from dondoc.templates.sections import SECTIONS
from dondoc.templates.summary import render_html, unit_symbol
from tests.faults import refused_by_durable_rules
from tests.notice_text import html_lines

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
GIA_PHUC = EXAMPLES / "gia-phuc-2025"
AS_OF = dt.date(2025, 11, 22)
AS_OF_2026 = dt.date(2026, 11, 22)


# The rules these counts were written for: a rule added to rules/ would add its own items.
WRITTEN_FOR = {
    "nhiem-vu-qua-han", "nhiem-vu-sap-den-han", "bao-cao-dinh-ky-qua-han", "nhiem-vu-chua-co-thoi-han",
    "nhiem-vu-thuong-xuyen-chua-bao-cao", "nhiem-vu-cham-tien-do", "chi-tieu-toi-thieu", "chi-tieu-toi-da", "chi-tieu-bang",
    "chi-tieu-nguy-co-khong-dat", "giam-thoi-gian", "giam-chi-phi", "giam-thanh-phan-ho-so", "chi-tieu-cat-giam-chua-co-so-lieu",
}


def _checked(name: str, as_of: dt.date):
    folder = read_plan_folder(EXAMPLES / name)
    findings, _ = check([folder], [r for r in load_rules() if r.id in WRITTEN_FOR], as_of)
    return folder, findings


@pytest.fixture(scope="module")
def gia_phuc():
    return _checked("gia-phuc-2025", AS_OF)


@pytest.fixture(scope="module")
def quyet_thang():
    return _checked("quyet-thang-2026", AS_OF_2026)


def _letters(folder, findings, as_of) -> dict[str, dict[str, int]]:
    """Each letter the notices write, as the count of rows in each of its sections."""
    letters = build_letters(folder, findings, as_of, settings_for(folder.path))[1]
    return {letter.notice.unit: {s.id: len(s.rows) for s in letter.notice.sections} for letter in letters}


def test_the_units_table_is_the_letters_each_with_its_own_counts(quyet_thang):
    folder, findings = quyet_thang
    summary = build_summary(folder, findings, AS_OF_2026)
    letters = _letters(folder, findings, AS_OF_2026)
    rows = {r.unit: {k: n for k, n in r.classes.items() if n} for r in summary.units}
    # Every addressee is a row with its letter's counts: groups are not units (their items went
    # to Phòng Kinh tế, Phòng Văn hóa - Xã hội and the monitoring unit), Phòng Kinh tế is there.
    assert {unit: rows[unit] for unit in letters} == letters
    assert rows["Trung tâm Phục vụ hành chính công"] == {"qua-han": 1, "thuong-xuyen": 1, "chi-tieu": 3, "03-giam": 2, "thieu-so-lieu": 8, "sap-den-han": 1}
    assert not [u for u in rows if u.startswith("Các ")]
    # Units the plan names with nothing to urge are listed with zeros; each row's total is its items.
    assert rows["Cổng thông tin điện tử xã"] == {}
    for row in summary.units:
        assert row.items == sum(row.classes.values()) == sum(row.severities.values())
    assert set(summary.units[0].classes) == set(SECTIONS)


def test_the_total_row_and_the_headline_count_each_item_once(quyet_thang):
    folder, findings = quyet_thang
    summary = build_summary(folder, findings, AS_OF_2026)
    totals = summary.totals
    assert totals["items"] == sum(totals[c] for c in summary.classes) == sum(totals[s] for s in summary.severities) == 16
    # Item by item: the letter to the monitoring unit holds every item of this plan once.
    assert totals["items"] == sum(r.items for r in summary.units if r.unit == "Trung tâm Phục vụ hành chính công")
    html = render_html(summary)
    # A draft plan: its letters are drafts, one of them to two units (the same content); none is "sent".
    assert ("Kế hoạch có 29 nhiệm vụ, 15 chỉ tiêu, giao 05 đơn vị và 03 nhóm đơn vị chủ trì. Qua kiểm tra có 16 nội dung"
            " cần đôn đốc, khắc phục, trong đó 01 nội dung ở mức nghiêm trọng; 02 công văn đôn đốc gửi 03 đơn vị mới là"
            " dự thảo, chỉ gửi được khi Kế hoạch có số, ngày ban hành.") in html
    assert "đã có công văn" not in html and html_lines(html)[0] == "DỰ THẢO"
    assert "Tổng số nội dung" in html and "Số nội dung" in summary.charts[0].svg.decode()


def test_the_late_items_at_every_severity_and_the_severe_ones_the_worst_first_in_the_letters_words(gia_phuc):
    folder, findings = gia_phuc
    summary = build_summary(folder, findings, AS_OF)
    assert [(r.severity, r.subject.split(" “")[0], r.late) for r in summary.late] == [
        ("nghiêm trọng", "Nhiệm vụ số 22", True), ("nghiêm trọng", "Nhiệm vụ số 5", True), ("cảnh báo", "Nhiệm vụ số 6", True)]
    occurrence = summary.late[0]
    assert occurrence.subject.endswith("kỳ quý III/2025")
    assert occurrence.status == "Quá hạn 53 ngày (hạn 30/09/2025); chưa báo cáo"
    for row in summary.late:  # the state, not the title again, nor a period code or a straight quote
        assert '"' not in row.status and "2025-Q3" not in row.status and "Nhiệm vụ" not in row.status
    assert summary.rest == {}
    # Nothing is re-derived: a late item the rules rated lower is named at their severity; an item
    # rated nghiêm trọng outside "quá hạn" is named too, one rated lower is not.
    milder = [f.model_copy(update={"severity": "nhắc nhở"}) if f.severity == "nghiêm trọng" else f for f in findings]
    assert [r.severity for r in build_summary(folder, milder, AS_OF).late] == ["cảnh báo", "nhắc nhở", "nhắc nhở"]
    target = next(f for f in findings if f.section == "chi-tieu")
    harsher = [f.model_copy(update={"severity": "nghiêm trọng"}) if f is target else f for f in findings]
    severe = [r for r in build_summary(folder, harsher, AS_OF).late if not r.late]
    assert [r.subject.split(" “")[0] for r in severe] == ["Chỉ tiêu"] and severe[0].status.startswith("Kết quả ")


def test_the_summary_names_the_worst_n_late_items_and_counts_the_rest_by_severity(gia_phuc):
    folder, findings = gia_phuc
    settings = settings_for(folder.path)
    exactly = build_summary(folder, findings, AS_OF, settings.model_copy(update={"summary_late": 3}))
    assert len(exactly.late) == 3 and exactly.rest == {}
    one_less = build_summary(folder, findings, AS_OF, settings.model_copy(update={"summary_late": 2}))
    assert [r.subject.split(" “")[0] for r in one_less.late] == ["Nhiệm vụ số 22", "Nhiệm vụ số 5"]
    assert one_less.rest == {"cảnh báo": 1}
    html = render_html(build_summary(folder, findings, AS_OF, settings.model_copy(update={"summary_late": 1})))
    assert ("Có 03 nội dung quá hạn; dưới đây là 01 nội dung nặng nhất, đề nghị Chủ tịch Ủy ban nhân dân xã xem xét,"
            " chỉ đạo:") in html
    assert ("Ngoài ra còn 02 nội dung khác (01 ở mức nghiêm trọng, 01 ở mức cảnh báo), nêu tại công văn gửi từng"
            " đơn vị.") in html


def test_a_late_item_below_nghiem_trong_is_named_gia_loc_task_13():
    """Gia Lộc's summary said "Không có nội dung nào ở mức nghiêm trọng" and never named task
    13, 22 days overdue (cảnh báo)."""
    folder, findings = _checked("gia-loc-2026", AS_OF_2026)
    summary = build_summary(folder, findings, AS_OF_2026)
    [row] = summary.late
    assert (row.unit, row.severity) == ("Phòng Kinh tế xã", "cảnh báo")
    assert row.subject.startswith("Nhiệm vụ số 13 “Tổ chức đối thoại") and row.status.startswith("Quá hạn 22 ngày")
    assert "Không có nội dung nào" not in render_html(summary)


def test_every_target_is_assessed_in_words_from_what_the_rules_found(gia_phuc):
    folder, findings = gia_phuc
    summary = build_summary(folder, findings, AS_OF)
    assert [t.number for t in summary.targets] == list(range(1, len(folder.targets) + 1))
    by_id = {t.id: t for t in summary.targets}
    ct08 = by_id["CT08"]
    assert (ct08.required, ct08.actual, ct08.measured_on, ct08.verdict) == ("Tối thiểu 95%", "78,5%", "05/11/2025", "Chưa đạt (thấp hơn 16,5 điểm phần trăm)")
    assert (by_id["CT01"].actual, by_id["CT01"].verdict) == ("Chưa có số liệu", "Chưa có số liệu")
    assert by_id["CT06"].verdict == "Đạt"
    # CT04 cuts time by 50% and the plan has no procedure to measure it on: a finding says so.
    assert (by_id["CT04"].actual, by_id["CT04"].verdict) == ("Chưa có số liệu", "Chưa có số liệu")
    assert by_id["CT04"].text.startswith("Cắt giảm thời gian giải quyết")
    # A target no lead unit was given is the monitoring unit's to follow, not its own.
    assert by_id["CT01"].units == "Không giao (Phòng Văn hoá - Xã hội theo dõi)" and by_id["CT08"].units == "Phòng Kinh tế"
    # With no findings a measured target reads "Đạt"; the words are the rules', not a second policy.
    assert by_id["CT08"].verdict != build_summary(folder, [], AS_OF).targets[7].verdict == "Đạt"
    text = render_html(summary)
    for jargon in ("Không có phát hiện", "Chỉ tiêu tối thiểu chưa đạt", "Số phát hiện", "Phát hiện của"):
        assert jargon not in text


def test_a_maximum_target_reads_as_exceeded():
    folder, findings = _checked("an-bien-2026", AS_OF_2026)
    ct02 = next(t for t in build_summary(folder, findings, AS_OF_2026).targets if t.id == "CT02")
    assert ct02.verdict == "Vượt mức tối đa 1,28 điểm phần trăm"


def test_the_03_giam_targets_show_time_and_cost_from_their_procedures(quyet_thang):
    folder, findings = quyet_thang
    by_id = {t.id: t for t in build_summary(folder, findings, AS_OF_2026).targets}
    # 1.001612 cut time by 33,33% only, 2.000908 cut cost by 40% and 1.001612 not at all;
    # 1.000894 has no current figures (the TTPVHCC letter says so too).
    assert (by_id["CT02"].text, by_id["CT02"].required) == ("Cắt giảm thời gian giải quyết TTHC so với năm 2024", "Tối thiểu 50%")
    assert (by_id["CT02"].actual, by_id["CT02"].verdict) == ("03 thủ tục có số liệu; 01 thủ tục chưa có số liệu", "Chưa đạt: 01/03 thủ tục")
    assert by_id["CT03"].text == "Cắt giảm chi phí tuân thủ TTHC so với năm 2024"
    assert by_id["CT03"].verdict == "Chưa đạt: 02/03 thủ tục"
    # The same procedures meeting every cut: the targets are met.
    met = [f for f in findings if f.fact_kind != "procedure"]
    assert {t.id: t.verdict for t in build_summary(folder, met, AS_OF_2026).targets if t.id in ("CT02", "CT03")} == {
        "CT02": "Đạt: 03/03 thủ tục", "CT03": "Đạt: 03/03 thủ tục"}


def test_the_chart_of_targets_numbers_them_as_the_table_does(quyet_thang):
    folder, findings = quyet_thang
    summary = build_summary(folder, findings, AS_OF_2026)
    svg = summary.charts[1].svg.decode()
    assert "15. " in svg and "2. Cắt giảm thời gian giải quyết TTHC so với năm 2024" in svg
    assert "CT0" not in svg and "…" not in svg
    assert "Chưa đạt: 01/03 thủ tục" in svg


def test_the_html_is_an_official_report_with_both_charts(gia_phuc):
    folder, findings = gia_phuc
    html = render_html(build_summary(folder, findings, AS_OF))
    for text in ("BÁO CÁO", "Số: \u00a0", "/BC-VHXH", "Lưu: VT, VHXH.", "KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "Đỗ Thị Hằng", "Gia Phúc, ngày 24 tháng 11 năm 2025", "Kính gửi: Chủ tịch Ủy ban nhân dân xã Gia Phúc.",
                 "Kế hoạch ban hành kèm theo Quyết định số", "692/QĐ-UBND",
                 "Quyết định số 692/QĐ-UBND ngày 31/07/2025 của Chủ tịch Ủy ban nhân dân xã Gia Phúc", "Nơi nhận:",
                 "Kế hoạch có 43 nhiệm vụ, 08 chỉ tiêu, giao 04 đơn vị chủ trì; 06 nội dung chung không giao đơn vị chủ trì do Phòng Văn hoá - Xã hội theo dõi.",
                 "Qua kiểm tra có 15 nội dung cần đôn đốc, khắc phục, trong đó 02 nội dung ở mức nghiêm trọng; đã lập dự thảo công văn đôn đốc gửi 04 đơn vị, chờ ký.",
                 "TRƯỞNG PHÒNG", "Biểu đồ 1.", "Biểu đồ 2.", "Theo mục của công văn", "Theo mức độ"):
        assert text in html, text
    assert html.count("data:image/svg+xml;base64,") == 2
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html  # nothing fetched


def _check(*args) -> object:
    return CliRunner().invoke(main, ["check", *map(str, args)], catch_exceptions=False)


def test_check_writes_a_summary_per_plan_in_three_formats(tmp_path):
    out = tmp_path / "out"
    plans = [EXAMPLES / "gia-loc-2026", EXAMPLES / "an-bien-2026"]
    result = _check(*plans, "--as-of", "2026-11-22", "--out", out)
    assert result.exit_code == 0, result.output
    stems = sorted(p.stem for p in (out / "summary").glob("*.html"))
    assert stems == ["bao-cao-tong-hop__phuong-an-bien-2026-41-KH-UBND", "bao-cao-tong-hop__xa-gia-loc-2026-97-KH-UBND"]
    for stem in stems:
        for suffix in (".docx", ".pdf", "__don-vi.svg", "__don-vi.png", "__chi-tieu.svg", "__chi-tieu.png"):
            assert (out / "summary" / f"{stem}{suffix}").stat().st_size > 1000, suffix
    text = "\n".join(p.text for p in Document(out / "summary" / f"{stems[1]}.docx").paragraphs)
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân xã Gia Lộc." in text and "BÁO CÁO" in text
    assert ("Kế hoạch có 21 nhiệm vụ, 05 chỉ tiêu, giao 04 đơn vị và 01 nhóm đơn vị chủ trì; 04 nội dung chung không giao"
            " đơn vị chủ trì do Phòng Kinh tế xã theo dõi. Qua kiểm tra có ") in text  # (the count: the pinned tests above)
    table = Document(out / "summary" / f"{stems[1]}.docx").tables[1]  # Bảng 1, after the title block
    assert [c.text for c in table.rows[0].cells][2] == "Theo mục của công văn" and table.rows[0].cells[-1].text == "Theo mức độ"
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders.find(qn("w:bottom")).get(qn("w:val")) == "single"  # the last row is closed
    if shutil.which("pdftotext"):
        pdf = subprocess.run(["pdftotext", "-layout", out / "summary" / f"{stems[1]}.pdf", "-"], capture_output=True, text=True, check=True).stdout
        assert "Kính gửi: Chủ tịch Ủy ban nhân dân xã Gia Lộc." in pdf and "Bảng 2." in pdf


# -- honest: drafts, rules that did not run, targets no rule checks --------------------------------


def test_a_draft_plans_summary_is_marked_and_never_says_letters_were_sent(quyet_thang):
    folder, findings = quyet_thang
    settings = settings_for(folder.path)
    marked = render_html(build_summary(folder, findings, AS_OF_2026, settings))
    assert html_lines(marked)[0] == "DỰ THẢO" and "mới là dự thảo, chỉ gửi được khi Kế hoạch có số, ngày ban hành" in marked
    withheld = render_html(build_summary(folder, findings, AS_OF_2026, settings.model_copy(update={"drafts": "withhold"})))
    assert "chưa có công văn đôn đốc: Kế hoạch chưa có số, ngày ban hành" in withheld and "gửi 0" not in withheld
    # The same plan once issued: no mark, and its letters are said to exist.
    issued = folder.model_copy(update={"plan": folder.plan.model_copy(update={"number": "12/KH-UBND", "issued": dt.date(2026, 3, 2)})})
    html = render_html(build_summary(issued, findings, AS_OF_2026, settings))
    assert html_lines(html)[0] != "DỰ THẢO" and "đã lập dự thảo 02 công văn đôn đốc gửi 03 đơn vị, chờ ký" in html


def test_a_target_whose_rule_did_not_run_is_not_checked_never_met():
    """Gia Lộc's CT04 (88,3% against a minimum of 90%) read "Đạt" when chi-tieu-toi-thieu could
    not run: no finding was taken for "met"."""
    folder = read_plan_folder(EXAMPLES / "gia-loc-2026")
    rules = load_rules()
    findings, _ = check([folder], rules, AS_OF_2026)
    kept = [f for f in findings if f.rule != "chi-tieu-toi-thieu"]  # as the night keeps them when it stops
    summary = build_summary(folder, kept, AS_OF_2026, rules=rules, stopped={"chi-tieu-toi-thieu": "division by zero"})
    by_id = {t.id: t for t in summary.targets}
    unchecked = "Không kiểm tra được (quy tắc chi-tieu-toi-thieu không chạy được)"
    assert (by_id["CT04"].verdict, by_id["CT04"].kind) == (unchecked, "khong-kiem-tra")
    assert by_id["CT02"].verdict == unchecked  # 84,5% against 80%: met, but nothing checked it this night
    assert by_id["CT03"].verdict == "Đạt"  # "100%" is chi-tieu-bang's, which ran
    assert by_id["CT01"].verdict.startswith("Chưa đạt")  # a violation found by a rule that ran stands
    html = render_html(summary)
    assert ("Lưu ý: lần kiểm tra này quy tắc chi-tieu-toi-thieu (“Chỉ tiêu tối thiểu chưa đạt”) không chạy được; các nội"
            " dung quy tắc đó kiểm tra chưa được đánh giá") in html
    # With every rule running, the same targets read as the rules found them.
    ran = {t.id: t.verdict for t in build_summary(folder, findings, AS_OF_2026, rules=rules).targets}
    assert ran["CT04"].startswith("Chưa đạt") and ran["CT02"] == "Đạt"


def test_a_target_no_rule_checks_is_never_met():
    folder = read_plan_folder(EXAMPLES / "gia-loc-2026")
    rules = [r for r in load_rules() if r.id != "chi-tieu-bang"]  # no rule for "đạt 100%" targets
    findings, _ = check([folder], rules, AS_OF_2026)
    by_id = {t.id: t for t in build_summary(folder, findings, AS_OF_2026, rules=rules).targets}
    assert (by_id["CT03"].actual, by_id["CT03"].verdict) == ("100%", "Không có quy tắc kiểm tra")  # 100% of 100%
    assert by_id["CT01"].verdict == "Không có quy tắc kiểm tra"  # 98,6% of 100%: no rule said so either
    assert by_id["CT02"].verdict == "Đạt"


def test_the_summary_runs_through_the_night_with_a_stopped_rule(tmp_path, monkeypatch):
    refused_by_durable_rules(monkeypatch, "chi-tieu-toi-thieu")
    out = tmp_path / "out"
    result = _check(EXAMPLES / "gia-loc-2026", "--as-of", "2026-11-22", "--out", out, "--format", "html", "--workers", 1)
    assert result.exit_code == 3
    html = (out / "summary" / "bao-cao-tong-hop__xa-gia-loc-2026-97-KH-UBND.html").read_text(encoding="utf-8")
    assert html.count("Không kiểm tra được (quy tắc chi-tieu-toi-thieu không chạy được)") == 2  # CT02, CT04
    assert "chi-tieu-toi-thieu (“Chỉ tiêu tối thiểu chưa đạt”) không chạy được" in html


def test_one_unit_one_abbreviation_in_the_letters_and_the_summary():
    assert unit_symbol("Phòng Văn hoá - Xã hội", "VHXH") == unit_symbol("Phòng Văn hoá - Xã hội") == "VHXH"
    assert unit_symbol("Phòng Kinh tế xã", "KT") == unit_symbol("Phòng Kinh tế xã", "VP") == "KT"
    assert unit_symbol("Trung tâm Phục vụ hành chính công", "TTPVHCC") == "TTPVHCC"
    assert unit_symbol("Văn phòng HĐND và UBND xã", "VP") == unit_symbol("Văn phòng HĐND và UBND xã") == "VP"
    # The office's own abbreviation of the unit wins over the initials, when it abbreviates that unit.
    assert unit_symbol("Phòng Văn hóa, Thông tin và Xã hội", "VHXH") == "VHXH"
    assert unit_symbol("Phòng Văn hóa, Thông tin và Xã hội", "KT") == "VHTTXH"


def test_a_target_at_risk_is_a_warning_in_its_own_part_of_the_report_never_a_failure():
    from dondoc.templates.summary import context
    from dondoc.templates.summary_docx import render_docx

    folder, findings = _checked("an-bien-2026", AS_OF_2026)
    summary = build_summary(folder, findings, AS_OF_2026)
    ct01 = next(t for t in summary.targets if t.id == "CT01")
    assert (ct01.kind, ct01.verdict) == ("nguy-co", "Đạt; có nguy cơ không đạt (dự kiến đến hết kỳ khoảng 94,8%)")
    (row,) = summary.warnings
    assert row.subject == "Chỉ tiêu “Tỷ lệ hồ sơ tiếp nhận và xử lý trực tuyến đạt từ 95% trở lên”"
    assert row.unit == "Không giao (Trung tâm Phục vụ hành chính công phường theo dõi)"
    assert row.now == "95,63% (612/640; số liệu ngày 05/11/2026; 06 lần đo trong kỳ)"
    assert row.projected == "khoảng 94,8% (đến ngày 31/12/2026; có thể từ 94,4% đến 95,2%)"
    assert row.required == "Tối thiểu 95%"
    assert summary.totals["nguy-co"] == 1 and "nguy-co" in summary.classes
    html = render_html(summary)
    for text in ("IV. CÁC CHỈ TIÊU CÓ NGUY CƠ KHÔNG ĐẠT", "Có 01 chỉ tiêu hiện đạt yêu cầu, nhưng nếu giữ xu hướng của các lần đo",
                 "<th>Có nguy cơ không đạt</th>"):
        assert text in html, text
    assert row.projected in html_lines(html)  # its numbers kept unbroken (spans): the cell's text
    text = "\n".join(p.text for p in Document(io.BytesIO(render_docx(summary, context(summary)))).paragraphs)
    assert "IV. CÁC CHỈ TIÊU CÓ NGUY CƠ KHÔNG ĐẠT" in text and "Có 01 chỉ tiêu hiện đạt yêu cầu" in text
    # The rules decide: without the warning the target reads "Đạt", and the part says none was projected to miss.
    plain = build_summary(folder, [f for f in findings if f.rule != "chi-tieu-nguy-co-khong-dat"], AS_OF_2026)
    assert plain.warnings == [] and next(t for t in plain.targets if t.id == "CT01").verdict == "Đạt"
    assert "Chưa có chỉ tiêu nào được dự báo có nguy cơ không đạt đến hết kỳ (dự báo theo xu hướng khi chỉ tiêu có từ 03 lần đo trong kỳ)." in render_html(plain)


def test_too_few_measurements_to_project_leave_a_measured_target_met():
    folder, findings = _checked("gia-phuc-2025", AS_OF)
    assert any(f.rule == "chi-tieu-nguy-co-khong-dat" and f.subject == "target:CT06" and f.kind == "thieu-du-lieu" for f in findings)
    ct06 = next(t for t in build_summary(folder, findings, AS_OF).targets if t.id == "CT06")
    assert (ct06.kind, ct06.verdict) == ("", "Đạt")


def test_a_finding_graded_info_is_for_the_record_not_a_row_of_a_letter(gia_phuc):
    """The early warning's 'too few measurements to project' is graded info by its rule: it stays
    in findings.json and out of every letter, whose 'chưa có số liệu' it had swelled with targets
    that do have figures (found by reading the demo's letters)."""
    folder, findings = gia_phuc
    info = [f for f in findings if f.severity == "info"]
    assert info, "the 2025 example has targets with too few measurements to project"
    letters = build_letters(folder, findings, AS_OF, settings_for(folder.path))[1]
    carried = {(f.rule, f.subject) for letter in letters for f in letter.notice.findings}
    assert carried and not carried & {(f.rule, f.subject) for f in info}
