"""dondoc: the nightly check of commune plans, from the command line.

    dondoc check PLAN_DIR... --as-of 2026-11-22 --out out/
    dondoc parse deadline "Quý III, IV/2025" --year 2025 --json

Each command parses its options and makes one call into the library. The exit statuses are
errors.py's (listed in `dondoc --help`); the only place an error becomes a status is
``Dondoc.invoke``. Help, usage errors and click's own words are in Vietnamese (``VI``).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Callable

import click

from dondoc.engine.findings import SEVERITY_ORDER
from dondoc.engine.rulebook import SHIPPED
from dondoc.facts.derive import today
from dondoc.errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    DondocError,
    EngineError,
    InputError,
    InputErrors,
    Interrupted,
    missing_package,
)

# Each command imports what only it needs, inside it: `dondoc check` of one plan starts in
# a fraction of a second (python -X importtime; docs/engine.md).

NOTICES = "notices"  # in --out: notices/<plan>/<unit>.<format> (templates/notices.py)
RULES_HELP = (
    "Thư mục quy tắc riêng của cơ quan, đặt trên các quy tắc có sẵn; lặp lại được, thư mục sau"
    " đặt trên thư mục trước (docs/rules.md)."
)


class _Command(click.Command):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("options_metavar", "[TÙY_CHỌN]")
        super().__init__(*args, **kwargs)


class _Group(click.Group):
    command_class = _Command

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("options_metavar", "[TÙY_CHỌN]")
        kwargs.setdefault("subcommand_metavar", "LỆNH [ĐỐI_SỐ]...")
        super().__init__(*args, **kwargs)


_Group.group_class = _Group


class Dondoc(_Group):
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
        except ImportError as exc:  # a package dondoc needs is missing or broken: named, with the pip line
            missing = missing_package(exc)
            if missing is None:
                ctx.exit(_internal_error(exc))
            click.echo(f"{missing.label}: {missing.render()}", err=True)
            ctx.exit(missing.exit_code)
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


# click's own words (usage, headings, its errors), in Vietnamese: click marks them for gettext
# in each of its modules; they are looked up here. tests/test_cli.py reads `--help` and a
# usage error in full, so a click that changes its words is seen at once.
VI = {
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Đối số",
    "Show this message and exit.": "Xem hướng dẫn này rồi thoát.",
    "Show the version and exit.": "Xem phiên bản rồi thoát.",
    "Error: {message}": "Lỗi cách dùng: {message}",
    "Try '{command} {option}' for help.": "Xem hướng dẫn: '{command} {option}'.",
    "No such option {name!r}.": "Không có tùy chọn {name!r}.",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "Missing argument": "Thiếu đối số",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing command.": "Thiếu lệnh.",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ cho {param_hint}: {message}",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    "Option {name!r} requires an argument.": "Tùy chọn {name!r} cần một giá trị.",
    "Option {name!r} requires {nargs} arguments.": "Tùy chọn {name!r} cần {nargs} giá trị.",
    "Got unexpected extra argument ({args})": "Thừa đối số ({args})",
    "Got unexpected extra arguments ({args})": "Thừa các đối số ({args})",
    "{value!r} is not {choice}.": "{value!r} không phải {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} không phải một trong: {choices}.",
    "{value!r} is not a valid {number_type}.": "{value!r} không phải một số hợp lệ.",
    "{value} is not in the range {range}.": "{value} không nằm trong khoảng {range}.",
    "Did you mean {possibility}?": "Có phải ý là {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Có phải ý là một trong: {possibilities}?)",
    "default: {default}": "mặc định: {default}",
    "Aborted!": "Đã dừng.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} không tồn tại.",
    "file": "tệp",
    "directory": "thư mục",
    "path": "đường dẫn",
}


def _vi(message: str) -> str:
    return VI.get(message, message)


def _vi_plural(singular: str, plural: str, n: int) -> str:
    return _vi(singular if n == 1 else plural)


def _speak_vietnamese() -> None:
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.types

    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types):
        module._ = _vi  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _vi_plural  # type: ignore[attr-defined]


_speak_vietnamese()


class DateParam(click.ParamType):
    """A calendar date as dondoc writes it (22/11/2026) or in ISO form (2026-11-22)."""

    name = "DD/MM/YYYY"

    def convert(self, value, param, ctx):
        from dondoc.facts.models import FIRST_YEAR, LAST_YEAR

        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        try:
            if "/" in text:
                day, month, year = (int(part) for part in text.split("/"))
                found = dt.date(year, month, day)
            else:
                found = dt.date.fromisoformat(text)
        except ValueError:
            self.fail(f"'{value}' không phải một ngày: viết 22/11/2026 hoặc 2026-11-22", param, ctx)
        if not FIRST_YEAR <= found.year <= LAST_YEAR:
            self.fail(f"'{value}': dondoc chỉ kiểm tra các ngày từ 01/01/{FIRST_YEAR} đến 31/12/{LAST_YEAR}", param, ctx)
        return found


class SeverityParam(click.Choice):
    """A severity by its Vietnamese name, or its ASCII alias (canh-bao) for a crontab line."""

    ALIASES = {"never": "never", "info": "info", "nhac-nho": "nhắc nhở", "canh-bao": "cảnh báo", "nghiem-trong": "nghiêm trọng"}

    def __init__(self) -> None:
        super().__init__(["never", *SEVERITY_ORDER, *(a for a in self.ALIASES if a not in SEVERITY_ORDER and a != "never")])

    def convert(self, value, param, ctx):
        return self.ALIASES.get(str(value).strip(), super().convert(value, param, ctx))


def _statuses() -> str:
    from dondoc.errors import EXIT_STATUSES

    return "\b\nTrạng thái khi kết thúc (exit status):\n" + "\n".join(f"  {code:>3}  {text}" for code, text in EXIT_STATUSES.items())


@click.group("dondoc", cls=Dondoc, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}, epilog=_statuses())
@click.version_option(package_name="dondoc", prog_name="dondoc", message="%(prog)s %(version)s")
def main() -> None:
    """Kiểm tra hằng đêm việc thực hiện kế hoạch của UBND xã, phường: nhiệm vụ quá hạn, chỉ
    tiêu chưa đạt, "03 giảm", báo cáo định kỳ; viết công văn đôn đốc cho từng đơn vị chủ trì.
    """


# -- check ------------------------------------------------------------------------------------


@main.command("check", short_help="Kiểm tra các kế hoạch theo quy tắc; viết kết quả, công văn, báo cáo.")
@click.argument("plan_dirs", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="THƯ_MỤC...")
@click.option("--as-of", "as_of", type=DateParam(), help="Ngày kiểm tra (mặc định: hôm nay, giờ Việt Nam).")
@click.option("--out", "out", type=click.Path(path_type=Path), help="Ghi findings.json, run.json, notices/ và summary/ vào thư mục này.")
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path), help=RULES_HELP)
@click.option("--templates", "template_dir", type=click.Path(path_type=Path), help="Thư mục mẫu công văn riêng (notice.html.j2, notice.docx), chạy trong hộp cát.")
@click.option("--format", "formats", multiple=True, metavar="html,docx,pdf", help="Định dạng công văn (lặp lại, hoặc ngăn bằng dấu phẩy; mặc định cả ba).")
@click.option("--settings", "settings_file", type=click.Path(path_type=Path), help="Một tệp cài đặt (dondoc.yaml) cho mọi kế hoạch, thay cho tệp riêng của từng kế hoạch.")
@click.option("--fail-on", type=SeverityParam(), default="never", show_default=True, metavar="MỨC_ĐỘ", help="Kết thúc với trạng thái 1 khi có phát hiện từ mức này trở lên: nhắc nhở, cảnh báo, nghiêm trọng (hoặc nhac-nho, canh-bao, nghiem-trong).")
@click.option("--json", "as_json", is_flag=True, help="In các phát hiện dạng JSON thay cho bảng tổng hợp.")
@click.option("--workers", type=click.IntRange(1, 256), metavar="SỐ", help="Số tiến trình (mặc định: số lõi CPU); kết quả như nhau với mọi số tiến trình.")
@click.option("--summary/--no-summary", "summaries", default=True, show_default=True, help="Viết Báo cáo tổng hợp của từng kế hoạch (HTML, DOCX, PDF) trong summary/.")
@click.option("--store", "store", metavar="TỆP_HOẶC_URL", help="Kho dữ liệu của đêm (lịch sử, công văn, sổ đăng ký): tệp SQLite hoặc postgresql+psycopg://...; thay cho khóa store: của dondoc.yaml.")
@click.option("--quiet", "-q", is_flag=True, help="Không in gì ngoài lỗi và cảnh báo (cho cron).")
@click.option("--log-json", "log_json", type=click.Path(path_type=Path, dir_okay=False), help="Ghi thêm nhật ký JSON (mỗi dòng một sự kiện: giai đoạn, kế hoạch, lỗi) vào tệp này.")
@click.option("--allow-font-fallback", "font_fallback", is_flag=True, help="Vẫn viết PDF khi máy không có phông Times New Roman (hoặc Liberation Serif): in bằng phông khác, có cảnh báo (mặc định: dừng, trạng thái 4).")
@click.pass_context
def check_command(ctx, plan_dirs, as_of, out, rules_dirs, template_dir, formats, settings_file, fail_on, as_json, workers, summaries, store, quiet, log_json, font_fallback) -> None:
    """Kiểm tra các kế hoạch trong THƯ_MỤC (thư mục kế hoạch, hoặc thư mục chứa các thư mục kế
    hoạch) theo quy tắc, vào một ngày; mỗi kế hoạch theo tệp cài đặt dondoc.yaml của nó."""
    from dondoc.night import Options, check
    from dondoc.night.events import Events, open_log
    from dondoc.night.report import closing_lines, problem_lines

    options = Options(as_of or today(), out, tuple(rules_dirs), settings_file, _formats(formats), template_dir, summaries, workers, store, font_fallback)
    progress = not quiet and not as_json and sys.stderr.isatty()
    with open_log(log_json) as log:
        events = Events.of(progress=progress, log=log)
        sys.stdout.flush()
        result = check(plan_dirs, options, findings_to=sys.stdout.buffer if as_json else None, events=events)
    if result.font_fallback:
        click.echo(f"cảnh báo: PDF in bằng {result.pdf_font}, không phải Times New Roman (--allow-font-fallback); cài fonts-liberation2 (dondoc doctor)", err=True)
    for dropped, kept in result.plans.twice:
        click.echo(f"cảnh báo: {dropped} là cùng một thư mục kế hoạch với {kept}: chỉ kiểm tra một lần", err=True)
    if not as_json and not quiet:
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


# -- doctor -------------------------------------------------------------------------------------


@main.command("doctor", short_help="Kiểm tra máy này có đủ những gì dondoc cần; nói cần cài gì.")
@click.option("--store", "store", metavar="TỆP_HOẶC_URL", help="Kho dữ liệu cần kiểm tra (mặc định: register trong dondoc.yaml).")
@click.option("--settings", "settings_file", type=click.Path(path_type=Path), help="Tệp cài đặt (dondoc.yaml) có kho dữ liệu (mặc định: tệp ở thư mục này hoặc gần nhất bên trên).")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
def doctor_command(store: str | None, settings_file: Path | None, as_json: bool) -> None:
    """Kiểm tra trên máy này: Python, durable-rules, phông chữ Nghị định 30, Pango, LibreOffice,
    kho dữ liệu, thư mục bộ nhớ đệm; nói thiếu gì và cài bằng lệnh nào (apt-get, pip).
    Trạng thái 0 khi đủ những gì lần chạy hằng đêm cần, 4 khi thiếu."""
    from dondoc.night.doctor import examine

    exam = examine(store, settings_file)
    click.echo(json.dumps(exam.as_json(), ensure_ascii=False, indent=2) if as_json else "\n".join(exam.lines()))
    exam.raise_if_missing()


# -- parse --------------------------------------------------------------------------------------


def _settings_option_calendar(func: Callable) -> Callable:
    return click.option(
        "--settings", "settings_file", type=click.Path(path_type=Path),
        help="Tệp cài đặt (dondoc.yaml) có khóa days_off (mặc định: tệp ở thư mục này hoặc gần nhất bên trên).",
    )(func)


@main.command("calendar", short_help="Các ngày nghỉ, ngày làm bù của một năm mà dondoc dùng, và nguồn của chúng.")
@click.argument("year", type=click.IntRange(2000, 2100))
@click.option("--plan", "plan_dir", type=click.Path(path_type=Path), help="Lịch của kế hoạch này (ngày nghỉ trong dondoc.yaml của nó).")
@_settings_option_calendar
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
def calendar_command(year: int, plan_dir: Path | None, settings_file: Path | None, as_json: bool) -> None:
    """Các ngày nghỉ vào ngày thường và ngày làm bù cuối tuần của NĂM, đúng lịch đêm kiểm tra dùng
    để đếm ngày làm việc (quy tắc, hạn trả lời): của thư viện holidays, rồi tệp days_off của cơ quan."""
    from dondoc.facts.calendar import WEEKDAYS, year_days
    from dondoc.night.plans import settings_for

    calendar = settings_for(plan_dir if plan_dir is not None else Path.cwd(), settings_file).calendar()
    days = year_days(calendar, year)
    if as_json:
        click.echo(json.dumps([{"date": d.date.isoformat(), "kind": d.kind, "name": d.name, "source": d.source} for d in days],
                              ensure_ascii=False, indent=2))
        return
    click.echo(f"Lịch năm {year}: thứ bảy, chủ nhật nghỉ; ngoài ra:")
    for d in days:
        click.echo(f"  {d.date:%d/%m/%Y} {WEEKDAYS[d.date.weekday()]:9} {d.kind:9} {d.name}  [{d.source}]")
    off = sum(1 for d in days if d.kind == "nghỉ" and d.date.weekday() < 5)
    click.echo(f"{off} ngày nghỉ vào ngày thường, {sum(1 for d in days if d.kind == 'làm việc')} ngày làm việc vào cuối tuần.")


@main.group("parse")
def parse_group() -> None:
    """Xem dondoc đọc một cụm từ của kế hoạch thế nào (thời hạn, chỉ tiêu)."""


class PeriodParam(click.ParamType):
    """Giai đoạn của kế hoạch theo năm: 2025-2030, hoặc một năm 2026."""

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
@click.option("--year", type=click.IntRange(2000, 2100), help="Năm của kế hoạch, cho cụm từ không ghi năm (mặc định: năm đầu của giai đoạn).")
@click.option("--period", type=PeriodParam(), help="Giai đoạn của kế hoạch, ví dụ 2025-2030: 'Hằng năm' lặp lại mỗi năm của giai đoạn.")
@click.option("--json", "as_json", is_flag=True, help="In một đối tượng JSON.")
def parse_deadline_command(phrase: str, year: int | None, period, as_json: bool) -> None:
    """Cách đọc cụm từ thời hạn PHRASE: loại, hạn, ngày bắt đầu, các lần lặp."""
    if year is None and period is None:
        raise click.UsageError("ghi năm của kế hoạch (--year 2026) hoặc giai đoạn (--period 2025-2030)")
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
@click.option("--year", type=click.IntRange(2000, 2100), required=True, help="Năm của kế hoạch (để hiểu 'so với năm trước').")
@click.option("--json", "as_json", is_flag=True, help="In một đối tượng JSON.")
def parse_target_command(sentence: str, year: int, as_json: bool) -> None:
    """Cách đọc câu chỉ tiêu SENTENCE: phép so sánh, giá trị, đơn vị, năm gốc."""
    from dondoc.facts.importer import parse_target

    _print_reading(parse_target(sentence, year).as_json(), as_json)


# -- import -------------------------------------------------------------------------------------


@main.command("import")
@click.argument("document", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), help="Ghi thư mục kế hoạch (plan.yaml) vào đây.")
@click.option("--json", "as_json", is_flag=True, help="In kế hoạch đã đọc dạng một đối tượng JSON.")
@click.option("--report", is_flag=True, help="DOCUMENT là bộ văn bản kiểm chứng (docs/, truth/): in bảng độ trung thực từng văn bản.")
@click.option("--details", is_flag=True, help="Cùng --report: kể từng chỗ đọc sai.")
def import_command(document: Path, out: Path | None, as_json: bool, report: bool, details: bool) -> None:
    """Đọc văn bản kế hoạch (.txt, .md, .docx, .pdf, .doc) thành thư mục kế hoạch, nói rõ chỗ
    nào chưa đọc được (dòng, ô).

    Các tệp tiến độ, số liệu và thủ tục đã có trong thư mục được giữ nguyên. Với --report,
    DOCUMENT là thư mục bộ văn bản kiểm chứng và lệnh in bảng độ trung thực (docs/import.md, 6).
    """
    if report:
        from dondoc.facts.importer.fidelity import measure

        measured = measure(document)
        click.echo(json.dumps(measured.as_json(), ensure_ascii=False, indent=2) if as_json else measured.table(details))
        return
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


@main.command("lint")
@click.argument("document", type=click.Path(path_type=Path))
@click.option("--units", "units", type=click.Path(path_type=Path), help="Danh sách đơn vị của xã: một plan.yaml, hoặc mỗi dòng một tên.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.pass_context
def lint_command(ctx, document: Path, units: Path | None, as_json: bool) -> None:
    """Kiểm tra dự thảo kế hoạch trước khi ban hành: điều gì làm kế hoạch không kiểm tra được hằng đêm
    (mỗi điều có dòng và cách sửa). Mã thoát 1 khi có lỗi."""
    from dondoc.facts.importer.lint import ERROR, lint_document, lint_status

    findings = lint_document(document, units)
    if as_json:
        click.echo(json.dumps([f.as_json() for f in findings], ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            click.echo(finding.render(str(document)))
        errors = sum(f.severity == ERROR for f in findings)
        click.echo(f"{errors} lỗi, {len(findings) - errors} lưu ý" + ("" if units else " (không kiểm tra tên đơn vị: thiếu --units)"))
    ctx.exit(lint_status(findings))


# -- intake -------------------------------------------------------------------------------------


@main.group("intake")
def intake_group() -> None:
    """Tiến độ từ các đơn vị bằng Excel: mỗi đơn vị chủ trì một bảng tính, đọc lại vào thư mục kế hoạch."""


@intake_group.command("template")
@click.argument("plan_dir", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="Thư mục ghi các bảng tính (mỗi đơn vị chủ trì một tệp .xlsx).")
def intake_template_command(plan_dir: Path, out: Path) -> None:
    """Lập mỗi đơn vị chủ trì của PLAN_DIR một bảng tính: nhiệm vụ, chỉ tiêu của đơn vị và các ô cần điền."""
    from dondoc.facts.intake import write_templates
    from dondoc.facts.planfolder import read_plan_folder

    names = write_templates(read_plan_folder(plan_dir), out)
    click.echo(f"Đã ghi {len(names)} sổ báo cáo vào {out}/:")
    for name in names:
        click.echo(f"  {name}")


@intake_group.command("read")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--plan", "plan_dir", type=click.Path(path_type=Path), required=True, help="Thư mục kế hoạch mà các bảng tính được lập cho.")
@click.pass_context
def intake_read_command(ctx, files: tuple[Path, ...], plan_dir: Path) -> None:
    """Kiểm tra từng ô của các bảng tính đã điền FILES và gộp vào progress.csv, measurements.csv
    của PLAN_DIR. Trạng thái 2 khi có ô sai (không ghi gì); 1 khi có dòng mâu thuẫn với số
    liệu đã có (các dòng khác vẫn được ghi)."""
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
    ctx.exit(report.status)


# -- the store: register, letters, history (store/) ---------------------------------------------------

STORE_HELP = "Kho dữ liệu (sổ đăng ký, công văn, lịch sử): tệp SQLite, hoặc địa chỉ postgresql+psycopg://...; mặc định biến DONDOC_STORE."


def _store_option(func: Callable) -> Callable:
    # --register: the name the register export had before the store
    return click.option("--store", "--register", "store", envvar="DONDOC_STORE", required=True, metavar="TỆP_HOẶC_URL", help=STORE_HELP)(func)


def _open_store(store: str, create: bool = False):
    """The store; ``create=False`` for the commands that read or change what is there: a store
    that does not exist is an error, never a new empty file."""
    from dondoc.store.store import Store

    return Store.open(store, create=create)


def _echo(lines) -> None:
    for line in lines:
        click.echo(line)


@main.group("register")
def register_group() -> None:
    """Sổ đăng ký văn bản đi: số tiếp theo của văn phòng, nhập sổ của văn phòng, xuất sổ (.xlsx)."""


@register_group.command("start")
@_store_option
@click.option("--next", "next_number", required=True, type=click.IntRange(1, 10**6), help="Số tiếp theo trong sổ của văn phòng (ví dụ 412).")
@click.option("--year", required=True, type=click.IntRange(2000, 2100), help="Năm của sổ.")
@click.option("--issuer", help="Cơ quan ban hành (ví dụ 'UBND xã Gia Lộc'); bỏ trống khi kho chỉ có một cơ quan.")
def register_start_command(store: str, next_number: int, year: int, issuer: str | None) -> None:
    """Cấp số từ số tiếp theo của văn phòng: công văn ký tiếp theo của cơ quan, năm đó, nhận số này.
    Không nhận số đã có trong sổ (số không bao giờ cấp hai lần)."""
    with _open_store(store, create=True) as kept:
        name = kept.issuer(issuer)
        last = kept.register_start(name, year, next_number)
    click.echo(f"Sổ của {name} năm {year}: số tiếp theo là {next_number:02d}" + (f" (trước đó đã cấp đến số {last:02d})." if last else "."))


@register_group.command("import")
@click.argument("book", type=click.Path(path_type=Path))
@_store_option
@click.option("--issuer", help="Cơ quan ban hành của sổ; bỏ trống khi kho chỉ có một cơ quan.")
@click.option("--year", type=click.IntRange(2000, 2100), help="Năm của sổ (mặc định: dòng 'Năm ...' trên đầu sheet, hoặc ngày của từng văn bản).")
def register_import_command(book: Path, store: str, issuer: str | None, year: int | None) -> None:
    """Nhập sổ đăng ký văn bản đi của văn phòng (BOOK.xlsx): các số trong sổ không bao giờ được cấp lại,
    số tiếp theo tiếp sau số lớn nhất. Ô sai được báo theo sheet và ô; có lỗi thì không nhập gì."""
    with _open_store(store, create=True) as kept:
        name = kept.issuer(issuer)
        added, same = kept.register_import(book, name, year)
    click.echo(f"Đã nhập {added} dòng vào sổ của {name}" + (f"; {same} dòng đã có." if same else "."))


@register_group.command("export")
@_store_option
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Tệp bảng tính sẽ ghi (.xlsx).")
@click.option("--year", type=click.IntRange(2000, 2100), help="Chỉ sổ của năm này.")
@click.option("--issuer", help="Chỉ sổ của cơ quan này (ví dụ 'UBND xã Gia Lộc').")
def register_export_command(store: str, out: Path, year: int | None, issuer: str | None) -> None:
    """Xuất sổ đăng ký văn bản đi ra bảng tính: mỗi cơ quan, mỗi năm một sheet; số đã hủy ghi rõ lý do."""
    if out.suffix.lower() != ".xlsx":
        raise click.UsageError("--out là một tệp .xlsx")
    with _open_store(store) as kept:
        lines, previous = kept.export(out, year=year, issuer=issuer)
    click.echo(f"Đã ghi {out}: {lines} dòng." + (f" Bản trước giữ ở {previous}." if previous else ""))


@main.group("letters")
def letters_group() -> None:
    """Công văn trong kho: dự thảo -> đã ký (có số) -> đã gửi -> đã trả lời; hoặc đã thay (dự thảo
    mới hơn thay), đã hủy (số giữ trong sổ, ghi lý do). Số được cấp khi ký, không bao giờ trước."""


@letters_group.command("list")
@_store_option
@click.option("--state", type=click.Choice(["draft", "superseded", "signed", "sent", "replied", "voided"]), help="Chỉ công văn ở trạng thái này.")
@click.option("--plan", help="Chỉ công văn của kế hoạch này (mã kế hoạch).")
@click.option("--unit", help="Chỉ công văn gửi đơn vị này (mã đơn vị).")
@click.option("--year", type=click.IntRange(2000, 2100), help="Chỉ công văn được cấp số trong năm này.")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
def letters_list_command(store: str, state, plan, unit, year, as_json: bool) -> None:
    """Danh sách công văn: số, trạng thái, ngày lập, ký, gửi, trả lời, nơi nhận."""
    from dondoc.store import show

    with _open_store(store) as kept:
        found = kept.letters(state, plan, _unit(kept, unit), year=year)
    click.echo(show.as_json(found), nl=False) if as_json else _echo(show.letters_table(found))


@letters_group.command("show")
@click.argument("letter_id", type=click.IntRange(1))
@_store_option
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON (kèm payload).")
def letters_show_command(letter_id: int, store: str, as_json: bool) -> None:
    """Một công văn: nơi nhận, số, các ngày, tệp, nội dung đôn đốc."""
    from dondoc.store import show

    with _open_store(store) as kept:
        letter = kept.letter(letter_id)
    click.echo(show.as_json(letter), nl=False) if as_json else _echo(show.letter_detail(letter))


@letters_group.command("sign")
@click.argument("letter_ids", nargs=-1, type=click.IntRange(1), metavar="SỐ_CÔNG_VĂN...")
@_store_option
@click.option("--all", "all_drafts", is_flag=True, help="Ký mọi dự thảo ký được của kho (hoặc của --plan).")
@click.option("--plan", help="Cùng --all: chỉ các dự thảo của kế hoạch này (định danh kế hoạch).")
@click.option("--by", help="Tên người ký (mặc định: người ký công văn ghi).")
@click.option("--title", help="Chức vụ người ký, nếu khác công văn ghi (ví dụ PHÓ CHỦ TỊCH).")
@click.option("--authority", help="Thẩm quyền ký, nếu khác công văn ghi (ví dụ KT. CHỦ TỊCH).")
@click.option("--on", type=DateParam(), help="Ngày ký, cũng là ngày của công văn (mặc định: hôm nay).")
@click.option("--out", "out", type=click.Path(path_type=Path), help="Thư mục ghi công văn đã ký (.docx, .pdf; mặc định: van-ban-di bên cạnh kho SQLite).")
def letters_sign_command(letter_ids, store: str, all_drafts: bool, plan, by, title, authority, on, out) -> None:
    """Ký các công văn dự thảo: cấp số tiếp theo của cơ quan ban hành trong năm (Nghị định 30,
    Điều 15), ghi ngày ký, hạn trả lời tính từ ngày ký, và ghi bản Word, PDF có số."""
    from dondoc.night.signing import drafts_to_sign, sign, signed_folder

    if bool(letter_ids) == all_drafts:
        raise click.UsageError("ghi các số công văn (#) cần ký, hoặc --all")
    with _open_store(store) as opened:
        ids, waiting = drafts_to_sign(opened, plan) if all_drafts else (list(letter_ids), [])
        done = sign(opened, ids, by=by, on=on or today(), out=signed_folder(opened, out), title=title, authority=authority)
    for item in done:
        click.echo(f"Đã ký #{item.letter.id}: số {item.letter.cited} ngày {item.letter.signed_on:%d/%m/%Y}, "
                   f"hạn trả lời {item.letter.reply_by:%d/%m/%Y}; " + ", ".join(str(p) for p in item.files))
    for letter_id, why in waiting:
        click.echo(f"Chưa ký #{letter_id}: {why}")


@letters_group.command("void")
@click.argument("letter_id", type=click.IntRange(1), required=False)
@_store_option
@click.option("--number", type=click.IntRange(1), help="Hủy theo số trong sổ (kể cả số của văn phòng), thay cho mã công văn.")
@click.option("--year", type=click.IntRange(2000, 2100), help="Năm của số (với --number).")
@click.option("--issuer", help="Cơ quan ban hành (với --number); bỏ trống khi kho chỉ có một cơ quan.")
@click.option("--reason", required=True, help="Lý do hủy (ghi vào cột Ghi chú của sổ).")
@click.option("--on", "on", type=DateParam(), help="Ngày hủy (mặc định hôm nay).")
def letters_void_command(letter_id, store: str, number, year, issuer, reason: str, on) -> None:
    """Hủy số của công văn đã ký (LETTER_ID, hoặc --number --year): số không bao giờ cấp lại, sổ ghi rõ lý do."""
    if (letter_id is None) == (number is None):
        raise click.UsageError("cho mã công văn, hoặc --number và --year (không cả hai)")
    if number is not None and year is None:
        raise click.UsageError("--number cần --year")
    with _open_store(store) as kept:
        target = letter_id if letter_id is not None else (kept.issuer(issuer), year, number)
        letter = kept.void(target, reason, on or today())
    click.echo(f"Đã hủy {'số ' + str(number) if letter is None else 'công văn #' + str(letter.id) + ' số ' + letter.cited}: {reason}")


@letters_group.command("sent")
@click.argument("letter_ids", nargs=-1, type=click.IntRange(1), metavar="SỐ_CÔNG_VĂN...")
@_store_option
@click.option("--all", "all_signed", is_flag=True, help="Mọi công văn đã ký, chưa ghi gửi.")
@click.option("--on", "on", type=DateParam(), help="Ngày gửi (mặc định hôm nay).")
def letters_sent_command(letter_ids: tuple[int, ...], store: str, all_signed: bool, on) -> None:
    """Ghi các công văn đã ký (SỐ_CÔNG_VĂN..., hoặc --all) là đã gửi."""
    if bool(letter_ids) == all_signed:
        raise click.UsageError("ghi mã công văn, hoặc --all (không cả hai)")
    with _open_store(store) as kept:
        sent = kept.mark_sent_all(list(letter_ids) or None, on or today())
    for letter in sent:
        click.echo(f"Công văn #{letter.id} số {letter.cited}: đã gửi ngày {letter.sent_on:%d/%m/%Y}.")


@letters_group.command("replied")
@click.argument("letter_id", type=click.IntRange(1))
@_store_option
@click.option("--on", "on", type=DateParam(), help="Ngày nhận trả lời (mặc định hôm nay).")
@click.option("--note", default="", help="Ghi chú về trả lời (ví dụ số văn bản trả lời).")
def letters_replied_command(letter_id: int, store: str, on, note: str) -> None:
    """Ghi công văn đã được đơn vị trả lời."""
    with _open_store(store) as kept:
        letter = kept.mark_replied(letter_id, on or today(), note)
    click.echo(f"Công văn #{letter.id} số {letter.cited}: đã trả lời ngày {letter.replied_on:%d/%m/%Y}.")


@main.command("history")
@_store_option
@click.option("--finding", "findings", multiple=True, help="Mã phát hiện (lặp lại được).")
@click.option("--unit", help="Mọi phát hiện và công văn của đơn vị này (mã hoặc tên đơn vị).")
@click.option("--plan", help="Kế hoạch (mã kế hoạch): các lần kiểm tra, số phát hiện, công văn.")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
def history_command(store: str, findings: tuple[str, ...], unit: str | None, plan: str | None, as_json: bool) -> None:
    """Lịch sử của một phát hiện, một đơn vị hoặc một kế hoạch: mỗi lần kiểm tra thấy gì, mức độ,
    đã khắc phục hay tái phát, các công văn đã nêu."""
    from dondoc.store import show

    if not (findings or unit or plan):
        raise click.UsageError("cho --finding, --unit hoặc --plan")
    with _open_store(store) as kept:
        unit = _unit(kept, unit)
        stories = kept.findings(list(findings) or None, plan=plan, unit=unit) if (findings or unit) else []
        nights = kept.plan_nights(plan) if plan and not (findings or unit) else []
        letters = kept.letters(plan=plan, unit=unit) if not findings else []
    if findings and len(stories) < len(set(findings)):
        missing = sorted(set(findings) - {s.key for s in stories})
        raise InputError(kept.name, f"không có phát hiện {', '.join(missing)} trong kho")
    if as_json:
        click.echo(show.as_json({"findings": stories, "nights": nights, "letters": letters}), nl=False)
    elif plan and not (findings or unit):
        _echo(show.plan_lines(plan, nights, letters))
    else:
        _echo(show.finding_lines(stories))
        if unit and letters:
            click.echo("Công văn:")
            _echo(f"  {show.letter_line(letter)}" for letter in letters)


@main.command("dashboard", short_help="Trang theo dõi (tĩnh, mở từ ổ đĩa) từ kho dữ liệu: xã, kế hoạch, tỉnh.")
@_store_option
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Thư mục của trang (thay cả thư mục; mở index.html).")
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path), help="Thư mục quy tắc riêng của cơ quan (lặp lại được): tên và mục của các quy tắc đó; quy tắc có sẵn luôn được đọc.")
@click.option("--window", "window_days", type=click.IntRange(1, 3660), default=30, show_default=True, metavar="SỐ_NGÀY", help="Xu hướng của tỉnh: so đêm gần nhất với đêm đầu tiên trong chừng ấy ngày trước đó.")
@click.option("--workers", type=click.IntRange(1, 256), metavar="SỐ", help="Số tiến trình dựng trang các kế hoạch (mặc định: số lõi CPU); trang như nhau với mọi số tiến trình.")
def dashboard_command(store: str, out: Path, rules_dirs: tuple[Path, ...], window_days: int, workers: int | None) -> None:
    """Viết trang theo dõi từ kho dữ liệu: mỗi tỉnh (xếp hạng các xã, phường theo từng chỉ số, xu
    hướng, giá trị bất thường; tải bảng .xlsx, .csv), mỗi xã, mỗi kế hoạch (thay đổi so với lần
    kiểm tra trước, tình trạng từng đơn vị qua các đêm, chỉ tiêu với dự báo, nội dung đang mở có
    bộ lọc, công văn). Không cần máy chủ, không tải gì từ mạng."""
    from dondoc.dashboard.build import build

    with _open_store(store) as kept:
        built = build(kept, out, rules=rules_dirs, window_days=window_days, workers=workers)
    click.echo(f"Trang theo dõi: {built.pages} trang, {built.plans} kế hoạch, {built.provinces} tỉnh, thành phố.")
    click.echo(f"Mở: {(built.out / 'index.html').resolve()}")


def _unit(kept, unit: str | None) -> str | None:
    """A unit as the night keys it: the key as given if the store knows it, else the key of the name."""
    if unit is None:
        return None
    from dondoc.text import unit_key

    known = set(kept.units())
    return unit if unit in known or unit_key(unit) not in known else unit_key(unit)


# -- rules ----------------------------------------------------------------------------------------


@main.group("rules")
def rules_group() -> None:
    """Kiểm tra, liệt kê, giải thích, thử và in danh mục các quy tắc (có sẵn và của cơ quan)."""


def _rules_option(func: Callable) -> Callable:
    return click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path), help=RULES_HELP)(func)


def _settings_option(func: Callable) -> Callable:
    return click.option(
        "--settings", "settings_file", type=click.Path(path_type=Path),
        help="Tệp cài đặt của cơ quan (dondoc.yaml): thư mục quy tắc và ngày nghỉ (mặc định: tệp ở thư mục này hoặc gần nhất bên trên).",
    )(func)


@rules_group.command("check")
@click.argument("directories", nargs=-1, type=click.Path(path_type=Path))
@_settings_option
def rules_check_command(directories: tuple[Path, ...], settings_file: Path | None) -> None:
    """Kiểm tra bộ quy tắc có sẵn và các thư mục quy tắc của cơ quan; mã thoát 2 khi có lỗi.

    "Hợp lệ" nghĩa là sẽ chạy: mọi tệp được đọc, mọi điều kiện được kiểm tra kiểu và biên dịch,
    các quy tắc có hiệu lực mỗi ngày được đăng ký với durable-rules như lần chạy hằng đêm.
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
@click.option("--coverage", "plan_dir", type=click.Path(path_type=Path), help="Liệt kê nhiệm vụ, chỉ tiêu của kế hoạch chưa có quy tắc nào kiểm tra.")
@click.option("--as-of", "as_of", type=DateParam(), help="Các quy tắc có hiệu lực ngày này (mặc định: hôm nay): quy tắc nào chạy, bị thay, được tinh chỉnh.")
def rules_list_command(rules_dirs: tuple[Path, ...], settings_file: Path | None, plan_dir: Path | None, as_of) -> None:
    """In danh mục: mã, loại dữ kiện, mức độ, hiệu lực, nguồn, tên, và quy tắc đứng thế nào ngày
    đó: đang chạy, bị thay (không chạy), được tinh chỉnh, chưa có hiệu lực."""
    from dondoc.engine.catalogue import rule_status
    from dondoc.night.plans import office_book

    book, _ = office_book(plan_dir, rules_dirs, settings_file, strict=True)
    if plan_dir is None:
        on = as_of or today()
        click.echo(f"Ngày {on:%d/%m/%Y}:")
        click.echo(f"{'mã (id)':38} {'dữ kiện':11} {'mức độ':36} {'hiệu lực':23} {'nguồn':12} tên")
        for rule in book.rules:
            ladder = " → ".join([rule.severity, *(s for _, s in rule.escalate)])
            since = rule.valid_from.isoformat() if rule.valid_from else "…"
            until = rule.valid_to.isoformat() if rule.valid_to else "…"
            source = SHIPPED if rule.folder == SHIPPED else Path(rule.folder).name
            status = rule_status(rule, book.rules, on)
            mark = "" if status == "đang chạy" else f"  [{status.removeprefix('đang chạy; ')}]"
            click.echo(f"{rule.id:38} {rule.fact:11} {ladder:36} {since + ' – ' + until:23} {source:12} {rule.title}{mark}")
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


