"""Visits: district staff fill a school's response on its behalf in the school's library, also
without a connection (fill.js keeps the answers, static/js/visit-sw.js the page), and the
school comments on what was filled in for it."""

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.campaigns import responses
from app.campaigns.access import can_visit, is_own_school
from app.campaigns.models import Response
from app.core.errors import Conflict, DomainError, Forbidden
from app.core.timefmt import date_filter, local_today, utc_to_local
from app.questionnaires.cleaning import AnswerError, clean_value

VISITED, NOT_VISITED = "visited", "not_visited"
VISIT_FILTERS = {
    VISITED: _l("Only filled in during visits"),
    NOT_VISITED: _l("Without visits"),
}
COMMENT_MAX_LENGTH = 2000


def filter_choices() -> list[tuple[str, str]]:
    return [("", _l("All responses")), *VISIT_FILTERS.items()]


def visit_condition(choice: str) -> sa.ColumnElement[bool] | None:
    """The responses a list or a report keeps for the visit filter; None keeps them all."""
    if choice == VISITED:
        return Response.visited_by_id.is_not(None)
    if choice == NOT_VISITED:
        return Response.visited_by_id.is_(None)
    return None


def get_visitable(user: User, response_id: int) -> Response:
    response = responses.get_visible(user, response_id)
    _check_visitor(user, response)
    return response


def _check_visitor(user: User, response: Response) -> None:
    if not can_visit(user, response):
        raise Forbidden(_l("Only staff of the school's district fill in its questionnaire."))


def visit_date(text: str | None) -> date:
    """The date of the visit as the page sends it (25.11.2026); today when not given."""
    try:
        iso = clean_value({"key": "visited_on", "type": "date"}, text)
    except AnswerError as error:
        raise DomainError(error.message, field="visited_on") from error
    return date.fromisoformat(iso) if iso else local_today()


def check_visit_date(response: Response, day: date) -> None:
    opened = utc_to_local(response.campaign.opens_at).date()
    if not opened <= day <= local_today():
        raise DomainError(
            _l(
                "The visit is dated from the opening of the monitoring (%(date)s) to today.",
                date=date_filter(response.campaign.opens_at),
            ),
            field="visited_on",
        )


def save_visit(user: User, response: Response, answers: dict, revision: int, day: date) -> dict:
    """Saves answers typed during a visit on ``day`` (a draft, as the school's are) and marks
    the response as filled in by ``user`` during a visit; returns the problems found so far."""
    _check_visitor(user, response)
    check_visit_date(response, day)
    errors = responses.save_draft(user, response, answers, revision)
    _record_visit(user, response, day)
    return errors


def submit_visit(user: User, response: Response, revision: int) -> None:
    _check_visitor(user, response)
    responses.submit(user, response, revision)
    if not response.is_visited:
        _record_visit(user, response, local_today())


def _record_visit(user: User, response: Response, day: date) -> None:
    if response.visited_by_id == user.id and response.visited_on == day:
        return
    response.visited_by_id, response.visited_on = user.id, day
    after = {"visitor": user.full_name, "visited_on": day.isoformat()}
    responses.record_change(user, response, "visit", after)


def comment(user: User, response: Response, text: str) -> None:
    """The school's remark on the answers given on its behalf during a visit; staff read it."""
    if not is_own_school(user, response):
        raise Forbidden(_l("Only the school itself comments on its questionnaire."))
    if not response.is_visited:
        raise Conflict(_l("Only a questionnaire filled in during a visit takes a comment."))
    text = text.strip()
    if len(text) > COMMENT_MAX_LENGTH:
        raise DomainError(
            _l("Enter at most %(max)s characters.", max=COMMENT_MAX_LENGTH), field="school_comment"
        )
    if text == response.school_comment:
        return
    response.school_comment = text
    responses.record_change(user, response, "school_comment", {"comment": text})
