"""Vietnamese working days: weekends, Tết and the other public holidays, the office's own days."""

from __future__ import annotations

import datetime as dt

import pytest

from dondoc.facts.calendar import DEFAULT, DayOff, WorkCalendar, read_days_off
from dondoc.errors import InputError, InputErrors

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


def _walk(cal, start, end):
    """Working days after start up to end, counted one day at a time (the definition)."""
    lo, hi = min(start, end), max(start, end)
    day, n = lo, 0
    while day < hi:
        day += dt.timedelta(days=1)
        n += cal.is_working_day(day)
    return n if end >= start else -n


def _nth(cal, day, n):
    """The n-th working day after day (before it for negative n), one day at a time."""
    step = 1 if n > 0 else -1
    left = abs(n)
    while left:
        day += dt.timedelta(days=step)
        left -= cal.is_working_day(day)
    return day


@pytest.mark.parametrize(
    "start, end",
    [
        (D(2026, 12, 31), D(2027, 1, 4)),
        (D(2024, 6, 1), D(2027, 6, 1)),  # more than a year apart: both ends counted from the calendar
        (D(2027, 6, 1), D(2024, 6, 1)),
        (D(2026, 1, 1), D(2026, 1, 1)),
    ],
)
def test_counting_working_days_over_years_is_counting_day_by_day(start, end):
    assert WorkCalendar().working_days_between(start, end) == _walk(DEFAULT, start, end)


@pytest.mark.parametrize("day, n", [(D(2026, 12, 30), 3), (D(2026, 1, 2), -3), (D(2026, 3, 2), 600), (D(2026, 3, 2), -600), (D(2026, 3, 2), 1), (D(2026, 3, 2), -1)])
def test_adding_working_days_over_years_is_counting_day_by_day(day, n):
    assert WorkCalendar().add_working_days(day, n) == _nth(DEFAULT, day, n)


def test_a_calendar_used_for_one_year_then_another_still_counts_both():
    cal = WorkCalendar()
    assert cal.working_days_between(D(2026, 11, 20), D(2026, 11, 23)) == 1
    # the known years widen (2029 and 2030 are new), and 2026 stays known
    assert cal.working_days_between(D(2030, 1, 1), D(2030, 1, 7)) == _walk(DEFAULT, D(2030, 1, 1), D(2030, 1, 7))
    assert cal.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 2)  # 01/01 is Tết Dương lịch
    assert cal.working_days_between(D(2026, 11, 20), D(2026, 11, 23)) == 1


def test_on_or_before_keeps_a_working_day():
    assert DEFAULT.on_or_before(D(2026, 11, 23)) == D(2026, 11, 23)
    assert DEFAULT.on_or_before(D(2026, 11, 21)) == D(2026, 11, 20)


def test_the_name_of_a_day_off():
    office = WorkCalendar((DayOff(D(2026, 1, 2), "nghỉ", "Nghỉ bù Tết Dương lịch"), DayOff(D(2026, 11, 20), "nghỉ")))
    assert office.holiday(D(2026, 11, 20)) == "Ngày nghỉ"  # the office wrote no note
    assert office.holiday(D(2026, 1, 2)) == "Nghỉ bù Tết Dương lịch"
    assert office.holiday(D(2026, 9, 2)) == DEFAULT.holiday(D(2026, 9, 2)) == "Quốc khánh"
    assert office.holiday(D(2026, 11, 23)) is None


