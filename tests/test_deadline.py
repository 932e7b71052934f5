"""parse_deadline: every deadline phrase of the seed appendices, DOMAIN.md's table, variants.

Readings follow ../shared/DOMAIN.md ("Deadline phrases and what they mean"); where DOMAIN leaves
a choice, the decision is in parse_deadline's docstring and docs/deadlines.md.
"""

from __future__ import annotations

import calendar
import datetime as dt
import unicodedata
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dondoc.facts import _deadline_grammar as grammar
from dondoc.facts.deadline import Deadline, DeadlineKind, parse_deadline

DUE, WINDOW, RECURRING = DeadlineKind.DUE, DeadlineKind.WINDOW, DeadlineKind.RECURRING
CONTINUOUS, EXTERNAL = DeadlineKind.CONTINUOUS, DeadlineKind.EXTERNAL
UNPARSED = DeadlineKind.UNPARSED


def d(text: str | dt.date) -> dt.date:
    """'31/12/2025' -> date: the tables below read like the plans."""
    if isinstance(text, dt.date):
        return text
    day, month, year = map(int, text.split("/"))
    return dt.date(year, month, day)


def quarter_ends(y: int) -> list[dt.date]:
    return [dt.date(y, 3, 31), dt.date(y, 6, 30), dt.date(y, 9, 30), dt.date(y, 12, 31)]


def month_ends(y: int) -> list[dt.date]:
    return [dt.date(y, m, calendar.monthrange(y, m)[1]) for m in range(1, 13)]


def monthly(y: int, day: int) -> list[dt.date]:
    return [dt.date(y, m, day) for m in range(1, 13)]


class Case(NamedTuple):
    phrase: str
    year: int
    kind: DeadlineKind
    due: dt.date | None = None
    start: dt.date | None = None
    checkpoint: dt.date | None = None
    occurrences: tuple[dt.date, ...] = ()
    reason: str | None = None  # a part the reason must contain


def c(phrase, year, kind, due=None, start=None, checkpoint=None, occurrences=(), reason=None):
    return Case(
        phrase,
        year,
        kind,
        d(due) if due else None,
        d(start) if start else None,
        d(checkpoint) if checkpoint else None,
        tuple(occurrences),
        reason,
    )


# Every distinct phrase of the "Thời gian thực hiện" / "Thời hạn hoàn thành" columns of the seed
# appendices, literally (000 and 002: plans for 2026; 004: the second half of 2025).
SEED_CASES = [
    # 000_224dbfae265b9690.txt (xã Gia Lộc, 2026)
    c("Thường xuyên", 2026, CONTINUOUS),
    c("Tháng 10/2026", 2026, DUE, "31/10/2026"),
    # 002_a68239bbb8dfc748.txt (xã Quyết Thắng, 2026)
    c("Chậm nhất ngày 09/9/2026", 2026, DUE, "09/09/2026"),
    c("Chậm nhất ngày 12/9/2026", 2026, DUE, "12/09/2026"),
    c("Theo lộ trình của Nghị quyết", 2026, EXTERNAL, reason="Nghị quyết"),
    c("Từ ngày 15/3/2026.", 2026, CONTINUOUS, start="15/03/2026"),
    c("Bắt đầu từ tháng 4 đến tháng 11/2026", 2026, WINDOW, "30/11/2026", "01/04/2026"),
    c("Thường xuyên trong năm 2026.", 2026, CONTINUOUS, "", "01/01/2026", reason="trong năm 2026"),
    c(
        "Thường xuyên hoặc theo lộ trình của thành phố",
        2026,
        CONTINUOUS,
        reason="hoặc theo lộ trình của thành phố",
    ),
    # 004_4ad4f8112d143734.txt (xã Gia Phúc, 6 tháng cuối năm 2025)
    c("Tháng 07/2025", 2025, DUE, "31/07/2025"),
    c("Tháng 08/2025", 2025, DUE, "31/08/2025"),
    c(
        "Trước ngày 20 của tháng cuối quý",
        2025,
        RECURRING,
        "19/12/2025",
        "01/01/2025",
        occurrences=[d("19/03/2025"), d("19/06/2025"), d("19/09/2025"), d("19/12/2025")],
    ),
    c("Cả năm 2025", 2025, DUE, "31/12/2025"),
    c("Quý IV/2025", 2025, DUE, "31/12/2025"),
    c("Quý III/2025", 2025, DUE, "30/09/2025"),
    c("Quý III năm 2025", 2025, DUE, "30/09/2025"),
    c("Quý III,IV/2025", 2025, DUE, "31/12/2025", checkpoint="30/09/2025"),
    c("Quý III, IV/2025", 2025, DUE, "31/12/2025", checkpoint="30/09/2025"),
    c("Theo thời gian đánh giá của Sở Y tế", 2025, EXTERNAL, reason="Sở Y tế"),
    c(
        "Theo văn bản chỉ đạo và hướng dẫn của Thành phố Thành phố",
        2025,
        EXTERNAL,
        reason="Thời hạn do Thành phố quyết định",
    ),
    c(
        "Kết hợp báo cáo công tác KSTTHC quý, năm",
        2025,
        EXTERNAL,
        reason="Kết hợp báo cáo công tác KSTTHC quý, năm",
    ),
    c("Hàng quý", 2025, RECURRING, "31/12/2025", "01/01/2025", occurrences=quarter_ends(2025)),
    c("Theo lộ trình năm 2025", 2025, EXTERNAL, reason="Theo lộ trình năm 2025"),
]

