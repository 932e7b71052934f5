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
from dondoc.engine.rulebook import SHIPPED, Book, load_book
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
RULES_HELP = (
    "A folder of the office's own rules, layered over the shipped ones; repeatable, later folders"
    " over earlier ones (docs/rules.md)."
)


def _office_rule_folders() -> list[Path]:
    """The office's own rule folders from its settings file (its `rules:` key), before any --rules.

    Hook: the per-commune settings file (facts/settings.py) carries `rules:`, a list of folders;
    once it is on main, return that list here. Until then there are none.
    """
    return []


def _calendar():
    """The working-day calendar rules count on: Vietnamese holidays and the office's days off.

    Hook: the office's days-off file comes from the settings file (shared with the notices);
    until it is on main, the calendar has the public holidays only.
    """
    from dondoc.facts.calendar import DEFAULT

    return DEFAULT


def _book(local: tuple[Path, ...] | list[Path], strict: bool) -> Book:
    """The shipped rules, then the settings' folders, then each --rules folder, in that order."""
    return load_book([*_office_rule_folders(), *local], strict=strict)


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
@click.version_option(package_name="dondoc", prog_name="dondoc", message="%(prog)s %(version)s")
def main() -> None:
    """Kiểm tra việc thực hiện kế hoạch của UBND xã, phường (dondoc).

    Checks commune plans every night: overdue tasks, missed targets, the
    '03 giảm', and writes warning notices per lead unit.
    """


# -- check ------------------------------------------------------------------------------------


@main.command("check")
@click.argument("plan_dirs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--as-of", "as_of", type=DateParam(), help="The date of the check (default: today, Asia/Ho_Chi_Minh).")
@click.option("--out", "out", type=click.Path(path_type=Path), help="Write findings.json, run.json, notices/ and summary/ here.")
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path), help=RULES_HELP)
@click.option("--templates", "template_dir", type=click.Path(path_type=Path), help="Folder with a notice.html.j2 to use instead of the bundled one.")
@click.option("--fail-on", type=click.Choice(["never", *SEVERITY_ORDER]), default="never", show_default=True, help="Exit 1 when a finding is at least this severe.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON instead of the summary.")
@click.option("--register", "register", help="Number the notices from this register (an SQLite file, or a database URL); with --out.")
@click.option("--workers", type=click.IntRange(1, 256), help="Worker processes (default: the number of cores). The output is the same for any number.")
@click.option("--summary/--no-summary", "summaries", default=True, show_default=True, help="Write each plan's Báo cáo tổng hợp (HTML, DOCX, PDF) in summary/. About 1.7 s of CPU a plan.")
@guarded
def check_command(plan_dirs, as_of, out, rules_dirs, template_dir, fail_on, as_json, register, workers, summaries) -> None:
    """Evaluate the plans in PLAN_DIRS against the rules, as of a date."""
    from dondoc.engine.pool import FindingsFile, Night, plan_jobs

    as_of = as_of or today()
    # A rule file that cannot be read is set aside, named, and the other rules run (exit 3).
    book = _book(rules_dirs, strict=False)
    if register is not None and out is None:
        raise click.UsageError("--register numbers the notices of an output: give --out too")
    jobs, twice = plan_jobs(plan_dirs)
    for dropped, kept in twice:
        click.echo(f"cảnh báo: {dropped} là cùng một thư mục kế hoạch với {kept}: chỉ kiểm tra một lần", err=True)
    if out is not None:
        _check_templates(template_dir)
    set_aside = [problem.render() for problem in book.set_aside]
    with Night(book.rules, as_of, workers, _calendar()) as night:
        night.start(len(jobs))  # workers start before the output is locked: they inherit no lock
        if out is None:
            with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
                result = night.run(jobs, FindingsFile(spool))
                if as_json:
                    spool.seek(0)
                    shutil.copyfileobj(spool, sys.stdout)
        else:
            result = _write_output(out, night, jobs, as_of, template_dir, register, set_aside, summaries)
            if as_json:
                with open(out / "findings.json", encoding="utf-8") as fh:
                    shutil.copyfileobj(fh, sys.stdout)
    report = result.report
    if not as_json:
        _summary(result.tally, report, out, sum(result.extras) if out is not None else 0)
    for problem in book.set_aside:
        click.echo(f"lỗi: tệp quy tắc để riêng, các quy tắc trong tệp này không chạy: {problem.render()}", err=True)
    for rule_id, error in sorted(report.rule_errors.items()):
        click.echo(f"lỗi: quy tắc '{rule_id}' không chạy được, không có kết quả của quy tắc này: {error}", err=True)
    if report.rule_errors or book.set_aside:
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


