"""What dondoc keeps between runs: the store (store.py: the nights' history, the letters and the
register of outgoing documents, in one database; docs/history.md), and the register's numbering
of the night before the store (register.py), kept until the night records into the store."""
