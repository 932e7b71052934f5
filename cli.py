"""dondoc: the nightly check of commune plans, from the command line.

    dondoc check PLAN_DIR... --as-of 2026-11-22 --out out/
    dondoc parse deadline "Quý III, IV/2025" --year 2025 --json

Exit status: 0 no finding reaches --fail-on; 1 one does; 2 bad input (a plan
file, rule file, date or template that cannot be read) or a run that cannot
prove its result (durable-rules and the reference disagree): nothing is written;
3 some rules could not run (each named): the other rules' findings are written,
with the stopped rules in run.json; 4 the output could not be written. Errors
name the file and line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
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
from dondoc.facts.derive import today
from dondoc.errors import (
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_RULE_ERRORS,
    DondocError,
    EngineError,
    InputError,
    InputErrors,
    Interrupted,
)

if TYPE_CHECKING:
    from dondoc.facts.models import PlanFolder

# Each command imports what only it needs, inside it: `dondoc check` of one plan starts in
# a fraction of a second (python -X importtime; docs/engine.md).

NOTICES = "notices"  # in --out: notices/<plan>/<unit>.<format> (templates/notices.py)
RULES_HELP = (
    "A folder of the office's own rules, layered over the shipped ones; repeatable, later folders"
    " over earlier ones (docs/rules.md)."
)


def _run_settings(plan_dirs, settings_file):
    """The settings (facts/settings.py) whose rule folders and days off a whole run uses:
    ``--settings``, else the dondoc.yaml the plans share. Plans whose files differ in those
    two keys cannot share one run's rules and calendar: run each commune on its own.
    Also whether any plan's settings number its letters (then the register is opened)."""
    from dondoc.facts.settings import DEFAULTS, find_settings, settings_for

    if settings_file is not None:
        settings = settings_for(plan_dirs[0] if plan_dirs else ".", settings_file)
        return settings, settings.numbering
    found = {}
    seen: dict = {}  # each folder above the plans looked at once
    for path in plan_dirs:
        if Path(path).is_dir():
            file = find_settings(path, seen)
            if file not in found:
                found[file] = settings_for(path, seen=seen)
    numbered = any(s.numbering for s in found.values())
    runs = {(tuple(s.rules), s.days_off) for s in found.values()}
    if len(runs) > 1:
        named = ", ".join(sorted(str(p) for p in found if p))
        raise InputError(
            named,
            "các kế hoạch dùng các tệp cài đặt có quy tắc riêng (rules) hoặc ngày nghỉ (days_off) khác nhau",
            hint="chạy riêng từng xã, hoặc chỉ một tệp cho cả lần chạy bằng --settings",
        )
    return next(iter(found.values()), DEFAULTS), numbered


def _office_rule_folders(settings=None) -> list[Path]:
    """The office's own rule folders from its settings file (its `rules:` key), before any --rules."""
    return list(settings.rules) if settings is not None else []


def _calendar(settings=None):
    """The working-day calendar rules count on: Vietnamese holidays and the office's days off
    (the settings' `days_off`, the same calendar the notices are dated by)."""
    from dondoc.facts.calendar import DEFAULT

    return settings.calendar() if settings is not None else DEFAULT


def _book(local: tuple[Path, ...] | list[Path], strict: bool, settings=None) -> Book:
    """The shipped rules, then the settings' folders, then each --rules folder, in that order."""
    return load_book([*_office_rule_folders(settings), *local], strict=strict)


def _plan_book(plan_dir: Path | None, local, strict: bool):
    """The rules and calendar the nightly check would use on PLAN_DIR: the shipped rules, the
    rule folders and days off of the plan's settings (dondoc.yaml), then each --rules folder.
    Without a plan: no settings (the shipped rules and --rules only)."""
    settings = _run_settings([plan_dir], None)[0] if plan_dir is not None else None
    return _book(local, strict=strict, settings=settings), _calendar(settings)


