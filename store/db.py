"""Where the store lives and how it is reached: SQLite by default (a file), PostgreSQL by URL.

    db = Database("so-dang-ky.sqlite")                  # or "postgresql+psycopg://user@host/dondoc"
    with db.write() as conn: ...                        # one transaction; SQLite: the write lock now
    with db.read() as conn: ...

What it refuses, before anything is written (exit 2, ``InputError``): a scheme or driver
dondoc does not support or that is not installed, an SQLite store that is not a file
(``sqlite:///:memory:``), a database that is neither empty nor a dondoc store (dondoc never
adds its tables to someone else's database), a store of a newer dondoc, and, for the commands
that only read (``create=False``), a store that does not exist yet.

What it reports as ``StoreError`` (exit 4), at the start or at any later transaction alike: a
server that does not answer within the connect timeout, a statement (or a wait on a lock)
longer than the statement timeout, an SQLite file locked longer than that, a folder that
cannot be written (named as the store's folder), a full disk. The timeouts are settings with
defaults (``Timeouts``: the environment's DONDOC_STORE_CONNECT_TIMEOUT and
DONDOC_STORE_STATEMENT_TIMEOUT, in seconds; a URL's own ``connect_timeout`` wins).

The night's lock (``NightLock``) is one the database holds, never a file beside it that anyone
can delete: an flock on the SQLite file itself (SQLite locks with fcntl byte ranges, which are
independent of flock on Linux, so the night's lock never blocks SQLite's own) or a session
advisory lock on PostgreSQL. The kernel or the server drops it when the holder dies, however
it dies. Signing and the other commands never take it: they wait on ordinary transactions.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import importlib.util
import os
import re
import socket
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa

from dondoc.errors import InputError, InputErrors, StoreError
from dondoc.store import schema as S
from dondoc.store.migrate import ensure

SUPPORTED = "sqlite (một tệp: đường dẫn, hoặc sqlite:////đường/dẫn.sqlite) và postgresql+psycopg://"
POSTGRES_EXTRA = "pip install 'dondoc[postgres]'"
_SCHEMES = {
    "sqlite": "sqlite+pysqlite",
    "sqlite+pysqlite": "sqlite+pysqlite",
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
}
_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")
_ADVISORY_CLASS = 0x646F6E64 - 2**31  # "dond": dondoc's advisory locks on PostgreSQL


@dataclass(frozen=True)
class Timeouts:
    """How long the store waits, in seconds: for a server to answer a connection, and for one
    statement (on SQLite: for another writer's lock). A setting with a default, read from the
    environment of the machine that runs dondoc."""

    connect: float = 10.0
    statement: float = 60.0

    ENV = {"connect": "DONDOC_STORE_CONNECT_TIMEOUT", "statement": "DONDOC_STORE_STATEMENT_TIMEOUT"}

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Timeouts":
        environ = os.environ if environ is None else environ
        values = {}
        for field, name in cls.ENV.items():
            text = environ.get(name, "").strip()
            if not text:
                continue
            try:
                value = float(text)
            except ValueError:
                value = float("nan")
            if not 0 < value < 86400:
                raise InputError(None, f"{name}={text!r}: cần số giây lớn hơn 0", hint=f"ví dụ {name}=30")
            values[field] = value
        return cls(**values)


def store_url(value: str | Path, base: Path | None = None) -> str:
    """A database URL from the settings or the command line: a URL as given, or a path to an
    SQLite file (relative to ``base`` when given)."""
    text = str(value).strip()
    if _SCHEME_RE.match(text):
        return text
    path = Path(text).expanduser()
    if base is not None and not path.is_absolute():
        path = base / path
    return "sqlite:///" + os.path.abspath(path)


def parse_url(target: str) -> sa.engine.URL:
    """The URL, or exit 2 naming the scheme and what dondoc supports."""
    match = _SCHEME_RE.match(target)
    scheme = match.group(1).lower() if match else ""
    driver = _SCHEMES.get(scheme)
    shown = _redacted(target)
    if driver is None:
        raise InputError(
            shown,
            f"dondoc không dùng được cơ sở dữ liệu '{scheme}://'",
            hint=f"kho dữ liệu của dondoc là {SUPPORTED} (gói thêm: {POSTGRES_EXTRA})",
        )
    if driver == "postgresql+psycopg" and importlib.util.find_spec("psycopg") is None:
        raise InputError(
            shown,
            f"chưa cài trình điều khiển PostgreSQL (psycopg) cho '{scheme}://'",
            hint=f"cài thêm: {POSTGRES_EXTRA}",
        )
    try:
        url = sa.engine.make_url(target).set(drivername=driver)
    except sa.exc.ArgumentError as exc:
        raise InputError(shown, f"địa chỉ kho dữ liệu không đọc được: {exc}", hint=f"dùng {SUPPORTED}") from None
    if driver.startswith("sqlite") and (not url.database or url.database == ":memory:" or url.database.startswith("file:")):
        raise InputError(
            shown,
            "kho dữ liệu SQLite phải là một tệp: kho trong bộ nhớ mất hết khi lệnh kết thúc",
            hint="ghi đường dẫn tệp, ví dụ so-dang-ky.sqlite",
        )
    return url


def _redacted(target: str) -> str:
    """A URL as it may be printed: never its password."""
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", target)


def pg_connect_args(url: sa.engine.URL, timeouts: Timeouts) -> dict:
    """libpq's parameters for the timeouts; those the URL gives itself win."""
    given = set(url.query)
    args = {
        "connect_timeout": max(2, round(timeouts.connect)),
        # the server stops a statement (or a wait on a lock) that runs longer
        "options": f"-c statement_timeout={round(timeouts.statement * 1000)}",
        # a server that vanishes mid-session is noticed
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 5,
        "keepalives_count": 3,
        "tcp_user_timeout": round(timeouts.statement * 1000),
        "application_name": "dondoc",
    }
    return {k: v for k, v in args.items() if k not in given}


class Database:
    """One store's engine, its refusals and its transactions."""

    def __init__(self, target: str | Path, *, base: Path | None = None, create: bool = True, timeouts: Timeouts | None = None):
        self.timeouts = timeouts or Timeouts.from_env()
        self.url = parse_url(store_url(target, base))
        self.sqlite = self.url.get_backend_name() == "sqlite"
        self.name = str(self.url.database) if self.sqlite else self.url.render_as_string(hide_password=True)
        self.path: Path | None = None
        if self.sqlite:
            self.path = Path(self.url.database)
            self._check_file(create)
            self.engine = sa.create_engine(
                self.url, connect_args={"timeout": self.timeouts.statement}, poolclass=sa.pool.NullPool
            )
            sa.event.listen(self.engine, "connect", _sqlite_connect)
            sa.event.listen(self.engine, "begin", _sqlite_begin)
        else:
            self.engine = sa.create_engine(self.url, connect_args=self._pg_args(), poolclass=sa.pool.NullPool)
        ensure(self, create)

    def close(self) -> None:
        self.engine.dispose()

    # -- where ---------------------------------------------------------------------------------

    @property
    def folder(self) -> Path | None:
        return self.path.parent if self.path is not None else None

    def _check_file(self, create: bool) -> None:
        path = self.path
        assert path is not None
        if path.is_dir():
            raise InputError(path, "đây là một thư mục, không phải tệp kho dữ liệu", hint="ghi đường dẫn tới tệp, ví dụ so-dang-ky.sqlite")
        if not path.exists():
            if not create:
                raise InputError(
                    path,
                    "không có sổ đăng ký (kho dữ liệu của dondoc) ở đây",
                    hint="kho được tạo khi chạy dondoc check, hoặc dondoc register start/import",
                )
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise self._folder_error(exc.strerror) from None
        if create and not os.access(path.parent, os.W_OK | os.X_OK):
            raise self._folder_error("không có quyền ghi")

    def _folder_error(self, why: str | None) -> StoreError:
        return StoreError(
            self.folder or self.name,
            f"không ghi được vào thư mục của kho dữ liệu ({why or 'lỗi đĩa'}): SQLite cần ghi tệp nhật ký bên cạnh tệp {self.path.name if self.path else ''}",
            "cho người chạy dondoc quyền ghi thư mục này, hoặc đặt kho ở thư mục khác",
        )

    def _pg_args(self) -> dict:
        return pg_connect_args(self.url, self.timeouts)

    # -- transactions ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def read(self) -> Iterator[sa.Connection]:
        with self.guard(), self.engine.connect() as conn, conn.begin():
            yield conn

    @contextlib.contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """One write transaction: on SQLite the write lock is taken at BEGIN, so two writers
        never deadlock upgrading a read lock; on PostgreSQL rows are locked as they are read
        (``FOR UPDATE``)."""
        with self.guard(), self.engine.connect().execution_options(dondoc_write=True) as conn, conn.begin():
            yield conn

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        """A database failure as an error naming the store, never a traceback: exit 4 for a
        store that cannot be reached or written, exit 2 for a file that is not a database."""
        try:
            yield
        except sa.exc.DBAPIError as exc:
            raise self.error(exc) from None
        except InputErrors as exc:
            raise InputErrors([self._placed(e) for e in exc.errors]) from None
        except InputError as exc:
            raise self._placed(exc) from None

    def _placed(self, exc: InputError) -> InputError:
        """An error about what the store holds (a letter, a number) names the store."""
        if exc.path is not None:
            return exc
        return InputError(self.name, exc.message, line=exc.line, column=exc.column, where=exc.where, hint=exc.hint)

    def error(self, exc: sa.exc.DBAPIError) -> Exception:
        text = str(exc.orig).strip() or type(exc.orig).__name__
        low = text.lower()
        if self.sqlite:
            if "file is not a database" in low or "malformed" in low:
                return InputError(self.name, f"không phải kho dữ liệu của dondoc: tệp không phải cơ sở dữ liệu SQLite ({text})",
                                  hint="kiểm tra đường dẫn tới sổ đăng ký")
            if "locked" in low or "busy" in low:
                return StoreError(
                    self.name,
                    f"kho dữ liệu bị một lần ghi khác khóa quá {self.timeouts.statement:g} giây",
                    f"chạy lại sau, hoặc tăng {Timeouts.ENV['statement']}",
                )
            if "readonly" in low or "read-only" in low or "unable to open" in low:
                why = os.strerror(errno.EACCES).lower() if "unable to open" in low else "kho chỉ đọc"
                return self._folder_error(why)
            return StoreError(self.name, f"lỗi kho dữ liệu: {text}", "kiểm tra đĩa và tệp kho rồi chạy lại")
        if "timeout expired" in low or "timed out" in low:
            return StoreError(
                self.name,
                f"máy chủ cơ sở dữ liệu không trả lời trong {max(2, round(self.timeouts.connect))} giây (connect_timeout)",
                f"kiểm tra máy chủ và mạng, hoặc tăng {Timeouts.ENV['connect']}",
            )
        if "statement timeout" in low or "lock timeout" in low:
            return StoreError(
                self.name,
                f"câu lệnh chạy quá {self.timeouts.statement:g} giây (statement_timeout)",
                f"kiểm tra máy chủ (khóa, tải), hoặc tăng {Timeouts.ENV['statement']}",
            )
        if isinstance(exc, (sa.exc.OperationalError, sa.exc.InterfaceError)):
            first = text.splitlines()[0]
            return StoreError(self.name, f"không kết nối được kho dữ liệu: {first}", "kiểm tra máy chủ, địa chỉ, tài khoản rồi chạy lại")
        return exc

    # -- the night's lock ------------------------------------------------------------------------

    def night_lock(self) -> "NightLock":
        return NightLock(self)

    def advisory_xact_lock(self, conn: sa.Connection, which: int) -> None:
        """PostgreSQL: serialise with every other dondoc on this database until the transaction ends."""
        if not self.sqlite:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:a, :b)"), {"a": _ADVISORY_CLASS, "b": which})


