"""The сборник as a .docx in the district's справка styles (app/core/word.py): a title page, the
contents, the introduction, then each section's practices with their school, authors,
annotation, chosen answers and pictures."""

from docx.enum.text import WD_BREAK
from docx.shared import Cm, Pt
from PIL import Image

from app.compendium.answers import (
    annotation_of,
    authors_of,
    chosen_answers,
    title_of,
    uploads,
)
from app.compendium.models import Compendium, Practice
from app.compendium.sources import withdrawn
from app.core.text import quoted
from app.core.word import CENTER, TEXT_WIDTH, Writer, clean

PICTURE_HEIGHT = Cm(20)  # leaves room for the caption and a heading on an A4 page


def file_name(compendium: Compendium) -> str:
    return f"{compendium.title} ({compendium.year}).docx".replace("/", "-")


def write_compendium(compendium: Compendium, target) -> None:
    writer = Writer()
    writer.document.core_properties.title = compendium.title
    _title_page(writer, compendium)
    _contents(writer, compendium)
    if compendium.introduction:
        writer.heading("Введение", new_page=True)
        for part in compendium.introduction.splitlines():
            if part.strip():
                writer.text(part.strip())
    for section, practices in _printed(compendium):
        writer.heading(section.title, new_page=True)
        for practice in practices:
            _practice(writer, practice)
    writer.document.save(target)


def _printed(compendium: Compendium):
    """Each section that prints something, with its practices still submitted."""
    for section in compendium.sections:
        practices = [practice for practice in section.items if not withdrawn(practice)]
        if practices:
            yield section, practices


def _title_page(writer: Writer, compendium: Compendium) -> None:
    organization = compendium.organization
    writer.document.sections[0].different_first_page_header_footer = True  # no page number
    writer.text(organization.name, indent=False, bold=True, align=CENTER)
    for _ in range(8):
        writer.text("", indent=False)
    title = writer.text(compendium.title, indent=False, bold=True, align=CENTER)
    title.runs[0].font.size = Pt(20)
    for _ in range(10):
        writer.text("", indent=False)
    place = ", ".join(part for part in (organization.locality, str(compendium.year)) if part)
    last = writer.text(place, indent=False, align=CENTER)
    last.add_run().add_break(WD_BREAK.PAGE)


def _contents(writer: Writer, compendium: Compendium) -> None:
    writer.heading("Содержание")
    if compendium.introduction:
        writer.text("Введение", indent=False)
    number = 0
    for section, practices in _printed(compendium):
        writer.text(section.title, indent=False, bold=True)
        for practice in practices:
            number += 1
            line = f"{number}. {title_of(practice)} — {practice.organization.display_name}"
            writer.text(line, indent=False).paragraph_format.left_indent = Cm(0.6)


def _practice(writer: Writer, practice: Practice) -> None:
    writer.heading(title_of(practice), 2)
    lines = [writer.text(practice.organization.name, indent=False)]
    authors = authors_of(practice)
    if authors:
        lines.append(writer.text(f"Автор(ы): {', '.join(authors)}", indent=False))
    lines.append(writer.text(_source(practice), indent=False))
    lines[-1].runs[0].italic = True
    for line in lines:  # the heading's block stays with the practice's first lines
        line.paragraph_format.keep_with_next = True
    annotation = annotation_of(practice)
    if annotation:
        for part in annotation.splitlines():
            if part.strip():
                writer.text(part.strip())
    for printed in chosen_answers(practice):
        lines = printed.text.splitlines() or [""]
        paragraph = writer.text("", indent=False)
        paragraph.add_run(clean(f"{printed.label.rstrip(':?')}: ")).bold = True
        paragraph.add_run(clean(lines[0]))
        for line in lines[1:]:
            writer.text(line, indent=False)
    _materials(writer, practice)


def _source(practice: Practice) -> str:
    if practice.entry is not None:
        entry = practice.entry
        return (f"Конкурс {quoted(entry.contest.title)}, номинация "
                f"{quoted(entry.nomination.title)}")  # fmt: skip
    return f"Мониторинг {quoted(practice.response.campaign.title)}"


def _materials(writer: Writer, practice: Practice) -> None:
    """The pictures among the uploads, when the practice shows them; the other files by name."""
    others = []
    for upload in uploads(practice):
        if practice.with_pictures and upload.is_picture:
            writer.picture(str(upload.path), upload.name, width=_width(upload.path))
        else:
            others.append(upload.name)
    if others:
        writer.text(f"Материалы: {', '.join(others)}", indent=False)


def _width(path) -> int:
    """The text width, less where a tall picture would pass PICTURE_HEIGHT."""
    with Image.open(path) as image:
        width, height = image.size
    return int(min(TEXT_WIDTH, PICTURE_HEIGHT * width / max(height, 1)))
