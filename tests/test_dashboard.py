"""The dashboard (dashboard/): every page from the store, the numbers the store's own read side
gives, the province's ranks, trends and outliers, its table as CSV and XLSX (formulas written
as text), links that stay inside the site, and the site written through files.py."""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from pathlib import Path
from urllib.parse import urlparse

import lxml.html
import openpyxl
import pytest
from click.testing import CliRunner

from dondoc.cli import main
from dondoc.dashboard import model as V
from dondoc.dashboard.build import build
from dondoc.store import measures as M
from dondoc.store.store import Store
from tests.storekit import D1, D2, D3, PLAN, VHXH, night, seen


def page(path: Path):
    return lxml.html.fromstring(path.read_bytes())


def texts(cells) -> list[str]:
    return [" ".join(c.text_content().split()) for c in cells]


@pytest.fixture(scope="module")
def site(dashboard_store):
    path, built = dashboard_store
    store = Store.open(path, create=False)
    yield store, built.out
    store.close()


def test_every_page_type_is_written_under_a_megabyte_and_every_link_stays_inside_the_site(site):
    store, out = site
    pages = sorted(out.rglob("*.html"))
    kinds = {p.relative_to(out).parts[0] for p in pages}
    assert kinds == {"index.html", "tinh", "xa", "ke-hoach"}
    assert len(list((out / "ke-hoach").glob("*.html"))) == len(store.plans())
    for p in pages:
        assert p.stat().st_size < 2**20, p
        doc = page(p)
        anchors = {e.get("id") for e in doc.iter() if e.get("id")}
        for element, attribute, link, _ in doc.iterlinks():
            url = urlparse(link)
            assert not url.scheme and not url.netloc, f"{p}: {link} leaves the site"
            if url.path:
                assert (p.parent / url.path).resolve().is_file(), f"{p}: {link}"
            elif url.fragment:
                assert url.fragment in anchors, f"{p}: #{url.fragment}"
    assert {a.name for a in (out / "assets").iterdir()} == {"dashboard.css", "dashboard.js", "vega.js"}


def plan_page(store: Store, out: Path, plan: str):
    [view] = [p for p in V.plan_views(store.overview(), {}) if p.key == plan]
    return page(out / "ke-hoach" / f"{view.slug}.html")


def test_a_plans_open_findings_classes_and_letters_are_the_stores(site):
    store, out = site
    for o in store.overview():
        doc = plan_page(store, out, o.plan_key)
        # the open findings: those a night after the latest would know as open
        past = store.history([o.plan_key], o.latest + dt.timedelta(days=1))[o.plan_key]
        still = [f for f in past.findings.values() if f.resolved_on is None]
        rows = doc.cssselect("#bang-dang-mo tbody tr")
        assert len(rows) == len(still) == int(doc.cssselect("[data-so=mo]")[0].text)
        assert sorted(r.get("data-quy-tac") for r in rows) == sorted(f.rule for f in still)
        assert sorted(r.get("data-muc-do") for r in rows) == sorted(V.ascii_slug(f.severity) for f in still)
        # the classes per unit: the latest nights' totals, unit by unit, as plan_nights counts them
        nights = store.plan_nights(o.plan_key)[-14:]
        table = doc.cssselect("#bang-don-vi tbody tr")
        totals = sorted(tuple(int(c.text) for c in r.cssselect("td.o")) for r in table)
        units = {u for n in nights for u in n.counts} | {f.unit for f in still}
        assert totals == sorted(tuple(sum(n.counts.get(u, {}).values()) for n in nights) for u in units)
        # the letters: every letter of the plan but the superseded drafts
        letters = [letter for letter in store.letters(plan=o.plan_key) if letter.state != "superseded"]
        assert sorted(r.get("id") for r in doc.cssselect("#bang-cong-van tbody tr")) == sorted(f"cv-{letter.id}" for letter in letters)


