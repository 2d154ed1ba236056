"""Events of the district (совещание, семинар-практикум, вебинар, методическое объединение):
when and where, the programme, speakers, the people registered from the register and whether
they came, materials after the event, and the monitoring that asks them for feedback."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.accounts.models import User
from app.campaigns.models import Campaign
from app.db import SearchableMixin, TimestampMixin, UTCDateTime, string_enum, utcnow
from app.extensions import db
from app.organizations.models import Organization
from app.registry.models import LibrarianRecord
from app.roadmap.models import Activity


class EventKind(StrEnum):
    MEETING = "meeting"
    SEMINAR = "seminar"
    WEBINAR = "webinar"
    ASSOCIATION = "association"

    @property
    def label(self):
        return KIND_LABELS[self]


KIND_LABELS = {
    EventKind.MEETING: _l("Meeting"),
    EventKind.SEMINAR: _l("Practical seminar"),
    EventKind.WEBINAR: _l("Webinar"),
    EventKind.ASSOCIATION: _l("Methodical association"),
}


class Event(SearchableMixin, TimestampMixin, db.Model):
    __tablename__ = "district_event"
    __search_fields__ = ("title", "place")
    __sort_field__ = "title"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    activity_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("roadmap_item.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[EventKind] = mapped_column(string_enum(EventKind))
    title: Mapped[str] = mapped_column(sa.String(300))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(sa.String(300), default="")
    online_url: Mapped[str] = mapped_column(sa.String(1000), default="")
    programme: Mapped[str] = mapped_column(sa.Text, default="")
    programme_stored_name: Mapped[str] = mapped_column(sa.String(64), default="")
    programme_original_name: Mapped[str] = mapped_column(sa.String(255), default="")
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    feedback_campaign_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("campaign.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    organization: Mapped[Organization] = relationship()
    # The roadmap dashboard reads every activity's events in one statement.
    activity: Mapped[Activity | None] = relationship(
        backref=backref("events", lazy="selectin", order_by="Event.starts_at")
    )
    feedback_campaign: Mapped[Campaign | None] = relationship()
    registrations: Mapped[list["Registration"]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )
    speakers: Mapped[list["Speaker"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Speaker.id"
    )
    materials: Mapped[list["Material"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Material.id"
    )

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None

    def has_started(self, moment: datetime | None = None) -> bool:
        return (moment or utcnow()) >= self.starts_at

    def cancel(self) -> None:
        self.cancelled_at = utcnow()


class Registration(TimestampMixin, db.Model):
    """A person of the register signed up for an event; ``attended`` is marked by staff on the
    day."""

    __tablename__ = "event_registration"
    __table_args__ = (sa.UniqueConstraint("event_id", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("district_event.id", ondelete="CASCADE"), index=True
    )
    record_id: Mapped[int] = mapped_column(
        sa.ForeignKey("librarian_record.id", ondelete="CASCADE"), index=True
    )
    attended: Mapped[bool] = mapped_column(default=False)
    registered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    event: Mapped[Event] = relationship(back_populates="registrations")
    record: Mapped[LibrarianRecord] = relationship()
    registered_by: Mapped[User | None] = relationship()


class Speaker(db.Model):
    """Someone who speaks at the event: a person of the register, or a name and organization."""

    __tablename__ = "event_speaker"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("district_event.id", ondelete="CASCADE"), index=True
    )
    record_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("librarian_record.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(300), default="")
    organization_name: Mapped[str] = mapped_column(sa.String(300), default="")
    topic: Mapped[str] = mapped_column(sa.String(500), default="")

    event: Mapped[Event] = relationship(back_populates="speakers")
    record: Mapped[LibrarianRecord | None] = relationship()

    @property
    def display_name(self) -> str:
        return self.record.full_name if self.record else self.name

    @property
    def display_organization(self) -> str:
        return self.record.organization.display_name if self.record else self.organization_name


class Material(TimestampMixin, db.Model):
    """A file or a link attached after the event (presentations, the resolution, a recording)."""

    __tablename__ = "event_material"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("district_event.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(300))
    url: Mapped[str] = mapped_column(sa.String(1000), default="")
    stored_name: Mapped[str] = mapped_column(sa.String(64), default="")
    original_name: Mapped[str] = mapped_column(sa.String(255), default="")

    event: Mapped[Event] = relationship(back_populates="materials")
