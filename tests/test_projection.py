"""The projection behind the early warning (facts/projection.py, facts/derive.py trend_points):
checked against an independent implementation (statsmodels' weighted least squares and its
prediction interval), and at its boundaries: the fewest points, the weights, the bounds of a
metric, the day a measurement describes, corrections, the target's period, the check date."""

from __future__ import annotations

import datetime as dt
import math
import random

import numpy as np
import pytest
import statsmodels.api as sm

from dondoc.facts.derive import target_facts, trend_points
from dondoc.facts.models import Measurement, Plan, PlanFolder, Target
from dondoc.facts.periods import parse_period
from dondoc.facts.projection import HALF_LIFE_DAYS, LEVEL, MIN_POINTS, Projection, project, trend

END = dt.date(2026, 12, 31)


def _statsmodels(points, horizon):
    """The same model, fitted by statsmodels: WLS with weights halving every HALF_LIFE_DAYS
    back from the newest point, and the interval of one new observation of weight 1."""
    days = np.array([(d - horizon).days for d, _ in points], dtype=float)
    weights = 0.5 ** ((days.max() - days) / HALF_LIFE_DAYS)
    fit = sm.WLS(np.array([v for _, v in points]), sm.add_constant(days), weights=weights).fit()
    frame = fit.get_prediction(np.array([[1.0, 0.0]])).summary_frame(alpha=1 - LEVEL)
    return float(frame["mean"].iloc[0]), float(frame["obs_ci_lower"].iloc[0]), float(frame["obs_ci_upper"].iloc[0])


@pytest.mark.parametrize("seed", range(40))
def test_the_trend_is_statsmodels_weighted_least_squares_and_its_prediction_interval(seed):
    rng = random.Random(seed)
    n = rng.randint(MIN_POINTS, 12)
    days = sorted(rng.sample(range(0, 330), n))
    slope, base = rng.uniform(-0.05, 0.05), rng.uniform(40, 99)
    points = [(dt.date(2026, 1, 1) + dt.timedelta(d), base + slope * d + rng.gauss(0, rng.choice((0.1, 1, 3)))) for d in days]
    centre, spread = trend(points, END)
    mean, lower, upper = _statsmodels(points, END)
    assert centre == pytest.approx(mean, abs=1e-9)
    assert centre - spread == pytest.approx(lower, abs=1e-9) and centre + spread == pytest.approx(upper, abs=1e-9)


def test_a_point_a_half_life_older_weighs_half_as_much():
    # Two points on the line 90 and one off it: the weights decide where the line goes, and
    # statsmodels with weights 1, 1/2 and 1/4 (ages 0, one and two half-lives) agrees.
    newest, half = dt.date(2026, 10, 31), dt.timedelta(days=HALF_LIFE_DAYS)
    assert HALF_LIFE_DAYS == 60
    points = [(newest - 2 * half, 80.0), (newest - half, 90.0), (newest, 90.0)]
    days = np.array([(d - END).days for d, _ in points], dtype=float)
    fit = sm.WLS(np.array([v for _, v in points]), sm.add_constant(days), weights=[0.25, 0.5, 1.0]).fit()
    assert trend(points, END)[0] == pytest.approx(fit.params[0], abs=1e-9)  # days count from the horizon
    unweighted = sm.OLS(np.array([v for _, v in points]), sm.add_constant(days)).fit()
    assert trend(points, END)[0] != pytest.approx(unweighted.params[0], abs=0.1)


def test_three_points_make_a_projection_two_do_not():
    points = [(dt.date(2026, 8, 31), 96.9), (dt.date(2026, 9, 30), 96.5), (dt.date(2026, 10, 31), 95.6)]
    assert MIN_POINTS == 3
    assert project(points[1:], END) is None
    assert project(points, END) == Projection(94.3, 93.0, 95.6)


def test_points_centuries_apart_give_no_projection_rather_than_an_error_or_a_non_finite_number():
    # A hostile plan period: the older points' weights underflow to zero, leaving one point.
    points = [(dt.date(1900, 1, 1), 50.0), (dt.date(1950, 1, 1), 60.0), (dt.date(2100, 6, 30), 70.0)]
    assert project(points, dt.date(2100, 12, 31)) is None


def test_a_straight_line_has_no_spread():
    points = [(dt.date(2026, 7, 1) + dt.timedelta(days=30 * i), 80.0 + i) for i in range(4)]
    projection = project(points, dt.date(2026, 7, 1) + dt.timedelta(days=150))
    assert projection == Projection(85.0, 85.0, 85.0)