class Dondoc(click.Group):
    """The command group: every error a command raises ends here, as one message and the exit
    status its class carries (errors.py). Nowhere else maps an error to a status."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DondocError as exc:
            for line in exc.messages():
                click.echo(f"{exc.label}: {line}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo(f"{Interrupted.label}: bị ngắt (Ctrl-C); kết quả cũ giữ nguyên", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - a fault of dondoc's own: one line, the trace in a file
            ctx.exit(_internal_error(exc))


def _internal_error(exc: BaseException) -> int:
    import tempfile
    import traceback

    fd, path = tempfile.mkstemp(prefix="dondoc-loi-", suffix=".txt")
    with open(fd, "w", encoding="utf-8") as fh:
        fh.write("".join(traceback.format_exception(exc)))
    click.echo(f"lỗi nội bộ của dondoc: {type(exc).__name__}: {exc}", err=True)
    click.echo(f"  chi tiết lỗi đã ghi vào {path}: xin gửi tệp này cho người quản trị dondoc", err=True)
    return EXIT_INTERNAL


class DateParam(click.ParamType):
    """A calendar date written YYYY-MM-DD, in the years dondoc works in (facts/models.py)."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        from dondoc.facts.models import FIRST_YEAR, LAST_YEAR

        if isinstance(value, dt.date):
            return value
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"'{value}' is not a date written YYYY-MM-DD (e.g. 2026-11-22)", param, ctx)
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            self.fail(f"'{value}': dondoc checks dates from {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31", param, ctx)
        return day


@click.group(cls=Dondoc, context_settings={"help_option_names": ["-h", "--help"]})
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
@click.option("--templates", "template_dir", type=click.Path(path_type=Path), help="A commune's template folder (notice.html.j2, notice.docx), run sandboxed.")
@click.option("--format", "formats", multiple=True, metavar="html,docx,pdf", help="Notice formats to write (repeat or separate with commas; default: all three).")
@click.option("--settings", "settings_file", type=click.Path(path_type=Path), help="A settings file (dondoc.yaml) for every plan, instead of each plan's own.")
@click.option("--fail-on", type=click.Choice(["never", *SEVERITY_ORDER]), default="never", show_default=True, help="Exit 1 when a finding is at least this severe.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON instead of the summary.")
@click.option("--register", "register", help="Number the notices from this register (an SQLite file, or a database URL); with --out.")
@click.option("--workers", type=click.IntRange(1, 256), help="Worker processes (default: the number of cores). The output is the same for any number.")
@click.option("--summary/--no-summary", "summaries", default=True, show_default=True, help="Write each plan's Báo cáo tổng hợp (HTML, DOCX, PDF) in summary/ (about 1 s of CPU a plan).")
def check_command(plan_dirs, as_of, out, rules_dirs, template_dir, formats, settings_file, fail_on, as_json, register, workers, summaries) -> None:
    """Evaluate the plans in PLAN_DIRS against the rules, as of a date."""
    from dondoc.engine.pool import FindingsFile, Night, plan_jobs

    as_of = as_of or today()
    formats = _formats(formats)
    settings, numbered = _run_settings(plan_dirs, settings_file)
    # A rule file that cannot be read is set aside, named, and the other rules run (exit 3).
    book = _book(rules_dirs, strict=False, settings=settings)
    if register is not None and out is None:
        raise click.UsageError("--register numbers the notices of an output: give --out too")
    jobs, twice = plan_jobs(plan_dirs)
    for dropped, kept in twice:
        click.echo(f"cảnh báo: {dropped} là cùng một thư mục kế hoạch với {kept}: chỉ kiểm tra một lần", err=True)
    set_aside = [problem.render() for problem in book.set_aside]
    output = _Output(formats, template_dir, settings_file, register, summaries, as_of, numbered or register is not None)
    with Night(book.rules, as_of, workers, _calendar(settings)) as night:
        night.start(len(jobs))  # workers start before the output is locked: they inherit no lock
        if out is None:
            with tempfile.TemporaryFile("w+b") as spool:
                result = night.run(jobs, FindingsFile(spool))
                if as_json:
                    spool.seek(0)
                    shutil.copyfileobj(io.TextIOWrapper(spool, encoding="utf-8"), sys.stdout)
        else:
            result = output.write(out, night, jobs, set_aside)
            if as_json:
                with open(out / "findings.json", encoding="utf-8") as fh:
                    shutil.copyfileobj(fh, sys.stdout)
    report = result.report
    if not as_json:
        _summary(result.tally, report, out, output.files)
    for problem in book.set_aside:
        click.echo(f"lỗi: tệp quy tắc để riêng, các quy tắc trong tệp này không chạy: {problem.render()}", err=True)
    for rule_id, error in sorted(report.rule_errors.items()):
        click.echo(f"lỗi: quy tắc '{rule_id}' không chạy được, không có kết quả của quy tắc này: {error}", err=True)
    if report.rule_errors or book.set_aside:
        sys.exit(EXIT_RULE_ERRORS)
    if fail_on != "never" and any(SEVERITY_ORDER[severity] >= SEVERITY_ORDER[fail_on] for *_, severity in result.tally):
        sys.exit(EXIT_FINDINGS)


