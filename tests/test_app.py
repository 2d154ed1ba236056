"""Configuration, migrations, security headers, error pages and date formatting."""

import io
import os
import re
import stat
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import config
from app.campaigns.models import Campaign, Response
from app.core.timefmt import date_filter, datetime_filter
from app.extensions import db
from tests.conftest import login
from tests.monitoring import make_monitoring


def test_secret_key_is_generated_once_with_owner_only_access(tmp_path):
    first = config.secret_key(str(tmp_path))
    assert len(first) >= 40
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600
    assert config.secret_key(str(tmp_path)) == first


def test_environment_overrides_defaults_by_type():
    values = config.from_environment(
        {
            "DATABASE_URL": "postgresql+psycopg://x/y",
            "SESSION_IDLE_MINUTES": "15",
            "SESSION_COOKIE_SECURE": "true",
            "TIMEZONE": "Asia/Srednekolymsk",
        }
    )
    assert values == {
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://x/y",
        "SESSION_IDLE_MINUTES": 15,
        "SESSION_COOKIE_SECURE": True,
        "TIMEZONE": "Asia/Srednekolymsk",
    }


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, db.metadata) == []


def test_downgrade_to_base_and_upgrade_again(app):
    with app.app_context():
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert {"organization", "user_account", "audit_event"} <= set(
            sa.inspect(db.engine).get_table_names()
        )


def test_the_last_migration_goes_down_and_up_under_a_monitoring_with_answers(app, world):
    """On SQLite a migration copies a table others point at (batch mode) and drops the old
    one: with rows pointing at it, that fails unless the migration runs without foreign keys
    enforced (migrations/env.py); it checks them afterwards."""
    monitoring = make_monitoring(world)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Response))
    db.session.close()  # PostgreSQL: no open transaction holding the tables the migration alters
    with app.app_context():
        downgrade(revision="-1")
        upgrade()
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == before > 0
    assert db.session.get(Campaign, monitoring.campaign.id).title == monitoring.campaign.title


def test_pages_carry_security_headers_and_no_inline_scripts(client, world):
    pages = [client.get("/login")]
    login(client, world.admin_a)
    pages += [client.get(url) for url in ("/", "/organizations/", "/users/", "/audit/")]
    for response in pages:
        assert response.status_code == 200
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        scripts = re.findall(r"<script[^>]*>", response.get_data(as_text=True))
        assert scripts and all("src=" in tag for tag in scripts)
        assert "cdn" not in response.get_data(as_text=True).lower()


def test_session_cookie_is_http_only_and_same_site(client, world):
    response = login(client, world.admin_a)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_bootstrap_is_served_by_the_app(client):
    assert client.get("/bootstrap/static/css/bootstrap.min.css").status_code == 200


def test_not_found_page_is_russian(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Страница не найдена" in response.get_data(as_text=True)


def test_server_error_page_is_russian_and_rolls_back(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    app.add_url_rule("/boom", "boom", lambda: 1 / 0)
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Внутренняя ошибка" in response.get_data(as_text=True)


def test_upload_over_max_content_length_gets_russian_413(make_app, world):
    app = make_app(MAX_CONTENT_LENGTH=1000)
    client = app.test_client()
    login(client, world.admin_a)
    response = client.post(
        "/organizations/import",
        data={"file": (io.BytesIO(b"x" * 5000), "big.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "Размер загруженного файла" in response.get_data(as_text=True)


def test_dates_are_shown_in_the_district_timezone(app):
    moment = datetime(2026, 11, 25, 20, 30, tzinfo=UTC)
    with app.test_request_context():
        assert datetime_filter(moment) == "26.11.2026 05:30"
        assert date_filter(moment) == "26.11.2026"


def test_home_pages_say_what_to_do_next(app, world):
    for user, text in (
        (world.admin_a, "ожидающие пароль"),
        (world.school_user_a1, "Нюрбинская СОШ №1"),
        (world.jury_a, "жюри"),
        (world.viewer_a, "Организации"),
    ):
        client = app.test_client()
        login(client, user)
        assert text.lower() in client.get("/").get_data(as_text=True).lower()


def test_json_columns_read_back_what_pythons_json_writes(app):
    """orjson decodes the JSON columns; what it refuses (NaN, integers beyond 64 bits) is
    still read, by the standard decoder."""
    from app.db import json_loads

    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["json_deserializer"] is json_loads
    assert json_loads('{"a": [1, 2.5, "Нюрба"], "b": null}') == {"a": [1, 2.5, "Нюрба"], "b": None}
    big = json_loads(b'{"n": 123456789012345678901234567890, "x": NaN}')
    assert big["n"] == 123456789012345678901234567890 and big["x"] != big["x"]
