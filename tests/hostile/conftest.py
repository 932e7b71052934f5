"""The fuzz suite's budget and its count of inputs.

Profiles (choose with DONDOC_FUZZ=<name>):
    default   derandomized, about a minute on a shared 2-core machine: what `make test` and CI run
    random    the same budget with fresh random seeds (a failure prints the input to add to corpus/)
    long      random seeds and 20x the examples, for a night on a spare machine
"""

from __future__ import annotations

import os
from collections import Counter

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