def test_a_targets_card_says_its_figures_as_the_store_keeps_them(site):
    store, out = site
    [an_bien] = [o for o in store.overview() if o.plan_key.startswith("phuong-an-bien")]
    doc = plan_page(store, out, an_bien.plan_key)
    measures = M.read(an_bien.measures)
    for subject, t in measures.targets.items():
        [card] = doc.cssselect(f"article[data-target='{t.id}']")
        assert card.cssselect(".ket-qua")[0].text_content().startswith(V.formats.vn_measure(t.actual, t.measure))
        if t.projected is not None:
            projected = " ".join(card.cssselect(".du-bao")[0].text_content().split())
            assert projected.startswith(f"khoảng {V.formats.vn_measure(t.projected, t.measure)} (đến ngày {t.period_end:%d/%m/%Y}")
            assert f"từ {V.formats.vn_measure(t.projected_low, t.measure)} đến {V.formats.vn_measure(t.projected_high, t.measure)}" in projected
    assert any(t.projected is not None for t in measures.targets.values())


def test_the_province_ranks_its_communes_with_the_stores_values_trend_and_outliers(site):
    store, out = site
    views = V.plan_views(store.overview(), V.rule_infos(__import__("dondoc.engine.rulebook", fromlist=["x"]).load_book()))
    province = next(p for p in V.provinces(views) if p.name == "Thành phố Hải Phòng")
    doc = page(out / "tinh" / f"{province.slug}.html")
    for ind in V.INDICATORS:
        rows = doc.cssselect(f"table[data-indicator='{ind.key}'] tbody tr")
        values = {}
        for commune in province.communes:
            m = M.read(commune.current.overview.measures)
            if ind.kind == "target":
                found = [t.actual for s, t in sorted(m.targets.items(), key=lambda x: V.natural(x[0])) if t.category == ind.source and t.actual is not None]
                if found:
                    values[commune.name] = found[0]
            elif ind.kind == "reduction":
                cuts = [p.cuts[ind.source][2] for p in m.procedures.values() if p.cuts.get(ind.source) and p.cuts[ind.source][2] is not None]
                if cuts:
                    values[commune.name] = statistics.fmean(cuts)
        if ind.kind != "overdue":
            assert {r.get("data-commune") for r in rows} == set(values)
        shown = {r.get("data-commune"): r for r in rows}
        ranks = [int(r.cssselect("td")[0].text) for r in rows]
        assert ranks == sorted(ranks) and (not ranks or ranks[0] == 1)
        if ind.kind == "overdue":
            continue
        for name, value in values.items():
            assert texts(shown[name].cssselect("td.gia-tri"))[0] == V.formats.vn_measure(round(value, 2), "%")
        if len(values) >= V.MIN_FOR_OUTLIERS:  # Tukey's fences, worked out here apart
            q1, q3 = statistics.quantiles(values.values(), n=4, method="inclusive")[::2]
            for name, value in values.items():
                expected = "thấp bất thường" if value < q1 - 1.5 * (q3 - q1) else "cao bất thường" if value > q3 + 1.5 * (q3 - q1) else ""
                assert texts(shown[name].cssselect("td.bat-thuong")) == [expected]


def test_rank_ties_share_a_place_and_the_fences_are_strict():
    def view(name, value):
        v = V.PlanView.__new__(V.PlanView)
        v.commune, v.values, v.required, v.earlier = name, {"x": value}, {"x": None}, {"x": value - 1}
        v.overview = type("O", (), {"plan_key": name})()
        return v

    up = V.Indicator("x", "x", "%", +1, "target", "x")
    ranking = V.rank(up, [view("a", 5), view("b", 7), view("c", 7), view("d", 1)])
    assert [(r.plan.commune, r.rank) for r in ranking.rows] == [("b", 1), ("c", 1), ("a", 3), ("d", 4)]
    down = V.Indicator("y", "y", "", -1, "overdue", "qua-han")
    assert [r.plan.commune for r in V.rank(down, [view("a", 5), view("b", 7)]).rows] == []  # no value for "y"
    assert V.fences([1, 2, 3, 4, 5]) == (-1.0, 7.0)  # Q1 = 2, Q3 = 4
    assert V.fences([1, 2, 3]) is None  # fewer than MIN_FOR_OUTLIERS: no outliers said
    # four communes at 0 (Q1 = Q3 = 0, the fences at 0): a fifth at 0 is inside, at 0.01 or -0.01 outside
    def outliers(x):
        return {r.plan.commune: r.outlier for r in V.rank(up, [view(str(i), 0.0) for i in range(4)] + [view("x", x)]).rows}["x"]

    assert (outliers(0.0), outliers(0.01), outliers(-0.01)) == ("", "cao", "thấp")
    assert all(r.trend == 1 for r in ranking.rows)


