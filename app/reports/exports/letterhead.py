"""The frame every справка shares: the title block (who, to whom, date) or the district's own
template, the body, the executor and the date. The monitoring справка and the staffing справка
of the register both go through ``write_document``."""

from collections.abc import Callable
from datetime import UTC, datetime

from docx.enum.text import WD_ALIGN_PARAGRAPH

from app.core.timefmt import date_filter
from app.core.word import Writer
from app.organizations.models import Organization
from app.reports.exports.templates import TABLE_PT, fill_template

RECIPIENT = "Министерство образования и науки Республики Саха (Якутия)"


def variables(organization: Organization, title: str, executor: str) -> dict:
    """The values of a template's variables; the recipient is the office above."""
    parent = organization.parent.display_name if organization.parent is not None else None
    return {
        "title": title,
        "district": organization.display_name,
        "recipient": parent or RECIPIENT,
        "date": date_filter(datetime.now(UTC)),
        "executor": executor,
    }


def write_document(
    organization: Organization,
    title: str,
    executor: str,
    target,
    write_body: Callable[[Writer], None],
    template: bytes | None = None,
) -> None:
    """Writes a справка to ``target``: into ``template`` (a district's .docx with docxtpl
    variables) when there is one, else in the district's standard layout."""
    values = variables(organization, title, executor)
    if template is not None:
        fill_template(template, target, values, write_body)
        return
    writer = Writer(table_pt=TABLE_PT)
    writer.document.core_properties.author = executor
    right = WD_ALIGN_PARAGRAPH.RIGHT
    for line in (values["district"], values["recipient"], values["date"]):
        writer.text(line, indent=False, align=right)
    writer.heading(title, 0)
    write_body(writer)
    writer.text(f"Исполнитель: {executor}", indent=False)
    writer.text(f"Дата: {values['date']}", indent=False)
    writer.document.save(target)
