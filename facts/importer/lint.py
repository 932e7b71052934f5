"""A plan checked before it is issued (`dondoc lint DOCUMENT`): what would leave it uncheckable.

The drafting office runs it on the draft. Each finding names its line and says what to write:

- a task without a lead unit, or without a deadline the night can read (none, unreadable,
  or set elsewhere and not given);
- a deadline before the plan's own date (already past when the plan is signed);
- a target without a number, a unit, a period (in a plan of several years) or a data source;
- a lead that is not one of the commune's units (``units``: the names a person gives, from an
  earlier plan.yaml or a list);
- and everything the importer itself could not read (its warnings).

Findings are "lỗi" (the night cannot check the item) or "lưu ý" (it can, but a letter may be
disputed: no data source named).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from dondoc.errors import EXIT_FINDINGS, EXIT_OK, InputError
from dondoc.facts.deadline import DeadlineKind
from dondoc.facts.importer import ImportResult, import_document
from dondoc.text import unit_key

ERROR, NOTE = "lỗi", "lưu ý"

# Words that name where a target's figure comes from ("theo số liệu của Hệ thống ...").
_SOURCE = re.compile(
    r"số liệu|nguồn|hệ thống thông tin|cổng dịch vụ công|phần mềm|thống kê|theo kết quả|theo báo cáo|"
    r"điều tra|khảo sát|đo lường|chỉ số",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LintFinding:
    line: int | None
    severity: str
    code: str
    message: str  # Vietnamese, with the fix

    def as_json(self) -> dict:
        return {"line": self.line, "severity": self.severity, "code": self.code, "message": self.message}

    def render(self, path: str) -> str:
        where = f"{path}:{self.line}" if self.line is not None else path
        return f"{where}: {self.severity}: [{self.code}] {self.message}"


def known_units(path: Path) -> set[str]:
    """The commune's units: the ``units`` of a plan.yaml (names and aliases), or one per line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(path, f"không đọc được danh sách đơn vị: {exc.strerror} (cannot read the unit list)") from None
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise InputError(path, f"tệp YAML không hợp lệ: {exc} (invalid YAML)") from None
        names = set()
        for unit in data.get("units") or [] if isinstance(data, dict) else []:
            if isinstance(unit, dict):
                names.add(str(unit.get("name", "")))
                names.update(str(a) for a in unit.get("aliases") or [])
        return {unit_key(n) for n in names if n}
    return {unit_key(line.split(",")[0]) for line in text.splitlines() if line.strip() and not line.startswith("#")}


