"""Letters to bytes: each notice in the formats asked for.

    files = letter_files([("xa-gia-loc-2026-97-KH-UBND/phong-kinh-te-xa", notice)], ("html", "docx", "pdf"))
    # [NoticeFile("xa-gia-loc-2026-97-KH-UBND/phong-kinh-te-xa.html", b"..."), ...]

Who receives which findings, and the file stems, are the night's (night/letters.py); a
number is the store's, given at signing (night/signing.py). This module only renders:
a plain function of its arguments, run in the night's worker processes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, NamedTuple

from dondoc.errors import InputError
from dondoc.templates import FORMATS
from dondoc.templates.render import Notice


class NoticeFile(NamedTuple):
    path: str  # relative to the notices folder: "<plan>/<unit>.<format>"
    data: bytes


def render(notice: Notice, fmt: str, template_dir: Path | str | None = None) -> bytes:
    return render_pages(notice, fmt, template_dir)[0]


def render_pages(notice: Notice, fmt: str, template_dir: Path | str | None = None) -> tuple[bytes, int | None]:
    """The notice in one format, and its pages when the format lays them out (PDF)."""
    if fmt == "pdf":
        from dondoc.templates.pdf import render_pdf_pages

        return render_pdf_pages(notice, template_dir)
    if fmt == "html":
        from dondoc.templates.render import render_html

        return render_html(notice, template_dir).encode("utf-8"), None
    if fmt == "docx":
        from dondoc.templates.docx import render_docx

        return render_docx(notice, template_dir), None
    raise ValueError(f"unknown notice format {fmt!r}; formats are {', '.join(FORMATS)}")


def check_formats(formats: Iterable[str]) -> list[str]:
    wanted = list(dict.fromkeys(formats))
    for fmt in wanted:
        if fmt not in FORMATS:
            raise ValueError(f"unknown notice format {fmt!r}; formats are {', '.join(FORMATS)}")
    return wanted


def letter_files(
    letters: Iterable[tuple[str, Notice]], formats: Iterable[str] = FORMATS, template_dir: Path | str | None = None
) -> list[NoticeFile]:
    """Every letter rendered in every format: [(relative path, bytes)], in the letters' order.
    ``template_dir`` is a commune's template folder (sandboxed)."""
    wanted = check_formats(formats)
    files = [NoticeFile(f"{stem}.{fmt}", render(notice, fmt, template_dir)) for stem, notice in letters for fmt in wanted]
    return unique_files(files)


def unique_files(files: list[NoticeFile]) -> list[NoticeFile]:
    """The files, checked: two with one name would lose a letter, so that is an error."""
    seen: set[str] = set()
    for f in files:
        if f.path in seen:
            raise InputError(
                f.path,
                "hai công văn trùng tên tệp: hai kế hoạch cùng xã, cùng năm, cùng số?",
                hint="kiểm tra số, ngày của các kế hoạch (plan.yaml)",
            )
        seen.add(f.path)
    return files
