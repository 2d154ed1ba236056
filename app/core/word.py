"""python-docx helpers of every Word document: the page and fonts of district documents, text
Word can hold, plain tables (the аналитическая справка, the jury protocol, certificates)."""

import re

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor
from lxml import etree

FONT, BODY_PT, TABLE_PT = "Times New Roman", 14, 11
CENTER, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
TEXT_WIDTH = Cm(16.5)  # A4 portrait within the margins of new_document
NAME_WIDTH = Cm(3.5)  # a table's name column beside many figures, at least
CELL_MARGINS = Cm(0.5)  # Word's left and right cell margins, 0.19 cm each, and a little air
INDENT, PICTURE_WIDTH = Cm(1.25), Cm(16)
HEADINGS = {"Title": 16, "Heading 1": 14, "Heading 2": 14, "Heading 3": 14}
WORD_BREAKS = re.compile(r"(?<=-)| ")
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


def table(
    document,
    header: list,
    rows: list[list],
    *,
    first_left: int = 2,
    size: int = TABLE_PT,
    style: str | None = "Table Grid",
):
    """A grid table with a bold header row repeated on every page; the first ``first_left``
    columns are left-aligned (names), the others centred (figures)."""
    grid = document.add_table(rows=0, cols=len(header), style=style)
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    # a point smaller: headings are long; kept with the first row (never alone at a page foot)
    _row(grid, header, first_left, size - 1, bold=True, keep_with_next=True)
    grid._tbl.tr_lst[0].trPr.append(OxmlElement("w:tblHeader"))
    for values in rows:
        _row(grid, values, first_left, size)
    return grid


def set_widths(grid, widths: list) -> None:
    """Fixed column widths, in the grid LibreOffice reads and in the cells Word reads."""
    grid.autofit = False
    for column, width in zip(grid._tbl.tblGrid.gridCol_lst, widths, strict=True):
        column.w = Emu(width)
    twips = [str(Emu(width).twips) for width in widths]
    for tr in grid._tbl.iterchildren(qn("w:tr")):
        for tc, width in zip(tr.iterchildren(qn("w:tc")), twips, strict=False):
            properties = tc.find(qn("w:tcPr"))
            if properties is None:
                properties = etree.Element(qn("w:tcPr"))
                tc.insert(0, properties)
            cell_width = properties.find(qn("w:tcW"))
            if cell_width is None:
                cell_width = etree.SubElement(properties, qn("w:tcW"))
            cell_width.set(qn("w:w"), width)
            cell_width.set(qn("w:type"), "dxa")


def _em_share(bold: bool) -> float:
    """Times New Roman's digits are half an em wide, its Cyrillic letters a little more (bold
    more still): 0.55 and 0.62 of an em a letter keep a word such as «Медиана» on one line."""
    return 0.62 if bold else 0.55


def _word_width(value, size: int, *, bold: bool = False) -> int:
    """The width a cell needs for its longest word, with the cell's margins: lines break at
    spaces and after hyphens, never at a non-breaking space."""
    longest = max(map(len, WORD_BREAKS.split(clean(value))))
    return int(Pt(size * _em_share(bold) * longest) + CELL_MARGINS)


def _line_width(value, size: int) -> int:
    """The width a cell's text takes on one line, with the cell's margins."""
    return int(Pt(size * _em_share(False) * len(clean(value))) + CELL_MARGINS)


def column_needs(header: list, rows: list[list], size: int) -> list[int]:
    """Each column's longest word, the header's a point smaller and bold; the first column, when
    it holds the longest texts (a name beside figures), at least NAME_WIDTH."""
    needs = [
        max([_word_width(title, size - 1, bold=True), *(_word_width(r[c], size) for r in rows)])
        for c, title in enumerate(header)
    ]
    lengths = [sum(len(clean(row[c])) for row in rows) for c in range(len(header))]
    if lengths[0] == max(lengths):
        needs[0] = max(needs[0], NAME_WIDTH)
    return needs


