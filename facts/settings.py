"""A commune's settings for its notices: one small YAML file an office edits (dondoc.yaml).

    # dondoc.yaml, beside the plan folders of one commune
    symbol: UBND-VHXH
    signer: {authority: KT. CHỦ TỊCH, title: PHÓ CHỦ TỊCH, name: Nguyễn Văn A}
    reply_days: 5
    groups:
      Các phòng chuyên môn: [Phòng Kinh tế, Phòng Văn hóa - Xã hội]

A plan uses the ``dondoc.yaml`` in its own folder or the nearest folder above it, so
a nightly run over many communes gives each its own (``--settings`` names one file
for every plan instead). Paths inside are relative to the file. docs/notices.md
documents every key; errors name the file and line, in Vietnamese.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from dondoc.facts.calendar import DEFAULT, WorkCalendar, read_days_off
from dondoc.errors import InputError, InputErrors
from dondoc.facts.models import Signer
from dondoc.text import unit_key
from dondoc.facts.yamlio import load_yaml, locate, validation_errors

SETTINGS_FILE = "dondoc.yaml"


class ReportSigner(BaseModel):
    """Who signs the Chairman's summary: the head of the monitoring unit, who reports."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    authority: str = Field("", description="Dòng thẩm quyền, khi ký thay (ví dụ 'KT. TRƯỞNG PHÒNG')")
    title: str = Field("", description="Chức vụ (mặc định theo đơn vị: TRƯỞNG PHÒNG, CHÁNH VĂN PHÒNG, GIÁM ĐỐC...)")
    name: str = Field("", description="Họ tên")


