"""What a night says on the terminal when it ends: its counts, per severity, per commune, per
rule and per unit (a unit named with its commune when the night covers several)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from dondoc.facts.kinds import SEVERITY_LABELS
from dondoc.night.night import NightResult, severity_counts
from dondoc.store.sink import NOTICES

TOP = 20  # communes and units listed by name; the rest counted (run.json has them all)


def _said(severity: str) -> str:
    """A severity as staff read it in a line ("thông tin", not the rule language's "info")."""
    return SEVERITY_LABELS[severity].lower()


def closing_lines(result: NightResult, out: Path | None) -> list[str]:
    report, tally = result.report, result.tally
    total = sum(tally.values())
    communes = Counter(commune for commune, _ in result.communes)
    plans = f"{len(report.plans)} kế hoạch" + (f" của {len(communes)} xã, phường" if len(communes) > 1 else "")
    lines = [
        f"Ngày kiểm tra {report.as_of:%d/%m/%Y}: {plans}, {report.rules} quy tắc, "
        f"{report.facts_in} dữ kiện vào, {report.evaluated} đã đánh giá, {total} phát hiện."
    ]
    severities = severity_counts(tally)
    lines.append("Theo mức độ: " + "; ".join(f"{_said(sev)} {n}" for sev, n in severities.items()))
    if result.changes is not None:
        lines.append("So với lần kiểm tra trước: " + "; ".join(f"{change} {n}" for change, n in result.changes.items()))
        drafted = sum(1 for _, sent, _ in result.decisions if sent)
        lines.append(f"Công văn: {drafted} dự thảo mới, {len(result.decisions) - drafted} không gửi lại đêm nay (run.json nói vì sao)")
    if not total:
        return lines + _written(result, out)
    several = len(communes) > 1
    if several:
        per_commune: dict[str, Counter] = {}
        for commune, plan_tally in result.communes:
            per_commune.setdefault(commune, Counter()).update(plan_tally)
        ranked = sorted(per_commune.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
        lines += ["", "Theo xã, phường:"]
        for commune, found in ranked[:TOP]:
            counts = "; ".join(f"{_said(sev)} {n}" for sev, n in severity_counts(found).items() if n)
            lines.append(f"  {sum(found.values()):5d}  {commune} ({counts})")
        lines += _rest(len(ranked), "xã, phường")
    by_rule: Counter = Counter()
    for (rule, kind, _, _), n in tally.items():
        by_rule[rule, kind] += n
    lines += ["", "Theo quy tắc (vi phạm / thiếu dữ liệu):"]
    for rule in sorted({r for r, _ in by_rule}):
        lines.append(f"  {by_rule[rule, 'vi-pham']:5d} / {by_rule[rule, 'thieu-du-lieu']:<5d} {rule}")
    by_unit: Counter = Counter()
    for commune, plan_tally in result.communes:
        for (_, _, unit, _), n in plan_tally.items():
            name = unit or "(chưa xác định đơn vị)"
            by_unit[f"{commune} — {name}" if several else name] += n
    lines += ["", "Theo đơn vị:"]
    ranked_units = sorted(by_unit.items(), key=lambda kv: (-kv[1], kv[0])) if several else sorted(by_unit.items())
    for unit, n in ranked_units[:TOP] if several else ranked_units:
        lines.append(f"  {n:5d}  {unit}")
    if several:
        lines += _rest(len(ranked_units), "đơn vị")
    return lines + _written(result, out)


def _rest(count: int, what: str) -> list[str]:
    return [f"  … và {count - TOP} {what} khác (run.json có đủ)"] if count > TOP else []


def _written(result: NightResult, out: Path | None) -> list[str]:
    if out is None:
        return []
    letters = {name.rsplit(".", 1)[0] for name in result.letters}
    kinds = ", ".join(sorted({name.rsplit(".", 1)[1] for name in result.letters}))
    return ["", f"Đã ghi {out}/findings.json và {len(letters)} công văn ({kinds or 'không có'}) trong {out}/{NOTICES}/"]


def problem_lines(result: NightResult) -> list[str]:
    """The rule files set aside and the rules that could not run: why the night ends with 3."""
    lines = [f"tệp quy tắc để riêng, các quy tắc trong tệp này không chạy: {p.render()}" for p in result.set_aside]
    lines += [
        f"quy tắc '{rule}' không chạy được, không có kết quả của quy tắc này: {why}"
        for rule, why in sorted(result.report.rule_errors.items())
    ]
    return lines
