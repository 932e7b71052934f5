"""Bounds on what staff write as templates: a commune's notice templates and the rules' messages
(engine/sandbox.py). Loops, calls and lookups are counted (template_steps), time is watched
(template_seconds), and no text or list past template_output is made; past a bound, exit 2
naming the template (its file and line) and the setting, and `rules check` is not "Hợp lệ".
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from dondoc.engine.rulebook import render_message
from dondoc.engine.sandbox import BoundedSandbox
from dondoc.errors import BoundError
from dondoc.templates.render import PACKAGE_DIR
from tests.test_intake import run

BASE = Path(__file__).resolve().parent / "base"
# ~3 x 10^8 empty steps: minutes unbounded (before: the night waited), a fraction of a second now
NESTED = "{% for i in range(100000) %}{% for j in range(3000) %}{% endfor %}{% endfor %}"


def commune(tmp_path: Path, html: str | None = None, docx_text: str | None = None) -> Path:
    """A commune's template folder: the package's notice.html.j2 (or ``html``), and a notice.docx
    whose number line is ``docx_text``."""
    folder = tmp_path / "mau"
    folder.mkdir()
    (folder / "notice.html.j2").write_text(html or (PACKAGE_DIR / "notice.html.j2").read_text(encoding="utf-8"), encoding="utf-8")
    if docx_text is not None:
        with zipfile.ZipFile(PACKAGE_DIR / "notice.docx") as src, zipfile.ZipFile(folder / "notice.docx", "w") as dst:
            for info in src.infolist():
                data = src.read(info)
                if info.filename == "word/document.xml":
                    data = data.replace(b"{{ number_line }}", docx_text.encode(), 1)
                dst.writestr(info, data)
    return folder


def check(tmp_path: Path, *args):
    return run("check", BASE, "--as-of", "2026-11-22", "--out", tmp_path / "out", *args)


def test_a_commune_template_with_nested_loops_is_stopped_named_at_its_line(tmp_path):
    html = (PACKAGE_DIR / "notice.html.j2").read_text(encoding="utf-8").replace("<body", NESTED + "\n<body", 1)
    folder = commune(tmp_path, html)
    line = html[: html.index(NESTED)].count("\n") + 1
    result = check(tmp_path, "--templates", folder, "--format", "html")
    assert result.exit_code == 2, result.output
    assert f"{folder}/notice.html.j2:{line}:" in result.output, result.output
    assert "DONDOC_LIMIT_TEMPLATE_STEPS" in result.output
    assert not (tmp_path / "out").exists()


def test_a_commune_word_template_with_nested_loops_is_stopped(tmp_path):
    folder = commune(tmp_path, docx_text=NESTED)
    result = check(tmp_path, "--templates", folder, "--format", "docx")
    assert result.exit_code == 2 and "DONDOC_LIMIT_TEMPLATE_STEPS" in result.output, result.output
    assert "notice.docx" in result.output


@pytest.mark.parametrize(
    "template, setting",
    [
        ("{{ 'x' * 10**10 }}", "TEMPLATE_OUTPUT"),
        ("{{ 'x'.center(10**9) }}", "TEMPLATE_OUTPUT"),
        ("{{ 'x'|center(10**9) }}", "TEMPLATE_OUTPUT"),
        ("{{ '{:>999999999}'.format(1) }}", "TEMPLATE_OUTPUT"),
        ("{{ '%999999999s' % 1 }}", "TEMPLATE_OUTPUT"),
        ("{% set ns = namespace(s='xxxxxxxxxx') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}", "TEMPLATE_OUTPUT"),
        ("{% set a = 'x' * 1000 %}{% set b = a~a~a~a~a~a~a~a~a~a %}{% set c = b~b~b~b~b~b~b~b~b~b %}"
         "{% set d = c~c~c~c~c~c~c~c~c~c %}{{ d~d~d~d~d~d~d~d~d~d }}", "TEMPLATE_OUTPUT"),
        ("{% set x = [1] %}{% for i in range(60) %}{{ x.extend(x) }}{% endfor %}", "TEMPLATE_OUTPUT"),
        ("{{ ('x' * 100000)|replace('x', 'y' * 1000) }}", "TEMPLATE_OUTPUT"),
        ("{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}", "TEMPLATE_STEPS"),
        ("{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}", "TEMPLATE_"),
    ],
)
def test_what_grows_past_the_bounds_is_stopped(template, setting):
    with pytest.raises(BoundError) as caught:
        BoundedSandbox().from_string(template).render()
    assert f"DONDOC_LIMIT_{setting}" in caught.value.hint


def test_steps_at_the_bound_and_one_past(monkeypatch):
    loop = BoundedSandbox().from_string("{% for i in range(50) %}{% endfor %}")  # range(), the counter, 50 turns
    monkeypatch.setenv("DONDOC_LIMIT_TEMPLATE_STEPS", "52")
    assert loop.render() == ""
    monkeypatch.setenv("DONDOC_LIMIT_TEMPLATE_STEPS", "51")
    with pytest.raises(BoundError):
        loop.render()


def test_output_at_the_bound_and_one_past(monkeypatch):
    monkeypatch.setenv("DONDOC_LIMIT_TEMPLATE_OUTPUT", "100")
    env = BoundedSandbox()
    assert env.from_string("{{ 'x' * 100 }}").render() == "x" * 100
    with pytest.raises(BoundError):
        env.from_string("{{ 'x' * 101 }}").render()
    assert env.from_string("{% for i in range(10) %}{{ 'y' * 10 }}{% endfor %}").render() == "y" * 100
    with pytest.raises(BoundError):  # the output, as it is made
        env.from_string("{% for i in range(10) %}{{ 'y' * 10 }}{% endfor %}.").render()


def test_time_within_the_bound_and_past_it(monkeypatch):
    monkeypatch.setenv("DONDOC_LIMIT_TEMPLATE_SECONDS", "1")
    monkeypatch.setenv("DONDOC_LIMIT_TEMPLATE_STEPS", str(10**9))
    env = BoundedSandbox()
    assert env.from_string("{% for i in range(1000) %}{{ i }}{% endfor %}").render().startswith("0123")
    with pytest.raises(BoundError) as caught:
        env.from_string("{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}").render()
    assert "DONDOC_LIMIT_TEMPLATE_SECONDS" in caught.value.hint


def test_a_letter_of_ordinary_size_renders(tmp_path):
    """The package's own templates through the bounded sandbox (a commune's copy of them)."""
    result = check(tmp_path, "--templates", commune(tmp_path), "--format", "html")
    assert result.exit_code == 0, result.output


# -- rule messages --------------------------------------------------------------------------------


def message_rule(folder: Path, message: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "a.yaml").write_text(
        "rules:\n  - id: rieng\n    title: Riêng\n    fact: task\n    condition: days_overdue > 0\n"
        f"    severity: cảnh báo\n    message: '{message}'\n", encoding="utf-8")
    return folder


def test_rules_check_is_not_valid_for_a_message_past_the_bounds(tmp_path):
    """Before: 'Hợp lệ', and every night ran out of time on the rule's findings."""
    folder = message_rule(tmp_path / "rules", "quá hạn {% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    result = run("rules", "check", folder)
    assert result.exit_code == 2 and "Hợp lệ" not in result.output, result.output
    assert f"{folder}/a.yaml:7:15: câu thông báo: mẫu lặp, gọi quá nhiều lần" in result.output, result.output
    assert "DONDOC_LIMIT_TEMPLATE_STEPS" in result.output
    night = check(tmp_path, "--rules", folder)
    assert night.exit_code == 3 and "a.yaml:7" in night.output  # set aside at night, named


def test_a_message_past_the_bounds_with_the_nights_values_stops_its_rule():
    with pytest.raises(BoundError):
        render_message("{{ 'x' * days_overdue * 1000000 }}", {"days_overdue": 10})
    assert render_message("quá hạn {{ days_overdue }} ngày", {"days_overdue": 10}) == "quá hạn 10 ngày"
