"""The wheel carries every module and data file (issue 9: `dondoc import` once failed installed
because facts.importer was left out of pyproject.toml). make package-check installs and runs it."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
TOP = ["facts", "engine", "templates", "store", "rules", "features"]


def test_every_package_folder_is_in_the_wheel():
    found = {
        "dondoc." + ".".join(init.parent.relative_to(ROOT).parts)
        for top in TOP
        for init in (ROOT / top).rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    missing = found - set(CONFIG["packages"])
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {sorted(missing)}"


def test_every_rule_template_and_spec_is_package_data():
    data = CONFIG["package-data"]
    for top, suffixes in (("rules", (".yaml",)), ("templates", (".j2", ".css")), ("features", (".feature",))):
        for path in (ROOT / top).rglob("*"):
            if path.suffix in suffixes:
                relative = str(path.relative_to(ROOT / top))
                assert any(fnmatch.fnmatch(relative, p) for p in data[f"dondoc.{top}"]), f"not package data: {path}"


def test_the_step_definitions_ship_in_the_package():
    assert not (ROOT / "tests" / "bdd").exists()
    from dondoc.night.specsteps import STEPS

    assert len(STEPS) >= 20
