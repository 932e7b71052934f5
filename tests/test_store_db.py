"""Opening a store: what is refused (exit 2) and what cannot be reached (exit 4, at the start and
later alike); the migrations shipped and run on open; a register of dondoc before the store (tests/legacy_register.py)
upgraded in place, its issued numbers never given again."""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

import pytest
import sqlalchemy as sa

from dondoc.errors import InputError, StoreError

from dondoc.store import db as store_db
from dondoc.store import schema as S
from dondoc.store.migrate import MIGRATIONS, known_revisions, script_head
from tests.legacy_register import write_old_register
from dondoc.store.store import Store, Timeouts
from tests.storekit import D1, D2, ISSUER, PLAN, letter, night, seen

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "target, words",
    [
        ("mysql://dondoc@127.0.0.1/dondoc", "'mysql://'"),
        ("foo://bar", "'foo://'"),
        ("postgresql+psycopg2://u@h/d", "'postgresql+psycopg2://'"),
        ("sqlite:///:memory:", "phải là một tệp"),
        ("sqlite://", "phải là một tệp"),
    ],
)
def test_a_scheme_dondoc_does_not_support_is_bad_input_naming_it(target, words):
    with pytest.raises(InputError, match=re.escape(words)) as caught:
        Store.open(target)
    assert caught.value.exit_code == 2


def test_postgresql_without_its_driver_names_the_extra_to_install(monkeypatch):
    real = store_db.importlib.util.find_spec
    monkeypatch.setattr(store_db.importlib.util, "find_spec", lambda name, *a: None if name == "psycopg" else real(name, *a))
    with pytest.raises(InputError, match=r"dondoc\[postgres\]") as caught:
        Store.open("postgresql://dondoc:secret@db.example/dondoc")
    assert caught.value.exit_code == 2 and "secret" not in str(caught.value)


def test_a_store_that_does_not_exist_is_not_created_by_a_command_that_only_reads(tmp_path):
    path = tmp_path / "none.sqlite"
    with pytest.raises(InputError, match="không có sổ đăng ký") as caught:
        Store.open(path, create=False)
    assert caught.value.exit_code == 2 and not path.exists()
    path.touch()  # an empty file is an empty database: still no store
    with pytest.raises(InputError, match="còn trống"):
        Store.open(path, create=False)
    assert path.stat().st_size == 0


def test_a_file_that_is_not_a_database_is_bad_input(tmp_path):
    path = tmp_path / "so.sqlite"
    path.write_text("không phải cơ sở dữ liệu " * 100, encoding="utf-8")
    with pytest.raises(InputError, match="không phải cơ sở dữ liệu SQLite") as caught:
        Store.open(path)
    assert caught.value.exit_code == 2


