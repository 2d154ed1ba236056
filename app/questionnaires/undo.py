"""The «Отменить» of a deletion in the builder: what was deleted travels back to the page,
signed, so putting it back needs no copy kept on the server and cannot be forged."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.core.errors import DomainError

SALT = "builder-undo"
LIFETIME_SECONDS = 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(form_id: int, removed: dict) -> str:
    return _serializer().dumps({"form": form_id, "removed": removed})


def removed_from(token: str, form_id: int) -> dict:
    try:
        data = _serializer().loads(token, max_age=LIFETIME_SECONDS)
    except BadSignature:
        data = None
    if not isinstance(data, dict) or data.get("form") != form_id:
        raise DomainError(_l("This deletion can no longer be undone."))
    return data["removed"]
