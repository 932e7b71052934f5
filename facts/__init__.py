"""Facts: what the plans say and what units report, as typed values.

The data flows one way: facts -> engine (with rules) -> findings -> notices.
Nothing in this package imports from engine/ or templates/.
"""
