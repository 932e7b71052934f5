"""Rule files: the shipped ones load; a bad one is named at its file, line and column, in
Vietnamese, with the fix; what loads will run (issue 9: each slip the policy officer met)."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest

from dondoc.engine.rulebook import DEFAULT_RULES_DIR, in_force, load_book, load_rules, render_message
from dondoc.night import evaluate as check
from dondoc.errors import InputError, InputErrors
from dondoc.facts.planfolder import read_plan_folder
from dondoc.facts.kinds import FUNCTIONS

TINY = Path(__file__).parent / "fixtures" / "tiny"
SHIPPED = {
    "nhiem-vu-qua-han",
    "nhiem-vu-sap-den-han",
    "bao-cao-dinh-ky-qua-han",
    "nhiem-vu-chua-co-thoi-han",
    "nhiem-vu-thuong-xuyen-chua-bao-cao",
    "nhiem-vu-cham-tien-do",
    "chi-tieu-toi-thieu",
    "chi-tieu-toi-da",
    "chi-tieu-bang",
    "chi-tieu-nguy-co-khong-dat",
    "giam-thoi-gian",
    "giam-chi-phi",
    "giam-thanh-phan-ho-so",
    "chi-tieu-cat-giam-chua-co-so-lieu",
}


def test_the_shipped_rules_load():
    rules = load_rules(DEFAULT_RULES_DIR)
    assert SHIPPED <= {r.id for r in rules}  # and any rule added to rules/ beside them
    overdue = next(r for r in rules if r.id == "nhiem-vu-qua-han")
    assert overdue.reads == ("due", "status", "days_overdue", "times_notified", "reply_lapsed")  # the ladder reads the store
    assert overdue.checked_missing == ("days_overdue",)


def test_the_shipped_rules_are_package_data():
    import importlib.resources

    assert DEFAULT_RULES_DIR == Path(str(importlib.resources.files("dondoc.rules")))
    assert (DEFAULT_RULES_DIR / "nhiem-vu.yaml").is_file()


def _write(tmp_path: Path, body: str, name: str = "r.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return tmp_path


GOOD = """
rules:
  - id: thu
    title: Thử
    fact: {fact}
    condition: {condition}
    severity: {severity}
    message: "{message}"
"""


def _errors_of(tmp_path) -> list[InputError]:
    with pytest.raises((InputErrors, InputError)) as caught:
        load_rules(tmp_path)
    exc = caught.value
    return exc.errors if isinstance(exc, InputErrors) else [exc]


def _errors(tmp_path, condition="days_overdue > 0", message="{{ title }}", fact="task", severity="cảnh báo"):
    _write(tmp_path, GOOD.format(condition=condition, message=message, fact=fact, severity=severity))
    return _errors_of(tmp_path)


ENGLISH = re.compile(r"\b(expected|unexpected|field|cannot|must|found|mapping|invalid|should|input)\b", re.I)


@pytest.mark.parametrize(
    "condition, column, words",
    [
        ("days_overdu > 0", 16, "không có trường 'days_overdu'"),
        ("days_overdue > ", 30, "kết thúc khi chưa đủ"),
        ("status = 'x'", 23, "không đọc được ký tự '='"),
        ("due > 5", 20, "không so sánh được ngày với số"),
        ('status < "a"', 23, "chữ chỉ so sánh bằng == hoặc !="),
        ("status is missing", 16, "luôn có giá trị"),
        ("days_overdue", 16, "không phải một phép thử"),
        ('status == "đang thực hiên"', 26, "không phải một giá trị của 'status'"),
        ("actual < 95%", 27, "không đọc được ký tự '%'"),
    ],
)
def test_a_bad_condition_is_named_at_its_line_and_column_in_vietnamese(tmp_path, condition, column, words):
    fact = "target" if "actual" in condition else "task"
    (error,) = _errors(tmp_path, condition=condition, fact=fact)
    assert error.path.endswith("r.yaml")
    assert (error.line, error.column) == (5, column)
    assert words in error.message
    assert not ENGLISH.search(error.render()), error.render()


def test_an_unknown_field_suggests_the_right_one(tmp_path):
    (error,) = _errors(tmp_path, condition="days_overdu > 0")
    assert "có phải 'days_overdue'?" in error.hint


@pytest.mark.parametrize(
    "condition, catalogue",
    [("tình_trạng != \"hoàn thành\"", "status"), ("số_ngày_quá_hạn > 0", "days_overdue"), ("hạn < as_of", "due")],
)
def test_a_field_name_in_vietnamese_points_to_its_catalogue_name(tmp_path, condition, catalogue):
    (error,) = _errors(tmp_path, condition=condition)
    assert error.column == 16
    assert f"là '{catalogue}'" in error.hint


def test_a_misspelt_status_value_gets_a_did_you_mean(tmp_path):
    (error,) = _errors(tmp_path, condition='status == "đang thực hiên"')
    assert error.hint.startswith('có phải "đang thực hiện"?')
    assert '"chưa báo cáo"' in error.hint  # and the whole list


def test_a_category_is_checked_against_the_documented_list(tmp_path):
    (error,) = _errors(tmp_path, condition='category == "hai-long"', fact="target")
    assert "không phải một giá trị của 'category'" in error.message and '"hai-long-tthc"' in error.hint


def test_a_percent_sign_says_write_the_number(tmp_path):
    (error,) = _errors(tmp_path, condition="actual < 95%", fact="target")
    assert error.hint.startswith("viết 95, không có %")


MULTILINE = """
rules:
  - id: thu
    title: Thử
    fact: target
    condition: >-
      comparison == ">="
      and actual < 95%
    severity: cảnh báo
    message: x
