"""Who has taken part in the district's events: the academic year (01.09–31.08) in the
district's timezone, and the working staff marked present at no event of it."""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import Role, User
from app.audit import services as audit
from app.core.errors import Forbidden
from app.core.text import fold
from app.core.timefmt import local_day_start
from app.events.models import Event, Registration
from app.events.services import registrable_query
from app.organizations.models import Organization
from app.organizations.scope import subtree_clause
from app.registry.models import LibrarianRecord


def academic_year_start(today: date) -> date:
    return date(today.year if today.month >= 9 else today.year - 1, 9, 1)


def academic_year_bounds(today: date) -> tuple[datetime, datetime]:
    """The UTC moments the academic year of ``today`` (01.09–31.08) begins and ends in the
    district's timezone."""
    start = academic_year_start(today)
    return local_day_start(start), local_day_start(start.replace(year=start.year + 1))


def participated_clause(today: date) -> sa.ColumnElement[bool]:
    """The record was marked present at an event (not cancelled) of this academic year."""
    begins, ends = academic_year_bounds(today)
    return (
        sa.select(Registration.id)
        .join(Registration.event)
        .where(
            Registration.record_id == LibrarianRecord.id,
            Registration.attended.is_(True),
            Event.cancelled_at.is_(None),
            Event.starts_at >= begins,
            Event.starts_at < ends,
        )
        .exists()
    )


def non_participants(user: User, today: date, *, organization_id: int | None = None,
                     text: str = "") -> sa.Select:  # fmt: skip
    """Active staff of the user's subtree who attended no event this academic year."""
    if user.role != Role.ADMIN:
        raise Forbidden(_l("The list names people: it is open to district staff."))
    statement = registrable_query().where(subtree_clause(user), ~participated_clause(today))
    if organization_id:
        statement = statement.where(LibrarianRecord.organization_id == organization_id)
    if text:
        statement = statement.where(
            LibrarianRecord.search_key.contains(fold(text), autoescape=True)
        )
    return statement.order_by(Organization.sort_key, LibrarianRecord.sort_key, LibrarianRecord.id)


def log_export(user: User, count: int) -> None:
    audit.record("export_personal_data", actor=user, object_type="librarian_record",
                 label=str(_l("Records exported: %(count)s", count=count)),
                 organization=user.organization,
                 after={"reason": "non_participants", "records": count})  # fmt: skip
