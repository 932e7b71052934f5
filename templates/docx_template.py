"""Builds notice.docx, the Word template of the notice (docxtpl tags inside a normal document).

    .venv/bin/python -m dondoc.templates.docx_template        # rewrites templates/notice.docx

The shipped notice.docx is this module's output (a test checks they agree); a commune
copies it, edits it in Word or LibreOffice (wording, fonts, the Nơi nhận lines) and
names its folder with ``--templates`` or ``templates:`` in dondoc.yaml. The tags are
docxtpl's: {{ name }}, {%p ... %} for a whole paragraph, {%tr ... %} for a table row,
{% vm %} to merge a cell down. The names are those of the HTML template (docs/notices.md).

Layout (Nghị định 30/2020/NĐ-CP): A4, margins top and bottom 20 mm, left 30 mm,
right 15 mm; Times New Roman 14 pt; the title block as a borderless table; page
numbers centred at the top from page 2.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from dondoc.text import ascii_slug

TEMPLATE = Path(__file__).resolve().parent / "notice.docx"
FONT = "Times New Roman"
TEXT_WIDTH_CM = 16.5  # 210 mm - 30 mm - 15 mm


def _font(style_or_run, size: float | None = None, bold: bool | None = None, italic: bool | None = None) -> None:
    font = style_or_run.font
    font.name = FONT
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic


def _style(doc, name: str, *, size: float, bold=None, italic=None, align=None, indent: float = 0.0,
           after: float = 0.0, before: float = 0.0, keep_next: bool = False):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if name != "Normal":
        style.base_style = styles["Normal"]
        # Vietnamese names in Word's style list; plain ASCII identifiers inside the file.
        style.style_id = "dd" + "".join(w.capitalize() for w in ascii_slug(name).split("-"))
    _font(style, size, bold, italic)
    fmt = style.paragraph_format
    if align is not None:
        fmt.alignment = align
    fmt.first_line_indent = Cm(indent) if indent else Cm(0)
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(before)
    fmt.line_spacing = 1.0
    fmt.keep_with_next = keep_next
    return style


def _styles(doc) -> None:
    J, C, L, R = WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT
    _style(doc, "Normal", size=14, align=J, indent=1.0, after=6)
    _style(doc, "Mục", size=14, bold=True, align=J, indent=1.0, after=4, before=6, keep_next=True)
    _style(doc, "Dẫn bảng", size=14, align=J, indent=1.0, after=4, keep_next=True)
    _style(doc, "Đề nghị", size=14, align=J, indent=1.0, after=6, before=6)
    # The closing sentence stays on the page of the signature: never a signature alone on a page.
    _style(doc, "Kết thúc", size=14, align=J, indent=1.0, after=6, keep_next=True)
    _style(doc, "Gạch đầu dòng", size=14, align=J, indent=1.0, after=3)
    _style(doc, "Kính gửi", size=14, align=C, after=8, before=6)
    # Several addressees: "Kính gửi:" then a tab, one unit a line, the dashes aligned (a
    # hanging indent); no space between the lines (contextual spacing), as in the HTML.
    listed = _style(doc, "Kính gửi nhiều đơn vị", size=14, align=L, after=8, before=6)
    listed.paragraph_format.left_indent = Cm(5.9)
    listed.paragraph_format.first_line_indent = Cm(-2.4)
    listed.element.get_or_add_pPr().insert_element_before(OxmlElement("w:contextualSpacing"), *_AFTER_PBDR[_AFTER_PBDR.index("w:contextualSpacing") + 1:])
    _style(doc, "Tiêu đề cơ quan", size=13, bold=True, align=C)
    _style(doc, "Cơ quan chủ quản", size=13, align=C)
    _style(doc, "Quốc hiệu", size=13, bold=True, align=C)
    _style(doc, "Tiêu ngữ", size=14, bold=True, align=C)
    _style(doc, "Số ký hiệu", size=13, align=C, before=6)
    _style(doc, "Địa danh", size=14, italic=True, align=C, before=6)
    _style(doc, "Trích yếu", size=12, align=C)
    _style(doc, "Dự thảo", size=12, bold=True, align=R, after=4)
    _style(doc, "Bảng", size=12, align=L)
    _style(doc, "Bảng giữa", size=12, align=C)
    _style(doc, "Đầu bảng", size=12, bold=True, align=C, keep_next=True)
    _style(doc, "Ghi chú bảng", size=11, italic=True, align=L)
    _style(doc, "Nơi nhận", size=12, bold=True, italic=True, align=L)
    _style(doc, "Danh sách nơi nhận", size=11, align=L)
    _style(doc, "Chữ ký", size=14, bold=True, align=C)
    _style(doc, "Số trang", size=13, align=C)
    # Vietnamese, so Word checks the spelling in the right language.
    rpr = doc.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    rpr.append(lang)


def _para(container, text: str = "", style: str = "Normal"):
    p = container.add_paragraph(style=style)
    if text:
        p.add_run(text)
    return p


_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)


def _border(paragraph, side: str, indent_cm: float = 0.0, box: bool = False) -> None:
    """A line under (or a box around) a paragraph; indents shorten the line."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for edge in (("top", "left", "bottom", "right") if box else (side,)):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "6")
        el.set(qn("w:space"), "1")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    # Word reads pPr children in the schema's order: the borders go before spacing, ind, jc.
    ppr.insert_element_before(borders, *_AFTER_PBDR)
    if indent_cm:
        paragraph.paragraph_format.left_indent = Cm(indent_cm)
        paragraph.paragraph_format.right_indent = Cm(indent_cm)


