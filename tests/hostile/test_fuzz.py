"""Fuzzing the readers and the command line (hypothesis, seeded from the corpus).

Malformed plan folders (plan.yaml and CSVs mutated byte by byte and line by line, values of
every type put where others belong, files replaced by folders, FIFOs and broken links), rule
files, deadline phrases and target sentences. For each input:

* no exception escapes but InputError/InputErrors (bad input) from the readers;
  parse_deadline and parse_target never raise at all;
* every error names its file, and a line in it (a file that is not a regular file has none);
* `dondoc check --out` exits 0, 1, 2 or 3, never with a traceback, and on 2 the output folder
  is byte for byte what it was.

The count of inputs run is printed at the end of the test run (conftest.py).
"""

from __future__ import annotations

import math
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from dondoc.cli import main
from dondoc.engine.rulebook import DEFAULT_RULES_DIR, load_rules
from dondoc.facts.deadline import DeadlineKind, parse_deadline
from dondoc.errors import InputError, InputErrors
from dondoc.facts.importer import parse_target
from dondoc.facts.planfolder import read_plan_folder
from tests.hostile.conftest import RAN, budget

HERE = Path(__file__).resolve().parent
BASE = HERE / "base"
CORPUS = HERE / "corpus"
EXAMPLES = HERE.parent.parent / "examples"
FILES = ("plan.yaml", "progress.csv", "measurements.csv", "procedures.csv", "deadlines.csv")


def _seeds(name: str) -> list[bytes]:
    found = [BASE / name, *sorted(EXAMPLES.glob(f"*/{name}"))]
    # The alias bomb stays out: it is tested in a subprocess with a memory limit.
    found += [p for p in sorted(CORPUS.glob(f"*.{name}")) if not p.name.startswith("billion")]
    return [p.read_bytes() for p in found if p.exists()]


SEEDS = {name: _seeds(name) for name in FILES}

# What breaks readers: YAML's features, CSV's quoting, numbers and dates at their edges, bytes
# that are not UTF-8, Vietnamese in NFD, Excel's habits.
TOKENS = [
    b"&a ", b"*a", b"!!python/object/apply:os.system ", b"!x ", b"!!binary ", b"!!set ", b"<<: ", b"? ",
    b".nan", b".inf", b"-.inf", b"nan", b"inf", b"1e999", b"-1", b"150", b"0", b"46331", b"~", b"null", b"yes",
    b"[", b"]", b"{", b"}", b": ", b"- ", b"|", b">", b"#", b"---\n", b"...\n", b"%YAML 1.1\n", b"\t", b"\x00",
    b"'", b'"', b"\n", b"\r\n", b"\r", b";", b",", b"\xff", b"\xc3", b"\xe9", b"\xef\xbb\xbf", b"\xe2\x80\xa8",
    b"9" * 5000, b"x" * 200_000, b"31/02/2026", b"2026-02-30", b"05/11/2026", b"1.234,5", b"91,2", b"sep=;\n",
    "Ðiều".encode(), "Việt".encode(), "Vie\u0323\u0302t".encode(), b"\x07", b"\\", b"%", b"@", b"`",
]


@st.composite
def mutated(draw, seeds: list[bytes]) -> bytes:
    data = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 5))):
        op = draw(st.sampled_from(["insert", "delete", "replace", "line-dup", "line-drop", "line-swap", "bytes", "cut"]))
        at = draw(st.integers(0, len(data)))
        if op == "insert":
            data = data[:at] + draw(st.sampled_from(TOKENS)) + data[at:]
        elif op == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 20)) :]
        elif op == "replace":
            data = data[:at] + draw(st.sampled_from(TOKENS)) + data[at + draw(st.integers(1, 10)) :]
        elif op == "bytes":
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
        elif op == "cut":
            data = data[:at]
        else:
            lines = data.split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            if op == "line-dup":
                lines.insert(i, lines[i])
            elif op == "line-drop":
                del lines[i]
            else:
                j = draw(st.integers(0, len(lines) - 1))
                lines[i], lines[j] = lines[j], lines[i]
            data = b"\n".join(lines)
    return data


