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

import contextlib
import datetime as dt
import functools
import os
from pathlib import Path
from typing import Any, Iterator, Mapping

import yaml
from pydantic import BaseModel, ValidationError

from dondoc.facts.deadline import DeadlineKind, parse_deadline
from dondoc.facts.csvio import Table, read_table
from dondoc.errors import InputError, InputErrors, OutputError, collect, printable
from dondoc.facts.textfile import unreadable
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
from dondoc.text import unit_key
from dondoc.facts.yamlio import KEY, describe, load_yaml, locate, validate

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
        self._seen: dict[str, str | None] = {}
        for unit in units:
            for spelling in (unit.name, *unit.aliases):
                self._by_key.setdefault(unit_key(spelling), unit.name)

    def resolve(self, name: str) -> str | None:
        if not self.units:  # no register: names are taken as written
            return name
        if name not in self._seen:  # a plan names the same few units hundreds of times
            self._seen[name] = self._by_key.get(unit_key(name))
        return self._seen[name]


def read_plan_folder(folder: str | Path, pending: Mapping[str, bytes] | None = None) -> PlanFolder:
    """Read and validate a plan folder; raise InputErrors naming every bad place.

    ``pending``: file name -> the bytes a writer is about to put there (facts/planwrite.py):
    the folder is read as it will be, so that nothing is written that does not read back."""
    folder = Path(folder)
    pending = pending or {}
    if not folder.is_dir():
        what = "không có thư mục này" if not os.path.lexists(folder) else "không phải một thư mục"
        raise InputError(folder, f"không phải thư mục kế hoạch: {what}", hint="mỗi kế hoạch là một thư mục có plan.yaml")
    plan_path = folder / PLAN_FILE
    try:
        if PLAN_FILE not in pending:
            os.lstat(plan_path)
    except FileNotFoundError:
        raise InputError(plan_path, "thiếu tệp plan.yaml: thư mục kế hoạch nào cũng cần tệp này",
                         hint="tạo bằng 'dondoc import VĂN_BẢN --out THƯ_MỤC'") from None
    except OSError as exc:  # a folder we may not enter
        raise unreadable(plan_path, exc) from None
    data, marks = load_yaml(plan_path, pending.get(PLAN_FILE))
    if not isinstance(data, dict):
        raise InputError(plan_path, "plan.yaml phải gồm các mục 'plan:', 'units:', 'tasks:', 'targets:'", line=1)
    errors: list[InputError] = []
    for key in data:
        if key not in _TOP_KEYS:
            line, col = locate(marks, (key, KEY))
            errors.append(
                InputError(
                    plan_path,
                    f"mục lạ '{key}'",
                    line=line,
                    column=col,
                    hint="các mục là: " + ", ".join(sorted(_TOP_KEYS)),
                )
            )
    if "plan" not in data:
        errors.append(InputError(plan_path, "thiếu mục 'plan:' (phần đầu kế hoạch)", line=1))
    if errors:
        raise InputErrors(errors)

    plan = validate(Plan, data["plan"], plan_path, marks, ("plan",))
    units = [
        collect(errors, lambda: validate(Unit, raw, plan_path, marks, ("units", i)))
        for i, raw in enumerate(_list(data, "units", plan_path, marks))
    ]
    register = _UnitRegister([u for u in units if u is not None])

    tasks = []
    span = (plan.start, plan.end)  # worked out once: each task's deadline is read in it
    for i, raw in enumerate(_list(data, "tasks", plan_path, marks)):
        task = collect(errors, lambda: _task(raw, plan, span, register, plan_path, marks, ("tasks", i)))
        if task is not None:
            tasks.append(task)
    _unique(errors, plan_path, marks, "tasks", [t.id for t in tasks], "mã nhiệm vụ")

    targets = []
    for i, raw in enumerate(_list(data, "targets", plan_path, marks)):
        loc = ("targets", i)
        target = collect(errors, lambda: validate(Target, raw, plan_path, marks, loc))
        if target is not None:
            target = target.model_copy(
                update={"lead": _leads(target.lead, register, plan_path, marks, loc + ("lead",))}
            )
            targets.append(target)
    _unique(errors, plan_path, marks, "targets", [t.id for t in targets], "mã chỉ tiêu")
    for i, target in enumerate(targets):
        problem = target.value_problem(target.value)
        if problem:
            line, col = locate(marks, ("targets", i, "value"))
            errors.append(InputError(plan_path, f"value: {problem}", line=line, column=col))
    if errors:
        raise InputErrors(errors)

    task_ids = {t.id for t in tasks}
    target_ids = {t.id for t in targets}
    progress = _read_rows(folder / PROGRESS_FILE, Progress, "task", task_ids, "mã nhiệm vụ", pending=pending)
    measurements = _read_rows(
        folder / MEASUREMENTS_FILE,
        Measurement,
        "target",
        target_ids,
        "mã chỉ tiêu",
        check=_measurement_range({t.id: t for t in targets}),
        pending=pending,
    )
    procedures = _read_rows(folder / PROCEDURES_FILE, Procedure, None, set(), "", pending=pending)
    tasks = _supply_dates(folder / DEADLINES_FILE, tasks, task_ids, pending)
    for proc in procedures:
        if proc.lead and register.resolve(proc.lead) is None:
            raise InputError(
                folder / PROCEDURES_FILE,
                f"đơn vị '{proc.lead}' không có trong danh sách đơn vị (units) của plan.yaml",
                line=proc.source_line,
                where="cột lead",
            )
    procedures = [
        p.model_copy(update={"lead": register.resolve(p.lead) or ""}) if p.lead else p
        for p in procedures
    ]
    return PlanFolder(
        path=printable(folder),
        plan=plan,
        units=register.units,
        tasks=tasks,
        targets=targets,
        progress=progress,
        measurements=measurements,
        procedures=procedures,
    )


