"""The store under real processes: two signers at once never draw one number twice; a night's
lock is the database's, so deleting files beside the store never lets a second night in; the
lock goes with its holder's death; signing never waits on it. SQLite and (make test-postgres)
PostgreSQL."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from dondoc.errors import StoreError
from dondoc.store import book
from dondoc.store.store import Store
from tests.storekit import D1, D2, ISSUER, PLAN, letter, night, seen

WORKER = Path(__file__).parent / "store_worker.py"
ROOT = Path(__file__).resolve().parents[1]


def _worker(url: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(WORKER), url, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, cwd=ROOT,
    )


def _drafts(store: Store, n: int) -> list[int]:
    store.register_start(ISSUER, D2.year, 1)  # the office's register, opened at 01
    found = [seen("r1", f"task:{i}", unit=f"don vi {i}") for i in range(n)]
    _, recorded = night(store, D1, {PLAN: (found, ["r1"])}, drafts=[letter(D1, [f], units=[f.unit]) for f in found])
    return list(recorded.letters)


def test_two_processes_signing_at_once_never_give_one_number_twice(store_url):
    with Store.open(store_url) as store:
        ids = _drafts(store, 40)
    rng = random.Random(3)
    # Both try every letter, in their own orders: each letter is signed once, by one of them.
    orders = [rng.sample(ids, len(ids)) for _ in range(2)]
    procs = [_worker(store_url, "sign", D2.isoformat(), *map(str, order)) for order in orders]
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    given: dict[int, int] = {}
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        for line in out.splitlines():
            letter_id, number = line.split()
            if number != "refused":
                assert int(letter_id) not in given, line  # signed twice
                given[int(letter_id)] = int(number)
    assert sorted(given) == sorted(ids)
    assert sorted(given.values()) == list(range(1, 41))  # no number twice, none skipped
    with Store.open(store_url) as store:
        lines = store.lines()
        assert [line.number for line in lines] == list(range(1, 41))
        assert {line.letter_id: line.number for line in lines} == given
        assert {store.letter(i).number for i in ids} == set(range(1, 41))


def _beside(url: str) -> list[Path]:
    """Every file beside an SQLite store but the store itself (none for a server)."""
    if not url.startswith("sqlite"):
        return []
    path = Path(sa.engine.make_url(url).database)
    return [p for p in path.parent.iterdir() if p != path]


def test_deleting_any_file_beside_the_store_never_lets_a_second_night_in(store_url):
    Store.open(store_url).close()
    holder = _worker(store_url, "hold", D1.isoformat())
    rng = random.Random(5)
    store = Store.open(store_url)
    try:
        for trial in range(50):
            line = holder.stdout.readline().split()
            assert line[0] == "held", holder.stderr.read()
            pid = int(line[1])
            if store_url.startswith("sqlite"):
                folder = Path(sa.engine.make_url(store_url).database).parent
                for name in ("so-dang-ky.sqlite-journal", ".so-dang-ky.sqlite.lock", f"dondoc-{trial}.lock"):
                    (folder / name).write_text("x")  # what a lock file beside the store would be
                doomed = _beside(store_url)
                for path in rng.sample(doomed, rng.randint(1, len(doomed))):
                    path.unlink()
            with pytest.raises(StoreError, match=f"tiến trình {pid}") as caught:
                with store.night(D2, version="test", rulebook_hash="-"):
                    pass
            assert caught.value.exit_code == 4 and "ngày kiểm tra 22/11/2026" in str(caught.value)
            holder.stdin.write("again\n" if trial < 49 else "quit\n")
            holder.stdin.flush()
        assert holder.wait(timeout=60) == 0
        with store.night(D2, version="test", rulebook_hash="-") as n:  # the holder gone: the store is free
            n.finish(0)
    finally:
        holder.kill()
        store.close()


def test_the_lock_goes_with_a_holder_that_is_killed_and_signing_never_waits_on_it(store_url):
    with Store.open(store_url) as store:
        [draft] = _drafts(store, 1)
    holder = _worker(store_url, "hold", D1.isoformat())
    assert holder.stdout.readline().startswith("held")
    with Store.open(store_url) as store:
        assert store.sign(draft, "Nguyễn Văn A", D2).number == 1  # while a night holds the store
        with pytest.raises(StoreError):
            with store.night(D2, version="test", rulebook_hash="-"):
                pass
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=60)
        _, recorded = night(store, D2, {PLAN: ([], ["r1"])})
        assert recorded.run_id


def test_a_nights_lock_is_free_when_the_night_ends_though_its_session_lingers(store_url, monkeypatch):
    # On PostgreSQL a closed session's lock goes only when its server process has ended, after
    # close() returns: the night unlocks first, so a night started at once is let in. Here the
    # session is kept open, as a slow server would keep it.
    with Store.open(store_url) as store:
        first = store.db.night_lock()
        first.acquire(book.now(), D1)
        lingering = first._conn
        if lingering is not None:
            monkeypatch.setattr(lingering, "close", lambda: None)
        first.release()
        second = store.db.night_lock()
        try:
            second.acquire(book.now(), D2)  # not "held by another run"
        finally:
            second.release()
            if lingering is not None:
                monkeypatch.undo()
                lingering.close()
