"""PDF notices: the HTML notice typeset by WeasyPrint (no browser, so no browser header or footer).

The page, margins and page numbers come from notice.css (@page). The fonts are the
system's Times New Roman or its metric twin Liberation Serif (the Makefile installs
Debian's fonts-liberation2, and libharfbuzz-subset0 so that fonts are subset fast).
Nothing is fetched while typesetting: a template's link to a file or a web address is
refused, so a commune's template cannot pull anything into a notice.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from dondoc.templates.render import PACKAGE_DIR, Notice, render_html

STYLESHEET = PACKAGE_DIR / "notice.css"
USER_AGENT = PACKAGE_DIR / "notice-ua.css"  # the browser defaults our own template needs


@functools.lru_cache(maxsize=1)
def _typesetter():
    """WeasyPrint, its font configuration and our style sheet, loaded once per process."""
    import weasyprint
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
