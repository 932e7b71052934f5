"""The demo's letters and the Chairman's summaries read as the receiving official reads them:
who leads what, what is asked and by when, and pages that never strand a part of the letter.

Each test names the defect a reader found in an earlier demo; they run on the demo documents
themselves (tests/notice_text.py), in the formats the reader was given.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pytest

from dondoc.engine.rulebook import load_rules
from dondoc.night import evaluate as check
from dondoc.facts.planfolder import read_plan_folder
from dondoc.templates.formats import balanced_lines
from dondoc.templates.sections import TargetRow, fill_request
from dondoc.night.plan import plan_summary as build_summary
from dondoc.templates.summary import render_html, render_pdf
from tests.notice_text import DEMO_RUNS, EXAMPLES, demo, docx_lines, html_lines, pdf_text

QT = "xa-quyet-thang-2026-du-thao-kiem-soat-thu-tuc-hanh-chinh-va-t-6b7ffe"
GIA_LOC = "xa-gia-loc-2026-97-KH-UBND"
GIA_PHUC = "xa-gia-phuc-2025-692-QD-UBND"
AN_BIEN = "phuong-an-bien-2026-41-KH-UBND"


def text(stem: str, fmt: str = "html") -> str:
    entry = demo()[stem]
    if fmt == "html":
        return " ".join(html_lines(entry["html"]))
    if fmt == "docx":
        return " ".join(docx_lines(entry["docx"]))
    return " ".join(" ".join(page.split()) for page in pdf_text(entry["pdf"]))


@lru_cache(maxsize=1)
def summaries() -> dict[str, tuple[str, list[str]]]:
    """Each demo plan's summary: (HTML, the text of each PDF page)."""
    out = {}
    for plans, as_of in DEMO_RUNS:
        folders = [read_plan_folder(EXAMPLES / p) for p in plans]
        findings, _ = check(folders, load_rules(), as_of)
        for name, folder in zip(plans, folders):
            html = render_html(build_summary(folder, [f for f in findings if f.plan_path == folder.path], as_of))
            out[name] = (html, pdf_text(render_pdf(html)))
    return out


# --- who the letter is for, and why -----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_a_unit_named_only_through_its_group_is_told_so(fmt):
    # Both phòng are told the same: one letter to the two of them (Kính gửi: - Phòng Kinh tế; - ...).
    letter = text(f"{QT}/cac-phong-chuyen-mon", fmt)
    assert ("(sau đây gọi tắt là Kế hoạch), các phòng chuyên môn (trong đó có Phòng Kinh tế và Phòng Văn hóa - Xã hội)"
            " được giao chủ trì thực hiện một số nhiệm vụ, chỉ tiêu (ghi rõ tại từng nội dung).") in letter
    assert "Phòng Kinh tế được giao chủ trì" not in letter and "Kính gửi: - Phòng Kinh tế; - Phòng Văn hóa - Xã hội." in letter


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_a_target_with_no_lead_is_the_plans_common_target_received_as_monitoring_unit(fmt):
    letter = text(f"{GIA_LOC}/phong-kinh-te-xa", fmt)
    assert letter.count("Chỉ tiêu chung của Kế hoạch, không giao đơn vị chủ trì") == 2  # CT01 and CT04
    assert ("Đối với các nội dung chung của Kế hoạch không giao đơn vị chủ trì (ghi rõ tại từng nội dung), Phòng Kinh tế"
            " xã với vai trò đơn vị theo dõi có trách nhiệm") in letter
    listed = text(f"{GIA_PHUC}/phong-van-hoa-xa-hoi", fmt)
    assert "chưa có số liệu kết quả thực hiện (chỉ tiêu chung của Kế hoạch, không giao đơn vị chủ trì)" in listed
    # The task the plan gives the same office by name is its own: no note.
    assert "Đơn vị chủ trì" not in text(f"{GIA_LOC}/phong-van-hoa-xa-hoi-xa", fmt)


def test_the_office_is_addressed_by_its_name_not_a_typists_slip():
    assert "Kính gửi: Văn phòng HĐND và UBND xã." in text(f"{GIA_PHUC}/van-phong-hdnd-va-ubnd-xa")


# --- what the letter says -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_the_reply_is_due_on_a_day_said_as_the_last_day(fmt):
    for stem, entry in demo().items():
        letter = text(stem, fmt)
        day = entry["notice"].reply_by.strftime("%d/%m/%Y")
        assert f"chậm nhất ngày {day} để tổng hợp" in letter, stem
        assert f"trước ngày {day}" not in letter, stem  # "trước ngày D" would mean by the end of D-1


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_a_supplied_date_cites_its_source_and_a_date_is_said_once(fmt):
    letter = text(f"{QT}/trung-tam-phuc-vu-hanh-chinh-cong", fmt)
    assert "Hạn cuối: 27/11/2026 (theo Công văn số 2154/UBND-KSTT ngày 02/10/2026 của UBND thành phố)" in letter
    assert "Chậm nhất ngày 12/09/2026" in letter and "Hạn cuối: 12/09/2026" not in letter
    assert "Hạn cuối: 31/10/2025 (theo Công văn số 1520/SYT-KHTC của Sở Y tế)" in text(f"{GIA_PHUC}/phong-van-hoa-xa-hoi", fmt)


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_a_sub_target_reads_on_its_own_and_its_scope_is_not_repeated(fmt):
    letter = text(f"{QT}/cac-phong-chuyen-mon", fmt)
    assert "Mức độ hài lòng về giải quyết các TTHC lĩnh vực đất đai, xây dựng, đầu tư đạt tối thiểu 90%" in letter
    assert "Trong đó" not in letter and "phạm vi: lĩnh vực đất đai" not in letter