def _write_notices(staging: Staging, name: str, notices: list, template_dir: Path | None) -> int:
    for file, html in _render_notices(notices, template_dir).items():
        staging.write_text(f"{NOTICES}/{name}/{file}", html)
    return len(notices)


def _plan_output(root: Path, as_of: dt.date, template_dir: Path | None, numbered: bool, summaries: bool, job, folder: PlanFolder, findings: list[Finding]):
    """In the worker: one plan's Chairman's summary and notices, written into the staging.

    Numbered notices (--register) are handed back unrendered: numbers are drawn in plan
    order by the command (``_Output.add``), so they do not depend on which worker was first.
    """
    from dondoc.store.writer import Staging

    staging = Staging(root)
    if summaries:  # -- summary (templates/summary.py)
        from dondoc.templates.summary import FOLDER, summary_files

        for file, data in summary_files(folder, findings, as_of).items():
            staging.write_bytes(f"{FOLDER}/{job.name}/{file}", data)
    notices = _notices(folder, findings, as_of)
    return notices if numbered else _write_notices(staging, job.name, notices, template_dir)


class _Output:
    """findings.json streamed into the staging; numbered notices drawn and written in plan
    order; a second pass (a rule stopped late) starts the notices and summaries afresh."""

    def __init__(self, findings, staging: Staging, numbers, template_dir: Path | None) -> None:
        self.findings = findings
        self.staging = staging
        self.numbers = numbers
        self.template_dir = template_dir

    def start(self) -> None:
        from dondoc.templates.summary import FOLDER

        self.findings.start()
        for folder in (NOTICES, FOLDER):
            shutil.rmtree(self.staging.root / folder, ignore_errors=True)
            self.staging.path(folder).mkdir(exist_ok=True)

    def add(self, outcome) -> None:
        from dondoc.store.writer import pause

        self.findings.add(outcome)
        if self.numbers is not None:  # -- register (store/register.py): the notices' numbers
            for notice in outcome.extra:
                file = f"{NOTICES}/{outcome.job.name}/{notice.slug}.html"
                notice.number = str(self.numbers.number_for(**_register_line(notice, file)))
            outcome.extra = _write_notices(self.staging, outcome.job.name, outcome.extra, self.template_dir)
        if outcome.job.index == 0:
            pause("findings")  # tests/test_crash.py: a kill while findings.json is half written

    def finish(self) -> None:
        self.findings.finish()


def _write_output(out: Path, night, jobs, as_of: dt.date, template_dir: Path | None, register: str | None, set_aside: list[str], summaries: bool = True):
    """Everything in one swap (store/writer.py): the previous output or the new one, never a mix.

    findings.json is written as the plans come in, the workers write the notices and the
    summaries, run.json last, from the same outcomes, so the two always agree.
    """
    from dondoc.engine.pool import FindingsFile
    from dondoc.store.register import numbering
    from dondoc.store.writer import replace_folder

    with numbering(out, register) as numbers:  # -- register: numbers issued once the output is swapped in
        with replace_folder(out) as staging:
            with staging.open("findings.json", "w+") as fh:
                each = functools.partial(_plan_output, staging.root, as_of, template_dir, register is not None, summaries)
                sink = _Output(FindingsFile(fh), staging, numbers if register else None, template_dir)
                result = night.run(jobs, sink, each=each)
            run = {**result.report.as_json(), "rule_files_set_aside": set_aside}
            staging.write_text("run.json", json.dumps(run, ensure_ascii=False, indent=2) + "\n")
            numbers.landing(staging)  # -- register: the last step before the swap
    return result


# -- register (store/register.py): the register's line for a notice ----------------------------


