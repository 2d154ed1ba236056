"""Writing and reading the audit log."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum

import sqlalchemy as sa

from app.accounts.models import User
from app.audit.models import AuditEvent
from app.core.timefmt import local_day_start
from app.extensions import db
from app.organizations.models import Organization
from app.organizations.scope import subtree_clause


def snapshot(obj, fields: tuple[str, ...]) -> dict:
    """The listed attributes of ``obj`` as JSON-ready values."""
    return {name: _jsonable(getattr(obj, name)) for name in fields}


def _jsonable(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def record(
    action: str,
    obj=None,
    *,
    actor=None,
    object_type: str | None = None,
    label: str = "",
    organization=None,
    before: dict | None = None,
    after: dict | None = None,
    ip: str = "",
) -> AuditEvent:
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        object_type=object_type or type(obj).__name__.lower(),
        object_id=getattr(obj, "id", None),
        object_label=(label or str(getattr(obj, "name", "") or getattr(obj, "username", "")))[:300],
        organization_id=organization.id if organization is not None else None,
        before=before,
        after=after,
        ip=ip or "",
    )
    db.session.add(event)
    return event


def record_import(actor, object_type: str, label, target=None, organization=None) -> AuditEvent:
    """One entry for a whole import, ``label`` saying how many rows it loaded; in the actor's
    organization unless another is given."""
    return record("import", target, actor=actor, object_type=object_type, label=str(label),
                  organization=organization or actor.organization)  # fmt: skip


def changed(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the fields that differ, so the log shows what an update really changed."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def events_query(viewer, *, action="", object_type="", actor="", date_from=None, date_to=None):
    """Events the viewer may read: those of organizations in their subtree.

    Events tied to no organization (a failed login with an unknown name) are shown only to
    staff of a root organization.
    """
    organizations = sa.select(Organization.id).where(subtree_clause(viewer))
    visible = AuditEvent.organization_id.in_(organizations)
    if viewer.organization.parent_id is None:
        visible = sa.or_(visible, AuditEvent.organization_id.is_(None))
    statement = sa.select(AuditEvent).where(visible)
    if action:
        statement = statement.where(AuditEvent.action == action)
    if object_type:
        statement = statement.where(AuditEvent.object_type == object_type)
    if actor:
        statement = statement.join(AuditEvent.actor).where(User.username == actor.lower())
    if date_from:
        statement = statement.where(AuditEvent.created_at >= local_day_start(date_from))
    if date_to:
        statement = statement.where(
            AuditEvent.created_at < local_day_start(date_to + timedelta(days=1))
        )
    return statement.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
