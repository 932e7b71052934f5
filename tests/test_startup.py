"""`dondoc check` imports only what the command needs (docs/engine.md, "One plan from a cold start")."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

TINY = Path(__file__).parent / "fixtures" / "tiny"
HEAVY = ("weasyprint", "docx", "openpyxl", "matplotlib", "sqlalchemy", "scipy", "numpy")
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def imported_by(*args: str, among: tuple[str, ...] = HEAVY) -> set[str]:
    """The heavy libraries (``among``) in sys.modules after `dondoc check ARGS`, in a fresh interpreter."""
    code = (
        "import sys, json\n"
        "from dondoc.cli import main\n"
        "try:\n"
        f"    main({list(args)!r})\n"
        "except SystemExit as exc:\n"
        "    assert exc.code in (0, 1, None), exc.code\n"
        f"print(json.dumps(sorted(m for m in {among!r} if m in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "extra, allowed",
    [
        ((), set()),  # no --out: nothing written
        (("--format", "html", "--no-summary"), set()),
        (("--format", "html"), {"matplotlib", "numpy"}),  # the summary's charts
    ],
)
def test_an_html_check_imports_no_word_pdf_spreadsheet_or_database_library(tmp_path, extra, allowed):
    out = ("--out", str(tmp_path / "out")) if extra else ()
    assert imported_by("check", str(TINY), "--as-of", "2026-11-22", *out, *extra) == allowed


def test_the_projection_library_comes_only_with_a_series_long_enough_to_project():
    # tiny's target has one measurement: nothing to project, scipy (and numpy) stay out;
    # An Biên's CT01 has six: the early warning needs them.
    assert not {"scipy", "numpy"} & imported_by("check", str(TINY), "--as-of", "2026-11-22")
    assert {"scipy", "numpy"} <= imported_by("check", str(EXAMPLES / "an-bien-2026"), "--as-of", "2026-11-22")


def test_a_check_without_out_renders_no_letter_and_imports_no_renderer():
    code = (
        "import sys\n"
        "from dondoc.cli import main\n"
        "try:\n"
        f"    main(['check', {str(TINY)!r}, '--as-of', '2026-11-22'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print([m for m in ('dondoc.templates.notices', 'dondoc.templates.render', 'dondoc.templates.sections') if m in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_the_output_lock_library_comes_only_with_an_output(tmp_path):
    # filelock (and what it imports) is the lock beside --out: a check that writes nothing takes none.
    assert imported_by("check", str(TINY), "--as-of", "2026-11-22", among=("filelock",)) == set()
    out = ("--out", str(tmp_path / "out"), "--format", "html", "--no-summary")
    assert imported_by("check", str(TINY), "--as-of", "2026-11-22", *out, among=("filelock",)) == {"filelock"}


def test_the_command_runs_with_the_collector_on_and_its_modules_set_aside():
    # __main__.start loads the command with the collector off (docs/engine.md, "One plan from a
    # cold start"); left off, a national night would keep every cycle it makes to the end.
    code = (
        "import gc, json, sys\n"
        "import dondoc.cli\n"
        "seen = {}\n"
        "dondoc.cli.main = lambda **kw: seen.update(on=gc.isenabled(), frozen=gc.get_freeze_count())\n"
        "from dondoc.__main__ import start\n"
        "start()\n"
        "print(json.dumps(seen))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["on"] is True
    assert seen["frozen"] > 10_000  # the modules' objects, never walked again


def test_the_installed_command_is_the_entry_that_sets_the_collector():
    import tomllib

    scripts = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"dondoc": "dondoc.__main__:start"}
