"""`dondoc doctor`: what this machine has of what dondoc needs, and what to install.

    exam = examine(store="so-dang-ky.sqlite")
    for line in exam.lines(): print(line)
    exam.raise_if_missing()      # NotInstalled (exit 4) when the night lacks something

Each check says what it found, what does not work without it and how to install it (the
apt-get line, the pip extra). The night needs: Python 3.11 or 3.12, durable-rules (built from
source when installed: a C compiler and the Python headers), the ND30 font and Pango for PDF
letters, the store when one is named, a cache folder only this user can write. The rest is
for some commands only (LibreOffice: old .doc files, previews; HarfBuzz's subsetter: faster
PDFs; a C compiler and the headers: installing durable-rules again). The checks read; they
never create or install anything (a store of an earlier dondoc is brought up to date when
opened, as by any command).

A missing Python package met anywhere else is reported the same way by the command line
(errors.py ``missing_package``): its name and how to install it, never a traceback.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import re
import shutil
import stat
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from dondoc import cache
from dondoc.errors import DondocError, InputError, InputErrors, NotInstalled, pinned
from dondoc.facts.settings import settings_for
from dondoc.store.db import store_url
from dondoc.store.schema import HEAD
from dondoc.store.store import Store
from dondoc.templates.fonts import FONT_PACKAGES, ND30_FAMILIES, nd30_fonts
from dondoc.templates.pdf import PANGO_PACKAGES, load_weasyprint

PYTHONS = ((3, 11), (3, 12))  # pyproject.toml's requires-python; CI runs both
# durable-rules builds its C engine when installed: a C compiler and this Python's headers
# (Debian's python3.11-dev for its /usr/bin/python3.11; pyenv's Pythons carry their own).
HEADERS = f"python{sys.version_info[0]}.{sys.version_info[1]}-dev"
COMPILER_PACKAGES = ("gcc", HEADERS)
OFFICE_PACKAGES = ("libreoffice-writer-nogui", "libreoffice-calc-nogui")
SUBSET_PACKAGES = ("libharfbuzz-subset0",)


@dataclass(frozen=True)
class Check:
    """One thing dondoc needs, as found on this machine."""

    name: str
    ok: bool
    found: str  # what is there (or what is wrong)
    needed: bool = True  # the night needs it; else only some commands do
    without: str = ""  # what does not work without it
    apt: tuple[str, ...] = ()
    pip: str = ""
    fix: str = ""  # another way to put it right (a chmod, a setting)

    def install(self) -> str:
        ways = [f"apt-get install {' '.join(self.apt)}"] if self.apt else []
        ways += [f"pip install '{self.pip}'"] if self.pip else []
        ways += [self.fix] if self.fix else []
        return "; ".join(ways)

    def as_json(self) -> dict:
        return {
            "name": self.name, "ok": self.ok, "found": self.found, "needed": self.needed,
            "without": self.without, "install": self.install(),
        }


@dataclass
class Examination:
    checks: list[Check]

    @property
    def missing(self) -> list[Check]:
        """What the night needs and does not have."""
        return [c for c in self.checks if c.needed and not c.ok]

    @property
    def optional(self) -> list[Check]:
        return [c for c in self.checks if not c.needed and not c.ok]

    def lines(self) -> list[str]:
        out = ["dondoc doctor: kiểm tra máy này"]
        for c in self.checks:
            mark = "có" if c.ok else ("THIẾU" if c.needed else "không có")
            out.append(f"  [{mark}] {c.name}: {c.found}")
            if not c.ok:
                if c.without:
                    out.append(f"      không có thì: {c.without}")
                if c.install():
                    out.append(f"      cài: {c.install()}")
        apt = [p for c in self.missing for p in c.apt]
        if self.missing:
            out.append(f"Thiếu {len(self.missing)} thứ lần chạy hằng đêm cần: {', '.join(c.name for c in self.missing)}.")
            if apt:
                out.append(f"  apt-get install {' '.join(dict.fromkeys(apt))}")
        else:
            out.append("Đủ những gì lần chạy hằng đêm cần.")
        extra = [p for c in self.optional for p in c.apt]
        if extra:
            out.append(f"Không bắt buộc, cho vài lệnh: apt-get install {' '.join(dict.fromkeys(extra))}")
        return out

    def raise_if_missing(self) -> None:
        if self.missing:
            raise Missing(self.missing)

    def as_json(self) -> dict:
        return {"ok": not self.missing, "checks": [c.as_json() for c in self.checks]}


class Missing(NotInstalled):
    """What the night lacks on this machine, all of it in one error (exit 4)."""

    def __init__(self, checks: list[Check]) -> None:
        self.checks = checks
        apt = tuple(dict.fromkeys(p for c in checks for p in c.apt))
        pips = list(dict.fromkeys(c.pip for c in checks if c.pip))
        super().__init__(", ".join(c.name for c in checks), "lần chạy hằng đêm", apt=apt, pip=" ".join(pips))

    def __reduce__(self):
        return (type(self), (self.checks,))

    def render(self) -> str:
        text = f"máy này chưa đủ cho lần chạy hằng đêm: {self.what}"
        return text + (f" -- cài: {self.install()}" if self.install() else "") + " (dondoc doctor nói từng thứ)"


def examine(store: str | None = None, settings_file: Path | None = None, where: Path | None = None) -> Examination:
    """Every check, in the order a person installs things."""
    checks = [
        _python(),
        _compiler(),
        _durable(),
        _packages(),
        _fonts(),
        _pango(),
        _subset(),
        _office(),
        _store(store, settings_file, where or Path.cwd()),
        _cache(),
    ]
    return Examination(checks)


# -- the checks ---------------------------------------------------------------------------------


def _python() -> Check:
    version = sys.version_info[:2]
    found = f"Python {sys.version.split()[0]} ({sys.executable})"
    supported = " hoặc ".join(f"{a}.{b}" for a, b in PYTHONS)
    return Check(
        "Python", version in PYTHONS, found + ("" if version in PYTHONS else f": dondoc chạy trên Python {supported}"),
        without="dondoc không được hỗ trợ trên phiên bản này",
        apt=() if version in PYTHONS else ("python3.11", "python3.11-venv"),
    )


def _compiler() -> Check:
    """A C compiler and the Python headers: durable-rules has no wheel, pip builds it."""
    cc = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    headers = Path(sysconfig.get_paths()["include"], "Python.h")
    ok = bool(cc) and headers.is_file()
    found = ", ".join([f"trình biên dịch C {cc}" if cc else "không có trình biên dịch C",
                       f"{headers}" if headers.is_file() else f"không có {headers}"])
    return Check(
        "trình biên dịch C và tệp tiêu đề Python (để cài durable-rules)", ok, found, needed=False,
        without="không cài lại được durable-rules (pip dựng nó từ mã nguồn C); dondoc đã cài vẫn chạy",
        apt=() if ok else tuple(p for p, missing in (("gcc", not cc), (HEADERS, not headers.is_file())) if missing),
    )


def _durable() -> Check:
    try:
        importlib.import_module("durable.engine")
    except ImportError as exc:
        return Check(
            "durable-rules (bộ máy luật)", False, f"không nạp được: {exc}",
            without="không kiểm tra được kế hoạch nào",
            apt=COMPILER_PACKAGES,
            pip=pinned("durable-rules"),
        )
    return Check("durable-rules (bộ máy luật)", True, f"{importlib.metadata.version('durable-rules')}")


def _packages() -> Check:
    """Every Python package dondoc depends on (not its extras), at the version pinned."""
    wrong = []
    requirements = [r for r in importlib.metadata.requires("dondoc") or [] if "extra ==" not in r]
    for requirement in requirements:
        name, _, pinned = requirement.split(";")[0].partition("==")
        name = re.sub(r"\[.*\]", "", name).strip()
        try:
            have = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            wrong.append(f"{name} (chưa cài)")
            continue
        if pinned and have != pinned.strip():
            wrong.append(f"{name} {have} (cần {pinned.strip()})")
    if wrong:
        return Check("các gói Python của dondoc", False, "; ".join(wrong), without="lệnh cần gói đó dừng (trạng thái 4)", pip="dondoc")
    return Check("các gói Python của dondoc", True, f"đủ {len(requirements)} gói, đúng phiên bản")


def _fonts() -> Check:
    name = "phông chữ Nghị định 30 (Times New Roman, hoặc Liberation Serif cùng cỡ chữ)"
    try:
        faces = nd30_fonts()
    except NotInstalled as exc:
        return Check(name, False, exc.what, without="không viết được PDF", apt=exc.apt)
    ok = all(face.nd30 for face in faces)
    found = "; ".join(face.describe() for face in faces)
    stand_in = sorted({f.family for f in faces if f.family and f.family not in ND30_FAMILIES})
    without = (
        f"PDF bị từ chối (trạng thái 4); với --allow-font-fallback thì in bằng {', '.join(stand_in)}"
        if stand_in else "không viết được PDF"
    )
    return Check(name, ok, found, without=without, apt=() if ok else FONT_PACKAGES)


def _pango() -> Check:
    name = "Pango (WeasyPrint dàn chữ cho PDF)"
    try:
        weasyprint = load_weasyprint()
    except NotInstalled as exc:
        return Check(name, False, exc.what, without="không viết được công văn, báo cáo PDF (--format html,docx vẫn được)", apt=PANGO_PACKAGES)
    from weasyprint.text.ffi import pango

    number = pango.pango_version()  # major * 10000 + minor * 100 + micro
    version = f"{number // 10000}.{number // 100 % 100}.{number % 100}"
    return Check(name, True, f"Pango {version}, WeasyPrint {weasyprint.__version__}")


def _subset() -> Check:
    name = "HarfBuzz subset (nhúng phông nhanh)"
    try:
        load_weasyprint()
        from weasyprint.text.ffi import harfbuzz_subset
    except (NotInstalled, ImportError):
        return Check(name, False, "chưa xét được: WeasyPrint không nạp được", needed=False, apt=SUBSET_PACKAGES)
    if harfbuzz_subset is None:
        return Check(name, False, "không có libharfbuzz-subset", needed=False, without="PDF viết chậm hơn", apt=SUBSET_PACKAGES)
    return Check(name, True, "có")


def _office() -> Check:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    return Check(
        "LibreOffice", bool(office), office or "không có soffice", needed=False,
        without="không đọc được tệp Word cũ (.doc) khi nhập kế hoạch; không có make preview",
        apt=() if office else OFFICE_PACKAGES,
    )


def _store(given: str | None, settings_file: Path | None, where: Path) -> Check:
    """The store a night keeps (--store, else the settings' `store:`): reached, and its schema
    one this dondoc reads (store.Store.open, as every command opens it: a store of an earlier
    dondoc is brought up to date then, as its next night would). A SQLite file not made yet
    is made by the first night: its folder must be writable."""
    name = "kho dữ liệu (lịch sử, công văn, sổ đăng ký)"
    try:
        target = given or settings_for(where, settings_file).store
    except (InputError, InputErrors) as exc:
        return Check(name, False, f"không đọc được tệp cài đặt: {exc}", fix="sửa dondoc.yaml")
    if not target:
        return Check(name, True, "không dùng (không có --store, dondoc.yaml không ghi store)")
    url = store_url(target, where)
    if url.startswith("postgres") and importlib.util.find_spec("psycopg") is None:
        return Check(name, False, f"{_redact(url)}: chưa cài trình điều khiển PostgreSQL (psycopg)",
                     without="lần chạy có kho dữ liệu này dừng (trạng thái 2)", pip="dondoc[postgres]")
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if not path.exists():
            parent = _existing_parent(path)
            writable = os.access(parent, os.W_OK)
            return Check(name, writable, f"{path}: chưa có, lần chạy đầu sẽ tạo" + ("" if writable else f"; không ghi được vào {parent}"),
                         fix="" if writable else f"chọn thư mục ghi được, hoặc chmod u+w {parent}")
    try:
        with Store.open(target, base=where, create=False) as store:
            return Check(name, True, f"{_redact(store.name)}: kết nối được, lược đồ {HEAD}")
    except DondocError as exc:
        return Check(name, False, exc.render(), without="lần chạy có kho dữ liệu này dừng (docs/history.md)")


def _cache() -> Check:
    name = "thư mục bộ nhớ đệm"
    folder = cache.folder()
    if folder is None:
        return Check(name, True, f"tắt ({cache.ENV}={cache.OFF}): mỗi lần chạy biên dịch lại quy tắc")
    if not folder.exists():
        parent = _existing_parent(folder)
        ok = os.access(parent, os.W_OK) and not _shared(parent)
        return Check(name, ok, f"{folder}: chưa có, sẽ tạo" + ("" if ok else f"; {parent} không ghi được hoặc người khác ghi được"),
                     without="mỗi lần chạy biên dịch lại quy tắc, chậm hơn", fix="" if ok else f"đặt {cache.ENV}=thư-mục-riêng")
    st = folder.stat()
    problems = []
    if not folder.is_dir():
        problems.append("không phải thư mục")
    elif not os.access(folder, os.W_OK | os.X_OK):
        problems.append("không ghi được")
    if st.st_uid != os.getuid():
        problems.append("thuộc người dùng khác")
    if _shared(folder):
        problems.append(f"nhóm hoặc người khác ghi được (quyền {stat.filemode(st.st_mode)})")
    if problems:
        return Check(name, False, f"{folder}: {', '.join(problems)}", without="mục đệm không được tin, mỗi lần chạy làm lại từ đầu",
                     fix=f"chmod go-w {folder}" if _shared(folder) else f"đặt {cache.ENV}=thư-mục-riêng")
    return Check(name, True, f"{folder}: chỉ người dùng này ghi được")


# -- helpers ------------------------------------------------------------------------------------


def _shared(path: Path) -> bool:
    """Writable by the group or by others (a sticky /tmp is not: no one replaces another's file)."""
    mode = path.stat().st_mode
    return bool(mode & (stat.S_IWGRP | stat.S_IWOTH)) and not mode & stat.S_ISVTX


def _existing_parent(path: Path) -> Path:
    for parent in [path, *path.parents]:
        if parent.exists():
            return parent
    return Path("/")


def _redact(url: str) -> str:
    return re.sub(r"://([^:@/]+):[^@/]*@", r"://\1:***@", url)


__all__ = ["Check", "Examination", "Missing", "examine"]
