"""Signing a letter: its number, its date, and the numbered Word and PDF the office sends.

    signed = sign(store, [12, 13], by="Nguyễn Văn A", on=date(2026, 11, 23), out=Path("van-ban-di"))

Nghị định 30/2020/NĐ-CP (Điều 15-16): a document is numbered and dated once it is signed, by
the văn thư, in one sequence per issuer and calendar year. The store gives the number
(store.sign: the issuer's counter locked, one transaction); the letter is rendered again from
what its draft said (its payload), now with its number, the signing date and the reply date
counted from it, and written through the one writer (files.py). If rendering fails, nothing
is signed and the number is not taken.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from dondoc.errors import InputError
from dondoc.files import replace_file
from dondoc.facts.models import Signer
from dondoc.night.plans import short_slug
from dondoc.templates.notices import render_pages
from dondoc.templates.render import notice_from_payload

SIGNED_FORMATS = ("docx", "pdf")  # what the office keeps and sends: Word to file, PDF to send


@dataclass(frozen=True)
class Signed:
    letter: Any  # store.records.Letter, numbered
    files: tuple[Path, ...]


def signed_folder(store: Any, out: Path | None) -> Path:
    """Where signed letters go: ``out``, else "van-ban-di" beside an SQLite store."""
    if out is not None:
        return out
    folder = store.db.folder
    if folder is None:
        raise InputError(None, "kho trên máy chủ cơ sở dữ liệu: cần --out THƯ_MỤC cho các công văn đã ký")
    return folder / "van-ban-di"


def sign(store: Any, letter_ids: Iterable[int], *, by: str | None, on: dt.date, out: Path,
         title: str | None = None, authority: str | None = None) -> list[Signed]:
    """Sign each letter in turn (each its own transaction): the next number of its issuer for
    the year of ``on``; its files written under ``out/<year>/``."""
    done = []
    for letter_id in letter_ids:
        letter = store.letter(letter_id)
        payload = dict(letter.payload)
        if not payload:
            raise InputError(None, f"công văn #{letter_id} không có nội dung để in lại (lập bởi dondoc cũ hơn)")
        notice = notice_from_payload(payload)
        if notice.plan.is_draft:
            raise InputError(
                None, f"công văn #{letter_id} đôn đốc một kế hoạch chưa ban hành (chưa có số, ngày): không ký được",
                hint="ghi số, ngày ban hành vào plan.yaml, chạy lại dondoc check, rồi ký dự thảo mới",
            )
        drafted = notice.signer or notice.settings.signer or notice.plan.signer
        signer = Signer(
            authority=authority if authority is not None else drafted.authority,
            title=title if title is not None else drafted.title,
            name=by if by else drafted.name,
        )
        if not signer.name.strip():
            raise InputError(None, f"công văn #{letter_id}: cần tên người ký (--by)")
        reply_by = notice.settings.calendar().add_working_days(on, notice.settings.reply_days)
        written: list[Path] = []

        def render(numbered: Any) -> Any:
            from dondoc.store.records import Rendered

            final = notice_from_payload(payload, number=numbered.number, date=on, reply_by=reply_by, signer=signer)
            stem = f"{numbered.number:03d}-{short_slug(numbered.symbol, max_len=20)}__{short_slug(final.unit, max_len=40)}"
            pages = None
            for fmt in SIGNED_FORMATS:
                data, counted = render_pages(final, fmt, final.settings.templates)
                path = out / str(on.year) / f"{stem}.{fmt}"
                replace_file(path, data)
                written.append(path)
                pages = counted if counted is not None else pages
            return Rendered(files=tuple(str(p) for p in written), pages=pages)

        signed = store.sign(letter_id, signer.name, on, reply_by=reply_by, render=render)
        done.append(Signed(signed, tuple(written)))
    return done


def drafts_to_sign(store: Any, plan: str | None = None) -> tuple[list[int], list[tuple[int, str]]]:
    """The store's drafts that can be signed (``--all``), and those that cannot, with why: a
    letter about a plan not yet issued waits for the plan's number and date."""
    ready, waiting = [], []
    for letter in store.letters(state="draft", plan=plan):
        payload = letter.payload or {}
        plan_data = payload.get("plan") or {}
        if not payload:
            waiting.append((letter.id, "không có nội dung để in lại"))
        elif _is_draft_plan(plan_data):
            waiting.append((letter.id, "kế hoạch chưa ban hành (chưa có số, ngày)"))
        else:
            ready.append(letter.id)
    return ready, waiting


def _is_draft_plan(plan_data: dict) -> bool:
    from dondoc.facts.models import Plan

    return Plan.model_validate(plan_data).is_draft
