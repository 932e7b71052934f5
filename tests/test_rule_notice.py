"""A rule's notice field: where its findings go in the letter and what the unit is asked to do.
Findings carry both, so nothing downstream classifies them again."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from dondoc.engine.rulebook import load_rules
from dondoc.night import evaluate as check
from dondoc.errors import InputErrors
from dondoc.facts.planfolder import read_plan_folder

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def rules_dir(tmp_path: Path, extra: str) -> Path:
    body = f"""
    rules:
      - id: r
        title: Nhiệm vụ quá hạn
        fact: task
        condition: days_overdue > 0
        severity: nhắc nhở
        message: Nhiệm vụ {{{{ task }}}} quá hạn.
    {extra}"""
    (tmp_path / "r.yaml").write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return tmp_path


def test_every_shipped_rule_names_its_section():
    sections = {r.id: (r.notice.section, r.missing_notice.section) for r in load_rules()}
    pinned = {
        "nhiem-vu-qua-han": ("qua-han", "thieu-so-lieu"),
        "bao-cao-dinh-ky-qua-han": ("qua-han", "thieu-so-lieu"),
        "nhiem-vu-sap-den-han": ("sap-den-han", "thieu-so-lieu"),
        "nhiem-vu-cham-tien-do": ("cham-tien-do", "thieu-so-lieu"),
        "nhiem-vu-thuong-xuyen-chua-bao-cao": ("thuong-xuyen", "thieu-so-lieu"),
        "nhiem-vu-chua-co-thoi-han": ("chua-co-thoi-han", "thieu-so-lieu"),
        "chi-tieu-toi-thieu": ("chi-tieu", "thieu-so-lieu"),
        "chi-tieu-toi-da": ("chi-tieu", "thieu-so-lieu"),
        "chi-tieu-bang": ("chi-tieu", "thieu-so-lieu"),
        "chi-tieu-nguy-co-khong-dat": ("nguy-co", "thieu-so-lieu"),
        "giam-thoi-gian": ("03-giam", "thieu-so-lieu"),
        "giam-chi-phi": ("03-giam", "thieu-so-lieu"),
        "giam-thanh-phan-ho-so": ("03-giam", "thieu-so-lieu"),
        "chi-tieu-cat-giam-chua-co-so-lieu": ("thieu-so-lieu", "thieu-so-lieu"),
    }
    # The rules named here keep their sections; a rule added to rules/ names its own.
    assert {rule: sections[rule] for rule in pinned if rule in sections} == pinned
    asking = [r.id for r in load_rules() if not r.notice.request]
    assert not asking, (
        f"quy tắc có sẵn chưa có câu đề nghị (notice.request) cho công văn: {', '.join(asking)}"
        " -- thêm 'notice: {section: ..., request: ...}' vào quy tắc (docs/rules.md, 3d)"
    )


def test_findings_carry_their_rules_section_and_request():
    folder = read_plan_folder(EXAMPLES / "gia-phuc-2025")
    findings, _ = check([folder], load_rules(), dt.date(2025, 11, 22))
    by_rule = {(f.rule, f.kind): (f.section, f.request) for f in findings}
    assert by_rule[("nhiem-vu-cham-tien-do", "vi-pham")][0] == "cham-tien-do"
    assert by_rule[("chi-tieu-bang", "thieu-du-lieu")] == ("thieu-so-lieu", "bổ sung, báo cáo số liệu các nội dung nêu trên")
    assert by_rule[("nhiem-vu-qua-han", "vi-pham")] == ("qua-han", "khẩn trương hoàn thành các nhiệm vụ quá hạn nêu trên")


def test_a_rule_without_a_notice_field_reaches_the_general_section(tmp_path):
    [rule] = load_rules(rules_dir(tmp_path, ""))
    assert (rule.notice.section, rule.notice.request) == ("khac", "")


@pytest.mark.parametrize(
    "extra, line, words",
    [
        ("    notice: {section: chi-tieu}\n", 8, "mục công văn 'chi-tieu' không trình bày dữ kiện 'task'"),
        ("    notice: {section: qua-han-lau}\n", 8, "qua-han-lau"),
        ("    notice: {section: qua-han, request: Khẩn trương hoàn thành}\n", 8, "nên bắt đầu bằng chữ thường"),
        ("    notice: {section: qua-han, request: khẩn trương hoàn thành.}\n", 8, "không có dấu chấm cuối"),
        ("    notice: {section: qua-han, ask: x}\n", 8, "ask"),
        ("    missing: {notice: {section: 03-giam}}\n", 8, "mục công văn '03-giam' không trình bày dữ kiện 'task'"),
    ],
)
def test_a_bad_notice_field_is_named_with_its_line(tmp_path, extra, line, words):
    with pytest.raises(InputErrors) as exc:
        load_rules(rules_dir(tmp_path, extra))
    (error,) = exc.value.errors
    assert error.line == line and words in error.message, error.render()
