"""The dashboard in a real browser: Debian's Chromium, headless, driven by Playwright's Python
package with the system browser (no browser download; `make test` installs chromium from the
Makefile's SYSTEM_PACKAGES). Every page type loads from disk with nothing fetched from
elsewhere, its charts drawn and no script error; the numbers shown are the store's; the
filters of the open findings work and live in the address; the tables read without
JavaScript; a page prints to A4. Screenshots go to out/dashboard-screenshots/."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from dondoc.dashboard import model as V
from dondoc.engine.rulebook import load_book
from dondoc.store.store import Store

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "out" / "dashboard-screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As the machine's notes say: headless, no sandbox (root), and none of Chromium's own calls home.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason="Debian's chromium is not installed (make test installs it as root)")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        # Debian's own build, not a browser Playwright would have downloaded
        assert launched.version in subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site(dashboard_store):
    path, built = dashboard_store
    store = Store.open(path, create=False)
    views = V.plan_views(store.overview(), V.rule_infos(load_book()))
    yield store, built.out, views
    store.close()


class Visit:
    """A page opened from disk, every request that is not a file refused and counted."""

    def __init__(self, browser, javascript: bool = True):
        self.context = browser.new_context(viewport={"width": 1200, "height": 900}, java_script_enabled=javascript)
        self.outside: list[str] = []
        self.errors: list[str] = []

        def route(r):
            if r.request.url.startswith("file://"):
                return r.continue_()
            self.outside.append(r.request.url)
            return r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def open(self, path: Path, query: str = ""):
        self.page.goto(path.as_uri() + query)
        return self.page

    def drawn(self) -> int:
        """Wait until every chart of the page is drawn (an SVG inside), and count them."""
        page = self.page
        total = page.locator("figure[data-chart]").count()
        if total:
            page.wait_for_function("document.querySelectorAll('figure.drawn svg').length === document.querySelectorAll('figure[data-chart]').length", timeout=30000)
        return total

    def shot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self):
        self.context.close()


def plan_with_most(views, what) -> V.PlanView:
    return max(views, key=what)


def test_every_page_type_loads_draws_its_charts_and_fetches_nothing(browser, site):
    store, out, views = site
    hai_phong = next(p for p in V.provinces(views) if p.name == "Thành phố Hải Phòng")
    plan = plan_with_most(views, lambda p: len(p.overview.open))
    an_bien = next(p for p in views if p.key.startswith("phuong-an-bien"))
    pages = {
        "tong-quan": out / "index.html",
        "tinh": out / "tinh" / f"{hai_phong.slug}.html",
        "xa": out / "xa" / hai_phong.slug / f"{hai_phong.communes[0].slug}.html",
        "ke-hoach": out / "ke-hoach" / f"{plan.slug}.html",
        "ke-hoach-du-bao": out / "ke-hoach" / f"{an_bien.slug}.html",
    }
    visit = Visit(browser)
    try:
        for name, path in pages.items():
            page = visit.open(path)
            charts = visit.drawn()
            if name in ("tinh", "ke-hoach", "ke-hoach-du-bao"):
                assert charts > 0, name
            assert page.locator("h1").count() == 1
            visit.shot(name)
        assert visit.outside == [] and visit.errors == []
    finally:
        visit.close()


def test_the_numbers_shown_are_the_stores(browser, site):
    store, out, views = site
    visit = Visit(browser)
    try:
        page = visit.open(out / "index.html")
        open_total = sum(len(o.open) for o in store.overview())
        assert page.locator("#tong-mo").inner_text() == str(open_total)
        by_province = {p.name: sum(len(c.plans[0].overview.open) if len(c.plans) == 1 else sum(len(x.overview.open) for x in c.plans)
                                   for c in p.communes) for p in V.provinces(views)}
        rows = page.locator("#cac-tinh tbody tr")
        shown = {rows.nth(i).locator("td").nth(0).inner_text(): int(rows.nth(i).locator("td").nth(3).inner_text()) for i in range(rows.count())}
        assert shown == by_province

        plan = plan_with_most(views, lambda p: len(p.overview.open))
        page = visit.open(out / "ke-hoach" / f"{plan.slug}.html")
        past = store.history([plan.key], plan.latest + dt.timedelta(days=1))[plan.key]
        still = [f for f in past.findings.values() if f.resolved_on is None]
        assert page.locator("[data-so=mo]").inner_text() == str(len(still))
        assert page.locator("[data-so=nghiem-trong]").inner_text() == str(sum(1 for f in still if f.severity == "nghiêm trọng"))
        last = store.plan_nights(plan.key)[-1]
        cells = page.locator("#bang-don-vi tbody tr td.o:last-child")
        assert sorted(int(cells.nth(i).inner_text()) for i in range(cells.count())) == sorted(
            [sum(c.values()) for c in last.counts.values()] + [0] * (cells.count() - len(last.counts)))
        # the charts drew what the page carries: one rectangle per unit and night
        units = page.locator("#bang-don-vi tbody tr").count()
        assert page.locator("figure[data-chart=units] svg path[aria-roledescription='rect']").count() in (0, units * len(store.plan_nights(plan.key)))
    finally:
        visit.close()


def test_the_filters_show_what_they_say_and_keep_it_in_the_address(browser, site):
    store, out, views = site
    plan = plan_with_most(views, lambda p: len({f.severity for f in p.overview.open}) * 100 + len(p.overview.open))
    visit = Visit(browser)
    try:
        page = visit.open(out / "ke-hoach" / f"{plan.slug}.html")
        rows = page.locator("#bang-dang-mo tbody tr")
        total = rows.count()
        assert total == len(plan.overview.open)
        severity = sorted({f.severity for f in plan.overview.open}, key=lambda s: V.SEVERITY_ORDER[s])[-1]
        page.select_option("select[name=muc-do]", V.ascii_slug(severity))
        visible = page.locator("#bang-dang-mo tbody tr:not([hidden])")
        expected = sum(1 for f in plan.overview.open if f.severity == severity)
        assert visible.count() == expected < total
        assert page.locator("form.loc .dem").inner_text() == f"Đang hiện {expected}/{total} nội dung"
        assert f"muc-do={V.ascii_slug(severity)}" in page.url
        visit.shot("ke-hoach-loc-muc-do")
        # a unit and a rule as well: only rows with all three
        rule = next(f.rule for f in plan.overview.open if f.severity == severity)
        page.select_option("select[name=quy-tac]", rule)
        assert visible.count() == sum(1 for f in plan.overview.open if f.severity == severity and f.rule == rule)
        # the address opens the same view; "Bỏ lọc" shows everything again
        again = visit.open(out / "ke-hoach" / f"{plan.slug}.html", "?" + page.url.split("?", 1)[1])
        assert again.locator("#bang-dang-mo tbody tr:not([hidden])").count() == visible.count()
        again.click("form.loc button[type=reset]")
        assert again.locator("#bang-dang-mo tbody tr:not([hidden])").count() == total and "?" not in again.url
        # a letter link lands on the letter's row
        link = again.locator("#bang-dang-mo a[href^='#cv-']").first
        if link.count():
            target = link.get_attribute("href")
            link.click()
            assert again.locator(target).is_visible()
        assert visit.errors == []
    finally:
        visit.close()


def test_without_javascript_every_table_reads_and_the_charts_say_where_their_numbers_are(browser, site):
    store, out, views = site
    plan = plan_with_most(views, lambda p: len(p.overview.open))
    visit = Visit(browser, javascript=False)
    try:
        page = visit.open(out / "ke-hoach" / f"{plan.slug}.html")
        assert page.locator("#bang-dang-mo tbody tr:visible").count() == len(plan.overview.open)
        assert not page.locator("form.loc").is_visible()  # the filters need the script: hidden, not broken
        assert page.locator(".can-js").first.is_visible()
        visit.shot("ke-hoach-khong-javascript")
        hai_phong = next(p for p in V.provinces(views) if p.name == "Thành phố Hải Phòng")
        page = visit.open(out / "tinh" / f"{hai_phong.slug}.html")
        assert page.locator("table.xep-hang tbody tr:visible").count() > 0
    finally:
        visit.close()


def test_a_page_prints_on_a4(browser, site):
    from pypdf import PdfReader

    store, out, views = site
    hai_phong = next(p for p in V.provinces(views) if p.name == "Thành phố Hải Phòng")
    plan = plan_with_most(views, lambda p: len(p.overview.open))
    visit = Visit(browser)
    try:
        for name, path in (("tinh", out / "tinh" / f"{hai_phong.slug}.html"), ("ke-hoach", out / "ke-hoach" / f"{plan.slug}.html")):
            page = visit.open(path)
            visit.drawn()
            page.emulate_media(media="print")
            assert not page.locator("form.loc").is_visible() and not page.locator("nav.muc-luc").is_visible()
            pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
            for sheet in pdf.pages:  # A4: 210 x 297 mm, 595 x 842 points
                assert (round(float(sheet.mediabox.width)), round(float(sheet.mediabox.height))) == (595, 842)
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{name}-in.png"), full_page=True)
            page.emulate_media(media="screen")
    finally:
        visit.close()
