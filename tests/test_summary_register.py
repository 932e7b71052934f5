"""The register's export writes each number as the letters print it: 01, 02 ... 09, then 10, 412
(Nghị định 30/2020/NĐ-CP), and keeps it a number an office sorts, by the cell's format "00"."""

from __future__ import annotations

from click.testing import CliRunner
from openpyxl import load_workbook

from dondoc.cli import main
from dondoc.store.store import Store
from dondoc.templates.formats import vn_count
from tests.storekit import D1, D2, ISSUER, PLAN, VHXH, letter, night, seen


def test_the_register_shows_01_where_the_letter_says_01_and_the_cell_stays_a_number(tmp_path):
    path, book = tmp_path / "kho.sqlite", tmp_path / "so.xlsx"
    a, b = seen("r1", "task:1"), seen("r2", "target:T1", unit=VHXH)
    with Store.open(path) as store:
        _, first = night(store, D1, {PLAN: ([a, b], ["r1", "r2"])}, drafts=[letter(D1, [a]), letter(D1, [b], units=[VHXH])])
        store.register_start(ISSUER, 2026, 1)  # the office opens its register at 01
        numbers = [store.sign(i, "Nguyễn Văn A", D2).number for i in first.letters]
    assert numbers == [1, 2]
    result = CliRunner().invoke(main, ["register", "export", "--store", str(path), "--out", str(book)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(book).worksheets[0]
    cells = [sheet.cell(row=r, column=1) for r in (6, 7)]
    assert [c.value for c in cells] == [1, 2]  # numbers, sortable; not the text "01"
    assert {c.number_format for c in cells} == {"00"}
    # "00" pads to two digits and no more (10, 412 stay as they are): what the letter says (vn_count).
    assert [f"{c.value:02d}" for c in cells] == [vn_count(n) for n in numbers] == ["01", "02"]
