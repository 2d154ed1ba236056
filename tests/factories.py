"""Builders of organizations and users for tests; each commits what it makes."""

import itertools
from functools import cache

from app.accounts import passwords
from app.accounts.models import Role, User
from app.extensions import db
from app.organizations import services as organizations
from app.organizations.models import Organization, OrganizationKind

PASSWORD = "correct-horse-battery-staple"
_numbers = itertools.count(1)


@cache
def _password_hash(password: str) -> str:
    return passwords.hash_password(password)


def make_org(
    name: str | None = None,
    kind: OrganizationKind = OrganizationKind.SCHOOL,
    parent: Organization | None = None,
    **fields,
) -> Organization:
    number = next(_numbers)
    organization = organizations.create_from_command_line(
        parent, name=name or f"Школа №{number}", kind=kind, **fields
    )
    db.session.commit()
    return organization


def make_user(
    role: Role = Role.SCHOOL,
    organization: Organization | None = None,
    username: str | None = None,
    password: str | None = PASSWORD,
    **fields,
) -> User:
    if organization is None:
        kind = OrganizationKind.SCHOOL if role == Role.SCHOOL else OrganizationKind.DISTRICT
        organization = make_org(kind=kind)
    user = User(
        username=username or f"user{next(_numbers)}",
        full_name=fields.pop("full_name", "Тестовый Пользователь"),
        role=role,
        organization=organization,
        password_hash=_password_hash(password) if password else None,
        **fields,
    )
    db.session.add(user)
    db.session.commit()
    return user