# The prose deadlines of seed 003 (xã Hồng Phong, 2023), as quoted and as whole sentences.
PROSE_CASES = [
    c("xong trước ngày 15/03/2023", 2023, DUE, "14/03/2023"),
    c("trước ngày 31/3/2023", 2023, DUE, "30/03/2023"),
    c("trước ngày 30/4/2023", 2023, DUE, "29/04/2023"),
    c("Quý I năm 2023", 2023, DUE, "31/03/2023"),
    c(
        "trước ngày 20 tháng cuối Quý",
        2023,
        RECURRING,
        "19/12/2023",
        "01/01/2023",
        occurrences=[d("19/03/2023"), d("19/06/2023"), d("19/09/2023"), d("19/12/2023")],
    ),
    c(
        "Thực hiện xong trước ngày 15/3/2023 và triển khai thực hiện thường xuyên trong năm.",
        2023,
        DUE,
        "14/03/2023",
        reason="thường xuyên trong năm",
    ),
    c(
        "Ngay từ đầu năm, thực hiện **xong trước ngày 15/03/2023** và triển khai thực hiện "
        "thường xuyên trong năm.",
        2023,
        DUE,
        "14/03/2023",
        reason="thường xuyên trong năm",
    ),
    c(
        "Triển khai thực hiện trong Quý I năm 2023 và thường xuyên trong năm.",
        2023,
        DUE,
        "31/03/2023",
    ),
    c("Thực hiện thường xuyên trong năm.", 2023, CONTINUOUS, start="01/01/2023"),
    c("Triển khai thường xuyên trong năm.", 2023, CONTINUOUS, start="01/01/2023"),
    c(
        "Triển khai ngay từ đầu năm và thực hiện thường xuyên trong năm.",
        2023,
        CONTINUOUS,
        start="01/01/2023",
    ),
    c(
        "Triển khai thực hiện ngay từ đầu năm, thường xuyên trong năm.",
        2023,
        CONTINUOUS,
        start="01/01/2023",
    ),
    # task text pasted into the deadline: not a deadline, said so
    c(
        "Triển khai thường xuyên trong năm bằng nhiều hình thức.",
        2023,
        UNPARSED,
        reason="Không đọc được",
    ),
]

# DOMAIN.md, "Deadline phrases and what they mean", row by row.
DOMAIN_CASES = [
    c("Chậm nhất ngày 09/9/2026", 2026, DUE, "09/09/2026"),
    c("Trước ngày 15/3/2023", 2023, DUE, "14/03/2023"),
    c("trước ngày 20.7.2020", 2020, DUE, "19/07/2020"),
    c("Tháng 10/2026", 2026, DUE, "31/10/2026"),
    c("Tháng 07/2025", 2025, DUE, "31/07/2025"),
    c("Quý IV/2025", 2025, DUE, "31/12/2025"),
    c("Quý I năm 2023", 2023, DUE, "31/03/2023"),
    c("Quý III, IV/2025", 2025, DUE, "31/12/2025", checkpoint="30/09/2025"),
    c("6 tháng đầu năm 2025", 2025, DUE, "30/06/2025", "01/01/2025"),
    c("6 tháng cuối năm 2025", 2025, DUE, "31/12/2025", "01/07/2025"),
    c("Cả năm 2025", 2025, DUE, "31/12/2025"),
    c("Năm 2026", 2026, DUE, "31/12/2026"),
    c("Thường xuyên trong năm 2026", 2026, CONTINUOUS, start="01/01/2026"),
    c("Từ ngày 15/3/2026", 2026, CONTINUOUS, start="15/03/2026"),
    c("Bắt đầu từ tháng 4 đến tháng 11/2026", 2026, WINDOW, "30/11/2026", "01/04/2026"),
    c(
        "Trước ngày 20 của tháng cuối quý",
        2026,
        RECURRING,
        "19/12/2026",
        "01/01/2026",
        occurrences=[d("19/03/2026"), d("19/06/2026"), d("19/09/2026"), d("19/12/2026")],
    ),
    c("Hàng quý", 2026, RECURRING, "31/12/2026", "01/01/2026", occurrences=quarter_ends(2026)),
    c(
        "báo cáo quý trước ngày 10 của tháng cuối quý",
        2026,
        RECURRING,
        "09/12/2026",
        "01/01/2026",
        occurrences=[d("09/03/2026"), d("09/06/2026"), d("09/09/2026"), d("09/12/2026")],
    ),
    c("Hằng tháng", 2026, RECURRING, "31/12/2026", "01/01/2026", occurrences=month_ends(2026)),
    c(
        "từ ngày 1 đến ngày 5 hằng tháng",
        2026,
        RECURRING,
        "05/12/2026",
        "01/01/2026",
        occurrences=monthly(2026, 5),
    ),
    c("Thường xuyên", 2026, CONTINUOUS),
    c("Theo lộ trình của Nghị quyết", 2026, EXTERNAL, reason="Nghị quyết"),
    c("Theo văn bản chỉ đạo của Thành phố", 2026, EXTERNAL, reason="Thành phố"),
    c("Theo thời gian đánh giá của Sở Y tế", 2026, EXTERNAL, reason="Sở Y tế"),
    c("Kết hợp báo cáo công tác quý, năm", 2026, EXTERNAL, reason="kỳ báo cáo"),
]

