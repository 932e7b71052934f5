"""Writers of a plan folder (`intake read`, `import --out`): they validate everything, then write
everything, under the folder's lock; two at once take turns; a failure leaves every file as it
was, and the previous version of a file is kept (NAME.~N~) unless dondoc wrote it unchanged.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dondoc import files
from dondoc.facts.planfolder import read_plan_folder
from tests.hostile import intake_race
from tests.test_intake import EXAMPLE, UNIT, fill, run


@pytest.fixture
def plan(tmp_path) -> Path:
    folder = tmp_path / "plan"
    folder.mkdir()
    shutil.copy(EXAMPLE / "plan.yaml", folder / "plan.yaml")
    (folder / "progress.csv").write_text(
        "task,period,status,done_on,reported_on,evidence\n1,,đang thực hiện,,2026-06-30,Báo cáo 6 tháng\n", encoding="utf-8"
    )
    (folder / "measurements.csv").write_text(
        "target,period,value,numerator,denominator,measured_on,source\nCT01,2026,91.2,,,2026-10-01,Hệ thống\n",
        encoding="utf-8",
    )
    return folder


@pytest.fixture
def books(plan, tmp_path) -> Path:
    out = tmp_path / "books"
    assert run("intake", "template", plan, "--out", out).exit_code == 0
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file a person sees (the writers' lock files, hidden and empty, left out)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.endswith("dondoc-lock")}


# -- validate all, then write all ---------------------------------------------------------------------


def test_a_value_out_of_range_is_refused_at_its_cell_before_anything_is_written(plan, books, tmp_path):
    """Before: the 150% was appended to measurements.csv, then the read-back failed (exit 2) and
    the plan's next night failed on it."""
    filled = fill(
        books / f"{UNIT}.xlsx",
        {"1": {"Tình trạng": "đang thực hiện", "Ngày báo cáo": dt.date(2026, 11, 15)}},
        {"CT02": {"Giá trị": 150, "Ngày đo": dt.date(2026, 11, 5)}},
        tmp_path / "filled.xlsx",
    )
    before = snapshot(plan)
    result = run("intake", "read", filled, "--plan", plan)
    assert result.exit_code == 2, result.output
    assert "filled.xlsx (sheet 'Chỉ tiêu', ô G3): chỉ tiêu CT02: 150% nằm ngoài 0-100%" in result.output
    assert snapshot(plan) == before  # progress.csv too: nothing written
    read_plan_folder(plan)


