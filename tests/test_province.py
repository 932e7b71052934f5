"""A province's night: communes sharing their province's rule pack and days off share one
compiled book; a commune with days of its own has its own; what the night reports of a book
comes back from the workers that compiled it (night/plans.py, night/workers.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dondoc.cli import main
from dondoc.store.sink import output_tree

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "tiny"

# Task 1 of the tiny plan is due 31/10/2026 (a Saturday). Fifteen working days after it is
# Friday 20/11; a commune closed one more working day in between reaches it on Monday 23/11.
PACK = (
    "rules:\n  - id: tinh-qua-han-15-ngay-lam-viec\n    title: Quá hạn 15 ngày làm việc\n    fact: task\n"
    "    scope: due is present\n    condition: status != \"hoàn thành\" and as_of >= due + 15 working days\n"
    "    severity: cảnh báo\n    message: Nhiệm vụ {{ task }} quá hạn 15 ngày làm việc.\n"
)
PROVINCE_DAYS = "2026-05-05,nghỉ,{note}\n2026-05-09,làm việc,Làm bù\n"


def commune(root: Path, name: str, days: str) -> Path:
    plan = root / name
    shutil.copytree(TINY, plan)
    (plan / "dondoc.yaml").write_text("rules: [../quy-tac-tinh]\ndays_off: ngay-nghi.csv\n", encoding="utf-8")
    (plan / "ngay-nghi.csv").write_text("date,kind,note\n" + days, encoding="utf-8")
    text = (plan / "plan.yaml").read_text(encoding="utf-8")
    (plan / "plan.yaml").write_text(text.replace("Thử Nghiệm", f"Thử {name.upper()}"), encoding="utf-8")
    return plan


@pytest.fixture
def province(tmp_path) -> list[Path]:
    (tmp_path / "quy-tac-tinh").mkdir()
    (tmp_path / "quy-tac-tinh" / "tinh.yaml").write_text(PACK, encoding="utf-8")
    return [
        # a and b keep their own copies of the province's days (their notes differ)
        commune(tmp_path, "a", PROVINCE_DAYS.format(note="Ngày truyền thống của tỉnh")),
        commune(tmp_path, "b", PROVINCE_DAYS.format(note="Nghỉ theo Quyết định của UBND tỉnh")),
        # c is closed one more working day before the rule's date
        commune(tmp_path, "c", PROVINCE_DAYS.format(note="Ngày truyền thống của tỉnh") + "2026-11-10,nghỉ,Lễ hội của xã\n"),
    ]


def check(*args) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *map(str, args), "--format", "html", "--no-summary"])
    return result.exit_code, result.output


def test_communes_with_the_same_days_share_a_book_and_a_day_of_its_own_makes_another(province, tmp_path):
    outs = {}
    for workers in (1, 2):
        out = tmp_path / f"out-{workers}"
        status, output = check(*province, "--as-of", "2026-11-22", "--out", out, "--workers", workers)
        assert status == 0, output
        outs[workers] = out
    run = json.loads((outs[2] / "run.json").read_text(encoding="utf-8"))
    assert len(run["rule_books"]) == 2 and all(book["days_off"] for book in run["rule_books"])
    assert [p["book"] for p in run["plans"]] == [0, 0, 1]
    fired = {Path(f["plan_path"]).name for f in json.loads((outs[2] / "findings.json").read_text(encoding="utf-8"))
             if f["rule"] == "tinh-qua-han-15-ngay-lam-viec"}
    assert fired == {"a", "b"}  # c's own day off moves its 15th working day to 23/11
    assert output_tree(outs[1]) == output_tree(outs[2])


def test_the_day_after_c_reaches_its_fifteenth_working_day(province, tmp_path):
    status, output = check(province[2], "--as-of", "2026-11-23", "--json")
    assert status == 0, output
    assert "tinh-qua-han-15-ngay-lam-viec" in {f["rule"] for f in json.loads(output)}


def test_a_rule_a_book_cannot_run_is_named_from_the_worker_that_compiled_it(province, tmp_path, monkeypatch):
    """No book is compiled up front in the command's process: the rules a book cannot run at
    all come back with its first plan, from whichever worker compiled it."""
    from dondoc.engine import run as engine_run

    real = engine_run.rule_conditions

    def rejected(rule, *args):
        conditions = real(rule, *args)
        if rule.id == "tinh-qua-han-15-ngay-lam-viec":
            conditions[rule.id] = {"$not": {"$lt": {"days_overdue": 1}}}  # durable-rules refuses '$not'
        return conditions

    monkeypatch.setattr(engine_run, "rule_conditions", rejected)
    out = tmp_path / "out"
    status, output = check(*province, "--as-of", "2026-11-22", "--out", out, "--workers", 2)
    assert status == 3, output
    errors = json.loads((out / "run.json").read_text(encoding="utf-8"))["rule_errors"]
    assert list(errors) == [f"tinh-qua-han-15-ngay-lam-viec [{(tmp_path / 'quy-tac-tinh').resolve()}]"]
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert findings and "tinh-qua-han-15-ngay-lam-viec" not in {f["rule"] for f in findings}


def test_the_bench_province_is_the_same_plans_with_a_third_of_the_communes_settings(tmp_path):
    """bench/generate.py --province: the plans of the national tree, byte for byte, and beside
    a third of them the commune's dondoc.yaml, days off and the province's (or its own) rules,
    which `rules check` finds valid."""
    from bench.generate import COMMUNE_PACK, generate, plan_folders

    plain = plan_folders(generate(tmp_path, 45))
    local = plan_folders(generate(tmp_path, 45, province=True))
    assert [p.name for p in plain] == [p.name for p in local]
    with_settings = []
    for a, b in zip(plain, local):
        assert {f.name: f.read_bytes() for f in a.iterdir()} == {f.name: f.read_bytes() for f in b.iterdir() if f.name in {g.name for g in a.iterdir()}}
        if (b / "dondoc.yaml").is_file():
            with_settings.append(b)
    assert 0.2 <= len(with_settings) / len(local) <= 0.45
    own = next((p for p in with_settings if (p / COMMUNE_PACK).is_dir()), with_settings[0])
    result = CliRunner().invoke(main, ["rules", "check", "--settings", str(own / "dondoc.yaml")])
    assert result.exit_code == 0, result.output


def test_the_closing_table_counts_per_commune_and_severity_and_names_units_with_their_commune():
    """What the operator reads at the end of a night over several communes (issue 16): counts
    per severity in staff's words ("thông tin", not the rule language's "info"), per commune with
    its severities, and units qualified by their commune (two communes' "Phòng Kinh tế" are two
    lines, not one sum)."""
    examples = ROOT / "examples"
    result = CliRunner().invoke(main, ["check", *(str(examples / p) for p in ("gia-loc-2026", "quyet-thang-2026", "an-bien-2026")),
                                       "--as-of", "2026-11-22"])
    lines = result.output.splitlines()
    assert lines[0] == "Ngày kiểm tra 22/11/2026: 3 kế hoạch của 3 xã, phường, 14 quy tắc, 145 dữ kiện vào, 145 đã đánh giá, 43 phát hiện."
    assert lines[1] == "Theo mức độ: nghiêm trọng 2; cảnh báo 13; nhắc nhở 26; thông tin 2"
    at = lines.index("Theo xã, phường:")
    assert lines[at + 1 : at + 4] == [
        "     33  UBND xã Quyết Thắng (nghiêm trọng 1; cảnh báo 9; nhắc nhở 21; thông tin 2)",
        "      6  UBND xã Gia Lộc (cảnh báo 3; nhắc nhở 3)",
        "      4  UBND phường An Biên (nghiêm trọng 1; cảnh báo 1; nhắc nhở 2)",
    ]
    units = lines[lines.index("Theo đơn vị:") + 1 :]
    assert "      3  UBND xã Gia Lộc — Phòng Kinh tế xã" in units
    assert "      1  UBND phường An Biên — Phòng Văn hóa - Xã hội" in units
    assert sum(int(line.split()[0]) for line in units if line.strip()) == 43
