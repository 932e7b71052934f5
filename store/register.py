"""The register of outgoing notices (sổ đăng ký văn bản đi): one number per notice.

Each issuer numbers its documents from 1 every year, without gaps and without
reuse. A nightly run reserves numbers before it renders, and only after its
output folder is swapped in (files.py) do those numbers become issued:

    register = Register.open("so-dang-ky.sqlite")          # or "postgresql+psycopg://..."
    with register.run(out) as run:                          # settles dead runs first
        n = run.number_for(issuer, year, key, date=..., subject=..., recipient=...)
        with replace_folder(out) as staging:
            ...                                             # notices carry their numbers
            run.landing(staging)                            # the last thing in the block
        run.confirm()                                       # after the swap

The crash window, and why nothing is lost or given twice (docs/notices.md):

- Reserving, issuing and releasing are single transactions, serialised per
  issuer and year (SQLite: BEGIN IMMEDIATE; PostgreSQL: the counter row locked
  FOR UPDATE), so two runs at once never draw the same number for two notices.
- A run proves it is alive by holding a lock for its whole life (a file lock
  beside an SQLite register, an advisory lock on PostgreSQL); the kernel or
  the server drops it when the process dies, however it dies.
- A run that died before ``landing`` cannot have put its output in place: its
  reserved numbers are released and drawn first by the next run (lowest
  first), so they leave no permanent gap. The same notice (plan, unit, check
  date) drawn again gets the same number back.
- A run that died after ``landing`` may have swapped its output in: the next
  run reads the output's register.json; if it names the dead run, its numbers
  are issued. If the output in place was staged before the dead run's landing,
  it never landed and the numbers are released. Otherwise (another run has
  since replaced that output) they are issued: a gap in a double fault is
  better than one number in two documents.
- A number claimed by several runs (the same notice checked twice at once)
  is released only when no run still holding it is alive.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import hashlib
import json
import os
import socket
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import sqlalchemy as sa
from filelock import FileLock, Timeout

from dondoc.errors import InputError, OutputError
from dondoc.files import MARKER, Staging
from dondoc.store.db import Timeouts, parse_url, pg_connect_args
from dondoc.store.schema import VERSION_TABLE
from dondoc.text import one_line

SCHEMA_VERSION = 2  # 2: the archive column (đơn vị, người nhận bản lưu)
MANIFEST = "register.json"  # in every output folder a numbering run wrote: its run and numbers

PENDING, ISSUED, FREE = "pending", "issued", "free"  # an entry's states
RUNNING, LANDING, DONE, ABANDONED = "running", "landing", "done", "abandoned"  # a run's states

metadata = sa.MetaData()

meta_table = sa.Table(
    "register_meta",
    metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("value", sa.String(200), nullable=False),
)

runs = sa.Table(
    "register_runs",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("state", sa.String(12), nullable=False),
    sa.Column("out", sa.Text, nullable=False),
    sa.Column("host", sa.String(255), nullable=False),
    sa.Column("pid", sa.Integer, nullable=False),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("landing_ns", sa.BigInteger),  # the run's own clock (time.time_ns) when it began its swap
    sa.Column("ended_at", sa.DateTime),
)

# The serialisation point: one row per issuer and year, locked by every transaction that draws.
counters = sa.Table(
    "register_counters",
    metadata,
    sa.Column("issuer", sa.String(255), primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("last", sa.Integer, nullable=False),
)

entries = sa.Table(
    "register_entries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("issuer", sa.String(255), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("date", sa.Date),  # ngày: the date of the document
    sa.Column("symbol", sa.String(60), nullable=False, default=""),  # ký hiệu: "UBND-VP"
    sa.Column("subject", sa.Text, nullable=False, default=""),  # trích yếu
    sa.Column("recipient", sa.Text, nullable=False, default=""),  # nơi nhận
    sa.Column("reply_by", sa.Date),  # hạn trả lời
    sa.Column("file", sa.Text, nullable=False, default=""),  # tệp, relative to the output
    sa.Column("signer", sa.Text, nullable=False, default=""),  # người ký
    sa.Column("pages", sa.Integer),  # số trang
    sa.Column("copies", sa.Integer),  # số bản
    sa.Column("archive", sa.Text, nullable=False, default=""),  # đơn vị, người nhận bản lưu: "VT, KT"
    sa.Column("out", sa.Text, nullable=False, default=""),  # the output folder that holds the file
    sa.Column("reserved_at", sa.DateTime, nullable=False),
    sa.Column("issued_at", sa.DateTime),
    sa.UniqueConstraint("issuer", "year", "number", name="uq_register_number"),
    sa.UniqueConstraint("issuer", "year", "key", name="uq_register_key"),
)

# Which runs hold which entries: a number stays reserved while any live run holds it.
claims = sa.Table(
    "register_claims",
    metadata,
    sa.Column("entry_id", sa.Integer, sa.ForeignKey("register_entries.id"), primary_key=True),
    sa.Column("run_id", sa.String(32), sa.ForeignKey("register_runs.id"), primary_key=True),
)

DETAILS = ("date", "symbol", "subject", "recipient", "reply_by", "file", "signer", "pages", "copies", "archive")


def _guarded(method):
    """A database failure (locked too long, disk full, a file that is not a register) as an
    OutputError naming the register, never a traceback."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sa.exc.DBAPIError as exc:
            reg = self if isinstance(self, Register) else self.register
            raise OutputError(reg.path or reg.url.render_as_string(), f"sổ đăng ký văn bản đi: {exc.orig}",
                              "kiểm tra tệp sổ (hoặc máy chủ cơ sở dữ liệu) rồi chạy lại; số chưa cấp sẽ được cấp lại") from None

    return wrapper


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def issuer_key(issuer: str) -> str:
    """One spelling per issuer: NFC, single spaces ("UBND xã  Gia Lộc" is "UBND xã Gia Lộc")."""
    text = one_line(issuer)
    if not text:
        raise ValueError("a register entry needs its issuer")
    return text


