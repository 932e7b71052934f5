"""Import, then check: every seed's plan folder goes through `dondoc check` whole."""

from __future__ import annotations

import datetime as dt

import pytest

from dondoc.facts.planfolder import read_plan_folder, write_plan_folder
from tests.importer.conftest import SEEDS

pytest.importorskip("durable")  # the rule engine (a project dependency)


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_import_then_check(imported, key, tmp_path):
    from dondoc.engine.rulebook import DEFAULT_RULES_DIR, load_rules
    from dondoc.night import evaluate as check

    write_plan_folder(imported[key].folder, tmp_path)
    folder = read_plan_folder(tmp_path)
    findings, report = check([folder], load_rules(DEFAULT_RULES_DIR), dt.date(2026, 11, 22))
    assert report.facts_in > 0 and report.evaluated == report.facts_in
    units = {u.name for u in folder.units} | {""}
    assert {f.unit for f in findings} <= units
