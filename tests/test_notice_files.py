"""Who receives which letter (groups routed by the settings), file names from the plan's own
identity, collisions as errors, one pass over the findings, and the register's numbering hook."""

from __future__ import annotations

import datetime as dt

import pytest

from dondoc.engine.findings import Finding
from dondoc.errors import InputError
from dondoc.facts.models import Plan, PlanFolder, Target, Unit
from dondoc.facts.settings import Settings
from dondoc.night.letters import addressees
from dondoc.night.plan import build_letters, notices_for_plan
from dondoc.night.plans import plan_slug, short_slug
from dondoc.text import unit_key
from dondoc.templates import NoticeFile, unique_files
from tests.notice_text import docx_lines, html_lines

AS_OF = dt.date(2026, 11, 20)


def folder(path="plans/a", units=(), **plan) -> PlanFolder:
    fields = dict(issuer="UBND xã Gia Lộc", locality="Gia Lộc", number="97/KH-UBND", issued=dt.date(2026, 3, 23),
                  title="Cải cách hành chính năm 2026", year=2026, monitor="Văn phòng HĐND và UBND xã")
    fields.update(plan)
    return PlanFolder(path=path, plan=Plan(**fields), units=list(units))


def f(subject: str, unit: str, rule="chi-tieu-bang", **over) -> Finding:
    return Finding(
        rule=rule, title="Chỉ tiêu", plan="97/KH-UBND", fact_kind="target", subject=subject, unit=unit,
        severity="cảnh báo", kind=over.pop("kind", "thieu-du-lieu"), section="thieu-so-lieu",
        message=f"Chỉ tiêu {subject}: chưa có số liệu kết quả thực hiện.",
        fact={"target": subject.split(":")[1], "text": subject, "metric": "m", "comparison": "==", "value": 100.0,
              "measure": "%", "is_reduction": False, "scope": "", "period": "2026", "unit": unit, "plan": "97/KH-UBND"},
        **over,
    )


GROUPS = [Unit(name="Các phòng chuyên môn", group=True), Unit(name="Các cơ quan, đơn vị liên quan", group=True)]


# --- addressees ------------------------------------------------------------------------------


def test_a_group_goes_to_the_units_the_settings_name_and_others_to_the_monitor():
    findings = [f("target:CT01", "Các phòng chuyên môn"), f("target:CT02", "Các cơ quan, đơn vị liên quan"),
                f("target:CT03", "Phòng Kinh tế"), f("target:CT04", "")]
    settings = Settings(groups={"các phòng chuyên môn": ["Phòng Kinh tế", "Phòng Văn hóa - Xã hội"]})
    letters = addressees(folder(units=GROUPS), findings, settings)
    got = {letter.name: sorted(x.subject for x in letter.findings) for letter in letters.values()}
    assert got == {
        "Phòng Kinh tế": ["target:CT01", "target:CT03"],
        "Phòng Văn hóa - Xã hội": ["target:CT01"],
        "Văn phòng HĐND và UBND xã": ["target:CT02", "target:CT04"],
    }
    assert [(x.name, x.oversees, x.shares) for x in letters.values()] == [
        ("Phòng Kinh tế", [], ["Các phòng chuyên môn"]),
        ("Phòng Văn hóa - Xã hội", [], ["Các phòng chuyên môn"]),
        ("Văn phòng HĐND và UBND xã", ["Các cơ quan, đơn vị liên quan"], []),
    ]


