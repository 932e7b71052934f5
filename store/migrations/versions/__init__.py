"""The migration scripts, oldest first (0001: the register before the store)."""
