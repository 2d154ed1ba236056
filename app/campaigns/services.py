"""Verbs on campaigns: send a form to organizations, follow them, remind, extend deadlines."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.accounts.models import Role, User
from app.audit import services as audit
from app.campaigns.access import can_manage_campaign, can_see_campaign
from app.campaigns.models import Campaign, Response, ResponseStatus
from app.campaigns.visits import visit_condition
from app.core.errors import Conflict, DomainError, Forbidden, NotFound
from app.core.text import fold
from app.core.timefmt import datetime_filter, zone_label
from app.db import utcnow
from app.extensions import db
from app.notices import services as notices
from app.organizations.models import Organization, OrganizationKind
from app.organizations.scope import can_manage, subtree_clause
from app.questionnaires.models import FormVersion, VersionStatus
from app.questionnaires.services import can_see as can_see_form
from app.questionnaires.services import visible_query as forms_query

NOT_SUBMITTED = (ResponseStatus.NOT_STARTED, ResponseStatus.DRAFT, ResponseStatus.RETURNED)


def visible_query(user: User) -> sa.Select:
    return (
        sa.select(Campaign)
        .join(Campaign.organization)
        .where(Organization.path.startswith(user.organization.path))
        .order_by(Campaign.closes_at.desc(), Campaign.id.desc())
    )


def get_visible(user: User, campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or not can_see_campaign(user, campaign):
        raise NotFound(_l("Monitoring not found."))
    return campaign


def get_manageable(user: User, campaign_id: int) -> Campaign:
    campaign = get_visible(user, campaign_id)
    if not can_manage_campaign(user, campaign):
        raise Forbidden(_l("Observers cannot change monitorings."))
    return campaign


def publishable_versions(user: User) -> list[FormVersion]:
    """The latest published version of every form the user may use."""
    versions = []
    for form in db.session.scalars(forms_query(user)):
        if form.published is not None:
            versions.append(form.published)
    return versions


def target_organizations(user: User, *, locality: str = "", kind: str = "school") -> sa.Select:
    """Active schools (or other organizations) of the user's subtree, for sending a campaign;
    an empty ``kind`` means both."""
    kinds = [kind] if kind else [OrganizationKind.SCHOOL, OrganizationKind.OTHER]
    statement = sa.select(Organization).where(
        subtree_clause(user), Organization.is_active.is_(True), Organization.kind.in_(kinds)
    )
    if locality:
        statement = statement.where(Organization.locality == locality)
    return statement.order_by(Organization.sort_key)


def check_dates(opens_at: datetime, closes_at: datetime) -> None:
    if closes_at <= opens_at:
        raise DomainError(_l("The deadline must be later than the opening."), field="closes_at")


def create_campaign(
    actor: User,
    version: FormVersion,
    *,
    title: str,
    instructions: str,
    opens_at: datetime,
    closes_at: datetime,
    organization_ids: list[int],
    filled_on_visits: bool = False,
) -> Campaign:
    if version.status != VersionStatus.PUBLISHED or not can_see_form(actor, version.form):
        raise DomainError(_l("Choose a published form."), field="form_version_id")
    check_dates(opens_at, closes_at)
    organizations = db.session.scalars(
        sa.select(Organization).where(Organization.id.in_(organization_ids))
    ).all()
    if not organizations:
        raise DomainError(_l("Choose at least one organization."), field="organization_ids")
    if any(not can_manage(actor, org) or not org.is_active for org in organizations):
        raise DomainError(_l("Choose organizations from your own."), field="organization_ids")
    campaign = Campaign(
        organization=actor.organization,
        form_version=version,
        title=title.strip(),
        instructions=instructions.strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        created_by_id=actor.id,
        filled_on_visits=filled_on_visits,
    )
    db.session.add(campaign)
    db.session.add_all(Response(campaign=campaign, organization=org) for org in organizations)
    db.session.flush()
    audit.record(
        "create",
        campaign,
        actor=actor,
        object_type="campaign",
        label=campaign.title,
        organization=actor.organization,
        after={
            "organizations": len(organizations),
            "closes_at": closes_at.isoformat(),
            "filled_on_visits": filled_on_visits,
        },
    )
    return campaign


def status_counts(campaign: Campaign) -> dict[ResponseStatus, int]:
    statement = (
        sa.select(Response.status, sa.func.count())
        .where(Response.campaign_id == campaign.id)
        .group_by(Response.status)
    )
    counts = dict.fromkeys(ResponseStatus, 0)
    counts.update(dict(db.session.execute(statement).all()))
    return counts


def responses_query(
    user: User, campaign: Campaign, *, status="", locality="", text="", visits=""
) -> sa.Select:
    statement = (
        sa.select(Response)
        .join(Response.organization)
        .where(Response.campaign_id == campaign.id, subtree_clause(user))
    )
    if status == "not_submitted":
        statement = statement.where(Response.status.in_(NOT_SUBMITTED))
    elif status:
        statement = statement.where(Response.status == status)
    if locality:
        statement = statement.where(Organization.locality == locality)
    if text:
        statement = statement.where(Organization.search_key.contains(fold(text), autoescape=True))
    visited = visit_condition(visits)
    if visited is not None:
        statement = statement.where(visited)
    return statement.order_by(Organization.sort_key)


def not_submitted(user: User, campaign: Campaign) -> list[Response]:
    return list(db.session.scalars(responses_query(user, campaign, status="not_submitted")))


def remind(actor: User, campaign: Campaign, link: str) -> tuple[int, int]:
    """A notice to every organization that has not submitted yet, in the app and, when mail is
    configured, by e-mail to its users; returns (organizations, e-mails)."""
    if not can_manage_campaign(actor, campaign):
        raise Forbidden(_l("Observers cannot change monitorings."))
    if campaign.filled_on_visits:
        raise Conflict(_l("Staff fill in this monitoring during visits: schools are not reminded."))
    organization_ids = [response.organization_id for response in not_submitted(actor, campaign)]
    text = str(_l('Please fill in and submit the questionnaire "%(title)s".', title=campaign.title))
    count = notices.notify(organization_ids, text, link, sender=actor)
    body = f"{text}\n{_l('Deadline')}: {datetime_filter(campaign.closes_at)}\n{link}"
    mailed = notices.notify_by_mail(organization_ids, text, body)
    audit.record(
        "remind",
        campaign,
        actor=actor,
        object_type="campaign",
        label=campaign.title,
        organization=campaign.organization,
        after={"organizations": count, "emails": mailed},
    )
    return count, mailed


def extend_deadline(actor: User, response: Response, deadline: datetime) -> None:
    if not can_manage_campaign(actor, response.campaign):
        raise Forbidden(_l("Observers cannot change monitorings."))
    if deadline <= utcnow():
        raise DomainError(_l("The new deadline must be in the future."), field="deadline")
    before = response.closes_at
    response.deadline = deadline
    audit.record(
        "extend_deadline",
        response,
        actor=actor,
        object_type="response",
        label=response.organization.display_name,
        organization=response.organization,
        before={"closes_at": before.isoformat()},
        after={"closes_at": deadline.isoformat()},
    )


def school_campaigns(user: User) -> list[Response]:
    """The responses a school owes or has given, open campaigns first; of a monitoring filled
    in during visits, only those filled in (the school reads them and may comment)."""
    if user.role != Role.SCHOOL:
        return []
    statement = (
        sa.select(Response)
        .join(Response.campaign)
        .where(
            Response.organization_id == user.organization_id,
            Campaign.opens_at <= utcnow(),
            sa.or_(Campaign.filled_on_visits.is_(False), Response.visited_by_id.is_not(None)),
        )
        .order_by(Campaign.closes_at.desc())
    )
    return list(db.session.scalars(statement))


def _check_manager(actor: User, campaign: Campaign) -> None:
    if not can_manage_campaign(actor, campaign):
        raise Forbidden(_l("Observers cannot change monitorings."))


def _tell_schools(actor: User, campaign: Campaign, text: str, link: str, organization_ids=None):
    """A notice (and an e-mail when mail is set up) to the monitoring's organizations, unless
    staff fill it in during visits (then it is no task of theirs)."""
    if campaign.filled_on_visits:
        return
    if organization_ids is None:
        organization_ids = [response.organization_id for response in campaign.responses]
    notices.notify(organization_ids, text, link, sender=actor)
    notices.notify_by_mail(organization_ids, text, f"{text}\n{link}")


def _record(action: str, actor: User, campaign: Campaign, before=None, after=None) -> None:
    audit.record(
        action,
        campaign,
        actor=actor,
        object_type="campaign",
        label=campaign.title,
        organization=campaign.organization,
        before=before,
        after=after,
    )


def update_campaign(
    actor: User,
    campaign: Campaign,
    *,
    title: str,
    instructions: str,
    closes_at: datetime,
    added_ids: list[int],
    link: str = "",
    filled_on_visits: bool | None = None,
) -> int:
    """Changes a sent monitoring and adds organizations; returns how many were added.
    ``filled_on_visits`` None leaves that setting as it is."""
    _check_manager(actor, campaign)
    if campaign.cancelled_at is not None:
        raise Conflict(_l("A cancelled monitoring cannot be changed; reopen it first."))
    if closes_at <= campaign.opens_at:
        raise DomainError(_l("The deadline must be later than the opening."), field="closes_at")
    present = {response.organization_id for response in campaign.responses}
    added = _organizations(actor, [i for i in added_ids if i not in present])
    before = _snapshot(campaign)
    campaign.title, campaign.instructions = title.strip(), instructions.strip()
    if filled_on_visits is not None:
        campaign.filled_on_visits = filled_on_visits
    _set_deadline(campaign, closes_at)
    db.session.add_all(Response(campaign=campaign, organization=org) for org in added)
    db.session.flush()
    after = _snapshot(campaign) | {"added": [org.display_name for org in added]}
    _record("update", actor, campaign, before, after)
    if before != _snapshot(campaign):
        text = _l(
            'The monitoring "%(title)s" was changed; deadline %(deadline)s.',
            title=campaign.title,
            deadline=datetime_filter(campaign.closes_at),
        )
        _tell_schools(actor, campaign, str(text), link, sorted(present))
    if added:
        text = _l('A new questionnaire for you: "%(title)s".', title=campaign.title)
        _tell_schools(actor, campaign, str(text), link, [org.id for org in added])
    return len(added)


def _set_deadline(campaign: Campaign, closes_at: datetime) -> None:
    """The deadline for all; a school's own earlier deadline gives way to it."""
    campaign.closes_at = closes_at
    for response in campaign.responses:
        if response.deadline is not None and response.deadline < closes_at:
            response.deadline = None


