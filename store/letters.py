"""A letter's life in the store: drafted by a night, then signed, sent, replied; or superseded
by a later draft; or, once signed, voided.

    draft -> signed -> sent -> replied
    draft -> superseded                   (a later night drafted another letter to its unit)
    signed / sent -> voided               (its number stays in the register, void, with the reason)

A letter takes its number when it is signed (``sign``), never before: the next number of its
issuer for the year it is signed in (store/book.py). Each step is one transaction; a step the
letter's state does not allow is bad input (exit 2) naming the letter and its state.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Callable, Sequence

import sqlalchemy as sa

from dondoc.errors import InputError
from dondoc.store import book, bulk
from dondoc.store import schema as S
from dondoc.store.records import (
    DRAFT,
    GONE_OUT,
    REPLIED,
    SENT,
    SIGNED,
    STATE_NAMES,
    SUPERSEDED,
    VOIDED,
    Draft,
    Letter,
    Packed,
    LetterRef,
    Rendered,
)
from dondoc.text import one_line

L, E = S.letters, S.entries


def _select():
    """A letter with its register line (number, year, pages) and its void, if any."""
    a = S.amendments.alias("a")
    return sa.select(
        L, E.c.number, E.c.year.label("register_year"), E.c.pages, a.c.on.label("voided_on"), a.c.reason.label("void_reason")
    ).select_from(L.outerjoin(E, E.c.id == L.c.entry_id).outerjoin(a, sa.and_(a.c.entry_id == E.c.id, a.c.kind == book.VOID)))


def ref(row) -> LetterRef:
    return LetterRef(
        id=row.id, state=row.state, issuer=row.issuer, symbol=row.symbol, check_date=row.check_date,
        content_hash=row.content_hash, number=row.number, register_year=row.register_year, signed_on=row.signed_on,
        reply_by=row.reply_by, sent_on=row.sent_on, replied_on=row.replied_on,
    )


def _whole(conn: sa.Connection, rows: Sequence) -> list[Letter]:
    units: dict[int, list[str]] = {r.id: [] for r in rows}
    lu = S.letter_units
    for chunk in bulk.chunks(list(units)):
        for r in conn.execute(sa.select(lu).where(lu.c.letter_id.in_(chunk))):
            units[r.letter_id].append(r.unit_key)
    return [
        Letter(
            **dataclasses.asdict(ref(r)),
            plan_key=r.plan_key, year=r.year, subject=r.subject, addressees=tuple(r.addressees),
            unit_keys=tuple(sorted(units[r.id])), recipients=tuple(r.recipients), archive=r.archive, copies=r.copies,
            follows=r.follows_id, draft_files=tuple(r.draft_files), payload=r.payload, findings=dict(r.findings),
            items={(r.plan_key, subject, unit): before for subject, unit, before in r.items}, run_id=r.run_id,
            drafted_at=r.drafted_at, signer=r.signer, signed_at=r.signed_at, signed_files=tuple(r.signed_files or ()),
            pages=r.pages, reply_note=r.reply_note, voided_on=r.voided_on, void_reason=r.void_reason,
            superseded_by=r.superseded_by,
        )
        for r in rows
    ]


def get(conn: sa.Connection, letter_id: int) -> Letter:
    rows = conn.execute(_select().where(L.c.id == letter_id)).all()
    if not rows:
        raise InputError(None, f"không có công văn #{letter_id} trong kho", hint="xem danh sách: dondoc letters list")
    return _whole(conn, rows)[0]


def select(
    conn: sa.Connection,
    *,
    state: str | None = None,
    plan: str | None = None,
    unit: str | None = None,
    issuer: str | None = None,
    year: int | None = None,
    since: dt.date | None = None,
) -> list[Letter]:
    """Letters by check date and id; each filter narrows (``year``: the year they were numbered in)."""
    query = _select().order_by(L.c.check_date, L.c.id)
    if state is not None:
        query = query.where(L.c.state == state)
    if plan is not None:
        query = query.where(L.c.plan_key == plan)
    if unit is not None:
        query = query.where(L.c.id.in_(sa.select(S.letter_units.c.letter_id).where(S.letter_units.c.unit_key == unit)))
    if issuer is not None:
        query = query.where(L.c.issuer == book.issuer_key(issuer))
    if year is not None:
        query = query.where(E.c.year == year)
    if since is not None:
        query = query.where(L.c.check_date >= since)
    return _whole(conn, conn.execute(query).all())


def _named(letter: LetterRef) -> str:
    """"công văn #12 (số 05/UBND-KT, đã gửi)" as staff read it."""
    number = f"số {letter.cited}, " if letter.number is not None else ""
    return f"công văn #{letter.id} ({number}{STATE_NAMES.get(letter.state, letter.state)})"


def _locked(conn: sa.Connection, letter_id: int) -> Letter:
    """The letter, its row locked until the transaction ends (PostgreSQL; SQLite holds the write lock)."""
    found = conn.execute(sa.select(L.c.id).where(L.c.id == letter_id).with_for_update()).first()
    if found is None:
        raise InputError(None, f"không có công văn #{letter_id} trong kho", hint="xem danh sách: dondoc letters list")
    return get(conn, letter_id)


# -- drafts (a night's last transaction: store/history.py) ---------------------------------------------------


# Letters' rows handed to the driver at once: a row carries its payload (11 kB of JSON on
# average, Vietnamese text taking 2 bytes a character in Python), and 500 of them were 25 MB.
LETTER_ROWS = 50

_DRAFTED = (  # the columns a draft sets (the rest are set by the office's steps)
    "issuer", "year", "symbol", "subject", "addressees", "recipients", "archive", "copies", "findings", "items",
    "follows_id", "draft_files", "payload", "run_id", "reply_by", "drafted_at",
)


def record_drafts(
    conn: sa.Connection, run_id: int, as_of: dt.date, drafts: Sequence[Draft], finding_ids: dict[str, int], replotted: set[str]
) -> list[int]:
    """Record tonight's drafts; supersede the unsigned drafts they replace. ``replotted``: the
    plans this night recorded; their drafts of this same date that tonight no longer writes
    are superseded too (a re-run of the date replaces what the date recorded). Returns the ids,
    in the order of ``drafts``. A national night drafts tens of thousands: each step is one
    statement for all of them (store/bulk.py), never one per letter."""
    for draft in drafts:
        _check_draft(draft, as_of, finding_ids)
    stamp = book.now()
    plans = sorted({d.plan_key for d in drafts} | set(replotted))
    held = _drafted_on(conn, plans, as_of)
    ids: list[int | None] = [None] * len(drafts)
    fresh, redrafted = [], []
    for i, draft in enumerate(drafts):
        found = held.get((draft.plan_key, draft.content_hash, tuple(sorted(set(draft.unit_keys)))))
        if found is None:
            fresh.append(i)
            continue
        # The same letter drafted again (a re-run of its date): it keeps its id. A draft takes
        # what tonight gives; one signed meanwhile stays as it was signed.
        ids[i] = found[0]
        if found[1] == DRAFT:
            redrafted.append(i)
    values = _values(conn, run_id, stamp)
    made = bulk.reserve(conn, L, len(fresh))
    for i, letter_id in zip(fresh, made):
        ids[i] = letter_id
    bulk.insert(  # rows made a few at a time: each unpacks its letter's payload (records.Packed)
        conn, L, ("id", "plan_key", "content_hash", "check_date", "state", *_DRAFTED),
        ((ids[i], drafts[i].plan_key, drafts[i].content_hash, values.day(as_of), DRAFT, *values(drafts[i])) for i in fresh),
        size=LETTER_ROWS,
    )
    bulk.insert(conn, S.letter_units, ("letter_id", "unit_key"),
                [(ids[i], u) for i in fresh for u in sorted(set(drafts[i].unit_keys))])
    # only while still a draft: one signed meanwhile keeps what it was signed as
    bulk.update(conn, L, _DRAFTED, "id", ((*values(drafts[i]), ids[i]) for i in redrafted), only_in_state=DRAFT,
                size=LETTER_ROWS)
    _supersede(conn, as_of, drafts, ids, set(replotted), values)
    return [i for i in ids if i is not None]


class _values:
    """A draft's row, converted for the driver (store/bulk.py)."""

    def __init__(self, conn: sa.Connection, run_id: int, stamp: dt.datetime) -> None:
        self.day, self.json, self.run_id = bulk.date_in(conn), bulk.json_in(conn), run_id
        self.stamp = bulk.datetime_in(conn)(stamp)

    def __call__(self, d: Draft) -> tuple:
        j = self.json
        return (
            d.issuer, d.year, d.symbol, one_line(d.subject), j(list(d.addressees)), j(list(d.recipients)), d.archive, d.copies,
            j(dict(d.findings)), j([[subject, unit, int(before)] for (_, subject, unit), before in d.items.items()]),
            d.follows, j(list(d.files)), j(_payload(d.payload)), self.run_id, self.day(d.reply_by), self.stamp,
        )


