"""The сборник инновационных практик (roadmap item 14): practices chosen by district staff from
contest entries and monitoring responses, in sections of their own order, written as a .docx."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.campaigns.models import Response
from app.contests.models import Entry
from app.db import JSONType, TimestampMixin
from app.extensions import db
from app.organizations.models import Organization


class Compendium(TimestampMixin, db.Model):
    __tablename__ = "compendium"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    year: Mapped[int]
    introduction: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    organization: Mapped[Organization] = relationship()
    created_by: Mapped[User | None] = relationship()
    sections: Mapped[list["CompendiumSection"]] = relationship(
        back_populates="compendium",
        cascade="all, delete-orphan",
        order_by="CompendiumSection.position, CompendiumSection.id",
    )

    @property
    def items(self) -> list["Practice"]:
        return [item for section in self.sections for item in section.items]


class CompendiumSection(db.Model):
    __tablename__ = "compendium_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    compendium_id: Mapped[int] = mapped_column(
        sa.ForeignKey("compendium.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(300))
    position: Mapped[int] = mapped_column(default=0)

    compendium: Mapped[Compendium] = relationship(back_populates="sections")
    items: Mapped[list["Practice"]] = relationship(
        back_populates="section",
        cascade="all, delete-orphan",
        order_by="Practice.position, Practice.id",
    )


class Practice(db.Model):
    """A practice of the сборник: a contest entry or a monitoring response, with what of it is
    printed. Keys name questions of the entry's or the response's form; a typed text stands in
    where no question is chosen."""

    __tablename__ = "compendium_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(
        sa.ForeignKey("compendium_section.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    entry_id: Mapped[int | None] = mapped_column(sa.ForeignKey("entry.id"), index=True)
    response_id: Mapped[int | None] = mapped_column(sa.ForeignKey("response.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(500), default="")
    title_key: Mapped[str] = mapped_column(sa.String(64), default="")
    annotation_key: Mapped[str] = mapped_column(sa.String(64), default="")
    annotation: Mapped[str] = mapped_column(sa.Text, default="")
    authors_key: Mapped[str] = mapped_column(sa.String(64), default="")
    authors: Mapped[str] = mapped_column(sa.Text, default="")
    answer_keys: Mapped[list] = mapped_column(JSONType, default=list)
    with_pictures: Mapped[bool] = mapped_column(default=True)

    section: Mapped[CompendiumSection] = relationship(back_populates="items")
    entry: Mapped[Entry | None] = relationship()
    response: Mapped[Response | None] = relationship()

    @property
    def source(self) -> Entry | Response:
        return self.entry if self.entry is not None else self.response

    @property
    def organization(self) -> Organization:
        return self.source.organization

    @property
    def data(self) -> dict:
        return self.source.data or {}
