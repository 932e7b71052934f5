"""The one writer: every file dondoc puts on disk goes through here.

A folder of output (``replace_folder``) is written into a staging folder beside
its target, made durable with one ``syncfs`` (one flush for thousands of
notices, where an fsync per file would take minutes), and swapped in with one
atomic exchange (Linux ``renameat2(RENAME_EXCHANGE)``): at every instant the
target holds either the previous output or the new one, complete. The previous
content is removed only after the swap.

What it never does: replace a folder it did not write. The target must be new,
empty, or a folder this writer wrote, unchanged since: its marker lists every
file with its size and modification time, and a file added or edited by a
person makes the target refused (exit 2), with nothing touched.

A lock beside the target (filelock) makes a second run on the same target wait
or fail clearly. Leftovers of a run that was killed (staging folders, a
previous output in the middle of a swap) are recognised by their names and
their marker, and cleared or restored by the next run, under the lock.

A single file (``replace_file``: a plan.yaml, a merged CSV, an exported
register) is written to a temporary file in its folder, fsynced and renamed over
the old one; the old one is kept beside it as ``NAME.~N~`` unless dondoc wrote
it and nobody has changed it since (an extended attribute holds the digest of
what dondoc wrote; where the filesystem has none, the old file is always kept).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import shutil
import time
import uuid
from pathlib import Path
from typing import IO, Any, Iterator

from dondoc.errors import InputError, OutputError

MARKER = ".dondoc-output"  # in every folder this writer swapped in: the manifest
_STAGING = "dondoc-new"  # ".<name>.dondoc-new-<token>": a run's staging folder
_OLD = "dondoc-old"  # ".<name>.dondoc-old-<token>": the previous output, during a swap
_LOCK = "dondoc-lock"

PAUSE_ENV = "DONDOC_PAUSE_AT"  # crash tests: the named point where a run waits to be killed


def _os_error(path: Path, exc: OSError) -> OutputError:
    """An OSError as an OutputError a person can act on, in Vietnamese."""
    code = exc.errno
    if code == errno.ENOSPC or code == errno.EDQUOT:
        return OutputError(path, "đĩa đầy, không ghi được kết quả", "giải phóng dung lượng rồi chạy lại; kết quả cũ vẫn giữ nguyên")
    if code in (errno.EACCES, errno.EPERM):
        return OutputError(path, "không có quyền ghi", "chọn thư mục khác cho --out hoặc cấp quyền ghi")
    if code == errno.EROFS:
        return OutputError(path, "ổ đĩa chỉ cho đọc (read-only)", "chọn thư mục khác cho --out")
    return OutputError(path, f"lỗi ghi đĩa: {exc.strerror or exc}")


# -- the Linux calls: atomic exchange and one flush per filesystem --------------------------------

_AT_FDCWD = -100
_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2
_libc = ctypes.CDLL(None, use_errno=True)


def _renameat2(src: Path, dst: Path, flags: int) -> None:
    fn = getattr(_libc, "renameat2", None)
    if fn is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    if fn(_AT_FDCWD, os.fsencode(src), _AT_FDCWD, os.fsencode(dst), flags) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(dst))


def exchange(a: Path, b: Path) -> None:
    """Swap two folders in one atomic step."""
    _renameat2(a, b, _RENAME_EXCHANGE)


def _sync_filesystem(path: Path) -> None:
    """Flush every written file of the filesystem holding ``path`` (syncfs; else sync)."""
    fn = getattr(_libc, "syncfs", None)
    fd = os.open(path, os.O_RDONLY)
    try:
        if fn is None or fn(fd) != 0:
            os.sync()
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def pause(point: str) -> None:
    """Where tests/test_crash.py kills a run: with DONDOC_PAUSE_AT=<point> in its environment,
    the process says so on stderr and waits there for ever (for its SIGKILL). A no-op
    otherwise. Points: 'staged' (every file written), 'marked' (manifest written),
    'synced' (flushed, before the swap), 'swapped' (new output in place, previous beside
    it), 'doomed' (previous renamed for removal), and 'findings' in the check command."""
    if os.environ.get(PAUSE_ENV) == point:
        os.write(2, f"dondoc: paused at {point}\n".encode())
        while True:
            time.sleep(60)


# -- the manifest ----------------------------------------------------------------------------------


def _files(folder: Path) -> Iterator[tuple[str, os.stat_result]]:
    """Every file and link under ``folder`` (relative path, lstat), folders themselves left out."""
    top = os.path.join(folder, "")
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        prefix = os.path.join(root, "")[len(top):]  # relative paths by slicing (relpath was 40% of a manifest)
        for name in sorted(names) + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            path = os.path.join(root, name)
            yield prefix + name, os.lstat(path)


def _manifest(folder: Path) -> dict[str, Any]:
    files = {rel: [st.st_size, st.st_mtime_ns] for rel, st in _files(folder) if rel != MARKER}
    return {"written_by": "dondoc", "files": files}


def _read_marker(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("written_by") != "dondoc" or not isinstance(data.get("files"), dict):
        return None
    return data


def foreign_files(folder: Path, enough: int | None = None) -> list[str]:
    """Files in ``folder`` that this writer did not put there, or that changed since; the
    first ``enough`` of them, when that is all the caller needs (a folder that is not ours,
    such as --out / or a home folder, is not walked to its end)."""
    if not folder.exists():
        return []
    if folder.is_symlink() or not folder.is_dir():
        return [str(folder)]
    marker = _read_marker(folder)
    known = marker["files"] if marker is not None else {}
    changed = []
    for rel, st in _files(folder):
        if rel == MARKER:
            continue
        if marker is None or list(known.get(rel, [])) != [st.st_size, st.st_mtime_ns]:
            changed.append(rel)
            if enough is not None and len(changed) >= enough:
                break
    return changed


def _root(target: Path, option: str) -> None:
    if target == Path(target.anchor):
        raise InputError(target, f"{option} là thư mục gốc của ổ đĩa", hint=f"chọn cho {option} một thư mục riêng, ví dụ out/")


def check_target(target: Path, option: str = "--out") -> None:
    """Refuse (exit 2) a target this writer may not replace; touch nothing."""
    if target.is_symlink():
        raise InputError(target, f"{option} là một liên kết (symlink); hãy chỉ thẳng tới thư mục")
    if target.exists() and not target.is_dir():
        raise InputError(target, f"{option} là một tệp, không phải thư mục")
    _root(target, option)
    foreign = foreign_files(target, enough=6)
    if foreign:
        shown = ", ".join(foreign[:5]) + (" và các tệp khác" if len(foreign) > 5 else "")
        raise InputError(
            target,
            f"thư mục {option} có tệp không do dondoc ghi hoặc đã bị sửa sau khi ghi: {shown}",
            hint=f"dondoc chỉ ghi vào thư mục mới, thư mục rỗng, hoặc thư mục do chính nó ghi; "
            f"chọn {option} khác, hoặc chuyển các tệp đó đi nơi khác",
        )


# -- leftovers of a killed run ---------------------------------------------------------------------


def _leftovers(target: Path, kind: str) -> list[Path]:
    prefix = f".{target.name}.{kind}-"
    try:
        return sorted(p for p in target.parent.iterdir() if p.name.startswith(prefix) and p.is_dir() and not p.is_symlink())
    except FileNotFoundError:
        return []


def _our_leftover(path: Path, *marks: str) -> bool:
    """A leftover is ours if it carries one of our marks, or is an empty folder with a name
    only we give (a token of 12 hex digits): a kill can leave one between mkdir and mark,
    or at the end of a removal; removing an empty folder loses nothing."""
    if any((path / mark).is_file() for mark in marks):
        return True
    token = path.name.rsplit("-", 1)[-1]
    return len(token) == 12 and all(c in "0123456789abcdef" for c in token) and not any(path.iterdir())


REMOVERS = 8  # threads removing a previous output


def _remove(path: Path) -> None:
    """Remove a folder of ours, its marks last: a kill midway leaves it recognisable.

    Each unlink waits on the disk (1-3 ms a file on this project's machines): a night's
    28,000 letters took 6-85 s one after another, 3 s with the entries one level down
    (notices/<plan>/, ...) removed by several threads at once."""
    entries, folders = [], []
    for child in list(path.iterdir()):
        if child.name in (MARKER, _STAGING_MARK):
            continue
        if child.is_dir() and not child.is_symlink():
            folders.append(child)
            entries += list(child.iterdir())
        else:
            entries.append(child)
    if len(entries) < 4 * REMOVERS:  # a commune's few letters: threads would cost more than they save
        for entry in entries:
            _remove_entry(entry)
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(REMOVERS) as pool:
            list(pool.map(_remove_entry, entries, chunksize=16))
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)  # what is left: nothing, or what appeared since
    for mark in (MARKER, _STAGING_MARK):
        with contextlib.suppress(FileNotFoundError):
            (path / mark).unlink()
    with contextlib.suppress(OSError):
        path.rmdir()


def _remove_entry(entry: Path) -> None:
    if entry.is_dir() and not entry.is_symlink():
        shutil.rmtree(entry, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            entry.unlink()


def recover(target: Path) -> None:
    """Undo what a killed run left beside ``target`` (call under the lock).

    A previous output caught between the two renames of the fallback swap is put
    back; staging folders and previous outputs already swapped out are removed.
    Only folders with our name pattern and our marker (or, empty, our token) are touched.
    """
    olds = [p for p in _leftovers(target, _OLD) if _read_marker(p) is not None]
    if not target.exists() and olds:
        newest = max(olds, key=lambda p: p.stat().st_mtime_ns)
        os.rename(newest, target)
        olds.remove(newest)
    olds += [p for p in _leftovers(target, _OLD) if p not in olds and p != target and _our_leftover(p)]
    stagings = [p for p in _leftovers(target, _STAGING) if _read_marker(p) or _our_leftover(p, _STAGING_MARK)]
    for path in olds + stagings:
        _remove(path)


_STAGING_MARK = ".dondoc-staging"  # written first into every staging folder


# -- staging ---------------------------------------------------------------------------------------


class Staging:
    """The folder a run writes into before the swap. Paths are relative to it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, rel: str | Path) -> Path:
        """Where to write ``rel`` (its folder is created); for libraries that save files themselves."""
        rel = Path(rel)
        if rel.is_absolute() or ".." in rel.parts or not rel.parts:
            raise ValueError(f"{rel}: a path inside the output is relative and stays inside")
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def open(self, rel: str | Path, mode: str = "w") -> IO:
        if "b" in mode:
            return open(self.path(rel), mode)
        return open(self.path(rel), mode, encoding="utf-8", newline="\n")

    def write_text(self, rel: str | Path, text: str) -> Path:
        path = self.path(rel)
        with self.open(rel) as fh:
            fh.write(text)
        return path

    def write_bytes(self, rel: str | Path, data: bytes) -> Path:
        path = self.path(rel)
        path.write_bytes(data)
        return path