def notice_key(plan: str, unit: str, as_of: dt.date) -> str:
    """The identity of a notice: the same plan, unit and check date is the same notice."""
    parts = [one_line(p) for p in (plan, unit)]
    return json.dumps([*parts, as_of.isoformat()], ensure_ascii=False)


def register_url(value: str | Path, base: Path | None = None) -> str:
    """A database URL from the settings: a URL as given, or a path to an SQLite file."""
    text = str(value).strip()
    if "://" in text:
        return text
    path = Path(text).expanduser()
    if base is not None and not path.is_absolute():
        path = base / path
    return "sqlite:///" + os.path.abspath(path)


@dataclass(frozen=True)
class Entry:
    """One line of the register."""

    issuer: str
    year: int
    number: int
    key: str
    state: str
    date: dt.date | None
    symbol: str
    subject: str
    recipient: str
    reply_by: dt.date | None
    file: str
    signer: str
    pages: int | None
    copies: int | None
    out: str
    archive: str
    issued_at: dt.datetime | None


class Register:
    """A register database: SQLite by default, PostgreSQL by URL."""

    def __init__(self, url: str) -> None:
        self.timeouts = Timeouts.from_env()
        self.url = parse_url(url)  # exit 2: a scheme or driver dondoc cannot use, an SQLite register in memory
        self.sqlite = self.url.get_backend_name() == "sqlite"
        if self.sqlite:
            self.path: Path | None = Path(self.url.database)
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OutputError(self.path, f"không tạo được thư mục của sổ đăng ký: {exc.strerror}") from None
            self.engine = sa.create_engine(self.url, connect_args={"timeout": self.timeouts.statement}, poolclass=sa.pool.NullPool)
            sa.event.listen(self.engine, "connect", _sqlite_connect)
            sa.event.listen(self.engine, "begin", _sqlite_begin)
        else:
            self.path = None
            self.engine = sa.create_engine(self.url, pool_pre_ping=True, connect_args=pg_connect_args(self.url, self.timeouts))
        self._create()

    @classmethod
    def open(cls, value: str | Path, base: Path | None = None) -> "Register":
        return cls(register_url(value, base))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Register":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _create(self) -> None:
        try:
            with self.engine.begin() as conn:
                tables = set(sa.inspect(conn).get_table_names()) - {"sqlite_sequence"}
                if tables and not tables & {"register_meta", VERSION_TABLE}:  # never a table added to another's database
                    raise InputError(self.path or str(self.url), "cơ sở dữ liệu này không phải sổ đăng ký của dondoc và không trống",
                                     hint="dùng một tệp hoặc cơ sở dữ liệu mới, trống, cho sổ đăng ký")
                metadata.create_all(conn)
                row = conn.execute(sa.select(meta_table.c.value).where(meta_table.c.name == "schema")).first()
                if row is None:
                    conn.execute(meta_table.insert().values(name="schema", value=str(SCHEMA_VERSION)))
                elif int(row.value) > SCHEMA_VERSION:
                    raise InputError(
                        self.path or str(self.url),
                        f"sổ đăng ký được tạo bởi phiên bản dondoc mới hơn (lược đồ {row.value})",
                        hint="cập nhật dondoc trước khi cấp số",
                    )
                elif int(row.value) < SCHEMA_VERSION:
                    _migrate(conn, int(row.value))
        except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:  # unreachable: exit 4, at the start as later
            raise OutputError(self.path or str(self.url), f"sổ đăng ký văn bản đi: {exc.orig}",
                              "kiểm tra tệp sổ (hoặc máy chủ cơ sở dữ liệu) rồi chạy lại") from None
        except sa.exc.DatabaseError as exc:
            raise InputError(self.path or str(self.url), f"không mở được sổ đăng ký: {exc.orig}") from None

    # -- runs ----------------------------------------------------------------------------------

    @contextlib.contextmanager
    def run(self, out: str | Path) -> Iterator["Run"]:
        """A numbering run writing to ``out``: settles dead runs, then draws numbers.

        Leaving the block without ``confirm()`` (an error) releases what the run
        reserved, unless its output may already be in place (see ``_settle``).
        """
        run = Run(self, Path(os.path.abspath(out)))
        run._start()
        try:
            yield run
        except BaseException:
            run._fail()
            raise
        else:
            if run.state not in (DONE, ABANDONED):
                run._fail()
        finally:
            run._stop()

    def _alive(self, conn: sa.Connection, run_id: str) -> bool:
        """Does the run still hold its life lock? (False once its process has died.)"""
        if self.sqlite:
            path = self._life_path(run_id)
            if not path.exists():
                return False
            probe = FileLock(str(path), timeout=0, thread_local=False, fallback_to_soft=False)
            try:
                probe.acquire()
            except Timeout:
                return True
            probe.release()
            with contextlib.suppress(OSError):
                path.unlink()
            return False
        return not conn.execute(sa.text("SELECT pg_try_advisory_xact_lock(:a, :b)"), _pg_lock_args(run_id)).scalar()

    def _life_path(self, run_id: str) -> Path:
        assert self.path is not None
        return self.path.parent / f".{self.path.name}.runs" / f"{run_id}.lock"

    @_guarded
    def settle(self) -> list[str]:
        """Settle every run that died: issue or release its numbers. Returns the runs settled."""
        settled = []
        with self.engine.begin() as conn:
            for row in conn.execute(sa.select(runs).where(runs.c.state.in_([RUNNING, LANDING]))).all():
                if not self._alive(conn, row.id):
                    _settle(conn, row)
                    settled.append(row.id)
        return settled

    # -- reading -------------------------------------------------------------------------------

    @_guarded
    def entries(self, year: int | None = None, issuer: str | None = None) -> list[Entry]:
        """The register's lines, by issuer, year and number."""
        query = sa.select(entries).order_by(entries.c.issuer, entries.c.year, entries.c.number)
        if year is not None:
            query = query.where(entries.c.year == year)
        if issuer is not None:
            query = query.where(entries.c.issuer == issuer_key(issuer))
        with self.engine.connect() as conn:
            return [Entry(**{f: getattr(row, f) for f in Entry.__dataclass_fields__}) for row in conn.execute(query)]


