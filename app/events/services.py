"""The rules of district events: who sees and keeps them, registration from the register,
attendance, materials, speakers and the feedback monitoring.

District staff keep the events of their subtree; a school sees the events of the offices above
it and registers its own active staff (whose consent is on file) until the event starts; a
viewer reads the events and their counts but no names (152-ФЗ); jurors have nothing here."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.accounts.models import Role, User
from app.audit import services as audit
from app.core.errors import Conflict, DomainError, Forbidden, NotFound
from app.core.text import fold
from app.core.uploads import store_upload, upload_folder
from app.db import utcnow
from app.events.models import Event, EventKind, Material, Registration, Speaker
from app.extensions import db
from app.organizations.models import Organization
from app.organizations.scope import can_manage, subtree_clause
from app.registry.models import LibrarianRecord
from app.roadmap.models import Activity, Roadmap

READERS = (Role.ADMIN, Role.SCHOOL, Role.VIEWER)
NAMED_ROLES = (Role.ADMIN, Role.SCHOOL)  # who may see the names of participants
EVENT_FIELDS = ("kind", "title", "starts_at", "ends_at", "place", "online_url", "programme",
                "activity_id")  # fmt: skip


# Who sees what


def _require_reader(user: User) -> None:
    if user.role not in READERS:
        raise Forbidden(_l("Events are open to the district's staff, schools and observers."))


def _ancestor_paths(organization: Organization) -> list[str]:
    parts = [part for part in organization.path.split("/") if part]
    return ["/" + "/".join(parts[:depth]) + "/" for depth in range(1, len(parts) + 1)]


def _visible_clause(user: User) -> sa.ColumnElement[bool]:
    """Staff and viewers: the events of their subtree; a school: those of the offices above it."""
    if user.role == Role.SCHOOL:
        return Organization.path.in_(_ancestor_paths(user.organization))
    return subtree_clause(user)


def search(user: User, *, text: str = "", kind: str = "", when: str = "upcoming") -> sa.Select:
    _require_reader(user)
    statement = sa.select(Event).join(Event.organization).where(_visible_clause(user))
    if text:
        statement = statement.where(Event.search_key.contains(fold(text), autoescape=True))
    if kind in EventKind.__members__.values():
        statement = statement.where(Event.kind == kind)
    now = utcnow()
    if when == "upcoming":
        return statement.where(Event.ends_at >= now).order_by(Event.starts_at, Event.id)
    if when == "past":
        statement = statement.where(Event.ends_at < now)
    return statement.order_by(Event.starts_at.desc(), Event.id.desc())


def counts(event_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(registered, attended) of each event."""
    rows = db.session.execute(
        sa.select(
            Registration.event_id,
            sa.func.count(),
            sa.func.count().filter(Registration.attended.is_(True)),
        )
        .where(Registration.event_id.in_(event_ids))
        .group_by(Registration.event_id)
    )
    return {event_id: (registered, came) for event_id, registered, came in rows}


def get_visible(user: User, event_id: int) -> Event:
    _require_reader(user)
    event = db.session.get(Event, event_id)
    if event is None or not db.session.scalar(
        sa.select(sa.literal(True)).where(
            Organization.id == event.organization_id, _visible_clause(user)
        )  # fmt: skip
    ):
        raise NotFound(_l("Event not found."))
    return event


def can_edit(user: User, event: Event) -> bool:
    return can_manage(user, event.organization)


def get_editable(user: User, event_id: int) -> Event:
    event = get_visible(user, event_id)
    if not can_edit(user, event):
        raise Forbidden(_l("Only district staff keep events."))
    return event


def registrations(user: User, event: Event) -> list[Registration]:
    """The people registered whom the user may name: all (staff), the school's own (school)."""
    if user.role not in NAMED_ROLES:
        return []
    statement = (
        sa.select(Registration)
        .join(Registration.record)
        .join(LibrarianRecord.organization)
        .where(Registration.event_id == event.id, LibrarianRecord.consent_withdrawn_on.is_(None))
        .order_by(Organization.sort_key, LibrarianRecord.sort_key, Registration.id)
    )
    if user.role == Role.SCHOOL:
        statement = statement.where(LibrarianRecord.organization_id == user.organization_id)
    return db.session.scalars(statement).all()


