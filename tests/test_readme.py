"""The README's nightly lines, taken from README.md itself (not copied here), run as an operator
would: over a copy of examples/ laid out as /srv/dondoc, every commune with its own settings."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SRV = "/srv/dondoc"


def block(kind: str, first_line: str = "") -> str:
    """The README's fenced block of ``kind`` (crontab, ini) whose first line starts so."""
    for body in re.findall(rf"```{kind}\n(.*?)```", README, re.S):
        if body.startswith(first_line):
            return body
    raise AssertionError(f"README.md has no ```{kind} block starting {first_line!r}")


@pytest.fixture
def srv(tmp_path) -> Path:
    """/srv/dondoc as the README lays it out: plans/ (here: examples/) and .venv/bin/dondoc."""
    root = tmp_path / "srv-dondoc"
    shutil.copytree(ROOT / "examples", root / "plans")
    (root / ".venv" / "bin").mkdir(parents=True)
    (root / ".venv" / "bin" / "dondoc").symlink_to(Path(sys.executable).parent / "dondoc")
    return root


def run_shell(command: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"}
    return subprocess.run(["/bin/sh", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def assert_night(root: Path, result: subprocess.CompletedProcess) -> None:
    # Exit 1: findings at cảnh báo or above (the documented status), nothing printed (--quiet).
    assert result.returncode == 1, result.stderr
    assert result.stdout == "" and result.stderr == ""
    [out] = [p for p in (root / "out").iterdir() if not p.name.startswith(".")]  # beside it: the lock file
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", out.name)
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    communes = {p["commune"] for p in run["plans"]}
    assert communes == {"UBND xã Gia Lộc", "UBND xã Gia Phúc", "UBND xã Quyết Thắng", "UBND phường An Biên"}
    # Each commune's own settings file, and Gia Phúc's days off: every plan with its own.
    assert all(p["settings"] and p["settings"].endswith("dondoc.yaml") for p in run["plans"])
    letters = {p.parent.name for p in (out / "notices").rglob("*.html")}
    assert len(letters) == 4  # every commune's letters
    log = [json.loads(line) for line in (root / "dondoc.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["phase"] for e in log if e["event"] == "phase"][0] == "start"
    assert len([e for e in log if e["event"] == "plan"]) == 4 and log[-1]["phase"] == "end"


def test_the_crontab_line_runs_the_provinces_night(srv):
    line = next(entry for entry in block("crontab").splitlines() if entry and not entry.startswith("#"))
    command = line.split(None, 5)[5].replace("\\%", "%")  # cron gives the rest of the line to sh, % unescaped
    result = run_shell(command.replace(SRV, str(srv)), srv)
    assert_night(srv, result)


def test_the_systemd_service_runs_the_provinces_night(srv):
    unit = block("ini", "# dondoc.service")
    values = dict(re.findall(r"^(\w+)=(.*)$", unit, re.M))
    assert values["Type"] == "oneshot" and values["SuccessExitStatus"] == "1"
    assert values["WorkingDirectory"] == SRV
    # systemd: '$$' is '$' and '%%' is '%'; ExecStart runs /bin/sh -c '...'.
    exec_start = values["ExecStart"].replace("$$", "$").replace("%%", "%")
    shell, flag, quoted = exec_start.split(" ", 2)
    assert (shell, flag) == ("/bin/sh", "-c") and quoted[0] == quoted[-1] == "'"
    result = run_shell(quoted[1:-1], srv)
    assert_night(srv, result)
    timer = dict(re.findall(r"^(\w+)=(.*)$", block("ini", "# dondoc.timer"), re.M))
    assert timer["OnCalendar"] == "*-*-* 01:30:00 Asia/Ho_Chi_Minh" and timer["WantedBy"] == "timers.target"


def _readme_commands() -> list[tuple[str, list[str], set[str]]]:
    """Each command line of the README's command table: (its text, its command path, its options)."""
    found = []
    for row in re.findall(r"^\| `(dondoc [^|]*?(?:\\\|[^|]*?)*)` \|", README, re.M):
        for part in re.split(r"` / `", row):
            words = part.replace("\\|", " ").split()
            if words[0] == "dondoc":
                words = words[1:]
            else:  # "rules fields ..." after a "dondoc rules catalogue ... / "
                words = ["rules", *words] if words[0] != "rules" else words
            path = []
            for word in words:
                if not re.fullmatch(r"[a-z]+", word):
                    break
                path.append(word)
            found.append((part, path, set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", part))))
    return found


def test_every_command_and_option_the_readme_names_is_one_dondoc_has():
    """Before: the table still named `dondoc check --register`, an option removed when numbering
    moved to signing."""
    import click

    from dondoc.cli import main

    rows = _readme_commands()
    assert len(rows) > 20
    for text, path, options in rows:
        command = main
        for name in path:  # every lower-case word before the first argument or option: a command
            assert isinstance(command, click.Group) and name in command.commands, (text, name)
            command = command.commands[name]
        known = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)} | {"--help"}
        assert options <= known, (text, sorted(options - known))