class Run:
    """One run's numbers: reserved (pending), then issued after its output is in place."""

    def __init__(self, register: Register, out: Path) -> None:
        self.register = register
        self.out = out
        self.id = uuid.uuid4().hex
        self.state = RUNNING
        self._life: Any = None
        self.numbers: dict[tuple[str, int, str], int] = {}

    @_guarded
    def _start(self) -> None:
        reg = self.register
        # The life lock first: from the moment the run row exists, it is alive or provably dead.
        if reg.sqlite:
            path = reg._life_path(self.id)
            path.parent.mkdir(exist_ok=True)
            self._life = FileLock(str(path), timeout=0, thread_local=False, fallback_to_soft=False)
            self._life.acquire()
        else:
            self._life = reg.engine.connect()
            self._life.execute(sa.text("SELECT pg_advisory_lock(:a, :b)"), _pg_lock_args(self.id))
            self._life.commit()
        reg.settle()
        with reg.engine.begin() as conn:
            conn.execute(
                runs.insert().values(
                    id=self.id, state=RUNNING, out=str(self.out), host=socket.gethostname(), pid=os.getpid(), started_at=_now()
                )
            )

    def _stop(self) -> None:
        if self._life is None:
            return
        if self.register.sqlite:
            path = Path(self._life.lock_file)
            self._life.release()
            with contextlib.suppress(OSError):
                path.unlink()
        else:
            self._life.close()
        self._life = None

    @_guarded
    def number_for(self, issuer: str, year: int, key: str, **details: Any) -> int:
        """The number of the notice ``key`` in ``issuer``'s register for ``year``.

        The same key gets the same number back (a re-run of the same check date);
        a new key takes the lowest released number, else the next one. ``details``
        are the register's columns (date, symbol, subject, recipient, reply_by,
        file, signer, pages, copies) and may be given again later with ``record``.
        """
        if self.state != RUNNING:
            raise RuntimeError(f"run {self.id} is {self.state}: numbers are drawn before landing")
        unknown = set(details) - set(DETAILS)
        if unknown:
            raise TypeError(f"unknown register columns: {sorted(unknown)}")
        issuer = issuer_key(issuer)
        with self.register.engine.begin() as conn:
            _lock_counter(conn, issuer, year)
            row = conn.execute(
                sa.select(entries.c.id, entries.c.number, entries.c.state).where(
                    entries.c.issuer == issuer, entries.c.year == year, entries.c.key == key
                )
            ).first()
            if row is None:
                row = conn.execute(
                    sa.select(entries.c.id, entries.c.number, entries.c.state)
                    .where(entries.c.issuer == issuer, entries.c.year == year, entries.c.state == FREE)
                    .order_by(entries.c.number)
                    .limit(1)
                ).first()
            values: dict[str, Any] = {k: v for k, v in details.items()}
            values["out"] = str(self.out)
            if row is None:
                number = conn.execute(
                    counters.update()
                    .where(counters.c.issuer == issuer, counters.c.year == year)
                    .values(last=counters.c.last + 1)
                    .returning(counters.c.last)
                ).scalar_one()
                entry_id = conn.execute(
                    entries.insert()
                    .values(issuer=issuer, year=year, number=number, key=key, state=PENDING, reserved_at=_now(), **_defaults(values))
                    .returning(entries.c.id)
                ).scalar_one()
            else:
                number, entry_id = row.number, row.id
                if row.state == ISSUED:
                    values = {}  # an issued line is never rewritten: a re-run of its date keeps the first record
                if row.state == FREE:
                    # A released number (its run never landed) goes to this notice; its old details go.
                    values = _defaults({**dict.fromkeys(DETAILS), **values})
                    values.update(key=key, state=PENDING, reserved_at=_now(), issued_at=None)
                if values:
                    conn.execute(entries.update().where(entries.c.id == entry_id).values(**values))
            conn.execute(
                sa.insert(claims).values(entry_id=entry_id, run_id=self.id).prefix_with("OR IGNORE", dialect="sqlite")
                if self.register.sqlite
                else _pg_insert_claim(entry_id, self.id)
            )
        self.numbers[(issuer, year, key)] = number
        return number

    @_guarded
    def record(self, issuer: str, year: int, key: str, **details: Any) -> None:
        """Complete a line this run numbered (e.g. the file name and page count, known after rendering)."""
        unknown = set(details) - set(DETAILS)
        if unknown:
            raise TypeError(f"unknown register columns: {sorted(unknown)}")
        issuer = issuer_key(issuer)
        if (issuer, year, key) not in self.numbers:
            raise KeyError(f"{key}: not numbered in this run")
        with self.register.engine.begin() as conn:
            conn.execute(
                entries.update()
                .where(entries.c.issuer == issuer, entries.c.year == year, entries.c.key == key, entries.c.state != ISSUED)
                .values(**details)
            )

    @_guarded
    def restart(self) -> None:
        """Draw again from the start (the night's second pass, engine/pool.py): the numbers
        this run reserved go back, so the pass takes them again in plan order and a letter the
        pass no longer writes keeps none; numbers issued before this run stay where they are."""
        if self.state != RUNNING:
            raise RuntimeError(f"run {self.id} is {self.state}: numbering restarts before landing")
        with self.register.engine.begin() as conn:
            _give_back(conn, self.id)
        self.numbers.clear()

    def manifest(self) -> str:
        """register.json: this run and the numbers its output carries."""
        return manifest([self])

    def landing(self, staging: Staging) -> None:
        """Write register.json into the staging folder and record that the swap begins.

        Call it last inside ``replace_folder(out)``, which holds the output's lock:
        swaps of one output happen in the order of their landings.
        """
        staging.write_text(MANIFEST, self.manifest())
        self._mark_landing()

    @_guarded
    def _mark_landing(self) -> None:
        with self.register.engine.begin() as conn:
            conn.execute(runs.update().where(runs.c.id == self.id).values(state=LANDING, landing_ns=time.time_ns()))
        self.state = LANDING

    @_guarded
    def confirm(self) -> None:
        """The output is in place: every number it carries is issued."""
        if self.state != LANDING:
            raise RuntimeError("confirm() comes after landing() and the swap")
        with self.register.engine.begin() as conn:
            _issue(conn, self.id)
        self.state = DONE

    @_guarded
    def _fail(self) -> None:
        """The run stops on an error: settle it as a dead run would be."""
        with self.register.engine.begin() as conn:
            row = conn.execute(sa.select(runs).where(runs.c.id == self.id)).first()
            if row is not None and row.state in (RUNNING, LANDING):
                _settle(conn, row)
                self.state = conn.execute(sa.select(runs.c.state).where(runs.c.id == self.id)).scalar_one()


