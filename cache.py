"""What dondoc keeps between runs only to start faster: data it can always work out again.

    rules = cached("rules", key, lambda: read_rule_file(path))

An entry is found by everything it is made from (``key``: the file's bytes, the version of
dondoc and of the code that made it, ...), so it is never stale: anything changed is a
different entry. One that cannot be read (corrupt, cut short, made by other code) is
ignored and made again; a cache that cannot be written is simply not kept. Nothing here is
output: it lives in the user's cache folder, never in --out.

Where: ``$DONDOC_CACHE``; else ``$XDG_CACHE_HOME/dondoc``; else ``~/.cache/dondoc``.
``DONDOC_CACHE=off`` turns it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import Any, Callable, TypeVar

T = TypeVar("T")
ENV = "DONDOC_CACHE"
OFF = "off"


def folder() -> Path | None:
    """The cache folder, or None when the cache is off."""
    given = os.environ.get(ENV)
    if given:
        return None if given == OFF else Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dondoc"


def code_stamp(*modules: str) -> str:
    """For each module named, its file's size and time: an entry made by other code (an
    upgrade, a change in a working copy) is another entry."""
    parts = []
    for name in modules:
        path = getattr(sys.modules.get(name), "__file__", None) or name
        try:
            st = os.stat(path)
            parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{name}:?")
    return "|".join(parts)


_MISSING = object()


def cached(namespace: str, key: str | bytes, build: Callable[[], T]) -> T:
    """The value kept under ``key``, else ``build()`` (then kept for the next run)."""
    value = get(namespace, key, _MISSING)
    if value is _MISSING:
        value = build()
        put(namespace, key, value)
    return value  # type: ignore[return-value]


def _entry(namespace: str, key: str | bytes) -> tuple[Path, bytes] | None:
    root = folder()
    if root is None:
        return None
    raw = key.encode("utf-8") if isinstance(key, str) else key
    return root / namespace / hashlib.sha256(raw).hexdigest()[:40], raw


def get(namespace: str, key: str | bytes, default: Any = None) -> Any:
    """The value kept under ``key``, or ``default`` (none kept, or one that cannot be read)."""
    entry = _entry(namespace, key)
    if entry is None:
        return default
    path, raw = entry
    try:
        with open(path, "rb") as fh:
            if not _trusted(os.fstat(fh.fileno())):
                return default
            stored_key, value = pickle.load(fh)
    except Exception:  # noqa: BLE001 - absent, corrupt or foreign: made again by the caller
        return default
    return value if stored_key == raw else default


def _trusted(st: os.stat_result) -> bool:
    """Unpickling runs code: only an entry the user's own runs wrote (theirs, not writable by
    others: a umask of 002 leaves files group-writable for the user's own group) is read;
    anything else is made again."""
    return st.st_uid == os.getuid() and not st.st_mode & 0o002


def put(namespace: str, key: str | bytes, value: Any) -> None:
    """Keep ``value`` under ``key`` for later runs (silently not, if the cache cannot be written)."""
    entry = _entry(namespace, key)
    if entry is not None:
        _keep(*entry, value)


def _keep(path: Path, raw: bytes, value: Any) -> None:
    from dondoc.errors import InputError, OutputError
    from dondoc.files import replace_file

    try:
        replace_file(path, pickle.dumps((raw, value), protocol=pickle.HIGHEST_PROTOCOL))
    except (InputError, OutputError, OSError, pickle.PicklingError):  # not kept: made again next time
        pass
