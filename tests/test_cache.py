"""The user's cache (cache.py): rules, holidays and compiled templates kept between runs,
never stale, never trusted when it cannot be read."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from dondoc.engine import rulebook
from dondoc.engine.rulebook import DEFAULT_RULES_DIR, load_book, read_rule_file
from dondoc.facts import calendar
from dondoc import cache


@pytest.fixture
def where(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(folder))
    return folder


def entries(folder: Path, namespace: str) -> list[Path]:
    return sorted(p for p in (folder / namespace).glob("*") if not p.name.startswith("."))


def test_the_rule_book_from_the_cache_is_the_one_read_from_the_files(where):
    first = load_book([]).rules
    assert entries(where, "rules")  # kept
    again = load_book([]).rules
    assert again == first
    assert again == [r for path in rulebook.rule_files(DEFAULT_RULES_DIR) for r in read_rule_file(path)]


def test_a_changed_rule_file_is_read_again(where, tmp_path):
    local = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, local, ignore=shutil.ignore_patterns("__*"))
    path = local / "nhiem-vu.yaml"
    before = load_book([local], shipped=False).rules
    path.write_text(path.read_text(encoding="utf-8").replace("Nhiệm vụ quá hạn chưa hoàn thành", "Quá hạn (sửa)"), encoding="utf-8")
    after = load_book([local], shipped=False).rules
    assert "Nhiệm vụ quá hạn chưa hoàn thành" in {r.title for r in before}
    assert "Quá hạn (sửa)" in {r.title for r in after} and "Nhiệm vụ quá hạn chưa hoàn thành" not in {r.title for r in after}


def test_a_rule_file_with_errors_is_reported_every_time_never_kept(where, tmp_path):
    local = tmp_path / "rules"
    local.mkdir()
    (local / "hong.yaml").write_text("rules:\n  - id: hong\n    fact: task\n", encoding="utf-8")
    for _ in range(2):
        book = load_book([local], strict=False)
        assert book.set_aside and "hong.yaml" in book.set_aside[0].render()
    assert not [p for p in entries(where, "rules") if b"hong.yaml" in p.read_bytes()]


def test_a_corrupt_entry_is_ignored_and_made_again(where):
    first = load_book([]).rules
    for namespace in ("rules",):
        for path in entries(where, namespace):
            path.write_bytes(b"\x80not a pickle")
    assert load_book([]).rules == first
    assert all(p.read_bytes()[:1] != b"\x80n" for p in entries(where, "rules"))  # written again


def test_an_entry_others_could_have_written_is_never_unpickled(where, tmp_path):
    # unpickling runs code: a world-writable entry (or another user's) is made again, never read
    marker = tmp_path / "ran"
    cache.put("probe", "k", "kept")
    (path,) = entries(where, "probe")

    class Payload:
        def __reduce__(self):
            return (Path.touch, (marker,))

    import pickle

    path.write_bytes(pickle.dumps((b"k", Payload())))
    path.chmod(0o666)
    assert cache.get("probe", "k", "made again") == "made again" and not marker.exists()
    path.chmod(0o644)  # the user's own entry is read (which is why the mode is what is checked)
    cache.get("probe", "k")
    assert marker.exists()


def test_holidays_from_the_cache_are_the_librarys(where):
    import holidays

    calendar._year.cache_clear()
    kept = calendar._year(2026)
    calendar._year.cache_clear()
    assert calendar._year(2026) == kept  # read back from the cache
    days = holidays.country_holidays("VN", years=2026, language="vi")
    assert kept[0] == dict(days)
    assert kept[1] == frozenset(d for d in days.weekend_workdays if d.year == 2026)
    assert kept[0][dt.date(2026, 9, 2)]  # Quốc khánh
    calendar._year.cache_clear()


def test_the_cache_can_be_turned_off(monkeypatch, tmp_path):
    monkeypatch.setenv(cache.ENV, cache.OFF)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cached("x", "k", lambda: 1) == 1
    assert not any(tmp_path.rglob("*"))


def test_a_cache_that_cannot_be_written_is_not_kept(monkeypatch, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv(cache.ENV, str(blocked))
    calls = []
    assert cache.cached("x", "k", lambda: calls.append(1) or 7) == 7
    assert cache.cached("x", "k", lambda: calls.append(1) or 7) == 7
    assert len(calls) == 2


def test_letters_from_templates_read_back_are_the_same_bytes(where, monkeypatch):
    from dondoc.night import evaluate as check
    from dondoc.facts.planfolder import read_plan_folder
    from dondoc.templates import render
    from dondoc.night.plan import notices_for_plan

    folder = read_plan_folder(Path(__file__).parent / "fixtures" / "tiny")
    findings, _ = check([folder], load_book([]).rules, dt.date(2026, 11, 22))

    def letters() -> list:
        render._environment.cache_clear()
        return notices_for_plan(folder, findings, dt.date(2026, 11, 22), formats=["html"])

    monkeypatch.setenv(cache.ENV, cache.OFF)
    compiled_here = letters()
    monkeypatch.setenv(cache.ENV, str(where))
    letters()  # compiled, and kept
    assert entries(where, "templates")
    import jinja2

    compiled = []
    real = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile", lambda self, *a, **k: compiled.append(a) or real(self, *a, **k))
    assert letters() == compiled_here  # read back, not compiled again
    assert not compiled
    render._environment.cache_clear()
