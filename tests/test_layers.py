"""The layers, one way (pyproject.toml [tool.importlinter], docs/architecture.md): the contract
holds on the code, and breaks when a module reaches up a layer."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).parent / "lint-imports"
PACKAGES = ["cli.py", "errors.py", "text.py", "limits.py", "files.py", "cache.py", "facts", "engine", "templates", "store", "night", "dashboard", "rules", "features"]


def lint(root: Path, package: str = "dondoc") -> subprocess.CompletedProcess:
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    section = config[config.index("[tool.importlinter]") : config.index("[tool.pytest.ini_options]")]
    section = re.sub(r"\bdondoc\b", package, section)
    toml = root / "layers.toml"
    toml.write_text(section, encoding="utf-8")
    return subprocess.run(
        [str(LINT), str(toml), "--no-cache"], cwd=root, capture_output=True, text=True, timeout=300,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
    )


def test_the_code_keeps_its_layers(tmp_path):
    result = lint(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    "module, forbidden",
    [
        ("facts/probe.py", "from dondoc.night import check"),  # facts reaching up to the night
        ("engine/probe.py", "from dondoc.templates.render import Notice"),  # the engine reaching templates
        ("templates/probe.py", "from dondoc.store import sink"),  # templates and store are siblings
        ("night/probe.py", "from dondoc.dashboard import build"),  # the night and the dashboard are siblings
        ("store/probe.py", "from dondoc.dashboard.model import INDICATORS"),  # the store never reads its reader
        ("facts/probe.py", "def late():\n    from dondoc.store.sink import OutputSink\n    return OutputSink"),  # a lazy import too
    ],
)
def test_a_module_that_reaches_up_a_layer_breaks_the_contract(tmp_path, module, forbidden):
    """A copy of the package under another name, with one forbidden import added."""
    copy = tmp_path / "dondoc_probe"
    for name in PACKAGES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            copy.mkdir(exist_ok=True)
            shutil.copy(source, copy / name)
    for path in copy.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"\bdondoc\.", "dondoc_probe.", text).replace("from dondoc import", "from dondoc_probe import"), encoding="utf-8")
    assert lint(tmp_path, "dondoc_probe").returncode == 0  # the copy itself keeps them
    (copy / module).write_text(re.sub(r"\bdondoc\.", "dondoc_probe.", forbidden) + "\n", encoding="utf-8")
    result = lint(tmp_path, "dondoc_probe")
    assert result.returncode != 0 and "BROKEN" in result.stdout, result.stdout


def test_the_architecture_page_shows_the_imports_as_they_are():
    result = subprocess.run([sys.executable, str(ROOT / ".ci" / "architecture"), "--check"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


# ruff's default rule set, named so that no configuration found elsewhere changes it: E4 (imports:
# one a line, at the top), E7 (statements: ambiguous names such as `l`, which reads as 1; bare
# except; comparisons to None), E9 (a file that does not parse), F (pyflakes: a name used and never
# imported is a crash at night; a NameError once reached `rules test` with rule files set aside, exit 70).
RUFF_RULES = "E4,E7,E9,F"


def ci_scripts(root: Path) -> list[str]:
    """The Python scripts of .ci/, which have no .py for ruff to find them by: named by their #!."""
    found = []
    for path in sorted((root / ".ci").iterdir()):
        if path.is_file() and path.suffix != ".py":
            with path.open("rb") as file:
                first = file.readline()
            if first.startswith(b"#!") and b"python" in first:
                found.append(path.relative_to(root).as_posix())
    return found


def ruff(root: Path) -> subprocess.CompletedProcess:
    """ruff over the package (the repository's root), tests, bench and the .ci scripts, from the
    root, so that each finding is named file:line:column; out/ (mutmut's copy, benchmark output) and
    the other Python's venv are not ours."""
    return subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--select", RUFF_RULES, "--no-cache", "--output-format", "concise",
         "--extend-exclude", "out,.venv-*", ".", *ci_scripts(root)],
        cwd=root, capture_output=True, text=True, timeout=120,
    )


def test_the_code_keeps_ruffs_default_rules():
    assert ".ci/architecture" in ci_scripts(ROOT) and ".ci/run" not in ci_scripts(ROOT)  # bash is not Python
    done = ruff(ROOT)
    assert done.returncode == 0, f"ruff ({RUFF_RULES}), from {ROOT}:\n{done.stdout}{done.stderr}"


def test_the_ruff_check_fires_in_each_place_it_reads(tmp_path):
    """A tree of the repository's shape, a fault of each rule group in each place the check reads:
    each named at its file and line; what it leaves out (out/, another venv, a bash script) is not read."""
    faults = {
        "engine/probe.py": "import os, sys\n\nprint(os.sep, sys.argv)\n",  # E401
        "tests/test_probe.py": "def test_probe():\n    l = [1]\n    assert l\n",  # E741
        "bench/probe.py": "def night(:\n    pass\n",  # does not parse
        ".ci/probe": "#!/usr/bin/env python3\nprint(EXIT_NEVER_IMPORTED)\n",  # F821
        "out/mutation/probe.py": "l = 1\n",
        ".venv-3.12/probe.py": "l = 1\n",
        ".ci/run": "#!/usr/bin/env bash\nset -euo pipefail\n[ -n \"${1:-}\" ] && echo \"$1\"\n",
    }
    for name, source in faults.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(source, encoding="utf-8")
    done = ruff(tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    for found in ("engine/probe.py:1:1: E401", "tests/test_probe.py:2:5: E741", "bench/probe.py:1:11: SyntaxError",
                  ".ci/probe:2:7: F821"):
        assert found in done.stdout, done.stdout
    assert "out/" not in done.stdout and ".venv" not in done.stdout and ".ci/run" not in done.stdout, done.stdout


def commands_problems(source: str) -> list[str]:
    """What makes cli.py more than commands (issue 19): an exit of its own (sys.exit, or a status
    worked out in the command rather than taken from the library's result), outside the one
    place that maps errors to statuses (Dondoc.invoke, _internal_error)."""
    import ast

    tree = ast.parse(source)
    mapping = {
        node for cls in tree.body if isinstance(cls, ast.ClassDef) and cls.name == "Dondoc" for node in ast.walk(cls)
    } | {node for fn in tree.body if isinstance(fn, ast.FunctionDef) and fn.name == "_internal_error" for node in ast.walk(fn)}
    problems = []
    for node in ast.walk(tree):
        if node in mapping or not isinstance(node, ast.Call):
            continue
        called = ast.unparse(node.func)
        if called in ("sys.exit", "exit", "quit", "os._exit"):
            problems.append(f"line {node.lineno}: {called}")
        elif called == "ctx.exit":
            status = node.args[0] if node.args else None
            # A status is the library's: a result's status, or what a library call returns.
            if not isinstance(status, (ast.Attribute, ast.Call)) or ast.unparse(status).startswith(("int(", "max(", "min(")):
                problems.append(f"line {node.lineno}: ctx.exit({ast.unparse(status) if status else ''})")
    return problems


def test_cli_holds_commands_only():
    assert commands_problems((ROOT / "cli.py").read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("added", [
    "    sys.exit(1)\n",
    "    ctx.exit(1 if findings else 0)\n",
    "    ctx.exit(EXIT_FINDINGS)\n",
    "    ctx.exit(max(a, b))\n",
])
def test_the_commands_check_fires(added):
    source = (ROOT / "cli.py").read_text(encoding="utf-8") + "\n\ndef probe(ctx, findings, a, b):\n" + added
    assert len(commands_problems(source)) == 1
