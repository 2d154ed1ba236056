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


def can_fill(user: User, response: Response) -> bool:
    return user.role == Role.SCHOOL and response.organization_id == user.organization_id