def _fixed(table, widths: list[float]) -> None:
    table.autofit = False  # w:tblLayout fixed: Word keeps the widths given
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Cm(width)
    for col, width in zip(table.columns, widths):
        col.width = Cm(width)


def _row_flags(row, header: bool = False) -> None:
    trpr = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    trpr.append(cant)
    if header:
        trpr.append(OxmlElement("w:tblHeader"))  # repeated on each page


def _cell(cell, paragraphs: list[tuple[str, str]]) -> None:
    """Fill a cell with (text, style) paragraphs; a cell keeps at least one paragraph."""
    first = cell.paragraphs[0]
    for i, (text, style) in enumerate(paragraphs):
        p = first if i == 0 else cell.add_paragraph()
        p.style = style
        if text:
            p.add_run(text)


def _loop_table(doc, widths, header, cells, loops=("{%tr for row in section.rows %}",), ends=("{%tr endfor %}",)):
    """A data table: a header row, then one row per item between {%tr for %} and {%tr endfor %}."""
    table = doc.add_table(rows=2 + len(loops) + len(ends), cols=len(widths))
    table.style = doc.styles["Table Grid"]
    _fixed(table, widths)
    for cell, text in zip(table.rows[0].cells, header):
        _cell(cell, [(text, "Đầu bảng")])
    _row_flags(table.rows[0], header=True)
    for i, tag in enumerate(loops):
        _cell(table.rows[1 + i].cells[0], [(tag, "Bảng")])
    data = table.rows[1 + len(loops)]
    _row_flags(data)
    for cell, paragraphs in zip(data.cells, cells):
        _cell(cell, paragraphs)
    for i, tag in enumerate(ends):
        _cell(table.rows[2 + len(loops) + i].cells[0], [(tag, "Bảng")])
    return table


LEADS = (
    ("{%p if row.lead_note %}", "Ghi chú bảng"), ("{{ row.lead_note }}", "Ghi chú bảng"), ("{%p endif %}", "Ghi chú bảng"),
    ("{%p if row.raised_note %}", "Ghi chú bảng"), ("{{ row.raised_note }}", "Ghi chú bảng"), ("{%p endif %}", "Ghi chú bảng"),
)


