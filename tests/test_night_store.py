"""The night that remembers (night/keeping.py, night/cadence.py): nights over one store, as an
office lives them. The tiny plan: task 1 of Phòng Kinh tế overdue since 31/10/2026 (cảnh báo
from its 15th day, nghiêm trọng from its 30th: 30/11), target CT01 missed (no lead: the
monitoring unit, Văn phòng HĐND và UBND xã, has it). 22/11/2026 is a Sunday; 24/11 is a holiday
(Ngày Văn hóa Việt Nam): letters signed on 23/11 answer by 01/12."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dondoc.cli import main
from dondoc.store.store import Store

TINY = Path(__file__).parent / "fixtures" / "tiny"
PLAN = "xa-thu-nghiem-2026-05-KH-UBND"
ECONOMY, OFFICE = "phong-kinh-te", "van-phong-hdnd-va-ubnd-xa"


class Office:
    """One commune's plan, store and nights."""

    def __init__(self, root: Path, store: str) -> None:
        self.plan = root / "plan"
        shutil.copytree(TINY, self.plan)
        self.store = store
        self.root = root
        # The office's register opened at 01 (dondoc never opens one itself: store/book.py opened).
        self.run("register", "start", "--store", store, "--next", "1", "--year", "2026", "--issuer", "UBND xã Thử Nghiệm")

    def run(self, *args: str) -> object:
        result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
        assert result.exit_code in (0, 1), result.output
        return result

    def night(self, day: str) -> dict:
        out = self.root / f"out-{day}"
        self.run("check", self.plan, "--as-of", day, "--out", out, "--store", self.store, "--format", "html", "--no-summary")
        run = json.loads((out / "run.json").read_text(encoding="utf-8"))
        run["findings_json"] = json.loads((out / "findings.json").read_text(encoding="utf-8"))
        run["drafted"] = {entry["letter"].split("/")[1]: entry for entry in run["letters"] if entry["drafted"]}
        run["kept"] = {entry["letter"].split("/")[1]: entry["why"] for entry in run["letters"] if not entry["drafted"]}
        run["out"] = out
        return run

    def letters(self, state: str | None = None) -> list[dict]:
        args = ["letters", "list", "--store", self.store, "--json"] + (["--state", state] if state else [])
        return json.loads(self.run(*args).output)

    def sign_all(self, on: str) -> list[str]:
        printed = self.run("letters", "sign", "--store", self.store, "--all", "--on", on, "--out", self.root / "da-ky").output
        return [line for line in printed.splitlines() if line.startswith("Đã ký")]

    def report(self, done_on: str) -> None:
        """Phòng Kinh tế reports task 1 done (a progress line dated then: unknown to earlier nights)."""
        (self.plan / "progress.csv").write_text(
            "task,status,done_on,reported_on,evidence\n2,đang thực hiện,,2026-06-30,Báo cáo 6 tháng\n"
            f"1,hoàn thành,{done_on},{done_on},Đã tổ chức đối thoại\n",
            encoding="utf-8",
        )


@pytest.fixture
def office(tmp_path, store_url) -> Office:
    """On SQLite in `make test`; on a throwaway PostgreSQL cluster in `make test-postgres`."""
    return Office(tmp_path, store_url)


def test_the_first_night_drafts_every_letter_unnumbered_and_every_finding_is_new(office):
    night = office.night("2026-11-22")
    assert set(night["drafted"]) == {ECONOMY, OFFICE} and night["changes"]["mới"] == 2
    assert {f["since"]["change"] for f in night["findings_json"]} == {"mới"}
    html = (night["out"] / "notices" / PLAN / f"{ECONOMY}.html").read_text(encoding="utf-8")
    assert "Số: \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/UBND-VP" in html  # no number before signing
    assert [letter["state"] for letter in office.letters()] == ["draft", "draft"]


