"""Login sessions: loading the user from the cookie, idle expiry, logging out.

The cookies carry ``"<user id>:<session token>:<login key>"`` (``User.get_id``). The login key
names one device's ``LoginSession``: logging out there ends it on the server, so a copied
session or remember-me cookie stops working too; "log out everywhere", a password change, a
reset or a deactivation replace the user's session token, which ends every device's login at
once. Every login also ends ``REMEMBER_COOKIE_DAYS`` after it began, whatever the browser
keeps.
"""

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from app.accounts import services
from app.accounts.services import load_session_user
from app.db import utcnow
from app.extensions import db, login_manager

LAST_SEEN = "last_seen"
REMEMBERED = "remembered"
# The last activity is written to the cookie at most once a minute: signing and sending a new
# cookie on every request would cost as much as the login query (SESSION_REFRESH_EACH_REQUEST
# is off), and an hour's idle limit does not need the second.
SEEN_STEP_SECONDS = 60


def init_login(app) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Log in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_session_user)
    app.before_request(_expire_idle_session)


def start_session(user, remember: bool) -> None:
    """Puts the login that ``services.authenticate`` (or a password change) opened for this
    device into the cookies. Nothing of the session before it survives (a CSRF secret planted
    with a cookie included): the login starts a new one."""
    session.clear()
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
        end_session()
        flash(_l("The session has expired. Log in again."), "info")
        return redirect(url_for("accounts.login"))
    if now - session.get(LAST_SEEN, 0) >= SEEN_STEP_SECONDS:
        session[LAST_SEEN] = now
    return None


def end_session(everywhere: bool = False) -> None:
    """Logs out of this device (its login ends on the server), or of every device."""
    user = current_user._get_current_object()
    if everywhere:
        services.log_out_everywhere(user)
    else:
        services.log_out(user)
    db.session.commit()
    logout_user()
    session.pop(LAST_SEEN, None)
    session.pop(REMEMBERED, None)