@contextlib.contextmanager
def lock(target: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the lock of ``target``; another holder makes this wait ``wait`` seconds, then fail."""
    from filelock import FileLock, Timeout  # here: a check without --out takes no lock (its import is ~8 ms of a cold start)

    path = target.parent / f".{target.name}.{_LOCK}"
    try:
        file_lock = FileLock(str(path), timeout=wait, mode=0o666 & ~_umask())
        file_lock.acquire()
    except Timeout:
        raise OutputError(
            target,
            "một lần chạy dondoc khác đang ghi vào thư mục này",
            "chờ lần chạy đó xong, hoặc dùng --wait SỐ_GIÂY để chờ",
        ) from None
    except OSError as exc:
        raise _os_error(path, exc) from None
    try:
        yield
    finally:
        file_lock.release()


@contextlib.contextmanager
def replace_folder(target: str | Path, *, wait: float = 0.0, option: str = "--out") -> Iterator[Staging]:
    """Write a whole folder of output, then swap it in atomically.

        with replace_folder(out) as staging:
            staging.write_text("findings.json", text)
            document.save(staging.path("notices/x.docx"))

    If the block raises, nothing is swapped and the target stays as it was.
    """
    target = Path(os.path.abspath(target))
    _root(target, option)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _os_error(target.parent, exc) from None
    with lock(target, wait):
        try:
            recover(target)
        except OSError as exc:
            raise _os_error(target, exc) from None
        check_target(target, option)
        staging = target.parent / f".{target.name}.{_STAGING}-{uuid.uuid4().hex[:12]}"
        try:
            staging.mkdir()
            (staging / _STAGING_MARK).touch()
        except OSError as exc:
            raise _os_error(target, exc) from None
        try:
            yield Staging(staging)
            _commit(staging, target)
        except OSError as exc:
            _remove(staging)
            raise _os_error(target, exc) from None
        except BaseException:
            _remove(staging)
            raise


def _commit(staging: Path, target: Path) -> None:
    pause("staged")
    mode = 0o777 & ~_umask()
    os.chmod(staging, mode)  # a folder of notices is meant to be read by the office
    manifest = _manifest(staging)
    manifest["files"].pop(_STAGING_MARK, None)
    with open(staging / MARKER, "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, sort_keys=True)
    pause("marked")
    (staging / _STAGING_MARK).unlink()  # after the marker: a leftover always carries one of the two
    _sync_filesystem(staging)  # every file durable before the swap makes them the output
    pause("synced")
    if not target.exists():
        _renameat2(staging, target, _RENAME_NOREPLACE)
        _fsync_dir(target.parent)
        return
    try:
        exchange(staging, target)
        old = staging  # after the exchange, the staging name holds the previous output
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
            raise
        # A filesystem without atomic exchange: two renames; recover() repairs a kill between them.
        old = target.parent / f".{target.name}.{_OLD}-{uuid.uuid4().hex[:12]}"
        os.rename(target, old)
        os.rename(staging, target)
    _fsync_dir(target.parent)
    pause("swapped")
    if old.exists():
        # Rename first, so that a kill during removal leaves a recognisable leftover.
        doomed = target.parent / f".{target.name}.{_OLD}-{uuid.uuid4().hex[:12]}"
        os.rename(old, doomed)
        pause("doomed")
        _remove(doomed)


_DIGEST_ATTR = "user.dondoc.sha256"


def _ours(path: Path, content: bytes) -> bool:
    """Whether ``content`` (the file at ``path``) is exactly what dondoc last wrote there."""
    try:
        return os.getxattr(path, _DIGEST_ATTR) == hashlib.sha256(content).hexdigest().encode()
    except OSError:  # no attribute (a person's file), or a filesystem without them
        return False


def replace_file(path: str | Path, data: str | bytes, *, wait: float = 0.0, mode: int | None = None) -> Path | None:
    """Write one file atomically; return where the previous version was kept, if anywhere.

    The previous file is kept as ``NAME.~N~`` (never overwriting an earlier copy), so a
    person's edits are never lost; nothing is kept when the content is unchanged, or when
    the previous file is what dondoc wrote, untouched since. ``mode``: the new file's
    permissions (default: readable and writable as the umask allows).
    """
    path = Path(os.path.abspath(path))
    return replace_files({path: data}, wait=wait, mode=mode)[path]


def replace_files(
    files: dict[str | Path, str | bytes] | Any, *, wait: float = 0.0, mode: int | None = None
) -> dict[Path, Path | None]:
    """Write several files as one change (a plan folder's progress.csv and measurements.csv):
    every new file is written and flushed beside its target first, then all are renamed in;
    if a rename fails, the ones already renamed are put back, so a failure leaves every file
    as it was. (A kill between two renames leaves some files new and the others old, each
    whole: a writer whose change can be made again, as a merge can, is made whole by running
    it again.) Each previous version is kept as ``replace_file`` keeps it; the result maps
    each file to where its previous version was kept."""
    changes = [(Path(os.path.abspath(p)), d.encode("utf-8") if isinstance(d, str) else d) for p, d in dict(files).items()]
    changes.sort(key=lambda change: str(change[0]))  # locks taken in one order: no deadlock
    for path, _ in changes:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _os_error(path.parent, exc) from None
        if path.is_symlink() or (path.exists() and not path.is_file()):
            raise InputError(path, "không phải một tệp thường: dondoc không ghi đè")
    mode = (0o666 & ~_umask()) if mode is None else mode
    kept: dict[Path, Path | None] = {path: None for path, _ in changes}
    with contextlib.ExitStack() as locks:
        for path, _ in changes:
            locks.enter_context(lock(path, wait))
        staged: list[tuple[Path, Path, bytes | None]] = []  # (target, new file, previous content)
        landed: list[tuple[Path, Path | None, Path | None]] = []  # (target, its rollback link, its kept copy)
        current = None
        try:
            for path, raw in changes:
                current = path
                before = path.read_bytes() if path.exists() else None
                if before == raw:
                    continue
                tmp = path.parent / f".{path.name}.{_STAGING}-{uuid.uuid4().hex[:12]}"
                staged.append((path, tmp, before))
                with open(tmp, "wb") as fh:
                    fh.write(raw)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.chmod(tmp, mode)
                with contextlib.suppress(OSError):
                    os.setxattr(tmp, _DIGEST_ATTR, hashlib.sha256(raw).hexdigest().encode())
            for path, tmp, before in staged:
                current = path
                back = copy = None
                try:
                    if before is not None:
                        # a second name for the old content: nothing is copied, and a failure puts it back
                        back = path.parent / f".{path.name}.{_OLD}-{uuid.uuid4().hex[:12]}"
                        os.link(path, back)
                        if not _ours(path, before):
                            n = 1
                            while (path.parent / f"{path.name}.~{n}~").exists():
                                n += 1
                            copy = path.parent / f"{path.name}.~{n}~"
                            os.link(path, copy)
                    os.replace(tmp, path)
                except OSError:
                    for name in (back, copy):  # this file is as it was: its extra names go
                        if name is not None:
                            with contextlib.suppress(OSError):
                                name.unlink()
                    raise
                landed.append((path, back, copy))
                kept[path] = copy
            for folder in {path.parent for path, _, _ in staged}:
                _fsync_dir(folder)
        except OSError as exc:
            for path, back, copy in reversed(landed):  # what was renamed in goes back
                with contextlib.suppress(OSError):
                    if back is not None:
                        os.replace(back, path)
                    else:
                        path.unlink()
                if copy is not None:
                    with contextlib.suppress(OSError):
                        copy.unlink()
            for _, tmp, _ in staged:
                with contextlib.suppress(OSError):
                    tmp.unlink()
            raise _os_error(current or changes[0][0], exc) from None
        finally:
            for _, back, _ in landed:
                if back is not None:
                    with contextlib.suppress(OSError):
                        back.unlink()
    return kept
