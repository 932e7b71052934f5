"""Word documents (.docx, read with python-docx) into the same paragraphs and tables.

Paragraphs and tables are read in body order. A cell merged across columns is
read once (its text in the first column it covers). Tables that follow one
another with only empty paragraphs between are one table broken by pages, as
PDF-to-Word conversions leave them: the rows go on with a page break.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from dondoc import limits
from dondoc.errors import BoundError, InputError
from dondoc.facts.importer.clean import clean_cell, nfc, squeeze, strip_html
from dondoc.facts.importer.document import Block, Para, Row, Source, Table
from dondoc.facts.importer.numbering import Numbering

_HEADING_STYLE = re.compile(r"^(?:heading|tiêu đề)\s*(\d)$", re.IGNORECASE)
_FOOTNOTE_MARK = re.compile(r"^\(?\d+\)?$")


def read_docx(path: Path) -> Source:
    try:
        import docx  # python-docx
        from docx.oxml.ns import qn
        from docx.opc.exceptions import PackageNotFoundError
        from docx.table import Table as WordTable
        from docx.text.paragraph import Paragraph as WordParagraph
    except ImportError:  # pragma: no cover - a missing dependency, not bad input
        raise InputError(path, "cần python-docx để đọc .docx (python-docx is not installed)") from None
    try:
        _bounded(path)
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise InputError(
            path,
            f"không mở được tệp Word (.docx): {exc} (not a readable .docx file)",
            line=1,
            hint="mở bằng Word và lưu lại dạng .docx / open in Word and save as .docx",
        ) from None
    except BoundError:
        raise
    except Exception as exc:  # lxml errors on damaged XML parts
        raise InputError(path, f"tệp Word bị hỏng: {exc} (damaged .docx)", line=1) from None

    # Counted in lxml's C before python-docx walks them (200,000 empty paragraphs took > 5 min).
    paragraphs = sum(1 for _ in document.element.body.iter(qn("w:p")))
    limits.check("docx_paragraphs", paragraphs, path, "số đoạn văn (kể cả trong bảng)", line=1)
    numbering = Numbering(document)
    blocks: list[Block] = []
    line = 0
    joinable = False  # the last block is a table and only empty paragraphs came after it
    for item in document.iter_inner_content():
        if isinstance(item, WordParagraph):
            line += 1
            para = _paragraph(item, line, numbering.label(item))
            if para is None:
                continue
            blocks.extend(_broken(item, para))
            joinable = False
        elif isinstance(item, WordTable):
            rows = []
            above: list = []
            for row in item.rows:
                line += 1
                cells = _cells(row, numbering)
                # A cell merged down (Word's vMerge) is read in every row it spans: a lead unit
                # over several tasks belongs to each; the rows know which cells go on.
                tcs = [cell._tc for cell in row.cells]
                spans = frozenset(i for i, tc in enumerate(tcs) if i < len(above) and above[i] is tc)
                above = tcs
                if any(cells):
                    rows.append(Row(line, cells, page_break=not rows and joinable, spans=spans))
            if not rows:
                continue
            if joinable and isinstance(blocks[-1], Table):
                previous = blocks.pop()
                blocks.append(Table(previous.line, previous.rows + tuple(rows)))
            else:
                rows[0] = Row(rows[0].line, rows[0].cells, page_break=False, spans=rows[0].spans)
                blocks.append(Table(rows[0].line, tuple(rows)))
            joinable = True
    return Source(path=path, blocks=tuple(blocks), kind="docx")


def _bounded(path: Path) -> None:
    """A Word file's unpacked size, before python-docx inflates it (a zip bomb is refused here).
    The declared sizes bound what is inflated: zipfile stops at them."""
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    limits.check("docx_bytes", unpacked, path, "tệp Word giải nén ra (byte)", line=1)


def _paragraph(paragraph, line: int, label: str = "") -> Para | None:
    runs = _runs(paragraph)
    footnote = bool(runs) and runs[0][2] and bool(_FOOTNOTE_MARK.match(runs[0][0].strip()))
    text = "".join(t for t, _, sup in runs if not sup or footnote)
    text = squeeze(strip_html(nfc(text)))
    if not text:
        return None
    if label:  # Word's automatic number, read as if typed
        text = f"{label} {text}"
    bold = ""
    lead_in = f"{label} " if label else ""  # a list marker before the bold text ("a) " + "Giao ...")
    for run_text, is_bold, sup in runs:
        if sup:
            continue
        if not is_bold:
            if not bold and re.fullmatch(r"\s*(?:[a-zđ]\)|\d+(?:\.\d+)*\.)?\s*", lead_in + run_text):
                lead_in += run_text
                continue
            if run_text.strip():
                break
            continue
        bold += run_text
    if bold.strip():
        bold = lead_in + bold
    style = paragraph.style.name if paragraph.style is not None else ""
    heading = _HEADING_STYLE.match(style or "")
    level = int(heading.group(1)) if heading else (1 if style == "Title" else 0)
    return Para(line, text, level, squeeze(nfc(bold)), footnote)


_BLOCK_LINE = 60  # a line of a header or signature block, not of running text


def _broken(paragraph, para: Para) -> list[Para]:
    """A paragraph typed as a block with line breaks (Shift+Enter): the signature "TM. ỦY BAN
    NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / name", the issuer "ỦY BAN NHÂN DÂN / XÃ ...". Its
    lines are read as the lines they are; a long paragraph with a break inside goes on as one."""
    raw = "".join(t for t, _, sup in _runs(paragraph) if not sup)
    lines = [squeeze(strip_html(nfc(line))) for line in raw.split("\n")]
    lines = [line for line in lines if line]
    if len(lines) < 2 or any(len(line) > _BLOCK_LINE for line in lines) or para.level:
        return [para]
    if squeeze(" ".join(lines)) != para.text:
        return [para]  # a number Word draws, or a footnote: kept as one paragraph
    bold = bool(para.bold) and para.bold == para.text
    return [Para(para.line, line, 0, line if bold else "", para.footnote) for line in lines]


def _runs(paragraph) -> list[tuple[str, bool, bool]]:
    """(text, bold, superscript) for each run, hyperlinks included."""
    out = []
    for item in paragraph.iter_inner_content():
        for run in getattr(item, "runs", None) or [item]:
            bold = bool(run.bold) or bool(run.style is not None and run.style.font.bold)
            out.append((run.text, bold, bool(run.font.superscript)))
    return out


def _cells(row, numbering: Numbering) -> tuple[str, ...]:
    cells = [""] * (getattr(row, "grid_cols_before", 0) or 0)
    previous = None
    for cell in row.cells:
        if previous is not None and cell._tc is previous:
            cells.append("")  # the same cell spanning another column: read it once
            continue
        previous = cell._tc
        lines = []
        for p in cell.paragraphs:
            label = numbering.label(p)
            lines.append(f"{label} {p.text}".strip() if label else p.text)
        cells.append(clean_cell("\n".join(lines)))
    return tuple(cells)


def read_old_word(path: Path) -> Source:
    """An old Word file (.doc), converted to .docx by LibreOffice headless when it is installed."""
    import contextlib
    import os
    import shutil
    import signal
    import subprocess
    import tempfile

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise InputError(
            path,
            "tệp Word cũ (.doc) cần LibreOffice để chuyển sang .docx, máy này chưa cài LibreOffice "
            "(old .doc needs LibreOffice, which is not installed)",
            line=1,
            hint="cài LibreOffice (apt-get install libreoffice-writer-nogui) hoặc mở bằng Word và lưu "
            "thành .docx / install LibreOffice, or save the file as .docx in Word",
        )
    with tempfile.TemporaryDirectory(prefix="dondoc-doc-") as tmp:
        # A profile of its own: a LibreOffice already open on the machine must not take the job.
        profile = Path(tmp, "profile").as_uri()
        # The file by its absolute path: a name opening with '-' is never read as an option.
        # soffice runs in a session of its own, bounded in time; the whole session (soffice.bin
        # and what it started) is killed when the conversion ends, however it ends.
        seconds = limits.limit("doc_seconds")
        try:
            process = subprocess.Popen(
                [office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx",
                 "--outdir", tmp, os.path.abspath(path)],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
            )
        except OSError as exc:
            raise InputError(path, f"LibreOffice không chuyển được tệp .doc: {exc} (conversion failed)", line=1) from None
        try:
            process.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            raise limits.exceeded("doc_seconds", path, f"LibreOffice chưa chuyển xong sau {seconds} giây", line=1) from None
        finally:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        converted = Path(tmp) / (path.stem + ".docx")
        if process.returncode != 0 or not converted.is_file():
            raise InputError(
                path,
                "LibreOffice không chuyển được tệp .doc sang .docx: tệp hỏng hoặc không phải Word "
                "(LibreOffice could not convert the .doc)",
                line=1,
                hint="mở bằng Word và lưu thành .docx / open in Word and save as .docx",
            )
        source = read_docx(converted)
    return Source(path=path, blocks=source.blocks, kind="doc")