@rules_group.command("show")
@click.argument("rule_id")
@_rules_option
@_settings_option
@click.option("--as-of", "as_of", type=DateParam(), help="Quy tắc đứng thế nào ngày này (mặc định: hôm nay).")
def rules_show_command(rule_id: str, rules_dirs: tuple[Path, ...], settings_file: Path | None, as_of) -> None:
    """In toàn văn quy tắc MÃ như tệp viết (mọi phiên bản), tệp và dòng, đứng thế nào ngày đó, tên các kịch bản."""
    from dondoc.engine.catalogue import rule_status, rule_text, scenarios_by_rule
    from dondoc.engine.specfiles import feature_files, shipped_features_dir
    from dondoc.night.plans import office_book

    book, _ = office_book(None, rules_dirs, settings_file, strict=True)
    versions = book.versions(rule_id)
    if not versions:
        import difflib

        close = difflib.get_close_matches(rule_id, sorted({r.id for r in book.rules}), n=1)
        raise InputError(None, f"không có quy tắc '{rule_id}'", hint=(f"có phải '{close[0]}'? " if close else "") + "xem các mã: dondoc rules list")
    on = as_of or today()
    folders = [shipped_features_dir(), *(f for f in book.folders[1:] if f.is_dir())]
    scenarios = scenarios_by_rule(feature_files(folders)).get(rule_id, [])
    for rule in versions:
        source = "có sẵn" if rule.folder == SHIPPED else rule.folder
        click.echo(f"# {rule.id} ({source}, {rule.location}) -- ngày {on:%d/%m/%Y}: {rule_status(rule, book.rules, on)}")
        click.echo(rule_text(rule))
    click.echo("# kịch bản: " + ("; ".join(scenarios) if scenarios else "chưa có (viết tệp .feature: docs/specs.md)"))


