"""The one rule of who sees which organizations; every list, report and export uses it."""

import sqlalchemy as sa

from app.accounts.models import Role, User
from app.organizations.models import Organization

SUBTREE_ROLES = (Role.ADMIN, Role.VIEWER)


def subtree_clause(user: User) -> sa.ColumnElement[bool]:
    """Condition on ``Organization``: staff and viewers see their node and everything below it;
    a school or a juror sees only their own organization."""
    if user.role in SUBTREE_ROLES:
        return Organization.path.startswith(user.organization.path)
    return Organization.id == user.organization_id


def can_see(user: User, organization: Organization) -> bool:
    if user.role in SUBTREE_ROLES:
        return organization.is_within(user.organization)
    return organization.id == user.organization_id


def can_manage(user: User, organization: Organization) -> bool:
    return user.role == Role.ADMIN and organization.is_within(user.organization)
