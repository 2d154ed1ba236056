"""``GET /healthz`` for the proxy and monitoring: the app answers, the database and the task
queue are reachable; 200 when all are, 503 otherwise. No login, no rate limit, no details of a
failure beyond its name (they are in the log). ``GET /livez``: the process answers at all (an
orchestrator restarts it when not), touching nothing else; the load scenario's smallest page."""

import logging

import sqlalchemy as sa
from flask import Blueprint, jsonify

from app.core.startup_checks import worker_count
from app.extensions import db, limiter
from app.reports.jobs import huey

bp = Blueprint("health", __name__)
log = logging.getLogger("app.health")


def _database() -> str:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception:  # any failure means unreachable; the log says which
        log.exception("Health check: the database is unreachable")
        db.session.rollback()
        return "unreachable"
    return "ok"


def _queue() -> tuple[str, int | None]:
    try:
        return "ok", huey.storage.queue_size()
    except Exception:  # any failure means unreachable; the log says which
        log.exception("Health check: the task queue is unreachable")
        return "unreachable", None


@bp.get("/healthz")
@limiter.exempt
def healthz():
    database = _database()
    queue, queued = _queue()
    healthy = database == "ok" and queue == "ok"
    body = {
        "status": "ok" if healthy else "failing",
        "app": "ok",
        "database": database,
        "queue": queue,
        "queue_backend": type(huey.storage).__name__,
        "queued_jobs": queued,
        "workers": worker_count(),
    }
    response = jsonify(body)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/livez")
@limiter.exempt
def livez():
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
