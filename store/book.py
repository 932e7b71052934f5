"""The register of outgoing documents (sổ đăng ký văn bản đi): numbers, lines, voids, starts.

Nghị định 30/2020/NĐ-CP, Điều 15: a document is numbered after it is signed, in one sequence
per issuer for the calendar year, from 01 on 1 January; a number is never given twice, and a
number left unused is noted as such in the register, never handed out again.

- A number is drawn in the transaction that records it, with the issuer's counter row for the
  year locked (``next_number``): two signers at once never draw the same number, on SQLite
  (the write lock is taken at BEGIN) or on PostgreSQL (the row is locked FOR UPDATE). The
  unique constraint (issuer, year, number) is the last guard.
- The next number follows every number the register holds for the issuer and year: the lines
  dondoc gave, the office's own lines (imported) and the office's start
  (``register start``), whichever is highest.
- A line, once issued, is never changed or deleted (triggers in the database refuse it): a void
  is a new row beside it (``register_amendments``), shown in the export with its reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

import sqlalchemy as sa

from dondoc.errors import InputError, InputErrors
from dondoc.store import schema as S
from dondoc.store.records import GONE_OUT, REPLIED, Line
from dondoc.text import one_line

ISSUED = "issued"
SIGNED_ORIGIN, OFFICE_ORIGIN = "signed", "office"
VOID = "void"


def issuer_key(issuer: str) -> str:
    """One spelling per issuer: NFC, single spaces ("UBND xã  Gia Lộc" is "UBND xã Gia Lộc")."""
    text = one_line(issuer)
    if not text:
        raise InputError(None, "thiếu tên cơ quan ban hành (issuer)", hint="ví dụ --issuer 'UBND xã Gia Lộc'")
    return text


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def lock_counter(conn: sa.Connection, issuer: str, year: int) -> int:
    """Lock the issuer's counter for the year, creating it; returns the last number it gave."""
    query = sa.select(S.counters.c.last).where(S.counters.c.issuer == issuer, S.counters.c.year == year).with_for_update()
    last = conn.execute(query).scalar()
    if last is not None:
        return last
    try:
        with conn.begin_nested():
            conn.execute(S.counters.insert().values(issuer=issuer, year=year, last=0))
    except sa.exc.IntegrityError:
        pass  # PostgreSQL: another transaction created it first; the lock below waits for it
    return conn.execute(query).scalar_one()


def highest(conn: sa.Connection, issuer: str, year: int) -> int:
    """The highest number the register holds for the issuer and year (0: none)."""
    return conn.execute(
        sa.select(sa.func.max(S.entries.c.number)).where(S.entries.c.issuer == issuer, S.entries.c.year == year)
    ).scalar() or 0


def next_number(conn: sa.Connection, issuer: str, year: int) -> int:
    """The next number of the issuer and year; the caller's transaction holds the counter's lock
    until it commits the line it gives the number to (``set_counter``)."""
    return max(lock_counter(conn, issuer, year), highest(conn, issuer, year)) + 1


def opened(conn: sa.Connection, issuer: str, year: int) -> bool:
    """Whether the office has told the store where its register stands for the issuer and year:
    a start (``register start --next``), an imported register, or lines already given that year.
    Letters of other kinds take numbers of the same sequence outside dondoc, so a year dondoc was
    never told of has no number dondoc may give (Nghị định 30: never a sequence of its own from 01)."""
    started = conn.execute(
        sa.select(sa.func.count()).select_from(S.starts).where(S.starts.c.issuer == issuer, S.starts.c.year == year)
    ).scalar()
    return bool(started) or highest(conn, issuer, year) > 0


def set_counter(conn: sa.Connection, issuer: str, year: int, last: int) -> None:
    conn.execute(S.counters.update().where(S.counters.c.issuer == issuer, S.counters.c.year == year).values(last=last))


