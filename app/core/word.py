"""python-docx helpers of every Word document: the page and fonts of district documents, text
Word can hold, plain tables (the аналитическая справка, the jury protocol, certificates)."""

import re

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor

FONT, BODY_PT, TABLE_PT = "Times New Roman", 14, 11
TEXT_WIDTH = Cm(16.5)  # A4 portrait within the margins of new_document
NAME_WIDTH, FIGURE_WIDTH = Cm(3.3), Cm(2.3)  # a table's name column at least, a figure's at most
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text) -> str:
    """Text Word can hold: typed titles and comments may carry control characters XML forbids."""
    return NOT_XML.sub("", str(text))


def new_document(*, landscape: bool = False):
    """Times New Roman for every script (the Sakha letters included), Russian proofing, A4."""
    document = Document()
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    properties = defaults.find(qn("w:rPr"))
    fonts = properties.find(qn("w:rFonts"))
    fonts.attrib.clear()
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), FONT)
    for script in ("val", "eastAsia"):
        properties.find(qn("w:lang")).set(qn(f"w:{script}"), "ru-RU")
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.space_after, normal.paragraph_format.line_spacing = Pt(0), 1.0
    for name, size in (("Title", 16), ("Heading 1", 14), ("Heading 2", 14), ("Caption", 12)):
        _plain(document.styles[name], size)
    document.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    if landscape:
        section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(2)
    document.core_properties.language = "ru-RU"
    return document


def _plain(style, size: int) -> None:
    for element in (style.element.rPr, style.element.pPr):
        for tag in ("w:rFonts", "w:color", "w:pBdr"):
            for child in element.findall(qn(tag)) if element is not None else ():
                element.remove(child)
    style.font.size, style.font.bold = Pt(size), True
    style.font.italic, style.font.color.rgb = False, RGBColor(0, 0, 0)
    style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(12), Pt(6)


def paragraph(
    document, text: str = "", *, bold: bool = False, size: int | None = None, center=False
):
    """A paragraph of one run; returns it for further formatting."""
    added = document.add_paragraph()
    run = added.add_run(clean(text))
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if center:
        added.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return added


def table(document, header: list, rows: list[list], *, first_left: int = 2, size: int = TABLE_PT):
    """A grid table with a bold header row repeated on every page; the first ``first_left``
    columns are left-aligned (names), the others centred (figures)."""
    grid = document.add_table(rows=0, cols=len(header), style="Table Grid")
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _row(grid, header, first_left, size - 1, bold=True)  # a point smaller: headings are long
    grid.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for values in rows:
        _row(grid, values, first_left, size)
    return grid


def set_widths(grid, widths: list) -> None:
    """Fixed column widths, in the grid LibreOffice reads and in the cells Word reads."""
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Emu(width)
        for cell in column.cells:
            cell.width = Emu(width)


def _row(grid, values: list, first_left: int, size: int, *, bold: bool = False) -> None:
    row = grid.add_row()
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row stays on one page
    for index, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
        run = cell.paragraphs[0].add_run(clean(value))
        run.bold, run.font.size = bold, Pt(size)
        if index >= first_left:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER


class Writer:
    """A document written top to bottom: headings, justified paragraphs, numbered lists and
    numbered tables with captions."""

    def __init__(self, table_pt: int = TABLE_PT):
        self.document = new_document()
        self.tables = 0
        self.table_pt = table_pt

    def heading(self, text: str, level: int = 1, *, new_page: bool = False) -> None:
        heading = self.document.add_heading(clean(text), level)
        if new_page:
            heading.paragraph_format.page_break_before = True

    def text(self, text: str, *, indent: bool = True) -> None:
        paragraph = self.document.add_paragraph(clean(text))
        if indent:
            paragraph.paragraph_format.first_line_indent = Cm(1.25)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    def numbered(self, items: list[str]) -> None:
        """A "List Number" list that starts again from 1."""
        num_id = self._new_numbering()
        for item in items:
            paragraph = self.document.add_paragraph(clean(item), style="List Number")
            numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            numbering.get_or_add_ilvl().val = 0
            numbering.get_or_add_numId().val = num_id

    def _new_numbering(self) -> int:
        numbering = self.document.part.numbering_part.element
        style_num = self.document.styles["List Number"].element.pPr.numPr.numId.val
        abstract = numbering.num_having_numId(style_num).abstractNumId.val
        num = numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return num.numId

    def table(self, caption: str, header: list[str], rows: list[list]) -> None:
        self.tables += 1
        title = self.document.add_paragraph(clean(f"Таблица {self.tables}. {caption}"), "Caption")
        title.paragraph_format.keep_with_next = True  # never alone at the foot of a page
        grid = table(self.document, header, rows, first_left=1, size=self.table_pt)
        if len(header) >= 5:  # a name beside many figures: each heading fits, the name has the rest
            figure = min(FIGURE_WIDTH, (TEXT_WIDTH - NAME_WIDTH) // (len(header) - 1))
            set_widths(
                grid, [TEXT_WIDTH - figure * (len(header) - 1), *[figure] * (len(header) - 1)]
            )