@rules_group.command("diff")
@click.argument("plan_dirs", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="THƯ_MỤC...")
@click.option("--rules", "new_pack", required=True, type=click.Path(path_type=Path), help="Gói quy tắc mới (thư mục), đặt trên bộ quy tắc đang chạy như check --rules.")
@click.option("--base", "rules_dirs", multiple=True, type=click.Path(path_type=Path), help="Thư mục quy tắc mà cả hai lần chạy cùng dùng (như --rules của check).")
@click.option("--as-of", "as_of", type=DateParam(), help="Ngày kiểm tra (mặc định: hôm nay).")
@click.option("--settings", "settings_file", type=click.Path(path_type=Path), help="Một tệp cài đặt cho mọi kế hoạch, như check --settings.")
@click.option("--workers", type=click.IntRange(1, 256), metavar="SỐ", help="Số tiến trình (mặc định: số lõi CPU).")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
def rules_diff_command(plan_dirs, new_pack, rules_dirs, as_of, settings_file, workers, as_json) -> None:
    """Xem trước một thay đổi quy tắc: mọi kế hoạch với bộ quy tắc đang chạy và với gói mới đặt
    lên trên; theo kế hoạch, đơn vị, nội dung: phát hiện thêm, bớt, đổi mức, đổi quy tắc, và
    công văn nào sẽ khác."""
    from dondoc.night.diff import diff_table, rules_diff

    result = rules_diff(plan_dirs, new_pack, as_of or today(), rules_dirs=tuple(rules_dirs), settings_file=settings_file, workers=workers)
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        for line in diff_table(result):
            click.echo(line)


