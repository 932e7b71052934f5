"""Where a value stands in a YAML file (facts/yamlio.py ``Marks``): looked up in libyaml's
nodes when an error or a task's line asks, not recorded for every value while reading."""

from __future__ import annotations

import pytest

from dondoc.facts.yamlio import KEY, locate, parse_yaml

TEXT = """\
plan:
  title: "Kế hoạch"
  year: 2026
tasks:
  - id: '1'
    lead: [Phòng Kinh tế, "Công an"]
  - id: 2
    title: >-
      một dòng
empty: {}
"""


@pytest.mark.parametrize(
    "loc, place",
    [
        ((), (1, 1)),
        (("plan",), (2, 3)),
        (("plan", KEY), (1, 1)),  # a key: where its name is written
        (("plan", "title"), (2, 11)),  # a quoted value: its text, one column after the quote
        (("plan", "title", KEY), (2, 3)),
        (("plan", "year"), (3, 9)),
        (("tasks", 0), (5, 5)),
        (("tasks", 0, "id"), (5, 10)),
        (("tasks", 0, "lead", 0), (6, 12)),
        (("tasks", 0, "lead", 1), (6, 28)),
        (("tasks", 1, "title"), (8, 12)),  # a folded block: where its indicator stands
        (("empty",), (10, 8)),
    ],
)
def test_each_value_and_key_is_found_at_its_line_and_column(loc, place):
    _, marks = parse_yaml(TEXT)
    assert loc in marks and marks[loc] == place


@pytest.mark.parametrize(
    "loc, place",
    [
        (("tasks", 2, "id"), (5, 3)),  # past the list's end: the list itself (its first dash)
        (("tasks", -1), (5, 3)),  # no negative index
        (("tasks", "0"), (5, 3)),  # a list is indexed by numbers only
        (("plan", "title", "deeper"), (2, 11)),  # inside a scalar: the scalar
        (("plan", "unknown", KEY), (2, 3)),  # an unknown field's key: the mapping it is not in
        (("function-after[check(), Task]", "id"), (1, 1)),  # pydantic's own names: the file's start
    ],
)
def test_a_place_not_in_the_file_is_its_deepest_known_prefix(loc, place):
    _, marks = parse_yaml(TEXT)
    assert loc not in marks
    with pytest.raises(KeyError):
        marks[loc]
    assert locate(marks, loc) == place


def test_an_empty_file_has_no_marks():
    assert parse_yaml("") == (None, {})
