"""The Chairman's summary (Báo cáo tổng hợp) and the register through the command line:
content from findings only, three formats read back, numbers in the notices, the .xlsx book."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from dondoc.cli import main
from dondoc.engine.findings import Finding
from dondoc.engine.rulebook import load_rules
from dondoc.engine.run import check
from dondoc.facts.planfolder import read_plan_folder
from dondoc.store.register import FREE, Register, notice_key
from dondoc.store.register_xlsx import COLUMNS, workbook
from dondoc.templates.sections import SECTIONS
from dondoc.templates.summary import NO_FINDING, build_summary, render_html

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
GIA_PHUC = EXAMPLES / "gia-phuc-2025"
AS_OF = dt.date(2025, 11, 22)


@pytest.fixture(scope="module")
def gia_phuc():
    folder = read_plan_folder(GIA_PHUC)
    findings, _ = check([folder], load_rules(), AS_OF)
    return folder, findings


def test_the_units_table_counts_the_findings_per_unit_and_severity(gia_phuc):
    folder, findings = gia_phuc
    summary = build_summary(folder, findings, AS_OF)
    got = {(r.unit, s): n for r in summary.units for s, n in r.severities.items() if n}
    assert got == dict(Counter((f.unit, f.severity) for f in findings))
    assert summary.totals["findings"] == len(findings) == 14
    # The most severe unit first; the report is dated on a working day (22/11/2025 is a Saturday).
    assert summary.units[0].unit == "Phòng Văn hoá - Xã hội"
    # Per section, exactly the rows of the unit's own letter (the notices' sorting of its findings).
    assert {k: n for k, n in summary.units[0].classes.items() if n} == {"qua-han": 2, "cham-tien-do": 1, "thieu-so-lieu": 3}
    assert set(summary.units[0].classes) == set(SECTIONS)
    assert summary.date == dt.date(2025, 11, 24)


def test_the_severe_items_are_the_findings_the_rules_called_severe(gia_phuc):
    folder, findings = gia_phuc
    summary = build_summary(folder, findings, AS_OF)
    assert [r.message for r in summary.severe] == [f.message for f in sorted(findings, key=Finding.sort_key) if f.severity == "nghiêm trọng"]
    assert len(summary.severe) == 2
    # Nothing is re-derived: a finding the rules rated lower is not listed, whatever its days overdue.
    milder = [f.model_copy(update={"severity": "cảnh báo"}) if f.severity == "nghiêm trọng" else f for f in findings]
    assert build_summary(folder, milder, AS_OF).severe == []


def test_every_target_shows_what_it_requires_what_was_measured_and_what_the_rules_found(gia_phuc):
    folder, findings = gia_phuc
    summary = build_summary(folder, findings, AS_OF)
    assert [t.id for t in summary.targets] == [t.id for t in folder.targets]
    ct08 = next(t for t in summary.targets if t.id == "CT08")
    assert (ct08.required, ct08.actual, ct08.measured_on, ct08.verdict) == ("Tối thiểu 95%", "78,5%", "05/11/2025", "Chỉ tiêu tối thiểu chưa đạt")
    ct01 = next(t for t in summary.targets if t.id == "CT01")
    assert (ct01.actual, ct01.verdict) == ("Chưa có số liệu", "Chưa có số liệu")
    # With no findings the same targets read "no finding": the verdict is the rules', not ours.
    assert {t.verdict for t in build_summary(folder, [], AS_OF).targets} == {NO_FINDING}


def test_the_html_is_an_official_report_with_both_charts(gia_phuc):
    folder, findings = gia_phuc
    html = render_html(build_summary(folder, findings, AS_OF))
    for text in ("BÁO CÁO", "Số: \u00a0", "/BC-PVHXH", "Gia Phúc, ngày 24 tháng 11 năm 2025", "Kính gửi: Chủ tịch Ủy ban nhân dân xã Gia Phúc.",
                 "Kế hoạch ban hành kèm theo Quyết định số 692/QĐ-UBND",
                 "Quyết định số 692/QĐ-UBND ngày 31/07/2025 của Chủ tịch Ủy ban nhân dân xã Gia Phúc", "Nơi nhận:",
                 "Kế hoạch có 43 nhiệm vụ, 08 chỉ tiêu, giao 04 đơn vị chủ trì; qua kiểm tra có 14 nội dung cần đôn đốc, khắc phục, trong đó 02 nội dung ở mức nghiêm trọng.", "TRƯỞNG PHÒNG", "Biểu đồ 1.", "Biểu đồ 2."):
        assert text in html, text
    assert html.count("data:image/svg+xml;base64,") == 2
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html  # nothing fetched


def _check(*args) -> object:
    return CliRunner().invoke(main, ["check", *map(str, args)], catch_exceptions=False)


def test_check_writes_a_summary_per_plan_in_three_formats_and_the_register_numbers_the_notices(tmp_path):
    out, register = tmp_path / "out", tmp_path / "so.sqlite"
    plans = [EXAMPLES / "gia-loc-2026", EXAMPLES / "an-bien-2026"]
    result = _check(*plans, "--as-of", "2026-11-22", "--out", out, "--register", register)
    assert result.exit_code == 0, result.output
    stems = sorted(p.stem for p in (out / "summary").glob("*.html"))
    assert stems == ["bao-cao-tong-hop__ubnd-phuong-an-bien-41-kh-ubnd", "bao-cao-tong-hop__ubnd-xa-gia-loc-97-kh-ubnd"]
    for stem in stems:
        for suffix in (".docx", ".pdf", "__don-vi.svg", "__don-vi.png", "__chi-tieu.svg", "__chi-tieu.png"):
            assert (out / "summary" / f"{stem}{suffix}").stat().st_size > 1000, suffix
    text = "\n".join(p.text for p in Document(out / "summary" / f"{stems[1]}.docx").paragraphs)
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân xã Gia Lộc." in text and "BÁO CÁO" in text
    assert "Kế hoạch có 21 nhiệm vụ, 05 chỉ tiêu, giao 05 đơn vị chủ trì; qua kiểm tra có 06 nội dung" in text
    if shutil.which("pdftotext"):
        pdf = subprocess.run(["pdftotext", "-layout", out / "summary" / f"{stems[1]}.pdf", "-"], capture_output=True, text=True, check=True).stdout
        assert "Kính gửi: Chủ tịch Ủy ban nhân dân xã Gia Lộc." in pdf and "Bảng 2." in pdf

    notices = sorted((out / "notices").rglob("*.html"))
    numbers = {p.name: p.read_text(encoding="utf-8").split("Số: ", 1)[1].split("/", 1)[0] for p in notices}
    assert sorted(numbers.values()) == ["01", "01", "02", "02", "03"]  # An Biên 1-2, Gia Lộc 1-3
    manifest = json.loads((out / "register.json").read_text(encoding="utf-8"))
    assert len(manifest["numbers"]) == 5

    # The same check date again: the same numbers; the next day: new ones after them.
    assert _check(*plans, "--as-of", "2026-11-22", "--out", out, "--register", register).exit_code == 0
    assert {p.name: p.read_text(encoding="utf-8").split("Số: ", 1)[1].split("/", 1)[0] for p in notices} == numbers
    assert _check(plans[0], "--as-of", "2026-11-23", "--out", out, "--register", register).exit_code == 0
    with Register.open(register) as reg:
        gia_loc = [(e.number, e.state) for e in reg.entries(2026, "UBND xã Gia Lộc")]
    assert gia_loc == [(n, "issued") for n in range(1, 7)]


def test_register_needs_an_output(tmp_path):
    result = CliRunner().invoke(main, ["check", str(GIA_PHUC), "--as-of", "2025-11-22", "--register", str(tmp_path / "so.sqlite")])
    assert result.exit_code == 2 and "--out" in result.output


def test_register_export_writes_the_book_of_outgoing_documents(tmp_path):
    out, register, book = tmp_path / "out", tmp_path / "so.sqlite", tmp_path / "so-dang-ky.xlsx"
    assert _check(GIA_PHUC, "--as-of", "2025-11-22", "--out", out, "--register", register).exit_code == 0
    result = CliRunner().invoke(main, ["register", "export", "--register", str(register), "--out", str(book), "--year", "2025"])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(book)["2025 UBND xã Gia Phúc"]
    assert sheet["A2"].value == "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
    assert [c.value for c in sheet[5]] == [title for title, _ in COLUMNS]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=6)]
    assert [r[0] for r in rows] == [1, 2, 3, 4]
    # The letter's date and reply date are working days (22/11/2025 is a Saturday; the office is
    # closed on 28/11, examples/gia-phuc-2025/ngay-nghi.csv); the symbol is the commune's.
    assert rows[0][1:4] == ["24/11/2025", "01/UBND-VHXH", "Công văn V/v đôn đốc thực hiện Kế hoạch ban hành kèm theo Quyết định số 692/QĐ-UBND"]
    assert rows[0][5] == "Phòng Kinh tế" and rows[0][6] == "02/12/2025" and rows[0][9].startswith("notices/")
    # Unknown register: exit 2 with a message, no traceback, nothing written.
    missing = CliRunner().invoke(main, ["register", "export", "--register", str(tmp_path / "none.sqlite"), "--out", str(tmp_path / "x.xlsx")])
    assert missing.exit_code == 2 and "không có sổ đăng ký" in missing.output
    assert not (tmp_path / "x.xlsx").exists() and not (tmp_path / "none.sqlite").exists()


def test_a_number_held_back_by_a_stopped_run_is_shown_not_skipped(tmp_path):
    with Register.open(tmp_path / "so.sqlite") as reg:
        with pytest.raises(RuntimeError):
            with reg.run(tmp_path / "out") as run:
                run.number_for("UBND xã Gia Lộc", 2026, notice_key("97/KH-UBND", "A", dt.date(2026, 11, 22)), subject="V/v")
                raise RuntimeError("stopped")
        entries = reg.entries()
    assert [e.state for e in entries] == [FREE]
    rows = [[c.value for c in row] for row in workbook(entries).active.iter_rows(min_row=6)]
    assert rows[0][0] == 1 and not rows[0][3] and "sẽ cấp cho văn bản tiếp theo" in rows[0][-1]


def test_a_register_that_cannot_be_used_is_reported_and_nothing_is_written(tmp_path):
    out = tmp_path / "out"
    bad = tmp_path / "bad.sqlite"
    bad.write_text("not a database", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(GIA_PHUC), "--as-of", "2025-11-22", "--out", str(out), "--register", str(bad)])
    assert result.exit_code == 2 and "không mở được sổ đăng ký" in result.output
    assert not out.exists()
    # A register whose tables do not match (not one this dondoc wrote): a disk-side failure, exit 4.
    odd = tmp_path / "odd.sqlite"
    with Register.open(odd) as reg, reg.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE register_entries DROP COLUMN subject")
    result = CliRunner().invoke(main, ["check", str(GIA_PHUC), "--as-of", "2025-11-22", "--out", str(out), "--register", str(odd)])
    assert result.exit_code == 4 and "sổ đăng ký văn bản đi" in result.output
    assert not out.exists()
