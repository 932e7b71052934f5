"""Hostile and awkward input: each case is refused with exit 2 and a message naming the file, the
line and column and the cause (never a traceback, never a guess), or, for what Excel in a
Vietnamese locale really saves, read correctly.

The checked-in corpus (corpus/CASE.FILE, made by make_corpus.py) replaces one file of base/;
cases that cannot live in git are built here.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dondoc.cli import main
from dondoc.errors import InputErrors
from dondoc.facts.planfolder import read_plan_folder
from tests.test_planfolder import errors_of

HERE = Path(__file__).resolve().parent
BASE = HERE / "base"
CORPUS = HERE / "corpus"


def plan_with(tmp_path: Path, case: str) -> Path:
    """base/ with one file replaced by the corpus file corpus/<case>.<file>."""
    source = CORPUS / case
    target = source.name.split(".", 1)[1]
    folder = tmp_path / "plan"
    shutil.copytree(BASE, folder)
    shutil.copyfile(source, folder / target)
    return folder


# (case, line, column, words in the message). Every one of these raised a traceback, was read
# wrongly, or was accepted before.
# The alias bomb is run only in a subprocess with a memory limit (test_an_alias_bomb_...): if
# the guard ever broke, it must not take the test run's 24 GB with it.
BOMB = "billion-laughs.plan.yaml"
REFUSED = [
    ("alias.plan.yaml", 22, 11, "bí danh YAML '*pkt' không được dùng"),
    ("python-tag.plan.yaml", 7, 10, "thẻ YAML '!!python/object/apply:os.system' không được dùng"),
    ("custom-tag.plan.yaml", 6, 11, "thẻ YAML '!ngay' không được dùng"),
    ("merge-key.plan.yaml", 20, 5, "khoá gộp '<<:' không được dùng"),
    ("nan-target.plan.yaml", 29, 12, "'.nan' không phải một số hữu hạn"),
    ("inf-target.plan.yaml", 29, 12, "'-.inf' không phải một số hữu hạn"),
    ("nan-text-target.plan.yaml", 29, 12, "'nan' không phải một số hữu hạn"),
    ("percent-over-100.plan.yaml", 29, 12, "150% nằm ngoài 0-100%"),
    ("negative-count.plan.yaml", 36, 12, "-4 tin bài/tháng là số âm"),
    ("excel-date.plan.yaml", 6, 11, "ngày dạng số của Excel (15/01/2026?)"),
    ("deep-nesting.plan.yaml", 7, 68, "lồng quá sâu (hơn 64 cấp)"),
    ("huge-int.plan.yaml", 36, 12, "không đọc được giá trị"),
    ("control-char.plan.yaml", 23, 2, "ký tự không được phép (mã 0x0007)"),
    ("duplicate-key.plan.yaml", 9, 3, "trường 'year' xuất hiện hai lần"),
    ("cp1258.plan.yaml", 3, 18, "không phải UTF-8, có thể là Windows-1258"),
    ("wrong-separator.progress.csv", 3, None, "dòng này dùng dấu chấm phẩy, dòng tiêu đề dùng dấu phẩy"),
    ("tab.progress.csv", 1, None, "các cột cách nhau bằng dấu tab"),
    ("cp1258.progress.csv", 2, 3, "không phải UTF-8, có thể là Windows-1258"),
    ("tcvn3.progress.csv", 2, 3, "không phải UTF-8, có thể là TCVN3 (ABC)"),
    ("vni.progress.csv", 2, 3, "không phải UTF-8, có thể là VNI"),
    ("utf16.progress.csv", 1, None, "tệp mã UTF-16"),
    ("xlsx.progress.csv", 1, None, "đây là tệp Excel hoặc Word"),
    ("nul.progress.csv", 2, 31, "có ký tự NUL"),
    ("excel-serial.progress.csv", 2, 4, "ngày dạng số của Excel (30/06/2026?)"),
    ("zero-date.progress.csv", 2, 3, "'0' không phải một ngày"),
    ("decimal-comma-unquoted.measurements.csv", 2, 8, "nhiều ô hơn số cột"),
    ("dot-in-semicolon.measurements.csv", 2, 3, "dấu phẩy là dấu thập phân"),
    ("nan.measurements.csv", 2, 3, "'nan' không phải một số hữu hạn"),
    ("inf.measurements.csv", 2, 4, "'inf' không phải một số hữu hạn"),
    ("percent-over.measurements.csv", 2, 3, "chỉ tiêu CT01: 150% nằm ngoài 0-100%"),
    ("percent-negative.measurements.csv", 2, 3, "chỉ tiêu CT01: -5% nằm ngoài 0-100%"),
    ("numerator-over.measurements.csv", 2, 5, "tử số (numerator 1200) lớn hơn mẫu số (1000)"),
    ("negative-count.measurements.csv", 2, 3, "chỉ tiêu CT02: -3 tin bài/tháng là số âm"),
]


@pytest.mark.parametrize("case, line, column, words", REFUSED, ids=[c[0] for c in REFUSED])
def test_hostile_input_is_refused_naming_file_line_column_and_cause(tmp_path, case, line, column, words):
    folder = plan_with(tmp_path, case)
    (error,) = errors_of(folder)
    assert words in error.message, error.render()
    assert (error.path, error.line, error.column) == (str(folder / case.split(".", 1)[1]), line, column), error.render()


def test_the_corpus_is_what_make_corpus_writes():
    from tests.hostile.make_corpus import cases

    written = {name: (c.encode("utf-8") if isinstance(c, str) else c) for name, c in cases().items()}
    assert {p.name: p.read_bytes() for p in CORPUS.iterdir()} == written
    assert {c[0] for c in REFUSED} | {c[0] for c in ACCEPTED} | {BOMB} == set(written)


# -- what Excel in a Vietnamese locale saves is read ---------------------------------------------

ACCEPTED = [
    ("excel-vn.measurements.csv", lambda f: [(m.target, m.period, m.actual, str(m.measured_on)) for m in f.measurements]
     == [("CT01", "2026-10", 91.2, "2026-11-05"), ("CT02", "2026-10", 3.0, "2026-11-05"), ("CT01", "2026-Q3", 82.27, "2026-10-10")]),
    ("excel-vn.progress.csv", lambda f: [(p.task, p.status, str(p.done_on), str(p.reported_on)) for p in f.progress]
     == [("1", "hoàn thành", "2026-09-30", "2026-10-01"), ("2", "đang thực hiện", "None", "2026-06-30")]),
    ("quoted-comma.measurements.csv", lambda f: [m.value for m in f.measurements] == [91.2]),
    ("sep-line.progress.csv", lambda f: [(p.task, p.source_line) for p in f.progress] == [("1", 3)]),
]


@pytest.mark.parametrize("case, check", ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_csv_saved_by_excel_in_a_vietnamese_locale_is_read(tmp_path, case, check):
    assert check(read_plan_folder(plan_with(tmp_path, case)))


def test_an_excel_csv_gives_the_same_findings_as_the_plain_one(tmp_path):
    """Semicolons, a BOM, decimal commas, thousands dots and day-first dates change nothing."""
    plain = tmp_path / "plain"
    shutil.copytree(BASE, plain)
    (plain / "measurements.csv").write_text(
        "target,period,value,numerator,denominator,measured_on\nCT01,2026-10,,1234,1500,2026-11-05\nCT02,2026-10,3.5,,,2026-11-05\n",
        encoding="utf-8",
    )
    excel = tmp_path / "excel"
    shutil.copytree(BASE, excel)
    (excel / "measurements.csv").write_bytes(
        b"\xef\xbb\xbf" + "target;period;value;numerator;denominator;measured_on\r\n"
        "CT01;2026-10;;1.234;1.500;05/11/2026\r\nCT02;2026-10;3,5;;;05/11/2026\r\n".encode("utf-8")
    )
    runner = CliRunner()
    outputs = [
        json.loads(runner.invoke(main, ["check", str(p), "--as-of", "2026-11-22", "--json"]).output) for p in (plain, excel)
    ]
    for findings in outputs:
        for f in findings:
            f.pop("plan_path", None)
    assert outputs[0] == outputs[1]
    assert any(f["subject"] == "target:CT01" and f["values"]["actual"] == 82.27 for f in outputs[0])


# -- the wrong kind of file where a CSV should be ---------------------------------------------------


def _make(kind: str, path: Path) -> None:
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "broken link":
        path.symlink_to(path.parent / "nowhere.csv")
    elif kind == "link loop":
        path.symlink_to(path)


@pytest.mark.parametrize(
    "kind, words",
    [
        ("folder", "đây là một thư mục, không phải tệp"),
        ("fifo", "không phải tệp thường: đây là FIFO"),
        ("broken link", "liên kết hỏng: trỏ tới"),
        ("link loop", "liên kết vòng"),
    ],
)
def test_a_csv_that_is_not_a_file_is_an_error_not_an_absent_file(tmp_path, kind, words):
    folder = tmp_path / "plan"
    shutil.copytree(BASE, folder)
    (folder / "progress.csv").unlink()
    _make(kind, folder / "progress.csv")
    (error,) = errors_of(folder)
    assert error.path == str(folder / "progress.csv") and words in error.message, error.render()


def test_an_absent_csv_is_still_absent(tmp_path):
    folder = tmp_path / "plan"
    shutil.copytree(BASE, folder)
    for name in ("progress.csv", "measurements.csv"):
        (folder / name).unlink()
    read = read_plan_folder(folder)
    assert read.progress == [] and read.measurements == []


def test_an_unreadable_progress_file_stops_the_check_instead_of_26_false_findings(tmp_path):
    """Before, a FIFO progress.csv read as 'no report': every task 'chưa báo cáo', exit 0."""
    folder = tmp_path / "plan"
    shutil.copytree(BASE, folder)
    (folder / "progress.csv").unlink()
    os.mkfifo(folder / "progress.csv")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["check", str(folder), "--as-of", "2026-11-22", "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "progress.csv: không phải tệp thường" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    "err, words",
    [
        (errno.EACCES, "không có quyền đọc tệp (EACCES)"),
        (errno.EIO, "lỗi đọc đĩa (EIO)"),
    ],
)
def test_a_permission_or_disk_failure_while_reading_is_said_as_such(tmp_path, monkeypatch, err, words):
    folder = tmp_path / "plan"
    shutil.copytree(BASE, folder)
    real_open = os.open

    def failing_open(path, *args, **kwargs):
        if str(path).endswith("measurements.csv"):
            raise OSError(err, os.strerror(err), str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", failing_open)
    (error,) = errors_of(folder)
    assert error.path.endswith("measurements.csv") and words in error.message, error.render()


# -- sizes and names ----------------------------------------------------------------------------------


def test_a_cell_of_any_size_is_read(tmp_path):
    folder = tmp_path / "plan"
    shutil.copytree(BASE, folder)
    note = "Báo cáo " * 200_000  # 1.6 MB in one cell; the csv module's limit is 128 KB
    (folder / "progress.csv").write_text(f'task,status,reported_on,evidence\n1,đang thực hiện,2026-06-30,"{note}"\n', encoding="utf-8")
    assert read_plan_folder(folder).progress[0].evidence == note.strip()


def test_a_folder_name_that_is_not_utf8_is_printed_and_written_safely(tmp_path):
    name = os.fsdecode(b"k\xe9-ho\xe1ch")  # Latin-1 bytes: surrogate escapes in Python
    folder = tmp_path / name
    shutil.copytree(BASE, folder)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["check", str(folder), "--as-of", "2026-11-22", "--out", str(out)])
    assert result.exit_code == 0, result.output
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert findings and all(f["plan_path"].endswith("k\\xe9-ho\\xe1ch") for f in findings)
    (folder / "plan.yaml").write_text("plan: [\n", encoding="utf-8")
    (error,) = errors_of(folder)
    assert "k\\xe9-ho\\xe1ch/plan.yaml" in error.render()
    error.render().encode("utf-8")  # printable: no surrogate left


# -- YAML bombs: fast, small, and on the fast (C) path -------------------------------------------------


def test_an_alias_bomb_fails_fast_in_little_memory_with_exit_2_and_nothing_written(tmp_path):
    """10 levels of 9 aliases in under 500 bytes took 24 GB before; now it stops at the first alias."""
    import resource

    folder = plan_with(tmp_path, BOMB)
    assert len((folder / "plan.yaml").read_bytes()) < 500
    out = tmp_path / "out"
    out.mkdir()

    def limit():  # 1 GB of address space: the old reader died here, the new one needs a fraction
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    # Measured through a fresh parent of its own: RUSAGE_CHILDREN of the test process would count
    # every earlier test's children too.
    measure = (
        "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]);"
        " print('maxrss', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(done.returncode)"
    )
    done = subprocess.run(
        [sys.executable, "-c", measure, sys.executable, "-m", "dondoc.cli", "check", str(folder), "--as-of", "2026-11-22", "--out", str(out)],
        capture_output=True, text=True, timeout=120, preexec_fn=limit,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    assert f"{folder}/plan.yaml:2:10: bí danh YAML '*a0' không được dùng" in done.stderr
    assert "Traceback" not in done.stderr and list(out.iterdir()) == []
    maxrss = int(done.stderr.rsplit("maxrss ", 1)[1].split()[0])
    assert maxrss // 1024 < 400


def test_nesting_that_would_crash_libyaml_is_refused_first(tmp_path):
    """libyaml's C composer recurses: 100,000 '[' kill the process (SIGSEGV) without the guard."""
    folder = tmp_path / "plan"
    shutil.copytree(BASE, folder)
    (folder / "plan.yaml").write_text("plan: " + "[" * 100_000 + "\n", encoding="utf-8")
    script = f"from dondoc.facts.planfolder import read_plan_folder\nread_plan_folder({str(folder)!r})"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "lồng quá sâu (hơn 64 cấp)" in done.stderr, (done.returncode, done.stderr[-500:])


def test_the_fast_path_is_libyaml():
    import yaml

    from dondoc.facts import yamlio

    assert yaml.__with_libyaml__ and issubclass(yamlio._Loader, yaml.CSafeLoader)


# -- the command line: exit 2, the message, nothing written --------------------------------------------


CLI_CASES = [c for c in REFUSED if c[0] in ("python-tag.plan.yaml", "merge-key.plan.yaml", "tcvn3.progress.csv", "nan.measurements.csv")]


@pytest.mark.parametrize("case, line, column, words", CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_the_cli_answers_hostile_input_with_exit_2_and_leaves_the_output_alone(tmp_path, case, line, column, words):
    runner = CliRunner()
    out = tmp_path / "out"
    assert runner.invoke(main, ["check", str(BASE), "--as-of", "2026-11-22", "--out", str(out)]).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    folder = plan_with(tmp_path, case)
    result = runner.invoke(main, ["check", str(folder), "--as-of", "2026-11-22", "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback
    assert f"lỗi: {folder}/{case.split('.', 1)[1]}:{line}:" in result.output and words in result.output
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


# -- rule files go through the same readers ----------------------------------------------------------


@pytest.mark.parametrize(
    "content, line, column, words",
    [
        ("rules:\n  - id: caf\xe9\n".encode("latin-1"), 2, 12, "không phải UTF-8"),  # had no line before
        (b"rules:\n  - !!python/object/apply:os.system [id]\n", 2, 5, "thẻ YAML '!!python/object/apply:os.system'"),
        (b"rules:\n  - id: a\x07\n", 2, 10, "ký tự không được phép"),
        (b"rules:\n  - id: a\n    title: .nan\n", 3, 12, "'.nan' không phải một số hữu hạn"),
    ],
)
def test_hostile_rule_files_are_refused_with_their_line(tmp_path, content, line, column, words):
    from dondoc.engine.rulebook import load_rules

    (tmp_path / "r.yaml").write_bytes(content)
    with pytest.raises(InputErrors) as caught:
        load_rules(tmp_path)
    (error,) = caught.value.errors
    assert (error.line, error.column) == (line, column) and words in error.message, error.render()


def test_a_deeply_nested_rule_file_is_refused_not_a_crash(tmp_path):
    """PyYAML's own composer raised RecursionError (a traceback) here; libyaml's would segfault."""
    (tmp_path / "r.yaml").write_text("rules: " + "[" * 100_000 + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "dondoc.cli", "rules", "check", str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2 and "r.yaml:1:71: lồng quá sâu" in done.stderr, (done.returncode, done.stderr[-800:])
