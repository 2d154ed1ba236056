"""Who may see and do what with contests, entries and scores."""

from app.accounts.models import Role, User
from app.contests.models import Assignment, Contest, Entry, Juror, Phase


def can_see_contest(user: User, contest: Contest) -> bool:
    """Staff and observers see the contests of their subtree."""
    return user.role in (Role.ADMIN, Role.VIEWER) and contest.organization.is_within(
        user.organization
    )


def can_manage_contest(user: User, contest: Contest) -> bool:
    return user.role == Role.ADMIN and contest.organization.is_within(user.organization)


def juror_of(user: User, contest: Contest) -> Juror | None:
    if user.role != Role.JURY:
        return None
    return next((juror for juror in contest.jurors if juror.user_id == user.id), None)


def can_enter(user: User, contest: Contest) -> bool:
    """A school of the contest's subtree, when the contest is open to all or names it."""
    if user.role != Role.SCHOOL or contest.phase == Phase.DRAFT:
        return False
    if not user.organization.is_within(contest.organization):
        return False
    return contest.open_to_all or any(o.id == user.organization_id for o in contest.eligible)


def can_see_entry(user: User, entry: Entry) -> bool:
    """The entrant school, staff of the contest; jurors go through their assignments."""
    if user.role == Role.SCHOOL:
        return entry.organization_id == user.organization_id
    return can_see_contest(user, entry.contest)


def can_score(user: User, assignment: Assignment) -> bool:
    """Only the assigned juror, never on an entry of their own organization, and not after
    declaring a conflict."""
    return (
        user.role == Role.JURY
        and assignment.juror.user_id == user.id
        and assignment.is_active
        and assignment.entry.organization_id != user.organization_id
    )


def can_read_rules(user: User, contest: Contest) -> bool:
    """Staff and observers of the contest, the schools that may enter it, its jury."""
    return (
        can_see_contest(user, contest)
        or can_enter(user, contest)
        or juror_of(user, contest) is not None
    )
