"""Shared fixtures: the seed plans (copied beside the tests) and their imports, read once."""

from __future__ import annotations

from pathlib import Path

import pytest

from dondoc.facts.importer import ImportResult, import_document

HERE = Path(__file__).resolve().parent
SEEDS = {path.name[:3]: path for path in sorted((HERE / "seeds").glob("*.txt"))}
EXPECTED = HERE / "expected"


@pytest.fixture(scope="session")
def imported() -> dict[str, ImportResult]:
    return {key: import_document(path) for key, path in SEEDS.items()}