@pytest.mark.parametrize(
    "values, bounds, expected",
    [
        ((90.0, 95.0, 99.0), (0.0, 100.0), (100.0, 100.0, 100.0)),  # a share never projected over 100%
        ((9.0, 5.0, 1.5), (0.0, math.inf), (0.0, 0.0, 0.0)),  # a count never below 0
        ((9.0, 5.0, 1.5), (-math.inf, math.inf), None),  # a change against a baseline year: anything
    ],
)
def test_the_projection_stays_inside_the_values_the_metric_can_take(values, bounds, expected):
    points = list(zip((dt.date(2026, 8, 31), dt.date(2026, 9, 30), dt.date(2026, 10, 31)), values))
    got = project(points, END, bounds)
    if expected is None:
        assert got.value < 0 and got.low < got.value < got.high
    else:
        assert (got.value, got.low, got.high) == expected


def test_values_are_rounded_to_one_decimal_as_the_letter_prints_them():
    points = [(dt.date(2026, 8, 31), 96.91), (dt.date(2026, 9, 30), 96.47), (dt.date(2026, 10, 31), 95.63)]
    got = project(points, END)
    for value in (got.value, got.low, got.high):
        assert value == round(value, 1)


def test_the_bounds_of_a_target_are_its_metrics():
    share = Target(id="A", text="a", metric="a", comparison=">=", value=95, unit="%")
    count = Target(id="B", text="b", metric="b", comparison=">=", value=5, unit="tin bài/tháng")
    change = Target(id="C", text="c", metric="c", comparison=">=", value=50, unit="%", baseline_year=2024)
    assert (share.bounds, count.bounds, change.bounds) == ((0.0, 100.0), (0.0, math.inf), (-math.inf, math.inf))


# --- the series: facts/derive.py trend_points ---------------------------------------------------------


def _m(period: str, value: float, measured: str, target: str = "CT01", line: int = 0) -> Measurement:
    return Measurement(target=target, period=period, value=value, measured_on=dt.date.fromisoformat(measured), source_line=line)


TARGET = Target(id="CT01", text="Tỷ lệ hồ sơ trực tuyến đạt từ 95%", metric="Tỷ lệ hồ sơ trực tuyến", comparison=">=", value=95, unit="%")
YEAR = parse_period("2026")


def test_each_measurement_is_placed_on_the_day_it_describes():
    measurements = [
        _m("2026-09", 96.5, "2026-10-05"),  # September: its last day
        _m("2026", 96.0, "2026-06-30"),  # the year so far: the day it was measured
        _m("2026-Q3", 96.2, "2026-09-25"),  # measured before its quarter ended: that day
    ]
    assert trend_points(TARGET, measurements, dt.date(2026, 11, 22), YEAR) == [
        (dt.date(2026, 6, 30), 96.0), (dt.date(2026, 9, 25), 96.2), (dt.date(2026, 9, 30), 96.5)]


def test_a_correction_replaces_the_measurement_of_the_same_day():
    measurements = [_m("2026-09", 97.0, "2026-10-05", line=2), _m("2026-09", 91.0, "2026-10-12", line=3),
                    _m("2026-10", 90.5, "2026-11-05", line=4), _m("2026-10", 90.0, "2026-11-05", line=5)]
    assert trend_points(TARGET, measurements, dt.date(2026, 11, 22), YEAR) == [
        (dt.date(2026, 9, 30), 91.0), (dt.date(2026, 10, 31), 90.0)]


def test_only_the_targets_period_and_what_is_known_on_the_check_date_count():
    measurements = [_m("2025-12", 99.0, "2026-01-05"), _m("2026-10", 95.6, "2026-11-05"),
                    _m("2026-11", 80.0, "2026-12-05"), _m("2026-10", 50.0, "2026-11-05", target="CT02")]
    assert trend_points(TARGET, measurements, dt.date(2026, 11, 22), YEAR) == [(dt.date(2026, 10, 31), 95.6)]
    assert trend_points(TARGET, measurements, dt.date(2026, 12, 5), YEAR)[-1] == (dt.date(2026, 11, 30), 80.0)
    quarter = parse_period("2026-Q4")
    assert trend_points(TARGET, measurements, dt.date(2026, 12, 5), quarter) == [
        (dt.date(2026, 10, 31), 95.6), (dt.date(2026, 11, 30), 80.0)]


def test_a_target_fact_carries_the_projection_to_its_periods_end():
    plan = Plan(issuer="UBND xã A", locality="A", title="Kế hoạch", year=2026, monitor="Văn phòng")
    measurements = [_m(f"2026-{m:02d}", v, f"2026-{m + 1:02d}-05") for m, v in ((8, 96.9), (9, 96.5), (10, 95.6))]
    folder = PlanFolder(path="a", plan=plan, targets=[TARGET], measurements=measurements)
    (fact,) = target_facts(folder, dt.date(2026, 11, 22))
    assert {k: fact.values.get(k) for k in ("period_end", "projection_points", "projected", "projected_low", "projected_high")} == {
        "period_end": END, "projection_points": 3, "projected": 94.3, "projected_low": 93.0, "projected_high": 95.6}
    (early,) = target_facts(folder, dt.date(2026, 10, 20))  # October's figure not yet known: two points
    assert early.values["projection_points"] == 2 and "projected" not in early.values and "projected_low" not in early.values
