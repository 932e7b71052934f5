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

import datetime as dt
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any, Callable

import click

from dondoc.engine.findings import SEVERITY_ORDER
from dondoc.engine.rulebook import SHIPPED
from dondoc.facts.derive import today
from dondoc.errors import (
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    DondocError,
    EngineError,
    InputError,
    InputErrors,
    Interrupted,
)

# Each command imports what only it needs, inside it: `dondoc check` of one plan starts in
# a fraction of a second (python -X importtime; docs/engine.md).

NOTICES = "notices"  # in --out: notices/<plan>/<unit>.<format> (templates/notices.py)
RULES_HELP = (
    "A folder of the office's own rules, layered over the shipped ones; repeatable, later folders"
    " over earlier ones (docs/rules.md)."
)


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
    import traceback

    fd, path = tempfile.mkstemp(prefix="dondoc-loi-", suffix=".txt")
    with open(fd, "w", encoding="utf-8") as fh:
        fh.write("".join(traceback.format_exception(exc)))
    click.echo(f"lỗi nội bộ của dondoc: {type(exc).__name__}: {exc}", err=True)
    click.echo(f"  chi tiết lỗi đã ghi vào {path}: xin gửi tệp này cho người quản trị dondoc", err=True)
    return EXIT_INTERNAL


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
@click.option("--workers", type=click.IntRange(1, 256), help="Worker processes (default: the number of cores). The output is the same for any number.")
@click.option("--summary/--no-summary", "summaries", default=True, show_default=True, help="Write each plan's Báo cáo tổng hợp (HTML, DOCX, PDF) in summary/ (about 1 s of CPU a plan).")
@click.pass_context
def check_command(ctx, plan_dirs, as_of, out, rules_dirs, template_dir, formats, settings_file, fail_on, as_json, workers, summaries) -> None:
    """Evaluate the plans in PLAN_DIRS against the rules, as of a date."""
    from dondoc.night import Options, check
    from dondoc.night.report import closing_lines, problem_lines

    options = Options(as_of or today(), out, tuple(rules_dirs), settings_file, _formats(formats), template_dir, summaries, workers)
    if as_json:
        sys.stdout.flush()
    result = check(plan_dirs, options, findings_to=sys.stdout.buffer if as_json else None)
    for dropped, kept in result.plans.twice:
        click.echo(f"cảnh báo: {dropped} là cùng một thư mục kế hoạch với {kept}: chỉ kiểm tra một lần", err=True)
    if not as_json:
        for line in closing_lines(result, out):
            click.echo(line)
    for line in problem_lines(result):
        click.echo(f"lỗi: {line}", err=True)
    ctx.exit(result.status(fail_on))


def _formats(given: tuple[str, ...]) -> tuple[str, ...]:
    from dondoc.templates import FORMATS

    wanted = [f.strip().lower() for item in given for f in item.split(",") if f.strip()] or list(FORMATS)
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)}: formats are {', '.join(FORMATS)}", param_hint="--format")
    return tuple(dict.fromkeys(wanted))


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


def _settings_option(func: Callable) -> Callable:
    return click.option(
        "--settings", "settings_file", type=click.Path(path_type=Path),
        help="The office's settings file (dondoc.yaml): its rule folders and days off (default: the one in this folder or the nearest above).",
    )(func)


@rules_group.command("check")
@click.argument("directories", nargs=-1, type=click.Path(path_type=Path))
@_settings_option
def rules_check_command(directories: tuple[Path, ...], settings_file: Path | None) -> None:
    """Validate the shipped rules and the office's folders DIRECTORIES over them; exit 2 on any error.

    Valid means it will run: every file is read, every condition type-checked and compiled, and
    the rules in force on each day are registered with durable-rules as the nightly check does.
    """
    from dondoc.engine.verify import verify

    from dondoc.night.plans import office_book

    book, calendar = office_book(None, directories, settings_file, strict=True)
    errors, days = verify(book, today(), calendar)
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
@_settings_option
@click.option("--coverage", "plan_dir", type=click.Path(path_type=Path), help="List the plan's tasks and targets that no rule checks.")
@click.option("--as-of", "as_of", type=DateParam(), help="With --coverage: the rules in force on this date (default today).")
def rules_list_command(rules_dirs: tuple[Path, ...], settings_file: Path | None, plan_dir: Path | None, as_of) -> None:
    """Print the catalogue: id, fact kind, severity, in force from/to, where it comes from, title."""
    from dondoc.night.plans import office_book

    book, _ = office_book(plan_dir, rules_dirs, settings_file, strict=True)
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
    from dondoc.night import evaluate
    from dondoc.night.plans import office_book

    as_of = as_of or today()
    book, calendar = office_book(plan_dir, rules_dirs, strict=False)
    for problem in book.set_aside:
        click.echo(f"lưu ý: tệp quy tắc để riêng (không đọc được): {problem.render()}", err=True)
    folder = read_plan_folder(plan_dir)
    try:
        text, disagreements = explain_report(book, rule_id, folder, as_of, calendar, show_all, evaluate)
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
@_settings_option
@click.option("--coverage", "show_coverage", is_flag=True, help="Also say which sub-conditions the scenarios made true and false.")
def rules_test_command(paths: tuple[Path, ...], rules_dirs: tuple[Path, ...], settings_file: Path | None, show_coverage: bool) -> None:
    """Run the Vietnamese specs: PATHS (.feature files or folders); by default the shipped specs
    and those in each --rules folder. One line per scenario; exit 1 if one does not hold."""
    from dondoc.night.spectest import FeatureError, feature_files, run_specs, shipped_features_dir
    from dondoc.night.specsteps import shipped_rules

    from dondoc.night.plans import office_book

    book, _ = office_book(None, rules_dirs, settings_file, strict=False)
    for problem in book.set_aside:
        click.echo(f"lỗi: tệp quy tắc để riêng (không đọc được): {problem.render()}", err=True)
    shipped_dir = shipped_features_dir().resolve()
    local = book.folders[1:]  # the office's folders: its settings' rules, then each --rules
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
def rules_catalogue_command(rules_dirs: tuple[Path, ...]) -> None:
    """Print the rule catalogue as Markdown, from the rules' doc: and their specs (docs/rules.md)."""
    from dondoc.engine.catalogue import catalogue_markdown

    from dondoc.night.plans import office_book

    click.echo(catalogue_markdown(office_book(None, rules_dirs, strict=True)[0].rules), nl=False)


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
