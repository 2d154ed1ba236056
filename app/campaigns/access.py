"""Who may see and do what with campaigns and responses."""

from app.accounts.models import Role, User
from app.campaigns.models import Campaign, Response


def can_see_campaign(user: User, campaign: Campaign) -> bool:
    """Staff and observers see the campaigns of their subtree."""
    return user.role in (Role.ADMIN, Role.VIEWER) and campaign.organization.is_within(
        user.organization
    )


def can_manage_campaign(user: User, campaign: Campaign) -> bool:
    return user.role == Role.ADMIN and campaign.organization.is_within(user.organization)


def can_see_response(user: User, response: Response) -> bool:
    if user.role == Role.SCHOOL:
        return response.organization_id == user.organization_id
    return can_see_campaign(user, response.campaign) and response.organization.is_within(
        user.organization
    )


def is_own_school(user: User, response: Response) -> bool:
    return user.role == Role.SCHOOL and response.organization_id == user.organization_id


def can_fill(user: User, response: Response) -> bool:
    """The school fills its response, unless staff fill the monitoring during their visits."""
    return is_own_school(user, response) and not response.campaign.filled_on_visits


def can_visit(user: User, response: Response) -> bool:
    """District staff fill a school's response of their subtree on its behalf, visiting it."""
    return can_manage_campaign(user, response.campaign) and response.organization.is_within(
        user.organization
    )


def can_enter(user: User, response: Response) -> bool:
    """Who may change the answers: the school, or staff on a visit."""
    return can_fill(user, response) or can_visit(user, response)