def lint(result: ImportResult, units: set[str] | None = None) -> list[LintFinding]:
    folder = result.folder
    plan = folder.plan
    out: list[LintFinding] = []
    for w in result.warnings:
        said = w.message.split(" — ")[0]
        fix = _FIX.get(w.code)
        out.append(LintFinding(w.line, ERROR if w.code in _UNCHECKABLE else NOTE, w.code, f"{said}: {fix}" if fix else said))
    told = {(w.line, w.code) for w in result.warnings}
    several_years = plan.start.year != plan.end.year
    for task in folder.tasks:
        line = task.source_line
        label = f"Nhiệm vụ {task.id} ('{_short(task.title)}')"
        deadline = task.deadline
        if not task.lead and (line, "thieu_don_vi_chu_tri") not in told:
            out.append(LintFinding(line, ERROR, "thieu_don_vi_chu_tri",
                                   f"{label} chưa có đơn vị chủ trì: ghi một đơn vị chịu trách nhiệm"))
        if deadline.kind == DeadlineKind.EXTERNAL:
            out.append(LintFinding(line, ERROR, "thoi_han_noi_khac",
                                   f"{label}: thời hạn '{deadline.phrase}' do nơi khác quyết định; ghi ngày cụ thể "
                                   "(hoặc bổ sung vào deadlines.csv khi có) để đôn đốc được"))
        dates = [d for d in (deadline.due, *deadline.occurrences) if d]
        if plan.issued and dates and max(dates) < plan.issued:
            out.append(LintFinding(line, ERROR, "thoi_han_truoc_ngay_ban_hanh",
                                   f"{label}: hạn {max(dates):%d/%m/%Y} trước ngày ban hành kế hoạch "
                                   f"{plan.issued:%d/%m/%Y}; sửa thời hạn"))
        if units is not None:
            for lead in task.lead:
                if unit_key(lead) not in units:
                    out.append(LintFinding(line, ERROR, "don_vi_la",
                                           f"{label}: '{lead}' không có trong danh sách đơn vị của xã; viết đúng tên "
                                           "đơn vị (hoặc thêm vào danh sách)"))
    for target in folder.targets:
        label = f"Chỉ tiêu {target.id} ('{_short(target.text)}')"
        line = target.source_line
        if not target.unit:
            out.append(LintFinding(line, ERROR, "chi_tieu_thieu_don_vi",
                                   f"{label} không có đơn vị đo (%, điểm, hồ sơ ...): ghi đơn vị sau con số"))
        if several_years and not target.period:
            out.append(LintFinding(line, ERROR, "chi_tieu_thieu_ky",
                                   f"{label}: kế hoạch nhiều năm mà chỉ tiêu không ghi năm: ghi 'năm 2026', "
                                   "'đến năm 2030'"))
        if not target.lead and not plan.monitor:
            out.append(LintFinding(line, ERROR, "chi_tieu_thieu_don_vi_chu_tri",
                                   f"{label}: không có đơn vị chủ trì và kế hoạch không giao đơn vị theo dõi: "
                                   "ghi đơn vị theo dõi ở mục Tổ chức thực hiện"))
        if not _SOURCE.search(target.text):
            out.append(LintFinding(line, NOTE, "chi_tieu_thieu_nguon",
                                   f"{label}: không nói số liệu lấy từ đâu: ghi nguồn (ví dụ 'theo số liệu Hệ thống "
                                   "thông tin giải quyết TTHC')"))
    if units is not None and plan.monitor and unit_key(plan.monitor) not in units:
        out.append(LintFinding(None, ERROR, "don_vi_la",
                               f"Đơn vị theo dõi '{plan.monitor}' không có trong danh sách đơn vị của xã"))
    return sorted(out, key=lambda f: (f.line is None, f.line or 0, f.code))


# Importer warnings that leave an item uncheckable; the others are notes for the drafter.
_UNCHECKABLE = {
    "thoi_han_khong_doc_duoc", "thieu_thoi_han", "thieu_don_vi_chu_tri", "khong_co_nhiem_vu",
    "muc_tieu_khong_doc_duoc", "nhiem_vu_khong_doc_duoc", "dong_khong_doc_duoc", "bang_khong_ro_cot",
    "thieu_co_quan_ban_hanh",
}


# What to write, for the importer's warnings a drafter can act on.
_FIX = {
    "thieu_don_vi_chu_tri": "ghi một đơn vị chịu trách nhiệm",
    "thieu_thoi_han": "ghi thời hạn ('Quý IV/2026', 'Chậm nhất ngày 30/6/2026', 'Hằng quý')",
    "thoi_han_khong_doc_duoc": "viết thời hạn theo một dạng ở docs/deadlines.md ('Chậm nhất ngày 30/6/2026')",
    "thoi_han_mot_phan": "tách thời hạn khỏi lời mô tả công việc",
    "muc_tieu_khong_doc_duoc": "ghi con số và đơn vị đo ('đạt tối thiểu 90%'), hoặc chuyển sang mục đích, yêu cầu",
    "nhiem_vu_khong_doc_duoc": "mở đầu bằng đơn vị thực hiện ('Giao Công chức ...') hoặc ghi 'Đơn vị chủ trì: ...'",
    "so_ky_hieu_trong": "văn thư cấp số trước khi ban hành",
    "ngay_ban_hanh_trong": "ghi đủ ngày, tháng, năm ban hành",
    "thieu_so_thu_tu": "đánh số lại cho liền mạch",
    "trung_so_thu_tu": "đánh số lại cho liền mạch",
    "thieu_co_quan_ban_hanh": "ghi khối tên cơ quan ban hành (ỦY BAN NHÂN DÂN / XÃ ...)",
}


def lint_status(findings: list[LintFinding]) -> int:
    """1 when an error leaves the plan uncheckable at night; notes alone do not."""
    return EXIT_FINDINGS if any(f.severity == ERROR for f in findings) else EXIT_OK


def lint_document(path: str | Path, units_file: str | Path | None = None) -> list[LintFinding]:
    """Read a draft plan and say what would leave it uncheckable at night."""
    units = known_units(Path(units_file)) if units_file else None
    return lint(import_document(path), units)


def _short(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
