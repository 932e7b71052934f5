"""Runs every Vietnamese specification in features/ (docs/specs.md) with pytest-bdd.

The step definitions are the package's own (dondoc.night.specsteps), the same ones
`dondoc rules test` uses without pytest; here each is registered with pytest-bdd.
"""

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from dondoc.night.specsteps import STEPS, World

_DECORATORS = {"given": given, "when": when, "then": then}
for _step in STEPS:
    _DECORATORS[_step.keyword](parsers.re(_step.pattern))(_step.func)


@pytest.fixture
def world(tmp_path) -> World:
    return World(tmp_path)  # the shipped rules: the project's specs pin the shipped rules only


scenarios(".")
