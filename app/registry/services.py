"""The register's rules: who sees and edits a record, consent before an active record, the
three-year rhythm of courses, withdrawal that anonymises.

A school keeps its own staff; district staff read the records of their subtree, and each time
they open one it is logged (152-ФЗ); viewers and jurors see no personal data at all."""

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager, selectinload

from app.accounts.models import Role, User
from app.audit import services as audit
from app.core.errors import DomainError, Forbidden, NotFound
from app.core.text import fold
from app.core.uploads import store_upload, upload_folder
from app.events.models import Event, Registration
from app.extensions import db
from app.organizations.models import Organization, OrganizationKind
from app.organizations.scope import can_see, subtree_clause
from app.registry.models import Course, LibrarianRecord, Vacancy

PERSONAL_ROLES = (Role.ADMIN, Role.SCHOOL)
COURSE_YEARS = 3  # teachers train at least once in three years (273-ФЗ, art. 47)
AUDITED_FIELDS = (
    "position", "rate", "employment", "education", "category", "is_active", "left_on",
    "consent_on",
)  # fmt: skip
PERSONAL_FIELDS = ("last_name", "first_name", "patronymic", "phone", "email", "consent_note")


# Dates


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (or earlier); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def full_years(start: date | None, today: date) -> int | None:
    """Whole years from ``start`` to ``today`` (work experience, стаж)."""
    if start is None:
        return None
    years = today.year - start.year
    return years - 1 if (today.month, today.day) < (start.month, start.day) else years


def course_cutoff(today: date) -> date:
    """A course that ended on this day or later still counts today."""
    return add_years(today, -COURSE_YEARS)


def last_course_end(record: LibrarianRecord) -> date | None:
    return max((course.ends_on for course in record.courses), default=None)


def course_due(record: LibrarianRecord, today: date) -> bool:
    """No course ended within the last three years: the person should be sent to courses."""
    last = last_course_end(record)
    return last is None or last < course_cutoff(today)


def _due_clause(today: date) -> sa.ColumnElement[bool]:
    recent = sa.select(Course.id).where(
        Course.record_id == LibrarianRecord.id, Course.ends_on >= course_cutoff(today)
    )
    return ~recent.exists()


# Who sees what


def _require_personal_access(user: User) -> None:
    if user.role not in PERSONAL_ROLES:
        raise Forbidden(
            _l("Personal data of library staff is open to their school and the district only.")
        )


def visible_query(user: User) -> sa.Select:
    """The records the user may read: their subtree's (staff) or their school's, never an
    anonymised one."""
    _require_personal_access(user)
    return (
        sa.select(LibrarianRecord)
        .join(LibrarianRecord.organization)
        .where(subtree_clause(user), LibrarianRecord.consent_withdrawn_on.is_(None))
    )


def search(
    user: User,
    today: date,
    *,
    text: str = "",
    organization_id: int | None = None,
    position: str = "",
    status: str = "active",
    due: bool = False,
) -> sa.Select:
    statement = visible_query(user)
    if text:
        statement = statement.where(
            LibrarianRecord.search_key.contains(fold(text), autoescape=True)
        )
    if organization_id:
        statement = statement.where(LibrarianRecord.organization_id == organization_id)
    if position:
        statement = statement.where(LibrarianRecord.position == position)
    if status in {"active", "left"}:
        statement = statement.where(LibrarianRecord.is_active.is_(status == "active"))
    if due:
        statement = statement.where(LibrarianRecord.is_active.is_(True), _due_clause(today))
    return statement.order_by(
        Organization.sort_key, LibrarianRecord.sort_key, LibrarianRecord.id
    ).options(  # the list shows each person's school and last course
        selectinload(LibrarianRecord.courses), contains_eager(LibrarianRecord.organization)
    )


