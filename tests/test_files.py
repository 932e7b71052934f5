"""The one output writer: never destroys what it did not write, swaps atomically, recovers."""

from __future__ import annotations

import errno
import multiprocessing
import os
import stat
import time
from pathlib import Path

import pytest

from dondoc.errors import InputError
from dondoc import files as writer
from dondoc.errors import OutputError
from dondoc.files import MARKER, replace_file, replace_folder


def _write(target: Path, files: dict[str, str], **kw) -> None:
    with replace_folder(target, **kw) as staging:
        for name, text in files.items():
            staging.write_text(name, text)


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MARKER
    }


def _siblings(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir() if p.name != target.name and "lock" not in p.name)


def test_a_new_target_is_written_whole_with_normal_permissions(tmp_path):
    out = tmp_path / "out"
    old = os.umask(0o022)
    try:
        _write(out, {"findings.json": "[]", "notices/a.html": "<p>a</p>"})
    finally:
        os.umask(old)
    assert _tree(out) == {"findings.json": "[]", "notices/a.html": "<p>a</p>"}
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
    assert stat.S_IMODE((out / "findings.json").stat().st_mode) == 0o644
    assert _siblings(out) == []


def test_a_second_run_replaces_its_own_output_and_drops_stale_files(tmp_path):
    out = tmp_path / "out"
    _write(out, {"a.html": "1", "b.html": "1"})
    _write(out, {"a.html": "2"})
    assert _tree(out) == {"a.html": "2"}
    assert _siblings(out) == []


def test_an_empty_folder_is_accepted(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    _write(out, {"a": "x"})
    assert _tree(out) == {"a": "x"}


@pytest.mark.parametrize("layout", ["user-files", "plan-folder"])
def test_a_folder_it_did_not_write_is_refused_and_left_alone(tmp_path, layout):
    out = tmp_path / "van-ban"
    (out / "sub").mkdir(parents=True)
    if layout == "user-files":
        (out / "a.docx").write_bytes(b"PK user document")
        (out / "sub" / "photo.jpg").write_bytes(b"\xff\xd8")
    else:
        (out / "plan.yaml").write_text("plan: {}\n", encoding="utf-8")
        (out / "progress.csv").write_text("task,status\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with pytest.raises(InputError) as caught:
        _write(out, {"findings.json": "[]"})
    assert "không do dondoc ghi" in caught.value.message
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert _siblings(out) == []


def test_the_working_directory_is_refused(tmp_path, monkeypatch):
    (tmp_path / "plan.yaml").write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError):
        _write(Path("."), {"a": "x"})
    assert (tmp_path / "plan.yaml").read_text(encoding="utf-8") == "x"


def test_a_file_added_or_edited_in_its_output_makes_it_refused(tmp_path):
    out = tmp_path / "out"
    _write(out, {"a.html": "1"})
    (out / "note.txt").write_text("the clerk's note", encoding="utf-8")
    with pytest.raises(InputError, match="note.txt"):
        _write(out, {"a.html": "2"})
    (out / "note.txt").unlink()
    time.sleep(0.01)
    (out / "a.html").write_text("edited by hand", encoding="utf-8")
    with pytest.raises(InputError, match="a.html"):
        _write(out, {"a.html": "2"})
    assert (out / "a.html").read_text(encoding="utf-8") == "edited by hand"


def test_a_file_or_a_link_as_target_is_refused(tmp_path):
    target = tmp_path / "f"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="là một tệp"):
        _write(target, {"a": "x"})
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    with pytest.raises(InputError, match="liên kết"):
        _write(link, {"a": "x"})


def test_an_error_inside_leaves_the_previous_output_and_no_staging(tmp_path):
    out = tmp_path / "out"
    _write(out, {"a.html": "1"})
    with pytest.raises(RuntimeError):
        with replace_folder(out) as staging:
            staging.write_text("a.html", "2")
            raise RuntimeError("rendering failed")
    assert _tree(out) == {"a.html": "1"}
    assert _siblings(out) == []


def test_a_path_outside_the_output_is_refused(tmp_path):
    with pytest.raises(ValueError):
        with replace_folder(tmp_path / "out") as staging:
            staging.write_text("../escape", "x")
    assert not (tmp_path / "escape").exists()


def test_leftovers_of_a_killed_run_are_cleared_by_the_next(tmp_path):
    out = tmp_path / "out"
    _write(out, {"a.html": "1"})
    staging = tmp_path / ".out.dondoc-new-deadbeef0000"
    staging.mkdir()
    (staging / ".dondoc-staging").touch()
    (staging / "half.html").write_text("half", encoding="utf-8")
    swapped_out = tmp_path / ".out.dondoc-old-deadbeef0001"
    _write(swapped_out, {"a.html": "0"})  # a previous output, already swapped out
    stranger = tmp_path / ".out.dondoc-new-notours"
    stranger.mkdir()  # our pattern, but not our marker: not ours to remove
    _write(out, {"a.html": "2"})
    assert _tree(out) == {"a.html": "2"}
    assert sorted(_siblings(out)) == [".out.dondoc-new-notours"]


def test_a_previous_output_caught_mid_swap_is_restored(tmp_path):
    # The fallback swap renames out away before renaming the new one in; a kill between leaves none.
    out = tmp_path / "out"
    _write(out, {"a.html": "1"})
    os.rename(out, tmp_path / ".out.dondoc-old-cafe00000000")
    writer.recover(out)
    assert _tree(out) == {"a.html": "1"}