def _supply_dates(path: Path, tasks: list[Task], task_ids: set[str], pending: Mapping[str, bytes]) -> list[Task]:
    """Give tasks whose deadline is set elsewhere the date a person found for it."""
    supplied = _read_rows(path, SuppliedDeadline, "task", task_ids, "mã nhiệm vụ", pending=pending)
    by_task: dict[str, SuppliedDeadline] = {}
    errors = []
    for row in supplied:
        task = next(t for t in tasks if t.id == row.task)
        if row.task in by_task:
            errors.append(InputError(path, f"nhiệm vụ '{row.task}' có hai ngày", line=row.source_line))
        elif task.deadline.kind not in (DeadlineKind.EXTERNAL, DeadlineKind.UNPARSED):
            errors.append(
                InputError(
                    path,
                    f"nhiệm vụ '{row.task}' đã có thời hạn trong kế hoạch ('{task.deadline.phrase}')",
                    line=row.source_line,
                    hint="deadlines.csv chỉ dành cho thời hạn do văn bản khác quyết định hoặc không đọc được",
                )
            )
        by_task[row.task] = row
    if errors:
        raise InputErrors(errors)
    return [
        t.model_copy(update={"due": by_task[t.id].due, "due_source": by_task[t.id].source}) if t.id in by_task else t
        for t in tasks
    ]


def _list(data: dict, key: str, path: Path, marks) -> list:
    value = data.get(key) or []
    if not isinstance(value, list):
        line, col = locate(marks, (key, KEY))
        raise InputError(path, f"'{key}:' phải là một danh sách (các dòng '- ...')", line=line, column=col)
    return value


