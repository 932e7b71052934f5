"""Typed facts: a Plan, its Units, Tasks and Targets, and what units report.

Every model forbids unknown fields, so a typo in a plan folder is an error
that names the field, never a value silently ignored.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from dondoc.facts.csvio import parse_day
from dondoc.text import is_group, one_line, parse_number, percent, unit_key
from dondoc.facts.deadline import Deadline
from dondoc.facts.kinds import REDUCTIONS, TARGET_CATEGORIES, ReductionKey


# The years dondoc works in: a plan's year, a date of check. Outside them the calendar of
# holidays, the reply dates and the Excel date cells are not defined (9999-12-31 + 5 working days).
FIRST_YEAR, LAST_YEAR = 2000, 2100


class Strict(BaseModel):
    # nan and inf are never a measurement: refused, not compared (nan makes every comparison false).
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _day(value: Any) -> Any:
    # Dates as people and Excel write them; a number is refused (never read as Unix time).
    return None if value is None or value == "" else parse_day(value)


def _number(value: Any, info: ValidationInfo) -> Any:
    # Decimal commas, and thousands separators in a ';' CSV (the file's dialect is the context).
    return None if value is None or value == "" else parse_number(value, (info.context or {}).get("thousands"))


Day = Annotated[dt.date, BeforeValidator(_day)]
OptionalDay = Annotated[dt.date | None, BeforeValidator(_day)]
Number = Annotated[float, BeforeValidator(_number)]
OptionalNumber = Annotated[float | None, BeforeValidator(_number)]


class Signer(Strict):
    """Who signs the notices: authority line, title and name (Nghị định 30/2020)."""

    authority: str = "TM. ỦY BAN NHÂN DÂN"
    title: str = "CHỦ TỊCH"
    name: str = ""


def given_number(number: str) -> bool:
    """A document number really given ("97/KH-UBND"), not blank nor a bare "/KH-UBND" whose
    number is left for the clerk to write."""
    return bool(number) and not number.startswith("/")


class Plan(Strict):
    """A KẾ HOẠCH: its header, as the document states it."""

    issuer: str = Field(description="Cơ quan ban hành, e.g. 'UBND xã Gia Lộc'")
    superior: str = Field("", description="Cơ quan chủ quản, e.g. 'UBND THÀNH PHỐ HẢI PHÒNG'")
    locality: str = Field(description="Địa danh, e.g. 'Gia Lộc'")
    number: str = Field("", description="Số, ký hiệu, e.g. '97/KH-UBND'; blank in a draft")
    issued: OptionalDay = Field(None, description="Ngày ban hành")
    title: str
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    period_start: OptionalDay = None
    period_end: OptionalDay = None
    implements: list[str] = Field(default_factory=list, description="Văn bản cấp trên được thực hiện")
    monitor: str = Field("", description="Đơn vị tham mưu, theo dõi: receives findings that name no unit")
    signer: Signer = Field(default_factory=Signer)
    # A plan issued "kèm theo Quyết định số 692/QĐ-UBND ngày 31/7/2025 của Chủ tịch UBND xã".
    decision_number: str = Field("", description="Số quyết định ban hành kèm kế hoạch, e.g. '692/QĐ-UBND'")
    decision_date: dt.date | None = Field(None, description="Ngày của quyết định ban hành kế hoạch")
    decision_by: str = Field("", description="Người ký quyết định, e.g. 'Chủ tịch Ủy ban nhân dân xã Gia Phúc'")

    @model_validator(mode="after")
    def _period(self) -> "Plan":
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise ValueError("period_start (đầu kỳ) sau period_end (cuối kỳ)")
        return self

    @property
    def start(self) -> dt.date:
        return self.period_start or dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return self.period_end or dt.date(self.year, 12, 31)

    @property
    def decision(self) -> tuple[str, dt.date | None] | None:
        """The decision the plan was issued with: as stated, or read from a number whose type
        is QĐ (a KẾ HOẠCH has its own "KH" number; a "QĐ" number is the decision's)."""
        if self.decision_number:
            return self.decision_number, self.decision_date
        kind = self.number.partition("/")[2].split("-")[0].upper()
        if given_number(self.number) and kind in ("QĐ", "QD"):
            return self.number, self.decision_date or self.issued
        return None

    @property
    def is_draft(self) -> bool:
        """No number or no date to cite it by: the document has not been issued (a draft)."""
        decision = self.decision
        if decision is not None:
            return not decision[1]
        return not given_number(self.number) or self.issued is None

    @property
    def key(self) -> str:
        """A stable identifier for the plan in findings: number, or issuer and year for drafts."""
        if given_number(self.number):
            return f"{self.number} ({self.issuer})"
        return f"{self.issuer} {self.year}: {self.title}"


class Unit(Strict):
    """A unit (phòng, ban, trung tâm...): one canonical name and the spellings that mean it."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    group: bool = Field(False, description="A group such as 'các phòng chuyên môn', not one unit")


class Task(Strict):
    """One row of the appendix (or one assignment in the prose)."""

    id: str = Field(description="Unique within the plan, e.g. '13', 'II.2', 'II.2.a'")
    number: str = Field("", description="TT/STT as printed; '' for an unnumbered sub-row")
    section: str = ""
    title: str
    lead: list[str] = Field(default_factory=list, description="Đơn vị chủ trì (canonical names)")
    coordinating: list[str] = Field(default_factory=list, description="Đơn vị phối hợp")
    deadline: Deadline
    due: OptionalDay = Field(None, description="Date supplied in deadlines.csv for a deadline set elsewhere")
    due_source: str = Field("", description="The document that set that date (deadlines.csv, column source)")
    product: str = ""
    source_line: int | None = None


class Comparison(str, enum.Enum):
    AT_LEAST = ">="
    MORE_THAN = ">"
    AT_MOST = "<="
    LESS_THAN = "<"
    EQUAL = "=="


class Target(Strict):
    """A numeric target (chỉ tiêu): metric, comparison, value, unit, period."""

    id: str
    text: str = Field(description="The sentence the target came from")
    metric: str
    comparison: Comparison
    value: Number
    unit: str = Field(description="'%', 'điểm', or a count per period such as 'tin bài/tháng'")
    baseline_year: int | None = None
    scope: str = ""
    period: str = Field("", description="'' = the plan's period; else '2026', '2026-Q3', '2026-10'")
    weight: OptionalNumber = Field(None, description="Trọng số of a component index (DDCI)")
    reduction: ReductionKey | None = Field(
        None, description="Which of the '03 giảm' this target is, if any"
    )
    lead: list[str] = Field(default_factory=list)
    category: str | None = Field(
        None, description="Loại chỉ tiêu, one of facts/kinds.py TARGET_CATEGORIES (e.g. 'hai-long-tthc')"
    )
    source_line: int | None = None  # where the importer read it (not written to plan.yaml)

    @field_validator("category")
    @classmethod
    def _category(cls, value: str | None) -> str | None:
        if value is not None and value not in TARGET_CATEGORIES:
            raise ValueError(f"unknown category '{value}'; one of: " + ", ".join(TARGET_CATEGORIES))
        return value

    @property
    def bounds(self) -> tuple[float, float]:
        """The values the target's metric can take: a share ('%') lies in 0-100, a count or a
        score is not negative; a change against a baseline year (a growth, a cut) may be anything."""
        if self.baseline_year is not None:
            return (-math.inf, math.inf)
        if self.unit.strip() == "%":
            return (0.0, 100.0)
        return (0.0, math.inf)

    def value_problem(self, value: float) -> str | None:
        """Why ``value`` cannot be a value of this target's metric (``bounds``), if it cannot:
        what a plan folder's reader and the Excel intake both refuse."""
        low, high = self.bounds
        if low <= value <= high:
            return None
        if high < math.inf:
            return f"{value:g}% nằm ngoài {low:g}-{high:g}%"
        return f"{value:g} {self.unit} là số âm"


TaskStatus = Literal["hoàn thành", "đang thực hiện", "chưa thực hiện"]


class Progress(Strict):
    """A unit's report on a task (or on one occurrence of a recurring task)."""

    task: str
    period: str = Field("", description="For a recurring task: the occurrence's due date or period")
    status: Annotated[TaskStatus, BeforeValidator(lambda v: v.strip().lower() if isinstance(v, str) else v)]
    done_on: OptionalDay = None
    reported_on: OptionalDay = None
    evidence: str = ""
    source_line: int | None = None

    @model_validator(mode="after")
    def _done(self) -> "Progress":
        if self.status == "hoàn thành" and self.done_on is None:
            raise ValueError("trạng thái 'hoàn thành' cần done_on (ngày hoàn thành)")
        if self.status != "hoàn thành" and self.done_on is not None:
            raise ValueError(f"có done_on (ngày hoàn thành) nhưng trạng thái là '{self.status}'")
        if self.done_on and self.reported_on and self.done_on > self.reported_on:
            raise ValueError(
                f"done_on (ngày hoàn thành {self.done_on:%d/%m/%Y}) sau reported_on (ngày báo cáo"
                f" {self.reported_on:%d/%m/%Y}): không thể báo cáo xong trước khi xong"
            )
        return self


class SuppliedDeadline(Strict):
    """The date of a deadline the plan leaves to another document ("Theo lộ trình của Nghị quyết")."""

    task: str
    due: Day
    source: str = Field("", description="The document that set the date")
    source_line: int | None = None


class Measurement(Strict):
    """A measured value of a target's metric for a period."""

    target: str
    period: str
    value: OptionalNumber = None
    numerator: OptionalNumber = Field(None, ge=0)
    denominator: OptionalNumber = Field(None, gt=0)
    measured_on: Day
    source: str = ""
    source_line: int | None = None

    @field_validator("denominator")
    @classmethod
    def _ratio(cls, denominator: float | None, info: ValidationInfo) -> float | None:
        numerator = info.data.get("numerator")
        if denominator is not None and numerator is not None and numerator > denominator:
            raise ValueError(
                f"tử số (numerator {numerator:g}) lớn hơn mẫu số ({denominator:g}): tỷ lệ không thể trên 100%"
            )
        return denominator

    @model_validator(mode="after")
    def _value(self) -> "Measurement":
        if self.value is None and (self.numerator is None or self.denominator is None):
            raise ValueError("ghi value (kết quả), hoặc numerator và denominator (tử số và mẫu số)")
        if self.value is not None and (self.numerator is not None or self.denominator is not None):
            # Two readings of one measure: which one holds is for a person to say, not dondoc.
            raise ValueError("ghi value (kết quả), hoặc numerator và denominator (tử số và mẫu số), không ghi cả hai")
        return self

    @property
    def actual(self) -> float:
        if self.value is not None:
            return self.value
        assert self.numerator is not None and self.denominator is not None
        return percent(self.numerator, self.denominator)  # 612/640: 95.63, half up on the exact quotient


NonNegative = Annotated[OptionalNumber, Field(ge=0)]


class Procedure(Strict):
    """An administrative procedure (TTHC) measured for the '03 giảm' against a baseline year."""

    code: str = Field(description="Mã TTHC, e.g. '1.001612'")
    name: str
    lead: str = ""
    baseline_year: int
    baseline_days: NonNegative = None
    baseline_cost: NonNegative = None
    baseline_components: int | None = Field(None, ge=0)
    current_days: NonNegative = None
    current_cost: NonNegative = None
    current_components: int | None = Field(None, ge=0)
    measured_on: OptionalDay = None
    source_line: int | None = None


# A procedure's figures are the columns of procedures.csv the "03 giảm" table names (facts/kinds.py).
assert {f for r in REDUCTIONS.values() for f in (r.baseline, r.current)} <= set(Procedure.model_fields)


class PlanFolder(Strict):
    """Everything read from one plan folder: the plan and what units reported for it."""

    path: str
    plan: Plan
    units: list[Unit] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    progress: list[Progress] = Field(default_factory=list)
    measurements: list[Measurement] = Field(default_factory=list)
    procedures: list[Procedure] = Field(default_factory=list)

    def leads(self) -> list[str]:
        """The names the plan itself gives as lead of a task, a target or a procedure, in its order."""
        names = [u for t in self.tasks for u in t.lead] + [u for t in self.targets for u in t.lead]
        return list(dict.fromkeys(one_line(n) for n in names + [p.lead for p in self.procedures] if n))

    def is_group(self, name: str) -> bool:
        """Is a name a group of units ("Các phòng chuyên môn"), by its words or by plan.yaml's `group: true`?"""
        return unit_key(name) in self.group_keys or is_group(name)

    @property
    def group_keys(self) -> frozenset[str]:
        """The keys of the units plan.yaml marks `group: true`, worked out once for these units (a
        letter asks for each of its items: the summary of a plan of 10,000 units made them
        10,000 x 10,000). Kept beside the fields, for the very list of units it was made from
        (a copy with other units works it out again)."""
        kept = self.__dict__.get("_group_keys")
        if kept is None or kept[0] is not self.units:
            kept = (self.units, frozenset(unit_key(u.name) for u in self.units if u.group))
            self.__dict__["_group_keys"] = kept
        return kept[1]
