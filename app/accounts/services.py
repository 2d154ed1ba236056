"""Verbs on accounts: authenticate, create, edit, deactivate, passwords. Flush, never commit."""

import functools
import re
import secrets
from datetime import timedelta

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.accounts import passwords, tokens
from app.accounts.models import LoginSession, Role, User, login_key_hash
from app.audit import services as audit
from app.core.errors import DomainError, Forbidden, NotFound
from app.core.text import fold
from app.db import utcnow
from app.extensions import db
from app.organizations.models import Organization, OrganizationKind
from app.organizations.scope import can_manage, can_see, subtree_clause

AUDITED_FIELDS = ("username", "full_name", "email", "role", "organization_id", "active")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")


def find_by_login(login: str) -> User | None:
    """The user whose username or e-mail is ``login``, ignoring case."""
    login = login.strip().lower()
    if not login:
        return None
    return db.session.scalar(
        sa.select(User).where(sa.or_(User.username == login, User.email == login))
    )


def authenticate(login: str, password: str, ip: str = "", remember: bool = False) -> User | None:
    """The user if the password is right and the account and its organization are active, with
    a login session opened for this device (see :func:`open_login_session`)."""
    user = find_by_login(login)
    # The password is checked whoever the login names (nobody, an account without a password,
    # a deactivated one), so that the time of the answer does not tell which logins exist.
    verified = passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not verified:
        audit.record(
            "login_failed",
            user,
            object_type="user",
            label=login.strip()[:80],
            organization=user.organization if user else None,
            ip=ip,
        )
        return None
    if not user.active or not user.organization.is_active:
        audit.record("login_refused", user, organization=user.organization, ip=ip)
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = utcnow()
    open_login_session(user, remember)
    audit.record("login", user, actor=user, organization=user.organization, ip=ip)
    return user