def manifest(numbering_runs: list[Run]) -> str:
    """register.json: the runs whose numbers an output carries, and those numbers."""
    items = [
        {"issuer": i, "year": y, "number": n, "key": json.loads(k) if k.startswith("[") else k}
        for run in numbering_runs
        for (i, y, k), n in sorted(run.numbers.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[1]))
    ]
    return json.dumps({"runs": [r.id for r in numbering_runs], "numbers": items}, ensure_ascii=False, indent=2) + "\n"


# -- one output, every register its notices are numbered from ----------------------------------------

_ACTIVE: contextvars.ContextVar["Numbering | None"] = contextvars.ContextVar("dondoc_numbering", default=None)
DEFAULT_REGISTER = "so-dang-ky.sqlite"  # beside the output folder, when the settings name none


class Numbering:
    """The numbering of one output: a run in each register its plans name, opened on first use."""

    def __init__(self, out: Path, register: str | None = None) -> None:
        self.out = out
        self.register = register  # forced for every plan (dondoc check --register), else per call
        self._stack = contextlib.ExitStack()
        self._runs: dict[str, Run] = {}

    def _run(self, register: str) -> Run:
        url = register_url(register or self.register or self.out.parent / DEFAULT_REGISTER)
        if url not in self._runs:
            reg = self._stack.enter_context(Register(url))
            self._runs[url] = self._stack.enter_context(reg.run(self.out))
        return self._runs[url]

    def number_for(self, issuer: str, year: int, key: str, *, register: str = "", **details: Any) -> int:
        return self._run("" if self.register else register).number_for(issuer, year, key, **details)

    def record(self, issuer: str, year: int, key: str, **details: Any) -> None:
        """Complete the line of a notice numbered in this output (pages, known once rendered)."""
        wanted = (issuer_key(issuer), year, key)
        run = next((r for r in self._runs.values() if wanted in r.numbers), None)
        if run is None:
            raise KeyError(f"{key}: not numbered in this output")
        run.record(issuer, year, key, **details)

    def restart(self) -> None:
        """The output's letters are drawn again from the first plan: see ``Run.restart``."""
        for run in self._runs.values():
            run.restart()

    def landing(self, staging: Staging) -> None:
        """Last inside ``replace_folder(out)``: register.json, then every run marked landing."""
        if not self._runs:
            return
        staging.write_text(MANIFEST, manifest(list(self._runs.values())))
        for run in self._runs.values():
            run._mark_landing()

    def confirm(self) -> None:
        for run in self._runs.values():
            run.confirm()