def _payload(payload: Any) -> Any:
    return payload.value() if isinstance(payload, Packed) else dict(payload)


def _check_draft(draft: Draft, as_of: dt.date, finding_ids: dict[str, int]) -> None:
    """A draft the night could not mean: its bug, said as such (exit 70), nothing recorded."""
    if draft.check_date != as_of:
        raise ValueError(f"a draft of {draft.check_date} in the night of {as_of}")
    if not draft.unit_keys:
        raise ValueError("a letter goes to at least one unit")
    unknown = [k for k in draft.findings if k not in finding_ids]
    if unknown:
        raise ValueError(f"a letter carries findings never observed: {unknown[:3]}")
    others = [plan for plan, _, _ in draft.items if plan != draft.plan_key]
    if others:
        raise ValueError(f"an item of plan {others[0]!r} in a letter of {draft.plan_key!r}")


def _drafted_on(conn: sa.Connection, plans: Sequence[str], as_of: dt.date) -> dict[tuple, tuple[int, str]]:
    """The letters of these plans drafted for ``as_of`` that still stand, by (plan, content hash, units)."""
    found: dict[int, tuple[str, str, str]] = {}
    for chunk in bulk.chunks(plans):
        for r in conn.execute(
            sa.select(L.c.id, L.c.plan_key, L.c.content_hash, L.c.state)
            .where(L.c.plan_key.in_(chunk), L.c.check_date == as_of, L.c.state.not_in([SUPERSEDED, VOIDED]))
        ):
            found[r.id] = (r.plan_key, r.content_hash, r.state)
    units: dict[int, list[str]] = {i: [] for i in found}
    for chunk in bulk.chunks(list(found)):
        for r in conn.execute(sa.select(S.letter_units).where(S.letter_units.c.letter_id.in_(chunk))):
            units[r.letter_id].append(r.unit_key)
    held = {}
    for letter_id in sorted(found, reverse=True):  # the first of two alike wins
        plan, content, state = found[letter_id]
        held[(plan, content, tuple(sorted(units[letter_id])))] = (letter_id, state)
    return held


