"""Notices: the official warning letters (công văn đôn đốc) written from findings.

One letter per plan and addressee, in HTML, Word (.docx) and PDF, laid out after
Nghị định 30/2020/NĐ-CP (docs/notices.md). ``letter_files`` is the entry point: the
night's letters in (night/letters.py), the files out, as (relative path, bytes).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# The formats a letter is written in (--format), in the order they are written.
FORMATS = ("html", "docx", "pdf")

# Where each other public name lives. Imported on first use (PEP 562): `dondoc check` without --out
# writes no letter, and importing the renderers (jinja2, the sections) costs a cold start ~50 ms.
_WHERE = {
    "dmy": "formats",
    "vn_date_words": "formats",
    "vn_number": "formats",
    "NoticeFile": "notices",
    "letter_files": "notices",
    "unique_files": "notices",
    "NOTICE_TEMPLATE": "render",
    "Notice": "render",
    "NoticeTemplateError": "render",
    "context": "render",
    "make_environment": "render",
    "render_html": "render",
    "render_notice": "render",
    "SECTIONS": "sections",
    "build_sections": "sections",
}

if TYPE_CHECKING:
    from dondoc.templates.formats import dmy, vn_date_words, vn_number
    from dondoc.templates.notices import NoticeFile, letter_files, unique_files
    from dondoc.templates.render import (
        NOTICE_TEMPLATE,
        Notice,
        NoticeTemplateError,
        context,
        make_environment,
        render_html,
        render_notice,
    )
    from dondoc.templates.sections import SECTIONS, build_sections


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "FORMATS",
    "NOTICE_TEMPLATE",
    "Notice",
    "NoticeFile",
    "NoticeTemplateError",
    "SECTIONS",
    "build_sections",
    "context",
    "dmy",
    "make_environment",
    "letter_files",
    "render_html",
    "render_notice",
    "unique_files",
    "vn_date_words",
    "vn_number",
]