def test_each_item_is_in_exactly_one_row_of_a_letter_however_many_groups_bring_it():
    """CT01 is led by both groups; both go to the monitor, and the monitor leads CT01 itself too."""
    findings = [f("target:CT01", "Các phòng chuyên môn"), f("target:CT01", "Các cơ quan, đơn vị liên quan"),
                f("target:CT01", "Văn phòng HĐND và UBND xã")]
    [letter] = build_letters(folder(units=GROUPS), findings, AS_OF, Settings())[1]
    notice = letter.notice
    [section] = notice.sections
    assert len(section.rows) == 1 and section.count_text == "01 chỉ tiêu"
    assert section.rows[0].lead_units == ("Văn phòng HĐND và UBND xã", "các cơ quan, đơn vị liên quan", "các phòng chuyên môn")
    text = " ".join(html_lines(notices_for_plan(folder(units=GROUPS), findings, AS_OF, Settings(), ["html"])[0].data.decode()))
    assert text.count("Chỉ tiêu target:CT01") == 1
    assert ("Đối với các nội dung giao các cơ quan, đơn vị liên quan và các phòng chuyên môn chủ trì (ghi rõ tại từng nội"
            " dung), Văn phòng HĐND và UBND xã là đơn vị theo dõi, có trách nhiệm đôn đốc") in text
    assert "giao Các" not in text


def test_a_member_of_a_group_is_told_the_item_is_shared_not_asked_to_urge_the_others():
    settings = Settings(groups={"Các phòng chuyên môn": ["Phòng Kinh tế", "Phòng Văn hóa - Xã hội"]})
    findings = [f("target:CT01", "Các phòng chuyên môn"), f("target:CT02", "Phòng Kinh tế")]
    [economy, culture] = notices_for_plan(folder(units=GROUPS), findings, AS_OF, settings, ["html"])
    text = " ".join(html_lines(economy.data.decode()))
    assert ("Phòng Kinh tế được giao chủ trì thực hiện một số nhiệm vụ, chỉ tiêu; Kế hoạch cũng giao các phòng chuyên"
            " môn (trong đó có Phòng Kinh tế) chủ trì một số nội dung (ghi rõ tại từng nội dung).") in text
    # A unit the plan names only through its group is told so, not that it was given the items itself.
    [both] = notices_for_plan(folder(units=GROUPS), findings[:1], AS_OF, settings, ["html"])
    assert ("các phòng chuyên môn (trong đó có Phòng Kinh tế và Phòng Văn hóa - Xã hội) được giao chủ trì thực hiện"
            " một số nhiệm vụ, chỉ tiêu (ghi rõ tại từng nội dung).") in " ".join(html_lines(both.data.decode()))
    assert "đơn vị theo dõi" not in text and "đơn vị chủ trì: Phòng Kinh tế; các phòng chuyên môn" not in text
    assert "chưa có số liệu kết quả thực hiện (đơn vị chủ trì: các phòng chuyên môn)" in text
    assert "CT01" in culture.data.decode() and "CT02" not in culture.data.decode()


def test_a_group_with_nowhere_to_go_is_an_error_naming_the_plan():
    plan = folder(units=GROUPS, monitor="")
    with pytest.raises(InputError, match="không biết gửi công văn") as exc:
        addressees(plan, [f("target:CT01", "Các phòng chuyên môn")], Settings())
    assert exc.value.path.endswith("plan.yaml")
    # what the official reads: which item's unit, why, and what to write
    assert "nội dung giao 'Các phòng chuyên môn' cho ai: kế hoạch không ghi đơn vị theo dõi (monitor)" in exc.value.message
    assert exc.value.hint == "ghi plan.monitor trong plan.yaml, hoặc monitor / groups trong dondoc.yaml"
    with pytest.raises(InputError, match=r"nội dung giao '\(không ghi đơn vị\)' cho ai"):
        addressees(plan, [f("target:CT01", "")], Settings())
    assert addressees(plan, [f("target:CT01", "Các phòng chuyên môn")], Settings(monitor="Văn phòng UBND xã"))


def test_a_unit_the_plan_marks_as_a_group_goes_to_the_monitor_though_its_name_does_not_say_so():
    flagged = folder(units=[Unit(name="Tổ công tác liên ngành", group=True)])
    [letter] = addressees(flagged, [f("target:CT01", "Tổ công tác liên ngành")], Settings()).values()
    assert (letter.name, letter.oversees) == ("Văn phòng HĐND và UBND xã", ["Tổ công tác liên ngành"])
    [letter] = addressees(folder(), [f("target:CT01", "Tổ công tác liên ngành")], Settings()).values()
    assert (letter.name, letter.oversees) == ("Tổ công tác liên ngành", [])


