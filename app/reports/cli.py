"""``flask reports export CAMPAIGN_ID --format xlsx|summary|docx --output FILE``."""

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.accounts.models import Role, User
from app.campaigns.models import Campaign
from app.core.errors import DomainError
from app.extensions import db
from app.organizations.models import Organization
from app.reports.aggregates import ReportFilter
from app.reports.exports.runner import export_file, filter_fields

reports = AppGroup("reports", help="Export monitoring results.")


def _staff_of(campaign: Campaign, username: str | None) -> User:
    """The given administrator, or the first active one of the campaign's office."""
    statement = sa.select(User).where(User.role == Role.ADMIN, User.active.is_(True))
    if username:
        statement = statement.where(User.username == username.lower())
    else:
        statement = statement.join(User.organization).where(
            Organization.id == campaign.organization_id
        )
    user = db.session.scalar(statement.order_by(User.id))
    if user is None:
        raise click.ClickException("No active administrator can read this monitoring.")
    return user


@reports.command("export")
@click.argument("campaign_id", type=int)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "summary", "docx"]),
    default="xlsx",
    show_default=True,
)
@click.option("--output", type=click.Path(dir_okay=False, writable=True), required=True)
@click.option("--as", "username", help="Login whose view of the data is exported.")
def export_command(campaign_id, fmt, output, username):
    """Write a monitoring's raw data, summary or analytical report to a file."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise click.ClickException(f"There is no monitoring {campaign_id}.")
    user = _staff_of(campaign, username)
    try:
        export_file(user.id, campaign.id, fmt, filter_fields(ReportFilter()), Path(output))
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    click.echo(output)
