"""The register of outgoing notices as dondoc wrote it before the store (register_meta schema 2).

A register that dondoc made before the store (its store/register.py) is stamped at this revision without running it
(store/migrate.py) and upgraded from here; a new store runs it, so that both arrive at the
same tables.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    meta = op.create_table(
        "register_meta",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
    )
    op.bulk_insert(meta, [{"name": "schema", "value": "2"}])
    op.create_table(
        "register_runs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("out", sa.Text, nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer, nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("landing_ns", sa.BigInteger),
        sa.Column("ended_at", sa.DateTime),
    )
    op.create_table(
        "register_counters",
        sa.Column("issuer", sa.String(255), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("last", sa.Integer, nullable=False),
    )
    op.create_table(
        "register_entries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("issuer", sa.String(255), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
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
        sa.UniqueConstraint("issuer", "year", "number", name="uq_register_number"),
        sa.UniqueConstraint("issuer", "year", "key", name="uq_register_key"),
    )
    op.create_table(
        "register_claims",
        sa.Column("entry_id", sa.Integer, sa.ForeignKey("register_entries.id"), primary_key=True),
        sa.Column("run_id", sa.String(32), sa.ForeignKey("register_runs.id"), primary_key=True),
    )

