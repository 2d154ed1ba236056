"""Domain errors and the Russian error pages."""

import math
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app, g, jsonify, render_template, request
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from werkzeug.exceptions import HTTPException

from app.core.request_log import request_id
from app.extensions import db, limiter, login_manager


class DomainError(Exception):
    """A rule of the domain refused the request; the message is shown to the user.

    ``field`` names the form field the message belongs beside, when there is one.
    """

    status_code = 400

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class NotFound(DomainError):
    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class Conflict(DomainError):
    status_code = 409


TITLES = {
    400: _l("Bad request"),
    403: _l("Access denied"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    409: _l("Conflict"),
    413: _l("File too large"),
    429: _l("Too many attempts"),
    500: _l("Internal server error"),
    503: _l("Service temporarily unavailable"),
    507: _l("Not enough space on the server"),
}

EXPLANATIONS = {
    400: _l("The request could not be processed. Check the data and try again."),
    403: _l("You do not have access to this page."),
    404: _l("The page does not exist or is not available to you."),
    405: _l("This action cannot be performed this way."),
    409: _l("The action conflicts with the current state of the data."),
    413: _l("The uploaded file exceeds the allowed size."),
    429: _l("Too many attempts. Wait a minute and try again."),
    500: _l("Something went wrong on our side. The error has been recorded."),
    503: _l("The server cannot reach a service it needs right now. Try again in a minute."),
    507: _l("The server has run out of space for files. Try again later."),
}
DATABASE_UNAVAILABLE = _l(
    "The server cannot reach its database right now. Nothing was saved; try again in a minute."
)
QUEUE_UNAVAILABLE = _l(
    "The background task service (exports) is unavailable right now. Try again in a few minutes."
)
RETRY_AFTER_SECONDS = 30


def answer_errors_in_json(app, prefix: str) -> None:
    """Errors of URLs under ``prefix`` (unknown ones included) are ``{"error": message}``."""
    app.extensions.setdefault("json_error_prefixes", []).append(prefix)


def error_page(status: int, message=None, headers=None):
    title = TITLES.get(status, TITLES[400])
    text = message or EXPLANATIONS.get(status, EXPLANATIONS[400])
    if request.path.startswith(tuple(current_app.extensions.get("json_error_prefixes", ()))):
        return jsonify(error=str(text)), status, headers or {}
    page = render_template(
        "errors/error.html", status=status, title=title, message=text, request_id=request_id()
    )
    return page, status, headers or {}


def _http_error(error: HTTPException):
    db.session.rollback()
    allowed = getattr(error, "valid_methods", None)
    return error_page(error.code or 500, headers={"Allow": ", ".join(allowed)} if allowed else None)


def _retry_after() -> int:
    """Seconds until the limit that refused this request lets it through again."""
    limit = limiter.current_limit
    if limit is None:
        return 60
    reset_at = limit.window[0]  # the moment the window ends (``reset_at`` adds a second)
    return min(max(1, math.ceil(reset_at - time.time())), limit.limit.get_expiry())


def _too_many_requests(_error):
    """429 with ``Retry-After``, saying when to try again, in minutes and local time."""
    db.session.rollback()
    seconds = _retry_after()
    end = datetime.now(UTC) + timedelta(seconds=seconds)
    moment = end.replace(second=0, microsecond=0)
    if moment < end:  # the minute it is over, rounded up
        moment += timedelta(minutes=1)
    message = _l(
        "Too many attempts. Try again in %(minutes)s min (at %(time)s).",
        minutes=math.ceil(seconds / 60),
        time=format_datetime(moment, "HH:mm"),
    )
    return error_page(429, message, headers={"Retry-After": str(seconds)})


def _domain_error(error: DomainError):
    db.session.rollback()
    return error_page(error.status_code, error.message)


def _unavailable(message):
    """503 with ``Retry-After``: JSON to the pages' scripts (autosave asks for it), else a page."""
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if request.accept_mimetypes.best == "application/json":
        return jsonify(error=str(message)), 503, headers
    return error_page(503, message, headers)


def _database_unavailable(error):
    """The database is down or restarting: a retryable 503, never a half-done write (the
    transaction is rolled back). The page is drawn for a visitor: the user is in the
    database."""
    try:
        db.session.rollback()
    except sa.exc.SQLAlchemyError:
        current_app.logger.warning("rollback failed while the database is unreachable")
    g._login_user = login_manager.anonymous_user()
    current_app.logger.warning("database unreachable: %s", error)
    return _unavailable(DATABASE_UNAVAILABLE)


def _queue_unavailable(error):
    db.session.rollback()
    current_app.logger.warning("task queue unreachable: %s", error)
    return _unavailable(QUEUE_UNAVAILABLE)


def _server_error(_error):
    db.session.rollback()
    return error_page(500)


def register_error_handlers(app) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(429, _too_many_requests)
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(500, _server_error)
    for unreachable in (sa.exc.OperationalError, sa.exc.TimeoutError):
        app.register_error_handler(unreachable, _database_unavailable)
    for unreachable in (RedisConnectionError, RedisTimeoutError):
        app.register_error_handler(unreachable, _queue_unavailable)
