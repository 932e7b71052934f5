"""The store: nights, findings, letters; the register numbers letters at signing.

Every line already in the register stays as it is, with its number: the numbers issued
before stay issued, and the counters go on after them. An issued line is never changed or
deleted from here on: triggers refuse it in the database itself, whatever writes to it.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

IMMUTABLE = "dondoc: a register line once issued is never changed or deleted (void it: dondoc letters void)"
APPEND_ONLY = "dondoc: amendments and starts of the register are never changed or deleted"


def upgrade() -> None:
    # The register: each line says which signed letter took its number, or that it is the
    # office's own (imported); NULL for the lines the night numbered before the store.
    op.add_column("register_entries", sa.Column("letter_id", sa.Integer))
    op.add_column("register_entries", sa.Column("origin", sa.String(10)))
    op.add_column("register_entries", sa.Column("note", sa.Text, nullable=False, server_default=""))
    op.create_index("ix_register_entries_letter", "register_entries", ["letter_id"])
    op.create_table(
        "register_amendments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("entry_id", sa.Integer, nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("on", sa.Date, nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "register_starts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("issuer", sa.String(255), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("next_number", sa.Integer, nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
    )

    op.create_table(
        "store_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("check_date", sa.Date, nullable=False, index=True),
        sa.Column("past", sa.Boolean, nullable=False),
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
    op.create_table(
        "store_plan_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("store_runs.id"), nullable=False, index=True),
        sa.Column("plan_key", sa.Text, nullable=False),
        sa.Column("check_date", sa.Date, nullable=False),
        sa.Column("settings_hash", sa.Text, nullable=False),
        sa.Column("rules_run", sa.JSON, nullable=False),
        sa.UniqueConstraint("plan_key", "check_date", name="uq_store_plan_date"),
    )
    op.create_table(
        "store_findings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.Text, nullable=False, unique=True),
        sa.Column("plan_key", sa.Text, nullable=False, index=True),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("unit_key", sa.Text, nullable=False),
    )
    op.create_table(
        "store_observations",
        sa.Column("plan_run_id", sa.Integer, sa.ForeignKey("store_plan_runs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("finding_id", sa.Integer, sa.ForeignKey("store_findings.id"), primary_key=True, index=True),
        sa.Column("severity", sa.String(40), nullable=False),
        sa.Column("data", sa.JSON),
    )
    op.create_table(
        "store_measures",
        sa.Column("plan_run_id", sa.Integer, sa.ForeignKey("store_plan_runs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("subject", sa.Text, primary_key=True),
        sa.Column("value", sa.JSON),
    )
    op.create_table(
        "store_finding_state",
        sa.Column("finding_id", sa.Integer, sa.ForeignKey("store_findings.id"), primary_key=True),
        sa.Column("plan_key", sa.Text, nullable=False, index=True),
        sa.Column("first_seen", sa.Date, nullable=False),
        sa.Column("last_seen", sa.Date, nullable=False),
        sa.Column("severity", sa.String(40), nullable=False),
        sa.Column("previous_severity", sa.String(40)),
        sa.Column("resolved_on", sa.Date),
        sa.Column("reopened", sa.Integer, nullable=False),
    )

    op.create_table(
        "store_letters",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("plan_key", sa.Text, nullable=False),
        sa.Column("issuer", sa.Text, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("symbol", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("addressees", sa.JSON, nullable=False),
        sa.Column("recipients", sa.JSON, nullable=False),
        sa.Column("archive", sa.Text, nullable=False),
        sa.Column("copies", sa.Integer),
        sa.Column("content_hash", sa.Text, nullable=False),
        sa.Column("check_date", sa.Date, nullable=False),
        sa.Column("findings", sa.JSON, nullable=False),
        sa.Column("items", sa.JSON, nullable=False),
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
        sa.Column("entry_id", sa.Integer),
        sa.Column("signed_files", sa.JSON),
        sa.Column("sent_on", sa.Date),
        sa.Column("replied_on", sa.Date),
        sa.Column("reply_note", sa.Text),
        sa.Column("superseded_by", sa.Integer),
        sa.Column("superseded_at", sa.DateTime),
    )
    op.create_index("ix_store_letters_plan_date", "store_letters", ["plan_key", "check_date"])
    op.create_table(
        "store_letter_units",
        sa.Column("letter_id", sa.Integer, sa.ForeignKey("store_letters.id"), primary_key=True),
        sa.Column("unit_key", sa.Text, primary_key=True, index=True),
    )
    op.create_table(
        "store_lock",
        sa.Column("name", sa.String(20), primary_key=True),
        sa.Column("token", sa.String(32), nullable=False),
        sa.Column("host", sa.Text, nullable=False),
        sa.Column("pid", sa.Integer, nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("check_date", sa.Date, nullable=False),
    )

    _guards()


def _guards() -> None:
    """Issued lines immutable; amendments and starts append-only: in the database itself."""
    if op.get_bind().dialect.name == "sqlite":
        for table, when, message in (
            ("register_entries", "WHEN OLD.state = 'issued' ", IMMUTABLE),
            ("register_amendments", "", APPEND_ONLY),
            ("register_starts", "", APPEND_ONLY),
        ):
            for event in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} {when}"
                    f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
                )
        return
    op.execute(
        "CREATE FUNCTION dondoc_issued_immutable() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF OLD.state = 'issued' THEN RAISE EXCEPTION '{IMMUTABLE}'; END IF; "
        "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER register_entries_immutable BEFORE UPDATE OR DELETE ON register_entries "
        "FOR EACH ROW EXECUTE FUNCTION dondoc_issued_immutable()"
    )
    op.execute(
        "CREATE FUNCTION dondoc_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"RAISE EXCEPTION '{APPEND_ONLY}'; END $$"
    )
    for table in ("register_amendments", "register_starts"):
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION dondoc_append_only()"
        )
