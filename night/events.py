"""What a night tells its operator while it runs: phases, plans, errors.

    with open_log(Path("dem.jsonl")) as log:
        check(plan_dirs, options, events=Events.of(progress=sys.stderr.isatty(), log=log))

- ``Progress``: a bar on the terminal (click's), one step per plan; never under cron (the
  command shows it only when stderr is a terminal and --quiet is not given).
- ``JsonLog``: JSON lines (--log-json FILE, appended): one event per phase with its duration,
  one per plan (its identity, findings, seconds in its worker), one per error. Each line is a
  JSON object with ``time`` (UTC, ISO 8601) and ``event``.

Events say what happened; they decide nothing and never change what the night writes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from pathlib import Path
from typing import IO, Any, ContextManager

from dondoc.errors import OutputError


def open_log(path: Path | None) -> ContextManager[IO[str] | None]:
    """The operator's JSON-lines log (--log-json), appended (a log is never rewritten), or none."""
    if path is None:
        return contextlib.nullcontext(None)
    try:
        return open(path, "a", encoding="utf-8")
    except OSError as exc:
        raise OutputError(path, f"không mở được tệp nhật ký: {exc.strerror}", "chọn tệp khác cho --log-json") from None


class Events:
    """The night's observer: does nothing (a night of its own, the specs)."""

    def phase(self, name: str, **fields: Any) -> None:
        pass

    def plan(self, outcome: Any) -> None:
        pass

    def error(self, message: str, **fields: Any) -> None:
        pass

    def close(self) -> None:
        pass

    @staticmethod
    def of(progress: bool = False, log: IO[str] | None = None) -> "Events":
        chosen: list[Events] = []
        if progress:
            chosen.append(Progress())
        if log is not None:
            chosen.append(JsonLog(log))
        return chosen[0] if len(chosen) == 1 else Fanout(chosen)


class Fanout(Events):
    def __init__(self, observers: list[Events]) -> None:
        self.observers = observers

    def phase(self, name: str, **fields: Any) -> None:
        for o in self.observers:
            o.phase(name, **fields)

    def plan(self, outcome: Any) -> None:
        for o in self.observers:
            o.plan(outcome)

    def error(self, message: str, **fields: Any) -> None:
        for o in self.observers:
            o.error(message, **fields)

    def close(self) -> None:
        for o in self.observers:
            o.close()


class JsonLog(Events):
    """One JSON object per line, flushed as it is written: a killed night still leaves its log."""

    def __init__(self, fh: IO[str]) -> None:
        self.fh = fh
        self.started = time.monotonic()

    def _write(self, event: str, fields: dict[str, Any]) -> None:
        line = {"time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds"), "event": event, **fields}
        self.fh.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
        self.fh.flush()

    def phase(self, name: str, **fields: Any) -> None:
        self._write("phase", {"phase": name, "elapsed_s": round(time.monotonic() - self.started, 3), **fields})

    def plan(self, outcome: Any) -> None:
        extra = outcome.extra
        self._write(
            "plan",
            {
                "plan": outcome.job.given,
                "identity": getattr(extra, "identity", None),
                "findings": outcome.count,
                "letters": len(getattr(extra, "letters", []) or []),
                "seconds": round(outcome.seconds, 4),
                "worker": outcome.worker,
            },
        )

    def error(self, message: str, **fields: Any) -> None:
        self._write("error", {"message": message, **fields})


class Progress(Events):
    """A bar on the terminal (stderr), one step per plan; the phases as its label."""

    def __init__(self) -> None:
        self.bar: Any = None

    def phase(self, name: str, **fields: Any) -> None:
        import click

        if name == "checking" and self.bar is None:
            self.bar = click.progressbar(length=fields.get("plans", 0), label="Đang kiểm tra", file=click.get_text_stream("stderr"), show_pos=True, show_eta=True, width=30)
            self.bar.__enter__()
        elif name == "second pass" and self.bar is not None:
            self.bar.label = "Chạy lại (có quy tắc dừng)"
            self.bar.pos = 0
        elif name == "landing" and self.bar is not None:
            self.close()

    def plan(self, outcome: Any) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
