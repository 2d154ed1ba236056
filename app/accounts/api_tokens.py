"""Personal API tokens: create (the secret is shown once), revoke, and find the user of a token.

A token is ``slib_`` followed by 43 URL-safe characters (32 random bytes). The prefix lets
secret scanners and people recognise it; the database keeps only its SHA-256.
"""

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import ApiToken, Role, User
from app.audit import services as audit
from app.core.errors import DomainError, Forbidden, NotFound
from app.db import utcnow
from app.extensions import db

PREFIX = "slib_"
MAX_LENGTH = 100
# Roles the API has data for; a juror's work is all in the browser.
API_ROLES = (Role.ADMIN, Role.VIEWER, Role.SCHOOL)
# Writing the time of use at most this often keeps a busy client from writing on every request.
USE_RECORDING_STEP = timedelta(minutes=1)


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def can_use_api(user: User) -> bool:
    return user.role in API_ROLES


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """The new token and its secret, which is not stored and cannot be shown again."""
    if not can_use_api(user):
        raise Forbidden(_l("API tokens are not available for your role."))
    name = name.strip()
    if not name:
        raise DomainError(_l("Name the token."), field="name")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=hash_token(secret), hint=secret[-4:])
    db.session.add(token)
    db.session.flush()
    audit.record(
        "create",
        token,
        actor=user,
        object_type="api_token",
        label=name,
        organization=user.organization,
    )
    return token, secret


def revoke_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; it stops working with the next request."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(_l("Token not found."))
    if token.is_active:
        token.revoke()
        audit.record(
            "deactivate",
            token,
            actor=user,
            object_type="api_token",
            label=token.name,
            organization=user.organization,
        )
    return token


def user_for_token(secret: str) -> User | None:
    """The user of an active token whose account and organization are active, or None.

    Records the time of use (flushed, not committed).
    """
    if not secret.startswith(PREFIX) or len(secret) > MAX_LENGTH:
        return None
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None or not token.is_active:
        return None
    user = token.user
    if not user.active or not user.organization.is_active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= USE_RECORDING_STEP:
        token.last_used_at = now
    return user