def add_line(conn: sa.Connection, *, issuer: str, year: int, number: int, key: str, origin: str, **details) -> int:
    """Insert one issued line; returns its id. The line is never changed afterwards."""
    values = {
        "symbol": "", "subject": "", "recipient": "", "file": "", "signer": "", "archive": "", "out": "", "note": "",
        **{k: v for k, v in details.items() if v is not None},
    }
    stamp = now()
    return conn.execute(
        S.entries.insert()
        .values(issuer=issuer, year=year, number=number, key=key, state=ISSUED, origin=origin,
                reserved_at=stamp, issued_at=stamp, **values)
        .returning(S.entries.c.id)
    ).scalar_one()


# -- start ------------------------------------------------------------------------------------------------


def start(conn: sa.Connection, issuer: str, year: int, next_number_: int) -> int:
    """The office's own next number: the next letter signed for the issuer and year takes it.
    Refused when it would give again a number the register holds. Returns the counter's old value."""
    issuer = issuer_key(issuer)
    if next_number_ < 1:
        raise InputError(None, f"số tiếp theo phải từ 1 trở lên (đã ghi {next_number_})")
    last = lock_counter(conn, issuer, year)
    top = highest(conn, issuer, year)
    if next_number_ <= top:
        raise InputError(
            None,
            f"sổ của {issuer} năm {year} đã có số {top:02d}: bắt đầu từ {next_number_:02d} sẽ cấp lại số đã dùng",
            hint=f"số tiếp theo phải từ {top + 1:02d} trở lên",
        )
    set_counter(conn, issuer, year, next_number_ - 1)
    conn.execute(S.starts.insert().values(issuer=issuer, year=year, next_number=next_number_, recorded_at=now()))
    return last


# -- the office's own lines ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficeLine:
    """A line of the office's own register, as read from its workbook."""

    number: int
    year: int
    where: str  # "sheet '2026', dòng 14": for the messages
    date: dt.date | None = None
    symbol: str = ""
    subject: str = ""
    signer: str = ""
    recipient: str = ""
    archive: str = ""
    copies: int | None = None
    note: str = ""

    def details(self) -> dict:
        return {k: getattr(self, k) for k in ("date", "symbol", "subject", "signer", "recipient", "archive", "copies", "note")}


def import_lines(conn: sa.Connection, issuer: str, lines: Iterable[OfficeLine], source: str) -> tuple[int, int]:
    """Record the office's lines: their numbers are never given by dondoc, and the next number
    follows them. A number already in the register with the same line is skipped (an import
    run twice adds nothing); with another line, every such conflict is refused, nothing
    recorded. Returns (added, already there)."""
    issuer = issuer_key(issuer)
    lines = list(lines)
    errors: list[InputError] = []
    added, same = [], 0
    for year in sorted({line.year for line in lines}):
        lock_counter(conn, issuer, year)
        held = {
            row.number: row
            for row in conn.execute(sa.select(S.entries).where(S.entries.c.issuer == issuer, S.entries.c.year == year))
        }
        for line in (line for line in lines if line.year == year):
            row = held.get(line.number)
            if row is None:
                added.append(line)
            elif _same(row, line):
                same += 1
            else:
                what = f"công văn #{row.letter_id}" if row.letter_id else ("dòng khác của sổ văn phòng" if row.origin == OFFICE_ORIGIN else "một công văn dondoc đã cấp số")
                errors.append(InputError(
                    source, f"số {line.number:02d}/{year} của {issuer} đã có trong sổ ({what}) với nội dung khác",
                    where=line.where, hint="một số chỉ cấp một lần: sửa dòng trong tệp, hoặc bỏ dòng đó",
                ))
    if errors:
        raise InputErrors(errors)
    for line in added:
        add_line(conn, issuer=issuer, year=line.year, number=line.number, key=f"office:{line.number}",
                 origin=OFFICE_ORIGIN, **line.details())
    for year in sorted({line.year for line in added}):
        set_counter(conn, issuer, year, max(lock_counter(conn, issuer, year), highest(conn, issuer, year)))
    return len(added), same


def _same(row, line: OfficeLine) -> bool:
    """The line the register holds, as the book gives it (a book dondoc exported: its Ghi chú is
    dondoc's own notes, not compared for dondoc's lines)."""
    for name, value in line.details().items():
        if name == "note" and row.origin != OFFICE_ORIGIN:
            continue
        held = getattr(row, name)
        if name in ("date", "copies") and held != value or name not in ("date", "copies") and (held or "") != (value or ""):
            return False
    return True