def _register_line(notice, file: str) -> dict[str, Any]:
    """The register's line for a notice: who issues it, its identity and the book's columns."""
    from dondoc.store.register import notice_key

    plan = notice.plan
    cited = f"Kế hoạch số {plan.number}" if plan.number and not plan.number.startswith("/") else f"Kế hoạch năm {plan.year}"
    return {
        "issuer": plan.issuer,
        "year": notice.as_of.year,
        "key": notice_key(plan.key, notice.unit, notice.as_of),
        "date": notice.as_of,
        "symbol": notice.symbol,
        "subject": f"Công văn V/v đôn đốc thực hiện {cited}",
        "recipient": notice.unit,
        "reply_by": notice.reply_by,
        "signer": (notice.signer or plan.signer).name,
        "file": file,
    }


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


class PeriodParam(click.ParamType):
    """A plan's period in years: 2025-2030, or one year 2026."""

    name = "YYYY-YYYY"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        parts = value.replace("–", "-").split("-")
        try:
            first, last = int(parts[0]), int(parts[-1])
        except ValueError:
            first = last = 0
        if len(parts) > 2 or not 2000 <= first <= last <= 2100:
            self.fail(f"'{value}' is not a period of years such as 2025-2030", param, ctx)
        return dt.date(first, 1, 1), dt.date(last, 12, 31)


@parse_group.command("deadline")
@click.argument("phrase")
@click.option("--year", type=click.IntRange(2000, 2100), help="The plan's year, for phrases that leave it out (default: the period's first year).")
@click.option("--period", type=PeriodParam(), help="The plan's period, e.g. 2025-2030: 'Hằng năm' recurs in each of its years.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
def parse_deadline_command(phrase: str, year: int | None, period, as_json: bool) -> None:
    """How the deadline PHRASE is read: kind, due date, start, occurrences."""
    if year is None and period is None:
        raise click.UsageError("give --year YYYY or --period YYYY-YYYY")
    from dondoc.facts.deadline import parse_deadline

    year = year if year is not None else period[0].year
    _print_reading(parse_deadline(phrase, year, period).as_json(), as_json)


def _print_reading(data: dict[str, Any], as_json: bool) -> None:
    """How a phrase was read: one JSON object, or its known fields one per line."""
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    for key, value in data.items():
        if value not in (None, "", []) and value is not False:
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


# -- intake -------------------------------------------------------------------------------------


@main.group("intake")
def intake_group() -> None:
    """Progress from units in Excel: one workbook per lead unit, read back into the plan folder."""


@intake_group.command("template")
@click.argument("plan_dir", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="Folder for the workbooks (one .xlsx per lead unit).")
@guarded
def intake_template_command(plan_dir: Path, out: Path) -> None:
    """Write one workbook per lead unit of PLAN_DIR: its tasks and targets, the cells to fill."""
    from dondoc.facts.intake import write_templates
    from dondoc.facts.planfolder import read_plan_folder

    names = write_templates(read_plan_folder(plan_dir), out)
    click.echo(f"Đã ghi {len(names)} sổ báo cáo vào {out}/:")
    for name in names:
        click.echo(f"  {name}")


@intake_group.command("read")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--plan", "plan_dir", type=click.Path(path_type=Path), required=True, help="The plan folder the workbooks were made for.")
@guarded
def intake_read_command(files: tuple[Path, ...], plan_dir: Path) -> None:
    """Check every cell of the filled workbooks FILES and merge them into PLAN_DIR's
    progress.csv and measurements.csv. Exit 2 on any bad cell (nothing written); exit 1 when
    some rows conflict with values already there (the others are written)."""
    from dondoc.facts.intake import merge, read_workbooks
    from dondoc.facts.planfolder import read_plan_folder

    folder = read_plan_folder(plan_dir)
    result = read_workbooks(list(files), folder)
    report = merge(result, plan_dir)
    for name in sorted(report.added):
        click.echo(f"{plan_dir}/{name}: thêm {report.added[name]} dòng, {report.unchanged[name]} dòng đã có")
    read_plan_folder(plan_dir)  # what was written reads back
    if report.conflicts:
        click.echo(f"\n{len(report.conflicts)} xung đột (hai số liệu cho một kỳ), không ghi:", err=True)
        for conflict in report.conflicts:
            click.echo(f"  {conflict.key}: giữ {conflict.kept}; không ghi {conflict.refused}", err=True)
        sys.exit(EXIT_FINDINGS)


# -- register ------------------------------------------------------------------------------------


@main.group("register")
def register_group() -> None:
    """The register of outgoing notices (sổ đăng ký văn bản đi)."""


@register_group.command("export")
@click.option("--register", "register", required=True, help="The register: an SQLite file, or a database URL.")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="The spreadsheet to write (.xlsx).")
@click.option("--year", type=click.IntRange(2000, 2100), help="Only this year's book.")
@click.option("--issuer", help="Only this issuer's book (e.g. 'UBND xã Gia Lộc').")
@guarded
def register_export_command(register: str, out: Path, year: int | None, issuer: str | None) -> None:
    """Write the register as a spreadsheet: one sheet per issuer and year."""
    from dondoc.store.register import Register
    from dondoc.store.register_xlsx import export

    if out.suffix.lower() != ".xlsx":
        raise click.UsageError("--out names an .xlsx file")
    if "://" not in register and not Path(register).is_file():
        raise InputError(register, "không có sổ đăng ký ở đây", hint="sổ được tạo khi chạy dondoc check --register với --out")
    with Register.open(register) as reg:
        lines, kept = export(reg, out, year=year, issuer=issuer)
    click.echo(f"Đã ghi {out}: {lines} dòng." + (f" Bản trước giữ ở {kept}." if kept else ""))


