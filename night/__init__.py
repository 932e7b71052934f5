"""The night: what dondoc is, from plans on disk to output landed whole.

    from dondoc.night import Options, check
    result = check(plan_dirs, Options(as_of=date, out=out))

- plans.py: the plans, each with its settings (its own dondoc.yaml) and rule book, each
  plan's one identity;
- workers.py: evaluation over worker processes, in a fixed order;
- letters.py: who receives which findings, once per plan;
- plan.py: a plan's letters and summary, rendered and written in its worker;
- night.py: the passes, the output sink, run.json; ``evaluate``, the one-worker night the
  specs and `rules explain` use.

Layers: cli -> night -> templates | store -> engine -> facts -> errors / text / files / cache
(docs/architecture.md).
"""

from dondoc.night.night import NightResult, Options, check, evaluate

__all__ = ["NightResult", "Options", "check", "evaluate"]
