"""A plan folder is read whole or refused with the file, line and what is wrong."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from dondoc.facts.deadline import DeadlineKind
from dondoc.errors import InputError, InputErrors
from dondoc.facts.planfolder import read_plan_folder, write_plan_folder

PLAN = """
plan:
  issuer: UBND xã Gia Lộc
  locality: Gia Lộc
  number: 97/KH-UBND
  issued: 2026-03-23
  title: Kế hoạch cải thiện môi trường kinh doanh năm 2026
  year: 2026
  monitor: Phòng Kinh tế
units:
  - name: Phòng Kinh tế
    aliases: [Phòng Kinh tế xã]
  - name: Phòng Văn hóa - Xã hội
tasks:
  - id: "1"
    number: "1"
    title: Tuyên truyền
    lead: [Phòng Kinh tế xã]
    coordinating: [phòng văn hoá-xã hội]
    deadline: Thường xuyên
  - id: "13"
    number: "13"
    title: Đối thoại
    lead: [Phòng Kinh tế]
    deadline: Tháng 10/2026
targets:
  - id: CT01
    text: Mức độ hài lòng đạt từ 90% trở lên
    metric: Mức độ hài lòng
    comparison: ">="
    value: 90
    unit: "%"
"""


def folder(tmp_path: Path, plan: str = PLAN, **files: str) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "plan.yaml").write_text(textwrap.dedent(plan).lstrip(), encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name.replace("_", ".")).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return tmp_path


def errors_of(path: Path) -> list[InputError]:
    with pytest.raises((InputError, InputErrors)) as caught:
        read_plan_folder(path)
    exc = caught.value
    return exc.errors if isinstance(exc, InputErrors) else [exc]


def test_a_good_folder_is_read_with_canonical_units_and_parsed_deadlines(tmp_path):
    read = read_plan_folder(folder(tmp_path))
    assert read.plan.number == "97/KH-UBND"
    assert read.tasks[0].lead == ["Phòng Kinh tế"]
    assert read.tasks[0].coordinating == ["Phòng Văn hóa - Xã hội"]
    assert read.tasks[1].deadline.kind == DeadlineKind.DUE
    assert str(read.tasks[1].deadline.due) == "2026-10-31"
    assert read.tasks[1].source_line == 20


def test_writing_and_reading_again_gives_the_same_plan(tmp_path):
    read = read_plan_folder(folder(tmp_path / "a"))
    write_plan_folder(read, tmp_path / "b")
    again = read_plan_folder(tmp_path / "b")
    drop = {"path": True, "tasks": {"__all__": {"source_line"}}}
    assert again.model_dump(exclude=drop) == read.model_dump(exclude=drop)


@pytest.mark.parametrize(
    "broken, line, words",
    [
        (PLAN.replace("  year: 2026", "  year: 2026\n  yaer: 2026"), 8, "trường lạ 'yaer'"),
        (PLAN.replace("  year: 2026", "  year: hai nghìn"), 7, "year"),
        (PLAN.replace("issued: 2026-03-23", "issued: 2026-02-30"), 5, "issued"),
        (PLAN.replace("    value: 90", "    value: chín mươi"), 30, "value"),
        (PLAN.replace("lead: [Phòng Kinh tế]", "lead: [Phòng Kinh tễ]"), 23, "không có trong danh sách đơn vị"),
        (PLAN.replace("    deadline: Tháng 10/2026", ""), 20, "nhiệm vụ cần 'deadline:'"),
        (PLAN.replace('  - id: "13"', '  - id: "1"'), 20, "mã nhiệm vụ '1' xuất hiện hai lần"),
        (PLAN.replace("title: Đối thoại", "title: [Đối thoại"), 23, "lỗi cú pháp YAML"),
        (PLAN + "extra: 1\n", 32, "mục lạ 'extra'"),
    ],
)
def test_bad_plan_yaml_names_the_line(tmp_path, broken, line, words):
    errors = errors_of(folder(tmp_path, broken))
    assert any(words in e.message and e.line == line for e in errors), [e.render() for e in errors]
    assert all(e.path.endswith("plan.yaml") for e in errors)


def test_every_error_is_reported_not_just_the_first(tmp_path):
    broken = PLAN.replace("    value: 90", "    value: x").replace("title: Đối thoại", "titel: Đối thoại")
    assert len(errors_of(folder(tmp_path, broken))) >= 2


def test_an_unreadable_deadline_is_kept_and_reported_not_dropped(tmp_path):
    read = read_plan_folder(folder(tmp_path, PLAN.replace("Tháng 10/2026", "Quý V/2026")))
    task = read.tasks[1]
    assert task.deadline.kind == DeadlineKind.UNPARSED
    assert task.deadline.phrase == "Quý V/2026"
    assert task.deadline.reason


@pytest.mark.parametrize(
    "csv_name, text, line, where, words",
    [
        ("progress_csv", "task,status,done_on\n13,hoàn thành,2026-13-01\n", 2, "cột done_on", "không có thật"),
        ("progress_csv", "task,status\n13,xong\n", 2, "cột status", "phải là một trong: 'hoàn thành', 'đang thực hiện' hoặc 'chưa thực hiện'"),
        ("progress_csv", "task,status\n99,đang thực hiện\n", 2, "cột task", "mã nhiệm vụ '99' không có trong plan.yaml"),
        ("progress_csv", "task,status\n13,hoàn thành\n", 2, None, "cần done_on"),
        ("measurements_csv", "target,period,value,measured_on\nCT01,2026-10,9x,2026-11-05\n", 2, "cột value", "không phải một số"),
        ("measurements_csv", "target,period,measured_on\nCT01,2026-10,2026-11-05\n", 2, None, "ghi value (kết quả), hoặc numerator và denominator"),
        ("measurements_csv", "target,period,value,measured_on,colour\nCT01,2026-10,90,2026-11-05,red\n", 2, "cột colour", "trường lạ 'colour'"),
        ("procedures_csv", "code,name,baseline_year,baseline_days\n1.0,X,2024,-3\n", 2, "cột baseline_days", "lớn hơn hoặc bằng 0"),
        ("progress_csv", "task,status\n13,đang thực hiện,extra\n", 2, None, "nhiều ô hơn số cột"),
    ],
)
def test_bad_csv_cells_name_the_line_and_column(tmp_path, csv_name, text, line, where, words):
    errors = errors_of(folder(tmp_path, **{csv_name: text}))
    assert any(words in e.message and e.line == line and e.where == where for e in errors), [e.render() for e in errors]


def test_a_missing_folder_or_plan_file_is_an_error(tmp_path):
    (error,) = errors_of(tmp_path / "nowhere")
    assert "không có thư mục này" in error.message
    (error,) = errors_of(tmp_path)
    assert "thiếu tệp plan.yaml" in error.message


EXTERNAL = PLAN.replace("deadline: Tháng 10/2026", "deadline: Theo lộ trình của Nghị quyết")


def test_a_date_set_elsewhere_is_supplied_in_deadlines_csv(tmp_path):
    read = read_plan_folder(folder(tmp_path, EXTERNAL, deadlines_csv="task,due,source\n13,2026-11-27,Công văn 12/UBND\n"))
    assert str(read.tasks[1].due) == "2026-11-27"
    assert read.tasks[0].due is None


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("task,due\n1,2026-11-27\n", 2, "nhiệm vụ '1' đã có thời hạn trong kế hoạch ('Thường xuyên')"),
        ("task,due\n13,2026-11-27\n13,2026-12-01\n", 3, "nhiệm vụ '13' có hai ngày"),
        ("task,due\n13,11/27/2026\n", 2, "không có thật"),  # day first: 27 is no month
    ],
)
def test_bad_supplied_dates_are_errors(tmp_path, text, line, words):
    errors = errors_of(folder(tmp_path, EXTERNAL, deadlines_csv=text))
    assert any(words in e.message and e.line == line for e in errors), [e.render() for e in errors]


def test_plan_yaml_cannot_carry_a_supplied_date(tmp_path):
    (error,) = errors_of(folder(tmp_path, EXTERNAL.replace("    deadline: Theo", "    due: 2026-11-27\n    deadline: Theo")))
    assert "ghi trong deadlines.csv" in error.message and error.line == 24