# Any value YAML can say, to put where a plan expects another.
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["2026-02-30", "05/11/2026", "46331", "nan", "-inf", "91,2", "150", "-1", "Phòng Kinh tễ", "Quý V/2026", ""]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)


@st.composite
def structured_plan(draw) -> bytes:
    """The base plan with values of any type at any depth: valid YAML, hostile content."""
    doc = yaml.safe_load((BASE / "plan.yaml").read_text(encoding="utf-8"))
    for _ in range(draw(st.integers(1, 4))):
        section = draw(st.sampled_from(["plan", "units", "tasks", "targets", "extra"]))
        if section == "extra":
            doc[draw(st.text(max_size=10))] = draw(VALUES)
            continue
        holder = doc[section]
        if isinstance(holder, list):
            holder = holder[draw(st.integers(0, len(holder) - 1))]
        if not isinstance(holder, dict):
            continue
        key = draw(st.sampled_from([*holder, "due", "lead", "value", "numerator", "year", "issued", "period_start", "weight"]))
        holder[key] = draw(VALUES)
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode("utf-8")


CELLS = st.one_of(
    st.sampled_from(["1", "2", "CT01", "CT02", "99", "hoàn thành", "Đang thực hiện", "xong", "2026-06-30", "30/06/2026",
                     "46203", "0", "nan", "inf", "-5", "150", "1200", "1.234", "91,2", "2026-10", "2026-Q3", "", " "]),
    st.text(max_size=12),
)


@st.composite
def structured_csv(draw, name: str) -> bytes:
    header = {
        "progress.csv": ["task", "period", "status", "done_on", "reported_on", "evidence"],
        "measurements.csv": ["target", "period", "value", "numerator", "denominator", "measured_on", "source"],
        "procedures.csv": ["code", "name", "lead", "baseline_year", "baseline_days", "current_days", "measured_on"],
        "deadlines.csv": ["task", "due", "source"],
    }[name]
    columns = draw(st.lists(st.sampled_from([*header, "colour", ""]), min_size=1, max_size=len(header) + 1))
    sep = draw(st.sampled_from([",", ";", "\t"]))
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=len(columns) + 1), max_size=4))
    quote = lambda c: f'"{c}"' if sep in c or '"' in c or "\n" in c else c  # noqa: E731
    text = "\n".join(sep.join(quote(c) for c in row) for row in [columns, *rows]) + "\n"
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + text.encode("utf-8")


@st.composite
def plan_folders(draw) -> dict[str, bytes | str]:
    """What to put in a plan folder: file name -> bytes, or a kind of non-file."""
    files: dict[str, bytes | str] = {name: (BASE / name).read_bytes() for name in ("plan.yaml", "progress.csv", "measurements.csv")}
    for _ in range(draw(st.integers(1, 2))):
        name = draw(st.sampled_from(FILES))
        how = draw(st.sampled_from(["mutate", "mutate", "mutate", "structured", "non-file"]))
        if how == "non-file":
            files[name] = draw(st.sampled_from(["folder", "fifo", "broken link", "absent"]))
        elif how == "structured":
            files[name] = draw(structured_plan()) if name == "plan.yaml" else draw(structured_csv(name))
        else:
            files[name] = draw(mutated(SEEDS[name] or [b"task,due\n"]))
    return files


def build(root: Path, files: dict[str, bytes | str]) -> Path:
    folder = root / "plan"
    folder.mkdir()
    for name, content in files.items():
        path = folder / name
        if content == "folder":
            path.mkdir()
        elif content == "fifo":
            os.mkfifo(path)
        elif content == "broken link":
            path.symlink_to(folder / "nowhere")
        elif content != "absent":
            path.write_bytes(content)
    return folder


