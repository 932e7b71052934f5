"""Reading text and Markdown: markup, page breaks, Markdown tables."""

from __future__ import annotations

from dondoc.facts.importer import import_document
from dondoc.facts.importer.clean import clean_cell, markdown_line
from dondoc.facts.importer.text import read_text


def test_markdown_line():
    assert markdown_line("### ***c) Lãnh đạo UBND xã***") == ("c) Lãnh đạo UBND xã", 3, "c) Lãnh đạo UBND xã", False)
    text, _, bold, _ = markdown_line(r"\* **Thời gian thực hiện**: xong **trước ngày 15/03/2023**")
    assert (text, bold) == ("* Thời gian thực hiện: xong trước ngày 15/03/2023", "")
    assert markdown_line("<sup>(1)</sup> Loại bỏ các chuyên mục")[3] is True
    assert markdown_line("PHỤ LỤC**Nội dung**")[0] == "PHỤ LỤC Nội dung"


def test_html_in_cells():
    cell = '<p>tâm Phục vụ</p> <ul style="list-style-type: none"> - Tổ chức; - 100% hồ sơ &amp; dữ liệu. '
    assert clean_cell(cell) == "tâm Phục vụ - Tổ chức; - 100% hồ sơ & dữ liệu."


def test_page_breaks_between_rows(tmp_path):
    source = read_text(tmp_path / "x.txt", "TT\tNhiệm vụ\n1\tA\n\n\tb\n2\tC\n".encode())
    [table] = source.blocks
    assert [row.page_break for row in table.rows] == [False, False, True, False]


