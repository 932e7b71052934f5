"""Letters and the register in the store: a number at signing, per issuer and year from 01 on
1 January; the office's own next number and its register imported; a void never reused and
shown with its reason; an issued line immutable; the export safe to open. SQLite and (make
test-postgres) PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from dondoc.errors import InputError, InputErrors
from dondoc.store import schema as S
from dondoc.store.records import REPLIED, SENT, SIGNED, VOIDED, Rendered
from dondoc.store.store import Store
from tests.storekit import D1, D2, D3, D4, ISSUER, KT, OTHER, PLAN, VHXH, letter, night, seen


@pytest.fixture
def store(store_url):
    """A store whose office opened its 2026 register at 01 (dondoc never opens one itself)."""
    with Store.open(store_url) as s:
        s.register_start(ISSUER, 2026, 1)
        yield s


def _drafts(store: Store, n: int, as_of: dt.date = D1, issuer: str = ISSUER, plan: str = PLAN) -> list[int]:
    """``n`` unsigned letters of ``issuer``, one per unit, from one night."""
    found = [seen("r1", f"task:{i}", unit=f"don vi {i}", plan=plan) for i in range(n)]
    drafts = [dataclasses.replace(letter(as_of, [f], units=[f.unit], plan=plan), issuer=issuer) for f in found]
    _, recorded = night(store, as_of, {plan: (found, ["r1"])}, drafts=drafts)
    return list(recorded.letters)


def test_a_letter_has_no_number_until_it_is_signed_then_the_next_of_its_issuer_and_year(store):
    first, second, third = _drafts(store, 3)
    assert [store.letter(i).number for i in (first, second, third)] == [None, None, None]
    assert store.lines() == []
    assert store.sign(second, "Nguyễn Văn A", D2).number == 1  # signing order, not drafting order
    signed = store.sign(first, " Nguyễn  Văn A ", D2)
    assert (signed.number, signed.state, signed.signer, signed.signed_on, signed.cited) == (2, SIGNED, "Nguyễn Văn A", D2, "02/UBND-KT")
    [one, two] = store.lines(2026, ISSUER)
    assert (two.number, two.letter_id, two.origin, two.date, two.signer, two.symbol) == (2, first, "signed", D2, "Nguyễn Văn A", "UBND-KT")
    assert two.recipient == "don vi 0\nLưu: VT, KT" and (two.archive, two.copies) == ("VT, KT", 3)


def test_numbering_restarts_at_01_on_the_first_of_january(store):
    a, b, c = _drafts(store, 3, dt.date(2026, 12, 30))
    assert store.sign(a, "A", dt.date(2026, 12, 31)).number == 1
    store.register_start(ISSUER, 2027, 1)  # the office's new register, opened on 1 January
    signed = store.sign(b, "A", dt.date(2027, 1, 1))
    assert (signed.number, signed.register_year) == (1, 2027)
    assert store.sign(c, "A", dt.date(2027, 1, 1)).number == 2
    assert [(line.year, line.number) for line in store.lines()] == [(2026, 1), (2027, 1), (2027, 2)]


def test_numbering_starts_from_the_offices_own_next_number(store):
    a, b, c = _drafts(store, 3)
    assert store.register_start(ISSUER, 2026, 412) == 0
    assert store.sign(a, "A", D2).number == 412
    assert store.sign(b, "A", D2).number == 413
    with pytest.raises(InputError, match="413") as caught:  # would give 400..413 again
        store.register_start(ISSUER, 2026, 400)
    assert caught.value.exit_code == 2
    assert store.register_start("UBND xã  Gia Lộc", 2026, 500) == 413  # the same issuer, spelled with two spaces
    assert store.sign(c, "A", D2).number == 500
    with store.db.read() as conn:
        assert [r.next_number for r in conn.execute(sa.select(S.starts).order_by(S.starts.c.id))] == [1, 412, 500]  # the fixture opened at 01
    assert store.register_start(ISSUER, 2027, 1) == 0  # another year: its own counter


def test_signing_what_cannot_be_signed_is_refused_naming_the_letter(store):
    a, b = _drafts(store, 2)
    store.sign(a, "A", D2)
    for target, words in ((a, "đã ký"), (999, "không có công văn #999")):
        with pytest.raises(InputError, match=words) as caught:
            store.sign(target, "A", D2)
        assert caught.value.exit_code == 2 and store.name in str(caught.value)
    with pytest.raises(InputError, match="người ký"):
        store.sign(b, "  ", D2)
    with pytest.raises(InputError, match="không ký trước"):
        store.sign(b, "A", D1 - dt.timedelta(days=1))
    store.void(a, "nhầm", D2)
    with pytest.raises(InputError, match="đã hủy"):
        store.sign(a, "A", D2)
    assert [line.number for line in store.lines()] == [1]


def test_a_render_that_fails_signs_nothing_and_takes_no_number(store):
    a, b = _drafts(store, 2)
    seen_numbers = []

    def broken(letter):
        seen_numbers.append(letter.number)
        raise OSError("disk full")

    with pytest.raises(OSError):
        store.sign(a, "A", D2, render=broken)
    assert seen_numbers == [1] and store.letter(a).state == "draft" and store.lines() == []

    def render(letter):
        assert (letter.number, letter.state, letter.signer) == (1, SIGNED, "A")
        return Rendered(files=[f"signed/{letter.number:02d}.docx", f"signed/{letter.number:02d}.pdf"], pages=2)

    signed = store.sign(b, "A", D2, render=render)
    assert (signed.number, signed.signed_files, signed.pages) == (1, ("signed/01.docx", "signed/01.pdf"), 2)
    assert store.lines()[0].file == "signed/01.docx\nsigned/01.pdf"


def test_sent_and_replied_follow_signing(store):
    a, b = _drafts(store, 2)
    with pytest.raises(InputError, match="chỉ ghi gửi"):
        store.mark_sent(a, D2)  # a draft
    store.sign(a, "A", D2)
    with pytest.raises(InputError, match="trước ngày ký"):
        store.mark_sent(a, D1)
    assert store.mark_sent(a, D2).state == SENT
    with pytest.raises(InputError, match="đã gửi"):
        store.mark_sent(a, D2)
    replied = store.mark_replied(a, D2 + dt.timedelta(days=3), "đã báo cáo bằng văn bản")
    assert (replied.state, replied.replied_on, replied.reply_note, replied.sent_on) == (REPLIED, D2 + dt.timedelta(days=3), "đã báo cáo bằng văn bản", D2)
    with pytest.raises(InputError):
        store.mark_replied(b, D2)  # a draft has nothing to reply to
    assert [stored.state for stored in store.letters(state=REPLIED)] == [REPLIED]


def test_letters_recorded_as_sent_together_are_all_sent_or_none(store):
    a, b, c = _drafts(store, 3)
    store.sign(a, "A", D2)
    store.sign(b, "A", D2)
    with pytest.raises(InputError, match="chỉ ghi gửi"):
        store.mark_sent_all([a, c], D2)  # c is a draft: a is not recorded either
    assert store.letter(a).state == SIGNED
    assert [stored.id for stored in store.mark_sent_all(None, D2)] == [a, b]  # every signed letter not yet sent
    assert store.mark_sent_all(None, D2) == [] and store.letter(c).state == "draft"


def test_a_voided_number_is_never_given_again_and_is_in_the_export_with_its_reason(store, tmp_path):
    a, b, c = _drafts(store, 3)
    store.sign(a, "A", D2)
    voided = store.void(a, "ghi sai tên đơn vị nhận", D2)
    assert (voided.state, voided.voided_on, voided.void_reason, voided.number) == (VOIDED, D2, "ghi sai tên đơn vị nhận", 1)
    assert store.sign(b, "A", D2).number == 2
    with pytest.raises(InputError, match="đã hủy trước đó"):
        store.void(a, "lần nữa", D2)
    with pytest.raises(InputError, match="chưa có số"):
        store.void(c, "dự thảo", D2)
    with pytest.raises(InputError, match="cần lý do"):
        store.void(b, "  ", D2)
    with pytest.raises(InputError, match="không có số 07") as caught:
        store.void((ISSUER, 2026, 7), "không có", D2)
    assert caught.value.hint == "xem các số đã cấp: dondoc register export, dondoc letters list"
    book = tmp_path / "so.xlsx"
    assert store.export(book) == (2, None)
    rows = [[c.value for c in row] for row in load_workbook(book)["2026 UBND xã Gia Lộc"].iter_rows(min_row=6)]
    assert [r[0] for r in rows] == [1, 2]
    assert rows[0][-1] == "ĐÃ HỦY SỐ ngày 23/11/2026: ghi sai tên đơn vị nhận" and rows[1][-1] is None
    assert rows[0][3] == "Công văn V/v đôn đốc thực hiện Kế hoạch số 97/KH-UBND"  # the line itself stays as issued


def test_an_issued_line_is_never_changed_or_deleted_whatever_writes_to_the_database(store):
    [a] = _drafts(store, 1)
    store.sign(a, "A", D2)
    store.void(a, "nhầm", D2)
    for statement in (
        S.entries.update().values(signer="B"),
        S.entries.update().values(number=9),
        S.entries.delete(),
        S.amendments.update().values(reason="khác"),
        S.amendments.delete(),
    ):
        with pytest.raises(sa.exc.DatabaseError, match="dondoc"):
            with store.db.engine.begin() as conn:
                conn.execute(statement)
    [line] = store.lines()
    assert (line.number, line.signer, line.void_reason) == (1, "A", "nhầm")


def test_the_export_writes_every_text_that_opens_like_a_formula_as_text(store, tmp_path):
    found = [seen("r1", "task:1")]
    hostile = dataclasses.replace(
        letter(D1, found), subject='=HYPERLINK("http://x.invalid","bấm")',
        recipients=["+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\tTab", "\rCR"], archive="=1+1",
    )
    _, recorded = night(store, D1, {PLAN: (found, ["r1"])}, drafts=[hostile])
    store.sign(recorded.letters[0], "=Nguyễn Văn A", D2)
    store.export(tmp_path / "so.xlsx")
    sheet = load_workbook(tmp_path / "so.xlsx")["2026 UBND xã Gia Lộc"]
    row = {sheet.cell(5, c).value: sheet.cell(6, c) for c in range(1, sheet.max_column + 1)}
    for title in ("Tên loại và trích yếu nội dung văn bản", "Người ký", "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu"):
        cell = row[title]
        assert cell.data_type == "s" and cell.quotePrefix, title  # text, never a formula
    assert row["Người ký"].value == "=Nguyễn Văn A" and row["Tên loại và trích yếu nội dung văn bản"].value.startswith("=HYPERLINK")
    assert row["Ký hiệu"].quotePrefix is False  # an ordinary text is left as it is


def _office_book(path, rows, title="2026", year_row="Năm 2026", header=("Số, ký hiệu", "Ngày tháng", "Trích yếu", "Người ký", "Nơi nhận", "Số bản", "Ghi chú")):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(["UBND XÃ GIA LỘC"])
    sheet.append([year_row])
    sheet.append([])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def test_the_offices_register_imported_its_numbers_are_never_given_and_the_next_follows(store, tmp_path):
    rows = [(f"{n:02d}/UBND-VP", dt.datetime(2026, 1 + n // 40, 1 + n % 28), f"V/v số {n}", "Trần Văn B", "Phòng Kinh tế", 3, "") for n in range(1, 412)]
    book = _office_book(tmp_path / "so-van-phong.xlsx", rows)
    assert store.register_import(book, ISSUER) == (411, 0)
    assert store.register_import(book, ISSUER) == (0, 411)  # again: nothing added
    lines = store.lines(2026, ISSUER)
    assert [line.number for line in lines] == list(range(1, 412)) and {line.origin for line in lines} == {"office"}
    assert (lines[0].symbol, lines[0].subject, lines[0].date, lines[0].copies) == ("UBND-VP", "V/v số 1", dt.date(2026, 1, 2), 3)
    [a] = _drafts(store, 1)
    assert store.sign(a, "A", D2).number == 412
    with pytest.raises(InputError, match="đã có số 412"):
        store.register_start(ISSUER, 2026, 300)
    # an office line can be voided by its number; the export shows it
    assert store.void((ISSUER, 2026, 17), "văn bản không ban hành", D2) is None
    assert next(line for line in store.lines() if line.number == 17).void_reason == "văn bản không ban hành"


def test_an_import_that_conflicts_with_the_register_or_has_a_bad_cell_records_nothing(store, tmp_path):
    [a] = _drafts(store, 1)
    store.sign(a, "A", D2)  # number 1 is dondoc's
    book = _office_book(tmp_path / "so.xlsx", [
        ("01/UBND-VP", dt.datetime(2026, 1, 2), "V/v khác", "B", "C", 1, ""),
        ("2", "31/02/2026", "V/v", "B", "C", 1, ""),
        ("ba", dt.datetime(2026, 1, 3), "V/v", "B", "C", 1, ""),
        ("4", dt.datetime(2025, 12, 30), "V/v", "B", "C", 1, ""),
        ("5", dt.datetime(2026, 1, 5), "V/v", "B", "C", "năm", ""),
        ("6", dt.datetime(2026, 1, 6), "V/v", "B", "C", 1, ""),
        ("6", dt.datetime(2026, 1, 6), "V/v", "B", "C", 1, ""),
    ])
    with pytest.raises(InputErrors) as caught:
        store.register_import(book, ISSUER)
    messages = caught.value.messages()
    assert caught.value.exit_code == 2
    for cell, words in (("B6", "không phải ngày"), ("A7", "không phải số văn bản"), ("B8", "không thuộc năm 2026"),
                        ("F9", "không phải số bản"), ("dòng 11", "hai dòng")):
        assert any(cell in m and words in m for m in messages), (cell, messages)
    assert [line.number for line in store.lines()] == [1]
    fixed = _office_book(tmp_path / "so2.xlsx", [("01/UBND-VP", dt.datetime(2026, 1, 2), "V/v khác", "B", "C", 1, "")])
    with pytest.raises(InputErrors, match="đã có trong sổ"):
        store.register_import(fixed, ISSUER)
    assert [line.number for line in store.lines()] == [1]


def test_dondocs_own_export_reads_back_as_the_offices_register(store, tmp_path):
    a, b = _drafts(store, 2)
    store.register_start(ISSUER, 2026, 30)
    store.sign(a, "Nguyễn Văn A", D2)
    store.sign(b, "Nguyễn Văn A", D2)
    store.void(b, "nhầm", D2)
    store.export(tmp_path / "so.xlsx")
    assert store.register_import(tmp_path / "so.xlsx", ISSUER) == (0, 2)  # its own lines: already there
    other = Store.open("sqlite:///" + str(tmp_path / "other.sqlite"))
    assert other.register_import(tmp_path / "so.xlsx", ISSUER) == (2, 0)
    lines = other.lines()
    assert [(line.number, line.year, line.signer, line.origin) for line in lines] == [(30, 2026, "Nguyễn Văn A", "office"), (31, 2026, "Nguyễn Văn A", "office")]
    assert lines[1].note.startswith("ĐÃ HỦY SỐ")
    other.close()


def test_letters_are_listed_by_state_plan_unit_and_year(store):
    a, b = _drafts(store, 2)
    f = seen("r1", "task:x", unit=VHXH)
    _, later = night(store, D2, {PLAN: ([f], ["r1"])}, drafts=[letter(D2, [f], units=[VHXH, KT], content="chung")])
    store.sign(a, "A", D2)
    assert [stored.id for stored in store.letters(state="draft")] == [b, *later.letters]
    assert [stored.id for stored in store.letters(unit=VHXH)] == list(later.letters)
    assert store.letter(later.letters[0]).unit_keys == (KT, VHXH) and store.letter(later.letters[0]).addressees == ("Phòng Văn hóa - Xã hội", "Phòng Kinh tế")
    assert [stored.id for stored in store.letters(year=2026)] == [a]
    assert [stored.id for stored in store.letters(plan="khác")] == []
    full = store.letter(a)
    assert full.payload == {"as_of": D1.isoformat(), "units": ["don vi 0"]} and full.items == {(PLAN, "task:0", "don vi 0"): 0}
    assert full.findings == {f"r1|{PLAN}|task:0|don vi 0": "cảnh báo"} and full.draft_files == ("notices/xa-gia-loc-2026-97-KH-UBND/don-vi-0.docx",)


def test_a_year_the_office_never_opened_gives_no_number(store):
    """Other letters take numbers of the same sequence outside dondoc: a register dondoc was never
    told of (no start, no import, no line that year) gives none, not a sequence of its own from 01
    (found by reading the demo: An Biên's letters were numbered 01 and 02 on 23/11)."""
    a, b = _drafts(store, 2, dt.date(2026, 12, 30))
    with pytest.raises(InputError, match="chưa mở") as caught:
        store.sign(a, "A", dt.date(2027, 1, 4))
    assert caught.value.exit_code == 2 and "register start --next SỐ --year 2027" in caught.value.hint
    assert store.letter(a).state == "draft" and store.lines(2027, ISSUER) == []
    store.register_start(ISSUER, 2027, 9)
    assert store.sign(a, "A", dt.date(2027, 1, 4)).number == 9 and store.sign(b, "A", dt.date(2027, 1, 4)).number == 10


QUYET_THANG = "UBND xã Quyết Thắng"


def test_each_issuer_and_year_keeps_a_register_of_its_own(store, tmp_path):
    """Numbers, imports, starts, look-ups and voids of one issuer's register for one year never
    touch another issuer's, or another year's: two communes sharing a store both have an 01."""
    a, b, c, d = _drafts(store, 4, dt.date(2026, 12, 30))
    assert store.sign(a, "A", dt.date(2026, 12, 31)).number == 1  # Gia Lộc's 01/2026
    qt = _drafts(store, 2, dt.date(2026, 12, 30), issuer=QUYET_THANG, plan=OTHER)
    with pytest.raises(InputError, match="Quyết Thắng năm 2026 chưa mở"):  # Gia Lộc's start opens no other register
        store.sign(qt[0], "A", dt.date(2026, 12, 31))
    # Quyết Thắng's own 01/2026 (an office line: no start): not Gia Lộc's 01, and it opens the year
    one = _office_book(tmp_path / "qt.xlsx", [("01/UBND-VP", dt.datetime(2026, 1, 2), "V/v", "B", "C", 1, "")])
    assert store.register_import(one, QUYET_THANG) == (1, 0)
    assert store.sign(qt[0], "A", dt.date(2026, 12, 31)).number == 2
    # a year imported: the counter follows its lines (a start returns the counter it replaces)
    two = _office_book(tmp_path / "qt-2027.xlsx", [(f"0{n}/UBND-VP", dt.datetime(2027, 1, n), "V/v", "B", "C", 1, "") for n in (1, 2)],
                       title="2027", year_row="Năm 2027")
    assert store.register_import(two, QUYET_THANG) == (2, 0)
    assert store.register_start(QUYET_THANG, 2027, 3) == 2
    store.register_start(ISSUER, 2027, 1)
    assert store.sign(b, "A", dt.date(2027, 1, 4)).number == 1 and store.sign(qt[1], "A", dt.date(2027, 1, 4)).number == 3
    assert store.sign(c, "A", dt.date(2026, 12, 31)).number == 2  # back in 2026: Gia Lộc's next of that year
    assert store.sign(d, "A", dt.date(2027, 1, 4)).number == 2  # 2027's counter untouched by 2026's
    # lines by issuer, then year, then number
    assert [(line.issuer, line.year, line.number) for line in store.lines()] == [
        (ISSUER, 2026, 1), (ISSUER, 2026, 2), (ISSUER, 2027, 1), (ISSUER, 2027, 2),
        (QUYET_THANG, 2026, 1), (QUYET_THANG, 2026, 2), (QUYET_THANG, 2027, 1), (QUYET_THANG, 2027, 2), (QUYET_THANG, 2027, 3),
    ]
    # a number voided by (issuer, year, number) is that issuer's; a void is of one line only
    assert store.void((QUYET_THANG, 2026, 1), "không ban hành", dt.date(2026, 12, 31)) is None
    assert store.void(a, "nhầm", dt.date(2026, 12, 31)).state == VOIDED  # Gia Lộc's 01 was not void before
    voids = {(line.issuer, line.year, line.number): line.void_reason for line in store.lines() if line.void_reason}
    assert voids == {(QUYET_THANG, 2026, 1): "không ban hành", (ISSUER, 2026, 1): "nhầm"}
    assert store.issuers() == [ISSUER, QUYET_THANG]


def test_a_line_the_register_reads_back_as_it_was_given(store):
    a, b = _drafts(store, 2)
    rendered = Rendered(files=("van-ban-di/01.docx",), pages=3)
    store.sign(a, "A", D2, reply_by=dt.date(2026, 12, 4), render=lambda letter: rendered)
    store.mark_sent(a, D3)
    store.mark_replied(a, D4)
    [line] = store.lines()
    assert (line.state, line.pages, line.reply_by, line.sent_on, line.replied_on) == ("issued", 3, dt.date(2026, 12, 4), D3, D4)


def _void_refused(store, target, on=D2):
    with pytest.raises(InputError) as caught:
        store.void(target, "lý do", on)
    return caught.value


def test_a_void_that_cannot_be_is_refused_saying_why(store):
    a, b = _drafts(store, 2)
    store.sign(a, "A", D3)
    error = _void_refused(store, a, on=D2)  # the day before the letter's own date
    assert error.message == "ngày hủy 23/11/2026 trước ngày văn bản 24/11/2026" and error.exit_code == 2
    assert store.void(a, "lý do", D3).state == VOIDED  # on its date: allowed
    store.sign(b, "A", D3)
    store.mark_replied(b, D4)
    error = _void_refused(store, b, on=D4)
    assert error.message == f"số 02/2026 của {ISSUER}: công văn #{b} đã được trả lời, không hủy được"
    assert error.hint == "văn bản đã có trả lời thì giữ trong sổ; ban hành văn bản mới nếu cần đính chính"


def test_a_number_the_old_register_left_free_is_not_voided_and_never_given(tmp_path):
    """A register of the night's numbering (before the store) may end on numbers a stopped run
    gave back ('free'), its counter behind them: they stay unused, and the next number follows
    every line the register holds."""
    from tests.legacy_register import write_old_register

    url = "sqlite:///" + str(tmp_path / "so.sqlite")
    write_old_register(url, ISSUER, [(1, "issued", "V/v", D1), (2, "free", "", None), (3, "free", "", None)], last=1)
    with Store.open(url) as store:
        error = _void_refused(store, (ISSUER, 2026, 2))
        assert error.message == f"số 02/2026 của {ISSUER} chưa được cấp (trạng thái free): không có gì để hủy"
        found = [seen("r1", "task:1")]
        _, recorded = night(store, D2, {PLAN: (found, ["r1"])}, drafts=[letter(D2, found)])
        assert store.sign(recorded.letters[0], "A", D2).number == 4


def test_an_imported_line_that_conflicts_says_with_what_and_where(store, tmp_path):
    [a] = _drafts(store, 1)
    store.sign(a, "A", D2)
    path = _office_book(tmp_path / "so.xlsx", [("02/UBND-VP", dt.datetime(2026, 1, 2), "V/v", "B", "C", 1, "")])
    store.register_import(path, ISSUER)
    clash = _office_book(tmp_path / "so2.xlsx", [
        ("01/UBND-VP", dt.datetime(2026, 1, 2), "V/v", "B", "C", 1, ""),
        ("02/UBND-VP", dt.datetime(2026, 1, 2), "V/v khác", "B", "C", 1, ""),
    ])
    with pytest.raises(InputErrors) as caught:
        store.register_import(clash, ISSUER)
    first, second = caught.value.errors
    assert first.message == f"số 01/2026 của {ISSUER} đã có trong sổ (công văn #{a}) với nội dung khác"
    assert second.message == f"số 02/2026 của {ISSUER} đã có trong sổ (dòng khác của sổ văn phòng) với nội dung khác"
    assert first.path == str(clash) and "dòng 5" in first.where and "dòng 6" in second.where
    assert first.hint == "một số chỉ cấp một lần: sửa dòng trong tệp, hoặc bỏ dòng đó"
    [office] = [line for line in store.lines() if line.origin == "office"]
    assert (office.file, office.pages, office.signer, office.recipient) == ("", None, "B", "C")


@pytest.mark.parametrize(
    "change",
    [{"date": dt.datetime(2026, 1, 3)}, {"copies": 2}, {"subject": "V/v khác"}, {"note": "khác"}],
    ids=["date", "copies", "subject", "note"],
)
def test_an_office_line_imported_again_with_one_cell_changed_is_a_conflict(store, tmp_path, change):
    row = {"number": "05/UBND-VP", "date": dt.datetime(2026, 1, 2), "subject": "V/v", "signer": "B", "recipient": "C", "copies": 1, "note": ""}
    store.register_import(_office_book(tmp_path / "so.xlsx", [tuple(row.values())]), ISSUER)
    assert store.register_import(_office_book(tmp_path / "so.xlsx", [tuple(row.values())]), ISSUER) == (0, 1)
    with pytest.raises(InputErrors, match="đã có trong sổ"):
        store.register_import(_office_book(tmp_path / "so2.xlsx", [tuple({**row, **change}.values())]), ISSUER)


def test_an_issuer_is_named_once_whatever_its_spacing_and_never_blank(store):
    with pytest.raises(InputError) as caught:
        store.register_start(" \u00a0 ", 2026, 5)
    assert (caught.value.message, caught.value.hint) == ("thiếu tên cơ quan ban hành (issuer)", "ví dụ --issuer 'UBND xã Gia Lộc'")
    store.register_start("UBND  xã Gia Lộc\n", 2027, 5)
    assert store.issuers() == [ISSUER]


def test_each_step_of_a_letters_life_refused_says_why_in_words(store):
    a, b = _drafts(store, 2)
    f = seen("r1", "task:0", unit="don vi 0")
    _, later = night(store, D2, {PLAN: ([f], ["r1"])}, drafts=[letter(D2, [f], units=["don vi 0"], content="moi")])
    with pytest.raises(InputError) as caught:
        store.sign(a, "A", D3)  # a later night drafted another letter to its unit
    assert caught.value.message == f"không ký được công văn #{a} (đã thay), thay bằng công văn #{later.letters[0]}: chỉ ký được dự thảo"
    assert caught.value.hint == "xem các dự thảo: dondoc letters list --state draft"
    with pytest.raises(InputError) as caught:
        store.sign(b, "A", D2, reply_by=D1)
    assert caught.value.message == "hạn trả lời 22/11/2026 trước ngày ký 23/11/2026"
    assert store.sign(b, "A", D2, reply_by=D2).reply_by == D2  # on the signing day itself
    with pytest.raises(InputError) as caught:
        store.mark_sent(b, D1)
    assert caught.value.message == f"ngày gửi 22/11/2026 trước ngày ký 23/11/2026 của công văn #{b}"
    store.mark_sent(b, D3)
    with pytest.raises(InputError) as caught:
        store.mark_sent(b, D4)
    assert caught.value.message == f"không ghi gửi được công văn #{b} (số 01/UBND-KT, đã gửi) ngày 24/11/2026: chỉ ghi gửi công văn đã ký, chưa gửi"
    with pytest.raises(InputError) as caught:
        store.mark_replied(b, D2)
    assert caught.value.message == f"ngày trả lời 23/11/2026 trước ngày gửi 24/11/2026 của công văn #{b}"
    assert store.mark_replied(b, D3, "  đã   báo cáo ").reply_note == "đã báo cáo"  # the day it was sent
    with pytest.raises(InputError) as caught:
        store.mark_replied(b, D4)
    assert caught.value.message == f"không ghi trả lời được công văn #{b} (số 01/UBND-KT, đã trả lời): chỉ công văn đã ký hoặc đã gửi"


def test_a_number_voided_by_issuer_year_and_number_voids_its_letter(store):
    a, b = _drafts(store, 2)
    store.sign(a, "A", D2)
    store.sign(b, "A", D2)
    store.mark_sent(b, D3)
    voided = store.void((" UBND xã  Gia Lộc", 2026, 2), "gửi nhầm", D3)
    assert (voided.id, voided.state, voided.void_reason) == (b, VOIDED, "gửi nhầm")
    assert store.letter(a).state == SIGNED
    with pytest.raises(InputError) as caught:
        store.void(b, "lần nữa", D3)
    assert caught.value.message == f"số 02/2026 của {ISSUER} đã hủy trước đó"
    [draft] = _drafts(store, 1, D2, plan="khac")
    with pytest.raises(InputError) as caught:
        store.void(draft, "x", D2)
    assert caught.value.message == f"công văn #{draft} (dự thảo) chưa có số: không có gì để hủy"
    assert caught.value.hint == "dự thảo không ký thì để nguyên; đêm sau sẽ thay bằng dự thảo mới"


def test_a_start_is_refused_at_a_number_the_register_holds_and_below_01(store):
    [a] = _drafts(store, 1)
    store.register_start(ISSUER, 2026, 13)
    store.sign(a, "A", D2)  # 13
    with pytest.raises(InputError) as caught:
        store.register_start(ISSUER, 2026, 13)  # the number itself
    assert caught.value.message == f"sổ của {ISSUER} năm 2026 đã có số 13: bắt đầu từ 13 sẽ cấp lại số đã dùng"
    assert caught.value.hint == "số tiếp theo phải từ 14 trở lên"
    assert store.register_start(ISSUER, 2026, 14) == 13  # the day after, so to speak: allowed
    with pytest.raises(InputError) as caught:
        store.register_start(ISSUER, 2028, 0)
    assert caught.value.message == "số tiếp theo phải từ 1 trở lên (đã ghi 0)"
    assert store.register_start(ISSUER, 2028, 1) == 0


def test_a_line_is_stamped_in_utc_whatever_the_machines_zone(store, monkeypatch):
    import time

    [a] = _drafts(store, 1)
    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    time.tzset()
    try:
        before = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        store.sign(a, "A", D2)
        after = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    finally:
        monkeypatch.undo()
        time.tzset()
    with store.db.read() as conn:
        (issued_at, reserved_at), = conn.execute(sa.select(S.entries.c.issued_at, S.entries.c.reserved_at)).all()
    assert before - dt.timedelta(seconds=1) <= issued_at <= after + dt.timedelta(seconds=1) and issued_at == reserved_at
    signed_at = store.letter(a).signed_at
    assert before - dt.timedelta(seconds=1) <= signed_at.replace(tzinfo=None) <= after + dt.timedelta(seconds=1)


def test_a_draft_withdrawn_by_a_later_night_is_refused_without_naming_a_successor(store):
    [a] = _drafts(store, 1)
    with store.night(D2, version="0.1.0", rulebook_hash="sha256:test", settings={PLAN: "s"}) as n:
        n.history([PLAN])
        n.observe(PLAN, [], ["r1"])
        n.withdraw(PLAN, ["don vi 0"])  # what it said was put right: superseded by nothing
        n.finish(0, {"findings": 0})
    with pytest.raises(InputError) as caught:
        store.sign(a, "A", D2)
    assert caught.value.message == f"không ký được công văn #{a} (đã thay): chỉ ký được dự thảo"


def test_an_import_over_a_line_of_the_old_registers_says_dondoc_gave_it(tmp_path):
    from tests.legacy_register import write_old_register

    url = "sqlite:///" + str(tmp_path / "so.sqlite")
    write_old_register(url, ISSUER, [(1, "issued", "V/v", D1)])
    with Store.open(url) as store:
        book = _office_book(tmp_path / "so.xlsx", [("01/UBND-VP", dt.datetime(2026, 1, 2), "V/v khác", "B", "C", 1, "")])
        with pytest.raises(InputErrors) as caught:
            store.register_import(book, ISSUER)
        assert caught.value.errors[0].message == f"số 01/2026 của {ISSUER} đã có trong sổ (một công văn dondoc đã cấp số) với nội dung khác"


def test_what_a_signed_letter_is_rendered_with_and_each_refusal_before_it_in_words(store):
    a, b = _drafts(store, 2)
    seen_by_render = []

    def render(letter):
        seen_by_render.append((letter.number, letter.register_year, letter.signed_on, letter.reply_by))
        return Rendered(files=())

    store.sign(a, "A", D2, reply_by=D4, render=render)
    assert seen_by_render == [(1, 2026, D2, D4)]
    with pytest.raises(InputError) as caught:
        store.sign(a, "A", D2)
    assert caught.value.message == f"không ký được công văn #{a} (số 01/UBND-KT, đã ký): chỉ ký được dự thảo"
    with pytest.raises(InputError) as caught:
        store.mark_sent(b, D2)
    assert caught.value.message == f"không ghi gửi được công văn #{b} (dự thảo): chỉ ghi gửi công văn đã ký, chưa gửi"
    with pytest.raises(InputError) as caught:
        store.mark_replied(a, D1)
    assert caught.value.message == f"ngày trả lời 22/11/2026 trước ngày ký 23/11/2026 của công văn #{a}"
    assert store.mark_replied(a, D2).reply_note == ""  # replied the day it was signed, nothing noted