def test_a_night_rerun_on_its_date_replaces_it_and_keeps_its_letters(office):
    first = office.night("2026-11-22")
    again = office.night("2026-11-22")
    assert again["changes"] == first["changes"] and set(again["drafted"]) == set(first["drafted"])
    letters = office.letters()
    assert len(letters) == 2 and {letter["state"] for letter in letters} == {"draft"}  # the same two, not four


def test_an_unsigned_unchanged_draft_is_not_drafted_again(office):
    office.night("2026-11-22")
    night = office.night("2026-11-23")
    assert night["drafted"] == {} and set(night["kept"].values()) == {"chờ ký"}
    assert {f["since"]["change"] for f in night["findings_json"]} == {"còn"}


def test_numbers_are_given_at_signing_from_the_offices_next_number(office):
    office.night("2026-11-22")
    office.run("register", "start", "--store", office.store, "--next", "412", "--year", "2026", "--issuer", "UBND xã Thử Nghiệm")
    signed = office.sign_all("23/11/2026")
    assert [line.split("số ")[1].split(" ")[0] for line in signed] == ["412/UBND-VP", "413/UBND-VP"]
    assert all("hạn trả lời 01/12/2026" in line for line in signed)  # 24/11 is a holiday
    docx = sorted((office.root / "da-ky" / "2026").glob("*.docx"))
    assert [p.name[:4] for p in docx] == ["412-", "413-"]
    # the signed letter says its number, its date and the reply date counted from it (night/signing.py)
    from docx import Document

    text = "\n".join(p.text for p in Document(docx[0]).paragraphs) + "".join(
        c.text for t in Document(docx[0]).tables for r in t.rows for c in r.cells)
    assert "412/UBND-VP" in text and "ngày 23 tháng 11 năm 2026" in text and "01/12/2026" in text


@pytest.mark.parametrize("day, lapsed", [("2026-12-01", False), ("2026-12-02", True)])
def test_a_follow_up_goes_the_day_after_the_reply_date_not_on_it(office, day, lapsed):
    office.night("2026-11-22")
    office.sign_all("23/11/2026")
    night = office.night(day)
    if not lapsed:  # 01/12: the reply date itself; nothing new, nothing worse for the office's letter
        assert OFFICE in night["kept"]
        return
    assert night["drafted"][OFFICE]["why"] == "quá hạn trả lời"
    html = (night["out"] / "notices" / PLAN / f"{OFFICE}.html").read_text(encoding="utf-8")
    assert "Tiếp theo Công văn số 02/UBND-VP ngày 23/11/2026" in html
    assert "đã quá thời hạn báo cáo (ngày 01/12/2026)" in html and "Đôn đốc lần thứ 2" in html


def test_a_reply_recorded_stops_the_follow_up(office):
    office.night("2026-11-22")
    office.sign_all("23/11/2026")
    office_letter = next(letter for letter in office.letters() if "Văn phòng" in letter["addressees"][0])
    office.run("letters", "replied", str(office_letter["id"]), "--store", office.store, "--on", "30/11/2026")
    night = office.night("2026-12-02")
    assert OFFICE not in night["drafted"] and night["kept"][OFFICE] == "không có gì mới"


def test_escalation_sends_a_letter_once_the_cadence_allows_it(office):
    office.night("2026-11-22")
    office.sign_all("23/11/2026")
    # 27/11: task 1 is 27 days late (cảnh báo still): nothing new for Phòng Kinh tế.
    assert ECONOMY in office.night("2026-11-27")["kept"]
    # 30/11: its 30th day, nghiêm trọng: escalated; 30/11 is the 4th working day after 23/11 (24/11 a holiday).
    night = office.night("2026-11-30")
    assert night["changes"]["tăng mức"] == 1
    assert night["kept"][ECONOMY] == "chưa đủ 5 ngày làm việc từ công văn trước"
    # 01/12: the 5th working day: the letter goes, saying why.
    night = office.night("2026-12-01")
    assert night["drafted"][ECONOMY]["why"] == "tăng mức độ"


