"""Import of a roadmap's activities from .xlsx in the plan's own columns: every row or none,
each problem named by its row and column."""

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.core.errors import DomainError
from app.core.imports import Column, Row, load_rows, read_rows, template_bytes
from app.roadmap import services
from app.roadmap.models import Activity, Roadmap

COLUMNS = [
    Column("section", _l("Section"), example="Организационно-координационные мероприятия"),
    Column("number", _l("No."), required=True, example="1"),
    Column("title", _l("Activity"), required=True, max_length=3000,
           example="Проведение совещания педагогов-библиотекарей"),
    Column("period", _l("Period"), required=True, max_length=200, example="Январь – февраль"),
    Column("responsible", _l("Responsible and co-executors"), example="МКУ «УОНР», ОО"),
    Column("document_type", _l("Document"), example="Аналитическая справка"),
    Column("expected_results", _l("Expected results"), max_length=3000,
           example="Координация деятельности школьных библиотек"),
]  # fmt: skip

INSTRUCTIONS = [
    _l("Fill the first sheet, one activity per row, in the columns of the plan; keep the header "
       "row as it is."),
    _l("Columns marked * are required."),
    _l("Section: the heading of the plan's part the activity belongs to; empty means none."),
    _l("Period as the plan writes it: «октябрь», «Январь – февраль», «в течение года» or dates "
       "15.03.2024–29.03.2024; it is read in the roadmap's academic year."),
    _l("If any row has an error, nothing is imported and every error is listed."),
]  # fmt: skip


def template() -> bytes:
    return template_bytes(COLUMNS, INSTRUCTIONS)


def _number(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 999:
        raise DomainError(_l("From 1 to 999."), "number")
    return int(text)


def import_activities(actor: User, roadmap: Roadmap, stream) -> list[Activity]:
    """Adds every activity of the file to ``roadmap``, or none (``ImportRejected``)."""
    rows = read_rows(stream, COLUMNS)

    def load(row: Row):
        values = row.values
        fields = {
            "number": _number(values["number"]),
            "title": values["title"],
            "period": " ".join(values["period"].split()),
            "responsible": values["responsible"],
            "document_type": values["document_type"],
            "expected_results": values["expected_results"],
        }
        return services.add_item(actor, roadmap, fields, values["section"])

    activities = load_rows(rows, COLUMNS, load)
    label = _l("Activities imported: %(count)s", count=len(activities))
    audit.record_import(actor, "roadmap", label, roadmap, roadmap.organization)
    return activities
