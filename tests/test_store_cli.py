"""The store's commands: dondoc history, letters list|show|void|sent|replied, register
start|import|export. Thin: each parses its options and makes one call; errors end with their
documented status and a sentence, never a traceback."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from dondoc.cli import main
from dondoc.store.store import Store
from dondoc.text import spreadsheet_cell
from tests.storekit import D1, D2, D3, ISSUER, KT, PLAN, VHXH, key, letter, night, seen


def _run(*args, env=None):
    result = CliRunner().invoke(main, [str(a) for a in args], env=env)
    assert "Traceback" not in result.output, result.output
    return result


@pytest.fixture
def kept(tmp_path):
    """A store with two nights of Gia Lộc: a letter to Phòng Kinh tế, one to both units."""
    path = tmp_path / "so-dang-ky.sqlite"
    a, b = seen("r1", "task:1"), seen("r2", "target:T1", "nghiêm trọng", unit=VHXH)
    with Store.open(path) as store:
        store.register_start(ISSUER, 2026, 1)
        _, first = night(store, D1, {PLAN: ([a, b], ["r1", "r2"])}, drafts=[letter(D1, [a]), letter(D1, [b], units=[VHXH, KT], content="chung")])
        night(store, D2, {PLAN: ([b], ["r1", "r2"])})
    return path, first.letters


def test_the_office_starts_from_its_next_number_and_the_letters_take_the_next_ones(kept):
    path, (a, b) = kept
    result = _run("register", "start", "--store", path, "--next", 412, "--year", 2026)  # the store's only issuer
    assert result.exit_code == 0 and "số tiếp theo là 412" in result.output
    with Store.open(path) as store:
        assert store.sign(a, "Nguyễn Văn A", D2).number == 412
    result = _run("register", "start", "--store", path, "--next", 400, "--year", 2026)
    assert result.exit_code == 2 and "đã có số 412" in result.output
    listed = _run("letters", "list", "--store", path)
    assert listed.exit_code == 0
    lines = listed.output.splitlines()
    assert f"#{a:<5d}" in lines[0] and "đã ký" in lines[0] and "số 412/UBND-KT" in lines[0] and "ký 23/11/2026" in lines[0]
    assert f"#{b:<5d}" in lines[1] and "dự thảo" in lines[1] and "Kính gửi: Phòng Văn hóa - Xã hội; Phòng Kinh tế" in lines[1]
    as_json = json.loads(_run("letters", "list", "--store", path, "--state", "draft", "--json").output)
    assert [stored["id"] for stored in as_json] == [b] and as_json[0]["unit_keys"] == [KT, VHXH]


def test_every_signed_letter_sent_at_once(kept):
    path, (a, b) = kept
    with Store.open(path) as store:
        store.sign(a, "Nguyễn Văn A", D2)
        store.sign(b, "Nguyễn Văn A", D2)
    assert _run("letters", "sent", a, "--all", "--store", path).exit_code == 2  # ids or --all, not both
    result = _run("letters", "sent", "--all", "--store", path, "--on", D2)
    assert result.exit_code == 0 and result.output.count("đã gửi ngày 23/11/2026") == 2
    with Store.open(path) as store:
        assert {store.letter(a).state, store.letter(b).state} == {"sent"}
    assert _run("letters", "sent", "--all", "--store", path).output == ""  # nothing signed is left unsent


def test_sent_replied_and_void_from_the_command_line(kept, tmp_path):
    path, (a, b) = kept
    with Store.open(path) as store:
        store.sign(a, "Nguyễn Văn A", D2)
    assert _run("letters", "sent", a, "--store", path, "--on", D2).output.startswith(f"Công văn #{a} số 01/UBND-KT: đã gửi ngày 23/11/2026")
    result = _run("letters", "replied", a, "--store", path, "--on", D3, "--note", "Báo cáo số 5/BC-KT")
    assert result.exit_code == 0 and "đã trả lời ngày 24/11/2026" in result.output
    shown = _run("letters", "show", a, "--store", path).output
    for text in ("Công văn #%d — đã trả lời" % a, "Người ký: Nguyễn Văn A", "Ngày gửi: 23/11/2026", "Ghi chú trả lời: Báo cáo số 5/BC-KT"):
        assert text in shown, shown
    result = _run("letters", "void", a, "--store", path, "--reason", "nhầm")
    assert result.exit_code == 2 and "đã được trả lời" in result.output
    with Store.open(path) as store:
        store.sign(b, "Nguyễn Văn A", D2)
    result = _run("letters", "void", "--number", 2, "--year", 2026, "--store", path, "--reason", "ghi sai nơi nhận", "--on", D3)
    assert result.exit_code == 0 and "ghi sai nơi nhận" in result.output
    assert json.loads(_run("letters", "show", b, "--store", path, "--json").output)["state"] == "voided"
    book = tmp_path / "so.xlsx"
    assert _run("register", "export", "--store", path, "--out", book).exit_code == 0
    sheet = load_workbook(book)["2026 UBND xã Gia Lộc"]
    assert sheet["N7"].value == "ĐÃ HỦY SỐ ngày 24/11/2026: ghi sai nơi nhận" and sheet["J6"].value == dt.datetime(2026, 11, 23)
    for args, words in (
        (("letters", "sent", 99), "không có công văn #99"),
        (("letters", "void", a, "--number", 1, "--year", 2026, "--reason", "x"), "không cả hai"),
        (("letters", "void", "--number", 1, "--reason", "x"), "--number cần --year"),
    ):
        result = _run(*args, "--store", path)
        assert result.exit_code == 2 and words in result.output, result.output


def test_history_of_a_finding_a_unit_and_a_plan(kept):
    path, (a, _) = kept
    with Store.open(path) as store:
        store.sign(a, "Nguyễn Văn A", D2)
    finding = key("r1", "task:1")
    text = _run("history", "--store", path, "--finding", finding).output
    assert "22/11/2026  phát hiện mới (cảnh báo)" in text and "23/11/2026  đã khắc phục (cảnh báo)" in text
    assert "số 01/UBND-KT" in text
    data = json.loads(_run("history", "--store", path, "--finding", finding, "--json").output)
    assert [e["event"] for e in data["findings"][0]["events"]] == ["new", "resolved"]
    assert data["findings"][0]["letters"][0]["number"] == 1
    unit = _run("history", "--store", path, "--unit", "Phòng Văn hóa - Xã hội").output  # by its name: keyed as the night keys it
    assert key("r2", "target:T1", unit=VHXH) in unit and "vẫn còn (nghiêm trọng)" in unit and "Công văn:" in unit
    plan = _run("history", "--store", path, "--plan", PLAN).output.splitlines()
    assert plan[0] == f"Kế hoạch {PLAN}: 2 lần kiểm tra"
    assert plan[1] == "  22/11/2026: 2 phát hiện (cảnh báo 1, nghiêm trọng 1); mới 2, tăng mức 0, đã khắc phục 0, tái phát 0"
    assert plan[2].startswith("  23/11/2026: 1 phát hiện (nghiêm trọng 1); mới 0, tăng mức 0, đã khắc phục 1")
    result = _run("history", "--store", path, "--finding", "không có")
    assert result.exit_code == 2 and "không có phát hiện không có" in result.output
    assert _run("history", "--store", path).exit_code == 2


def test_the_store_may_come_from_the_environment(kept):
    path, _ = kept
    result = _run("letters", "list", env={"DONDOC_STORE": str(path)})
    assert result.exit_code == 0 and "dự thảo" in result.output


def test_import_of_the_offices_register_and_its_errors_at_their_cells(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Sổ 2026"
    sheet.append(["Năm 2026"])
    sheet.append(["Số", "Ngày tháng văn bản", "Ký hiệu", "Trích yếu", "Người ký"])
    sheet.append([1, dt.datetime(2026, 1, 5), "UBND-VP", "V/v triển khai", "Trần B"])
    sheet.append([2, "07/01/2026", "UBND-VP", None, "Trần B"])
    spreadsheet_cell(sheet["D4"], "=1+1")  # a text that opens like a formula, as the office typed it
    book.save(tmp_path / "so-vp.xlsx")
    path = tmp_path / "kho" / "so.sqlite"
    result = _run("register", "import", tmp_path / "so-vp.xlsx", "--store", path)
    assert result.exit_code == 2 and "--issuer" in result.output  # a new store knows no issuer yet
    result = _run("register", "import", tmp_path / "so-vp.xlsx", "--store", path, "--issuer", ISSUER)
    assert result.exit_code == 0 and "Đã nhập 2 dòng vào sổ của UBND xã Gia Lộc" in result.output
    with Store.open(path) as store:
        assert [(line.number, line.subject) for line in store.lines()] == [(1, "V/v triển khai"), (2, "=1+1")]
    sheet.append(["ba", "x", "", "", ""])
    sheet.append([6, dt.datetime(2026, 1, 9), "UBND-VP", "=CONCAT(\"V/v\", \" họp\")", "Trần B"])  # never computed: no value saved
    book.save(tmp_path / "so-vp.xlsx")
    result = _run("register", "import", tmp_path / "so-vp.xlsx", "--store", path)
    assert result.exit_code == 2
    assert "sheet 'Sổ 2026', ô A5" in result.output and "'ba' không phải số văn bản" in result.output
    assert "sheet 'Sổ 2026', ô D6" in result.output and "không lưu giá trị" in result.output
    assert [line.number for line in Store.open(path).lines()] == [1, 2]
    result = _run("register", "import", tmp_path / "none.xlsx", "--store", path)
    assert result.exit_code == 2 and "không có tệp này" in result.output


@pytest.mark.parametrize("target, words", [("mysql://u@h/d", "'mysql://'"), ("foo://x", "'foo://'"), ("sqlite:///:memory:", "phải là một tệp")])
def test_a_store_url_dondoc_cannot_use_is_exit_2_with_a_sentence(tmp_path, target, words):
    for args in (("register", "export", "--out", tmp_path / "x.xlsx"), ("letters", "list"), ("history", "--plan", PLAN)):
        result = _run(*args, "--store", target)
        assert result.exit_code == 2 and words in result.output, result.output


def test_export_never_adds_a_table_to_an_unrelated_sqlite_file_nor_makes_a_store(tmp_path):
    other = tmp_path / "ke-toan.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE so_cai (id INTEGER PRIMARY KEY, tien REAL)")
    before = other.read_bytes()
    result = _run("register", "export", "--store", other, "--out", tmp_path / "x.xlsx")
    assert result.exit_code == 2 and "không phải kho dữ liệu của dondoc" in result.output
    assert other.read_bytes() == before and not (tmp_path / "x.xlsx").exists()
    result = _run("register", "export", "--store", tmp_path / "none.sqlite", "--out", tmp_path / "x.xlsx")
    assert result.exit_code == 2 and not (tmp_path / "none.sqlite").exists()


def test_the_commands_help_is_vietnamese():
    for args in (("letters", "--help"), ("letters", "void", "--help"), ("register", "start", "--help"), ("history", "--help")):
        result = _run(*args)
        assert result.exit_code == 0 and ("Công văn" in result.output or "công văn" in result.output or "sổ" in result.output), result.output
    assert "Kho dữ liệu (sổ đăng ký, công văn, lịch sử)" in _run("history", "--help").output
