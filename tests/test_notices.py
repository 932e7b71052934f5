"""Notices (công văn đôn đốc): content, Nghị định 30 formats, escaping, template errors, atomic writes.

The HTML is parsed (stdlib html.parser) and the assertions read the document's text,
so they check what an official would read, not how the markup happens to be spelled.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dondoc.engine.findings import Finding
from dondoc.facts.errors import InputError
from dondoc.facts.models import Plan, Signer
from dondoc.templates import (
    Notice,
    NoticeTemplateError,
    classify,
    dmy,
    render_notice,
    vn_date_words,
    vn_dmy,
    vn_number,
    write_notices,
)

UNIT = "Phòng Kinh tế"
AS_OF = dt.date(2026, 11, 22)
COUNTS = {
    "tong": 12,
    "hoan_thanh_dung_han": 3,
    "hoan_thanh_qua_han": 1,
    "dang_thuc_hien_trong_han": 2,
    "qua_han": 3,
    "chua_den_han": 2,
    "thuong_xuyen": 0,
    "khong_xac_dinh_han": 1,
}


# --- a small DOM over html.parser ---------------------------------------------------------

VOID = {"br", "hr", "meta", "link", "img", "col", "input", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        parts = [c if isinstance(c, str) else " " + c.text() + " " for c in self.children]
        return " ".join("".join(parts).split())

    def raw(self) -> str:
        """The text as written, white space (and non-breaking spaces) kept."""
        return "".join(c if isinstance(c, str) else c.raw() for c in self.children)

    def find_all(self, tag: str, cls: str | None = None) -> list[Node]:
        found = []
        for c in self.children:
            if isinstance(c, Node):
                if c.tag == tag and (cls is None or cls in c.classes):
                    found.append(c)
                found.extend(c.find_all(tag, cls))
        return found

    def find(self, tag: str, cls: str | None = None) -> Node:
        found = self.find_all(tag, cls)
        assert found, f"no <{tag} class={cls!r}> in the document"
        return found[0]


class Dom(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.root = self.cur = Node("#root", {}, None)
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_endtag(self, tag):
        node = self.cur
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None and node.parent is not None, f"stray </{tag}>"
        self.cur = node.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse(html: str) -> Node:
    return Dom(html).root


def norm(text: str) -> str:
    """Text as read: NBSPs are spaces, runs of spaces are one."""
    return " ".join(text.replace("\u00a0", " ").split())


def table_rows(doc: Node, cls: str) -> list[list[str]]:
    table = doc.find("table", cls)
    return [[td.text() for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]


# --- fixtures -----------------------------------------------------------------------------


def make_plan(**over) -> Plan:
    fields = dict(
        issuer="UBND xã Gia Lộc",
        superior="UBND THÀNH PHỐ HẢI PHÒNG",
        locality="Gia Lộc",
        number="97/KH-UBND",
        issued=dt.date(2026, 3, 23),
        year=2026,
        title="Thực hiện nhiệm vụ, giải pháp cải thiện môi trường kinh doanh năm 2026",
        monitor="Văn phòng HĐND và UBND xã",
        signer=Signer(authority="KT. CHỦ TỊCH", title="PHÓ CHỦ TỊCH", name="Đoàn Ngọc Thuần"),
    )
    fields.update(over)
    return Plan(**fields)


def finding(fact_kind: str, subject: str, fact: dict, *, kind="vi-pham", rule="r", unit=UNIT, **over) -> Finding:
    return Finding(
        rule=rule,
        title=over.pop("title", "Vi phạm"),
        kind=kind,
        plan="97/KH-UBND (UBND xã Gia Lộc)",
        fact_kind=fact_kind,
        subject=subject,
        unit=unit,
        severity=over.pop("severity", "cảnh báo"),
        message=over.pop("message", ""),
        fact={"plan": "97/KH-UBND", "unit": unit, **fact},
        **over,
    )


def task(number: str, title: str, **fact) -> dict:
    return {
        "task": number,
        "section": "II",
        "title": title,
        "deadline": "Tháng 10/2026",
        "deadline_kind": "due",
        "status": "đang thực hiện",
        "reports": 1,
        **fact,
    }


def target(tid: str, text: str, value, actual, comparison=">=", measure="%", **fact) -> dict:
    return {
        "target": tid,
        "text": text,
        "metric": tid.lower(),
        "comparison": comparison,
        "value": value,
        "measure": measure,
        "is_reduction": False,
        "scope": "",
        "period": "",
        "actual": actual,
        **fact,
    }


OVERDUE = [
    finding("task", "task:13", task("13", "Rà soát thủ tục đất đai", due="2026-10-31", days_overdue=22)),
    finding(
        "occurrence",
        "occurrence:7@2026-09-20",
        task(
            "7",
            "Báo cáo quý về giải quyết TTHC",
            deadline="Trước ngày 20 của tháng cuối quý",
            deadline_kind="recurring",
            due="2026-09-20",
            status="chưa báo cáo",
            days_overdue=63,
            period="2026-Q3",
        ),
    ),
]
TARGETS = [
    finding("target", "target:T2", target("T2", "Tỷ lệ hồ sơ trực tuyến", 95, 91.2, measured_on="2026-11-20")),
    finding("target", "target:T4", target("T4", "Chỉ số DDCI thành phần", 8.25, 7.5, measure="điểm")),
]
PROCEDURE = finding(
    "procedure",
    "procedure:1.001612",
    {
        "code": "1.001612",
        "name": "Đăng ký thành lập hộ kinh doanh",
        "baseline_year": 2024,
        "baseline_days": 5,
        "current_days": 4,
        "time_reduction": 20,
        "time_target": 50,
        "baseline_cost": 1500000,
        "current_cost": 750000,
        "cost_reduction": 50,
        "cost_target": 50,
    },
    values={"time_reduction": 20, "time_target": 50},
)
MISSING = finding(
    "target",
    "target:T3",
    target("T3", "Tỷ lệ thanh toán trực tuyến", 80, None),
    kind="thieu-du-lieu",
    missing=["actual"],
)
DUE_SOON = finding(
    "task", "task:15", task("15", "Tổng kết thực hiện Kế hoạch", due="2026-11-30", days_left=8), severity="nhắc nhở"
)
CONTINUOUS = finding(
    "task",
    "task:2",
    task("2", "Tuyên truyền Kế hoạch", deadline="Thường xuyên", deadline_kind="continuous", status="chưa báo cáo"),
    title="Nhiệm vụ thường xuyên chưa báo cáo tiến độ",
)
ALL = [*OVERDUE, *TARGETS, PROCEDURE, MISSING, DUE_SOON, CONTINUOUS]


def make_notice(findings=ALL, **over) -> Notice:
    fields = dict(plan=make_plan(), unit=UNIT, findings=list(findings), as_of=AS_OF, counts=dict(COUNTS))
    fields.update(over)
    return Notice(**fields)


@pytest.fixture(scope="module")
def doc() -> Node:
    return parse(render_notice(make_notice()))


# --- formats ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, words",
    [
        (dt.date(2026, 1, 5), "Gia Lộc, ngày 05 tháng 01 năm 2026"),
        (dt.date(2026, 2, 28), "Gia Lộc, ngày 28 tháng 02 năm 2026"),
        (dt.date(2026, 3, 3), "Gia Lộc, ngày 03 tháng 3 năm 2026"),
        (dt.date(2026, 11, 22), "Gia Lộc, ngày 22 tháng 11 năm 2026"),
        (dt.date(2026, 12, 9), "Gia Lộc, ngày 09 tháng 12 năm 2026"),
    ],
)
def test_date_in_words_has_the_nd30_leading_zeros(day, words):
    assert vn_date_words(day, "Gia Lộc") == words


def test_numeric_dates():
    assert dmy(dt.date(2026, 9, 9)) == "09/09/2026"
    assert dmy("2026-01-05") == "05/01/2026"
    assert vn_dmy(dt.date(2026, 3, 23)) == "23/3/2026"
    assert vn_dmy(dt.date(2026, 2, 27)) == "27/02/2026"


@pytest.mark.parametrize(
    "value, text",
    [(91.2, "91,2"), (95, "95"), (95.0, "95"), (8.25, "8,25"), (-3.8, "-3,8"), (1500000, "1.500.000"), (1234.5, "1.234,5")],
)
def test_numbers_use_the_decimal_comma(value, text):
    assert vn_number(value) == text


# --- the document -------------------------------------------------------------------------


def test_header_has_issuer_motto_number_and_date(doc):
    left = doc.find("td", "issuer")
    assert [d.text() for d in left.find_all("div", "superior")] == ["UBND THÀNH PHỐ HẢI PHÒNG"]
    assert [d.text() for d in left.find_all("div", "issuer-name")] == ["ỦY BAN NHÂN DÂN", "XÃ GIA LỘC"]
    right = doc.find("td", "motto")
    assert right.find("div", "nation").text() == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert right.find("div", "motto-sub").text() == "Độc lập - Tự do - Hạnh phúc"
    # the number is left blank for the clerk, with room to write it in
    number = doc.find("td", "number").text()
    assert number.startswith("Số:") and number.endswith("/UBND-VP")
    assert norm(number) == "Số: /UBND-VP" and "\u00a0" * 6 in doc.find("td", "number").raw()
    assert doc.find("td", "date-line").text() == "Gia Lộc, ngày 22 tháng 11 năm 2026"
    assert doc.find("td", "vv").text() == "V/v đôn đốc thực hiện Kế hoạch số 97/KH-UBND ngày 23/3/2026"


def test_number_under_ten_gets_a_leading_zero():
    d = parse(render_notice(make_notice(number="5", symbol="UBND-KT")))
    assert d.find("td", "number").text() == "Số: 05/UBND-KT"
    assert d.find("ul", "recipients").find_all("li")[-1].text() == "- Lưu: VT, KT."


def test_date_line_on_early_dates():
    d = parse(render_notice(make_notice(as_of=dt.date(2027, 1, 5))))
    assert d.find("td", "date-line").text() == "Gia Lộc, ngày 05 tháng 01 năm 2027"
    d = parse(render_notice(make_notice(as_of=dt.date(2027, 3, 3))))
    assert d.find("td", "date-line").text() == "Gia Lộc, ngày 03 tháng 3 năm 2027"


def test_addressed_to_the_unit_and_cites_the_plan(doc):
    assert doc.find("p", "addressee").text() == f"Kính gửi: {UNIT}."
    body = doc.text()
    assert "Ủy ban nhân dân xã Gia Lộc đã ban hành Kế hoạch số 97/KH-UBND ngày 23/3/2026 về thực hiện nhiệm vụ" in body
    counts = [li.text() for li in doc.find("ul", "counts").find_all("li")]
    assert "được giao chủ trì 12 nhiệm vụ" in body
    assert counts[0] == "- Hoàn thành đúng hạn: 03 nhiệm vụ;"
    assert "- Quá hạn chưa hoàn thành: 03 nhiệm vụ;" in counts
    assert "- Thực hiện thường xuyên, định kỳ: 0 nhiệm vụ;" in counts
    assert len(counts) == 7


def test_overdue_table_lists_each_task_with_days_overdue(doc):
    header = [th.text() for th in doc.find("table", "overdue").find_all("th")]
    assert header == ["TT", "Nhiệm vụ", "Thời hạn", "Số ngày quá hạn", "Tình trạng"]
    rows = table_rows(doc, "overdue")
    assert len(rows) == 2
    by_title = {r[1].split(" (")[0]: r for r in rows}
    occurrence = by_title["Báo cáo quý về giải quyết TTHC"]
    assert occurrence[3] == "63" and "20/09/2026" in occurrence[2] and "Quý III/2026" in occurrence[1]
    assert "Trước ngày 20 của tháng cuối quý" in occurrence[2]
    assert occurrence[4] == "Chưa báo cáo"
    task13 = by_title["Rà soát thủ tục đất đai"]
    assert task13[3] == "22" and "Tháng 10/2026" in task13[2] and "31/10/2026" in task13[2]
    assert [r[0] for r in rows] == ["1", "2"]


def test_missed_targets_use_the_decimal_comma(doc):
    rows = table_rows(doc, "targets")
    assert rows[0][1:] == ["Tỷ lệ hồ sơ trực tuyến", "≥ 95%", "91,2% số liệu ngày 20/11/2026", "-3,8 điểm %"]
    assert rows[1][1:] == ["Chỉ số DDCI thành phần", "≥ 8,25 điểm", "7,5 điểm", "-0,75 điểm"]


def test_missed_reductions_table(doc):
    rows = table_rows(doc, "reductions")
    assert len(rows) == 1  # the cost cut met its target; the finding was about time only
    assert rows[0][1] == "1.001612 - Đăng ký thành lập hộ kinh doanh"
    assert rows[0][2] == "Thời gian giải quyết: giảm 50% so với năm 2024"
    assert rows[0][3] == "giảm 20% (5 ngày → 4 ngày)"


def test_missing_data_due_soon_and_other_findings_are_listed(doc):
    missing = doc.find("ul", "missing").text()
    assert "Tỷ lệ thanh toán trực tuyến" in missing
    assert "báo cáo, cung cấp" in doc.text()
    soon = table_rows(doc, "due-soon")
    assert len(soon) == 1 and soon[0][1].startswith("Tổng kết thực hiện Kế hoạch") and soon[0][3] == "8"
    other = doc.find("ul", "other").text()
    assert "Nhiệm vụ thường xuyên chưa báo cáo tiến độ" in other and "Tuyên truyền Kế hoạch" in other


def test_each_finding_lands_in_exactly_one_section():
    s = classify(ALL)
    placed = [f for row in s.overdue + s.due_soon + s.targets + s.reductions for f in row.findings]
    placed += [row.finding for row in s.other + s.missing]
    assert sorted(f.subject for f in placed) == sorted(f.subject for f in ALL)


def test_two_rules_on_one_task_make_one_row():
    twice = finding("task", "task:13", task("13", "Rà soát thủ tục đất đai", due="2026-10-31", days_overdue=22), rule="r2")
    d = parse(render_notice(make_notice(findings=[*OVERDUE, twice])))
    assert len(table_rows(d, "overdue")) == 2


def test_request_and_reply_date(doc):
    text = doc.text()
    assert f"Ủy ban nhân dân xã đề nghị {UNIT} khẩn trương" in text
    assert "báo cáo kết quả thực hiện bằng văn bản về Ủy ban nhân dân xã" in text
    assert "trước ngày 29/11/2026" in text  # as_of + 7 days
    assert text.rstrip().count("./.") == 1


def test_signer_block_and_recipients(doc):
    signer = doc.find("td", "signer")
    assert [d.text() for d in signer.find_all("div") if d.text()] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đoàn Ngọc Thuần"]
    left = doc.find("td", "recipients")
    assert left.find("p").text() == "Nơi nhận:"
    items = [li.text() for li in left.find_all("li")]
    assert items[:2] == ["- Như trên;", "- Chủ tịch, các PCT UBND xã;"]
    assert items[-1].startswith("- Lưu: VT")


def test_default_signer_is_the_committee():
    d = parse(render_notice(make_notice(plan=make_plan(signer=Signer(name="Nguyễn Văn A")))))
    signer = [x.text() for x in d.find("td", "signer").find_all("div") if x.text()]
    assert signer == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn A"]


def test_task_title_is_escaped():
    evil = finding("task", "task:9", task("9", "Lập <script>alert(1)</script> kế hoạch", due="2026-10-01", days_overdue=52))
    html = render_notice(make_notice(findings=[evil]))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    d = parse(html)
    assert d.find_all("script") == []
    assert "Lập <script>alert(1)</script> kế hoạch" in table_rows(d, "overdue")[0][1]


def test_no_empty_sections_without_findings_of_that_kind():
    d = parse(render_notice(make_notice(findings=OVERDUE)))
    assert [t.classes - {"data"} for t in d.find_all("table", "data")] == [{"overdue"}]
    assert d.find_all("ul", "missing") == [] and d.find_all("ul", "other") == []
    headings = [h.text() for h in d.find_all("h2")]
    assert headings == ["1. Nhiệm vụ quá hạn"]
    for table in d.find_all("table", "data"):
        assert table.find("tbody").find_all("tr")


def test_no_findings_still_gives_a_complete_letter():
    d = parse(render_notice(make_notice(findings=[])))
    assert d.find_all("table", "data") == []
    assert "tiếp tục triển khai thực hiện các nhiệm vụ được giao" in d.text()


def test_draft_plan_without_number():
    plan = make_plan(number="", issued=None, superior="", issuer="UBND xã Quyết Thắng", locality="Quyết Thắng")
    d = parse(render_notice(make_notice(plan=plan, findings=[])))
    assert d.find("td", "vv").text() == "V/v đôn đốc thực hiện Kế hoạch năm 2026"
    assert d.find_all("div", "superior") == []
    assert [x.text() for x in d.find_all("div", "issuer-name")] == ["ỦY BAN NHÂN DÂN", "XÃ QUYẾT THẮNG"]


def test_nfd_input_is_printed_in_nfc():
    unit = unicodedata.normalize("NFD", "Phòng Văn hóa - Xã hội")
    f = finding("task", "task:1", task("1", unicodedata.normalize("NFD", "Tổ chức lễ hội"), days_overdue=3), unit=unit)
    html = render_notice(make_notice(unit=unit, findings=[f]))
    assert html == unicodedata.normalize("NFC", html)
    assert "Kính gửi: Phòng Văn hóa - Xã hội." in html


# --- Notice checks its input --------------------------------------------------------------


def test_a_notice_refuses_another_units_findings():
    other = finding("task", "task:1", task("1", "X", days_overdue=3), unit="Phòng Nội vụ")
    with pytest.raises(ValueError, match="Phòng Nội vụ"):
        make_notice(findings=[other])


def test_findings_with_no_unit_go_to_the_monitor():
    orphan = finding("task", "task:1", task("1", "X", days_overdue=3), unit="")
    make_notice(unit="Văn phòng HĐND và UBND xã", findings=[orphan])
    with pytest.raises(ValueError):
        make_notice(findings=[orphan])


def test_counts_must_have_every_key():
    counts = dict(COUNTS)
    del counts["qua_han"]
    with pytest.raises(ValueError, match="qua_han"):
        make_notice(counts=counts)


def test_reply_by_defaults_to_a_week():
    assert make_notice().reply_by == dt.date(2026, 11, 29)
    assert make_notice(reply_by=dt.date(2026, 12, 1)).reply_by == dt.date(2026, 12, 1)


# --- templates: overrides and errors ------------------------------------------------------


def test_override_template_can_extend_the_default(tmp_path):
    (tmp_path / "notice.html.j2").write_text(
        '{% extends "dondoc/notice.html.j2" %}{% block addressee %}<p class="addressee">Kính gửi: {{ unit }} (bản riêng).</p>{% endblock %}',
        encoding="utf-8",
    )
    d = parse(render_notice(make_notice(), template_dir=tmp_path))
    assert d.find("p", "addressee").text() == f"Kính gửi: {UNIT} (bản riêng)."
    assert d.find("td", "motto").find("div", "nation").text() == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def test_broken_override_names_file_and_line(tmp_path):
    bad = tmp_path / "notice.html.j2"
    bad.write_text("<html>\n<body>\n{% if unit %}\n<p>{{ unit }}</p>\n</body>\n", encoding="utf-8")
    with pytest.raises(NoticeTemplateError) as e:
        render_notice(make_notice(), template_dir=tmp_path)
    assert e.value.filename == str(bad.resolve())
    assert e.value.lineno is not None and e.value.lineno >= 3
    assert str(bad.resolve()) in str(e.value) and f"line {e.value.lineno}" in str(e.value)


def test_undefined_variable_names_file_and_line(tmp_path):
    bad = tmp_path / "notice.html.j2"
    bad.write_text("<p>{{ unit }}</p>\n<p>{{ no_such_thing }}</p>\n", encoding="utf-8")
    with pytest.raises(NoticeTemplateError, match="no_such_thing") as e:
        render_notice(make_notice(), template_dir=tmp_path)
    assert (e.value.filename, e.value.lineno) == (str(bad.resolve()), 2)


def test_missing_override_is_an_error(tmp_path):
    with pytest.raises(NoticeTemplateError, match="notice.html.j2"):
        render_notice(make_notice(), template_dir=tmp_path)
    with pytest.raises(NoticeTemplateError, match="does not exist"):
        render_notice(make_notice(), template_dir=tmp_path / "nowhere")


# --- writing ------------------------------------------------------------------------------


def test_write_notices_names_files_by_plan_and_unit(tmp_path):
    other = finding("task", "task:1", task("1", "X", days_overdue=3), unit="Phòng Văn hoá - Xã hội, Đoàn thể")
    notices = [make_notice(), make_notice(unit="Phòng Văn hoá - Xã hội, Đoàn thể", findings=[other])]
    out = tmp_path / "out" / "notices"
    paths = write_notices(notices, out)
    assert [p.name for p in paths] == [
        "97-KH-UBND__phong-kinh-te.html",
        "97-KH-UBND__phong-van-hoa-xa-hoi-doan-the.html",
    ]
    assert all(p.read_text(encoding="utf-8").startswith("<!DOCTYPE html>") for p in paths)
    assert [p.name for p in tmp_path.joinpath("out").iterdir() if "lock" not in p.name] == ["notices"]  # no temporary left


def test_rewrite_replaces_yesterdays_notices(tmp_path):
    out = tmp_path / "notices"
    write_notices([make_notice(), make_notice(unit="Phòng Nội vụ", findings=[])], out)
    write_notices([make_notice()], out)
    assert sorted(p.name for p in out.glob("*.html")) == ["97-KH-UBND__phong-kinh-te.html"]


def test_template_error_writes_nothing(tmp_path):
    broken = tmp_path / "tpl"
    broken.mkdir()
    (broken / "notice.html.j2").write_text("{{ unit }\n", encoding="utf-8")
    out = tmp_path / "out" / "notices"
    with pytest.raises(NoticeTemplateError):
        write_notices([make_notice()], out, template_dir=broken)
    assert not (tmp_path / "out").exists()

    good = write_notices([make_notice()], out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    late = make_notice(unit="Phòng Nội vụ", findings=[])
    with pytest.raises(NoticeTemplateError):
        write_notices([late, make_notice()], out, template_dir=broken)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in (tmp_path / "out").iterdir() if "lock" not in p.name] == ["notices"]
    assert good[0].exists()


def test_a_folder_not_written_here_is_never_replaced(tmp_path):
    out = tmp_path / "demo"
    out.mkdir()
    (out / "findings.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match="không do dondoc ghi"):
        write_notices([make_notice()], out)
    assert [p.name for p in out.iterdir()] == ["findings.json"]


def test_two_notices_for_one_unit_are_refused(tmp_path):
    with pytest.raises(ValueError, match="two notices"):
        write_notices([make_notice(), make_notice()], tmp_path / "n")
    assert not (tmp_path / "n").exists()
