"""The register of outgoing notices: sequential per issuer and year, reused on re-run,
safe against two runs at once and against SIGKILL at any step."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dondoc.store.register import FREE, ISSUED, MANIFEST, PENDING, Register, notice_key
from dondoc.files import replace_folder

WORKER = Path(__file__).parent / "register_worker.py"
GIA_LOC = "UBND xã Gia Lộc"
D1, D2 = dt.date(2026, 11, 22), dt.date(2026, 11, 23)


def _key(unit: str, as_of: dt.date = D1) -> str:
    return notice_key("97/KH-UBND", unit, as_of)


def _complete(reg: Register, out: Path, wanted: list[tuple[str, int, str]]) -> list[int]:
    """One whole run: draw, write, land, confirm."""
    with reg.run(out) as run:
        numbers = [run.number_for(issuer, year, key) for issuer, year, key in wanted]
        with replace_folder(out) as staging:
            run.landing(staging)
        run.confirm()
    return numbers


def _lines(reg: Register, issuer: str = GIA_LOC, year: int = 2026) -> dict[int, tuple[str, str]]:
    return {e.number: (e.key, e.state) for e in reg.entries(year, issuer)}


@pytest.fixture
def url(store_url):
    """An SQLite file, and (marked postgres: make test-postgres) a database on a throwaway cluster."""
    return store_url


@pytest.fixture
def reg(url):
    with Register.open(url) as register:
        yield register


def test_numbers_are_sequential_per_issuer_and_per_year(reg, tmp_path):
    wanted = [
        (GIA_LOC, 2026, _key("A")),
        ("UBND xã Quyết Thắng", 2026, _key("A")),
        (GIA_LOC, 2026, _key("B")),
        (GIA_LOC, 2027, _key("A", dt.date(2027, 1, 5))),
        ("UBND xã  Gia Lộc", 2026, _key("C")),  # the same issuer, spelled with two spaces
    ]
    assert _complete(reg, tmp_path / "out", wanted) == [1, 1, 2, 1, 3]
    assert _complete(reg, tmp_path / "out", [(GIA_LOC, 2026, _key("A", D2))]) == [4]
    assert {n: s for n, (_, s) in _lines(reg).items()} == {1: ISSUED, 2: ISSUED, 3: ISSUED, 4: ISSUED}


def test_re_running_the_same_check_date_gives_the_same_numbers(reg, tmp_path):
    first = _complete(reg, tmp_path / "out", [(GIA_LOC, 2026, _key(u)) for u in "ABC"])
    again = _complete(reg, tmp_path / "out", [(GIA_LOC, 2026, _key(u)) for u in "CBA"])
    assert first == [1, 2, 3] and again == [3, 2, 1]
    # The next day is another notice, so another number: never a reused one.
    assert _complete(reg, tmp_path / "out", [(GIA_LOC, 2026, _key("A", D2))]) == [4]


def test_a_run_that_fails_before_its_output_lands_gives_its_numbers_back(reg, tmp_path):
    out = tmp_path / "out"
    _complete(reg, out, [(GIA_LOC, 2026, _key("A"))])
    with pytest.raises(RuntimeError, match="template"):
        with reg.run(out) as run:
            assert [run.number_for(GIA_LOC, 2026, _key(u, D2)) for u in "BCD"] == [2, 3, 4]
            raise RuntimeError("template error")
    # Given back at the end of the register: dropped, the counter back at 1 (no line to explain).
    assert {n: s for n, (_, s) in _lines(reg).items()} == {1: ISSUED}
    assert _complete(reg, out, [(GIA_LOC, 2026, _key(u, D2)) for u in "XY"]) == [2, 3]
    assert _complete(reg, out, [(GIA_LOC, 2026, _key(u, D2)) for u in "Z"]) == [4]
    assert _complete(reg, out, [(GIA_LOC, 2026, _key(u, D2)) for u in "W"]) == [5]


def test_a_run_that_draws_again_keeps_no_number_for_a_letter_it_no_longer_writes(reg, tmp_path):
    # The night's second pass (a rule stopped late): the letters are drawn again from the start.
    out = tmp_path / "out"
    _complete(reg, out, [(GIA_LOC, 2026, _key("A"))])  # issued the night before: stays 1
    with reg.run(out) as run:
        assert [run.number_for(GIA_LOC, 2026, _key(u)) for u in "ABCD"] == [1, 2, 3, 4]
        run.restart()
        assert run.numbers == {}
        assert [run.number_for(GIA_LOC, 2026, _key(u)) for u in "ADB"] == [1, 2, 3]
        with replace_folder(out) as staging:
            run.landing(staging)
        run.confirm()
    assert {n: (k, s) for n, (k, s) in _lines(reg).items()} == {
        1: (_key("A"), ISSUED), 2: (_key("D"), ISSUED), 3: (_key("B"), ISSUED)
    }
    assert _complete(reg, out, [(GIA_LOC, 2026, _key("E"))]) == [4]  # C never took a number


def test_a_number_given_back_below_one_in_use_is_drawn_first(reg, tmp_path):
    # Two runs at once: the one that fails gives back a number below the other's.
    with pytest.raises(RuntimeError, match="template"):
        with reg.run(tmp_path / "a") as a:
            assert a.number_for(GIA_LOC, 2026, _key("A")) == 1
            assert _complete(reg, tmp_path / "b", [(GIA_LOC, 2026, _key("B"))]) == [2]
            raise RuntimeError("template error")
    assert {n: s for n, (_, s) in _lines(reg).items()} == {1: FREE, 2: ISSUED}
    assert _complete(reg, tmp_path / "a", [(GIA_LOC, 2026, _key(u)) for u in "CD"]) == [1, 3]
    assert {n: s for n, (_, s) in _lines(reg).items()} == {1: ISSUED, 2: ISSUED, 3: ISSUED}


def test_the_manifest_in_the_output_names_the_run_and_its_numbers(reg, tmp_path):
    out = tmp_path / "out"
    with reg.run(out) as run:
        run.number_for(GIA_LOC, 2026, _key("A"), recipient="A", date=D1)
        with replace_folder(out) as staging:
            run.landing(staging)
        run.confirm()
    data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert data["runs"] == [run.id]
    assert data["numbers"] == [{"issuer": GIA_LOC, "year": 2026, "number": 1, "key": ["97/KH-UBND", "A", "2026-11-22"]}]


def test_record_completes_a_line_and_unknown_columns_are_refused(reg, tmp_path):
    out = tmp_path / "out"
    with reg.run(out) as run:
        run.number_for(GIA_LOC, 2026, _key("A"), recipient="Phòng Kinh tế", date=D1)
        run.record(GIA_LOC, 2026, _key("A"), file="notices/a.pdf", pages=2)
        with pytest.raises(TypeError, match="colour"):
            run.number_for(GIA_LOC, 2026, _key("B"), colour="red")
        with pytest.raises(KeyError):
            run.record(GIA_LOC, 2026, _key("Z"), pages=1)
        with replace_folder(out) as staging:
            run.landing(staging)
        run.confirm()
    (entry,) = reg.entries(2026)
    assert (entry.recipient, entry.file, entry.pages, entry.date) == ("Phòng Kinh tế", "notices/a.pdf", 2, D1)


# -- two runs at once --------------------------------------------------------------------------


def _draw_many(url: str, out: str, prefix: str, n: int, start, results) -> None:
    reg = Register(url)
    with reg.run(out) as run:
        start.wait()
        numbers = [run.number_for(GIA_LOC, 2026, _key(f"{prefix}{i}")) for i in range(n)]
        with replace_folder(out, wait=60) as staging:
            run.landing(staging)
        run.confirm()
    results.put((prefix, numbers))


def test_two_processes_at_once_never_draw_the_same_number(tmp_path, url):
    Register(url).close()
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Barrier(3), ctx.Queue()
    # Two runs with their own notices and one with the first run's notices (same check date).
    args = [("a", str(tmp_path / "out-a")), ("b", str(tmp_path / "out-b")), ("a", str(tmp_path / "out-c"))]
    procs = [ctx.Process(target=_draw_many, args=(url, out, prefix, 40, start, results)) for prefix, out in args]
    for p in procs:
        p.start()
    got = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    by_prefix: dict[str, list[list[int]]] = {}
    for prefix, numbers in got:
        by_prefix.setdefault(prefix, []).append(numbers)
    a1, a2 = by_prefix["a"]
    (b,) = by_prefix["b"]
    assert a1 == a2  # the same notice checked twice at once has one number
    assert sorted(a1 + b) == list(range(1, 81))  # every number once, none skipped
    reg = Register(url)
    assert {s for _, s in _lines(reg).values()} == {ISSUED}
    assert sorted(_lines(reg)) == list(range(1, 81))


# -- SIGKILL at every step ------------------------------------------------------------------------


def _worker(register: str, out: Path, date: dt.date, units: str, stop_at: str = "") -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(register), str(out), date.isoformat(), units, stop_at],
        stdout=subprocess.PIPE,
        text=True,
    )


def _kill_at(register: str, out: Path, date: dt.date, units: str, stop_at: str) -> None:
    proc = _worker(register, out, date, units, stop_at)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == stop_at:
            break
    else:
        pytest.fail(f"the worker never reached {stop_at!r}")
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def _finish(register: str, out: Path, date: dt.date, units: str) -> None:
    proc = _worker(register, out, date, units)
    stdout, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, stdout
    assert stdout.splitlines()[-1] == "confirmed"


def _assert_whole(register: str, out: Path) -> dict[int, tuple[str, str]]:
    """No gap, no duplicate: every number 1..N issued once; the output's numbers are issued ones."""
    with Register.open(register) as reg:
        lines = _lines(reg)
    assert sorted(lines) == list(range(1, len(lines) + 1))
    assert {s for _, s in lines.values()} == {ISSUED}, lines
    keys = [k for k, _ in lines.values()]
    assert len(keys) == len(set(keys))
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    for item in manifest["numbers"]:
        assert lines[item["number"]] == (json.dumps(item["key"], ensure_ascii=False), ISSUED)
    files = sorted(p.name for p in out.iterdir() if p.suffix == ".txt")
    assert len({f.split("-")[0] for f in files}) == len(files)  # one number per document in the output
    return lines


