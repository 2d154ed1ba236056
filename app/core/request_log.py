"""Structured logs: one JSON line per request and per logged message, with the request's id.

The id comes from the proxy's ``X-Request-ID`` when it looks like one (nginx's ``$request_id``,
a UUID), else it is made here; it is sent back in ``X-Request-ID`` and shown on the 500 page,
so a school can quote it and the operator find the traceback.
"""

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import g, has_request_context, request

HEADER = "X-Request-ID"
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,127}")
log = logging.getLogger("app.requests")


def request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


class RequestIdFilter(logging.Filter):
    """Stamps a record with the request's id when it is made, inside the request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id()
        return True


class JsonFormatter(logging.Formatter):
    """A record as one JSON object: time, level, logger, the message or the record's
    ``fields``, the request id and, for an error, its traceback."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created, UTC)
        entry = {
            "time": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
        }
        fields = getattr(record, "fields", None)
        if fields:
            entry.update(fields)
        else:
            entry["message"] = record.getMessage()
            entry["request_id"] = getattr(record, "request_id", None) or request_id()
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the moment (gunicorn and pytest replace it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def configure_logging() -> None:
    """The ``app`` logger (Flask's ``app.logger`` and ours) writes JSON lines to stderr, once
    however many apps a process makes. Alembic's ``fileConfig`` disables the loggers that
    exist when migrations run in the process; they are enabled again."""
    for name, existing in logging.root.manager.loggerDict.items():
        if (name == "app" or name.startswith("app.")) and isinstance(existing, logging.Logger):
            existing.disabled = False
    logger = logging.getLogger("app")
    if not any(isinstance(handler, _StderrHandler) for handler in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(JsonFormatter())
        handler.addFilter(RequestIdFilter())
        logger.addHandler(handler)
        logger.addFilter(RequestIdFilter())
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)


def _start() -> None:
    offered = request.headers.get(HEADER, "")
    g.request_id = offered if SANE_ID.fullmatch(offered) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _user_id() -> int | None:
    """The id of the user this request loaded, if any, read without a query: after the view's
    commit ``user.id`` would reload the row."""
    user = g.get("_login_user")  # Flask-Login's
    if user is None or user.is_anonymous:
        return None
    state = sa.inspect(user, raiseerr=False)
    return state.identity[0] if state is not None and state.identity else None


def _finish(response):
    if "request_id" not in g:  # refused before the first hook ran
        _start()
    response.headers[HEADER] = g.request_id
    fields = {
        "request_id": g.request_id,
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - g.request_started) * 1000, 1),
        "user_id": _user_id(),
    }
    log.info("request", extra={"fields": fields})
    return response


def init_request_log(app) -> None:
    configure_logging()
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
