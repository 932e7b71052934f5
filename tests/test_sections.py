"""The notice classification: which row of which section a finding makes, who leads it (the
addressee first), the items the plan gives no lead unit (the monitoring unit is told they are
common), rows in the plan's order, sections numbered in print order, a request said once per row.

Found blind by mutation testing (make mutation templates/sections.py): these were pinned only
through whole letters rendered by the command line.
"""

from __future__ import annotations

import datetime as dt

from dondoc.engine.findings import Finding
from dondoc.facts.deadline import Deadline, DeadlineKind
from dondoc.facts.models import Plan, PlanFolder, Procedure, Target, Task
from dondoc.facts.settings import Settings
from dondoc.facts.units import unit_key
from dondoc.templates.notices import build_notices, lead_keys, plan_leads
from dondoc.templates.sections import PlanIndex, build_sections

MONITOR = "Văn phòng HĐND và UBND xã"
ECONOMY = "Phòng Kinh tế"
CULTURE = "Phòng Văn hóa - Xã hội"
AS_OF = dt.date(2026, 11, 20)
DUE = Deadline(phrase="Tháng 10/2026", kind=DeadlineKind.DUE, due=dt.date(2026, 10, 31))
ELSEWHERE = Deadline(phrase="Theo văn bản hướng dẫn của tỉnh", kind=DeadlineKind.EXTERNAL)
QUARTERLY = Deadline(phrase="Hằng quý", kind=DeadlineKind.RECURRING, every="quarter",
                     occurrences=[dt.date(2026, 3, 31), dt.date(2026, 6, 30)])


def plan_folder() -> PlanFolder:
    """Task 1, target CT02 and procedure 1.002 have a lead; task 2, recurring task 3, target
    CT01 and procedure 1.001 are the plan's own (no lead unit)."""
    plan = Plan(issuer="UBND xã Gia Lộc", locality="Gia Lộc", number="97/KH-UBND", issued=dt.date(2026, 3, 23),
                title="Cải cách hành chính năm 2026", year=2026, monitor=MONITOR)
    return PlanFolder(
        path="plans/a",
        plan=plan,
        tasks=[
            Task(id="1", title="Nhiệm vụ 1", lead=[ECONOMY, CULTURE], deadline=DUE),
            Task(id="2", title="Nhiệm vụ 2", deadline=ELSEWHERE, due=dt.date(2026, 9, 30),
                 due_source="Công văn  số 12/UBND-VP"),
            Task(id="3", title="Nhiệm vụ 3", deadline=QUARTERLY),
        ],
        targets=[
            Target(id="CT01", text="Tỷ lệ hồ sơ đúng hạn", metric="Tỷ lệ hồ sơ đúng hạn", comparison=">=", value=95,
                   unit="%"),
            Target(id="CT02", text="Tỷ lệ hồ sơ trực tuyến", metric="Tỷ lệ hồ sơ trực tuyến", comparison=">=",
                   value=80, unit="%", lead=[ECONOMY]),
        ],
        procedures=[
            Procedure(code="1.001", name="Thủ tục 1", baseline_year=2024, baseline_days=10),
            Procedure(code="1.002", name="Thủ tục 2", lead=CULTURE, baseline_year=2024, baseline_days=10),
        ],
    )


def finding(subject: str, unit: str, section: str, **fact) -> Finding:
    kind = subject.partition(":")[0]
    ident = subject.partition(":")[2].partition("@")[0]
    key = {"task": "task", "occurrence": "task", "target": "target", "procedure": "code"}[kind]
    request = fact.pop("request", "")
    return Finding(rule=f"r-{section}", title="Vi phạm", plan="97/KH-UBND", fact_kind=kind, subject=subject,
                   unit=unit, severity="cảnh báo", message=f"{subject}: vi phạm.", section=section,
                   fact={"plan": "97/KH-UBND", "unit": unit, key: ident, **fact}, request=request)


def rows(sections) -> dict[str, tuple]:
    return {row.subject: (s.number, s.id, row.common, row.lead_units, row.lead_note) for s in sections for row in s.rows}


def test_the_plan_index_holds_the_items_with_no_lead_and_the_sources_of_supplied_dates():
    index = PlanIndex.of(plan_folder())
    assert index.common == {"task:2", "task:3", "target:CT01", "procedure:1.001"}
    assert index.sources == {"2": "Công văn số 12/UBND-VP"}


