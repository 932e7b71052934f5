"""The user's cache (cache.py) under hostile hands: unpickling runs code, so only an entry only the
user could have written is read (a regular file of theirs, 0600 or 0644, in folders of theirs
that are 0700), and a special file where an entry should be never blocks a run."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from dondoc import cache


@pytest.fixture
def where(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(folder))
    return folder


class Payload:
    """What a planted entry runs when it is unpickled: it leaves a file behind."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def plant(where: Path, marker: Path) -> Path:
    """An entry under key 'k' of namespace 'probe' that runs code when read."""
    cache.put("probe", "k", "kept")
    path, _ = cache._entry("probe", "k")
    path.write_bytes(pickle.dumps((b"k", Payload(marker))))
    path.chmod(0o600)
    return path


def test_entries_are_written_0600_in_folders_0700_whatever_the_umask(where):
    old = os.umask(0o002)
    try:
        cache.put("probe", "k", "kept")
    finally:
        os.umask(old)
    path, _ = cache._entry("probe", "k")
    assert path.stat().st_mode & 0o777 == 0o600
    assert where.stat().st_mode & 0o777 == 0o700 and path.parent.stat().st_mode & 0o777 == 0o700
    assert cache.get("probe", "k") == "kept"


@pytest.mark.parametrize("mode", [0o664, 0o666, 0o620, 0o700, 0o744])
def test_an_entry_writable_by_the_group_or_others_or_executable_is_never_unpickled(where, tmp_path, mode):
    """Before: a group-writable entry (what a umask of 002 leaves) was unpickled."""
    marker = tmp_path / "ran"
    path = plant(where, marker)
    path.chmod(mode)
    assert cache.get("probe", "k", "made again") == "made again" and not marker.exists()


@pytest.mark.parametrize("which", ["root", "namespace"])
def test_an_entry_in_a_folder_others_can_write_is_never_unpickled(where, tmp_path, which):
    marker = tmp_path / "ran"
    path = plant(where, marker)
    (where if which == "root" else path.parent).chmod(0o777)
    assert cache.get("probe", "k", "made again") == "made again" and not marker.exists()
    cache.put("probe", "k", "kept")  # writing makes the user's own folder private again
    assert cache.get("probe", "k") == "kept" and not marker.exists()


@pytest.mark.skipif(os.getuid() != 0, reason="giving a file to another user needs root")
def test_another_users_entry_is_never_unpickled(where, tmp_path):
    marker = tmp_path / "ran"
    path = plant(where, marker)
    os.chown(path, 12345, 12345)
    assert cache.get("probe", "k", "made again") == "made again" and not marker.exists()


def test_a_symlinked_entry_is_never_followed(where, tmp_path):
    marker = tmp_path / "ran"
    path = plant(where, marker)
    elsewhere = tmp_path / "elsewhere.pickle"
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    assert cache.get("probe", "k", "made again") == "made again" and not marker.exists()


def test_a_fifo_where_an_entry_should_be_never_blocks(where, tmp_path):
    """Before: the run hung for ever on open()."""
    cache.put("probe", "k", "kept")
    path, _ = cache._entry("probe", "k")
    path.unlink()
    os.mkfifo(path, 0o600)
    script = "from dondoc import cache; print(cache.cached('probe', 'k', lambda: 'made again'))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          env={**os.environ, cache.ENV: str(where)})
    assert done.returncode == 0 and done.stdout.strip() == "made again", done.stderr


def test_a_cache_folder_of_someone_else_is_neither_read_nor_written(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o1777)  # /tmp-like
    if os.getuid() == 0:
        os.chown(shared, 12345, 12345)
    else:
        pytest.skip("a folder of another user needs root")
    monkeypatch.setenv(cache.ENV, str(shared))
    assert cache.cached("probe", "k", lambda: "made") == "made"
    assert list(shared.iterdir()) == []
