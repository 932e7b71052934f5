"""What dondoc keeps on disk between runs: the output writer (and, beside it, the register)."""
