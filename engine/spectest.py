"""`dondoc rules test`: run the Vietnamese specs (features/) and report per rule.

The specs are ordinary pytest-bdd tests (tests/test_features.py); this runs
them through pytest and tallies the scenarios by feature file, one per rule.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
FEATURES = ROOT / "features"


class _Tally:
    """A pytest plugin: keeps the chosen feature files' scenarios and counts their results."""

    def __init__(self, chosen: set[Path]) -> None:
        self.chosen = chosen
        self.feature_of: dict[str, str] = {}
        self.results: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"passed": [], "failed": []})

    def pytest_collection_modifyitems(self, config, items) -> None:
        from pytest_bdd.scenario import scenario_wrapper_template_registry as registry

        keep, drop = [], []
        for item in items:
            template = registry.get(getattr(item, "function", None))
            if template is None:
                drop.append(item)
                continue
            path = Path(template.feature.filename).resolve()
            if self.chosen and path not in self.chosen:
                drop.append(item)
                continue
            self.feature_of[item.nodeid] = path.stem
            keep.append(item)
        if drop:
            config.hook.pytest_deselected(items=drop)
        items[:] = keep

    def pytest_runtest_logreport(self, report) -> None:
        feature = self.feature_of.get(report.nodeid)
        if feature is None:
            return
        if report.failed:
            self.results[feature]["failed"].append(report.nodeid.split("::")[-1])
        elif report.when == "call" and report.passed:
            self.results[feature]["passed"].append(report.nodeid)


def run_specs(features: list[Path], echo: Callable[[str], None]) -> int:
    """Run the specs; print passed/failed per rule; return pytest's exit status."""
    import pytest

    missing = [f for f in features if not Path(f).is_file()]
    if missing:
        echo(f"lỗi: không có tệp kịch bản {', '.join(map(str, missing))}")
        return 2
    tally = _Tally({Path(f).resolve() for f in features})
    status = pytest.main(
        [str(ROOT / "tests" / "test_features.py"), "-q", "-p", "no:cacheprovider", f"--rootdir={ROOT}"],
        plugins=[tally],
    )
    echo("\nKết quả theo quy tắc (đạt / không đạt):")
    for feature, result in sorted(tally.results.items()):
        mark = "✓" if not result["failed"] else "✗"
        echo(f"  {mark} {feature:40} {len(result['passed']):3d} / {len(result['failed'])}")
        for name in result["failed"]:
            echo(f"      không đạt: {name}")
    return int(status)