def test_the_trend_is_the_latest_value_against_the_first_night_of_the_window(tmp_path):
    with Store.open(tmp_path / "kho.sqlite") as store:
        for day, value in ((D1, 80.0), (D2, 82.5), (D3, 85.0)):
            with store.night(day, version="t", rulebook_hash="t") as n:
                n.observe(PLAN, [], [], measures={"plan": {"issuer": "UBND xã Gia Lộc", "superior": "UBND TỈNH HẢI DƯƠNG"},
                                                  "target:CT01": {"category": "hai-long-tthc", "comparison": ">=", "value": 90, "measure": "%", "actual": value}})
                n.finish(0)
        [one] = V.plan_views(store.overview(window_days=1), {})
        [two] = V.plan_views(store.overview(window_days=30), {})
    assert (one.values["hai-long-tthc"], one.earlier["hai-long-tthc"]) == (85.0, 82.5)
    assert (two.values["hai-long-tthc"], two.earlier["hai-long-tthc"]) == (85.0, 80.0)
    assert (one.province, one.commune, one.required["hai-long-tthc"]) == ("Tỉnh Hải Dương", "Xã Gia Lộc", 90)


def test_the_province_table_as_csv_and_xlsx_writes_formulas_as_text(tmp_path):
    hostile = "=HYPERLINK(\"http://x\",\"a\")"
    with Store.open(tmp_path / "kho.sqlite") as store:
        for i, (issuer, value) in enumerate([(hostile, 91.0), ("+Sum(1,2)", 95.0), ("UBND xã Gia Lộc", 97.5), ("@cmd", 40.0), ("-2+3", 96.0)]):
            with store.night(D1, version="t", rulebook_hash="t") if i == 0 else store.night(D1 + dt.timedelta(days=i), version="t", rulebook_hash="t") as n:
                n.observe(f"plan-{i}", [], [], measures={"plan": {"issuer": issuer, "superior": "UBND TỈNH HẢI DƯƠNG", "number": f"{i}/KH-UBND", "year": 2026},
                                                       "target:CT01": {"category": "nop-ho-so-truc-tuyen", "comparison": ">=", "value": 90, "measure": "%", "actual": value}})
                n.finish(0)
        build(store, tmp_path / "site")
    rows = list(csv.reader(io.StringIO((tmp_path / "site/tinh/tinh-hai-duong.csv").read_text(encoding="utf-8-sig"))))
    header, body = rows[0], rows[1:]
    names = [r[1] for r in body]
    assert "'" + hostile in names and "'+Sum(1,2)" in names and "'@cmd" in names and "'-2+3" in names and "Xã Gia Lộc" in names
    value = header.index("Nộp hồ sơ trực tuyến: giá trị (%)")
    by_name = {r[1]: r for r in body}
    assert by_name["'@cmd"][value] == "40.0" and by_name["'@cmd"][value + 4] == "thấp bất thường"  # 40 below Q1 - 1.5 IQR
    assert by_name["Xã Gia Lộc"][value + 2] == "1"  # the highest: rank 1
    sheet = openpyxl.load_workbook(tmp_path / "site/tinh/tinh-hai-duong.xlsx").active
    cells = {sheet.cell(row=r, column=2).value: sheet.cell(row=r, column=2) for r in range(2, sheet.max_row + 1)}
    assert cells[hostile].data_type == "s" and cells[hostile].quotePrefix
    assert cells["-2+3"].data_type == "s" and cells["-2+3"].quotePrefix
    numbers = {sheet.cell(row=r, column=2).value: sheet.cell(row=r, column=5).value for r in range(2, sheet.max_row + 1)}
    assert numbers["Xã Gia Lộc"] == 97.5 and numbers["@cmd"] == 40


