"""Cross-tenant IDOR: every route naming an object, opened with the ids of district A's objects
by an account of the same role that has no business with them, is a 403 or a 404.

The cases come from the route table of tests/test_permissions.py (``MATRIX``): every route
whose URL carries an object id is tried by the "foreign" account of each role the table lets
in. A route added to the table is covered here without a new line. Routes whose row refuses every
role (a file not there, a missing token) are tried with real objects elsewhere: SECURITY.md,
V4.2.1, names those tests.
"""

from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.audit.models import AuditEvent
from app.events.models import Registration
from app.extensions import db
from tests.conftest import login
from tests.contests.factory import judging_contest
from tests.events.factory import make_event
from tests.factories import make_user
from tests.monitoring import make_monitoring
from tests.registry.factory import make_record
from tests.test_permissions import MATRIX

DENIED = {403, 404}
# Routes whose object every school of its district may open (a district's contest, its
# events): only a school of another district is foreign to it.
SHARED_IN_DISTRICT = {
    "contests.enter", "contests.rules_file", "events.detail", "events.certificates",
    "events.register", "events.programme", "events.material",
}  # fmt: skip
# Routes answering everyone alike, checked by their own test below.
OWN_TEST = {
    # Marks only the caller's own notices read: a redirect for anyone, nothing else changes.
    "campaigns.read_notice": "test_reading_another_accounts_notice_changes_nothing",
}
# Arguments that name no stored object: a one-time token, or which of the district's own
# templates and images (``kind``, ``which``) — those routes act on the caller's own district.
NOT_OBJECTS = {"token", "kind", "which", "direction", "fmt", "action", "key", "filename"}


def _object_routes(app) -> dict[str, set[str]]:
    """Endpoint → the methods of its rules, for the rules whose URL names a stored object."""
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.arguments - NOT_OBJECTS:
            routes.setdefault(rule.endpoint, set()).update(rule.methods - {"HEAD", "OPTIONS"})
    return routes


def _foreign_users(world, role: str, endpoint: str) -> list:
    """Accounts of ``role`` that own none of district A's objects (nor school A1's): of
    district B, and for schools also the other school of district A."""
    if role == "admin":
        return [world.admin_b]
    if role == "school" and endpoint in SHARED_IN_DISTRICT:
        return [world.school_user_b1]
    if role == "school":
        return [world.school_user_b1, make_user(Role.SCHOOL, world.school_a2, "idor-school-a2")]
    return [make_user(Role(role), world.district_b, f"idor-{role}-b")]


def _cases():
    """(endpoint, method, role) for every object route and every role the table lets in."""
    from app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "cases"})
    cases = []
    for endpoint, methods in sorted(_object_routes(app).items()):
        method, _, expected = MATRIX[endpoint]
        for role in ("admin", "school", "jury", "viewer"):
            if expected[role] in DENIED | {401, "login"} or endpoint in OWN_TEST:
                # The role itself is refused (tests/test_permissions.py); the API ignores the
                # session (tokens of other districts: tests/api/test_api.py).
                continue
            cases.append((endpoint, method, role))
            if method == "GET" and "POST" in methods:
                cases.append((endpoint, "POST", role))  # the page's form, sent
    return cases


def test_every_object_route_is_in_the_route_table(app):
    assert set(_object_routes(app)) <= set(MATRIX)


def test_the_cases_cover_every_object_route(app):
    tried = {endpoint for endpoint, _, _ in _cases()}
    refused_to_every_role = {
        endpoint
        for endpoint in _object_routes(app)
        if all(
            MATRIX[endpoint][2][role] in DENIED for role in ("admin", "school", "jury", "viewer")
        )
    }
    api = {endpoint for endpoint in _object_routes(app) if endpoint.startswith("api.")}
    assert tried | refused_to_every_role | api | set(OWN_TEST) == set(_object_routes(app))


@pytest.mark.parametrize(("endpoint", "method", "role"), _cases())
def test_another_tenants_account_cannot_reach_the_object(client, world, endpoint, method, role):
    _, build_url, _ = MATRIX[endpoint]
    targets = SimpleNamespace(**vars(world), m=make_monitoring(world), c=judging_contest(world))
    target = build_url(targets)
    url, data = target if isinstance(target, tuple) else (target, None)
    for user in _foreign_users(world, role, endpoint):
        before = _changes_by(user)
        assert login(client, user).status_code == 302
        response = client.open(url, method=method, data=data if method == "POST" else None)
        assert response.status_code in DENIED, (user.username, url, response.status_code)
        assert _changes_by(user) == before
        client.post("/logout")


def _changes_by(user) -> int:
    """What the audit log holds of ``user`` but their logins and logouts."""
    query = sa.select(sa.func.count()).where(
        AuditEvent.actor_id == user.id,
        AuditEvent.action.not_in(("login", "logout", "login_failed")),
    )
    return db.session.scalar(query)


def test_reading_another_accounts_notice_changes_nothing(client, world):
    notice = make_monitoring(world).notice
    for user in (world.admin_b, world.school_user_b1, world.viewer_a):
        login(client, user)
        assert client.post(f"/notices/{notice.id}/read").status_code == 302
        client.post("/logout")
    db.session.refresh(notice)
    assert notice.read_at is None


def test_a_school_cannot_register_another_schools_person_for_an_event(client, world):
    event, record = make_event(world.district_a), make_record(world.school_a1)
    login(client, make_user(Role.SCHOOL, world.school_a2, "idor-school-a2"))
    response = client.post(f"/events/{event.id}/registrations", data={"record_id": record.id})
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0
