"""``dondoc dashboard --store ... --out SITE``: a static site from the store, Vietnamese
throughout, that opens from disk or an intranet with nothing fetched from elsewhere.

    index.html                          the provinces, the nights recorded
    tinh/<tỉnh>.html                    a province: its communes ranked per indicator, with the
    tinh/<tỉnh>.csv, .xlsx              trend and the outliers (dashboard/model.py); the table as a file
    xa/<tỉnh>/<xã>.html                 a commune: its plans
    ke-hoach/<kế hoạch>.html            a plan: what changed since its previous night, the classes per
                                        unit over the nights, each target against its required
                                        level with the projection, the open findings (filters),
                                        the letters
    assets/                             the style, the script, vega.js (from vl-convert's own bundle)

Every table is HTML and reads without JavaScript; the script adds the filters and draws the
charts (Vega-Lite) from the numbers the page carries. The site is written through files.py
(``replace_folder``): the previous site or the new one, never a mix.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import signal
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib.metadata import version as package_version
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

import jinja2

from dondoc.dashboard import export
from dondoc.dashboard import model as V
from dondoc.engine.findings import SEVERITY_ORDER
from dondoc.errors import EXIT_STATUSES
from dondoc.facts.kinds import SEVERITY_LABELS
from dondoc.engine.rulebook import load_book
from dondoc.files import replace_folder
from dondoc.store.history import EVENTS
from dondoc.store.records import STATE_NAMES
from dondoc.store.store import Store
from dondoc.templates import formats
from dondoc.templates.charts import SEVERITY_COLOURS
from dondoc.templates.sections import SECTIONS, WARNING_SECTION
from dondoc.templates.summary import REQUIREMENT_WORDS
from dondoc.text import ascii_slug, unit_key

HERE = Path(__file__).resolve().parent
UNITS_TABLE_NIGHTS = 14  # the classes table shows the latest nights; the chart shows them all
NO_UNIT = "(không có đơn vị chủ trì)"
NONE_CLASS = "không có"  # a unit with no finding that night
MISSING_DATA = " (thiếu số liệu)"  # after a rule's title, on its missing-data findings
NONE_COLOUR = "#cfe8d1"
CHANGE_ORDER = ("new", "escalated", "reopened", "eased", "resolved", "unchecked")  # "open" is no change


@dataclass(frozen=True)
class Built:
    out: Path
    pages: int
    plans: int
    provinces: int
    largest_page: tuple[str, int]  # (relative path, bytes)
    total_bytes: int
    read_s: float
    render_s: float


slug = functools.lru_cache(maxsize=65536)(ascii_slug)  # a national site slugs the same few words a million times


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["dmy"] = formats.dmy
    env.filters["num"] = lambda v, digits=2: formats.vn_number(v, digits)
    env.filters["muc"] = lambda s: "muc-" + slug(s)
    env.filters["slug"] = slug
    env.filters["json"] = _json_script
    return env


def _json_script(value: Any) -> str:
    """JSON inside <script type="application/json">: "</" cannot close the element."""
    from markupsafe import Markup

    text = json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return Markup(text)


def vega_bundle() -> str:
    """vega, vega-lite and vega-embed in one script, as vl-convert ships them (its own copy, no
    download); kept in dondoc's cache by vl-convert's version: bundling takes seconds."""
    import vl_convert

    from dondoc.cache import cached

    key = f"vega-bundle|{package_version('vl-convert-python')}"
    return cached("dashboard", key, vl_convert.javascript_bundle)


# -- texts --------------------------------------------------------------------------------------------


def measure_text(value: float | None, measure: str) -> str:
    return formats.vn_measure(value, measure)


def required_text(t) -> str:
    if t.value is None:
        return formats.EMPTY
    return f"{REQUIREMENT_WORDS.get(t.comparison, t.comparison)} {formats.vn_measure(t.value, t.measure)}"


def projection_text(t) -> str:
    if t.projected is None:
        return ""
    when = f"đến ngày {formats.dmy(t.period_end)}" if t.period_end else ""
    spread = (f"có thể từ {formats.vn_measure(t.projected_low, t.measure)} đến {formats.vn_measure(t.projected_high, t.measure)}"
              if t.projected_low is not None and t.projected_high is not None else "")
    note = "; ".join(x for x in (when, spread) if x)
    return f"khoảng {formats.vn_measure(t.projected, t.measure)}" + (f" ({note})" if note else "")


def trend_text(value: float | None, better: int) -> tuple[str, str]:
    """("▲ +3,2", "tot") — the change and whether it went the good way."""
    if value is None:
        return formats.EMPTY, ""
    if value == 0:
        return "= 0", ""
    arrow = "▲" if value > 0 else "▼"
    sign = "+" if value > 0 else "-"
    return f"{arrow} {sign}{formats.vn_number(abs(value))}", "tot" if value * better > 0 else "xau"


def severity_label(severity: str) -> str:
    return SEVERITY_LABELS.get(severity, severity)


LABELS = [severity_label(s) for s in V.SEVERITIES]


# -- the pages ------------------------------------------------------------------------------------------


class Site:
    def __init__(self, store: Store, rules: Sequence[str | Path] = (), window_days: int = V.WINDOW_DAYS, now: dt.datetime | None = None):
        started = time.perf_counter()
        self.overviews = store.overview(window_days)
        self.runs = store.runs()
        self.rules = V.rule_infos(load_book(list(rules), strict=True))
        self.plans = V.plan_views(self.overviews, self.rules)
        self.provinces = V.provinces(self.plans)
        self.read_s = time.perf_counter() - started
        self.window_days = window_days
        self.env = _environment()
        self.version = package_version("dondoc")
        self.built = (now or dt.datetime.now()).strftime("%H:%M ngày %d/%m/%Y")
        self.latest = max((p.latest for p in self.plans), default=None)
        self.commune_of: dict[str, tuple[V.Province, V.Commune]] = {}
        for province in self.provinces:
            for commune in province.communes:
                for plan in commune.plans:
                    self.commune_of[plan.key] = (province, commune)

    # paths, relative to the site's root
    @staticmethod
    def plan_path(plan: V.PlanView) -> str:
        return f"ke-hoach/{plan.slug}.html"

    @staticmethod
    def province_path(province: V.Province) -> str:
        return f"tinh/{province.slug}.html"

    @staticmethod
    def commune_path(province: V.Province, commune: V.Commune) -> str:
        return f"xa/{province.slug}/{commune.slug}.html"

    def rule_title(self, rule: str, severity: str = "") -> str:
        """The rule's title; a missing-data finding says so ("chỉ tiêu có nguy cơ không đạt" with
        too few measurements is not a warning)."""
        info = self.rules.get(rule)
        if info is None:
            return rule
        return info.title + (MISSING_DATA if severity and info.section_of(severity) != info.section else "")

    def page(self, template: str, path: str, **context: Any) -> str:
        depth = path.count("/")
        root = "../" * depth
        return self.env.get_template(template).render(
            **{"root": root, "version": self.version, "built": self.built, "site_latest": formats.dmy(self.latest), "charts": False,
               **context},
        )

    def render(self, workers: int = 1) -> Iterable[tuple[str, str | bytes]]:
        """Every file of the site, in a fixed order: the index, each province's page and tables,
        each commune's page, then each plan's page (over ``workers`` processes: the same bytes)."""
        yield "index.html", self.index()
        jobs = []
        for province in self.provinces:
            yield self.province_path(province), self.province(province)
            table = export.table(self, province)
            yield f"tinh/{province.slug}.csv", export.csv_file(table)
            yield f"tinh/{province.slug}.xlsx", export.xlsx_bytes(table, province.name)
            for commune in province.communes:
                yield self.commune_path(province, commune), self.commune(province, commune)
                jobs.extend((province, commune, plan) for plan in commune.plans)
        if workers <= 1 or len(jobs) <= PLANS_PER_TASK:
            for job in jobs:
                yield self.plan_path(job[2]), self.plan(*job)
            return
        yield from _forked(self, jobs, workers)

    # -- index ----------------------------------------------------------------------------------------

    def index(self) -> str:
        rows = []
        for province in self.provinces:
            plans = [p for c in province.communes for p in c.plans]
            rows.append({
                "name": province.name, "href": self.province_path(province), "communes": len(province.communes),
                "plans": len(plans), **self._tally(plans),
            })
        nights = [{
            "date": formats.dmy(r.check_date), "plans": r.plans, "past": r.past,
            "status": "" if r.exit_status is None else str(r.exit_status),
            "meaning": "chưa ghi xong (lần chạy bị dừng giữa chừng)" if r.exit_status is None else EXIT_STATUSES.get(r.exit_status, ""),
        } for r in reversed(self.runs)]
        totals = self._tally(self.plans)
        return self.page("index.html.j2", "index.html", title="Tổng quan", trail=[("Tổng quan", "")],
                         provinces=rows, nights=nights, totals=totals, plans=len(self.plans))

    @staticmethod
    def _tally(plans: Sequence[V.PlanView]) -> dict[str, int]:
        out = {"open": 0, "serious": 0, "new": 0, "resolved": 0}
        for p in plans:
            out["open"] += len(p.overview.open)
            out["serious"] += sum(1 for f in p.overview.open if f.severity == "nghiêm trọng")
            out["new"] += sum(1 for c in p.overview.changes if c.event in ("new", "reopened"))
            out["resolved"] += len(p.overview.resolved)
        return out

    # -- a province ---------------------------------------------------------------------------------------

    def province(self, province: V.Province) -> str:
        path = self.province_path(province)
        sections = []
        for ranking in province.rankings():
            ind = ranking.indicator
            rows = []
            for r in ranking.rows:
                trend, trend_class = trend_text(r.trend, ind.better)
                rows.append({
                    "rank": r.rank, "commune": r.plan.commune, "href": "../" + self.plan_path(r.plan),
                    "value": measure_text(r.value, ind.measure if ind.kind != "overdue" else ""), "raw": r.value,
                    "required": measure_text(r.required, ind.measure) if r.required is not None else "",
                    "trend": trend, "trend_class": trend_class,
                    "outlier": {"thấp": "thấp bất thường", "cao": "cao bất thường"}.get(r.outlier, ""),
                })
            chart = {
                "measure": ind.measure, "median": ranking.median, "fences": list(ranking.fences) if ranking.fences else None,
                "points": [{"c": r.plan.commune, "v": r.value, "r": r.rank,
                            "o": {"thấp": "thấp bất thường", "cao": "cao bất thường"}.get(r.outlier, "bình thường")} for r in ranking.rows],
            }
            sections.append({
                "key": ind.key, "label": ind.label, "better": ind.better, "rows": rows, "required": ind.kind == "target", "chart": chart if ranking.rows else None,
                "missing": [p.commune for p in ranking.missing],
                "median": formats.vn_number(ranking.median) if ranking.median is not None else formats.EMPTY,
                "fences": [formats.vn_number(x) for x in ranking.fences] if ranking.fences else None,
            })
        communes = []
        for commune in province.communes:
            current = commune.current
            communes.append({
                "name": commune.name, "href": "../" + self.commune_path(province, commune),
                "plans": [{"label": self._plan_label(p), "href": "../" + self.plan_path(p)} for p in commune.plans],
                "latest": formats.dmy(current.latest), **self._tally(commune.plans),
            })
        return self.page(
            "province.html.j2", path, title=province.name, charts=True,
            trail=[("Tổng quan", "../index.html"), (province.name, "")], province=province.name, slug=province.slug,
            sections=sections, communes=communes, window=self.window_days, min_outliers=V.MIN_FOR_OUTLIERS,
        )

    @staticmethod
    def _plan_label(plan: V.PlanView) -> str:
        number = f"Kế hoạch số {plan.number}" if plan.number else "Kế hoạch (dự thảo)"
        return f"{number}" + (f" năm {plan.year}" if plan.year else "")

    # -- a commune ---------------------------------------------------------------------------------------

    def commune(self, province: V.Province, commune: V.Commune) -> str:
        path = self.commune_path(province, commune)
        plans = []
        for p in commune.plans:
            severities = {s: sum(1 for f in p.overview.open if f.severity == s) for s in V.SEVERITIES}
            plans.append({
                "label": self._plan_label(p), "title": p.title, "href": "../../" + self.plan_path(p),
                "latest": formats.dmy(p.latest), "nights": len(p.overview.nights), "open": len(p.overview.open),
                "severities": [(severity_label(s), s, n) for s, n in severities.items() if n],
                **{k: v for k, v in self._tally([p]).items() if k in ("new", "resolved")},
            })
        return self.page(
            "commune.html.j2", path, title=commune.name,
            trail=[("Tổng quan", "../../index.html"), (province.name, "../../" + self.province_path(province)), (commune.name, "")],
            commune=commune.name, province=province.name, plans=plans,
        )

    # -- a plan -------------------------------------------------------------------------------------------

    def plan(self, province: V.Province, commune: V.Commune, plan: V.PlanView) -> str:
        path = self.plan_path(plan)
        o, m = plan.overview, plan.measures
        # units by the names the plan gives them: a target's leads, a letter's one addressee
        names = {unit_key(lead): lead for t in m.targets.values() for lead in t.leads}
        names.update((letter.unit_keys[0], letter.addressees[0]) for letter in o.letters if len(letter.unit_keys) == len(letter.addressees) == 1)

        def unit_name(key: str) -> str:
            return names.get(key) or (key[:1].upper() + key[1:] if key else NO_UNIT)

        label = lambda subject: V.subject_label(subject, m.targets, m.procedures)  # noqa: E731
        letters = {letter.ref.id: letter for letter in o.letters}

        # what changed tonight
        # a finding resolved while its item is still open is no "đã khắc phục" (PlanOverview.resolved)
        resolved = set(o.resolved)
        changed = [c for c in o.changes if c.event != "open" and (c.event != "resolved" or c in resolved)]
        change_counts = [(EVENTS[e], sum(1 for c in changed if c.event == e)) for e in CHANGE_ORDER]
        changes = [{
            "unit": unit_name(c.unit), "subject": label(c.subject), "rule": self.rule_title(c.rule, c.severity or ""), "event": EVENTS[c.event],
            "before": severity_label(c.before) if c.before else "", "now": severity_label(c.severity) if c.severity and c.event not in ("resolved",) else "",
            "severity": c.severity or "",
        } for c in sorted(changed, key=lambda c: (CHANGE_ORDER.index(c.event), c.unit, c.subject))]

        # classes per unit over the nights
        units = sorted({u for n in o.nights for u in n.counts} | {f.unit for f in o.open}, key=lambda u: (u == "", unit_name(u)))
        # each unit's night once: (its worst severity, the findings per severity, worst first)
        grid = [[(V.worst(n.counts.get(u, {})), [n.counts.get(u, {}).get(s, 0) for s in V.SEVERITIES]) for n in o.nights] for u in units]
        shown = o.nights[-UNITS_TABLE_NIGHTS:]
        unit_rows = []
        for u, cells in zip(units, grid):
            unit_rows.append({"name": unit_name(u), "cells": [{
                "total": sum(by), "class": slug(w) if w else "khong",
                "title": "; ".join(f"{LABELS[i]}: {n}" for i, n in enumerate(by) if n) or NONE_CLASS,
            } for w, by in cells[-UNITS_TABLE_NIGHTS:]]})
        classes = [severity_label(s) for s in V.SEVERITIES] + [NONE_CLASS]
        units_chart = {  # compact: the script makes one rectangle per unit and night
            "units": [unit_name(u) for u in units], "nights": [n.check_date.isoformat() for n in o.nights],
            "classes": classes, "colours": [SEVERITY_COLOURS[s] for s in V.SEVERITIES] + [NONE_COLOUR],
            "grid": [[[V.SEVERITIES.index(w) if w else len(V.SEVERITIES), *by] for w, by in cells] for cells in grid],
        }

        # targets
        open_by_subject = V.by_key(o.open, lambda f: f.subject)
        targets = []
        for subject, t in m.targets.items():
            found = open_by_subject.get(subject, [])
            sections = {self.rules[f.rule].section_of(f.severity) for f in found if f.rule in self.rules}
            at_risk = WARNING_SECTION in sections
            chart = None
            if t.points or t.actual is not None:
                points = list(t.points) or ([(t.measured_on, t.actual)] if t.measured_on and t.actual is not None else [])
                values = [v for _, v in points] + [x for x in (t.value, t.projected_low, t.projected_high) if x is not None]
                if points:
                    low, high = min(values), max(values)
                    pad = (high - low) * 0.1 or 1
                    chart = {
                        "measure": t.measure, "required": t.value, "requiredText": required_text(t), "atRisk": at_risk,
                        "domain": [low - pad, high + pad],
                        "points": [{"d": d.isoformat(), "dmy": formats.dmy(d), "v": v} for d, v in points],
                        "projection": {
                            "from": {"d": points[-1][0].isoformat(), "v": points[-1][1]}, "end": t.period_end.isoformat(),
                            "value": t.projected, "low": t.projected_low, "high": t.projected_high, "text": projection_text(t),
                        } if t.projected is not None and t.period_end else None,
                    }
            targets.append({
                "id": t.id, "subject": subject, "text": t.text or label(subject), "required": required_text(t),
                "actual": measure_text(t.actual, t.measure), "measured_on": formats.dmy(t.measured_on) if t.measured_on else "",
                "projection": projection_text(t), "points": len(t.points), "at_risk": at_risk,
                "category": V.TARGET_LABELS.get(t.category, t.category),
                "findings": sorted({self.rule_title(f.rule, f.severity) for f in found}), "chart": chart,
                "series": [(formats.dmy(d), formats.vn_measure(v, t.measure)) for d, v in t.points],
            })

        # open findings
        rows = []
        for f in sorted(o.open, key=lambda f: (-SEVERITY_ORDER.get(f.severity, 0), unit_name(f.unit), f.subject)):
            rows.append({
                "unit": unit_name(f.unit), "unit_slug": slug(unit_name(f.unit)) or "khong", "subject": label(f.subject),
                "rule": self.rule_title(f.rule, f.severity), "rule_id": f.rule, "severity": f.severity, "severity_label": severity_label(f.severity),
                "since": formats.dmy(f.first_seen), "days": V.days_between(o.latest, f.first_seen), "checked": f.checked,
                "measured": V.plain_values(f.values, f.subject), "reopened": f.reopened,
                "letters": [{"id": i, "text": self._letter_short(letters[i])} for i in f.letters if i in letters],
            })
        filters = {
            "don-vi": sorted({(r["unit_slug"], r["unit"]) for r in rows}, key=lambda x: x[1]),
            "muc-do": [(slug(s), severity_label(s)) for s in V.SEVERITIES if any(r["severity"] == s for r in rows)],
            "quy-tac": sorted({(r["rule_id"], self.rule_title(r["rule_id"])) for r in rows}, key=lambda x: x[1]),
        }

        letter_rows = [{
            "id": letter.ref.id, "state": STATE_NAMES.get(letter.ref.state, letter.ref.state), "cited": letter.ref.cited,
            "check_date": formats.dmy(letter.ref.check_date), "addressees": "; ".join(letter.addressees),
            "signed_on": formats.dmy(letter.ref.signed_on) if letter.ref.signed_on else "",
            "sent_on": formats.dmy(letter.ref.sent_on) if letter.ref.sent_on else "",
            "reply_by": formats.dmy(letter.ref.reply_by) if letter.ref.reply_by else "",
            "replied_on": formats.dmy(letter.ref.replied_on) if letter.ref.replied_on else "",
            "void": f"hủy ngày {formats.dmy(letter.voided_on)}: {letter.void_reason}" if letter.voided_on else "",
            "findings": len(letter.findings), "files": list(letter.files),
        } for letter in reversed(o.letters)]

        return self.page(
            "plan.html.j2", path, title=f"{commune.name}: {self._plan_label(plan)}", charts=True,
            trail=[("Tổng quan", "../index.html"), (province.name, "../" + self.province_path(province)),
                   (commune.name, "../" + self.commune_path(province, commune)), (self._plan_label(plan), "")],
            plan=plan, plan_label=self._plan_label(plan), commune=commune.name, province=province.name,
            latest=formats.dmy(o.latest), previous=formats.dmy(o.previous) if o.previous else "", nights=len(o.nights),
            first=formats.dmy(o.nights[0].check_date),
            tiles={"open": len(o.open), "serious": sum(1 for f in o.open if f.severity == "nghiêm trọng"),
                   "unchecked": sum(1 for f in o.open if not f.checked), "at_risk": sum(1 for t in targets if t["at_risk"]),
                   "letters": len(o.letters)},
            change_counts=change_counts, changes=changes, nights_shown=[formats.dmy(n.check_date)[:5] for n in shown],
            nights_all=len(o.nights), unit_rows=unit_rows, units_chart=units_chart if units else None,
            targets=targets, rows=rows, filters=filters, letters=letter_rows, warning_heading=SECTIONS[WARNING_SECTION].heading,
        )

    @staticmethod
    def _letter_short(letter) -> str:
        ref = letter.ref
        state = STATE_NAMES.get(ref.state, ref.state)
        return f"#{ref.id} (số {ref.cited}, {state})" if ref.cited else f"#{ref.id} ({state})"


# -- the plans' pages over processes -----------------------------------------------------------------------
#
# A plan's page is most of the work (a national site: 3,321 of them, two thirds of the build). Forked
# workers share the site already read (nothing is pickled to them but plan numbers) and send back the
# pages' bytes, in plan order: one worker or two, the same site. They never touch the store.

PLANS_PER_TASK = 32
_FORKED: tuple[Site, list] | None = None  # the site and its plan jobs, as each worker inherits them


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _worker_start() -> None:
    # Ctrl-C and SIGTERM are the parent's to handle (files.py discards the staging folder); a worker
    # stops when the parent shuts the pool down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _plan_pages(numbers: range) -> list[tuple[str, bytes]]:
    assert _FORKED is not None
    site, jobs = _FORKED
    return [(site.plan_path(jobs[i][2]), site.plan(*jobs[i]).encode("utf-8")) for i in numbers]


def _forked(site: Site, jobs: list, workers: int) -> Iterator[tuple[str, bytes]]:
    global _FORKED
    _FORKED = (site, jobs)
    pool = ProcessPoolExecutor(workers, mp_context=get_context("fork"), initializer=_worker_start)
    try:
        tasks = [range(i, min(i + PLANS_PER_TASK, len(jobs))) for i in range(0, len(jobs), PLANS_PER_TASK)]
        for pages in pool.map(_plan_pages, tasks):
            yield from pages
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _FORKED = None


def build(store: Store, out: str | Path, *, rules: Sequence[str | Path] = (), window_days: int = V.WINDOW_DAYS,
          now: dt.datetime | None = None, workers: int | None = None) -> Built:
    """Write the site for ``store`` into ``out`` (replaced whole); the plans' pages over ``workers``
    processes (default: the cores this process may use)."""
    site = Site(store, rules, window_days, now)
    workers = default_workers() if workers is None else workers
    started = time.perf_counter()
    pages, total, largest = 0, 0, ("", 0)
    with replace_folder(out, option="--out") as staging:
        staging.write_text("assets/dashboard.css", (HERE / "static" / "dashboard.css").read_text(encoding="utf-8"))
        staging.write_text("assets/dashboard.js", (HERE / "static" / "dashboard.js").read_text(encoding="utf-8"))
        staging.write_text("assets/vega.js", vega_bundle())
        for rel, content in site.render(workers):
            data = content.encode("utf-8") if isinstance(content, str) else content
            staging.write_bytes(rel, data)
            if rel.endswith(".html"):
                pages += 1
                total += len(data)
                if len(data) > largest[1]:
                    largest = (rel, len(data))
    return Built(Path(out), pages, len(site.plans), len(site.provinces), largest, total, round(site.read_s, 2),
                 round(time.perf_counter() - started, 2))
