"""Certificate pages as data, and the one writer that lays any list of them out.

A page is what a district office hands out: a diploma to a contest's winners, a certificate of
participation in a seminar, a thank-you letter to a juror or a speaker. Every page is filled
into a one-page .docx template (docxtpl) — the district's own for the kind of page, or the
standard one built here: a frame round the page, the emblem at the top centre, the heading,
the people, their school, the text, and the signature image on the signatory's line — and the
filled pages are joined (docxcompose) into one document, one page each."""

import io
from dataclasses import dataclass, field
from datetime import date, datetime

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docxcompose.composer import Composer
from docxtpl import DocxTemplate, InlineImage, Listing
from jinja2 import TemplateError

from app.core.timefmt import date_filter
from app.core.word import clean, new_document, set_widths
from app.reports.exports.templates import TemplateFailed, reason

DIPLOMA, CERTIFICATE, LETTER = "diploma", "certificate", "letter"
KINDS = (DIPLOMA, CERTIFICATE, LETTER)
HEADINGS = {
    DIPLOMA: "ДИПЛОМ",
    CERTIFICATE: "СЕРТИФИКАТ",
    LETTER: "БЛАГОДАРСТВЕННОЕ ПИСЬМО",
}
VARIABLES = (
    "organization", "emblem", "heading", "subheading", "lead", "recipients", "school", "body",
    "place", "date", "position", "signatory", "signature",
)  # fmt: skip
EMBLEM_HEIGHT, SIGNATURE_HEIGHT = Cm(3), Cm(1.6)
ACCENT = RGBColor(0x1F, 0x38, 0x64)  # the dark blue of the heading and the frame
FRAME = "1F3864"
SIGNATURE_COLUMNS = (Cm(6.5), Cm(4.5), Cm(5))  # within the 16 cm between the margins


@dataclass
class Signatory:
    position: str
    name: str
    signature: bytes | None = None  # a PNG or JPEG of the handwritten signature


@dataclass
class Issuer:
    """Who hands the pages out: the organization's name at the top, its emblem, its locality
    beside the date, and who signs for it (its head)."""

    name: str
    locality: str = ""
    emblem: bytes | None = None
    head: Signatory | None = None


@dataclass
class Page:
    """One page: ``recipients`` are the people (or, with nobody named, the school itself),
    ``school`` the line below them, ``body`` the lines of text after them."""

    kind: str
    recipients: list[str]
    school: str = ""
    body: list[str] = field(default_factory=list)
    subheading: str = ""
    lead: str = ""
    when: date | datetime | None = None  # a moment prints as its date in the district
    signatory: Signatory | None = None


def write_pages(pages: list[Page], issuer: Issuer, target, template: bytes | None = None) -> None:
    """Writes ``pages`` (of one kind) into ``target`` (a path or a binary file object), filled
    into ``template`` (a district's .docx) or the standard one of their kind."""
    composer = None
    for page in pages:
        source = template or default_template(page.kind)
        filled = _fill(source, _variables(page, issuer))
        if composer is None:
            composer = Composer(filled)
        else:
            _start_on_new_page(filled)
            composer.append(filled)
    if composer is None:
        raise ValueError("no pages")
    composer.doc.core_properties.title = clean(HEADINGS[pages[0].kind].capitalize())
    composer.save(target)


def check_page_template(kind: str):
    """A check for an uploaded template of ``kind``: it fills with a sample page."""

    def check(template: bytes) -> None:
        sample = Page(kind, ["Иванова Анна Петровна"], "МБОУ «СОШ №1»", ["за работу"], "I степени")
        _fill(template, _variables(sample, Issuer("Управление образования")))

    return check


def _fill(template: bytes, values: dict):
    try:
        document = DocxTemplate(io.BytesIO(template))
        context = {name: value for name, value in values.items() if not name.endswith("_image")}
        context["emblem"] = _image(document, values["emblem_image"], EMBLEM_HEIGHT)
        context["signature"] = _image(document, values["signature_image"], SIGNATURE_HEIGHT)
        document.render(context, autoescape=True)
    except (PackageNotFoundError, KeyError, ValueError, TemplateError) as error:
        raise TemplateFailed(f"Шаблон не удалось заполнить: {reason(error)}") from error
    return document.docx


def _image(document, data: bytes | None, height):
    return InlineImage(document, io.BytesIO(data), height=height) if data else ""


