"""Loading the demo data, idempotently."""

import sqlalchemy as sa

from app.accounts import passwords
from app.accounts.models import Role, User
from app.db import utcnow
from app.demo import data
from app.demo.campaigns import load_campaigns
from app.demo.compendium import load_compendium
from app.demo.contest import load_contest
from app.demo.documents import load_documents
from app.demo.events import load_events
from app.demo.register import load_register
from app.demo.roadmap import load_roadmap
from app.extensions import db
from app.organizations import services as organizations
from app.organizations.models import Organization, OrganizationKind


def demo_usernames() -> set[str]:
    schools = data.NYURBA_SCHOOLS + data.SUNTAR_SCHOOLS
    return {login for login, *_ in schools} | {login for login, *_ in data.STAFF}


def demo_organization_names() -> set[str]:
    schools = data.NYURBA_SCHOOLS + data.SUNTAR_SCHOOLS
    return {data.REGION["name"], data.NYURBA["name"], data.SUNTAR["name"]} | {
        data.school_full_name(short) for _, short, _ in schools
    }


def foreign_data() -> list[str]:
    """Names of existing organizations and users that the demo did not create."""
    users = set(db.session.scalars(sa.select(User.username))) - demo_usernames()
    names = set(db.session.scalars(sa.select(Organization.name))) - demo_organization_names()
    return sorted(users | names)


def _organization(name: str, parent: Organization | None, kind: OrganizationKind, **fields):
    existing = db.session.scalar(sa.select(Organization).where(Organization.name == name))
    if existing is not None:
        return existing
    return organizations.create_from_command_line(parent, name=name, kind=kind, **fields)


def _user(username: str, full_name: str, role: Role, organization: Organization, password_hash):
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        user = User(username=username, full_name=full_name, role=role, organization=organization)
        db.session.add(user)
    user.password_hash = password_hash
    user.password_changed_at = utcnow()
    user.active = True
    return user


def load_demo() -> list[tuple[str, str, str, str]]:
    """Creates what is missing; returns (login, password, role, organization) of every account."""
    region = _organization(
        data.REGION["name"], None, OrganizationKind.REGION, **_details(data.REGION)
    )
    districts = {"region": region}
    for key, spec, schools in (
        ("nyurba", data.NYURBA, data.NYURBA_SCHOOLS),
        ("suntar", data.SUNTAR, data.SUNTAR_SCHOOLS),
    ):
        district = _organization(spec["name"], region, OrganizationKind.DISTRICT, **_details(spec))
        districts[key] = district
        for login, short_name, locality in schools:
            school = _organization(
                data.school_full_name(short_name),
                district,
                OrganizationKind.SCHOOL,
                short_name=short_name,
                locality=locality,
            )
            districts[login] = school
    password_hash = passwords.hash_password(data.PASSWORD)
    accounts = []
    for login, full_name, role, key in data.STAFF:
        accounts.append(_user(login, full_name, Role(role), districts[key], password_hash))
    for login, short_name, _ in data.NYURBA_SCHOOLS + data.SUNTAR_SCHOOLS:
        full_name = f"Библиотекарь ({short_name})"
        accounts.append(_user(login, full_name, Role.SCHOOL, districts[login], password_hash))
    db.session.flush()
    nyurba_admin = next(user for user in accounts if user.username == "nyurba-admin")
    load_campaigns(nyurba_admin)
    load_contest(nyurba_admin)
    load_documents(nyurba_admin)
    load_compendium(nyurba_admin)
    load_roadmap(nyurba_admin)
    load_register(
        districts["nyurba"], [districts[login] for login, _name, _place in data.NYURBA_SCHOOLS]
    )
    load_events(nyurba_admin)
    return [
        (user.username, data.PASSWORD, user.role.value, user.organization.display_name)
        for user in accounts
    ]


def _details(spec: dict) -> dict:
    return {key: value for key, value in spec.items() if key != "name"}
