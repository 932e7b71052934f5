"""A store of several nights of the example plans, filled through the store's own API as the
night gives it (findings of the shipped rules, each plan's measures, a draft letter per plan
and unit), for the dashboard's tests and its demo (`make dashboard-demo`).

    python -m tests.dashkit STORE.sqlite [--nights 6]

Each night checks the plans with the night's own driver (night.evaluate) on its date; a
finding's key is rule, plan, subject and unit, as the night makes it.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Sequence

from dondoc.engine.rulebook import in_force, load_book
from dondoc.facts.planfolder import read_plan_folder
from dondoc.night.night import evaluate
from dondoc.night.plans import plan_slug
from dondoc.store import measures
from dondoc.store.records import Draft, Observation
from dondoc.store.store import Store
from dondoc.text import ascii_slug

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [ROOT / "examples" / name for name in ("gia-loc-2026", "quyet-thang-2026", "an-bien-2026")]
FIRST = dt.date(2026, 10, 26)  # weekly nights up to the demo's date, 22/11/2026 (a Sunday: the night before a Monday)
STEP = dt.timedelta(days=7)


def province_plans(out: Path, n: int = 12, province: str = "Hải Phòng") -> list[Path]:
    """``n`` plans of one province from the bench's generator (bench/generate.py: seeded, every
    category of target, "03 giảm" procedures), written through files.py into ``out``."""
    from bench.generate import DEFAULT_SEED, generate_plan
    from dondoc.files import replace_folder

    chosen, index = [], 0
    while len(chosen) < n:
        folder, files = generate_plan(DEFAULT_SEED, index)
        if folder.startswith(ascii_slug(province) + "/"):
            chosen.append((folder, files))
        index += 1
    with replace_folder(out) as staging:
        for folder, files in chosen:
            for name, text in files.items():
                staging.write_text(f"{folder}/{name}", text)
    return [out / folder for folder, _ in chosen]


def nights(n: int, last: dt.date = dt.date(2026, 11, 22)) -> list[dt.date]:
    return [last - STEP * (n - 1 - i) for i in range(n)]


def fill(store: Store, days: Sequence[dt.date], folders: Sequence[Path] = tuple(EXAMPLES), *, sign_first: bool = True) -> dict:
    """Record one night per day; returns {day: {plan key: [findings]}} of what was recorded."""
    read = [read_plan_folder(f) for f in folders]
    keys = {f.path: plan_slug(f) for f in read}
    rules = load_book().rules
    recorded = {}
    for day in days:
        findings, _ = evaluate(read, rules, day)
        running = sorted({r.id for r in in_force(rules, day)})
        by_plan = defaultdict(list)
        for f in findings:
            by_plan[keys[f.plan_path]].append(f)
        with store.night(day, version="test", rulebook_hash="shipped", settings={k: "" for k in keys.values()}) as n:
            n.history(list(keys.values()))
            for folder in read:
                plan = keys[folder.path]
                observations = {}
                for f in by_plan[plan]:
                    key = "|".join((f.rule, plan, f.subject, f.unit))
                    observations[key] = Observation(key, f.rule, f.subject, f.unit, f.severity, f.values or None)
                n.observe(plan, observations.values(), running, measures=measures.of_plan(folder, day))
                units = defaultdict(list)
                for o in observations.values():
                    units[o.unit].append(o)
                for unit, found in sorted(units.items()):
                    n.draft(Draft(
                        plan_key=plan, issuer=folder.plan.issuer, year=day.year, symbol="UBND-VP",
                        addressees=[unit or "Văn phòng"], unit_keys=[unit], content_hash="|".join(sorted(o.key for o in found)),
                        findings={o.key: o.severity for o in found}, items={(plan, o.subject, o.unit): 0 for o in found},
                        check_date=day, files=[f"notices/{plan}/{unit or 'chung'}.docx"], payload={},
                        subject=f"Công văn V/v đôn đốc thực hiện Kế hoạch số {folder.plan.number}",
                    ))
            done = n.finish(0, {"findings": len(findings)})
        recorded[day] = dict(by_plan)
        if sign_first and day == days[0] and done.letters:
            store.sign(done.letters[0], "Nguyễn Văn A", day + dt.timedelta(days=1))
            store.mark_sent(done.letters[0], day + dt.timedelta(days=2))
    return recorded


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.dashkit", description=__doc__.split("\n\n")[0])
    parser.add_argument("store")
    parser.add_argument("--nights", type=int, default=5)
    parser.add_argument("--province-plans", type=int, default=12, help="plans of one province from bench/generate.py, beside the examples")
    args = parser.parse_args(argv)
    folders = list(EXAMPLES)
    if args.province_plans:
        folders += province_plans(Path(args.store).resolve().parent / "ke-hoach-tinh", args.province_plans)
    with Store.open(args.store) as store:
        fill(store, nights(args.nights), folders)
    print(args.store)


if __name__ == "__main__":
    main()
