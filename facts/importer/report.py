"""What the importer says about a document: warnings with a line, a code and a message.

Messages are Vietnamese first (the officials read them), then English.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

# code -> what it means; docs/import.md lists the same codes.
CODES = {
    "so_ky_hieu_trong": "Số, ký hiệu văn bản để trống (blank document number)",
    "thieu_co_quan_ban_hanh": "Không xác định được cơ quan ban hành (no issuer found)",
    "co_quan_ban_hanh_suy_ra": "Không có khối tên cơ quan ban hành; tên lấy từ lời văn (issuer taken from the text)",
    "ngay_ban_hanh_trong": "Ngày ban hành để trống hoặc không đầy đủ (blank or incomplete issue date)",
    "ngay_khong_khop": "Ngày ban hành ở các chỗ khác nhau không khớp (dates disagree)",
    "so_khong_khop": "Số kế hoạch ở các chỗ khác nhau không khớp (numbers disagree)",
    "thoi_han_khong_doc_duoc": "Không đọc được thời hạn (unreadable deadline)",
    "thoi_han_mot_phan": "Thời hạn đọc từ một phần của câu (deadline read from part of a sentence)",
    "thieu_thoi_han": "Nhiệm vụ không ghi thời hạn (task without a deadline)",
    "thieu_don_vi_chu_tri": "Nhiệm vụ không có đơn vị chủ trì (task without a lead unit)",
    "thieu_so_thu_tu": "Số thứ tự bị thiếu (numbers missing)",
    "trung_so_thu_tu": "Số thứ tự bị lặp hoặc lùi (numbers repeated or out of order)",
    "nhiem_vu_khong_doc_duoc": "Mục trông như nhiệm vụ nhưng không nêu đơn vị thực hiện, không đọc (item not read as a task)",
    "khong_co_nhiem_vu": "Không tìm thấy nhiệm vụ nào (no tasks found)",
    "thieu_phu_luc": "Văn bản nhắc đến phụ lục nhưng tệp không có bảng phụ lục (appendix missing)",
    "muc_tieu_khong_doc_duoc": "Mục tiêu không có con số, không thành chỉ tiêu (objective without a number)",
    "dong_khong_doc_duoc": "Dòng bảng không xếp được vào nhiệm vụ nào (table row not placed)",
    "bang_khong_ro_cot": "Bảng không nhận ra được tên cột, đã bỏ qua (table without column names, skipped)",
    "ten_lanh_dao_khong_thong_nhat": "Tên lãnh đạo viết không thống nhất (leader's name spelled differently)",
}


class ImportWarning(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    line: int | None
    code: str
    message: str

    def as_json(self) -> dict:
        return {"line": self.line, "code": self.code, "message": self.message}

    def render(self, path: str = "") -> str:
        where = f"{path}:{self.line}" if self.line is not None else (path or "-")
        return f"{where}: [{self.code}] {self.message}"


def warning(line: int | None, code: str, vi: str, en: str) -> ImportWarning:
    assert code in CODES, code
    return ImportWarning(line=line, code=code, message=f"{vi} — {en}")
