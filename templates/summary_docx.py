"""The Chairman's summary as a Word document (python-docx), from the same context as the HTML.

A4, the margins of Nghị định 30/2020 (top and bottom 20 mm, left 30 mm, right 15 mm),
Times New Roman, the title block as a borderless table, page numbers from page 2. Its
font and page-number field are the notices' (templates/docx_template.py); the rest is built
here, since the report is not a letter from a template a commune edits.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Row

from dondoc.templates.docx_template import FONT, _border, page_number_field
from dondoc.templates.formats import dmy, unbroken_numbers, vn_count, vn_date_words


def _font(run, size: float, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _para(container, text: str = "", size: float = 14, *, bold=False, italic=False, align=None, indent=True, after=6, before=0, keep=False):
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(before)
    fmt.keep_with_next = keep
    if indent:
        fmt.first_line_indent = Cm(1)
    p.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    if text:
        _font(p.add_run(text), size, bold, italic)
    return p


def _cell_text(cell, text: str, size: float = 11, *, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.LEFT) -> None:
    p = cell.paragraphs[0]
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.first_line_indent = Cm(0)
    for i, line in enumerate(str(text).split("\n")):
        if i:
            p = cell.add_paragraph()
            p.alignment = align
            p.paragraph_format.space_after = Pt(0)
            p.paragraph_format.first_line_indent = Cm(0)
        _font(p.add_run(line), size, bold, italic)


def _borders(table, value: str = "single") -> None:
    """Every edge of the table, the last row's bottom included (a style's borders are not
    drawn alike by Word and LibreOffice); "nil" for the borderless title block."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), value)
        if value != "nil":
            el.set(qn("w:sz"), "4")
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def _no_borders(table) -> None:
    _borders(table, "nil")


def _narrow_margins(table, twips: int = 30) -> None:
    """Cell margins of about 0.5 mm left and right, so a narrow numeric column keeps whole words."""
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(twips))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.append(margins)


def _row_flags(row, header: bool = False) -> None:
    """A row never split over two pages; a header row repeated on each page."""
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    if header:
        el = OxmlElement("w:tblHeader")
        el.set(qn("w:val"), "true")
        trpr.append(el)


def _keep_rows_together(rows) -> None:
    """Each row kept on the page of the next (Word's way to keep a total row with the row above)."""
    for row in rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True


def _page_numbers(section) -> None:
    """Page number centred at the top, from page 2 (ND30)."""
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page_number_field(p)