def test_a_write_that_fails_midway_puts_back_what_it_wrote(plan, books, tmp_path, monkeypatch):
    """Before: with measurements.csv unwritable, progress.csv had already changed."""
    filled = fill(
        books / f"{UNIT}.xlsx",
        {"1": {"Tình trạng": "đang thực hiện", "Ngày báo cáo": dt.date(2026, 11, 15)}},
        {"CT02": {"Giá trị": 70, "Ngày đo": dt.date(2026, 11, 5)}},
        tmp_path / "filled.xlsx",
    )
    before = snapshot(plan)
    real_replace = os.replace

    def failing(src, dst, *args, **kwargs):
        if str(dst).endswith("measurements.csv") and ".dondoc-" in str(src):
            raise OSError(errno.EIO, "Input/output error", str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", failing)
    result = run("intake", "read", filled, "--plan", plan)
    assert result.exit_code == 4, result.output
    assert "measurements.csv" in result.output
    assert snapshot(plan) == before
    assert not [p.name for p in plan.iterdir() if p.name.startswith(".") and "dondoc-new" in p.name]


def test_a_change_that_would_not_read_back_is_not_written(plan, books, tmp_path):
    """measurements.csv without a 'source' column cannot take the new row: refused before
    progress.csv is touched (before, progress.csv was appended, then the error)."""
    (plan / "measurements.csv").write_text("target,period,value,measured_on\nCT01,2026,91.2,2026-10-01\n", encoding="utf-8")
    filled = fill(
        books / f"{UNIT}.xlsx",
        {"1": {"Tình trạng": "đang thực hiện", "Ngày báo cáo": dt.date(2026, 11, 15)}},
        {"CT02": {"Giá trị": 70, "Ngày đo": dt.date(2026, 11, 5)}},
        tmp_path / "filled.xlsx",
    )
    before = snapshot(plan)
    result = run("intake", "read", filled, "--plan", plan)
    assert result.exit_code == 2, result.output
    assert "measurements.csv:1: tệp thiếu cột source" in result.output
    assert snapshot(plan) == before


def test_the_previous_version_is_kept_unless_dondoc_wrote_it(plan, books, tmp_path):
    one = fill(books / f"{UNIT}.xlsx", {"1": {"Tình trạng": "đang thực hiện", "Ngày báo cáo": dt.date(2026, 11, 15)}},
               {}, tmp_path / "one.xlsx")
    two = fill(books / f"{UNIT}.xlsx", {"2": {"Tình trạng": "đang thực hiện", "Ngày báo cáo": dt.date(2026, 11, 16)}},
               {}, tmp_path / "two.xlsx")
    person = (plan / "progress.csv").read_bytes()
    first = run("intake", "read", one, "--plan", plan)
    assert first.exit_code == 0 and "bản trước giữ ở progress.csv.~1~" in first.output, first.output
    assert (plan / "progress.csv.~1~").read_bytes() == person  # the person's file, kept
    assert run("intake", "read", two, "--plan", plan).exit_code == 0
    assert not (plan / "progress.csv.~2~").exists()  # what dondoc wrote, unchanged since: not kept again
    assert intake_race.reports(plan) == {"1", "2"}


# -- two writers at once -----------------------------------------------------------------------------


def test_a_second_intake_read_during_the_first_loses_nothing(plan, books, tmp_path, monkeypatch):
    """Deterministic: the second `intake read` (another process) runs while the first is about to
    write. Before the lock, the first wrote what it had read before the second's row: lost."""
    mine = fill(books / f"{UNIT}.xlsx", {"2": {"Tình trạng": "đang thực hiện", "Ngày báo cáo": dt.date(2026, 11, 15)}},
                {}, tmp_path / "mine.xlsx")
    theirs = fill(books / "Trung tâm Phục vụ hành chính công xã.xlsx",
                  {"3": {"Tình trạng": "đang thực hiện", "Ngày báo cáo": dt.date(2026, 11, 16)}}, {}, tmp_path / "theirs.xlsx")
    other: list[subprocess.Popen] = []

    def during(real):
        def write(*args, **kwargs):
            if not other:  # the moment before the first write: the other process runs now
                other.append(subprocess.Popen(
                    [sys.executable, "-m", "dondoc.cli", "intake", "read", str(theirs), "--plan", str(plan)],
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                ))
                try:  # unlocked, it finishes; locked out, it waits for us
                    other[0].wait(timeout=15)
                except subprocess.TimeoutExpired:
                    pass
            return real(*args, **kwargs)
        return write

    for name in ("replace_file", "replace_files"):
        if hasattr(files, name):
            monkeypatch.setattr(files, name, during(getattr(files, name)))
    result = run("intake", "read", mine, "--plan", plan)
    said = other[0].communicate(timeout=120)[0].decode()
    assert result.exit_code == 0 and other[0].returncode == 0, (result.output, said)
    assert intake_race.reports(plan) == {"1", "2", "3"}


def test_paired_intake_reads_at_once_keep_every_row(tmp_path):
    """A few of the 200 paired trials (python -m tests.hostile.intake_race 200)."""
    assert intake_race.trials(3, tmp_path) == []


# -- import into a plan folder -----------------------------------------------------------------------


def test_an_import_that_would_orphan_the_reports_writes_nothing(tmp_path):
    """The folder as it will be must read back: a new plan.yaml whose tasks the reports
    already there do not name is refused (before: written, and the next night failed)."""
    folder = tmp_path / "plan"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("dondoc.yaml"))
    (folder / "progress.csv").write_text(
        "task,period,status,done_on,reported_on,evidence\n99,,đang thực hiện,,2026-06-30,\n", encoding="utf-8"
    )
    document = tmp_path / "ke-hoach.txt"
    document.write_text(Path(EXAMPLE.parent / "documents" / "an-bien-766-2026.txt").read_text(encoding="utf-8"), encoding="utf-8")
    before = snapshot(folder)
    result = run("import", document, "--out", folder)
    assert result.exit_code == 2, result.output
    assert "progress.csv:2" in result.output and "'99'" in result.output
    assert snapshot(folder) == before


def test_an_import_into_a_new_folder_writes_it(tmp_path):
    document = EXAMPLE.parent / "documents" / "an-bien-766-2026.txt"
    out = tmp_path / "a" / "new"
    result = run("import", document, "--out", out)
    assert result.exit_code == 0, result.output
    assert read_plan_folder(out).tasks


def test_a_writer_waits_for_the_folder_up_to_its_bound_then_stops_with_exit_4(plan, books, tmp_path, monkeypatch):
    """DONDOC_LIMIT_PLAN_LOCK_SECONDS: a lock given back within it is waited for; one held past it
    ends the command with exit 4 (another run holds the folder), nothing written."""
    import threading

    from dondoc.facts.planfolder import writing

    filled = fill(books / f"{UNIT}.xlsx", {"2": {"Tình trạng": "đang thực hiện", "Ngày báo cáo": dt.date(2026, 11, 15)}},
                  {}, tmp_path / "f.xlsx")
    monkeypatch.setenv("DONDOC_LIMIT_PLAN_LOCK_SECONDS", "3")
    held, release = threading.Event(), threading.Event()

    def hold(seconds: float) -> None:
        with writing(plan):
            held.set()
            release.wait(seconds)

    before = snapshot(plan)
    other = threading.Thread(target=hold, args=(30,))
    other.start()
    held.wait(10)
    try:
        result = run("intake", "read", filled, "--plan", plan)
    finally:
        release.set()
        other.join()
    assert result.exit_code == 4 and "một lần chạy dondoc khác đang ghi" in result.output, result.output
    assert snapshot(plan) == before
    held.clear()
    release.clear()
    other = threading.Thread(target=hold, args=(1,))  # given back within the bound: waited for
    other.start()
    held.wait(10)
    result = run("intake", "read", filled, "--plan", plan)
    other.join()
    assert result.exit_code == 0 and intake_race.reports(plan) == {"1", "2"}, result.output
