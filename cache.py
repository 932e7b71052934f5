"""What dondoc keeps between runs only to start faster: data it can always work out again.

    rules = cached("rules", key, lambda: read_rule_file(path))

An entry is found by everything it is made from (``key``: the file's bytes, the version of
dondoc and of the code that made it, ...), so it is never stale: anything changed is a
different entry. One that cannot be read (corrupt, cut short, made by other code) is
ignored and made again; a cache that cannot be written is simply not kept. Nothing here is
output: it lives in the user's cache folder, never in --out. Entries are pickles, and
unpickling runs code: only an entry only the user could have written is read (a regular file,
theirs, 0600 or 0644, in folders that are theirs and 0700); a special file where an entry
should be is refused without waiting on it.

Where: ``$DONDOC_CACHE``; else ``$XDG_CACHE_HOME/dondoc``; else ``~/.cache/dondoc``.
``DONDOC_CACHE=off`` turns it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
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
    """The value kept under ``key``, or ``default`` (none kept, or one that cannot be read or trusted)."""
    entry = _entry(namespace, key)
    if entry is None:
        return default
    path, raw = entry
    if not (_private(path.parent.parent, create=False) and _private(path.parent, create=False)):
        return default
    try:
        # Never blocks: a FIFO (or a device) where an entry should be is opened without waiting
        # and refused by its kind; a symlink is not followed.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return default
    try:
        with os.fdopen(fd, "rb") as fh:
            if not _trusted(os.fstat(fh.fileno())):
                return default
            stored_key, value = pickle.load(fh)
    except Exception:  # noqa: BLE001 - absent, corrupt or foreign: made again by the caller
        return default
    return value if stored_key == raw else default


def _trusted(st: os.stat_result) -> bool:
    """Unpickling runs code: only an entry that only the user could have written is read: a
    regular file, the user's, writable by nobody else (0600 or 0644; a umask of 002 would leave
    it writable by the user's group), in folders that are the user's alone (``_private``).
    Anything else is made again."""
    return stat.S_ISREG(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o133


def _private(folder: Path, *, create: bool) -> bool:
    """Whether ``folder`` is the user's own and closed to others (0700). When writing (``create``)
    it is made so: created 0700, or tightened to 0700 when it is the user's and looser. A folder
    of someone else's (DONDOC_CACHE=/tmp) is never read nor written."""
    try:
        if create:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.stat(folder)  # the cache folder may be a link the user made to another disk
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
        return False
    if st.st_mode & 0o077:
        if not create:
            return False
        try:
            os.chmod(folder, 0o700)
        except OSError:
            return False
    return True


def put(namespace: str, key: str | bytes, value: Any) -> None:
    """Keep ``value`` under ``key`` for later runs (silently not, if the cache cannot be written)."""
    entry = _entry(namespace, key)
    if entry is not None:
        _keep(*entry, value)


def _keep(path: Path, raw: bytes, value: Any) -> None:
    from dondoc.errors import InputError, OutputError
    from dondoc.files import replace_file

    if not (_private(path.parent.parent, create=True) and _private(path.parent, create=True)):
        return  # a folder that is not the user's alone: nothing kept there
    try:
        replace_file(path, pickle.dumps((raw, value), protocol=pickle.HIGHEST_PROTOCOL), mode=0o600)
    except (InputError, OutputError, OSError, pickle.PicklingError):  # not kept: made again next time
        pass
