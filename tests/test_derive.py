"""Derived values: reductions against the baseline, and the tracking classes of tasks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dondoc.facts.derive import reduction, status_class, task_counts
from dondoc.facts.planfolder import read_plan_folder

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize(
    "baseline, current, cut",
    [(20, 12, 40.0), (15, 10, 33.33), (2, 1, 50.0), (400000, 400000, 0.0), (5, 6, -20.0), (0, 0, 100.0), (0, 5, -100.0), (None, 3, None), (3, None, None)],
)
def test_reduction_against_the_baseline(baseline, current, cut):
    assert reduction(baseline, current) == cut


@pytest.mark.parametrize(
    "values, expected",
    [
        ({"status": "hoàn thành", "days_overdue": -3, "deadline_kind": "due"}, "hoan_thanh_dung_han"),
        ({"status": "hoàn thành", "days_overdue": 0, "deadline_kind": "due"}, "hoan_thanh_dung_han"),
        ({"status": "hoàn thành", "days_overdue": 4, "deadline_kind": "due"}, "hoan_thanh_qua_han"),
        ({"status": "đang thực hiện", "days_overdue": -1, "deadline_kind": "due"}, "dang_thuc_hien_trong_han"),
        ({"status": "chưa báo cáo", "days_overdue": -1, "deadline_kind": "due"}, "chua_den_han"),
        ({"status": "đang thực hiện", "days_overdue": 1, "deadline_kind": "window"}, "qua_han"),
        ({"status": "đang thực hiện", "deadline_kind": "continuous"}, "thuong_xuyen"),
        ({"status": "chưa báo cáo", "deadline_kind": "recurring"}, "thuong_xuyen"),
        ({"status": "hoàn thành", "done_on": "2026-06-19", "deadline_kind": "recurring"}, "thuong_xuyen"),
        ({"status": "chưa báo cáo", "deadline_kind": "external"}, "khong_xac_dinh_han"),
    ],
)
def test_status_classes(values, expected):
    assert status_class(values) == expected


def test_task_counts_per_unit_of_an_example():
    counts = task_counts(read_plan_folder(EXAMPLES / "gia-phuc-2025"), dt.date(2025, 11, 22))
    culture = counts["Phòng Văn hoá - Xã hội"]
    assert culture["tong"] == sum(v for k, v in culture.items() if k != "tong")
    assert culture["qua_han"] == 2  # tasks 5 and 6
    assert culture["khong_xac_dinh_han"] == 0  # task 6's date was supplied in deadlines.csv
    assert counts["Phòng Kinh tế"]["khong_xac_dinh_han"] == 2  # tasks 33 and 41
