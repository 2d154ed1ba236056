"""Spreadsheets of a campaign's state."""

from flask_babel import gettext as _

from app.campaigns.models import Campaign, Response
from app.core.spreadsheets import workbook_bytes
from app.core.timefmt import datetime_filter, zoned


def not_submitted_xlsx(campaign: Campaign, waiting: list[Response]) -> bytes:
    header = [
        _("Organization"), _("Locality"), _("Status"), zoned(_("Deadline")), zoned(_("Last change"))
    ]  # fmt: skip
    rows = [
        [
            response.organization.name,
            response.organization.locality,
            str(response.status.label),
            datetime_filter(response.closes_at),
            datetime_filter(response.updated_at) if response.started_at else "",
        ]
        for response in waiting
    ]
    return workbook_bytes([(_("Not submitted"), [header, *rows])])
