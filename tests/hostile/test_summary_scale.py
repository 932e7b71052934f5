"""The Chairman's summary of a plan with very many units (bench/summary_units.py measures it:
10,000 units took 1,019 s and 3.4 GB on this project's shared machine, 65 s and 535 MB now).

What made it grow faster than the units: Biểu đồ 1 drew a bar per unit (a figure 0.42 inch
taller per unit, laid out whole: 28 s at 1,000 units, 77 s at 2,000), and python-docx's
``add_row`` looked the table's grid up again for every row of Bảng 1. The chart now shows the
units with the most to do (templates/summary.py CHART_UNITS), Bảng 1 all of them.
"""

from __future__ import annotations

import io
import re
import zipfile

from docx import Document

from bench.summary_units import AS_OF, plan
from dondoc.engine.rulebook import load_rules
from dondoc.facts.settings import DEFAULTS
from dondoc.night import evaluate as check
from dondoc.night.plan import plan_summary
from dondoc.templates import summary as S
from dondoc.templates.summary_docx import render_docx


def test_the_units_chart_shows_the_units_with_the_most_to_do_and_the_table_all():
    folder = plan(S.CHART_UNITS + 5)
    findings, _ = check([folder], load_rules(), AS_OF)
    built = plan_summary(folder, findings, AS_OF, DEFAULTS, load_rules())
    assert len(built.units) == S.CHART_UNITS + 5
    chart = built.charts[0]
    assert f"{S.CHART_UNITS} đơn vị có nhiều nội dung nhất (trong {S.CHART_UNITS + 5} đơn vị" in chart.title
    labels = set(re.findall(r"Tổ công tác số \d+", chart.svg.decode("utf-8")))
    assert labels == {r.unit for r in built.units[: S.CHART_UNITS]}
    word = Document(io.BytesIO(render_docx(built, S.context(built))))
    first = word.tables[1]  # the title block is table 0
    assert len(first.rows) == 2 + S.CHART_UNITS + 5 + 1  # two header rows, every unit, the total


def test_a_plan_with_few_units_charts_them_all():
    folder = plan(3)
    findings, _ = check([folder], load_rules(), AS_OF)
    built = plan_summary(folder, findings, AS_OF, DEFAULTS, load_rules())
    assert built.charts[0].title == "Nội dung cần đôn đốc của từng đơn vị, theo mức độ"


def test_rows_added_once_the_grid_is_known_are_python_docx_rows():
    from dondoc.templates.summary_docx import _add_row

    one, two = Document(), Document()
    for doc, add in ((one, lambda t: t.add_row()), (two, lambda t: _add_row(t, t._tbl.tblGrid.gridCol_lst))):
        table = doc.add_table(rows=1, cols=3)
        table.columns[1].width = 914400
        for _ in range(3):
            add(table)
    xml = []
    for doc in (one, two):
        buffer = io.BytesIO()
        doc.save(buffer)
        with zipfile.ZipFile(buffer) as archive:
            xml.append(archive.read("word/document.xml"))
    assert xml[0] == xml[1]


def test_a_plan_works_out_which_of_its_units_are_groups_once():
    """The quadratic part: every question 'is this a group?' (a letter asks it of each item)
    went through all the plan's units again."""
    from dondoc.facts.models import Unit

    class Counted(list):
        walks = 0

        def __iter__(self):
            Counted.walks += 1
            return super().__iter__()

    folder = plan(200)
    units = Counted([*folder.units, Unit(name="Tổ liên ngành", group=True)])
    folder = folder.model_copy(update={"units": units})
    answers = [folder.is_group(u.name) for u in list.__iter__(units)]
    assert answers == [False] * 200 + [True]
    assert Counted.walks == 1  # before: once per question, 201
    fewer = folder.model_copy(update={"units": units[:200]})
    assert not fewer.is_group("Tổ liên ngành")  # a copy with other units works them out again