def test_what_was_put_right_is_resolved_and_the_monitors_letter_lists_it(office):
    office.night("2026-11-22")
    office.sign_all("23/11/2026")
    office.report("2026-11-27")
    night = office.night("2026-12-02")
    assert night["changes"]["đã khắc phục"] == 1 and ECONOMY not in night["drafted"]
    html = (night["out"] / "notices" / PLAN / f"{OFFICE}.html").read_text(encoding="utf-8")
    assert "Kể từ Công văn số 02/UBND-VP ngày 23/11/2026, nội dung sau đã được khắc phục:" in html  # one item
    assert "Nhiệm vụ số 1 “Tổ chức đối thoại với doanh nghiệp”" in html
    history = json.loads(office.run("history", "--store", office.store, "--plan", PLAN, "--json").output)
    assert history  # the plan's nights, as the store tells them
    # what the night handed the store (night/keeping.py): the rules that ran (so it is resolved
    # there too, not left unchecked), the night's status and counts, its targets' measures
    with Store.open(office.store) as store:
        [story] = [s for s in store.findings(plan=PLAN) if s.subject == "task:1" and s.rule == "nhiem-vu-qua-han"]
        assert (story.events[-1].check_date, story.events[-1].event) == (dt.date(2026, 12, 2), "resolved")
        last = store.runs()[-1]
        assert (last.check_date, last.exit_status, last.counts["findings"]) == (dt.date(2026, 12, 2), 0, len(night["findings_json"]))
        [overview] = store.overview()
        assert overview.measures  # tonight's measured targets


def test_a_night_without_out_reads_the_store_and_records_nothing(office):
    office.night("2026-11-22")
    before = office.letters()
    result = office.run("check", office.plan, "--as-of", "2026-11-23", "--store", office.store, "--json")
    assert {f["since"]["change"] for f in json.loads(result.output)} == {"còn"}
    assert office.letters() == before


def test_the_past_reaches_the_rules_facts(office):
    """times_notified and reply_lapsed come from the store: the shipped ladder raises task 1 to
    nghiêm trọng after the second letter's reply date passed, before its 30th day."""
    office.night("2026-11-10")  # 10 days late: nhắc nhở
    office.sign_all("10/11/2026")  # replies due 17/11
    office.night("2026-11-18")  # lapsed: the second letter
    office.sign_all("18/11/2026")  # replies due 25/11 (24/11 a holiday: 26/11)
    night = office.night("2026-11-27")
    [task] = [f for f in night["findings_json"] if f["subject"] == "task:1"]
    assert task["fact"]["times_notified"] == 2 and task["fact"]["reply_lapsed"] is True
    assert task["fact"]["days_overdue"] == 27 and task["severity"] == "nghiêm trọng"


def test_an_unsigned_draft_about_what_was_put_right_is_withdrawn_not_left_to_be_signed(office):
    office.night("2026-11-22")
    office.report("2026-11-23")
    night = office.night("2026-11-24")
    assert ECONOMY not in night["drafted"] and ECONOMY not in night["kept"]  # nothing left to tell it
    states = {tuple(letter["addressees"]): letter["state"] for letter in office.letters()}
    assert states[("Phòng Kinh tế",)] == "superseded" and states[("Văn phòng HĐND và UBND xã",)] == "draft"


def test_a_task_that_was_due_soon_and_is_overdue_was_not_put_right(office):
    """Put right is said of an item, not of a rule: task 1 due 27/11 is 'sắp đến hạn' on 22/11
    and 'quá hạn' on 02/12; the first finding is gone, the task is not done (found by reading the
    demo's letters: the monitor's letter listed such a task as put right)."""
    plan = office.plan / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("deadline: Tháng 10/2026", "deadline: Trước ngày 27/11/2026"), encoding="utf-8")
    first = office.night("2026-11-22")
    assert {f["rule"] for f in first["findings_json"] if f["subject"] == "task:1"} == {"nhiem-vu-sap-den-han"}
    office.sign_all("23/11/2026")
    night = office.night("2026-12-02")
    assert {f["rule"] for f in night["findings_json"] if f["subject"] == "task:1"} == {"nhiem-vu-qua-han"}
    assert night["changes"]["đã khắc phục"] == 0
    html = (night["out"] / "notices" / PLAN / f"{OFFICE}.html").read_text(encoding="utf-8")
    assert "đã được khắc phục" not in html