# The variants a plan writes: separators, words, missing years, spellings.
VARIANT_CASES = [
    # one day
    c("xong trước ngày 15/03/2023", 2023, DUE, "14/03/2023"),
    c("Trước ngày 15-3-2023", 2023, DUE, "14/03/2023"),
    c("trước ngày 1/1/2026", 2025, DUE, "31/12/2025"),
    c("trước ngày 31/3", 2026, DUE, "30/03/2026"),
    c("ngày 23 tháng 3 năm 2026", 2026, DUE, "23/03/2026"),
    c("Chậm nhất ngày 23 tháng 3 năm 2026", 2025, DUE, "23/03/2026"),
    c("Trước ngày 23 tháng 3", 2026, DUE, "22/03/2026"),
    c("Chậm nhất vào ngày 30/6/2026", 2026, DUE, "30/06/2026"),
    c("Chậm nhất là ngày 30.6.2026", 2026, DUE, "30/06/2026"),
    c("Hạn chót: 30/6/2026", 2026, DUE, "30/06/2026"),
    c("Đến hết ngày 30/6/2026", 2026, DUE, "30/06/2026"),
    c("15/3/2026", 2026, DUE, "15/03/2026"),
    c("ngày 29/2/2024", 2024, DUE, "29/02/2024"),
    c("Thời hạn hoàn thành: trước ngày 15/3/2026", 2026, DUE, "14/03/2026"),
    # months
    c("Tháng 10", 2026, DUE, "31/10/2026"),
    c("tháng 10 năm 2026", 2025, DUE, "31/10/2026"),
    c("Tháng 02/2024", 2024, DUE, "29/02/2024"),
    c("Trong tháng 10/2026", 2026, DUE, "31/10/2026"),
    c("Cuối tháng 10/2026", 2026, DUE, "31/10/2026"),
    c("10/2026", 2026, DUE, "31/10/2026"),
    c("Trước tháng 10/2026", 2026, DUE, "30/09/2026"),
    c("Tháng 7, 8/2025", 2025, DUE, "31/08/2025", checkpoint="31/07/2025"),
    # quarters
    c("quý IV", 2026, DUE, "31/12/2026"),
    c("Quý 3/2025", 2025, DUE, "30/09/2025"),
    c("QUÝ IV/2025", 2025, DUE, "31/12/2025"),
    c("Qúy IV/2025", 2025, DUE, "31/12/2025"),
    c("Quý IV / 2025", 2025, DUE, "31/12/2025"),
    c("Trong Quý I", 2023, DUE, "31/03/2023"),
    c("Quý III và IV năm 2025", 2025, DUE, "31/12/2025", checkpoint="30/09/2025"),
    c("Quý III và quý IV năm 2025", 2025, DUE, "31/12/2025", checkpoint="30/09/2025"),
    c("Quý 3, 4/2025", 2025, DUE, "31/12/2025", checkpoint="30/09/2025"),
    c("Quý IV, III/2025", 2025, DUE, "31/12/2025", checkpoint="30/09/2025"),
    c("Quý I, II, III/2026", 2026, DUE, "30/09/2026", checkpoint="31/03/2026"),
    c("Quý IV/2025, Quý I/2026", 2025, DUE, "31/03/2026", checkpoint="31/12/2025"),
    c("Trước quý IV/2025", 2025, DUE, "30/09/2025"),
    # halves and years
    c("6 tháng đầu năm", 2026, DUE, "30/06/2026", "01/01/2026"),
    c("06 tháng cuối năm 2025", 2025, DUE, "31/12/2025", "01/07/2025"),
    c("Trong 6 tháng đầu năm 2026", 2026, DUE, "30/06/2026", "01/01/2026"),
    c("Trong năm 2026", 2026, DUE, "31/12/2026"),
    c("Cả năm", 2025, DUE, "31/12/2025"),
    c("Cuối năm 2025", 2025, DUE, "31/12/2025"),
    # windows
    c("Từ tháng 4 đến tháng 11/2026", 2026, WINDOW, "30/11/2026", "01/04/2026"),
    c("từ ngày 01/4 đến ngày 30/11/2026", 2026, WINDOW, "30/11/2026", "01/04/2026"),
    c("Từ 15/3 đến 30/6/2026", 2026, WINDOW, "30/06/2026", "15/03/2026"),
    c("Từ tháng 4 đến 11/2026", 2026, WINDOW, "30/11/2026", "01/04/2026"),
    c("Từ tháng 11 đến tháng 2/2027", 2026, WINDOW, "28/02/2027", "01/11/2026"),
    c("Từ ngày 10/5 đến trước ngày 30/11/2026", 2026, WINDOW, "29/11/2026", "10/05/2026"),
    c("Từ quý III đến quý IV/2025", 2025, WINDOW, "31/12/2025", "01/07/2025"),
    c("Quý III-IV/2025", 2025, WINDOW, "31/12/2025", "01/07/2025"),
    c("Tháng 4-11/2026", 2026, WINDOW, "30/11/2026", "01/04/2026"),
    c("Tháng 4 đến tháng 11/2026", 2026, WINDOW, "30/11/2026", "01/04/2026"),
    # continuous
    c("Từ ngày 15/3/2026.", 2026, CONTINUOUS, start="15/03/2026"),
    c("Kể từ ngày 15-3-2026", 2026, CONTINUOUS, start="15/03/2026"),
    c("Từ tháng 4/2026", 2026, CONTINUOUS, start="01/04/2026"),
    c("Từ quý III/2025", 2025, CONTINUOUS, start="01/07/2025"),
    c("Thường xuyên trong năm", 2026, CONTINUOUS, start="01/01/2026", reason="trong năm 2026"),
    c("Thường xuyên, liên tục", 2026, CONTINUOUS),
    c("Thực hiện thường xuyên", 2026, CONTINUOUS),
    c("Hằng ngày", 2026, CONTINUOUS),
    c("<p>Thường xuyên</p>", 2026, CONTINUOUS),
    # recurring
    c("Hằng quý", 2026, RECURRING, "31/12/2026", "01/01/2026", occurrences=quarter_ends(2026)),
    c("Định kỳ hằng quý", 2026, RECURRING, "31/12/2026", "01/01/2026", (), quarter_ends(2026)),
    c("Theo quý", 2026, RECURRING, "31/12/2026", "01/01/2026", (), quarter_ends(2026)),
    c("Hằng quý năm 2025", 2026, RECURRING, "31/12/2025", "01/01/2025", (), quarter_ends(2025)),
    c("Hàng quý, hàng năm", 2026, RECURRING, "31/12/2026", "01/01/2026", (), quarter_ends(2026)),
    c(
        "Hằng quý, trước ngày 20 của tháng cuối quý",
        2026,
        RECURRING,
        "19/12/2026",
        "01/01/2026",
        occurrences=[d("19/03/2026"), d("19/06/2026"), d("19/09/2026"), d("19/12/2026")],
    ),
    c(
        "ngày 31 của tháng cuối quý",
        2026,
        RECURRING,
        "31/12/2026",
        "01/01/2026",
        occurrences=quarter_ends(2026),
    ),
    c("Hàng tháng", 2024, RECURRING, "31/12/2024", "01/01/2024", occurrences=month_ends(2024)),
    c(
        "trước ngày 25 hằng tháng",
        2026,
        RECURRING,
        "24/12/2026",
        "01/01/2026",
        occurrences=monthly(2026, 24),
    ),
    c(
        "Hằng tháng, trước ngày 25",
        2026,
        RECURRING,
        "24/12/2026",
        "01/01/2026",
        occurrences=monthly(2026, 24),
    ),
    c(
        "trước ngày 1 hằng tháng",
        2026,
        RECURRING,
        "31/12/2026",
        "01/01/2026",
        occurrences=month_ends(2026),
    ),
    c("Hằng năm", 2026, RECURRING, "31/12/2026", "01/01/2026", occurrences=[d("31/12/2026")]),
    c("Hàng năm", 2025, RECURRING, "31/12/2025", "01/01/2025", occurrences=[d("31/12/2025")]),
    c(
        "Ngày 15/12 hằng năm",
        2026,
        RECURRING,
        "15/12/2026",
        "01/01/2026",
        occurrences=[d("15/12/2026")],
    ),
    c(
        "Định kỳ 6 tháng",
        2026,
        RECURRING,
        "31/12/2026",
        "01/01/2026",
        occurrences=[d("30/06/2026"), d("31/12/2026")],
    ),
    # external: the genre ("Theo ...", "Kết hợp ...", "Khi ..."), not a list of strings
    c(
        "Theo văn bản chỉ đạo và hướng dẫn của Thành phố Thành phố",
        2025,
        EXTERNAL,
        reason="Theo văn bản chỉ đạo và hướng dẫn của Thành phố",
    ),
    c("Theo kế hoạch của UBND huyện", 2026, EXTERNAL, reason="UBND huyện"),
    c(
        "Theo Kế hoạch số 49/KH-UBND ngày 13/02/2023 của UBND huyện",
        2023,
        EXTERNAL,
        reason="UBND huyện",
    ),
    c("Kết hợp báo cáo công tác KSTTHC quý, năm", 2025, EXTERNAL, reason="KSTTHC"),
    c("Khi có yêu cầu", 2026, EXTERNAL, reason="Khi có yêu cầu"),
    c(
        "Khi được cơ quan có thẩm quyền lấy ý kiến",
        2026,
        EXTERNAL,
        reason="Khi được cơ quan có thẩm quyền lấy ý kiến",
    ),
    c("Thực hiện theo yêu cầu của cấp trên", 2026, EXTERNAL, reason="cấp trên"),
    c("Sau khi có hướng dẫn của tỉnh", 2026, EXTERNAL, reason="hướng dẫn của tỉnh"),
    c("Tùy tình hình thực tế", 2026, EXTERNAL, reason="Tùy tình hình thực tế"),
    c("Đột xuất", 2026, EXTERNAL),
]

