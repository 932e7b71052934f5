"""Deadline phrases ("Quý III, IV/2025", "Trước ngày 20 của tháng cuối quý") as structured deadlines.

The meanings follow ../shared/DOMAIN.md. The original phrase is always kept; a
phrase that cannot be read becomes kind ``unparsed`` with the reason, never dropped.
"""

from __future__ import annotations

import datetime as dt
import enum

from pydantic import BaseModel, ConfigDict, Field

from dondoc.facts import _deadline_grammar as _grammar


class DeadlineKind(str, enum.Enum):
    DUE = "due"  # one due date (Tháng 10/2026, Quý IV/2025, Chậm nhất ngày 09/9/2026)
    WINDOW = "window"  # active from start, due at due (Bắt đầu từ tháng 4 đến tháng 11/2026)
    RECURRING = "recurring"  # one occurrence per period (Hàng quý, Hằng tháng)
    CONTINUOUS = "continuous"  # no due date (Thường xuyên, Từ ngày 15/3/2026)
    EXTERNAL = "external"  # set elsewhere (Theo lộ trình của Nghị quyết)
    UNPARSED = "unparsed"  # could not be read: reported, never dropped


# What staff call each kind, where a page shows one (the dashboard's measured values).
KIND_WORDS: dict[DeadlineKind, str] = {
    DeadlineKind.DUE: "có hạn hoàn thành",
    DeadlineKind.WINDOW: "thực hiện trong khoảng thời gian",
    DeadlineKind.RECURRING: "định kỳ",
    DeadlineKind.CONTINUOUS: "thường xuyên",
    DeadlineKind.EXTERNAL: "theo lộ trình, quy định khác",
    DeadlineKind.UNPARSED: "chưa đọc được thời hạn",
}


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
    every: str = Field(
        "", description="Recurring: the period each occurrence covers (quarter, month, year, half)"
    )
    continuous: bool = Field(
        False, description="Recurring reports on work that also goes on between them ('Thường xuyên, định kỳ hằng quý')"
    )
    reason: str = Field("", description="Why a phrase is unparsed, or who sets an external date")
    covers: list[str] = Field(
        default_factory=list,
        description="Recurring reports due after their period ('Trước ngày 05 của tháng liền kề'): the "
        "period each occurrence reports on ('2026-01' for the one due 04/02/2026)",
    )

    def as_json(self) -> dict:
        """The shape `dondoc parse deadline --json` prints."""
        return {
            "phrase": self.phrase,
            "kind": self.kind.value,
            "due": self.due.isoformat() if self.due else None,
            "start": self.start.isoformat() if self.start else None,
            "checkpoint": self.checkpoint.isoformat() if self.checkpoint else None,
            "occurrences": [d.isoformat() for d in self.occurrences],
            "every": self.every,
            "continuous": self.continuous,
            "reason": self.reason,
            "covers": list(self.covers),
        }


Period = tuple[dt.date, dt.date]


def parse_deadline(phrase: str, year: int, period: Period | None = None) -> Deadline:
    """Read a Vietnamese deadline phrase; ``year`` is the plan's year, used when the phrase has none.

    ``period`` is the plan's period (start, end). A recurring phrase that names no year ("Hằng
    năm", "Hằng quý") has one occurrence per period of every year the plan's period touches:
    "Hằng năm" in a plan for 2025-2030 is due 31/12 of each of the six years. Without it, the
    plan's year alone.

    Never raises: whatever cannot be read comes back as kind ``unparsed`` with a Vietnamese
    ``reason``, and ``phrase`` is always the input, verbatim. docs/deadlines.md lists the forms;
    the readings that DOMAIN.md leaves open were decided as follows:

    * "trước ngày D" is due the day before D; "chậm nhất ngày D", "đến ngày D" and a bare date are
      due on D. "trước" before a month, quarter or year is due the day before it starts.
    * "Trước ngày N (của) tháng cuối quý" and "trước ngày N hằng tháng" follow the same rule:
      the day before N (19/3, 19/6, 19/9, 19/12 for N = 20; DOMAIN, corrected).
    * "Quý III, IV/2025" (a list) is due at the end of the last quarter with a checkpoint at the
      end of the first; "Quý III-IV/2025" or "từ quý III đến quý IV" (a span) is a window.
    * "Cả năm 2025", "Năm 2025", "Trong năm 2025" are due 31/12 with no start; "6 tháng đầu/cuối
      năm" are due 30/6 / 31/12 with start 1/1 / 1/7.
    * "Thường xuyên trong năm 2026" is continuous: start 1/1/2026, no due date (continuous tasks
      cannot be overdue), reason "Thường xuyên trong năm 2026".
    * Recurring readings have one occurrence per period of the year named (else of every year of
      ``period``, else of ``year``), sorted; ``start`` is 1/1 of the first year and ``due`` the
      last occurrence; ``every`` names the period. Plain "Hàng quý"/"Hằng tháng"/
      "Hằng năm" fall at the end of each period. A day past a month's end (31 in June) is clamped.
    * A phrase opening with "Theo", "Kết hợp", "Khi", "Căn cứ", "Tuỳ" ... is external even if it
      quotes a date ("Theo Kế hoạch số 49/KH-UBND ngày 13/02/2023"), except "theo quý/tháng/năm".
    * Prose with several clauses ("xong trước ngày 15/03/2023 và thường xuyên trong năm") is read
      clause by clause: dated clauses decide (due = latest, checkpoint = earliest), continuous
      and external clauses go into ``reason``; one clause that cannot be read makes it unparsed.
      A continuous clause beside a recurring one ("Thường xuyên, định kỳ hằng quý báo cáo kết
      quả") gives a recurring reading with ``continuous`` set: both are kept.
    * "Hằng tuần" is unparsed (no weekday is given); "hằng ngày" is continuous.
    """
    try:
        text = phrase if isinstance(phrase, str) else ("" if phrase is None else str(phrase))
        years = (period[0].year, period[1].year) if period else None
        r = _grammar.read(text, year, years)
        return Deadline(
            phrase=text,
            kind=DeadlineKind(r.kind),
            due=r.due,
            start=r.start,
            checkpoint=r.checkpoint,
            occurrences=list(r.occurrences),
            every=r.every,
            continuous=r.continuous,
            reason=r.reason,
            covers=list(r.covers),
        )
    except Exception as e:  # noqa: BLE001 - the contract is "never raise"; the bug shows in reason
        return Deadline(
            phrase=phrase if isinstance(phrase, str) else "",
            kind=DeadlineKind.UNPARSED,
            reason=f"Lỗi nội bộ khi đọc thời hạn ({type(e).__name__}: {e})",
        )
