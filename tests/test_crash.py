"""Crash tests: a real `dondoc check` of 150 plans killed with SIGKILL, at every named
point of the swap and at seeded random times, never leaves a mix, a gap or a leftover.

How a run is stopped where we want it: files.py's ``pause(point)`` makes a process
started with DONDOC_PAUSE_AT=<point> say "dondoc: paused at <point>" on stderr and wait;
the test then kills it (SIGKILL, to the command's process only, as the OOM killer or a
power cut would). The points: 'findings' (findings.json half written, workers still
rendering notices), 'staged', 'marked', 'synced', 'swapped', 'doomed' (files.py).
Then kills at random times (seed 8), across the whole run, each run checked as of a new
date so that the previous output and the new one can be told apart.

Every run records into one store (--store, SQLite beside --out), in one transaction before its
output lands: after each kill the store opens, holds only whole nights (each recorded night has
all 150 plans), and the night whose output stands is among them; the next night's lock is free.

After each kill: --out holds one complete output, the previous or the new one: its
manifest (.dondoc-output) lists exactly its files, findings.json parses and agrees with
run.json plan by plan, the letters are those run.json says were drafted, no worker of
the killed run is still alive. The next run, when it reaches its own pause point, has
cleared what the killed one left (only its own folder is beside --out); after the last
run, which completes, nothing is left beside --out but the lock file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.generate import generate, plan_folders
from dondoc.files import MARKER, PAUSE_ENV, foreign_files

PLANS = 150
POINTS = ["findings", "staged", "marked", "synced", "swapped", "doomed"]
RANDOM_KILLS = 5
DONDOC = [str(Path(sys.executable).parent / "dondoc")]


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> list[Path]:
    return plan_folders(generate(tmp_path_factory.mktemp("crash"), PLANS))


class Runs:
    """Successive nightly runs on one --out, each as of the next day."""

    def __init__(self, plans: list[Path], out: Path) -> None:
        self.plans, self.out = plans, out
        self.day = dt.date(2026, 11, 1)
        self.started: list[subprocess.Popen] = []

    def start(self, pause: str | None = None) -> tuple[subprocess.Popen, str]:
        self.day += dt.timedelta(days=1)
        env = {k: v for k, v in os.environ.items() if k != PAUSE_ENV}
        if pause:
            env[PAUSE_ENV] = pause
        args = [*DONDOC, "check", *map(str, self.plans), "--as-of", self.day.isoformat(), "--out", str(self.out), "--workers", "2", "--no-summary", "--format", "html", "--store", str(store_of(self.out))]
        # Its own process group: the test can see whether any of its workers outlive it.
        proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        self.started.append(proc)
        return proc, self.day.isoformat()

    def stop_all(self) -> None:
        """A failed assertion must not leave a run paused for ever (its workers die with it)."""
        for proc in self.started:
            if proc.poll() is None:
                proc.kill()
                proc.wait()

    def complete(self) -> str:
        proc, day = self.start()
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
        return day


def living(group: int) -> list[int]:
    """Processes of a process group that still run (a zombie only waits to be reaped)."""
    pids = []
    for entry in os.scandir("/proc"):
        try:
            fields = open(f"/proc/{entry.name}/stat", "rb").read().rsplit(b")", 1)[1].split()
        except (OSError, ValueError, IndexError):
            continue
        if int(fields[2]) == group and fields[0] not in (b"Z", b"X"):
            pids.append(int(entry.name))
    return pids


def kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 5
    while living(proc.pid):  # its workers die with it (PR_SET_PDEATHSIG): none may go on writing
        assert time.monotonic() < deadline, f"workers of the killed run still alive: {living(proc.pid)}"
        time.sleep(0.05)


def wait_for_pause(proc: subprocess.Popen, point: str) -> None:
    line = proc.stderr.readline().decode()
    assert line == f"dondoc: paused at {point}\n", line


def complete_output(out: Path) -> str:
    """Assert ``out`` is one whole output; return the date it was checked as of."""
    assert out.is_dir(), "no output at all"
    marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != MARKER}
    assert set(marker["files"]) == on_disk
    assert foreign_files(out) == []  # sizes and times as the manifest says
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["findings"] == len(findings) and len(run["plans"]) == PLANS
    per_plan = {p["path"]: p["findings"] for p in run["plans"]}
    counted: dict[str, int] = {}
    for f in findings:
        counted[f["plan_path"]] = counted.get(f["plan_path"], 0) + 1
    assert counted == {path: n for path, n in per_plan.items() if n}
    # The letters the night drafted (with a store, only those due: run.json says which and why).
    drafted = {f"notices/{letter['letter']}.html" for letter in run["letters"] if letter["drafted"]}
    assert {n for n in on_disk if n.startswith("notices/")} == drafted
    store_has_whole_nights(out, run["as_of"])
    return run["as_of"]


def store_of(out: Path) -> Path:
    return out.parent / "kho.sqlite"


def store_has_whole_nights(out: Path, shown: str) -> None:
    """A killed night recorded all of itself or nothing; the output in place was recorded."""
    from dondoc.store.store import Store

    with Store.open(store_of(out), create=False) as store:
        nights = store.runs()
    assert nights and all(n.plans == PLANS for n in nights), [(n.check_date, n.plans) for n in nights]
    assert shown in {n.check_date.isoformat() for n in nights}


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.") and not p.name.endswith(".dondoc-lock"))


@pytest.fixture
def runs(plans, tmp_path):
    started = Runs(plans, tmp_path / "out")
    yield started
    started.stop_all()


def test_a_run_killed_anywhere_leaves_the_previous_or_the_new_output_whole(runs):
    out = runs.out
    started = time.monotonic()
    previous = runs.complete()
    full = time.monotonic() - started
    assert complete_output(out) == previous and leftovers(out) == []

    for point in POINTS:
        proc, day = runs.start(pause=point)
        wait_for_pause(proc, point)
        # This run has cleared what the last killed one left: only its own folder is beside --out.
        assert len(leftovers(out)) == 1, (point, leftovers(out))
        kill(proc)
        shown = complete_output(out)
        # Before the swap the previous output stands; from 'swapped' on, the new one.
        assert shown == (day if point in ("swapped", "doomed") else previous), point
        previous = shown

    rng = random.Random(8)
    for _ in range(RANDOM_KILLS):
        proc, day = runs.start()
        time.sleep(rng.uniform(0.05, full))
        if proc.poll() is None:
            kill(proc)
        shown = complete_output(out)
        assert shown in (previous, day)
        previous = shown

    previous = runs.complete()
    assert complete_output(out) == previous and leftovers(out) == []
