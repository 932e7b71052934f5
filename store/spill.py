"""Records held on disk instead of in the process: a night's share of each plan, each plan's past.

    spill = Spill()
    spill.put(key, value)       # pickled, compressed, appended to an anonymous temporary file
    spill.get(key)              # every value put under key, in order
    spill.clear(); spill.close()

A national night with a store held every plan's findings and drafted letters (627 MB at 1,000
plans) until it wrote them, and every plan's history read before the workers forked (copied
into each worker's pages as they read it). Here the process keeps only where each record lies:
a few numbers a record. The file is ``tempfile.TemporaryFile``: unlinked as it is made (no
name anyone else can open, nothing left behind if the process dies), removed when closed.
Unpickling runs code: only what this process wrote is ever read back. Reads are positional
(``os.pread``): a worker forked with the file open reads it without moving anyone's offset.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import zlib
from typing import Any, Hashable, Iterator


class Spill:
    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile("w+b", buffering=0)  # written with os.pwrite: nothing buffered to fork
        self._end = 0
        self._where: dict[Hashable, list[tuple[int, int]]] = {}  # key -> (offset, length) of each record, in order

    def put(self, key: Hashable, value: Any) -> None:
        data = zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), 1)
        view, at = memoryview(data), self._end
        while view:
            done = os.pwrite(self._file.fileno(), view, at)
            view, at = view[done:], at + done
        self._where.setdefault(key, []).append((self._end, len(data)))
        self._end += len(data)

    def get(self, key: Hashable) -> list[Any]:
        """Every value put under ``key``, in the order put (none: an empty list)."""
        places = self._where.get(key, ())
        return [pickle.loads(zlib.decompress(os.pread(self._file.fileno(), length, offset))) for offset, length in places]

    def __contains__(self, key: Hashable) -> bool:
        return key in self._where

    def __len__(self) -> int:
        return len(self._where)

    def keys(self) -> Iterator[Hashable]:
        """The keys in the order first put."""
        return iter(self._where)

    @property
    def size(self) -> int:
        """Bytes spilled."""
        return self._end

    def clear(self) -> None:
        self._file.truncate(0)
        self._end = 0
        self._where.clear()

    def close(self) -> None:
        self._file.close()
        self._where.clear()
