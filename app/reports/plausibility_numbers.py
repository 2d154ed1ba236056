"""The statements of the plausibility checks (plausibility.py): what the checks read, and how
fast. Every number they judge comes in one statement, joined into one string per question and
table column (SQLite hands over 70 strings several times faster than 670,000 rows), and is
turned into whole millionths: answers are stored with six decimals, so ints hold them exactly
and sort and subtract far faster than Decimals."""

from decimal import Decimal

import sqlalchemy as sa

from app.accounts.models import User
from app.campaigns.models import Answer, Campaign, Response
from app.extensions import db
from app.organizations.models import Organization
from app.questionnaires.definition import reported_definition
from app.questionnaires.spec import NUMERIC_TYPES
from app.reports import figures
from app.reports.aggregates import responses_clause
from app.reports.formula import parse
from app.reports.models import CheckedValue, Indicator

MILLIONTHS = 6  # answers are stored with six decimals (Answer.value_number)
MILLION = 1e6
FLOAT_EXACT = 1e8  # a stored answer smaller than this goes through a float to millionths exactly


def checked_questions(campaign: Campaign) -> dict[str, dict]:
    """The numeric questions and the tables, by key, in the order of the form."""
    definition = reported_definition(campaign.form_version)
    return {
        question["key"]: question
        for section in definition["sections"]
        for question in section["questions"]
        if question["type"] in NUMERIC_TYPES or question["type"] == "table"
    }


def indicators_of(campaign: Campaign) -> list:
    statement = sa.select(Indicator).where(Indicator.form_id == campaign.form_version.form_id)
    rows = db.session.scalars(statement.order_by(Indicator.position, Indicator.id))
    return [(indicator, parse(indicator.formula)) for indicator in rows]


def read(viewer: User, campaign: Campaign, report_filter, questions: dict) -> tuple[dict, dict]:
    """({response id: (school, status)}, {(key, column or None): (response ids, row indexes,
    millionths)}) of the counted responses: two statements. The numbers come joined into one
    string per question and table column, which SQLite hands over several times faster than
    a row per answer."""
    counted = responses_clause(viewer, campaign, report_filter)
    figures.prepare_session()  # the grouping's sort in memory on PostgreSQL, as the report's
    named = (
        sa.select(Response.id, Organization.name, Response.status)
        .join(Organization, Organization.id == Response.organization_id)
        .where(counted)
    )
    connection = db.session.connection()
    schools = {rid: (name, str(status)) for rid, name, status in connection.execute(named)}
    found = {}
    for key, part, ids, rows, numbers in connection.execute(_numbers(counted, questions)):
        rows = _integers(rows) if rows is not None else None
        found[key, part] = (_integers(ids), rows, _millionths(numbers.split(",")))
    return schools, found


def _numbers(counted, questions: dict) -> sa.Select:
    """The answers' response ids, row indexes and values, joined by question and column."""
    columns = {
        column["key"]
        for question in questions.values()
        for column in question.get("columns", ())
        if column["type"] in NUMERIC_TYPES
    }
    return (
        sa.select(
            Answer.question_key,
            Answer.part,
            _joined(Answer.response_id),
            _joined(Answer.row_index),  # none for a question's own answers
            _joined(Answer.value_number),
        )
        .join(Response, Response.id == Answer.response_id)
        .join(Organization, Organization.id == Response.organization_id)
        .where(
            counted,
            Answer.question_key.in_(list(questions)),
            Answer.value_number.is_not(None),
            sa.or_(Answer.row_index.is_(None), Answer.part.in_(columns)),
        )
        .group_by(Answer.question_key, Answer.part)
    )


def _joined(column) -> sa.ColumnElement[str]:
    return sa.func.aggregate_strings(sa.cast(column, sa.Text), ",")


def _integers(text: str) -> list[int]:
    return list(map(int, text.split(",")))


def _millionths(texts: list[str]) -> list[int]:
    """Stored answers (six decimals) as whole millionths: through floats where a float holds
    every one exactly (below 10⁸ in size), through Decimals beyond."""
    floats = list(map(float, texts))
    if min(floats) > -FLOAT_EXACT and max(floats) < FLOAT_EXACT:
        return [round(number * MILLION) for number in floats]
    return [int(Decimal(text).scaleb(MILLIONTHS).to_integral_value()) for text in texts]


def confirmations(campaign: Campaign) -> dict[tuple[int, str], tuple]:
    """{(response id, key): (value, who, when)} of the campaign's confirmations."""
    statement = (
        sa.select(
            CheckedValue.response_id,
            CheckedValue.key,
            CheckedValue.value,
            User.full_name,
            CheckedValue.checked_at,
        )
        .outerjoin(User, User.id == CheckedValue.checked_by_id)
        .where(CheckedValue.campaign_id == campaign.id)
    )
    rows = db.session.execute(statement)
    return {(rid, key): (value, who or "", when) for rid, key, value, who, when in rows}
