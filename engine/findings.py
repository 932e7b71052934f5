"""A Finding: one rule firing (or unable to be checked) on one fact, with the reasons."""

from __future__ import annotations

import functools
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from dondoc.facts.kinds import SEVERITY_ORDER, Severity  # noqa: F401 - the one table of severities

# The sections of a notice (công văn đôn đốc) a rule may send its findings to, and the fact
# kinds each one lays out. A rule names its section in its YAML (``notice: {section: ...}``);
# templates/sections.py says how each is printed. "khac" (the general section) and
# "thieu-so-lieu" print each finding's own message, so they take any fact.
TASKS = ("task", "occurrence")
ANY = ("task", "occurrence", "target", "procedure")
SECTION_FACTS: dict[str, tuple[str, ...]] = {
    "qua-han": TASKS,
    "cham-tien-do": TASKS,
    "thuong-xuyen": TASKS,
    "chua-co-thoi-han": TASKS,
    "chi-tieu": ("target",),
    "03-giam": ("procedure",),
    "thieu-so-lieu": ANY,
    "khac": ANY,
    "nguy-co": ("target",),
    "sap-den-han": TASKS,
}
GENERAL_SECTION = "khac"
NoticeSection = Literal[tuple(SECTION_FACTS)]  # type: ignore[valid-type] - the ids above, for the rule files' schema


class Finding(BaseModel):
    """What a rule found, and exactly why.

    ``values`` holds every field the rule's condition read, with the value it had
    (e.g. ``{"actual": 91.2, "value": 95, "comparison": ">="}``), so that a reader
    can check the arithmetic without re-running anything.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str
    title: str = Field(description="The rule's Vietnamese title")
    kind: Literal["vi-pham", "thieu-du-lieu"] = Field(
        "vi-pham", description="vi-pham: the condition held; thieu-du-lieu: data it needs is missing"
    )
    plan: str
    plan_path: str = ""
    fact_kind: Literal["task", "occurrence", "target", "procedure"]
    subject: str = Field(description="task:13, occurrence:2@2026-09-20, target:T2, procedure:1.001612")
    subject_title: str = ""
    unit: str = Field(description="The lead unit addressed by the notice ('' if none)")
    severity: Severity
    message: str
    values: dict[str, Any] = Field(default_factory=dict)
    missing: list[str] = Field(default_factory=list, description="Fields with no value")
    fact: dict[str, Any] = Field(
        default_factory=dict, description="The whole fact as evaluated (dates as ISO strings)"
    )
    section: str = Field(GENERAL_SECTION, description="The notice section the rule sends it to")
    request: str = Field("", description="The rule's request to the unit, for the notice")
    since: dict[str, Any] | None = Field(
        None, description="With a store: its change since the plan's last night, first seen, letters that raised it"
    )

    def sort_key(self) -> tuple:
        return (self.plan, self.unit, self.rule, natural(self.subject))


@functools.lru_cache(maxsize=16384)  # findings and rows are sorted by the same subjects many times
def natural(text: str) -> tuple:
    """'task:9' before 'task:16': numbers inside ids compare as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text))