class Cadence(BaseModel):
    """When a unit gets a letter (night/cadence.py): on something new, on escalation, when the
    reply date of its last letter has passed unanswered; never sooner than ``every`` working
    days after its last letter went out. Otherwise the night's result reaches the monitoring
    unit and the Chairman through the summary only."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    every: int = Field(5, ge=0, le=60, description="Số ngày làm việc tối thiểu giữa hai công văn gửi một đơn vị (mặc định: một tuần)")
    on_new: bool = Field(True, description="Gửi khi có nội dung mới")
    on_escalation: bool = Field(True, description="Gửi khi một nội dung lên mức độ cao hơn")
    on_reply_lapsed: bool = Field(True, description="Gửi khi đã quá hạn trả lời công văn trước mà chưa có báo cáo")


class Settings(BaseModel):
    """What a commune's office decides about its notices; every key has a working default."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    superior: str = Field("", description="Cơ quan chủ quản, dòng trên tên cơ quan ban hành (thường để trống)")
    symbol: str = Field("UBND-VP", description="Ký hiệu công văn: 'Số: …/UBND-VP'")
    archive: str = Field("", description="Đơn vị soạn thảo ở dòng 'Lưu: VT, …' (mặc định: phần sau dấu '-' của ký hiệu)")
    signer: Signer | None = Field(None, description="Người ký (mặc định: người ký ghi trong kế hoạch)")
    copies: list[str] | None = Field(None, description="Các dòng 'Nơi nhận' giữa 'Như trên' và 'Lưu'")
    monitor: str = Field("", description="Đơn vị theo dõi, khi kế hoạch không ghi")
    reply_days: int = Field(5, ge=1, le=60, description="Số ngày làm việc để đơn vị báo cáo")
    days_off: Path | None = Field(None, description="Tệp CSV ngày nghỉ, ngày làm bù của cơ quan")
    groups: dict[str, list[str]] = Field(
        default_factory=dict, description="Nhóm đơn vị ('Các phòng chuyên môn') -> các đơn vị nhận công văn"
    )
    drafts: str = Field("mark", description="Kế hoạch chưa có số, ngày: 'mark' (ghi DỰ THẢO) hoặc 'withhold' (không viết)")
    templates: Path | None = Field(None, description="Thư mục mẫu công văn riêng của xã (chạy trong hộp cát)")
    numbering: bool = Field(
        False, description="Không còn dùng: số công văn do văn thư cấp khi ký (dondoc letters sign), không cấp lúc chạy đêm"
    )
    store_url: str = Field(
        "", alias="store",
        description="Kho dữ liệu (lịch sử các đêm kiểm tra, công văn, sổ đăng ký văn bản đi): tệp SQLite hoặc địa chỉ PostgreSQL",
    )
    # "register" in files of an earlier dondoc: the register became the store, one database.
    register_url: str = Field("", alias="register", description="Tên cũ của 'store' (kho dữ liệu)")
    letters: Cadence = Field(default_factory=lambda: Cadence(), description="Khi nào một đơn vị nhận công văn (mới, tăng mức, quá hạn trả lời; cách nhau tối thiểu 'every' ngày làm việc)")
    rules: list[Path] = Field(default_factory=list, description="Thư mục quy tắc riêng của xã")
    summary_signer: ReportSigner | None = Field(
        None, description="Người ký báo cáo tổng hợp (thủ trưởng đơn vị theo dõi): authority, title, name"
    )
    summary_late: int = Field(
        10, ge=1, le=200, description="Số nội dung quá hạn, nghiêm trọng báo cáo tổng hợp nêu tên (nặng nhất trước); còn lại được đếm"
    )
    path: str = Field("", exclude=True, description="The file read ('' for the defaults)")

    @field_validator("symbol")
    @classmethod
    def _symbol(cls, value: str) -> str:
        value = value.strip()
        if not value or "/" in value or " " in value:
            raise ValueError("ký hiệu viết liền, không có '/' (ví dụ UBND-VHXH)")
        return value

    @field_validator("drafts")
    @classmethod
    def _drafts(cls, value: str) -> str:
        if value not in ("mark", "withhold"):
            raise ValueError("chỉ nhận 'mark' (ghi DỰ THẢO) hoặc 'withhold' (không viết công văn)")
        return value

    @field_validator("numbering")
    @classmethod
    def _numbering(cls, value: bool) -> bool:
        # A night that numbered letters before anyone signed them repeated numbers the office had
        # used (issue 15); an office that still asks for it must hear that it no longer happens.
        if value:
            raise ValueError(
                "đêm kiểm tra không còn cấp số công văn: số do văn thư cấp khi ký (dondoc letters sign,"
                " docs/notices.md 5); xóa dòng này"
            )
        return value

    @field_validator("groups")
    @classmethod
    def _groups(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for group, units in value.items():
            if not units or any(not u.strip() for u in units):
                raise ValueError(f"nhóm '{group}': ghi ít nhất một đơn vị nhận, mỗi đơn vị một tên")
        return value

    @property
    def store(self) -> str:
        """The store this commune's nights keep (its `store:`, or `register:` of an earlier dondoc)."""
        return self.store_url or self.register_url

    @property
    def drafter(self) -> str:
        """The drafting unit on the "Lưu: VT, VP." line."""
        return self.archive.strip() or self.symbol.partition("-")[2]

    def group_units(self, group: str) -> list[str] | None:
        """The units a group addressee stands for, whatever its spelling; None when not listed."""
        key = unit_key(group)
        for name, units in self.groups.items():
            if unit_key(name) == key:
                return units
        return None

    def calendar(self) -> WorkCalendar:
        """Working days: Vietnamese holidays, plus the office's own days off when given."""
        return _calendar(str(self.days_off)) if self.days_off else DEFAULT


@functools.lru_cache(maxsize=256)
def _calendar(path: str) -> WorkCalendar:
    calendar = read_days_off(path)
    # Communes keep copies of their province's days off: one calendar object for the same
    # days, so its working days are worked out once per process, not once per commune.
    return _CALENDARS.setdefault(calendar.days, calendar)


_CALENDARS: dict[tuple, WorkCalendar] = {}


DEFAULTS = Settings()

_MESSAGES = {
    "missing": "thiếu trường bắt buộc",
    "bool_parsing": "ghi true (có) hoặc false (không)",
    "bool_type": "ghi true (có) hoặc false (không)",
    "int_parsing": "phải là một số nguyên",
    "int_type": "phải là một số nguyên",
    "int_from_float": "phải là một số nguyên",
    "greater_than_equal": "nhỏ hơn mức cho phép",
    "less_than_equal": "lớn hơn mức cho phép",
    "string_type": "phải là chữ",
    "list_type": "phải là một danh sách (mỗi dòng bắt đầu bằng '- ')",
    "dict_type": "phải là các dòng 'tên: giá trị'",
    "model_type": "phải là các dòng 'tên: giá trị'",
    "model_attributes_type": "phải là các dòng 'tên: giá trị'",
    "path_type": "phải là đường dẫn tệp",
}


def _vietnamese(err: dict[str, Any]) -> str:
    field = ".".join(str(p) for p in err["loc"] if not isinstance(p, int))
    if err["type"] == "extra_forbidden":
        known = ", ".join(f.alias or n for n, f in Settings.model_fields.items() if n != "path")
        return f"không có mục '{err['loc'][-1]}' trong tệp cài đặt (các mục: {known})"
    text = _MESSAGES.get(err["type"]) or err["msg"].removeprefix("Value error, ")
    return f"{field}: {text}" if field else text


def _resolve(value: Any, base: Path) -> Any:
    """A relative path in the file means one beside the file; a database URL stays as it is."""
    if not isinstance(value, str) or not value.strip() or "://" in value:
        return value
    return str((base / value).resolve()) if not Path(value).is_absolute() else value


def read_settings(path: str | Path) -> Settings:
    """Read and check one settings file; every problem named with its line, in Vietnamese."""
    path = Path(path)
    if not os.path.lexists(path):
        raise InputError(path, "không có tệp cài đặt này", hint=f"tệp YAML, xem docs/notices.md ({SETTINGS_FILE})")
    data, marks = load_yaml(path)  # a folder, a FIFO or a dangling link in its place: named (facts/textfile.py)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(path, "tệp cài đặt gồm các dòng 'tên: giá trị' (ví dụ symbol: UBND-VP)", line=1)
    base = path.parent
    for key in ("days_off", "templates", "register", "store"):
        if key in data:
            data[key] = _resolve(data[key], base)
    if isinstance(data.get("rules"), list):
        data["rules"] = [_resolve(v, base) for v in data["rules"]]
    try:
        settings = Settings.model_validate({**data, "path": str(path)})
    except ValidationError as exc:
        raise validation_errors(path, exc, marks, words=_vietnamese) from None
    if settings.days_off is not None:
        try:
            settings.calendar()
        except (InputError, InputErrors) as exc:
            line, column = locate(marks, ("days_off",))
            inner = exc.errors if isinstance(exc, InputErrors) else [exc]
            raise InputError(path, "days_off: " + "; ".join(e.render() for e in inner), line=line, column=column) from None
    return settings


def find_settings(plan_dir: str | Path, seen: dict[str, Path | None] | None = None) -> Path | None:
    """The dondoc.yaml of a plan: in its folder, or the nearest folder above it.

    ``seen`` remembers each folder's answer for the caller's many plans (a night's plans share
    their province's and the country's folders): each folder is looked at once."""
    seen = {} if seen is None else seen
    candidate = os.path.realpath(plan_dir)
    below: list[str] = []
    found: Path | None = None
    while True:
        if candidate in seen:
            found = seen[candidate]
            break
        below.append(candidate)
        # Whatever stands under the name counts: a dangling link (a shared drive offline), a
        # folder or a FIFO is the office's settings file gone wrong, reported, never skipped.
        if os.path.lexists(os.path.join(candidate, SETTINGS_FILE)):
            found = Path(candidate, SETTINGS_FILE)
            break
        parent = os.path.dirname(candidate)
        if parent == candidate:
            break
        candidate = parent
    for folder in below:
        seen[folder] = found
    return found


@functools.lru_cache(maxsize=1024)
def _cached(path: str, mtime_ns: int) -> Settings:
    return read_settings(path)


def settings_for(
    plan_dir: str | Path, override: str | Path | None = None, seen: dict[str, Path | None] | None = None
) -> Settings:
    """The settings that apply to a plan: ``override`` if given, else its nearest dondoc.yaml,
    else the defaults. Each file is read once per run (thousands of plans share a few files);
    ``seen`` as in ``find_settings``."""
    path = Path(override) if override is not None else find_settings(plan_dir, seen)
    if path is None:
        return DEFAULTS
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return read_settings(path)  # reports the missing file or the dangling link
    return _cached(str(path), mtime)
