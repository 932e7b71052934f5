"""Runs every Vietnamese specification in features/ (see docs/specs.md)."""

from pytest_bdd import scenarios

from tests.bdd.steps import *  # noqa: F401,F403 - the step vocabulary

scenarios(".")
