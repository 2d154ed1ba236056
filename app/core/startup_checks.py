"""Configuration checked when the app starts.

Production is what the operator says it is: ``PRODUCTION=true`` (set by ``scripts/prod.sh`` and
the systemd unit in ``deploy/``). There a setting that would lose sessions, split the login
counters or put several processes on one SQLite file refuses the start, saying what to set;
lesser problems are logged as warnings. Outside production the problems of several workers
are logged as warnings and nothing refuses.

How many processes serve the app is known under gunicorn: ``deploy/gunicorn.conf.py`` puts its
worker count into ``GUNICORN_WORKERS``; without it gunicorn's ``WEB_CONCURRENCY`` is read.
"""

import logging
import os
from dataclasses import dataclass

log = logging.getLogger("app.startup")

MIN_SECRET_KEY_LENGTH = 32
# Values copied from examples rather than generated.
PLACEHOLDER_KEYS = {"change-me", "changeme", "secret", "dev", "development", "test-secret-key"}
NEW_KEY = "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"


class ConfigurationError(RuntimeError):
    """The production configuration cannot work; the message says what to set."""


@dataclass(frozen=True)
class Problem:
    text: str
    refuses: bool  # in production
    several_workers: bool = False  # a problem only because several processes serve the app


def worker_count(environ=os.environ) -> int | None:
    """Processes serving the app, when the server says so."""
    under_gunicorn = environ.get("SERVER_SOFTWARE", "").startswith("gunicorn")
    for name, trusted in (("GUNICORN_WORKERS", True), ("WEB_CONCURRENCY", under_gunicorn)):
        raw = environ.get(name, "").strip()
        if trusted and raw.isdigit():
            return int(raw)
    return None


def _secret_key(config) -> Problem | None:
    key = config.get("SECRET_KEY") or ""
    if config.get("SECRET_KEY_GENERATED"):
        return Problem(
            "SECRET_KEY is not set, so this host signs sessions with a key of its own "
            "(instance/secret_key) and another host would not accept them. Set SECRET_KEY to "
            f"one random value of at least {MIN_SECRET_KEY_LENGTH} characters on every host: "
            f"{NEW_KEY}",
            refuses=True,
        )
    if len(key) < MIN_SECRET_KEY_LENGTH or key.lower() in PLACEHOLDER_KEYS:
        return Problem(
            f"SECRET_KEY is too short or a placeholder ({len(key)} characters). Set it to a "
            f"random value of at least {MIN_SECRET_KEY_LENGTH} characters: {NEW_KEY}",
            refuses=True,
        )
    return None


def problems(config, workers: int | None, environ=os.environ) -> list[Problem]:
    found = [_secret_key(config)]
    database = config.get("SQLALCHEMY_DATABASE_URI", "")
    several = workers is not None and workers > 1
    if several and database.startswith("sqlite"):
        found.append(Problem(
            f"DATABASE_URL is SQLite under {workers} workers. Set DATABASE_URL to PostgreSQL "
            "(postgresql+psycopg://user:password@host/database) or run one worker "
            "(WEB_CONCURRENCY=1).",
            refuses=True, several_workers=True,
        ))  # fmt: skip
    if several and config.get("RATELIMIT_STORAGE_URI", "").startswith("memory://"):
        found.append(Problem(
            f"RATELIMIT_STORAGE_URI is memory:// under {workers} workers, so each counts failed "
            "logins on its own. Set RATELIMIT_STORAGE_URI=redis://host:6379/0.",
            refuses=True, several_workers=True,
        ))  # fmt: skip
    if not config.get("SESSION_COOKIE_SECURE"):
        found.append(Problem(
            "SESSION_COOKIE_SECURE is false: session cookies also travel over plain HTTP. "
            "Serve the site over HTTPS and set SESSION_COOKIE_SECURE=true.",
            refuses=False,
        ))  # fmt: skip
    if not config.get("PROXY_FIX_X_FOR"):
        found.append(Problem(
            "PROXY_FIX_X_FOR is 0: behind a proxy every request seems to come from the proxy "
            "and login throttling counts all users together. Behind one proxy set "
            "PROXY_FIX_X_FOR=1 and PROXY_FIX_X_PROTO=1.",
            refuses=False,
        ))  # fmt: skip
    if not database.startswith("sqlite") and not environ.get("HUEY_URL", "").startswith("redis"):
        found.append(Problem(
            "HUEY_URL is not Redis: the export queue lives in instance/huey.db on this host "
            "only. Set HUEY_URL=redis://host:6379/1 when web processes run on several hosts.",
            refuses=False,
        ))  # fmt: skip
    return [problem for problem in found if problem is not None]


def check(config, environ=os.environ) -> None:
    """Refuses a production start that cannot work; logs a warning for every other problem."""
    production = bool(config.get("PRODUCTION"))
    found = problems(config, worker_count(environ), environ)
    if not production:
        found = [problem for problem in found if problem.several_workers]
    for problem in found:
        if not (production and problem.refuses):
            log.warning("Configuration: %s", problem.text)
    refusals = [problem.text for problem in found if production and problem.refuses]
    if refusals:
        raise ConfigurationError(
            "The production configuration (PRODUCTION=true) cannot start:\n- "
            + "\n- ".join(refusals)
        )
