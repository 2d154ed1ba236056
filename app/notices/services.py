"""Sending and reading in-app notices."""

import sqlalchemy as sa

from app.accounts.models import User
from app.db import utcnow
from app.extensions import db
from app.notices import mail
from app.notices.models import Notice


def notify(organization_ids, text: str, link: str = "", sender: User | None = None) -> int:
    notices = [
        Notice(
            organization_id=organization_id,
            text=text,
            link=link,
            created_by_id=sender.id if sender else None,
        )
        for organization_id in organization_ids
    ]
    db.session.add_all(notices)
    return len(notices)


def notify_by_mail(organization_ids, subject: str, body: str) -> int:
    """E-mails the active users of the organizations that have an address, if mail is set up."""
    if not mail.mail_enabled():
        return 0
    statement = sa.select(User.email).where(
        User.organization_id.in_(list(organization_ids)),
        User.active.is_(True),
        User.email.is_not(None),
    )
    return mail.send(sorted(set(db.session.scalars(statement))), subject, body)


def unread(user: User) -> list[Notice]:
    statement = (
        sa.select(Notice)
        .where(
            Notice.organization_id == user.organization_id,
            sa.or_(Notice.user_id.is_(None), Notice.user_id == user.id),
            Notice.read_at.is_(None),
        )
        .order_by(Notice.created_at.desc())
        .limit(20)
    )
    return list(db.session.scalars(statement))


def mark_read(user: User, notice_id: int) -> None:
    notice = db.session.get(Notice, notice_id)
    if (
        notice is not None
        and notice.organization_id == user.organization_id
        and notice.user_id in (None, user.id)
    ):
        notice.read_at = utcnow()


def notify_user(user: User, text: str, link: str = "", sender: User | None = None) -> None:
    """An in-app notice to one person, and an e-mail when mail is set up and they have an
    address."""
    db.session.add(
        Notice(
            organization_id=user.organization_id,
            user_id=user.id,
            text=text,
            link=link,
            created_by_id=sender.id if sender else None,
        )
    )
    if mail.mail_enabled() and user.email:
        mail.send([user.email], text, text + (f"\n\n{link}" if link else ""))