def open_login_session(user: User, remember: bool) -> None:
    """A login on this device: its key goes into the login cookies through ``user.get_id()``.
    It ends on logout here, on "log out everywhere", on a password change and by itself
    ``REMEMBER_COOKIE_DAYS`` after it began, remembered or not. The user's ended and expired
    logins are deleted meanwhile."""
    now = utcnow()
    db.session.execute(
        sa.delete(LoginSession).where(
            LoginSession.user_id == user.id,
            sa.or_(LoginSession.ended_at.is_not(None), LoginSession.expires_at <= now),
        )
    )
    key = secrets.token_urlsafe(24)
    days = current_app.config["REMEMBER_COOKIE_DAYS"]
    db.session.add(
        LoginSession(
            user_id=user.id,
            key_hash=login_key_hash(key),
            remember=remember,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
    )
    user.login_key = key


def _current_login(user: User) -> LoginSession | None:
    key = getattr(user, "login_key", "")
    if not key:
        return None
    return db.session.scalar(
        sa.select(LoginSession).where(
            LoginSession.key_hash == login_key_hash(key), LoginSession.user_id == user.id
        )
    )


def log_out(user: User) -> None:
    """Ends the login of this device: a copy of its cookies no longer works. The user's other
    devices stay logged in."""
    login = _current_login(user)
    if login is not None:
        login.end(utcnow())


def end_sessions(user: User) -> None:
    """Ends every login of the user, on every device, remember-me cookies included."""
    user.end_sessions()
    db.session.execute(
        sa.update(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def log_out_everywhere(user: User) -> None:
    end_sessions(user)
    audit.record("logout_everywhere", user, actor=user, organization=user.organization)


def visible_query(viewer: User) -> sa.Select:
    return sa.select(User).join(User.organization).where(subtree_clause(viewer))


def search(viewer: User, *, text="", role="", organization_id=None, status="") -> sa.Select:
    statement = visible_query(viewer)
    if text:
        statement = statement.where(User.search_key.contains(fold(text), autoescape=True))
    if role:
        statement = statement.where(User.role == role)
    if organization_id:
        statement = statement.where(User.organization_id == organization_id)
    if status == "pending":
        statement = statement.where(User.password_hash.is_(None), User.active.is_(True))
    elif status in {"active", "inactive"}:
        statement = statement.where(User.active.is_(status == "active"))
    return statement.order_by(User.sort_key, User.id)


def get_manageable(actor: User, user_id: int) -> User:
    """A user of the actor's subtree; others do not exist for the actor."""
    user = db.session.get(User, user_id)
    if user is None or not can_see(actor, user.organization):
        raise NotFound(_l("User not found."))
    if not can_manage(actor, user.organization):
        raise Forbidden(_l("You cannot change this user."))
    return user


def normalize_username(username: str) -> str:
    username = (username or "").strip().lower()
    if not USERNAME.match(username):
        raise DomainError(
            _l(
                "The login must be 3–80 characters: Latin letters, digits, dots, hyphens and"
                " underscores, starting with a letter or a digit."
            ),
            field="username",
        )
    return username


def normalize_email(email: str | None) -> str | None:
    email = (email or "").strip()
    if not email:
        return None
    try:
        return validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise DomainError(_l("Enter a valid e-mail address."), field="email") from None


def check_role_fits(role: Role, organization: Organization) -> None:
    """A school account belongs to a school; staff and observers to an office above schools."""
    is_school = organization.kind == OrganizationKind.SCHOOL
    if role == Role.SCHOOL and not is_school:
        raise DomainError(_l("A school account must belong to a school."), field="organization_id")
    if role in (Role.ADMIN, Role.VIEWER) and is_school:
        raise DomainError(
            _l("Staff and observers belong to an education office, not a school."),
            field="organization_id",
        )


def _check_unique(username: str, email: str | None, user: User | None = None) -> None:
    others = sa.select(User)
    if user is not None:
        others = others.where(User.id != user.id)
    if db.session.scalar(others.where(User.username == username)):
        raise DomainError(_l("This login is already taken."), field="username")
    if email and db.session.scalar(others.where(User.email == email)):
        raise DomainError(_l("This e-mail is already used by another account."), field="email")


def _check_organization(actor: User, organization: Organization | None) -> None:
    if organization is None or not can_manage(actor, organization):
        raise DomainError(_l("Choose an organization from your own."), field="organization_id")
    if not organization.is_active:
        raise DomainError(_l("The organization is deactivated."), field="organization_id")


def create_user(
    actor: User,
    *,
    username: str,
    full_name: str,
    email: str | None,
    role: Role,
    organization: Organization,
) -> User:
    """A new account without a password; its owner sets one through a set-password link."""
    username, email = normalize_username(username), normalize_email(email)
    _check_organization(actor, organization)
    check_role_fits(role, organization)
    _check_unique(username, email)
    user = User(
        username=username,
        full_name=full_name.strip(),
        email=email,
        role=role,
        organization=organization,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        "create",
        user,
        actor=actor,
        organization=organization,
        after=audit.snapshot(user, AUDITED_FIELDS),
    )
    return user


def update_user(
    actor: User,
    user: User,
    *,
    username: str,
    full_name: str,
    email: str | None,
    role: Role,
    organization: Organization,
) -> User:
    if not can_manage(actor, user.organization):
        raise Forbidden(_l("You cannot change this user."))
    username, email = normalize_username(username), normalize_email(email)
    if organization.id != user.organization_id:
        _check_organization(actor, organization)
    if user.id == actor.id and (role != user.role or organization.id != user.organization_id):
        raise DomainError(_l("You cannot change your own role or organization."), field="role")
    check_role_fits(role, organization)
    _check_unique(username, email, user)
    before = audit.snapshot(user, AUDITED_FIELDS)
    user.username, user.full_name, user.email = username, full_name.strip(), email
    user.role, user.organization = role, organization
    db.session.flush()
    old, new = audit.changed(before, audit.snapshot(user, AUDITED_FIELDS))
    if new:
        audit.record("update", user, actor=actor, organization=organization, before=old, after=new)
    return user


def set_active(actor: User, user: User, active: bool) -> None:
    if not can_manage(actor, user.organization):
        raise Forbidden(_l("You cannot change this user."))
    if user.id == actor.id:
        raise DomainError(_l("You cannot deactivate yourself."))
    if user.active == active:
        return
    user.active = active
    if not active:
        end_sessions(user)
    audit.record(
        "activate" if active else "deactivate",
        user,
        actor=actor,
        organization=user.organization,
        before={"active": not active},
        after={"active": active},
    )


def reset_password(actor: User, user: User) -> None:
    """Remove the password and end the user's sessions; a new set-password link is shown."""
    if not can_manage(actor, user.organization):
        raise Forbidden(_l("You cannot change this user."))
    user.password_hash = None
    end_sessions(user)
    audit.record("password_reset", user, actor=actor, organization=user.organization)


def set_password_link(user: User):
    """The token of a set-password link and its expiry, for a user who has no password."""
    return tokens.make_token(user)


def _store_password(user: User, password: str) -> None:
    passwords.check_policy(password, user.username, user.full_name, user.email or "")
    user.password_hash = passwords.hash_password(password)
    user.password_changed_at = utcnow()
    end_sessions(user)


def set_password_with_token(token: str, password: str) -> User:
    user = tokens.user_for_token(token)
    if user is None:
        raise DomainError(_l("The link is invalid, expired or already used. Ask for a new one."))
    _store_password(user, password)
    audit.record("password_set", user, actor=user, organization=user.organization)
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Replace the password; every other session of the user ends, and this device gets a new
    login (not remembered)."""
    if not passwords.verify_password(user.password_hash, current):
        raise DomainError(_l("The current password is wrong."), field="current_password")
    _store_password(user, new)
    open_login_session(user, remember=False)
    audit.record("password_change", user, actor=user, organization=user.organization)


@functools.cache
def _session_user_statement() -> sa.Select:
    """Every request asks for the user, their organization and this device's login in one
    query, built once: building it costs as much as running it."""
    return (
        sa.select(User, LoginSession)
        .join(User.organization)
        .join(
            LoginSession,
            (LoginSession.user_id == User.id) & (LoginSession.key_hash == sa.bindparam("key_hash")),
        )
        .where(User.id == sa.bindparam("user_id"))
        .options(sa.orm.contains_eager(User.organization))
    )


def load_session_user(session_id: str) -> User | None:
    """The user of a login cookie ``"<id>:<session token>:<login key>"``, if the account is
    active, its session token current and that device's login open."""
    user_id, _, rest = (session_id or "").partition(":")
    token, _, key = rest.partition(":")
    if not user_id.isdigit() or len(user_id) > 18 or not key:
        return None
    found = db.session.execute(
        _session_user_statement(), {"user_id": int(user_id), "key_hash": login_key_hash(key)}
    ).first()
    if found is None:
        return None
    user, login = found
    if not user.active or user.session_token != token or not user.organization.is_active:
        return None
    if not login.is_open(utcnow()):
        return None
    user.login_key = key
    return user
