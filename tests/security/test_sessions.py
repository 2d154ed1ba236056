"""Session fixation and logout (ASVS V3.2, V3.3).

Sessions are Flask's signed cookies; the login itself is a server-side ``LoginSession`` named in
them (app/accounts/session.py), so ending it on the server ends every copy of the cookies.
"""

import re

import pytest

from app.accounts import services
from app.extensions import db
from tests.factories import PASSWORD

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture(scope="module")
def csrf_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True)


def _token(page) -> str:
    return CSRF_FIELD.search(page.get_data(as_text=True)).group(1)


def _session_of(client) -> dict:
    with client.session_transaction() as session:
        return dict(session)


def _log_in(client, remember=False):
    data = {"login": "admin-a", "password": PASSWORD, "csrf_token": _token(client.get("/login"))}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data)


def test_the_session_is_renewed_at_login(csrf_app, world):
    """Whatever the session held before the login (a CSRF secret an attacker may have planted
    with the cookie included) is gone after it; the login has its own new key."""
    client = csrf_app.test_client()
    client.get("/login")
    before = _session_of(client)
    before_cookie = client.get_cookie("session").value
    assert "csrf_token" in before and "_user_id" not in before
    assert _log_in(client).status_code == 302
    after = _session_of(client)
    assert after["_user_id"].split(":")[0] == str(world.admin_a.id)
    assert after.get("csrf_token") != before["csrf_token"]
    assert client.get_cookie("session").value != before_cookie


def test_a_session_cookie_captured_before_login_does_not_become_authenticated(csrf_app, world):
    victim = csrf_app.test_client()
    victim.get("/login")
    planted = victim.get_cookie("session").value
    assert _log_in(victim).status_code == 302
    assert victim.get("/users/").status_code == 200
    attacker = csrf_app.test_client()
    attacker.set_cookie("session", planted)
    response = attacker.get("/users/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_two_logins_of_one_account_get_different_login_keys(app, world):
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        client.post("/login", data={"login": "admin-a", "password": PASSWORD})
    first_id, second_id = _session_of(first)["_user_id"], _session_of(second)["_user_id"]
    assert first_id.split(":")[0] == second_id.split(":")[0] == str(world.admin_a.id)
    assert first_id != second_id


def test_logout_clears_the_session_and_expires_the_remember_cookie(csrf_app, world):
    client = csrf_app.test_client()
    assert _log_in(client, remember=True).status_code == 302
    captured = {name: client.get_cookie(name).value for name in ("session", "remember_token")}
    token = _token(client.get("/profile"))
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert "_user_id" not in _session_of(client)
    assert client.get_cookie("remember_token") is None  # the browser is told to drop it
    expired = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token=")]
    assert expired and "Expires=Thu, 01 Jan 1970" in expired[0]
    for name, value in captured.items():  # copies kept elsewhere are dead on the server
        thief = csrf_app.test_client()
        thief.set_cookie(name, value)
        assert thief.get("/users/").status_code == 302, name


def test_logout_is_a_post_with_a_csrf_token(csrf_app, world):
    """A link or a forged form cannot log a user out (nor in: the login form needs its token)."""
    client = csrf_app.test_client()
    assert _log_in(client).status_code == 302
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/users/").status_code == 200


def test_ending_a_login_on_the_server_ends_its_cookies(app, world):
    client = app.test_client()
    client.post("/login", data={"login": "admin-a", "password": PASSWORD, "remember": "y"})
    services.log_out_everywhere(world.admin_a)
    db.session.commit()
    assert client.get("/users/").status_code == 302


def test_the_session_never_appears_in_a_url(app, world):
    client = app.test_client()
    reply = client.post("/login", data={"login": "admin-a", "password": PASSWORD, "remember": "y"})
    secrets = [client.get_cookie(name).value for name in ("session", "remember_token")]
    locations = [reply.headers["Location"]]
    for url in ("/", "/profile", "/users/"):
        page = client.get(url).get_data(as_text=True)
        locations += re.findall(r'(?:href|action|src)="([^"]*)"', page)
    for secret in secrets:
        assert len(secret) > 20 and not any(secret in location for location in locations)