@contextlib.contextmanager
def numbering(out: str | Path, register: str | None = None) -> Iterator[Numbering]:
    """Number the notices of one output; ``number_for`` below draws from it.

        with numbering(out) as session:
            ...                                   # notices call number_for(...)
            with replace_folder(out) as staging:
                ...
                session.landing(staging)
        # leaving the block after the swap issues the numbers; an error releases them
    """
    session = Numbering(Path(os.path.abspath(out)), register)
    token = _ACTIVE.set(session)
    try:
        with session._stack:
            yield session
            if any(r.state == LANDING for r in session._runs.values()):
                session.confirm()
    finally:
        _ACTIVE.reset(token)


def number_for(issuer: str, year: int, key: str, *, register: str = "", **details: Any) -> int:
    """The notice's number in ``issuer``'s register for ``year``, drawn in the current ``numbering``.

    ``register`` is the settings' register (an SQLite path or a database URL; empty: the
    default file beside the output folder); ``details`` are the register's columns.
    """
    session = _ACTIVE.get()
    if session is None:
        raise RuntimeError("number_for is called inside store.register.numbering(out): numbers are issued with an output")
    return session.number_for(issuer, year, key, register=register, **details)


def record(issuer: str, year: int, key: str, **details: Any) -> None:
    """Complete a notice's line in the current ``numbering`` (e.g. its pages, after rendering)."""
    session = _ACTIVE.get()
    if session is None:
        raise RuntimeError("record is called inside store.register.numbering(out), after number_for")
    session.record(issuer, year, key, **details)