def test_a_procedures_missing_figures_are_said_in_the_order_of_03_giam_with_both_years():
    assert ("Thủ tục 1.000894 “Đăng ký kết hôn”: chưa có số liệu thời gian giải quyết hiện nay; chưa có số liệu chi phí"
            " tuân thủ năm 2024 và hiện nay.") in text(f"{QT}/trung-tam-phuc-vu-hanh-chinh-cong")


def test_a_reduction_target_with_no_figures_reaches_the_letter_that_must_supply_them():
    letter = text(f"{GIA_PHUC}/phong-van-hoa-xa-hoi")
    assert "Chỉ tiêu “Thực hiện cắt giảm tối thiểu 50% thời gian giải quyết thủ tục hành chính" in letter
    assert "chưa có số liệu năm gốc và hiện nay của thủ tục hành chính nào để đánh giá việc cắt giảm" in letter


def test_a_maximum_target_asks_to_bring_it_back_under_its_level():
    assert ("Đề nghị Trung tâm Phục vụ hành chính công phường có giải pháp cụ thể để đưa tỷ lệ hồ sơ giải quyết quá hạn"
            " về không quá 2%.") in text(f"{AN_BIEN}/trung-tam-phuc-vu-hanh-chinh-cong-phuong")


def test_a_requests_places_are_filled_for_each_target_of_the_section():
    rows = [TargetRow(subject=f"target:{i}", kind="target", findings=(), lead_units=(), metric=m, level=v)
            for i, (m, v) in enumerate([("tỷ lệ hồ sơ quá hạn", "không quá 2%"), ("tỷ lệ hồ sơ trễ hẹn", "dưới 5%")])]
    request = "có giải pháp cụ thể để đưa {chỉ tiêu} về {mức yêu cầu}"
    assert fill_request(request, rows[:1]) == "có giải pháp cụ thể để đưa tỷ lệ hồ sơ quá hạn về không quá 2%"
    assert fill_request(request, rows) == "có giải pháp cụ thể để đưa tỷ lệ hồ sơ quá hạn về không quá 2% và tỷ lệ hồ sơ trễ hẹn về dưới 5%"
    assert fill_request("bổ sung số liệu các nội dung nêu trên", rows) == "bổ sung số liệu các nội dung nêu trên"


# --- pages --------------------------------------------------------------------------------------------


def test_no_pdf_letter_leaves_its_signature_alone_on_a_page():
    for stem, entry in demo().items():
        pages = pdf_text(entry["pdf"])
        [signed] = [" ".join(p.split()) for p in pages if "Nơi nhận" in p]
        assert "chậm nhất ngày" in signed, stem


def test_document_numbers_are_never_split_across_lines():
    split = re.compile(r"[\d…]/\s*\n|/[A-ZĐ]+-\s*\n")
    for stem, entry in demo().items():
        for page in pdf_text(entry["pdf"]):
            assert not split.search(page), (stem, page[:300])
    for name, (_, pages) in summaries().items():
        for page in pages:
            assert not split.search(page), name


def test_the_summary_header_breaks_the_unit_between_its_words():
    _, pages = summaries()["quyet-thang-2026"]
    assert "TRUNG TÂM PHỤC VỤ\nHÀNH CHÍNH CÔNG" in pages[0].replace("  ", " ")
    assert balanced_lines("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", 26) == ["TRUNG TÂM PHỤC VỤ", "HÀNH CHÍNH CÔNG"]
    assert balanced_lines("PHÒNG VĂN HOÁ - XÃ HỘI", 26) == ["PHÒNG VĂN HOÁ - XÃ HỘI"]
    assert balanced_lines("PHÒNG VĂN HOÁ - XÃ HỘI", 12) == ["PHÒNG VĂN", "HOÁ - XÃ HỘI"]  # never beside the dash


@pytest.mark.parametrize("name", ["gia-loc-2026", "quyet-thang-2026", "an-bien-2026", "gia-phuc-2025"])
def test_no_summary_page_strands_a_caption_a_heading_a_total_or_the_signature(name):
    _, pages = summaries()[name]
    for page in pages:
        if "Biểu đồ 2. Chỉ tiêu" in page:  # the chart's own words are on the page of its caption
            assert "Yêu cầu" in page, name
        if "Biểu đồ 1. Nội dung" in page:
            assert "Số nội dung" in page, name
        if caption := re.search(r"Bảng \d+\. Chỉ tiêu: yêu cầu", page):  # the caption and the heading above it stay with the table's first row
            assert re.search(r"\n1\s", page[caption.end():]), name
        if "III. KẾT QUẢ" in page:
            assert re.search(r"Bảng \d+\. Chỉ tiêu: yêu cầu", page) or "Kế hoạch không đặt chỉ tiêu" in page, name
        if total := re.search(r"\nTổng cộng(?: \d+)+", page):  # the total row stays with a unit's row
            assert re.search(r"\n\d+ \S", page[: total.start()].split("Nghiêm", 1)[-1]), name
        if "Nơi nhận" in page:
            assert "kính báo cáo" in page, name
