"""How faithfully plans are read: a corpus of documents, each with a ground truth written by hand.

    corpus/docs/NAME.docx (.pdf, .txt, .md, .doc)   the plan as published
    corpus/truth/NAME.yaml                            what a careful reader finds in it

``measure(corpus)`` imports every document and compares it, item by item, with its truth:
tasks found, their leads and deadlines right (strict: kind, due, start, checkpoint and
occurrences, as ``dondoc parse deadline`` prints them), targets found with comparison, value,
unit and period right, the plan's period right; and the two figures that must stay at zero:
items passed over silently (neither read nor warned about at their line) and warnings no
item of the truth calls for (a false warning). ``dondoc import CORPUS --report`` prints it;
docs/import.md holds the figures the corpus must reach (tests/importer/test_fidelity.py).

A truth file (tests/importer/corpus/truth/ has one per document):

    plan: {issuer: ..., number: ..., issued: 2026-01-12, year: 2026,
           period: [2026-01-01, 2026-12-31], monitor: ..., signer: {authority, title, name}}
    tasks:                       # in document order
      - title: Rà soát, công khai ...          # how the task's text begins
        lead: [Văn phòng HĐND và UBND phường]
        deadline: due 2026-03-31               # the short reading (facts/_deadline_grammar.short)
        warned: thieu_don_vi_chu_tri           # optional: a warning the item must carry
    targets:
      - text: Tỷ lệ hồ sơ ...                  # how the target's sentence or row begins
        target: ">= 90 %"                      # comparison, value, unit
        period: "2026"                         # '' for the plan's own period
        lead: [...]                            # optional
        warned: muc_tieu_khong_doc_duoc        # optional: not a target, warned at its line
    warnings:                    # warnings about the document itself
      - {code: so_ky_hieu_trong, at: "Số: /KH-UBND"}   # at: text of the line it names
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from dondoc.errors import InputError
from dondoc.facts import _deadline_grammar as grammar
from dondoc.facts.deadline import Deadline
from dondoc.facts.importer import import_document, read_source
from dondoc.facts.importer.document import Para, Table
from dondoc.text import nfc, unit_key

DOCUMENT_SUFFIXES = (".docx", ".pdf", ".doc", ".txt", ".md")


def _fold(text: str) -> str:
    """Text compared loosely: NFC, lower case, one space, no markup or edge punctuation."""
    text = re.sub(r"[*_<>]|</?\w+>", " ", nfc(str(text or ""))).lower()
    return re.sub(r"\s+", " ", text).strip(" .;:,-–")


def deadline_short(deadline: Deadline) -> str:
    """A deadline as the truth files write it ('due 2026-03-31', 'recurring quarter ...')."""
    return grammar.short(
        grammar.Reading(
            deadline.kind.value,
            due=deadline.due,
            start=deadline.start,
            checkpoint=deadline.checkpoint,
            occurrences=tuple(deadline.occurrences),
            every=deadline.every,
            covers=tuple(deadline.covers),
        )
    )


def target_short(target) -> str:
    value = target.value
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{target.comparison.value} {shown} {target.unit}".strip()


@dataclass
class Counts:
    tasks: int = 0
    tasks_found: int = 0
    leads_right: int = 0
    deadlines_right: int = 0
    targets: int = 0
    targets_right: int = 0  # found with comparison, value, unit and period right
    target_leads: int = 0  # targets whose truth names a lead
    target_leads_right: int = 0
    periods: int = 0
    periods_right: int = 0
    header: int = 0
    header_right: int = 0
    silent: int = 0  # items neither read nor warned about
    false_warnings: int = 0
    extra: int = 0  # tasks or targets read that the truth does not have

    def add(self, other: "Counts") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def rates(self) -> dict[str, float]:
        def pct(part: int, whole: int) -> float:
            return round(100.0 * part / whole, 1) if whole else 100.0

        return {
            "tasks_found": pct(self.tasks_found, self.tasks),
            "leads_right": pct(self.leads_right, self.tasks),
            "deadlines_strict": pct(self.deadlines_right, self.tasks),
            "targets_right": pct(self.targets_right, self.targets),
            "target_leads_right": pct(self.target_leads_right, self.target_leads),
            "periods_right": pct(self.periods_right, self.periods),
            "header_right": pct(self.header_right, self.header),
        }


@dataclass
class DocumentReport:
    name: str
    level: str
    shape: str
    counts: Counts
    problems: list[str] = field(default_factory=list)  # each miss, in words

    def as_json(self) -> dict:
        return {
            "document": self.name,
            "level": self.level,
            "shape": self.shape,
            "counts": self.counts.__dict__,
            "rates": self.counts.rates(),
            "problems": self.problems,
        }


@dataclass
class Report:
    documents: list[DocumentReport]

    @property
    def total(self) -> Counts:
        total = Counts()
        for doc in self.documents:
            total.add(doc.counts)
        return total

    def as_json(self) -> dict:
        total = self.total
        return {
            "documents": [d.as_json() for d in self.documents],
            "total": {"counts": total.__dict__, "rates": total.rates()},
        }

    def table(self, details: bool = False) -> str:
        """The report as a Markdown table, one row per document and the total."""
        head = (
            "| văn bản | cấp | dạng | nhiệm vụ | tìm thấy | đơn vị chủ trì đúng | thời hạn đúng | chỉ tiêu "
            "| chỉ tiêu đúng | kỳ kế hoạch | bỏ qua không báo | cảnh báo sai | đọc thừa |"
        )
        rule = "| --- " * 13 + "|"
        lines = [head, rule]

        def row(name: str, level: str, shape: str, c: Counts) -> str:
            r = c.rates()
            return (
                f"| {name} | {level} | {shape} | {c.tasks} | {c.tasks_found} ({r['tasks_found']}%) "
                f"| {c.leads_right} ({r['leads_right']}%) | {c.deadlines_right} ({r['deadlines_strict']}%) "
                f"| {c.targets} | {c.targets_right} ({r['targets_right']}%) | {c.periods_right}/{c.periods} "
                f"| {c.silent} | {c.false_warnings} | {c.extra} |"
            )

        for doc in self.documents:
            lines.append(row(doc.name, doc.level, doc.shape, doc.counts))
        lines.append(row("**tổng**", "", "", self.total))
        if details:
            for doc in self.documents:
                for problem in doc.problems:
                    lines.append(f"- {doc.name}: {problem}")
        return "\n".join(lines)


def corpus_documents(corpus: Path) -> list[tuple[Path, Path]]:
    """(document, truth) pairs of a corpus folder; a document without its truth is an error."""
    docs = corpus / "docs"
    truths = corpus / "truth"
    if not docs.is_dir() or not truths.is_dir():
        raise InputError(
            corpus,
            "không phải bộ văn bản kiểm chứng: cần thư mục docs/ (văn bản) và truth/ (kết quả đọc tay) "
            "(not a corpus: docs/ and truth/ are needed)",
        )
    pairs = []
    for document in sorted(docs.iterdir()):
        if document.suffix.lower() not in DOCUMENT_SUFFIXES:
            continue
        truth = truths / f"{document.stem}.yaml"
        if not truth.is_file():
            raise InputError(truth, f"thiếu kết quả đọc tay cho {document.name} (no truth for this document)")
        pairs.append((document, truth))
    if not pairs:
        raise InputError(docs, "thư mục không có văn bản nào (no documents)")
    return pairs


def measure(corpus: str | Path) -> Report:
    corpus = Path(corpus)
    reports = []
    for document, truth_file in corpus_documents(corpus):
        try:
            truth = yaml.safe_load(truth_file.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise InputError(
                truth_file, f"tệp kết quả đọc tay không phải YAML hợp lệ: {exc} (invalid YAML)",
                line=mark.line + 1 if mark else None,
            ) from None
        try:
            result = import_document(document)
        except InputError as exc:  # refused: every item is missed, and said so (not silently)
            reports.append(_refused(document.name, truth, exc))
            continue
        lines = _lines(read_source(document))
        reports.append(compare(document.name, truth, result, lines))
    return Report(reports)


def _lines(source) -> list[tuple[int, str]]:
    """(line, folded text) of every paragraph and table row, to find the line a truth names."""
    out = []
    for block in source.blocks:
        if isinstance(block, Para):
            out.append((block.line, _fold(block.text)))
        elif isinstance(block, Table):
            for row in block.rows:
                out.append((row.line, _fold(" | ".join(row.cells))))
    return out


def _line_of(snippet: str, lines: list[tuple[int, str]]) -> int | None:
    want = _fold(snippet)
    for line, text in lines:
        if want and want in text:
            return line
    return None


def _begins(have: str, want: str) -> bool:
    have, want = _fold(have), _fold(want)
    return bool(want) and (have.startswith(want) or (len(want) >= 25 and want in have))


def _units(names) -> set[str]:
    return {unit_key(n) for n in names or []}


def compare(name: str, truth: dict, result, lines: list[tuple[int, str]]) -> DocumentReport:
    c = Counts()
    problems: list[str] = []
    folder = result.folder
    warnings = [(w.line, w.code) for w in result.warnings]
    called_for: set[tuple[int | None, str]] = set()  # warnings the truth expects

    def warned(code: str, at: str) -> bool:
        line = _line_of(at, lines)
        key = (line, code)
        called_for.add(key)
        return key in warnings

    # the plan
    plan = folder.plan
    want_plan = truth.get("plan") or {}
    if "period" in want_plan or "year" in want_plan:
        c.periods += 1
        start, end = (want_plan.get("period") or [None, None])
        got = (plan.year, plan.start, plan.end)
        want = (want_plan.get("year", plan.year), _date(start) or plan.start, _date(end) or plan.end)
        if got == want:
            c.periods_right += 1
        else:
            problems.append(f"kỳ kế hoạch {got} thay vì {want}")
    for key in ("issuer", "number", "issued", "monitor", "signer"):
        if key not in want_plan:
            continue
        c.header += 1
        have = plan.model_dump(mode="json").get(key)
        want = want_plan[key]
        if key == "issued":
            want = str(want)
        if key == "signer":
            have = {k: have.get(k) for k in want}
        if have == want:
            c.header_right += 1
        else:
            problems.append(f"{key}: đọc '{have}', đúng là '{want}'")

    # tasks, matched in order by how their text begins
    unused = list(folder.tasks)
    for want in truth.get("tasks") or []:
        c.tasks += 1
        task = next((t for t in unused if _begins(t.title, want["title"])), None)
        code = want.get("warned")
        flagged = bool(code) and warned(code, want.get("at", want["title"]))
        if task is None:
            if not flagged:
                c.silent += 1
                problems.append(f"nhiệm vụ bỏ qua không báo: '{want['title']}'")
            else:
                problems.append(f"nhiệm vụ không đọc được (có cảnh báo {code}): '{want['title']}'")
            continue
        unused.remove(task)
        c.tasks_found += 1
        if code and not flagged:
            problems.append(f"nhiệm vụ '{want['title']}': thiếu cảnh báo {code}")
        if _units(task.lead) == _units(want.get("lead")):
            c.leads_right += 1
        else:
            problems.append(f"nhiệm vụ '{want['title']}': chủ trì {task.lead}, đúng là {want.get('lead')}")
        got = deadline_short(task.deadline)
        if got == want.get("deadline"):
            c.deadlines_right += 1
        else:
            problems.append(f"nhiệm vụ '{want['title']}': thời hạn '{got}', đúng là '{want.get('deadline')}'")
    c.extra += len(unused)
    problems += [f"nhiệm vụ thừa: '{t.title[:60]}'" for t in unused]

    # targets
    left = list(folder.targets)
    for want in truth.get("targets") or []:
        c.targets += 1
        code = want.get("warned")
        if "target" not in want:  # not a target: it must be warned about, and not read as one
            flagged = warned(code or "muc_tieu_khong_doc_duoc", want.get("at", want["text"]))
            read = next((t for t in left if _begins(t.text, want["text"])), None)
            if read is not None:
                left.remove(read)
                c.extra += 1
                problems.append(f"đọc thành chỉ tiêu điều không phải chỉ tiêu: '{want['text']}'")
            if flagged:
                c.targets_right += 1
            else:
                c.silent += 1
                problems.append(f"mục tiêu không có cảnh báo {code or 'muc_tieu_khong_doc_duoc'}: '{want['text']}'")
            continue
        same = [t for t in left if _begins(t.text, want["text"]) or _begins(t.metric, want["text"])]
        target = next((t for t in same if target_short(t) == want["target"]), same[0] if same else None)
        if target is None:
            if code and warned(code, want.get("at", want["text"])):
                problems.append(f"chỉ tiêu không đọc được (có cảnh báo {code}): '{want['text']}'")
            else:
                c.silent += 1
                problems.append(f"chỉ tiêu bỏ qua không báo: '{want['text']}'")
            continue
        left.remove(target)
        right = target_short(target) == want["target"] and (target.period or "") == str(want.get("period", ""))
        if right:
            c.targets_right += 1
        else:
            problems.append(
                f"chỉ tiêu '{want['text']}': đọc '{target_short(target)}' kỳ '{target.period}', đúng là "
                f"'{want['target']}' kỳ '{want.get('period', '')}'"
            )
        if "lead" in want:
            c.target_leads += 1
            if _units(target.lead) == _units(want["lead"]):
                c.target_leads_right += 1
            else:
                problems.append(f"chỉ tiêu '{want['text']}': chủ trì {target.lead}, đúng là {want['lead']}")
    c.extra += len(left)
    problems += [f"chỉ tiêu thừa: '{t.text[:60]}'" for t in left]

    # warnings about the document itself; then any warning nothing calls for is false
    for want in truth.get("warnings") or []:
        if not warned(want["code"], want["at"]):
            problems.append(f"thiếu cảnh báo {want['code']} ở '{want['at']}'")
    for line, code in warnings:
        if (line, code) not in called_for:
            c.false_warnings += 1
            message = next(w.message for w in result.warnings if (w.line, w.code) == (line, code))
            problems.append(f"cảnh báo sai (dòng {line}, {code}): {message[:120]}")
    return DocumentReport(name, str(truth.get("level", "")), str(truth.get("shape", "")), c, problems)


def _refused(name: str, truth: dict, error: InputError) -> DocumentReport:
    c = Counts(tasks=len(truth.get("tasks") or []), targets=len(truth.get("targets") or []))
    c.periods = 1 if "plan" in truth else 0
    return DocumentReport(name, str(truth.get("level", "")), str(truth.get("shape", "")), c, [f"không đọc được: {error}"])


def _date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
