"""The Chairman's summary of a plan with very many units: ``python -m bench.summary_units --units 10000``.

One plan whose N tasks each name a unit of their own as lead, every task overdue: N letters,
N rows in Bảng 1 and Biểu đồ 1. Prints the time and the peak memory of each part (the content,
the charts, HTML, Word, and PDF with --pdf), in a fresh process per size. Nothing is asserted
(issue 21: 10,000 units took 245 s and 3.2 GB; docs/reliability.md has the figures).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import time

AS_OF = dt.date(2026, 11, 22)


def plan(units: int):
    from dondoc.facts.deadline import parse_deadline
    from dondoc.facts.models import Plan, PlanFolder, Task, Unit

    due = parse_deadline("Tháng 10/2026", 2026)
    names = [f"Tổ công tác số {i}" for i in range(1, units + 1)]
    return PlanFolder(
        path="bench/summary-units",
        plan=Plan(issuer="UBND xã Thử Nghiệm", locality="Thử Nghiệm", number="01/KH-UBND", issued=dt.date(2026, 1, 5),
                  title="Kế hoạch nhiều đơn vị", year=2026, monitor="Văn phòng HĐND và UBND xã"),
        units=[Unit(name=n) for n in names],
        tasks=[Task(id=str(i), number=str(i), title=f"Nhiệm vụ {i}", lead=[n], deadline=due) for i, n in enumerate(names, 1)],
    )


def one(units: int, pdf: bool) -> dict:
    from dondoc.engine.rulebook import load_rules
    from dondoc.facts.settings import DEFAULTS
    from dondoc.night import evaluate as check
    from dondoc.night.plan import plan_summary
    from dondoc.templates import summary as S
    from dondoc.templates.summary_docx import render_docx

    folder = plan(units)
    rules = load_rules()
    findings, _ = check([folder], rules, AS_OF)
    times: dict[str, float] = {}
    start = time.perf_counter()
    built = plan_summary(folder, findings, AS_OF, DEFAULTS, rules)  # the letters, the content, the charts
    times["content+charts"] = time.perf_counter() - start
    start = time.perf_counter()
    ctx = S.context(built)
    html = S.render_html(built, ctx)
    times["html"] = time.perf_counter() - start
    start = time.perf_counter()
    render_docx(built, ctx)
    times["docx"] = time.perf_counter() - start
    if pdf:
        start = time.perf_counter()
        S.render_pdf(html)
        times["pdf"] = time.perf_counter() - start
    return {"units": units, "findings": len(findings), "seconds": times, "total": sum(times.values()),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.summary_units")
    parser.add_argument("--units", default="1000,10000", help="sizes, comma-separated")
    parser.add_argument("--pdf", action="store_true", help="also the PDF (WeasyPrint lays out every row)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one(args.child, args.pdf)))
        return
    for size in (int(s) for s in args.units.split(",")):
        command = [sys.executable, "-m", "bench.summary_units", "--child", str(size)] + (["--pdf"] if args.pdf else [])
        result = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
        parts = ", ".join(f"{k} {v:.1f} s" for k, v in result["seconds"].items())
        print(f"summary of {size} units ({result['findings']} findings): {result['total']:.1f} s ({parts}), "
              f"peak RSS {result['peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()
