"""Speed and memory of a nightly check, on synthetic plans built like the seeds.

    make bench                      # default sizes
    .venv/bin/python -m bench --plans 3000 --tasks 60

Prints figures; asserts nothing about time (the machines are shared and noisy),
but does check that every fact was evaluated.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import time

from dondoc.engine.durable_adapter import Evaluation
from dondoc.engine.rulebook import load_rules
from dondoc.night import evaluate as check
from dondoc.facts.deadline import parse_deadline
from dondoc.facts.models import Measurement, Plan, PlanFolder, Progress, Target, Task

PHRASES = [
    "Thường xuyên",
    "Tháng 10/2026",
    "Quý III, IV/2026",
    "Chậm nhất ngày 09/9/2026",
    "Trước ngày 20 của tháng cuối quý",
    "Bắt đầu từ tháng 4 đến tháng 11/2026",
    "Theo lộ trình của Nghị quyết",
    "Quý IV/2026",
]
UNITS = ["Phòng Kinh tế", "Phòng Văn hóa - Xã hội", "Trung tâm Phục vụ hành chính công", "Công an xã"]


def synthetic_plan(index: int, tasks: int, targets: int) -> PlanFolder:
    plan = Plan(issuer=f"UBND xã Số {index}", locality=f"Số {index}", number=f"{index}/KH-UBND", title="Kế hoạch", year=2026, monitor=UNITS[0])
    deadlines = [parse_deadline(p, 2026) for p in PHRASES]
    task_list = [
        Task(id=str(i), number=str(i), title=f"Nhiệm vụ {i}", lead=[UNITS[i % len(UNITS)]], deadline=deadlines[i % len(deadlines)])
        for i in range(1, tasks + 1)
    ]
    progress = [
        Progress(task=str(i), status="hoàn thành", done_on=dt.date(2026, 6, 1), reported_on=dt.date(2026, 6, 1))
        for i in range(1, tasks + 1, 3)
    ]
    target_list = [
        Target(id=f"CT{j:02d}", text=f"Chỉ tiêu {j}", metric=f"m{j}", comparison=">=", value=90, unit="%")
        for j in range(1, targets + 1)
    ]
    measurements = [
        Measurement(target=f"CT{j:02d}", period="2026-10", value=80 + j % 20, measured_on=dt.date(2026, 11, 5))
        for j in range(1, targets + 1, 2)
    ]
    return PlanFolder(path=f"synthetic/{index}", plan=plan, tasks=task_list, targets=target_list, progress=progress, measurements=measurements)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_check(plans: int, tasks: int, targets: int) -> None:
    rules = load_rules()
    folders = [synthetic_plan(i, tasks, targets) for i in range(plans)]
    start = time.perf_counter()
    findings, report = check(folders, rules, dt.date(2026, 11, 22))
    seconds = time.perf_counter() - start
    assert report.evaluated == report.facts_in
    print(f"check: {plans} plans, {report.facts_in} facts, {len(rules)} rules ({report.conditions} conditions)")
    print(f"  {seconds:.2f} s, {report.facts_in / seconds:,.0f} facts/s, {len(findings)} findings, peak RSS {peak_mb():.0f} MB")


CALENDAR_RULES = """\
rules:
  - id: con-3-ngay-lam-viec
    title: Còn 3 ngày làm việc
    fact: task
    scope: due is present
    condition: status != "hoàn thành" and as_of >= due - 3 working days and as_of <= due
    severity: nhắc nhở
    message: x
  - id: han-cuoi-tuan
    title: Hạn cuối tuần, quá hạn từ 3 ngày làm việc
    fact: task
    scope: due is present
    condition: weekday(due) in ["thứ bảy", "chủ nhật"] and working_days_overdue > 2
    severity: info
    message: x
