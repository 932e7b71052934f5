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

import difflib
import functools
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from dondoc.facts.calendar import DEFAULT, WorkCalendar, read_days_off
from dondoc.errors import InputError, InputErrors
from dondoc.facts.models import Signer
from dondoc.text import parse_number, unit_key
from dondoc.facts.yamlio import KEY, load_yaml, locate, validation_errors

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
    commune: dict[str, bool | int | float | str] = Field(
        default_factory=dict,
        description="Thuộc tính của xã (loại, đô thị/nông thôn, dân số...) theo thuoc-tinh-xa.yaml của gói quy tắc tỉnh; quy tắc đọc commune.class",
    )
    communes: Path | None = Field(
        None, description="Bảng thuộc tính các xã của tỉnh (CSV, mỗi xã một dòng, cột 'xã' và mỗi thuộc tính một cột); 'commune:' của xã được ưu tiên"
    )
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


# Per days-off file, for every commune of a province's night: with 256 entries, the workers read
# again every days-off file but the last 256 the command's process had read (of 1,108).
@functools.lru_cache(maxsize=16_384)
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
    for key in ("days_off", "templates", "register", "store", "communes"):
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


def check_commune(settings: Settings, schema: dict[str, Any]) -> None:
    """The commune's attributes (``commune:``) against the province's schema (facts/kinds.py
    COMMUNE_SCHEMA, declared by its rule pack): each unknown name, wrong type or value named
    with its line in the settings file."""
    if settings.communes is not None:
        commune_table(settings.communes, schema)  # every cell of the province's table, at its line
    if not settings.commune:
        return
    path = Path(settings.path) if settings.path else Path(SETTINGS_FILE)
    marks = load_yaml(path)[1] if settings.path else {}
    errors = []
    for name, value in settings.commune.items():
        spec = schema.get(name)
        line, column = locate(marks, ("commune", name)) if marks else (None, None)
        if spec is None:
            line, column = locate(marks, ("commune", name, KEY)) if marks else (None, None)
            close = difflib.get_close_matches(name, list(schema), n=1)
            errors.append(InputError(path, f"commune: thuộc tính '{name}' không có trong thuoc-tinh-xa.yaml của gói quy tắc",
                                     line=line, column=column,
                                     hint=(f"có phải '{close[0]}'? " if close else "") + "các thuộc tính: " + (", ".join(schema) or "(chưa khai báo)")))
            continue
        fits = {"text": isinstance(value, str), "bool": isinstance(value, bool),
                "number": isinstance(value, (int, float)) and not isinstance(value, bool)}[spec.type]
        if not fits:
            said = {"text": "chữ (ví dụ \"II\")", "bool": "true hoặc false", "number": "một số"}[spec.type]
            errors.append(InputError(path, f"commune: '{name}' cần {said}, không phải {value!r}", line=line, column=column))
        elif spec.values and value not in spec.values:
            close = difflib.get_close_matches(str(value), list(spec.values), n=1)
            errors.append(InputError(path, f"commune: '{value}' không phải một giá trị của '{name}'", line=line, column=column,
                                     hint=(f"có phải '{close[0]}'? " if close else "") + "các giá trị: " + ", ".join(spec.values)))
    if errors:
        raise InputErrors(errors)


COMMUNE_COLUMN = "xã"  # the province's table: the commune's name (the plan's locality), then one column per attribute
_TRUE = {"true": True, "có": True, "x": True, "đúng": True, "false": False, "không": False, "sai": False}


def _typed(value: str, kind: str) -> Any:
    if kind == "number":
        return parse_number(value)
    if kind == "bool":
        if value.strip().lower() not in _TRUE:
            raise ValueError("cần có hoặc không (true, false)")
        return _TRUE[value.strip().lower()]
    return value.strip()


@functools.lru_cache(maxsize=64)
def _commune_table(path: str, mtime_ns: int, schema: tuple) -> dict[str, dict[str, Any]]:
    from dondoc.facts.csvio import read_csv

    specs = dict(schema)
    rows: dict[str, dict[str, Any]] = {}
    errors: list[InputError] = []
    for line, cells in read_csv(path):
        name = cells.get(COMMUNE_COLUMN, "").strip()
        if not name:
            errors.append(InputError(path, f"dòng không có tên xã (cột '{COMMUNE_COLUMN}')", line=line))
            continue
        values: dict[str, Any] = {}
        for column, text in cells.items():
            if column == COMMUNE_COLUMN or not text.strip():
                continue
            spec = specs.get(column)
            if spec is None:
                errors.append(InputError(path, f"cột '{column}' không phải một thuộc tính trong thuoc-tinh-xa.yaml", line=line,
                                         where=f"cột {column}", hint="các thuộc tính: " + (", ".join(specs) or "(chưa khai báo)")))
                continue
            try:
                values[column] = _typed(text, spec[0])
            except ValueError as exc:
                errors.append(InputError(path, f"'{text}' không hợp với thuộc tính '{column}' ({spec[0]}): {exc}", line=line, where=f"cột {column}"))
                continue
            if spec[1] and values[column] not in spec[1]:
                errors.append(InputError(path, f"'{text}' không phải một giá trị của '{column}'", line=line, where=f"cột {column}",
                                         hint="các giá trị: " + ", ".join(spec[1])))
        key = unit_key(name)
        if key in rows:
            errors.append(InputError(path, f"xã '{name}' có hai dòng", line=line))
        rows[key] = values
    if errors:
        raise InputErrors(errors)
    return rows


def commune_table(path: Path, schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The province's table of its communes' attributes (``communes:``), typed by the schema its
    rule pack declared; every bad cell named with its line and column."""
    if not path.is_file():
        raise InputError(path, "không có bảng thuộc tính các xã này", hint=f"tệp CSV: cột '{COMMUNE_COLUMN}', rồi mỗi thuộc tính một cột")
    frozen = tuple(sorted((n, (s.type, tuple(s.values))) for n, s in schema.items()))
    return _commune_table(str(path), path.stat().st_mtime_ns, frozen)


def attributes_for(settings: Settings, locality: str, schema: dict[str, Any]) -> dict[str, Any]:
    """A plan's commune attributes: its settings' own ``commune:``, else its row of the
    province's table (by the plan's locality); none: every attribute unknown."""
    if settings.commune:
        return dict(settings.commune)
    if settings.communes is None:
        return {}
    return dict(commune_table(settings.communes, schema).get(unit_key(locality), {}))


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