def registrable(user: User, event: Event) -> list[LibrarianRecord]:
    """Active people with consent on file whom the user may register and who are not yet."""
    if user.role == Role.SCHOOL:
        where = LibrarianRecord.organization_id == user.organization_id
    elif can_edit(user, event):
        where = Organization.path.startswith(event.organization.path)
    else:
        return []
    taken = sa.select(Registration.record_id).where(Registration.event_id == event.id)
    return db.session.scalars(
        registrable_query()
        .where(where, LibrarianRecord.id.not_in(taken))
        .order_by(Organization.sort_key, LibrarianRecord.sort_key)
    ).all()


def registrable_query() -> sa.Select:
    return (
        sa.select(LibrarianRecord)
        .join(LibrarianRecord.organization)
        .where(
            LibrarianRecord.is_active.is_(True),
            LibrarianRecord.consent_withdrawn_on.is_(None),
            LibrarianRecord.consent_on.is_not(None),
        )
    )


def activities(user: User) -> list[Activity]:
    """The roadmap activities an event may be linked to: those of the user's subtree."""
    return db.session.scalars(
        sa.select(Activity)
        .join(Activity.roadmap)
        .join(Roadmap.organization)
        .where(subtree_clause(user))
        .order_by(Roadmap.year.desc(), Activity.number)
    ).all()


# Keeping events


def _log(user: User, action: str, event: Event, **changes) -> None:
    audit.record(action, event, actor=user, object_type="district_event", label=event.title,
                 organization=event.organization, **changes)  # fmt: skip


def _check(user: User, fields: dict) -> None:
    if fields["ends_at"] <= fields["starts_at"]:
        raise DomainError(_l("The event must end after it starts."), "ends_at")
    if not (fields.get("place") or "").strip() and not (fields.get("online_url") or "").strip():
        raise DomainError(_l("Enter the place or the link to join online."), "place")
    activity_id = fields.get("activity_id")
    if activity_id and activity_id not in {item.id for item in activities(user)}:
        raise DomainError(_l("Choose an activity of your roadmap."), "activity_id")


def _snapshot(event: Event) -> dict:
    snapshot = audit.snapshot(event, EVENT_FIELDS)
    return {key: str(value) for key, value in snapshot.items()}


def save_event(user: User, event: Event | None, fields: dict, programme_file=None) -> Event:
    """Creates (``event`` None, for the user's own office) or updates an event; times are
    aware UTC."""
    if user.role != Role.ADMIN:
        raise Forbidden(_l("Only district staff keep events."))
    fields = {**fields, "activity_id": fields.get("activity_id") or None}
    _check(user, fields)
    creating = event is None
    if creating:
        event = Event(organization=user.organization, created_by_id=user.id)
        db.session.add(event)
        before = {}
    else:
        before = _snapshot(event)
    for name, value in fields.items():
        setattr(event, name, value.strip() if isinstance(value, str) else value)
    if programme_file is not None:
        stored = store_upload(programme_file, "programme_file")
        _remove_file(event.programme_stored_name)
        event.programme_stored_name = stored.stored_name
        event.programme_original_name = stored.original_name
    db.session.flush()
    before, after = audit.changed(before, _snapshot(event))
    _log(user, "create" if creating else "update", event, before=before, after=after)
    return event


def cancel_event(user: User, event: Event) -> None:
    if event.cancelled:
        raise Conflict(_l("The event is already cancelled."))
    event.cancel()
    _log(user, "cancel", event)


def delete_event(user: User, event: Event) -> None:
    _log(user, "delete", event)
    _remove_file(event.programme_stored_name)
    for material in event.materials:
        _remove_file(material.stored_name)
    db.session.delete(event)


def _remove_file(stored_name: str) -> None:
    if stored_name:
        (upload_folder() / stored_name).unlink(missing_ok=True)


def programme_path(event: Event):
    if not event.programme_stored_name:
        raise NotFound(_l("No programme file is attached."))
    return upload_folder() / event.programme_stored_name


# Registration and attendance


def register(user: User, event: Event, record_id: int, now: datetime | None = None) -> Registration:
    """A school registers its own active staff until the event starts; staff register anyone
    of the event's district at any time (someone who came without registering)."""
    if event.cancelled:
        raise Conflict(_l("The event is cancelled."))
    staff = can_edit(user, event)
    if not staff and user.role != Role.SCHOOL:
        raise Forbidden(_l("Only schools and district staff register participants."))
    if not staff and event.has_started(now):
        raise Conflict(_l("Registration closed when the event started."), "record_id")
    if record_id not in {record.id for record in registrable(user, event)}:
        raise DomainError(_l("Choose an active person of the register not yet registered."),
                          "record_id")  # fmt: skip
    registration = Registration(event=event, record_id=record_id, registered_by_id=user.id,
                                attended=False)  # fmt: skip
    db.session.add(registration)
    db.session.flush()
    _log(user, "register", event, after={"registration": registration.id, "record": record_id})
    return registration