def _task_tables(doc) -> None:
    title = [
        ("{{ row.title }}", "Bảng"),
        ("{%p if row.number or row.period %}", "Ghi chú bảng"),
        ("({% if row.number %}nhiệm vụ số {{ row.number }}{% endif %}{% if row.number and row.period %}, {% endif %}"
         "{% if row.period %}kỳ {{ row.period }}{% endif %})", "Ghi chú bảng"),
        ("{%p endif %}", "Ghi chú bảng"),
        *LEADS,
    ]
    deadline = [
        ("{{ row.deadline }}", "Bảng"),
        ("{%p if row.due_note %}", "Ghi chú bảng"),
        ("{{ row.due_note }}", "Ghi chú bảng"),
        ("{%p endif %}", "Ghi chú bảng"),
    ]
    _para(doc, '{%p if section.layout == "tasks" and section.column %}')
    _loop_table(
        doc,
        [1.1, 6.2, 3.4, 2.7, 3.1],
        ["TT", "Nhiệm vụ", "Thời hạn",
         '{% if section.column == "days_overdue" %}Số ngày quá hạn{% elif section.column == "days_left" %}'
         "Số ngày còn lại{% else %}Mốc kiểm tra tiến độ{% endif %}", "Tình trạng"],
        [[("{{ loop.index }}", "Bảng giữa")], title, deadline,
         [('{% if section.column == "checkpoint" %}{{ row.checkpoint | dmy }}{% else %}{{ row.days | vn_number }}{% endif %}',
           "Bảng giữa")],
         [("{{ row.status }}", "Bảng")]],
    )
    _para(doc, '{%p elif section.layout == "tasks" %}')
    _loop_table(
        doc,
        [1.1, 8.4, 3.8, 3.2],
        ["TT", "Nhiệm vụ", "Thời hạn", "Tình trạng"],
        [[("{{ loop.index }}", "Bảng giữa")], title, deadline, [("{{ row.status }}", "Bảng")]],
    )


def _note(name: str, text: str = "") -> list[tuple[str, str]]:
    """A note under a cell's value, printed only when there is one: "(612/640; số liệu ngày ...)"."""
    return [(f"{{%p if {name} %}}", "Ghi chú bảng"), (text or f"({{{{ {name} }}}})", "Ghi chú bảng"), ("{%p endif %}", "Ghi chú bảng")]


# A target's first three cells, in the table of targets missed and in that of targets at risk.
TARGET_CELLS = (
    [("{{ loop.index }}", "Bảng giữa")],
    [("{{ row.text }}", "Bảng"), *_note("row.note"), *LEADS],
    [("{{ row.required }}", "Bảng giữa")],
)


def _target_table(doc) -> None:
    _para(doc, '{%p elif section.layout == "targets" %}')
    _loop_table(
        doc,
        [1.1, 6.6, 2.8, 2.8, 3.2],
        ["TT", "Chỉ tiêu", "Yêu cầu", "Kết quả", "So với yêu cầu"],
        [
            *TARGET_CELLS,
            [("{{ row.result }}", "Bảng giữa"), *_note("row.detail")],
            [("{{ row.gap }}", "Bảng giữa")],
        ],
    )


def _projection_table(doc) -> None:
    _para(doc, '{%p elif section.layout == "projections" %}')
    _para(doc, '{{ "Các chỉ tiêu" if section.rows | length > 1 else "Chỉ tiêu" }} dưới đây hiện đạt yêu cầu, nhưng nếu'
               " giữ xu hướng của các lần đo trong kỳ thì đến hết kỳ có nguy cơ không đạt:", "Dẫn bảng")
    _loop_table(
        doc,
        [1.1, 5.8, 2.6, 3.0, 4.0],
        ["TT", "Chỉ tiêu", "Yêu cầu", "Kết quả hiện nay", "Dự kiến đến hết kỳ nếu giữ xu hướng hiện nay"],
        [
            *TARGET_CELLS,
            [("{{ row.result }}", "Bảng giữa"), *_note("row.result_note")],
            [("khoảng {{ row.projected }}", "Bảng giữa"), *_note("row.projection_note"),
             *_note("row.projected_gap", "{{ row.projected_gap }} so với yêu cầu")],
        ],
    )


