"""Alembic's environment: always the connection dondoc opened (store/migrate.py), inside its
transaction, with dondoc's own version table: the migration and the check that the database
is a dondoc store happen in one transaction."""

from alembic import context

from dondoc.store.schema import VERSION_TABLE

context.configure(
    connection=context.config.attributes["connection"],
    version_table=VERSION_TABLE,
    render_as_batch=False,
)
with context.begin_transaction():
    context.run_migrations()
