"""User accounts and their roles."""

import hashlib
import secrets
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.db import SearchableMixin, TimestampMixin, UTCDateTime, utcnow
from app.extensions import db
from app.organizations.models import Organization


class Role(StrEnum):
    ADMIN = "admin"
    SCHOOL = "school"
    JURY = "jury"
    VIEWER = "viewer"

    @property
    def label(self):
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: _l("District staff (administrator)"),
    Role.SCHOOL: _l("School"),
    Role.JURY: _l("Jury member"),
    Role.VIEWER: _l("Observer (reports only)"),
}


def new_session_token() -> str:
    return secrets.token_hex(16)


class User(UserMixin, SearchableMixin, TimestampMixin, db.Model):
    __tablename__ = "user_account"
    __search_fields__ = ("full_name", "username", "email")
    __sort_field__ = "full_name"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80), unique=True)
    email: Mapped[str | None] = mapped_column(sa.String(254), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[Role] = mapped_column(
        sa.Enum(
            Role,
            native_enum=False,
            length=20,
            values_callable=lambda roles: [r.value for r in roles],
        )
    )
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    # Part of the login cookie: replacing it ends every session and remember-me cookie.
    session_token: Mapped[str] = mapped_column(sa.String(64), default=new_session_token)
    active: Mapped[bool] = mapped_column(default=True)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The language last chosen on a filling page, used for every form that has it.
    form_language: Mapped[str | None] = mapped_column(sa.String(40))

    organization: Mapped[Organization] = relationship()

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    def get_id(self) -> str:
        """The id in the session and remember-me cookies: the user, their session token and the
        key of this device's login (``login_key``, set when the login is opened or loaded)."""
        return f"{self.id}:{self.session_token}:{getattr(self, 'login_key', '')}"

    def end_sessions(self) -> None:
        self.session_token = new_session_token()

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


def login_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class LoginSession(db.Model):
    """One login on one device (browser). Its key is part of the login cookies, so logging out
    there ends it whatever copies of the cookies exist; it also ends by itself at
    ``expires_at`` (``REMEMBER_COOKIE_DAYS`` after the login), whatever the browser keeps. Only
    the SHA-256 of the key is stored: the key is random, and found by its hash."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    remember: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def is_open(self, now: datetime) -> bool:
        return self.ended_at is None and now < self.expires_at

    def end(self, now: datetime) -> None:
        if self.ended_at is None:
            self.ended_at = now

    def __repr__(self) -> str:
        return f"<LoginSession {self.id} of user {self.user_id}>"


class ApiToken(db.Model):
    """A personal token for the JSON API. Only the SHA-256 of the secret is kept: the secret is
    random, so a fast hash suffices, and it is found by its hash."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The last characters of the secret, so that its owner can tell their tokens apart.
    hint: Mapped[str] = mapped_column(sa.String(8), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(
        backref=backref("api_tokens", order_by="ApiToken.id.desc()", lazy="select")
    )

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = utcnow()

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} of user {self.user_id}>"
