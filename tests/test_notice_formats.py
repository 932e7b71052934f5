"""Word and PDF notices: the text read back out of each file says what the findings say, and the
page is laid out as Nghị định 30/2020 asks (A4, margins, Times New Roman or its metric twin,
the title block as a borderless table, page numbers from page 2)."""

from __future__ import annotations

import io
import os
import zipfile
from collections import Counter

import pytest
from docx import Document

from dondoc.templates import NoticeTemplateError
from dondoc.templates.docx import render_docx
from dondoc.templates.docx_template import TEMPLATE, build_template
from dondoc.templates.formats import prose
from dondoc.templates.pdf import render_pdf
from tests.notice_text import demo, docx_lines, html_lines, norm, pdf_text, pdf_top_lines, words
from tests.test_notices import make_notice


def subject_name(f) -> str:
    """What names a finding's subject in a letter, read from the finding itself."""
    fact = f.fact
    name = fact.get("title") or fact.get("text") or fact.get("name") or f.subject_title
    return prose(str(name)).rstrip(". ")


def addressed(notice) -> str:
    """ "Kính gửi: Phòng Kinh tế.", or one unit a line: "Kính gửi: - Phòng Kinh tế; - Phòng Văn hóa - Xã hội."."""
    if len(notice.addressees) == 1:
        return f"Kính gửi: {notice.unit}."
    return "Kính gửi: " + " ".join(f"- {u}{'.' if i == len(notice.addressees) - 1 else ';'}" for i, u in enumerate(notice.addressees))


@pytest.fixture(scope="module")
def letters():
    return demo()


def test_the_demo_has_every_letter_in_every_format(letters):
    assert len(letters) == 11  # Quyết Thắng's two phòng share one letter
    for stem, entry in letters.items():
        assert {"html", "docx", "pdf"} <= set(entry), stem


def test_the_docx_says_what_the_findings_say(letters):
    for stem, entry in letters.items():
        notice = entry["notice"]
        lines = docx_lines(entry["docx"])
        text = " ".join(lines)
        assert addressed(notice) in text, stem
        for f in notice.findings:
            assert subject_name(f) in text, (stem, f.subject)
            if f.section == "qua-han":
                assert str(int(f.fact["days_overdue"])) in lines, (stem, f.subject)
        for section in notice.sections:
            assert f"{section.number}. {section.heading}" in lines, (stem, section.id)


def test_the_docx_and_the_html_read_the_same(letters):
    for stem, entry in letters.items():
        assert docx_lines(entry["docx"]) == html_lines(entry["html"]), stem


def test_the_pdf_says_what_the_findings_say(letters):
    for stem, entry in letters.items():
        notice = entry["notice"]
        pages = pdf_text(entry["pdf"])
        text = norm(" ".join(pages))
        bag = Counter(words(text))
        assert addressed(notice) in text, stem
        for f in notice.findings:
            # Table cells wrap and interleave in extracted text: every word must be there.
            missing = Counter(words(subject_name(f))) - bag
            assert not missing, (stem, f.subject, missing)
        for label, counted in [(s.spec.summary, s.count_text) for s in notice.sections]:
            assert f"- {label}: {counted}" in text, (stem, label)


def test_the_pdf_is_a4_with_page_numbers_from_page_two(letters):
    from pypdf import PdfReader

    multi = 0
    for stem, entry in letters.items():
        reader = PdfReader(io.BytesIO(entry["pdf"]))
        for page in reader.pages:
            box = page.mediabox
            assert (round(float(box.width)), round(float(box.height))) == (595, 842), stem
        tops = pdf_top_lines(entry["pdf"])
        assert tops[0] == [], stem  # nothing above the text on the first page
        assert tops[1:] == [[str(n)] for n in range(2, len(tops) + 1)], stem  # then the page number alone
        multi += len(tops) > 1
    assert multi  # some demo letters run past one page