def _data_table(doc, headers: list[str], rows: list[list[str]], widths_cm: list[float], size: float = 11, centre: set[int] = frozenset(), header_size: float | None = None, groups: list[tuple[str, int]] | None = None):
    """A bordered table; ``groups``: an upper header row of (title, columns spanned), where a
    title of "" leaves the column's own header to span both rows."""
    top = 1 if groups else 0
    table = doc.add_table(rows=1 + top, cols=len(headers))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borders(table)
    hsize = header_size or size
    if groups:
        col = 0
        for title, span in groups:
            first, last = table.rows[0].cells[col], table.rows[0].cells[col + span - 1]
            if title:
                cell = first.merge(last) if span > 1 else first
                _cell_text(cell, title, hsize, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
            else:
                for i in range(col, col + span):
                    upper, lower = table.rows[0].cells[i], table.rows[1].cells[i]
                    _cell_text(upper, headers[i], hsize, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
                    upper.merge(lower)
            col += span
    for i, text in enumerate(headers):
        cell = table.rows[top].cells[i]
        if not groups or cell.text == "":
            _cell_text(cell, text, hsize, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for row in table.rows:
        _row_flags(row, header=True)
    grid = table._tbl.tblGrid.gridCol_lst  # once: python-docx's add_row looks it up again for every row (quadratic)
    for values in rows:
        row = _add_row(table, grid)
        _row_flags(row)
        for i, text in enumerate(values):
            _cell_text(row.cells[i], unbroken_numbers(text), size, align=WD_ALIGN_PARAGRAPH.CENTER if i in centre else WD_ALIGN_PARAGRAPH.LEFT)
    _widths(table, widths_cm)
    return table


def _add_row(table, grid) -> _Row:
    """python-docx's ``Table.add_row`` with the table's grid columns given: a row, one cell per column."""
    tr = table._tbl.add_tr()
    for column in grid:
        tc = tr.add_tc()
        if column.w is not None:
            tc.width = column.w
    return _Row(tr, table)


def _widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths: Word reads the cells', LibreOffice the grid's; set both."""
    table.autofit = False
    for i, width in enumerate(widths_cm):
        table.columns[i].width = Cm(width)
        for cell in table.columns[i].cells:
            cell.width = Cm(width)


def render_docx(summary, ctx: dict[str, Any]) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    _page_numbers(section)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)

    if ctx["draft"]:  # the plan is a draft: so is its report (as the letters are marked)
        mark = _para(doc, "DỰ THẢO", 12, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, after=4)
        _box(mark)
    head = doc.add_table(rows=2, cols=2)
    _no_borders(head)
    left, right = head.rows[0].cells
    _cell_text(left, ctx["superior"], 13, align=WD_ALIGN_PARAGRAPH.CENTER)
    for line in ctx["unit_lines"]:
        p = left.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        _font(p.add_run(line), 13, bold=True)
    _cell_text(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    p = right.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    motto = p.add_run("Độc lập - Tự do - Hạnh phúc")
    _font(motto, 14, bold=True)
    motto.font.underline = True
    left, right = head.rows[1].cells
    _cell_text(left, ctx["number_line"], 13, align=WD_ALIGN_PARAGRAPH.CENTER)

    plan = ctx["plan"]
    _cell_text(right, vn_date_words(summary.date, plan.locality), 14, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _widths(head, [6.5, 10.0])

    _para(doc, "BÁO CÁO", 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, after=0, before=14)
    _para(doc, f"Kết quả theo dõi, đôn đốc thực hiện {ctx['plan_ref']}", 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, after=2)
    _para(doc, "_______", 14, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _para(doc, f"Kính gửi: {ctx['chairman']}.", 14, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _para(
        doc,
        f"Thực hiện {ctx['citation']}, {ctx['monitor']} báo cáo kết quả "
        f"theo dõi, kiểm tra tình hình thực hiện đến ngày {dmy(summary.as_of)} như sau:",
    )

    s = summary
    captions = ctx["captions"]  # numbered in print order, as the HTML numbers them
    labels, sev_labels = ctx["section_labels"], ctx["severity_labels"]
    _para(doc, "I. TÌNH HÌNH THỰC HIỆN CỦA CÁC ĐƠN VỊ", bold=True, keep=True)
    _para(doc, ctx["headline"])
    if ctx["stopped_note"]:
        _para(doc, ctx["stopped_note"])
    _caption(doc, captions["units"])
    headers = ["TT", "Đơn vị", *(labels[c] for c in s.classes), "Tổng số nội dung", *(sev_labels[v] for v in s.severities)]
    rows = [
        [str(i), r.unit, *(str(r.classes[c]) for c in s.classes), str(r.items), *(str(r.severities[v]) for v in s.severities)]
        for i, r in enumerate(s.units, 1)
    ]
    rows.append(["", "Tổng cộng", *(str(s.totals[c]) for c in s.classes), str(s.totals["items"]), *(str(s.totals[v]) for v in s.severities)])
    groups = [("", 2), *([("Theo mục của công văn", len(s.classes))] if s.classes else []), ("", 1), ("Theo mức độ", len(s.severities))]
    numeric = len(headers) - 2
    table = _data_table(doc, headers, rows, [1.0, 3.9] + [11.6 / numeric] * numeric, 9, centre=set(range(0, len(headers))) - {1}, header_size=8, groups=groups)
    _narrow_margins(table)
    for cell in table.rows[-1].cells:  # the total row, in bold as in the HTML
        for p in cell.paragraphs:
            for run in p.runs:
                run.font.bold = True
    _keep_rows_together(table.rows[-2:-1])
    _chart(doc, s.charts[0], captions)

    _para(doc, "II. CÁC NỘI DUNG QUÁ HẠN, NGHIÊM TRỌNG", bold=True, keep=True)
    if s.late:
        _para(doc, ctx["late_lead"], keep=True)
        _caption(doc, captions["late"])
        rows = [[str(i), r.unit, r.subject, r.status, sev_labels[r.severity]] for i, r in enumerate(s.late, 1)]
        _data_table(doc, ["TT", "Đơn vị chủ trì", "Nội dung", "Tình trạng", "Mức độ"], rows, [1.0, 3.6, 5.6, 4.0, 2.3], 11, centre={0, 4})
        _space_after_table(doc)
        if ctx["late_rest"]:
            _para(doc, ctx["late_rest"])
    else:
        _para(doc, "Không có nội dung nào quá hạn hoặc ở mức nghiêm trọng.")

    _para(doc, "III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", bold=True, keep=True)
    if s.targets:
        _caption(doc, captions["targets"])
        rows = [
            [str(t.number), t.text, t.units, t.required, t.actual + (f"\n(ngày {t.measured_on})" if t.measured_on else ""), t.verdict]
            for t in s.targets
        ]
        _data_table(doc, ["TT", "Chỉ tiêu", "Đơn vị chủ trì", "Yêu cầu", "Kết quả", "Đánh giá"], rows, [1.0, 5.3, 2.8, 2.2, 2.4, 2.8], 10, centre={0, 3, 4})
        _chart(doc, s.charts[1], captions)
    else:
        _para(doc, "Kế hoạch không đặt chỉ tiêu định lượng.")
    if s.targets:
        _para(doc, "IV. CÁC CHỈ TIÊU CÓ NGUY CƠ KHÔNG ĐẠT", bold=True, keep=True)
        if s.warnings:
            _para(doc, f"Có {vn_count(len(s.warnings))} chỉ tiêu hiện đạt yêu cầu, nhưng nếu giữ xu hướng của các lần đo"
                       " trong kỳ thì đến hết kỳ có nguy cơ không đạt; các đơn vị đã được nhắc trong công văn đôn đốc:", keep=True)
            _caption(doc, captions["warnings"])
            _data_table(doc, ["TT", "Chỉ tiêu", "Đơn vị chủ trì", "Kết quả hiện nay", "Dự kiến đến hết kỳ", "Yêu cầu"],
                        [[str(i), r.subject, r.unit, r.now, r.projected, r.required] for i, r in enumerate(s.warnings, 1)],
                        [1.0, 4.6, 2.9, 2.7, 3.0, 2.3], 10, centre={0, 3, 4, 5})
            _space_after_table(doc)
        else:
            _para(doc, "Chưa có chỉ tiêu nào được dự báo có nguy cơ không đạt đến hết kỳ (dự báo theo xu hướng khi chỉ"
                       f" tiêu có từ {vn_count(ctx['min_points'])} lần đo trong kỳ).")
    if s.follow is not None:
        _para(doc, f"{'V' if s.targets else 'IV'}. THEO DÕI, ĐÔN ĐỐC QUA CÔNG VĂN", bold=True, keep=True)
        _para(doc, s.follow.since)
        if s.follow.resolved:
            _para(doc, ctx["resolved_lead"], keep=True)
            for i, item in enumerate(s.follow.resolved):
                _para(doc, f"- {unbroken_numbers(item)}{'.' if i == len(s.follow.resolved) - 1 else ';'}")
        if s.follow.letters:
            _caption(doc, captions["letters"])
            _data_table(doc, ["TT", "Đơn vị", "Công văn gần nhất", "Hạn báo cáo", "Lần kiểm tra này"],
                        [[str(i), r.units, r.last, r.reply, r.tonight] for i, r in enumerate(s.follow.letters, 1)],
                        [1.0, 3.9, 3.9, 3.5, 3.9], 10, centre={0})
            _space_after_table(doc)
    # The last sentence stays on the page of the signature.
    _para(doc, f"{ctx['monitor']} kính báo cáo {ctx['chairman']} xem xét, chỉ đạo./.", keep=True, before=6)

    closing = doc.add_table(rows=1, cols=2)
    _no_borders(closing)
    _row_flags(closing.rows[0])
    left, right = closing.rows[0].cells
    _cell_text(left, "Nơi nhận:", 12, bold=True, italic=True)
    for line in ("- Như trên;", f"- {ctx['archive']}"):
        p = left.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        _font(p.add_run(line), 11)
    _cell_text(right, "\n".join([*ctx["signer_authority"], ctx["signer_title"]]), 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    if ctx["signer_name"]:
        p = right.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_before = Pt(60)  # room for the signature and seal, as in the letters
        _font(p.add_run(ctx["signer_name"]), 14, bold=True)
    _widths(closing, [8.0, 8.5])

    buffer = io.BytesIO()
    doc.core_properties.title = f"Báo cáo tổng hợp - {ctx['plan_ref']}"
    doc.save(buffer)
    return _stable_zip(buffer.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """The same report gives the same bytes: python-docx stamps each part with the time of
    writing, which would make two runs of the same night differ."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info))
    return out.getvalue()


def _box(paragraph) -> None:
    """A thin box around a paragraph (the "DỰ THẢO" mark), kept to the width of its text."""
    _border(paragraph, "", box=True)
    paragraph.paragraph_format.left_indent = Cm(13.0)


def _caption(doc, text: str) -> None:
    """A table's caption, kept on the page of its table."""
    _para(doc, text, 12, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, after=4, before=4, keep=True)


def _space_after_table(doc) -> None:
    """Room between a table and the text after it (Word sets a table flush against the next paragraph)."""
    _para(doc, "", 6, indent=False, after=0)


def _chart(doc, chart, captions: dict[str, str]) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_before = Pt(8)
    p.paragraph_format.keep_with_next = True  # the chart and its caption on one page
    p.add_run().add_picture(io.BytesIO(chart.png), width=Cm(16))
    _para(doc, captions[f"chart:{chart.name}"], 12, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, after=10)
