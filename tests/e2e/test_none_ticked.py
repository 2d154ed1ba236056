"""In a real browser: a shown multiple choice left unticked is saved as none ticked ([]), and
the same question hidden by its condition is not answered at all."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.accounts.models import Role
from app.campaigns import services as campaigns
from app.db import utcnow
from app.extensions import db
from app.organizations.models import OrganizationKind
from app.questionnaires import services as questionnaires
from tests.e2e.browser import log_in
from tests.e2e.test_filling import expect_saved, stored
from tests.factories import make_org, make_user
from tests.reports.test_none_ticked import DEFINITION

pytestmark = pytest.mark.e2e


def test_shown_and_unticked_is_saved_as_none_ticked_and_hidden_as_not_answered(new_page):
    district = make_org("МКУ «УО»", OrganizationKind.DISTRICT)
    school = make_org("Нюрбинская СОШ №1", parent=district, locality="г. Нюрба")
    admin = make_user(Role.ADMIN, district, "genres-admin")
    school_user = make_user(Role.SCHOOL, school, "genres-school")
    form = questionnaires.create_form(admin, DEFINITION)
    questionnaires.publish(admin, form)
    campaign = campaigns.create_campaign(
        admin,
        form.published,
        title="Фонд библиотеки",
        instructions="",
        opens_at=utcnow() - timedelta(hours=1),
        closes_at=utcnow() + timedelta(days=7),
        organization_ids=[school.id],
    )
    db.session.commit()
    response_id = campaign.responses[0].id

    page = new_page()
    log_in(page, school_user)
    page.goto(f"/responses/{response_id}")
    page.locator("input[name='q.has_library'][value=yes]").check()
    expect(page.locator("#question-genres")).to_be_visible()
    expect_saved(page)
    assert stored(response_id).data == {"has_library": "yes", "genres": []}

    page.locator("input[name='q.genres'][value=science]").check()
    expect_saved(page)
    assert stored(response_id).data["genres"] == ["science"]

    page.locator("input[name='q.has_library'][value=no]").check()
    expect(page.locator("#question-genres")).to_be_hidden()
    expect_saved(page)
    assert stored(response_id).data == {"has_library": "no"}