def test_every_bad_line_of_the_office_file_is_named_with_its_column_and_the_fix(tmp_path):
    path = tmp_path / "ngay-nghi.csv"
    path.write_text(
        "date,kind,note\n"
        ",nghỉ,không ghi ngày\n"
        "2026-01-03,,\n"
        "2026-01-05,nghỉ,\n"
        "2026-01-06,đi chơi,\n"
        "05/01/2026,làm việc,\n"
        "2026-01-07,nghỉ,\n"
        "2026-01-08,ngỉ,\n",  # after a repeated day: still read, still named
        encoding="utf-8",
    )
    with pytest.raises(InputErrors) as caught:
        read_days_off(path)
    assert [e.render() for e in caught.value.errors] == [
        f"{path}:2 (cột date): '' không phải một ngày: viết YYYY-MM-DD (ví dụ 2026-11-05) hoặc DD/MM/YYYY",
        f"{path}:3 (cột kind): loại ngày '' không rõ -- viết 'nghỉ' hoặc 'làm việc'",
        f"{path}:5 (cột kind): loại ngày 'đi chơi' không rõ -- viết 'nghỉ' hoặc 'làm việc'",
        f"{path}:6: ngày 05/01/2026 đã có ở dòng 4",
        f"{path}:8 (cột kind): loại ngày 'ngỉ' không rõ -- viết 'nghỉ' hoặc 'làm việc'",
    ]


def test_an_office_day_off_without_a_note_is_a_day_off(tmp_path):
    path = tmp_path / "ngay-nghi.csv"
    path.write_text("date,kind\n2026-11-20,nghỉ\n", encoding="utf-8")
    cal = read_days_off(path)
    assert cal.holiday(D(2026, 11, 20)) == "Ngày nghỉ" and not cal.is_working_day(D(2026, 11, 20))


def test_a_missing_office_file_is_named_with_what_it_should_hold(tmp_path):
    with pytest.raises(InputError) as caught:
        read_days_off(tmp_path / "ngay-nghi.csv")
    assert caught.value.render() == f"{tmp_path / 'ngay-nghi.csv'}: không có tệp ngày nghỉ này -- tệp CSV với các cột date,kind,note"


def test_the_office_file_decides_over_the_government_and_the_week_in_the_table_too():
    """Each calendar answers from a table of its years, worked out once: the office's file over the
    Government's days (a holiday worked, a Saturday worked taken off), the Government's over the
    week; and the first and last years a date can have, beyond any table, still answer."""
    office = WorkCalendar((
        DayOff(D(2026, 9, 1), "làm việc"),  # Quốc khánh, worked
        DayOff(D(2026, 8, 22), "nghỉ"),  # the Saturday the Government made a working day, taken off
        DayOff(D(2026, 11, 21), "làm việc"),  # a Saturday worked
        DayOff(D(2026, 11, 25), "nghỉ"),  # a Wednesday off
    ))
    assert office.is_working_day(D(2026, 9, 1)) and not DEFAULT.is_working_day(D(2026, 9, 1))
    assert not office.is_working_day(D(2026, 8, 22)) and DEFAULT.is_working_day(D(2026, 8, 22))
    assert office.is_working_day(D(2026, 11, 21)) and not DEFAULT.is_working_day(D(2026, 11, 21))
    assert not office.is_working_day(D(2026, 11, 25)) and DEFAULT.is_working_day(D(2026, 11, 25))
    assert not office.is_working_day(D(2026, 11, 22)) and office.is_working_day(D(2026, 11, 23))  # Sunday, Monday
    # Counting agrees with the day-by-day definition across the office's days and the years' ends.
    assert office.working_days_between(D(2026, 8, 20), D(2026, 11, 27)) == _walk(office, D(2026, 8, 20), D(2026, 11, 27))
    assert office.working_days_between(D(2026, 11, 27), D(2025, 12, 30)) == _walk(office, D(2026, 11, 27), D(2025, 12, 30))
    assert office.add_working_days(D(2026, 8, 31), 1) == D(2026, 9, 1) and DEFAULT.add_working_days(D(2026, 8, 31), 1) == D(2026, 9, 3)
    assert office.working_days_between(D(2026, 11, 20), D(2026, 11, 23)) == 2 and DEFAULT.working_days_between(D(2026, 11, 20), D(2026, 11, 23)) == 1
    for day in (dt.date.min, dt.date.max, D(1, 12, 31), D(9999, 1, 1)):
        assert office.is_working_day(day) is (day.weekday() < 5)
