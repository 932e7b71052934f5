"""Vietnamese working days: weekends, public holidays, and the office's own days off.

Public holidays (Tết included, with the days the Government moves: a Saturday
worked to bridge a holiday) come from the `holidays` library, country VN. The
Government also announces swaps and extra days off year by year, and a province
may add its own: the office keeps those in a small CSV (docs/notices.md):

    date,kind,note
    2026-01-02,nghỉ,Nghỉ bù Tết Dương lịch theo Thông báo của Bộ Nội vụ
    2026-01-10,làm việc,Làm bù ngày 02/01

One calendar serves the notices (a letter is dated, and a reply falls due, on a
working day) and the rules (working days left and overdue).
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

from dondoc.facts.csvio import parse_day  # noqa: F401  (the one reader of dates as offices write them)
from dondoc.errors import InputError, InputErrors

WEEKDAYS = ("thứ hai", "thứ ba", "thứ tư", "thứ năm", "thứ sáu", "thứ bảy", "chủ nhật")
OFF = "nghỉ"
WORK = "làm việc"
_KINDS = {OFF: OFF, "nghi": OFF, WORK: WORK, "lam viec": WORK, "làm bù": WORK, "lam bu": WORK}


def weekday_name(day: dt.date) -> str:
    """'thứ hai' ... 'chủ nhật', as Vietnamese write the day of the week."""
    return WEEKDAYS[day.weekday()]


@dataclass(frozen=True)
class DayOff:
    date: dt.date
    kind: str  # OFF or WORK
    note: str = ""


@dataclass
class WorkCalendar:
    """Which days are working days, and counting in working days.

    Each calendar keeps a table of the years it has been asked about (the year before and after
    too): whether each day is a working day, and the working days up to it. Worked out once per
    calendar in each process (a province's communes with the same days off share one calendar,
    facts/settings.py), then every question is a look-up: the rules count working days for every
    task of every plan, and the reference evaluator counts them a day at a time."""

    days: tuple[DayOff, ...] = ()
    source: str = ""  # the office's days-off file, named where the calendar is listed
    _extra_off: frozenset[dt.date] = field(init=False)
    _extra_work: frozenset[dt.date] = field(init=False)
    _years: tuple[int, int] | None = field(init=False, default=None)
    _first: int = field(init=False, default=0)  # the table's first day, as an ordinal
    _flags: list[bool] = field(init=False, default_factory=list)  # per day of the table: a working day?
    _upto: list[int] = field(init=False, default_factory=list)  # per day of the table: working days up to it
    _working: list[dt.date] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self._extra_off = frozenset(d.date for d in self.days if d.kind == OFF)
        self._extra_work = frozenset(d.date for d in self.days if d.kind == WORK)

    @property
    def key(self) -> frozenset[tuple[dt.date, str]]:
        """What counting on this calendar depends on: the office's days and their kinds (a day's
        note only names it in a letter). Two calendars with one key count alike."""
        return frozenset((d.date, d.kind) for d in self.days)

    def holiday(self, day: dt.date) -> str | None:
        """The public holiday's Vietnamese name, or the office's note for an extra day off."""
        if day in self._extra_off:
            return next((d.note for d in self.days if d.date == day and d.kind == OFF), "") or "Ngày nghỉ"
        return _public_holidays(day.year).get(day)

    def is_working_day(self, day: dt.date) -> bool:
        i = day.toordinal() - self._first
        if 0 <= i < len(self._flags):
            return self._flags[i]
        try:
            self._ensure(day)
        except ValueError:  # the first or the last year a date can have: beyond the table's reach
            return self._decide(day)
        return self._flags[day.toordinal() - self._first]

    def _decide(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day: the office's file over the Government's days, over the week."""
        if day in self._extra_work:
            return True
        if day in self._extra_off:
            return False
        if day in _weekend_workdays(day.year):
            return True
        return day.weekday() < 5 and day not in _public_holidays(day.year)

    def _ensure(self, *days: dt.date) -> None:
        lo = min(d.year for d in days) - 1
        hi = max(d.year for d in days) + 1
        if self._years and self._years[0] <= lo and hi <= self._years[1]:
            return
        if self._years:
            lo, hi = min(lo, self._years[0]), max(hi, self._years[1])
        first, last = dt.date(lo, 1, 1).toordinal(), dt.date(hi, 12, 31).toordinal()
        flags = [self._decide(dt.date.fromordinal(n)) for n in range(first, last + 1)]
        upto, count = [], 0
        for working in flags:
            count += working
            upto.append(count)
        self._first, self._flags, self._upto = first, flags, upto
        self._working = [dt.date.fromordinal(first + i) for i, working in enumerate(flags) if working]
        self._years = (lo, hi)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``; negative when end < start.

        From a due date to today, it is the working days overdue; from today to a due
        date, the working days left (0 on the due date itself).
        """
        years = self._years
        if not (years and years[0] < start.year < years[1] and years[0] < end.year < years[1]):
            self._ensure(start, end)  # called once per fact: skip the general check when it is known
        first = self._first
        return self._upto[end.toordinal() - first] - self._upto[start.toordinal() - first]

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after ``day`` (before it, for negative n); 0 gives ``day`` itself."""
        if n == 0:
            return day
        self._ensure(day, day + dt.timedelta(days=2 * n + (14 if n > 0 else -14)))
        if n > 0:
            i = bisect.bisect_right(self._working, day) + n - 1
        else:
            i = bisect.bisect_left(self._working, day) + n
        return self._working[i]

    def on_or_after(self, day: dt.date) -> dt.date:
        """``day`` if it is a working day, else the next one."""
        return day if self.is_working_day(day) else self.add_working_days(day, 1)

    def on_or_before(self, day: dt.date) -> dt.date:
        """``day`` if it is a working day, else the one before."""
        return day if self.is_working_day(day) else self.add_working_days(day, -1)