def test_the_command_writes_the_site_rebuilds_it_and_never_writes_over_what_it_did_not_write(tmp_path):
    with Store.open(tmp_path / "kho.sqlite") as store:
        night(store, D1, {PLAN: ([seen("r1", "task:1"), seen("r1", "task:2", unit=VHXH)], ["r1"])})
    runner = CliRunner()
    done = runner.invoke(main, ["dashboard", "--store", str(tmp_path / "kho.sqlite"), "--out", str(tmp_path / "site")])
    assert done.exit_code == 0, done.output
    assert "Mở: " in done.output and (tmp_path / "site" / "index.html").is_file()
    again = runner.invoke(main, ["dashboard", "--store", str(tmp_path / "kho.sqlite"), "--out", str(tmp_path / "site")])
    assert again.exit_code == 0, again.output
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "ghi-chu.txt").write_text("của tôi", encoding="utf-8")
    refused = runner.invoke(main, ["dashboard", "--store", str(tmp_path / "kho.sqlite"), "--out", str(tmp_path / "mine")])
    assert refused.exit_code == 2 and (tmp_path / "mine" / "ghi-chu.txt").read_text(encoding="utf-8") == "của tôi"
    missing = runner.invoke(main, ["dashboard", "--store", str(tmp_path / "khong-co.sqlite"), "--out", str(tmp_path / "x")])
    assert missing.exit_code == 2 and not (tmp_path / "khong-co.sqlite").exists()


def test_a_plan_without_its_header_is_shown_by_its_key_under_no_province(tmp_path):
    with Store.open(tmp_path / "kho.sqlite") as store:
        night(store, D1, {PLAN: ([seen("r1", "task:1", "nghiêm trọng")], ["r1"])})
        built = build(store, tmp_path / "site")
    doc = page(built.out / "tinh" / "chua-ro-tinh-thanh-pho.html")
    assert PLAN in texts(doc.cssselect("#cac-xa td"))
    index = page(built.out / "index.html")
    assert index.cssselect("#tong-mo")[0].text == "1" and index.cssselect("#tong-nghiem-trong")[0].text == "1"