"""


def test_a_slip_inside_a_multi_line_condition_is_shown_where_it_is(tmp_path):
    _write(tmp_path, MULTILINE)
    (error,) = _errors_of(tmp_path)
    assert (error.line, error.column) == (7, 22)  # the '%' itself, not the 'condition: >-' line
    assert "viết 95, không có %" in error.hint


def test_a_slip_in_a_literal_block_and_in_a_quoted_value_is_shown_where_it_is(tmp_path):
    _write(tmp_path, MULTILINE.replace(">-", "|"))
    assert (_errors_of(tmp_path)[0].line, _errors_of(tmp_path)[0].column) == (7, 22)
    _write(tmp_path, GOOD.format(condition='"title != \\"x\\" and days_overdu > 0"', message="x", fact="task", severity="cảnh báo"))
    (error,) = _errors_of(tmp_path)
    assert (error.line, error.column) == (5, 36)


def test_dates_are_written_as_in_vietnam_in_conditions_and_valid_from(tmp_path):
    _write(
        tmp_path,
        GOOD.format(condition="due >= 01/07/2026 and days_overdue > 0", message="x", fact="task", severity="cảnh báo")
        + "    valid_from: 01/07/2026\n",
    )
    (rule,) = load_rules(tmp_path)
    assert rule.valid_from == dt.date(2026, 7, 1)
    assert "01/07/2026" in str(rule.condition)  or rule.condition.items[0].right.value == dt.date(2026, 7, 1)


@pytest.mark.parametrize("written", ["31/02/2026", "2026-02-30", "1/7"])
def test_a_date_that_is_no_date_says_how_to_write_one(tmp_path, written):
    _write(tmp_path, GOOD.format(condition="days_overdue > 0", message="x", fact="task", severity="cảnh báo") + f"    valid_from: {written}\n")
    (error,) = _errors_of(tmp_path)
    assert error.line == 8 and "không phải một ngày" in error.message and "01/07/2026" in error.hint


def test_an_unknown_severity_lists_the_severities(tmp_path):
    (error,) = _errors(tmp_path, severity="cao")
    assert error.message == "mức độ 'cao' không có" and error.line == 6
    assert "info, nhắc nhở, cảnh báo, nghiêm trọng" in error.hint


def test_an_unknown_key_in_a_rule_is_named_with_the_key_meant(tmp_path):
    _write(tmp_path, GOOD.format(condition="days_overdue > 0", message="x", fact="task", severity="cảnh báo") + "    severty: cao\n")
    (error,) = _errors_of(tmp_path)
    assert error.message == "khóa 'severty' không có trong một quy tắc" and error.line == 8
    assert error.hint.startswith("có phải 'severity'?")


@pytest.mark.parametrize(
    "body, line, words",
    [
        ("rules:\n  - id: a\n    title: x\n   fact: task\n", 4, "thụt lề không khớp"),
        ("rules:\n  - id: a\n    title: x\n     fact: task\n", 4, "thụt vào sâu hơn"),
        ("rules:\n  - id: a\n  title: x\n", 3, "thụt lề không khớp"),
        ("rules:\n  - id: a\n\ttitle: x\n", 3, "Tab"),
        ("rules:\n  - id: a\n    message: Nhiệm vụ: quá hạn\n", 3, "dấu ':'"),
        ("rules:\n  - id: a\n    title x\n    fact: task\n", 3, "thiếu dấu ':'"),
        ("rules:\n  - id: a\n    title: \"abc\n    fact: task\n", 3, "ngoặc kép"),
        ("rules:\n  - id: a\n    message: {{ title }} quá hạn\n", 3, "'{{'"),
        ("- id: a\n  title: x\n", 1, "danh sách 'rules:'"),
    ],
)
def test_yaml_slips_are_explained_plainly(tmp_path, body, line, words):
    (tmp_path / "r.yaml").write_text(body, encoding="utf-8")
    (error,) = _errors_of(tmp_path)
    assert error.line == line and words in error.message, error.render()
    assert not ENGLISH.search(error.render()), error.render()


def test_an_indentation_slip_says_how_rules_are_indented(tmp_path):
    (tmp_path / "r.yaml").write_text("rules:\n  - id: a\n    title: x\n   fact: task\n", encoding="utf-8")
    (error,) = _errors_of(tmp_path)
    assert "thẳng cột" in error.hint and "4 dấu cách" in error.hint


def test_a_message_naming_an_unknown_field_is_an_error_at_the_name(tmp_path):
    (error,) = _errors(tmp_path, message="Quá {{ số_ngày_quá_hạn }} ngày")
    assert "'số_ngày_quá_hạn'" in error.message and (error.line, error.column) == (7, 22)
    assert "'days_overdue'" in error.hint


def test_a_yaml_syntax_error_names_the_line(tmp_path):
    _write(tmp_path, "rules:\n  - id: a\n    title: [unclosed\n")
    (error,) = _errors_of(tmp_path)
    assert "'['" in error.message and error.line == 3


# -- what loads will run ----------------------------------------------------------------------


def test_not_contains_is_refused_when_the_rule_is_read(tmp_path):
    (error,) = _errors(tmp_path, condition='not (text contains "hài lòng")', fact="target")
    assert "không viết 'not' trước 'contains'" in error.message and error.column == 21
    assert 'category == "hai-long-tthc"' in error.hint


def test_not_contains_inside_an_or_is_refused_when_the_rule_is_read(tmp_path):
    (error,) = _errors(tmp_path, condition='not (actual > 5 or text contains "hài lòng")', fact="target")
    assert "không viết 'not' trước 'contains'" in error.message and error.column == 35  # at the contains
    assert 'category == "hai-long-tthc"' in error.hint


def test_not_contains_is_compiled_by_the_compiler_as_the_words_lacking():
    """typecheck refuses it (the language's choice); the compiler, asked directly, must not compile
    it as 'contains': it tests the value it computes (whether the text has the words: 1 or 0) for not 1."""
    from dondoc.engine.compile import Compiler, term_key
    from dondoc.engine.expression import Contains, Field, Not

    has = Contains(Field("text"), "hài lòng", 9)
    compiled = Compiler("target", dt.date(2026, 11, 20)).condition(Not(has, 0))
    assert compiled == {"$neq": {term_key(has): 1}}  # present (the text is always there) and not 1


def test_a_product_on_both_sides_is_refused_with_the_rewrite(tmp_path):
    (error,) = _errors(tmp_path, condition="actual * 2 > value * 3", fact="target")
    assert error.column == 27  # the comparison
    assert "viết 'actual > value * 3 / 2'" in error.hint


@pytest.mark.parametrize(
    "condition, column, hint",
    [
        ("actual / 4 <= 3 - weight", 27, "chia (hoặc nhân) cả hai vế cho 4: viết 'actual <= (3 - weight) * 4'"),
        ("3 >= 2 * actual", 18, "chia (hoặc nhân) cả hai vế cho 2: viết 'actual <= 3 / 2'"),
        ("not (0 - actual < 5)", 32, "ví dụ viết 'actual < value - 5' thay cho '5 > value - actual'"),
        ("0 - actual < 5", 27, "ví dụ viết 'actual < value - 5' thay cho '5 > value - actual'"),
        ("actual * 0.5 < 40 - weight", 29, "chia (hoặc nhân) cả hai vế cho 0.5: viết 'actual < (40 - weight) / 0.5'"),
        ("actual * 0 > 5", 27, "ví dụ viết 'actual < value - 5' thay cho '5 > value - actual'"),  # never 'chia cho 0'
        ("actual * weight > 5", 32, "ví dụ viết 'actual < value - 5' thay cho '5 > value - actual'"),
        ("100 / actual > 5", 29, "ví dụ viết 'actual < value - 5' thay cho '5 > value - actual'"),
    ],
    ids=["divided", "times-on-the-right", "negated", "subtracted", "times-a-half", "times-zero", "two-fields",
         "divided-by-the-field"],  # ASCII: mutmut runs tests by id
)
def test_a_comparison_with_no_lone_field_is_refused_at_the_comparison_with_a_rewrite(tmp_path, condition, column, hint):
    (error,) = _errors(tmp_path, condition=condition, fact="target", message="Chỉ tiêu {{ target }}")
    assert error.message == "một vế của phép so sánh phải có một trường đứng riêng (được cộng, không bị trừ, nhân hay chia)"
    assert (error.column, error.hint) == (column, hint)


def test_the_rewrite_suggested_loads_and_means_the_same(tmp_path):
    _write(tmp_path, GOOD.format(condition="actual > value * 3 / 2", message="x", fact="target", severity="cảnh báo"))
    assert load_rules(tmp_path)


AS_OF_RULE = """
rules:
  - id: thu
    title: Thử
    fact: task
    scope: due is present
    condition: as_of >= 01/07/2026 and days_overdue > 0
    severity: cảnh báo
    message: x
"""


def test_as_of_compared_with_a_date_runs_and_holds_from_that_day(tmp_path):
    _write(tmp_path, AS_OF_RULE)
    rules = load_rules(tmp_path)
    tiny = read_plan_folder(TINY)
    before, report = check([tiny], rules, dt.date(2026, 6, 30))
    assert before == [] and report.rule_errors == {}
    after, report = check([tiny], rules, dt.date(2026, 11, 22))
    assert [f.rule for f in after] == ["thu"] and report.rule_errors == {}


# -- versions, ladders -------------------------------------------------------------------------


def test_duplicate_ids_across_files_are_an_error(tmp_path):
    _write(tmp_path, GOOD.format(condition="days_overdue > 0", message="x", fact="task", severity="cảnh báo"), "a.yaml")
    _write(tmp_path, GOOD.format(condition="days_overdue > 1", message="x", fact="task", severity="cảnh báo"), "b.yaml")
    (error,) = _errors_of(tmp_path)
    assert "mã 'thu' đã dùng ở" in error.message and error.path.endswith("b.yaml")


def test_an_empty_rules_folder_is_an_error(tmp_path):
    (error,) = _errors_of(tmp_path)
    assert "không có tệp quy tắc nào" in error.message


def test_messages_write_numbers_and_dates_as_officials_do():
    text = render_message("{{ a }} {{ b }} {{ c }} {{ d }}", {"a": 91.2, "b": 95, "c": dt.date(2026, 9, 9), "d": 3.80000001})
    assert text == "91,2 95 09/09/2026 3,8"


@pytest.mark.parametrize(
    "template",
    [
        "Nhiệm vụ {{ a }} \"{{ b }}\" còn {{ c }} ngày ({{ d }}, {{ e }}); {{ f }}.",
        "{{ a }}{{ b }}",
        "chỉ có chữ",
        "{{ a | so }} và {{ c + 1 }}",  # a filter and an expression: jinja2's own path
        "{% if e %}có {{ e }}{% endif %} {{ range }}",
    ],
)
def test_messages_that_only_print_fields_read_as_jinja2_writes_them(template):
    from dondoc.engine.rulebook import _ENV, _fields_only

    values = {"a": "13", "b": "Rà soát <TTHC> & \"báo cáo\"", "c": 7, "d": 91.25, "e": dt.date(2026, 11, 22), "f": True}
    assert render_message(template, values) == _ENV.from_string(template).render(**values)
    plain = _fields_only(template) is not None
    assert plain == ("|" not in template and "+" not in template and "%" not in template)
    # A field the fact lacks fails exactly as jinja2 says (the rule is then stopped, engine/run.py).
    with pytest.raises(Exception) as ours:
        render_message(template + " {{ thieu }}", values)
    with pytest.raises(Exception) as theirs:
        _ENV.from_string(template + " {{ thieu }}").render(**values)
    assert (type(ours.value), str(ours.value)) == (type(theirs.value), str(theirs.value))


LADDER = """
rules:
  - id: thu
    title: Thử
    fact: task
    condition: days_overdue > 0
    severity: {base}
    escalate:
      - when: days_overdue >= 15
        severity: {step}
    message: x
"""


def test_a_ladder_that_does_not_climb_is_an_error(tmp_path):
    _write(tmp_path, LADDER.format(base="cảnh báo", step="nhắc nhở"))
    (error,) = _errors_of(tmp_path)
    assert "phải tăng dần" in error.message and error.line == 9


def test_a_ladder_step_is_type_checked(tmp_path):
    _write(tmp_path, LADDER.format(base="nhắc nhở", step="cảnh báo").replace("days_overdue >= 15", "due >= 15"))
    (error,) = _errors_of(tmp_path)
    assert "không so sánh được ngày với số" in error.message and (error.line, error.column) == (8, 19)


VERSIONED = """
rules:
  - id: thu
    title: Thử cũ
    fact: task
    scope: due is present
    condition: days_overdue > 0
    severity: nhắc nhở
    message: x
    valid_to: 2026-06-30
  - id: thu
    title: Thử mới
    fact: task
    scope: due is present
    condition: days_overdue > 5
    severity: cảnh báo
    message: x
    valid_from: {start}
"""


def test_two_versions_of_a_rule_take_turns_by_date(tmp_path):
    _write(tmp_path, VERSIONED.format(start="01/07/2026"))
    rules = load_rules(tmp_path)
    assert [r.title for r in in_force(rules, dt.date(2026, 6, 30))] == ["Thử cũ"]
    assert [r.title for r in in_force(rules, dt.date(2026, 7, 1))] == ["Thử mới"]


def test_two_versions_in_force_on_the_same_day_are_an_error(tmp_path):
    _write(tmp_path, VERSIONED.format(start="2026-06-30"))
    (error,) = _errors_of(tmp_path)
    assert "đã dùng" in error.message and "valid_from / valid_to" in error.hint


def test_valid_from_after_valid_to_is_an_error(tmp_path):
    _write(tmp_path, GOOD.format(condition="days_overdue > 0", message="x", fact="task", severity="cảnh báo") + "    valid_from: 2026-07-01\n    valid_to: 2026-06-01\n")
    (error,) = _errors_of(tmp_path)
    assert "valid_from (ngày bắt đầu hiệu lực) sau valid_to" in error.message


def test_a_check_uses_the_rules_in_force_on_its_date(tmp_path):
    _write(tmp_path, VERSIONED.format(start="2026-07-01"))
    tiny = read_plan_folder(TINY)
    early, report = check([tiny], load_rules(tmp_path), dt.date(2026, 6, 30))
    assert early == [] and report.rules == 1
    late, _ = check([tiny], load_rules(tmp_path), dt.date(2026, 11, 22))
    assert [(f.title, f.severity) for f in late] == [("Thử mới", "cảnh báo")]


def test_book_boundaries_cover_each_stretch_of_rules_in_force(tmp_path):
    _write(tmp_path, VERSIONED.format(start="2026-07-01"))
    book = load_book([tmp_path], shipped=False)
    assert book.boundaries(dt.date(2026, 1, 5)) == [dt.date(2026, 1, 5), dt.date(2026, 7, 1)]
    # after the old version's last day: its stretch is ended by valid_to alone, and still tried
    assert book.boundaries(dt.date(2026, 11, 22)) == [dt.date(2026, 6, 30), dt.date(2026, 7, 1), dt.date(2026, 11, 22)]


# Every refusal of the type checker, word for word: what a rule's author reads (found unpinned by
# mutation testing; the command-line tests show them only through `dondoc rules check`).
@pytest.mark.parametrize(
    "condition, pos, message, hint",
    [
        ('due - 5 > 3', 4, "phép '-' chỉ dùng cho số, không dùng cho ngày", 'cộng, trừ ngày viết: due - 5 working days (ngày làm việc) hoặc due + 7 days (ngày lịch)'),
        ('days_overdue - due > 0', 13, "phép '-' chỉ dùng cho số, không dùng cho ngày", 'cộng, trừ ngày viết: due - 5 working days (ngày làm việc) hoặc due + 7 days (ngày lịch)'),
        ('weekdy(due) == "thứ hai"', 0, "không có hàm 'weekdy'", "có phải 'weekday'? các hàm: " + ", ".join(FUNCTIONS)),
        ('weekday(due, due) == "thứ hai"', 0, "hàm 'weekday' nhận 1 giá trị (ngày)", 'ví dụ: weekday(due) == "thứ bảy"'),
        ('weekday(days_overdue) == "thứ hai"', 8, "hàm 'weekday' cần ngày, không phải số", 'ví dụ: weekday(due) == "thứ bảy"'),
        ('status in []', 0, "danh sách sau 'in' đang trống", ''),
        ('status in [1, 2]', 11, 'danh sách có số trong khi vế trái là chữ', ''),
        ('days_overdue contains "a"', 0, "'contains' chỉ dùng cho trường chữ", ''),
        ('due > 5', 4, 'không so sánh được ngày với số', 'so sánh số ngày bằng days_overdue, days_left, working_days_left; hoặc so ngày với ngày: due < 01/07/2026'),
        ('title < "a"', 6, 'chữ chỉ so sánh bằng == hoặc !=', 'tìm chữ trong một câu: title contains "..."'),
        ('title is missing', 0, "trường 'title' luôn có giá trị ở dữ kiện 'task'", 'bỏ phép thử này: nó luôn sai'),
        ('status is present', 0, "trường 'status' luôn có giá trị ở dữ kiện 'task'", 'bỏ phép thử này: nó luôn đúng'),
        ('days_overdue + 5 days > 0', 13, 'chỉ cộng, trừ ngày vào một ngày, không vào số', 'ví dụ: due - 5 working days'),
        ('title > 5', 6, 'không so sánh được chữ với số', 'hai vế của phép so sánh phải cùng kiểu (số, chữ, ngày hoặc true/false)'),
        ('is_working_day(due) > 1', 20, 'không so sánh được đúng/sai với số', 'hai vế của phép so sánh phải cùng kiểu (số, chữ, ngày hoặc true/false)'),
    ],
    ids=["date-minus-number", "number-minus-date", "unknown-function", "too-many-arguments", "argument-of-the-wrong-type", "empty-list", "list-of-numbers", "contains-on-a-number", "date-against-number", "text-ordered", "always-present-missing", "always-present-present", "days-added-to-a-number", "text-against-number", "bool-against-number"],
)
def test_each_refusal_of_the_type_checker_says_where_what_and_how(condition, pos, message, hint):
    from dondoc.engine.expression import ExpressionError, parse
    from dondoc.engine.typecheck import check as typecheck

    with pytest.raises(ExpressionError) as caught:
        typecheck("task", parse(condition))
    assert (caught.value.pos, caught.value.message, caught.value.hint) == (pos, message, hint)
