"""Suspicious values confirmed by the school: staff mark one as checked, and the mark holds
while the value stays the one confirmed."""

from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.campaigns.access import can_manage_campaign, can_see_response
from app.campaigns.models import Answer, Campaign, Response
from app.core.errors import DomainError, Forbidden, NotFound
from app.db import utcnow
from app.extensions import db
from app.questionnaires.definition import reported_definition
from app.questionnaires.spec import NUMERIC_TYPES
from app.reports.formula import parse
from app.reports.models import CheckedValue, Indicator
from app.reports.plausibility import INDICATOR, cell_label, cell_of, column_label, stored_text


def confirm(actor: User, campaign: Campaign, response_id: int, key: str) -> CheckedValue:
    """Marks the current value of ``key`` in the response as confirmed by the school."""
    if not can_manage_campaign(actor, campaign):
        raise Forbidden(_l("Only district staff confirm values."))
    response = db.session.get(Response, response_id)
    if response is None or response.campaign_id != campaign.id:
        raise NotFound(_l("Response not found."))
    if not can_see_response(actor, response):
        raise NotFound(_l("Response not found."))
    label, value = current_value(response, key)
    if value is None:
        raise DomainError(_l("The response has no such value to confirm."))
    statement = sa.select(CheckedValue).filter_by(response_id=response.id, key=key)
    checked = db.session.scalar(statement) or CheckedValue(
        campaign_id=campaign.id, response_id=response.id, key=key
    )
    before = {"value": checked.value} if checked.id else None
    checked.value, checked.checked_by_id = stored_text(value), actor.id
    checked.checked_at = utcnow()
    db.session.add(checked)
    db.session.flush()
    audit.record(
        "confirm",
        checked,
        actor=actor,
        object_type="checked_value",
        label=f"{response.organization.name}: {label}",
        organization=response.organization,
        before=before,
        after={"key": key, "value": checked.value},
    )
    return checked


def current_value(response: Response, key: str) -> tuple[str, Decimal | None]:
    """The label of ``key`` (a question's key, ``indicator:<key>`` or a table cell's
    ``table.column#row``) and its value in the response now; the value is None when it has
    none. Unknown keys are not found."""
    if (cell := cell_of(key)) is not None:
        return _cell_value(response, *cell)
    statement = sa.select(Answer.question_key, Answer.value_number).where(
        Answer.response_id == response.id,
        Answer.row_index.is_(None),
        Answer.value_number.is_not(None),
    )
    answers = {name: Decimal(value) for name, value in db.session.execute(statement)}
    if key.startswith(INDICATOR):
        indicator = db.session.scalar(
            sa.select(Indicator).filter_by(
                form_id=response.campaign.form_version.form_id, key=key.removeprefix(INDICATOR)
            )
        )
        if indicator is None:
            raise NotFound(_l("Indicator not found."))
        return indicator.title, parse(indicator.formula).evaluate(answers)
    question = _question(response, key)
    return question["label"] or key, answers.get(key)


def _cell_value(response: Response, table_key: str, column_key: str, row_index: int):
    """The label and value of one numeric cell of a table."""
    table = _question(response, table_key)
    columns = {column["key"]: column for column in table.get("columns", ())}
    column = columns.get(column_key)
    if column is None or column["type"] not in NUMERIC_TYPES:
        raise NotFound(_l("Question not found."))
    value = db.session.scalar(
        sa.select(Answer.value_number).where(
            Answer.response_id == response.id,
            Answer.question_key == table_key,
            Answer.part == column_key,
            Answer.row_index == row_index,
        )
    )
    label = cell_label(column_label(table, column), row_index)
    return label, None if value is None else Decimal(value)


def _question(response: Response, key: str) -> dict:
    for section in reported_definition(response.campaign.form_version)["sections"]:
        for question in section["questions"]:
            if question["key"] == key:
                return question
    raise NotFound(_l("Question not found."))
