"""Faults the tests cause on purpose, written once."""

from __future__ import annotations


def refused_by_durable_rules(monkeypatch, rule_id: str, field: str = "actual") -> None:
    """durable-rules refuses one rule's condition (it refuses '$not'): that rule is stopped,
    named, and the others run (exit 3)."""
    from dondoc.engine import run as engine_run

    real = engine_run.rule_conditions

    def rejected(rule, *args):
        conditions = real(rule, *args)
        if rule.id == rule_id:
            conditions[rule.id] = {"$not": {"$lt": {field: 1}}}
        return conditions

    monkeypatch.setattr(engine_run, "rule_conditions", rejected)
