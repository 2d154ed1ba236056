"""The jury of a contest: its members (users with the jury role), their nominations, the chair."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import Role, User
from app.contests.models import Assignment, Contest, Entry, Juror, Nomination, Score
from app.contests.services import exists, get_nomination, log
from app.core.errors import Conflict, DomainError, NotFound
from app.extensions import db
from app.organizations.models import Organization
from app.organizations.scope import can_manage


def jury_candidates(actor: User) -> list[User]:
    """Active users with the jury role in the staff member's subtree."""
    statement = (
        sa.select(User)
        .join(User.organization)
        .where(
            User.role == Role.JURY,
            User.active.is_(True),
            Organization.path.startswith(actor.organization.path),
        )
        .order_by(User.full_name, User.id)
    )
    return list(db.session.scalars(statement))


def add_juror(
    actor: User, contest: Contest, user: User, nomination_ids: list[int], is_chair: bool = False
) -> Juror:
    if user.role != Role.JURY or not user.active or not can_manage(actor, user.organization):
        raise DomainError(_l("Choose an active jury member of your organizations."), "user_id")
    if any(juror.user_id == user.id for juror in contest.jurors):
        raise DomainError(_l("This person is already on the jury."), "user_id")
    juror = Juror(contest=contest, user=user)
    db.session.add(juror)
    _set_juror(contest, juror, nomination_ids, is_chair)
    db.session.flush()
    log(actor, contest, "add_juror", juror, user=user.full_name, chair=is_chair)
    return juror


def update_juror(actor: User, juror: Juror, nomination_ids: list[int], is_chair: bool) -> None:
    _set_juror(juror.contest, juror, nomination_ids, is_chair)
    log(actor, juror.contest, "update_juror", juror, user=juror.user.full_name, chair=is_chair)


def remove_juror(actor: User, juror: Juror) -> None:
    if exists(sa.select(Score.id).join(Score.assignment).where(Assignment.juror_id == juror.id)):
        raise Conflict(_l("This juror has scored entries and cannot be removed."))
    for nomination in db.session.scalars(
        sa.select(Nomination)
        .join(Entry, Entry.nomination_id == Nomination.id)
        .join(Assignment, Assignment.entry_id == Entry.id)
        .where(Assignment.juror_id == juror.id)
        .distinct()
    ):
        nomination.check_open()  # the assignments of finalized results stay as they were
    db.session.execute(sa.delete(Assignment).where(Assignment.juror_id == juror.id))
    log(actor, juror.contest, "remove_juror", juror, user=juror.user.full_name)
    db.session.delete(juror)


def get_juror(contest: Contest, juror_id: int) -> Juror:
    juror = db.session.get(Juror, juror_id)
    if juror is None or juror.contest_id != contest.id:
        raise NotFound(_l("Jury member not found."))
    return juror


def _set_juror(contest: Contest, juror: Juror, nomination_ids: list[int], is_chair: bool) -> None:
    juror.nominations = [get_nomination(contest, nomination_id) for nomination_id in nomination_ids]
    if is_chair:
        for other in contest.jurors:
            other.is_chair = other is juror
    juror.is_chair = is_chair
