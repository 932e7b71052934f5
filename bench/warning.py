"""The early warning's backtest: how early, and how often, "chỉ tiêu có nguy cơ không đạt" is right.

    .venv/bin/python -m bench.warning                              # 1,000 histories, the shipped half-life
    .venv/bin/python -m bench.warning --half-lives 45,90,180,inf   # the weighting compared

Generated histories of one target over 2026, each with a known end: a monthly figure
(measured on the 5th of the next month) along a straight path plus noise, of five kinds
(``KINDS``: rising, falling, flat, noisy, and turning: flat until a month between April and
August, then rising or falling), for a target "at least" (>= 90%) or "at most"
(<= 5%), its December figure drawn around the required level so that about half of them
end missed. A rising figure is improving for the first, worsening for the second. Every history is checked by dondoc itself (the shipped rules, durable-rules,
the proof) on the 20th of each month from March to December, as a night would; its
outcome is the December figure against the target, which no check sees.

Reported (``backtest``), over the histories and per kind:

- **precision**: of the histories the warning named at least once, the share that ended
  missed (and per warning: of every (history, night) warned, the share that ended missed);
- **recall**: of the histories that ended missed *while still meeting the target on a
  night the warning could speak* (three measurements, met), the share it named: the others
  are already "chưa đạt", the rule chi-tieu-toi-thieu/toi-da's business;
- **lead time**: days from the first warning to 31/12 for the histories it named rightly
  (quartiles), beside the days from the first night "chưa đạt" (the plain rules) named the
  same histories (0: not before the period's end);
- the same for the escalated warnings alone (cảnh báo: even the interval's favourable end
  does not get past the required level).

Nothing is asserted: the figures are what the method gives on these histories.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

from dondoc.engine.rulebook import load_rules
from dondoc.night import evaluate as check
from dondoc.facts import projection
from dondoc.facts.models import Measurement, Plan, PlanFolder, Target

YEAR = 2026
END = dt.date(YEAR, 12, 31)
NIGHTS = [dt.date(YEAR, month, 20) for month in range(3, 13)]
KINDS = ("rising", "falling", "flat", "noisy", "turning")
RULE = "chi-tieu-nguy-co-khong-dat"
MISSED_NOW = ("chi-tieu-toi-thieu", "chi-tieu-toi-da")
# (comparison, required level, how far one unit of the path moves the figure): a share to
# reach ("tỷ lệ hồ sơ trực tuyến từ 90%") and one not to pass ("tỷ lệ hồ sơ trễ hạn không quá 5%").
TARGETS = ((">=", 90.0, 1.0), ("<=", 5.0, 0.5))


@dataclass
class History:
    index: int
    kind: str
    comparison: str
    value: float
    figures: list[float]  # January .. December

    @property
    def missed(self) -> bool:
        final = self.figures[-1]
        return final < self.value if self.comparison == ">=" else final > self.value

    def folder(self) -> PlanFolder:
        plan = Plan(issuer=f"UBND xã Thử {self.index}", locality="Thử", number=f"{self.index}/KH-UBND", title="Kế hoạch", year=YEAR, monitor="Văn phòng")
        target = Target(id="CT01", text="Chỉ tiêu thử", metric="Chỉ tiêu thử", comparison=self.comparison, value=self.value, unit="%")
        measurements = [
            Measurement(target="CT01", period=f"{YEAR}-{month:02d}", value=figure,
                        measured_on=dt.date(YEAR + month // 12, month % 12 + 1, 5))
            for month, figure in enumerate(self.figures, 1)
        ]
        return PlanFolder(path=f"backtest/{self.index}", plan=plan, targets=[target], measurements=measurements)


def histories(n: int, seed: int) -> list[History]:
    """``n`` histories, a fifth of each kind, half "at least" and half "at most"."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        comparison, value, scale = TARGETS[(i // len(KINDS)) % len(TARGETS)]
        # Per month, in points of the figure: rising is better for a target "at least", worse for "at most".
        slope = {"rising": rng.uniform(0.3, 1.0), "falling": -rng.uniform(0.3, 1.0), "flat": 0.0, "noisy": rng.uniform(-0.5, 0.5),
                 "turning": rng.choice((-1, 1)) * rng.uniform(0.5, 1.2)}[kind]
        noise = rng.uniform(1.5, 3.0) if kind == "noisy" else rng.uniform(0.2, 0.6)
        final = value + rng.uniform(-4.0, 4.0) * scale  # December's path, around the required level
        # A turning history is flat until a month between April and August, then moves: the
        # case a weighting to recent measurements is for.
        turn = rng.randint(4, 8) if kind == "turning" else 0
        path = [final + slope * scale * (max(month, turn) - 12) for month in range(1, 13)]
        figures = [p + rng.gauss(0.0, noise * scale) for p in path]
        out.append(History(i, kind, comparison, value, [round(min(max(f, 0.0), 100.0), 1) for f in figures]))
    return out


