"""A production configuration that cannot work refuses to start, saying what to set."""

import logging

import pytest

from app import create_app
from app.core.startup_checks import ConfigurationError, check, worker_count

GOOD_KEY = "k" * 48
PRODUCTION = {
    "PRODUCTION": True,
    "SECRET_KEY": GOOD_KEY,
    "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://library@127.0.0.1/library",
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
    "SESSION_COOKIE_SECURE": True,
    "PROXY_FIX_X_FOR": 1,
}
GUNICORN_5 = {"GUNICORN_WORKERS": "5", "HUEY_URL": "redis://127.0.0.1:6379/1"}


def refusal(config, environ=GUNICORN_5) -> str:
    with pytest.raises(ConfigurationError) as refused:
        check({**PRODUCTION, **config}, environ)
    return str(refused.value)


def test_production_without_secret_key_refuses_naming_the_setting(database_url):
    with pytest.raises(ConfigurationError, match="SECRET_KEY is not set") as refused:
        create_app({**PRODUCTION, "SECRET_KEY": "", "SQLALCHEMY_DATABASE_URI": database_url})
    assert "secrets.token_urlsafe" in str(refused.value)


@pytest.mark.parametrize("key", ["short-key", "change-me", "test-secret-key"])
def test_production_with_short_or_placeholder_secret_key_refuses(key):
    assert "SECRET_KEY is too short or a placeholder" in refusal({"SECRET_KEY": key})


def test_production_on_sqlite_under_several_workers_refuses():
    text = refusal({"SQLALCHEMY_DATABASE_URI": "sqlite:////srv/app.db"})
    assert "DATABASE_URL is SQLite under 5 workers" in text
    assert "postgresql+psycopg://" in text


def test_production_on_sqlite_with_one_worker_starts():
    check({**PRODUCTION, "SQLALCHEMY_DATABASE_URI": "sqlite:////srv/app.db"},
          {**GUNICORN_5, "GUNICORN_WORKERS": "1"})  # fmt: skip


def test_production_with_memory_rate_limits_under_several_workers_refuses():
    text = refusal({"RATELIMIT_STORAGE_URI": "memory://"})
    assert "RATELIMIT_STORAGE_URI is memory:// under 5 workers" in text
    assert "redis://" in text


def test_every_refusal_is_listed_at_once():
    text = refusal({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                    "RATELIMIT_STORAGE_URI": "memory://"})  # fmt: skip
    assert text.count("\n- ") == 3


def test_a_sound_production_configuration_starts_without_warnings(caplog):
    with caplog.at_level(logging.WARNING, logger="app.startup"):
        check(PRODUCTION, GUNICORN_5)
    assert caplog.records == []


def test_lesser_problems_in_production_only_warn(caplog):
    with caplog.at_level(logging.WARNING, logger="app.startup"):
        check({**PRODUCTION, "SESSION_COOKIE_SECURE": False, "PROXY_FIX_X_FOR": 0},
              {"GUNICORN_WORKERS": "5"})  # fmt: skip
    messages = " ".join(record.getMessage() for record in caplog.records)
    assert "SESSION_COOKIE_SECURE=true" in messages
    assert "PROXY_FIX_X_FOR=1" in messages
    assert "HUEY_URL=redis://" in messages


def test_outside_production_several_workers_on_memory_only_warn(caplog):
    config = {
        "SECRET_KEY": "",
        "SECRET_KEY_GENERATED": True,
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    with caplog.at_level(logging.WARNING, logger="app.startup"):
        check(config, {"GUNICORN_WORKERS": "3"})
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2
    assert any("RATELIMIT_STORAGE_URI" in text for text in messages)


def test_workers_are_read_from_gunicorn_only():
    assert worker_count({"GUNICORN_WORKERS": "5"}) == 5
    assert worker_count({"WEB_CONCURRENCY": "3", "SERVER_SOFTWARE": "gunicorn/27.0.1"}) == 3
    assert worker_count({"WEB_CONCURRENCY": "3"}) is None  # flask run ignores it
    assert worker_count({}) is None
