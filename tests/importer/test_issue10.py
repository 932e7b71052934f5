"""Issue 10: the forms of province and city plans, on documents written for these tests.

tests/importer/docs/ holds the plans (invented, in the genre). Each test names what it pins.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dondoc.facts.importer import import_document, parse_target
from dondoc.facts.importer.units import split_units

DOCS = Path(__file__).resolve().parent / "docs"


@pytest.fixture(scope="module")
def province():
    return import_document(DOCS / "tinh-an-hoa-2030.md")


@pytest.fixture(scope="module")
def bare():
    return import_document(DOCS / "khong-dau-khong-phu-luc.md")


def codes(result):
    return [(w.line, w.code) for w in result.warnings]


# -- header ----------------------------------------------------------------------------------


def test_a_plan_to_2030_issued_in_2025_is_a_2025_plan_running_to_2030(province):
    plan = province.folder.plan
    assert plan.year == 2025
    assert (plan.period_start, plan.period_end) == (dt.date(2025, 1, 1), dt.date(2030, 12, 31))
    assert plan.issued == dt.date(2025, 11, 14)


def test_the_issuer_block_of_a_province_and_no_commune_from_xa_hoi(province):
    assert province.folder.plan.issuer == "UBND tỉnh An Hòa"
    assert "Hội" not in province.folder.plan.issuer


def test_the_signer_is_read_from_the_signature_block(province):
    signer = province.folder.plan.signer
    assert signer.authority.splitlines() == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]
    assert (signer.title, signer.name) == ("PHÓ CHỦ TỊCH", "Trần Minh Khoa")


def test_no_header_block_gives_a_warning_not_an_invented_issuer(bare):
    assert bare.folder.plan.issuer == ""
    assert (1, "thieu_co_quan_ban_hanh") in codes(bare)


def test_an_issuer_taken_from_the_text_is_said_so(imported):
    # seed 000 has no issuer block: "UBND xã Gia Lộc xây dựng kế hoạch" (line 11) names it
    assert imported["000"].folder.plan.issuer == "UBND xã Gia Lộc"
    assert (11, "co_quan_ban_hanh_suy_ra") in codes(imported["000"])
    assert not [w for w in imported["004"].warnings if w.code == "co_quan_ban_hanh_suy_ra"]


# -- deadlines against the plan's period -------------------------------------------------------


def test_phrase_forms_of_the_appendix(province):
    tasks = {t.id: t.deadline for t in province.folder.tasks}
    assert (tasks["1"].kind.value, tasks["1"].due) == ("due", dt.date(2025, 12, 31))  # Quí IV-2025
    assert tasks["2"].due == dt.date(2026, 12, 31)  # Quí IV/2026
    assert tasks["3"].due == dt.date(2026, 12, 31)  # quý 4/2026
    assert (tasks["4"].kind.value, tasks["4"].start, tasks["4"].due) == (
        "window", dt.date(2025, 1, 1), dt.date(2030, 12, 31))  # Năm 2025-2030
    assert (tasks["5"].start, tasks["5"].due) == (dt.date(2026, 1, 1), dt.date(2030, 12, 31))
    assert tasks["6"].occurrences == [dt.date(y, 12, 31) for y in range(2025, 2031)]  # Hằng năm
    assert tasks["7"].kind.value == "recurring" and tasks["7"].continuous
    assert tasks["8"].occurrences[:4] == [dt.date(2025, m, 19) for m in (3, 6, 9, 12)]
    assert not [w for w in province.warnings if w.code.startswith("thoi_han")]


def test_the_folder_reads_back_the_same_deadlines(province, tmp_path):
    from dondoc.facts.planfolder import read_plan_folder, write_plan_folder

    write_plan_folder(province.folder, tmp_path)
    back = read_plan_folder(tmp_path)
    assert [t.deadline for t in back.tasks] == [t.deadline for t in province.folder.tasks]


# -- targets -------------------------------------------------------------------------------------


def test_targets_of_the_objectives_with_the_period_of_their_heading(province):
    got = [(t.comparison.value, t.value, t.unit, t.period) for t in province.folder.targets]
    assert got[:9] == [
        (">=", 60.0, "%", "2026"),  # "đạt từ 60 - 70%": at least the low end
        (">=", 25.0, "%", "2026"),  # "chiếm 25% GRDP"
        (">", 60.0, "%", "2026"),  # "Tỷ trọng ... đạt trên 60%"
        (">=", 85.0, "%", "2026"),  # "từ 15 tuổi trở lên" is no target
        ("==", 100.0, "%", "2026"),  # "có tối thiểu 1 trạm" is part of the metric
        (">=", 5.0, "bộ dữ liệu mở", "2026"),  # not cut after two syllables
        (">=", 2.0, "dịch vụ chia sẻ dữ liệu", "2026"),  # a second count sharing "ít nhất"
        (">=", 45.0, "%", "2030"),  # "Mục tiêu đến năm 2030"
        (">=", 95.0, "%", "2030"),
    ]


def test_a_table_of_targets_with_leads(province):
    by_text = {t.text[:20]: t for t in province.folder.targets}
    online = by_text["Tỷ lệ thanh toán trự"]
    assert (online.value, online.lead) == (80.0, ["Sở Tài chính"])
    assert by_text["Tỷ lệ hồ sơ được số "].lead == ["Văn phòng UBND tỉnh"]
    # row 3 has no number: warned with its line, never dropped silently
    assert (42, "muc_tieu_khong_doc_duoc") in codes(province)


def test_only_what_was_not_read_is_warned_about(province):
    assert codes(province) == [(42, "muc_tieu_khong_doc_duoc")]


@pytest.mark.parametrize(
    "sentence, want",
    [
        ("Tỷ lệ hồ sơ nộp trực tuyến đạt từ 60 - 70%", (">=", 60.0, "%")),
        ("Tỷ lệ hồ sơ nộp trực tuyến đạt 60–70%", (">=", 60.0, "%")),
        ("Kinh tế số chiếm 45% GRDP", (">=", 45.0, "%")),
        ("Tỷ trọng thương mại điện tử trong tổng mức bán lẻ đạt trên 60%", (">", 60.0, "%")),
        ("Mỗi xã có ít nhất 02 trạm phát sóng 5G", (">=", 2.0, "trạm phát sóng")),
    ],
)
def test_target_sentences(sentence, want):
    r = parse_target(sentence, 2026)
    assert (r.comparison.value, r.value, r.unit) == want


@pytest.mark.parametrize(
    "sentence",
    ["Dân số từ 15 tuổi trở lên", "Chỉ số “Công khai” (Chiếm tỷ trọng 30% tổng số điểm)"],
)
def test_not_targets(sentence):
    assert parse_target(sentence, 2026).kind == "unparsed"


def test_a_second_count_shares_the_cue():
    r = parse_target("Tổ chức ít nhất 02 hội nghị đối thoại và 04 buổi tập huấn cho doanh nghiệp", 2026)
    assert (r.value, r.unit) == (2.0, "hội nghị")
    assert [(o.value, o.unit, o.comparison.value) for o in r.others] == [(4.0, "buổi", ">=")]


# -- units and the monitor -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell, names",
    [
        ("Các sở, ban, ngành tỉnh", ["Các sở, ban, ngành tỉnh"]),
        ("Ban Quản lý các khu công nghiệp, Sở Công Thương", ["Ban Quản lý các khu công nghiệp", "Sở Công Thương"]),
        ("Sở Tài chính, Sở Nội vụ, các sở, ban, ngành", ["Sở Tài chính", "Sở Nội vụ", "các sở, ban, ngành"]),
        ("Phòng Kinh tế, phòng Văn hóa - Xã hội", ["Phòng Kinh tế", "phòng Văn hóa - Xã hội"]),
        ("Trung tâm Văn hoá, Thể thao và Truyền thông xã", ["Trung tâm Văn hoá, Thể thao và Truyền thông xã"]),
    ],
)
def test_unit_cells(cell, names):
    assert split_units(cell) == names


def test_the_monitor_named_in_a_sentence(province, bare):
    assert province.folder.plan.monitor == "Sở Khoa học và Công nghệ"
    assert bare.folder.plan.monitor == "Phòng Văn hóa - Xã hội"


# -- prose plans ---------------------------------------------------------------------------------


def test_topic_items_are_no_pseudo_tasks_and_are_warned_about(bare):
    tasks = bare.folder.tasks
    assert [(t.id, t.lead) for t in tasks] == [("2.a", ["Văn phòng HĐND và UBND"])]
    assert [line for line, code in codes(bare) if code == "nhiem_vu_khong_doc_duoc"] == [17, 19, 27]


def test_a_sub_heading_of_the_objectives_is_not_warned_about(bare):
    # "a) Về dịch vụ công trực tuyến" (line 7) names a topic; line 11 has no number: warned
    objectives = [line for line, code in codes(bare) if code == "muc_tieu_khong_doc_duoc"]
    assert objectives == [11]


# -- target categories (one place: facts/importer/targets.py target_category) ------------------------


@pytest.mark.parametrize(
    "sentence, category",
    [
        ("Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận trực tuyến đạt 60%", "nop-ho-so-truc-tuyen"),
        ("Tỷ lệ thanh toán trực tuyến phí, lệ phí đạt tối thiểu 80%", "thanh-toan-truc-tuyen"),
        ("Mức độ hài lòng của người dân, doanh nghiệp đối với sự phục vụ của UBND xã đạt từ 90% trở lên", "hai-long-tthc"),
        ("Mức độ hài lòng của người bệnh với dịch vụ y tế đạt 85%", "hai-long-dich-vu-cong"),
        ("Tỷ lệ hồ sơ được số hóa kết quả giải quyết đạt 100%", "so-hoa-ho-so"),
        ("Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa đạt tối thiểu 80%", "tai-su-dung-du-lieu"),
        ("100% phản ánh, kiến nghị được xử lý đúng hạn", "phan-anh-kien-nghi"),
        ("Tỷ lệ hồ sơ giải quyết đúng hạn đạt 98%", "giai-quyet-dung-han"),
        ("Chỉ số 1: “Tính minh bạch” đạt 8,25 điểm trở lên", "chi-so-danh-gia"),
        ("Kinh tế số chiếm 45% GRDP", None),
    ],
)
def test_target_category(sentence, category):
    assert parse_target(sentence, 2026).category == category


# -- header lines that look like fields ------------------------------------------------------------


def _plan_text(tmp_path, head: str) -> Path:
    path = tmp_path / "kh.md"
    path.write_text(
        head + "\n\nKẾ HOẠCH\nCải cách hành chính năm 2026\n\nI. MỤC TIÊU\n\n- Tỷ lệ hồ sơ trực tuyến đạt 50%.\n",
        encoding="utf-8",
    )
    return path


def test_a_numeric_date_line_is_read(tmp_path):
    result = import_document(_plan_text(tmp_path, "ỦY BAN NHÂN DÂN\nXÃ AN LẠC\n\nSố: 12/KH-UBND\n\nAn Lạc, ngày 14/11/2025"))
    assert result.folder.plan.issued == dt.date(2025, 11, 14)
    assert result.folder.plan.issuer == "UBND xã An Lạc"
    assert not [w for w in result.warnings if w.code == "ngay_ban_hanh_trong"]


def test_a_date_line_that_cannot_be_read_is_named(tmp_path):
    result = import_document(_plan_text(tmp_path, "ỦY BAN NHÂN DÂN\nXÃ AN LẠC\n\nSố: 12/KH-UBND\n\nAn Lạc, ngày mười bốn năm 2025"))
    [w] = [w for w in result.warnings if w.code == "ngay_ban_hanh_trong"]
    assert w.line == 6 and "An Lạc, ngày mười bốn" in w.message
