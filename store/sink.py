"""Where one night lands: the output folder (--out), written whole and swapped in at once.

    with OutputSink.open(out) as sink:        # staging beside --out, its lock held (files.py)
        sink.start()                          # a pass begins (again, on the night's second pass)
        sink.add(outcome)                     # each plan in order: findings.json streamed
        sink.finish(run)                      # run.json, last; the swap follows the block

Each plan's letters and summary are written into the staging folder by the worker that
checked the plan, under names made from the plan's one identity (night/plans.py); the sink
owns the uniqueness of every path: a name two plans would share is an error naming both,
never an overwrite. findings.json and run.json are written from the same outcomes, so the
two always agree.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path
from typing import IO, Any, Iterator

from dondoc.errors import InputError
from dondoc.files import Staging, pause, replace_folder

NOTICES = "notices"  # in --out: notices/<plan>/<unit>.<format>
SUMMARY = "summary"  # in --out: summary/bao-cao-tong-hop__<plan>.<format>
FINDINGS = "findings.json"
RUN = "run.json"
# The fields of run.json that say when the night ran: the only ones two runs of the same plans differ in.
RUN_TIMES = ("started", "ended", "seconds")


class FindingsFile:
    """findings.json as a stream (into a file opened in binary): the same bytes as one
    ``json.dumps(indent=2)`` of the whole list, without ever holding the list."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.count = 0

    def start(self) -> None:
        self.fh.seek(0)
        self.fh.truncate()
        self.fh.write(b"[")
        self.count = 0

    def add(self, findings: bytes, count: int) -> None:
        if count:
            self.fh.write((b"," if self.count else b"") + b"\n" + findings)
            self.count += count

    def finish(self) -> None:
        self.fh.write(b"\n]\n" if self.count else b"]\n")
        self.fh.flush()


class OutputSink:
    """One night's output folder, staged: findings, letters, summaries, run.json."""

    def __init__(self, staging: Staging, findings: IO[bytes]) -> None:
        self.staging = staging
        self.findings = FindingsFile(findings)
        self.files: list[str] = []  # every letter file written, under notices/
        self._owner: dict[str, str] = {}  # a plan's identity -> the plan folder that has it

    @property
    def root(self) -> Path:
        return self.staging.root

    @classmethod
    @contextlib.contextmanager
    def open(cls, out: Path) -> Iterator["OutputSink"]:
        """The previous output or the new one, whole, never a mix (files.replace_folder)."""
        with replace_folder(out) as staging:
            with staging.open(FINDINGS, "w+b") as fh:
                yield cls(staging, fh)

    def start(self) -> None:
        """A pass over the plans begins (a second one when a rule stopped late: night/night.py)."""
        self.findings.start()
        self.files, self._owner = [], {}
        for name in (NOTICES, SUMMARY):
            shutil.rmtree(self.root / name, ignore_errors=True)
            (self.root / name).mkdir()

    def claim(self, identity: str, plan: str) -> None:
        """A plan's identity names its letters' folder and its summary: two plans with one
        identity (one commune, year and number) would write over each other."""
        owner = self._owner.setdefault(identity, plan)
        if owner != plan:
            raise InputError(
                f"{NOTICES}/{identity}",
                f"hai kế hoạch cùng một định danh (cùng xã, cùng năm, cùng số): {owner} và {plan}",
                hint="kiểm tra số, ngày của các kế hoạch (plan.yaml)",
            )

    def add(self, findings: bytes, count: int, letters: list[str], first: bool = False) -> None:
        self.findings.add(findings, count)
        self.files += letters
        if first:
            pause("findings")  # tests/test_crash.py: a kill while findings.json is half written

    def finish(self, run: dict[str, Any]) -> None:
        """run.json, written last, from the same outcomes as findings.json."""
        self.findings.finish()
        self.staging.write_text(RUN, json.dumps(run, ensure_ascii=False, indent=2) + "\n")


def write_plan_files(root: Path, files: dict[str, bytes]) -> list[str]:
    """In a worker: a plan's files (paths relative to the output), into the staging folder."""
    staging = Staging(root)
    for rel, data in files.items():
        staging.write_bytes(rel, data)
    return list(files)


def output_tree(folder: Path) -> dict[str, bytes]:
    """Every file of an output by its relative path, as two runs of the same plans write the same
    bytes: the writer's manifest (it holds mtimes) left out, run.json without when it ran."""
    files = {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }
    if RUN in files:
        run = json.loads(files[RUN])
        files[RUN] = json.dumps({k: v for k, v in run.items() if k not in RUN_TIMES}, ensure_ascii=False).encode()
    return files