def test_without_atomic_exchange_two_renames_still_swap(tmp_path, monkeypatch):
    def unsupported(a, b):
        raise OSError(errno.EINVAL, "not supported")

    monkeypatch.setattr(writer, "exchange", unsupported)
    out = tmp_path / "out"
    _write(out, {"a.html": "1"})
    _write(out, {"a.html": "2"})
    assert _tree(out) == {"a.html": "2"}
    assert _siblings(out) == []


def _hold_lock(target: str, ready, release) -> None:
    with writer.lock(Path(target)):
        ready.set()
        release.wait(10)


def test_a_second_run_on_the_same_output_fails_clearly_or_waits(tmp_path):
    out = tmp_path / "out"
    ctx = multiprocessing.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(out), ready, release))
    holder.start()
    try:
        assert ready.wait(10)
        with pytest.raises(OutputError, match="đang ghi"):
            _write(out, {"a": "x"})
        assert not out.exists()
        ctx.Process(target=lambda: (time.sleep(0.3), release.set())).start()
        _write(out, {"a": "x"}, wait=10)
        assert _tree(out) == {"a": "x"}
    finally:
        release.set()
        holder.join(10)


def test_a_full_disk_is_an_output_error_and_the_previous_output_stays(tmp_path, monkeypatch):
    out = tmp_path / "out"
    _write(out, {"a.html": "1"})

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OutputError, match="đĩa đầy") as caught:
        with replace_folder(out) as staging:
            staging.write_text("a.html", "2")
            monkeypatch.setattr(writer, "_sync_filesystem", full)
    assert caught.value.exit_code == 4
    assert _tree(out) == {"a.html": "1"}
    assert _siblings(out) == []


def test_permission_errors_read_as_such():
    error = writer._os_error(Path("/x"), PermissionError(errno.EACCES, "Permission denied"))
    assert "không có quyền ghi" in error.render() and error.exit_code == 4
    assert "chỉ cho đọc" in writer._os_error(Path("/x"), OSError(errno.EROFS, "ro")).render()


def test_replace_file_keeps_a_version_a_person_wrote_or_edited(tmp_path):
    path = tmp_path / "plan" / "plan.yaml"
    path.parent.mkdir()
    path.write_text("written by hand\n", encoding="utf-8")
    kept = replace_file(path, "one\n")
    assert kept == tmp_path / "plan" / "plan.yaml.~1~"
    assert kept.read_text(encoding="utf-8") == "written by hand\n" and path.read_text(encoding="utf-8") == "one\n"
    assert replace_file(path, "one\n") is None  # unchanged: nothing kept
    assert replace_file(path, "two\n") is None  # dondoc's own, untouched: nothing to keep
    path.write_text("two, corrected by hand\n", encoding="utf-8")
    kept = replace_file(path, "three\n")
    assert kept.name == "plan.yaml.~2~" and kept.read_text(encoding="utf-8") == "two, corrected by hand\n"
    assert sorted(p.name for p in path.parent.iterdir() if "lock" not in p.name) == [
        "plan.yaml", "plan.yaml.~1~", "plan.yaml.~2~"
    ]


def test_a_removal_cut_short_leaves_a_leftover_the_next_run_still_recognises(tmp_path, monkeypatch):
    """A kill while a leftover is being removed: its mark goes last, so it is still ours."""
    out = tmp_path / "out"
    _write(out, {"a.html": "1"})
    staging = tmp_path / ".out.dondoc-new-0123456789ab"
    (staging / "notices" / "xa").mkdir(parents=True)
    (staging / ".dondoc-staging").touch()
    (staging / "findings.json").write_text("[", encoding="utf-8")
    (staging / "notices" / "xa" / "n.html").write_text("<p>", encoding="utf-8")

    def killed(path, ignore_errors=False):
        raise KeyboardInterrupt  # the removal stops at its first folder

    monkeypatch.setattr(writer.shutil, "rmtree", killed)
    with pytest.raises(KeyboardInterrupt):
        writer.recover(out)
    assert (staging / ".dondoc-staging").is_file()
    monkeypatch.undo()
    _write(out, {"a.html": "2"})
    assert _siblings(out) == [] and _tree(out) == {"a.html": "2"}


def test_an_empty_folder_with_our_name_and_token_is_a_leftover(tmp_path):
    # A kill between creating a staging folder and marking it, or at the end of a removal.
    out = tmp_path / "out"
    _write(out, {"a.html": "1"})
    for name in (".out.dondoc-new-0123456789ab", ".out.dondoc-old-ba9876543210"):
        (tmp_path / name).mkdir()
    (tmp_path / ".out.dondoc-new-notours").mkdir()
    (tmp_path / ".out.dondoc-new-fedcba987654").mkdir()
    (tmp_path / ".out.dondoc-new-fedcba987654" / "a person's file").write_text("x", encoding="utf-8")
    _write(out, {"a.html": "2"})
    assert sorted(_siblings(out)) == [".out.dondoc-new-fedcba987654", ".out.dondoc-new-notours"]


def test_without_extended_attributes_every_previous_version_is_kept(tmp_path, monkeypatch):
    def unsupported(*args):
        raise OSError(errno.ENOTSUP, "Operation not supported")

    monkeypatch.setattr(writer.os, "setxattr", unsupported)
    monkeypatch.setattr(writer.os, "getxattr", unsupported)
    path = tmp_path / "x.csv"
    assert replace_file(path, "a\n") is None
    assert replace_file(path, "b\n").name == "x.csv.~1~"
