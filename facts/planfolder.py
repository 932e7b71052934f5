"""A plan folder: the plain files a person can read and correct.

    plan.yaml          the plan, its units, tasks and targets
    progress.csv       what units report on tasks            (optional)
    measurements.csv   measured values of targets            (optional)
    procedures.csv     procedures for the '03 giảm'          (optional)
    deadlines.csv      dates of deadlines set elsewhere      (optional)

plan.yaml says what the document says (`dondoc import` can write it again);
the CSV files hold what people add, and survive a new import.

docs/plan-folder.md documents every field. Reading validates everything and
reports every problem with its file and line; nothing is guessed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from dondoc.facts.deadline import DeadlineKind, parse_deadline
from dondoc.facts.errors import InputError, InputErrors, collect
from dondoc.facts.models import (
    Measurement,
    Plan,
    PlanFolder,
    Procedure,
    Progress,
    SuppliedDeadline,
    Target,
    Task,
    Unit,
)
from dondoc.facts.units import unit_key
from dondoc.facts.yamlio import KEY, describe, load_yaml, locate, read_csv, validate

PLAN_FILE = "plan.yaml"
PROGRESS_FILE = "progress.csv"
MEASUREMENTS_FILE = "measurements.csv"
PROCEDURES_FILE = "procedures.csv"
DEADLINES_FILE = "deadlines.csv"

_TOP_KEYS = {"plan", "units", "tasks", "targets"}


class _UnitRegister:
    """Resolves any spelling of a unit to its canonical name."""

    def __init__(self, units: list[Unit]) -> None:
        self.units = units
        self._by_key: dict[str, str] = {}
        for unit in units:
            for spelling in (unit.name, *unit.aliases):
                self._by_key.setdefault(unit_key(spelling), unit.name)

    def resolve(self, name: str) -> str | None:
        if not self.units:  # no register: names are taken as written
            return name
        return self._by_key.get(unit_key(name))


def read_plan_folder(folder: str | Path) -> PlanFolder:
    """Read and validate a plan folder; raise InputErrors naming every bad place."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(folder, "not a plan folder (no such directory)")
    plan_path = folder / PLAN_FILE
    if not plan_path.is_file():
        raise InputError(plan_path, "missing: a plan folder needs plan.yaml")
    data, marks = load_yaml(plan_path)
    if not isinstance(data, dict):
        raise InputError(plan_path, "plan.yaml must be a mapping with 'plan:' and 'tasks:'", line=1)
    errors: list[InputError] = []
    for key in data:
        if key not in _TOP_KEYS:
            line, col = locate(marks, (key, KEY))
            errors.append(
                InputError(
                    plan_path,
                    f"unknown section '{key}'",
                    line=line,
                    column=col,
                    hint="sections are: " + ", ".join(sorted(_TOP_KEYS)),
                )
            )
    if "plan" not in data:
        errors.append(InputError(plan_path, "missing section 'plan:'", line=1))
    if errors:
        raise InputErrors(errors)

    plan = validate(Plan, data["plan"], plan_path, marks, ("plan",))
    units = [
        collect(errors, lambda: validate(Unit, raw, plan_path, marks, ("units", i)))
        for i, raw in enumerate(_list(data, "units", plan_path, marks))
    ]
    register = _UnitRegister([u for u in units if u is not None])

    tasks = []
    for i, raw in enumerate(_list(data, "tasks", plan_path, marks)):
        task = collect(errors, lambda: _task(raw, plan, register, plan_path, marks, ("tasks", i)))
        if task is not None:
            tasks.append(task)
    _unique(errors, plan_path, marks, "tasks", [t.id for t in tasks], "task id")

    targets = []
    for i, raw in enumerate(_list(data, "targets", plan_path, marks)):
        loc = ("targets", i)
        target = collect(errors, lambda: validate(Target, raw, plan_path, marks, loc))
        if target is not None:
            target = target.model_copy(
                update={"lead": _leads(target.lead, register, plan_path, marks, loc + ("lead",))}
            )
            targets.append(target)
    _unique(errors, plan_path, marks, "targets", [t.id for t in targets], "target id")
    if errors:
        raise InputErrors(errors)

    task_ids = {t.id for t in tasks}
    target_ids = {t.id for t in targets}
    progress = _read_rows(folder / PROGRESS_FILE, Progress, "task", task_ids, "task id")
    measurements = _read_rows(
        folder / MEASUREMENTS_FILE, Measurement, "target", target_ids, "target id"
    )
    procedures = _read_rows(folder / PROCEDURES_FILE, Procedure, None, set(), "")
    tasks = _supply_dates(folder / DEADLINES_FILE, tasks, task_ids)
    for proc in procedures:
        if proc.lead and register.resolve(proc.lead) is None:
            raise InputError(
                folder / PROCEDURES_FILE,
                f"unit '{proc.lead}' is not in the units list of plan.yaml",
                line=proc.source_line,
            )
    procedures = [
        p.model_copy(update={"lead": register.resolve(p.lead) or ""}) if p.lead else p
        for p in procedures
    ]
    return PlanFolder(
        path=str(folder),
        plan=plan,
        units=register.units,
        tasks=tasks,
        targets=targets,
        progress=progress,
        measurements=measurements,
        procedures=procedures,
    )