# Not a deadline, or an impossible one: unparsed, with the reason.
UNPARSED_CASES = [
    c("", 2026, UNPARSED, reason="ô trống"),
    c("   ", 2026, UNPARSED, reason="ô trống"),
    c("asdf qwer", 2026, UNPARSED, reason="Không đọc được thời hạn"),
    c("Quý V/2025", 2025, UNPARSED, reason="quý V"),
    c("Quý 0/2025", 2025, UNPARSED, reason="quý 0"),
    c("Quý IIII", 2025, UNPARSED, reason="quý IIII"),
    c("ngày 31/2/2026", 2026, UNPARSED, reason="31/2/2026"),
    c("ngày 29/2/2025", 2025, UNPARSED, reason="29/2/2025"),
    c("ngày 12/13/2026", 2026, UNPARSED, reason="Tháng 13"),
    c("Tháng 13/2026", 2026, UNPARSED, reason="Tháng 13"),
    c("Trước ngày 15/13", 2026, UNPARSED, reason="Tháng 13"),
    c("ngày 0/1/2026", 2026, UNPARSED, reason="0/1/2026"),
    c("trước ngày 20", 2026, UNPARSED, reason="thiếu tháng"),
    c("Hằng tuần", 2026, UNPARSED, reason="hằng tuần"),
    c("Từ tháng 11 đến tháng 2", 2026, UNPARSED, reason="trước khi bắt đầu"),
    c("Năm 1800", 2026, UNPARSED, reason="1800"),
    c("Quý IV/3000", 2026, UNPARSED, reason="3000"),
    c("Quý III/2025 và hằng quý", 2025, UNPARSED, reason="định kỳ"),
    c("trước ngày 10 tháng đầu quý", 2026, UNPARSED, reason="Không đọc được"),
    c(
        "Xây dựng kế hoạch kiểm tra trong việc giải quyết TTHC tại Bộ phận Một cửa xã, "
        "hoàn thành trước ngày 31/3/2023.",
        2023,
        UNPARSED,
        reason="Không đọc được",
    ),
]

