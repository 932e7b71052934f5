"""Two `dondoc intake read` at once on one plan folder: does either lose the other's row?

    python -m tests.hostile.intake_race 200      # the 200 paired trials of issue 21 (a few minutes)

Each trial copies the Gia Lộc plan, fills two units' workbooks (one report each, on different
tasks), starts both `intake read` as two processes at the same instant and, when both are done,
counts the reports in progress.csv. Before the plan folder's lock (facts/planfolder.py
``writing``), 3 of 40 trials lost a unit's row. tests/hostile/test_plan_writers.py runs a few
trials in `make test`.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.test_intake import EXAMPLE, fill, run

UNITS = {"Phòng Kinh tế xã": "1", "Trung tâm Phục vụ hành chính công xã": "3"}


def prepare(root: Path) -> tuple[Path, list[Path]]:
    """A plan folder and one filled workbook per unit of UNITS."""
    plan = root / "plan"
    plan.mkdir(parents=True)
    shutil.copy(EXAMPLE / "plan.yaml", plan / "plan.yaml")
    books = root / "books"
    assert run("intake", "template", plan, "--out", books).exit_code == 0
    filled = []
    for i, (unit, task) in enumerate(UNITS.items()):
        report = {"Tình trạng": "đang thực hiện", "Ngày báo cáo": dt.date(2026, 11, 10 + i)}
        filled.append(fill(books / f"{unit}.xlsx", {task: report}, {}, root / f"filled-{i}.xlsx"))
    return plan, filled


def reports(plan: Path) -> set[str]:
    path = plan / "progress.csv"
    lines = path.read_text(encoding="utf-8").splitlines()[1:] if path.exists() else []
    return {line.split(",")[0] for line in lines}


def trial(root: Path, template: tuple[Path, list[Path]]) -> tuple[bool, str]:
    """One pair at once; (no row lost, what the two said)."""
    plan = root / "plan"
    shutil.copytree(template[0], plan)
    command = [sys.executable, "-m", "dondoc.cli", "intake", "read"]
    procs = [
        subprocess.Popen([*command, str(book), "--plan", str(plan)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for book in template[1]
    ]
    said = [p.communicate(timeout=300)[0].decode("utf-8", "replace") for p in procs]
    codes = [p.returncode for p in procs]
    ok = codes == [0, 0] and reports(plan) == set(UNITS.values())
    return ok, f"exit {codes}, rows {sorted(reports(plan))}: {' | '.join(said)}"


def trials(n: int, root: Path) -> list[str]:
    """Run ``n`` paired trials under ``root``; the failures, described."""
    template = prepare(root / "template")
    failures = []
    for i in range(n):
        where = root / f"trial-{i}"
        where.mkdir()
        ok, said = trial(where, template)
        if not ok:
            failures.append(f"trial {i}: {said}")
        shutil.rmtree(where)
    return failures


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="dondoc-race-") as tmp:
        failures = trials(n, Path(tmp))
    for failure in failures:
        print(failure)
    print(f"{n} paired trials of two `intake read` at once: {n - len(failures)} kept both rows, "
          f"{len(failures)} lost one ({time.monotonic() - started:.0f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