def test_a_group_with_several_items_is_named_once_in_each_letter_it_reaches():
    settings = Settings(groups={"Các phòng chuyên môn": ["Phòng Kinh tế"]})
    findings = [f("target:CT01", "Các phòng chuyên môn"), f("target:CT02", "Các phòng chuyên môn"),
                f("target:CT03", "Các cơ quan, đơn vị liên quan"), f("target:CT04", "Các cơ quan, đơn vị liên quan")]
    letters = addressees(folder(units=GROUPS), findings, settings)
    assert [(x.name, x.shares, x.oversees, len(x.findings)) for x in letters.values()] == [
        ("Phòng Kinh tế", ["Các phòng chuyên môn"], [], 2),
        ("Văn phòng HĐND và UBND xã", [], ["Các cơ quan, đơn vị liên quan"], 2),
    ]


def test_grouping_is_one_pass_over_the_findings():
    """A generator can be read once: a second scan (per unit, per plan) would see nothing."""
    findings = [f(f"target:CT{i:02d}", unit) for i, unit in enumerate(["Phòng A", "Phòng B", "Phòng A", "Phòng C"] * 5)]
    files = notices_for_plan(folder(), iter(findings), AS_OF, Settings(), ["html"])
    assert [x.path.rsplit("/", 1)[1] for x in files] == ["phong-a.html", "phong-b.html", "phong-c.html"]
    counts = [" ".join(html_lines(x.data.decode())).count("chưa có số liệu kết quả") for x in files]
    assert counts == [10, 5, 5]


# --- one letter, several addressees; co-leads -------------------------------------------------

PHONGS = {"Các phòng chuyên môn": ["Phòng Văn hóa - Xã hội", "Phòng Kinh tế"]}


def test_units_told_the_same_thing_get_one_letter_with_several_addressees():
    asked = "bổ sung, báo cáo số liệu các nội dung nêu trên"
    findings = [f("target:CT01", "Các phòng chuyên môn", request=asked), f("target:CT02", "Các phòng chuyên môn", request=asked)]
    [letter] = build_letters(folder(units=GROUPS), findings, AS_OF, Settings(groups=PHONGS))[1]
    assert letter.keys == (unit_key("Phòng Kinh tế"), unit_key("Phòng Văn hóa - Xã hội")) and letter.key == letter.keys[0]
    assert letter.notice.addressees == ("Phòng Kinh tế", "Phòng Văn hóa - Xã hội")
    files = notices_for_plan(folder(units=GROUPS), findings, AS_OF, Settings(groups=PHONGS), ["html", "docx"])
    # Named for the group the settings give exactly these units.
    assert [x.path for x in files] == ["xa-gia-loc-2026-97-KH-UBND/cac-phong-chuyen-mon.html",
                                       "xa-gia-loc-2026-97-KH-UBND/cac-phong-chuyen-mon.docx"]
    lines = html_lines(files[0].data.decode())
    assert lines == docx_lines(files[1].data)  # the Word letter says the same, line for line
    at = lines.index("Kính gửi: - Phòng Kinh tế;")
    assert lines[at + 1] == "- Phòng Văn hóa - Xã hội."
    text = " ".join(lines)
    assert "các phòng chuyên môn (trong đó có Phòng Kinh tế và Phòng Văn hóa - Xã hội) được giao chủ trì" in text
    assert "tình hình thực hiện Kế hoạch của các đơn vị như sau" in text and "Đề nghị các đơn vị bổ sung" in text
    assert "yêu cầu các đơn vị nghiêm túc thực hiện" in text
    assert lines[lines.index("Nơi nhận:") + 1] == "- Như trên;"


