"""A commune's settings file (dondoc.yaml): read, checked with Vietnamese errors naming the line,
found beside the plan or above it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dondoc.errors import InputError, InputErrors
from dondoc.facts.settings import DEFAULTS, SETTINGS_FILE, Settings, find_settings, read_settings, settings_for


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


FULL = """\
# Cài đặt công văn của UBND xã Gia Phúc
superior: UBND thành phố Hải Phòng
symbol: UBND-VHXH
archive: VHXH
signer:
  authority: |
    TM. ỦY BAN NHÂN DÂN
    KT. CHỦ TỊCH
  title: PHÓ CHỦ TỊCH
  name: Nguyễn Văn A
copies: [Thường trực Đảng ủy, "Chủ tịch, các PCT UBND xã"]
monitor: Văn phòng HĐND và UBND xã
reply_days: 7
days_off: ngay-nghi.csv
groups:
  Các phòng chuyên môn: [Phòng Kinh tế, Phòng Văn hóa - Xã hội]
drafts: withhold
templates: mau
numbering: false
register: so-dang-ky.sqlite
rules: [quy-tac-rieng]
"""


def test_every_key_is_read_and_relative_paths_mean_beside_the_file(tmp_path):
    write(tmp_path / "ngay-nghi.csv", "date,kind,note\n2026-11-25,nghỉ,Hội nghị\n")
    s = read_settings(write(tmp_path / SETTINGS_FILE, FULL))
    assert s.symbol == "UBND-VHXH" and s.drafter == "VHXH" and s.reply_days == 7
    assert s.signer.name == "Nguyễn Văn A" and s.signer.authority.splitlines() == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]
    assert s.copies == ["Thường trực Đảng ủy", "Chủ tịch, các PCT UBND xã"]
    assert s.days_off == tmp_path / "ngay-nghi.csv" and s.templates == tmp_path / "mau"
    assert s.register_url == str(tmp_path / "so-dang-ky.sqlite") and s.rules == [tmp_path / "quy-tac-rieng"]
    assert s.numbering is False and s.drafts == "withhold"
    assert not s.calendar().is_working_day(dt.date(2026, 11, 25))


def test_a_database_url_stays_as_written(tmp_path):
    s = read_settings(write(tmp_path / SETTINGS_FILE, "register: postgresql://van-thu@localhost/so\n"))
    assert s.register_url == "postgresql://van-thu@localhost/so"


def test_an_empty_file_gives_the_defaults(tmp_path):
    s = read_settings(write(tmp_path / SETTINGS_FILE, "# chưa có gì\n"))
    assert (s.symbol, s.reply_days, s.numbering, s.drafts, s.drafter) == ("UBND-VP", 5, False, "mark", "VP")


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("symbol: UBND-VP\nreply_day: 5\n", 2, "không có mục 'reply_day' trong tệp cài đặt"),
        ("reply_days: năm\n", 1, "reply_days: phải là một số nguyên"),
        ("reply_days: 0\n", 1, "reply_days: nhỏ hơn mức cho phép"),
        ("numbering: có lẽ\n", 1, "numbering: ghi true (có) hoặc false (không)"),
        ("symbol: UBND-VP\nnumbering: true\n", 2, "numbering: đêm kiểm tra không còn cấp số công văn: số do văn thư cấp khi ký"),
        ("drafts: an\n", 1, "drafts: chỉ nhận 'mark' (ghi DỰ THẢO) hoặc 'withhold'"),
        ("symbol: 12/UBND-VP\n", 1, "symbol: ký hiệu viết liền, không có '/'"),
        ("signer:\n  name: A\n  chuc_vu: B\n", 3, "không có mục 'chuc_vu'"),
        ("groups:\n  Các phòng chuyên môn: []\n", 2, "ghi ít nhất một đơn vị nhận"),
    ],
)
def test_errors_name_the_line_in_vietnamese(tmp_path, text, line, words):
    path = write(tmp_path / SETTINGS_FILE, text)
    with pytest.raises(InputErrors) as exc:
        read_settings(path)
    (error,) = exc.value.errors
    assert error.path == str(path) and error.line == line
    assert words in error.message


def test_a_bad_days_off_file_is_named_from_the_settings_line(tmp_path):
    write(tmp_path / "ngay-nghi.csv", "date,kind\n31/02/2026,nghỉ\n")
    path = write(tmp_path / SETTINGS_FILE, "symbol: UBND-VP\ndays_off: ngay-nghi.csv\n")
    with pytest.raises(InputError) as exc:
        read_settings(path)
    assert exc.value.line == 2 and "ngay-nghi.csv:2" in exc.value.message


def test_not_a_mapping_is_an_error_at_line_1(tmp_path):
    with pytest.raises(InputError) as exc:
        read_settings(write(tmp_path / SETTINGS_FILE, "- symbol\n"))
    assert exc.value.line == 1


def test_the_nearest_settings_file_above_a_plan_applies(tmp_path):
    commune = write(tmp_path / "xa-gia-phuc" / SETTINGS_FILE, "symbol: UBND-VHXH\n")
    plan = tmp_path / "xa-gia-phuc" / "2025" / "ke-hoach-692"
    plan.mkdir(parents=True)
    assert find_settings(plan) == commune
    assert settings_for(plan).symbol == "UBND-VHXH"
    own = write(plan / SETTINGS_FILE, "symbol: UBND-VP\n")
    assert find_settings(plan) == own and settings_for(plan).symbol == "UBND-VP"


def test_a_given_file_overrides_and_none_anywhere_gives_the_defaults(tmp_path):
    plan = tmp_path / "a" / "b"
    plan.mkdir(parents=True)
    other = write(tmp_path / "chung.yaml", "symbol: UBND-KT\n")
    assert settings_for(plan, other).symbol == "UBND-KT"
    if find_settings(plan) is None:  # no dondoc.yaml above the test folder
        assert settings_for(plan) is DEFAULTS


def test_a_given_file_that_does_not_exist_is_an_error(tmp_path):
    with pytest.raises(InputError, match="không có tệp cài đặt"):
        settings_for(tmp_path, tmp_path / "khong-co.yaml")


def test_group_names_match_whatever_their_spelling():
    s = Settings(groups={"Các phòng chuyên môn": ["Phòng Kinh tế"]})
    assert s.group_units("các phòng chuyên môn") == ["Phòng Kinh tế"]
    assert s.group_units("Các cơ quan, đơn vị liên quan") is None


def test_the_example_settings_files_are_valid():
    examples = Path(__file__).resolve().parent.parent / "examples"
    files = sorted(examples.glob(f"*/{SETTINGS_FILE}"))
    assert len(files) == 4
    for path in files:
        read_settings(path)


@pytest.mark.parametrize("broken", ["dangling link", "folder", "fifo"])
def test_a_settings_file_that_is_there_but_unreadable_stops_the_run(tmp_path, broken):
    """A dondoc.yaml found but unreadable (a shared drive offline, a folder or a FIFO in its
    place) is bad input, exit 2 naming it: the run never falls back to the defaults (which
    would drop the office's rules, severities and --fail-on status without a word)."""
    import os
    import shutil

    from click.testing import CliRunner

    from dondoc.cli import main

    plan = tmp_path / "xa" / "plan"
    shutil.copytree(Path(__file__).parent / "fixtures" / "tiny", plan)
    (plan / SETTINGS_FILE).unlink(missing_ok=True)
    target = tmp_path / "xa" / SETTINGS_FILE  # the commune's file, above its plan
    if broken == "dangling link":
        target.symlink_to(tmp_path / "o-dia-mang" / SETTINGS_FILE)
    elif broken == "folder":
        target.mkdir()
    else:
        os.mkfifo(target)
    assert find_settings(plan) == target
    with pytest.raises(InputError) as caught:
        settings_for(plan)
    assert caught.value.path == str(target)
    result = CliRunner().invoke(main, ["check", str(plan), "--as-of", "2026-11-22"])
    assert result.exit_code == 2, result.output
    assert str(target) in result.output and "Traceback" not in result.output