# -- transactions -----------------------------------------------------------------------------------


def _migrate(conn: sa.Connection, version: int) -> None:
    """A register written by an earlier dondoc, brought to this schema in the same transaction."""
    if version < 2:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("register_entries")}
        if "archive" not in columns:
            conn.exec_driver_sql("ALTER TABLE register_entries ADD COLUMN archive TEXT NOT NULL DEFAULT ''")
    conn.execute(meta_table.update().where(meta_table.c.name == "schema").values(value=str(SCHEMA_VERSION)))


def _defaults(values: dict[str, Any]) -> dict[str, Any]:
    text = {"symbol", "subject", "recipient", "file", "signer", "out", "archive"}
    return {k: ("" if v is None and k in text else v) for k, v in values.items()}


def _lock_counter(conn: sa.Connection, issuer: str, year: int) -> None:
    """Lock the issuer's counter for the year (creating it): one drawer at a time per register."""
    query = sa.select(counters.c.last).where(counters.c.issuer == issuer, counters.c.year == year).with_for_update()
    if conn.execute(query).first() is not None:
        return
    try:
        with conn.begin_nested():
            conn.execute(counters.insert().values(issuer=issuer, year=year, last=0))
    except sa.exc.IntegrityError:
        pass  # another run created it first (PostgreSQL); the lock below waits for it
    conn.execute(query).first()


def _pg_lock_args(run_id: str) -> dict[str, int]:
    digest = hashlib.sha256(run_id.encode()).digest()
    return {"a": 0x646F6E64 - 2**31, "b": int.from_bytes(digest[:4], "big", signed=True)}  # "dond": dondoc's class


def _pg_insert_claim(entry_id: int, run_id: str):
    from sqlalchemy.dialects.postgresql import insert

    return insert(claims).values(entry_id=entry_id, run_id=run_id).on_conflict_do_nothing()


