"""Deadline phrases ("Quý III, IV/2025", "Trước ngày 20 của tháng cuối quý") as structured deadlines.

The meanings follow ../shared/DOMAIN.md. The original phrase is always kept; a
phrase that cannot be read becomes kind ``unparsed`` with the reason, never dropped.
"""

from __future__ import annotations

import datetime as dt
import enum

from pydantic import BaseModel, ConfigDict, Field


class DeadlineKind(str, enum.Enum):
    DUE = "due"  # one due date (Tháng 10/2026, Quý IV/2025, Chậm nhất ngày 09/9/2026)
    WINDOW = "window"  # active from start, due at due (Bắt đầu từ tháng 4 đến tháng 11/2026)
    RECURRING = "recurring"  # one occurrence per period (Hàng quý, Hằng tháng)
    CONTINUOUS = "continuous"  # no due date (Thường xuyên, Từ ngày 15/3/2026)
    EXTERNAL = "external"  # set elsewhere (Theo lộ trình của Nghị quyết)
    UNPARSED = "unparsed"  # could not be read: reported, never dropped


class Deadline(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    phrase: str
    kind: DeadlineKind
    due: dt.date | None = None
    start: dt.date | None = None
    checkpoint: dt.date | None = Field(
        None, description="Progress expected by this date (first quarter of 'Quý III, IV/2025')"
    )
    occurrences: list[dt.date] = Field(default_factory=list)
    reason: str = Field("", description="Why a phrase is unparsed, or who sets an external date")

    def as_json(self) -> dict:
        """The shape `dondoc parse deadline --json` prints."""
        return {
            "phrase": self.phrase,
            "kind": self.kind.value,
            "due": self.due.isoformat() if self.due else None,
            "start": self.start.isoformat() if self.start else None,
            "checkpoint": self.checkpoint.isoformat() if self.checkpoint else None,
            "occurrences": [d.isoformat() for d in self.occurrences],
            "reason": self.reason,
        }


def parse_deadline(phrase: str, year: int) -> Deadline:
    """Read a Vietnamese deadline phrase; ``year`` is the plan's year, used when the phrase has none."""
    raise NotImplementedError  # being written: see tests/test_deadline.py
