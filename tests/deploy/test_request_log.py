"""A request id on every answer and log line; one JSON line per request; an unhandled error
logged with its traceback under the id the 500 page shows."""

import json
import logging

import pytest
import sqlalchemy as sa
from flask import g

from app.core import request_log
from app.core.request_log import JsonFormatter
from app.extensions import db
from tests.conftest import login


def request_lines(caplog) -> list[dict]:
    formatter = JsonFormatter()
    return [
        json.loads(formatter.format(record))
        for record in caplog.records
        if record.name == "app.requests"
    ]


def test_every_answer_carries_a_generated_request_id(client):
    first, second = client.get("/login"), client.get("/login")
    assert len(first.headers["X-Request-ID"]) == 32
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


def test_the_proxys_request_id_is_kept(client):
    response = client.get(
        "/login", headers={"X-Request-ID": "3f2a9c0e-5d1b-4e7a-9c44-0b1d2e3f4a5b"}
    )
    assert response.headers["X-Request-ID"] == "3f2a9c0e-5d1b-4e7a-9c44-0b1d2e3f4a5b"


@pytest.mark.parametrize(
    "offered", ["short", "a b c d e f g h", "x" * 200, "<script>alert</script>"]
)
def test_an_insane_request_id_is_replaced(client, offered):
    response = client.get("/login", headers={"X-Request-ID": offered})
    assert response.headers["X-Request-ID"] != offered
    assert len(response.headers["X-Request-ID"]) == 32


def test_one_json_line_per_request_with_the_user(client, world, caplog):
    with caplog.at_level(logging.INFO, logger="app.requests"):
        login(client, world.admin_a)
        page = client.get("/", headers={"X-Request-ID": "req-0001-home"})
    lines = request_lines(caplog)
    assert [(line["method"], line["path"], line["status"]) for line in lines] == [
        ("POST", "/login", 302),
        ("GET", "/", 200),
    ]
    home = lines[1]
    assert home["request_id"] == "req-0001-home" == page.headers["X-Request-ID"]
    assert home["user_id"] == world.admin_a.id
    assert lines[0]["user_id"] is None or lines[0]["user_id"] == world.admin_a.id
    assert isinstance(home["duration_ms"], float) and home["duration_ms"] >= 0
    assert home["time"].endswith("Z")


def test_the_log_line_names_the_user_without_a_query(app, world):
    """After the view's commit the user is expired: reading ``user.id`` would cost a SELECT on
    every save."""
    with app.test_request_context("/"):
        user = db.session.get(type(world.admin_a), world.admin_a.id)
        db.session.commit()
        g._login_user = user
        statements = []

        def count(*args):
            statements.append(args[2])

        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert request_log._user_id() == world.admin_a.id
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
        assert statements == []


@pytest.fixture
def failing_app(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    def boom():
        raise ZeroDivisionError("deliberate")

    app.add_url_rule("/boom", "boom", boom)
    return app


def test_an_unhandled_error_is_logged_with_the_id_the_500_page_shows(failing_app, caplog):
    with caplog.at_level(logging.INFO, logger="app"):
        response = failing_app.test_client().get("/boom")
    assert response.status_code == 500
    request_id = response.headers["X-Request-ID"]
    page = response.get_data(as_text=True)
    assert f"Код ошибки: {request_id}" in page
    (error,) = [record for record in caplog.records if record.levelno == logging.ERROR]
    logged = json.loads(JsonFormatter().format(error))
    assert logged["request_id"] == request_id
    assert "ZeroDivisionError: deliberate" in logged["traceback"]
    (line,) = request_lines(caplog)
    assert (line["path"], line["status"], line["request_id"]) == ("/boom", 500, request_id)


def test_a_404_page_shows_no_error_code(client):
    page = client.get("/no-such-page").get_data(as_text=True)
    assert "Код ошибки" not in page
