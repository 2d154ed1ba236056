"""``flask create-admin``: the first staff account of an installation."""

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from app.accounts import passwords
from app.accounts.models import Role, User
from app.core.errors import DomainError
from app.db import utcnow
from app.extensions import db
from app.organizations import services as organizations
from app.organizations.models import Organization, OrganizationKind


@click.command("create-admin")
@click.option("--username", prompt="Login", help="Login of the new administrator.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--full-name", default="Administrator", show_default=True)
@click.option(
    "--organization",
    "organization_name",
    default="Республика Саха (Якутия)",
    show_default=True,
    help="Name of the organization the administrator runs; created as a region if missing.",
)
@with_appcontext
def create_admin(username, password, full_name, organization_name):
    """Create a district or regional administrator."""
    username = username.strip().lower()
    try:
        passwords.check_policy(password, username, full_name)
    except DomainError as error:
        raise click.BadParameter(str(error.message), param_hint="--password") from None
    if db.session.scalar(sa.select(User).where(User.username == username)):
        raise click.ClickException(f"User {username!r} already exists.")
    organization = db.session.scalar(
        sa.select(Organization).where(Organization.name == organization_name)
    )
    if organization is None:
        organization = organizations.create_from_command_line(
            None, name=organization_name, kind=OrganizationKind.REGION
        )
    user = User(
        username=username,
        full_name=full_name,
        role=Role.ADMIN,
        organization=organization,
        password_hash=passwords.hash_password(password),
        password_changed_at=utcnow(),
    )
    db.session.add(user)
    db.session.commit()
    click.echo(f"Administrator {username} of {organization.name} created.")
