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
    for caption, heading in zip(tables, ("Nội dung cần đôn đốc", "Nội dung quá hạn", "Chỉ tiêu: yêu cầu",
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


# -- what changed since the last night, per item as Bảng 1 counts ---------------------------------

def _with_follow(name: str, change_of, gone: dict[str, str]):
    from dondoc.facts.settings import settings_for
    from dondoc.night.plan import build_letters
    from dondoc.templates.summary import build_summary
    from dondoc.text import unit_key

    folder = read_plan_folder(EXAMPLES / name)
    findings, _ = check([folder], load_rules(), AS_OF)
    identity, letters = build_letters(folder, findings, AS_OF, settings_for(folder.path))
    changes = {(f.rule, f.subject, unit_key(f.unit)): change_of(f) for f in findings}
    follow = Follow("", [], list(gone.values()), last_checked=dt.date(2026, 11, 23), changes=changes, gone=gone)
    summary = build_summary(folder, findings, [letter.notice for letter in letters], AS_OF, settings_for(folder.path), identity,
                            checked={}, follow=follow)
    return summary, findings


def test_the_changes_are_counted_per_item_and_add_up_to_bang_1s_total():
    """Quyết Thắng on 02/12: "03 phát hiện mới, 31 phát hiện vẫn còn, 03 ... đã được khắc phục"
    counted rules' findings (34) beside Bảng 1's 18 items. Per item: they add up to Bảng 1's total."""
    newly = {"task:II.2.e", "task:II.3.d"}  # overdue tonight, due soon last night: new items in "quá hạn"
    summary, findings = _with_follow("quyet-thang-2026", lambda f: "mới" if f.subject in newly else "còn",
                                     {"task:II.2.e": "Nhiệm vụ số II.2.e", "task:II.1.a": "Nhiệm vụ số II.1.a “Đã xong”"})
    items = summary.totals["items"]
    assert len(findings) > items == 17  # several rules' findings, for several units, on one item
    assert summary.follow.since == "So với lần kiểm tra ngày 23/11/2026: 02 nội dung mới, 15 nội dung vẫn còn (17 nội dung tại Bảng 1); 01 nội dung đã được khắc phục."
    # Put right: only what has nothing left tonight; II.2.e, late tonight, is not.
    assert summary.follow.resolved == ["Nhiệm vụ số II.1.a “Đã xong”"]
    html = render_html(summary)
    assert "Nội dung sau đã được khắc phục:" in html and "các nội dung sau" not in html.lower()


def test_an_item_is_new_only_when_all_its_findings_are_and_raised_when_one_is():
    summary, findings = _with_follow("quyet-thang-2026", lambda f: "còn", {})
    assert summary.follow.since.endswith(": 17 nội dung vẫn còn.")
    # One item whose findings mix: one new, one still there -> still there; one of them raised -> raised.
    subject = next(s for s in {f.subject for f in findings} if len({f.rule for f in findings if f.subject == s}) > 1)
    first = next((f.rule, f.subject, f.unit) for f in findings if f.subject == subject)
    summary, _ = _with_follow("quyet-thang-2026", lambda f: "mới" if (f.rule, f.subject, f.unit) == first else "còn", {})
    assert summary.follow.since.endswith(": 17 nội dung vẫn còn.")
    summary, _ = _with_follow("quyet-thang-2026", lambda f: "tăng mức" if (f.rule, f.subject, f.unit) == first else "còn", {})
    assert "01 nội dung tăng mức độ, 16 nội dung vẫn còn (17 nội dung tại Bảng 1)" in summary.follow.since
    summary, _ = _with_follow("quyet-thang-2026", lambda f: "mới", {"task:X": "Nhiệm vụ số X “A”", "task:Y": "Nhiệm vụ số Y “B”"})
    assert summary.follow.since.endswith(": 17 nội dung mới; 02 nội dung đã được khắc phục.")
    assert "Các nội dung sau đã được khắc phục:" in render_html(summary)


# -- typography ---------------------------------------------------------------------------------

def test_a_quoted_title_drops_its_own_period_and_quotes_inside_it_go_one_level_down():
    from dondoc.templates.formats import quoted

    assert quoted('Tổ chức "ngày thứ 7, chủ nhật tình nguyện" để hướng dẫn, tiếp nhận hồ sơ TTHC lưu động tại thôn.') == (
        "“Tổ chức ‘ngày thứ 7, chủ nhật tình nguyện’ để hướng dẫn, tiếp nhận hồ sơ TTHC lưu động tại thôn”")
    assert quoted("Báo cáo ...") == "“Báo cáo ...”" and quoted("Báo cáo") == "“Báo cáo”"
    summary, _ = _with_follow("quyet-thang-2026", lambda f: "còn", {"task:Z": "x"})
    html = render_html(summary)
    assert ".”." not in html and ".”;" not in html
    assert not re.search(r"“[^”]*“", html)  # never “…“…”…”
    assert "‘ngày thứ 7, chủ nhật tình nguyện’" in html


def test_said_of_one_row_drops_the_plural_before_nêu_trên_or_sau():
    from dondoc.templates.sections import said_of

    assert said_of("Các nội dung sau đã được khắc phục:", 1) == "Nội dung sau đã được khắc phục:"
    assert said_of("Các nội dung sau đã được khắc phục:", 2) == "Các nội dung sau đã được khắc phục:"
    assert said_of("hoàn thành các nhiệm vụ quá hạn nêu trên", 1) == "hoàn thành nhiệm vụ quá hạn nêu trên"
    assert said_of("các đơn vị, cá nhân nêu trên", 1) == "các đơn vị, cá nhân nêu trên"  # a comma between: not that "các"


def test_numbers_and_document_numbers_are_never_broken_in_a_cell():
    from dondoc.templates.formats import WORD_JOINER, keep_numbers, unbroken_numbers

    for token in ("66.7/2025/NQ-CP", "III/2026", "612/640", "05/11/2026", "01/UBND-KT"):
        assert f'<span class="nobr">{token}</span>' in str(keep_numbers(f"theo {token} của"))
        assert unbroken_numbers(f"theo {token}").replace(WORD_JOINER, "") == f"theo {token}"
        assert WORD_JOINER in unbroken_numbers(token)
    html = render_html(_summary("an-bien-2026"))
    assert '<span class="nobr">III/2026</span>' in html  # "kỳ quý III/ ⏎ 2026" in a cell of Bảng 2
    # Word: the cells carry the joiners.
    an_bien = _summary("an-bien-2026")
    doc = Document(io.BytesIO(render_docx(an_bien, context(an_bien))))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert any(f"III/{WORD_JOINER}2026" in c for c in cells) and not any("III/2026" in c for c in cells)


@pytest.mark.skipif(not __import__("shutil").which("pdftotext"), reason="poppler's pdftotext")
def test_the_pdf_keeps_them_on_one_line():
    import subprocess

    from dondoc.templates.summary import render_pdf

    def text(summary) -> str:
        pdf = render_pdf(render_html(summary))
        return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()

    quyet_thang, an_bien = text(_with_follow("quyet-thang-2026", lambda f: "còn", {})[0]), text(_summary("an-bien-2026"))
    assert "66.7/2025/NQ-CP" in quyet_thang and "III/2026" in an_bien
    for line in (quyet_thang + an_bien).splitlines():
        for chunk in re.split(r"\s{2,}", line.strip()):  # -layout sets a table's cells side by side
            assert not chunk.endswith("/"), line


# -- Biểu đồ 2: one axis for every percentage -------------------------------------------------------

def _svg_texts(svg: bytes) -> list[str]:
    return [t.strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg.decode())]


def test_the_targets_chart_draws_every_percentage_on_one_axis_with_values_and_the_requirement_marked(an_bien):
    chart = next(c for c in an_bien.charts if c.name == "chi-tieu")
    texts = _svg_texts(chart.svg)
    percentages = [t for t in an_bien.targets if t.measure == "%"]
    assert len(percentages) == 3  # 95% (95,63%), at most 2% (3,28%), 100% (100%)
    # One scale, 0-100%, on every line: a requirement of 2% is not drawn as long as one of 95%.
    assert texts.count("100%") == len(percentages) + 1  # each line's last tick, and the measured 100%
    assert texts.count("0%") == texts.count("50%") == len(percentages)
    # Each line says its value and its requirement.
    for words in ("95,63%", "3,28%", "Yêu cầu 95%", "Yêu cầu 2%", "Yêu cầu 100%"):
        assert words in texts, words


def test_a_target_in_another_measure_keeps_its_own_scale():
    from dondoc.templates.charts import targets_chart

    texts = _svg_texts(targets_chart([(1, "Tin bài", 5, 3, "tin bài/tháng", "vi-pham", ""), (2, "Tỷ lệ", 90, 88, "%", "vi-pham", "")]).svg)
    assert "Yêu cầu 5 tin bài/tháng" in texts and "3 tin bài/tháng" in texts and "100%" in texts
    assert "Yêu cầu 90%" in texts and "88%" in texts
