"""Importing a plan document (text, Markdown, .docx, text .pdf, old .doc) into the facts `dondoc check` reads.

    result = import_document(Path("ke-hoach.docx"))
    write_plan_folder(result.folder, out)       # facts.planfolder
    result.warnings                              # what could not be read, with lines

The steps, one module each: text.py / docx.py read the file into paragraphs and
tables (document.py); layout.py tells task tables from the rest and joins
paragraphs cut by page breaks; header.py reads the header, monitor.py the unit
that follows the plan; tasks.py the appendix rows, prose.py the assignments of a
plan without appendix; objectives.py finds the targets and targets.py reads
them; units.py the unit names; deadlines.py hands every deadline phrase to
facts.deadline.parse_deadline; report.py the warnings. docs/import.md describes
every reading.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections import Counter
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from dondoc import limits
from dondoc.errors import InputError
from dondoc.facts.importer.clean import tidy_prose
from dondoc.facts.importer.deadlines import read_deadline
from dondoc.facts.importer.docx import read_docx, read_old_word
from dondoc.facts.importer.pdf import read_pdf
from dondoc.facts.importer.document import Source
from dondoc.facts.importer.header import read_header
from dondoc.facts.importer.labelled import labelled_tasks, organisation_duties
from dondoc.facts.importer.layout import arrange, join_paragraphs
from dondoc.facts.importer.monitor import read_monitor
from dondoc.facts.importer.objectives import collect_targets, target_table_units
from dondoc.facts.importer.report import CODES, ImportWarning, warning
from dondoc.facts.importer.prose import appendix_missing, leader_names, read_prose
from dondoc.facts.importer.targets import TargetReading, parse_target
from dondoc.facts.importer.tasks import RawTask, TableState, finish_table_tasks, read_table, split_task_units
from dondoc.facts.importer.text import read_text
from dondoc.facts.importer.units import UnitRegister
from dondoc.facts.deadline import DeadlineKind
from dondoc.facts.models import Plan, PlanFolder, Target, Task

__all__ = ["ImportResult", "ImportWarning", "TargetReading", "import_document", "parse_target", "CODES"]

_ZIP = b"PK\x03\x04"


class ImportResult(BaseModel):
    """The plan folder read from a document, and what the importer has to say about it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    folder: PlanFolder
    warnings: list[ImportWarning]

    def summary(self) -> dict:
        kinds = Counter(task.deadline.kind.value for task in self.folder.tasks)
        return {
            "tasks": len(self.folder.tasks),
            "targets": len(self.folder.targets),
            "units": len(self.folder.units),
            "warnings": len(self.warnings),
            "deadlines": {kind.value: kinds.get(kind.value, 0) for kind in DeadlineKind},
            "warnings_by_code": dict(sorted(Counter(w.code for w in self.warnings).items())),
        }

    def as_json(self) -> dict:
        return {
            "plan": self.folder.plan.model_dump(mode="json"),
            "tasks": [_task_json(task) for task in self.folder.tasks],
            "targets": [_target_json(target) for target in self.folder.targets],
            "units": [unit.model_dump(mode="json") for unit in self.folder.units],
            "warnings": [w.as_json() for w in self.warnings],
        }


def _task_json(task: Task) -> dict:
    return {
        "id": task.id,
        "number": task.number,
        "section": task.section,
        "title": task.title,
        "lead": task.lead,
        "coordinating": task.coordinating,
        "deadline": task.deadline.as_json(),
        "product": task.product,
        "source_line": task.source_line,
    }


def _target_json(target: Target) -> dict:
    return {
        "id": target.id,
        "text": target.text,
        "kind": "target",
        "metric": target.metric,
        "comparison": target.comparison.value,
        "value": target.value,
        "unit": target.unit,
        "baseline_year": target.baseline_year,
        "scope": target.scope,
        "period": target.period,
        "reduction": target.reduction,
        "reason": "",
        "weight": target.weight,
        "category": target.category,
        "lead": target.lead,
    }


def read_source(path: Path) -> Source:
    """The document's paragraphs and tables; InputError for what is no document at all.

    Bounded before it is read (limits.py): the file's size here, then each reader its own
    (a Word file's unpacked size and paragraphs, a PDF's pages, LibreOffice's time)."""
    try:
        found = os.stat(path)
    except OSError:
        found = None  # said below, by the read
    if found is not None and stat.S_ISREG(found.st_mode):
        limits.check("document_bytes", found.st_size, path, "tệp dung lượng (byte)")
    elif found is not None and not stat.S_ISDIR(found.st_mode):  # a FIFO would block the read for ever
        raise InputError(path, "không phải tệp thường (FIFO, thiết bị) (not a regular file)")
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(path, "là thư mục, không phải tệp (a folder, not a file)") from None
    except OSError as exc:
        raise InputError(path, f"không đọc được tệp: {exc.strerror} (cannot read the file)") from None
    if not data.strip():
        raise InputError(path, "tệp rỗng (empty file)", line=1)
    if data.startswith(_ZIP) or path.suffix.lower() == ".docx":
        return read_docx(path)
    if data.startswith(b"%PDF") or path.suffix.lower() == ".pdf":
        return read_pdf(path)
    if path.suffix.lower() == ".doc" or data.startswith(b"\xd0\xcf\x11\xe0"):
        return read_old_word(path)
    return read_text(path, data)