def _formats(given: tuple[str, ...]) -> tuple[str, ...]:
    from dondoc.templates import FORMATS

    wanted = [f.strip().lower() for item in given for f in item.split(",") if f.strip()] or list(FORMATS)
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)}: formats are {', '.join(FORMATS)}", param_hint="--format")
    return tuple(dict.fromkeys(wanted))


def _plan_settings(folder: PlanFolder, settings_file: Path | None, register: str | None):
    """A plan's settings (its dondoc.yaml, or --settings); --register numbers every plan."""
    from dondoc.facts.settings import settings_for

    settings = settings_for(folder.path, settings_file)
    if register is not None:
        settings = settings.model_copy(update={"numbering": True, "register_url": register})
    return settings


def _notices(folder: PlanFolder, findings: list[Finding], as_of: dt.date, settings, formats, template_dir) -> list:
    """One plan's notices (templates.notices_for_plan: one letter per addressee, in each
    format): [NoticeFile(path under notices/, bytes)]. Numbered from the register when
    the settings say so (store.register.number_for, in the command's process)."""
    from dondoc.templates import NoticeTemplateError, notices_for_plan

    try:
        return notices_for_plan(folder, findings, as_of, settings, formats, template_dir=template_dir)
    except NoticeTemplateError as exc:
        raise InputError(exc.filename or template_dir, str(exc), line=exc.lineno) from None


def _plan_output(root: Path, options: tuple, job, folder: PlanFolder, findings: list[Finding]):
    """In the worker: the plan's Chairman's summary, and its notices unless they are numbered
    (then the plan and its findings go back to the command, which numbers in plan order)."""
    from dondoc.files import Staging

    formats, template_dir, settings_file, register, summaries, as_of = options
    staging = Staging(root)
    settings = _plan_settings(folder, settings_file, register)
    if summaries:  # -- summary (templates/summary.py), in the formats asked for
        from dondoc.templates.summary import FOLDER, summary_files

        for file, data in summary_files(folder, findings, as_of, formats, settings=settings).items():
            staging.write_bytes(f"{FOLDER}/{file}", data)
    if settings.numbering:
        return folder, findings
    files = _notices(folder, findings, as_of, settings, formats, template_dir)
    for f in files:
        staging.write_bytes(f"{NOTICES}/{f.path}", f.data)
    return [f.path for f in files]


class _Output:
    """What --out receives, plan by plan: findings.json streamed; each plan's notices and
    Chairman's summary written by the worker that checked it (``_plan_output``), except
    numbered notices, which the command draws and writes in plan order (``add``), so that
    numbers do not depend on which worker finished first."""

    def __init__(self, formats, template_dir, settings_file, register, summaries: bool, as_of: dt.date, numbered: bool) -> None:
        self.formats, self.template_dir, self.settings_file = formats, template_dir, settings_file
        self.register, self.summaries, self.as_of = register, summaries, as_of
        self.numbered = numbered  # some plan's letters take numbers: the register is opened
        self.root: Path | None = None
        self.findings = None
        self.numbers = None  # the numbering of this output (store/register.py), in write()
        self.files: list[str] = []  # every notice file written, under notices/
        self._owner: dict[str, str] = {}  # notice folder -> the plan that wrote it

    def start(self) -> None:
        """A pass over the plans begins (a second one when a rule stopped late: engine/pool.py)."""
        from dondoc.templates.summary import FOLDER

        self.findings.start()
        self.numbers.restart()  # -- register: a letter the pass no longer writes keeps no number
        self.files, self._owner = [], {}
        for name in (NOTICES, FOLDER):
            shutil.rmtree(self.root / name, ignore_errors=True)
            (self.root / name).mkdir()

    def add(self, outcome) -> None:
        from dondoc.files import Staging, pause

        self.findings.add(outcome)
        paths = outcome.extra
        if isinstance(paths, tuple):  # -- register (store/register.py): numbers drawn here, in plan order
            folder, findings = paths
            if not self.numbered:  # its dondoc.yaml turned numbering on after the run read it
                raise InputError(
                    folder.path, "tệp cài đặt (dondoc.yaml) đã thay đổi trong lúc chạy", hint="chạy lại dondoc check"
                )
            settings = _plan_settings(folder, self.settings_file, self.register)
            files = _notices(folder, findings, self.as_of, settings, self.formats, self.template_dir)
            for f in files:
                Staging(self.root).write_bytes(f"{NOTICES}/{f.path}", f.data)
            paths = [f.path for f in files]
        outcome.extra = len(paths)
        for path in paths:  # two plans of one commune, year and number would share a notice folder
            owner = self._owner.setdefault(path.split("/")[0], outcome.job.given)
            if owner != outcome.job.given:
                raise InputError(
                    f"{NOTICES}/{path}",
                    f"hai công văn trùng tên tệp: {owner} và {outcome.job.given} cùng xã, cùng năm, cùng số?",
                    hint="kiểm tra số, ngày của các kế hoạch (plan.yaml)",
                )
        self.files += paths
        if outcome.job.index == 0:
            pause("findings")  # tests/test_crash.py: a kill while findings.json is half written

    def finish(self) -> None:
        self.findings.finish()

    def write(self, out: Path, night, jobs, set_aside: list[str]):
        """Everything in one swap (files.py): the previous output or the new one, never a mix.

        run.json is written last, from the same outcomes as findings.json: the two always agree.
        """
        from dondoc.engine.pool import FindingsFile
        from dondoc.files import replace_folder

        if self.numbered:
            from dondoc.store.register import numbering
        else:  # no letter takes a number: the register (and SQLAlchemy) stays closed
            numbering = _no_numbering
        with numbering(out, self.register) as numbers:  # -- register: numbers issued once the output is swapped in
            self.numbers = numbers
            with replace_folder(out) as staging:
                self.root = staging.root
                with staging.open("findings.json", "w+b") as fh:
                    self.findings = FindingsFile(fh)
                    options = (self.formats, self.template_dir, self.settings_file, self.register, self.summaries, self.as_of)
                    result = night.run(jobs, self, each=functools.partial(_plan_output, staging.root, options))
                run = {**result.report.as_json(), "rule_files_set_aside": set_aside}
                staging.write_text("run.json", json.dumps(run, ensure_ascii=False, indent=2) + "\n")
                numbers.landing(staging)  # -- register: the last step before the swap
        return result


