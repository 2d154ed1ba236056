"""One-time set-password links: signed, expiring, void once a password is set."""

from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.accounts.models import User
from app.db import utcnow
from app.extensions import db

SALT = "set-password"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def lifetime() -> timedelta:
    return timedelta(hours=current_app.config["SET_PASSWORD_TOKEN_HOURS"])


def make_token(user: User) -> tuple[str, datetime]:
    """A token and the moment it expires. It carries the user's session token, which setting a
    password replaces, so a token works once."""
    token = _serializer().dumps({"user": user.id, "session": user.session_token})
    return token, utcnow() + lifetime()


def user_for_token(token: str) -> User | None:
    try:
        data = _serializer().loads(token, max_age=int(lifetime().total_seconds()))
    except BadSignature:
        return None
    user = db.session.get(User, data.get("user"))
    if user is None or not user.active or user.session_token != data.get("session"):
        return None
    return user
