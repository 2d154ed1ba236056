"""What the read-only JSON API serves: the same data the pages show the token's user.

- Staff and observers: the campaigns of their subtree, their reports, and the responses of
  the organizations of their subtree.
- A school: no campaign list and no reports (the pages show it neither); the responses of a
  campaign it was sent, which are its own response only.
- Decimal figures are JSON strings in plain notation without trailing zeros ("20", "0.5",
  "33.3"), exact as the database computed them (means and medians to six places, percents to
  one). Counts are integers; dates and times are ISO 8601, times in UTC.
"""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager, selectinload

from app.accounts.models import Role, User
from app.campaigns import services as campaigns
from app.campaigns.models import Campaign, Response, ResponseStatus
from app.core.errors import DomainError, Forbidden, NotFound
from app.core.numbers import grouped
from app.core.pagination import MAX_PAGE
from app.extensions import db
from app.organizations.models import Organization
from app.organizations.scope import SUBTREE_ROLES, subtree_clause
from app.reports import aggregates

PER_PAGE = 50
STATUSES = tuple(status.value for status in ResponseStatus)
COUNTED = tuple(status.value for status in aggregates.COUNTED)


def campaigns_query(user: User) -> sa.Select:
    statement = campaigns.visible_query(user).options(
        contains_eager(Campaign.organization), selectinload(Campaign.form_version)
    )
    return statement if user.role in SUBTREE_ROLES else statement.where(sa.false())


def report_campaign(user: User, campaign_id: int) -> Campaign:
    if user.role not in SUBTREE_ROLES:
        raise Forbidden(_l("Reports are available to district staff and observers only."))
    return campaigns.get_visible(user, campaign_id)


def responses_campaign(user: User, campaign_id: int) -> Campaign:
    """A campaign whose responses the user may read: one of their subtree, or, for a school,
    one sent to it."""
    if user.role in SUBTREE_ROLES:
        return campaigns.get_visible(user, campaign_id)
    campaign = None
    if user.role == Role.SCHOOL:
        campaign = db.session.scalar(
            sa.select(Campaign)
            .join(Campaign.responses)
            .where(Campaign.id == campaign_id, Response.organization_id == user.organization_id)
        )
    if campaign is None:
        raise NotFound(_l("Monitoring not found."))
    return campaign


def parse_statuses(values: list[str]) -> tuple[str, ...]:
    """Statuses from ``?status=a&status=b`` or ``?status=a,b``; none given means the counted
    ones (submitted and accepted), as in the reports. Anything else (an empty one, spaces) is
    refused, as the OpenAPI document says."""
    statuses = tuple(dict.fromkeys(status for value in values for status in value.split(",")))
    unknown = [status for status in statuses if status not in STATUSES]
    if unknown:
        known = ", ".join(STATUSES)
        raise DomainError(
            _l(
                "Unknown status: %(status)s. Known: %(known)s.",
                status=unknown[0] or '""',
                known=known,
            )
        )
    return statuses or COUNTED


def check_page(value: str | None) -> None:
    """A script's ``?page=`` is a whole number from 1 to MAX_PAGE, or absent: the pages of the
    site read anything else as the first page, an API says it is wrong."""
    if value is None:
        return
    if not (
        value.isascii() and value.isdigit() and len(value) <= 7 and 1 <= int(value) <= MAX_PAGE
    ):
        message = _l("The page must be a whole number from 1 to %(max)s.", max=grouped(MAX_PAGE))
        raise DomainError(message)


def responses_query(user: User, campaign: Campaign, statuses: tuple[str, ...]) -> sa.Select:
    return (
        sa.select(Response)
        .join(Response.organization)
        .options(contains_eager(Response.organization))
        .where(
            Response.campaign_id == campaign.id,
            Response.status.in_(statuses),
            subtree_clause(user),
        )
        .order_by(Organization.sort_key, Response.id)
    )


# Shapes


def plain(value):
    """``value`` with decimals, dates and enums made JSON-ready, in dicts and lists too."""
    if isinstance(value, dict):
        return {str(plain(key)): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, ResponseStatus):
        return value.value
    return value


def decimal_text(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def page_json(page, shape) -> dict:
    return {
        "items": [shape(item) for item in page.items],
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
    }


def organization_json(organization: Organization) -> dict:
    return {"id": organization.id, "name": organization.name, "locality": organization.locality}


def campaign_json(campaign: Campaign) -> dict:
    version = campaign.form_version
    return {
        "id": campaign.id,
        "title": campaign.title,
        "organization": organization_json(campaign.organization),
        "form": {"id": version.form_id, "version": version.number, "title": version.title},
        "opens_at": plain(campaign.opens_at),
        "closes_at": plain(campaign.closes_at),
    }


def response_json(response: Response) -> dict:
    return {
        "id": response.id,
        "organization": organization_json(response.organization),
        "status": response.status.value,
        "submitted_at": plain(response.submitted_at),
        "answers": response.data or {},
    }


def report_json(user: User, campaign: Campaign, statuses: tuple[str, ...]) -> dict:
    """Completion, the sections in order with their question keys, and each question's figures
    keyed by its key (a text question: its number of answers and their first page)."""
    report_filter = aggregates.ReportFilter(statuses=statuses)
    report = aggregates.campaign_report(user, campaign, report_filter)
    sections, questions = [], {}
    for section in report["sections"]:
        keys = []
        for entry in section["questions"]:
            question = entry["question"]
            keys.append(question["key"])
            questions[question["key"]] = {
                "label": question["label"],
                "type": question["type"],
                "section": section["key"],
                **_figures(entry["report"]),
            }
        sections.append({"key": section["key"], "title": section["title"], "questions": keys})
    return {
        "campaign": campaign_json(campaign),
        "statuses": list(statuses),
        "completion": plain(report["completion"]),
        "sections": sections,
        "questions": questions,
    }


def _figures(report: dict) -> dict:
    if report["kind"] != "texts":
        return plain(report)
    page = report["page"]
    answers = [
        {"organization": organization_json(answer.organization), "text": answer.value_text}
        for answer in page.items
    ]
    return {
        "kind": "texts",
        "n": report["n"],
        "page": page.page,
        "per_page": page.per_page,
        "pages": page.pages,
        "answers": answers,
    }
