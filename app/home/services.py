"""What needs the user's attention, for the home page."""

from datetime import timedelta

import sqlalchemy as sa

from app.accounts import services as accounts
from app.accounts.models import User
from app.audit.models import AuditEvent
from app.campaigns import services as campaigns
from app.campaigns.models import Campaign, ResponseStatus
from app.contests import entries as contest_entries
from app.contests import scoring
from app.contests import services as contests
from app.contests.models import Contest, Phase
from app.contests.scoring import Progress
from app.db import utcnow
from app.extensions import db
from app.organizations.models import Organization, OrganizationKind
from app.organizations.scope import subtree_clause


def _count(statement) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(statement.subquery()))


def staff_summary(user: User) -> dict:
    schools = sa.select(Organization.id).where(
        subtree_clause(user),
        Organization.kind == OrganizationKind.SCHOOL,
        Organization.is_active.is_(True),
    )
    day_ago = utcnow() - timedelta(days=1)
    failed_logins = sa.select(AuditEvent.id).where(
        AuditEvent.action == "login_failed",
        AuditEvent.created_at >= day_ago,
        AuditEvent.organization_id.in_(sa.select(Organization.id).where(subtree_clause(user))),
    )
    schools_without_users = schools.where(
        ~sa.exists().where(User.organization_id == Organization.id, User.active.is_(True))
    )
    return {
        "schools": _count(schools),
        "schools_without_users": _count(schools_without_users),
        "users": _count(accounts.search(user, status="active")),
        "pending": _count(accounts.search(user, status="pending")),
        "failed_logins": _count(failed_logins),
    }


def viewer_summary(user: User) -> dict:
    schools = sa.select(Organization.id).where(
        subtree_clause(user), Organization.kind == OrganizationKind.SCHOOL
    )
    return {"schools": _count(schools)}


def open_campaigns(user: User) -> list[tuple[Campaign, int, int]]:
    """Monitorings not yet closed, with (submitted or accepted, total) counts."""
    statement = campaigns.visible_query(user).where(
        Campaign.closes_at >= utcnow() - timedelta(days=7)
    )
    result = []
    for campaign in db.session.scalars(statement.limit(10)):
        counts = campaigns.status_counts(campaign)
        done = counts[ResponseStatus.SUBMITTED] + counts[ResponseStatus.ACCEPTED]
        result.append((campaign, done, sum(counts.values())))
    return result


def active_contests(user: User) -> list[tuple[Contest, int, Progress]]:
    """Contests not yet published, with their submitted entries and the jury's progress."""
    statement = contests.visible_query(user).where(Contest.phase != Phase.PUBLISHED)
    result = []
    for contest in db.session.scalars(statement.limit(10)):
        submitted = contest_entries.counts_by_status(contest).get("submitted", 0)
        by_juror, _by_entry = scoring.progress(contest)
        jury = Progress(
            assigned=sum(p.assigned for p in by_juror.values()),
            completed=sum(p.completed for p in by_juror.values()),
        )
        result.append((contest, submitted, jury))
    return result