STEPS = ["started", "drawn 1", "drawn 3", "drawn 5", "landing", "swapped", "confirmed"]


@pytest.mark.parametrize("stop_at", STEPS)
def test_sigkill_at_any_step_then_a_rerun_leaves_no_gap_and_no_duplicate(tmp_path, url, stop_at):
    register, out = url, tmp_path / "out"
    _finish(register, out, D1, "A,B")  # yesterday's run: numbers 1-2, output in place
    _kill_at(register, out, D2, "C,D,E,F,G", stop_at)
    with Register.open(register) as reg:
        states = {s for _, s in _lines(reg).values()}
    assert PENDING in states or stop_at in ("started", "confirmed")  # the kill left work for the next run
    _finish(register, out, D2, "C,D,E,F,G")  # the same check date again
    lines = _assert_whole(register, out)
    assert [lines[n][0] for n in range(1, 8)] == [_key(u, d) for u, d in zip("ABCDEFG", [D1] * 2 + [D2] * 5)]


@pytest.mark.parametrize("stop_at", ["drawn 3", "landing", "swapped"])
def test_after_a_kill_the_next_days_run_takes_the_numbers_that_never_landed(tmp_path, url, stop_at):
    register, out = url, tmp_path / "out"
    _finish(register, out, D1, "A,B")
    _kill_at(register, out, D2, "C,D,E,F,G", stop_at)
    _finish(register, out, D2 + dt.timedelta(days=1), "H,I,J,K,L")
    lines = _assert_whole(register, out)
    landed = stop_at == "swapped"  # killed after its output was swapped in: its documents exist
    assert len(lines) == (12 if landed else 7)
    killed = {_key(u, D2) for u in "CDEFG"}
    assert (killed <= {k for k, _ in lines.values()}) == landed


