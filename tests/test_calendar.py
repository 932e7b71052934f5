"""Vietnamese working days: weekends, Tết and the other public holidays, the office's own days."""

from __future__ import annotations

import datetime as dt

import pytest

from dondoc.facts.calendar import DEFAULT, read_days_off
from dondoc.facts.errors import InputErrors

D = dt.date


@pytest.mark.parametrize(
    "day, working",
    [
        (D(2026, 2, 13), True),  # the Friday before Tết
        (D(2026, 2, 16), False),  # Giao thừa
        (D(2026, 2, 20), False),  # Mùng bốn
        (D(2026, 2, 23), True),
        (D(2026, 11, 22), False),  # a Sunday
        (D(2026, 11, 21), False),  # a Saturday
        (D(2026, 8, 22), True),  # a Saturday worked to bridge 31/8
        (D(2026, 8, 31), False),
        (D(2026, 9, 2), False),
        (D(2026, 4, 27), False),  # Giỗ Tổ falls on a Sunday: the Monday is off
    ],
)
def test_working_days(day, working):
    assert DEFAULT.is_working_day(day) is working


def test_counting_working_days_across_tet():
    assert DEFAULT.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert DEFAULT.add_working_days(D(2026, 2, 23), -1) == D(2026, 2, 13)
    assert DEFAULT.working_days_between(D(2026, 2, 13), D(2026, 2, 23)) == 1
    assert DEFAULT.working_days_between(D(2026, 2, 23), D(2026, 2, 13)) == -1
    assert DEFAULT.working_days_between(D(2026, 11, 20), D(2026, 11, 20)) == 0
    # 7 working days from Monday 23/11/2026: Tue 24/11 is Ngày Văn hóa Việt Nam
    assert DEFAULT.add_working_days(D(2026, 11, 23), 7) == D(2026, 12, 3)


def test_on_or_after_and_before():
    assert DEFAULT.on_or_after(D(2026, 11, 22)) == D(2026, 11, 23)
    assert DEFAULT.on_or_before(D(2026, 11, 22)) == D(2026, 11, 20)
    assert DEFAULT.on_or_after(D(2026, 11, 23)) == D(2026, 11, 23)


def test_the_office_file_adds_days_off_and_working_days(tmp_path):
    path = tmp_path / "ngay-nghi.csv"
    path.write_text(
        "date,kind,note\n02/01/2026,nghỉ,Nghỉ bù Tết Dương lịch\n2026-01-10,làm việc,Làm bù ngày 02/01\n",
        encoding="utf-8",
    )
    cal = read_days_off(path)
    assert not cal.is_working_day(D(2026, 1, 2)) and cal.holiday(D(2026, 1, 2)) == "Nghỉ bù Tết Dương lịch"
    assert cal.is_working_day(D(2026, 1, 10))
    assert DEFAULT.is_working_day(D(2026, 1, 2)) and not DEFAULT.is_working_day(D(2026, 1, 10))


def test_a_bad_line_is_named(tmp_path):
    path = tmp_path / "ngay-nghi.csv"
    path.write_text("date,kind,note\n31/02/2026,nghỉ,\n2026-01-03,đi chơi,\n", encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        read_days_off(path)
    rendered = [e.render() for e in caught.value.errors]
    assert rendered[0].startswith(f"{path}:2") and "không phải một ngày" in rendered[0]
    assert rendered[1].startswith(f"{path}:3") and "làm việc" in rendered[1]
