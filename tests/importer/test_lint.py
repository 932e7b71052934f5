"""dondoc lint: a draft plan checked before it is issued; every finding names its line and the fix."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from dondoc.cli import main
from dondoc.facts.importer.lint import ERROR, NOTE, lint_document

CORPUS = Path(__file__).resolve().parent / "corpus" / "docs"
DRAFT = """ỦY BAN NHÂN DÂN
XÃ THỬ NGHIỆM
Số: 05/KH-UBND
Thử Nghiệm, ngày 10 tháng 3 năm 2026
KẾ HOẠCH
Thực hiện một việc năm 2026 trên địa bàn xã Thử Nghiệm
I. CHỈ TIÊU
- Tỷ lệ hồ sơ giải quyết đúng hạn đạt tối thiểu 95% theo số liệu Hệ thống thông tin giải quyết TTHC.
- Phấn đấu đạt 30 trở lên.
II. NHIỆM VỤ
1. Rà soát danh mục thủ tục hành chính.
- Đơn vị chủ trì: Văn phòng HĐND và UBND xã.
- Thời gian hoàn thành: Quý I/2026.
2. Công khai danh mục đã rà soát.
- Đơn vị chủ trì: Phòng Văn hoá Xã hội.
- Thời gian hoàn thành: trước ngày 01/3/2026.
3. Tổng hợp kết quả.
- Đơn vị phối hợp: Văn phòng HĐND và UBND xã.
- Thời gian hoàn thành: theo văn bản của tỉnh.
III. TỔ CHỨC THỰC HIỆN
Giao Văn phòng HĐND và UBND xã theo dõi, đôn đốc việc thực hiện Kế hoạch.
"""


def draft(tmp_path: Path) -> Path:
    path = tmp_path / "du-thao.txt"
    path.write_text(DRAFT, encoding="utf-8")
    units = tmp_path / "don-vi.txt"
    units.write_text("Văn phòng HĐND và UBND xã\nPhòng Kinh tế\n", encoding="utf-8")
    return path


def test_every_kind_of_uncheckable_item_is_named_at_its_line_with_the_fix(tmp_path):
    path = draft(tmp_path)
    found = {(f.line, f.code): f for f in lint_document(path, tmp_path / "don-vi.txt")}
    lines = DRAFT.splitlines()

    def line(text: str) -> int:
        return next(i for i, t in enumerate(lines, start=1) if t.startswith(text))

    assert found[(line("3. Tổng hợp"), "thieu_don_vi_chu_tri")].severity == ERROR
    assert "ghi một đơn vị" in found[(line("3. Tổng hợp"), "thieu_don_vi_chu_tri")].message
    assert (line("3. Tổng hợp"), "thoi_han_noi_khac") in found
    late = found[(line("2. Công khai"), "thoi_han_truoc_ngay_ban_hanh")]
    assert "28/02/2026" in late.message and "10/03/2026" in late.message
    stranger = found[(line("2. Công khai"), "don_vi_la")]
    assert "Phòng Văn hoá Xã hội" in stranger.message
    unread = found[(line("- Phấn đấu đạt 30"), "muc_tieu_khong_doc_duoc")]
    assert "ghi con số và đơn vị đo" in unread.message
    # a task the night can check draws nothing; a target with its source draws no note
    assert not [f for f in found.values() if f.line == line("1. Rà soát")]
    assert not [f for f in found.values() if f.line == line("- Tỷ lệ hồ sơ") and f.severity == NOTE]


def test_a_deadline_on_the_plans_date_is_not_before_it(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text(DRAFT.replace("trước ngày 01/3/2026", "chậm nhất ngày 10/3/2026"), encoding="utf-8")
    assert not [f for f in lint_document(path) if f.code == "thoi_han_truoc_ngay_ban_hanh"]


def test_the_command_exits_1_on_an_error_and_0_on_a_checkable_plan(tmp_path):
    result = CliRunner().invoke(main, ["lint", str(draft(tmp_path)), "--units", str(tmp_path / "don-vi.txt")])
    assert result.exit_code == 1, result.output
    assert "lỗi" in result.output and ":17: lỗi: [thieu_don_vi_chu_tri]" in result.output.replace(str(tmp_path / "du-thao.txt"), "")
    clean = CliRunner().invoke(main, ["lint", str(CORPUS / "11-xa-khoang-thoi-gian.docx")])
    assert clean.exit_code == 0, clean.output  # a blank number is a note for the văn thư, not an error


def test_a_target_without_unit_or_period_in_a_plan_of_several_years_is_an_error():
    from dondoc.facts.importer import import_document
    from dondoc.facts.importer.lint import lint

    result = import_document(CORPUS / "07-thanh-pho-chi-tieu-nhieu-nam.pdf")
    first = result.folder.targets[0]
    bare = first.model_copy(update={"unit": "", "period": ""})
    folder = result.folder.model_copy(update={"targets": [bare]})
    codes = {f.code for f in lint(result.model_copy(update={"folder": folder}))}
    assert {"chi_tieu_thieu_don_vi", "chi_tieu_thieu_ky"} <= codes
    assert not {"chi_tieu_thieu_don_vi", "chi_tieu_thieu_ky"} & {f.code for f in lint(result)}