def test_sigkill_at_random_moments_never_leaves_a_gap_or_a_duplicate(tmp_path, url):
    register, out = url, tmp_path / "out"
    units = ",".join(f"U{i}" for i in range(30))
    _finish(register, out, D1, units)
    rng = random.Random(7)
    for day in range(2, 8):
        as_of = D1 + dt.timedelta(days=day)
        proc = _worker(register, out, as_of, units)
        time.sleep(rng.uniform(0.2, 1.2))  # interpreter start, drawing, writing, swapping
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        _finish(register, out, as_of, units)
        _assert_whole(register, out)


def test_a_run_whose_life_lock_is_held_is_never_settled_by_another(reg, tmp_path):
    with reg.run(tmp_path / "a") as first:
        n = first.number_for(GIA_LOC, 2026, _key("A"))
        assert reg.settle() == []  # alive: its pending number stays reserved
        assert _complete(reg, tmp_path / "b", [(GIA_LOC, 2026, _key("B"))]) == [n + 1]
        assert _lines(reg)[n][1] == PENDING
        with replace_folder(tmp_path / "a") as staging:
            first.landing(staging)
        first.confirm()
    assert _lines(reg)[n][1] == ISSUED


def test_a_register_from_a_newer_dondoc_is_refused(tmp_path):
    from dondoc.errors import InputError

    path = tmp_path / "so.sqlite"
    with Register.open(path) as reg, reg.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE register_meta SET value = '99' WHERE name = 'schema'")
    with pytest.raises(InputError, match="mới hơn"):
        Register.open(path)


