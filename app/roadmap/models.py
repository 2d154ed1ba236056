"""The district's roadmap (дорожная карта): activities by section for an academic year, each
with its period, responsible parties, document type, expected results, status and evidence."""

from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.campaigns.models import Campaign
from app.compendium.models import Compendium
from app.contests.models import Contest
from app.db import TimestampMixin, string_enum
from app.extensions import db
from app.organizations.models import Organization


class Status(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    @property
    def label(self):
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.PLANNED: _l("Planned"),
    Status.IN_PROGRESS: _l("In progress"),
    Status.DONE: _l("Done"),
}


class Roadmap(TimestampMixin, db.Model):
    __tablename__ = "roadmap"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    year: Mapped[int]  # the academic year's first calendar year: 2023 for 2023–2024

    organization: Mapped[Organization] = relationship()
    sections: Mapped[list["RoadmapSection"]] = relationship(
        back_populates="roadmap", cascade="all, delete-orphan", order_by="RoadmapSection.position"
    )
    items: Mapped[list["Activity"]] = relationship(
        back_populates="roadmap",
        cascade="all, delete-orphan",
        order_by="Activity.number",
        lazy="selectin",  # a dashboard reads every activity with its section and evidence
    )

    @property
    def year_label(self) -> str:
        return f"{self.year}–{self.year + 1}"


class RoadmapSection(db.Model):
    __tablename__ = "roadmap_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    roadmap_id: Mapped[int] = mapped_column(
        sa.ForeignKey("roadmap.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(300))
    position: Mapped[int] = mapped_column(default=0)

    roadmap: Mapped[Roadmap] = relationship(back_populates="sections")
    items: Mapped[list["Activity"]] = relationship(
        back_populates="section", order_by="Activity.number"
    )


class Activity(TimestampMixin, db.Model):
    """An activity (мероприятие). ``period`` is the text as the plan writes it («Январь –
    февраль», «в течение года»); ``starts_on``/``ends_on`` are what it means in the year."""

    __tablename__ = "roadmap_item"
    __table_args__ = (sa.UniqueConstraint("roadmap_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    roadmap_id: Mapped[int] = mapped_column(
        sa.ForeignKey("roadmap.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("roadmap_section.id", ondelete="SET NULL"), index=True
    )
    number: Mapped[int]
    title: Mapped[str] = mapped_column(sa.Text)
    period: Mapped[str] = mapped_column(sa.String(200))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    responsible: Mapped[str] = mapped_column(sa.String(300), default="")
    document_type: Mapped[str] = mapped_column(sa.String(300), default="")
    expected_results: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[Status] = mapped_column(string_enum(Status), default=Status.PLANNED)
    done_on: Mapped[date | None]
    result_note: Mapped[str] = mapped_column(sa.Text, default="")

    roadmap: Mapped[Roadmap] = relationship(back_populates="items")
    section: Mapped[RoadmapSection | None] = relationship(back_populates="items", lazy="joined")
    evidence: Mapped[list["Evidence"]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="Evidence.id", lazy="selectin"
    )

    def overdue(self, today: date) -> bool:
        """Not done when its period has ended (``today`` in the district's timezone)."""
        return self.status != Status.DONE and today > self.ends_on


class EvidenceKind(StrEnum):
    CAMPAIGN = "campaign"
    CONTEST = "contest"
    COMPENDIUM = "compendium"
    FILE = "file"
    URL = "url"

    @property
    def label(self):
        return EVIDENCE_LABELS[self]


EVIDENCE_LABELS = {
    EvidenceKind.CAMPAIGN: _l("Monitoring"),
    EvidenceKind.CONTEST: _l("Contest"),
    EvidenceKind.COMPENDIUM: _l("Collection of practices"),
    EvidenceKind.FILE: _l("Document"),
    EvidenceKind.URL: _l("Link"),
}


class Evidence(TimestampMixin, db.Model):
    """What shows an activity was carried out: a monitoring (its report and справка), a
    contest (its protocol), a сборник of practices (its .docx), an uploaded document or a link,
    with a short note."""

    __tablename__ = "roadmap_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("roadmap_item.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EvidenceKind] = mapped_column(string_enum(EvidenceKind))
    campaign_id: Mapped[int | None] = mapped_column(sa.ForeignKey("campaign.id"), index=True)
    contest_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contest.id"), index=True)
    compendium_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("compendium.id", ondelete="SET NULL"), index=True
    )
    url: Mapped[str] = mapped_column(sa.String(1000), default="")
    stored_name: Mapped[str] = mapped_column(sa.String(64), default="")
    original_name: Mapped[str] = mapped_column(sa.String(255), default="")
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    item: Mapped[Activity] = relationship(back_populates="evidence")
    campaign: Mapped[Campaign | None] = relationship()
    contest: Mapped[Contest | None] = relationship()
    compendium: Mapped[Compendium | None] = relationship()
    added_by: Mapped[User | None] = relationship()
