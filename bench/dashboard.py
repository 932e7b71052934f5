"""`python -m bench.dashboard`: the dashboard of the national bench, 3,321 communes over 30 nights.

    .venv/bin/python -m bench.dashboard                 # 3,321 plans, 30 nights
    .venv/bin/python -m bench.dashboard --plans 330 --nights 10

1. The plans (bench/generate.py) checked once by ``dondoc check`` as bench/national.py does (the
   findings.json of bench/store.py is reused when there), and each plan's measures on the check
   date (store/measures.py ``of_plan``, from the same facts the rules read).
2. ``--nights`` nights, ending on the check date, recorded into a new SQLite store through the
   store's own API: each finding appears on a night drawn for it (most on the first), a fifth of
   them are resolved on a later night, a third of those at "nhắc nhở" rise to "cảnh báo" after
   two weeks; each measured target drifts night by night (a random walk around its
   measurement); every seventh night drafts a letter per plan and unit. Seeded; the store is
   kept in out/bench/ and made again only when missing (``--fresh``).
3. Measured: ``dondoc dashboard --store ... --out ...`` as a command (wall and CPU seconds of its
   process), the pages, the largest, the site's size.

It prints a table and writes out/bench/dashboard.json. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import shutil
import subprocess
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.generate import AS_OF, DEFAULT_SEED, NATIONAL, ROOT, generate, plan_folders
from bench.national import dondoc_command, machine, night
from bench.store import nightly_input
from dondoc.engine.rulebook import load_book
from dondoc.facts.planfolder import read_plan_folder
from dondoc.files import replace_file
from dondoc.store import measures as M
from dondoc.store.records import Draft, Observation
from dondoc.store.store import Store

NIGHTS = 30
LIMIT_S = 60  # the issue's: the whole site in under a minute
PAGE_LIMIT = 2**20  # and every page under 1 MB


def _findings(folders: list[Path], out: Path, plans: int) -> Path:
    kept = out / f"store-night-{plans}" / "findings.json"  # bench/store.py's check of the same tree
    if kept.is_file():
        return kept
    night(folders, out / f"dashboard-night-{plans}")
    return out / f"dashboard-night-{plans}" / "findings.json"


def make_store(path: Path, folders: list[Path], findings_json: Path, nights: int, seed: int) -> dict[str, Any]:
    """The nights into a new store at ``path``; returns how long it took and what went in."""
    rng = random.Random(f"dondoc-bench-dashboard:{seed}")
    by_plan, _ = nightly_input(findings_json, AS_OF)
    days = [AS_OF - dt.timedelta(days=nights - 1 - i) for i in range(nights)]
    rules = sorted(rule.id for rule in load_book([], strict=True).rules)
    base: dict[str, dict[str, Any]] = {}
    for folder in folders:
        base[folder.name] = M.of_plan(read_plan_folder(folder), AS_OF)  # the plan key bench/store.py gives
    # each finding's life: (first night, night it is resolved or None, night it rises or None)
    life: dict[str, tuple[int, int | None, int | None]] = {}
    for observations in by_plan.values():
        for o in observations:
            start = 0 if rng.random() < 0.6 else rng.randrange(nights)
            end = rng.randrange(start + 1, nights + 1) if rng.random() < 0.2 else None
            rise = start + 14 if o.severity == "nhắc nhở" and rng.random() < 0.33 else None
            life[o.key] = (start, end if end is not None and end < nights else None, rise)
    slopes = {(p, s): rng.uniform(-0.15, 0.15) for p, m in base.items() for s in m if s.startswith("target:")}
    started = time.perf_counter()
    counted = 0
    with Store.open(path) as store:
        for k, day in enumerate(days):
            with store.night(day, version="bench", rulebook_hash="bench") as n:
                n.history(list(base))
                drafts = []
                for plan, measures in base.items():
                    seen = []
                    for o in by_plan.get(plan, ()):
                        start, end, rise = life[o.key]
                        if start <= k and (end is None or k < end):
                            severity = "cảnh báo" if rise is not None and k >= rise else o.severity
                            seen.append(o if severity == o.severity else Observation(o.key, o.rule, o.subject, o.unit, severity, o.values))
                    counted += len(seen)
                    tonight = {}
                    for subject, value in measures.items():
                        if subject.startswith("target:") and isinstance(value, dict) and value.get("actual") is not None:
                            drift = slopes[(plan, subject)] * (k - nights + 1)
                            value = {**value, "actual": round(value["actual"] + drift, 2)}
                        tonight[subject] = value
                    n.observe(plan, seen, rules, measures=tonight)
                    if k % 7 == 6 or k == nights - 1:
                        units: dict[str, list[Observation]] = defaultdict(list)
                        for o in seen:
                            units[o.unit].append(o)
                        for unit, found in units.items():
                            drafts.append(Draft(
                                plan_key=plan, issuer=f"UBND {plan}", year=day.year, symbol="UBND-VP", addressees=[unit or "Văn phòng"],
                                unit_keys=[unit], content_hash="|".join(sorted(o.key for o in found)),
                                findings={o.key: o.severity for o in found}, items={(plan, o.subject, o.unit): 0 for o in found},
                                check_date=day, files=[f"notices/{plan}/{unit or 'chung'}.html"], payload={},
                            ))
                for draft in drafts:
                    n.draft(draft)
                n.finish(0, {"findings": counted})
            print(f"  night {k + 1}/{nights} ({day}) recorded", flush=True)
    return {"store_s": round(time.perf_counter() - started, 1), "observations": counted}


def build_site(store: Path, site: Path) -> dict[str, Any]:
    """``dondoc dashboard`` as a command: wall and CPU seconds of its process."""
    if site.exists():
        shutil.rmtree(site)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([*dondoc_command(), "dashboard", "--store", str(store), "--out", str(site)], capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"dondoc dashboard failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    pages = [(p, p.stat().st_size) for p in site.rglob("*.html")]
    largest = max(pages, key=lambda x: x[1])
    assets = {p.name: p.stat().st_size for p in (site / "assets").iterdir()}
    kinds: dict[str, list[int]] = defaultdict(list)
    for p, size in pages:
        kinds[p.relative_to(site).parts[0] if p.parent != site else "index"].append(size)
    return {
        "build_wall_s": round(wall, 1),
        "build_cpu_s": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 1),
        "pages": len(pages),
        "largest_page": str(largest[0].relative_to(site)),
        "largest_page_kb": round(largest[1] / 1024, 1),
        "pages_over_1mb": sum(1 for _, s in pages if s >= PAGE_LIMIT),
        "median_page_kb": {k: round(sorted(v)[len(v) // 2] / 1024, 1) for k, v in sorted(kinds.items())},
        "site_mb": round(sum(s for _, s in pages) / 2**20 + sum(p.stat().st_size for p in site.rglob("*") if p.is_file() and p.suffix != ".html") / 2**20, 1),
        "assets_kb": {k: round(v / 1024, 1) for k, v in sorted(assets.items())},
    }


def bench(plans: int, nights: int, seed: int, out: Path, fresh: bool) -> dict[str, Any]:
    folders = plan_folders(generate(out, plans, seed))
    store = out / f"dashboard-store-n{plans}-{nights}nights-seed{seed}.sqlite"
    result: dict[str, Any] = {"plans": plans, "nights": nights}
    if fresh or not store.is_file():
        partial = store.with_suffix(".partial")
        for leftover in (partial, partial.with_name(partial.name + "-journal")):
            leftover.unlink(missing_ok=True)
        result.update(make_store(partial, folders, _findings(folders, out, plans), nights, seed))
        partial.rename(store)
    result["store_mb"] = round(store.stat().st_size / 2**20, 1)
    result.update(build_site(store, out / f"dashboard-site-{plans}"))
    result["under_a_minute"] = result["build_wall_s"] < LIMIT_S
    result["machine"] = machine()
    result["taken"] = dt.datetime.now().isoformat(timespec="seconds")
    return result


def table(r: dict[str, Any]) -> str:
    return "\n".join([
        f"dashboard of {r['plans']} plans over {r['nights']} nights (store {r['store_mb']} MB)",
        f"  dondoc dashboard: {r['build_wall_s']} s wall, {r['build_cpu_s']} s CPU"
        f" ({'under' if r['under_a_minute'] else 'OVER'} a minute; load {r['machine']['load_avg_1m']:.1f})",
        f"  {r['pages']} pages; largest {r['largest_page']} {r['largest_page_kb']} KB; over 1 MB: {r['pages_over_1mb']}",
        f"  median page (KB): {r['median_page_kb']}; shared assets (KB): {r['assets_kb']}; site {r['site_mb']} MB",
    ])


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard", description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=NATIONAL)
    parser.add_argument("--nights", type=int, default=NIGHTS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench")
    parser.add_argument("--fresh", action="store_true", help="make the store again")
    args = parser.parse_args(argv)
    result = bench(args.plans, args.nights, args.seed, args.out, args.fresh)
    print(table(result))
    path = args.out / "dashboard.json"
    replace_file(path, json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(f"\n{path}")
    return result


if __name__ == "__main__":
    main()