def _supersede(conn: sa.Connection, as_of: dt.date, drafts: Sequence[Draft], ids: Sequence[int | None],
               replotted: set[str], values: _values) -> None:
    """Unsigned drafts of a plan and unit that tonight's drafts replace (of this date or before:
    a past date never supersedes a later draft), and this date's drafts of the re-run plans
    that tonight no longer writes."""
    claims = {(d.plan_key, u): letter_id for d, letter_id in zip(drafts, ids) for u in d.unit_keys}
    tonight = set(ids)
    plans = sorted({d.plan_key for d in drafts} | replotted)
    superseded: dict[int, int | None] = {}
    lu = S.letter_units
    for chunk in bulk.chunks(plans):
        query = (
            sa.select(L.c.id, L.c.plan_key, L.c.check_date, lu.c.unit_key).join(lu, lu.c.letter_id == L.c.id)
            .where(L.c.state == DRAFT, L.c.plan_key.in_(chunk), L.c.check_date <= as_of)
        )
        for r in conn.execute(query):
            if r.id in tonight:
                continue
            by = claims.get((r.plan_key, r.unit_key))
            if by is not None:
                superseded[r.id] = by
            elif r.check_date == as_of and r.plan_key in replotted:
                superseded.setdefault(r.id, None)
    bulk.update(conn, L, ("state", "superseded_by", "superseded_at"), "id",
                [(SUPERSEDED, by, values.stamp, letter_id) for letter_id, by in superseded.items()], only_in_state=DRAFT)