def test_one_row_of_difference_makes_two_letters():
    findings = [f("target:CT01", "Các phòng chuyên môn"), f("target:CT02", "Phòng Kinh tế")]
    letters = build_letters(folder(units=GROUPS), findings, AS_OF, Settings(groups=PHONGS))[1]
    assert [(letter.stem.split("/")[1], letter.notice.addressees) for letter in letters] == [
        ("phong-kinh-te", ("Phòng Kinh tế",)), ("phong-van-hoa-xa-hoi", ("Phòng Văn hóa - Xã hội",))]
    # The same rows reached for a different reason (its own item vs. as a group's member) are two letters too.
    mine = [f("target:CT01", "Các phòng chuyên môn"), f("target:CT01", "Phòng Kinh tế")]
    assert len(build_letters(folder(units=GROUPS), mine, AS_OF, Settings(groups=PHONGS))[1]) == 2


def test_several_addressees_that_are_no_group_of_the_settings_are_named_by_the_first_and_a_count():
    groups = {"Nhóm một": ["Phòng A", "Phòng B", "Phòng C"], "Nhóm hai": ["Phòng C", "Phòng D"]}
    units = [Unit(name="Nhóm một", group=True), Unit(name="Nhóm hai", group=True)]
    findings = [f("target:CT01", "Nhóm một"), f("target:CT02", "Nhóm hai")]
    letters = build_letters(folder(units=units), findings, AS_OF, Settings(groups=groups))[1]
    assert [(letter.stem.split("/")[1], letter.notice.addressees) for letter in letters] == [
        ("phong-a-va-1-don-vi-khac", ("Phòng A", "Phòng B")),
        ("phong-c", ("Phòng C",)),
        ("phong-d", ("Phòng D",)),
    ]


def test_the_monitor_among_the_addressees_is_not_listed_again_under_noi_nhan():
    groups = {"Các phòng chuyên môn": ["Phòng Kinh tế", "Văn phòng HĐND và UBND xã"]}
    [x] = notices_for_plan(folder(units=GROUPS), [f("target:CT01", "Các phòng chuyên môn")], AS_OF, Settings(groups=groups), ["html"])
    lines = html_lines(x.data.decode())
    closing = lines[lines.index("Nơi nhận:"):]
    assert "- Văn phòng HĐND và UBND xã;" not in closing and "- Như trên;" in closing
    assert "(qua Văn phòng HĐND và UBND xã)" in " ".join(lines)


def test_a_co_led_item_names_every_lead_in_each_letter_it_reaches():
    """CT01 is led by the Trung tâm and the phòng chuyên môn: each letter says so, though the
    Trung tâm's finding went to its own letter and the group's to the phòng's."""
    centre = "Trung tâm Phục vụ hành chính công"
    def plan_with(*lead):
        target = Target(id="CT01", text="target:CT01", metric="m", comparison="==", value=100, unit="%", lead=list(lead))
        return folder(units=GROUPS).model_copy(update={"targets": [target]})

    plan = plan_with(centre, "Các phòng chuyên môn")
    findings = [f("target:CT01", centre), f("target:CT01", "Các phòng chuyên môn")]
    files = {x.path.rsplit("/", 1)[1]: " ".join(html_lines(x.data.decode()))
             for x in notices_for_plan(plan, findings, AS_OF, Settings(groups=PHONGS), ["html"])}
    assert set(files) == {"cac-phong-chuyen-mon.html", "trung-tam-phuc-vu-hanh-chinh-cong.html"}
    both = f"(đơn vị chủ trì: {centre}; các phòng chuyên môn)"
    assert both in files["cac-phong-chuyen-mon.html"] and both in files["trung-tam-phuc-vu-hanh-chinh-cong.html"]
    # A target the plan gives the Trung tâm alone names no lead in its letter.
    [alone] = notices_for_plan(plan_with(centre), findings[:1], AS_OF, Settings(groups=PHONGS), ["html"])
    assert "đơn vị chủ trì" not in " ".join(html_lines(alone.data.decode()))


# --- file names ------------------------------------------------------------------------------


def test_files_are_named_from_commune_year_number_and_unit():
    [x] = notices_for_plan(folder(), [f("target:CT01", "Phòng Kinh tế")], AS_OF, Settings(), ["html"])
    assert x.path == "xa-gia-loc-2026-97-KH-UBND/phong-kinh-te.html"


