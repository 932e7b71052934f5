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
from typing import Callable, Iterable, Sequence

import sqlalchemy as sa

from dondoc.errors import InputError
from dondoc.store import book
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
    ItemKey,
    Letter,
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
    ids = [r.id for r in rows]
    findings: dict[int, dict[str, str]] = {i: {} for i in ids}
    items: dict[int, dict[ItemKey, int]] = {i: {} for i in ids}
    units: dict[int, list[str]] = {i: [] for i in ids}
    plans = {r.id: r.plan_key for r in rows}
    for chunk in _chunks(ids):
        lf, f = S.letter_findings, S.findings
        for r in conn.execute(
            sa.select(lf.c.letter_id, f.c.key, lf.c.severity).join(f, f.c.id == lf.c.finding_id).where(lf.c.letter_id.in_(chunk))
        ):
            findings[r.letter_id][r.key] = r.severity
        li = S.letter_items
        for r in conn.execute(sa.select(li).where(li.c.letter_id.in_(chunk))):
            items[r.letter_id][(plans[r.letter_id], r.subject, r.unit_key)] = r.raised_before
        lu = S.letter_units
        for r in conn.execute(sa.select(lu).where(lu.c.letter_id.in_(chunk))):
            units[r.letter_id].append(r.unit_key)
    return [
        Letter(
            **dataclasses.asdict(ref(r)),
            plan_key=r.plan_key, year=r.year, subject=r.subject, addressees=tuple(r.addressees),
            unit_keys=tuple(sorted(units[r.id])), recipients=tuple(r.recipients), archive=r.archive, copies=r.copies,
            follows=r.follows_id, draft_files=tuple(r.draft_files), payload=r.payload, findings=findings[r.id],
            items=items[r.id], run_id=r.run_id, drafted_at=r.drafted_at, signer=r.signer, signed_at=r.signed_at,
            signed_files=tuple(r.signed_files or ()), pages=r.pages, reply_note=r.reply_note, voided_on=r.voided_on,
            void_reason=r.void_reason, superseded_by=r.superseded_by,
        )
        for r in rows
    ]


def _chunks(values: Sequence, size: int = 500) -> Iterable[Sequence]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


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


def record_drafts(
    conn: sa.Connection, run_id: int, as_of: dt.date, drafts: Sequence[Draft], finding_ids: dict[str, int], replotted: set[str]
) -> list[int]:
    """Record tonight's drafts; supersede the unsigned drafts they replace. ``replotted``: the
    plans this night recorded; their drafts of this same date that tonight no longer writes
    are superseded too (a re-run of the date replaces what the date recorded). Returns the ids."""
    stamp = book.now()
    ids: list[int] = []
    for draft in drafts:
        ids.append(_record_draft(conn, run_id, as_of, draft, finding_ids, stamp))
    tonight = set(ids)
    for draft, letter_id in zip(drafts, ids):
        units = sa.select(S.letter_units.c.letter_id).where(S.letter_units.c.unit_key.in_(list(draft.unit_keys)))
        conn.execute(
            L.update()
            .where(
                L.c.state == DRAFT, L.c.plan_key == draft.plan_key, L.c.check_date <= as_of,
                L.c.id.not_in(tonight), L.c.id.in_(units),
            )
            .values(state=SUPERSEDED, superseded_by=letter_id, superseded_at=stamp)
        )
    for chunk in _chunks(sorted(replotted)):
        conn.execute(
            L.update()
            .where(L.c.state == DRAFT, L.c.plan_key.in_(chunk), L.c.check_date == as_of, L.c.id.not_in(tonight))
            .values(state=SUPERSEDED, superseded_at=stamp)
        )
    return ids


def _record_draft(conn, run_id: int, as_of: dt.date, draft: Draft, finding_ids: dict[str, int], stamp: dt.datetime) -> int:
    if draft.check_date != as_of:
        raise ValueError(f"a draft of {draft.check_date} in the night of {as_of}")
    if not draft.unit_keys:
        raise ValueError("a letter goes to at least one unit")
    unknown = [k for k in draft.findings if k not in finding_ids]
    if unknown:
        raise ValueError(f"a letter carries findings never observed: {unknown[:3]}")
    values = dict(
        issuer=draft.issuer, year=draft.year, symbol=draft.symbol, subject=one_line(draft.subject),
        addressees=list(draft.addressees), recipients=list(draft.recipients), archive=draft.archive, copies=draft.copies,
        follows_id=draft.follows, draft_files=list(draft.files), payload=dict(draft.payload), run_id=run_id,
        reply_by=draft.reply_by,
    )
    units = sorted(set(draft.unit_keys))
    same = conn.execute(
        sa.select(L.c.id, L.c.state)
        .where(
            L.c.plan_key == draft.plan_key, L.c.check_date == as_of, L.c.content_hash == draft.content_hash,
            L.c.state.not_in([SUPERSEDED, VOIDED]),
        )
        .order_by(L.c.id)
    ).all()
    for row in same:
        held = sorted(r[0] for r in conn.execute(sa.select(S.letter_units.c.unit_key).where(S.letter_units.c.letter_id == row.id)))
        if held != units:
            continue
        # The same letter drafted again (a re-run of its date): it keeps its id. A draft takes
        # what tonight gives; one signed meanwhile stays as it was signed.
        if row.state == DRAFT:
            done = conn.execute(L.update().where(L.c.id == row.id, L.c.state == DRAFT).values(**values, drafted_at=stamp))
            if done.rowcount:
                _children(conn, row.id, draft, finding_ids, replace=True)
        return row.id
    letter_id = conn.execute(
        L.insert()
        .values(plan_key=draft.plan_key, content_hash=draft.content_hash, check_date=as_of, state=DRAFT, drafted_at=stamp, **values)
        .returning(L.c.id)
    ).scalar_one()
    conn.execute(S.letter_units.insert(), [{"letter_id": letter_id, "unit_key": u} for u in units])
    _children(conn, letter_id, draft, finding_ids, replace=False)
    return letter_id


def _children(conn, letter_id: int, draft: Draft, finding_ids: dict[str, int], replace: bool) -> None:
    if replace:
        conn.execute(S.letter_findings.delete().where(S.letter_findings.c.letter_id == letter_id))
        conn.execute(S.letter_items.delete().where(S.letter_items.c.letter_id == letter_id))
    if draft.findings:
        conn.execute(
            S.letter_findings.insert(),
            [{"letter_id": letter_id, "finding_id": finding_ids[k], "severity": s} for k, s in draft.findings.items()],
        )
    rows = []
    for (plan, subject, unit), before in draft.items.items():
        if plan != draft.plan_key:
            raise ValueError(f"an item of plan {plan!r} in a letter of {draft.plan_key!r}")
        rows.append({"letter_id": letter_id, "subject": subject, "unit_key": unit, "raised_before": int(before)})
    if rows:
        conn.execute(S.letter_items.insert(), rows)


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