def _foreign(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE khach_hang (id INTEGER PRIMARY KEY, ten TEXT)")
        conn.exec_driver_sql("INSERT INTO khach_hang VALUES (1, 'A')")
    engine.dispose()


def _tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        names = set(sa.inspect(conn).get_table_names())
    engine.dispose()
    return names


@pytest.mark.parametrize("create", [True, False])
def test_a_database_that_is_not_a_dondoc_store_gets_no_table(store_url, create):
    _foreign(store_url)
    before = _tables(store_url)
    with pytest.raises(InputError, match="không phải kho dữ liệu của dondoc") as caught:
        Store.open(store_url, create=create)
    assert caught.value.exit_code == 2 and _tables(store_url) == before == {"khach_hang"}


def test_a_store_of_a_newer_dondoc_is_refused_and_left_as_it_is(store_url):
    Store.open(store_url).close()
    engine = sa.create_engine(store_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE {S.VERSION_TABLE} SET version_num = '0099'")
    engine.dispose()
    with pytest.raises(InputError, match="mới hơn") as caught:
        Store.open(store_url)
    assert caught.value.exit_code == 2 and "cập nhật dondoc" in str(caught.value)


def test_a_register_of_a_newer_schema_before_the_store_is_refused(tmp_path):
    path = tmp_path / "so.sqlite"
    write_old_register("sqlite:///" + str(path), ISSUER, OLD_LINES, schema=3)
    with pytest.raises(InputError, match="mới hơn"):
        Store.open(path)
    assert S.VERSION_TABLE not in _tables("sqlite:///" + str(path))


def test_the_migrations_ship_in_the_package_and_head_is_the_newest(tmp_path):
    assert script_head() == S.HEAD and known_revisions() == {"0001", "0002"}
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    assert {"dondoc.store.migrations", "dondoc.store.migrations.versions"} <= set(packages)
    assert (MIGRATIONS / "env.py").is_file() and len(list((MIGRATIONS / "versions").glob("0*.py"))) == 2
    # A new store is made by running them (the tables the queries use are the migrations' tables).
    with Store.open(tmp_path / "so.sqlite") as store, store.db.read() as conn:
        inspector = sa.inspect(conn)
        for table in S.metadata.sorted_tables:
            assert {c["name"] for c in inspector.get_columns(table.name)} == set(table.c.keys()), table.name


OLD_LINES = [(1, "issued", "V/v đôn đốc", D1), (2, "issued", "V/v đôn đốc", D1), (3, "issued", "V/v đôn đốc", D1),
             (4, "free", "", None), (5, "issued", "V/v", D2)]


def test_a_register_of_the_night_numbering_before_the_store_upgrades_in_place_and_its_numbers_are_never_given_again(store_url, tmp_path):
    write_old_register(store_url, ISSUER, OLD_LINES)
    with Store.open(store_url) as store:
        before = [(line.number, line.state, line.subject) for line in store.lines()]
        assert before == [(1, "issued", "V/v đôn đốc"), (2, "issued", "V/v đôn đốc"), (3, "issued", "V/v đôn đốc"), (4, "free", ""), (5, "issued", "V/v")]
        found = [seen("r1", "task:1")]
        _, recorded = night(store, D2, {PLAN: (found, ["r1"])}, drafts=[letter(D2, found)])
        assert store.sign(recorded.letters[0], "Nguyễn Văn A", D2).number == 6  # never 4, never one issued
        lines = store.lines()
        assert [line.number for line in lines] == [1, 2, 3, 4, 5, 6] and lines[0].subject == "V/v đôn đốc"


def test_a_register_of_the_first_schema_upgrades_too(tmp_path):
    path = tmp_path / "so.sqlite"
    write_old_register("sqlite:///" + str(path), ISSUER, OLD_LINES, schema=1)
    with Store.open(path) as store:
        assert [line.number for line in store.lines()] == [1, 2, 3, 4, 5] and store.lines()[0].archive == ""


def test_two_processes_creating_one_store_at_once_both_open_it(store_url):
    code = "import sys; from dondoc.store.store import Store; Store.open(sys.argv[1]).close()"
    procs = [subprocess.Popen([sys.executable, "-c", code, store_url], stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for proc in procs:
        assert proc.wait(timeout=120) == 0, proc.stderr.read()
    with Store.open(store_url) as store, store.db.read() as conn:
        assert conn.execute(sa.text(f"SELECT count(*) FROM {S.VERSION_TABLE}")).scalar() == 1


def test_an_sqlite_store_locked_longer_than_the_statement_timeout_is_exit_4_at_the_start_and_later(tmp_path):
    path = tmp_path / "so.sqlite"
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")  # another writer, holding on
    with pytest.raises(StoreError, match="DONDOC_STORE_STATEMENT_TIMEOUT") as caught:
        Store.open(path, timeouts=Timeouts(statement=0.3))
    assert caught.value.exit_code == 4
    blocker.execute("ROLLBACK")
    store = Store.open(path, timeouts=Timeouts(statement=0.3))
    blocker.execute("BEGIN IMMEDIATE")
    with pytest.raises(StoreError, match="khóa quá 0.3 giây") as caught:
        store.register_start(ISSUER, 2026, 5)
    assert caught.value.exit_code == 4
    blocker.execute("ROLLBACK")
    assert store.register_start(ISSUER, 2026, 5) == 0
    store.close()
    blocker.close()


def test_the_timeouts_are_settings_with_defaults():
    assert Timeouts.from_env({}) == Timeouts(connect=10.0, statement=60.0)
    assert Timeouts.from_env({"DONDOC_STORE_CONNECT_TIMEOUT": "3", "DONDOC_STORE_STATEMENT_TIMEOUT": "1.5"}) == Timeouts(3.0, 1.5)
    for bad in ("0", "-1", "ten", "nan"):
        with pytest.raises(InputError, match="DONDOC_STORE_CONNECT_TIMEOUT") as caught:
            Timeouts.from_env({"DONDOC_STORE_CONNECT_TIMEOUT": bad})
        assert caught.value.exit_code == 2


def _cli(*args: str, drop_write: bool = False, env: dict | None = None) -> subprocess.CompletedProcess:
    """The command line in its own process; ``drop_write``: as a user who may not write where
    the file modes say so (root ignores modes: it runs without CAP_DAC_OVERRIDE)."""
    command = [str(Path(sys.executable).with_name("dondoc")), *args]
    if drop_write and os.geteuid() == 0:
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--", *command]
    return subprocess.run(command, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=120)


def test_a_folder_that_cannot_be_written_is_named_as_the_stores_folder(tmp_path):
    folder = tmp_path / "kho"
    folder.mkdir()
    existing = folder / "so.sqlite"
    Store.open(existing).close()
    folder.chmod(0o555)
    try:
        for target in (folder / "moi.sqlite", existing):  # a new store, and a write to one that exists
            result = _cli("register", "start", "--store", str(target), "--next", "5", "--year", "2026", "--issuer", ISSUER, drop_write=True)
            assert result.returncode == 4, result.stderr
            assert f"{folder}: không ghi được vào thư mục của kho dữ liệu" in result.stderr and "--out" not in result.stderr
            assert "Traceback" not in result.stderr
        # reading it still works: the folder's mode stops only writes
        result = _cli("register", "export", "--store", str(existing), "--out", str(tmp_path / "so.xlsx"), drop_write=True)
        assert result.returncode == 0, result.stderr
    finally:
        folder.chmod(0o755)


# -- PostgreSQL: a server that does not answer, a statement too long ---------------------------------------


class _Silent:
    """A TCP server on the loopback that accepts connections and never answers (or, as a proxy,
    forwards to the test cluster's socket until it is told to go silent)."""

    def __init__(self, forward_to: str | None = None) -> None:
        self.forward_to = forward_to
        self.silent = forward_to is None
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            self.held.append(client)
            if not self.silent:
                upstream = socket.socket(socket.AF_UNIX)
                upstream.connect(self.forward_to)
                self.held.append(upstream)
                for a, b in ((client, upstream), (upstream, client)):
                    threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass

    def close(self) -> None:
        self.server.close()
        for s in self.held:
            s.close()


@pytest.mark.postgres
def test_a_server_that_accepts_and_never_answers_is_exit_4_naming_the_timeout():
    silent = _Silent()
    try:
        started = dt.datetime.now()
        with pytest.raises(StoreError, match="connect_timeout") as caught:
            Store.open(f"postgresql+psycopg://dondoc@127.0.0.1:{silent.port}/dondoc", timeouts=Timeouts(connect=2))
        assert caught.value.exit_code == 4 and "DONDOC_STORE_CONNECT_TIMEOUT" in str(caught.value)
        assert (dt.datetime.now() - started).total_seconds() < 30
    finally:
        silent.close()


@pytest.mark.postgres
def test_a_server_that_stops_answering_later_is_exit_4_too(postgres_url, postgres_cluster):
    from tests.pgcluster import PORT, ROLE

    proxy = _Silent(forward_to=str(postgres_cluster.socket / f".s.PGSQL.{PORT}"))
    try:
        url = f"postgresql+psycopg://{ROLE}@127.0.0.1:{proxy.port}/{sa.engine.make_url(postgres_url).database}"
        store = Store.open(url, timeouts=Timeouts(connect=2))
        assert store.letters() == []
        proxy.silent = True  # the server goes quiet: new connections are accepted, never answered
        with pytest.raises(StoreError, match="connect_timeout") as caught:
            store.letters()
        assert caught.value.exit_code == 4
    finally:
        proxy.close()


@pytest.mark.postgres
def test_a_statement_longer_than_the_statement_timeout_is_exit_4_naming_it(postgres_url):
    import psycopg

    store = Store.open(postgres_url, timeouts=Timeouts(statement=1))
    found = [seen("r1", "task:1")]
    _, recorded = night(store, D1, {PLAN: (found, ["r1"])}, drafts=[letter(D1, found)])
    store.register_start(ISSUER, 2026, 1)
    url = sa.engine.make_url(postgres_url)
    with psycopg.connect(host=url.query["host"], port=int(url.query["port"]), user=url.username, dbname=url.database) as other:
        other.execute("SELECT * FROM register_counters FOR UPDATE")  # another signer, holding the counter
        with pytest.raises(StoreError, match="statement_timeout") as caught:
            store.sign(recorded.letters[0], "A", D2)
        assert caught.value.exit_code == 4
    assert store.sign(recorded.letters[0], "A", D2).number == 1
    store.close()