def _public_holidays(year: int) -> dict[dt.date, str]:
    return _year(year)[0]


def _weekend_workdays(year: int) -> frozenset[dt.date]:
    """Saturdays the Government made working days to bridge a holiday."""
    return _year(year)[1]


@functools.lru_cache(maxsize=64)
def _year(year: int) -> tuple[dict[dt.date, str], frozenset[dt.date]]:
    """Vietnam's public holidays of ``year`` (Vietnamese names) and its Saturdays worked,
    from the holidays library; kept in the user's cache (cache.py) under the library's
    files: importing it (300 modules) and working out a lunar year took 90 ms of a one-plan check."""
    from dondoc.cache import cached, code_stamp

    spec = importlib.util.find_spec("holidays")
    where = spec.origin if spec is not None and spec.origin else "holidays"
    return cached("calendar", f"holidays VN {year} {code_stamp(where)}", lambda: _from_library(year))


def _from_library(year: int) -> tuple[dict[dt.date, str], frozenset[dt.date]]:
    import holidays

    days = holidays.country_holidays("VN", years=year, language="vi")
    return dict(days), frozenset(d for d in days.weekend_workdays if d.year == year)


def read_days_off(path: str | Path) -> WorkCalendar:
    """The office's CSV of extra days off and working days; every bad line named."""
    from dondoc.facts.yamlio import read_csv

    path = Path(path)
    if not path.is_file():
        raise InputError(path, "không có tệp ngày nghỉ này", hint="tệp CSV với các cột date,kind,note")
    days: list[DayOff] = []
    errors: list[InputError] = []
    seen: dict[dt.date, int] = {}
    for line, cells in read_csv(path):
        try:
            day = parse_day(cells.get("date", ""))
        except ValueError as exc:
            errors.append(InputError(path, str(exc), line=line, where="cột date"))
            continue
        kind = _KINDS.get(cells.get("kind", "").strip().lower())
        if kind is None:
            errors.append(
                InputError(path, f"loại ngày '{cells.get('kind', '')}' không rõ", line=line, where="cột kind",
                           hint=f"viết '{OFF}' hoặc '{WORK}'")
            )
            continue
        if day in seen:
            errors.append(InputError(path, f"ngày {day:%d/%m/%Y} đã có ở dòng {seen[day]}", line=line))
            continue
        seen[day] = line
        days.append(DayOff(day, kind, cells.get("note", "")))
    if errors:
        raise InputErrors(errors)
    return WorkCalendar(tuple(days), str(path))


DEFAULT = WorkCalendar()


@dataclass(frozen=True)
class CalendarDay:
    """A day the calendar treats apart from the week's rhythm: a holiday or day off on a
    weekday, a Saturday worked; with where that comes from."""

    date: dt.date
    kind: str  # OFF or WORK
    name: str
    source: str


def library_source() -> str:
    try:
        from importlib.metadata import version

        return f"thư viện holidays {version('holidays')} (VN)"
    except Exception:  # noqa: BLE001 - the name is enough when the metadata is not there
        return "thư viện holidays (VN)"


def year_days(calendar: WorkCalendar, year: int) -> list[CalendarDay]:
    """Every day of ``year`` off on a weekday or worked on a weekend, as this calendar decides
    it (the office's file over the library), in date order: `dondoc calendar YEAR`."""
    office = {d.date: d for d in calendar.days if d.date.year == year}
    library = library_source()
    out: dict[dt.date, CalendarDay] = {}
    for day, name in _public_holidays(year).items():
        out[day] = CalendarDay(day, OFF, name, library)
    for day in _weekend_workdays(year):
        out[day] = CalendarDay(day, WORK, "Làm bù", library)
    for day, entry in office.items():
        out[day] = CalendarDay(day, entry.kind, entry.note or ("Ngày nghỉ" if entry.kind == OFF else "Ngày làm việc"),
                               calendar.source or "ngày nghỉ của cơ quan")
    return [out[d] for d in sorted(out)]
