"""The .docx layout, in the administrative format of Decree 30/2020/NĐ-CP: A4, Times New Roman, the
two-column header (issuing body and number; national motto, place and date), title, body, recipients and
signature, then the appendix tables on landscape pages."""

import io

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from . import appendices, outline, wording

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_LINE = "Độc lập - Tự do - Hạnh phúc"
FIRST_LINE_INDENT = Cm(1.27)
TEXT_WIDTH = Mm(210 - 30 - 15)
HEADER_WIDTHS = (Cm(6.3), Cm(10.2))
CLOSING_WIDTHS = (Cm(8.0), Cm(8.5))
CENTER, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY


def filename(unit, period):
    return f"bao-cao-cchc-{unit.code}-{period.code}.docx"


def build(content, today):
    """The report as the bytes of a .docx file."""
    document = Document()
    _base_style(document)
    section = document.sections[0]
    _page(section, landscape=False)
    section.different_first_page_header_footer = True  # Decree 30: no number on the first page
    _page_number(section.header.paragraphs[0])

    _header(document, content.unit, today)
    _title(document, content.period)
    for block in outline.body(content):
        _block(document, block)
    _closing(document, content.unit)

    appendix_section = document.add_section(WD_SECTION.NEW_PAGE)
    # The paragraph carrying the break must not spill onto a page of its own after the signature.
    document.paragraphs[-1].paragraph_format.line_spacing = Pt(1)
    _page(appendix_section, landscape=True)
    appendix_section.different_first_page_header_footer = False
    for number, appendix in enumerate((appendices.scores(content), appendices.dossiers(content)), start=1):
        _appendix(document, number, appendix, content.unit, today)

    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def _base_style(document):
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = BODY_SIZE
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "vi-VN")
    style.element.get_or_add_rPr().append(language)
    style.paragraph_format.space_before = Pt(0)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.0


def _page(section, landscape):
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)


def _page_number(paragraph):
    paragraph.alignment = CENTER
    run = paragraph.add_run()
    for kind, instruction in (
        ("begin", None),
        (None, "PAGE"),
        ("separate", None),
        (None, None),
        ("end", None),
    ):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = instruction
        else:
            element = OxmlElement("w:t")
            element.text = "2"
        run._r.append(element)


def _run(paragraph, text, size=None, bold=False, italic=False):
    run = paragraph.add_run(text)
    run.bold, run.italic = bold or None, italic or None
    if size:
        run.font.size = Pt(size)
    if isinstance(text, wording.Placeholder):
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return run


def _line(paragraph, text, size=None, bold=False, italic=False, align=CENTER):
    paragraph.alignment = align
    _run(paragraph, text, size, bold, italic)
    return paragraph


def _rule(container, length, available):
    """A short horizontal line, centred, as under the issuing body's name, the motto and the subject."""
    paragraph = container.add_paragraph()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    # Added first so that python-docx puts spacing and indents after it, in the schema's order.
    paragraph._p.get_or_add_pPr().append(borders)
    indent = int((available - length) / 2)
    paragraph.paragraph_format.left_indent = indent
    paragraph.paragraph_format.right_indent = indent
    paragraph.paragraph_format.line_spacing = Pt(3)
    return paragraph


def _borderless_table(document, widths):
    table = document.add_table(rows=1, cols=len(widths))
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, cell, width in zip(table.columns, table.rows[0].cells, widths, strict=True):
        column.width = width
        cell.width = width
    return table.rows[0].cells


def _header(document, unit, today):
    left, right = _borderless_table(document, HEADER_WIDTHS)
    first, second = wording.issuer_lines(unit)
    _line(left.paragraphs[0], first, 13, bold=True)
    _line(left.add_paragraph(), second, 13, bold=True)
    _rule(left, Cm(2.2), HEADER_WIDTHS[0])
    _line(left.add_paragraph(), wording.number_line(), 13).paragraph_format.space_before = Pt(6)
    _line(right.paragraphs[0], MOTTO, 13, bold=True)
    _line(right.add_paragraph(), MOTTO_LINE, 14, bold=True)
    _rule(right, Cm(6.0), HEADER_WIDTHS[1])
    place = _line(right.add_paragraph(), wording.place_and_date(unit, today), 14, italic=True)
    place.paragraph_format.space_before = Pt(6)


def _title(document, period):
    title = _line(document.add_paragraph(), "BÁO CÁO", 14, bold=True)
    title.paragraph_format.space_before = Pt(18)
    _line(document.add_paragraph(), wording.subject(period), 14, bold=True)
    _rule(document, Cm(4), TEXT_WIDTH).paragraph_format.space_after = Pt(12)


def _block(document, block):
    paragraph = document.add_paragraph()
    paragraph.alignment = JUSTIFY
    paragraph.paragraph_format.first_line_indent = FIRST_LINE_INDENT
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.line_spacing = 1.15
    heading = block.kind.startswith("heading")
    if heading:
        paragraph.paragraph_format.keep_with_next = True
    for part in block.parts:
        _run(paragraph, part, bold=heading)


def _closing(document, unit):
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_before = Pt(6)
    left, right = _borderless_table(document, CLOSING_WIDTHS)
    _line(left.paragraphs[0], "Nơi nhận:", 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for parts in wording.recipients(unit):
        paragraph = left.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        for part in parts:
            _run(paragraph, part, 11)
    titles, signer = wording.signature()
    _line(right.paragraphs[0], titles[0], 14, bold=True)
    for line in titles[1:]:
        _line(right.add_paragraph(), line, 14, bold=True)
    for _blank in range(3):
        right.add_paragraph()
    _line(right.add_paragraph(), signer, 14, bold=True)


def _appendix(document, number, appendix, unit, today):
    heading = _line(document.add_paragraph(), f"Phụ lục {number:02d}", 14, bold=True)
    if number > 1:
        heading.paragraph_format.page_break_before = True
    _line(document.add_paragraph(), appendix.title, 14, bold=True)
    reference = _line(document.add_paragraph(), wording.appendix_reference(unit, today), 13, italic=True)
    reference.paragraph_format.space_after = Pt(12)
    widths = [Cm(width) for width in appendix.widths]
    table = document.add_table(rows=1, cols=len(widths))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _table_row(table.rows[0], appendix.headers, widths, bold=True, header=True)
    total_from = len(appendix.rows) - appendix.total_rows
    for position, values in enumerate(appendix.rows):
        _table_row(
            table.add_row(), values, widths, position >= total_from, text_columns=appendix.text_columns
        )
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width


def _table_row(row, values, widths, bold=False, header=False, text_columns=()):
    if header:
        # Repeated at the top of every page the table runs onto.
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for index, (cell, value, width) in enumerate(zip(row.cells, values, widths, strict=True)):
        cell.width = width
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = cell.paragraphs[0]
        if header or index == 0:
            paragraph.alignment = CENTER
        else:
            paragraph.alignment = (
                WD_ALIGN_PARAGRAPH.LEFT if index in text_columns else WD_ALIGN_PARAGRAPH.RIGHT
            )
        _run(paragraph, value, 10, bold=bold or header)