def test_an_empty_store_gives_a_site_that_says_so(tmp_path):
    with Store.open(tmp_path / "kho.sqlite") as store:
        built = build(store, tmp_path / "site")
    assert built.pages == 1 and "0 kế hoạch" in (built.out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("authority, name", [
    ("UBND TỈNH HÀ TĨNH", "Tỉnh Hà Tĩnh"), ("UBND THÀNH PHỐ HỒ CHÍ MINH", "Thành phố Hồ Chí Minh"),
    ("UBND xã Gia Lộc", "Xã Gia Lộc"), ("Ủy ban nhân dân phường An Biên", "Phường An Biên"), ("", ""),
])
def test_place_names_read_as_staff_write_them(authority, name):
    assert V.place_name(authority) == name


def test_stored_subjects_read_as_staff_say_them():
    targets = {"target:CT01": M.target("target:CT01", {"text": "Tỷ lệ hồ sơ trực tuyến đạt 80%."})}
    assert V.subject_label("task:13", {}, {}) == "Nhiệm vụ số 13"
    assert V.subject_label("occurrence:7@2026-Q3", {}, {}) == "Nhiệm vụ số 7, kỳ quý III/2026"
    assert V.subject_label("target:CT01", targets, {}) == "Chỉ tiêu CT01 “Tỷ lệ hồ sơ trực tuyến đạt 80%”"
    assert V.subject_label("procedure:1.001612", {}, {}) == "Thủ tục 1.001612"


def test_a_missing_data_finding_of_the_early_warning_is_not_a_warning_nor_an_overdue_task(tmp_path):
    # One target met today with one measurement: the early warning's rule can only say it lacks
    # data (at its missing severity, "info"); the other, with a projection that misses, warns.
    target = {"category": "hai-long-tthc", "comparison": ">=", "value": 90, "measure": "%", "actual": 95.0, "measured_on": "2026-11-05",
              "period_end": "2026-12-31", "points": [["2026-10-31", 95.0]]}
    warned = {**target, "projection_points": 3, "projected": 88.0, "projected_low": 86.0, "projected_high": 90.5,
              "points": [["2026-08-31", 99.0], ["2026-09-30", 97.0], ["2026-10-31", 95.0]]}
    rule = "chi-tieu-nguy-co-khong-dat"
    with Store.open(tmp_path / "kho.sqlite") as store:
        with store.night(D1, version="t", rulebook_hash="t") as n:
            n.observe(PLAN, [seen(rule, "target:CT01", "info"), seen(rule, "target:CT02", "nhắc nhở")], [rule],
                      measures={"plan": {"issuer": "UBND xã Gia Lộc"}, "target:CT01": target, "target:CT02": warned})
            n.finish(0)
        build(store, tmp_path / "site")
        doc = plan_page(store, tmp_path / "site", PLAN)
    one, two = (doc.cssselect(f"article[data-target='{t}']")[0] for t in ("CT01", "CT02"))
    assert not one.cssselect(".nguy-co") and two.cssselect(".nguy-co")
    assert int(doc.cssselect("[data-so=nguy-co]")[0].text) == 1
    rules = {r.cssselect("td")[1].text_content().split("“")[0].strip(): r.cssselect("td")[2].text_content() for r in doc.cssselect("#bang-dang-mo tbody tr")}
    assert rules == {"Chỉ tiêu CT01": "Chỉ tiêu có nguy cơ không đạt (thiếu số liệu)", "Chỉ tiêu CT02": "Chỉ tiêu có nguy cơ không đạt"}
    # the overdue tasks of a province: the subjects of the section's rules at the severities their
    # condition gives; at the missing severity alone, a missing-data finding, not counted
    overdue = next(i for i in V.INDICATORS if i.kind == "overdue")
    info = V.RuleInfo("r", "r", overdue.source, frozenset({"cảnh báo", "nhắc nhở"}), "info", "thieu-so-lieu")
    shared = V.RuleInfo("s", "s", overdue.source, frozenset({"cảnh báo", "nhắc nhở"}), "nhắc nhở", "thieu-so-lieu")
    subjects = {"r": {"cảnh báo": 2, "info": 1}, "s": {"nhắc nhở": 1}}
    assert V.indicator_value(overdue, M.read({}), subjects, {"r": info, "s": shared}) == (3.0, None)


def test_coded_values_read_as_staff_say_them():
    assert V.plain_values({"deadline_kind": "continuous", "status": "chưa báo cáo"}, "task:3") == "loại thời hạn: thường xuyên; tình trạng: chưa báo cáo"
    assert V.plain_values({"comparison": ">=", "value": 80}, "target:CT02").startswith("so sánh: tối thiểu; ")


def test_the_plans_pages_over_two_workers_are_the_same_bytes_as_over_one(site, tmp_path, monkeypatch):
    from dondoc.dashboard import build as B

    store, _ = site
    monkeypatch.setattr(B, "PLANS_PER_TASK", 2)  # eleven plans: six tasks, both workers busy
    real, forked = B._forked, []

    def spy(site, jobs, workers):
        forked.append(workers)
        return real(site, jobs, workers)

    monkeypatch.setattr(B, "_forked", spy)
    now = dt.datetime(2026, 11, 23, 6, 30)
    one, two = build(store, tmp_path / "one", now=now, workers=1), build(store, tmp_path / "two", now=now, workers=2)

    def written(site):  # not the .xlsx (its zip's times) nor files.py's record of what it wrote (their times)
        return sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file() and p.suffix != ".xlsx" and not p.name.startswith("."))

    files = written(one.out)
    assert files == written(two.out)
    assert len([f for f in files if f.parts[0] == "ke-hoach"]) == len(store.plans()) > 2 * B.PLANS_PER_TASK
    assert all((one.out / f).read_bytes() == (two.out / f).read_bytes() for f in files)
    assert (one.pages, one.total_bytes, one.largest_page) == (two.pages, two.total_bytes, two.largest_page)
    assert forked == [2]  # the second over two processes, the first in this one
