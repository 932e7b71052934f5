"""What the machine needs, said when it is missing: `dondoc doctor`, a PDF without the ND30
font or without Pango (exit 4, what to install), a missing Python package (never a traceback).

"A machine without fonts" is fontconfig pointed at an empty configuration (FONTCONFIG_FILE),
as in a bare container; "without Pango" is an empty file named libpango-1.0.so.0 found first
on LD_LIBRARY_PATH, so that WeasyPrint cannot load it, as on a machine without the package.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest

from dondoc.errors import EXIT_OUTPUT, NotInstalled, missing_package
from dondoc.night import doctor

ROOT = Path(__file__).resolve().parent.parent
DONDOC = Path(sys.executable).parent / "dondoc"
PLAN = ROOT / "examples" / "gia-loc-2026"
EMPTY_FONTCONFIG = '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig></fontconfig>\n'


def run(*args, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(DONDOC), *map(str, args)], capture_output=True, text=True, env={**os.environ, **(env or {})},
                          cwd=cwd or ROOT, timeout=600)


@pytest.fixture
def no_fonts(tmp_path) -> dict[str, str]:
    conf = tmp_path / "fonts.conf"
    conf.write_text(EMPTY_FONTCONFIG, encoding="utf-8")
    return {"FONTCONFIG_FILE": str(conf)}


@pytest.fixture
def other_fonts(tmp_path) -> dict[str, str]:
    """Only DejaVu, from matplotlib's own folder (there wherever dondoc is installed)."""
    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    conf = tmp_path / "fonts.conf"
    conf.write_text(EMPTY_FONTCONFIG.replace("<fontconfig>", f"<fontconfig><dir>{fonts}</dir><cachedir>{tmp_path}/fc</cachedir>"
                                             "<alias><family>serif</family><prefer><family>DejaVu Serif</family></prefer></alias>"),
                    encoding="utf-8")
    return {"FONTCONFIG_FILE": str(conf)}


@pytest.fixture
def no_pango(tmp_path) -> dict[str, str]:
    libs = tmp_path / "lib"
    libs.mkdir()
    (libs / "libpango-1.0.so.0").write_bytes(b"")
    return {"LD_LIBRARY_PATH": f"{libs}:{os.environ.get('LD_LIBRARY_PATH', '')}"}


# -- dondoc doctor --------------------------------------------------------------------------------


