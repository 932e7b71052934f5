"""What earlier nights say of a plan's items, as facts rules can read.

The night (night/) reads the store and hands each plan its items' past as plain data; the
facts it derives then carry four fields (facts/kinds.py): ``open_days`` (since the item was
first found), ``times_notified`` (signed letters that raised it), ``reply_lapsed`` (the last
of them is past its reply date, unanswered) and ``previous_severity`` (the highest severity
of its findings when last seen). An item is a plan's subject and unit, whatever rule fired on
it. With no store the fields are absent: a rule reading them has nothing to go on, and says
so (three-valued truth, docs/rules.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

from dondoc.text import unit_key

ItemKey = tuple[str, str]  # (subject, unit key)


@dataclass(frozen=True)
class ItemHistory:
    first_seen: dt.date
    times_notified: int = 0
    reply_lapsed: bool = False
    previous_severity: str | None = None  # None: never seen before tonight's date


@dataclass(frozen=True)
class PlanPast:
    """A plan's items' past, for the night of its date (``NEW``: a plan the store has never seen)."""

    items: Mapping[ItemKey, ItemHistory]


NEW = PlanPast({})


def history_fields(subject: str, unit: str, as_of: dt.date, past: PlanPast) -> dict[str, Any]:
    """The four fields of one fact (a new item: open 0 days, never notified)."""
    item = past.items.get((subject, unit_key(unit)))
    if item is None:
        return {"open_days": 0, "times_notified": 0, "reply_lapsed": False}
    fields: dict[str, Any] = {
        "open_days": max(0, (as_of - item.first_seen).days),
        "times_notified": item.times_notified,
        "reply_lapsed": item.reply_lapsed,
    }
    if item.previous_severity is not None:
        fields["previous_severity"] = item.previous_severity
    return fields