def test_an_item_with_no_lead_unit_is_common_in_the_monitors_letter_and_its_supplied_date_cites_its_source():
    """derive.py gives such an item to the monitor (plan.monitor); the letter must say it is the
    plan's own, not that the monitor was given it."""
    findings = [
        finding("task:2", MONITOR, "qua-han", due="2026-09-30", deadline="Theo văn bản hướng dẫn của tỉnh"),
        finding("occurrence:3@2026-Q1", MONITOR, "thuong-xuyen", period="2026-Q1", due="2026-03-31"),
        finding("target:CT01", MONITOR, "chi-tieu", comparison=">=", value=95, measure="%", actual=90),
        finding("procedure:1.001", MONITOR, "03-giam", baseline_year=2024),
        finding("task:4", MONITOR, "khac"),  # the monitor's own item (led by name): not common
    ]
    sections = build_sections(findings, MONITOR, PlanIndex.of(plan_folder()))
    assert rows(sections) == {
        "task:2": (1, "qua-han", True, (), "Nhiệm vụ chung của Kế hoạch, không giao đơn vị chủ trì"),
        "occurrence:3@2026-Q1": (2, "thuong-xuyen", True, (), "Nhiệm vụ chung của Kế hoạch, không giao đơn vị chủ trì"),
        "target:CT01": (3, "chi-tieu", True, (), "Chỉ tiêu chung của Kế hoạch, không giao đơn vị chủ trì"),
        "procedure:1.001": (4, "03-giam", True, (), "Thủ tục chung của Kế hoạch, không giao đơn vị chủ trì"),
        "task:4": (5, "khac", False, (), ""),
    }
    assert sections[0].rows[0].due_note == "Hạn cuối: 30/09/2026 (theo Công văn số 12/UBND-VP)"
    # Without the plan's index nothing is common, and the date cites nothing.
    plain = build_sections(findings, MONITOR)
    assert not any(row.common for s in plain for row in s.rows)
    assert plain[0].rows[0].due_note == "Hạn cuối: 30/09/2026"


def test_an_item_the_addressee_leads_alone_names_no_lead_and_one_it_shares_names_it_first():
    findings = [
        finding("task:1", ECONOMY, "qua-han", due="2026-10-31"),
        finding("task:1", CULTURE, "qua-han", due="2026-10-31"),
        finding("target:CT02", CULTURE, "chi-tieu", comparison=">=", value=80, measure="%", actual=70),
        finding("procedure:1.002", CULTURE, "03-giam", baseline_year=2024),
    ]
    got = rows(build_sections(findings, CULTURE, PlanIndex.of(plan_folder())))
    assert got == {
        "task:1": (1, "qua-han", False, (CULTURE, ECONOMY), f"Đơn vị chủ trì: {CULTURE}; {ECONOMY}"),
        "target:CT02": (2, "chi-tieu", False, (), ""),
        "procedure:1.002": (3, "03-giam", False, (), ""),
    }
    # A common item reached through another unit is that unit's, not common.
    shared = rows(build_sections([finding("target:CT01", ECONOMY, "chi-tieu", value=95, measure="%")], CULTURE,
                                 PlanIndex.of(plan_folder())))
    assert shared["target:CT01"][2:4] == (False, (ECONOMY,))


def test_a_common_item_does_not_make_the_monitor_a_lead_unit_of_the_plan():
    folder = plan_folder()
    assert plan_leads(folder) == [ECONOMY, CULTURE]
    assert lead_keys(folder) == {unit_key(ECONOMY), unit_key(CULTURE)}
    notices = dict(build_notices(folder, [finding("task:2", MONITOR, "qua-han")], AS_OF, Settings(), formats=["html"]))
    [notice] = notices.values()
    assert notice.unit == MONITOR and notice.leads is False
    notices = dict(build_notices(folder, [finding("task:4", MONITOR, "qua-han")], AS_OF, Settings(), formats=["html"]))
    assert [n.leads for n in notices.values()] == [True]


def test_rows_keep_the_plans_order_tasks_then_occurrences_each_by_number_then_due():
    findings = [
        finding("occurrence:2.1@2026-Q1", ECONOMY, "thuong-xuyen", period="2026-Q1", due="2026-03-31"),
        finding("occurrence:2@2026-Q2", ECONOMY, "thuong-xuyen", period="2026-Q2", due="2026-06-30"),
        finding("occurrence:2@2026-Q1", ECONOMY, "thuong-xuyen", period="2026-Q1", due="2026-03-31"),
        finding("task:10", ECONOMY, "thuong-xuyen"),
        finding("task:9", ECONOMY, "thuong-xuyen"),
    ]
    [section] = build_sections(findings, ECONOMY)
    assert [row.subject for row in section.rows] == [
        "task:9", "task:10", "occurrence:2@2026-Q1", "occurrence:2@2026-Q2", "occurrence:2.1@2026-Q1",
    ]


def test_a_request_with_places_is_said_once_for_each_target_of_its_section():
    ask = "có giải pháp cụ thể để đưa {chỉ tiêu} về {mức yêu cầu}"
    findings = [
        finding("target:CT02", ECONOMY, "chi-tieu", metric="Tỷ lệ hồ sơ trực tuyến", comparison=">=", value=80,
                measure="%", actual=70, request=ask),
        finding("target:CT01", ECONOMY, "chi-tieu", metric="Tỷ lệ hồ sơ đúng hạn", comparison=">=", value=95,
                measure="%", actual=90, request=ask),
    ]
    [section] = build_sections(findings, ECONOMY)
    assert section.requests == [
        "có giải pháp cụ thể để đưa tỷ lệ hồ sơ đúng hạn về tối thiểu 95% và tỷ lệ hồ sơ trực tuyến về tối thiểu 80%"
    ]
