"""The content errors issue 7 found in the demo letters, each pinned on the demo letters themselves."""

from __future__ import annotations

import datetime as dt

import pytest

from dondoc.facts.calendar import DEFAULT
from tests.notice_text import demo, html_lines

GIA_PHUC = "xa-gia-phuc-2025-692-QD-UBND"
QUYET_THANG = "xa-quyet-thang-2026-du-thao-kiem-soat-thu-tuc-hanh-chinh-va-t-6b7ffe"


def lines(stem: str) -> list[str]:
    return html_lines(demo()[stem]["html"])


def text(stem: str) -> str:
    return " ".join(lines(stem))


def test_a_missed_checkpoint_is_said_as_such_not_as_due_soon():
    page = lines("phuong-an-bien-2026-41-KH-UBND/phong-van-hoa-xa-hoi")
    assert "- Chưa báo cáo tiến độ khi đã qua mốc kiểm tra: 01 nhiệm vụ." in page
    assert "1. Nhiệm vụ chưa báo cáo tiến độ khi đã qua mốc kiểm tra" in page
    assert "30/09/2026" in page and "Chưa báo cáo" in page
    assert any(line.startswith("Đề nghị Phòng Văn hóa - Xã hội báo cáo ngay tiến độ") for line in page)
    assert not any("sắp đến hạn" in line.lower() for line in page)


def test_the_counts_include_the_overdue_periodic_report():
    page = lines(f"{GIA_PHUC}/trung-tam-phuc-vu-hanh-chinh-cong")
    assert "- Quá hạn chưa hoàn thành: 01 kỳ thực hiện nhiệm vụ định kỳ;" in page
    assert "53" in page  # days overdue, in the same section's table
    culture = lines(f"{GIA_PHUC}/phong-van-hoa-xa-hoi")
    assert "- Quá hạn chưa hoàn thành: 02 nhiệm vụ;" in culture


def test_no_zero_counts_are_listed():
    for stem in demo():
        assert not [line for line in lines(stem) if line.startswith("- ") and ": 0 " in line], stem


def test_the_plan_issued_by_a_decision_is_cited_through_it():
    page = text(f"{GIA_PHUC}/phong-kinh-te")
    assert "V/v đôn đốc thực hiện Kế hoạch ban hành kèm theo Quyết định số 692/QĐ-UBND" in page
    assert ("Kế hoạch cải cách hành chính nhà nước xã Gia Phúc 6 tháng cuối năm 2025 ban hành kèm theo Quyết định số"
            " 692/QĐ-UBND ngày 31/07/2025 của Chủ tịch Ủy ban nhân dân xã Gia Phúc") in page
    assert "Kế hoạch số 692" not in page


def test_the_draft_plan_gives_draft_letters():
    for stem in [s for s in demo() if s.startswith(QUYET_THANG)]:
        page = lines(stem)
        assert page[0] == "DỰ THẢO", stem
        assert "Kế hoạch năm 2026" not in " ".join(page)
        assert "V/v đôn đốc thực hiện Kế hoạch số ……/KH-UBND" in page


def test_no_letter_goes_to_a_group_and_each_item_once_per_letter():
    for stem, entry in demo().items():
        assert not entry["notice"].unit.lower().startswith("các "), stem
        for section in entry["notice"].sections:
            subjects = [row.subject for row in section.rows]
            assert len(subjects) == len(set(subjects)), (stem, section.id)


def test_symbol_archive_signer_and_working_days_come_from_the_settings_and_calendar():
    page = lines(f"{GIA_PHUC}/phong-van-hoa-xa-hoi")
    assert "Số: /UBND-VHXH" in page and "- Lưu: VT, VHXH." in page
    assert page[-3:] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Chính Thống"]
    # Checked on Saturday 22/11/2025: dated Monday 24/11; five working days, the office closed on
    # 28/11 (examples/gia-phuc-2025/ngay-nghi.csv): due Tuesday 02/12/2025.
    assert "Gia Phúc, ngày 24 tháng 11 năm 2025" in page
    assert any("chậm nhất ngày 02/12/2025" in line for line in page)


@pytest.mark.parametrize("stem", sorted(demo()))
def test_every_letter_is_dated_and_answered_on_working_days(stem):
    notice = demo()[stem]["notice"]
    calendar = notice.settings.calendar()
    assert calendar.is_working_day(notice.date) and calendar.is_working_day(notice.reply_by)
    assert notice.as_of <= notice.date < notice.reply_by
    assert DEFAULT.is_working_day(dt.date(2026, 11, 23))
