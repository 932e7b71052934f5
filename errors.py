"""Every error dondoc reports, and the exit status it ends a command with.

One base, ``DondocError``, carries its exit status (as click's ``ClickException`` does); the
command line maps it to a message and a status in one place (cli.py, ``run_command``). The
statuses, documented in the README and in ``dondoc --help``:

    0   done; no finding reaches --fail-on
    1   done; a finding reaches --fail-on (never anything else: a crash is not a finding)
    2   bad input (a plan, rule, settings or template file, a date), a bound exceeded, or a run
        that cannot prove its result: named with file and line; nothing written
    3   done, but some rules could not run (each named): the others' findings are written
    4   the output or the store could not be written or reached (disk, permission, another
        run holding it, a database server that does not answer), or the machine lacks what
        the command needs (a font, a library, a program: ``NotInstalled``, `dondoc doctor`)
    70  an internal error (a fault of dondoc's own): the cause in one line, the trace in a file
    130 interrupted (Ctrl-C, SIGTERM)

This module is at the bottom of the house: it imports nothing of dondoc.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_RULE_ERRORS = 3
EXIT_OUTPUT = 4
EXIT_INTERNAL = 70  # sysexits.h EX_SOFTWARE
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it

EXIT_STATUSES = {
    EXIT_OK: "xong; không phát hiện nào tới mức --fail-on",
    EXIT_FINDINGS: "xong; có phát hiện tới mức --fail-on (không bao giờ vì lý do khác)",
    EXIT_BAD_INPUT: "dữ liệu vào sai, vượt giới hạn, hoặc không chứng minh được kết quả; không ghi gì",
    EXIT_RULE_ERRORS: "xong, nhưng có quy tắc không chạy được (nêu tên); các quy tắc khác vẫn ghi",
    EXIT_OUTPUT: "không ghi hoặc không kết nối được nơi lưu kết quả (đĩa, quyền, khóa, máy chủ); máy thiếu phông chữ, thư viện (dondoc doctor)",
    EXIT_INTERNAL: "lỗi nội bộ của dondoc: xin gửi tệp ghi lỗi cho người quản trị",
    EXIT_INTERRUPTED: "bị ngắt (Ctrl-C, SIGTERM); kết quả cũ giữ nguyên",
}


def printable(path: str | Path) -> str:
    """A path as text that can always be printed and written as UTF-8.

    A file name that is not UTF-8 arrives with surrogate escapes; its odd bytes are
    shown as \\xNN instead of crashing the message (or findings.json) that names it.
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


class DondocError(Exception):
    """An error dondoc reports as one message (``render``) and ends with ``exit_code``."""

    exit_code = EXIT_INTERNAL
    label = "lỗi"  # the word before the message on the terminal

    def render(self) -> str:
        return str(self)

    def messages(self) -> list[str]:
        """One line per problem (several for ``InputErrors``)."""
        return [self.render()]


