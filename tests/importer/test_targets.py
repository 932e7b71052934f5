"""parse_target: examples from the seeds and DOMAIN.md, and properties (hypothesis)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dondoc.facts.importer.targets import number_value, parse_target, read_targets

EXAMPLES = [
    # sentence, comparison, value, unit, baseline_year, reduction
    ("Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa đạt tối thiểu 80%.", ">=", 80, "%", None, None),
    ("Tỷ lệ cấp kết quả giải quyết thủ tục hành chính điện tử đạt 100%.", "==", 100, "%", None, None),
    ("Mức độ hài lòng của người dân đạt từ 90% trở lên.", ">=", 90, "%", None, None),
    ("Đạt tỷ lệ 95% hồ sơ tiếp nhận và xử lý trực tuyến trên tổng số hồ sơ.", ">=", 95, "%", None, None),
    ("Chỉ số 1: “Tính minh bạch và tiếp cận thông tin” đạt 8,25 điểm trở lên.", ">=", 8.25, "điểm", None, None),
    ("Tổng điểm mục tiêu năm 2023: 80,08 điểm", ">=", 80.08, "điểm", None, None),
    ("đăng tải ít nhất 05 tin bài/tháng", ">=", 5, "tin bài/tháng", None, None),
    ("Kiểm tra tối thiểu 30% số cơ quan, đơn vị", ">=", 30, "%", None, None),
    ("Tỷ lệ hồ sơ trễ hạn không quá 2%", "<=", 2, "%", None, None),
    ("Tỷ lệ hồ sơ trễ hạn tối đa 3%", "<=", 3, "%", None, None),
    ("Tỷ lệ hồ sơ quá hạn dưới 1%", "<", 1, "%", None, None),
    ("Tỷ lệ hồ sơ trực tuyến trên 60%", ">", 60, "%", None, None),
    ("Tổ chức ít nhất 02 cuộc đối thoại với doanh nghiệp", ">=", 2, "cuộc", None, None),
    ("cắt giảm 50% thời gian giải quyết TTHC so với năm 2024", ">=", 50, "%", 2024, "time"),
    ("Thực hiện cắt giảm tối thiểu 50% thời gian giải quyết thủ tục hành chính", ">=", 50, "%", None, "time"),
    ("giảm 30% chi phí tuân thủ so với năm trước", ">=", 30, "%", 2025, "cost"),
    ("cắt giảm 20% thành phần hồ sơ so với năm 2024", ">=", 20, "%", 2024, "components"),
]


@pytest.mark.parametrize("sentence, comparison, value, unit, baseline, reduction", EXAMPLES)
def test_examples(sentence, comparison, value, unit, baseline, reduction):
    reading = parse_target(sentence, 2026)
    assert reading.kind == "target", reading.reason
    assert (reading.comparison.value, reading.value, reading.unit) == (comparison, value, unit)
    assert reading.baseline_year == baseline
    assert reading.reduction == reduction


def test_two_reductions_in_one_sentence():
    reading = parse_target("cắt giảm 50% thời gian giải quyết TTHC, 50% chi phí tuân thủ TTHC so với năm 2024", 2026)
    [cost] = reading.others
    assert (reading.reduction, reading.metric) == ("time", "thời gian giải quyết TTHC")
    assert (cost.reduction, cost.metric, cost.value, cost.baseline_year) == ("cost", "chi phí tuân thủ TTHC", 50, 2024)


def test_scope_and_period():
    reading = parse_target(
        "Trong đó, mức độ hài lòng về giải quyết các TTHC lĩnh vực đất đai, xây dựng, đầu tư đạt tối thiểu 90%.", 2026
    )
    assert reading.scope == "lĩnh vực đất đai, xây dựng, đầu tư"
    assert reading.metric == "mức độ hài lòng về giải quyết các TTHC"
    assert parse_target("Tỷ lệ hồ sơ trực tuyến đạt 60% trong 6 tháng cuối năm 2025", 2025).period == "2025-H2"
    assert parse_target("Tỷ lệ hồ sơ trực tuyến đạt 60% trong Quý III/2026", 2026).period == "2026-Q3"


@pytest.mark.parametrize(
    "sentence, reason",
    [
        ("", "rỗng"),
        ("Tăng cường hỗ trợ hộ kinh doanh, hợp tác xã.", "không có con số"),
        ("Thực hiện theo Nghị định 61/2018/NĐ-CP ngày 23/4/2018", "không phải chỉ tiêu"),
        ("Điểm năm 2022 là 61,68 điểm.", "không phải chỉ tiêu"),
        ("1. Chỉ số “Tính minh bạch” (Chiếm tỷ trọng 30% tổng số điểm)", "tỷ trọng"),
    ],
)
def test_unparsed(sentence, reason):
    reading = parse_target(sentence, 2026)
    assert reading.kind == "unparsed" and reason in reading.reason
    assert reading.comparison is None and reading.value is None


@pytest.mark.parametrize(
    "text, value", [("8,25", 8.25), ("05", 5), ("1.000", 1000), ("8.25", 8.25), ("1.000,5", 1000.5), ("1,2,3", None)]
)
def test_numbers(text, value):
    assert number_value(text) == value


def test_as_json_shape():
    data = parse_target("Tỷ lệ hồ sơ trực tuyến đạt tối thiểu 80%", 2026).as_json()
    assert {"comparison", "value", "unit", "baseline_year"} <= set(data)
    assert data["comparison"] in {">=", ">", "<=", "<", "=="}


# -- properties --------------------------------------------------------------------------------

VIETNAMESE = st.text(
    alphabet=st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậếềểễệốồổỗộớờởỡợúùủũụứừửữựíìỉĩị"
                                  "ÁĐƠƯ 0123456789%,./:;-()“”\"'\t\n")),
    max_size=200,
)
TARGET_WORDS = st.sampled_from(
    ["đạt", "tối thiểu", "ít nhất", "không quá", "tối đa", "dưới", "trên", "từ", "cắt giảm", "giảm", "là", "chiếm",
     "so với năm", "trở lên", "%", "điểm", "tin bài/tháng", "lĩnh vực", "năm 2026", "Quý IV/2025", "6 tháng cuối năm"]
)


def _check(text: str, year: int) -> None:
    reading = parse_target(text, year)
    assert reading.kind in ("target", "unparsed")
    if reading.kind == "target":
        assert reading.comparison is not None and reading.value is not None
        assert reading.value == reading.value and abs(reading.value) < 1e13  # finite
    else:
        assert reading.reason
    json.dumps(reading.as_json(), ensure_ascii=False, allow_nan=False)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300), st.integers(min_value=-10**6, max_value=10**6))
def test_any_string_gives_a_reading(text, year):
    _check(text, year)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(VIETNAMESE, TARGET_WORDS, st.integers(0, 10**30).map(str)), max_size=12))
def test_target_like_strings_give_a_reading(parts):
    _check(" ".join(parts), 2026)
    read_targets(" ".join(parts), 2026)


@settings(max_examples=200, deadline=None)
@given(
    metric=st.sampled_from(["Tỷ lệ hồ sơ trực tuyến", "Mức độ hài lòng của người dân", "Tỷ lệ số hóa hồ sơ"]),
    cue=st.sampled_from([("đạt tối thiểu", ">="), ("không quá", "<="), ("đạt", ">="), ("dưới", "<")]),
    whole=st.integers(0, 99),
    decimals=st.one_of(st.none(), st.integers(1, 99)),
)
def test_generated_targets_are_read(metric, cue, whole, decimals):
    printed = f"{whole},{decimals:02d}" if decimals else str(whole)
    value = float(f"{whole}.{decimals:02d}") if decimals else float(whole)
    reading = parse_target(f"{metric} {cue[0]} {printed}%.", 2026)
    assert reading.kind == "target"
    assert (reading.comparison.value, reading.value, reading.unit, reading.metric) == (cue[1], value, "%", metric)


def test_a_target_stated_as_part_of_the_one_before_reads_on_its_own():
    # Seed 002: "... đạt tối thiểu 95%. Trong đó, mức độ hài lòng ... đạt tối thiểu 90%." The
    # second target's sentence is printed alone in a letter's table: no dangling "Trong đó,".
    text = "Mức độ hài lòng chung đạt tối thiểu 95%. Trong đó, mức độ hài lòng về giải quyết các TTHC lĩnh vực đất đai, xây dựng, đầu tư đạt tối thiểu 90%."
    first, second = read_targets(text, 2026)
    assert first.text == "Mức độ hài lòng chung đạt tối thiểu 95%."
    assert second.text == "Mức độ hài lòng về giải quyết các TTHC lĩnh vực đất đai, xây dựng, đầu tư đạt tối thiểu 90%."
    assert (second.value, second.scope) == (90, "lĩnh vực đất đai, xây dựng, đầu tư")