def test_doctor_on_this_machine_finds_what_the_night_needs(tmp_path):
    result = run("doctor", env={"DONDOC_CACHE": str(tmp_path / "cache")}, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("Python", "durable-rules", "phông chữ Nghị định 30", "Pango", "LibreOffice", "kho dữ liệu", "bộ nhớ đệm"):
        assert name in result.stdout, name
    assert "Liberation Serif" in result.stdout or "Times New Roman" in result.stdout
    assert "Đủ những gì lần chạy hằng đêm cần." in result.stdout


def test_doctor_without_fonts_and_pango_says_what_is_missing_and_what_to_install(tmp_path, no_fonts, no_pango):
    result = run("doctor", env={**no_fonts, **no_pango, "DONDOC_CACHE": str(tmp_path / "cache")}, cwd=tmp_path)
    assert result.returncode == EXIT_OUTPUT, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    fonts = next(i for i, line in enumerate(lines) if "phông chữ Nghị định 30" in line)
    assert lines[fonts].startswith("  [THIẾU]") and "không có phông chữ nào" in lines[fonts]
    assert "apt-get install fonts-liberation2" in lines[fonts + 2]
    pango = next(i for i, line in enumerate(lines) if "Pango" in line)
    assert lines[pango].startswith("  [THIẾU]") and "libpango-1.0-0" in lines[pango]
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in lines[pango + 2]
    assert "apt-get install fonts-liberation2 libpango-1.0-0 libpangoft2-1.0-0" in result.stdout  # one line for all
    assert "thiếu trên máy: máy này chưa đủ cho lần chạy hằng đêm" in result.stderr and "Traceback" not in result.stderr
    assert "WeasyPrint could not import" not in result.stdout  # WeasyPrint's own advice kept out


def test_doctor_json(tmp_path, no_fonts):
    result = run("doctor", "--json", env={**no_fonts, "DONDOC_CACHE": str(tmp_path / "cache")}, cwd=tmp_path)
    assert result.returncode == EXIT_OUTPUT
    data = json.loads(result.stdout)
    assert data["ok"] is False
    fonts = next(c for c in data["checks"] if c["name"].startswith("phông chữ"))
    assert fonts["ok"] is False and fonts["needed"] and fonts["install"] == "apt-get install fonts-liberation2"


@pytest.mark.parametrize(("mode", "ok"), [(0o700, True), (0o755, True), (0o775, False), (0o757, False)])
def test_the_cache_folder_only_its_user_may_write(tmp_path, monkeypatch, mode, ok):
    folder = tmp_path / "cache"
    folder.mkdir()
    folder.chmod(mode)
    monkeypatch.setenv("DONDOC_CACHE", str(folder))
    check = doctor._cache()
    assert check.ok is ok
    if not ok:
        assert "chmod go-w" in check.install() and "ghi được" in check.found


def test_the_cache_turned_off_is_no_fault(monkeypatch):
    monkeypatch.setenv("DONDOC_CACHE", "off")
    assert doctor._cache().ok


def test_a_postgresql_store_without_its_driver_names_the_extra(tmp_path, monkeypatch):
    real = doctor.importlib.util.find_spec
    monkeypatch.setattr(doctor.importlib.util, "find_spec", lambda name, *a: None if name == "psycopg" else real(name, *a))
    check = doctor._store("postgresql+psycopg://dondoc:bimat@db.tinh/dondoc", None, tmp_path)
    assert not check.ok and check.needed
    assert check.install() == "pip install 'dondoc[postgres]'"
    assert "bimat" not in check.found and "dondoc:***@db.tinh" in check.found


def test_a_store_file_is_checked_where_the_night_would_make_it(tmp_path):
    check = doctor._store(str(tmp_path / "so.sqlite"), None, tmp_path)
    assert check.ok and "sẽ tạo" in check.found  # made on the first night
    from dondoc.store.store import Store

    Store.open(tmp_path / "so.sqlite").close()
    check = doctor._store("so.sqlite", None, tmp_path)  # relative to the folder checked
    assert check.ok and "kết nối được, lược đồ" in check.found
    (tmp_path / "khac.sqlite").write_bytes(b"khong phai sqlite")
    check = doctor._store("khac.sqlite", None, tmp_path)
    assert not check.ok and check.needed and "không phải kho dữ liệu của dondoc" in check.found
    (tmp_path / "dondoc.yaml").write_text("store: kho-du-lieu.sqlite\n", encoding="utf-8")
    assert "kho-du-lieu.sqlite" in doctor._store(None, None, tmp_path).found  # the settings' store
    assert not doctor._store("mysql://may-chu/dondoc", None, tmp_path).ok


def test_the_packages_the_doctor_names_are_the_ones_the_makefile_installs():
    """One list to install (Makefile SYSTEM_PACKAGES, "a/b" either): what the doctor tells a
    person to install is in it, so `make demo` on a fresh machine installs it."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    block = re.search(r"^SYSTEM_PACKAGES := (.*?)(?<!\\)\n", makefile, re.M | re.S)[1]
    listed = {name for item in block.replace("\\\n", " ").split() for name in item.split("/")}
    from dondoc.templates.fonts import FONT_PACKAGES
    from dondoc.templates.pdf import PANGO_PACKAGES

    named = {*FONT_PACKAGES, *PANGO_PACKAGES, *doctor.OFFICE_PACKAGES, *doctor.SUBSET_PACKAGES, "gcc"}
    assert named <= listed, named - listed
    # The headers are those of the Python that makes the venv: `make system` installs
    # python3.X-dev when that Python has none (doctor.HEADERS names the same package).
    assert "$(notdir $(PYTHON))-dev" in makefile and doctor.HEADERS == f"python{sys.version_info[0]}.{sys.version_info[1]}-dev"


# -- a PDF without the ND30 font, without Pango -----------------------------------------------------


def test_a_night_without_the_nd30_font_is_refused_and_writes_nothing(tmp_path, other_fonts):
    out = tmp_path / "out"
    result = run("check", PLAN, "--as-of", "2026-11-22", "--out", out, "--no-summary", env=other_fonts)
    assert result.returncode == EXIT_OUTPUT, result.stderr
    assert "Times New Roman" in result.stderr and "apt-get install fonts-liberation2" in result.stderr
    assert "PDF sẽ in bằng DejaVu Serif" in result.stderr and "--allow-font-fallback" in result.stderr
    assert not out.exists()


def test_the_fallback_allowed_writes_the_pdfs_in_the_other_font_and_says_so(tmp_path, other_fonts):
    from pypdf import PdfReader

    out = tmp_path / "out"
    result = run("check", PLAN, "--as-of", "2026-11-22", "--out", out, "--no-summary", "--allow-font-fallback", env=other_fonts)
    assert result.returncode == 0, result.stderr
    assert "cảnh báo: PDF in bằng DejaVu Serif" in result.stderr
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["pdf_font"] == "DejaVu Serif"
    pdf = next((out / "notices").rglob("*.pdf"))
    fonts = {str(f["/BaseFont"]) for page in PdfReader(pdf).pages for f in page["/Resources"]["/Font"].values()}
    assert fonts and all(f.split("+")[1].startswith("DejaVu-Serif") for f in fonts), fonts


def test_with_the_nd30_font_run_json_names_it(tmp_path):
    out = tmp_path / "out"
    result = run("check", PLAN, "--as-of", "2026-11-22", "--out", out, "--no-summary")
    assert result.returncode == 0, result.stderr
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["pdf_font"] in ("Times New Roman", "Liberation Serif")
    assert "cảnh báo: PDF" not in result.stderr


def test_no_font_at_all_is_refused_even_with_the_fallback(tmp_path, no_fonts):
    """WeasyPrint with no font at all crashes (a segmentation fault in Pango): refused first."""
    result = run("check", PLAN, "--as-of", "2026-11-22", "--out", tmp_path / "out", "--allow-font-fallback", env=no_fonts)
    assert result.returncode == EXIT_OUTPUT and "không có phông chữ nào" in result.stderr


def test_without_pango_the_pdf_step_names_pango_and_the_packages(tmp_path, no_pango):
    result = run("check", PLAN, "--as-of", "2026-11-22", "--out", tmp_path / "out", "--json", env=no_pango)
    assert result.returncode == EXIT_OUTPUT, result.stderr
    assert "Pango" in result.stderr and "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in result.stderr
    assert "lỗi ghi đĩa" not in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""  # nothing on stdout, not WeasyPrint's advice either
    # Without PDF, the night needs no Pango.
    html = run("check", PLAN, "--as-of", "2026-11-22", "--out", tmp_path / "html", "--format", "html,docx", env=no_pango)
    assert html.returncode == 0, html.stderr


# -- a missing Python package -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "install"),
    [
        ("openpyxl", "pip install 'openpyxl==3.1.5'"),
        ("matplotlib", "pip install 'matplotlib==3.11.2'"),
        ("weasyprint", "pip install 'weasyprint==70.0'"),
        ("psycopg", "pip install 'dondoc[postgres]'"),
        ("rules", f"apt-get install gcc python{sys.version_info[0]}.{sys.version_info[1]}-dev; pip install 'durable-rules==2.0.28'"),
        ("docx", "pip install 'python-docx==1.2.0'"),
    ],
)
def test_a_missing_package_is_named_with_its_pip_line(module, install):
    error = missing_package(ModuleNotFoundError(f"No module named '{module}'", name=module))
    assert isinstance(error, NotInstalled) and error.exit_code == EXIT_OUTPUT
    assert error.install() == install


def test_a_module_that_is_not_a_dependency_stays_dondocs_own_fault():
    assert missing_package(ModuleNotFoundError("No module named 'khong_co'", name="khong_co")) is None
    assert missing_package(ModuleNotFoundError("No module named 'dondoc.khong'", name="dondoc.khong")) is None


@pytest.mark.parametrize(("package", "command"), [
    ("openpyxl", ["intake", "template", PLAN, "--out", "{tmp}/so"]),
    ("matplotlib", ["check", PLAN, "--as-of", "2026-11-22", "--out", "{tmp}/out", "--format", "html"]),
])
def test_a_command_missing_a_package_exits_4_with_its_cause_never_a_traceback(tmp_path, package, command):
    """The package made unimportable (as when it is not installed): the command names it."""
    blocker = tmp_path / "chan"
    blocker.mkdir()
    (blocker / f"{package}.py").write_text(f"raise ModuleNotFoundError(\"No module named '{package}'\", name={package!r})\n", encoding="utf-8")
    result = run(*[str(a).replace("{tmp}", str(tmp_path)) for a in command], env={"PYTHONPATH": str(blocker)})
    assert result.returncode == EXIT_OUTPUT, result.stderr
    assert f"gói Python {package}" in result.stderr and "pip install" in result.stderr
    assert "Traceback" not in result.stderr and "lỗi nội bộ" not in result.stderr