def test_markdown_pipe_table(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text(
        "Số: 3/KH-UBND\n\nAn Lạc, ngày 02 tháng 02 năm 2026\n\n# KẾ HOẠCH\n## Chuyển đổi số năm 2026\n\n"
        "II. NHIỆM VỤ\n\n| TT | Nhiệm vụ | Đơn vị chủ trì | Thời gian thực hiện |\n|---|---|---|---|\n"
        "| 1 | Rà soát | Phòng Kinh tế | Tháng 10/2026 |\n| 2 | Tuyên truyền | Phòng Văn hoá-Xã hội | Hằng tháng |\n",
        encoding="utf-8",
    )
    result = import_document(path)
    assert [(t.id, t.lead, t.deadline.kind.value) for t in result.folder.tasks] == [
        ("1", ["Phòng Kinh tế"], "due"),
        ("2", ["Phòng Văn hoá-Xã hội"], "recurring"),
    ]
    assert result.folder.plan.issuer == ""  # no committee named anywhere: said so
    assert "thieu_co_quan_ban_hanh" in {w.code for w in result.warnings}


def test_sub_rows_groups_and_numbering(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(
        "KẾ HOẠCH\nCải cách hành chính năm 2026\n\nPHỤ LỤC\n"
        "STT\tNội dung công việc\tCơ quan chủ trì\tThời hạn hoàn thành\n"
        "I\tThể chế\t\t\n"
        "1\tNhóm việc:\t\t\n"
        "\tViệc một\tPhòng Kinh tế\tQuý I/2026\n"
        "\tViệc hai\t\tQuý II/2026\n"
        "3\tViệc ba\tCông an xã\tkhông rõ khi nào\n"
        "3\tViệc bốn\tCông an xã\tTháng 5/2026\n",
        encoding="utf-8",
    )
    result = import_document(path)
    assert [t.id for t in result.folder.tasks] == ["I.1.a", "I.1.b", "I.3", "I.3_2"]
    codes = [(w.line, w.code) for w in result.warnings]
    assert (9, "thieu_don_vi_chu_tri") in codes
    assert (10, "thieu_so_thu_tu") in codes
    assert (10, "thoi_han_khong_doc_duoc") in codes
    assert (11, "trung_so_thu_tu") in codes


def test_prose_assignments_under_numbered_units(tmp_path):
    path = tmp_path / "prose.txt"
    path.write_text(
        "UBND XÃ AN LẠC\n\nKẾ HOẠCH\nPhòng, chống thiên tai năm 2026\n\nII. TỔ CHỨC THỰC HIỆN\n\n"
        "1. Phòng Kinh tế\n- Rà soát các điểm xung yếu.\nThời gian thực hiện: trước ngày 30/4/2026.\n"
        "- Tổ chức diễn tập.\nThời hạn hoàn thành: Quý III/2026\n\n"
        "2. Công an xã\n- Bảo đảm an ninh trật tự.\nThời gian thực hiện: Thường xuyên\n\n"
        "3. Các thôn phối hợp tuyên truyền.\n\nNơi nhận:\n",
        encoding="utf-8",
    )
    result = import_document(path)
    assert [(t.id, t.lead, t.deadline.phrase) for t in result.folder.tasks] == [
        ("II.1.1", ["Phòng Kinh tế"], "trước ngày 30/4/2026"),
        ("II.1.2", ["Phòng Kinh tế"], "Quý III/2026"),
        ("II.2", ["Công an xã"], "Thường xuyên"),
    ]
    assert result.folder.plan.issuer == "UBND xã An Lạc"


def test_table_without_number_column(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(
        "KẾ HOẠCH\nCải cách hành chính năm 2026\n\nPHỤ LỤC\n"
        "Nội dung\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian\n"
        "I. Thể chế\t\t\t\n"
        "Rà soát văn bản\tVăn phòng HĐND và UBND xã\tCác phòng\tQuý II/2026\n"
        "Tuyên truyền\tPhòng Văn hóa - Xã hội\t\tHằng tháng\n\n"
        "và phổ biến\t\t\t\n",
        encoding="utf-8",
    )
    tasks = import_document(path).folder.tasks
    assert [(t.id, t.section, t.title) for t in tasks] == [
        ("1", "I", "Rà soát văn bản"),
        ("2", "I", "Tuyên truyền và phổ biến"),
    ]


def test_lettered_rows(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(
        "KẾ HOẠCH\nCải cách hành chính năm 2026\n\nPHỤ LỤC\n"
        "TT\tNhiệm vụ\tĐơn vị chủ trì\tThời gian thực hiện\n"
        "1\tKiểm soát TTHC\tPhòng Kinh tế\tQuý I/2026\n"
        "a)\tRà soát\tPhòng Kinh tế\tQuý II/2026\n"
        "b)\tCông khai\tPhòng Kinh tế\tQuý III/2026\n"
        "2\tTuyên truyền\tPhòng Văn hóa - Xã hội\tHằng tháng\n",
        encoding="utf-8",
    )
    tasks = import_document(path).folder.tasks
    assert [(t.id, t.number) for t in tasks] == [("1", "1"), ("1.a", "a"), ("1.b", "b"), ("2", "2")]


def test_slips_a_letter_would_repeat_are_tidied():
    from dondoc.facts.importer.clean import tidy_prose

    # Seed 004: a phrase typed twice, a target word capitalised mid-sentence.
    assert tidy_prose("Theo văn bản chỉ đạo và hướng dẫn của Thành phố Thành phố") == "Theo văn bản chỉ đạo và hướng dẫn của Thành phố"
    assert tidy_prose("Thực hiện kiểm tra kiểm tra công tác") == "Thực hiện kiểm tra công tác"
    assert tidy_prose("Kiểm tra cải cách hành chính Tối thiểu 30% các phòng") == "Kiểm tra cải cách hành chính tối thiểu 30% các phòng"
    # Doubled syllables are Vietnamese, not slips; a sentence may start with the target word.
    assert tidy_prose("triển khai từ từ, dần dần") == "triển khai từ từ, dần dần"
    assert tidy_prose("Tối thiểu 30% số cơ quan") == "Tối thiểu 30% số cơ quan"
    assert tidy_prose("Phòng Kinh tế, Phòng Kinh tế xã") == "Phòng Kinh tế, Phòng Kinh tế xã"