def test_a_register_of_the_first_schema_is_brought_up_to_date_and_keeps_its_lines(tmp_path):
    path = tmp_path / "so.sqlite"
    with Register.open(path) as reg:
        with reg.run(tmp_path / "out") as run:
            run.number_for(GIA_LOC, 2026, _key("A"), subject="V/v", recipient="Phòng Kinh tế")
            with replace_folder(tmp_path / "out") as staging:
                run.landing(staging)
            run.confirm()
    with Register.open(path) as reg, reg.engine.begin() as conn:  # as dondoc wrote it before the archive column
        conn.exec_driver_sql("ALTER TABLE register_entries DROP COLUMN archive")
        conn.exec_driver_sql("UPDATE register_meta SET value = '1' WHERE name = 'schema'")
    with Register.open(path) as reg:
        [entry] = reg.entries()
        assert (entry.subject, entry.recipient, entry.archive) == ("V/v", "Phòng Kinh tế", "")
        with reg.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT value FROM register_meta WHERE name = 'schema'").scalar() == "2"


def test_record_in_the_numbering_completes_the_line_of_the_run_that_numbered_it(tmp_path):
    from dondoc.store.register import DEFAULT_REGISTER, number_for, numbering, record

    out = tmp_path / "out"
    with numbering(out) as session:
        number_for(GIA_LOC, 2026, _key("A"), subject="V/v")
        record(GIA_LOC, 2026, _key("A"), pages=3)
        with pytest.raises(KeyError):
            record(GIA_LOC, 2026, _key("B"), pages=1)  # never numbered here: nothing to complete
        with replace_folder(out) as staging:
            session.landing(staging)
    with Register.open(tmp_path / DEFAULT_REGISTER) as reg:
        assert [(e.number, e.pages) for e in reg.entries()] == [(1, 3)]


def test_number_for_draws_in_the_current_numbering_from_each_plans_register(tmp_path):
    from dondoc.store.register import DEFAULT_REGISTER, number_for, numbering

    out, other = tmp_path / "out", tmp_path / "xa-khac.sqlite"
    with pytest.raises(RuntimeError, match="numbering"):
        number_for(GIA_LOC, 2026, _key("A"))
    with numbering(out) as session:
        assert number_for(GIA_LOC, 2026, _key("A"), subject="V/v") == 1  # settings name no register: beside the output
        assert number_for(GIA_LOC, 2026, _key("B")) == 2
        assert number_for("UBND xã Khác", 2026, _key("A"), register=str(other)) == 1
        with replace_folder(out) as staging:
            session.landing(staging)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert len(manifest["runs"]) == 2 and [n["number"] for n in manifest["numbers"]] == [1, 2, 1]
    with Register.open(tmp_path / DEFAULT_REGISTER) as reg:
        assert [(e.number, e.state, e.subject) for e in reg.entries()] == [(1, ISSUED, "V/v"), (2, ISSUED, "")]
    with Register.open(other) as reg:
        assert [(e.issuer, e.state) for e in reg.entries()] == [("UBND xã Khác", ISSUED)]
    # An error before the swap: nothing issued, the number goes back (the last: dropped).
    with pytest.raises(ValueError):
        with numbering(out):
            assert number_for(GIA_LOC, 2026, _key("C")) == 3
            raise ValueError("template")
    with Register.open(tmp_path / DEFAULT_REGISTER) as reg:
        assert [e.state for e in reg.entries()] == [ISSUED, ISSUED]


@pytest.mark.parametrize("target", ["mysql://u@h/d", "foo://x", "sqlite:///:memory:"])
def test_a_register_url_dondoc_cannot_use_is_bad_input(target):
    from dondoc.errors import InputError

    with pytest.raises(InputError) as caught:
        Register.open(target)
    assert caught.value.exit_code == 2


def test_a_register_never_adds_its_tables_to_another_applications_database(tmp_path):
    import sqlite3

    from dondoc.errors import InputError

    path = tmp_path / "ke-toan.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE so_cai (id INTEGER PRIMARY KEY)")
    before = path.read_bytes()
    with pytest.raises(InputError, match="không phải sổ đăng ký của dondoc") as caught:
        Register.open(path)
    assert caught.value.exit_code == 2 and path.read_bytes() == before


@pytest.mark.postgres
def test_a_register_server_that_does_not_answer_is_exit_4_at_the_start_as_later(monkeypatch):
    import socket

    from dondoc.errors import OutputError

    server = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    monkeypatch.setenv("DONDOC_STORE_CONNECT_TIMEOUT", "2")
    try:
        with pytest.raises(OutputError) as caught:
            Register.open(f"postgresql+psycopg://dondoc@127.0.0.1:{server.getsockname()[1]}/dondoc")
        assert caught.value.exit_code == 4
    finally:
        server.close()
