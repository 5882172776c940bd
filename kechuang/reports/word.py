"""Word documents in the house style of an official report (公文/监测报告): A4 with GB/T 9704 margins, 仿宋 body,
黑体 and 楷体 headings, 宋体 tables, and "— 1 —" page numbers.

python-docx sets only the Latin font by default; Word and WPS pick the Chinese font from ``w:eastAsia``, so every
style and run here sets both, and drops the theme fonts that would otherwise win.
"""

import io

from django.utils import timezone
from django.utils.translation import gettext
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

__all__ = ["LATIN", "ReportDocument"]

LATIN = "Times New Roman"
BODY, HEADING, SUBHEADING, TITLE, TABLE = "仿宋", "黑体", "楷体", "宋体", "宋体"
BODY_SIZE, TABLE_SIZE, CAPTION_SIZE, TITLE_SIZE = Pt(16), Pt(9), Pt(10.5), Pt(22)
THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_font(target, east_asian: str, size=None, *, bold: bool | None = None, latin: str = LATIN) -> None:
    """Set the Chinese (w:eastAsia) and Latin fonts of a style or run, black, at ``size``."""
    font = target.font
    font.name = latin
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)
    properties = target.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for attribute in THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


class ReportDocument:
    """A document being written: headings, paragraphs, tables and figures in the house style."""

    def __init__(self, *, title: str = "", subject: str = ""):
        self.document = Document()
        # The template's own properties would name python-docx as the author in Word's file information.
        properties = self.document.core_properties
        properties.author = properties.last_modified_by = gettext("科创平台")
        properties.title, properties.subject, properties.comments = title, subject, ""
        properties.created = properties.modified = timezone.now()
        self._page()
        self._styles()
        self._page_number()

    def _page(self) -> None:
        section = self.document.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        section.footer_distance = Cm(2.5)

    @property
    def text_width(self):
        section = self.document.sections[0]
        return section.page_width - section.left_margin - section.right_margin

    def _styles(self) -> None:
        styles = self.document.styles
        normal = styles["Normal"]
        set_font(normal, BODY, BODY_SIZE)
        normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        normal.paragraph_format.line_spacing = Pt(28)
        normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
        for name, font, size in (
            ("Title", TITLE, TITLE_SIZE),
            ("Heading 1", HEADING, BODY_SIZE),
            ("Heading 2", SUBHEADING, BODY_SIZE),
            ("Caption", HEADING, CAPTION_SIZE),
        ):
            style = styles[name]
            set_font(style, font, size, bold=name == "Title")
            style.font.italic = False
            fmt = style.paragraph_format
            fmt.space_before, fmt.space_after = Pt(0), Pt(0)
            fmt.first_line_indent = Pt(32) if name.startswith("Heading") else None
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(36 if name == "Title" else 28 if name.startswith("Heading") else 18)
            fmt.keep_with_next = name.startswith("Heading")
        # The Title style draws a rule under the title; an official report's title stands alone.
        borders = styles["Title"].element.pPr.find(qn("w:pBdr"))
        if borders is not None:
            styles["Title"].element.pPr.remove(borders)

    def _page_number(self) -> None:
        paragraph = self.document.sections[0].footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(paragraph.add_run("— "), BODY, Pt(14), latin=BODY)
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = paragraph.add_run()
        set_font(run, BODY, Pt(14))
        field.append(run._r)
        paragraph._p.append(field)
        set_font(paragraph.add_run(" —"), BODY, Pt(14), latin=BODY)

    # content

    def title(self, lines: list[str], subtitle: str = "") -> None:
        """The title centred, broken into the given lines (an official title breaks where the sense does)."""
        paragraph = self.document.add_paragraph("\n".join(lines), style="Title")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if subtitle:
            sub = self.document.add_paragraph()
            sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
            set_font(sub.add_run(subtitle), SUBHEADING, BODY_SIZE)
        self.document.add_paragraph()

    def heading(self, text: str, level: int = 1) -> None:
        self.document.add_heading(text, level=level)

    def paragraph(self, text: str = "", *, lead: str = "", indent: bool = True, size=None, align=None):
        """A body paragraph indented two characters; ``lead`` is set in bold before the text."""
        paragraph = self.document.add_paragraph()
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(32 if size is None else size.pt * 2)
        if align is not None:
            paragraph.alignment = align
        if lead:
            set_font(paragraph.add_run(lead), BODY, size, bold=True)
        if text:
            set_font(paragraph.add_run(text), BODY, size)
        return paragraph

    def caption(self, text: str, *, above: bool = False) -> None:
        """A table's caption (``above`` it, kept with it) or a figure's (below it)."""
        paragraph = self.document.add_paragraph(text, style="Caption")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = above

    def note(self, text: str) -> None:
        """A note under a table, in the table's size."""
        paragraph = self.paragraph(text, indent=False, size=CAPTION_SIZE)
        paragraph.paragraph_format.line_spacing = Pt(16)

    def table(self, header: list[str], rows: list[list[str]], widths: list[float], *, left: int = 1):
        """A ruled table in 宋体 小五, header repeated on every page; the first ``left`` columns align left."""
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _cell_margins(table, Cm(0.1))
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)  # the grid, which LibreOffice and WPS follow; Word follows each cell's width
        self._row(table.rows[0], header, widths, left=0, bold=True)
        _repeat_header(table.rows[0])
        for cells in rows:
            self._row(table.add_row(), cells, widths, left=left, bold=False)
        return table

    @staticmethod
    def _row(row, cells: list[str], widths: list[float], *, left: int, bold: bool) -> None:
        _cant_split(row)
        row.height, row.height_rule = Cm(0.65), WD_ROW_HEIGHT_RULE.AT_LEAST
        for number, (cell, text, width) in enumerate(zip(row.cells, cells, widths, strict=True)):
            cell.width = Cm(width)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if number < left else WD_ALIGN_PARAGRAPH.CENTER
            fmt = paragraph.paragraph_format
            fmt.first_line_indent, fmt.line_spacing_rule = None, WD_LINE_SPACING.SINGLE
            set_font(paragraph.add_run(text), TABLE, TABLE_SIZE, bold=bold)

    def picture(self, png: bytes, width_cm: float) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.first_line_indent = None
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        paragraph.paragraph_format.keep_with_next = True
        paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def _cell_margins(table, margin) -> None:
    """Narrow left and right cell margins, so ten columns fit the width of an A4 page."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(int(margin.twips)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    properties = table._tbl.tblPr
    look = properties.find(qn("w:tblLook"))  # the schema puts the margins before tblLook; Word insists
    if look is None:
        properties.append(margins)
    else:
        look.addprevious(margins)


def _repeat_header(row) -> None:
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _cant_split(row) -> None:
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)