def import_document(path: str | Path) -> ImportResult:
    """Read a plan document; raise InputError (naming file and line) when it is not a plan."""
    path = Path(path)
    source = read_source(path)
    raw_paras, tables, warnings = arrange(source)
    task_tables = [t for t in tables if not t.of_targets]
    target_tables = [t for t in tables if t.of_targets]
    paras = join_paragraphs(raw_paras)
    if not paras and not tables:
        raise InputError(path, "tệp không có nội dung đọc được (no readable content)", line=1)
    header = read_header(paras, path)
    warnings += header.warnings
    year = header.year
    period = (
        header.period_start or dt.date(year, 1, 1),
        header.period_end or dt.date(year, 12, 31),
    )

    prose = None
    labelled: list[RawTask] = []
    if task_tables:
        state = TableState()
        rows: list[RawTask] = []
        for table in task_tables:
            rows += read_table(table, state, warnings)
        raw_tasks = finish_table_tasks(rows, warnings)
    else:
        labelled = labelled_tasks(paras, header.title_index + 1)
        if not any(task.lead_text for task in labelled):
            labelled = []  # "Thời gian thực hiện:" lines alone: assignments (prose.py) read them
        prose = read_prose(paras, header.title_index + 1, [] if labelled else warnings)
        raw_tasks = labelled or prose.tasks
        if not target_tables and not any(w.code == "bang_khong_ro_cot" for w in warnings):
            appendix_missing(paras, warnings)  # an appendix of targets, or unread, is no absence
        leader_names(prose.leaders, warnings)
    if task_tables or labelled:
        # in a plan of either shape, a dated duty of "Tổ chức thực hiện" is a task
        raw_tasks += organisation_duties(paras, header.title_index + 1, year, period)
    if not raw_tasks:
        warnings.append(
            warning(
                None,
                "khong_co_nhiem_vu",
                "Không tìm thấy nhiệm vụ nào: không có bảng phụ lục phân công, cũng không có dòng "
                "'Thời gian thực hiện' trong văn bản",
                "no tasks: no appendix table and no 'Thời gian thực hiện' lines",
            )
        )

    register = UnitRegister()
    for raw in raw_tasks:
        split_task_units(raw)
        for name in raw.leads + raw.coordinating:
            register.add(name)
    for table in target_tables:
        for name in target_table_units(table):
            register.add(name)

    tasks = [_task(raw, register, year, period, warnings) for raw in raw_tasks]
    targets = collect_targets(
        paras, header.title_index + 1, tasks, prose is not None, header, warnings, target_tables, register
    )
    monitor, _ = read_monitor(paras, header.title_index + 1)
    if monitor:
        if not register.knows(monitor):
            register.add(monitor)  # the register names every unit findings can be addressed to
        monitor = register.canonical(monitor)
    plan = Plan(**header.plan_fields(), monitor=monitor)
    folder = PlanFolder(path="", plan=plan, units=register.units(), tasks=tasks, targets=targets)
    ordered = sorted(warnings, key=lambda w: (w.line is None, w.line or 0))
    return ImportResult(folder=folder, warnings=ordered)


def _text(text: str) -> str:
    """A cell as one line, without the list dash it may open with ('- Cập nhật, bổ sung ...')."""
    return tidy_prose(re.sub(r"^[-–+•]\s+", "", re.sub(r"\s+", " ", text).strip()))


def _canonical(names: list[str], register: UnitRegister) -> list[str]:
    out: list[str] = []
    for name in names:
        canonical = register.canonical(name)
        if canonical not in out:
            out.append(canonical)
    return out


def _task(raw: RawTask, register: UnitRegister, year: int, period, warnings: list[ImportWarning]) -> Task:
    deadline, whole = read_deadline(raw.deadline_text, year, period)
    label = f"Nhiệm vụ {raw.id}"

    def cell(role: str) -> str:  # a table row's warning names the cell: its column
        return f" (cột '{raw.columns[role]}')" if role in raw.columns else ""

    at = raw.deadline_line or raw.line
    if not raw.deadline_text.strip():
        warnings.append(
            warning(raw.line, "thieu_thoi_han", f"{label}{cell('deadline')} không ghi thời hạn", f"task {raw.id} has no deadline")
        )
    elif deadline.kind == DeadlineKind.UNPARSED:
        warnings.append(
            warning(
                at,
                "thoi_han_khong_doc_duoc",
                f"{label}{cell('deadline')}: không đọc được thời hạn '{deadline.phrase}'"
                + (f" ({deadline.reason})" if deadline.reason else ""),
                f"task {raw.id}: unreadable deadline",
            )
        )
    elif whole:
        warnings.append(
            warning(
                at,
                "thoi_han_mot_phan",
                f"{label}{cell('deadline')}: thời hạn đọc từ '{deadline.phrase}' trong câu '{whole}'",
                f"task {raw.id}: deadline read from part of the sentence",
            )
        )
    leads = _canonical(raw.leads, register)
    if not leads:
        warnings.append(
            warning(
                raw.line,
                "thieu_don_vi_chu_tri",
                f"{label}{cell('lead')} không có đơn vị chủ trì",
                f"task {raw.id} has no lead unit",
            )
        )
    return Task(
        id=raw.id,
        number=raw.number,
        section=raw.section,
        title=_text(raw.title),
        lead=leads,
        coordinating=[c for c in _canonical(raw.coordinating, register) if c not in leads],
        deadline=deadline,
        product=_text(raw.product),
        source_line=raw.line,
    )