ALL_CASES = SEED_CASES + PROSE_CASES + DOMAIN_CASES + VARIANT_CASES + UNPARSED_CASES


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda k: f"{k.phrase[:50]}@{k.year}")
def test_reading(case: Case) -> None:
    got = parse_deadline(case.phrase, case.year)
    assert isinstance(got, Deadline)
    assert got.phrase == case.phrase
    assert (got.kind, got.due, got.start, got.checkpoint) == (
        case.kind,
        case.due,
        case.start,
        case.checkpoint,
    )
    assert tuple(got.occurrences) == case.occurrences
    if case.reason is not None:
        assert case.reason.casefold() in got.reason.casefold()
    if got.kind in (UNPARSED, EXTERNAL):
        assert got.reason, "an unusable deadline must say why"
    for value in (got.due, got.start, got.checkpoint, *got.occurrences):
        assert value is None or type(value) is dt.date  # plain dates, not pendulum's


# --------------------------------------------------------------------------- the seeds themselves

# The seed plans as the repository keeps them (tests/importer/seeds; `make test-seeds` checks they
# are still ../shared/seeds byte for byte), so a fresh clone runs this test too.
SEEDS = Path(__file__).resolve().parent / "importer" / "seeds"
_HEADERS = ("Thời gian thực hiện", "Thời hạn hoàn thành")


def seed_deadline_phrases() -> dict[str, set[str]]:
    """The deadline column of every appendix table in the seeds, per file."""
    found: dict[str, set[str]] = {}
    for path in sorted(SEEDS.glob("*.txt")):
        col = None
        for line in path.read_text(encoding="utf-8").splitlines():
            cells = line.split("\t")
            heads = [i for i, cell in enumerate(cells) if cell.strip().startswith(_HEADERS)]
            if heads:
                col = heads[0]
                continue
            if col is None or len(cells) <= col:
                continue
            cell = cells[col].strip()
            if cell and not cell.isdigit():  # "7": the column-number row of seed 004
                found.setdefault(path.name, set()).add(cell)
    return found


def test_every_seed_deadline_is_in_the_table_and_readable() -> None:
    found = seed_deadline_phrases()
    in_seeds = set().union(*found.values())
    assert {"Thường xuyên", "Quý III,IV/2025", "Chậm nhất ngày 09/9/2026"} <= in_seeds
    assert in_seeds == {k.phrase for k in SEED_CASES}
    year = {"000": 2026, "002": 2026, "004": 2025}
    for name, phrases in found.items():
        for phrase in phrases:
            got = parse_deadline(phrase, year[name[:3]])
            assert got.kind is not UNPARSED, (name, phrase, got.reason)


# --------------------------------------------------------------------------- normalising


@pytest.mark.parametrize(
    "case", [k for k in ALL_CASES if k.kind is not UNPARSED], ids=lambda k: k.phrase[:50]
)
def test_nfd_capitals_and_spacing_do_not_matter(case: Case) -> None:
    want = parse_deadline(case.phrase, case.year).as_json()
    for variant in (
        unicodedata.normalize("NFD", case.phrase),
        case.phrase.upper(),
        "  " + case.phrase.replace(" ", " \t ") + " ;",
    ):
        got = parse_deadline(variant, case.year).as_json()
        assert got["phrase"] == variant
        for key in ("kind", "due", "start", "checkpoint", "occurrences"):
            assert got[key] == want[key], (variant, key)


def test_old_and_new_tone_placement_are_the_same_words() -> None:
    old = "Văn hóa thủy lợi khỏe tùy Qúy"
    new = "Văn hoá thuỷ lợi khoẻ tuỳ Quý"
    assert grammar.canonical_form(old) == grammar.canonical_form(new)
    assert grammar.canonical_form(unicodedata.normalize("NFD", old)) == grammar.canonical_form(new)
    # "hoàng", "toán": a final consonant, one placement in both styles; left alone
    assert grammar.canonical_form("Hoàng toán") == "hoàng toán"