def test_a_follow_up_names_what_the_unit_put_right_before_saying_no_report_came(office):
    """Phòng Kinh tế is told of tasks 1 and 2 on 23/11; it puts task 1 right on 27/11 and says
    nothing of task 2: the follow-up after the reply date (01/12) must not say no report came at
    all (found by reading the demo's letters)."""
    progress = office.plan / "progress.csv"
    progress.write_text("task,status,done_on,reported_on,evidence\n", encoding="utf-8")
    first = office.night("2026-11-22")
    assert {f["subject"] for f in first["findings_json"] if f["unit"] == "Phòng Kinh tế"} == {"task:1", "task:2"}
    office.sign_all("23/11/2026")
    progress.write_text("task,status,done_on,reported_on,evidence\n1,hoàn thành,2026-11-27,2026-11-27,Đã tổ chức\n", encoding="utf-8")
    night = office.night("2026-12-02")
    html = " ".join((night["out"] / "notices" / PLAN / f"{ECONOMY}.html").read_text(encoding="utf-8").split())
    assert ("đến nay đã quá thời hạn báo cáo (ngày 01/12/2026); ngoài Nhiệm vụ số 1 “Tổ chức đối thoại với doanh nghiệp”"
            " đã được khắc phục, Ủy ban nhân dân xã chưa nhận được báo cáo của Phòng Kinh tế về nội dung còn lại") in html


def test_a_draft_plans_unchanged_letter_waits_for_the_plan_not_for_a_signature(office):
    """A plan without its number and date: its letters cannot be signed, so the night says what
    they wait for (found by reading the demo: Quyết Thắng's drafts were 'chờ ký')."""
    plan = office.plan / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("  number: 05/KH-UBND\n", "  number: /KH-UBND\n").replace("  issued: 2026-01-15\n", ""), encoding="utf-8")
    office.night("2026-11-22")
    night = office.night("2026-11-23")
    assert set(night["kept"].values()) == {"chờ Kế hoạch ban hành"}
    # signed by its id all the same: refused, saying what to do (night/signing.py)
    from dondoc.errors import InputError
    from dondoc.night.signing import drafts_to_sign, sign

    with Store.open(office.store) as store:
        letter = store.letters(state="draft")[0]
        with pytest.raises(InputError) as caught:
            sign(store, [letter.id], by="A", on=dt.date(2026, 11, 24), out=office.root / "da-ky")
        assert caught.value.message == f"công văn #{letter.id} đôn đốc một kế hoạch chưa ban hành (chưa có số, ngày): không ký được"
        assert caught.value.hint == "ghi số, ngày ban hành vào plan.yaml, chạy lại dondoc check, rồi ký dự thảo mới"
        assert store.lines() == []
        # `letters sign --all` leaves every one of them waiting, saying for what
        waiting = [(d.id, "kế hoạch chưa ban hành (chưa có số, ngày)") for d in store.letters(state="draft")]
        assert drafts_to_sign(store) == ([], waiting) and len(waiting) == 2


def test_a_letter_is_signed_by_whom_the_office_says_else_by_whom_it_was_drafted_for(office):
    from docx import Document

    from dondoc.night.signing import sign

    office.night("2026-11-22")

    def text(path):
        document = Document(path)
        return "\n".join(p.text for p in document.paragraphs) + "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)

    with Store.open(office.store) as store:
        first, second = (letter.id for letter in store.letters(state="draft")[:2])
        [signed] = sign(store, [first], by="Trần Thị Bình", on=dt.date(2026, 11, 23), out=office.root / "ra",
                        title="TRƯỞNG BAN CHỈ ĐẠO", authority="TM. BAN CHỈ ĐẠO")
        words = text(next(p for p in signed.files if p.suffix == ".docx"))
        assert "Trần Thị Bình" in words and "TRƯỞNG BAN CHỈ ĐẠO" in words and "TM. BAN CHỈ ĐẠO" in words
        assert signed.letter.signer == "Trần Thị Bình"
        [drafted] = sign(store, [second], by=None, on=dt.date(2026, 11, 23), out=office.root / "ra")
        assert drafted.letter.signer and drafted.letter.signer != "Trần Thị Bình"  # the name the draft was written for
        assert "Trần Thị Bình" not in text(next(p for p in drafted.files if p.suffix == ".docx"))


