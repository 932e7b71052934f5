"""Records held on disk instead of in the process: a night's share of each plan, each plan's past.

    spill = Spill()
    spill.put(key, value)       # pickled, appended to an anonymous temporary file
    spill.get(key)              # every value put under key, in order
    spill.seal()                # where each lies, written into the file: for a process forked before
    spill.clear(); spill.close()

A national night with a store held every plan's findings and drafted letters (627 MB at 1,000
plans) until it wrote them, and every plan's history read before the workers forked (copied
into each worker's pages as they read it). Here the process keeps only where each record lies:
a few numbers a record. The file is ``tempfile.TemporaryFile``: unlinked as it is made (no
name anyone else can open, nothing left behind if the process dies), removed when closed.
Unpickling runs code: only what this process (or the one it was forked from) wrote is ever
read back. Reads and writes are positional (``os.pread``, ``os.pwrite``, nothing buffered): a
worker forked with the file open reads it without moving anyone's offset, and once the spill
is sealed, reads what was put after it forked.
"""

from __future__ import annotations

import os
import pickle
import struct
import tempfile
from typing import Any, Hashable, Iterator

_HEADER = struct.Struct("<QQ")  # where the index ``seal`` wrote lies: offset, length (0, 0: none)


class Spill:
    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile("w+b", buffering=0)  # written with os.pwrite: nothing buffered to fork
        self._where: dict[Hashable, list[tuple[int, int]]] = {}  # key -> (offset, length) of each record, in order
        self._sealed = (0, 0)  # the sealed index this process's ``_where`` is
        self._end = self._write(_HEADER.pack(0, 0), 0)

    def _write(self, data: bytes, at: int) -> int:
        view = memoryview(data)
        while view:
            done = os.pwrite(self._file.fileno(), view, at)
            view, at = view[done:], at + done
        return at

    def _read(self, offset: int, length: int) -> Any:
        return pickle.loads(os.pread(self._file.fileno(), length, offset))

    def put(self, key: Hashable, value: Any) -> None:
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)  # not compressed: a letter's payload is already (records.Packed)
        self._where.setdefault(key, []).append((self._end, len(data)))
        self._end = self._write(data, self._end)

    def seal(self) -> None:
        """Write where every record lies into the file itself: a process forked before the
        records were put (a night's worker) finds them all with ``get``."""
        data = pickle.dumps(self._where, pickle.HIGHEST_PROTOCOL)
        self._sealed = (self._end, len(data))
        self._end = self._write(data, self._end)
        self._write(_HEADER.pack(*self._sealed), 0)

    def get(self, key: Hashable) -> list[Any]:
        """Every value put under ``key``, in the order put (none: an empty list)."""
        places = self._where.get(key)
        if places is None:
            sealed = _HEADER.unpack(os.pread(self._file.fileno(), _HEADER.size, 0))
            if sealed != (0, 0) and sealed != self._sealed:  # put in another process after this one forked
                self._where, self._sealed = self._read(*sealed), sealed
            places = self._where.get(key, ())
        return [self._read(offset, length) for offset, length in places]

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
        return self._end - _HEADER.size

    def clear(self) -> None:
        self._file.truncate(0)
        self._where.clear()
        self._sealed = (0, 0)
        self._end = self._write(_HEADER.pack(0, 0), 0)

    def close(self) -> None:
        self._file.close()
        self._where.clear()
