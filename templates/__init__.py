"""Notices: the official warning letters (công văn đôn đốc) rendered from findings.

The layout follows Nghị định 30/2020/NĐ-CP; see docs/notices.md. The jinja2 templates
live in this folder, and a commune may supply its own notice.html.j2 (template_dir).
"""

from dondoc.templates.formats import dmy, vn_date_words, vn_dmy, vn_number
from dondoc.templates.render import (
    COUNT_KEYS,
    NOTICE_TEMPLATE,
    Notice,
    NoticeTemplateError,
    classify,
    make_environment,
    render_notice,
    write_notices,
)

__all__ = [
    "COUNT_KEYS",
    "NOTICE_TEMPLATE",
    "Notice",
    "NoticeTemplateError",
    "classify",
    "dmy",
    "make_environment",
    "render_notice",
    "vn_date_words",
    "vn_dmy",
    "vn_number",
    "write_notices",
]
