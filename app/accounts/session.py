"""Login sessions: loading the user from the cookie, idle expiry."""

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from app.accounts.services import load_session_user
from app.db import utcnow
from app.extensions import login_manager

LAST_SEEN = "last_seen"
REMEMBERED = "remembered"


def init_login(app) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Log in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_session_user)
    app.before_request(_expire_idle_session)


def start_session(user, remember: bool) -> None:
    login_user(user, remember=remember)
    session.permanent = True
    session[REMEMBERED] = remember
    session[LAST_SEEN] = utcnow().timestamp()


def _expire_idle_session():
    """End a session idle for longer than allowed, unless the user asked to be remembered."""
    if request.endpoint in (None, "static", "bootstrap.static"):
        return None
    if not current_user.is_authenticated:
        return None
    now = utcnow().timestamp()
    idle = now - session.get(LAST_SEEN, now)
    if not session.get(REMEMBERED) and idle > current_app.config["SESSION_IDLE_MINUTES"] * 60:
        logout_user()
        session.pop(LAST_SEEN, None)
        flash(_l("The session has expired. Log in again."), "info")
        return redirect(url_for("accounts.login"))
    session[LAST_SEEN] = now
    return None