@rules_group.group("table")
def rules_table_group() -> None:
    """Bảng quyết định: từ tệp .csv sang sổ Excel (.xlsx) và ngược lại (docs/rules.md, mục 3f)."""


@rules_table_group.command("export")
@click.argument("table", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path, dir_okay=False), help="Sổ Excel (.xlsx) để ghi: mỗi bảng một trang.")
def rules_table_export_command(table: Path, out: Path) -> None:
    """Ghi bảng quyết định (.csv, hay .xlsx) thành sổ Excel, mỗi bảng một trang."""
    from dondoc.engine.tables import export_tables

    click.echo(f"Đã ghi {out}: {export_tables(table, out)} bảng.")


@rules_table_group.command("import")
@click.argument("book", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path, file_okay=False), help="Thư mục quy tắc để ghi các bảng (.csv, mỗi trang một tệp).")
def rules_table_import_command(book: Path, out: Path) -> None:
    """Ghi mỗi trang của sổ Excel thành một bảng quyết định .csv trong thư mục --out."""
    from dondoc.engine.tables import import_tables

    for target in import_tables(book, out):
        click.echo(f"Đã ghi {target}")


@rules_group.command("explain")
@click.argument("rule_id")
@click.argument("plan_dir", type=click.Path(path_type=Path))
@click.option("--as-of", "as_of", type=DateParam(), help="Ngày kiểm tra (mặc định: hôm nay).")
@_rules_option
@click.option("--all", "show_all", is_flag=True, help="Toàn bộ cây điều kiện của mọi dữ kiện, kể cả dữ kiện ngoài phạm vi.")
def rules_explain_command(rule_id: str, plan_dir: Path, as_of, rules_dirs: tuple[Path, ...], show_all: bool) -> None:
    """Vì sao quy tắc MÃ có (hay không có) phát hiện trên kế hoạch: dữ kiện trong phạm vi, vế nào quyết định, câu thông báo."""
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
@click.option("--coverage", "show_coverage", is_flag=True, help="Nói thêm vế nào của điều kiện các kịch bản đã làm đúng, đã làm sai.")
@click.pass_context
def rules_test_command(ctx, paths: tuple[Path, ...], rules_dirs: tuple[Path, ...], settings_file: Path | None, show_coverage: bool) -> None:
    """Chạy các kịch bản tiếng Việt (tệp .feature hay thư mục); mặc định: kịch bản có sẵn và kịch
    bản trong các thư mục --rules. Mỗi kịch bản một dòng; mã thoát 1 nếu có kịch bản không đạt."""
    from dondoc.night.spectest import rules_test

    ctx.exit(rules_test(paths, rules_dirs, settings_file, show_coverage, click.echo, lambda line: click.echo(line, err=True)))


