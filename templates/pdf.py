"""PDF notices: the HTML notice typeset by WeasyPrint (no browser, so no browser header or footer).

The page, margins and page numbers come from notice.css (@page). The fonts are the
system's Times New Roman or its metric twin Liberation Serif (the Makefile installs
Debian's fonts-liberation2, and libharfbuzz-subset0 so that fonts are subset fast); the night
refuses to write PDFs in another font unless allowed (templates/fonts.py). WeasyPrint needs
Pango: without it, ``load_weasyprint`` says so (exit 4), and what to install.
Nothing is fetched while typesetting: a template's link to a file or a web address is
refused, so a commune's template cannot pull anything into a notice.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import sys
from pathlib import Path

from dondoc.errors import NotInstalled
from dondoc.templates.fonts import require_nd30_fonts
from dondoc.templates.render import PACKAGE_DIR, Notice, render_html

STYLESHEET = PACKAGE_DIR / "notice.css"
USER_AGENT = PACKAGE_DIR / "notice-ua.css"  # the browser defaults our own template needs


# WeasyPrint lays text out with Pango (and HarfBuzz, fontconfig, GLib, which Debian's Pango
# packages bring). The Makefile's SYSTEM_PACKAGES has them too.
PANGO_PACKAGES = ("libpango-1.0-0", "libpangoft2-1.0-0")


@functools.lru_cache(maxsize=1)
def load_weasyprint():
    """WeasyPrint, or ``NotInstalled`` naming the library it could not load (Pango, most
    often) and the Debian packages that bring it. WeasyPrint prints its own advice (in
    English, on stdout: it would corrupt `check --json`) before failing: kept out."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint
    except OSError as exc:  # a system library loaded through cffi: "cannot load library 'libpango-1.0-0'"
        library = str(exc).split("'")[1] if str(exc).count("'") >= 2 else str(exc)
        raise NotInstalled(
            f"Pango, thư viện dàn chữ của WeasyPrint (không nạp được {library})",
            "công văn và báo cáo PDF",
            apt=PANGO_PACKAGES,
            hint="hoặc không viết PDF: --format html,docx",
        ) from None
    except ImportError as exc:
        raise NotInstalled(f"WeasyPrint ({exc})", "công văn và báo cáo PDF", pip="dondoc") from None
    return weasyprint


def weasyprint_here():
    """WeasyPrint, ready to typeset on this machine: Pango loaded, and some font to set text
    in (with none at all, Pango crashes the process: told instead, whatever
    --allow-font-fallback says; the night checks the ND30 font itself before it starts)."""
    require_nd30_fonts(allow_fallback=True)
    return load_weasyprint()


# The system libraries WeasyPrint loads (weasyprint/text/ffi.py), by their Linux names.
PANGO_LIBRARIES = ("libgobject-2.0.so.0", "libpango-1.0.so.0", "libharfbuzz.so.0", "libfontconfig.so.1", "libpangoft2-1.0.so.0")


def pango_here() -> None:
    """Pango and the libraries with it can be loaded (else ``NotInstalled``), without importing
    WeasyPrint: the night asks before its workers start, and the 31 MB WeasyPrint takes would
    be in every worker of a night that writes no PDF after all (bad input). Where the names are
    not Linux's, WeasyPrint's own loading says it (``load_weasyprint``)."""
    import ctypes

    if not sys.platform.startswith("linux"):
        return
    for name in PANGO_LIBRARIES:
        try:
            ctypes.CDLL(name)
        except OSError:
            raise NotInstalled(
                f"Pango, thư viện dàn chữ của WeasyPrint (không nạp được {name})",
                "công văn và báo cáo PDF",
                apt=PANGO_PACKAGES,
                hint="hoặc không viết PDF: --format html,docx",
            ) from None


def pdf_ready(allow_fallback: bool = False) -> str:
    """Before a night writes PDFs: the ND30 font is here (else ``NotInstalled``, exit 4, unless
    ``allow_fallback``) and Pango loads. The family the PDFs will be set in."""
    faces = require_nd30_fonts(allow_fallback)
    pango_here()
    return faces[0].family


@functools.lru_cache(maxsize=1)
def _typesetter():
    """WeasyPrint, its font configuration and our style sheet, loaded once per process."""
    weasyprint = weasyprint_here()
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    class NoFetch(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"dondoc does not fetch {url!r} while writing a notice")

    # A refused fetch is logged by WeasyPrint as a warning; the notice is still written.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    fonts = FontConfiguration()
    refuse = NoFetch()
    css = weasyprint.CSS(string=STYLESHEET.read_text(encoding="utf-8"), font_config=fonts, url_fetcher=refuse)
    ua = weasyprint.CSS(string=USER_AGENT.read_text(encoding="utf-8"), font_config=fonts, url_fetcher=refuse)

    class OurTemplate(weasyprint.HTML):
        """Our own template's HTML: only the user-agent rules its elements need."""

        def _ua_stylesheets(self, forms=False):
            return [ua]

    return weasyprint, fonts, css, refuse, OurTemplate


def typeset(html: str, *, ours: bool = True, full_user_agent: bool = False) -> tuple[bytes, int]:
    """Typeset HTML: (the PDF, its number of pages). ``ours``: the package's template, without
    its style sheet (added here, parsed once) and with the short user-agent sheet; else a
    commune's, as it is, with WeasyPrint's own."""
    weasyprint, fonts, css, refuse, our_template = _typesetter()
    kind = our_template if ours and not full_user_agent else weasyprint.HTML
    document = kind(string=html, url_fetcher=refuse, base_url=None).render(stylesheets=[css] if ours else [], font_config=fonts)
    return document.write_pdf(), len(document.pages)


def html_to_pdf(html: str, *, ours: bool = True, full_user_agent: bool = False) -> bytes:
    return typeset(html, ours=ours, full_user_agent=full_user_agent)[0]


def render_pdf_pages(notice: Notice, template_dir: Path | str | None = None, html: str | None = None) -> tuple[bytes, int]:
    """The notice as a PDF file (bytes) and its number of pages (the register's "Số trang").

    With the package's template, the HTML is rendered without its style sheet, which is
    parsed once per process instead of once per letter. A commune's template keeps its own.
    """
    if template_dir is None:
        return typeset(render_html(notice, embed_css=False))
    return typeset(html if html is not None else render_html(notice, template_dir), ours=False)


def render_pdf(notice: Notice, template_dir: Path | str | None = None, html: str | None = None) -> bytes:
    """The notice as a PDF file (bytes)."""
    return render_pdf_pages(notice, template_dir, html)[0]
