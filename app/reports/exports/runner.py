"""One entry point for every export format, used by background jobs and the command line."""

from dataclasses import asdict
from pathlib import Path

from app.accounts.models import User
from app.campaigns import services as campaigns
from app.core.errors import NotFound
from app.extensions import db
from app.reports import dynamics, plausibility, spravka_templates
from app.reports.aggregates import ReportFilter
from app.reports.exports.docx_report import write_docx
from app.reports.exports.raw import write_raw
from app.reports.exports.summary import write_summary


def export_file(
    user_id: int,
    campaign_id: int,
    fmt: str,
    filter_fields: dict,
    path: Path,
    progress=None,
    compare: str = "",
    language: str = "",
) -> None:
    """Writes a campaign's export as the user may see it; the user's rights are checked again,
    since a job may run long after it was asked for. ``compare`` chooses the monitoring the
    справка compares with (``dynamics.previous_campaign``)."""
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        raise NotFound("user")
    campaign = campaigns.get_visible(user, campaign_id)
    report_filter = ReportFilter(**{**filter_fields, "statuses": tuple(filter_fields["statuses"])})
    if fmt == "xlsx":
        write_raw(user, campaign, report_filter, path, progress=progress, language=language)
    elif fmt == "summary":
        suspects = plausibility.suspects(user, campaign, report_filter)
        write_summary(user, campaign, report_filter, path, suspects=suspects)
    else:
        write_docx(
            user,
            campaign,
            report_filter,
            path,
            executor=user.full_name,
            previous=dynamics.previous_campaign(user, campaign, compare),
            suspects=plausibility.suspects(user, campaign, report_filter),
            template=spravka_templates.template_bytes(
                spravka_templates.template_for(campaign.organization)
            ),
        )


def filter_fields(report_filter: ReportFilter) -> dict:
    fields = asdict(report_filter)
    fields["statuses"] = list(fields["statuses"])
    return fields