def _variables(page: Page, issuer: Issuer) -> dict:
    signatory = page.signatory or issuer.head or Signatory("", "")
    return {
        "organization": clean(issuer.name),
        "heading": HEADINGS[page.kind],
        "subheading": clean(page.subheading),
        "lead": clean(page.lead),
        "recipients": Listing(clean("\n".join(page.recipients))),
        "school": clean(page.school),
        "body": Listing(clean("\n".join(page.body))),
        "place": clean(issuer.locality),
        "date": date_filter(page.when) if page.when else "",
        "position": Listing(clean(signatory.position)),
        "signatory": clean(signatory.name),
        "emblem_image": issuer.emblem,
        "signature_image": signatory.signature,
    }


def _start_on_new_page(document) -> None:
    body = document.element.body
    first = body[0]
    if first.tag != qn("w:p"):
        first = OxmlElement("w:p")
        body.insert(0, first)
    properties = first.get_or_add_pPr()
    properties.insert(0, OxmlElement("w:pageBreakBefore"))


# The standard template


def default_template(kind: str) -> bytes:
    """The standard one-page template of ``kind`` as .docx bytes (built once per process)."""
    if kind not in _DEFAULTS:
        buffer = io.BytesIO()
        build_default_template(kind, buffer)
        _DEFAULTS[kind] = buffer.getvalue()
    return _DEFAULTS[kind]


_DEFAULTS: dict[str, bytes] = {}


def build_default_template(kind: str, target) -> None:
    document = new_document()
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2), Cm(1.8)
    _frame(section)
    _line(document, "{{ emblem }}", space_after=6)
    roomy = kind != DIPLOMA  # one person and a line or two of text: more air between them
    _line(document, "{{ organization }}", size=13, space_after=66 if roomy else 42)
    heading_size = 30 if kind == LETTER else 48
    _line(document, "{{ heading }}", size=heading_size, bold=True, color=ACCENT)
    _line(document, "{{ subheading }}", size=22, bold=True, color=ACCENT, space_after=30)
    _line(document, "{{ lead }}", size=16, italic=True, space_after=14)
    _line(document, "{{ recipients }}", size=24, bold=True, space_after=8)
    _line(document, "{{ school }}", size=15, space_after=24)
    body = _line(document, "{{ body }}", size=16, space_after=130 if roomy else 54)
    body.paragraph_format.line_spacing = 1.15
    _signature_block(document)
    document.save(target)


def _line(document, text: str, *, size=14, bold=False, italic=False, color=None, **spacing):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(spacing.get("space_before", 0))
    paragraph.paragraph_format.space_after = Pt(spacing.get("space_after", 0))
    run = paragraph.add_run(text)
    run.font.size, run.bold, run.italic = Pt(size), bold, italic
    if color is not None:
        run.font.color.rgb = color
    return paragraph


def _signature_block(document) -> None:
    """Position on the left, the signature image on the line in the middle, the name on the
    right, all on the line's level; the place and date below the position."""
    grid = document.add_table(rows=2, cols=3)
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(grid, SIGNATURE_COLUMNS)
    texts = ("{{ position }}", "{{ signature }}", "{{ signatory }}")
    aligns = (WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT)
    for cell, text, align in zip(grid.rows[0].cells, texts, aligns, strict=True):
        paragraph = cell.paragraphs[0]
        paragraph.alignment = align
        run = paragraph.add_run(text)
        run.font.size = Pt(13)
        _bottom_aligned(cell)
    _underline(grid.rows[0].cells[1])
    grid.rows[0].height = SIGNATURE_HEIGHT
    when = grid.rows[1].cells[0].paragraphs[0]
    when.paragraph_format.space_before = Pt(12)
    when.add_run("{{ place }}{{ ', ' if place and date }}{{ date }}").font.size = Pt(13)


def _bottom_aligned(cell) -> None:
    alignment = OxmlElement("w:vAlign")
    alignment.set(qn("w:val"), "bottom")
    cell._tc.get_or_add_tcPr().append(alignment)


def _underline(cell) -> None:
    borders = OxmlElement("w:tcBorders")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "6"), ("space", "0"), ("color", "000000")):
        bottom.set(qn(f"w:{name}"), value)
    borders.append(bottom)
    cell._tc.get_or_add_tcPr().append(borders)


def _frame(section) -> None:
    """A double line round the page, a little inside its edge (Word's page borders)."""
    borders = OxmlElement("w:pgBorders")
    borders.set(qn("w:offsetFrom"), "page")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        for name, value in (("val", "double"), ("sz", "18"), ("space", "24"), ("color", FRAME)):
            edge.set(qn(f"w:{name}"), value)
        borders.append(edge)
    properties = section._sectPr
    # pgBorders comes after pgMar in CT_SectPr's sequence.
    properties.pgMar.addnext(borders)
