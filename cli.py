"""dondoc: the nightly check of commune plans, from the command line.

    dondoc check PLAN_DIR... --as-of 2026-11-22 --out out/
    dondoc parse deadline "Quý III, IV/2025" --year 2025 --json

Exit status: 0 no finding reaches --fail-on; 1 one does; 2 bad input (a plan
file, rule file, date or template that cannot be read) or a run that cannot
prove it evaluated every fact: nothing is written; 3 some rules could not run
(each named): the other rules' findings are written, with the stopped rules in
run.json. Errors name the file and line.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import click

from dondoc.engine.findings import SEVERITY_ORDER, Finding
from dondoc.engine.rulebook import DEFAULT_RULES_DIR, load_rules
from dondoc.facts.derive import task_counts, today
from dondoc.facts.errors import InputError, InputErrors

if TYPE_CHECKING:
    from dondoc.facts.models import PlanFolder
    from dondoc.store.writer import Staging

# Each command imports what only it needs, inside it: `dondoc check` of one plan starts in
# a fraction of a second (python -X importtime; docs/engine.md).

EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_RULE_ERRORS = 3
NOTICES = "notices"  # in --out: notices/<plan folder>/<number>__<unit>.html


def _fail(errors: list[InputError] | InputError | str) -> None:
    if isinstance(errors, (InputError, str)):
        errors = [errors]  # type: ignore[list-item]
    for error in errors:
        text = error.render() if isinstance(error, InputError) else error
        click.echo(f"lỗi: {text}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def guarded(func: Callable) -> Callable:
    """Turn bad input into a clear message and exit status 2, never a traceback."""

    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except InputErrors as exc:
            _fail(exc.errors)
        except InputError as exc:
            _fail(exc)
        except Exception as exc:
            # Imported here: a command that raised one of these has imported its module already.
            from dondoc.engine.durable_adapter import EngineError
            from dondoc.store.writer import OutputError

            if isinstance(exc, EngineError):
                _fail(f"engine: {exc}")
            if isinstance(exc, OutputError):
                click.echo(f"lỗi ghi: {exc.render()}", err=True)
                sys.exit(exc.exit_code)
            raise

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


class DateParam(click.ParamType):
    """A calendar date written YYYY-MM-DD."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"'{value}' is not a date written YYYY-MM-DD (e.g. 2026-11-22)", param, ctx)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dondoc")
def main() -> None:
    """Kiểm tra việc thực hiện kế hoạch của UBND xã, phường (dondoc).

    Checks commune plans every night: overdue tasks, missed targets, the
    '03 giảm', and writes warning notices per lead unit.
    """


# -- check ------------------------------------------------------------------------------------


@main.command("check")
@click.argument("plan_dirs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--as-of", "as_of", type=DateParam(), help="The date of the check (default: today, Asia/Ho_Chi_Minh).")
@click.option("--out", "out", type=click.Path(path_type=Path), help="Write findings.json, run.json and notices/ here.")
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path), default=DEFAULT_RULES_DIR, show_default="rules/", help="Folder of rule files.")
@click.option("--templates", "template_dir", type=click.Path(path_type=Path), help="Folder with a notice.html.j2 to use instead of the bundled one.")
@click.option("--fail-on", type=click.Choice(["never", *SEVERITY_ORDER]), default="never", show_default=True, help="Exit 1 when a finding is at least this severe.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON instead of the summary.")
@click.option("--workers", type=click.IntRange(1, 256), help="Worker processes (default: the number of cores). The output is the same for any number.")
@guarded
def check_command(plan_dirs, as_of, out, rules_dir, template_dir, fail_on, as_json, workers) -> None:
    """Evaluate the plans in PLAN_DIRS against the rules, as of a date."""
    from dondoc.engine.pool import FindingsFile, Night, plan_jobs

    as_of = as_of or today()
    rules = load_rules(rules_dir)
    jobs, twice = plan_jobs(plan_dirs)
    for dropped, kept in twice:
        click.echo(f"cảnh báo: {dropped} là cùng một thư mục kế hoạch với {kept}: chỉ kiểm tra một lần", err=True)
    if out is not None:
        _check_templates(template_dir)
    with Night(rules, as_of, workers) as night:
        night.start(len(jobs))  # workers start before the output is locked: they inherit no lock
        if out is None:
            with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
                result = night.run(jobs, FindingsFile(spool))
                if as_json:
                    spool.seek(0)
                    shutil.copyfileobj(spool, sys.stdout)
        else:
            result = _write_output(out, night, jobs, as_of, template_dir)
            if as_json:
                with open(out / "findings.json", encoding="utf-8") as fh:
                    shutil.copyfileobj(fh, sys.stdout)
    report = result.report
    if not as_json:
        _summary(result.tally, report, out, sum(result.extras) if out is not None else 0)
    if report.rule_errors:
        for rule_id, error in sorted(report.rule_errors.items()):
            click.echo(f"lỗi: quy tắc '{rule_id}' không chạy được, không có kết quả của quy tắc này: {error}", err=True)
        sys.exit(EXIT_RULE_ERRORS)
    if fail_on != "never" and any(SEVERITY_ORDER[severity] >= SEVERITY_ORDER[fail_on] for *_, severity in result.tally):
        sys.exit(EXIT_FINDINGS)


