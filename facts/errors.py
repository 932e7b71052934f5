"""One error type for every bad input, so the CLI can report it the same way."""

from __future__ import annotations

import os
from pathlib import Path


def printable(path: str | Path) -> str:
    """A path as text that can always be printed and written as UTF-8.

    A file name that is not UTF-8 arrives with surrogate escapes; its odd bytes are
    shown as \\xNN instead of crashing the message (or findings.json) that names it.
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


class InputError(Exception):
    """Bad input: names the file, the place in it and what is wrong.

    ``where`` is a line (and column) for text files, or a sheet and cell for
    spreadsheets; ``hint`` says what to write instead, when we know.
    """

    exit_code = 2

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


class InputErrors(Exception):
    """Several input errors found in one pass (all are reported, not just the first)."""

    exit_code = 2

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        super().__init__("\n".join(e.render() for e in errors))


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
