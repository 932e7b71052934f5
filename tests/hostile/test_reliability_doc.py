"""docs/reliability.md says what the code does: its table of bounds is limits.LIMITS, its table of
exit statuses is errors.EXIT_STATUSES."""

from __future__ import annotations

from pathlib import Path

from dondoc import limits
from dondoc.errors import EXIT_STATUSES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "reliability.md").read_text(encoding="utf-8")


def test_every_bound_is_documented_with_its_default():
    for spec in limits.LIMITS.values():
        assert f"| `{spec.env}` | {limits.number(spec.default)} {spec.unit} | {spec.meaning} |" in DOC, spec.env
    documented = {line.split("`")[1] for line in DOC.splitlines() if line.startswith("| `DONDOC_LIMIT_")}
    assert documented == {spec.env for spec in limits.LIMITS.values()}


def test_every_exit_status_is_documented():
    for code, meaning in EXIT_STATUSES.items():
        assert f"| {code} | {meaning} |" in DOC, code