"""


def bench_calendar_terms(plans: int, tasks: int, targets: int) -> None:
    """The shipped rules, and the same with two rules that compute working days and weekdays per
    fact (engine/functions.py), side by side in one run: the cost of the calendar in the language."""
    import tempfile
    from pathlib import Path

    from dondoc.engine.rulebook import load_book

    folders = [synthetic_plan(i, tasks, targets) for i in range(plans)]
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "lich.yaml").write_text(CALENDAR_RULES, encoding="utf-8")
        books = {"shipped": load_book().rules, "+ 2 calendar rules": load_book([tmp]).rules}
    for name in [*books, *books]:
        start = time.perf_counter()
        findings, report = check(folders, books[name], dt.date(2026, 11, 22))
        seconds = time.perf_counter() - start
        print(f"  {name:20} {report.conditions} conditions: {seconds:.2f} s, {report.facts_in / seconds:,.0f} facts/s")


def bench_deadlines(n: int) -> None:
    start = time.perf_counter()
    for i in range(n):
        parse_deadline(PHRASES[i % len(PHRASES)], 2026)
    seconds = time.perf_counter() - start
    print(f"parse_deadline: {n} phrases, {n / seconds:,.0f} phrases/s")


def bench_one_session(facts: int) -> None:
    """Many facts in one session: where durable-rules' hash collisions appear (trap 2)."""
    evaluation = Evaluation({"overdue": {"$and": [{"kind": "task"}, {"$gt": {"days_overdue": 0}}]}})
    batch = [{"fid": i, "kind": "task", "days_overdue": i % 7 - 3, "title": f"Nhiệm vụ {i}"} for i in range(1, facts + 1)]
    start = time.perf_counter()
    result = evaluation.evaluate("big", batch)
    seconds = time.perf_counter() - start
    print(
        f"one session: {facts} facts, {seconds:.2f} s, {facts / seconds:,.0f} facts/s, "
        f"{result.rerouted} rerouted after hash collisions, {result.evaluated} evaluated, peak RSS {peak_mb():.0f} MB"
    )


def bench_summaries(n: int) -> None:
    """Báo cáo tổng hợp per second: content, charts, HTML, PDF and Word for one plan (the 2025 example)."""
    from pathlib import Path

    from dondoc.facts.planfolder import read_plan_folder
    from dondoc.night.plan import plan_summary
    from dondoc.templates.summary import context, render_html, render_pdf
    from dondoc.templates.summary_docx import render_docx

    folder = read_plan_folder(Path(__file__).resolve().parent.parent / "examples" / "gia-phuc-2025")
    as_of = dt.date(2025, 11, 22)
    rules = load_rules()
    findings, _ = check([folder], rules, as_of)

    def build_summary(folder, findings, as_of):  # as the night builds it: from the plan's letters
        return plan_summary(folder, findings, as_of, rules=rules)

    render_pdf(render_html(build_summary(folder, findings, as_of)))  # fonts and caches warm
    timings = {"content+charts": 0.0, "html": 0.0, "pdf": 0.0, "docx": 0.0}
    for _ in range(n):
        t0 = time.perf_counter()
        summary = build_summary(folder, findings, as_of)
        t1 = time.perf_counter()
        html = render_html(summary)
        t2 = time.perf_counter()
        render_pdf(html)
        t3 = time.perf_counter()
        render_docx(summary, context(summary))
        t4 = time.perf_counter()
        for name, seconds in zip(timings, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
            timings[name] += seconds
    total = sum(timings.values())
    parts = ", ".join(f"{name} {100 * s / total:.0f}%" for name, s in timings.items())
    print(f"summaries: {n} reports (one process, {len(findings)} findings, {len(folder.targets)} targets), {n / total:.2f} summaries/s ({parts})")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=40)
    parser.add_argument("--targets", type=int, default=8)
    parser.add_argument("--one-session", type=int, default=20000, help="facts in the single-session run (100000 shows collisions)")
    parser.add_argument("--notices", type=int, default=240, help="letters rendered per format (bench/notices.py)")
    parser.add_argument("--summaries", type=int, default=10, help="reports in the summaries/s run")
    parser.add_argument("--histories", type=int, default=1000, help="generated histories in the early warning's backtest (bench/warning.py)")
    args = parser.parse_args()
    bench_deadlines(20000)
    bench_check(args.plans, args.tasks, args.targets)
    print(f"calendar in rules ({args.plans // 4} plans, twice each, interleaved):")
    bench_calendar_terms(args.plans // 4, args.tasks, args.targets)
    bench_one_session(args.one_session)
    bench_summaries(args.summaries)
    from bench.notices import bench_notices

    bench_notices(args.notices, workers=2)
    from bench.warning import bench_warning

    bench_warning(args.histories)


if __name__ == "__main__":
    main()