def _unique(errors, path, marks, section: str, ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for i, ident in enumerate(ids):
        if ident in seen:
            line, col = locate(marks, (section, i))
            errors.append(InputError(path, f"{what} '{ident}' xuất hiện hai lần", line=line, column=col))
        seen.add(ident)


def _leads(names: list[str], register: _UnitRegister, path: Path, marks, loc) -> list[str]:
    out = []
    for j, name in enumerate(names):
        canonical = register.resolve(name)
        if canonical is None:
            line, col = locate(marks, loc + (j,))
            raise InputError(
                path,
                f"đơn vị '{name}' không có trong danh sách đơn vị (units)",
                line=line,
                column=col,
                hint="thêm vào mục 'units:' (hoặc làm cách viết khác, aliases, của một đơn vị ở đó), hoặc sửa chính tả",
            )
        if canonical not in out:
            out.append(canonical)
    return out


# A night reads thousands of plans that write the same few hundred phrases; a Deadline is
# immutable and depends only on these three arguments.
_deadline = functools.lru_cache(maxsize=4096)(parse_deadline)


def _task(raw: Any, plan: Plan, span: tuple[dt.date, dt.date], register, path: Path, marks, loc) -> Task:
    if not isinstance(raw, dict):
        line, col = locate(marks, loc)
        raise InputError(path, "mỗi nhiệm vụ gồm các trường (id:, title:, deadline: ...)", line=line, column=col)
    phrase = raw.get("deadline")
    if not isinstance(phrase, str):
        line, col = locate(marks, loc + ("deadline",) if "deadline" in raw else loc)
        raise InputError(
            path,
            "nhiệm vụ cần 'deadline:' là văn bản: thời hạn nguyên văn như kế hoạch ghi",
            line=line,
            column=col,
            hint='ví dụ deadline: "Quý IV/2026" hoặc deadline: "Thường xuyên"',
        )
    if "due" in raw or "due_source" in raw:
        line, col = locate(marks, loc + ("due" if "due" in raw else "due_source", KEY))
        raise InputError(
            path,
            "ngày của thời hạn do văn bản khác quyết định ghi trong deadlines.csv, không ghi trong plan.yaml",
            line=line,
            column=col,
            hint="plan.yaml ghi đúng văn bản kế hoạch; deadlines.csv có các cột task,due,source",
        )
    fields = dict(raw)
    fields["deadline"] = _deadline(phrase, plan.year, span)
    line, _ = locate(marks, loc)
    written = "source_line" in raw  # validated as written, then replaced by the task's line
    if not written:
        fields["source_line"] = line
    task = validate(Task, fields, path, marks, loc)
    lead = _leads(task.lead, register, path, marks, loc + ("lead",))
    coordinating = _leads(task.coordinating, register, path, marks, loc + ("coordinating",))
    if written or lead != task.lead or coordinating != task.coordinating:
        # A copy only when the units are written otherwise than the register names them.
        return task.model_copy(update={"lead": lead, "coordinating": coordinating, "source_line": line})
    return task


def _read_rows(
    path: Path, model: type[BaseModel], ref: str | None, known: set[str], what: str, check=None,
    pending: Mapping[str, bytes] = {},
) -> list:
    """The rows of an optional CSV file as models; every bad cell named by line and column."""
    table = read_table(path, optional=True, data=pending.get(path.name))
    if table is None:
        return []
    rows = []
    errors: list[InputError] = []
    for line, cells in table.rows:
        if ref and cells.get(ref) is not None and cells[ref] not in known:
            errors.append(InputError(path, f"{what} '{cells[ref]}' không có trong plan.yaml", line=line, **table.place(ref)))
            continue
        try:
            row = model.model_validate({**cells, "source_line": line}, context=table.dialect.context)
        except ValidationError as exc:
            for err in exc.errors():
                column = next((p for p in err["loc"] if isinstance(p, str)), None)
                errors.append(InputError(path, describe(err, named=False), line=line, **table.place(column)))
            continue
        problems = check(row, table) if check else []
        errors.extend(problems)
        if not problems:
            rows.append(row)
    if errors:
        raise InputErrors(errors)
    return rows


def _measurement_range(targets: dict[str, Target]):
    def check(row: Measurement, table: Table) -> list[InputError]:
        target = targets[row.target]
        column = "value" if row.value is not None else "numerator"
        problem = target.value_problem(row.actual)
        if problem is None:
            return []
        return [
            InputError(
                table.path,
                f"chỉ tiêu {target.id}: {problem}",
                line=row.source_line,
                hint=f"kiểm tra số liệu ({target.metric}, đơn vị '{target.unit}')",
                **table.place(column),
            )
        ]

    return check


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
        entry = clean(task, {"deadline", "due", "due_source"})
        entry["deadline"] = task.deadline.phrase
        doc["tasks"].append(entry)
    if folder.targets:
        doc["targets"] = [clean(t) for t in folder.targets]
    return doc


def dump_yaml(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


@contextlib.contextmanager
def writing(folder: str | Path) -> Iterator[Path]:
    """Hold the plan folder's lock (files.py, beside the folder) while reading what a change is
    made from and writing it: two writers of one folder (two `intake read`, an `import` and an
    `intake read`) take turns, each seeing what the other wrote. A writer waits for the other
    up to the bound plan_lock_seconds (limits.py), then stops with exit 4."""
    from dondoc import limits
    from dondoc.files import lock

    folder = Path(os.path.realpath(folder))  # one lock whatever path names the folder
    with lock(folder, wait=limits.limit("plan_lock_seconds")):
        yield folder


def write_files(folder: str | Path, pending: Mapping[str, bytes]) -> dict[str, Path | None]:
    """Write files of a plan folder as one change, under ``writing``'s lock: the folder is read
    as it will be first (every file, every row: the change is refused with exit 2, nothing
    written, if it would not read back), then every file is written at once (files.py
    ``replace_files``: a failure puts back what was written; each previous version is kept as
    NAME.~N~ unless dondoc wrote it unchanged). The result: file name -> the copy kept."""
    from dondoc.files import replace_files

    folder = Path(folder)
    read_plan_folder(folder, pending)
    kept = replace_files({folder / name: data for name, data in pending.items()})
    return {path.name: copy for path, copy in kept.items()}


def write_plan_folder(folder: PlanFolder, out: str | Path) -> Path:
    """Write plan.yaml into ``out`` (files.py): atomically, and a plan.yaml that was there
    before is kept beside it as plan.yaml.~N~, so hand corrections are never lost. The folder
    as it will be (the new plan with the progress, measurements, procedures and deadlines
    already there) must read back, or nothing is written (exit 2)."""
    out = Path(out)
    created = not os.path.lexists(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(out, f"không tạo được thư mục kế hoạch: {exc.strerror or exc}") from None
    try:
        with writing(out) as real:
            write_files(real, {PLAN_FILE: dump_yaml(plan_document(folder)).encode("utf-8")})
    except BaseException:
        if created:
            with contextlib.suppress(OSError):
                out.rmdir()  # the folder made for it, still empty: as it was, absent
        raise
    return out / PLAN_FILE
