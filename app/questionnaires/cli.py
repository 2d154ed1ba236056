"""``flask forms import FILE`` and ``flask forms export FORM_ID FILE``."""

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.accounts.models import Role, User
from app.core.errors import DomainError
from app.extensions import db
from app.questionnaires import files, services
from app.questionnaires.definition import version_definition
from app.questionnaires.models import Form

forms = AppGroup("forms", help="Import and export questionnaires (XLSForm .xlsx or JSON).")


def _owner(username: str | None) -> User:
    statement = sa.select(User).where(User.role == Role.ADMIN, User.active.is_(True))
    if username:
        statement = statement.where(User.username == username.lower())
    owner = db.session.scalar(statement.order_by(User.id))
    if owner is None:
        raise click.ClickException("No such active administrator; create one with create-admin.")
    return owner


@forms.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--owner", help="Login of the administrator whose office owns the form.")
def import_command(path, owner):
    """Create a draft form from FILE and print its id."""
    try:
        form = services.create_form(_owner(owner), files.read_definition_file(path))
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(form.id)


@forms.command("export")
@click.argument("form_id", type=int)
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def export_command(form_id, path):
    """Write the latest version of form FORM_ID to FILE (.xlsx or .json)."""
    form = db.session.get(Form, form_id)
    if form is None:
        raise click.ClickException(f"There is no form {form_id}.")
    files.write_definition_file(version_definition(form.latest), path)
    click.echo(path)
