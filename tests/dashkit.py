"""A store of several weekly nights of the example plans and of plans of one province, each
night a real ``dondoc check --store`` (the night records itself: findings, measures, letters),
for the dashboard's tests and its demo (`make dashboard-demo`).

    python -m tests.dashkit STORE.sqlite [--nights 5] [--province-plans 12]
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Sequence

from dondoc.facts.planfolder import read_plan_folder
from dondoc.text import ascii_slug

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [ROOT / "examples" / name for name in ("gia-loc-2026", "quyet-thang-2026", "an-bien-2026")]
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


def fill(store: str | Path, days: Sequence[dt.date], folders: Sequence[Path] = tuple(EXAMPLES), *, out: Path | None = None,
         sign_first: bool = True) -> None:
    """One night per day, as an office runs it: ``dondoc check PLANS --as-of DAY --store STORE``
    (letters in HTML, no summaries), the first night's letters signed the day after."""
    from click.testing import CliRunner

    from dondoc.cli import main

    out = out or Path(store).resolve().parent / "dem"

    def run(*args) -> None:
        done = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
        if done.exit_code not in (0, 1):
            raise RuntimeError(f"dondoc {' '.join(map(str, args))}: exit {done.exit_code}\n{done.output}")

    for day in days:
        run("check", *folders, "--as-of", day.isoformat(), "--out", out / day.isoformat(), "--store", store,
            "--format", "html", "--no-summary", "--quiet")
        if sign_first and day == days[0]:
            for issuer in sorted({read_plan_folder(f).plan.issuer for f in folders}):  # each office opens its register at 01
                run("register", "start", "--store", store, "--next", 1, "--year", day.year, "--issuer", issuer)
            run("letters", "sign", "--store", store, "--all", "--by", "Nguyễn Văn An", "--on", (day + dt.timedelta(days=1)).strftime("%d/%m/%Y"),
                "--out", out / "da-ky")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.dashkit", description=__doc__.split("\n\n")[0])
    parser.add_argument("store")
    parser.add_argument("--nights", type=int, default=5)
    parser.add_argument("--province-plans", type=int, default=12, help="plans of one province from bench/generate.py, beside the examples")
    args = parser.parse_args(argv)
    folders = list(EXAMPLES)
    if args.province_plans:
        folders += province_plans(Path(args.store).resolve().parent / "ke-hoach-tinh", args.province_plans)
    fill(args.store, nights(args.nights), folders)
    print(args.store)


if __name__ == "__main__":
    main()
