"""The summary as the Chairman reads it: every table and chart numbered in print order with its
caption, in HTML and Word alike (the demo's went from "Bảng 2" to "Bảng 4", and An Biên's table
of targets at risk had no caption)."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from docx import Document

from dondoc.engine.rulebook import load_rules
from dondoc.facts.planfolder import read_plan_folder
from dondoc.night import evaluate as check
from dondoc.night.plan import plan_summary
from dondoc.templates.summary import Follow, LetterLine, context, render_html
from dondoc.templates.summary_docx import render_docx

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
AS_OF = dt.date(2026, 12, 2)
FOLLOW = Follow("So với lần kiểm tra ngày 23/11/2026: không có thay đổi.",
                [LetterLine("Phòng Kinh tế", "Công văn số 01/UBND-KT ngày 23/11/2026", "hạn 01/12/2026", "không gửi lại")])


def _summary(name: str, follow: Follow | None = FOLLOW):
    folder = read_plan_folder(EXAMPLES / name)
    findings, _ = check([folder], load_rules(), AS_OF)
    summary = plan_summary(folder, findings, AS_OF)
    summary.follow = follow  # what the night with a store adds: its table of letters
    return summary


@pytest.fixture(scope="module")
def an_bien():
    return _summary("an-bien-2026")


def _captions(html: str) -> list[str]:
    return re.findall(r'class="caption">((?:Bảng|Biểu đồ) [^<]*)<', html)


def test_every_table_and_chart_is_numbered_in_print_order_with_its_caption(an_bien):
    assert an_bien.late and an_bien.warnings and an_bien.targets  # every table An Biên can print
    html = render_html(an_bien)
    captions = _captions(html)
    tables = [c for c in captions if c.startswith("Bảng")]
    assert [c.split(".")[0] for c in tables] == ["Bảng 1", "Bảng 2", "Bảng 3", "Bảng 4", "Bảng 5"]
    assert [c.split(".")[0] for c in captions if c.startswith("Biểu đồ")] == ["Biểu đồ 1", "Biểu đồ 2"]
    assert html.count('<table class="data') == len(tables)  # no table without its caption
    # Each caption right above its table: II's late items, IV's targets at risk, the letters.
    for caption, heading in zip(tables, ("Nội dung cần đôn đốc", "Các nội dung quá hạn", "Chỉ tiêu: yêu cầu",
                                        "Chỉ tiêu có nguy cơ không đạt", "Công văn đôn đốc")):
        assert heading in caption
        after = html.split(caption, 1)[1]
        assert after.lstrip().startswith("</p>") and after.index('<table class="data') < after.index("<p")
    # The Word file numbers them alike.
    doc = Document(io.BytesIO(render_docx(an_bien, context(an_bien))))
    assert [p.text for p in doc.paragraphs if re.match(r"(Bảng|Biểu đồ) \d+\. ", p.text)] == [
        c.replace("&amp;", "&") for c in captions]


def test_without_late_items_or_targets_at_risk_the_numbers_close_up():
    summary = _summary("quyet-thang-2026")
    assert summary.targets and not summary.warnings
    tables = [c for c in _captions(render_html(summary)) if c.startswith("Bảng")]
    assert [c.split(".")[0] for c in tables] == [f"Bảng {n}" for n in range(1, len(tables) + 1)]
    assert tables[-1].endswith("Công văn đôn đốc của từng đơn vị")
    alone = _summary("quyet-thang-2026", follow=None)
    assert not any("Công văn đôn đốc" in c for c in _captions(render_html(alone)))


def test_the_note_on_a_rule_that_did_not_run_names_the_targets_table_by_its_number(an_bien):
    folder = read_plan_folder(EXAMPLES / "an-bien-2026")
    findings, _ = check([folder], load_rules(), AS_OF)
    summary = plan_summary(folder, findings, AS_OF, stopped={"chi-tieu-toi-thieu": "Chỉ tiêu tối thiểu"})
    targets = context(summary)["captions"]["targets"].split(".")[0]
    assert targets == "Bảng 3"  # after Bảng 1 (units) and Bảng 2 (late items)
    assert f"({targets} ghi “Không kiểm tra được”)" in render_html(summary)