def test_the_monitoring_unit_is_called_so_once(office):
    """Its letter holds only the plan's common items: the opening says it is the monitoring unit,
    and the paragraph on the common items does not say it again (found by reading the demo)."""
    night = office.night("2026-11-22")
    html = " ".join((night["out"] / "notices" / PLAN / f"{OFFICE}.html").read_text(encoding="utf-8").split())
    assert "Văn phòng HĐND và UBND xã là đơn vị theo dõi việc thực hiện Kế hoạch." in html
    assert ("không giao đơn vị chủ trì (ghi rõ tại từng nội dung), Văn phòng HĐND và UBND xã có trách nhiệm tổ chức thực hiện") in html


def test_the_past_read_in_chunks_of_plans_is_the_past_read_at_once_and_by_workers_forked_before_it(tmp_path, monkeypatch):
    """Keeping reads a store's history HISTORY_CHUNK plans at a time into a spill the workers,
    forked before the store is opened, read when they check a plan: the next night over two
    plans is the same, byte for byte, read one plan at a time, and over two workers."""
    from dondoc.night import keeping

    plans = [tmp_path / "tiny", tmp_path / "an-bien"]
    shutil.copytree(TINY, plans[0])
    shutil.copytree(Path(__file__).resolve().parent.parent / "examples" / "an-bien-2026", plans[1])
    store = tmp_path / "kho.sqlite"

    def check(day: str, out: Path, kho: Path, workers: int = 1) -> None:
        result = CliRunner().invoke(main, ["check", *map(str, plans), "--as-of", day, "--out", str(out), "--store", str(kho),
                                           "--format", "html", "--no-summary", "--workers", str(workers)], catch_exceptions=False)
        assert result.exit_code in (0, 1), result.output

    check("2026-11-22", tmp_path / "first", store)
    shutil.copy(store, tmp_path / "kho-2.sqlite")
    shutil.copy(store, tmp_path / "kho-3.sqlite")
    check("2026-11-30", tmp_path / "whole", store)
    check("2026-11-30", tmp_path / "forked", tmp_path / "kho-3.sqlite", workers=2)
    monkeypatch.setattr(keeping, "HISTORY_CHUNK", 1)
    check("2026-11-30", tmp_path / "chunked", tmp_path / "kho-2.sqlite")
    whole = json.loads((tmp_path / "whole" / "findings.json").read_text(encoding="utf-8"))
    assert whole and any(f["since"]["change"] != "mới" for f in whole)  # the past was read
    letters = lambda out: sorted(p.relative_to(out).as_posix() for p in (out / "notices").rglob("*.html"))  # noqa: E731
    for other in ("chunked", "forked"):
        assert (tmp_path / other / "findings.json").read_bytes() == (tmp_path / "whole" / "findings.json").read_bytes()
        assert letters(tmp_path / other) == letters(tmp_path / "whole")