def _reduction_table(doc) -> None:
    _para(doc, '{%p elif section.layout == "reductions" %}')
    _loop_table(
        doc,
        [1.1, 5.4, 5.0, 5.0],
        ["TT", "Thủ tục hành chính", "Chỉ tiêu cắt giảm", "Kết quả"],
        [
            [("{{ outer.index }}{% vm %}", "Bảng giữa")],
            [("{% if row.code %}{{ row.code }} - {% endif %}{{ row.name }}{% if row.lead_inline %} ("
              "{{ row.lead_inline }}){% endif %}{% vm %}", "Bảng")],
            [("{% if item.label %}{{ item.label }}: {% endif %}{{ item.goal }}", "Bảng")],
            [("{{ item.result }}", "Bảng")],
        ],
        loops=("{%tr for row in section.rows %}", "{%tr set outer = loop %}", "{%tr for item in row.items %}"),
        ends=("{%tr endfor %}", "{%tr endfor %}"),
    )


def _title_block(doc) -> None:
    _para(doc, "{%p if draft %}")
    _border(_para(doc, "DỰ THẢO", "Dự thảo"), "", box=True)
    doc.paragraphs[-1].paragraph_format.left_indent = Cm(13.0)
    _para(doc, "{%p endif %}")
    table = doc.add_table(rows=3, cols=2)  # no style: "Normal Table" has no borders
    _fixed(table, [6.2, 10.3])
    left, right = table.rows[0].cells
    _cell(left, [("{%p if superior %}", "Cơ quan chủ quản"), ("{{ superior }}", "Cơ quan chủ quản"),
                 ("{%p endif %}", "Cơ quan chủ quản"), ("{%p for line in issuer_lines %}", "Tiêu đề cơ quan"),
                 ("{{ line }}", "Tiêu đề cơ quan"), ("{%p endfor %}", "Tiêu đề cơ quan"), ("", "Tiêu đề cơ quan")])
    _border(left.paragraphs[-1], "bottom", indent_cm=2.0)
    left.paragraphs[-1].paragraph_format.space_after = Pt(0)
    _cell(right, [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Quốc hiệu"), ("Độc lập - Tự do - Hạnh phúc", "Tiêu ngữ"),
                  ("", "Tiêu ngữ")])
    # The line under the motto is as long as the motto (about 6.3 cm at 14 pt bold).
    _border(right.paragraphs[-1], "top", indent_cm=1.85)
    right.paragraphs[-1].paragraph_format.line_spacing = Pt(2)
    number, place = table.rows[1].cells
    _cell(number, [("{{ number_line }}", "Số ký hiệu")])
    _cell(place, [("{{ place_date }}", "Địa danh")])
    _cell(table.rows[2].cells[0], [("V/v {{ subject }}", "Trích yếu")])