def _issue(conn: sa.Connection, run_id: str) -> None:
    mine = sa.select(claims.c.entry_id).where(claims.c.run_id == run_id)
    conn.execute(
        entries.update().where(entries.c.id.in_(mine), entries.c.state == PENDING).values(state=ISSUED, issued_at=_now())
    )
    conn.execute(runs.update().where(runs.c.id == run_id).values(state=DONE, ended_at=_now()))


def _release(conn: sa.Connection, run_id: str) -> None:
    """The run's output never landed: its numbers go back, unless a live run still holds them."""
    conn.execute(runs.update().where(runs.c.id == run_id).values(state=ABANDONED, ended_at=_now()))
    _give_back(conn, run_id)


def _give_back(conn: sa.Connection, run_id: str) -> None:
    """The run's claims go; the numbers it reserved (pending) and no live run holds are free,
    and free numbers at the end of a register are dropped (``_trim``)."""
    mine = [r.entry_id for r in conn.execute(sa.select(claims.c.entry_id).where(claims.c.run_id == run_id))]
    conn.execute(claims.delete().where(claims.c.run_id == run_id))
    if not mine:
        return
    drawn = sorted({(r.issuer, r.year) for r in conn.execute(sa.select(entries.c.issuer, entries.c.year).where(entries.c.id.in_(mine)).distinct())})
    for issuer, year in drawn:  # in one order everywhere: two settling runs never wait on each other
        _lock_counter(conn, issuer, year)
    held = (
        sa.select(claims.c.entry_id)
        .join(runs, runs.c.id == claims.c.run_id)
        .where(runs.c.state.in_([RUNNING, LANDING]), claims.c.entry_id.in_(mine))
    )
    conn.execute(
        entries.update()
        .where(entries.c.id.in_(mine), entries.c.state == PENDING, entries.c.id.not_in(held))
        .values(state=FREE)
    )
    for issuer, year in drawn:
        _trim(conn, issuer, year)


def _trim(conn: sa.Connection, issuer: str, year: int) -> None:
    """Free numbers above every number in use are dropped and the counter goes back below
    them (the caller holds its lock): the next letters take them again in order, as if they
    had never been drawn. A free number was never in a document that landed (``_settle``)."""
    used = conn.execute(
        sa.select(sa.func.max(entries.c.number)).where(
            entries.c.issuer == issuer, entries.c.year == year, entries.c.state != FREE
        )
    ).scalar() or 0
    above = sa.select(entries.c.id).where(
        entries.c.issuer == issuer, entries.c.year == year, entries.c.state == FREE, entries.c.number > used
    )
    conn.execute(claims.delete().where(claims.c.entry_id.in_(above)))
    conn.execute(entries.delete().where(entries.c.id.in_(above)))
    conn.execute(counters.update().where(counters.c.issuer == issuer, counters.c.year == year, counters.c.last > used).values(last=used))


def landed(row: Any) -> bool | None:
    """Did the run ``row`` (state landing) put its output in place? None: cannot tell."""
    out = Path(row.out)
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        if isinstance(data, dict) and row.id in data.get("runs", []):
            return True
    except (OSError, ValueError):
        pass
    try:
        staged_ns = (out / MARKER).stat().st_mtime_ns
    except OSError:
        staged_ns = None
    if not out.exists() or (staged_ns is not None and row.landing_ns is not None and staged_ns < row.landing_ns):
        return False  # what is in place was staged before this run began its swap
    return None


def _settle(conn: sa.Connection, row: Any) -> None:
    """A run that stopped without confirming: issue what may be in a document, release the rest."""
    if row.state == RUNNING or landed(row) is False:
        _release(conn, row.id)
    else:  # landed, or cannot tell: a gap is better than one number in two documents
        _issue(conn, row.id)


# -- SQLite: one writer at a time, durable commits ------------------------------------------------


def _sqlite_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event issues the BEGIN
    dbapi_connection.execute("PRAGMA synchronous=FULL")
    dbapi_connection.execute("PRAGMA foreign_keys=ON")


def _sqlite_begin(conn) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")  # take the write lock now: no upgrade deadlock between runs