def withdraw(conn: sa.Connection, as_of: dt.date, pairs: Sequence[tuple[str, str]]) -> None:
    """Unsigned drafts to these (plan, unit) pairs, drafted before ``as_of``, superseded by
    nothing: what they say is no longer so (a past date never withdraws a later draft)."""
    if not pairs:
        return
    lu = S.letter_units
    wanted = set(pairs)
    stamp = bulk.datetime_in(conn)(book.now())
    ids = set()
    for chunk in bulk.chunks(sorted({p for p, _ in pairs})):
        query = (
            sa.select(L.c.id, L.c.plan_key, lu.c.unit_key).join(lu, lu.c.letter_id == L.c.id)
            .where(L.c.state == DRAFT, L.c.plan_key.in_(chunk), L.c.check_date < as_of)
        )
        ids |= {r.id for r in conn.execute(query) if (r.plan_key, r.unit_key) in wanted}
    bulk.update(conn, L, ("state", "superseded_by", "superseded_at"), "id",
                [(SUPERSEDED, None, stamp, letter_id) for letter_id in sorted(ids)], only_in_state=DRAFT)


# -- the office's steps -------------------------------------------------------------------------------------------


def sign(
    conn: sa.Connection,
    letter_id: int,
    signer: str,
    signed_on: dt.date,
    reply_by: dt.date | None = None,
    render: Callable[[Letter], Rendered] | None = None,
) -> Letter:
    letter = _locked(conn, letter_id)
    signer = one_line(signer)
    if letter.state != DRAFT:
        by = f", thay bằng công văn #{letter.superseded_by}" if letter.state == SUPERSEDED and letter.superseded_by else ""
        raise InputError(None, f"không ký được {_named(letter)}{by}: chỉ ký được dự thảo",
                         hint="xem các dự thảo: dondoc letters list --state draft")
    if not signer:
        raise InputError(None, f"ký công văn #{letter_id}: cần tên người ký")
    if signed_on < letter.check_date:
        raise InputError(None, f"công văn #{letter_id} lập ngày {letter.check_date:%d/%m/%Y}: không ký trước ngày đó ({signed_on:%d/%m/%Y})")
    reply_by = reply_by or letter.reply_by
    if reply_by is not None and reply_by < signed_on:
        raise InputError(None, f"hạn trả lời {reply_by:%d/%m/%Y} trước ngày ký {signed_on:%d/%m/%Y}")
    issuer, year = book.issuer_key(letter.issuer), signed_on.year
    number = book.next_number(conn, issuer, year)
    if not book.opened(conn, issuer, year):
        raise InputError(
            None,
            f"sổ đăng ký văn bản đi của {letter.issuer} năm {year} chưa mở trong kho: dondoc không tự cấp số từ 01"
            f" (số của văn phòng có thể đã dùng cho văn bản khác)",
            hint=f"cho biết số tiếp theo của sổ văn phòng: dondoc register start --next SỐ --year {year}"
                 f" --issuer \"{letter.issuer}\"; hoặc nhập sổ: dondoc register import SỔ.xlsx",
        )
    signed = dataclasses.replace(
        letter, state=SIGNED, number=number, register_year=year, signer=signer, signed_on=signed_on, reply_by=reply_by
    )
    rendered = render(signed) if render is not None else Rendered(files=())
    entry_id = book.add_line(
        conn, issuer=issuer, year=year, number=number, key=f"letter:{letter_id}", origin=book.SIGNED_ORIGIN,
        date=signed_on, symbol=letter.symbol, subject=letter.subject, signer=signer,
        recipient="\n".join(letter.recipients or letter.addressees), reply_by=reply_by, file="\n".join(rendered.files),
        pages=rendered.pages, copies=letter.copies, archive=letter.archive, letter_id=letter_id,
    )
    book.set_counter(conn, issuer, year, number)
    conn.execute(
        L.update()
        .where(L.c.id == letter_id, L.c.state == DRAFT)
        .values(state=SIGNED, signer=signer, signed_on=signed_on, signed_at=book.now(), reply_by=reply_by,
                entry_id=entry_id, signed_files=list(rendered.files))
    )
    return get(conn, letter_id)


