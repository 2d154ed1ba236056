"""Apps with their own instance folder and a second, empty database to restore into."""

import secrets

import psycopg
import pytest
from sqlalchemy.engine import make_url

from app.backup.postgres import conninfo
from app.extensions import db


@pytest.fixture
def instance_app(make_app, tmp_path):
    """Builds an app whose instance folder (uploads, backups) is ``tmp_path/<name>``; its
    database connections are closed after the test."""
    built = []

    def build(name: str, **overrides):
        app = make_app(**overrides)
        app.instance_path = str(tmp_path / name)
        built.append(app)
        return app

    yield build
    for app in built:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """A database holding nothing: a new SQLite file, or a newly created PostgreSQL database
    on the test server, dropped afterwards."""
    if not database_url.startswith("postgresql"):
        yield "sqlite:///" + str(tmp_path / "restored.db")
        return
    url = make_url(database_url)
    name = f"{url.database}_restore_{secrets.token_hex(4)}"
    with psycopg.connect(conninfo(url), password=url.password, autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    yield url.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(conninfo(url), password=url.password, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
