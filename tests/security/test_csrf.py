"""CSRF (ASVS 4.2.2, 13.2.3): with protection on, as in production, every POST of every route
is refused without the token before its view runs. The routes come from the app's URL map; the
URLs and the role allowed to post from the route table of tests/test_permissions.py."""

from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask_wtf import csrf as flask_wtf_csrf

from app.accounts import services
from app.audit.models import AuditEvent
from app.extensions import db
from tests.contests.factory import judging_contest
from tests.monitoring import make_monitoring
from tests.test_permissions import MATRIX, _user_for

ROLES = ("admin", "school", "jury", "viewer")


def _post_routes():
    from app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "cases"})
    return sorted({rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods})


def _allowed_role(expected: dict) -> str:
    """A role the route table lets through, so the refusal cannot come from the role check."""
    allowed = [role for role in ROLES if expected[role] not in (403, 404, "login")]
    return allowed[0] if allowed else "admin"


@pytest.fixture(scope="module")
def csrf_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True)


def _signed_in(app, user):
    """A client holding a live login of ``user``, made without posting the login form."""
    client = app.test_client()
    services.open_login_session(user, remember=False)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


def test_the_api_is_the_only_blueprint_without_csrf_and_it_takes_no_post(app):
    api_posts = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")
                 and "POST" in r.methods]  # fmt: skip
    assert api_posts == []
    assert {bp.name for bp in app.extensions["csrf"]._exempt_blueprints} == {"api"}
    assert not app.extensions["csrf"]._exempt_views


@pytest.mark.parametrize("endpoint", _post_routes())
def test_a_post_without_the_csrf_token_is_refused(csrf_app, world, monkeypatch, endpoint):
    _, build_url, expected = MATRIX[endpoint]
    targets = SimpleNamespace(**vars(world), m=make_monitoring(world), c=judging_contest(world))
    target = build_url(targets)
    url, data = target if isinstance(target, tuple) else (target, None)
    user = _user_for(world, _allowed_role(expected))
    client = _signed_in(csrf_app, user)
    changes = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    refusals = []
    monkeypatch.setattr(flask_wtf_csrf.logger, "info", refusals.append)
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert refusals == ["The CSRF token is missing."]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == changes
