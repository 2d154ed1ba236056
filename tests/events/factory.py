"""Events made directly, for tests that start from an event with registrations."""

from datetime import UTC, datetime, timedelta

from app.db import utcnow
from app.events.models import Event, EventKind, Registration
from app.extensions import db


def make_event(district, *, starts_at: datetime | None = None, hours: int = 3, **fields) -> Event:
    """An event of ``district`` a week ahead unless ``starts_at`` says otherwise."""
    starts_at = starts_at or (utcnow() + timedelta(days=7)).replace(microsecond=0)
    event = Event(
        organization=district,
        kind=fields.pop("kind", EventKind.SEMINAR),
        title=fields.pop("title", "Семинар-практикум «Школьная библиотека как ИБЦ»"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        place=fields.pop("place", "г. Нюрба, ул. Ленина, 31, актовый зал"),
        **fields,
    )
    db.session.add(event)
    db.session.commit()
    return event


def register(event, record, attended: bool = False) -> Registration:
    registration = Registration(event=event, record=record, attended=attended)
    db.session.add(registration)
    db.session.commit()
    return registration


def local(year, month, day, hour=0, minute=0) -> datetime:
    """A moment typed in Yakutsk (UTC+9), as aware UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC) - timedelta(hours=9)
