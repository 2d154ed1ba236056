"""The district's staffing figures (кадровое обеспечение школьных библиотек) from the register:
people and rates by position, education, category, experience, rate and courses. Counts only:
an anonymised record counts like any other, and viewers may read them."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.extensions import db
from app.organizations.models import Organization, OrganizationKind
from app.organizations.scope import subtree_clause
from app.registry.models import (
    CATEGORY_LABELS,
    EDUCATION_LABELS,
    EMPLOYMENT_LABELS,
    POSITION_LABELS,
    LibrarianRecord,
    Vacancy,
)
from app.registry.services import course_due, full_years

EXPERIENCE_BANDS = ((0, 3), (3, 5), (5, 10), (10, 20), (20, None))  # library experience, years


@dataclass
class Breakdown:
    """One distribution: rows of (label, people, percent of all people)."""

    key: str
    title: str
    rows: list[tuple[str, int, Decimal | None]] = field(default_factory=list)


@dataclass
class Staffing:
    people: int
    rate: Decimal
    schools: int
    schools_staffed: int
    unstaffed: list[str]
    library_education: int
    pedagogical_education: int
    due: int
    breakdowns: list[Breakdown]
    vacancies: list[tuple[str, Decimal, str]] = field(default_factory=list)

    @property
    def vacant_rate(self) -> Decimal:
        return sum((rate for _school, rate, _note in self.vacancies), Decimal(0))

    def share(self, count: int) -> Decimal | None:
        return _percent(count, self.people)


def _percent(count: int, whole: int) -> Decimal | None:
    return (Decimal(100 * count) / whole).quantize(Decimal("0.1")) if whole else None


def _records(user: User) -> list[LibrarianRecord]:
    return db.session.scalars(
        sa.select(LibrarianRecord)
        .join(LibrarianRecord.organization)
        .where(
            subtree_clause(user),
            LibrarianRecord.is_active.is_(True),
            Organization.kind == OrganizationKind.SCHOOL,
        )
        .options(selectinload(LibrarianRecord.courses))
    ).all()


def _schools(user: User) -> list[Organization]:
    return db.session.scalars(
        sa.select(Organization)
        .where(
            subtree_clause(user),
            Organization.kind == OrganizationKind.SCHOOL,
            Organization.is_active.is_(True),
        )
        .order_by(Organization.sort_key)
    ).all()


def experience_band(years: int | None) -> str:
    if years is None:
        return str(_l("not given"))
    for low, high in EXPERIENCE_BANDS:
        if high is None:
            return str(_l("%(low)s years and more", low=low))
        if years < high:
            return str(_l("%(low)s to %(high)s years", low=low, high=high))
    raise AssertionError(years)


def rate_band(rate: Decimal) -> str:
    if rate < Decimal("0.5"):
        return str(_l("under 0.5"))
    if rate < 1:
        return str(_l("0.5 to 1"))
    return str(_l("one rate")) if rate == 1 else str(_l("over one rate"))


def _breakdown(key: str, title, values: list[str], order: list[str], people: int) -> Breakdown:
    counts = Counter(values)
    labels = [label for label in order if label in counts]
    labels += sorted(label for label in counts if label not in labels)
    return Breakdown(
        key,
        str(title),
        [(label, counts[label], _percent(counts[label], people)) for label in labels],
    )


def _vacancies(user: User) -> list[tuple[str, Decimal, str]]:
    """(school, vacant rates, note) of the schools that report a vacancy."""
    rows = db.session.execute(
        sa.select(Organization.name, Vacancy.rate, Vacancy.note)
        .join(Vacancy.organization)
        .where(subtree_clause(user), Vacancy.rate > 0)
        .order_by(Organization.sort_key)
    )
    return [tuple(row) for row in rows]


def staffing(user: User, today: date) -> Staffing:
    records, schools = _records(user), _schools(user)
    people = len(records)
    staffed = {record.organization_id for record in records}
    bands = [experience_band(low) for low, _high in EXPERIENCE_BANDS] + [experience_band(None)]
    rates = [
        str(_l("under 0.5")),
        str(_l("0.5 to 1")),
        str(_l("one rate")),
        str(_l("over one rate")),
    ]
    breakdowns = [
        _breakdown("position", _l("Positions"), [r.position_label for r in records],
                   [str(label) for label in POSITION_LABELS.values()], people),
        _breakdown("employment", _l("Main job or part-time"),
                   [str(r.employment.label) for r in records],
                   [str(label) for label in EMPLOYMENT_LABELS.values()], people),
        _breakdown("education", _l("Education"), [str(r.education.label) for r in records],
                   [str(label) for label in EDUCATION_LABELS.values()], people),
        _breakdown("category", _l("Qualification category"),
                   [str(r.category.label) for r in records],
                   [str(label) for label in reversed(CATEGORY_LABELS.values())], people),
        _breakdown("experience", _l("Library experience"),
                   [experience_band(full_years(r.library_start, today)) for r in records],
                   bands, people),
        _breakdown("rate", _l("Rate"), [rate_band(r.rate) for r in records], rates, people),
    ]  # fmt: skip
    return Staffing(
        people=people,
        rate=sum((record.rate for record in records), Decimal(0)),
        schools=len(schools),
        schools_staffed=len([school for school in schools if school.id in staffed]),
        unstaffed=[school.name for school in schools if school.id not in staffed],
        library_education=sum(record.library_education for record in records),
        pedagogical_education=sum(record.pedagogical_education for record in records),
        due=sum(course_due(record, today) for record in records),
        breakdowns=breakdowns,
        vacancies=_vacancies(user),
    )
