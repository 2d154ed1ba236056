"""The read-only JSON API, version 1: authenticated by personal tokens, never by the session.

Every answer is JSON, errors too (``{"error": message}``), and none sets a cookie.
"""

from functools import wraps

from flask import Blueprint, current_app, jsonify, request
from flask.globals import request_ctx
from flask_babel import gettext as _

from app.accounts import api_tokens
from app.api import openapi as spec
from app.api import services as api
from app.core.errors import Forbidden, answer_errors_in_json
from app.core.pagination import paginate
from app.extensions import csrf, db

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Read-only and authenticated by a header that a browser never sends by itself.
csrf.exempt(bp)


@bp.before_request
def _without_session():
    """A null session is never saved, so the answer sets no cookie even to a browser that sent
    one. Flask 3.1 keeps the session in ``_session``; tests/api notice if that changes."""
    request_ctx._session = current_app.session_interface.make_null_session(current_app)


@bp.after_request
def _not_cached(response):
    response.headers.setdefault("Cache-Control", "no-store")
    # ASVS 14.4.2: a browser led to an API URL saves the JSON rather than rendering it.
    response.headers.setdefault("Content-Disposition", 'attachment; filename="api.json"')
    return response


def _error(status: int, message, **headers):
    return jsonify(error=str(message)), status, headers


def _unauthorized(message, *, invalid: bool = False):
    challenge = 'Bearer realm="api"' + (', error="invalid_token"' if invalid else "")
    return _error(401, message, **{"WWW-Authenticate": challenge})


@bp.record_once
def _errors_in_json(state) -> None:
    answer_errors_in_json(state.app, "/api/")


def token_required(view):
    """Calls the view with the token's user as the first argument; 401 without a valid token."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            return _unauthorized(_("Send a personal token: Authorization: Bearer slib_…"))
        user = api_tokens.user_for_token(secret.strip())
        if user is None:
            return _unauthorized(
                _("The token is unknown or revoked, or its account is deactivated."), invalid=True
            )
        db.session.commit()  # the token's time of use
        if not api_tokens.can_use_api(user):
            raise Forbidden(_("The API is not available for your role."))
        return view(user, *args, **kwargs)

    return wrapped


@bp.get("/campaigns")
@token_required
def campaigns(user):
    api.check_page(request.args.get("page"))
    page = paginate(api.campaigns_query(user), per_page=api.PER_PAGE)
    return jsonify(api.page_json(page, api.campaign_json))


@bp.get("/campaigns/<int:campaign_id>/report")
@token_required
def report(user, campaign_id):
    campaign = api.report_campaign(user, campaign_id)
    statuses = api.parse_statuses(request.args.getlist("status"))
    return jsonify(api.report_json(user, campaign, statuses))


@bp.get("/campaigns/<int:campaign_id>/responses")
@token_required
def responses(user, campaign_id):
    campaign = api.responses_campaign(user, campaign_id)
    statuses = api.parse_statuses(request.args.getlist("status"))
    api.check_page(request.args.get("page"))
    page = paginate(api.responses_query(user, campaign, statuses), per_page=api.PER_PAGE)
    return jsonify(api.page_json(page, api.response_json))


@bp.get("/openapi.json")
def openapi():
    return jsonify(spec.document(request.url_root.rstrip("/") + bp.url_prefix))
