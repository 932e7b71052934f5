"""Notices: the official warning letters (công văn đôn đốc) written from findings.

One letter per plan and addressee, in HTML, Word (.docx) and PDF, laid out after
Nghị định 30/2020/NĐ-CP (docs/notices.md). ``notices_for_plan`` is the entry point:
one plan's findings in, the files out, as (relative path, bytes).
"""

from dondoc.templates.formats import dmy, vn_date_words, vn_number
from dondoc.templates.notices import FORMATS, NoticeFile, notices_for_plan, unique_files
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
    "notices_for_plan",
    "render_html",
    "render_notice",
    "unique_files",
    "vn_date_words",
    "vn_number",
]