class _NoNumbers:
    def restart(self) -> None:
        pass

    def landing(self, staging) -> None:
        pass


@contextlib.contextmanager
def _no_numbering(out, register):
    yield _NoNumbers()


def _summary(tally: Counter, report, out: Path | None, notices: list[str]) -> None:
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
        letters = {name.rsplit(".", 1)[0] for name in notices}
        kinds = ", ".join(sorted({name.rsplit(".", 1)[1] for name in notices}))
        click.echo(f"\nĐã ghi {out}/findings.json và {len(letters)} công văn ({kinds or 'không có'}) trong {out}/{NOTICES}/")


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
    year = year if year is not None else period[0].year
    from dondoc.facts.deadline import parse_deadline

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
def intake_read_command(files: tuple[Path, ...], plan_dir: Path) -> None:
    """Check every cell of the filled workbooks FILES and merge them into PLAN_DIR's
    progress.csv and measurements.csv. Exit 2 on any bad cell (nothing written); exit 1 when
    some rows conflict with values already there (the others are written)."""
    from dondoc.facts.intake import intake_read

    report = intake_read(list(files), plan_dir)
    for warning in report.warnings:
        click.echo(f"cảnh báo: {warning.render()}", err=True)
    for name in sorted(report.added):
        kept = report.kept.get(name)
        click.echo(f"{plan_dir}/{name}: thêm {report.added[name]} dòng, {report.unchanged[name]} dòng đã có"
                   + (f"; bản trước giữ ở {kept.name}" if kept else ""))
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
def rules_list_command(rules_dirs: tuple[Path, ...], plan_dir: Path | None, as_of) -> None:
    """Print the catalogue: id, fact kind, severity, in force from/to, where it comes from, title."""
    book, _ = _plan_book(plan_dir, rules_dirs, strict=True)
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
    from dondoc.facts.planfolder import read_plan_folder

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
def rules_explain_command(rule_id: str, plan_dir: Path, as_of, rules_dirs: tuple[Path, ...], show_all: bool) -> None:
    """Why RULE_ID finds (or not) something on PLAN_DIR: the facts in scope, what decided, the message."""
    from dondoc.engine.explain import explain_report
    from dondoc.facts.planfolder import read_plan_folder

    as_of = as_of or today()
    book, calendar = _plan_book(plan_dir, rules_dirs, strict=False)
    for problem in book.set_aside:
        click.echo(f"lưu ý: tệp quy tắc để riêng (không đọc được): {problem.render()}", err=True)
    folder = read_plan_folder(plan_dir)
    try:
        text, disagreements = explain_report(book, rule_id, folder, as_of, calendar, show_all)
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
    if status or book.set_aside:  # 1: a scenario does not hold; 3: rule files set aside, as in check
        sys.exit(status or EXIT_RULE_ERRORS)


@rules_group.command("catalogue")
@_rules_option
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
