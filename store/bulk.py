"""Many rows at once: a national night records some 130,000 findings and 28,000 letters.

SQLAlchemy Core prepares each row's parameters through its type processors (about 20 µs a row
here): a night's rows would take a minute. These helpers hand the driver whole lists instead
(``executemany``: SQLite's loop in C, psycopg's pipeline), with the two conversions the types
did, written once per dialect: a date (SQLite keeps ISO text, PostgreSQL a date) and JSON
(SQLite keeps its text, PostgreSQL a json value). Ids are reserved before the rows go in
(``reserve``), so nothing needs to come back. Reads of the same volume come back as plain
tuples (``rows``), dates made dates again (``day``).

Only the store's own tables and columns go into the SQL here (never a value): values always
travel as parameters.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import itertools
from typing import Any, Iterable, Sequence

import sqlalchemy as sa

CHUNK = 500  # values in one IN (...): well under SQLite's and PostgreSQL's limits


def chunks(values: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _sqlite(conn: sa.Connection) -> bool:
    return conn.dialect.name == "sqlite"


def marks(conn: sa.Connection, n: int) -> str:
    """``n`` positional placeholders in the driver's style."""
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    return ", ".join([mark] * n)


def date_in(conn: sa.Connection):
    """The date as the column keeps it: ISO text on SQLite (as SQLAlchemy's Date writes it)."""
    if _sqlite(conn):
        return lambda d: d.isoformat() if d is not None else None
    return lambda d: d


def datetime_in(conn: sa.Connection):
    """A time as the column keeps it: SQLAlchemy's text on SQLite ("2026-11-22 01:30:00.000000")."""
    if _sqlite(conn):
        return lambda t: t.strftime("%Y-%m-%d %H:%M:%S.%f") if t is not None else None
    return lambda t: t


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # one encoder for all rows


def json_in(conn: sa.Connection):
    """A JSON value as the column takes it (None: SQL NULL)."""
    if _sqlite(conn):
        return lambda v: _ENCODE(v) if v is not None else None
    from psycopg.types.json import Json  # the driver of the postgresql+psycopg URLs dondoc accepts

    return lambda v: Json(v) if v is not None else None


def day(value: Any) -> dt.date | None:
    """A date column read by ``rows``: a date, whether the driver gave text or a date."""
    if value.__class__ is str:
        return _day(value)
    return value


@functools.lru_cache(maxsize=4096)  # a night reads a few hundred thousand dates, of a few hundred days
def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def parsed(value: Any) -> Any:
    """A JSON column read by ``rows``: its value, whether the driver gave text or the value."""
    return json.loads(value) if isinstance(value, str) else value


def batches(rows: Iterable[tuple], size: int = CHUNK) -> Iterable[list[tuple]]:
    """``rows`` a list at a time: a generator of rows is never held whole."""
    it = iter(rows)
    while batch := list(itertools.islice(it, size)):
        yield batch


def insert(conn: sa.Connection, table: sa.Table, columns: Sequence[str], rows: Iterable[tuple], *, size: int = CHUNK) -> None:
    """``size``: rows handed to the driver at once (fewer for rows that are large)."""
    sql = f"INSERT INTO {table.name} ({', '.join(_q(c) for c in columns)}) VALUES ({marks(conn, len(columns))})"
    for batch in batches(rows, size):
        conn.exec_driver_sql(sql, batch)


def update(conn: sa.Connection, table: sa.Table, columns: Sequence[str], key: str, rows: Iterable[tuple], *,
           only_in_state: str | None = None, size: int = CHUNK) -> None:
    """``UPDATE table SET columns... WHERE key = ...``; each row: the new values, then the key.
    ``only_in_state``: rows whose ``state`` is still that (another transaction may have moved
    one on since it was read: it is left as that transaction left it)."""
    mark = marks(conn, 1)
    sets = ", ".join(f"{_q(c)} = {mark}" for c in columns)
    also = f" AND state = {mark}" if only_in_state is not None else ""
    for batch in batches(rows, size):
        params = [(*row, only_in_state) for row in batch] if only_in_state is not None else batch
        conn.exec_driver_sql(f"UPDATE {table.name} SET {sets} WHERE {_q(key)} = {mark}{also}", params)


def rows(conn: sa.Connection, sql: str, params: Sequence = ()) -> list[tuple]:
    """The rows as the driver gives them, on the connection's own transaction (no result
    objects built: a night reads a few hundred thousand rows)."""
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql, tuple(params))
        return cursor.fetchall()
    finally:
        cursor.close()


def rows_changed(conn: sa.Connection, sql: str, params: Sequence = ()) -> int:
    """A statement that returns no rows (DELETE, UPDATE); how many rows it changed."""
    return conn.exec_driver_sql(sql, tuple(params)).rowcount


def reserve(conn: sa.Connection, table: sa.Table, n: int) -> list[int]:
    """``n`` new ids of ``table``'s integer key, in order. SQLite: after the highest (the
    caller holds the write lock, so no one else inserts meanwhile); PostgreSQL: from the
    column's own sequence, so a concurrent insert elsewhere never takes one of them."""
    if n == 0:
        return []
    if _sqlite(conn):
        top = conn.exec_driver_sql(f"SELECT max(id) FROM {table.name}").scalar() or 0
        return list(range(top + 1, top + 1 + n))
    found = conn.exec_driver_sql(
        f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')) FROM generate_series(1, %s)", (n,)
    ).scalars().all()
    return list(found)


def _q(column: str) -> str:
    return f'"{column}"'  # "on", "key", "last" are words SQL keeps for itself
