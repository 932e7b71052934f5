"""A store brought to this dondoc's schema when it is opened, or refused.

- A store at ``schema.HEAD``: nothing to do (one read, no lock, no Alembic).
- A dondoc store at an older revision: upgraded in place by the migration scripts
  (store/migrations/, run by Alembic on dondoc's own connection, in one transaction).
- A register written by dondoc before the store (its store/register.py, removed since: ``register_meta`` with
  schema 1 or 2, no version table): brought to schema 2 as that module did, stamped at
  revision 0001 (its tables are exactly 0001's) and upgraded: its lines, issued numbers
  included, stay as they are, and numbering goes on after them.
- A store of a newer dondoc (a revision these scripts do not know, or a register schema
  above 2): refused, exit 2, "update dondoc". Nothing is written.
- A database that is neither empty nor a dondoc store: refused, exit 2. dondoc never adds
  its tables to someone else's database.
- An empty database: created, unless the command only reads (``create=False``).

Two processes opening a new store at once do not both create it: the check and the
migration are one write transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction
advisory lock), and the second finds the first's tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from dondoc.errors import InputError
from dondoc.store import schema as S

if TYPE_CHECKING:
    from dondoc.store.db import Database

MIGRATIONS = Path(__file__).parent / "migrations"
_IGNORED = {"sqlite_sequence", "sqlite_stat1", "sqlite_stat4"}  # SQLite's own bookkeeping


def ensure(db: "Database", create: bool) -> None:
    with db.read() as conn:
        if _revision(conn) == S.HEAD:
            return
    with db.write() as conn:
        db.advisory_xact_lock(conn, S.MIGRATE_LOCK)
        tables = {t for t in sa.inspect(conn).get_table_names() if t not in _IGNORED}
        tables |= set(sa.inspect(conn).get_view_names())
        if S.VERSION_TABLE in tables:
            revision = _revision(conn)
            if revision == S.HEAD:
                return  # another process upgraded it meanwhile
            if revision not in known_revisions():
                raise _newer(db, f"lược đồ {revision}")
            _upgrade(conn, stamp=None)
        elif "register_meta" in tables:
            _adopt(db, conn, tables)
        elif tables:
            shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
            raise InputError(
                db.name,
                f"cơ sở dữ liệu này không phải kho dữ liệu của dondoc và không trống (có các bảng {shown})",
                hint="dondoc không ghi bảng vào cơ sở dữ liệu của ứng dụng khác: chỉ một tệp hoặc cơ sở dữ liệu mới, trống, cho dondoc",
            )
        elif not create:
            raise InputError(
                db.name,
                "không có sổ đăng ký (kho dữ liệu của dondoc) ở đây: cơ sở dữ liệu còn trống",
                hint="kho được tạo khi chạy dondoc check, hoặc dondoc register start/import",
            )
        else:
            _upgrade(conn, stamp=None)


def _revision(conn: sa.Connection) -> str | None:
    if not sa.inspect(conn).has_table(S.VERSION_TABLE):
        return None
    return conn.execute(sa.text(f"SELECT version_num FROM {S.VERSION_TABLE}")).scalar()


def _adopt(db: "Database", conn: sa.Connection, tables: set[str]) -> None:
    """The register before the store: schema 1 or 2 (dondoc before the store), brought to revision 0001."""
    value = conn.execute(sa.text("SELECT value FROM register_meta WHERE name = 'schema'")).scalar()
    try:
        schema = int(value)
    except (TypeError, ValueError):
        schema = None
    if schema is None or not {"register_entries", "register_counters"} <= tables:
        raise InputError(db.name, f"sổ đăng ký hỏng hoặc không phải của dondoc (register_meta: schema={value!r})",
                         hint="khôi phục bản sao lưu của sổ")
    if schema > S.LEGACY_SCHEMA:
        raise _newer(db, f"sổ đăng ký lược đồ {schema}")
    if schema < 2:  # 1 -> 2: the archive column (đơn vị, người nhận bản lưu), as dondoc added it then
        columns = {c["name"] for c in sa.inspect(conn).get_columns("register_entries")}
        if "archive" not in columns:
            conn.exec_driver_sql("ALTER TABLE register_entries ADD COLUMN archive TEXT NOT NULL DEFAULT ''")
        conn.execute(sa.text("UPDATE register_meta SET value = '2' WHERE name = 'schema'"))
    for table in ("register_runs", "register_claims"):  # a schema-1 register made before a table existed
        if table not in tables:
            raise InputError(db.name, f"sổ đăng ký thiếu bảng {table}", hint="khôi phục bản sao lưu của sổ")
    _upgrade(conn, stamp="0001")


def _newer(db: "Database", what: str) -> InputError:
    return InputError(
        db.name,
        f"kho dữ liệu do một phiên bản dondoc mới hơn tạo ({what}); phiên bản này không đọc, không ghi vào đó",
        hint="cập nhật dondoc (pip install -U dondoc) rồi chạy lại",
    )


def _config(conn: sa.Connection):
    from alembic.config import Config  # Alembic is loaded only when a store is created or migrated

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def _upgrade(conn: sa.Connection, stamp: str | None) -> None:
    from alembic import command

    config = _config(conn)
    if stamp is not None:
        command.stamp(config, stamp)
    command.upgrade(config, "head")


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}


def script_head() -> str:
    """The newest revision as Alembic reads the scripts (``schema.HEAD`` must equal it)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS)).get_current_head()
