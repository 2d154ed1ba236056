"""Per-question aggregates of a campaign, computed by the database over the typed answer rows.

Every figure is a GROUP BY over ``answer`` joined to the responses counted (responses_clause),
one statement per kind of figure for all questions (figures.py); Python only shapes the few rows
that come back. Numbers stay ``Decimal``; means and medians are
given to the six places the answers are stored with, percents to one place.
"""

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from app.accounts.models import User
from app.campaigns.answers import TEXT_TYPES
from app.campaigns.models import Campaign, Response, ResponseStatus
from app.campaigns.services import NOT_SUBMITTED
from app.campaigns.visits import visit_condition
from app.core.numbers import rounded
from app.db import UTCDateTime
from app.extensions import db
from app.organizations.models import Organization
from app.organizations.scope import subtree_clause
from app.questionnaires.definition import reported_definition, section_name
from app.questionnaires.spec import NO, NUMERIC_TYPES, YES
from app.reports import figures
from app.reports.rounding import measure_places

COUNTED = (ResponseStatus.SUBMITTED, ResponseStatus.ACCEPTED)
CHOICE_QUESTIONS = ("single", "yesno", "multiple")
BREAKDOWN_TYPES = (*CHOICE_QUESTIONS, *NUMERIC_TYPES)
PER_PAGE = 20
PLACES = Decimal("0.000001")
PERCENT_PLACES = Decimal("0.1")


@dataclass
class ReportFilter:
    statuses: tuple[str, ...] = tuple(COUNTED)
    locality: str = ""
    kind: str = ""  # OrganizationKind value
    organization_ids: list[int] | None = None
    visits: str = ""  # app.campaigns.visits: only filled in during visits, or only without


def responses_clause(
    viewer: User, campaign: Campaign, report_filter: ReportFilter
) -> sa.ColumnElement[bool]:
    """The responses counted, as a condition on ``Response`` joined to its ``Organization``."""
    conditions = [
        Response.campaign_id == campaign.id,
        Response.status.in_(report_filter.statuses),
        subtree_clause(viewer),
    ]
    if report_filter.locality:
        conditions.append(Organization.locality == report_filter.locality)
    if report_filter.kind:
        conditions.append(Organization.kind == report_filter.kind)
    if report_filter.organization_ids is not None:
        conditions.append(Response.organization_id.in_(report_filter.organization_ids))
    visited = visit_condition(report_filter.visits)
    if visited is not None:
        conditions.append(visited)
    return sa.and_(*conditions)


def _decimal(value) -> Decimal | None:
    return rounded(value, PLACES)


def _ratio(total, count: int) -> Decimal | None:
    return _decimal(Decimal(total) / count) if count else None


def _percent(count: int, respondents: int) -> Decimal | None:
    if not respondents:
        return None
    return (Decimal(count * 100) / respondents).quantize(PERCENT_PLACES, ROUND_HALF_UP)


# Completion


def completion(viewer: User, campaign: Campaign, report_filter: ReportFilter | None = None) -> dict:
    """Responses by status (whatever the filter's statuses), and how many of the submitted and
    accepted ones came by their deadline (the school's own, else the campaign's)."""
    every_status = replace(report_filter or ReportFilter(), statuses=tuple(ResponseStatus))
    deadline = sa.func.coalesce(Response.deadline, sa.literal(campaign.closes_at, UTCDateTime()))
    on_time = sa.case((Response.submitted_at <= deadline, 1), else_=0)
    statement = (
        sa.select(Response.status, sa.func.count(), sa.func.sum(on_time))
        .join(Response.organization)
        .where(responses_clause(viewer, campaign, every_status))
        .group_by(Response.status)
    )
    statuses, in_time, late = dict.fromkeys(ResponseStatus, 0), 0, 0
    for status, count, punctual in db.session.execute(statement):
        statuses[status] = count
        if status in COUNTED:
            in_time, late = in_time + punctual, late + count - punctual
    return {"statuses": statuses, "total": sum(statuses.values()), "on_time": in_time, "late": late}


def missing_responses(
    viewer: User, campaign: Campaign, report_filter: ReportFilter | None = None
) -> list[sa.Row]:
    """The organizations of the filter that have not answered: (name, status, deadline — the
    school's own, else the campaign's) in the order of their names."""
    not_counted = replace(report_filter or ReportFilter(), statuses=NOT_SUBMITTED)
    deadline = sa.func.coalesce(Response.deadline, sa.literal(campaign.closes_at, UTCDateTime()))
    statement = (
        sa.select(Organization.name, Response.status, deadline.label("deadline"))
        .join(Response.organization)
        .where(responses_clause(viewer, campaign, not_counted))
        .order_by(Organization.sort_key)
    )
    return db.session.execute(statement).all()


# The questions