def assert_named(exc: InputError | InputErrors, root: Path) -> list[InputError]:
    """Every error names a file under ``root``, and a line in it when it is a regular file."""
    errors = exc.errors if isinstance(exc, InputErrors) else [exc]
    assert errors
    for error in errors:
        assert error.path and error.path.startswith(str(root)), error.render()
        path = Path(error.path)
        regular = not path.is_symlink() and path.is_file() and path.stat().st_size > 0
        if regular and not stat.S_ISFIFO(path.stat().st_mode):
            assert error.line is not None and error.line >= 1, error.render()
        assert error.message.strip(), error.render()
        error.render().encode("utf-8")
    return errors


def read_or_refuse(folder: Path) -> None:
    try:
        read_plan_folder(folder)
    except (InputError, InputErrors) as exc:
        assert_named(exc, folder)


@budget(1200)
@given(plan_folders())
def test_fuzzed_plan_folders_are_read_or_refused_with_file_and_line(files):
    RAN["plan folders"] += 1
    with tempfile.TemporaryDirectory() as tmp:
        read_or_refuse(build(Path(tmp), files))


@budget(400)
@given(structured_plan())
def test_plans_with_values_of_any_type_are_read_or_refused_with_file_and_line(plan):
    RAN["plan.yaml values"] += 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = build(Path(tmp), {"plan.yaml": plan})
        try:
            read = read_plan_folder(folder)
        except (InputError, InputErrors) as exc:
            assert_named(exc, folder)
            return
        for target in read.targets:  # what is accepted is finite
            assert math.isfinite(target.value)


RULE_SEEDS = [p.read_bytes() for p in sorted(DEFAULT_RULES_DIR.glob("*.yaml"))]


@budget(250)
@given(st.sampled_from(range(len(RULE_SEEDS))), mutated(RULE_SEEDS))
def test_fuzzed_rule_files_are_loaded_or_refused_with_file_and_line(index, data):
    RAN["rule files"] += 1
    with tempfile.TemporaryDirectory() as tmp:
        rules = Path(tmp) / "rules"
        shutil.copytree(DEFAULT_RULES_DIR, rules, ignore=shutil.ignore_patterns("__*"))
        target = sorted(rules.glob("*.yaml"))[index]
        target.write_bytes(data)
        try:
            load_rules(rules)
        except (InputError, InputErrors) as exc:
            assert_named(exc, rules)


WORDS = ["Quý", "quý", "I", "II", "III", "IV", "V", "Tháng", "tháng", "năm", "Năm", "ngày", "Trước", "trước", "Chậm nhất",
         "hằng", "Hằng", "định kỳ", "Thường xuyên", "cuối", "đầu", "6 tháng", "giai đoạn", "Giai đoạn", "từ", "đến", "Theo",
         "lộ trình", "của", "Nghị quyết", "/", "-", ",", ".", " ", "2025", "2026", "2030", "20", "31", "0", "13", "99999",
         "29/02/2026", "09/9/2026", "20.7.2020", "Quí", "IV-2025", "\u0301", "\n"]


@budget(3000)
@given(st.one_of(st.text(max_size=60), st.lists(st.sampled_from(WORDS), max_size=10).map(" ".join)), st.integers(2000, 2100))
def test_deadline_phrases_never_raise_and_keep_the_phrase(phrase, year):
    RAN["deadline phrases"] += 1
    deadline = parse_deadline(phrase, year)
    assert deadline.phrase == phrase
    assert isinstance(deadline.kind, DeadlineKind)
    if deadline.kind == DeadlineKind.UNPARSED:
        assert deadline.reason


TARGET_WORDS = ["Tỷ lệ", "tỷ lệ", "đạt", "trên", "dưới", "tối thiểu", "ít nhất", "không quá", "từ", "trở lên", "%", "100%", "95%",
                "60 - 70%", "8,25", "điểm", "giảm", "tăng", "so với", "năm", "2024", "năm trước", "hồ sơ", "trực tuyến", "tin bài/tháng",
                "0", "-5", "1e999", "nan", ",", ".", "chiếm", "GRDP", "\n", " "]


