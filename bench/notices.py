"""Notices per second, per format, over worker processes: the demo's letters rendered again and again.

    .venv/bin/python -m bench.notices --letters 240 --workers 2

``bench_notices`` is the function ``make bench`` calls. It prints, and returns, the
letters per second on the wall clock with ``workers`` processes, and the CPU seconds
one letter costs (steadier than the wall clock on a shared machine: divide the cores
by it for the rate a quiet machine gives). Nothing is asserted about time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
RUNS = (
    (("gia-loc-2026", "quyet-thang-2026", "an-bien-2026"), dt.date(2026, 11, 22)),
    (("gia-phuc-2025",), dt.date(2025, 11, 22)),
)

_NOTICES: list = []


def demo_notices() -> list:
    """The demo's letters (12, from one to four pages), built from a real check."""
    from dondoc.engine.rulebook import load_rules
    from dondoc.night import evaluate as check
    from dondoc.facts.planfolder import read_plan_folder
    from dondoc.facts.settings import settings_for
    from dondoc.night.plan import build_letters

    notices = []
    rules = load_rules()
    for plans, as_of in RUNS:
        folders = [read_plan_folder(EXAMPLES / p) for p in plans]
        findings, _ = check(folders, rules, as_of)
        for folder in folders:
            mine = [f for f in findings if f.plan_path == folder.path]
            notices += [letter.notice for letter in build_letters(folder, mine, as_of, settings_for(folder.path))[1]]
    return notices


def _start(notices: list, fmt: str) -> None:
    from dondoc.templates.notices import render

    _NOTICES[:] = notices
    for notice in notices[:2]:  # load fonts, parse templates: not part of the rate
        render(notice, fmt)


def _render(job: tuple[str, list[int]]) -> tuple[int, float]:
    from dondoc.templates.notices import render

    fmt, indexes = job
    start = time.process_time()
    size = sum(len(render(_NOTICES[i % len(_NOTICES)], fmt)) for i in indexes)
    return size, time.process_time() - start


def bench_notices(letters: int = 240, workers: int = 2, formats=("html", "docx", "pdf")) -> dict[str, dict[str, float]]:
    """Render ``letters`` letters in each format over ``workers`` processes; the rates per format."""
    notices = demo_notices()
    results: dict[str, dict[str, float]] = {}
    for fmt in formats:
        count = letters if fmt != "pdf" else max(workers, letters // 4)
        chunks = [(fmt, list(range(i, count, workers * 4))) for i in range(workers * 4)]
        with ProcessPoolExecutor(workers, initializer=_start, initargs=(notices, fmt)) as pool:
            list(pool.map(_render, [(fmt, [0])] * workers))  # every worker up and warm
            start = time.perf_counter()
            done = list(pool.map(_render, chunks))
            wall = time.perf_counter() - start
        cpu = sum(c for _, c in done)
        results[fmt] = {
            "letters": count,
            "per_s": round(count / wall, 1),
            "cpu_s_per_letter": round(cpu / count, 4),
            "kb_per_letter": round(sum(s for s, _ in done) / count / 1024, 1),
        }
        r = results[fmt]
        print(
            f"notices {fmt:4}: {count} letters, {workers} workers, {r['per_s']:,.1f}/s"
            f" ({r['cpu_s_per_letter'] * 1000:.1f} ms CPU a letter: {workers / r['cpu_s_per_letter']:,.0f}/s on"
            f" {workers} idle cores), {r['kb_per_letter']} KB a letter"
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.notices")
    parser.add_argument("--letters", type=int, default=240)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--formats", default="html,docx,pdf")
    args = parser.parse_args()
    bench_notices(args.letters, args.workers, tuple(args.formats.split(",")))


if __name__ == "__main__":
    main()
