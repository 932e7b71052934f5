"""The nightly run over many plans (night/): streamed, over worker processes, and
the same bytes whatever the number of workers."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.generate import AS_OF, generate, plan_folders
from dondoc.cli import main
from dondoc.night import Options
from dondoc.night import check as night_check
from dondoc.night.plans import Plans
from dondoc.night.workers import Workers
from dondoc.store.sink import FindingsFile, output_tree

ROOT = Path(__file__).resolve().parent.parent
TINY = Path(__file__).parent / "fixtures" / "tiny"


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> list[Path]:
    """Twenty-four generated plans (bench/generate.py): varied, some sharing a number."""
    return plan_folders(generate(tmp_path_factory.mktemp("bench"), 24))


def check(*args, summary: bool = False) -> tuple[int, str, str]:
    """`dondoc check ARGS`: HTML letters only, unless ``summary`` (then every format of the
    letters and the Chairman's summaries: about 1 s of CPU a plan)."""
    extra = [] if summary else ["--no-summary", "--format", "html"]
    result = CliRunner().invoke(main, ["check", *map(str, args), *extra], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


tree = output_tree  # every file of an output, run.json without when it ran


def test_one_worker_and_two_workers_write_the_same_bytes(plans, tmp_path):
    outs = {}
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        status, _, _ = check(*plans, "--as-of", AS_OF.isoformat(), "--out", out, "--workers", workers)
        assert status == 0
        outs[workers] = tree(out)
    assert outs[1] == outs[2]
    assert len([n for n in outs[1] if n.startswith("notices/")]) > 24  # several notices per plan


def test_summaries_and_word_and_pdf_letters_too_are_the_same_bytes_whatever_the_workers(plans, tmp_path):
    outs = {}
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        assert check(*plans[:4], "--as-of", AS_OF.isoformat(), "--out", out, "--workers", workers, summary=True)[0] == 0
        outs[workers] = tree(out)
    assert outs[1] == outs[2]
    assert len({n.split("/")[1].split(".")[0] for n in outs[1] if n.startswith("summary/") and n.endswith(".pdf")}) == 4
    assert {n.rsplit(".", 1)[1] for n in outs[1] if n.startswith("summary/")} >= {"html", "docx", "pdf"}
    assert {n.rsplit(".", 1)[1] for n in outs[1] if n.startswith("notices/")} == {"html", "docx", "pdf"}


def test_two_runs_are_byte_identical_whatever_the_order_of_the_arguments(plans, tmp_path):
    check(*plans, "--as-of", AS_OF.isoformat(), "--out", tmp_path / "a")
    check(*reversed(plans), "--as-of", AS_OF.isoformat(), "--out", tmp_path / "b")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_two_workers_really_share_the_plans(plans):
    night = Plans.of(plans)
    with Workers(night, AS_OF, workers=2) as workers:
        outcomes = list(workers.run({}))
    seen = [o.worker for o in outcomes]
    assert len(set(seen)) == 2 and os.getpid() not in seen
    assert [o.report.path for o in outcomes] == [j.given for j in night.jobs]


def test_run_json_and_findings_json_always_agree(plans, tmp_path):
    out = tmp_path / "out"
    check(*plans, "--as-of", AS_OF.isoformat(), "--out", out)
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["findings"] == len(findings) == sum(p["findings"] for p in run["plans"])
    per_plan = {p["path"]: p["findings"] for p in run["plans"]}
    for path, count in per_plan.items():
        assert count == sum(1 for f in findings if f["plan_path"] == path)
    assert run["facts_in"] == run["evaluated"] == sum(p["facts_in"] for p in run["plans"])
    assert len(findings) > 100


def test_json_prints_exactly_what_findings_json_holds(plans, tmp_path):
    status, printed, _ = check(*plans[:5], "--as-of", AS_OF.isoformat(), "--out", tmp_path / "out", "--json")
    assert status == 0
    assert printed == (tmp_path / "out" / "findings.json").read_text(encoding="utf-8")
    _, without_out, _ = check(*plans[:5], "--as-of", AS_OF.isoformat(), "--json")
    assert without_out == printed


def test_findings_json_is_what_one_json_dump_of_the_list_gives(plans, tmp_path):
    check(*plans[:3], "--as-of", AS_OF.isoformat(), "--out", tmp_path / "out")
    text = (tmp_path / "out" / "findings.json").read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
    empty = io.BytesIO()
    sink = FindingsFile(empty)
    sink.start()
    sink.add(b"", 0)  # a plan with no findings
    sink.finish()
    assert empty.getvalue() == (json.dumps([]) + "\n").encode()


def test_a_plan_given_twice_is_checked_once_with_a_warning(tmp_path):
    link = tmp_path / "same-plan"
    link.symlink_to(TINY.resolve())
    once = tmp_path / "once"
    check(TINY, "--as-of", "2026-11-22", "--out", once)
    twice = tmp_path / "twice"
    status, _, err = check(TINY, link, f"{TINY}/.", "--as-of", "2026-11-22", "--out", twice)
    assert status == 0
    assert err.count("cùng một thư mục kế hoạch") == 2 and str(link) in err
    assert tree(once) == tree(twice)
    run = json.loads((twice / "run.json").read_text(encoding="utf-8"))
    assert len(run["plans"]) == 1 and run["findings"] == 2


def test_two_plans_of_one_commune_year_and_number_are_refused_not_overwritten(tmp_path):
    """Their notices would share a folder (templates/notices.py names it by commune, year and
    number): whichever worker wrote last would win. The run stops instead, naming both."""
    for name in ("xa-a", "xa-b"):
        shutil.copytree(TINY, tmp_path / "plans" / name)
    out = tmp_path / "out"
    status, _, err = check(tmp_path / "plans" / "xa-a", tmp_path / "plans" / "xa-b", "--as-of", "2026-11-22", "--out", out, "--workers", 2)
    assert status == 2 and "cùng một định danh" in err and "xa-a" in err and "xa-b" in err
    assert not out.exists()
    # The workers were stopped before the staging folder was removed: nothing left of it.
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")] == [".out.dondoc-lock"]


def _stops_on(plan_key: str, rules: Path) -> None:
    """A rule whose message cannot be written for one plan's facts only (division by zero)."""
    shutil.copytree(ROOT / "rules", rules)
    (rules / "hong.yaml").write_text(
        "rules:\n  - id: hong\n    title: Hỏng\n    fact: task\n    scope: due is present\n"
        "    condition: days_overdue > 0\n    severity: cảnh báo\n"
        f"    message: '{{{{ 1 // (0 if plan == \"{plan_key}\" else 1) }}}}'\n",
        encoding="utf-8",
    )


def test_a_rule_stopped_on_a_late_plan_is_stopped_on_all_whatever_the_workers(plans, tmp_path):
    from dondoc.facts.planfolder import read_plan_folder

    plans = plans[:10]
    last = read_plan_folder(plans[-1]).plan.key
    rules = tmp_path / "rules"
    _stops_on(last, rules)
    outs = {}
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        status, _, err = check(*plans, "--as-of", AS_OF.isoformat(), "--rules", rules, "--out", out, "--workers", workers)
        assert status == 3 and "quy tắc 'hong' không chạy được" in err
        outs[workers] = tree(out)
    assert outs[1] == outs[2]
    findings = json.loads(outs[2]["findings.json"])
    assert findings and "hong" not in {f["rule"] for f in findings}
    assert not any("Hỏng" in text.decode() for name, text in outs[2].items() if name.endswith(".html"))
    run = json.loads(outs[2]["run.json"])
    assert "by zero" in run["rule_errors"]["hong"]
    # The first pass wrote findings of 'hong' for the earlier plans: a second pass dropped them.
    result = night_check(plans, Options(AS_OF, rules_dirs=(rules,), workers=2))
    assert result.passes == 2 and "hong" in result.report.rule_errors


def test_a_bad_plan_among_many_stops_the_run_naming_it_and_writes_nothing(plans, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(plans[3], broken)
    (broken / "plan.yaml").write_text("plan: [\n", encoding="utf-8")
    out = tmp_path / "out"
    status, _, err = check(*plans[:8], broken, "--as-of", AS_OF.isoformat(), "--out", out, "--workers", 2)
    assert status == 2 and f"{broken}/plan.yaml" in err
    assert not out.exists()


def test_reading_plan_after_plan_keeps_nothing_of_the_earlier_ones(plans):
    """A worker reads ~1,700 plans a night: what one plan leaves behind adds up (it was 0.5 MB)."""
    import gc
    import tracemalloc

    from dondoc.facts.planfolder import read_plan_folder

    for path in plans[:4]:  # caches of the first plans (units, deadline phrases) are not a leak
        read_plan_folder(path)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for path in plans[4:]:
            read_plan_folder(path)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 20 * 100_000, f"{grown} bytes kept after {len(plans) - 4} plans"
