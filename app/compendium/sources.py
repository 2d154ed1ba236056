"""Where the сборник's practices come from: the contests and monitorings of the user's district,
their submitted entries and their submitted or accepted responses (searched by school), the
winners and prize-winners of a contest's finalized nominations, and the ones ticked in a list.
A practice whose source is no longer submitted stays in its place but is not printed."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager

from app.accounts.models import User
from app.campaigns.models import Campaign, Response, ResponseStatus
from app.contests.access import can_manage_contest
from app.contests.models import Contest, Entry, EntryStatus
from app.contests.standings import standing
from app.core.errors import Conflict, DomainError
from app.core.text import fold
from app.extensions import db
from app.organizations.models import Organization
from app.organizations.scope import can_manage, subtree_clause

PRINTED = ("winner", "prize_winner")
USED = (ResponseStatus.SUBMITTED, ResponseStatus.ACCEPTED)


def withdrawn(practice) -> bool:
    """The practice's entry or response is no longer submitted (withdrawn, reopened, rejected,
    recalled or returned): the document leaves it out and the editor says why."""
    if practice.entry is not None:
        return practice.entry.status != EntryStatus.SUBMITTED
    return practice.response.status not in USED


def contests(user: User) -> list[Contest]:
    return list(db.session.scalars(
        sa.select(Contest).join(Contest.organization).where(subtree_clause(user))
        .order_by(Contest.id.desc())
    ))  # fmt: skip


def campaigns(user: User) -> list[Campaign]:
    return list(db.session.scalars(
        sa.select(Campaign).join(Campaign.organization).where(subtree_clause(user))
        .order_by(Campaign.id.desc())
    ))  # fmt: skip


def get_contest(user: User, contest_id) -> Contest:
    contest = db.session.get(Contest, contest_id) if contest_id else None
    if contest is None or not can_manage_contest(user, contest):
        raise DomainError(_l("Choose a contest of your district from the list."))
    return contest


def get_campaign(user: User, campaign_id) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id) if campaign_id else None
    if campaign is None or not can_manage(user, campaign.organization):
        raise DomainError(_l("Choose a monitoring of your district from the list."))
    return campaign


def entries_query(contest: Contest, search: str = "") -> sa.Select:
    """The contest's submitted entries by nomination and number; ``search`` finds the school."""
    statement = (
        sa.select(Entry)
        .join(Entry.organization)
        .where(Entry.contest_id == contest.id, Entry.status == EntryStatus.SUBMITTED)
        .order_by(Entry.nomination_id, Entry.number)
        .options(contains_eager(Entry.organization))
    )
    if search.strip():
        statement = statement.where(Organization.search_key.contains(fold(search), autoescape=True))
    return statement


def responses_query(user: User, campaign: Campaign, search: str = "") -> sa.Select:
    """The monitoring's submitted and accepted responses of the user's subtree, by school."""
    statement = (
        sa.select(Response)
        .join(Response.organization)
        .where(Response.campaign_id == campaign.id, Response.status.in_(USED),
               subtree_clause(user))
        .order_by(Organization.sort_key)
        .options(contains_eager(Response.organization))
    )  # fmt: skip
    if search.strip():
        statement = statement.where(Organization.search_key.contains(fold(search), autoescape=True))
    return statement


def awarded(contest: Contest) -> list[Entry]:
    """The winners and prize-winners of the contest's finalized nominations, nomination by
    nomination, best first."""
    finalized = [n for n in contest.nominations if n.is_finalized]
    if not finalized:
        raise Conflict(_l("The contest has no finalized results yet."))
    found = []
    for nomination in finalized:
        current = standing(contest, nomination)
        if current.result.held:
            found += [current.entries[r.entry_id] for r in current.result.entries
                      if r.title in PRINTED]  # fmt: skip
    return found


def chosen_entries(contest: Contest, entry_ids: list[int]) -> list[Entry]:
    return _chosen(entries_query(contest).where(Entry.id.in_(entry_ids)), entry_ids, "entry_ids",
                   _l("Tick at least one entry."),
                   _l("Choose entries of this contest from the list."))  # fmt: skip


def chosen_responses(user: User, campaign: Campaign, response_ids: list[int]) -> list[Response]:
    statement = responses_query(user, campaign).where(Response.id.in_(response_ids))
    return _chosen(statement, response_ids, "response_ids", _l("Tick at least one response."),
                   _l("Choose submitted or accepted responses of this monitoring."))  # fmt: skip


def _chosen(statement: sa.Select, ids: list[int], field: str, none_ticked, not_listed) -> list:
    """The ticked rows of a list, in the order ticked; any id the list does not hold refuses
    them all."""
    if not ids:
        raise DomainError(none_ticked, field)
    found = {row.id: row for row in db.session.scalars(statement)}
    if len(found) != len(set(ids)):
        raise DomainError(not_listed, field)
    return [found[i] for i in dict.fromkeys(ids)]
