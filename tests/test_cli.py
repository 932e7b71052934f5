"""The command line: exit statuses, outputs, and no half-written output on bad input."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dondoc.cli import main

TINY = Path(__file__).parent / "fixtures" / "tiny"


def untimed(run_json: Path) -> dict:
    """run.json without when the night ran (night.RUN_TIMES): two runs agree on the rest."""
    from dondoc.store.sink import RUN_TIMES

    data = json.loads(run_json.read_text(encoding="utf-8"))
    assert set(RUN_TIMES) <= set(data)
    return {k: v for k, v in data.items() if k not in RUN_TIMES}


# The rules these tests are about: a rule added to rules/ may find more on the same plan.
NAMED = ("nhiem-vu-qua-han", "chi-tieu-toi-thieu")


def named(findings):
    return [f for f in findings if f["rule"] in NAMED]


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return invoke


def test_check_writes_findings_run_report_and_one_notice_per_unit(run, tmp_path):
    out = tmp_path / "out"
    result = run("check", TINY, "--as-of", "2026-11-22", "--out", out)
    assert result.exit_code == 0, result.output
    every = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    findings = named(every)  # a rule added to the shipped ones may find more: these two stay as they are
    assert [(f["rule"], f["subject"], f["unit"]) for f in findings] == [
        ("nhiem-vu-qua-han", "task:1", "Phòng Kinh tế"),
        ("chi-tieu-toi-thieu", "target:CT01", "Văn phòng HĐND và UBND xã"),
    ]
    for finding in every:
        assert {"rule", "plan", "subject", "unit", "severity", "message", "values"} <= set(finding)
    assert findings[1]["values"] == {"comparison": ">=", "is_reduction": False, "actual": 91.2, "value": 95.0}
    run_report = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run_report["facts_in"] == run_report["evaluated"] == 3
    letters = sorted(str(p.relative_to(out / "notices")) for p in (out / "notices").rglob("*.*"))
    assert [
        f"xa-thu-nghiem-2026-05-KH-UBND/{unit}.{fmt}"
        for unit in ("phong-kinh-te", "van-phong-hdnd-va-ubnd-xa")
        for fmt in ("docx", "html", "pdf")
    ] == [p for p in letters if "phong-kinh-te" in p or "van-phong-hdnd" in p]
    assert f"{len(every)} phát hiện" in result.output and "nhiem-vu-qua-han" in result.output
    assert f"{len(letters) // 3} công văn (docx, html, pdf)" in result.output


@pytest.mark.parametrize("given, written", [(["html"], {"html"}), (["html,docx"], {"html", "docx"}), (["pdf", "html"], {"pdf", "html"})])
def test_format_chooses_the_notice_formats(run, tmp_path, given, written):
    out = tmp_path / "out"
    options = [x for f in given for x in ("--format", f)]
    result = run("check", TINY, "--as-of", "2026-11-22", "--out", out, *options)
    assert result.exit_code == 0, result.output
    assert {p.suffix[1:] for p in (out / "notices").rglob("*.*")} == written


def test_an_unknown_format_is_a_usage_error(run, tmp_path):
    result = run("check", TINY, "--as-of", "2026-11-22", "--out", tmp_path / "out", "--format", "odt")
    assert result.exit_code == 2 and "odt" in result.output
    assert not (tmp_path / "out").exists()


def test_settings_option_applies_one_file_to_every_plan(run, tmp_path):
    settings = tmp_path / "chung.yaml"
    settings.write_text("symbol: UBND-KT\nsigner: {name: Lê Văn Ba}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("check", TINY, "--as-of", "2026-11-22", "--out", out, "--format", "html", "--settings", settings)
    assert result.exit_code == 0, result.output
    page = next((out / "notices").rglob("phong-kinh-te.html")).read_text(encoding="utf-8")
    assert "/UBND-KT" in page and "Lê Văn Ba" in page and "Lưu: VT, KT." in page


def test_a_bad_settings_file_is_exit_2_with_its_line_in_vietnamese(run, tmp_path):
    settings = tmp_path / "dondoc.yaml"
    settings.write_text("symbol: UBND-KT\nreply_day: 5\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("check", TINY, "--as-of", "2026-11-22", "--out", out, "--settings", settings)
    assert result.exit_code == 2
    assert f"{settings}:2:1: không có mục 'reply_day' trong tệp cài đặt" in result.output
    assert not out.exists()


def test_json_prints_the_findings(run):
    result = run("check", TINY, "--as-of", "2026-11-22", "--json")
    assert result.exit_code == 0
    assert [f["rule"] for f in named(json.loads(result.output))] == ["nhiem-vu-qua-han", "chi-tieu-toi-thieu"]


def test_the_same_check_gives_byte_identical_findings(run, tmp_path):
    run("check", TINY, "--as-of", "2026-11-22", "--out", tmp_path / "a")
    run("check", TINY, "--as-of", "2026-11-22", "--out", tmp_path / "b")
    assert (tmp_path / "a" / "findings.json").read_bytes() == (tmp_path / "b" / "findings.json").read_bytes()
    assert untimed(tmp_path / "a" / "run.json") == untimed(tmp_path / "b" / "run.json")


@pytest.mark.parametrize("fail_on, status", [("never", 0), ("nghiêm trọng", 0), ("cảnh báo", 1), ("nhắc nhở", 1)])
def test_fail_on_sets_the_exit_status(run, fail_on, status):
    assert run("check", TINY, "--as-of", "2026-11-22", "--fail-on", fail_on).exit_code == status


def test_before_anything_is_due_nothing_is_overdue(run):
    result = run("check", TINY, "--as-of", "2026-03-01", "--json")
    rules = [f["rule"] for f in json.loads(result.output)]
    assert "nhiem-vu-qua-han" not in rules


def test_a_bad_date_is_exit_2_with_a_clear_message(run):
    result = run("check", TINY, "--as-of", "22.11.2026")
    assert result.exit_code == 2
    assert "không phải một ngày: viết 22/11/2026 hoặc 2026-11-22" in result.output


def _broken_copy(tmp_path: Path, name: str, old: str, new: str) -> Path:
    plan = tmp_path / "plan"
    shutil.copytree(TINY, plan)
    path = plan / name
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return plan


@pytest.mark.parametrize(
    "name, old, new, words",
    [
        ("plan.yaml", "  year: 2026", "  year: 2026\n  colour: red", "plan.yaml:9:3: trường lạ 'colour'"),
        ("plan.yaml", "value: 95", "value: [95", "plan.yaml:31:9: lỗi cú pháp YAML"),
        ("plan.yaml", "issued: 2026-01-15", "issued: 2026-01-45", "plan.yaml:6:11: issued"),
        ("measurements.csv", "912,1000", "912,0", "measurements.csv:2:4 (cột denominator)"),
        ("progress.csv", "2026-06-30", "46203", "progress.csv:2:3 (cột reported_on): ô ngày chứa số 46203: đây là ngày dạng số của Excel"),
    ],
)
def test_bad_input_names_file_and_line_and_writes_nothing(run, tmp_path, name, old, new, words):
    plan = _broken_copy(tmp_path, name, old, new)
    out = tmp_path / "out"
    result = run("check", plan, "--as-of", "2026-11-22", "--out", out)
    assert result.exit_code == 2
    assert words in result.output, result.output
    assert not out.exists()


def test_bad_input_leaves_last_nights_output_untouched(run, tmp_path):
    out = tmp_path / "out"
    assert run("check", TINY, "--as-of", "2026-11-22", "--out", out).exit_code == 0
    before = (out / "findings.json").read_bytes()
    plan = _broken_copy(tmp_path, "plan.yaml", "value: 95", "value: lots")
    assert run("check", plan, "--as-of", "2026-11-23", "--out", out).exit_code == 2
    assert (out / "findings.json").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".dondoc-lock")) == ["out", "plan"]


def _bad_rules(tmp_path) -> Path:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "r.yaml").write_text(
        "rules:\n  - id: x\n    title: X\n    fact: task\n    condition: days_overdue >> 0\n"
        "    severity: cảnh báo\n    message: x\n",
        encoding="utf-8",
    )
    return rules


def test_a_bad_rule_file_is_set_aside_at_night_naming_file_line_and_column(run, tmp_path):
    rules = _bad_rules(tmp_path)
    result = run("check", TINY, "--as-of", "2026-11-22", "--rules", rules, "--out", tmp_path / "out")
    assert result.exit_code == 3  # at night the file is set aside, named, and the other rules run
    assert "r.yaml:5:30: không đọc được '>' ở đây" in result.output
    assert (tmp_path / "out" / "findings.json").exists()


def test_rules_check_of_the_same_file_is_exit_2(run, tmp_path):
    result = run("rules", "check", _bad_rules(tmp_path))
    assert result.exit_code == 2 and "r.yaml:5:30: không đọc được '>' ở đây" in result.output


def test_a_broken_notice_template_is_exit_2_and_writes_nothing(run, tmp_path):
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "notice.html.j2").write_text("<p>{{ notice.unit </p>\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("check", TINY, "--as-of", "2026-11-22", "--templates", templates, "--out", out)
    assert result.exit_code == 2
    assert "notice.html.j2" in result.output and ":1" in result.output
    assert not out.exists()


def test_a_missing_plan_folder_is_exit_2(run, tmp_path):
    result = run("check", tmp_path / "nowhere", "--as-of", "2026-11-22")
    assert result.exit_code == 2 and "không có thư mục này" in result.output


@pytest.mark.parametrize(
    "phrase, year, expected",
    [
        ("Quý III, IV/2025", 2025, {"kind": "due", "due": "2025-12-31", "checkpoint": "2025-09-30"}),
        ("Trước ngày 20 của tháng cuối quý", 2026, {"kind": "recurring", "occurrences": ["2026-03-19", "2026-06-19", "2026-09-19", "2026-12-19"]}),
        ("Thường xuyên", 2026, {"kind": "continuous", "due": None, "start": None}),
        ("Theo lộ trình của Nghị quyết", 2026, {"kind": "external", "due": None}),
        ("Bắt đầu từ tháng 4 đến tháng 11/2026", 2026, {"kind": "window", "start": "2026-04-01", "due": "2026-11-30"}),
        ("ngày mai mốt", 2026, {"kind": "unparsed", "due": None}),
    ],
)
def test_parse_deadline_prints_how_a_phrase_is_read(run, phrase, year, expected):
    result = run("parse", "deadline", phrase, "--year", year, "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert {k: data[k] for k in expected} == expected
    assert data["phrase"] == phrase


def test_rules_check_and_list(run):
    assert run("rules", "check").exit_code == 0
    listing = run("rules", "list").output
    assert "nhiem-vu-qua-han" in listing and "giam-thoi-gian" in listing


def test_a_rule_that_fails_at_run_time_is_stopped_and_named_and_the_others_run(run, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "hong.yaml").write_text(
        "rules:\n  - id: hong\n    title: Hỏng\n    fact: task\n    scope: due is present\n"
        "    condition: days_overdue > 0\n    severity: cảnh báo\n    message: '{{ days_overdue / 0 }}'\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run("check", TINY, "--as-of", "2026-11-22", "--rules", rules, "--out", out)
    assert result.exit_code == 3
    assert "quy tắc 'hong' không chạy được" in result.output and "division by zero" in result.output
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert {f["rule"] for f in named(findings)} == {"nhiem-vu-qua-han", "chi-tieu-toi-thieu"}
    assert "hong" not in {f["rule"] for f in findings}
    assert "hong" in json.loads((out / "run.json").read_text(encoding="utf-8"))["rule_errors"]


def test_a_rule_durable_rules_rejects_is_stopped_and_named(run, monkeypatch):
    from tests.faults import refused_by_durable_rules

    refused_by_durable_rules(monkeypatch, "chi-tieu-toi-thieu")
    result = run("check", TINY, "--as-of", "2026-11-22", "--json")
    assert result.exit_code == 3
    assert "quy tắc 'chi-tieu-toi-thieu' không chạy được" in result.output
    # `rules check` registers with durable-rules as the night does: "hợp lệ" means it will run.
    checked = run("rules", "check")
    assert checked.exit_code == 2
    assert "chi-tieu.yaml:4: quy tắc 'chi-tieu-toi-thieu' không chạy được" in checked.output


@pytest.mark.parametrize("where", ["user-folder", "plan-folder", "cwd"])
def test_out_never_replaces_a_folder_dondoc_did_not_write(run, tmp_path, monkeypatch, where):
    plan = tmp_path / "plan"
    shutil.copytree(TINY, plan)
    if where == "user-folder":
        out = tmp_path / "van-ban"
        (out / "sub").mkdir(parents=True)
        (out / "a.docx").write_bytes(b"PK")
        (out / "sub" / "photo.jpg").write_bytes(b"\xff\xd8")
    elif where == "plan-folder":
        out = plan
    else:
        monkeypatch.chdir(plan)
        out = Path(".")
    watched = out.resolve()
    before = {p: p.read_bytes() for p in watched.rglob("*") if p.is_file()}
    result = run("check", plan.resolve(), "--as-of", "2026-11-22", "--out", out)
    assert result.exit_code == 2
    assert "không do dondoc ghi" in result.output
    assert {p: p.read_bytes() for p in watched.rglob("*") if p.is_file()} == before


def test_a_disk_failure_has_its_own_exit_status(run, tmp_path, monkeypatch):
    import errno

    from dondoc import files as writer

    def full(path):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writer, "_sync_filesystem", full)
    result = run("check", TINY, "--as-of", "2026-11-22", "--out", tmp_path / "out")
    assert result.exit_code == 4
    assert "đĩa đầy" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_version(run):
    from importlib.metadata import version

    result = run("--version")
    assert result.exit_code == 0 and result.output.strip() == f"dondoc {version('dondoc')}"


def test_parse_deadline_reads_a_phrase_against_the_plan_period(run):
    result = run("parse", "deadline", "Hằng năm", "--period", "2025-2030", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["occurrences"] == [f"{y}-12-31" for y in range(2025, 2031)]
    assert data["start"] == "2025-01-01"
    # a bad period, or neither year nor period: a usage error, exit 2
    assert run("parse", "deadline", "Hằng năm", "--period", "2031-2030").exit_code == 2
    assert run("parse", "deadline", "Hằng năm").exit_code == 2


def _plan_with_settings(tmp_path, name: str, settings: str) -> Path:
    plan = tmp_path / name
    shutil.copytree(TINY, plan)
    (plan / "dondoc.yaml").write_text(settings, encoding="utf-8")
    return plan


LOCAL_RULE = (
    "rules:\n  - id: nhiem-vu-rieng\n    title: Nhiệm vụ của xã quá hạn\n    fact: task\n"
    "    condition: days_overdue > 0\n    severity: nhắc nhở\n    message: Nhiệm vụ {{ task }} quá hạn.\n"
)


def test_the_rules_and_days_off_of_a_plans_settings_file_are_used(run, tmp_path):
    (tmp_path / "quy-tac").mkdir()
    (tmp_path / "quy-tac" / "rieng.yaml").write_text(LOCAL_RULE, encoding="utf-8")
    plan = _plan_with_settings(tmp_path, "xa", "rules: [../quy-tac]\n")
    result = run("check", plan, "--as-of", "2026-11-22", "--json")
    assert result.exit_code == 0, result.output
    assert "nhiem-vu-rieng" in {f["rule"] for f in json.loads(result.output)}


def test_explain_uses_the_rules_of_the_plans_settings_as_check_does(run, tmp_path):
    (tmp_path / "quy-tac").mkdir()
    (tmp_path / "quy-tac" / "rieng.yaml").write_text(LOCAL_RULE, encoding="utf-8")
    plan = _plan_with_settings(tmp_path, "xa", "rules: [../quy-tac]\n")
    result = run("rules", "explain", "nhiem-vu-rieng", plan, "--as-of", "2026-11-22")
    assert result.exit_code == 0, result.output
    assert "Nhiệm vụ của xã quá hạn" in result.output


def test_communes_with_their_own_rules_and_days_off_run_in_one_night_each_with_its_own(run, tmp_path):
    """A province's night: each plan with the rules, days off and symbol of its own dondoc.yaml."""
    (tmp_path / "quy-tac").mkdir()
    (tmp_path / "quy-tac" / "rieng.yaml").write_text(LOCAL_RULE, encoding="utf-8")
    a = _plan_with_settings(tmp_path, "a", "rules: [../quy-tac]\n")
    b = _plan_with_settings(tmp_path, "b", "symbol: UBND-KT\ndays_off: nghi.csv\n")
    (b / "nghi.csv").write_text("date,kind,note\n2026-11-23,nghỉ,Nghỉ riêng của xã\n", encoding="utf-8")
    plan_b = b / "plan.yaml"
    plan_b.write_text(plan_b.read_text(encoding="utf-8").replace("Thử Nghiệm", "Thử Hai"), encoding="utf-8")
    out = tmp_path / "out"
    result = run("check", a, b, "--as-of", "2026-11-22", "--out", out, "--format", "html")
    assert result.exit_code == 0, result.output
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert {f["plan_path"] for f in findings if f["rule"] == "nhiem-vu-rieng"} == {str(a)}
    letters = {p.parent.name: p.read_text(encoding="utf-8") for p in (out / "notices").rglob("*.html")}
    assert "/UBND-KT" in letters["xa-thu-hai-2026-05-KH-UBND"] and "/UBND-KT" not in letters["xa-thu-nghiem-2026-05-KH-UBND"]
    # b's office is closed on Monday 23/11 (24/11 is Ngày Văn hóa Việt Nam): its letters are
    # dated on its next working day.
    assert "ngày 25 tháng 11 năm 2026" in letters["xa-thu-hai-2026-05-KH-UBND"]
    assert "ngày 23 tháng 11 năm 2026" in letters["xa-thu-nghiem-2026-05-KH-UBND"]
    run_json = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert [p["settings"] for p in run_json["plans"]] == [str(a / "dondoc.yaml"), str(b / "dondoc.yaml")]
    assert len(run_json["rule_books"]) == 2  # the shipped rules alone, and with the commune's own


