"""What a night says on the terminal when it ends: its counts, per rule and per unit."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from dondoc.night.night import NightResult
from dondoc.store.sink import NOTICES


def closing_lines(result: NightResult, out: Path | None) -> list[str]:
    report, tally = result.report, result.tally
    total = sum(tally.values())
    lines = [
        f"Ngày kiểm tra {report.as_of:%d/%m/%Y}: {len(report.plans)} kế hoạch, {report.rules} quy tắc, "
        f"{report.facts_in} dữ kiện vào, {report.evaluated} đã đánh giá, {total} phát hiện."
    ]
    by_rule: Counter = Counter()
    by_unit: Counter = Counter()
    for (rule, kind, unit, _), n in tally.items():
        by_rule[rule, kind] += n
        by_unit[unit or "(chưa xác định đơn vị)"] += n
    if by_rule:
        lines += ["", "Theo quy tắc (vi phạm / thiếu dữ liệu):"]
        for rule in sorted({r for r, _ in by_rule}):
            lines.append(f"  {by_rule[rule, 'vi-pham']:5d} / {by_rule[rule, 'thieu-du-lieu']:<5d} {rule}")
        lines += ["", "Theo đơn vị:"]
        for unit, n in sorted(by_unit.items()):
            lines.append(f"  {n:5d}  {unit}")
    if out is not None:
        letters = {name.rsplit(".", 1)[0] for name in result.letters}
        kinds = ", ".join(sorted({name.rsplit(".", 1)[1] for name in result.letters}))
        lines += ["", f"Đã ghi {out}/findings.json và {len(letters)} công văn ({kinds or 'không có'}) trong {out}/{NOTICES}/"]
    return lines


def problem_lines(result: NightResult) -> list[str]:
    """The rule files set aside and the rules that could not run: why the night ends with 3."""
    lines = [f"tệp quy tắc để riêng, các quy tắc trong tệp này không chạy: {p.render()}" for p in result.set_aside]
    lines += [
        f"quy tắc '{rule}' không chạy được, không có kết quả của quy tắc này: {why}"
        for rule, why in sorted(result.report.rule_errors.items())
    ]
    return lines
