"""The register of a school's library staff (база данных педагогов-библиотекарей, roadmap item
15) and their professional-development courses (item 16).

A record holds personal data under 152-ФЗ: it is active only with the person's consent on
file, and a withdrawn consent leaves an anonymous record that counts in the staffing figures
but names nobody."""

from datetime import date
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import SearchableMixin, TimestampMixin, string_enum
from app.extensions import db
from app.organizations.models import Organization


class Position(StrEnum):
    TEACHER_LIBRARIAN = "teacher_librarian"
    LIBRARIAN = "librarian"
    HEAD = "head"
    OTHER = "other"

    @property
    def label(self):
        return POSITION_LABELS[self]


POSITION_LABELS = {
    Position.TEACHER_LIBRARIAN: _l("Teacher-librarian"),
    Position.LIBRARIAN: _l("Librarian"),
    Position.HEAD: _l("Head of the library or information-library centre"),
    Position.OTHER: _l("Other position"),
}


class Employment(StrEnum):
    MAIN = "main"
    PART_TIME = "part_time"

    @property
    def label(self):
        return EMPLOYMENT_LABELS[self]


EMPLOYMENT_LABELS = {
    Employment.MAIN: _l("Main job"),
    Employment.PART_TIME: _l("Part-time job"),
}


class Education(StrEnum):
    HIGHER = "higher"
    VOCATIONAL = "vocational"
    SECONDARY = "secondary"

    @property
    def label(self):
        return EDUCATION_LABELS[self]


EDUCATION_LABELS = {
    Education.HIGHER: _l("Higher"),
    Education.VOCATIONAL: _l("Secondary vocational"),
    Education.SECONDARY: _l("Secondary general"),
}


class Category(StrEnum):
    NONE = "none"
    CONFORMITY = "conformity"
    FIRST = "first"
    HIGHEST = "highest"

    @property
    def label(self):
        return CATEGORY_LABELS[self]


CATEGORY_LABELS = {
    Category.NONE: _l("No category"),
    Category.CONFORMITY: _l("Conformity with the position held"),
    Category.FIRST: _l("First category"),
    Category.HIGHEST: _l("Highest category"),
}


record_difficulty = sa.Table(
    "librarian_record_difficulty",
    db.metadata,
    sa.Column(
        "record_id",
        sa.ForeignKey("librarian_record.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "topic_id",
        sa.ForeignKey("difficulty_topic.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class DifficultyTopic(TimestampMixin, db.Model):
    """A topic of the map of professional difficulties (карта профессиональных затруднений,
    roadmap item 5), kept by a district office for the schools below it."""

    __tablename__ = "difficulty_topic"
    __table_args__ = (sa.UniqueConstraint("organization_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)

    organization: Mapped[Organization] = relationship()


class LibrarianRecord(SearchableMixin, TimestampMixin, db.Model):
    __tablename__ = "librarian_record"
    __search_fields__ = ("last_name", "first_name", "patronymic")
    __sort_field__ = "full_name"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    last_name: Mapped[str] = mapped_column(sa.String(100), default="")
    first_name: Mapped[str] = mapped_column(sa.String(100), default="")
    patronymic: Mapped[str] = mapped_column(sa.String(100), default="")
    position: Mapped[Position] = mapped_column(string_enum(Position))
    position_other: Mapped[str] = mapped_column(sa.String(120), default="")
    rate: Mapped[Decimal] = mapped_column(sa.Numeric(4, 2))
    employment: Mapped[Employment] = mapped_column(string_enum(Employment))
    education: Mapped[Education] = mapped_column(string_enum(Education))
    library_education: Mapped[bool] = mapped_column(default=False)
    pedagogical_education: Mapped[bool] = mapped_column(default=False)
    graduation_year: Mapped[int | None]
    career_start: Mapped[date | None]
    library_start: Mapped[date | None]
    category: Mapped[Category] = mapped_column(string_enum(Category), default=Category.NONE)
    category_date: Mapped[date | None]
    phone: Mapped[str] = mapped_column(sa.String(50), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    is_active: Mapped[bool] = mapped_column(default=True, index=True)
    left_on: Mapped[date | None]
    consent_on: Mapped[date | None]
    consent_note: Mapped[str] = mapped_column(sa.String(300), default="")
    consent_stored_name: Mapped[str] = mapped_column(sa.String(64), default="")
    consent_original_name: Mapped[str] = mapped_column(sa.String(255), default="")
    consent_withdrawn_on: Mapped[date | None] = mapped_column(index=True)
    difficulties_note: Mapped[str] = mapped_column(sa.String(1000), default="")

    organization: Mapped[Organization] = relationship()
    courses: Mapped[list["Course"]] = relationship(
        back_populates="record",
        cascade="all, delete-orphan",
        order_by="(Course.ends_on.desc(), Course.id.desc())",
    )
    difficulties: Mapped[list[DifficultyTopic]] = relationship(
        secondary=record_difficulty, order_by="(DifficultyTopic.position, DifficultyTopic.id)"
    )

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)

    @property
    def anonymised(self) -> bool:
        return self.consent_withdrawn_on is not None

    @property
    def position_label(self) -> str:
        return self.position_other if self.position == Position.OTHER else str(self.position.label)

    def __repr__(self) -> str:
        return f"<LibrarianRecord {self.id}>"


class Course(TimestampMixin, db.Model):
    """A professional-development course (курсы повышения квалификации) a person completed."""

    __tablename__ = "librarian_course"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(
        sa.ForeignKey("librarian_record.id", ondelete="CASCADE"), index=True
    )
    topic: Mapped[str] = mapped_column(sa.String(300))
    provider: Mapped[str] = mapped_column(sa.String(300), default="")
    hours: Mapped[int]
    starts_on: Mapped[date]
    ends_on: Mapped[date] = mapped_column(index=True)
    document_number: Mapped[str] = mapped_column(sa.String(100), default="")

    record: Mapped[LibrarianRecord] = relationship(back_populates="courses")


class Vacancy(TimestampMixin, db.Model):
    """The vacant library rates a school reports (0 when none), with its own words."""

    __tablename__ = "library_vacancy"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), unique=True)
    rate: Mapped[Decimal] = mapped_column(sa.Numeric(4, 2), default=Decimal(0))
    note: Mapped[str] = mapped_column(sa.String(300), default="")

    organization: Mapped[Organization] = relationship()
