"""Numbers rounded as officials round them, half up, in letters and summaries alike: 612/640 =
95,625% prints 95,63% (Python's round() and "%.2f" gave 95,62: half to even, on the binary float)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from dondoc.engine.rulebook import format_value, load_rules
from dondoc.facts.derive import reduction
from dondoc.facts.models import Measurement
from dondoc.facts.planfolder import read_plan_folder
from dondoc.facts.settings import settings_for
from dondoc.night import evaluate as check
from dondoc.night.plan import build_letters, plan_summary
from dondoc.templates.formats import vn_measure, vn_number
from dondoc.templates.render import render_html as render_notice
from dondoc.templates.summary import render_html
from dondoc.text import percent, rounded
from tests.notice_text import html_lines

AN_BIEN = Path(__file__).resolve().parent.parent / "examples" / "an-bien-2026"
AS_OF = dt.date(2026, 12, 2)


@pytest.mark.parametrize("value, text", [(95.625, "95,63"), (95.624, "95,62"), (33.335, "33,34"), (33.334, "33,33"),
                                         (0.005, "0,01"), (-2.675, "-2,68"), (95.6, "95,6"), (1500000.0, "1.500.000")])
def test_the_one_number_formatter_rounds_half_up_at_the_boundary(value, text):
    assert vn_number(value) == text
    assert format_value(value) == text.replace(".", "")  # a rule's own message: the same rounding
    assert vn_measure(value, "%") == text + "%"


def test_rounded_is_on_the_written_decimal_not_the_binary_float():
    assert rounded(95.625) == Decimal("95.63") and rounded(33.335) == Decimal("33.34") and rounded(95.624) == Decimal("95.62")
    assert rounded(2.5, 0) == Decimal("3") and rounded(Decimal("0.125")) == Decimal("0.13")
    with pytest.raises(TypeError):
        rounded("95,625")


def test_a_ratio_is_the_exact_quotient_rounded_half_up():
    assert percent(612, 640) == 95.63 and round(100.0 * 612 / 640, 2) == 95.62  # what it was
    assert Measurement(target="T", period="2026", numerator=612, denominator=640, measured_on="2026-11-05").actual == 95.63
    assert percent(1, 3) == 33.33 and percent(2, 3) == 66.67
    # A "03 giảm" cut on the exact difference: 0.3 -> 0.1 is a cut of 66,67%, not of 66,666...6 rounded wrong.
    assert reduction(0.3, 0.1) == 66.67 and reduction(16.0, 10.59) == 33.81


def test_an_bien_prints_95_63_percent_in_its_letter_and_in_its_summary():
    folder = read_plan_folder(AN_BIEN)
    findings, _ = check([folder], load_rules(), AS_OF)
    summary = "\n".join(html_lines(render_html(plan_summary(folder, findings, AS_OF))))
    assert "95,63% (612/640" in summary and "95,62%" not in summary
    letters = build_letters(folder, findings, AS_OF, settings_for(folder.path))[1]
    texts = [render_notice(letter.notice) for letter in letters]
    assert any("95,63%" in t for t in texts) and not any("95,62%" in t for t in texts)
