"""`make bench`: the whole nightly check of a national load, end to end, beside the peers.

    make bench          # 3,321 plans; sizes 100, 330, 1,000, 3,321
    make bench-quick    # the same at small sizes (CI; tests/test_bench.py runs it smaller still)
    .venv/bin/python -m bench.national --plans 3321 --sizes 100,330,1000,3321 --compare-at 330

What it does, in order:

1. Generates the plan folders (bench/generate.py, seeded), or reuses the tree cached in
   out/bench/ under the seed, the number of plans and the generator's own hash.
2. For each size N, runs ``dondoc check <first N plans> --as-of 2026-11-22 --out DIR
   --format html --no-summary`` as users run it: a subprocess, the console script of this
   environment, every plan folder on the command line. Wall time, CPU time, and the peak
   resident memory of the whole process tree (the sum over the command and its workers,
   sampled from /proc every 20 ms: shared pages are counted in each process, so this is an
   upper bound). The documents in Word and PDF (every letter, and each plan's Chairman's
   summary with its charts: ~1 s of CPU a plan) are measured apart, at ``--summary-plans``
   plans, with and without them: ``summary_s_per_plan``, ``night_docx_per_s``,
   ``night_pdf_per_s``. The letters alone, per format over all cores (bench/notices.py, the
   demo's letters rendered again and again): ``docx_per_s``, ``pdf_per_s``.
3. Runs the largest size again with ``--workers 1`` at ``--compare-at`` plans and asserts
   every output file is byte-identical (findings.json, run.json, every notice).
4. The peers (bench/peers.py) on the same facts: every plan's facts as dondoc's engine
   receives them (read and derived by dondoc, over all cores), evaluated by a bare
   durable-rules loop (one process, CPU seconds) and by zen-engine's batch evaluation over
   all cores (wall seconds); and dondoc's own evaluation alone (the adapter and the proof,
   without reading, deriving or writing) over all cores, set up as zen-engine's is. Each
   one's findings per rule must equal dondoc's findings of that rule on the same plans
   (asserted).
5. One plan from a cold start: ``dondoc check ONE_PLAN --as-of ...`` (no --out), the
   median of five.
6. A province's night (issue 16): the same plans again, a third of the communes with their
   own dondoc.yaml, their province's rule pack, days off and some a rule of their own
   (bench/generate.py ``--province``), beside the run without them: ``province_wall_s``,
   ``province_ratio`` (the goal: at most 1.2), and the rule books the night compiled.
   ``--province-only --repeat 3`` runs only this, the two nights taking turns.

It prints a table and writes out/bench/national.json. Nothing here asserts a time: the
figures are measured, not judged (the machine is shared). It does assert the results.

The peers' hook: bench/peers.py (written by "engine") provides ``encoded_plans(checker,
folders)`` (the facts as the engine receives them), ``meanings_and_conditions(checker)``,
``bare_durable(plans, conditions)`` and ``zen_batch(plans, meanings, as_of)`` (each: a
Counter of condition key -> facts it holds for, and the seconds the evaluation took) and
``findings(holding)``. Until bench/peers.py is on the branch, the peers' columns are null
and the bench says so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import resource
import statistics
import subprocess
import tempfile
import sys
import threading
import time
from collections import Counter
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from bench.generate import AS_OF, DEFAULT_SEED, NATIONAL, ROOT, generate, plan_folders
from dondoc.night.workers import default_workers
from dondoc.engine.run import MISSING_SUFFIX as MISSING  # a rule's missing-data condition
from dondoc.engine.run import STEP_MARK as STEP  # a ladder step (not a finding)
from dondoc.engine.run import rule_of

SIZES = (100, 330, 1000, 3321)
PEERS = {"durable_bare": "durable_bare_facts_per_s", "zen": "zen_facts_per_s", "dondoc_workers": "dondoc_evaluation_facts_per_s"}
PAGE = os.sysconf("SC_PAGE_SIZE")


# -- one run of the command, measured ----------------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants, now."""
    tree, total, todo = _children(), 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/statm", "rb") as fh:
                total += int(fh.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
        todo += tree.get(pid, [])
    return total


def dondoc_command() -> list[str]:
    script = Path(sys.executable).parent / "dondoc"
    return [str(script)] if script.exists() else [sys.executable, "-m", "dondoc.cli"]


def run_check(args: list[str], *, sample: bool = True) -> dict[str, Any]:
    """Run ``dondoc check ARGS``; its wall time, exit status and peak memory of its process tree."""
    peak = 0
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen([*dondoc_command(), "check", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    done = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not done.wait(0.02):
            peak = max(peak, tree_rss(proc.pid))

    watcher = threading.Thread(target=watch, daemon=True)
    if sample:
        watcher.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the command and its workers, once reaped
    done.set()
    if sample:
        watcher.join()
    cpu_s = (after.ru_utime - cpu.ru_utime) + (after.ru_stime - cpu.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu_s, "status": proc.returncode, "peak_rss_mb": peak / 2**20, "stdout": stdout.decode(), "stderr": stderr.decode()}


def output_files(folder: Path) -> dict[str, bytes]:
    from dondoc.store.sink import output_tree

    return output_tree(folder)


def night(plans: list[Path], out: Path, workers: int | None = None, summary: bool = False, store: Path | None = None, as_of: dt.date = AS_OF) -> dict[str, Any]:
    """The nightly check of ``plans`` into ``out``, measured, with what it wrote counted."""
    args = [*map(str, plans), "--as-of", as_of.isoformat(), "--out", str(out)]
    if store:
        args += ["--store", str(store)]
    if workers:
        args += ["--workers", str(workers)]
    if not summary:  # the letters in HTML; Word, PDF and the summaries are measured apart
        args += ["--no-summary", "--format", "html"]
    result = run_check(args)
    if result["status"] not in (0, 1):
        raise SystemExit(f"dondoc check failed (exit {result['status']}):\n{result['stderr'][-3000:]}")
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    notices = Counter(p.suffix for p in (out / "notices").rglob("*") if p.is_file())
    reports = Counter(p.suffix for p in (out / "summary").rglob("*") if p.is_file()) if (out / "summary").is_dir() else Counter()
    by_rule = Counter(f["rule"] + (MISSING if f["kind"] == "thieu-du-lieu" else "") for f in json.loads((out / "findings.json").read_text(encoding="utf-8")))
    wall = result["wall_s"]
    return {
        "plans": len(plans),
        "facts": run["facts_in"],
        "findings": run["findings"],
        "findings_by_rule": dict(sorted(by_rule.items())),
        "wall_s": round(wall, 2),
        "cpu_s": round(result["cpu_s"], 2),  # user + system, the command and its workers
        "peak_rss_mb": round(result["peak_rss_mb"], 1),
        "facts_per_s": round(run["facts_in"] / wall),
        "notices": sum(notices.values()),
        "docx": notices[".docx"] + reports[".docx"],
        "pdf": notices[".pdf"] + reports[".pdf"],
    }


def fit(sizes: list[int], walls: list[float]) -> dict[str, Any]:
    """The least-squares line wall = a + b * plans, and whether the cost is linear.

    Linear means each added plan costs the same: the marginal cost of every step between
    two sizes (start-up cancels out) is within 30% of the others. The issue's night
    (6.7, 24, 95, 505 s at 100, 330, 1,000, 3,321 plans) had steps of 0.075, 0.106 and
    0.177 s per plan: not linear.
    """
    n = len(sizes)
    mx, my = sum(sizes) / n, sum(walls) / n
    sxx = sum((x - mx) ** 2 for x in sizes)
    slope = sum((x - mx) * (y - my) for x, y in zip(sizes, walls)) / sxx if sxx else 0.0
    intercept = my - slope * mx
    ss_tot = sum((y - my) ** 2 for y in walls)
    ss_res = sum((y - intercept - slope * x) ** 2 for x, y in zip(sizes, walls))
    steps = [(walls[i + 1] - walls[i]) / (sizes[i + 1] - sizes[i]) for i in range(n - 1)]
    linear = bool(steps) and min(steps) > 0 and max(steps) / min(steps) <= 1.3
    return {
        "slope_s_per_plan": round(slope, 5),
        "intercept_s": round(intercept, 2),
        "r2": round(1 - ss_res / ss_tot, 4) if ss_tot else 1.0,
        "step_s_per_plan": [round(s, 5) for s in steps],
        "linear": linear,
    }


# -- the peers, on the same facts -------------------------------------------------------------



def _encoded(peers_name: str, paths: list[Path]) -> list[list[dict[str, Any]]]:
    """Some plans' facts as the engine receives them (``peers.encoded_plans``), in a worker."""
    from dondoc.engine.rulebook import load_book
    from dondoc.engine.run import Checker
    from dondoc.facts.planfolder import read_plan_folder

    peers = importlib.import_module(peers_name)
    checker = Checker(load_book([]).rules, AS_OF)
    return peers.encoded_plans(checker, [read_plan_folder(p) for p in paths])


def plan_facts(peers_name: str, plans: list[Path]) -> list[list[dict[str, Any]]]:
    """Every plan's facts, read and encoded by dondoc over all cores, in plan order."""
    chunks = [plans[i : i + 32] for i in range(0, len(plans), 32)]
    with get_context("fork").Pool() as pool:
        return [facts for chunk in pool.starmap(_encoded, [(peers_name, c) for c in chunks]) for facts in chunk]


def load_peers(name: str = "bench.peers"):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None


def run_peers(peers, peers_name: str, plans: list[Path], ours: dict[str, int]) -> dict[str, Any]:
    """The bare durable-rules loop and zen-engine's batch (bench/peers.py, by "engine") on the
    plans' facts; each one's findings per condition must be dondoc's (asserted).

    ``ours`` counts dondoc's findings per condition key: the rule id for a violation,
    ``rule#thieu-du-lieu`` for missing data.
    """
    results: dict[str, Any] = {key: None for key in PEERS.values()}
    if peers is None or not hasattr(peers, "bare_durable"):
        return results
    from dondoc.engine.rulebook import load_book
    from dondoc.engine.run import Checker

    start = time.perf_counter()
    facts = plan_facts(peers_name, plans)
    results["peer_facts_read_s"] = round(time.perf_counter() - start, 2)
    count = sum(map(len, facts))
    rules = load_book([]).rules
    meanings, conditions = peers.meanings_and_conditions(Checker(rules, AS_OF))
    runs = {"durable_bare": lambda: peers.bare_durable(facts, conditions)}
    if hasattr(peers, "zen_batch"):
        runs["zen"] = lambda: peers.zen_batch(facts, meanings, AS_OF)
    if hasattr(peers, "dondoc_workers"):  # dondoc's evaluation alone (adapter and proof), both cores
        runs["dondoc_workers"] = lambda: peers.dondoc_workers(rules, AS_OF, facts, default_workers())
    for name, run in runs.items():
        try:
            holding, seconds = run()
        except ImportError as exc:  # zen-engine not installed: pip install '.[bench]'
            results[f"{name}_error"] = str(exc)
            continue
        compare_findings(name, {k: n for k, n in holding.items() if STEP not in k}, ours)
        results[PEERS[name]] = round(count / seconds)
        results[f"{name}_findings"] = peers.findings(holding)
    return results


def compare_findings(peer: str, theirs: dict[str, int], ours: dict[str, int]) -> None:
    """Per condition, for every rule the peer evaluates: the same number of findings."""
    rules = {rule_of(key) for key in theirs}
    keys = set(theirs) | {k for k in ours if rule_of(k) in rules}
    wrong = {k: (theirs.get(k, 0), ours.get(k, 0)) for k in sorted(keys) if theirs.get(k, 0) != ours.get(k, 0)}
    if not theirs or wrong:
        raise AssertionError(f"{peer}: findings per rule differ from dondoc's (peer, dondoc): {wrong or 'no rule counted'}")


# -- the whole bench ----------------------------------------------------------------------------


def cold_start(plan: Path, runs: int) -> float:
    walls = []
    for _ in range(runs):
        result = run_check([str(plan), "--as-of", AS_OF.isoformat()], sample=False)
        if result["status"] not in (0, 1):
            raise SystemExit(f"dondoc check failed:\n{result['stderr'][-2000:]}")
        walls.append(result["wall_s"])
    return round(statistics.median(walls), 3)


def province(plans: int, seed: int, out: Path, plain: dict[str, Any] | None = None, repeat: int = 1) -> dict[str, Any]:
    """The national night with a third of the communes' own settings beside it without them:
    the same plans (two trees), the runs taking turns so that a neighbour's load falls on both.
    Wall and CPU: the medians of ``repeat`` runs each."""
    plain_folders = plan_folders(generate(out, plans, seed))
    local_folders = plan_folders(generate(out, plans, seed, province=True))
    walls: dict[str, list[float]] = {"without": [], "with": []}
    cpus: dict[str, list[float]] = {"without": [], "with": []}
    books = settings = 0
    load = []
    for turn in range(repeat):
        load.append(round(os.getloadavg()[0], 2))
        if plain is None or turn > 0:
            plain = night(plain_folders, out / f"night-{plans}")
        walls["without"].append(plain["wall_s"])
        cpus["without"].append(plain["cpu_s"])
        target = out / f"province-{plans}"
        local = night(local_folders, target)
        walls["with"].append(local["wall_s"])
        cpus["with"].append(local["cpu_s"])
        run = json.loads((target / "run.json").read_text(encoding="utf-8"))
        books = len(run["rule_books"])
        settings = sum(1 for p in run["plans"] if p["settings"])
        print(f"  province night, turn {turn + 1}: {walls['with'][-1]:.2f} s with local settings, {walls['without'][-1]:.2f} s without"
              f" (CPU {cpus['with'][-1]:.1f} s, {cpus['without'][-1]:.1f} s; load {load[-1]})", flush=True)
    wall = {k: statistics.median(v) for k, v in walls.items()}
    cpu = {k: statistics.median(v) for k, v in cpus.items()}
    return {
        "province_plans": plans,
        "province_communes_with_settings": settings,
        "province_rule_books": books,
        "province_wall_s": round(wall["with"], 2),
        "province_without_wall_s": round(wall["without"], 2),
        "province_ratio": round(wall["with"] / wall["without"], 3),
        "province_cpu_ratio": round(cpu["with"] / cpu["without"], 3),
        "province_runs": {k: [round(w, 2) for w in v] for k, v in walls.items()},
        "province_cpu_s": {k: [round(c, 2) for c in v] for k, v in cpus.items()},
        "province_load_1m": load,  # the machine's load before each turn
    }


def stored(plans: int, seed: int, out: Path, plain: dict[str, Any] | None = None, repeat: int = 1) -> dict[str, Any]:
    """The national night recording into a store on SQLite beside the night without one: the
    first night into a new store, then the next day's night into the same store (its history read,
    what changed worked out, the letters only where due). Turns alternate as in ``province``;
    wall: the medians of ``repeat`` turns."""
    folders = plan_folders(generate(out, plans, seed))
    walls: dict[str, list[float]] = {"without": [], "first": [], "next": []}
    cpus: dict[str, list[float]] = {"without": [], "first": [], "next": []}
    rss: dict[str, list[float]] = {"without": [], "first": [], "next": []}
    letters = {}
    for turn in range(repeat):
        if plain is None or turn > 0:
            plain = night(folders, out / f"night-{plans}")
        walls["without"].append(plain["wall_s"])
        cpus["without"].append(plain["cpu_s"])
        rss["without"].append(plain["peak_rss_mb"])
        with tempfile.TemporaryDirectory(dir=out) as tmp:
            store = Path(tmp) / "kho.sqlite"
            for name, day in (("first", AS_OF), ("next", AS_OF + dt.timedelta(days=1))):
                target = out / f"stored-{name}-{plans}"
                done = night(folders, target, store=store, as_of=day)
                walls[name].append(done["wall_s"])
                cpus[name].append(done["cpu_s"])
                rss[name].append(done["peak_rss_mb"])
                letters[name] = done["notices"]
        print(f"  night with the store, turn {turn + 1}: first {walls['first'][-1]:.2f} s, next {walls['next'][-1]:.2f} s,"
              f" without {walls['without'][-1]:.2f} s", flush=True)
    wall = {k: statistics.median(v) for k, v in walls.items()}
    return {
        "store_wall_s": {k: round(v, 2) for k, v in wall.items()},
        "store_ratio": {k: round(wall[k] / wall["without"], 3) for k in ("first", "next")},
        "store_cpu_s": {k: round(statistics.median(v), 2) for k, v in cpus.items()},  # the command and its workers
        "store_peak_rss_mb": {k: max(v) for k, v in rss.items()},  # of the process tree, summed
        "store_letter_files": letters,  # the next night writes letters only where one is due
        "store_runs": {k: [round(w, 2) for w in v] for k, v in walls.items()},
    }


def machine() -> dict[str, Any]:
    model = ""
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    with open("/proc/meminfo") as fh:
        mem = int(fh.readline().split()[1]) / 2**20
    return {"cpu": model, "cores": default_workers(), "memory_gb": round(mem, 1), "load_avg_1m": os.getloadavg()[0]}


def summaries(plans: list[Path], out: Path, without: dict[str, Any] | None) -> dict[str, Any]:
    """The documents in every format on ``plans``: the letters as HTML, DOCX and PDF and the
    Chairman's summaries (HTML, DOCX, PDF, charts), beside the same check with HTML letters
    only; docx/s and pdf/s are the DOCX and PDF files written per second of the difference."""
    without = without or night(plans, out / f"night-{len(plans)}")
    full = night(plans, out / f"night-{len(plans)}-summary", summary=True)
    extra = max(full["wall_s"] - without["wall_s"], 1e-3)
    return {
        "summary_plans": len(plans),
        "summary_wall_s": full["wall_s"],
        "summary_s_per_plan": round(extra / len(plans), 3),
        "night_docx_per_s": round(full["docx"] / extra, 2) if full["docx"] else None,
        "night_pdf_per_s": round(full["pdf"] / extra, 2) if full["pdf"] else None,
    }


def letters_per_format(workers: int, letters: int) -> dict[str, Any]:
    """Letters rendered per second in each format over ``workers`` processes (bench/notices.py,
    the demo's letters): what issue 7 sets the goals on (80 DOCX/s, 20 PDF/s over both cores)."""
    from bench.notices import bench_notices

    rates = bench_notices(letters, workers, ("docx", "pdf"))
    return {
        "docx_per_s": rates["docx"]["per_s"],
        "pdf_per_s": rates["pdf"]["per_s"],
        "docx_cpu_s_per_letter": rates["docx"]["cpu_s_per_letter"],
        "pdf_cpu_s_per_letter": rates["pdf"]["cpu_s_per_letter"],
    }


def bench(plans: int, sizes: list[int], seed: int, out: Path, compare_at: int | None, cold_runs: int, peers_module: str, summary_plans: int = 30, letters: int = 240) -> dict[str, Any]:
    compared = min(compare_at or plans, plans)
    sizes = sorted({min(s, plans) for s in sizes} | {plans, compared})  # the one-process run is compared with its size's run
    root = generate(out, plans, seed)
    folders = plan_folders(root)
    runs = {}
    for size in sizes:
        target = out / f"night-{size}"
        runs[size] = night(folders[:size], target)
        print(f"  {size:5d} plans: {runs[size]['wall_s']:7.2f} s, {runs[size]['peak_rss_mb']:7.1f} MB", flush=True)
    full = runs[plans]
    result = {k: v for k, v in full.items() if k not in ("findings_by_rule", "docx", "pdf")}
    single = out / f"single-{compared}"
    one = night(folders[:compared], single, workers=1)
    same = output_files(single) == output_files(out / f"night-{compared}")
    if not same:
        raise AssertionError(f"the {compared}-plan output with one worker differs from the run with all cores")
    result["identical_to_one_process"] = {"plans": compared, "identical": same, "one_process_wall_s": one["wall_s"]}
    result.update(summaries(folders[: min(summary_plans, plans)], out, runs.get(min(summary_plans, plans))))
    result.update(letters_per_format(default_workers(), letters))
    peers = load_peers(peers_module)
    result["peers"] = peers_module if peers is not None else "not available (bench/peers.py is not on this branch)"
    result.update(run_peers(peers, peers_module, folders[:plans], full["findings_by_rule"]))
    result["cold_single_plan_s"] = cold_start(folders[0], cold_runs)
    result.update(province(plans, seed, out, full))
    result.update(stored(plans, seed, out, full))
    result["sizes"] = {str(s): {k: runs[s][k] for k in ("wall_s", "cpu_s", "peak_rss_mb", "facts")} for s in sizes}
    result["fit"] = fit(sizes, [runs[s]["wall_s"] for s in sizes])
    # CPU seconds are what the plans cost, whatever else runs on a shared machine.
    result["fit_cpu"] = fit(sizes, [runs[s]["cpu_s"] for s in sizes])
    result["seed"] = seed
    result["as_of"] = AS_OF.isoformat()
    result["machine"] = machine()
    result["taken"] = dt.datetime.now().isoformat(timespec="seconds")
    return result


def table(result: dict[str, Any]) -> str:
    rows = [
        ("plans", result["plans"]),
        ("facts", result["facts"]),
        ("findings", result["findings"]),
        ("notices", result["notices"]),
        ("wall (s)", result["wall_s"]),
        ("peak RSS, process tree (MB)", result["peak_rss_mb"]),
        ("dondoc facts/s (end to end)", result["facts_per_s"]),
        ("durable-rules bare loop facts/s, one process (CPU s)", result["durable_bare_facts_per_s"]),
        ("zen-engine batch facts/s, all cores", result["zen_facts_per_s"]),
        ("dondoc evaluation alone (adapter, proof) facts/s, all cores", result.get("dondoc_evaluation_facts_per_s")),
        (f"summaries (s of CPU-wall a plan, at {result['summary_plans']} plans)", result["summary_s_per_plan"]),
        ("letters: docx/s, all cores", result["docx_per_s"]),
        ("letters: pdf/s, all cores", result["pdf_per_s"]),
        ("a night with Word, PDF and summaries: docx/s, pdf/s", f"{result['night_docx_per_s']}, {result['night_pdf_per_s']}"),
        ("one plan, cold start (s)", result["cold_single_plan_s"]),
    ]
    for size, figures in result["sizes"].items():
        rows.append((f"wall / CPU at {size} plans (s)", f"{figures['wall_s']} / {figures['cpu_s']}"))
    for label, f in (("wall", result["fit"]), ("CPU", result["fit_cpu"])):
        rows.append((f"{label}: slope (s per plan)", f"{f['slope_s_per_plan']} (R² {f['r2']})"))
        rows.append((f"{label}: each step (s per plan)", f"{', '.join(map(str, f['step_s_per_plan']))}: {'linear' if f['linear'] else 'NOT linear'}"))
    rows.append((
        f"province night: {result['province_communes_with_settings']} communes with their own settings, {result['province_rule_books']} rule books (s)",
        f"{result['province_wall_s']} with, {result['province_without_wall_s']} without: {result['province_ratio']}x wall, {result['province_cpu_ratio']}x CPU",
    ))
    rows.append((
        "with the store on SQLite: first night, next night (s)",
        f"{result['store_wall_s']['first']}, {result['store_wall_s']['next']} beside {result['store_wall_s']['without']}:"
        f" {result['store_ratio']['first']}x, {result['store_ratio']['next']}x wall",
    ))
    same = result["identical_to_one_process"]
    rows.append((f"identical to one process at {same['plans']} plans", same["identical"]))
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"  {k:{width}}  {'—' if v is None else v}" for k, v in rows)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m bench.national", description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=NATIONAL, help="the largest size (default: 3,321)")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma-separated sizes (default: 100,330,1000,3321)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench")
    parser.add_argument("--compare-at", type=int, help="plans in the one-process comparison (default: all)")
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--summary-plans", type=int, default=30, help="plans checked again with the Chairman's summaries (default: 30)")
    parser.add_argument("--letters", type=int, default=240, help="letters rendered per format for docx/s and pdf/s (PDF: a quarter; default: 240)")
    parser.add_argument("--peers", default="bench.peers", help=argparse.SUPPRESS)
    parser.add_argument("--province-only", action="store_true", help="only the province's night beside the night without local settings, at --plans")
    parser.add_argument("--store-only", action="store_true", help="only the night with the store (first and next night) beside the night without it, at --plans")
    parser.add_argument("--repeat", type=int, default=3, help="with --province-only or --store-only: runs of each night, taking turns (default: 3)")
    args = parser.parse_args(argv)
    if args.province_only:
        print(f"dondoc province night: {args.plans} plans (seed {args.seed}), {args.repeat} runs each", flush=True)
        result = {**province(args.plans, args.seed, args.out, repeat=args.repeat), "machine": machine(), "taken": dt.datetime.now().isoformat(timespec="seconds")}
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return result
    if args.store_only:
        print(f"dondoc night with the store: {args.plans} plans (seed {args.seed}), {args.repeat} runs each", flush=True)
        result = {**stored(args.plans, args.seed, args.out, repeat=args.repeat), "machine": machine(), "taken": dt.datetime.now().isoformat(timespec="seconds")}
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return result
    print(f"dondoc national bench: {args.plans} plans (seed {args.seed}), sizes {args.sizes}", flush=True)
    result = bench(args.plans, [int(s) for s in args.sizes.split(",")], args.seed, args.out, args.compare_at, args.cold_runs, args.peers, args.summary_plans, args.letters)
    print(table(result))
    path = args.out / "national.json"
    from dondoc.files import replace_file

    replace_file(path, json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(f"\n{path}")
    return result


if __name__ == "__main__":
    main()
