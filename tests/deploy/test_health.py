"""``GET /healthz``: the proxy's and monitoring's view of the app, its database and its queue."""

import pytest
from huey import RedisHuey

from app.extensions import limiter
from app.health import views as health


def test_healthz_answers_anyone_with_every_check_ok(client, monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "5")
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert (body["app"], body["database"], body["queue"]) == ("ok", "ok", "ok")
    assert body["workers"] == 5
    assert body["queued_jobs"] == 0
    assert "Set-Cookie" not in response.headers


def test_healthz_is_503_when_the_database_is_unreachable(make_app):
    unreachable = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:9/none")
    response = unreachable.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert (body["status"], body["database"], body["queue"]) == ("failing", "unreachable", "ok")


def test_healthz_is_503_when_the_queue_is_unreachable(client, monkeypatch):
    monkeypatch.setattr(health, "huey", RedisHuey("health-test", url="redis://127.0.0.1:9/0"))
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert (body["database"], body["queue"], body["queue_backend"]) == (
        "ok", "unreachable", "RedisStorage"
    )  # fmt: skip


def test_healthz_is_exempt_from_rate_limits():
    # Flask-Limiter keeps exemptions by the view's qualified name (no public accessor).
    assert any(name.startswith("app.health.views.healthz") for name in limiter._route_exemptions)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_healthz_only_reads(client, method):
    assert client.open("/healthz", method=method).status_code == 405


def test_livez_answers_without_touching_the_database(make_app):
    unreachable = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = unreachable.test_client().get("/livez")
    assert response.status_code == 200 and response.text == "ok"
    assert response.headers["Cache-Control"] == "no-store"