def _check_templates(template_dir: Path | None) -> None:
    """A notice template that does not parse stops the run before any plan is read."""
    from dondoc.templates import NOTICE_TEMPLATE, NoticeTemplateError, make_environment

    try:
        make_environment(template_dir).get_template(NOTICE_TEMPLATE)
    except NoticeTemplateError as exc:
        raise _template_error(exc, template_dir) from None
    except Exception as exc:  # noqa: BLE001 - jinja2's syntax errors carry the file and line
        raise InputError(getattr(exc, "filename", None) or template_dir, str(getattr(exc, "message", exc)), line=getattr(exc, "lineno", None)) from None


def _template_error(exc, template_dir) -> InputError:
    return InputError(getattr(exc, "filename", None) or template_dir, str(exc), line=getattr(exc, "lineno", None))


def _notices(folder: PlanFolder, findings: list[Finding], as_of: dt.date) -> list:
    """One notice per lead unit with findings in this plan, in one pass over its findings.

    A finding that names no unit goes to the plan's monitoring unit.
    """
    from dondoc.templates import COUNT_KEYS, Notice

    by_unit: dict[str, list[Finding]] = {}
    for finding in findings:
        by_unit.setdefault(finding.unit or folder.plan.monitor, []).append(finding)
    by_unit.pop("", None)
    if not by_unit:
        return []
    counts = task_counts(folder, as_of)
    zero = {k: 0 for k in COUNT_KEYS}
    return [
        Notice(plan=folder.plan, unit=unit, findings=by_unit[unit], as_of=as_of, counts=counts.get(unit) or zero)
        for unit in sorted(by_unit)
    ]


def _render_notices(notices: list, template_dir: Path | None) -> dict[str, str]:
    """Each notice as a file: name -> HTML."""
    from dondoc.templates import NoticeTemplateError, render_notice

    rendered: dict[str, str] = {}
    for notice in notices:
        try:
            rendered[f"{notice.slug}.html"] = render_notice(notice, template_dir)
        except NoticeTemplateError as exc:
            raise _template_error(exc, template_dir) from None
    return rendered


def _plan_notices(root: Path, as_of: dt.date, template_dir: Path | None, job, folder: PlanFolder, findings: list[Finding]) -> int:
    """In the worker: render one plan's notices and write them to notices/<plan>/ in the staging."""
    from dondoc.store.writer import Staging

    files = _render_notices(_notices(folder, findings, as_of), template_dir)
    staging = Staging(root)
    for name, html in files.items():
        staging.write_text(f"{NOTICES}/{job.name}/{name}", html)
    return len(files)


class _Output:
    """findings.json streamed into the staging; a second pass also starts the notices afresh."""

    def __init__(self, findings, staging: Staging) -> None:
        self.findings = findings
        self.staging = staging

    def start(self) -> None:
        self.findings.start()
        shutil.rmtree(self.staging.root / NOTICES, ignore_errors=True)
        self.staging.path(NOTICES).mkdir(exist_ok=True)

    def add(self, outcome) -> None:
        self.findings.add(outcome)
        if outcome.job.index == 0:
            from dondoc.store.writer import pause

            pause("findings")  # tests/test_crash.py: a kill while findings.json is half written

    def finish(self) -> None:
        self.findings.finish()


def _write_output(out: Path, night, jobs, as_of: dt.date, template_dir: Path | None):
    """Everything in one swap (store/writer.py): the previous output or the new one, never a mix.

    findings.json is written as the plans come in; the workers write the notices; run.json
    last, from the same outcomes, so the two always agree.
    """
    from dondoc.engine.pool import FindingsFile
    from dondoc.store.writer import replace_folder

    with replace_folder(out) as staging:
        with staging.open("findings.json", "w+") as fh:
            each = functools.partial(_plan_notices, staging.root, as_of, template_dir)
            result = night.run(jobs, _Output(FindingsFile(fh), staging), each=each)
        staging.write_text("run.json", json.dumps(result.report.as_json(), ensure_ascii=False, indent=2) + "\n")
    return result