class InputError(DondocError):
    """Bad input: names the file, the place in it and what is wrong.

    ``where`` is a line (and column) for text files, or a sheet and cell for
    spreadsheets; ``hint`` says what to write instead, when we know.
    """

    exit_code = EXIT_BAD_INPUT

    def __init__(
        self,
        path: str | Path | None,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        where: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.path = printable(path) if path is not None else None
        self.line = line
        self.column = column
        self.where = where
        self.message = message
        self.hint = hint
        super().__init__(self.render())

    def location(self) -> str:
        parts = [self.path or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        text = ":".join(parts)
        if self.where:
            text += f" ({self.where})"
        return text

    def render(self) -> str:
        text = f"{self.location()}: {self.message}"
        if self.hint:
            text += f" -- {self.hint}"
        return text

    def portable(self) -> dict:
        """What crosses a process boundary (a worker's error, sent back to the night)."""
        return {k: getattr(self, k) for k in ("path", "message", "line", "column", "where", "hint")}

    @classmethod
    def from_portable(cls, data: dict) -> "InputError":
        data = dict(data)
        return cls(data.pop("path"), data.pop("message"), **data)


class InputErrors(DondocError):
    """Several input errors found in one pass (all are reported, not just the first)."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        super().__init__("\n".join(e.render() for e in errors))

    def messages(self) -> list[str]:
        return [e.render() for e in self.errors]


class BoundError(InputError):
    """An input larger than a bound allows (pages, cells, nesting, time): exit 2, naming the
    file and the bound, and the setting that raises it."""


class EngineError(DondocError):
    """The engine could not prove a complete, error-free evaluation (durable-rules and the
    reference evaluator disagree, a fact was lost): nothing is written. With ``rule``, the
    fault is one rule's (durable-rules rejected it): the night stops that rule, not the run."""

    exit_code = EXIT_BAD_INPUT
    label = "lỗi bộ máy luật"

    def __init__(self, message: str, rule: str | None = None) -> None:
        self.rule = rule
        super().__init__(f"rule '{rule}': {message}" if rule else message)


class OutputError(DondocError):
    """The output cannot be written: a disk or permission failure, or another run holds it.

    Distinct from bad input (exit 2): the input was fine, the machine was not.
    """

    exit_code = EXIT_OUTPUT
    label = "lỗi ghi"

    def __init__(self, path: str | Path, message: str, hint: str = "") -> None:
        self.path = printable(path)
        self.message = message
        self.hint = hint
        super().__init__(self.render())

    def render(self) -> str:
        return f"{self.path}: {self.message}" + (f" -- {self.hint}" if self.hint else "")


class StoreError(OutputError):
    """The store (history and register) cannot be reached or written: a server that does not
    answer, a file another run holds, a driver that is not installed."""

    label = "lỗi kho dữ liệu"


class NotInstalled(DondocError):
    """Something the command needs is not on this machine: a font, a system library, a
    program, a Python package. Names it, what it is for and how to install it (the Debian
    packages, the pip extra). Exit 4: the input was fine, the machine was not."""

    exit_code = EXIT_OUTPUT
    label = "thiếu trên máy"

    def __init__(self, what: str, needed_for: str, *, apt: tuple[str, ...] | list[str] = (), pip: str = "", hint: str = "") -> None:
        self.what = what
        self.needed_for = needed_for
        self.apt = tuple(apt)
        self.pip = pip
        self.hint = hint
        super().__init__(self.render())

    def __reduce__(self):  # from a worker process to the night's: rebuilt with its parts
        return (_not_installed, (type(self), self.what, self.needed_for, self.apt, self.pip, self.hint))

    def install(self) -> str:
        """How to install it: the apt-get line, the pip line, or both."""
        ways = []
        if self.apt:
            ways.append("apt-get install " + " ".join(self.apt))
        if self.pip:
            ways.append(f"pip install '{self.pip}'")
        return "; ".join(ways)

    def render(self) -> str:
        text = f"{self.what}: chưa có trên máy này, cần cho {self.needed_for}"
        if self.install():
            text += f" -- cài: {self.install()}"
        if self.hint:
            text += f" ({self.hint})"
        return text + "; kiểm tra cả máy: dondoc doctor"


def _not_installed(cls, what, needed_for, apt, pip, hint):
    return cls(what, needed_for, apt=apt, pip=pip, hint=hint)


# Import names that are not their distribution's name (the others are the same, normalised).
IMPORT_NAMES = {
    "docx": "python-docx",
    "yaml": "PyYAML",
    "durable": "durable-rules",
    "rules": "durable-rules",  # durable-rules' C engine
    "pdfminer": "pdfminer.six",
    "gherkin": "gherkin-official",
    "zen": "zen-engine",
    "sqlalchemy": "SQLAlchemy",
}


def missing_package(exc: ImportError) -> NotInstalled | None:
    """A package dondoc depends on, found missing while a command ran, as ``NotInstalled``:
    its name and the pip line (dondoc's extra when it is one; the compiler for durable-rules).
    None for a module dondoc does not depend on: then it is dondoc's own fault (exit 70).
    Here, at the bottom of the house, so that reporting it imports nothing that could be missing."""
    module = (exc.name or "").split(".")[0]
    if not module or module == "dondoc":
        return None
    distribution = IMPORT_NAMES.get(module, module)
    found = requirement(distribution)
    if found is None:
        return None
    extra = re.search(r"extra\s*==\s*['\"]([^'\"]+)['\"]", found)
    if extra:
        return NotInstalled(f"gói Python {distribution} (phần thêm '{extra[1]}' của dondoc)", "lệnh này", pip=f"dondoc[{extra[1]}]")
    import sys

    apt = ("gcc", f"python{sys.version_info[0]}.{sys.version_info[1]}-dev") if distribution == "durable-rules" else ()
    return NotInstalled(f"gói Python {distribution} ({exc})", "lệnh này", apt=apt, pip=pinned(distribution))


def requirement(distribution: str) -> str | None:
    """dondoc's own requirement line for a distribution ('psycopg[binary]==3.3.9; extra == "postgres"')."""
    from importlib.metadata import PackageNotFoundError, requires

    key = _normal(distribution)
    try:
        lines = requires("dondoc") or []
    except PackageNotFoundError:
        return None
    return next((line for line in lines if _normal(re.split(r"[\[=<>;! ]", line, maxsplit=1)[0]) == key), None)


def pinned(distribution: str) -> str:
    """'openpyxl==3.1.5': the distribution at the version dondoc pins (its name alone if none)."""
    found = requirement(distribution)
    return re.sub(r"\[.*?\]", "", found.split(";")[0]).strip() if found else distribution


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


class Interrupted(DondocError):
    """Ctrl-C or SIGTERM: the run stops, the previous output stays."""

    exit_code = EXIT_INTERRUPTED
    label = "dừng"


def collect(errors: list[InputError], make):
    """Run ``make``; on bad input keep its errors in ``errors`` and return None.

    Readers use it to report every problem in a file at once, not just the first.
    """
    try:
        return make()
    except InputErrors as exc:
        errors.extend(exc.errors)
    except InputError as exc:
        errors.append(exc)
    return None
