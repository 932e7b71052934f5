"""The walkthrough in docs/rules.md (section 8), run exactly as written.

Each ```sh block's `$ ` lines are run, in order, with the installed `dondoc` command, in an
empty folder outside the checkout; the lines shown under a command must appear in what it
prints, and `(mã thoát N)` is its exit status (0 if not shown). Each file block
(```yaml quy-tac-xa/hai-long.yaml) is written where it says, as a person would save it; a block
for a file that exists adds the lines marked `# thêm dòng này` under the block's first line.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "rules.md"
DOCUMENT = ROOT / "tests" / "importer" / "seeds" / "000_224dbfae265b9690.txt"  # the plan of xã Gia Lộc
DONDOC = Path(sys.executable).with_name("dondoc")
ADD = "# thêm dòng này"


def _blocks() -> list[tuple[str, str, str]]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("<!-- walkthrough:begin -->", 1)[1].split("<!-- walkthrough:end -->", 1)[0]
    return [(m.group(1), m.group(2) or "", m.group(3)) for m in re.finditer(r"```(\w+)(?: (\S+))?\n(.*?)\n```", section, re.S)]


def _commands(block: str) -> list[tuple[str, list[str], int]]:
    """(command, lines it must print, exit status) for each `$ ` line of a shell block."""
    commands: list[tuple[str, list[str], int]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], [], 0))
        elif (status := re.fullmatch(r"\(mã thoát (\d+)\)", line.strip())) is not None:
            command, shown, _ = commands[-1]
            commands[-1] = (command, shown, int(status.group(1)))
        elif line.strip() and line.strip() != "...":
            commands[-1][1].append(line.rstrip())
    return commands


def _save(folder: Path, name: str, body: str) -> None:
    path = folder / name
    if path.exists() and ADD in body:
        anchor, *lines = body.splitlines()
        added = [line.split(ADD)[0].rstrip() for line in lines if ADD in line]
        keys = {a.split(":")[0].strip() for a in added}
        text = path.read_text(encoding="utf-8").splitlines()
        at = text.index(anchor)
        # A line the importer already wrote for this entry is replaced, not repeated.
        end = next((i for i in range(at + 1, len(text)) if text[i].startswith("- ")), len(text))
        kept = [line for line in text[at + 1 : end] if line.split(":")[0].strip() not in keys]
        path.write_text("\n".join(text[: at + 1] + added + kept + text[end:]) + "\n", encoding="utf-8")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body + "\n", encoding="utf-8")


def _counted(line: str, written: int, shipped: int) -> str:
    """The walkthrough's line with the shipped rules counted from the catalogue: the page says
    how many there were when it was written; a rule added to rules/ is one more, nothing else."""
    line = line.replace(f"{written} quy tắc có sẵn", f"{shipped} quy tắc có sẵn")
    # `check`'s count of rules in force: the shipped ones and the page's own.
    return re.sub(r"kế hoạch, (\d+) quy tắc,", lambda m: f"kế hoạch, {int(m[1]) + shipped - written} quy tắc,", line)


def test_every_command_of_the_walkthrough_runs_as_written(tmp_path):
    from dondoc.engine.rulebook import load_rules

    shutil.copy(DOCUMENT, tmp_path / "ke-hoach-97.txt")
    text = DOC.read_text(encoding="utf-8")
    written, shipped = int(re.search(r"Hợp lệ: (\d+) quy tắc có sẵn", text).group(1)), len(load_rules())
    ran = 0
    for language, name, body in _blocks():
        if language != "sh":
            assert name, f"a ```{language} block of the walkthrough needs a file name"
            _save(tmp_path, name, body)
            continue
        for command, shown, status in _commands(body):
            argv = shlex.split(command)
            if argv[0] == "dondoc":
                argv[0] = str(DONDOC)
            done = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=600)
            output = done.stdout + done.stderr
            assert done.returncode == status, (
                f"docs/rules.md, mục 8: lệnh `$ {command}` kết thúc với mã {done.returncode}, trang ghi {status}:\n{output}\n"
                "Nếu một quy tắc mới làm đổi kết quả này, sửa kịch bản hoặc dòng đó trong docs/rules.md cho khớp"
            )
            printed = {line.rstrip() for line in output.splitlines()}
            for line in shown:
                line = _counted(line, written, shipped)
                assert line in printed, (
                    f"docs/rules.md, mục 8: lệnh `$ {command}` không in dòng:\n{line}\nmà in:\n{output}\n"
                    "Nếu một quy tắc mới làm đổi kết quả này, sửa dòng đó trong docs/rules.md cho khớp"
                    " (chạy lại: .venv/bin/python -m pytest tests/test_walkthrough.py)"
                )
            assert "Traceback" not in output
            ran += 1
    assert ran >= 9
    assert (tmp_path / "ket-qua" / "findings.json").is_file()


def test_the_walkthrough_starts_from_an_empty_folder_outside_the_checkout():
    first = _blocks()[0]
    assert first[0] == "sh" and _commands(first[2])[0][0] == "mkdir quy-tac-xa"