def test_external_reason_is_the_same_for_both_tone_styles() -> None:
    a = parse_deadline("Theo kế hoạch của Phòng Văn hóa - Xã hội", 2026)
    b = parse_deadline("Theo kế hoạch của Phòng Văn hoá - Xã hội", 2026)
    assert a.kind is b.kind is EXTERNAL
    assert "Phòng Văn hóa - Xã hội" in a.reason and "Phòng Văn hoá - Xã hội" in b.reason


def test_as_json_shape() -> None:
    got = parse_deadline("Quý III, IV/2025", 2025).as_json()
    assert got == {
        "phrase": "Quý III, IV/2025",
        "kind": "due",
        "due": "2025-12-31",
        "start": None,
        "checkpoint": "2025-09-30",
        "occurrences": [],
        "every": "",
        "continuous": False,
        "reason": "",
        "covers": [],
    }
    rec = parse_deadline("Hàng quý", 2025).as_json()
    assert rec["occurrences"] == ["2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31"]


@pytest.mark.parametrize("year", [0, -5, 10_000, None, "2026", True])
def test_a_bad_plan_year_only_matters_when_the_phrase_needs_it(year) -> None:
    assert parse_deadline("Hàng quý", year).kind is UNPARSED
    assert "năm của kế hoạch" in parse_deadline("Tháng 10", year).reason
    assert parse_deadline("Quý IV/2025", year).due == dt.date(2025, 12, 31)
    assert parse_deadline("Thường xuyên", year).kind is CONTINUOUS


def test_not_a_string_does_not_raise() -> None:
    got = parse_deadline(None, 2026)  # type: ignore[arg-type]
    assert got.kind is UNPARSED and got.reason


def test_a_very_long_cell_is_unparsed_quickly() -> None:
    got = parse_deadline("Quý I, " * 2000, 2026)
    assert got.kind is UNPARSED and "quá dài" in got.reason


# --------------------------------------------------------------------------- properties

_FRAGMENTS = [
    "quý", "Quý", "QUÝ", "tháng", "ngày", "năm", "trước", "chậm nhất", "từ", "đến", "hằng",
    "hàng", "cuối", "đầu", "6 tháng", "thường xuyên", "trong", "theo", "và", "hoặc", ",", ";",
    "/", "-", ".", "I", "II", "III", "IV", "V", "0", "1", "12", "13", "20", "31", "2025",
    "2026", "9999", "0000", "của", "tháng cuối quý", "bắt đầu", "cả", "nay", "kết hợp", "khi",
    "tuần", "ngày 29/2", "15/3", ":", "<p>", "**",
]  # fmt: skip
phrases = st.one_of(
    st.text(max_size=120),
    st.lists(st.sampled_from(_FRAGMENTS), max_size=12).map(" ".join),
    st.sampled_from([k.phrase for k in ALL_CASES]),
)
years = st.integers(min_value=2000, max_value=2100)
PROPS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(phrases, years)
def test_never_raises_and_keeps_its_invariants(phrase: str, year: int) -> None:
    got = parse_deadline(phrase, year)
    assert isinstance(got, Deadline)
    assert got.phrase == phrase
    assert not got.reason.startswith("Lỗi nội bộ"), got.reason
    if got.due and got.start:
        assert got.due >= got.start
    if got.checkpoint:
        assert got.due and got.checkpoint <= got.due
    assert got.occurrences == sorted(got.occurrences)
    if got.occurrences:
        assert got.kind is RECURRING
        assert len({o.year for o in got.occurrences}) == 1
        assert got.due == got.occurrences[-1]
    if got.kind is CONTINUOUS:
        assert got.due is None
    if got.kind in (UNPARSED, EXTERNAL):
        assert (got.due, got.start, got.checkpoint, got.occurrences) == (None, None, None, [])
        assert got.reason


@PROPS
@given(st.sampled_from(["Hàng quý", "Hằng tháng", "Hằng năm", "Trước ngày 20 của tháng cuối quý",
                        "trước ngày 1 hằng tháng", "từ ngày 1 đến ngày 31 hằng tháng"]), years)
def test_recurring_occurrences_fall_in_the_plan_year(phrase: str, year: int) -> None:
    got = parse_deadline(phrase, year)
    assert got.kind is RECURRING
    assert got.start == dt.date(year, 1, 1)
    assert all(o.year == year for o in got.occurrences)


@PROPS
@given(st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2199, 12, 31)), years,
       st.sampled_from(["/", ".", "-"]), st.booleans())
def test_any_real_date(day: dt.date, year: int, sep: str, pad: bool) -> None:
    fmt = "%02d" if pad else "%d"
    text = sep.join([fmt % day.day, fmt % day.month, str(day.year)])
    assert parse_deadline(f"Chậm nhất ngày {text}", year).due == day
    assert parse_deadline(f"Trước ngày {text}", year).due == day - dt.timedelta(days=1)
    words = f"ngày {day.day} tháng {day.month} năm {day.year}"
    assert parse_deadline(words, year).due == day


@PROPS
@given(st.integers(1, 4), st.integers(1900, 2199), st.sampled_from(["/", " năm ", "-"]),
       st.booleans(), years)
def test_any_quarter(q: int, y: int, sep: str, roman: bool, year: int) -> None:
    name = ["I", "II", "III", "IV"][q - 1] if roman else str(q)
    last_month = 3 * q
    want = dt.date(y, last_month, calendar.monthrange(y, last_month)[1])
    assert parse_deadline(f"Quý {name}{sep}{y}", year).due == want
    assert parse_deadline(f"Quý {name}", y).due == want