# -- voids ----------------------------------------------------------------------------------------------------


def find_line(conn: sa.Connection, issuer: str, year: int, number: int):
    row = conn.execute(
        sa.select(S.entries).where(S.entries.c.issuer == issuer_key(issuer), S.entries.c.year == year, S.entries.c.number == number)
    ).first()
    if row is None:
        raise InputError(None, f"sổ của {issuer_key(issuer)} năm {year} không có số {number:02d}",
                         hint="xem các số đã cấp: dondoc register export, dondoc letters list")
    return row


def void_line(conn: sa.Connection, entry, reason: str, on: dt.date, letter_state: str | None) -> None:
    """Record that the line's number is void: a new row, never a change to the line."""
    reason = one_line(reason)
    name = f"số {entry.number:02d}/{entry.year} của {entry.issuer}"
    if not reason:
        raise InputError(None, f"hủy {name}: cần lý do (--reason)")
    if entry.state != ISSUED:
        raise InputError(None, f"{name} chưa được cấp (trạng thái {entry.state}): không có gì để hủy")
    if voided(conn, entry.id) is not None:
        raise InputError(None, f"{name} đã hủy trước đó")
    if letter_state is not None and letter_state not in GONE_OUT:
        raise InputError(None, f"{name}: công văn #{entry.letter_id} {letter_state}, không hủy được")
    if letter_state == REPLIED:
        raise InputError(None, f"{name}: công văn #{entry.letter_id} đã được trả lời, không hủy được",
                         hint="văn bản đã có trả lời thì giữ trong sổ; ban hành văn bản mới nếu cần đính chính")
    if entry.date is not None and on < entry.date:
        raise InputError(None, f"ngày hủy {on:%d/%m/%Y} trước ngày văn bản {entry.date:%d/%m/%Y}")
    conn.execute(S.amendments.insert().values(entry_id=entry.id, kind=VOID, reason=reason, on=on, recorded_at=now()))


def voided(conn: sa.Connection, entry_id: int):
    return conn.execute(
        sa.select(S.amendments.c.on, S.amendments.c.reason).where(S.amendments.c.entry_id == entry_id, S.amendments.c.kind == VOID)
    ).first()


# -- reading ----------------------------------------------------------------------------------------------------


def lines(conn: sa.Connection, year: int | None = None, issuer: str | None = None) -> list[Line]:
    """The register's lines by issuer, year and number, each with its void and its letter's life."""
    e, a, letters = S.entries, S.amendments.alias("a"), S.letters
    query = (
        sa.select(e, a.c.on.label("voided_on"), a.c.reason.label("void_reason"), letters.c.sent_on, letters.c.replied_on)
        .select_from(e.outerjoin(a, sa.and_(a.c.entry_id == e.c.id, a.c.kind == VOID)).outerjoin(letters, letters.c.id == e.c.letter_id))
        .order_by(e.c.issuer, e.c.year, e.c.number)
    )
    if year is not None:
        query = query.where(e.c.year == year)
    if issuer is not None:
        query = query.where(e.c.issuer == issuer_key(issuer))
    return [
        Line(
            issuer=r.issuer, year=r.year, number=r.number, state=r.state, origin=r.origin, date=r.date, symbol=r.symbol,
            subject=r.subject, signer=r.signer, recipient=r.recipient, archive=r.archive, copies=r.copies, pages=r.pages,
            reply_by=r.reply_by, file=r.file, note=r.note or "", letter_id=r.letter_id, sent_on=r.sent_on,
            replied_on=r.replied_on, voided_on=r.voided_on, void_reason=r.void_reason,
        )
        for r in conn.execute(query)
    ]


def issuers(conn: sa.Connection) -> list[str]:
    """Every issuer the store knows (its counters, its letters)."""
    names = {r[0] for r in conn.execute(sa.select(S.counters.c.issuer).distinct())}
    names |= {issuer_key(r[0]) for r in conn.execute(sa.select(S.letters.c.issuer).distinct())}
    return sorted(names)

