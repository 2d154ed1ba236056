"""Forms, their frozen versions, and the sections and questions of each version."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db import JSONType, TimestampMixin, UTCDateTime
from app.extensions import db
from app.organizations.models import Organization
from app.questionnaires.spec import STYLE_LENGTH


class VersionStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"

    @property
    def label(self):
        return {VersionStatus.DRAFT: _l("Draft"), VersionStatus.PUBLISHED: _l("Published")}[self]


class Form(TimestampMixin, db.Model):
    __tablename__ = "form"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    slug: Mapped[str] = mapped_column(sa.String(64), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    is_archived: Mapped[bool] = mapped_column(default=False)

    organization: Mapped[Organization] = relationship()
    created_by: Mapped[User | None] = relationship()
    versions: Mapped[list["FormVersion"]] = relationship(
        back_populates="form", order_by="FormVersion.number", cascade="all, delete-orphan"
    )

    @property
    def latest(self) -> "FormVersion":
        return self.versions[-1]

    @property
    def published(self) -> "FormVersion | None":
        published = [v for v in self.versions if v.status == VersionStatus.PUBLISHED]
        return published[-1] if published else None

    @property
    def title(self) -> str:
        return self.latest.title


class FormVersion(TimestampMixin, db.Model):
    __tablename__ = "form_version"
    __table_args__ = (sa.UniqueConstraint("form_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(sa.ForeignKey("form.id"), index=True)
    number: Mapped[int] = mapped_column(default=1)
    status: Mapped[VersionStatus] = mapped_column(
        sa.Enum(
            VersionStatus,
            native_enum=False,
            length=20,
            values_callable=lambda kinds: [kind.value for kind in kinds],
        ),
        default=VersionStatus.DRAFT,
    )
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    label: Mapped[str] = mapped_column(sa.String(64), default="")
    style: Mapped[str] = mapped_column(sa.String(STYLE_LENGTH), default="", server_default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A form in several languages: its languages and the translations of the form and its
    # sections (languages.stored_languages); those of questions are in their settings.
    languages: Mapped[dict | None] = mapped_column(JSONType)

    form: Mapped[Form] = relationship(back_populates="versions")
    sections: Mapped[list["Section"]] = relationship(
        back_populates="version", order_by="Section.position", cascade="all, delete-orphan"
    )
    questions: Mapped[list["Question"]] = relationship(
        order_by="Question.position", cascade="all, delete-orphan", overlaps="section"
    )

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT


class Section(db.Model):
    __tablename__ = "form_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("form_version.id"), index=True)
    position: Mapped[int]
    key: Mapped[str] = mapped_column(sa.String(64))
    title: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    condition: Mapped[dict | None] = mapped_column(JSONType)

    version: Mapped[FormVersion] = relationship(back_populates="sections")
    questions: Mapped[list["Question"]] = relationship(
        back_populates="section", order_by="Question.position", overlaps="questions"
    )


class Question(db.Model):
    __tablename__ = "question"
    __table_args__ = (sa.UniqueConstraint("version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("form_version.id"), index=True)
    section_id: Mapped[int] = mapped_column(sa.ForeignKey("form_section.id"), index=True)
    position: Mapped[int]
    key: Mapped[str] = mapped_column(sa.String(64))
    type: Mapped[str] = mapped_column(sa.String(20))
    label: Mapped[str] = mapped_column(sa.Text, default="")
    help: Mapped[str] = mapped_column(sa.Text, default="")
    required: Mapped[bool] = mapped_column(default=False)
    condition: Mapped[dict | None] = mapped_column(JSONType)
    # min, max, choices, rows, columns, display, constraint_message (see spec.py)
    settings: Mapped[dict] = mapped_column(JSONType, default=dict)

    section: Mapped[Section] = relationship(back_populates="questions", overlaps="questions")
