"""The importer's vocabularies are data tables with their examples beside them: each example reads
as its entry says (layout.COLUMN_ROLES, headings.PARTS)."""

from __future__ import annotations

import pytest

from dondoc.facts.importer.headings import PARTS, kinds_of
from dondoc.facts.importer.labelled import labels
from dondoc.facts.importer.layout import COLUMN_ROLES, DEADLINE, LEAD, column_role

COLUMNS = [(entry.role, example) for entry in COLUMN_ROLES for example in entry.examples]
HEADINGS = [(part.kind, example) for part in PARTS for example in part.examples]


@pytest.mark.parametrize("role, name", COLUMNS, ids=[n for _, n in COLUMNS])
def test_every_column_name_example_has_its_role(role, name):
    assert column_role(name) == role


@pytest.mark.parametrize("kind, heading", HEADINGS, ids=[h for _, h in HEADINGS])
def test_every_heading_example_names_its_part(kind, heading):
    assert kind in kinds_of(heading)


def test_a_combined_heading_names_both_parts_and_the_general_aim_is_not_the_targets():
    assert kinds_of("II. CHỈ TIÊU, NHIỆM VỤ") == {"objectives", "tasks"}
    assert kinds_of("1. Mục tiêu chung") == {"general"}
    assert kinds_of("Về dịch vụ công trực tuyến") == frozenset()


def test_a_label_is_a_column_name_written_as_a_line():
    assert labels("- Đơn vị chủ trì: Công chức Văn hóa - xã hội.") == {LEAD: "Công chức Văn hóa - xã hội"}
    both = labels("Đơn vị chủ trì: Công chức Tư pháp - hộ tịch. Thời gian hoàn thành: trước ngày 20/3/2026.")
    assert both == {LEAD: "Công chức Tư pháp - hộ tịch", DEADLINE: "trước ngày 20/3/2026"}
    assert labels("Rà soát, lập danh sách hộ nghèo: đầy đủ") is None
