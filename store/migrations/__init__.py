"""The store's migrations (Alembic), run by dondoc itself when it opens a store (store/migrate.py).

A new migration is a new file in versions/ whose ``down_revision`` is the newest one, and
``store/schema.py``'s ``HEAD`` and tables follow it (tests/test_store_db.py checks HEAD).
"""
