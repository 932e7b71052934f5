"""`python -m bench.store`: a national night's findings recorded in the store, on SQLite.

    .venv/bin/python -m bench.store                 # 3,321 plans (the national tree of bench/generate.py)
    .venv/bin/python -m bench.store --plans 330

1. The plans (bench/generate.py, cached in out/bench/) checked once by ``dondoc check`` as
   bench/national.py does (HTML letters, no summaries): its wall time is the night without a
   store, and its findings.json what the store records.
2. Each finding becomes an observation keyed as the night keys it (rule, plan, subject, unit),
   each plan's rules all ran, and each (plan, unit) gets one draft letter carrying its findings.
3. Measured in this process, on a new SQLite store: the first night (its history read, every
   plan observed, the drafts, ``finish``), the next night (the day after, the same findings:
   the history from the kept state, one step per finding), and a re-run of that date (the fold).

It prints a table and writes out/bench/store.json. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.generate import AS_OF, DEFAULT_SEED, NATIONAL, ROOT, generate, plan_folders
from bench.national import machine, night
from dondoc.engine.rulebook import load_book
from dondoc.store.records import Draft, Observation
from dondoc.store.store import Store


def nightly_input(findings_json: Path, as_of: dt.date) -> tuple[dict[str, list[Observation]], list[Draft]]:
    """The findings of a check as the night would give them to the store."""
    by_plan: dict[str, list[Observation]] = defaultdict(list)
    for f in json.loads(findings_json.read_text(encoding="utf-8")):
        plan = Path(f["plan_path"]).name or f["plan"]
        key = "|".join((f["rule"], plan, f["subject"], f["unit"]))
        by_plan[plan].append(Observation(key, f["rule"], f["subject"], f["unit"], f["severity"], f.get("values") or None))
    drafts = []
    for plan, observations in by_plan.items():
        units: dict[str, list[Observation]] = defaultdict(list)
        for o in observations:
            units[o.unit].append(o)
        for unit, found in units.items():
            drafts.append(Draft(
                plan_key=plan, issuer=f"UBND {plan}", year=as_of.year, symbol="UBND-VP", addressees=[unit or "Văn phòng"],
                unit_keys=[unit], content_hash=str(hash(tuple(sorted(o.key for o in found)))),
                findings={o.key: o.severity for o in found}, items={(plan, o.subject, o.unit): 0 for o in found},
                check_date=as_of, files=[f"notices/{plan}/{unit}.html"], payload={"plan": plan, "unit": unit},
            ))
    return by_plan, drafts


def record(store: Store, as_of: dt.date, by_plan, drafts, rules: list[str]) -> dict[str, float]:
    """One night into the store: wall seconds of its history read, its finish, the whole; and
    the CPU seconds of the whole (this process: the machine is shared, the CPU time is what the
    night costs)."""
    times = {}
    start, cpu = time.perf_counter(), time.process_time()
    with store.night(as_of, version="bench", rulebook_hash="bench") as n:
        n.history(list(by_plan))
        times["history_s"] = time.perf_counter() - start
        for plan, observations in by_plan.items():
            n.observe(plan, observations, rules)
        for draft in drafts:
            n.draft(draft if draft.check_date == as_of else Draft(**{**draft.__dict__, "check_date": as_of}))
        mark = time.perf_counter()
        n.finish(0, {"findings": sum(len(o) for o in by_plan.values())})
        times["finish_s"] = time.perf_counter() - mark
    times["total_s"] = time.perf_counter() - start
    times["cpu_s"] = time.process_time() - cpu
    return {k: round(v, 2) for k, v in times.items()}


def bench(plans: int, seed: int, out: Path) -> dict[str, Any]:
    folders = plan_folders(generate(out, plans, seed))
    checked = night(folders, out / f"store-night-{plans}")
    by_plan, drafts = nightly_input(out / f"store-night-{plans}" / "findings.json", AS_OF)
    rules = [rule.id for rule in load_book([], strict=True).rules]
    result: dict[str, Any] = {
        "plans": plans,
        "findings": sum(len(o) for o in by_plan.values()),
        "plans_with_findings": len(by_plan),
        "letters": len(drafts),
        "check_wall_s": checked["wall_s"],
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "so-dang-ky.sqlite"
        with Store.open(path) as store:
            nxt = AS_OF + dt.timedelta(days=1)
            result["first_night"] = record(store, AS_OF, by_plan, drafts, rules)
            result["next_night"] = record(store, nxt, by_plan, drafts, rules)
            result["rerun_of_a_date"] = record(store, nxt, by_plan, drafts, rules)
        result["store_mb"] = round(path.stat().st_size / 2**20, 1)
    worst = max(result[k]["total_s"] for k in ("first_night", "next_night"))
    result["night_with_store_vs_without"] = round((checked["wall_s"] + worst) / checked["wall_s"], 2)
    result["machine"] = machine()
    result["taken"] = dt.datetime.now().isoformat(timespec="seconds")
    return result


def table(result: dict[str, Any]) -> str:
    rows = [
        f"{result['plans']} plans, {result['findings']} findings, {result['letters']} draft letters; dondoc check: {result['check_wall_s']} s",
        f"{'':18} {'history':>8} {'finish':>8} {'total':>8} {'cpu':>8}",
    ]
    for name in ("first_night", "next_night", "rerun_of_a_date"):
        t = result[name]
        rows.append(f"{name:18} {t['history_s']:8.2f} {t['finish_s']:8.2f} {t['total_s']:8.2f} {t['cpu_s']:8.2f}")
    rows.append(f"store after three nights: {result['store_mb']} MB; a night with the store / without: {result['night_with_store_vs_without']}x")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m bench.store", description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=NATIONAL)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench")
    args = parser.parse_args(argv)
    result = bench(args.plans, args.seed, args.out)
    print(table(result))
    from dondoc.files import replace_file

    path = args.out / "store.json"
    replace_file(path, json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(f"\n{path}")
    return result


if __name__ == "__main__":
    main()