@dataclass
class Tally:
    histories: int = 0
    missed: int = 0
    warned: int = 0  # histories warned at least once
    warned_right: int = 0
    warnings: int = 0  # (history, night) pairs warned
    warnings_right: int = 0
    eligible_missed: int = 0  # ended missed, and met on a night the warning could speak
    caught: int = 0  # of those, warned at least once
    leads: list[int] = field(default_factory=list)  # days before 31/12 of the first right warning
    plain_leads: list[int] = field(default_factory=list)  # the same histories: days before 31/12 "chưa đạt" first named them

    def add(self, other: "Tally") -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)

    def figures(self) -> dict[str, Any]:
        def share(a: int, b: int) -> float | None:
            return round(a / b, 3) if b else None

        def quartiles(xs: list[int]) -> list[float] | None:
            if len(xs) < 2:
                return [float(x) for x in xs] or None
            q = statistics.quantiles(xs, n=4, method="inclusive")  # within the data, never past it
            return [q[0], statistics.median(xs), q[2]]

        return {
            "histories": self.histories,
            "ended_missed": self.missed,
            "warned": self.warned,
            "precision": share(self.warned_right, self.warned),
            "precision_per_warning": share(self.warnings_right, self.warnings),
            "recall": share(self.caught, self.eligible_missed),
            "eligible_missed": self.eligible_missed,
            "lead_days_quartiles": quartiles(self.leads),
            "plain_lead_days_quartiles": quartiles(self.plain_leads),
        }


def backtest(n: int = 1000, seed: int = 2026, half_life: float | None = None) -> dict[str, Any]:
    """Run the shipped rules over ``n`` histories on every night; the figures, overall and per kind."""
    if half_life is not None:
        projection.HALF_LIFE_DAYS = half_life
    try:
        return _backtest(n, seed)
    finally:
        projection.HALF_LIFE_DAYS = _SHIPPED_HALF_LIFE


_SHIPPED_HALF_LIFE = projection.HALF_LIFE_DAYS


