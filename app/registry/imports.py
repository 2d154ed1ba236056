"""Import of a school's library staff from an .xlsx file: every row or none, each problem named
by its row and column. The file lists the people working now, each with their consent."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.core.errors import DomainError
from app.core.imports import Column, Row, RowProblem, load_rows, read_rows, template_bytes
from app.core.text import fold
from app.extensions import db
from app.registry import services
from app.registry.models import (
    CATEGORY_LABELS,
    EDUCATION_LABELS,
    EMPLOYMENT_LABELS,
    POSITION_LABELS,
    Category,
    Employment,
    LibrarianRecord,
    Position,
)

COLUMNS = [
    Column("last_name", _l("Last name"), required=True, example="Егорова", max_length=100),
    Column("first_name", _l("First name"), required=True, example="Сардана", max_length=100),
    Column("patronymic", _l("Patronymic"), example="Петровна", max_length=100),
    Column("position", _l("Position"), required=True, example="педагог-библиотекарь",
           max_length=120),
    Column("rate", _l("Rate"), required=True, example="0,5"),
    Column("employment", _l("Employment"), example="основная работа"),
    Column("education", _l("Education"), required=True, example="высшее"),
    Column("library_education", _l("The education is in librarianship"), example="да"),
    Column("pedagogical_education", _l("The education is pedagogical"), example="нет"),
    Column("graduation_year", _l("Year of graduation"), example="2007"),
    Column("career_start", _l("Working since"), example="01.09.2005"),
    Column("library_start", _l("Working in libraries since"), example="01.09.2008"),
    Column("category", _l("Qualification category"), example="первая категория"),
    Column("category_date", _l("Category awarded on"), example="15.03.2024"),
    Column("phone", _l("Phone"), example="+7 914 200-00-00", max_length=50),
    Column("email", _l("E-mail"), example="egorova@example.ru", max_length=254),
    Column("consent_on", _l("Consent to the processing of personal data given on"),
           required=True, example="01.09.2026"),
    Column("consent_note", _l("Or where the signed consent is kept"), required=True,
           example="в личном деле"),
]  # fmt: skip

INSTRUCTIONS = [
    _l("Fill the first sheet, one person working now per row; keep the header row as it is."),
    _l("Columns marked * are required."),
    _l(
        "Position: teacher-librarian, librarian, head of the library or information-library "
        "centre; any other text is kept as the position's name."
    ),
    _l("Education: higher, secondary vocational or secondary general; yes or no for its kind."),
    _l("Dates as 25.11.2026; the rate as 1, 0,5 or 0,25."),
    _l(
        "Each person needs the date of their written consent to the processing of personal "
        "data and where the signed consent is kept (152-ФЗ)."
    ),
    _l("If any row has an error, nothing is imported and every error is listed."),
]
YES = {"да", "yes", "1", "+"}
NO = {"нет", "no", "0", "-", ""}


def template() -> bytes:
    return template_bytes(COLUMNS, INSTRUCTIONS)


def _names(labels: dict) -> dict[str, object]:
    return {fold(str(label)): kind for kind, label in labels.items()} | {
        fold(kind.value): kind for kind in labels
    }


def _choice(names: dict, text: str, field: str, default=None):
    if not text and default is not None:
        return default
    found = names.get(fold(text))
    if found is None:
        raise DomainError(_l('unknown value "%(value)s"', value=text), field)
    return found


def _date(text: str, field: str) -> date | None:
    if not text:
        return None
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise DomainError(_l("Enter a date as DD.MM.YYYY."), field)


def _yes(text: str, field: str) -> bool:
    word = fold(text)
    if word in YES:
        return True
    if word in NO:
        return False
    raise DomainError(_l('write "да" or "нет"'), field)


def _rate(text: str) -> Decimal:
    try:
        return Decimal("".join(text.split()).replace(",", "."))
    except InvalidOperation:
        raise DomainError(_l("Enter a number."), "rate") from None


def _year(text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit():
        raise DomainError(_l("Enter a year such as 2005."), "graduation_year")
    return int(text)


def _fields(values: dict[str, str]) -> dict:
    position = _names(POSITION_LABELS).get(fold(values["position"]), Position.OTHER)
    return {
        "last_name": values["last_name"],
        "first_name": values["first_name"],
        "patronymic": values["patronymic"],
        "position": position,
        "position_other": values["position"] if position == Position.OTHER else "",
        "rate": _rate(values["rate"]),
        "employment": _choice(
            _names(EMPLOYMENT_LABELS), values["employment"], "employment", Employment.MAIN
        ),
        "education": _choice(_names(EDUCATION_LABELS), values["education"], "education"),
        "library_education": _yes(values["library_education"], "library_education"),
        "pedagogical_education": _yes(values["pedagogical_education"], "pedagogical_education"),
        "graduation_year": _year(values["graduation_year"]),
        "career_start": _date(values["career_start"], "career_start"),
        "library_start": _date(values["library_start"], "library_start"),
        "category": _choice(_names(CATEGORY_LABELS), values["category"], "category", Category.NONE),
        "category_date": _date(values["category_date"], "category_date"),
        "phone": values["phone"],
        "email": values["email"],
        "is_active": True,
        "consent_on": _date(values["consent_on"], "consent_on"),
        "consent_note": values["consent_note"],
    }


def _registered(school_id: int) -> set[str]:
    names = db.session.scalars(
        sa.select(LibrarianRecord.search_key).where(
            LibrarianRecord.organization_id == school_id,
            LibrarianRecord.consent_withdrawn_on.is_(None),
        )
    )
    return set(names)


def import_records(actor: User, stream, today: date) -> list[LibrarianRecord]:
    """Adds every person of the file to the actor's school, or nobody (``ImportRejected``)."""
    rows = read_rows(stream, COLUMNS)
    known = _registered(actor.organization_id)
    seen: dict[str, int] = {}

    def load(row: Row):
        fields = _fields(row.values)
        key = fold(" ".join((fields["last_name"], fields["first_name"], fields["patronymic"])))
        header = str(COLUMNS[0].header)
        if key in seen:
            message = str(_l("repeats row %(row)s", row=seen[key]))
            row.problems.append(RowProblem(row.number, header, message))
            return None
        seen[key] = row.number
        record = services.save_record(
            actor, None, {**fields, "organization": actor.organization}, today
        )
        db.session.flush()
        if record.search_key in known:
            raise DomainError(_l("the person is already in the register"), "last_name")
        return record

    records = load_rows(rows, COLUMNS, load)
    audit.record_import(
        actor, "librarian_record", _l("Records imported: %(count)s", count=len(records))
    )
    return records
