"""Word (.docx) notices, from a Word template with docxtpl tags (notice.docx).

The template is prepared once per run, with docxtpl's own tag handling (``patch_xml``),
and compiled once; each notice then renders the document part and is zipped with
the template's other parts unchanged. That is docxtpl's ``render`` without reloading
and recompiling the template for every letter, which is what makes thousands of
letters a night affordable (docs/notices.md has the figures).
"""

from __future__ import annotations

import functools
import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import jinja2
from docxtpl import DocxTemplate
from lxml import etree

from dondoc.engine.sandbox import BoundedSandbox
from dondoc.templates.render import FILTERS, Notice, NoticeTemplateError, context, render_template, template_folder

DOCX_TEMPLATE = "notice.docx"
PACKAGE_TEMPLATE = Path(__file__).resolve().parent / DOCX_TEMPLATE
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_RENDERED = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")


@dataclass(frozen=True)
class _Prepared:
    path: str
    static: tuple[tuple[zipfile.ZipInfo, bytes], ...]  # parts copied as they are
    parts: tuple[tuple[zipfile.ZipInfo, jinja2.Template], ...]  # parts rendered per notice


def _environment(sandboxed: bool) -> jinja2.Environment:
    options = dict(undefined=jinja2.StrictUndefined, autoescape=True)
    env = BoundedSandbox(**options) if sandboxed else jinja2.Environment(**options)
    env.filters.update(FILTERS)
    return env


@functools.lru_cache(maxsize=32)
def _prepare(path: str, mtime_ns: int, sandboxed: bool) -> _Prepared:
    env = _environment(sandboxed)
    try:
        tpl = DocxTemplate(path)
        tpl.init_docx()
        with zipfile.ZipFile(path) as archive:
            entries = [(info, archive.read(info)) for info in archive.infolist()]
    except Exception as exc:  # noqa: BLE001 - a broken .docx is bad input, named
        raise NoticeTemplateError(f"không đọc được mẫu Word: {exc}", path) from None
    static, parts = [], []
    for info, data in entries:
        if not _RENDERED.match(info.filename) or (b"{{" not in data and b"{%" not in data):
            static.append((info, data))
            continue
        xml = etree.tostring(etree.fromstring(data), encoding="unicode")
        xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml))
        try:
            parts.append((info, env.from_string(xml)))
        except jinja2.TemplateSyntaxError as e:
            raise NoticeTemplateError(f"{info.filename}: {e.message}", path) from None
    return _Prepared(path, tuple(static), tuple(parts))


def template_path(template_dir: Path | str | None) -> tuple[str, bool]:
    """The Word template to use (a commune's notice.docx, else ours) and whether to sandbox it."""
    folder = template_folder(template_dir)
    if folder is not None:
        candidate = Path(folder) / DOCX_TEMPLATE
        if candidate.exists() or candidate.is_symlink():
            real = os.path.realpath(candidate)
            if os.path.commonpath([real, folder]) != folder:
                raise NoticeTemplateError(
                    f"mẫu Word trỏ ra ngoài thư mục mẫu ({real}): dondoc không đọc tệp ngoài thư mục này",
                    str(candidate),
                )
            return real, True
    return str(PACKAGE_TEMPLATE), False


def prepared(template_dir: Path | str | None = None) -> _Prepared:
    path, sandboxed = template_path(template_dir)
    return _prepare(path, os.stat(path).st_mtime_ns, sandboxed)


def _finish(xml: str, name: str, path: str) -> bytes:
    """docxtpl's clean-up after rendering, then a check that the part is still XML."""
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    data = unicodedata.normalize("NFC", _DECLARATION + xml).encode("utf-8")
    try:
        etree.fromstring(data)
    except etree.XMLSyntaxError as exc:
        raise NoticeTemplateError(f"mẫu Word cho ra {name} hỏng: {exc}", path) from None
    return data


def render_docx(notice: Notice, template_dir: Path | str | None = None) -> bytes:
    """The notice as a .docx file (bytes)."""
    prep = prepared(template_dir)
    values = context(notice)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for info, data in prep.static:
            archive.writestr(info, data)
        for info, template in prep.parts:
            try:
                xml = render_template(template, values, notice)
            except NoticeTemplateError as exc:
                if exc.filename not in (None, "<template>"):
                    raise
                # the part is compiled from a string: name the Word file and its part
                raise NoticeTemplateError(f"{info.filename}: {exc.message}", prep.path) from exc
            archive.writestr(info, _finish(xml, info.filename, prep.path))
    return out.getvalue()
