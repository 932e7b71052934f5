"""Derived values: reductions against the baseline.

(The tracking classes of tasks used to be computed here for the notices' counts; the
notices now count only what the rules found: tests/test_notices.py.)
"""

from __future__ import annotations

import pytest

from dondoc.facts import derive
from dondoc.facts.derive import reduction


@pytest.mark.parametrize(
    "baseline, current, cut",
    [(20, 12, 40.0), (15, 10, 33.33), (2, 1, 50.0), (400000, 400000, 0.0), (5, 6, -20.0), (0, 0, 100.0), (0, 5, -100.0), (None, 3, None), (3, None, None)],
)
def test_reduction_against_the_baseline(baseline, current, cut):
    assert reduction(baseline, current) == cut


def test_no_second_policy_classifies_tasks_in_python():
    # The status classes were a second policy beside the rules; only the rules classify.
    for name in ("STATUS_CLASSES", "status_class", "task_counts"):
        assert not hasattr(derive, name), name
