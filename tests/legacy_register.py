"""A register as dondoc wrote it before the store (store/register.py, schema 2, removed once the
night numbered nothing and letters were numbered at signing): its tables, as that code declared
them, and its lines written directly. The store's upgrade tests use it."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

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


def write_old_register(url: str, issuer: str, lines: list[tuple[int, str, str, dt.date | None]], schema: int = 2,
                       last: int | None = None) -> None:
    """(number, state, subject, date) lines of ``issuer`` for 2026, as the old register held them:
    'issued' lines with their details, 'free' lines a stopped run gave back; ``last``: the
    counter, when it stood behind the lines (default: the highest number)."""
    engine = sa.create_engine(url)
    now = dt.datetime(2026, 11, 22, 1, 30)
    with engine.begin() as conn:
        metadata.create_all(conn)
        conn.execute(meta_table.insert().values(name="schema", value=str(schema)))
        conn.execute(counters.insert().values(issuer=issuer, year=2026, last=last if last is not None else max(n for n, *_ in lines)))
        for number, state, subject, date in lines:
            conn.execute(entries.insert().values(
                issuer=issuer, year=2026, number=number, key=f"old-{number}", state=state, date=date, subject=subject,
                recipient="", file="", signer="", archive="", out="", symbol="UBND-VP", reserved_at=now,
                issued_at=now if state == "issued" else None,
            ))
        if schema < 2:
            conn.exec_driver_sql("ALTER TABLE register_entries DROP COLUMN archive")
    engine.dispose()