def _organizations(actor: User, organization_ids: list[int]) -> list[Organization]:
    if not organization_ids:
        return []
    organizations = db.session.scalars(
        sa.select(Organization).where(Organization.id.in_(organization_ids))
    ).all()
    if any(not can_manage(actor, org) or not org.is_active for org in organizations):
        raise DomainError(_l("Choose organizations from your own."), field="organization_ids")
    return list(organizations)


def _snapshot(campaign: Campaign) -> dict:
    return {
        "title": campaign.title,
        "instructions": campaign.instructions,
        "closes_at": campaign.closes_at.isoformat(),
        "filled_on_visits": campaign.filled_on_visits,
    }


def close_campaign(actor: User, campaign: Campaign, link: str = "") -> None:
    _check_manager(actor, campaign)
    campaign.close()
    _record("close", actor, campaign, after={"closed_at": campaign.closed_at.isoformat()})
    text = _l('The monitoring "%(title)s" is closed early.', title=campaign.title)
    _tell_schools(actor, campaign, str(text), link)


def reopen_campaign(actor: User, campaign: Campaign, closes_at: datetime, link: str = "") -> None:
    _check_manager(actor, campaign)
    if closes_at <= utcnow():
        raise DomainError(_l("The new deadline must be in the future."), field="closes_at")
    before = {
        "closed": campaign.closed_at is not None,
        "cancelled": campaign.cancelled_at is not None,
    }
    campaign.reopen(closes_at)
    _set_deadline(campaign, closes_at)
    _record("reopen", actor, campaign, before, {"closes_at": closes_at.isoformat()})
    text = _l(
        'The monitoring "%(title)s" is open again until %(deadline)s.',
        title=campaign.title,
        deadline=datetime_filter(closes_at),
    )
    _tell_schools(actor, campaign, str(text), link)


