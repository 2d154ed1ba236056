"""A district's own .docx template for the справка (docxtpl): its letterhead, styles and
signature block around the generated body.

Variables: {{ title }}, {{ district }}, {{ recipient }}, {{ date }}, {{ executor }}, and
{{p body }} for the report itself (a subdocument the Writer fills in the template's styles)."""

import io
from collections.abc import Callable
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2 import TemplateError

from app.core.errors import DomainError
from app.core.word import CENTER, Writer

DEFAULT_TEMPLATE = Path(__file__).with_name("spravka-template.docx")
VARIABLES = ("title", "district", "recipient", "date", "executor", "body")
TABLE_PT = 12
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT


class TemplateFailed(DomainError):
    """The uploaded template cannot be filled: not a .docx, or broken template tags."""


def fill_template(
    template: bytes, target, variables: dict, write_body: Callable[[Writer], None]
) -> None:
    """Renders ``template`` with ``variables`` and the body ``write_body`` writes into
    ``target`` (a path or a binary file object)."""
    try:
        document = DocxTemplate(io.BytesIO(template))
        body = document.new_subdoc()
        writer = Writer(table_pt=TABLE_PT, document=body)
        write_body(writer)
        document.render({**variables, "body": body}, autoescape=True)
    except (PackageNotFoundError, KeyError, ValueError, TemplateError) as error:
        raise TemplateFailed(f"Шаблон справки не удалось заполнить: {reason(error)}") from error
    document.save(target)


def reason(error: Exception) -> str:
    """Why a template could not be filled, in Russian, for the message beside its field."""
    if isinstance(error, TemplateError):
        return f"ошибка в переменных шаблона ({error.message})"
    if isinstance(error, PackageNotFoundError | ValueError):
        return "файл не является документом Word (.docx)"
    return f"в шаблоне нет стиля {error}"


def check_template(template: bytes) -> None:
    """Raises TemplateFailed unless ``template`` renders with sample values."""
    sample = {name: name for name in VARIABLES}
    fill_template(template, io.BytesIO(), sample, lambda writer: writer.text("Текст справки."))


def build_default_template(target) -> None:
    """The shipped template (spravka-template.docx): the district's styles, the title block,
    the body and the signature, each a variable a district may move or restyle."""
    writer = Writer()
    section = writer.document.sections[0]
    section.header.paragraphs[0].text = "{{ district }}"
    section.header.paragraphs[0].alignment = CENTER
    for line in ("{{ recipient }}", "{{ date }}"):
        writer.text(line, indent=False, align=RIGHT)
    writer.heading("{{ title }}", 0)
    writer.text("{{p body }}", indent=False)
    writer.text("Исполнитель: {{ executor }}", indent=False)
    writer.text("Дата: {{ date }}", indent=False)
    writer.document.save(target)
