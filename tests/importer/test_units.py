"""Unit names: splitting cells, one canonical name per unit, groups."""

from __future__ import annotations

import unicodedata

import pytest

from dondoc.facts.importer.units import UnitRegister, split_units
from dondoc.text import is_group, unit_key


@pytest.mark.parametrize(
    "cell, names",
    [
        ("Phòng Văn hóa - Xã hội; Trung tâm Dịch vụ sự nghiệp công xã; các phòng chuyên môn; các thôn;",
         ["Phòng Văn hóa - Xã hội", "Trung tâm Dịch vụ sự nghiệp công xã", "các phòng chuyên môn", "các thôn"]),
        ("Văn phòng HĐND và UBND xã, các phòng chuyên môn; các thôn",
         ["Văn phòng HĐND và UBND xã", "các phòng chuyên môn", "các thôn"]),
        ("Các phòng chuyên môn, các cơ quan, đơn vị liên quan.", ["Các phòng chuyên môn", "các cơ quan, đơn vị liên quan"]),
        ("- Các cơ quan, đơn vị. - Các cơ quan tổ chức theo ngành dọc ở cấp xã có liên quan.",
         ["Các cơ quan, đơn vị", "Các cơ quan tổ chức theo ngành dọc ở cấp xã có liên quan"]),
        ("Văn phòng HĐND - UBND xã", ["Văn phòng HĐND - UBND xã"]),
        ("Trung tâm Văn hoá, Thể thao và Truyền thông xã", ["Trung tâm Văn hoá, Thể thao và Truyền thông xã"]),
        ("Phòng Kinh tế\nCông an xã", ["Phòng Kinh tế", "Công an xã"]),
        ("Các công chức Văn hóa - xã hội, Tư pháp - hộ tịch, Tài chính - kế toán.",
         ["Công chức Văn hóa - xã hội", "Công chức Tư pháp - hộ tịch", "Công chức Tài chính - kế toán"]),
        ("", []),
        ("...", []),
    ],
)
def test_split_units(cell, names):
    assert split_units(cell) == names


@pytest.mark.parametrize(
    "a, b",
    [
        ("Phòng Văn hóa - Xã hội", "Phòng Văn hoá-Xã hội"),
        ("Phòng Văn hóa - Xã hội", "phòng văn hóa xã hội"),
        ("Phòng Kinh tế", "Phòng Kinh tế xã"),
        ("Văn phòng HĐND và UBND xã", "Văn phòng HĐND - UBND xã"),
        ("Văn phòng HĐND và UBND xã", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân"),
        ("Trung tâm Phục vụ hành chính công", "Trung tâm Phục vụ Hành chính công xã."),
        ("Công an phường", "Công an"),
        ("Phòng Văn hóa - Xã hội", unicodedata.normalize("NFD", "Phòng Văn hoá – Xã hội")),
    ],
)
def test_same_unit(a, b):
    assert unit_key(a) == unit_key(b)


def test_different_units_stay_apart():
    assert unit_key("Công chức Địa chính xây dựng và môi trường") != unit_key("Công chức Địa chính – nông lâm")
    assert unit_key("Phòng Kinh tế") != unit_key("Phòng Văn hóa - Xã hội")


@pytest.mark.parametrize(
    "name, group",
    [("các phòng chuyên môn", True), ("Các thôn", True), ("MTTQ và các tổ chức chính trị - xã hội xã", True),
     ("Phòng Kinh tế", False), ("Công an xã", False), ("Trung tâm Phục vụ hành chính công", False)],
)
def test_groups(name, group):
    assert is_group(name) is group


def test_register_names_a_unit_by_its_most_used_spelling():
    register = UnitRegister()
    for name in ["Phòng Kinh tế", "Phòng Kinh tế xã", "Phòng Kinh tế xã", "các thôn"]:
        register.add(name)
    units = register.units()
    assert [(u.name, u.aliases, u.group) for u in units] == [
        ("Phòng Kinh tế xã", ["Phòng Kinh tế"], False),
        ("Các thôn", ["các thôn"], True),
    ]
    assert register.canonical("phòng kinh tế") == "Phòng Kinh tế xã"


def test_a_typists_slip_never_names_the_unit():
    # Seed 004 writes "Văn phòng HĐND- UBND xã" five times and the office's full name once:
    # the letters are addressed to the full name, the slip stays an alias.
    register = UnitRegister()
    for name in ["Văn phòng HĐND- UBND xã"] * 5 + ["Văn phòng HĐND - UBND xã", "Văn phòng HĐND và UBND xã"]:
        register.add(name)
    assert register.canonical("Văn phòng HĐND- UBND xã") == "Văn phòng HĐND và UBND xã"
    # The dash shorthand still beats the slip when the full name is never written.
    shorthand = UnitRegister()
    for name in ["Văn phòng HĐND- UBND xã"] * 5 + ["Văn phòng HĐND - UBND xã"]:
        shorthand.add(name)
    assert shorthand.canonical("Văn phòng HĐND- UBND xã") == "Văn phòng HĐND - UBND xã"
    # A name whose dash belongs to it is untouched.
    one = UnitRegister()
    one.add("Phòng Văn hóa - Xã hội")
    assert one.canonical("Phòng Văn hóa - Xã hội") == "Phòng Văn hóa - Xã hội"
