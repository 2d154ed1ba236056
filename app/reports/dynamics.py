"""Dynamics: the same questions in two monitorings, then and now, overall and per school.

Like is compared with like: a monitoring is compared only with one that closed before it. By
default that is the latest such monitoring of the same form (any version); the user may pick
another earlier one that shares questions, never a later one.
"""

import sqlalchemy as sa

from app.accounts.models import User
from app.campaigns.models import Answer, Campaign, Response
from app.campaigns.services import visible_query
from app.db import utcnow
from app.extensions import db
from app.organizations.models import Organization
from app.questionnaires.definition import reported_definition
from app.questionnaires.spec import NUMERIC_TYPES
from app.reports.aggregates import (
    CHOICE_QUESTIONS,
    ReportFilter,
    questions_report,
    responses_clause,
)

COMPARED = (*CHOICE_QUESTIONS, *NUMERIC_TYPES)


def _questions(campaign: Campaign) -> dict[str, dict]:
    definition = reported_definition(campaign.form_version)
    return {q["key"]: q for s in definition["sections"] for q in s["questions"]}


def shared_questions(earlier: Campaign, later: Campaign) -> list[dict]:
    """Questions of the later campaign that the earlier one asked with the same key and type."""
    before = _questions(earlier)
    return [
        question
        for key, question in _questions(later).items()
        if question["type"] in COMPARED and before.get(key, {}).get("type") == question["type"]
    ]


NO_COMPARISON = "none"


def comparable_campaigns(viewer: User, campaign: Campaign) -> list[Campaign]:
    """The monitorings the viewer sees that closed before ``campaign`` closes (and have closed)
    and share at least one compared question, the latest first."""
    statement = visible_query(viewer).where(
        Campaign.id != campaign.id,
        Campaign.closes_at < campaign.closes_at,
        Campaign.closes_at <= utcnow(),
    )
    return [other for other in db.session.scalars(statement) if shared_questions(other, campaign)]


def previous_campaign(viewer: User, campaign: Campaign, chosen: str = "") -> Campaign | None:
    """The monitoring ``campaign`` is compared with: the ``chosen`` one (an id among
    ``comparable_campaigns``; ``NO_COMPARISON`` for none), else the latest earlier monitoring of
    the same form."""
    if chosen == NO_COMPARISON:
        return None
    candidates = comparable_campaigns(viewer, campaign)
    if chosen:
        return next((other for other in candidates if str(other.id) == chosen), None)
    form_id = campaign.form_version.form_id
    return next((other for other in candidates if other.form_version.form_id == form_id), None)


def _change(then, now):
    return None if then is None or now is None else now - then


def compare(
    viewer: User, earlier: Campaign, later: Campaign, report_filter: ReportFilter | None = None
) -> list[dict]:
    """For every shared question: its figures then and now and the change."""
    report_filter = report_filter or ReportFilter()
    questions = shared_questions(earlier, later)
    reports_then = questions_report(viewer, earlier, questions, report_filter)
    reports_now = questions_report(viewer, later, questions, report_filter)
    rows = []
    for question in questions:
        then, now = reports_then[question["key"]], reports_now[question["key"]]
        if question["type"] in NUMERIC_TYPES:
            rows.append(
                {
                    "question": question,
                    "kind": "numbers",
                    "then": then,
                    "now": now,
                    "change": _change(then["mean"], now["mean"]),
                }
            )
        else:
            before = {option["code"]: option for option in then["options"]}
            options = [
                {
                    "label": option["label"],
                    "then": before.get(option["code"], {}).get("percent"),
                    "now": option["percent"],
                    "change": _change(
                        before.get(option["code"], {}).get("percent"), option["percent"]
                    ),
                }
                for option in now["options"]
            ]
            rows.append({"question": question, "kind": "choices", "options": options})
    return rows


def _values(viewer, campaign, key, report_filter) -> dict[int, tuple[str, object]]:
    statement = (
        sa.select(Organization.id, Organization.name, Answer.value_number)
        .select_from(Response)
        .join(Response.organization)
        .join(
            Answer,
            sa.and_(
                Answer.response_id == Response.id,
                Answer.question_key == key,
                Answer.row_index.is_(None),
            ),
        )
        .where(responses_clause(viewer, campaign, report_filter))
    )
    return {org_id: (name, value) for org_id, name, value in db.session.execute(statement)}


def per_school(
    viewer: User,
    earlier: Campaign,
    later: Campaign,
    question: dict,
    report_filter: ReportFilter | None = None,
) -> list[dict]:
    """A numeric question school by school: value then, now and the change."""
    report_filter = report_filter or ReportFilter()
    then = _values(viewer, earlier, question["key"], report_filter)
    now = _values(viewer, later, question["key"], report_filter)
    schools = sorted(set(then) | set(now), key=lambda org: (then.get(org) or now.get(org))[0])
    return [
        {
            "school": (then.get(org) or now.get(org))[0],
            "then": then.get(org, (None, None))[1],
            "now": now.get(org, (None, None))[1],
            "change": _change(then.get(org, (None, None))[1], now.get(org, (None, None))[1]),
        }
        for org in schools
    ]
