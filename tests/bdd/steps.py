"""The step vocabulary of the Vietnamese specs in features/ (docs/specs.md lists it).

Each scenario writes a real plan folder (plan.yaml and CSV files) from its
tables, reads it back through facts/, and runs the real engine with the real
rule from rules/: a scenario checks the rule exactly as it runs at night.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from pytest_bdd import given, parsers, then, when

from dondoc.engine.rulebook import DEFAULT_RULES_DIR, load_rules
from dondoc.engine.run import check
from dondoc.facts.planfolder import read_plan_folder

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
    "Số ngày năm gốc": "baseline_days",
    "Số ngày hiện nay": "current_days",
    "Chi phí năm gốc": "baseline_cost",
    "Chi phí hiện nay": "current_cost",
    "Thành phần năm gốc": "baseline_components",
    "Thành phần hiện nay": "current_components",
    "Ngày đo": "measured_on",
}
REDUCTIONS = {"thời gian": "time", "chi phí": "cost", "thành phần hồ sơ": "components"}


def vn_date(text: str) -> str:
    """'22/11/2026' -> '2026-11-22'; staff write dates as officials do."""
    match = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", text)
    if not match:
        raise ValueError(f"viết ngày dạng dd/mm/yyyy, không phải {text!r}")
    day, month, year = (int(g) for g in match.groups())
    return dt.date(year, month, day).isoformat()


def _rows(datatable, columns: dict[str, str]) -> list[dict[str, str]]:
    header, *body = datatable
    unknown = [h for h in header if h not in columns]
    if unknown:
        raise ValueError(f"cột không có trong từ vựng: {unknown}; các cột: {list(columns)}")
    return [{columns[h]: cell.strip() for h, cell in zip(header, row) if cell.strip()} for row in body]


def _dates(row: dict[str, str], *names: str) -> dict[str, str]:
    return {k: vn_date(v) if k in names else v for k, v in row.items()}


class World:
    """What a scenario has said so far."""

    def __init__(self, tmp_path: Path) -> None:
        self.folder = tmp_path / "ke-hoach"
        self.as_of = dt.date(2026, 11, 22)
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
        self.findings = []
        self.report = None
        self.current = None

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


@pytest.fixture
def world(tmp_path) -> World:
    return World(tmp_path)


@given(parsers.parse("ngày kiểm tra là {date}"))
def _as_of(world: World, date: str) -> None:
    world.as_of = dt.date.fromisoformat(vn_date(date))


@given(parsers.parse("kế hoạch năm {year:d}"))
def _plan_year(world: World, year: int) -> None:
    world.plan["year"] = year


@given("các nhiệm vụ:")
def _tasks(world: World, datatable) -> None:
    for row in _rows(datatable, TASK_COLUMNS):
        row = _dates(row, "due")
        row["lead"] = [u.strip() for u in row.get("lead", "").split(";") if u.strip()]
        if "due" in row:
            world.tables.setdefault("deadlines.csv", []).append({"task": row["id"], "due": row.pop("due")})
        world.tasks.append(row)


@given("các báo cáo tiến độ:")
def _progress(world: World, datatable) -> None:
    world.tables["progress.csv"] = [_dates(r, "done_on", "reported_on") for r in _rows(datatable, PROGRESS_COLUMNS)]


@given("các chỉ tiêu:")
def _targets(world: World, datatable) -> None:
    for row in _rows(datatable, TARGET_COLUMNS):
        row.setdefault("metric", row["text"])
        row["value"] = float(row["value"].replace(",", "."))
        if "reduction" in row:
            row["reduction"] = REDUCTIONS[row["reduction"]]
        if "baseline_year" in row:
            row["baseline_year"] = int(row["baseline_year"])
        if "lead" in row:
            row["lead"] = [row["lead"]]
        world.targets.append(row)


@given("các kết quả đo:")
def _measurements(world: World, datatable) -> None:
    rows = [_dates(r, "measured_on") for r in _rows(datatable, MEASUREMENT_COLUMNS)]
    world.tables["measurements.csv"] = [{k: v.replace(",", ".") if k != "measured_on" else v for k, v in r.items()} for r in rows]


@given("các thủ tục hành chính:")
def _procedures(world: World, datatable) -> None:
    world.tables["procedures.csv"] = [_dates(r, "measured_on") for r in _rows(datatable, PROCEDURE_COLUMNS)]


@when(parsers.parse('kiểm tra theo quy tắc "{rule_id}"'))
def _check(world: World, rule_id: str) -> None:
    rules = [r for r in load_rules(DEFAULT_RULES_DIR) if r.id == rule_id]
    assert rules, f"không có quy tắc {rule_id!r} trong rules/"
    world.write()
    world.findings, world.report = check([read_plan_folder(world.folder)], rules, world.as_of)
    assert world.report.evaluated == world.report.facts_in


def _subject(kind: str, ident: str) -> str:
    return {"nhiệm vụ": "task", "kỳ": "occurrence", "chỉ tiêu": "target", "thủ tục": "procedure"}[kind] + ":" + ident


def _found(world: World, kind: str, ident: str):
    subject = _subject(kind, ident)
    found = [f for f in world.findings if f.subject == subject]
    assert found, f"không có phát hiện cho {kind} {ident}; có: {[f.subject for f in world.findings]}"
    return found


@then(parsers.re(r'có phát hiện vi phạm cho (?P<kind>nhiệm vụ|kỳ|chỉ tiêu|thủ tục) "(?P<ident>[^"]+)"'))
def _violation(world: World, kind: str, ident: str) -> None:
    found = _found(world, kind, ident)
    assert [f.kind for f in found] == ["vi-pham"] * len(found)
    world.current = found[0]


@then(parsers.re(r'có phát hiện thiếu dữ liệu "(?P<field>[a-z_]+)" cho (?P<kind>nhiệm vụ|kỳ|chỉ tiêu|thủ tục) "(?P<ident>[^"]+)"'))
def _missing(world: World, field: str, kind: str, ident: str) -> None:
    found = _found(world, kind, ident)
    assert [f.kind for f in found] == ["thieu-du-lieu"] * len(found)
    assert field in found[0].missing
    world.current = found[0]


@then(parsers.re(r"không có phát hiện nào"))
def _none(world: World) -> None:
    assert world.findings == [], [f.message for f in world.findings]


@then(parsers.re(r"không có phát hiện cho (?P<kind>nhiệm vụ|kỳ|chỉ tiêu|thủ tục) \"(?P<ident>[^\"]+)\""))
def _none_for(world: World, kind: str, ident: str) -> None:
    subject = _subject(kind, ident)
    assert [f for f in world.findings if f.subject == subject] == []


@then(parsers.parse("có {count:d} phát hiện"))
def _count(world: World, count: int) -> None:
    assert len(world.findings) == count, [f.message for f in world.findings]


@then(parsers.parse('đơn vị nhận là "{unit}"'))
def _unit(world: World, unit: str) -> None:
    assert world.current.unit == unit


@then(parsers.parse('giá trị "{field}" là {value}'))
def _value(world: World, field: str, value: str) -> None:
    actual = world.current.fact.get(field)
    expected: object = value.strip('"')
    if re.fullmatch(r"-?\d+(,\d+)?", value):
        expected = float(value.replace(",", "."))
        actual = float(actual) if actual is not None else None
    elif re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", value):
        expected = vn_date(value)
    assert actual == expected, f"{field}: {actual!r} != {expected!r}"


@then(parsers.parse('câu thông báo có "{words}"'))
def _message(world: World, words: str) -> None:
    assert words in world.current.message, world.current.message


@then(parsers.parse('mức độ là "{severity}"'))
def _severity(world: World, severity: str) -> None:
    assert world.current.severity == severity