@budget(2000)
@given(st.one_of(st.text(max_size=80), st.lists(st.sampled_from(TARGET_WORDS), max_size=12).map(" ".join)), st.integers(2000, 2100))
def test_target_sentences_never_raise(sentence, year):
    RAN["target sentences"] += 1
    reading = parse_target(sentence, year)
    assert reading.kind in ("target", "unparsed")
    if reading.kind == "target":
        assert reading.value is not None and math.isfinite(reading.value)
    else:
        assert reading.reason


# -- the command line ---------------------------------------------------------------------------------

_LAST_NIGHT: dict[str, dict[str, bytes]] = {}


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@budget(80)
@given(plan_folders())
def test_the_cli_on_fuzzed_folders_exits_cleanly_and_writes_nothing_on_bad_input(files):
    RAN["dondoc check"] += 1
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        out = root / "out"
        good = runner.invoke(main, ["check", str(BASE), "--as-of", "2026-11-22", "--out", str(out)])
        assert good.exit_code == 0, good.output
        before = _tree(out)
        folder = build(root, files)
        result = runner.invoke(main, ["check", str(folder), "--as-of", "2026-11-22", "--out", str(out)])
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code in (0, 1, 2, 3), result.output
        if result.exit_code == 2:
            assert _tree(out) == before
            assert "lỗi: " + str(folder) in result.output, result.output


# -- every command: exit statuses that mean one thing ---------------------------------------------------
# 0 done, 1 findings reach --fail-on (and only that), 2 bad input or a bound, 3 rules stopped, 4 output or
# store unreachable, 130 interrupted; 70 is a fault of dondoc's own and must never come from any input.
# Each command is run with arguments drawn from hostile pools: fuzzed plan folders and rule files, paths
# that are folders, FIFOs, links, the disk's root or absent, dates dondoc cannot use, any text.

# Commands that may end with 1, and when: findings reach --fail-on; a conflict of two values
# (intake read); a scenario that does not hold (rules test).
FINDINGS_MAY_EXIT_1 = {("check",), ("intake", "read"), ("rules", "test")}

DATES = st.one_of(st.just("2026-11-22"), st.sampled_from(["2026-02-30", "9999-12-31", "0001-01-01", "2100-12-31", "2000-01-01", "x", ""]))
YEARS = st.sampled_from(["2026", "1999", "2101", "-1", "x", "99999999999999999999"])
TEXT = st.one_of(st.text(max_size=40), st.sampled_from(WORDS), st.sampled_from(TARGET_WORDS))