def _body(doc) -> None:
    _para(doc, "{%p if addressees | length > 1 %}")
    _para(doc, "{%p for name in addressees %}")
    _para(doc, '{% if loop.first %}Kính gửi:{% endif %}\t- {{ name }}{{ "." if loop.last else ";" }}', "Kính gửi nhiều đơn vị")
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p else %}")
    _para(doc, "Kính gửi: {{ unit }}.", "Kính gửi")
    _para(doc, "{%p endif %}")
    _para(doc, "{%p if follow_up %}")
    _para(doc, "{{ follow_up }}")
    _para(doc, "{%p endif %}")
    _para(doc, "{{ intro }}")
    _para(doc, "{%p if summary %}")
    _para(doc, "Qua theo dõi, tổng hợp đến ngày {{ as_of | dmy }}, tình hình thực hiện Kế hoạch của"
               " {{ unit_in_sentence }} như sau:", "Dẫn bảng")
    _para(doc, "{%p for label, counted in summary %}")
    _para(doc, '- {{ label }}: {{ counted }}{{ "." if loop.last else ";" }}', "Gạch đầu dòng")
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p else %}")
    _para(doc, "Qua theo dõi, tổng hợp đến ngày {{ as_of | dmy }}, chưa phát hiện nội dung nào cần đôn đốc.")
    _para(doc, "{%p endif %}")
    _para(doc, "{%p if oversees %}")
    _para(doc, "Đối với các nội dung giao {{ oversees }} chủ trì (ghi rõ tại từng nội dung),"
               " {{ unit }} là đơn vị theo dõi, có trách nhiệm đôn đốc các đơn vị thực hiện và tổng hợp kết quả.")
    _para(doc, "{%p endif %}")
    _para(doc, "{%p if common %}")
    _para(doc, "Đối với các nội dung chung của Kế hoạch không giao đơn vị chủ trì (ghi rõ tại từng nội dung),"
               " {{ unit }}{% if not monitor_in_intro %} với vai trò đơn vị theo dõi{% endif %} có trách nhiệm tổ chức thực hiện, tổng hợp số liệu và kết quả.")
    _para(doc, "{%p endif %}")
    _para(doc, "{%p for section in sections %}")
    _para(doc, "{{ section.number }}. {{ section.heading }}", "Mục")
    _task_tables(doc)
    _target_table(doc)
    _projection_table(doc)
    _reduction_table(doc)
    _para(doc, "{%p else %}")
    _para(doc, "{%p for row in section.rows %}")
    _para(doc, "- {{ row.text }}{% if row.lead_inline %} ({{ row.lead_inline }}){% endif %}"
               "{% if row.raised %} (đôn đốc lần thứ {{ row.raised + 1 }}){% endif %}"
               '{{ "." if loop.last else ";" }}', "Gạch đầu dòng")
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p endif %}")
    _para(doc, "{%p if section.request %}")
    _para(doc, "Đề nghị {{ unit_in_sentence }} {{ section.request }}.", "Đề nghị")
    _para(doc, "{%p endif %}")
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p if resolved %}")
    _para(doc, "{{ resolved_lead }}", "Dẫn bảng")
    _para(doc, "{%p for item in resolved %}")
    _para(doc, '- {{ item }}{{ "." if loop.last else ";" }}', "Gạch đầu dòng")
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p endif %}")
    _para(doc, "{{ committee }} yêu cầu {{ unit_in_sentence }} nghiêm túc thực hiện, báo cáo kết quả bằng văn bản về"
               " {{ committee }}{% if via %} (qua {{ via }}){% endif %} chậm nhất ngày {{ reply_by | dmy }} để"
               " tổng hợp, theo dõi./.", "Kết thúc")


def _closing(doc) -> None:
    table = doc.add_table(rows=1, cols=2)
    _fixed(table, [8.0, 8.5])
    _row_flags(table.rows[0])
    left, right = table.rows[0].cells
    _cell(left, [
        ("Nơi nhận:", "Nơi nhận"),
        ("- Như trên;", "Danh sách nơi nhận"),
        ("{%p for line in copies %}", "Danh sách nơi nhận"),
        ("- {{ line }};", "Danh sách nơi nhận"),
        ("{%p endfor %}", "Danh sách nơi nhận"),
        ("{%p if monitor %}", "Danh sách nơi nhận"),
        ("- {{ monitor }};", "Danh sách nơi nhận"),
        ("{%p endif %}", "Danh sách nơi nhận"),
        ("- {{ archive }}", "Danh sách nơi nhận"),
    ])
    _cell(right, [
        ("{%p for line in signer_authority %}", "Chữ ký"),
        ("{{ line }}", "Chữ ký"),
        ("{%p endfor %}", "Chữ ký"),
        ("{{ signer.title }}", "Chữ ký"),
        ("", "Chữ ký"),
        ("{{ signer.name }}", "Chữ ký"),
    ])
    right.paragraphs[-2].paragraph_format.space_before = Pt(60)  # room for the signature and seal


def page_number_field(paragraph, size: float = 13) -> None:
    """A PAGE field: Word and LibreOffice print the page's number (the notices and the summary)."""
    run = paragraph.add_run()
    _font(run, size)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def build_template() -> bytes:
    doc = Document()
    _styles(doc)
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    # Page numbers from page 2: the first page has its own, empty, header.
    section.different_first_page_header_footer = True
    page_number_field(_header_paragraph(section.header))
    _header_paragraph(section.first_page_header)
    _title_block(doc)
    _body(doc)
    _closing(doc)
    doc.core_properties.title = "Công văn đôn đốc thực hiện kế hoạch"
    doc.core_properties.author = "dondoc"
    doc.core_properties.language = "vi-VN"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _header_paragraph(header):
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Cm(0)
    return p


if __name__ == "__main__":
    TEMPLATE.write_bytes(build_template())
    print(f"wrote {TEMPLATE}")