def records_for_export(
    user: User, today: date, reason: str, filters: dict
) -> list[LibrarianRecord]:
    """The records ``search`` finds with ``filters``, each with its courses; the export and its
    reason are logged (152-ФЗ)."""
    records = db.session.scalars(search(user, today, **filters)).all()
    audit.record(
        "export_personal_data",
        actor=user,
        object_type="librarian_record",
        label=str(_l("Records exported: %(count)s", count=len(records))),
        organization=user.organization,
        after={
            "reason": reason,
            "records": len(records),
            **{k: v for k, v in filters.items() if v},
        },
    )
    return records


def schools(user: User) -> list[Organization]:
    """The schools whose staff the user may list (a filter's choices, a new record's school)."""
    return db.session.scalars(
        sa.select(Organization)
        .where(subtree_clause(user), Organization.kind == OrganizationKind.SCHOOL)
        .order_by(Organization.sort_key)
    ).all()


def get_visible(user: User, record_id: int) -> LibrarianRecord:
    """The record if the user may read it; district staff opening it is logged."""
    _require_personal_access(user)
    record = db.session.get(LibrarianRecord, record_id)
    if record is None or record.anonymised or not can_see(user, record.organization):
        raise NotFound(_l("Record not found."))
    if user.role == Role.ADMIN:
        _log(user, "view_person", record)
    return record


def can_edit(user: User, organization_id: int) -> bool:
    """A school edits its own staff; the district reads them."""
    return user.role == Role.SCHOOL and organization_id == user.organization_id


def get_editable(user: User, record_id: int) -> LibrarianRecord:
    record = get_visible(user, record_id)
    if not can_edit(user, record.organization_id):
        raise Forbidden(_l("Only the person's school edits the record."))
    return record


def _log(user: User, action: str, record: LibrarianRecord, **changes) -> None:
    """The audit event of a record, labelled by its number: a name in the log would outlive a
    withdrawn consent."""
    audit.record(
        action,
        record,
        actor=user,
        object_type="librarian_record",
        label=str(_l("Record No. %(number)s", number=record.id)),
        organization=record.organization,
        **changes,
    )


# Changes


def _check(fields: dict, today: date) -> None:
    rate = fields["rate"]
    if rate is None or not Decimal("0.1") <= rate <= Decimal("2"):
        raise DomainError(_l("The rate is from 0.1 to 2, for example 0.5 or 1."), "rate")
    year = fields.get("graduation_year")
    if year is not None and not 1950 <= year <= today.year:
        raise DomainError(
            _l("Enter the year of graduation, from 1950 to this year."), "graduation_year"
        )
    for name in ("career_start", "library_start", "category_date", "consent_on", "left_on"):
        if fields.get(name) and fields[name] > today:
            raise DomainError(_l("The date cannot be in the future."), name)
    career, library = fields.get("career_start"), fields.get("library_start")
    if career and library and library < career:
        raise DomainError(
            _l("Library work cannot have started before the work as a whole."), "library_start"
        )
    if fields["position"] == "other" and not fields.get("position_other"):
        raise DomainError(_l("Name the position."), "position_other")


def _check_consent(record: LibrarianRecord, attaching: bool) -> None:
    """152-ФЗ: an active record needs the date of consent and the signed consent itself or a
    note of where it is kept."""
    if not record.is_active:
        return
    if record.consent_on is None:
        raise DomainError(
            _l("An active record needs the date the person gave consent to the processing of "
               "personal data."),
            "consent_on",
        )  # fmt: skip
    if not (attaching or record.consent_stored_name or record.consent_note):
        raise DomainError(_l("Attach the signed consent or note where it is kept."), "consent_file")


