"""The step vocabulary of the Vietnamese specs (features/*.feature); docs/specs.md lists it.

One set of step definitions serves two drivers: `dondoc rules test` (night/spectest.py,
from the installed package, no pytest) and the project's own `make test` (pytest-bdd,
tests/test_features.py registers these same functions).

Each scenario writes a real plan folder (plan.yaml and CSV files) from its tables,
reads it back through facts/, and runs the real engine with the real rules: a
scenario checks a rule exactly as it runs at night. A step that does not hold
raises SpecFailure with one Vietnamese sentence: what was expected, what came.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import inspect
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from dondoc.engine.explain import KIND_NAMES
from dondoc.engine.rulebook import Rule, format_value, in_force, load_book, read_rule_file
from dondoc.facts.calendar import DEFAULT, DayOff, WorkCalendar, parse_day
from dondoc.facts.history import ItemHistory, PlanPast
from dondoc.facts.kinds import REDUCTIONS
from dondoc.text import parse_number, unit_key
from dondoc.errors import InputError, InputErrors
from dondoc.facts.planfolder import read_plan_folder
from dondoc.night.night import evaluate


class SpecFailure(AssertionError):
    """A step that does not hold: one Vietnamese sentence, what was expected and what came."""


@dataclass(frozen=True)
class Step:
    keyword: str  # given, when, then
    pattern: str  # a regular expression over the step's text (after the keyword)
    func: Callable[..., None]

    @property
    def wants(self) -> set[str]:
        return set(inspect.signature(self.func).parameters)


STEPS: list[Step] = []


def step(keyword: str, pattern: str):
    def register(func):
        STEPS.append(Step(keyword, pattern, func))
        return func

    return register


# Column headings staff write -> plan-folder field names.
TASK_COLUMNS = {
    "TT": "id",
    "Nhiệm vụ": "title",
    "Đơn vị chủ trì": "lead",
    "Thời gian thực hiện": "deadline",
    "Ngày bổ sung": "due",  # written to deadlines.csv: a date set by another document
}
PROGRESS_COLUMNS = {
    "TT": "task",
    "Kỳ": "period",
    "Tình trạng": "status",
    "Ngày hoàn thành": "done_on",
    "Ngày báo cáo": "reported_on",
}
TARGET_COLUMNS = {
    "Mã": "id",
    "Chỉ tiêu": "text",
    "So sánh": "comparison",
    "Giá trị": "value",
    "Đơn vị tính": "unit",
    "03 giảm": "reduction",
    "Năm gốc": "baseline_year",
    "Đơn vị chủ trì": "lead",
    "Loại": "category",
    "Kỳ": "period",
}
MEASUREMENT_COLUMNS = {
    "Mã": "target",
    "Kỳ": "period",
    "Kết quả": "value",
    "Tử số": "numerator",
    "Mẫu số": "denominator",
    "Ngày đo": "measured_on",
}
PROCEDURE_COLUMNS = {
    "Mã": "code",
    "Tên": "name",
    "Đơn vị chủ trì": "lead",
    "Năm gốc": "baseline_year",
    **{f"{r.heading} năm gốc": r.baseline for r in REDUCTIONS.values()},
    **{f"{r.heading} hiện nay": r.current for r in REDUCTIONS.values()},
    "Ngày đo": "measured_on",
}
DAYS_OFF_COLUMNS = {"Ngày": "date", "Loại": "kind", "Ghi chú": "note"}
# The store's memory of an item (facts/history.py), as staff say it in a spec.
HISTORY_COLUMNS = {
    "Nội dung": "subject",
    "Đơn vị": "unit",
    "Phát hiện lần đầu": "first_seen",
    "Số lần đôn đốc": "times_notified",
    "Quá hạn trả lời": "reply_lapsed",
    "Mức độ lần trước": "previous_severity",
}
YES_NO = {"có": True, "không": False}
REDUCTION_WORDS = {r.words: r.key for r in REDUCTIONS.values()}  # "Cho chỉ tiêu cắt giảm thời gian ..."
SUBJECTS = {name.lower(): kind for kind, name in KIND_NAMES.items()}  # "chỉ tiêu" -> target
_SUBJECT = r"(?P<kind>nhiệm vụ|kỳ|chỉ tiêu|thủ tục) \"(?P<ident>[^\"]+)\""


def vn_date(text: str) -> str:
    """'22/11/2026' -> '2026-11-22'; staff write dates as officials do."""
    try:
        if not re.fullmatch(r"\s*\d{1,2}/\d{1,2}/\d{4}\s*", text):
            raise ValueError(text)
        return parse_day(text).isoformat()
    except ValueError:
        raise SpecFailure(f"ngày '{text}' viết ngày/tháng/năm, ví dụ 22/11/2026") from None


def _rows(datatable, columns: dict[str, str]) -> list[dict[str, str]]:
    header, *body = datatable
    unknown = [h for h in header if h not in columns]
    if unknown:
        raise SpecFailure(
            f"bảng có cột {', '.join(repr(h) for h in unknown)} không có trong từ vựng; các cột: {', '.join(columns)}"
        )
    return [{columns[h]: cell.strip() for h, cell in zip(header, row) if cell.strip()} for row in body]


def _dates(row: dict[str, str], *names: str) -> dict[str, str]:
    return {k: vn_date(v) if k in names else v for k, v in row.items()}


@functools.lru_cache(maxsize=1)
def shipped_rules() -> tuple[Rule, ...]:
    return tuple(load_book().rules)


@dataclass
class Evaluated:
    """One evaluation a scenario made, kept for `rules test --coverage`."""

    rules: list[Rule]
    folder: Any
    as_of: dt.date
    calendar: WorkCalendar


class World:
    """What a scenario has said so far, and the rules it is checked against."""

    def __init__(self, tmp_path: Path, rules: list[Rule] | tuple[Rule, ...] | None = None) -> None:
        self.tmp = tmp_path
        self.folder = tmp_path / "ke-hoach"
        self.rules = list(shipped_rules() if rules is None else rules)
        self.as_of = dt.date(2026, 11, 22)
        self.calendar = DEFAULT
        self.plan = {
            "issuer": "UBND xã Thử Nghiệm",
            "locality": "Thử Nghiệm",
            "number": "01/KH-UBND",
            "title": "Kế hoạch thử",
            "year": 2026,
            "monitor": "Văn phòng HĐND và UBND",
        }
        self.tasks: list[dict] = []
        self.targets: list[dict] = []
        self.tables: dict[str, list[dict]] = {}
        self.findings: list = []
        self.report = None
        self.checked = False
        self.current = None
        self.evaluated: list[Evaluated] = []
        self.past: PlanPast | None = None  # what the store remembers (None: the night keeps no store)

    def write(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        doc = {"plan": self.plan, "tasks": self.tasks, "targets": self.targets}
        (self.folder / "plan.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        for name, rows in self.tables.items():
            columns = sorted({k for row in rows for k in row})
            with open(self.folder / name, "w", encoding="utf-8", newline="") as fh:
                writer = csv.DictWriter(fh, fieldnames=columns)
                writer.writeheader()
                writer.writerows(rows)

    def run(self, rule_id: str | None) -> None:
        active = in_force(self.rules, self.as_of)
        if rule_id is None:
            chosen = active
        else:
            chosen = [r for r in active if r.id == rule_id]
            if not chosen:
                versions = [r for r in self.rules if r.id == rule_id]
                if versions:
                    raise SpecFailure(
                        f"quy tắc \"{rule_id}\" không có hiệu lực ngày {self.as_of:%d/%m/%Y} "
                        f"({'; '.join(v.validity() for v in versions)})"
                    )
                if any(r.replaces == rule_id for r in active):
                    raise SpecFailure(f"quy tắc \"{rule_id}\" đã được thay bằng một quy tắc khác (replaces)")
                known = ", ".join(sorted({r.id for r in self.rules}))
                raise SpecFailure(f"không có quy tắc \"{rule_id}\"; các quy tắc: {known}")
        self.write()
        try:
            folder = read_plan_folder(self.folder)
        except (InputError, InputErrors) as exc:
            first = exc.errors[0] if isinstance(exc, InputErrors) else exc
            raise SpecFailure(f"dữ liệu của kịch bản không hợp lệ: {first.message}" + (f" ({first.hint})" if first.hint else "")) from None
        self.findings, self.report = evaluate([folder], chosen, self.as_of, self.calendar, past=self.past)
        if self.report.rule_errors:
            rule, why = sorted(self.report.rule_errors.items())[0]
            raise SpecFailure(f"quy tắc \"{rule}\" không chạy được: {why}")
        if self.report.evaluated != self.report.facts_in:
            raise SpecFailure(f"bộ máy luật đánh giá {self.report.evaluated} trong {self.report.facts_in} dữ kiện")
        self.checked = True
        self.evaluated.append(Evaluated(in_force(chosen, self.as_of), folder, self.as_of, self.calendar))

    def subject_findings(self, kind: str, ident: str, rule: str | None = None) -> list:
        self._require_check()
        subject = f"{SUBJECTS[kind]}:{ident}"
        return [f for f in self.findings if f.subject == subject and (rule is None or f.rule == rule)]

    def _require_check(self) -> None:
        if not self.checked:
            raise SpecFailure("chưa có bước 'Khi kiểm tra theo quy tắc \"...\"' trước câu này")


def _describe(findings: list) -> str:
    if not findings:
        return "không có phát hiện nào"
    words = {v: k for k, v in SUBJECTS.items()}
    shown = [
        f"{words[f.fact_kind]} {f.subject.split(':', 1)[1]} ({'vi phạm' if f.kind == 'vi-pham' else 'thiếu dữ liệu'}, {f.rule})"
        for f in findings[:5]
    ]
    more = f" và {len(findings) - 5} phát hiện khác" if len(findings) > 5 else ""
    return f"có {len(findings)} phát hiện: " + "; ".join(shown) + more


# -- Cho (the facts) ----------------------------------------------------------------------------


@step("given", r"ngày kiểm tra là (?P<date>.+)")
def _as_of(world: World, date: str) -> None:
    world.as_of = dt.date.fromisoformat(vn_date(date))


@step("given", r"kế hoạch năm (?P<year>\d{4})")
def _plan_year(world: World, year: str) -> None:
    world.plan["year"] = int(year)


@step("given", r"các nhiệm vụ:")
def _tasks(world: World, datatable) -> None:
    for row in _rows(datatable, TASK_COLUMNS):
        row = _dates(row, "due")
        row["lead"] = [u.strip() for u in row.get("lead", "").split(";") if u.strip()]
        if "due" in row:
            world.tables.setdefault("deadlines.csv", []).append({"task": row["id"], "due": row.pop("due")})
        world.tasks.append(row)


@step("given", r"các báo cáo tiến độ:")
def _progress(world: World, datatable) -> None:
    world.tables["progress.csv"] = [_dates(r, "done_on", "reported_on") for r in _rows(datatable, PROGRESS_COLUMNS)]


@step("given", r"các chỉ tiêu:")
def _targets(world: World, datatable) -> None:
    for row in _rows(datatable, TARGET_COLUMNS):
        row.setdefault("metric", row["text"])
        row["value"] = parse_number(row["value"])
        if "reduction" in row:
            row["reduction"] = REDUCTION_WORDS[row["reduction"]]
        if "baseline_year" in row:
            row["baseline_year"] = int(row["baseline_year"])
        if "lead" in row:
            row["lead"] = [row["lead"]]
        world.targets.append(row)


@step("given", r"các kết quả đo:")
def _measurements(world: World, datatable) -> None:
    rows = [_dates(r, "measured_on") for r in _rows(datatable, MEASUREMENT_COLUMNS)]
    world.tables["measurements.csv"] = [
        {k: v.replace(",", ".") if k != "measured_on" else v for k, v in r.items()} for r in rows
    ]


@step("given", r"các thủ tục hành chính:")
def _procedures(world: World, datatable) -> None:
    world.tables["procedures.csv"] = [_dates(r, "measured_on") for r in _rows(datatable, PROCEDURE_COLUMNS)]


@step("given", r"chưa có lịch sử đôn đốc")
def _no_history(world: World) -> None:
    world.past = PlanPast({})


@step("given", r"lịch sử đôn đốc:")
def _history(world: World, datatable) -> None:
    items = {}
    for row in _rows(datatable, HISTORY_COLUMNS):
        found = re.fullmatch(_SUBJECT, row.get("subject", ""))
        if found is None:
            raise SpecFailure(f"nội dung '{row.get('subject', '')}' viết như: nhiệm vụ \"1\", chỉ tiêu \"CT01\"")
        lapsed = row.get("reply_lapsed", "không")
        if lapsed not in YES_NO:
            raise SpecFailure(f"cột 'Quá hạn trả lời' ghi 'có' hoặc 'không', không phải '{lapsed}'")
        subject = f"{SUBJECTS[found['kind']]}:{found['ident']}"
        items[(subject, unit_key(row.get("unit", "")))] = ItemHistory(
            first_seen=dt.date.fromisoformat(vn_date(row["first_seen"])),
            times_notified=int(row.get("times_notified", "0")),
            reply_lapsed=YES_NO[lapsed],
            previous_severity=row.get("previous_severity"),
        )
    world.past = PlanPast(items)


@step("given", r"ngày nghỉ của cơ quan:")
def _days_off(world: World, datatable) -> None:
    days = []
    for row in _rows(datatable, DAYS_OFF_COLUMNS):
        try:
            days.append(DayOff(parse_day(row["date"]), row.get("kind", "nghỉ"), row.get("note", "")))
        except (KeyError, ValueError) as exc:
            raise SpecFailure(f"bảng ngày nghỉ: {exc}") from None
    world.calendar = WorkCalendar(tuple(days))


@step("given", r"quy tắc:")
def _rule(world: World, docstring: str) -> None:
    """A rule written in the scenario itself (one rule, or a whole 'rules:' list)."""
    text = textwrap.dedent(docstring).strip("\n")
    wrapped = not text.lstrip().startswith("rules:")
    if wrapped:
        lines = text.splitlines()
        text = "rules:\n" + "\n".join(("  - " if i == 0 else "    ") + line for i, line in enumerate(lines))
    path = world.tmp / "quy-tac-kich-ban" / f"r{len(list(world.tmp.glob('quy-tac-kich-ban/*.yaml')))}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", encoding="utf-8")
    try:
        rules = read_rule_file(path, layer=99, folder="kịch bản")
    except (InputError, InputErrors) as exc:
        first = exc.errors[0] if isinstance(exc, InputErrors) else exc
        line = (first.line or 1) - (1 if wrapped else 0)
        raise SpecFailure(
            f"quy tắc trong kịch bản, dòng {line}: {first.message}" + (f" ({first.hint})" if first.hint else "")
        ) from None
    ids = {r.id for r in rules}
    world.rules = [r for r in world.rules if r.id not in ids] + rules


# -- Khi ------------------------------------------------------------------------------------------


@step("when", r"kiểm tra theo quy tắc \"(?P<rule_id>[^\"]+)\"")
def _check(world: World, rule_id: str) -> None:
    world.run(rule_id)


@step("when", r"kiểm tra theo mọi quy tắc")
def _check_all(world: World) -> None:
    world.run(None)


# -- Thì (the findings) ---------------------------------------------------------------------------


def _expect(world: World, kind: str, ident: str, rule: str | None = None) -> list:
    found = world.subject_findings(kind, ident, rule)
    if not found:
        whose = f" của quy tắc \"{rule}\"" if rule else ""
        raise SpecFailure(f"mong đợi có phát hiện{whose} cho {kind} \"{ident}\", nhưng {_describe(world.findings)}")
    return found


@step("then", r"có phát hiện vi phạm cho " + _SUBJECT)
def _violation(world: World, kind: str, ident: str) -> None:
    found = _expect(world, kind, ident)
    violations = [f for f in found if f.kind == "vi-pham"]
    if not violations:
        raise SpecFailure(
            f"mong đợi phát hiện vi phạm cho {kind} \"{ident}\", nhưng chỉ có phát hiện thiếu dữ liệu"
            f" ({', '.join(found[0].missing)})"
        )
    world.current = violations[0]


@step("then", r"có phát hiện thiếu dữ liệu \"(?P<name>[a-z_]+)\" cho " + _SUBJECT)
def _missing(world: World, name: str, kind: str, ident: str) -> None:
    found = [f for f in _expect(world, kind, ident) if f.kind == "thieu-du-lieu"]
    if not found:
        raise SpecFailure(f"mong đợi thiếu dữ liệu \"{name}\" cho {kind} \"{ident}\", nhưng có phát hiện vi phạm")
    if name not in found[0].missing:
        raise SpecFailure(f"mong đợi thiếu \"{name}\" cho {kind} \"{ident}\", nhưng thiếu: {', '.join(found[0].missing)}")
    world.current = found[0]


@step("then", r"có phát hiện của quy tắc \"(?P<rule>[^\"]+)\" cho " + _SUBJECT)
def _rule_finding(world: World, rule: str, kind: str, ident: str) -> None:
    world.current = _expect(world, kind, ident, rule)[0]


@step("then", r"không có phát hiện của quy tắc \"(?P<rule>[^\"]+)\" cho " + _SUBJECT)
def _no_rule_finding(world: World, rule: str, kind: str, ident: str) -> None:
    found = world.subject_findings(kind, ident, rule)
    if found:
        raise SpecFailure(f"mong đợi quy tắc \"{rule}\" không nêu {kind} \"{ident}\", nhưng có: \"{found[0].message}\"")


@step("then", r"không có phát hiện nào")
def _none(world: World) -> None:
    world._require_check()
    if world.findings:
        raise SpecFailure(f"mong đợi không có phát hiện nào, nhưng {_describe(world.findings)}")


@step("then", r"không có phát hiện cho " + _SUBJECT)
def _none_for(world: World, kind: str, ident: str) -> None:
    found = world.subject_findings(kind, ident)
    if found:
        raise SpecFailure(f"mong đợi không có phát hiện cho {kind} \"{ident}\", nhưng có: \"{found[0].message}\"")


@step("then", r"có (?P<count>\d+) phát hiện")
def _count(world: World, count: str) -> None:
    world._require_check()
    if len(world.findings) != int(count):
        raise SpecFailure(f"mong đợi {count} phát hiện, nhưng {_describe(world.findings)}")


def _current(world: World):
    if world.current is None:
        raise SpecFailure("câu này nói về phát hiện vừa nêu: viết sau 'Thì có phát hiện ... cho ...'")
    return world.current


@step("then", r"đơn vị nhận là \"(?P<unit>[^\"]+)\"")
def _unit(world: World, unit: str) -> None:
    got = _current(world).unit
    if got != unit:
        raise SpecFailure(f"mong đợi đơn vị nhận là \"{unit}\", nhưng là \"{got}\"")


@step("then", r"giá trị \"(?P<name>[^\"]+)\" là (?P<value>.+)")
def _value(world: World, name: str, value: str) -> None:
    fact = _current(world).fact
    actual: Any = fact.get(name)
    expected: Any = value.strip().strip('"')
    if re.fullmatch(r"-?\d+(,\d+)?", value.strip()):
        expected = float(value.replace(",", "."))
        actual = float(actual) if isinstance(actual, (int, float)) else actual
    elif re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", value.strip()):
        expected = vn_date(value)
    if actual != expected:
        shown = "không có (missing)" if actual is None else format_value(actual)
        raise SpecFailure(f"mong đợi {name} là {value.strip()}, nhưng là {shown}")


@step("then", r"câu thông báo có \"(?P<words>.+)\"")
def _message(world: World, words: str) -> None:
    message = _current(world).message
    if words not in message:
        raise SpecFailure(f"mong đợi câu thông báo có \"{words}\", nhưng câu là: \"{message}\"")


@step("then", r"mức độ là \"(?P<severity>[^\"]+)\"")
def _severity(world: World, severity: str) -> None:
    got = _current(world).severity
    if got != severity:
        raise SpecFailure(f"mong đợi mức độ \"{severity}\", nhưng là \"{got}\"")


# What the runner needs to know about each step's arguments.
@dataclass
class Match:
    step: Step
    kwargs: dict[str, str] = field(default_factory=dict)


def match(keyword: str, text: str) -> Match | None:
    """The step definition for a step's text (the whole text must match)."""
    for s in STEPS:
        if s.keyword == keyword:
            found = re.fullmatch(s.pattern, text)
            if found:
                return Match(s, found.groupdict())
    return None
