"""The feedback questionnaire after an event, through the forms engine: a monitoring campaign
addressed to their schools — the schools of the participants marked present — rather than to
the people themselves, since monitorings are answered by organizations."""

from datetime import datetime

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.campaigns import services as campaigns
from app.campaigns.models import Campaign
from app.core.errors import DomainError
from app.db import utcnow
from app.events.models import Event
from app.events.services import attended
from app.extensions import db
from app.notices import services as notices
from app.questionnaires.models import FormVersion


def attended_schools(event: Event) -> list[int]:
    """The schools of those marked present, each once."""
    return sorted({registration.record.organization_id for registration in attended(event)})


def create_campaign(user: User, event: Event, version_id: int, title: str,
                    closes_at: datetime, link: str = "") -> Campaign:  # fmt: skip
    """Sends the chosen form, as a new monitoring, to the attended participants' schools."""
    schools = attended_schools(event)
    if not schools:
        raise DomainError(_l("Mark who attended first: the questionnaire goes to their schools."),
                          "form_version_id")  # fmt: skip
    version = db.session.get(FormVersion, version_id)
    if version is None:
        raise DomainError(_l("Choose a published form."), "form_version_id")
    campaign = campaigns.create_campaign(
        user,
        version,
        title=title,
        instructions=str(_l("Feedback on the event «%(title)s».", title=event.title)),
        opens_at=utcnow(),
        closes_at=closes_at,
        organization_ids=schools,
    )
    event.feedback_campaign = campaign
    notices.notify(schools, str(_l("New monitoring: %(title)s", title=campaign.title)), link,
                   sender=user)  # fmt: skip
    _log(user, event, campaign)
    return campaign


def link_campaign(user: User, event: Event, campaign_id: int) -> Campaign:
    """An existing monitoring chosen as the event's feedback questionnaire."""
    campaign = db.session.scalar(
        campaigns.visible_query(user).where(Campaign.id == campaign_id).limit(1)
    )
    if campaign is None:
        raise DomainError(_l("Choose a monitoring of your district."), "campaign_id")
    event.feedback_campaign = campaign
    _log(user, event, campaign)
    return campaign


def linkable_campaigns(user: User) -> list[Campaign]:
    return db.session.scalars(
        campaigns.visible_query(user).where(Campaign.cancelled_at.is_(None)).limit(200)
    ).all()


def _log(user: User, event: Event, campaign: Campaign) -> None:
    audit.record("link_feedback", event, actor=user, object_type="district_event",
                 label=event.title, organization=event.organization,
                 after={"campaign": campaign.id})  # fmt: skip


def form_versions(user: User) -> list[FormVersion]:
    return campaigns.publishable_versions(user)


def schools_count(event: Event) -> int:
    return len(attended_schools(event))
