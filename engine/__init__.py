"""Engine: compiles the rules in rules/ for durable-rules and evaluates plan facts.

Only engine/durable_adapter.py imports durable-rules; everything else sees findings.
"""