def _summary(tally: Counter, report, out: Path | None, notices: int) -> None:
    total = sum(tally.values())
    click.echo(
        f"Ngày kiểm tra {report.as_of:%d/%m/%Y}: {len(report.plans)} kế hoạch, {report.rules} quy tắc, "
        f"{report.facts_in} dữ kiện vào, {report.evaluated} đã đánh giá, {total} phát hiện."
    )
    by_rule: Counter = Counter()
    by_unit: Counter = Counter()
    for (rule, kind, unit, _), n in tally.items():
        by_rule[rule, kind] += n
        by_unit[unit or "(chưa xác định đơn vị)"] += n
    if by_rule:
        click.echo("\nTheo quy tắc (vi phạm / thiếu dữ liệu):")
        for rule in sorted({r for r, _ in by_rule}):
            click.echo(f"  {by_rule[rule, 'vi-pham']:5d} / {by_rule[rule, 'thieu-du-lieu']:<5d} {rule}")
        click.echo("\nTheo đơn vị:")
        for unit, n in sorted(by_unit.items()):
            click.echo(f"  {n:5d}  {unit}")
    if out is not None:
        click.echo(f"\nĐã ghi {out}/findings.json và {notices} thông báo trong {out}/{NOTICES}/")


# -- parse --------------------------------------------------------------------------------------


@main.group("parse")
def parse_group() -> None:
    """Show how dondoc reads one phrase of a plan."""


@parse_group.command("deadline")
@click.argument("phrase")
@click.option("--year", type=click.IntRange(2000, 2100), required=True, help="The plan's year, for phrases that leave it out.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
def parse_deadline_command(phrase: str, year: int, as_json: bool) -> None:
    """How the deadline PHRASE is read: kind, due date, start, occurrences."""
    from dondoc.facts.deadline import parse_deadline

    _print_reading(parse_deadline(phrase, year).as_json(), as_json)


def _print_reading(data: dict[str, Any], as_json: bool) -> None:
    """How a phrase was read: one JSON object, or its known fields one per line."""
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    for key, value in data.items():
        if value not in (None, "", []):
            click.echo(f"{key}: {', '.join(map(str, value)) if isinstance(value, list) else value}")


@parse_group.command("target")
@click.argument("sentence")
@click.option("--year", type=click.IntRange(2000, 2100), required=True, help="The plan's year ('so với năm trước').")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
def parse_target_command(sentence: str, year: int, as_json: bool) -> None:
    """How the target SENTENCE is read: comparison, value, unit, baseline year."""
    from dondoc.facts.importer import parse_target

    _print_reading(parse_target(sentence, year).as_json(), as_json)


# -- import -------------------------------------------------------------------------------------


@main.command("import")
@click.argument("document", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), help="Write the plan folder here (plan.yaml).")
@click.option("--json", "as_json", is_flag=True, help="Print the imported plan as one JSON object.")
@guarded
def import_command(document: Path, out: Path | None, as_json: bool) -> None:
    """Read a plan document (.txt, .md, .docx) into a plan folder, and say what could not be read.

    Progress, measurement and procedure files already in the folder are kept.
    """
    from dondoc.facts.importer import import_document
    from dondoc.facts.planfolder import write_plan_folder

    if out is None and not as_json:
        raise click.UsageError("give --out PLAN_DIR, --json, or both")
    result = import_document(document)
    if out is not None:
        write_plan_folder(result.folder, out)
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        return
    summary = result.summary()
    kinds = ", ".join(f"{k} {n}" for k, n in summary["deadlines"].items() if n)
    click.echo(
        f"{document}: {summary['tasks']} nhiệm vụ, {summary['targets']} chỉ tiêu, {summary['units']} đơn vị;"
        f" thời hạn: {kinds or 'không có'}"
    )
    if out is not None:
        click.echo(f"Đã ghi {out}/plan.yaml")
    if result.warnings:
        click.echo(f"\n{len(result.warnings)} cảnh báo (warnings):")
        for warning in result.warnings:
            click.echo(f"  {warning.render(str(document))}")


# -- rules ----------------------------------------------------------------------------------------


@main.group("rules")
def rules_group() -> None:
    """Check, list and document the rules in rules/."""


@rules_group.command("check")
@click.argument("directory", required=False, type=click.Path(path_type=Path), default=DEFAULT_RULES_DIR)
@guarded
def rules_check_command(directory: Path) -> None:
    """Validate every rule file in DIRECTORY (default: rules/); exit 2 on any error."""
    rules = load_rules(directory)
    click.echo(f"{len(rules)} quy tắc hợp lệ trong {directory}.")