def test_the_summary_is_written_in_the_formats_asked_for(run, tmp_path):
    out = tmp_path / "out"
    result = run("check", TINY, "--as-of", "2026-11-22", "--out", out, "--format", "html")
    assert result.exit_code == 0, result.output
    written = {p.suffix for p in (out / "summary").rglob("*.*")}
    assert written == {".html", ".svg", ".png"}  # the report and its charts; no .docx, no .pdf


@pytest.mark.parametrize(
    "raised, status, words",
    [
        (RuntimeError("hỏng"), 70, "lỗi nội bộ của dondoc: RuntimeError: hỏng"),
        (KeyboardInterrupt(), 130, "bị ngắt"),
    ],
)
def test_a_crash_or_an_interrupt_has_its_own_status_never_the_findings_one(run, monkeypatch, raised, status, words):
    """Exit 1 means "findings" to a cron job with --fail-on: a fault of dondoc's own (70) and
    Ctrl-C (130) must never look like it, and neither prints a traceback."""
    import dondoc.facts.planfolder as planfolder

    def broken(*args, **kwargs):
        raise raised

    monkeypatch.setattr(planfolder, "read_plan_folder", broken)
    result = run("rules", "list", "--coverage", TINY)
    assert result.exit_code == status, result.output
    assert words in result.output and "Traceback" not in result.output
    if status == 70:
        trace = Path(result.output.split("đã ghi vào ")[1].split(":")[0])
        assert "RuntimeError: hỏng" in trace.read_text(encoding="utf-8")
        trace.unlink()