def cancel_campaign(actor: User, campaign: Campaign, link: str = "") -> None:
    _check_manager(actor, campaign)
    campaign.cancel()
    _record("cancel", actor, campaign, after={"cancelled_at": campaign.cancelled_at.isoformat()})
    text = _l(
        'The monitoring "%(title)s" is cancelled; you no longer need to fill it in.',
        title=campaign.title,
    )
    _tell_schools(actor, campaign, str(text), link)


def send_summary(count: int, closes_at: datetime) -> str:
    """The question asked before sending: "Send to 20 organizations, deadline … (Yakutsk)?"."""
    return ngettext(
        "Send to %(num)s organization, deadline %(deadline)s (%(zone)s)?",
        "Send to %(num)s organizations, deadline %(deadline)s (%(zone)s)?",
        count,
        deadline=datetime_filter(closes_at),
        zone=zone_label(),
    )


def names_of(organization_ids: list[int], shown: int = 5) -> str:
    """The first organizations by name and how many more: "А, Б, В and 17 more"."""
    statement = (
        sa.select(Organization)
        .where(Organization.id.in_(organization_ids))
        .order_by(Organization.sort_key)
        .limit(shown)
    )
    names = ", ".join(org.display_name for org in db.session.scalars(statement))
    rest = len(organization_ids) - shown
    return str(_l("%(names)s and %(count)s more", names=names, count=rest)) if rest > 0 else names