_WRITE_HELP = "Ghi thẳng vào trang này (docs/rules.md), giữa hai dòng đánh dấu, thay cho in ra."


def _write_or_echo(text: str, page: Path | None, begin: str, end: str) -> None:
    if page is None:
        click.echo(text, nl=False)
        return
    from dondoc.engine.catalogue import write_block

    kept = write_block(page, begin, end, text)
    click.echo(f"Đã ghi {page}" + (f" (bản trước giữ ở {kept})" if kept else ""))


@rules_group.command("catalogue")
@_rules_option
@click.option("--write", "page", type=click.Path(path_type=Path, dir_okay=False), help=_WRITE_HELP)
def rules_catalogue_command(rules_dirs: tuple[Path, ...], page: Path | None) -> None:
    """In danh mục quy tắc (Markdown) từ doc: và kịch bản của chúng (docs/rules.md, mục 9)."""
    from dondoc.engine.catalogue import BEGIN, END, catalogue_markdown

    from dondoc.night.plans import office_book

    _write_or_echo(catalogue_markdown(office_book(None, rules_dirs, strict=True)[0].rules), page, BEGIN, END)


@rules_group.command("schema")
def rules_schema_command() -> None:
    """In lược đồ JSON Schema của tệp quy tắc (docs/rule.schema.json), cho trình soạn thảo."""
    from dondoc.engine.rulebook import rule_file_schema

    click.echo(json.dumps(rule_file_schema(), ensure_ascii=False, indent=2))


@rules_group.command("fields")
@click.option("--write", "page", type=click.Path(path_type=Path, dir_okay=False), help=_WRITE_HELP)
def rules_fields_command(page: Path | None) -> None:
    """In mọi trường, hàm, loại và nhóm loại chỉ tiêu quy tắc dùng được (bảng ở docs/rules.md, mục 4)."""
    from dondoc.engine.catalogue import FIELDS_BEGIN, FIELDS_END
    from dondoc.facts.kinds import fields_markdown

    _write_or_echo(fields_markdown(), page, FIELDS_BEGIN, FIELDS_END)


if __name__ == "__main__":
    main()