def _backtest(n: int, seed: int) -> dict[str, Any]:
    rules = [r for r in load_rules() if r.id in (RULE, *MISSED_NOW)]
    runs = histories(n, seed)
    folders = [h.folder() for h in runs]
    warned: dict[int, list[tuple[dt.date, str]]] = {h.index: [] for h in runs}
    missed_now: dict[int, list[dt.date]] = {h.index: [] for h in runs}
    could_speak: dict[int, bool] = {h.index: False for h in runs}
    start = time.perf_counter()
    for night in NIGHTS:
        findings, _ = check(folders, rules, night)
        for f in findings:
            index = int(f.plan_path.rsplit("/", 1)[1])
            if f.rule == RULE and f.kind == "vi-pham":
                warned[index].append((night, f.severity))
            elif f.rule in MISSED_NOW and f.kind == "vi-pham":
                missed_now[index].append(night)
        for h in runs:  # met on this night, with enough measurements known to project
            known = sum(1 for month in range(1, 13) if dt.date(YEAR + month // 12, month % 12 + 1, 5) <= night)
            if known >= projection.MIN_POINTS and night not in missed_now[h.index]:
                could_speak[h.index] = True
    seconds = time.perf_counter() - start
    result: dict[str, Any] = {"nights": len(NIGHTS), "checks": len(NIGHTS) * n, "seconds": round(seconds, 2)}
    for level, severities in (("warning", ("nhắc nhở", "cảnh báo")), ("escalated", ("cảnh báo",))):
        total = Tally()
        per_kind = {f"{kind} {comparison}": Tally() for kind in KINDS for comparison, _, _ in TARGETS}
        for h in runs:
            t = Tally(histories=1, missed=int(h.missed))
            nights = [night for night, severity in warned[h.index] if severity in severities]
            t.warnings, t.warnings_right = len(nights), len(nights) * int(h.missed)
            if nights:
                t.warned, t.warned_right = 1, int(h.missed)
            if h.missed and could_speak[h.index]:
                t.eligible_missed = 1
                t.caught = int(bool(nights))
            if h.missed and nights:
                t.leads = [(END - nights[0]).days]
            if h.missed and nights:  # the same histories, named by "chưa đạt" (0: not before the end)
                t.plain_leads = [(END - missed_now[h.index][0]).days if missed_now[h.index] else 0]
            total.add(t)
            per_kind[f"{h.kind} {h.comparison}"].add(t)
        result[level] = {"all": total.figures(), **{kind: tally.figures() for kind, tally in per_kind.items()}}
    return result


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.0f}%"


def _days(q: list[float] | None) -> str:
    return "—" if not q else " / ".join(f"{x:.0f}" for x in q)


def table(result: dict[str, Any]) -> str:
    lines = []
    for level, label in (("warning", "warning (nhắc nhở or cảnh báo)"), ("escalated", "escalated only (cảnh báo)")):
        lines.append(f"  {label}:")
        lines.append(f"    {'histories':10} {'n':>4} {'missed':>6} {'warned':>6} {'precision':>9} {'per night':>9} {'recall':>6}"
                     f"   lead days q1/median/q3   'chưa đạt' lead days")
        for kind, f in result[level].items():
            lines.append(f"    {kind:10} {f['histories']:>4} {f['ended_missed']:>6} {f['warned']:>6} {_pct(f['precision']):>9} {_pct(f['precision_per_warning']):>9}"
                         f" {_pct(f['recall']):>6}   {_days(f['lead_days_quartiles']):24} {_days(f['plain_lead_days_quartiles'])}")
    return "\n".join(lines)


def bench_warning(n: int = 1000, seed: int = 2026, half_lives: tuple[float | None, ...] = (None,)) -> dict[str, Any]:
    """What ``make bench`` prints: the backtest at the shipped half-life (and any others asked)."""
    results = {}
    for half_life in half_lives:
        shown = _SHIPPED_HALF_LIFE if half_life is None else half_life
        result = backtest(n, seed, half_life)
        print(f"early warning backtest: {n} histories ({', '.join(KINDS)}; >= 90% and <= 5%), checked on "
              f"{result['nights']} nights (20/03-20/12/{YEAR}), half-life {shown:g} days: {result['checks']} plan checks "
              f"in {result['seconds']} s")
        print(table(result))
        results[f"{shown:g}"] = result
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.warning", description=__doc__.split("\n\n")[0])
    parser.add_argument("--histories", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--half-lives", default="", help="comma-separated half-lives in days to compare (inf: equal weights)")
    args = parser.parse_args()
    lives = tuple(math.inf if x.strip() == "inf" else float(x) for x in args.half_lives.split(",") if x.strip()) or (None,)
    bench_warning(args.histories, args.seed, lives)


if __name__ == "__main__":
    main()