def fitted_widths(header: list, rows: list[list], size: int) -> list[int] | None:
    """Column widths over the text width: each column its need (``column_needs``), and what is
    left shared by the columns whose text would wrap, by how much; None when the needs do not
    fit at this size."""
    needs = column_needs(header, rows, size)
    left = TEXT_WIDTH - sum(needs)
    if left < 0:
        return None
    wraps = [
        max(0, sum(_line_width(r[c], size) for r in rows) // max(len(rows), 1) - need)
        for c, need in enumerate(needs)
    ]
    if not any(wraps):
        wraps[0] = 1
    return [need + left * wrap // sum(wraps) for need, wrap in zip(needs, wraps, strict=True)]


def _row(
    grid, values: list, first_left: int, size: int, *, bold=False, keep_with_next=False
) -> None:
    """A row written as plain XML: python-docx's object API costs milliseconds a cell, and an
    appendix of a thousand schools has tens of thousands of cells.

    Each cell's paragraph has no indent, single spacing and its own alignment, whatever the
    body text's style; the row stays on one page."""
    row = etree.SubElement(grid._tbl, qn("w:tr"))
    etree.SubElement(etree.SubElement(row, qn("w:trPr")), qn("w:cantSplit"))
    half_points = str(size * 2)
    for index, value in enumerate(values):
        paragraph = etree.SubElement(etree.SubElement(row, qn("w:tc")), qn("w:p"))
        layout = etree.SubElement(paragraph, qn("w:pPr"))
        if keep_with_next:  # Word and LibreOffice keep a row whose paragraphs all say so
            etree.SubElement(layout, qn("w:keepNext"))
        _set(etree.SubElement(layout, qn("w:spacing")), before="0", after="0", line="240",
             lineRule="auto")  # fmt: skip
        _set(etree.SubElement(layout, qn("w:ind")), firstLine="0")
        _set(etree.SubElement(layout, qn("w:jc")), val="center" if index >= first_left else "left")
        run = etree.SubElement(paragraph, qn("w:r"))
        looks = etree.SubElement(run, qn("w:rPr"))
        if bold:
            etree.SubElement(looks, qn("w:b"))
        _set(etree.SubElement(looks, qn("w:sz")), val=half_points)
        _set(etree.SubElement(looks, qn("w:szCs")), val=half_points)
        text = etree.SubElement(run, qn("w:t"))
        text.text = clean(value)
        text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _set(element, **attributes) -> None:
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)


def district_styles(document) -> None:
    """The справка's own styles (shared/DOMAIN.md): Normal in Times New Roman 14, 1.5 lines,
    first-line indent, justified; black bold headings kept with the next paragraph; captions;
    page numbers in the footer."""
    normal = document.styles["Normal"].paragraph_format
    normal.line_spacing, normal.first_line_indent = 1.5, INDENT
    normal.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for name, size in HEADINGS.items():
        style = document.styles[name]
        _plain(style, size)
        style.font.name = FONT
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.first_line_indent = Cm(0)
        style.paragraph_format.alignment = (
            WD_ALIGN_PARAGRAPH.CENTER if name in ("Title", "Heading 1") else WD_ALIGN_PARAGRAPH.LEFT
        )
    caption = document.styles["Caption"]
    caption.font.name, caption.font.size, caption.font.bold = FONT, Pt(12), False
    caption.paragraph_format.first_line_indent = Cm(0)
    caption.paragraph_format.line_spacing = 1.0
    caption.paragraph_format.space_before = caption.paragraph_format.space_after = Pt(6)
    for name in ("List Number", "Table Grid"):
        document.styles[name].font.name = FONT
    _roomy_list_numbers(document)
    _page_numbers(document.sections[0].footer.paragraphs[0])


LIST_NUMBER_ROOM = str(Cm(1).twips)  # «100.» in 14 pt and a gap; the template gives 0.25"


def _roomy_list_numbers(document) -> None:
    """Room for numbers of two and three digits before a "List Number" item's text: in the
    template's quarter inch LibreOffice runs «10.МБОУ» together."""
    numbering = document.part.numbering_part.element
    style_num = document.styles["List Number"].element.pPr.numPr.numId.val
    abstract_id = str(numbering.num_having_numId(style_num).abstractNumId.val)
    abstract = next(
        item
        for item in numbering.iterchildren(qn("w:abstractNum"))
        if item.get(qn("w:abstractNumId")) == abstract_id
    )
    layout = abstract.find(qn("w:lvl")).find(qn("w:pPr"))
    tabs = layout.find(qn("w:tabs"))
    tabs.clear()
    _set(etree.SubElement(tabs, qn("w:tab")), val="num", pos=LIST_NUMBER_ROOM)
    _set(layout.find(qn("w:ind")), left=LIST_NUMBER_ROOM, hanging=LIST_NUMBER_ROOM)


def _page_numbers(footer) -> None:
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.paragraph_format.first_line_indent = Cm(0)
    run = footer.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
        else:
            field = OxmlElement("w:instrText")
            field.set(qn("xml:space"), "preserve")
            field.text = text
        run._r.append(field)


class Writer:
    """A document written top to bottom: headings, justified paragraphs, numbered lists,
    numbered tables and figures with captions.

    ``document`` is any python-docx document-like object (a Document, or a docxtpl subdocument
    whose body goes into a district's own template); without one, a new document in the
    district's styles."""

    def __init__(self, table_pt: int = TABLE_PT, document=None):
        if document is None:
            document = new_document()
            district_styles(document)
        self.document = document
        self.tables = self.figures = 0
        self.after_table = False
        self.table_pt = table_pt

    def heading(self, text: str, level: int = 1, *, new_page: bool = False) -> None:
        style = self._style("Title" if level == 0 else f"Heading {level}")
        heading = self.document.add_paragraph(style=style)
        heading.add_run(clean(text)).bold = style is None or None
        heading.paragraph_format.keep_with_next = True
        if new_page:
            heading.paragraph_format.page_break_before = True

    def _style(self, name: str) -> str | None:
        """``name`` when the document has that style: a district's template may not."""
        return name if name in self.document.styles else None

    def text(self, text: str, *, indent: bool = True, bold: bool = False, align=None):
        paragraph = self.document.add_paragraph()
        if self.after_table:
            paragraph.paragraph_format.space_before = Pt(6)
            self.after_table = False
        paragraph.add_run(clean(text)).bold = bold
        paragraph.paragraph_format.first_line_indent = INDENT if indent else Cm(0)
        paragraph.alignment = (
            align if align is not None else JUSTIFY if indent else WD_ALIGN_PARAGRAPH.LEFT
        )
        return paragraph

    def numbered(self, items: list[str]) -> None:
        """A "List Number" list that starts again from 1."""
        if self._style("List Number") is None:
            for number, item in enumerate(items, 1):
                self.text(f"{number}. {item}")
            return
        num_id = self._new_numbering()
        for item in items:
            paragraph = self.document.add_paragraph(clean(item), style="List Number")
            paragraph.paragraph_format.first_line_indent = None
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

    def picture(self, image, caption: str, width=PICTURE_WIDTH) -> int:
        """A centred picture with «Рисунок N. …» below it; returns N."""
        self.figures += 1
        holder = self.document.add_paragraph()
        holder.alignment, holder.paragraph_format.first_line_indent = CENTER, Cm(0)
        holder.paragraph_format.keep_with_next = True
        holder.paragraph_format.line_spacing = 1.0
        holder.add_run().add_picture(image, width=width)
        title = self._caption(f"Рисунок {self.figures}. {caption}")
        title.alignment = CENTER
        return self.figures

    def table(
        self, caption: str, header: list[str], rows: list[list], shares=None, *, left: int = 1
    ) -> int:
        """A numbered table; ``shares`` of the text width per column, else a name beside
        figures is fitted (``_fitted``)."""
        self.tables += 1
        title = self._caption(f"Таблица {self.tables}. {caption}")
        title.paragraph_format.keep_with_next = True  # never alone at the foot of a page
        size, widths = self.table_pt, None
        if shares:
            widths = [int(TEXT_WIDTH * share) for share in shares]
        elif len(header) >= 3:
            size, widths = self._fitted(header, rows)
        grid = table(
            self.document,
            header,
            rows,
            first_left=left,
            size=size,
            style=self._style("Table Grid"),
        )
        if widths:
            set_widths(grid, widths)
        self.after_table = True
        return self.tables

    def _fitted(self, header: list, rows: list[list]) -> tuple[int, list[int]]:
        """The font size and column widths of a table (``fitted_widths``): a point or two
        smaller when the words do not fit; at the smallest, widths in proportion to them."""
        smallest = self.table_pt - 2
        for size in range(self.table_pt, smallest - 1, -1):
            widths = fitted_widths(header, rows, size)
            if widths:
                return size, widths
        needs = column_needs(header, rows, smallest)
        return smallest, [TEXT_WIDTH * need // sum(needs) for need in needs]

    def _caption(self, text: str):
        caption = self.document.add_paragraph(clean(text), self._style("Caption"))
        caption.paragraph_format.first_line_indent = Cm(0)
        return caption