def test_help_is_vietnamese_whole_and_lists_the_exit_statuses(run):
    from dondoc.errors import EXIT_STATUSES

    text = run("--help").output
    assert text.startswith("Cách dùng: dondoc [TÙY_CHỌN] LỆNH [ĐỐI_SỐ]...")
    assert "Tùy chọn:" in text and "Lệnh:" in text and "Xem hướng dẫn này rồi thoát." in text
    for code, meaning in EXIT_STATUSES.items():
        assert f"{code:>3}  {meaning}" in text
    check = run("check", "--help").output
    assert "Cách dùng: dondoc check [TÙY_CHỌN] THƯ_MỤC..." in check and "Options" not in check and "Usage" not in check


def test_a_usage_error_is_vietnamese_and_exit_2(run):
    result = CliRunner().invoke(main, ["check", str(TINY), "--khong-co"])
    assert result.exit_code == 2
    assert "Lỗi cách dùng: Không có tùy chọn '--khong-co'." in result.output and "Error" not in result.output


@pytest.mark.parametrize("written", ["22/11/2026", "2026-11-22"])
def test_as_of_takes_the_date_as_dondoc_prints_it_and_iso(run, written):
    result = run("check", TINY, "--as-of", written, "--json")
    assert result.exit_code == 0 and json.loads(result.output)


