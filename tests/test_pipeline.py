"""The nightly run over many plans (engine/pool.py): streamed, over worker processes, and
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
from dondoc.engine.pool import FindingsFile, Night, PlanOutcome, plan_jobs
from dondoc.engine.rulebook import load_rules
from dondoc.files import MARKER

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


def tree(folder: Path) -> dict[str, bytes]:
    """Every file of an output, by relative path (the manifest holds mtimes: left out)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MARKER
    }


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
    jobs, _ = plan_jobs(plans)
    seen = []

    class Sink:
        def start(self):
            seen.clear()

        def add(self, outcome):
            seen.append(outcome.worker)

        def finish(self):
            pass

    with Night(load_rules(), AS_OF, workers=2) as night:
        result = night.run(jobs, Sink())
    assert len(set(seen)) == 2 and os.getpid() not in seen
    assert [p.path for p in result.report.plans] == [j.given for j in jobs]


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
    sink.add(PlanOutcome(plan_jobs([TINY])[0][0]))  # a plan with no findings
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
    assert status == 2 and "hai công văn trùng tên tệp" in err and "xa-a" in err and "xa-b" in err
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
    with Night(load_rules(rules), AS_OF, workers=2) as night, open(tmp_path / "f.json", "w+b") as fh:
        result = night.run(plan_jobs(plans)[0], FindingsFile(fh))
    assert result.passes == 2 and "hong" in result.report.rule_errors


def test_a_late_stopped_rule_with_a_register_leaves_no_gap_and_no_number_without_a_letter(plans, tmp_path):
    # The first pass draws numbers for letters the second pass drops or changes: the register
    # must still read 1..N, each number issued once, each one a letter in --out.
    from dondoc.facts.planfolder import read_plan_folder
    from dondoc.store.register import ISSUED, Register

    plans = plans[:10]
    rules = tmp_path / "rules"
    _stops_on(read_plan_folder(plans[-1]).plan.key, rules)
    hong = rules / "hong.yaml"  # on every task with a due date: letters to units nothing else finds
    hong.write_text(hong.read_text(encoding="utf-8").replace("condition: days_overdue > 0", "condition: due is present"), encoding="utf-8")
    out, register = tmp_path / "out", tmp_path / "so.sqlite"
    status, _, err = check(*plans, "--as-of", AS_OF.isoformat(), "--rules", rules, "--out", out, "--workers", 2, "--register", register)
    assert status == 3 and "quy tắc 'hong' không chạy được" in err
    letters = sorted(p.relative_to(out / "notices").with_suffix("").as_posix() for p in (out / "notices").rglob("*.html"))
    with Register.open(register) as reg:
        entries = reg.entries()
    by_issuer: dict[str, list[int]] = {}
    for e in entries:
        assert e.state == ISSUED, e
        by_issuer.setdefault((e.issuer, e.year), []).append(e.number)
    for numbers in by_issuer.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
    assert len(entries) == len(letters) > 0


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
