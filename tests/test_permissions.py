"""Every route × every role → the expected status. A new route without a row fails here."""

import pytest

from tests.conftest import login

ROLES = ("anonymous", "admin", "school", "jury", "viewer")
IGNORED = {"static", "bootstrap.static"}

# endpoint: (method, url builder, {role: status}); "login" means a redirect to the login page.
STAFF_ONLY = {"anonymous": "login", "admin": 200, "school": 403, "jury": 403, "viewer": 403}
STAFF_ACTION = {"anonymous": "login", "admin": 302, "school": 403, "jury": 403, "viewer": 403}
STAFF_AND_VIEWER = {"anonymous": "login", "admin": 200, "school": 403, "jury": 403, "viewer": 200}
ANY_USER = {"anonymous": "login", "admin": 200, "school": 200, "jury": 200, "viewer": 200}

MATRIX = {
    "home.index": ("GET", lambda w: "/", ANY_USER),
    "accounts.login": (
        "GET",
        lambda w: "/login",
        {"anonymous": 200, "admin": 302, "school": 302, "jury": 302, "viewer": 302},
    ),
    "accounts.logout": (
        "POST",
        lambda w: "/logout",
        {"anonymous": "login", "admin": 302, "school": 302, "jury": 302, "viewer": 302},
    ),
    "accounts.set_password": (
        "GET",
        lambda w: "/set-password/not-a-token",
        {"anonymous": 200, "admin": 200, "school": 200, "jury": 200, "viewer": 200},
    ),
    "accounts.profile": ("GET", lambda w: "/profile", ANY_USER),
    "accounts.users": ("GET", lambda w: "/users/", STAFF_ONLY),
    "accounts.new_user": ("GET", lambda w: "/users/new", STAFF_ONLY),
    "accounts.user_detail": ("GET", lambda w: f"/users/{w.school_user_a1.id}", STAFF_ONLY),
    "accounts.edit_user": ("GET", lambda w: f"/users/{w.school_user_a1.id}/edit", STAFF_ONLY),
    "accounts.deactivate_user": (
        "POST",
        lambda w: f"/users/{w.school_user_a1.id}/deactivate",
        STAFF_ACTION,
    ),
    "accounts.activate_user": (
        "POST",
        lambda w: f"/users/{w.school_user_a1.id}/activate",
        STAFF_ACTION,
    ),
    "accounts.reset_password": (
        "POST",
        lambda w: f"/users/{w.school_user_a1.id}/reset-password",
        STAFF_ACTION,
    ),
    "accounts.import_users": ("GET", lambda w: "/users/import", STAFF_ONLY),
    "accounts.import_users_template": ("GET", lambda w: "/users/import/template.xlsx", STAFF_ONLY),
    "audit.index": ("GET", lambda w: "/audit/", STAFF_ONLY),
    "organizations.index": ("GET", lambda w: "/organizations/", STAFF_AND_VIEWER),
    "organizations.detail": ("GET", lambda w: f"/organizations/{w.school_a1.id}", STAFF_AND_VIEWER),
    "organizations.new": ("GET", lambda w: "/organizations/new", STAFF_ONLY),
    "organizations.edit": ("GET", lambda w: f"/organizations/{w.school_a1.id}/edit", STAFF_ONLY),
    "organizations.deactivate": (
        "POST",
        lambda w: f"/organizations/{w.school_a2.id}/deactivate",
        STAFF_ACTION,
    ),
    "organizations.activate": (
        "POST",
        lambda w: f"/organizations/{w.school_a2.id}/activate",
        STAFF_ACTION,
    ),
    "organizations.import_organizations": ("GET", lambda w: "/organizations/import", STAFF_ONLY),
    "organizations.import_template": (
        "GET",
        lambda w: "/organizations/import/template.xlsx",
        STAFF_ONLY,
    ),
}


def test_every_route_has_a_row(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - IGNORED
    assert endpoints == set(MATRIX)


def _user_for(world, role):
    return {
        "admin": world.admin_a,
        "school": world.school_user_a1,
        "jury": world.jury_a,
        "viewer": world.viewer_a,
    }.get(role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_route_answers_role_as_expected(client, world, endpoint, role):
    method, build_url, expected = MATRIX[endpoint]
    user = _user_for(world, role)
    if user is not None:
        assert login(client, user).status_code == 302
    response = client.open(build_url(world), method=method)
    if expected[role] == "login":
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
    else:
        assert response.status_code == expected[role]
