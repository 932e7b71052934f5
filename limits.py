"""The bounds on what dondoc reads and renders: one table, each bound a setting with a default.

A hostile or broken input (a workbook with one cell at row 1,048,576, a zip bomb, a PDF of
2,000 empty pages, a template that loops for ever) must end in a message, not in a night that
runs out of memory. Every reader and renderer checks its bound *before* the work grows past
it, and an input past it is refused with ``BoundError`` (exit 2), naming the file, the bound
and the setting that raises it.

The bounds protect the machine and the night, so they belong to whoever runs the machine,
not to the files being bounded: each is set by an environment variable
(``DONDOC_LIMIT_PDF_PAGES=2000`` in the crontab line or the service unit), never by a plan
folder or a commune's dondoc.yaml (a commune could otherwise lift the bound on its own
templates). docs/reliability.md lists them.

This module is at the bottom of the house: it imports nothing of dondoc but errors.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dondoc.errors import BoundError, InputError

ENV_PREFIX = "DONDOC_LIMIT_"


@dataclass(frozen=True)
class Limit:
    name: str
    default: int
    unit: str  # what it counts, in Vietnamese ("trang", "byte")
    meaning: str  # what is bounded, in Vietnamese
    english: str  # the same, for docs/reliability.md's English summary

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()


_MB = 1 << 20

LIMITS: dict[str, Limit] = {
    limit.name: limit
    for limit in (
        Limit("document_bytes", 100 * _MB, "byte", "dung lượng tệp văn bản kế hoạch (dondoc import)",
              "size of a plan document given to `dondoc import`"),
        Limit("docx_bytes", 100 * _MB, "byte", "dung lượng giải nén của tệp Word (.docx, .doc đã chuyển)",
              "uncompressed size of a .docx (or a converted .doc)"),
        Limit("docx_paragraphs", 10_000, "đoạn", "số đoạn văn và dòng bảng của tệp Word",
              "paragraphs (table cells' included) of a Word document"),
        Limit("pdf_pages", 500, "trang", "số trang của tệp PDF", "pages of a PDF"),
        Limit("doc_seconds", 120, "giây", "thời gian LibreOffice chuyển một tệp .doc",
              "seconds LibreOffice may take to convert one .doc"),
        Limit("xlsx_bytes", 20 * _MB, "byte", "dung lượng giải nén của sổ Excel (.xlsx)",
              "uncompressed size of an .xlsx workbook"),
        Limit("xlsx_rows", 20_000, "dòng", "số dòng của một sheet Excel", "rows of one sheet"),
        Limit("xlsx_columns", 50, "cột", "số cột của một sheet Excel", "columns of one sheet"),
        Limit("template_steps", 1_000_000, "bước", "số bước lặp, lời gọi của một lần in mẫu công văn hay câu thông báo",
              "loop iterations and calls in one render of a commune template or a rule message"),
        Limit("template_output", 5_000_000, "ký tự", "độ dài kết quả (và mỗi chuỗi) của một lần in mẫu",
              "characters one render (and any string inside it) may produce"),
        Limit("template_seconds", 10, "giây", "thời gian một lần in mẫu công văn hay câu thông báo",
              "seconds one render of a commune template or rule message may take"),
        Limit("folder_entries", 5_000, "mục", "số tệp, thư mục đi qua trong một thư mục quy tắc hay kịch bản",
              "files and folders walked in one folder of rules or specs"),
        Limit("plan_lock_seconds", 300, "giây", "thời gian chờ một lệnh khác đang ghi cùng thư mục kế hoạch",
              "seconds a writer of a plan folder waits for another one"),
    )
}


def limit(name: str) -> int:
    """The bound in force: its environment variable if set, else its default."""
    spec = LIMITS[name]
    given = os.environ.get(spec.env)
    if given is None or not given.strip():
        return spec.default
    try:
        value = int(given.strip().replace("_", ""))
    except ValueError:
        value = 0
    if value < 1:
        raise InputError(
            spec.env,
            f"giới hạn '{given}' không phải một số nguyên dương",
            hint=f"ghi một số, ví dụ {spec.env}={spec.default} (mặc định), hoặc bỏ biến này",
        )
    return value


def exceeded(name: str, path: str | Path | None, found: str, **where) -> BoundError:
    """The error for an input past a bound: the file, what was found, the bound, how to raise it."""
    spec = LIMITS[name]
    return BoundError(
        path,
        f"{found}: vượt giới hạn {number(limit(name))} {spec.unit} ({spec.meaning})",
        hint=f"kiểm tra tệp; nếu đúng là cần, nâng giới hạn bằng biến môi trường {spec.env}=SỐ"
        f" (mặc định {number(spec.default)})",
        **where,
    )


def number(value: int) -> str:
    """12.345: thousands grouped with dots, as Vietnamese write them."""
    return f"{value:,}".replace(",", ".")


def check(name: str, value: int, path: str | Path | None, what: str, **where) -> None:
    """Refuse ``value`` (a count or size of ``what``) past the bound ``name``; at the bound is fine."""
    if value > limit(name):
        raise exceeded(name, path, f"{what} {number(value)}", **where)


def files_under(folder: str | Path, suffixes: tuple[str, ...]) -> list[Path]:
    """The files under ``folder`` (at any depth) whose names end with one of ``suffixes``,
    sorted; walked within the bound folder_entries, so that `--rules /` (or a home folder)
    is refused at once instead of walking the whole disk."""
    folder = Path(folder)
    if os.path.realpath(folder) == os.path.abspath(folder.anchor or "/"):
        raise InputError(folder, "đây là thư mục gốc của ổ đĩa, không phải một thư mục quy tắc",
                         hint="đưa đường dẫn tới thư mục chứa các tệp quy tắc (.yaml) hay kịch bản (.feature)")
    found, seen, bound = [], 0, limit("folder_entries")
    for root, dirs, names in os.walk(folder):
        # Python's bytecode beside a packaged rules folder (rules/__init__.py) holds no rule and
        # comes and goes with how Python was run: neither walked nor counted.
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        seen += len(dirs) + len(names)
        if seen > bound:
            raise exceeded("folder_entries", folder, f"hơn {number(bound)} tệp và thư mục bên trong")
        found += [Path(root, name) for name in names if name.endswith(suffixes)]
    return sorted(p for p in found if p.is_file())