def test_the_pdf_embeds_the_times_metric_font(letters):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(next(iter(letters.values()))["pdf"]))
    fonts = {str(font["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    names = {name.split("+")[-1].replace("-", "") for name in fonts}
    assert names and all(n.startswith(("LiberationSerif", "TimesNewRoman")) for n in names), fonts


def test_the_docx_page_is_nd30():
    doc = Document(io.BytesIO(render_docx(make_notice())))
    section = doc.sections[0]
    def mm(length) -> int:
        return round(length.mm)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert [mm(m) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] == [20, 20, 30, 15]
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 14
    # Page numbers from page 2: a PAGE field in the header, an empty header on the first page.
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml and not norm(section.first_page_header.paragraphs[0].text)
    # The title block is a table with no borders.
    title = doc.tables[0]
    assert title.style is None or title.style.name == "Normal Table"
    assert "w:tblBorders" not in title._tbl.xml
    assert norm(title.cell(0, 1).text).startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")


def test_the_shipped_word_template_is_what_the_generator_builds():
    """notice.docx is built by templates/docx_template.py; run it after changing either."""
    built = zipfile.ZipFile(io.BytesIO(build_template()))
    shipped = zipfile.ZipFile(TEMPLATE)
    assert sorted(built.namelist()) == sorted(shipped.namelist())
    for name in built.namelist():
        if name != "docProps/core.xml":  # holds the time it was built
            assert built.read(name) == shipped.read(name), f"{name}: run python -m dondoc.templates.docx_template"


def _commune_docx(path, text: str) -> None:
    doc = Document()
    doc.add_paragraph(text)
    doc.save(path)


def test_a_commune_word_template_is_used_and_sandboxed(tmp_path):
    _commune_docx(tmp_path / "notice.docx", "Kính gửi: {{ unit }} - mẫu của xã")
    (tmp_path / "notice.html.j2").write_text("{{ unit }}", encoding="utf-8")
    assert docx_lines(render_docx(make_notice(), tmp_path)) == ["Kính gửi: Phòng Kinh tế - mẫu của xã"]
    _commune_docx(tmp_path / "notice.docx", "{{ ''.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(NoticeTemplateError, match="hộp cát|unsafe"):
        render_docx(make_notice(), tmp_path)


def test_a_word_template_linked_from_outside_the_folder_is_refused(tmp_path):
    _commune_docx(tmp_path / "outside.docx", "{{ unit }}")
    folder = tmp_path / "mau"
    folder.mkdir()
    os.symlink(tmp_path / "outside.docx", folder / "notice.docx")
    with pytest.raises(NoticeTemplateError, match="ngoài thư mục mẫu"):
        render_docx(make_notice(), folder)


def test_a_word_template_that_breaks_the_xml_is_an_error(tmp_path):
    _commune_docx(tmp_path / "notice.docx", "{{ '<w:p>' | safe }}")
    with pytest.raises(NoticeTemplateError, match="hỏng"):
        render_docx(make_notice(), tmp_path)


def test_nothing_is_fetched_while_typesetting_a_pdf(tmp_path):
    evil = tmp_path / "evil.css"
    evil.write_text('body::after { content: "LEAKED" }', encoding="utf-8")
    folder = tmp_path / "mau"
    folder.mkdir()
    (folder / "notice.html.j2").write_text(
        f'<html><head><link rel="stylesheet" href="file://{evil}"></head><body><p>{{{{ unit }}}}</p>'
        f'<img src="file:///etc/passwd"></body></html>', encoding="utf-8")
    text = " ".join(pdf_text(render_pdf(make_notice(), folder)))
    assert "Phòng Kinh tế" in text and "LEAKED" not in text


def _layout(pdf: bytes) -> list[list[tuple[str, int, int]]]:
    """Every piece of text on every page, with where it stands (to a tenth of a point)."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        found: list[tuple[str, int, int]] = []

        def visit(text, cm, tm, font, size, found=found):
            if text.strip():
                found.append((text, round((cm[4] + tm[4]) * 10), round((cm[5] + tm[5]) * 10)))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def test_the_short_user_agent_sheet_lays_out_every_letter_as_weasyprints_own(letters):
    from dondoc.templates.pdf import html_to_pdf
    from dondoc.templates.render import render_html

    for stem, entry in letters.items():
        html = render_html(entry["notice"], embed_css=False)
        assert _layout(html_to_pdf(html)) == _layout(html_to_pdf(html, full_user_agent=True)), stem
