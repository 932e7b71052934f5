"""The store's tables as they are at the newest migration (``HEAD``): what the queries use.

The migrations (store/migrations/versions/) build these tables step by step and never import
this module's tables: a migration describes the schema of its own day. ``HEAD`` names the
newest one; a test checks it against Alembic's own reading of the scripts.

Four groups, one table per concept:

- the register of outgoing documents (sổ đăng ký văn bản đi): ``register_counters`` (the
  serialisation point: one row per issuer and year), ``register_entries`` (one line per
  number; an issued line is never changed or deleted: database triggers refuse it),
  ``register_amendments`` (a void, recorded beside the line it voids), ``register_starts``
  (the office's own next number). ``register_meta``, ``register_runs`` and ``register_claims``
  belong to the numbering of the night before the store (dondoc numbered at night then), kept as history;
- the nights: ``store_runs`` (one row per night), ``store_plan_runs`` (what one night recorded
  for one plan: one per plan and check date), ``store_findings`` (a finding's identity, its key
  as the night made it), ``store_observations`` (a finding seen on a plan's night, its
  severity and values), ``store_measures`` (a target's measured value on a plan's night);
- ``store_finding_state``: each finding's state as of its plan's latest recorded night, kept
  by the same step the history is worked out with (store/history.py);
- the letters: ``store_letters`` (with the findings and items each carries, as drafted) and
  ``store_letter_units`` (the units each is addressed to: "the last letter to this unit");
- ``store_lock``: who holds the night's lock (the lock itself is the database's: store/db.py).
"""

from __future__ import annotations

import sqlalchemy as sa

HEAD = "0002"  # the newest migration: store/migrations/versions/
VERSION_TABLE = "dondoc_version"  # Alembic's version table, under dondoc's own name
NIGHT_LOCK, MIGRATE_LOCK = 1, 2  # PostgreSQL: the objects of dondoc's advisory locks (store/db.py)
LEGACY_SCHEMA = 2  # register_meta's "schema" of the register before the store

metadata = sa.MetaData()

# -- the register -----------------------------------------------------------------------------------

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
    sa.Column("key", sa.Text, nullable=False),  # "letter:<id>", "office:<number>"; the old night's notice key
    sa.Column("state", sa.String(10), nullable=False),  # issued; pending/free: the old night's numbering only
    sa.Column("date", sa.Date),
    sa.Column("symbol", sa.String(60), nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("recipient", sa.Text, nullable=False),
    sa.Column("reply_by", sa.Date),
    sa.Column("file", sa.Text, nullable=False),
    sa.Column("signer", sa.Text, nullable=False),
    sa.Column("pages", sa.Integer),
    sa.Column("copies", sa.Integer),
    sa.Column("archive", sa.Text, nullable=False),
    sa.Column("out", sa.Text, nullable=False),
    sa.Column("reserved_at", sa.DateTime, nullable=False),
    sa.Column("issued_at", sa.DateTime),
    sa.Column("letter_id", sa.Integer),  # the signed letter the number was given to
    sa.Column("origin", sa.String(10)),  # signed | office; NULL: the old night's numbering
    sa.Column("note", sa.Text, nullable=False, server_default=""),  # the office's ghi chú (imported)
    sa.UniqueConstraint("issuer", "year", "number", name="uq_register_number"),
    sa.UniqueConstraint("issuer", "year", "key", name="uq_register_key"),
)

amendments = sa.Table(
    "register_amendments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("entry_id", sa.Integer, nullable=False, index=True),
    sa.Column("kind", sa.String(20), nullable=False),  # void
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("on", sa.Date, nullable=False),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
)

starts = sa.Table(
    "register_starts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("issuer", sa.String(255), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("next_number", sa.Integer, nullable=False),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
)

# -- the nights -------------------------------------------------------------------------------------

runs = sa.Table(
    "store_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("check_date", sa.Date, nullable=False, index=True),
    sa.Column("past", sa.Boolean, nullable=False),  # a later check date was already recorded
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("ended_at", sa.DateTime),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
    sa.Column("version", sa.Text, nullable=False),
    sa.Column("rulebook_hash", sa.Text, nullable=False),
    sa.Column("exit_status", sa.Integer),
    sa.Column("counts", sa.JSON),
    sa.Column("host", sa.Text, nullable=False),
    sa.Column("pid", sa.Integer, nullable=False),
)

