"""The kinds of fact rules apply to, and every field each kind carries.

This catalogue is the contract between facts/ and rules/: a rule may only name
fields listed here, with the type listed here. docs/rules.md is written from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FieldType = Literal["text", "number", "date", "bool"]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: FieldType
    meaning: str  # Vietnamese, shown to policy staff
    always: bool = False  # present on every fact of the kind (never 'missing')


@dataclass(frozen=True)
class Category:
    """A kind of target, so a rule can say ``category == "hai-long-tthc"`` instead of guessing
    from the sentence. The importer sets it where the sentence makes it clear; plan.yaml may
    set or correct it (``category: hai-long-tthc``)."""

    slug: str
    label: str  # Vietnamese, shown to policy staff
    covers: str  # the sentences it is for


TARGET_CATEGORIES: dict[str, Category] = {
    c.slug: c
    for c in (
        Category("nop-ho-so-truc-tuyen", "Nộp hồ sơ trực tuyến", "tỷ lệ hồ sơ TTHC tiếp nhận, xử lý trực tuyến"),
        Category("thanh-toan-truc-tuyen", "Thanh toán trực tuyến", "tỷ lệ hồ sơ thanh toán phí, lệ phí trực tuyến"),
        Category("dich-vu-cong-toan-trinh", "Dịch vụ công trực tuyến toàn trình", "tỷ lệ TTHC cung cấp dịch vụ công trực tuyến toàn trình, một phần"),
        Category("hai-long-tthc", "Hài lòng về giải quyết TTHC", "mức độ hài lòng của người dân, doanh nghiệp khi giải quyết TTHC"),
        Category("hai-long-dich-vu-cong", "Hài lòng với dịch vụ công", "mức độ hài lòng với dịch vụ y tế, giáo dục, hành chính công (SIPAS)"),
        Category("so-hoa-ho-so", "Số hóa hồ sơ, kết quả", "tỷ lệ hồ sơ, kết quả giải quyết TTHC được số hóa"),
        Category("tai-su-dung-du-lieu", "Tái sử dụng dữ liệu", "tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa"),
        Category("giai-quyet-dung-han", "Giải quyết đúng hạn", "tỷ lệ hồ sơ giải quyết đúng hạn, trước hạn; tỷ lệ hồ sơ trễ hạn"),
        Category("cong-khai-tthc", "Công khai TTHC", "TTHC được công khai kịp thời, đầy đủ, chính xác"),
        Category("phan-anh-kien-nghi", "Phản ánh, kiến nghị", "tỷ lệ phản ánh, kiến nghị được xử lý, trả lời đúng hạn"),
        Category("chi-so-danh-gia", "Chỉ số đánh giá", "điểm, thứ hạng DDCI, PCI, PAR INDEX, SIPAS, Bộ chỉ số 766"),
        Category("khac", "Khác, chưa phân loại", "mọi chỉ tiêu chưa được phân loại"),
    )
}
UNCATEGORISED = "khac"


def _fields(*specs: FieldSpec) -> dict[str, FieldSpec]:
    return {s.name: s for s in specs}


_COMMON = (
    FieldSpec("plan", "text", "Kế hoạch (số, ký hiệu hoặc tên)", True),
    FieldSpec("unit", "text", "Đơn vị chủ trì được nhắc (một đơn vị)", True),
)

_TASK_FIELDS = (
    FieldSpec("task", "text", "Số thứ tự nhiệm vụ (TT/STT)", True),
    FieldSpec("section", "text", "Mục (I, II, ...)", True),
    FieldSpec("title", "text", "Nội dung nhiệm vụ", True),
    FieldSpec("deadline", "text", "Thời gian thực hiện, nguyên văn", True),
    FieldSpec(
        "deadline_kind",
        "text",
        "Loại thời hạn: due, window, recurring, continuous, external, unparsed",
        True,
    ),
    FieldSpec("due", "date", "Hạn hoàn thành"),
    FieldSpec("start", "date", "Ngày bắt đầu"),
    FieldSpec("checkpoint", "date", "Mốc kiểm tra tiến độ (quý đầu của 'Quý III, IV')"),
    FieldSpec(
        "status",
        "text",
        "Tình trạng báo cáo: hoàn thành, đang thực hiện, chưa thực hiện, chưa báo cáo",
        True,
    ),
    FieldSpec("done_on", "date", "Ngày hoàn thành"),
    FieldSpec("reported_on", "date", "Ngày báo cáo gần nhất"),
    FieldSpec("days_overdue", "number", "Số ngày quá hạn (âm: còn trong hạn)"),
    FieldSpec("days_left", "number", "Số ngày còn lại đến hạn (âm: đã quá hạn)"),
    FieldSpec("reports", "number", "Số lần đơn vị đã báo cáo tiến độ", True),
)

KINDS: dict[str, dict[str, FieldSpec]] = {
    "task": _fields(*_COMMON, *_TASK_FIELDS),
    "occurrence": _fields(
        *_COMMON,
        *_TASK_FIELDS,
        FieldSpec("period", "text", "Kỳ của lần thực hiện (ví dụ 2026-Q3, 2026-10)", True),
    ),
    "target": _fields(
        *_COMMON,
        FieldSpec("target", "text", "Mã chỉ tiêu", True),
        FieldSpec("text", "text", "Câu chỉ tiêu, nguyên văn", True),
        FieldSpec("metric", "text", "Chỉ số đo", True),
        FieldSpec("comparison", "text", "So sánh: >=, >, <=, <, ==", True),
        FieldSpec("value", "number", "Giá trị chỉ tiêu", True),
        FieldSpec("measure", "text", "Đơn vị tính: %, điểm, ...", True),
        FieldSpec("is_reduction", "bool", "Là chỉ tiêu '03 giảm'", True),
        FieldSpec("baseline_year", "number", "Năm gốc so sánh"),
        FieldSpec("scope", "text", "Phạm vi (lĩnh vực)", True),
        FieldSpec("period", "text", "Kỳ áp dụng", True),
        FieldSpec("weight", "number", "Trọng số (chỉ số thành phần)"),
        FieldSpec("actual", "number", "Kết quả đo gần nhất"),
        FieldSpec("measured_on", "date", "Ngày đo"),
        FieldSpec("numerator", "number", "Tử số (ví dụ số hồ sơ trực tuyến)"),
        FieldSpec("denominator", "number", "Mẫu số (ví dụ tổng số hồ sơ)"),
    ),
    "procedure": _fields(
        *_COMMON,
        FieldSpec("code", "text", "Mã thủ tục hành chính", True),
        FieldSpec("name", "text", "Tên thủ tục hành chính", True),
        FieldSpec("baseline_year", "number", "Năm gốc", True),
        FieldSpec("baseline_days", "number", "Thời gian giải quyết năm gốc (ngày)"),
        FieldSpec("current_days", "number", "Thời gian giải quyết hiện nay (ngày)"),
        FieldSpec("time_reduction", "number", "Tỷ lệ cắt giảm thời gian so với năm gốc (%)"),
        FieldSpec("time_target", "number", "Chỉ tiêu cắt giảm thời gian (%)"),
        FieldSpec("baseline_cost", "number", "Chi phí tuân thủ năm gốc (đồng)"),
        FieldSpec("current_cost", "number", "Chi phí tuân thủ hiện nay (đồng)"),
        FieldSpec("cost_reduction", "number", "Tỷ lệ cắt giảm chi phí so với năm gốc (%)"),
        FieldSpec("cost_target", "number", "Chỉ tiêu cắt giảm chi phí (%)"),
        FieldSpec("baseline_components", "number", "Số thành phần hồ sơ năm gốc"),
        FieldSpec("current_components", "number", "Số thành phần hồ sơ hiện nay"),
        FieldSpec(
            "components_reduction", "number", "Tỷ lệ cắt giảm thành phần hồ sơ so với năm gốc (%)"
        ),
        FieldSpec("components_target", "number", "Chỉ tiêu cắt giảm thành phần hồ sơ (%)"),
        FieldSpec("measured_on", "date", "Ngày đo"),
    ),
}


def fields_markdown() -> str:
    """The field tables of docs/rules.md, written from this catalogue."""
    lines: list[str] = []
    for kind, fields in KINDS.items():
        lines += ["", f"#### `{kind}`", "", "| trường | kiểu | luôn có | ý nghĩa |", "| --- | --- | --- | --- |"]
        for spec in fields.values():
            lines.append(f"| `{spec.name}` | {spec.type} | {'có' if spec.always else 'không'} | {spec.meaning} |")
    return "\n".join(lines[1:]) + "\n"
