"""``flask demo``: fill the database with a demo district."""

import click
from flask.cli import with_appcontext

from app.demo import services
from app.extensions import db


@click.command("demo")
@click.option("--force", is_flag=True, help="Add the demo data even beside real data.")
@with_appcontext
def demo(force):
    """Load demo organizations and accounts (safe to run again) and print the logins."""
    foreign = services.foreign_data()
    if foreign and not force:
        shown = ", ".join(foreign[:5]) + (" …" if len(foreign) > 5 else "")
        raise click.ClickException(
            f"The database holds data that is not demo data ({shown}). "
            "Use --force to add the demo data anyway."
        )
    accounts = services.load_demo()
    db.session.commit()
    click.echo(f"{'login':<16} {'password':<18} {'role':<8} organization")
    for login, password, role, organization in accounts:
        click.echo(f"{login:<16} {password:<18} {role:<8} {organization}")