def test_as_of_that_is_no_date_is_exit_2_in_vietnamese(run):
    result = CliRunner().invoke(main, ["check", str(TINY), "--as-of", "31/02/2026"])
    assert result.exit_code == 2 and "'31/02/2026' không phải một ngày" in result.output


@pytest.mark.parametrize("alias, name", [("canh-bao", "cảnh báo"), ("nghiem-trong", "nghiêm trọng"), ("nhac-nho", "nhắc nhở")])
def test_severities_have_ascii_aliases_for_a_crontab(run, alias, name):
    by_alias = run("check", TINY, "--as-of", "2026-11-22", "--fail-on", alias)
    by_name = run("check", TINY, "--as-of", "2026-11-22", "--fail-on", name)
    assert by_alias.exit_code == by_name.exit_code


def test_quiet_prints_nothing_and_the_json_log_has_each_phase_plan_and_its_duration(run, tmp_path):
    log = tmp_path / "dem.jsonl"
    log.write_text('{"event": "a line already there"}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(TINY), "--as-of", "2026-11-22", "--out", str(tmp_path / "out"), "--quiet", "--log-json", str(log)])
    assert result.exit_code == 0 and result.stdout == ""
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines[0] == '{"event": "a line already there"}'  # appended, never rewritten
    events = [json.loads(line) for line in lines[1:]]
    phases = [e["phase"] for e in events if e["event"] == "phase"]
    assert phases == ["start", "plans read", "workers started", "checking", "landing", "end"]
    [plan] = [e for e in events if e["event"] == "plan"]
    written = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    assert plan["identity"] == "xa-thu-nghiem-2026-05-KH-UBND" and plan["findings"] == len(written) >= 2 and plan["seconds"] > 0
    assert events[-1]["status"] == 0 and events[-1]["seconds"] > 0
    bad = CliRunner().invoke(main, ["check", str(tmp_path), "--as-of", "2026-11-22", "--log-json", str(log)])
    assert bad.exit_code == 2
    last = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()][-2:]
    assert last[0]["event"] == "error" and "plan.yaml" in last[0]["message"] and last[1]["status"] == 2


def test_python_m_dondoc_is_the_command():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "dondoc", "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("dondoc ")


VIETNAMESE = re.compile(r"[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.IGNORECASE)


def _commands(group, path=()):
    for name, command in sorted(group.commands.items()):
        yield (*path, name), command
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))


def test_every_command_and_option_speaks_vietnamese():
    """Every command's description and every option's help, walked from the command tree (a
    command added in English fails here, naming it)."""
    english = []
    for path, command in _commands(main):
        text = command.help or command.short_help or ""
        if not VIETNAMESE.search(text):
            english.append(f"dondoc {' '.join(path)}: {text[:60]!r}")
        for param in command.params:
            help_text = getattr(param, "help", None)
            if help_text and not VIETNAMESE.search(help_text):
                english.append(f"dondoc {' '.join(path)} {param.opts[0]}: {help_text[:60]!r}")
    assert not english, "\n".join(english)
