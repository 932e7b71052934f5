"""Small files that grow large when read: the hostile inputs of tests/hostile/test_bounds.py.

    python -m tests.hostile.bombs DIR    # writes the issue's cases at full size into DIR

Each is made here, by code, never checked in: a workbook with one cell at row 1,048,576, a zip
bomb of a workbook (and of a Word file), a PDF of thousands of pages sharing one content
stream, a Word file of 200,000 empty paragraphs.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

from openpyxl import load_workbook

PAD = b" " * (1 << 20)


def far_cell(template: Path, out: Path, row: int, column: int = 1, sheet: str = "Chỉ tiêu") -> Path:
    """A unit's workbook with one more cell, at ``row`` (1,048,576: Excel's last) and ``column``."""
    book = load_workbook(template)
    book[sheet].cell(row, column, "x")
    book.save(out)
    return out


def inflated(source: Path, out: Path, part_suffix: str, extra: int) -> Path:
    """``source`` with ``extra`` bytes of blanks inside the first part whose name ends with
    ``part_suffix``: valid XML, a few KB packed, ``extra`` bytes unpacked."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        done = False
        for info in src.infolist():
            data = src.read(info.filename)
            if not done and info.filename.endswith(part_suffix):
                cut = data.index(b">", data.index(b"<", data.index(b"?>") + 2 if b"?>" in data else 0)) + 1
                head, rest = data[:cut], data[cut:]  # blanks right after the root element's opening tag
                with dst.open(info.filename, "w", force_zip64=True) as part:
                    part.write(head)
                    left = extra
                    while left > 0:
                        part.write(PAD[: min(left, len(PAD))])
                        left -= len(PAD)
                    part.write(rest)
                done = True
            else:
                dst.writestr(info, data)
    return out


def pdf_pages(out: Path, pages: int, lines: int = 1) -> Path:
    """A text PDF of ``pages`` pages that all draw one shared content stream of ``lines`` lines
    of 90 characters: a few KB packed, as many characters to lay out on every page."""
    line = "KE HOACH thu nghiem " * 4 + "1234567890"
    content = ("BT /F1 7 Tf 20 830 Td 8 TL " + " ".join(f"({line}) '" for _ in range(lines)) + " ET").encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(f"{5 + i} 0 R".encode() for i in range(pages)) + b"] /Count %d >>" % pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"] * pages
    body = b"%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    out.write_bytes(body)
    return out


def docx_paragraphs(out: Path, paragraphs: int, text: str = "") -> Path:
    """A Word file of ``paragraphs`` paragraphs (empty by default): a few KB packed."""
    import docx

    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH thử")
    with zipfile.ZipFile(_save(document, out)) as src:
        parts = {info.filename: src.read(info.filename) for info in src.infolist()}
    run = f"<w:r><w:t>{text}</w:t></w:r>" if text else ""
    body = (f"<w:p>{run}</w:p>" * (paragraphs - 1)).encode()
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"<w:sectPr", body + b"<w:sectPr", 1)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    return out


def _save(document, out: Path) -> Path:
    document.save(str(out))
    return out


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "out/bombs")
    folder.mkdir(parents=True, exist_ok=True)
    pdf_pages(folder / "2000-trang.pdf", 2000, lines=100)
    docx_paragraphs(folder / "200000-doan.docx", 200_000)
    print(f"written into {folder}: " + ", ".join(sorted(p.name for p in folder.iterdir())))


if __name__ == "__main__":
    main()
