"""The store: one database for the nights' history and the office's letters and register.

    store = Store.open("so-dang-ky.sqlite")        # SQLite by default; "postgresql+psycopg://..." by URL
    with store.night(as_of, version=..., rulebook_hash=..., started=..., settings={plan: hash}) as night:
        past = night.history(plan_keys)           # store/history.py
        night.observe(plan_key, observations, rules_run)
        night.draft(letter)
        night.finish(exit_status, counts)
    store.sign(letter_id, signer, signed_on)       # the number, at signing (store/letters.py, store/book.py)
    store.mark_sent(letter_id, on); store.mark_replied(letter_id, on); store.void(letter_id, reason)
    store.register_start(issuer, year, next_number); store.register_import(book_xlsx)
    store.export(book_xlsx)

The store decides nothing about policy or letters: it records and answers. Every method is
one transaction; errors are DondocErrors (store/db.py says which and with what status).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable, Sequence

from dondoc.errors import InputError
from dondoc.store import book, history, letters, overview
from dondoc.store.db import Database, Timeouts
from dondoc.store.history import FindingStory, Night, PlanNight, Run
from dondoc.store.overview import PlanOverview
from dondoc.store.records import Letter, Line, PlanHistory, Rendered


class Store:
    def __init__(self, db: Database) -> None:
        self.db = db

    @classmethod
    def open(cls, target: str | Path, *, base: Path | None = None, create: bool = True,
             timeouts: Timeouts | None = None) -> "Store":
        """``target``: an SQLite file's path (relative to ``base``) or a database URL.
        ``create=False`` for the commands that only read or change what exists: a store that
        does not exist yet is then an error, never a new empty file."""
        return cls(Database(target, base=base, create=create, timeouts=timeouts))

    @property
    def name(self) -> str:
        return self.db.name

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the night -----------------------------------------------------------------------------------

    def night(self, as_of: dt.date, *, version: str, rulebook_hash: str, started: dt.datetime | None = None,
              settings: dict[str, str] | None = None) -> Night:
        """One night, used as ``with store.night(...) as night``: its lock is taken on entering
        (a second night on this store fails at once, exit 4, naming the first) and dropped on
        leaving; nothing is recorded unless ``night.finish`` is called."""
        return Night(self.db, as_of, version=version, rulebook_hash=rulebook_hash, started=started, settings=settings)

    def history(self, plan_keys: Sequence[str], as_of: dt.date) -> dict[str, PlanHistory]:
        """What a night of ``as_of`` would know of these plans (``Night.history``), without a night."""
        with self.db.read() as conn:
            return history.history(conn, list(plan_keys), as_of)

    # -- letters ------------------------------------------------------------------------------------

    def letter(self, letter_id: int) -> Letter:
        with self.db.read() as conn:
            return letters.get(conn, letter_id)

    def letters(self, state: str | None = None, plan: str | None = None, unit: str | None = None, *,
                issuer: str | None = None, year: int | None = None, since: dt.date | None = None) -> list[Letter]:
        with self.db.read() as conn:
            return letters.select(conn, state=state, plan=plan, unit=unit, issuer=issuer, year=year, since=since)

    def sign(self, letter_id: int, signer: str, signed_on: dt.date, *, reply_by: dt.date | None = None,
             render: Callable[[Letter], Rendered] | None = None) -> Letter:
        """Sign a draft: it takes the next number of its issuer for the year of ``signed_on``, in
        one transaction with the counter locked. ``render``, when given, writes the numbered
        letter inside that transaction (it gets the letter with its number, returns its files
        and pages): if it fails, nothing is signed and the number is not taken."""
        with self.db.write() as conn:
            return letters.sign(conn, letter_id, signer, signed_on, reply_by, render)

    def mark_sent(self, letter_id: int, on: dt.date) -> Letter:
        with self.db.write() as conn:
            return letters.mark_sent(conn, letter_id, on)

    def mark_sent_all(self, letter_ids: list[int] | None, on: dt.date) -> list[Letter]:
        """The letters ``letter_ids`` (None: every signed letter not recorded as sent) recorded as
        sent on ``on``, in one transaction: all of them, or none when one cannot be."""
        with self.db.write() as conn:
            ids = letter_ids if letter_ids is not None else [letter.id for letter in letters.select(conn, state="signed")]
            return [letters.mark_sent(conn, letter_id, on) for letter_id in ids]

    def mark_replied(self, letter_id: int, on: dt.date, note: str = "") -> Letter:
        with self.db.write() as conn:
            return letters.mark_replied(conn, letter_id, on, note)

    def void(self, target: int | tuple[str, int, int], reason: str, on: dt.date | None = None) -> Letter | None:
        """Void a signed letter (its id) or a number of the register ((issuer, year, number)): the
        number is never given again and the export shows it void, with the reason."""
        with self.db.write() as conn:
            return letters.void(conn, target, reason, on or dt.date.today())

    # -- the register ---------------------------------------------------------------------------------

    def register_start(self, issuer: str, year: int, next_number: int) -> int:
        """The office's next number for the issuer and year; returns the last number the
        register had given before."""
        with self.db.write() as conn:
            return book.start(conn, issuer, year, next_number)

    def register_import(self, path: str | Path, issuer: str, year: int | None = None) -> tuple[int, int]:
        """The office's register (.xlsx) as the office's own lines; returns (added, already there)."""
        from dondoc.store import register_xlsx  # here: openpyxl (24 MB) is not a night's, nor its workers' (forked)

        lines = register_xlsx.read_office_book(Path(path), year)
        with self.db.write() as conn:
            return book.import_lines(conn, issuer, lines, str(path))

    def lines(self, year: int | None = None, issuer: str | None = None) -> list[Line]:
        with self.db.read() as conn:
            return book.lines(conn, year, issuer)

    def issuers(self) -> list[str]:
        with self.db.read() as conn:
            return book.issuers(conn)

    def issuer(self, given: str | None) -> str:
        """The issuer a command names, or the store's only one."""
        if given:
            return book.issuer_key(given)
        known = self.issuers()
        if len(known) == 1:
            return known[0]
        raise InputError(
            self.name,
            "kho có nhiều cơ quan ban hành: " + ", ".join(known) if known else "kho chưa có cơ quan ban hành nào",
            hint="ghi --issuer, ví dụ --issuer 'UBND xã Gia Lộc'",
        )

    def export(self, path: str | Path, *, year: int | None = None, issuer: str | None = None) -> tuple[int, Path | None]:
        """The register as a sổ đăng ký văn bản đi (.xlsx); returns (lines, the previous file kept)."""
        from dondoc.store import register_xlsx  # here: see register_import

        return register_xlsx.export(self.lines(year, issuer), path)

    # -- the read side ------------------------------------------------------------------------------------

    def findings(self, keys: Sequence[str] | None = None, *, plan: str | None = None, unit: str | None = None) -> list[FindingStory]:
        with self.db.read() as conn:
            return history.finding_stories(conn, keys, plan=plan, unit=unit)

    def plan_nights(self, plan_key: str) -> list[PlanNight]:
        with self.db.read() as conn:
            return history.plan_nights(conn, plan_key)

    def runs(self, since: dt.date | None = None) -> list[Run]:
        with self.db.read() as conn:
            return history.runs(conn, since)

    def plans(self) -> list[str]:
        with self.db.read() as conn:
            return history.plans(conn)

    def units(self) -> list[str]:
        with self.db.read() as conn:
            return history.units(conn)

    def overview(self, window_days: int = 30) -> list[PlanOverview]:
        """Every plan as of its latest night, in a few bulk reads (store/overview.py): the dashboard's input."""
        with self.db.read() as conn:
            return overview.overview(conn, window_days)