def questions_report(
    viewer: User,
    campaign: Campaign,
    questions: list[dict],
    report_filter: ReportFilter | None = None,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> dict[str, dict]:
    """The aggregate of each question (notes left out) keyed by its key, shaped by its type.

    A handful of statements for any number of questions (figures.py). ``page`` and
    ``per_page`` choose the page of answers of the text questions.
    """
    figures.prepare_session()
    counted = figures.Counted(responses_clause(viewer, campaign, report_filter or ReportFilter()))
    keys = _keys_by_kind(questions)
    numbers = figures.numbers(counted, keys["numbers"])
    cells = figures.cells(counted, keys["choices"] + keys["matrix"] + keys["table"])
    respondents = figures.respondents(counted, keys["respondents"])
    dates = figures.dates(counted, keys["dates"])
    table_rows = figures.table_rows(counted, keys["table"])
    texts = figures.text_pages(counted, keys["texts"], page, per_page)
    reports = {}
    for question in questions:
        key, kind = question["key"], question["type"]
        if kind in TEXT_TYPES:
            reports[key] = {"kind": "texts", "n": texts[key].total, "page": texts[key]}
        elif kind in CHOICE_QUESTIONS:
            reports[key] = _choices(question, cells.get(key, {}), respondents.get(key))
        elif kind in NUMERIC_TYPES:
            reports[key] = _numbers(numbers.get(key))
        elif kind == "date":
            count, earliest, latest = dates.get(key, (0, None, None))
            reports[key] = {"kind": "dates", "n": count, "earliest": earliest, "latest": latest}
        elif kind == "matrix":
            reports[key] = _matrix(question, cells.get(key, {}), respondents.get(key, 0))
        elif kind == "table":
            reports[key] = _table(question, cells.get(key, {}), table_rows.get(key, (0, 0)))
        elif kind == "file":
            reports[key] = {"kind": "files", "n": respondents.get(key, 0)}
    return reports


def question_report(
    viewer: User,
    campaign: Campaign,
    question: dict,
    report_filter: ReportFilter | None = None,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> dict | None:
    """The aggregate of one question; None for a note."""
    reports = questions_report(
        viewer, campaign, [question], report_filter, page=page, per_page=per_page
    )
    return reports.get(question["key"])


def _keys_by_kind(questions: list[dict]) -> dict[str, list[str]]:
    def of(*kinds) -> list[str]:
        return [question["key"] for question in questions if question["type"] in kinds]

    return {
        "numbers": of(*NUMERIC_TYPES),
        "choices": of(*CHOICE_QUESTIONS),
        "matrix": of("matrix"),
        "table": of("table"),
        "respondents": of("multiple", "matrix", "file"),
        "dates": of("date"),
        "texts": of(*TEXT_TYPES),
    }


def options_of(question: dict) -> list[dict]:
    """The options of a choice question or column: its choices, or yes and no."""
    if question["type"] == "yesno":
        return [{"code": YES, "label": _("Yes")}, {"code": NO, "label": _("No")}]
    return question.get("choices") or []


def _choices(question: dict, cells: dict, respondents: int | None) -> dict:
    """Percents are of the respondents: a multiple choice's may add up to more than 100. A
    single choice or yes/no has one row per respondent, so its respondents are its rows."""
    counts = {choice: count for (_part, choice), (count, _total) in cells.items()}
    if respondents is None:
        respondents = sum(counts.values())
    options = [
        {
            "code": option["code"],
            "label": option["label"],
            "count": counts.get(option["code"], 0),
            "percent": _percent(counts.get(option["code"], 0), respondents),
        }
        for option in options_of(question)
    ]
    return {"kind": "choices", "respondents": respondents, "options": options}


def _numbers(found: tuple | None) -> dict:
    count, total, low, high, median = found or (0, None, None, None, None)
    mean = _ratio(total, count)
    return {
        "kind": "numbers",
        "n": count,
        "sum": _decimal(total or 0),
        "mean": mean,
        "places": measure_places(mean),
        "median": _decimal(median),
        "min": _decimal(low),
        "max": _decimal(high),
    }


def _matrix(question: dict, cells: dict, respondents: int) -> dict:
    choices = question.get("choices") or []
    rows = [
        {
            "code": row["code"],
            "label": row["label"],
            "counts": {
                choice["code"]: cells.get((row["code"], choice["code"]), (0,))[0]
                for choice in choices
            },
        }
        for row in question.get("rows") or []
    ]
    return {"kind": "matrix", "respondents": respondents, "rows": rows, "choices": choices}


def _table(question: dict, cells: dict, table_rows: tuple[int, int]) -> dict:
    rows_total, schools = table_rows
    groups: dict[str, list] = {}
    for (part, choice), (count, total) in cells.items():
        groups.setdefault(part, []).append((choice, count, total))
    return {
        "kind": "table",
        "rows_total": rows_total,
        "schools": schools,
        "per_school_mean": _ratio(rows_total, schools),
        "columns": {
            column["key"]: _column_summary(column, groups.get(column["key"], []))
            for column in question["columns"]
        },
    }


def _column_summary(column: dict, groups: list[tuple]) -> dict:
    """Numeric columns: n, sum and mean of their cells; choice columns: counts per option;
    other columns: the number of filled cells."""
    count = sum(cells for _choice, cells, _total in groups)
    if column["type"] in NUMERIC_TYPES:
        total = sum((value for _choice, _cells, value in groups if value is not None), Decimal(0))
        return {"n": count, "sum": _decimal(total), "mean": _ratio(total, count)}
    if column["type"] in CHOICE_QUESTIONS:
        counts = {choice: cells for choice, cells, _total in groups}
        codes = [option["code"] for option in options_of(column)]
        return {"counts": {code: counts.get(code, 0) for code in codes}}
    return {"n": count}


# The whole campaign


def campaign_report(
    viewer: User, campaign: Campaign, report_filter: ReportFilter | None = None, page: int = 1
) -> dict:
    """Completion, then the sections of the form in order, each with its questions' reports
    (notes left out)."""
    sections = reported_definition(campaign.form_version)["sections"]
    questions = [question for section in sections for question in section["questions"]]
    reports = questions_report(viewer, campaign, questions, report_filter, page=page)
    return {
        "completion": completion(viewer, campaign, report_filter),
        "sections": [
            {
                "key": section["key"],
                "title": section["title"],
                "name": section_name(section, number),
                "questions": [
                    {"question": question, "report": reports[question["key"]]}
                    for question in section["questions"]
                    if question["key"] in reports
                ],
            }
            for number, section in enumerate(sections, start=1)
        ],
    }
