"""Verbs on organizations: list, create, edit, deactivate. Flush, never commit."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.core.errors import DomainError, Forbidden, NotFound
from app.core.text import fold, sort_key
from app.extensions import db
from app.organizations.models import Organization, OrganizationKind
from app.organizations.scope import can_manage, can_see, subtree_clause

AUDITED_FIELDS = (
    "name",
    "short_name",
    "kind",
    "locality",
    "address",
    "phone",
    "email",
    "parent_id",
    "is_active",
)
EDITABLE_FIELDS = ("name", "short_name", "kind", "locality", "address", "phone", "email")


def visible_query(user: User) -> sa.Select:
    return sa.select(Organization).where(subtree_clause(user))


def search(
    user: User, *, text="", kind="", locality="", status="active", parent: Organization = None
) -> sa.Select:
    statement = visible_query(user)
    if parent is not None:
        statement = statement.where(Organization.parent_id == parent.id)
    if text:
        statement = statement.where(Organization.search_key.contains(fold(text), autoescape=True))
    if kind:
        statement = statement.where(Organization.kind == kind)
    if locality:
        statement = statement.where(Organization.locality == locality)
    if status in {"active", "inactive"}:
        statement = statement.where(Organization.is_active.is_(status == "active"))
    return statement.order_by(Organization.sort_key, Organization.id)


def get_visible(user: User, organization_id: int) -> Organization:
    """The organization if the user may see it; otherwise it does not exist for them."""
    organization = db.session.get(Organization, organization_id)
    if organization is None or not can_see(user, organization):
        raise NotFound(_l("Organization not found."))
    return organization


def get_manageable(user: User, organization_id: int) -> Organization:
    organization = get_visible(user, organization_id)
    if not can_manage(user, organization):
        raise Forbidden(_l("You cannot change this organization."))
    return organization


def localities(user: User) -> list[str]:
    statement = (
        sa.select(Organization.locality)
        .where(subtree_clause(user), Organization.locality != "")
        .distinct()
    )
    return sorted(db.session.scalars(statement), key=sort_key)


def parent_choices(user: User) -> list[Organization]:
    """Organizations the user may place others under: active non-schools of their subtree."""
    statement = (
        visible_query(user)
        .where(Organization.kind != OrganizationKind.SCHOOL, Organization.is_active.is_(True))
        .order_by(Organization.path)
    )
    return list(db.session.scalars(statement))


def index_by_name(user: User) -> dict[str, Organization]:
    """The user's organizations by folded full and short name, for resolving names in imports."""
    index = {}
    for organization in db.session.scalars(visible_query(user).order_by(Organization.path)):
        for name in (organization.short_name, organization.name):
            if name:
                index.setdefault(fold(name), organization)
    return index


def _check_parent(actor: User, parent: Organization, organization: Organization | None = None):
    if parent is None or not can_manage(actor, parent):
        raise DomainError(_l("Choose a parent organization from your own."), field="parent_id")
    if parent.kind == OrganizationKind.SCHOOL:
        raise DomainError(_l("A school cannot contain other organizations."), field="parent_id")
    if organization is not None and parent.is_within(organization):
        raise DomainError(_l("An organization cannot be placed inside itself."), field="parent_id")


def _check_unique_name(name: str, parent: Organization, organization=None):
    statement = sa.select(Organization.id, Organization.name).where(
        Organization.parent_id == parent.id
    )
    for other_id, other_name in db.session.execute(statement):
        if fold(other_name) == fold(name) and (organization is None or other_id != organization.id):
            raise DomainError(
                _l("An organization with this name already exists here."), field="name"
            )


def create_organization(actor: User, parent: Organization, **fields) -> Organization:
    _check_parent(actor, parent)
    _check_unique_name(fields["name"], parent)
    return _insert(actor, parent, fields)


def create_from_command_line(parent: Organization | None, **fields) -> Organization:
    """An organization made by an operator's command (the first region, demo data): no user
    acts, so no subtree rules apply."""
    return _insert(None, parent, fields)


def _insert(actor: User | None, parent: Organization | None, fields: dict) -> Organization:
    organization = Organization(parent=parent, **fields)
    db.session.add(organization)
    db.session.flush()
    organization.path = f"{parent.path if parent else '/'}{organization.id}/"
    audit.record(
        "create",
        organization,
        actor=actor,
        organization=organization,
        after=audit.snapshot(organization, AUDITED_FIELDS),
    )
    return organization


def update_organization(
    actor: User, organization: Organization, parent: Organization | None, **fields
) -> Organization:
    if not can_manage(actor, organization):
        raise Forbidden(_l("You cannot change this organization."))
    before = audit.snapshot(organization, AUDITED_FIELDS)
    is_own_root = organization.id == actor.organization_id
    if parent is not None and parent.id != organization.parent_id:
        if is_own_root:
            raise DomainError(_l("You cannot move your own organization."), field="parent_id")
        _check_parent(actor, parent, organization)
        _move(organization, parent)
    if organization.parent is not None:
        _check_unique_name(fields["name"], organization.parent, organization)
    if fields.get("kind") == OrganizationKind.SCHOOL and _has_children(organization):
        raise DomainError(_l("An organization with subordinates cannot be a school."), field="kind")
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(organization, name, fields[name])
    db.session.flush()
    old, new = audit.changed(before, audit.snapshot(organization, AUDITED_FIELDS))
    if new:
        audit.record(
            "update", organization, actor=actor, organization=organization, before=old, after=new
        )
    return organization


def _has_children(organization: Organization) -> bool:
    statement = sa.select(sa.func.count()).where(Organization.parent_id == organization.id)
    return db.session.scalar(statement) > 0


def _move(organization: Organization, parent: Organization) -> None:
    """Re-parent and rewrite the materialized path of the whole moved subtree."""
    old_path = organization.path
    new_path = f"{parent.path}{organization.id}/"
    organization.parent = parent
    db.session.execute(
        sa.update(Organization)
        .where(Organization.path.startswith(old_path))
        .values(path=sa.func.replace(Organization.path, old_path, new_path))
        .execution_options(synchronize_session="fetch")
    )


def deactivate_organization(actor: User, organization: Organization) -> None:
    if not can_manage(actor, organization):
        raise Forbidden(_l("You cannot change this organization."))
    if organization.id == actor.organization_id:
        raise DomainError(_l("You cannot deactivate your own organization."))
    active_children = sa.select(sa.func.count()).where(
        Organization.parent_id == organization.id, Organization.is_active.is_(True)
    )
    if db.session.scalar(active_children):
        raise DomainError(_l("Deactivate the subordinate organizations first."))
    _set_active(actor, organization, False)


def activate_organization(actor: User, organization: Organization) -> None:
    if not can_manage(actor, organization):
        raise Forbidden(_l("You cannot change this organization."))
    if organization.parent is not None and not organization.parent.is_active:
        raise DomainError(_l("Activate the parent organization first."))
    _set_active(actor, organization, True)


def _set_active(actor: User, organization: Organization, active: bool) -> None:
    if organization.is_active == active:
        return
    organization.is_active = active
    audit.record(
        "activate" if active else "deactivate",
        organization,
        actor=actor,
        organization=organization,
        before={"is_active": not active},
        after={"is_active": active},
    )
