"""`make bench` cannot rot: the national bench runs here end to end at a tiny size."""

from __future__ import annotations

import json
import sys
import types
from collections import Counter

import pytest

from bench import national


def _encoded_plans(checker, folders):
    from dondoc.engine.compile import encode
    from dondoc.facts.derive import rule_facts

    return [[{"kind": f.kind, **{k: encode(v) for k, v in f.values.items()}} for f in rule_facts(folder, checker.as_of)] for folder in folders]


def _overdue(plans, conditions):
    """A peer written apart from dondoc: 'nhiem-vu-qua-han' in plain Python over the same facts."""
    hits = sum(
        1
        for facts in plans
        for f in facts
        if f["kind"] == "task" and "due" in f and f["status"] != "hoàn thành" and f.get("days_overdue", 0) > 0
    )
    return Counter({"nhiem-vu-qua-han": hits}), 1e-3


@pytest.fixture
def peers(monkeypatch):
    """bench/peers.py's functions (by "engine"), as the national bench calls them."""
    module = types.ModuleType("fake_peers")
    module.encoded_plans = _encoded_plans
    module.meanings_and_conditions = lambda checker: ({}, {})
    module.bare_durable = _overdue
    module.findings = lambda holding: sum(holding.values())
    monkeypatch.setitem(sys.modules, "fake_peers", module)
    return module


def test_the_national_bench_runs_end_to_end_and_writes_national_json(tmp_path, peers):
    national.main(["--plans", "6", "--sizes", "3,6", "--out", str(tmp_path), "--cold-runs", "1", "--summary-plans", "2", "--letters", "4", "--peers", "fake_peers"])
    result = json.loads((tmp_path / "national.json").read_text(encoding="utf-8"))
    for key in ("plans", "facts", "findings", "wall_s", "peak_rss_mb", "facts_per_s", "durable_bare_facts_per_s",
                "zen_facts_per_s", "notices", "docx_per_s", "pdf_per_s", "cold_single_plan_s", "sizes", "fit"):
        assert key in result, key
    assert result["plans"] == 6 and result["facts"] > 300 and result["findings"] > 100 and result["notices"] > 6
    assert result["peak_rss_mb"] > 20 and result["cold_single_plan_s"] > 0
    assert set(result["sizes"]) == {"3", "6"} and "slope_s_per_plan" in result["fit"] and result["sizes"]["6"]["cpu_s"] > 0
    assert result["identical_to_one_process"] == {"plans": 6, "identical": True, "one_process_wall_s": result["identical_to_one_process"]["one_process_wall_s"]}
    assert result["durable_bare_facts_per_s"] > 0 and result["durable_bare_findings"] > 0
    assert result["zen_facts_per_s"] is None  # this fake has no zen
    assert result["summary_plans"] == 2 and result["pdf_per_s"] > 0 and result["docx_per_s"] > 0
    assert result["night_pdf_per_s"] > 0 and result["night_docx_per_s"] > 0
    # The province's night: the same plans with a third of the communes' own settings, beside them.
    assert result["province_plans"] == 6 and result["province_communes_with_settings"] >= 1
    assert result["province_rule_books"] >= 2 and result["province_ratio"] > 0 and result["province_without_wall_s"] == result["wall_s"]
    # The night with the store: the first night into a new store, the next day's into the same one;
    # the next night writes letters only where one is due, so fewer than the first.
    assert result["store_wall_s"]["without"] == result["wall_s"] and result["store_ratio"]["first"] > 0
    assert 0 < result["store_letter_files"]["next"] < result["store_letter_files"]["first"]


def test_a_peer_that_disagrees_with_dondoc_stops_the_bench(tmp_path, peers):
    peers.bare_durable = lambda plans, conditions: (_overdue(plans, conditions)[0] + Counter({"nhiem-vu-qua-han": 1}), 1e-3)
    with pytest.raises(AssertionError, match="durable_bare: findings per rule differ"):
        national.main(["--plans", "3", "--sizes", "3", "--out", str(tmp_path), "--cold-runs", "1", "--summary-plans", "1", "--letters", "4", "--peers", "fake_peers"])


def test_the_fit_says_when_the_curve_is_not_linear():
    assert national.fit([100, 330, 1000, 3321], [6.7, 24, 95, 505])["linear"] is False  # the figures
    assert national.fit([100, 330, 1000, 3321], [1.1, 3.4, 10.2, 33.5])["linear"] is True


def test_the_early_warning_backtest_runs_and_counts_from_the_outcomes():
    from bench import warning

    runs = warning.histories(60, seed=7)
    assert runs == warning.histories(60, seed=7)  # seeded
    assert {h.kind for h in runs} == set(warning.KINDS) and {h.comparison for h in runs} == {">=", "<="}
    assert 0 < sum(h.missed for h in runs) < len(runs)
    result = warning.backtest(60, seed=7)
    overall, escalated = result["warning"]["all"], result["escalated"]["all"]
    assert overall["histories"] == 60 and overall["ended_missed"] == sum(h.missed for h in runs)
    assert 0 < escalated["warned"] <= overall["warned"] and 0 <= overall["precision"] <= 1
    assert result["checks"] == 60 * len(warning.NIGHTS)
    assert warning.projection.HALF_LIFE_DAYS == 60  # a comparison of half-lives leaves the shipped one in place
    warning.backtest(20, seed=7, half_life=30.0)
    assert warning.projection.HALF_LIFE_DAYS == 60


def test_the_dashboard_bench_runs_end_to_end_and_writes_dashboard_json(tmp_path):
    from bench import dashboard

    result = dashboard.main(["--plans", "4", "--nights", "3", "--out", str(tmp_path)])
    assert json.loads((tmp_path / "dashboard.json").read_text(encoding="utf-8"))["pages"] == result["pages"]
    # the index, one province page (the generated plans share one), and per plan its commune's and its own
    assert result["plans"] == 4 and result["nights"] == 3 and result["observations"] > 0 and result["pages"] >= 1 + 1 + 2 * 4
    assert result["pages_over_1mb"] == 0 and result["build_wall_s"] > 0 and set(result["assets_kb"]) == {"dashboard.css", "dashboard.js", "vega.js"}
    site = tmp_path / "dashboard-site-4"
    assert (site / "index.html").is_file() and len(list((site / "ke-hoach").glob("*.html"))) == 4