def _supply_dates(path: Path, tasks: list[Task], task_ids: set[str]) -> list[Task]:
    """Give tasks whose deadline is set elsewhere the date a person found for it."""
    supplied = _read_rows(path, SuppliedDeadline, "task", task_ids, "task id")
    by_task: dict[str, SuppliedDeadline] = {}
    errors = []
    for row in supplied:
        task = next(t for t in tasks if t.id == row.task)
        if row.task in by_task:
            errors.append(InputError(path, f"task '{row.task}' has two dates", line=row.source_line))
        elif task.deadline.kind not in (DeadlineKind.EXTERNAL, DeadlineKind.UNPARSED):
            errors.append(
                InputError(
                    path,
                    f"task '{row.task}' has its own deadline ('{task.deadline.phrase}')",
                    line=row.source_line,
                    hint="deadlines.csv is for deadlines set elsewhere or that could not be read",
                )
            )
        by_task[row.task] = row
    if errors:
        raise InputErrors(errors)
    return [t.model_copy(update={"due": by_task[t.id].due}) if t.id in by_task else t for t in tasks]


def _list(data: dict, key: str, path: Path, marks) -> list:
    value = data.get(key) or []
    if not isinstance(value, list):
        line, col = locate(marks, (key, KEY))
        raise InputError(path, f"'{key}:' must be a list ('- ...' items)", line=line, column=col)
    return value


def _unique(errors, path, marks, section: str, ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for i, ident in enumerate(ids):
        if ident in seen:
            line, col = locate(marks, (section, i))
            errors.append(InputError(path, f"{what} '{ident}' appears twice", line=line, column=col))
        seen.add(ident)


def _leads(names: list[str], register: _UnitRegister, path: Path, marks, loc) -> list[str]:
    out = []
    for j, name in enumerate(names):
        canonical = register.resolve(name)
        if canonical is None:
            line, col = locate(marks, loc + (j,))
            raise InputError(
                path,
                f"unit '{name}' is not in the units list",
                line=line,
                column=col,
                hint="add it under 'units:' (or as an alias of a unit there), or correct the spelling",
            )
        if canonical not in out:
            out.append(canonical)
    return out


def _task(raw: Any, plan: Plan, register, path: Path, marks, loc) -> Task:
    if not isinstance(raw, dict):
        line, col = locate(marks, loc)
        raise InputError(path, "a task must be a mapping (id:, title:, deadline: ...)", line=line, column=col)
    phrase = raw.get("deadline")
    if not isinstance(phrase, str):
        line, col = locate(marks, loc + ("deadline",) if "deadline" in raw else loc)
        raise InputError(
            path,
            "a task needs 'deadline:' as text, the phrase as the plan writes it",
            line=line,
            column=col,
            hint='e.g. deadline: "Quý IV/2026" or deadline: "Thường xuyên"',
        )
    if "due" in raw:
        line, col = locate(marks, loc + ("due", KEY))
        raise InputError(
            path,
            "a date for a deadline set elsewhere goes in deadlines.csv, not plan.yaml",
            line=line,
            column=col,
            hint="plan.yaml says what the document says; deadlines.csv: task,due,source",
        )
    fields = dict(raw)
    fields["deadline"] = parse_deadline(phrase, plan.year, (plan.start, plan.end))
    task = validate(Task, fields, path, marks, loc)
    line, _ = locate(marks, loc)
    return task.model_copy(
        update={
            "lead": _leads(task.lead, register, path, marks, loc + ("lead",)),
            "coordinating": _leads(task.coordinating, register, path, marks, loc + ("coordinating",)),
            "source_line": line,
        }
    )


def _read_rows(path: Path, model: type[BaseModel], ref: str | None, known: set[str], what: str) -> list:
    if not path.is_file():
        return []
    rows = []
    errors: list[InputError] = []
    for line, cells in read_csv(path):
        if ref and cells.get(ref) is not None and cells[ref] not in known:
            errors.append(
                InputError(
                    path,
                    f"{what} '{cells[ref]}' is not in plan.yaml",
                    line=line,
                    where=f"column {ref}",
                )
            )
            continue
        try:
            rows.append(model.model_validate({**cells, "source_line": line}))
        except Exception as exc:  # pydantic.ValidationError: one error per bad cell
            for err in getattr(exc, "errors", lambda: [])():
                column = next((p for p in err["loc"] if isinstance(p, str)), None)
                errors.append(
                    InputError(
                        path, describe(err), line=line, where=f"column {column}" if column else None
                    )
                )
            if not hasattr(exc, "errors"):
                raise
    if errors:
        raise InputErrors(errors)
    return rows


# -- writing ---------------------------------------------------------------------------------


def plan_document(folder: PlanFolder) -> dict[str, Any]:
    """The plan.yaml content for a plan: deadlines written back as their phrases."""

    def clean(model: BaseModel, drop: set[str] = frozenset()) -> dict[str, Any]:
        out = {}
        for key, value in model.model_dump(mode="json", exclude=drop | {"source_line"}).items():
            default = type(model).model_fields[key].get_default(call_default_factory=True)
            if isinstance(default, BaseModel):
                default = default.model_dump(mode="json")
            if value != default or type(model).model_fields[key].is_required():
                out[key] = value
        return out

    doc: dict[str, Any] = {"plan": clean(folder.plan)}
    if folder.units:
        doc["units"] = [clean(u) for u in folder.units]
    doc["tasks"] = []
    for task in folder.tasks:
        entry = clean(task, {"deadline", "due"})
        entry["deadline"] = task.deadline.phrase
        doc["tasks"].append(entry)
    if folder.targets:
        doc["targets"] = [clean(t) for t in folder.targets]
    return doc


def dump_yaml(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def write_plan_folder(folder: PlanFolder, out: str | Path) -> Path:
    """Write plan.yaml into ``out`` (store/writer.py): atomically, and a plan.yaml that was
    there before is kept beside it as plan.yaml.~N~, so hand corrections are never lost."""
    from dondoc.store.writer import replace_file

    path = Path(out) / PLAN_FILE
    replace_file(path, dump_yaml(plan_document(folder)))
    return path
