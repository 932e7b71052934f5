"""The fidelity corpus (tests/importer/corpus): every plan read as its hand-written truth says.

Each document: every task and target of the truth is read, or warned about at its line (none
passed over silently), and no warning is one the truth does not call for. The total: the
figures of the table in docs/import.md ("Độ trung thực"), which `make test` holds the importer
to; `make fidelity` prints the table.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from dondoc.facts.importer.fidelity import Report, compare, corpus_documents, measure

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "corpus"
DOCUMENTS = [d for d, _ in corpus_documents(CORPUS)]


@pytest.fixture(scope="module")
def report() -> Report:
    return measure(CORPUS)


def by_name(report: Report, name: str):
    return next(d for d in report.documents if d.name == name)


def test_the_corpus_has_every_level_shape_and_format():
    truths = [yaml.safe_load(t.read_text(encoding="utf-8")) for _, t in corpus_documents(CORPUS)]
    assert len(DOCUMENTS) >= 12
    levels = " ".join(t["level"] for t in truths)
    for level in ("xã", "phường", "tỉnh", "thành phố", "huyện"):
        assert level in levels, level
    shapes = " ".join(t["shape"] for t in truths)
    assert "lời văn" in shapes and "phụ lục" in shapes
    suffixes = {d.suffix for d in DOCUMENTS}
    assert {".docx", ".pdf"} <= suffixes


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.stem)
def test_every_item_is_read_or_warned_and_every_warning_is_true(report, document):
    doc = by_name(report, document.name)
    c = doc.counts
    read = c.tasks_found + c.targets_right  # targets: read right, or (not targets) warned
    assert c.silent == 0, doc.problems
    assert c.false_warnings == 0, doc.problems
    assert c.extra == 0, doc.problems
    assert c.tasks_found == c.tasks, doc.problems
    assert read + c.silent <= c.tasks + c.targets


def _thresholds() -> dict[str, float]:
    """The table of docs/import.md, 'Độ trung thực': measure -> the least the corpus must reach."""
    text = (ROOT / "docs" / "import.md").read_text(encoding="utf-8")
    section = text.split("### Độ trung thực", 1)[1].split("\n#", 1)[0]
    out = {}
    for key, value in re.findall(r"^\|\s*`(\w+)`\s*\|[^|]*\|\s*([\d.]+)\s*%?\s*\|", section, re.M):
        out[key] = float(value)
    return out


def test_the_totals_reach_the_table_in_the_docs(report):
    limits = _thresholds()
    assert set(limits) == {"tasks_found", "deadlines_strict", "targets_right", "silent", "false_warnings", "extra"}
    total = report.total
    rates = total.rates()
    for key in ("tasks_found", "deadlines_strict", "targets_right"):
        assert rates[key] >= limits[key], (key, rates[key], report.table(details=True))
    for key in ("silent", "false_warnings", "extra"):
        assert getattr(total, key) <= limits[key], (key, report.table(details=True))


def test_a_silent_skip_and_a_false_warning_are_counted(report):
    """The measure can fail: a truth with a task the document does not have is a silent skip, and
    a warning the truth does not call for is a false one."""
    from dondoc.facts.importer import import_document, read_source
    from dondoc.facts.importer.fidelity import _lines

    document = CORPUS / "docs" / "11-xa-khoang-thoi-gian.docx"
    truth = yaml.safe_load((CORPUS / "truth" / "11-xa-khoang-thoi-gian.yaml").read_text(encoding="utf-8"))
    truth["tasks"].append({"title": "Một nhiệm vụ không có trong văn bản", "lead": [], "deadline": "continuous"})
    truth["warnings"] = []  # the blank number's warning, now called for by nothing
    got = compare(document.name, truth, import_document(document), _lines(read_source(document)))
    assert got.counts.silent == 1 and got.counts.false_warnings == 1


def test_the_report_prints_one_row_per_document_and_the_total(report):
    table = report.table()
    assert table.count("\n") == len(DOCUMENTS) + 2
    assert "**tổng**" in table.splitlines()[-1]
