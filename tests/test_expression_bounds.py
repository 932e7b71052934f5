"""A condition nests at most MAX_NESTING levels (engine/expression.py), checked as it is parsed:
past the bound `rules check` exits 2 naming the file, line and column, and the night sets the
file aside (exit 3) and runs the others; never a RecursionError (issue 21, item 10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dondoc.cli import main
from dondoc.engine import expression
from dondoc.engine.expression import ExpressionError, Not, parse

GIA_LOC = Path(__file__).resolve().parent.parent / "examples" / "gia-loc-2026"
BOUND = expression.MAX_NESTING


def _depth(node) -> int:
    return 1 + max((_depth(c) for c in expression.children(node)), default=0)


def _nots(n: int) -> str:
    return "not " * n + "actual < 5"  # n levels of 'not' over a comparison (2 levels: it and its field)


def test_the_bound_is_sane():
    assert 32 <= BOUND <= 100  # well above what staff write, well below Python's own limit


def test_a_condition_at_the_bound_is_read_and_one_level_past_it_is_refused_at_that_level():
    at = parse(_nots(BOUND - 2))
    assert _depth(at) == BOUND
    with pytest.raises(ExpressionError) as caught:
        parse(_nots(BOUND - 1))
    assert caught.value.message == f"điều kiện lồng quá sâu: hơn {BOUND} cấp"
    assert "tách thành nhiều quy tắc" in caught.value.hint and "MAX_NESTING" in caught.value.hint
    assert caught.value.pos == len(_nots(BOUND - 1)) - len("actual < 5")  # where the nesting goes past


def test_a_sum_nests_as_its_operators_do():
    sum_at = "actual < " + " + ".join(["1"] * (BOUND - 1))  # the comparison, then BOUND - 2 '+' and a number
    assert _depth(parse(sum_at)) == BOUND
    with pytest.raises(ExpressionError, match="lồng quá sâu"):
        parse(sum_at + " + 1")


def test_parentheses_at_the_bound_are_read_and_one_more_is_refused_at_it():
    inner = "actual < 5"
    deep = parse("(" * BOUND + inner + ")" * BOUND)
    assert _depth(deep) == 2 and expression.to_text(deep) == inner  # parentheses alone add no level to the tree
    with pytest.raises(ExpressionError) as caught:
        parse("(" * (BOUND + 1) + inner + ")" * (BOUND + 1))
    assert caught.value.message == f"ngoặc lồng quá sâu: hơn {BOUND} cấp" and caught.value.pos == BOUND
    assert parse('text == "' + "(" * 200 + '" and actual < 5')  # inside quotes, a parenthesis is text


def test_the_bound_is_a_setting():
    assert parse(_nots(10), max_nesting=12)
    with pytest.raises(ExpressionError, match="hơn 11 cấp"):
        parse(_nots(10), max_nesting=11)


def _folder(tmp_path: Path, condition: str) -> Path:
    folder = tmp_path / "sau"
    folder.mkdir()
    (folder / "sau.yaml").write_text(
        "rules:\n  - id: sau-qua\n    title: Sâu quá\n    fact: target\n"
        f"    condition: {condition}\n    severity: info\n    message: x\n",
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize(
    "condition, said",
    [("(" * 300 + "actual < 5" + ")" * 300, "ngoặc lồng quá sâu"), (_nots(3000), "điều kiện lồng quá sâu")],
    ids=["300-parentheses", "3000-not"],
)
def test_rules_check_names_the_file_and_line_and_exits_2(tmp_path, condition, said):
    folder = _folder(tmp_path, condition)
    result = CliRunner().invoke(main, ["rules", "check", str(folder)], catch_exceptions=False)
    assert result.exit_code == 2
    assert f"{folder / 'sau.yaml'}:5:" in result.output and f"{said}: hơn {BOUND} cấp" in result.output
    assert "RecursionError" not in result.output


@pytest.mark.parametrize("condition", ["(" * 300 + "actual < 5" + ")" * 300, _nots(3000)], ids=["300-parentheses", "3000-not"])
def test_the_night_sets_the_file_aside_runs_the_others_and_exits_3(tmp_path, condition):
    folder = _folder(tmp_path, condition)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["check", str(GIA_LOC), "--as-of", "2026-11-22", "--rules", str(folder), "--out", str(out), "--no-summary", "--format", "html"],
        catch_exceptions=False,
    )
    assert result.exit_code == 3
    assert f"{folder / 'sau.yaml'}:5:" in result.output and "lồng quá sâu" in result.output
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    (aside,) = run["rule_files_set_aside"]
    assert aside.startswith(f"{folder / 'sau.yaml'}:5:") and "lồng quá sâu" in aside
    assert json.loads((out / "findings.json").read_text(encoding="utf-8"))  # the shipped rules ran


def test_a_deep_condition_built_in_code_still_compiles_as_deep_as_the_bound():
    """What the parser lets through, the compiler and the reference walk (by recursion) with room to spare."""
    import datetime as dt

    from dondoc.engine.compile import Compiler, NotTrue, Undecided
    from dondoc.engine.reference import truth

    node = parse(_nots(BOUND - 2))
    compiler = Compiler("target", dt.date(2026, 11, 22))
    for wrapped in (node, Not(node), NotTrue(node), Undecided(node)):
        assert compiler.condition(wrapped)
    assert truth(node, {"actual": 3}, dt.date(2026, 11, 22)) is True  # an even number of 'not'