def get_registration(user: User, event: Event, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        raise NotFound(_l("Registration not found."))
    if not can_edit(user, event) and not (
        user.role == Role.SCHOOL and registration.record.organization_id == user.organization_id
    ):
        raise NotFound(_l("Registration not found."))
    return registration


def unregister(user: User, event: Event, registration: Registration, now=None) -> None:
    if not can_edit(user, event) and event.has_started(now):
        raise Conflict(_l("Registration closed when the event started."))
    _log(user, "unregister", event, before={"record": registration.record_id})
    db.session.delete(registration)


def mark_attendance(user: User, event: Event, registration: Registration, attended: bool) -> None:
    if not can_edit(user, event):
        raise Forbidden(_l("Attendance is marked by district staff."))
    if event.cancelled:
        raise Conflict(_l("The event is cancelled."))
    registration.attended = attended
    _log(user, "mark_attendance", event,
         after={"record": registration.record_id, "attended": attended})  # fmt: skip


def attendance_count(user: User, event: Event) -> tuple[int, int]:
    """Those marked present and those registered, of the people the user may name."""
    shown = registrations(user, event)
    return sum(registration.attended for registration in shown), len(shown)


def attended(event: Event) -> list[Registration]:
    """Those marked present, each with their record and school (participation certificates)."""
    return db.session.scalars(
        sa.select(Registration)
        .join(Registration.record)
        .join(LibrarianRecord.organization)
        .where(Registration.event_id == event.id, Registration.attended.is_(True),
               LibrarianRecord.consent_withdrawn_on.is_(None))
        .order_by(Organization.sort_key, LibrarianRecord.sort_key)
        .options(selectinload(Registration.record).selectinload(LibrarianRecord.organization))
    ).all()  # fmt: skip


def speakers(event: Event) -> list[Speaker]:
    """The speakers (thank-you letters): ``display_name`` and ``display_organization``."""
    return list(event.speakers)


# Speakers and materials


def add_speaker(user: User, event: Event, fields: dict) -> Speaker:
    record_id = fields.get("record_id") or None
    if record_id:
        record = db.session.get(LibrarianRecord, record_id)
        if (
            record is None
            or record.anonymised
            or not record.organization.is_within(event.organization)
        ):
            raise DomainError(_l("Choose a person of the register."), "record_id")
    text = {name: (fields.get(name) or "").strip() for name in ("name", "organization_name",
                                                                "topic")}  # fmt: skip
    if not record_id and not text["name"]:
        raise DomainError(_l("Choose a person of the register or type the name."), "name")
    speaker = Speaker(event=event, record_id=record_id, **text)
    db.session.add(speaker)
    db.session.flush()
    _log(user, "add_speaker", event, after={"speaker": speaker.id})
    return speaker


def delete_speaker(user: User, event: Event, speaker_id: int) -> None:
    speaker = db.session.get(Speaker, speaker_id)
    if speaker is None or speaker.event_id != event.id:
        raise NotFound(_l("Speaker not found."))
    _log(user, "delete_speaker", event, before={"speaker": speaker.id})
    db.session.delete(speaker)


def add_material(user: User, event: Event, title: str, url: str, upload=None) -> Material:
    url = url.strip()
    if upload is None and not url:
        raise DomainError(_l("Attach a file or give a link."), "file")
    if url and not url.startswith(("https://", "http://")):
        raise DomainError(_l("Enter a link starting with https://."), "url")
    material = Material(event=event, title=title.strip(), url=url)
    if upload is not None:
        stored = store_upload(upload, "file")
        material.stored_name, material.original_name = stored.stored_name, stored.original_name
    db.session.add(material)
    db.session.flush()
    _log(user, "add_material", event, after={"material": material.title})
    return material


def get_material(event: Event, material_id: int) -> Material:
    material = db.session.get(Material, material_id)
    if material is None or material.event_id != event.id:
        raise NotFound(_l("Material not found."))
    return material


def delete_material(user: User, event: Event, material: Material) -> None:
    _log(user, "delete_material", event, before={"material": material.title})
    _remove_file(material.stored_name)
    db.session.delete(material)
