"""The fuzz suite's budget and its count of inputs.

Profiles (choose with DONDOC_FUZZ=<name>):
    default   derandomized, about a minute on a shared 2-core machine: what `make test` and CI run
    random    the same budget with fresh random seeds (a failure prints the input to add to corpus/)
    long      random seeds and 20x the examples, for a night on a spare machine
"""

from __future__ import annotations

import os
from collections import Counter

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

RAN: Counter[str] = Counter()  # inputs run, per target: printed at the end of the test run

_COMMON = dict(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("fuzz-default", derandomize=True, **_COMMON)
settings.register_profile("fuzz-random", derandomize=False, **_COMMON)
settings.register_profile("fuzz-long", derandomize=False, **_COMMON)
PROFILE = os.environ.get("DONDOC_FUZZ", "default")
SCALE = 20 if PROFILE == "long" else 1


def budget(examples: int) -> settings:
    """Settings for one fuzz test: ``examples`` inputs in the default profile."""
    return settings(settings.get_profile(f"fuzz-{PROFILE}"), max_examples=examples * SCALE)


def pytest_terminal_summary(terminalreporter) -> None:
    if RAN:
        total = sum(RAN.values())
        detail = ", ".join(f"{name} {n}" for name, n in sorted(RAN.items()))
        terminalreporter.write_line(f"fuzz ({PROFILE}): {total} inputs: {detail}")


# -- the plan the hostile tests break (base/), and its office's intake workbook -----------------------

BASE = Path(__file__).resolve().parent / "base"
OFFICE = "Văn phòng HĐND và UBND xã"  # leads CT01 (%) and CT02 (tin bài/tháng) of base/


@pytest.fixture
def plan(tmp_path) -> Path:
    """A copy of base/, to break or to write into."""
    folder = tmp_path / "plan"
    shutil.copytree(BASE, folder)
    return folder


@pytest.fixture
def book(plan, tmp_path) -> Path:
    """The office's intake workbook for ``plan``, as `dondoc intake template` writes it."""
    from tests.test_intake import run

    out = tmp_path / "books"
    assert run("intake", "template", plan, "--out", out).exit_code == 0
    return out / f"{OFFICE}.xlsx"