# -- rules ----------------------------------------------------------------------------------------


@main.group("rules")
def rules_group() -> None:
    """Check, list, explain, test and document the rules (shipped, and the office's own)."""


def _rules_option(func: Callable) -> Callable:
    return click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path), help=RULES_HELP)(func)


@rules_group.command("check")
@click.argument("directories", nargs=-1, type=click.Path(path_type=Path))
@guarded
def rules_check_command(directories: tuple[Path, ...]) -> None:
    """Validate the shipped rules and the office's folders DIRECTORIES over them; exit 2 on any error.

    Valid means it will run: every file is read, every condition type-checked and compiled, and
    the rules in force on each day are registered with durable-rules as the nightly check does.
    """
    from dondoc.engine.verify import verify

    book = _book(directories, strict=True)
    errors, days = verify(book, today(), _calendar())
    if errors:
        raise InputErrors(errors)
    counts = Counter(rule.folder for rule in book.rules)
    layers = ", ".join(f"{n} quy tắc {'có sẵn' if folder == SHIPPED else 'trong ' + folder}" for folder, n in counts.items())
    click.echo(f"Hợp lệ: {layers}.")
    click.echo(
        "Đã đọc, kiểm tra kiểu, biên dịch và đăng ký với durable-rules các quy tắc có hiệu lực ngày "
        + ", ".join(f"{d:%d/%m/%Y}" for d in days)
        + "."
    )


