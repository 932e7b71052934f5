"""Where a target's measurements are heading: a trend projected to the end of its period.

The early warning (rule ``chi-tieu-nguy-co-khong-dat``) reads what this computes, as the
fields ``projected``, ``projected_low`` and ``projected_high`` of a target fact
(docs/engine.md, "Early warning: the projection"):

- the series is the target's measurements known on the check date for periods inside the
  target's own period, each placed on the day it describes (facts/derive.py ``trend_points``);
- a straight line is fitted by weighted least squares, each point weighing half as much as
  one ``HALF_LIFE_DAYS`` more recent (the newest weighs 1), so the line follows what the
  unit is doing now rather than what it did in the first months;
- the projection is the line's value on the last day of the target's period, with the
  ``LEVEL`` prediction interval of one more measurement of the newest point's weight there
  (Student's t with n - 2 degrees of freedom: three points give a wide interval);
- all three are kept inside the values the metric can take (``Target.bounds``: a share in
  0-100) and rounded to one decimal, so a rule compares exactly the figure a letter prints.

Fewer than ``MIN_POINTS`` points give no projection: the field is missing, and a rule
reading it reports missing data.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass
from typing import Sequence

MIN_POINTS = 3  # a line through two points has no spread to measure: no interval
HALF_LIFE_DAYS = 60.0  # a point two months older weighs half as much (bench/warning.py compares others)
LEVEL = 0.80  # the prediction interval: 10% chance below projected_low, 10% above projected_high
DECIMALS = 1


@dataclass(frozen=True)
class Projection:
    value: float
    low: float
    high: float


@functools.lru_cache(maxsize=64)
def _t_quantile(dof: int) -> float:
    """Student's t quantile for the interval's upper end (two-sided ``LEVEL``)."""
    from scipy.special import stdtrit  # imported with the first series long enough (test_startup)

    return float(stdtrit(dof, 0.5 + LEVEL / 2))


def trend(points: Sequence[tuple[dt.date, float]], horizon: dt.date) -> tuple[float, float]:
    """The weighted least-squares line through ``points`` (at least ``MIN_POINTS``, distinct
    days) read on ``horizon``, and the half-width of its ``LEVEL`` prediction interval there."""
    # numpy comes with scipy.special, which the interval needs: neither is imported by a
    # check whose targets have no series (a cold start stays as it was).
    import numpy as np

    # Days counted from the horizon: the projection is the line's intercept.
    days = np.array([(day - horizon).days for day, _ in points], dtype=float)
    values = np.array([value for _, value in points], dtype=float)
    weights = 0.5 ** ((days.max() - days) / HALF_LIFE_DAYS)
    design = np.column_stack([np.ones_like(days), days])
    root = np.sqrt(weights)
    (intercept, slope), *_ = np.linalg.lstsq(design * root[:, None], values * root, rcond=None)
    residuals = values - (intercept + slope * days)
    dof = len(points) - 2
    scale = float(weights @ residuals**2) / dof  # the variance of a point of weight 1
    gram = (design * weights[:, None]).T @ design
    if np.linalg.cond(gram) > 1e12:  # the older points weigh nothing beside the newest (centuries apart): no line
        return math.nan, math.nan
    unscaled = np.linalg.inv(gram)
    # One more measurement on the horizon, of weight 1: the line's own variance there plus its scatter.
    return float(intercept), _t_quantile(dof) * math.sqrt(scale * (unscaled[0, 0] + 1.0))


def project(points: Sequence[tuple[dt.date, float]], horizon: dt.date, bounds: tuple[float, float] = (-math.inf, math.inf)) -> Projection | None:
    """The projection on ``horizon``, kept inside ``bounds`` and rounded; None with fewer than
    ``MIN_POINTS`` points, or when no line can be drawn through them."""
    if len(points) < MIN_POINTS:
        return None
    centre, spread = trend(points, horizon)
    if not (math.isfinite(centre) and math.isfinite(spread)):
        return None  # never a non-finite number in a fact (docs/engine.md, trap 11)
    low, high = bounds

    def kept(value: float) -> float:
        return round(min(max(value, low), high), DECIMALS)

    return Projection(kept(centre), kept(centre - spread), kept(centre + spread))