@pytest.mark.parametrize(
    "a, b",
    [
        (dict(issuer="UBND xã Gia Lộc"), dict(issuer="UBND phường Gia Lộc")),  # one number, two communes
        (dict(year=2025), dict(year=2026)),  # one commune and number, two years
        (dict(number="692/QĐ-UBND"), dict(number="692/KH-UBND")),
        (dict(number="/KH-UBND", title="Kế hoạch A"), dict(number="/KH-UBND", title="Kế hoạch B")),  # two drafts
    ],
)
def test_two_plans_never_share_a_folder(a, b):
    assert plan_slug(folder(**a)) != plan_slug(folder(**b))


def test_two_spellings_of_one_unit_are_one_letter():
    findings = [f("target:CT01", "Phòng Văn hoá - Xã hội"), f("target:CT02", "Phòng Văn hóa - Xã hội")]
    files = notices_for_plan(folder(), findings, AS_OF, Settings(), ["html"])
    assert len(files) == 1 and "CT01" in files[0].data.decode() and "CT02" in files[0].data.decode()


def test_two_long_names_that_start_alike_get_two_files():
    stem = "Trung tâm Phục vụ hành chính công và Bộ phận tiếp nhận và trả kết quả giải quyết thủ tục hành chính "
    findings = [f("target:CT01", stem + "phía Bắc"), f("target:CT02", stem + "phía Nam")]
    files = notices_for_plan(folder(), findings, AS_OF, Settings(), ["html"])
    names = [x.path.rsplit("/", 1)[1] for x in files]
    assert len(set(names)) == 2 and all(len(n) <= 65 for n in names)


def test_two_units_spelt_alike_in_ascii_get_two_files():
    findings = [f("target:CT01", "Phòng Văn hóa"), f("target:CT02", "Phòng Văn hoa")]
    files = notices_for_plan(folder(), findings, AS_OF, Settings(), ["html"])
    assert len({x.path for x in files}) == 2


def test_a_collision_that_remains_is_an_error():
    with pytest.raises(InputError, match="trùng tên tệp"):
        unique_files([NoticeFile("a/b.html", b"1"), NoticeFile("a/b.html", b"2")])


def test_a_long_name_is_cut_with_a_hash():
    assert short_slug("Phòng Kinh tế") == "phong-kinh-te"
    cut = short_slug("x" * 100)
    assert len(cut) == 60 and cut != short_slug("x" * 99)


# --- drafts ----------------------------------------------------------------------------------


def test_a_draft_is_withheld_when_the_settings_say_so():
    draft = folder(number="/KH-UBND", issued=None)
    findings = [f("target:CT01", "Phòng Kinh tế")]
    assert notices_for_plan(draft, findings, AS_OF, Settings(drafts="withhold"), ["html"]) == []
    [marked] = notices_for_plan(draft, findings, AS_OF, Settings(), ["html"])
    assert html_lines(marked.data.decode())[0] == "DỰ THẢO"


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="odt"):
        notices_for_plan(folder(), [f("target:CT01", "Phòng Kinh tế")], AS_OF, Settings(), ["odt"])


def test_the_settings_template_folder_is_used_and_the_option_overrides_it(tmp_path):
    mine, other = tmp_path / "mau-xa", tmp_path / "mau-khac"
    for where, words in ((mine, "MẪU CỦA XÃ"), (other, "MẪU KHÁC")):
        where.mkdir()
        (where / "notice.html.j2").write_text(f"<p>{words}: {{{{ unit }}}}</p>", encoding="utf-8")
    findings = [f("target:CT01", "Phòng Kinh tế")]
    [x] = notices_for_plan(folder(), findings, AS_OF, Settings(templates=mine), ["html"])
    assert "MẪU CỦA XÃ: Phòng Kinh tế" in x.data.decode()
    [y] = notices_for_plan(folder(), findings, AS_OF, Settings(templates=mine), ["html"], template_dir=other)
    assert "MẪU KHÁC: Phòng Kinh tế" in y.data.decode()
