"""What dondoc keeps between runs and where a night lands: the store (store.py: the nights'
history, the letters and the register of outgoing documents, in one database;
docs/history.md) and the output sink (sink.py)."""