@PROPS
@given(st.integers(1, 12), st.integers(1900, 2199), years)
def test_any_month(m: int, y: int, year: int) -> None:
    want = dt.date(y, m, calendar.monthrange(y, m)[1])
    assert parse_deadline(f"Tháng {m:02d}/{y}", year).due == want
    assert parse_deadline(f"tháng {m} năm {y}", year).due == want


# -- issue 10: phrase forms of provincial plans, and a plan's period over several years -------

PERIOD_2025_2030 = (dt.date(2025, 1, 1), dt.date(2030, 12, 31))


@pytest.mark.parametrize(
    "phrase",
    ["Quí IV-2025", "Quí IV/2025", "quý 4/2025", "Quý IV-2025", "QUÍ IV/2025", "Quí 4 năm 2025"],
)
def test_old_spelling_and_arabic_quarters_are_quarter_iv(phrase):
    r = parse_deadline(phrase, 2025)
    assert (r.kind, r.due, r.start) == (DUE, d("31/12/2025"), None), r.reason


@pytest.mark.parametrize(
    "phrase, start, due",
    [
        ("Năm 2025-2030", "01/01/2025", "31/12/2030"),
        ("Giai đoạn 2026 - 2030", "01/01/2026", "31/12/2030"),
        ("giai đoạn 2026-2030", "01/01/2026", "31/12/2030"),
        ("2026 – 2030", "01/01/2026", "31/12/2030"),
        ("Từ năm 2026 đến năm 2030", "01/01/2026", "31/12/2030"),
    ],
)
def test_spans_of_years_are_windows(phrase, start, due):
    r = parse_deadline(phrase, 2025)
    assert (r.kind, r.start, r.due) == (WINDOW, d(start), d(due)), r.reason


def test_a_span_of_years_backwards_is_unparsed():
    assert parse_deadline("Năm 2030-2025", 2025).kind == UNPARSED


def test_yearly_over_a_plan_period_has_one_occurrence_per_year():
    r = parse_deadline("Hằng năm", 2025, PERIOD_2025_2030)
    assert r.kind == RECURRING and r.every == "year"
    assert r.occurrences == [dt.date(y, 12, 31) for y in range(2025, 2031)]
    assert (r.start, r.due) == (d("01/01/2025"), d("31/12/2030"))
    # the same phrase in a one-year plan (or with no period given): that year only
    assert parse_deadline("Hằng năm", 2025).occurrences == [d("31/12/2025")]
    one_year = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert parse_deadline("Hằng năm", 2026, one_year).occurrences == [d("31/12/2026")]


def test_a_year_in_the_phrase_beats_the_plan_period():
    r = parse_deadline("Hằng quý năm 2027", 2025, PERIOD_2025_2030)
    assert r.occurrences == quarter_ends(2027)


def test_quarterly_over_a_plan_period_and_the_day_before_rule():
    r = parse_deadline("Trước ngày 20 của tháng cuối quý", 2025, PERIOD_2025_2030)
    assert len(r.occurrences) == 24 and r.every == "quarter"
    assert r.occurrences[:2] == [d("19/03/2025"), d("19/06/2025")]
    assert r.occurrences[-1] == d("19/12/2030")


@pytest.mark.parametrize("year", [2025, 2026])
def test_before_the_20th_of_the_last_month_of_a_quarter_is_due_on_the_19th(year):
    # DOMAIN (corrected): like any "trước ngày D", done by the end of the day before D
    r = parse_deadline("Trước ngày 20 của tháng cuối quý", year)
    assert r.occurrences == [dt.date(year, m, 19) for m in (3, 6, 9, 12)]
    assert r.due == dt.date(year, 12, 19) and dt.date(year, 12, 20) not in r.occurrences
    # without "trước" the day itself
    assert parse_deadline("ngày 20 của tháng cuối quý", year).occurrences[0] == dt.date(year, 3, 20)


def test_continuous_work_with_quarterly_reports_keeps_both():
    r = parse_deadline("Thường xuyên, định kỳ hằng quý báo cáo kết quả", 2026)
    assert r.kind == RECURRING and r.continuous and r.every == "quarter"
    assert r.occurrences == quarter_ends(2026)
    assert "thường xuyên" in r.reason.lower()
    plain = parse_deadline("Định kỳ hằng quý", 2026)
    assert plain.kind == RECURRING and not plain.continuous


def test_continuous_and_yearly_over_a_plan_period():
    r = parse_deadline("Thường xuyên, hằng năm", 2025, PERIOD_2025_2030)
    assert r.kind == RECURRING and r.continuous and len(r.occurrences) == 6


# --------------------------------------------------------------------------- the table of forms


def _example(entry: tuple[str, str]) -> tuple[str, int, tuple[dt.date, dt.date] | None, str]:
    phrase, want = entry
    period = None
    if " @" in phrase:
        phrase, span = phrase.rsplit(" @", 1)
        first, last = map(int, span.split("-"))
        period = (dt.date(first, 1, 1), dt.date(last, 12, 31))
    return phrase, (period[0].year if period else 2026), period, want


FORM_EXAMPLES = [(form.name, entry) for form in grammar.FORMS for entry in form.examples]