def test_a_signed_letter_takes_the_offices_signer_and_templates_and_the_register_keeps_its_files_pages_and_reply_date(office):
    """What night/signing.py hands the store and the files: the signer of the office's settings
    over the plan's, its template folder, the reply date counted from the signing day, the file
    names cut to their lengths, and the register line's files and pages."""
    from pypdf import PdfReader

    from dondoc.errors import InputError
    from dondoc.night.signing import drafts_to_sign, sign

    long_unit = "Phòng Kinh tế Hạ tầng và Đô thị xã Thử Nghiệm"  # its slug: 45 letters, past the 40 kept
    plan = office.plan / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("Phòng Kinh tế", long_unit), encoding="utf-8")
    (office.plan / "mau").mkdir()
    (office.plan / "mau" / "notice.html.j2").write_text(
        '{% extends "dondoc/notice.html.j2" %}{% block closing %}{{ super() }}<p>Theo mau rieng cua xa</p>{% endblock %}',
        encoding="utf-8")
    (office.plan / "dondoc.yaml").write_text(
        "symbol: UBND-VP-HDND-UBND-THUNGHIEM\n"  # its slug: 27 letters, past the 20 kept
        "signer: {authority: TM. ỦY BAN NHÂN DÂN, title: CHỦ TỊCH, name: Lê Thị Hoa}\n"
        "templates: mau\n", encoding="utf-8")
    office.night("2026-11-22")
    with Store.open(office.store) as store:
        drafts = {letter.addressees[0]: letter.id for letter in store.letters(state="draft")}
        assert drafts_to_sign(store) == (sorted(drafts.values()), [])
        assert drafts_to_sign(store, plan=PLAN) == (sorted(drafts.values()), [])
        assert drafts_to_sign(store, plan="xa-khac-2026-01-KH-UBND") == ([], [])
        with pytest.raises(InputError) as caught:
            sign(store, [drafts[long_unit]], by="   ", on=dt.date(2026, 11, 25), out=office.root / "ra")
        assert caught.value.message == f"công văn #{drafts[long_unit]}: cần tên người ký (--by)"
        # 25/11 (Wednesday): five working days on, 02/12; the draft of 22/11 said 30/11
        assert store.letter(drafts[long_unit]).reply_by != dt.date(2026, 12, 2)
        [signed] = sign(store, [drafts[long_unit]], by=None, on=dt.date(2026, 11, 25), out=office.root / "ra")
        folder = office.root / "ra" / "2026"
        # the number, the symbol's slug cut to 20 and the unit's to 40, each ending with its hash
        stem = "001-ubnd-vp-hdnd-b438c2__phong-kinh-te-ha-tang-va-do-thi-x-6164c0"
        assert signed.files == (folder / f"{stem}.docx", folder / f"{stem}.pdf")
        letter = signed.letter
        assert letter.signer == "Lê Thị Hoa" and letter.reply_by == dt.date(2026, 12, 2)
        assert letter.signed_files == tuple(str(p) for p in signed.files)
        pdf = PdfReader(signed.files[1])
        words = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
        assert "Theo mau rieng cua xa" in words and "Lê Thị Hoa" in words and "02/12/2026" in words
        assert "ngày 25 tháng 11 năm 2026" in words  # dated the day it is signed, not the draft's first working day (23/11)
        [line] = store.lines()
        assert line.pages == len(pdf.pages) and line.file == "\n".join(str(p) for p in signed.files)
        assert line.reply_by == dt.date(2026, 12, 2)


def test_a_night_checked_twice_records_its_second_pass_only(tmp_path, store_url):
    """A rule stopped on the last plan: the night checks every plan again without it
    (night/night.py's passes). The store records each plan and each letter of that second
    pass once: what the first pass handed it is forgotten, not added to."""
    from dondoc.facts.planfolder import read_plan_folder
    from dondoc.night import Options, check
    from tests.test_night_layer import EXAMPLES, _hong

    plans = [EXAMPLES / "an-bien-2026", EXAMPLES / "gia-loc-2026"]
    rules = _hong(tmp_path / "quy-tac", read_plan_folder(plans[1]).plan.key)
    result = check(plans, Options(dt.date(2026, 11, 22), tmp_path / "out", rules_dirs=(rules,), formats=("html",), summaries=False,
                                  workers=1, store=store_url))
    assert result.passes == 2
    drafted = [stem for stem, sent, _ in result.decisions if sent]
    with Store.open(store_url, create=False) as store:
        assert len(store.letters()) == len(drafted) > 0
        assert [run.plans for run in store.runs()] == [2]
        assert sorted(result.drafted[store_url]) == sorted(one.id for one in store.letters())
