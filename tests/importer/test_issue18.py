"""Issue 18: plans as they are written. One test per kind of the issue, on the corpus plans
(tests/importer/corpus) and on small plans written here; the deadline forms of item 5 are in
tests/test_deadline.py (FORMS and ISSUE_18)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dondoc.facts.importer import import_document

DOCS = Path(__file__).resolve().parent / "corpus" / "docs"


@pytest.fixture(scope="module")
def read():
    cache: dict[str, object] = {}

    def get(name: str):
        if name not in cache:
            cache[name] = import_document(DOCS / name)
        return cache[name]

    return get


def targets(result) -> list[tuple[str, float, str, str]]:
    return [(t.comparison.value, t.value, t.unit, t.period) for t in result.folder.targets]


def codes(result) -> list[tuple[int | None, str]]:
    return [(w.line, w.code) for w in result.warnings]


def test_1_targets_in_a_table_whose_level_is_in_its_own_column(read):
    # "TT | Chỉ tiêu | Đơn vị tính | Mức phấn đấu năm 2026 | Cơ quan chủ trì", words or a bare figure
    phuong = read("01-phuong-bang-chi-tieu.docx")
    assert targets(phuong) == [
        (">=", 90, "%", ""), (">=", 98, "%", ""), ("==", 100, "%", ""), (">=", 92, "%", ""),
        ("<=", 1.5, "%", ""), (">=", 6, "tin, bài/quý", ""),
    ]
    assert phuong.folder.targets[0].lead == ["Trung tâm Phục vụ hành chính công phường"]
    assert not [c for c in codes(phuong) if c[1] == "muc_tieu_khong_doc_duoc"]
    # one value column per year: "Năm 2026 | Năm 2030", signs and words
    city = read("07-thanh-pho-chi-tieu-nhieu-nam.pdf")
    assert targets(city)[:2] == [(">=", 70, "%", "2026"), (">=", 90, "%", "2030")]
    assert targets(city)[4:] == [(">", 85, "%", "2026"), (">", 90, "%", "2030"), ("<", 2, "%", "2026"), ("<", 1, "%", "2030")]
    # "Chỉ tiêu giao" holding words and number; a level without a number is warned at its row
    province = read("10-tinh-chi-tieu-giao.docx")
    assert targets(province) == [(">=", 88, "%", ""), ("==", 100, "%", ""), (">=", 5, "tin bài/tháng", ""), ("<=", 3, "%", "")]
    [unread] = [w for w in province.warnings if w.code == "muc_tieu_khong_doc_duoc"]
    assert "Đạt yêu cầu" in unread.message and "Chỉ tiêu giao" in unread.message


def test_2_targets_under_a_combined_heading(read):
    # "II. CHỈ TIÊU, NHIỆM VỤ" / "a) Mục tiêu" / "- Tỷ lệ ... đạt tối thiểu 60%." / "b) Nhiệm vụ"
    result = read("02-xa-chi-tieu-nhiem-vu.docx")
    assert targets(result) == [(">=", 60, "%", ""), (">=", 85, "%", ""), ("==", 100, "%", ""), (">", 70, "%", "")]
    # the objective without a number is said, not passed over; "b) Nhiệm vụ" is no objective
    [unread] = [w for w in result.warnings if w.code == "muc_tieu_khong_doc_duoc"]
    assert "Hoàn thiện hạ tầng mạng" in unread.message


@pytest.mark.parametrize("name", ["03-xa-loi-van-nhiem-vu.docx", "12-huyen-loi-van-pdf.pdf"])
def test_3_plans_written_as_prose_with_labelled_lines(read, name):
    result = read(name)
    tasks = [t for t in result.folder.tasks if not t.id.startswith("TCTH")]
    assert len(tasks) in (5, 6)
    assert all(t.deadline.kind.value != "unparsed" for t in tasks)
    first = tasks[0]
    assert first.lead and first.deadline.due
    assert not [c for c in codes(result) if c[1] in ("khong_co_nhiem_vu", "nhiem_vu_khong_doc_duoc")]


def test_3_the_time_line_with_an_expected_and_a_latest_date(read):
    task = read("03-xa-loi-van-nhiem-vu.docx").folder.tasks[2]
    assert task.deadline.due.isoformat() == "2025-12-26" and task.deadline.checkpoint.isoformat() == "2025-12-20"
    # 4.6 names only a coordinating unit: read, and warned at its line
    last = read("03-xa-loi-van-nhiem-vu.docx").folder.tasks[-1]
    assert last.lead == [] and (last.source_line, "thieu_don_vi_chu_tri") in codes(read("03-xa-loi-van-nhiem-vu.docx"))


@pytest.mark.parametrize(
    "name, authority, title, person",
    [
        ("03-xa-loi-van-nhiem-vu.docx", "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đinh Quang Vinh"),
        ("11-xa-khoang-thoi-gian.docx", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Đức Thuận"),
        ("04-tinh-phu-luc-pdf.pdf", "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Hà Minh Đức"),
    ],
)
def test_4_the_signature_block_as_word_and_pdf_write_it(read, name, authority, title, person):
    signer = read(name).folder.plan.signer
    assert (signer.authority, signer.title, signer.name) == (authority, title, person)


@pytest.mark.parametrize(
    "name, monitor",
    [
        ("02-xa-chi-tieu-nhiem-vu.docx", "Văn phòng HĐND và UBND xã"),  # "Giao ... theo dõi, đôn đốc"
        ("06-xa-dieu-kien.docx", "Công chức Tư pháp - hộ tịch"),  # "Giao ... giúp UBND xã theo dõi"
        ("03-xa-loi-van-nhiem-vu.docx", "Công chức Văn hóa - xã hội"),  # under "5. TỔ CHỨC THỰC HIỆN"
    ],
)
def test_4_the_monitor_named_in_a_sentence(read, name, monitor):
    assert read(name).folder.plan.monitor == monitor


def test_6_tables_across_pages(read):
    # a row whose cells hold words of the column names is a task, not a repeated header
    huyen = read("05-huyen-cu-phu-luc.docx")
    assert [t.number for t in huyen.folder.tasks] == [str(n) for n in range(1, 9)]
    assert huyen.folder.tasks[4].title.startswith("Kiểm tra nội dung, thời gian thực hiện")
    assert not [c for c in codes(huyen) if c[1] in ("thieu_so_thu_tu", "trung_so_thu_tu")]
    # a PDF table over several pages, its header repeated on each: every row
    province = read("04-tinh-phu-luc-pdf.pdf")
    assert [t.number for t in province.folder.tasks if t.number] == [str(n) for n in range(1, 15)]
    # a two-row header merged down ("Đơn vị thực hiện" over "Chủ trì | Phối hợp") split over pages
    xa = read("02-xa-chi-tieu-nhiem-vu.docx")
    assert len(xa.folder.tasks) == 7 and not [c for c in codes(xa) if c[1] == "dong_khong_doc_duoc"]


def test_6_a_row_with_column_words_in_every_cell_is_still_a_task(tmp_path):
    path = tmp_path / "ke-hoach.md"
    path.write_text(
        "ỦY BAN NHÂN DÂN\nXÃ AN PHÚ\nSố: 3/KH-UBND\nAn Phú, ngày 02 tháng 3 năm 2026\nKẾ HOẠCH\n"
        "Một việc năm 2026\nI. NHIỆM VỤ\n\n"
        "| TT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian thực hiện |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| 1 | Lập danh mục | Văn phòng HĐND và UBND xã | Công an xã | Quý I/2026 |\n"
        "| 2 | Nội dung công việc tuần | Đơn vị chủ trì tổ | Đơn vị phối hợp tổ | Thời gian thực hiện tuần |\n"
        "| 3 | Tổng kết | Văn phòng HĐND và UBND xã | Công an xã | Quý IV/2026 |\n",
        encoding="utf-8",
    )
    result = import_document(path)
    assert [t.number for t in result.folder.tasks] == ["1", "2", "3"]
    assert not [w for w in result.warnings if w.code == "thieu_so_thu_tu"]


def test_7_conditions_are_not_targets(read):
    result = read("06-xa-dieu-kien.docx")
    assert targets(result) == [(">=", 50, "%", ""), (">=", 40, "%", ""), ("==", 100, "%", ""), ("==", 100, "%", "")]
    assert all("cử tri" not in t.unit and "hộ" not in t.unit for t in result.folder.targets)


def test_a_warning_about_a_table_cell_names_its_line_and_column(tmp_path):
    path = tmp_path / "ke-hoach.md"
    path.write_text(
        "ỦY BAN NHÂN DÂN\nXÃ AN PHÚ\nSố: 3/KH-UBND\nAn Phú, ngày 02 tháng 3 năm 2026\nKẾ HOẠCH\n"
        "Một việc năm 2026\nI. NHIỆM VỤ\n\n"
        "| TT | Nội dung công việc | Đơn vị chủ trì | Thời gian thực hiện |\n| --- | --- | --- | --- |\n"
        "| 1 | Lập danh mục | | Quý V/2026 |\n",
        encoding="utf-8",
    )
    by_code = {w.code: w for w in import_document(path).warnings}
    assert by_code["thoi_han_khong_doc_duoc"].line == 11
    assert "(cột 'Thời gian thực hiện')" in by_code["thoi_han_khong_doc_duoc"].message
    assert "(cột 'Đơn vị chủ trì')" in by_code["thieu_don_vi_chu_tri"].message