@st.composite
def command_lines(draw, root: Path) -> list[str]:
    """One command line of dondoc, with hostile arguments under ``root``."""
    special = root / "special"
    paths = st.sampled_from([
        str(root / "plan"), str(special / "base"), str(root / "absent"), str(special / "fifo"), str(special / "folder"),
        str(special / "broken"), str(special / "noise.bin"), str(special / "rules"), "/", "-x",
        str(special / "noise.xlsx"), str(special / "fake.docx"), str(special / "fake.pdf"), str(special / "empty.txt"),
    ])
    plan = draw(st.one_of(st.sampled_from([str(root / "plan"), str(special / "base")]), paths))
    path = draw(paths)
    rules = draw(st.sampled_from([[], ["--rules", str(special / "rules")], ["--rules", draw(paths)]]))
    out = draw(st.sampled_from([[], ["--out", str(root / "out")], ["--out", draw(paths)]]))
    which = draw(st.sampled_from([
        "check", "check", "parse deadline", "parse target", "import", "intake template", "intake read",
        "register export", "rules check", "rules list", "rules explain", "rules test", "rules catalogue",
        "rules schema", "rules fields", "version",
    ]))
    if which == "check":
        fail_on = draw(st.sampled_from([[], ["--fail-on", "nhắc nhở"], ["--fail-on", "cảnh báo"]]))
        return ["check", plan, "--as-of", draw(DATES), *rules, *out, "--format", "html", *fail_on,
                *draw(st.sampled_from([[], ["--json"], ["--no-summary"], ["--workers", "1"]]))]
    if which == "parse deadline":
        return ["parse", "deadline", draw(TEXT), "--year", draw(YEARS), *draw(st.sampled_from([[], ["--json"]]))]
    if which == "parse target":
        return ["parse", "target", draw(TEXT), "--year", draw(YEARS)]
    if which == "import":
        return ["import", "--json", "--", path] if draw(st.booleans()) else ["import", path, "--out", str(root / "imported")]
    if which == "intake template":
        return ["intake", "template", plan, "--out", draw(st.sampled_from([str(root / "books"), path]))]
    if which == "intake read":
        return ["intake", "read", path, "--plan", plan]
    if which == "register export":
        return ["register", "export", "--register", path, "--out", str(root / "so.xlsx")]
    if which == "rules check":
        return ["rules", "check", *draw(st.sampled_from([[], [str(special / "rules")], [path]]))]
    if which == "rules list":
        return ["rules", "list", *rules, *draw(st.sampled_from([[], ["--coverage", plan, "--as-of", draw(DATES)]]))]
    if which == "rules explain":
        rule = draw(st.sampled_from(["nhiem-vu-qua-han", "chi-tieu-toi-thieu", "khong-co", "", "-x"]))
        return ["rules", "explain", "--as-of", draw(DATES), *rules, "--", rule, plan]
    if which == "rules test":
        return ["rules", "test", *rules, *draw(st.sampled_from([[], [path]]))]
    if which == "version":
        return ["--version"]
    return which.split() + (rules if which == "rules catalogue" else [])


def hostile_ground(root: Path, plan: dict[str, bytes | str], rule_file: bytes) -> None:
    """The paths the command lines name: a fuzzed plan folder, a fuzzed rules folder, and files of
    the wrong kind."""
    build(root, plan)
    special = root / "special"
    special.mkdir()
    os.mkfifo(special / "fifo")
    (special / "folder").mkdir()
    (special / "broken").symlink_to(special / "nowhere")
    (special / "noise.bin").write_bytes(bytes(range(256)) * 4)
    (special / "noise.xlsx").write_bytes(b"PK\x03\x04" + bytes(range(256)))
    (special / "fake.docx").write_bytes(b"PK\x03\x04not a zip")
    (special / "fake.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\n")
    (special / "empty.txt").write_bytes(b"")
    (special / "rules").mkdir()
    (special / "rules" / "r.yaml").write_bytes(rule_file)
    shutil.copytree(BASE, special / "base")  # a plan that reads (commands may write into it)


@budget(60)
@given(plan_folders(), st.one_of(st.sampled_from(RULE_SEEDS), mutated(RULE_SEEDS)), st.data())
def test_every_command_exits_with_a_status_that_means_one_thing(plan, rule_file, data):
    RAN["commands"] += 1
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        hostile_ground(root, plan, rule_file)
        args = data.draw(command_lines(root), label="command line")
        result = runner.invoke(main, args)
        said = result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
        assert "Traceback" not in said and "lỗi nội bộ" not in said, (args, said[-2000:])
        assert result.exit_code in (0, 1, 2, 3, 4), (args, result.exit_code, said[-2000:])
        if result.exit_code == 1:
            command = tuple(a for a in args[:2] if not a.startswith("-"))
            assert command[:2] in FINDINGS_MAY_EXIT_1 or command[:1] in FINDINGS_MAY_EXIT_1, (args, said[-2000:])
            if command[:1] == ("check",):
                assert "--fail-on" in args, (args, said[-2000:])
            elif command == ("intake", "read"):
                assert "xung đột" in said, (args, said[-2000:])
            else:
                assert re.search(r", [1-9]\d* không đạt", said), (args, said[-2000:])
