"""Reading plan folders: libyaml's C composer against PyYAML's pure-Python one, side by side.

    .venv/bin/python -m bench.reading              # 1,000 folders copied from examples/
    .venv/bin/python -m bench.reading --plans 3321

`bench_reading(plans)` returns the figures, for `make bench` (bench/__main__.py) to call. Both
runs read the same folders with the same walker and validation; only the YAML composer differs.
Times are CPU seconds of this process (time.process_time: user and system), so that other jobs on
a shared machine do not blur the ratio; absolute figures still vary between machines.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import tempfile
import time
from pathlib import Path
from typing import Iterator

import yaml

from dondoc.facts import yamlio
from dondoc.facts.planfolder import read_plan_folder

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


class _PurePythonLoader(yaml.SafeLoader):
    """What plan.yaml was read with before: PyYAML's Python scanner, parser and composer."""


_PurePythonLoader.yaml_implicit_resolvers = yamlio._Loader.yaml_implicit_resolvers


@contextlib.contextmanager
def pure_python_yaml() -> Iterator[None]:
    fast = yamlio._Loader
    yamlio._Loader = _PurePythonLoader
    try:
        yield
    finally:
        yamlio._Loader = fast


def make_folders(root: Path, plans: int) -> list[Path]:
    """``plans`` plan folders, copies of the examples in turn."""
    examples = sorted(p for p in EXAMPLES.iterdir() if (p / "plan.yaml").is_file())
    folders = []
    for i in range(plans):
        folder = root / f"{i:05d}-{examples[i % len(examples)].name}"
        shutil.copytree(examples[i % len(examples)], folder)
        folders.append(folder)
    return folders


def _read_all(folders: list[Path]) -> float:
    start = time.process_time()
    for folder in folders:
        read_plan_folder(folder)
    return time.process_time() - start


def bench_reading(plans: int = 1000) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        folders = make_folders(Path(tmp), plans)
        _read_all(folders[:20])  # warm the page cache and imports
        fast = _read_all(folders)
        with pure_python_yaml():
            slow = _read_all(folders)
        with yamlio_only() as only:
            yaml_fast = only(folders, fast=True)
            yaml_slow = only(folders, fast=False)
    figures = {
        "plans": plans,
        "read_c_s": round(fast, 3),
        "read_python_s": round(slow, 3),
        "read_speedup": round(slow / fast, 2),
        "yaml_c_ms_per_plan": round(1000 * yaml_fast / plans, 3),
        "yaml_python_ms_per_plan": round(1000 * yaml_slow / plans, 3),
        "plans_per_s": round(plans / fast, 1),
    }
    print(
        f"reading {plans} plan folders: libyaml {fast:.2f} s ({plans / fast:,.0f} plans/s), "
        f"pure Python {slow:.2f} s: {slow / fast:.1f}x faster; "
        f"plan.yaml alone {figures['yaml_c_ms_per_plan']:.2f} ms against {figures['yaml_python_ms_per_plan']:.2f} ms per plan"
    )
    return figures


@contextlib.contextmanager
def yamlio_only():
    """Time load_yaml alone (parse and walk, no validation) on each folder's plan.yaml."""

    def run(folders: list[Path], fast: bool) -> float:
        context = contextlib.nullcontext() if fast else pure_python_yaml()
        with context:
            start = time.process_time()
            for folder in folders:
                yamlio.load_yaml(folder / "plan.yaml")
            return time.process_time() - start

    yield run


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=1000)
    bench_reading(parser.parse_args().plans)
