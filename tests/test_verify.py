"""`dondoc rules check` (engine/verify.py) over every stretch of time a book has: each set of
rules in force is tried, the days tried are said, and an error names the day it appears on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dondoc.engine import run as engine_run
from dondoc.engine.expression import Not
from dondoc.engine.rulebook import load_book
from dondoc.engine.verify import verify

TODAY = dt.date(2026, 11, 22)
REFINER = (
    "  - id: chi-tieu-bang-lien-tiep\n    title: Chỉ tiêu đạt đúng mức chưa đạt nhiều kỳ liền\n    fact: target\n"
    "    refines: chi-tieu-bang\n    scope: missed_in_a_row >= 2\n    condition: actual != value\n"
    "    severity: nghiêm trọng\n"
    '    message: Chỉ tiêu "{{ text }}" chưa đạt {{ missed_in_a_row }} kỳ liền.\n'
)


def _book(tmp_path: Path, validity: str = ""):
    folder = tmp_path / "quy-tac"
    folder.mkdir(exist_ok=True)
    (folder / "r.yaml").write_text("rules:\n" + REFINER + validity, encoding="utf-8")
    return load_book([folder])


def test_a_refinement_in_force_only_from_a_later_date_is_proved_on_that_date(monkeypatch, tmp_path):
    book = _book(tmp_path, "    valid_from: 2027-01-01\n")
    errors, days = verify(book, TODAY)
    assert errors == [] and TODAY in days and dt.date(2027, 1, 1) in days
    monkeypatch.setattr(engine_run, "NotTrue", Not)  # the refined rule loses its missing-data finding
    errors, _ = verify(book, TODAY)
    (error,) = errors
    assert "quy tắc 'chi-tieu-bang-lien-tiep' tinh chỉnh 'chi-tieu-bang' (ngày 01/01/2027)" in error.render()