def save_record(
    user: User, record: LibrarianRecord | None, fields: dict, today: date, consent=None
):
    """Creates (``record`` None, ``fields["organization"]`` the user's school) or updates a
    record; ``consent`` is an uploaded signed consent, stored only once every rule holds."""
    _check(fields, today)
    creating = record is None
    if creating:
        record = LibrarianRecord(organization=fields.pop("organization"))
        db.session.add(record)
        before = {}
    else:
        fields.pop("organization", None)
        before = audit.snapshot(record, AUDITED_FIELDS)
    if fields.get("is_active", True):
        fields["left_on"] = None
    else:
        fields["left_on"] = fields.get("left_on") or today
    for name, value in fields.items():
        setattr(record, name, value)
    _check_consent(record, attaching=consent is not None)
    if consent is not None:
        stored = store_upload(consent, "consent_file")
        _remove_file(record.consent_stored_name)
        record.consent_stored_name = stored.stored_name
        record.consent_original_name = stored.original_name
    db.session.flush()
    after = audit.snapshot(record, AUDITED_FIELDS)
    if creating:
        _log(user, "create", record, after=after)
    else:
        before, after = audit.changed(before, after)
        if after:
            _log(user, "update", record, before=before, after=after)
    return record


def _remove_file(stored_name: str) -> None:
    if stored_name:
        (upload_folder() / stored_name).unlink(missing_ok=True)


def consent_file(user: User, record: LibrarianRecord):
    """The path of the signed consent, logged like the record itself."""
    if not record.consent_stored_name:
        raise NotFound(_l("No consent document is attached."))
    if user.role == Role.ADMIN:
        _log(user, "download_consent", record)
    return upload_folder() / record.consent_stored_name


def withdraw_consent(user: User, record: LibrarianRecord, on: date, today: date) -> None:
    """The person withdrew consent: their name, contacts and consent document are erased; what
    remains counts in the staffing figures, anonymously, and is listed nowhere."""
    if on > today:
        raise DomainError(_l("The date cannot be in the future."), "withdrawn_on")
    _remove_file(record.consent_stored_name)
    for name in PERSONAL_FIELDS:
        setattr(record, name, "")
    record.consent_stored_name = record.consent_original_name = ""
    record.consent_withdrawn_on = on
    _log(user, "withdraw_consent", record, after={"consent_withdrawn_on": on.isoformat()})


def add_course(user: User, record: LibrarianRecord, fields: dict, today: date) -> Course:
    if fields["ends_on"] < fields["starts_on"]:
        raise DomainError(_l("The course cannot end before it starts."), "ends_on")
    if fields["ends_on"] > add_years(today, 1):
        raise DomainError(_l("Enter a course that has ended or ends within a year."), "ends_on")
    course = Course(record=record, **fields)
    db.session.add(course)
    db.session.flush()
    _log(
        user,
        "add_course",
        record,
        after={"topic": course.topic, "ends_on": course.ends_on.isoformat()},
    )
    return course


def delete_course(user: User, record: LibrarianRecord, course_id: int) -> None:
    course = db.session.get(Course, course_id)
    if course is None or course.record_id != record.id:
        raise NotFound(_l("Course not found."))
    _log(user, "delete_course", record, before={"topic": course.topic})
    db.session.delete(course)


def participation(record: LibrarianRecord) -> list[Registration]:
    """The district events the person was registered for (professional development apart
    from accredited courses), newest first, cancelled ones left out."""
    return db.session.scalars(
        sa.select(Registration)
        .join(Registration.event)
        .where(Registration.record_id == record.id, Event.cancelled_at.is_(None))
        .order_by(Event.starts_at.desc())
    ).all()


def vacancy_of(school: Organization) -> Vacancy | None:
    return db.session.scalar(sa.select(Vacancy).where(Vacancy.organization_id == school.id))


def report_vacancy(user: User, rate: Decimal, note: str) -> Vacancy:
    """The school's vacant library rates, as it reports them (0 when there are none)."""
    if not Decimal(0) <= rate <= Decimal(10):
        raise DomainError(_l("Enter the vacant rates, from 0 to 10."), "rate")
    vacancy = vacancy_of(user.organization) or Vacancy(organization=user.organization)
    before = {"rate": str(vacancy.rate), "note": vacancy.note} if vacancy.id else {}
    vacancy.rate, vacancy.note = rate, note
    db.session.add(vacancy)
    db.session.flush()
    audit.record("update", vacancy, actor=user, object_type="library_vacancy",
                 label=user.organization.display_name, organization=user.organization,
                 before=before, after={"rate": str(rate), "note": note})  # fmt: skip
    return vacancy