@dataclass(frozen=True)
class Holder:
    """Who holds the night's lock, as it recorded itself."""

    host: str
    pid: int
    started: dt.datetime
    check_date: dt.date

    def __str__(self) -> str:
        return f"máy {self.host}, tiến trình {self.pid}, bắt đầu {self.started:%d/%m/%Y %H:%M:%S} UTC, ngày kiểm tra {self.check_date:%d/%m/%Y}"


class NightLock:
    """The lock of one night, held for its whole life by the database (see the module)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.token = uuid.uuid4().hex
        self._fd: int | None = None
        self._conn: sa.Connection | None = None

    def acquire(self, started: dt.datetime, check_date: dt.date) -> None:
        db = self.db
        if db.sqlite:
            assert db.path is not None
            try:
                fd = os.open(db.path, os.O_RDONLY | os.O_CLOEXEC)
            except OSError as exc:
                raise StoreError(db.path, f"không mở được kho dữ liệu: {exc.strerror}") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise self._held() from None
            self._fd = fd
        else:
            with db.guard():
                conn = db.engine.connect()
                try:
                    got = conn.execute(sa.text("SELECT pg_try_advisory_lock(:a, :b)"), {"a": _ADVISORY_CLASS, "b": S.NIGHT_LOCK}).scalar()
                    conn.commit()
                except BaseException:
                    conn.close()
                    raise
            if not got:
                conn.close()
                raise self._held()
            self._conn = conn
        try:
            with db.write() as conn:
                conn.execute(S.lock.delete().where(S.lock.c.name == "night"))
                conn.execute(
                    S.lock.insert().values(
                        name="night", token=self.token, host=socket.gethostname(), pid=os.getpid(),
                        started_at=started, check_date=check_date,
                    )
                )
        except BaseException:
            self.release()
            raise

    def holds(self, conn: sa.Connection) -> bool:
        """Inside the night's last transaction: is the lock still this night's? (A PostgreSQL
        session lost and another night started since: its token is there, not ours.)"""
        token = conn.execute(sa.select(S.lock.c.token).where(S.lock.c.name == "night")).scalar()
        return token == self.token

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the only descriptor of its open file drops the flock
            self._fd = None
        if self._conn is not None:
            with contextlib.suppress(Exception):  # a session already gone has dropped its lock
                # Unlocked before closing: a closed session's lock goes only when its server
                # process has ended, after close() returns, and a night started at once (a
                # re-run, the next test) could find it still held.
                self._conn.execute(sa.text("SELECT pg_advisory_unlock(:a, :b)"), {"a": _ADVISORY_CLASS, "b": S.NIGHT_LOCK})
                self._conn.commit()
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None

    def _held(self) -> StoreError:
        holder = None
        for _ in range(10):  # the holder records itself right after taking the lock
            holder = self.holder()
            if holder is not None:
                break
            time.sleep(0.1)
        who = str(holder) if holder else "chưa rõ máy và tiến trình"
        return StoreError(
            self.db.name,
            f"một lần chạy khác đang giữ kho dữ liệu ({who})",
            "đợi lần chạy đó kết thúc; không chạy hai đêm cùng lúc trên một kho",
        )

    def holder(self) -> Holder | None:
        with self.db.read() as conn:
            row = conn.execute(sa.select(S.lock).where(S.lock.c.name == "night")).first()
        return Holder(row.host, row.pid, row.started_at, row.check_date) if row else None


# -- SQLite: durable commits, one writer at a time ---------------------------------------------


def _sqlite_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # the "begin" event below issues the BEGIN
    dbapi_connection.execute("PRAGMA synchronous=FULL")
    dbapi_connection.execute("PRAGMA foreign_keys=ON")
    dbapi_connection.execute("PRAGMA cache_size=-65536")  # 64 MB: a national night's indexes stay in memory


def _sqlite_begin(conn: sa.Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("dondoc_write") else "BEGIN")