@pytest.mark.parametrize("name, entry", FORM_EXAMPLES, ids=[f"{n}:{e[0][:40]}" for n, e in FORM_EXAMPLES])
def test_every_example_of_the_table_of_forms_reads_as_stated_by_its_own_form(name: str, entry) -> None:
    """The examples beside each form in facts/_deadline_grammar.FORMS are its specification."""
    phrase, year, period, want = _example(entry)
    years = (period[0].year, period[1].year) if period else None
    ctx = grammar.Ctx(year, years)
    canonical = grammar.canonical_form(grammar.display_form(phrase))
    got = grammar.read(phrase, year, years)
    assert grammar.short(got) == want, (phrase, got)
    found = grammar.read_form(canonical, ctx)
    if found is not None:  # a compound phrase is read clause by clause, each by its form
        assert found[0].name == name, (phrase, found[0].name)
    else:
        assert grammar.read_form(grammar.strip_fillers(canonical), ctx) is None


def test_every_form_has_examples_and_a_unique_name() -> None:
    names = [form.name for form in grammar.FORMS]
    assert len(names) == len(set(names))
    assert all(form.examples and form.says for form in grammar.FORMS)


# Issue 18, item 5: each phrase as stated, and others of its family (relative months and years,
# windows, duties opened by "định kỳ", a trailing action, a yearly month in a multi-year plan).
ISSUE_18 = [
    c("Trước ngày 05 của tháng liền kề", 2026, RECURRING, "04/01/2027", "01/01/2026",
      occurrences=[dt.date(2026, m, 4) for m in range(2, 13)] + [d("04/01/2027")]),
    c("trong tháng 01 hằng năm", 2026, RECURRING, "31/01/2026", "01/01/2026", occurrences=[d("31/01/2026")]),
    c("chậm nhất trong tháng 9 hằng năm", 2026, RECURRING, "30/09/2026", "01/01/2026", occurrences=[d("30/09/2026")]),
    c("chậm nhất là ngày 15/4/2026 và tổ chức thực hiện", 2026, DUE, "15/04/2026"),
    c("Trong khoảng thời gian từ ngày 04/02/2026 đến ngày 08/02/2026", 2026, WINDOW, "08/02/2026", "04/02/2026"),
    c("Định kỳ báo cáo trước ngày 15 hằng tháng", 2026, RECURRING, "14/12/2026", "01/01/2026",
      occurrences=monthly(2026, 14)),
    c("Định kỳ hằng quý và đột xuất", 2026, RECURRING, "31/12/2026", "01/01/2026",
      occurrences=quarter_ends(2026), reason="đột xuất"),
    c("- Thời gian hoàn thành: Quý IV/2025;", 2025, DUE, "31/12/2025"),
    c("Thời gian: Dự kiến ngày 20/5/2026 (Chậm nhất ngày 30/5/2026)", 2026, DUE, "30/05/2026",
      checkpoint="20/05/2026"),
    c("chậm nhất ngày 10/3/2026, triển khai thực hiện", 2026, DUE, "10/03/2026"),
    c("Trước ngày 15/01 năm sau", 2026, DUE, "14/01/2027"),
    c("trước ngày 10 của tháng đầu quý sau", 2026, RECURRING, "09/01/2027", "01/01/2026",
      occurrences=[d("09/04/2026"), d("09/07/2026"), d("09/10/2026"), d("09/01/2027")]),
    c("Định kỳ theo quy định", 2026, EXTERNAL),
]


@pytest.mark.parametrize("case", ISSUE_18, ids=lambda k: k.phrase[:50])
def test_the_forms_of_issue_18_item_5(case: Case) -> None:
    got = parse_deadline(case.phrase, case.year)
    assert got.kind is case.kind, got.reason
    assert got.due == case.due
    assert got.start == case.start
    assert got.checkpoint == case.checkpoint
    assert tuple(got.occurrences) == case.occurrences
    if case.reason:
        assert case.reason in got.reason


def test_a_multi_year_plan_gets_one_yearly_occurrence_per_year_at_the_month_named() -> None:
    got = parse_deadline("chậm nhất trong tháng 9 hằng năm", 2026, (d("01/01/2026"), d("31/12/2030")))
    assert got.occurrences == [dt.date(y, 9, 30) for y in range(2026, 2031)]
    got = parse_deadline("Hằng năm", 2026, (d("01/01/2026"), d("31/12/2030")))
    assert got.occurrences == [dt.date(y, 12, 31) for y in range(2026, 2031)]


def test_a_report_due_the_month_after_names_the_month_it_covers() -> None:
    got = parse_deadline("Trước ngày 05 của tháng liền kề", 2026)
    assert got.every == "month"
    assert list(zip(got.occurrences, got.covers))[:2] == [(d("04/02/2026"), "2026-01"), (d("04/03/2026"), "2026-02")]
    assert (got.occurrences[-1], got.covers[-1]) == (d("04/01/2027"), "2026-12")
    # the day before the 5th, and not the 5th: DOMAIN's "trước ngày D"
    assert parse_deadline("ngày 05 của tháng liền kề", 2026).occurrences[0] == d("05/02/2026")


@pytest.mark.parametrize("phrase", [")", "(", "( )", ";", ") ("])
def test_brackets_and_separators_alone_are_no_deadline_and_say_so(phrase):
    """Found by the fuzz suite: ')' was read as an external deadline with no reason."""
    got = parse_deadline(phrase, year=2026)
    assert got.kind is UNPARSED and got.reason
