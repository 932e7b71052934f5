"""The kinds of fact rules apply to, and every field each kind carries.

This catalogue is the contract between facts/ and rules/: a rule may only name
fields listed here, with the type listed here. docs/rules.md is written from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from dondoc.facts.calendar import WEEKDAYS
from dondoc.facts.deadline import DeadlineKind

FieldType = Literal["text", "number", "date", "bool"]

# The severities a rule gives, least to most severe: the one table (engine, letters, store).
Severity = Literal["info", "nhắc nhở", "cảnh báo", "nghiêm trọng"]
SEVERITY_ORDER: dict[str, int] = {"info": 0, "nhắc nhở": 1, "cảnh báo": 2, "nghiêm trọng": 3}
# What staff read for each severity ("info" is the rule language's word; the reader sees "Thông tin").
SEVERITY_LABELS: dict[str, str] = {"info": "Thông tin", "nhắc nhở": "Nhắc nhở", "cảnh báo": "Cảnh báo", "nghiêm trọng": "Nghiêm trọng"}

# The values a status is reported with (facts/models.py TaskStatus), and what a task with no
# report has (facts/derive.py NOT_REPORTED); a test keeps the three in step.
STATUSES = ("hoàn thành", "đang thực hiện", "chưa thực hiện", "chưa báo cáo")
COMPARISONS = (">=", ">", "<=", "<", "==")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: FieldType
    meaning: str  # Vietnamese, shown to policy staff
    always: bool = False  # present on every fact of the kind (never 'missing')
    values: tuple[str, ...] = ()  # the only values a text field can take (rules are checked against them)
    vi: tuple[str, ...] = ()  # what staff call it, so 'tình_trạng' can be pointed to 'status'
    period: bool = False  # a period code ("2026-Q3"): a rule's message says it as staff do ("quý III/2026")
    title: bool = False  # the item's title, quoted in a message: its own final period is dropped


@dataclass(frozen=True)
class FunctionSpec:
    """A function rules may call; engine/functions.py computes it."""

    name: str
    args: tuple[FieldType, ...]
    type: FieldType
    meaning: str
    example: str
    values: tuple[str, ...] = ()


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

# Groups of categories a rule may name in place of a list: `category in chuyen-doi-so`. Data,
# like the categories: a province adds its own groups in a rule file (`categories:`, docs/rules.md).
CATEGORY_GROUPS: dict[str, tuple[str, ...]] = {
    "chuyen-doi-so": ("nop-ho-so-truc-tuyen", "thanh-toan-truc-tuyen", "dich-vu-cong-toan-trinh", "so-hoa-ho-so",
                      "tai-su-dung-du-lieu"),
    "hai-long": ("hai-long-tthc", "hai-long-dich-vu-cong"),
    "cai-cach-tthc": ("giai-quyet-dung-han", "cong-khai-tthc", "phan-anh-kien-nghi"),
}
assert all(set(members) <= set(TARGET_CATEGORIES) for members in CATEGORY_GROUPS.values())
assert not set(CATEGORY_GROUPS) & set(TARGET_CATEGORIES), "a group is not named like a category"

# The kinds of period a measurement is for, as `measured_period_kind` says them (facts/periods.py).
PERIOD_KINDS = ("năm", "quý", "tháng", "ngày")


@dataclass(frozen=True)
class Reduction:
    """One cut of "03 giảm", measured per procedure against a baseline year. Every part of
    dondoc that names a cut (the facts, the fields rules read, the importer, the letters, the
    summary, the specs) takes it from ``REDUCTIONS``."""

    key: str  # "time": a Target's ``reduction``, and the prefix of its fields
    label: str  # the letters' name for it: "Thời gian giải quyết"
    words: str  # what staff call it in a sentence and in a spec: "thời gian"
    measure: str  # the unit its figures are in: "ngày"
    raw: str  # the procedure's figures: baseline_<raw>, current_<raw>
    what: str  # its figures in a field's description: "Thời gian giải quyết ... (ngày)"
    heading: str  # its figures' column in a table staff write (the specs): "Số ngày năm gốc"
    starts: tuple[str, ...]  # a target's metric (after "cắt giảm") that starts with one of these names it
    within: tuple[str, ...]  # ... or one that holds one of these anywhere (the importer)

    def named_by(self, metric: str) -> bool:
        lower = metric.lower()
        return lower.startswith(self.starts) or any(w in lower for w in self.within)

    @property
    def baseline(self) -> str:
        return f"baseline_{self.raw}"

    @property
    def current(self) -> str:
        return f"current_{self.raw}"

    @property
    def reduction(self) -> str:
        return f"{self.key}_reduction"

    @property
    def target(self) -> str:
        return f"{self.key}_target"

    @property
    def fields(self) -> frozenset[str]:
        """Every field a rule about this cut reads."""
        return frozenset((self.baseline, self.current, self.reduction, self.target))


REDUCTIONS: dict[str, Reduction] = {
    r.key: r
    for r in (
        Reduction("time", "Thời gian giải quyết", "thời gian", "ngày", "days", "Thời gian giải quyết {} (ngày)", "Số ngày",
                  ("thời gian",), ("thời gian giải quyết", "thời hạn giải quyết")),
        Reduction("cost", "Chi phí tuân thủ", "chi phí", "đồng", "cost", "Chi phí tuân thủ {} (đồng)", "Chi phí",
                  ("chi phí",), ("chi phí tuân thủ", "chi phí thực hiện")),
        Reduction("components", "Thành phần hồ sơ", "thành phần hồ sơ", "thành phần", "components",
                  "Số thành phần hồ sơ {}", "Thành phần", ("giấy tờ", "thành phần"), ("thành phần hồ sơ",)),
    )
}
ReductionKey = Literal["time", "cost", "components"]
assert set(REDUCTIONS) == set(ReductionKey.__args__)  # type: ignore[attr-defined]


def reduction_of(fields: set[str] | frozenset[str]) -> Reduction | None:
    """Which cut a finding is about, from the fields its rule read or missed (None: no cut)."""
    return next((r for r in REDUCTIONS.values() if r.fields & fields), None)


def _reduction_fields() -> list[FieldSpec]:
    specs = []
    for r in REDUCTIONS.values():
        specs += [
            FieldSpec(r.baseline, "number", r.what.format("năm gốc")),
            FieldSpec(r.current, "number", r.what.format("hiện nay")),
            FieldSpec(r.reduction, "number", f"Tỷ lệ cắt giảm {r.words} so với năm gốc (%)"),
            FieldSpec(r.target, "number", f"Chỉ tiêu cắt giảm {r.words} (%)"),
        ]
    return specs


def _fields(*specs: FieldSpec) -> dict[str, FieldSpec]:
    return {s.name: s for s in specs}


_COMMON = (
    FieldSpec("plan", "text", "Kế hoạch (số, ký hiệu hoặc tên)", True, vi=("kế hoạch",)),
    FieldSpec("plan_year", "number", "Năm của kế hoạch (kế hoạch nhiều năm: năm đầu); ngày theo năm kế hoạch: date(plan_year, 6, 30)",
              True, vi=("năm kế hoạch", "năm")),
    FieldSpec("unit", "text", "Đơn vị chủ trì được nhắc (một đơn vị)", True, vi=("đơn vị", "đơn vị chủ trì")),
    # What the store remembers of the item (plan, subject, unit) from earlier nights
    # (facts/history.py); absent when the night keeps no store.
    FieldSpec("open_days", "number", "Số ngày từ lần đầu phát hiện nội dung này (0: phát hiện hôm nay)",
              vi=("số ngày tồn tại", "số ngày chưa khắc phục")),
    FieldSpec("times_notified", "number", "Số công văn đôn đốc đã gửi (đã ký) về nội dung này",
              vi=("số lần đôn đốc", "số lần nhắc")),
    FieldSpec("reply_lapsed", "bool", "Đã quá hạn báo cáo của công văn gần nhất mà đơn vị chưa trả lời",
              vi=("quá hạn trả lời", "chưa trả lời")),
    FieldSpec("previous_severity", "text", "Mức độ cao nhất của nội dung này ở lần kiểm tra trước",
              values=tuple(SEVERITY_ORDER), vi=("mức độ trước", "mức độ lần trước")),
)

_TASK_FIELDS = (
    FieldSpec("task", "text", "Số thứ tự nhiệm vụ (TT/STT)", True, vi=("nhiệm vụ", "số thứ tự", "stt")),
    FieldSpec("section", "text", "Mục (I, II, ...)", True, vi=("mục",)),
    FieldSpec("title", "text", "Nội dung nhiệm vụ", True, vi=("nội dung", "tên nhiệm vụ", "tiêu đề"), title=True),
    FieldSpec("deadline", "text", "Thời gian thực hiện, nguyên văn", True, vi=("thời gian thực hiện", "thời hạn")),
    FieldSpec(
        "deadline_kind",
        "text",
        "Loại thời hạn: due, window, recurring, continuous, external, unparsed",
        True,
        values=tuple(k.value for k in DeadlineKind),
        vi=("loại thời hạn",),
    ),
    FieldSpec("due", "date", "Hạn hoàn thành", vi=("hạn", "hạn hoàn thành", "hạn cuối", "ngày hạn")),
    FieldSpec("start", "date", "Ngày bắt đầu", vi=("ngày bắt đầu", "bắt đầu")),
    FieldSpec("checkpoint", "date", "Mốc kiểm tra tiến độ (quý đầu của 'Quý III, IV')", vi=("mốc kiểm tra", "mốc")),
    FieldSpec(
        "status",
        "text",
        "Tình trạng báo cáo: " + ", ".join(STATUSES),
        True,
        values=STATUSES,
        vi=("tình trạng", "trạng thái"),
    ),
    FieldSpec("done_on", "date", "Ngày hoàn thành", vi=("ngày hoàn thành",)),
    FieldSpec("reported_on", "date", "Ngày báo cáo gần nhất", vi=("ngày báo cáo",)),
    FieldSpec("days_overdue", "number", "Số ngày quá hạn (âm: còn trong hạn)", vi=("số ngày quá hạn", "quá hạn")),
    FieldSpec("days_left", "number", "Số ngày còn lại đến hạn (âm: đã quá hạn)", vi=("số ngày còn lại", "còn lại")),
    FieldSpec(
        "working_days_overdue",
        "number",
        "Số ngày làm việc quá hạn: ngày làm việc sau hạn đến ngày kiểm tra (hoặc ngày hoàn thành);"
        " không tính thứ bảy, chủ nhật, ngày lễ, ngày nghỉ của cơ quan (âm: còn trong hạn)",
        vi=("số ngày làm việc quá hạn",),
    ),
    FieldSpec(
        "working_days_left",
        "number",
        "Số ngày làm việc còn lại: ngày làm việc sau ngày kiểm tra đến hạn (0: hôm nay là hạn; âm: đã quá hạn)",
        vi=("số ngày làm việc còn lại",),
    ),
    FieldSpec("reports", "number", "Số lần đơn vị đã báo cáo tiến độ", True, vi=("số lần báo cáo", "số báo cáo")),
)

KINDS: dict[str, dict[str, FieldSpec]] = {
    "task": _fields(*_COMMON, *_TASK_FIELDS),
    "occurrence": _fields(
        *_COMMON,
        *_TASK_FIELDS,
        FieldSpec("period", "text", "Kỳ của lần thực hiện (ví dụ 2026-Q3, 2026-10)", True, vi=("kỳ",), period=True),
    ),
    "target": _fields(
        *_COMMON,
        FieldSpec("target", "text", "Mã chỉ tiêu", True, vi=("mã chỉ tiêu", "chỉ tiêu")),
        FieldSpec("text", "text", "Câu chỉ tiêu, nguyên văn", True, vi=("câu chỉ tiêu", "nội dung"), title=True),
        FieldSpec("metric", "text", "Chỉ số đo", True, vi=("chỉ số",)),
        FieldSpec(
            "category",
            "text",
            "Loại chỉ tiêu (mục \"Loại chỉ tiêu\"); khac: chưa phân loại",
            True,
            values=tuple(TARGET_CATEGORIES),
            vi=("loại", "loại chỉ tiêu", "nhóm"),
        ),
        FieldSpec("comparison", "text", "So sánh: >=, >, <=, <, ==", True, values=COMPARISONS, vi=("so sánh", "phép so sánh")),
        FieldSpec("value", "number", "Giá trị chỉ tiêu", True, vi=("giá trị", "mức", "giá trị chỉ tiêu")),
        FieldSpec("measure", "text", "Đơn vị tính: %, điểm, ...", True, vi=("đơn vị tính",)),
        FieldSpec("is_reduction", "bool", "Là chỉ tiêu '03 giảm'", True, vi=("03 giảm", "cắt giảm")),
        FieldSpec("baseline_year", "number", "Năm gốc so sánh", vi=("năm gốc",)),
        FieldSpec("scope", "text", "Phạm vi (lĩnh vực)", True, vi=("phạm vi", "lĩnh vực")),
        FieldSpec("period", "text", "Kỳ áp dụng (mặc định: kỳ của kế hoạch)", True, vi=("kỳ", "kỳ áp dụng"), period=True),
        FieldSpec(
            "procedures_measured",
            "number",
            "Chỉ tiêu \"03 giảm\": số thủ tục hành chính có số liệu năm gốc và hiện nay của nội dung cắt giảm"
            " (thời gian, chi phí hoặc thành phần hồ sơ); chỉ tiêu khác không có trường này",
            vi=("số thủ tục có số liệu",),
        ),
        FieldSpec("weight", "number", "Trọng số (chỉ số thành phần)", vi=("trọng số",)),
        FieldSpec(
            "actual",
            "number",
            "Kết quả đo gần nhất trong kỳ của chỉ tiêu (kết quả đo của kỳ khác không được tính)",
            vi=("kết quả", "kết quả đo", "thực tế"),
        ),
        FieldSpec("measured_on", "date", "Ngày đo của kết quả đó", vi=("ngày đo",)),
        FieldSpec("measured_period", "text", "Kỳ đo của kết quả đó (ví dụ 2026-Q3)", vi=("kỳ đo",), period=True),
        FieldSpec(
            "measured_period_kind",
            "text",
            "Loại kỳ đo của kết quả đó; missed_in_a_row và previous_actual chỉ so các kỳ cùng loại (quý với quý trước, tháng với tháng trước)",
            values=PERIOD_KINDS,
            vi=("loại kỳ đo", "loại kỳ"),
        ),
        FieldSpec("numerator", "number", "Tử số (ví dụ số hồ sơ trực tuyến)", vi=("tử số",)),
        FieldSpec("denominator", "number", "Mẫu số (ví dụ tổng số hồ sơ)", vi=("mẫu số",)),
        FieldSpec(
            "previous_actual",
            "number",
            "Kết quả của kỳ đo liền trước (cùng độ dài kỳ: quý trước, tháng trước)",
            vi=("kết quả kỳ trước", "kỳ trước"),
        ),
        FieldSpec("previous_period", "text", "Kỳ đo liền trước (ví dụ 2026-Q2)", vi=("kỳ đo trước",), period=True),
        FieldSpec(
            "missed_in_a_row",
            "number",
            "Số kỳ đo liên tiếp không đạt chỉ tiêu, tính đến kỳ đo gần nhất (0: kỳ gần nhất đạt;"
            " một kỳ không có kết quả đo thì dừng đếm)",
            vi=("số kỳ liên tiếp không đạt", "số kỳ không đạt"),
        ),
        FieldSpec(
            "period_end",
            "date",
            "Ngày cuối kỳ của chỉ tiêu (kỳ của chỉ tiêu, mặc định: kỳ của kế hoạch)",
            True,
            vi=("cuối kỳ", "ngày cuối kỳ", "hết kỳ"),
        ),
        FieldSpec(
            "projection_points",
            "number",
            "Số lần đo dùng để dự báo: các kết quả đo trong kỳ của chỉ tiêu đến ngày kiểm tra, mỗi ngày"
            " số liệu một lần (0: chưa có)",
            True,
            vi=("số lần đo", "số điểm dự báo"),
        ),
        FieldSpec(
            "projected",
            "number",
            "Kết quả dự kiến đến hết kỳ nếu giữ xu hướng hiện nay: đường xu hướng bình phương tối thiểu"
            " có trọng số (lần đo gần đây nặng hơn) qua các lần đo trong kỳ, kéo đến ngày cuối kỳ;"
            " làm tròn một chữ số thập phân; cần ít nhất 3 lần đo (docs/engine.md)",
            vi=("dự kiến", "kết quả dự kiến", "dự báo"),
        ),
        FieldSpec(
            "projected_low",
            "number",
            "Cận dưới của khoảng dự báo 80% của kết quả đến hết kỳ (10% khả năng thấp hơn)",
            vi=("cận dưới", "dự kiến thấp nhất"),
        ),
        FieldSpec(
            "projected_high",
            "number",
            "Cận trên của khoảng dự báo 80% của kết quả đến hết kỳ (10% khả năng cao hơn)",
            vi=("cận trên", "dự kiến cao nhất"),
        ),
    ),
    "procedure": _fields(
        *_COMMON,
        FieldSpec("code", "text", "Mã thủ tục hành chính", True, vi=("mã thủ tục", "mã")),
        FieldSpec("name", "text", "Tên thủ tục hành chính", True, vi=("tên thủ tục", "tên"), title=True),
        FieldSpec("baseline_year", "number", "Năm gốc", True, vi=("năm gốc",)),
        *_reduction_fields(),
        FieldSpec("measured_on", "date", "Ngày đo", vi=("ngày đo",)),
    ),
}

# The fields that hold a period code: a rule's message prints them as staff write them
# ("{{ period }}" -> "quý III/2026", facts/periods.py period_words); conditions see the code.
PERIOD_FIELDS = frozenset(spec.name for fields in KINDS.values() for spec in fields.values() if spec.period)
TITLE_FIELDS = frozenset(spec.name for fields in KINDS.values() for spec in fields.values() if spec.title)


def field_words(kind: str, name: str) -> str:
    """What staff call a field, for a sentence: "số kỳ liên tiếp không đạt", never
    "missed_in_a_row" (a missing-data message names what is missing in these words)."""
    spec = KINDS.get(kind, {}).get(name)
    if spec is None:
        return name
    if spec.vi:
        return spec.vi[0]
    return spec.meaning[:1].lower() + spec.meaning[1:]

# The check's own date: usable in any rule, fixed for a whole run.
AS_OF_FIELD = FieldSpec("as_of", "date", "Ngày kiểm tra (cùng một ngày cho cả lần chạy)", True, vi=("ngày kiểm tra", "hôm nay"))

FUNCTIONS: dict[str, FunctionSpec] = {
    f.name: f
    for f in (
        FunctionSpec(
            "weekday", ("date",), "text", "Thứ trong tuần của một ngày", 'weekday(due) == "thứ bảy"', WEEKDAYS
        ),
        FunctionSpec(
            "is_working_day",
            ("date",),
            "bool",
            "Ngày làm việc: không phải thứ bảy, chủ nhật, ngày lễ, Tết, ngày nghỉ của cơ quan"
            " (thứ bảy làm bù là ngày làm việc)",
            "is_working_day(due) == false",
        ),
        FunctionSpec(
            "date",
            ("number", "number", "number"),
            "date",
            "Ngày từ năm, tháng, ngày: ngày theo năm của kế hoạch (không có ngày đó thì chưa biết)",
            "due <= date(plan_year, 6, 30)",
        ),
        FunctionSpec(
            "end_of_quarter",
            ("date",),
            "date",
            "Ngày cuối quý của một ngày (31/3, 30/6, 30/9, 31/12)",
            "done_on > end_of_quarter(due)",
        ),
        FunctionSpec(
            "end_of_month",
            ("date",),
            "date",
            "Ngày cuối tháng của một ngày",
            "reported_on > end_of_month(due)",
        ),
        FunctionSpec(
            "working_days",
            ("date", "date"),
            "number",
            "Số ngày làm việc sau ngày thứ nhất đến hết ngày thứ hai (âm khi ngày thứ hai trước ngày thứ nhất)",
            "working_days(reported_on, as_of) > 10",
        ),
    )
}

# Date arithmetic, for the catalogue: (how it is written, what it means, an example).
DATE_ARITHMETIC = (
    ("NGÀY + N days, NGÀY - N days", "lùi hoặc tiến N ngày lịch (cũng viết: N ngày)", "as_of + 7 days > due"),
    (
        "NGÀY + N working days, NGÀY - N working days",
        "lùi hoặc tiến N ngày làm việc (cũng viết: N ngày làm việc)",
        "as_of >= due - 5 working days",
    ),
)


def fields_markdown() -> str:
    """The field tables of docs/rules.md, written from this catalogue."""
    lines: list[str] = []
    for kind, fields in KINDS.items():
        lines += ["", f"#### `{kind}`", "", "| trường | kiểu | luôn có | ý nghĩa |", "| --- | --- | --- | --- |"]
        for spec in fields.values():
            meaning = spec.meaning
            if spec.values and spec.name not in ("status", "deadline_kind", "comparison"):
                meaning += ": " + ", ".join(f"`{v}`" for v in spec.values)
            if spec.period:
                meaning += "; câu thông báo in như cán bộ viết: `quý III/2026`, `tháng 10/2026`, `năm 2026`"
            lines.append(f"| `{spec.name}` | {spec.type} | {'có' if spec.always else 'không'} | {meaning} |")
    lines += ["", "#### Mọi loại dữ kiện", "", "| viết | kiểu | ý nghĩa | ví dụ |", "| --- | --- | --- | --- |"]
    lines.append(f"| `{AS_OF_FIELD.name}` | date | {AS_OF_FIELD.meaning} | `checkpoint < as_of` |")
    for f in FUNCTIONS.values():
        args = ", ".join(f.args)
        meaning = f.meaning + (": " + ", ".join(f"`{v}`" for v in f.values) if f.values else "")
        lines.append(f"| `{f.name}({args})` | {f.type} | {meaning} | `{f.example}` |")
    for written, meaning, example in DATE_ARITHMETIC:
        lines.append(f"| `{written}` | date | {meaning} | `{example}` |")
    categories = ["", "#### Loại chỉ tiêu (`category`)", "", "| `category` | loại | dùng cho |", "| --- | --- | --- |"]
    categories += [f"| `{c.slug}` | {c.label} | {c.covers} |" for c in TARGET_CATEGORIES.values()]
    categories += ["", "#### Nhóm loại chỉ tiêu (`category in NHÓM`)", "", "| nhóm | các loại |", "| --- | --- |"]
    categories += [f"| `{name}` | {', '.join(f'`{m}`' for m in members)} |" for name, members in CATEGORY_GROUPS.items()]
    return "\n".join(lines[1:] + categories) + "\n"


# -- the commune's attributes: a schema the province owns -----------------------------------------

COMMUNE = "commune"  # rules read an attribute as `commune.class`; messages as {{ commune.class }}
ATTRIBUTE_TYPES = ("text", "number", "bool")
COMMUNE_SCHEMA: dict[str, FieldSpec] = {}  # attribute name -> its spec, as the province declared it


class SchemaConflict(ValueError):
    """Two rule packs of one night declare one attribute differently."""


def declare_commune(attributes: dict[str, FieldSpec]) -> None:
    """A province's attributes of its communes (``thuoc-tinh-xa.yaml`` in its rule pack, read by
    engine/rulebook.py), made fields of every kind of fact: `commune.class`. Never always present:
    a commune that has not given one leaves it unknown, as any absent value. One night may read
    several provinces' packs; an attribute declared twice must be declared alike."""
    for name, spec in attributes.items():
        known = COMMUNE_SCHEMA.get(name)
        if known is not None and (known.type, known.values) != (spec.type, spec.values):
            raise SchemaConflict(name)
        COMMUNE_SCHEMA[name] = spec
        for fields in KINDS.values():
            fields[f"{COMMUNE}.{name}"] = FieldSpec(f"{COMMUNE}.{name}", spec.type, spec.meaning, False, spec.values)


def forget_commune() -> None:
    """No attribute declared (a process that reads packs one after another: tests)."""
    for name in list(COMMUNE_SCHEMA):
        for fields in KINDS.values():
            fields.pop(f"{COMMUNE}.{name}", None)
    COMMUNE_SCHEMA.clear()