@rules_group.command("list")
@_rules_option
@click.option("--coverage", "plan_dir", type=click.Path(path_type=Path), help="List the plan's tasks and targets that no rule checks.")
@click.option("--as-of", "as_of", type=DateParam(), help="With --coverage: the rules in force on this date (default today).")
@guarded
def rules_list_command(rules_dirs: tuple[Path, ...], plan_dir: Path | None, as_of) -> None:
    """Print the catalogue: id, fact kind, severity, in force from/to, where it comes from, title."""
    from dondoc.facts.planfolder import read_plan_folder

    book = _book(rules_dirs, strict=True)
    if plan_dir is None:
        click.echo(f"{'mã (id)':38} {'dữ kiện':11} {'mức độ':36} {'hiệu lực':23} {'nguồn':12} tên")
        for rule in book.rules:
            ladder = " → ".join([rule.severity, *(s for _, s in rule.escalate)])
            since = rule.valid_from.isoformat() if rule.valid_from else "…"
            until = rule.valid_to.isoformat() if rule.valid_to else "…"
            source = SHIPPED if rule.folder == SHIPPED else Path(rule.folder).name
            title = rule.title + (f" (thay {rule.replaces})" if rule.replaces else "") + (
                f" (tinh chỉnh {rule.refines})" if rule.refines else ""
            )
            click.echo(f"{rule.id:38} {rule.fact:11} {ladder:36} {since + ' – ' + until:23} {source:12} {title}")
        return
    from dondoc.engine.explain import coverage

    folder = read_plan_folder(plan_dir)
    gaps = coverage(book.rules, folder, as_of or today())
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
@_rules_option
@click.option("--all", "show_all", is_flag=True, help="The whole trace: every sub-condition of every fact, out of scope too.")
@guarded
def rules_explain_command(rule_id: str, plan_dir: Path, as_of, rules_dirs: tuple[Path, ...], show_all: bool) -> None:
    """Why RULE_ID finds (or not) something on PLAN_DIR: the facts in scope, what decided, the message."""
    from dondoc.engine.durable_adapter import EngineError
    from dondoc.engine.explain import explain_report
    from dondoc.facts.planfolder import read_plan_folder

    as_of = as_of or today()
    book = _book(rules_dirs, strict=False)
    for problem in book.set_aside:
        click.echo(f"lưu ý: tệp quy tắc để riêng (không đọc được): {problem.render()}", err=True)
    folder = read_plan_folder(plan_dir)
    try:
        text, disagreements = explain_report(book, rule_id, folder, as_of, _calendar(), show_all)
    except (InputError, InputErrors, EngineError):
        raise
    except Exception as exc:  # noqa: BLE001 - staff read this: a sentence, never a traceback
        raise InputError(plan_dir, f"không giải thích được quy tắc '{rule_id}': {type(exc).__name__}: {exc}") from None
    click.echo(text)
    if disagreements:
        raise EngineError(f"durable-rules và bộ đánh giá tham chiếu khác nhau ở {disagreements} dữ kiện")


@rules_group.command("test")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_rules_option
@click.option("--coverage", "show_coverage", is_flag=True, help="Also say which sub-conditions the scenarios made true and false.")
@guarded
def rules_test_command(paths: tuple[Path, ...], rules_dirs: tuple[Path, ...], show_coverage: bool) -> None:
    """Run the Vietnamese specs: PATHS (.feature files or folders); by default the shipped specs
    and those in each --rules folder. One line per scenario; exit 1 if one does not hold."""
    from dondoc.engine.spectest import FeatureError, feature_files, run_specs, shipped_features_dir
    from dondoc.engine.specsteps import shipped_rules

    book = _book(rules_dirs, strict=False)
    for problem in book.set_aside:
        click.echo(f"lỗi: tệp quy tắc để riêng (không đọc được): {problem.render()}", err=True)
    shipped_dir = shipped_features_dir().resolve()
    local = [*_office_rule_folders(), *rules_dirs]
    try:
        files = feature_files(paths or [shipped_dir, *local])
    except FeatureError as exc:
        raise InputError(None, str(exc)) from None
    if not files:
        raise InputError(None, "không có tệp kịch bản (.feature) nào", hint="đưa đường dẫn tới tệp hoặc thư mục kịch bản")
    # The shipped specs pin the shipped rules; the office's specs run against its whole book.
    features = [
        (f, list(shipped_rules()) if f.resolve().is_relative_to(shipped_dir) else book.rules) for f in files
    ]
    status = run_specs(features, click.echo, coverage=show_coverage)
    if status or book.set_aside:
        sys.exit(status or 1)


@rules_group.command("catalogue")
@_rules_option
@guarded
def rules_catalogue_command(rules_dirs: tuple[Path, ...]) -> None:
    """Print the rule catalogue as Markdown, from the rules' doc: and their specs (docs/rules.md)."""
    from dondoc.engine.catalogue import catalogue_markdown

    click.echo(catalogue_markdown(_book(rules_dirs, strict=True).rules), nl=False)


@rules_group.command("schema")
def rules_schema_command() -> None:
    """Print the JSON Schema of rule files (docs/rule.schema.json), for editors."""
    from dondoc.engine.rulebook import rule_file_schema

    click.echo(json.dumps(rule_file_schema(), ensure_ascii=False, indent=2))


@rules_group.command("fields")
def rules_fields_command() -> None:
    """Print every field, function and target category a rule may use (the tables in docs/rules.md)."""
    from dondoc.facts.kinds import fields_markdown

    click.echo(fields_markdown(), nl=False)


if __name__ == "__main__":
    main()