plan_runs = sa.Table(
    "store_plan_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("store_runs.id"), nullable=False, index=True),
    sa.Column("plan_key", sa.Text, nullable=False),
    sa.Column("check_date", sa.Date, nullable=False),
    sa.Column("settings_hash", sa.Text, nullable=False),
    sa.Column("rules_run", sa.JSON, nullable=False),  # the rules that ran on the plan that night
    sa.UniqueConstraint("plan_key", "check_date", name="uq_store_plan_date"),
)

findings = sa.Table(
    "store_findings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.Text, nullable=False, unique=True),
    sa.Column("plan_key", sa.Text, nullable=False, index=True),
    sa.Column("rule", sa.Text, nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("unit_key", sa.Text, nullable=False),
)

observations = sa.Table(
    "store_observations",
    metadata,
    sa.Column("plan_run_id", sa.Integer, sa.ForeignKey("store_plan_runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("finding_id", sa.Integer, sa.ForeignKey("store_findings.id"), primary_key=True, index=True),
    sa.Column("severity", sa.String(40), nullable=False),
    sa.Column("data", sa.JSON),
)

measures = sa.Table(
    "store_measures",
    metadata,
    sa.Column("plan_run_id", sa.Integer, sa.ForeignKey("store_plan_runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("subject", sa.Text, primary_key=True),
    sa.Column("value", sa.JSON),
)

finding_state = sa.Table(
    "store_finding_state",
    metadata,
    sa.Column("finding_id", sa.Integer, sa.ForeignKey("store_findings.id"), primary_key=True),
    sa.Column("plan_key", sa.Text, nullable=False, index=True),
    sa.Column("first_seen", sa.Date, nullable=False),
    sa.Column("last_seen", sa.Date, nullable=False),
    sa.Column("severity", sa.String(40), nullable=False),
    sa.Column("previous_severity", sa.String(40)),
    sa.Column("resolved_on", sa.Date),
    sa.Column("reopened", sa.Integer, nullable=False),
)

# -- the letters ------------------------------------------------------------------------------------

letters = sa.Table(
    "store_letters",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("plan_key", sa.Text, nullable=False),
    sa.Column("issuer", sa.Text, nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("symbol", sa.Text, nullable=False),
    sa.Column("subject", sa.Text, nullable=False),  # trích yếu, for the register
    sa.Column("addressees", sa.JSON, nullable=False),
    sa.Column("recipients", sa.JSON, nullable=False),  # nơi nhận as the letter lists it
    sa.Column("archive", sa.Text, nullable=False),  # đơn vị, người nhận bản lưu ("VT, KT")
    sa.Column("copies", sa.Integer),
    sa.Column("content_hash", sa.Text, nullable=False),
    sa.Column("check_date", sa.Date, nullable=False),
    sa.Column("findings", sa.JSON, nullable=False),  # finding key -> its severity in the letter
    sa.Column("items", sa.JSON, nullable=False),  # [subject, unit key, times raised before] of each item it raises
    sa.Column("follows_id", sa.Integer),
    sa.Column("draft_files", sa.JSON, nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("state", sa.String(12), nullable=False, index=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("store_runs.id"), nullable=False),
    sa.Column("drafted_at", sa.DateTime, nullable=False),
    sa.Column("reply_by", sa.Date),
    sa.Column("signer", sa.Text),
    sa.Column("signed_on", sa.Date),
    sa.Column("signed_at", sa.DateTime),
    sa.Column("entry_id", sa.Integer),  # its line in the register (number, issuer, year)
    sa.Column("signed_files", sa.JSON),
    sa.Column("sent_on", sa.Date),
    sa.Column("replied_on", sa.Date),
    sa.Column("reply_note", sa.Text),
    sa.Column("superseded_by", sa.Integer),
    sa.Column("superseded_at", sa.DateTime),
    sa.Index("ix_store_letters_plan_date", "plan_key", "check_date"),
)

letter_units = sa.Table(
    "store_letter_units",
    metadata,
    sa.Column("letter_id", sa.Integer, sa.ForeignKey("store_letters.id"), primary_key=True),
    sa.Column("unit_key", sa.Text, primary_key=True, index=True),
)

lock = sa.Table(
    "store_lock",
    metadata,
    sa.Column("name", sa.String(20), primary_key=True),
    sa.Column("token", sa.String(32), nullable=False),
    sa.Column("host", sa.Text, nullable=False),
    sa.Column("pid", sa.Integer, nullable=False),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("check_date", sa.Date, nullable=False),
)

# Tables a dondoc store may hold: a database with any other table is not one (store/db.py).
LEGACY_TABLES = ("register_meta", "register_runs", "register_counters", "register_entries", "register_claims")
