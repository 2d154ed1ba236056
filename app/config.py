"""Configuration: defaults, then environment variables, then ``instance/config.py``.

Every key of :class:`Defaults` can be set by an environment variable of the same name; the
value is parsed by the type of the default (``true``/``false`` for booleans, integers for
integers).
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path


class Defaults:
    # Production refuses to start on settings that cannot work (app/core/startup_checks.py).
    PRODUCTION = False
    SECRET_KEY = ""
    SQLALCHEMY_DATABASE_URI = ""
    TIMEZONE = "Asia/Yakutsk"
    BABEL_DEFAULT_LOCALE = "ru"
    SESSION_IDLE_MINUTES = 60
    REMEMBER_COOKIE_DAYS = 14
    SESSION_COOKIE_SECURE = False
    SET_PASSWORD_TOKEN_HOURS = 72
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = True
    # Redis down: each process counts in its own memory (the same limits) until Redis is back,
    # and a failing counter never fails the request.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    LOGIN_RATE_LIMIT = "10 per minute"  # failed logins from one address (any account)
    LOGIN_ACCOUNT_RATE_LIMIT = "30 per minute"  # failed logins to one account (any address)
    HSTS_MAX_AGE = 365 * 24 * 3600  # seconds; sent over HTTPS only, 0 sends no HSTS header
    PROXY_FIX_X_FOR = 0
    PROXY_FIX_X_PROTO = 0
    PROXY_FIX_X_HOST = 0
    MAX_CONTENT_LENGTH = 25 * 1024 * 1024
    IMPORT_MAX_BYTES = 5 * 1024 * 1024
    IMPORT_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
    IMPORT_MAX_COMPRESSION_RATIO = 100
    IMPORT_MAX_ROWS = 5000  # rows below the header of any sheet of any import
    IMPORT_MAX_COLUMNS = 100
    FORM_MAX_QUESTIONS = 2000  # questions and table columns of a form, however it is made
    UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    UPLOAD_FOLDER = ""  # empty: instance/uploads
    MAIL_SERVER = ""
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_SENDER = "noreply@localhost"
    PER_PAGE = 25
    # PostgreSQL memory for the report's sorts (medians, GROUP BY), set for its transaction
    # only: the server's default 4 MB spills them to disk at national scale.
    REPORT_WORK_MEM_MB = 64
    # Responses above which the first view of a report's filter is computed on huey while the
    # page waits, instead of inside the request (app.reports.first_view).
    REPORT_SYNC_RESPONSES = 3000
    WTF_CSRF_TIME_LIMIT = None


def _parse(raw: str, default):
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    return raw


def from_environment(environ=os.environ) -> dict:
    """Values of known keys found in the environment; ``DATABASE_URL`` names the database."""
    values = {}
    for key, default in vars(Defaults).items():
        if key.isupper() and key in environ:
            values[key] = _parse(environ[key], default)
    if environ.get("DATABASE_URL"):
        values["SQLALCHEMY_DATABASE_URI"] = environ["DATABASE_URL"]
    return values


def secret_key(instance_path: str) -> str:
    """The key stored in ``instance/secret_key``, generated (mode 0600) on first use."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def finish(config, instance_path: str) -> None:
    """Fill values that depend on others or on the instance folder."""
    if not config["SQLALCHEMY_DATABASE_URI"]:
        config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(instance_path) / "app.db")
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = secret_key(instance_path)
        config["SECRET_KEY_GENERATED"] = True
    config["BABEL_DEFAULT_TIMEZONE"] = config["TIMEZONE"]
    config.setdefault("BOOTSTRAP_SERVE_LOCAL", True)
    config["SESSION_COOKIE_HTTPONLY"] = True
    config["SESSION_COOKIE_SAMESITE"] = "Lax"
    config["REMEMBER_COOKIE_HTTPONLY"] = True
    config["REMEMBER_COOKIE_SAMESITE"] = "Lax"
    config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]
    config["REMEMBER_COOKIE_DURATION"] = timedelta(days=config["REMEMBER_COOKIE_DAYS"])
    # the cookie is rewritten at most once a minute (session.SEEN_STEP_SECONDS): it outlives the
    # idle limit by that minute, so that the server, not the browser, ends an idle session
    config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=config["SESSION_IDLE_MINUTES"] + 1)
    config["SESSION_REFRESH_EACH_REQUEST"] = False