@rules_group.command("list")
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path), default=DEFAULT_RULES_DIR, show_default="rules/")
@click.option("--coverage", "plan_dir", type=click.Path(path_type=Path), help="List the plan's tasks and targets that no rule checks.")
@click.option("--as-of", "as_of", type=DateParam(), help="With --coverage: the rules in force on this date (default today).")
@guarded
def rules_list_command(rules_dir: Path, plan_dir: Path | None, as_of) -> None:
    """Print the catalogue: id, fact kind, severity, in force from/to, title."""
    rules = load_rules(rules_dir)
    if plan_dir is None:
        click.echo(f"{'mã (id)':38} {'dữ kiện':11} {'mức độ':36} {'hiệu lực':23} tên")
        for rule in rules:
            ladder = " → ".join([rule.severity, *(s for _, s in rule.escalate)])
            since = rule.valid_from.isoformat() if rule.valid_from else "…"
            until = rule.valid_to.isoformat() if rule.valid_to else "…"
            click.echo(f"{rule.id:38} {rule.fact:11} {ladder:36} {since + ' – ' + until:23} {rule.title}")
        return
    from dondoc.engine.explain import coverage
    from dondoc.facts.planfolder import read_plan_folder

    folder = read_plan_folder(plan_dir)
    gaps = coverage(rules, folder, as_of or today())
    if not gaps:
        click.echo(f"{plan_dir}: mọi nhiệm vụ và chỉ tiêu đều có quy tắc kiểm tra.")
        return
    click.echo(f"{plan_dir}: {len(gaps)} nhiệm vụ, chỉ tiêu chưa có quy tắc nào kiểm tra:")
    for gap in gaps:
        click.echo(f"  {gap.subject:14} {gap.title[:70]}  -- {gap.why}")


@rules_group.command("explain")
@click.argument("rule_id")
@click.argument("plan_dir", type=click.Path(path_type=Path))
@click.option("--as-of", "as_of", type=DateParam(), help="The date of the check (default today).")
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path), default=DEFAULT_RULES_DIR, show_default="rules/")
@click.option("--all", "show_all", is_flag=True, help="Also detail the facts outside the rule's scope.")
@guarded
def rules_explain_command(rule_id: str, plan_dir: Path, as_of, rules_dir: Path, show_all: bool) -> None:
    """Show, for each fact, whether RULE_ID fires on PLAN_DIR and why: each sub-condition with its values."""
    from dondoc.engine.durable_adapter import EngineError
    from dondoc.engine.explain import explain
    from dondoc.facts.planfolder import read_plan_folder

    as_of = as_of or today()
    rules = [r for r in load_rules(rules_dir) if r.id == rule_id and r.in_force(as_of)]
    if not rules:
        known = sorted({r.id for r in load_rules(rules_dir)})
        raise InputError(rules_dir, f"no rule '{rule_id}' in force on {as_of:%d/%m/%Y}", hint="rules: " + ", ".join(known))
    rule = rules[0]
    folder = read_plan_folder(plan_dir)
    click.echo(f"Quy tắc {rule.id}: {rule.title} ({rule.fact}), ngày kiểm tra {as_of:%d/%m/%Y}, {rule.location}")
    disagreements = 0
    for item in explain(rule, folder, as_of):
        unit = item.fact.values["unit"]
        if item.fires:
            verdict = f"CÓ PHÁT HIỆN ({item.severity})"
        elif item.missing:
            verdict = "THIẾU DỮ LIỆU: " + ", ".join(item.missing)
        elif not item.in_scope:
            verdict = "ngoài phạm vi"
        else:
            verdict = "không vi phạm"
        if not item.agrees:
            disagreements += 1
            verdict += f"  !! durable-rules: {item.engine or 'không có phát hiện'}"
        click.echo(f"\n{item.fact.subject} ({unit}): {verdict}")
        if item.in_scope or show_all:
            for line in item.lines:
                click.echo("  " + "  " * line.depth + line.text)
    if disagreements:
        raise EngineError(f"durable-rules and the reference disagree on {disagreements} facts")


@rules_group.command("test", context_settings={"ignore_unknown_options": True})
@click.argument("features", nargs=-1, type=click.Path(path_type=Path))
def rules_test_command(features: tuple[Path, ...]) -> None:
    """Run the Vietnamese specs in features/ (all, or the FEATURE files given) and report per rule."""
    from dondoc.engine.spectest import run_specs

    sys.exit(run_specs(list(features), click.echo))


@rules_group.command("schema")
def rules_schema_command() -> None:
    """Print the JSON Schema of rule files (docs/rule.schema.json), for editors."""
    from dondoc.engine.rulebook import rule_file_schema

    click.echo(json.dumps(rule_file_schema(), ensure_ascii=False, indent=2))


@rules_group.command("fields")
def rules_fields_command() -> None:
    """Print every fact kind's fields as Markdown tables (the table in docs/rules.md)."""
    from dondoc.facts.kinds import fields_markdown

    click.echo(fields_markdown(), nl=False)


if __name__ == "__main__":
    main()
