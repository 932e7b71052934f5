"""Every rule has its doc and its Vietnamese specs; the docs show the fields as they are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dondoc.engine.rulebook import DEFAULT_RULES_DIR, load_rules
from dondoc.facts.kinds import fields_markdown

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules(DEFAULT_RULES_DIR)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_has_a_feature_that_fires_and_one_that_does_not(rule):
    feature = ROOT / "features" / f"{rule.id}.feature"
    assert feature.is_file(), f"write {feature.relative_to(ROOT)}"
    text = feature.read_text(encoding="utf-8")
    assert text.startswith("# language: vi")
    assert f'kiểm tra theo quy tắc "{rule.id}"' in text
    assert "có phát hiện vi phạm" in text
    assert "không có phát hiện" in text


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_is_documented(rule):
    assert rule.doc.strip(), f"{rule.id} needs a doc:"
    assert f"`{rule.id}`" in (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")


def test_the_field_tables_in_docs_are_current():
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- fields:begin[^\n]*-->\n(.*?)<!-- fields:end -->", text, re.S)
    assert block and block.group(1) == fields_markdown(), "run: dondoc rules fields, and paste it into docs/rules.md"


def test_every_feature_file_names_a_rule_that_exists():
    ids = {r.id for r in RULES}
    for feature in (ROOT / "features").glob("*.feature"):
        assert feature.stem in ids, f"{feature.name} names no rule"