def mark_sent(conn: sa.Connection, letter_id: int, on: dt.date) -> Letter:
    letter = _locked(conn, letter_id)
    if letter.state != SIGNED:
        when = f" ngày {letter.sent_on:%d/%m/%Y}" if letter.sent_on else ""
        raise InputError(None, f"không ghi gửi được {_named(letter)}{when}: chỉ ghi gửi công văn đã ký, chưa gửi")
    _not_before(letter, on, "gửi")
    conn.execute(L.update().where(L.c.id == letter_id).values(state=SENT, sent_on=on))
    return get(conn, letter_id)


def mark_replied(conn: sa.Connection, letter_id: int, on: dt.date, note: str = "") -> Letter:
    letter = _locked(conn, letter_id)
    if letter.state not in (SIGNED, SENT):
        raise InputError(None, f"không ghi trả lời được {_named(letter)}: chỉ công văn đã ký hoặc đã gửi")
    _not_before(letter, on, "trả lời")
    if letter.sent_on is not None and on < letter.sent_on:
        raise InputError(None, f"ngày trả lời {on:%d/%m/%Y} trước ngày gửi {letter.sent_on:%d/%m/%Y} của công văn #{letter_id}")
    conn.execute(L.update().where(L.c.id == letter_id).values(state=REPLIED, replied_on=on, reply_note=one_line(note)))
    return get(conn, letter_id)


def _not_before(letter: Letter, on: dt.date, what: str) -> None:
    if letter.signed_on is not None and on < letter.signed_on:
        raise InputError(None, f"ngày {what} {on:%d/%m/%Y} trước ngày ký {letter.signed_on:%d/%m/%Y} của công văn #{letter.id}")


def void(
    conn: sa.Connection, target: int | tuple[str, int, int], reason: str, on: dt.date
) -> Letter | None:
    """Void a signed letter's number (by the letter's id), or any issued number of the register
    (issuer, year, number): the office's own lines too. Returns the letter, if the number had one."""
    if isinstance(target, int):
        letter = _locked(conn, target)
        if letter.number is None:
            raise InputError(None, f"{_named(letter)} chưa có số: không có gì để hủy",
                             hint="dự thảo không ký thì để nguyên; đêm sau sẽ thay bằng dự thảo mới")
        entry = book.find_line(conn, letter.issuer, letter.register_year, letter.number)
    else:
        issuer, year, number = target
        book.lock_counter(conn, book.issuer_key(issuer), year)
        entry = book.find_line(conn, issuer, year, number)
        letter = _locked(conn, entry.letter_id) if entry.letter_id is not None else None
    book.void_line(conn, entry, reason, on, letter.state if letter is not None else None)
    if letter is None:
        return None
    conn.execute(L.update().where(L.c.id == letter.id, L.c.state.in_(GONE_OUT)).values(state=VOIDED))
    return get(conn, letter.id)
