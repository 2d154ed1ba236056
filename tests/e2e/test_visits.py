"""A specialist of the district office visits a school with a phone: the visit page is prepared
while online, opens again without a connection, keeps what is typed there, and sends it when
the connection returns; the answers arrive marked as filled in during a visit."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask_babel import gettext
from playwright.sync_api import Page, expect

from app.accounts.models import Role, User
from app.campaigns import services as campaigns
from app.campaigns.models import Campaign, Response
from app.core.timefmt import date_filter, local_today
from app.db import utcnow
from app.extensions import db
from app.organizations.models import OrganizationKind
from app.questionnaires import services as questionnaires
from tests.e2e.browser import log_in
from tests.e2e.test_filling import DEFINITION, answer_yes, expect_saved, save_state
from tests.factories import make_org, make_user

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
TITLE = "Мониторинг при посещении библиотек"


@dataclass
class Visit:
    admin: User
    campaign: Campaign
    response_id: int


@pytest.fixture
def visit() -> Visit:
    region = make_org("Республика Саха (Якутия)", OrganizationKind.REGION)
    district = make_org("МКУ «УОНР»", OrganizationKind.DISTRICT, region)
    school = make_org("Маарская СОШ", parent=district, locality="с. Маар")
    admin = make_user(Role.ADMIN, district, "nyurba-admin", full_name="Иванова Анна Петровна")
    form = questionnaires.create_form(admin, DEFINITION)
    questionnaires.publish(admin, form)
    campaign = campaigns.create_campaign(
        admin,
        form.published,
        title=TITLE,
        instructions="",
        opens_at=utcnow() - timedelta(days=2),
        closes_at=utcnow() + timedelta(days=7),
        organization_ids=[school.id],
        filled_on_visits=True,
    )
    db.session.commit()
    return Visit(admin, campaign, campaign.responses[0].id)


def stored(response_id: int) -> Response:
    db.session.rollback()
    return db.session.get(Response, response_id)


def ready_text() -> str:
    return gettext(
        "Ready: this questionnaire opens at this address also without a connection (from the"
        " browser history or a bookmark); the answers are kept here and sent when the connection"
        " returns."
    )


def prepare(page: Page, visit: Visit) -> None:
    """The dashboard → «Подготовить к посещению без связи»; waits until the page is kept."""
    page.goto(f"/campaigns/{visit.campaign.id}")
    page.get_by_role("link", name=gettext("Prepare for a visit without a connection")).click()
    expect(page.locator("#fill-form")).to_be_visible()
    expect(page.locator("#visit-offline")).to_have_text(ready_text())


def test_staff_fill_a_school_questionnaire_offline_on_a_phone_and_it_arrives_as_a_visit(
    new_page, visit
):
    page = new_page(viewport=PHONE)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, visit.admin)
    prepare(page, visit)
    today = date_filter(local_today())
    day = page.locator("#visited-on")
    expect(day).to_have_value(today)
    day.fill("31.02.2026")  # refused beside the field, and by the server
    expect(page.locator("#visited-on-error")).to_have_text(gettext("Enter a date as DD.MM.YYYY."))
    expect(save_state(page)).to_have_attribute("data-state", "error")
    assert stored(visit.response_id).visited_by_id is None
    day.fill(today)
    expect(page.locator("#visited-on-error")).to_have_text("")
    expect_saved(page)
    assert stored(visit.response_id).revision == 1

    page.context.set_offline(True)
    answer_yes(page, "has_internet")
    page.locator("#q-internet_speed").fill("30")
    expect(save_state(page)).to_have_attribute("data-state", "offline")
    assert "has_internet" not in stored(visit.response_id).data

    reply = page.reload()  # no connection: the page comes from the cache of visit-sw.js
    assert reply.from_service_worker
    expect(page.locator("#fill-form")).to_be_visible()
    expect(page.locator("input[name='q.has_internet'][value=yes]")).to_be_checked()
    expect(page.locator("#q-internet_speed")).to_have_value("30")
    page.locator("#q-provider").fill("Сахателеком")
    page.locator("[data-page-next]").click()
    page.locator("[name='q.staff.0.full_name']").fill("Егорова Сардаана Ивановна")
    expect(save_state(page)).to_have_attribute("data-state", "offline")

    assert stored(visit.response_id).revision == 1

    page.context.set_offline(False)
    # fill.js sends them at once, or at its next try (15 s) if the worker was still offline
    expect(save_state(page)).to_have_attribute("data-state", "saved", timeout=20_000)
    expect_saved(page)
    response = stored(visit.response_id)
    assert response.data["has_internet"] == "yes"
    assert response.data["internet_speed"] == "30"
    assert response.data["provider"] == "Сахателеком"
    assert response.data["staff"][0]["full_name"] == "Егорова Сардаана Ивановна"
    assert response.visited_by_id == visit.admin.id
    assert response.visited_on == local_today()
    assert page.evaluate("id => localStorage.getItem(`fill:${id}`)", visit.response_id) is None
    page.reload()
    expect(page.locator("#q-provider")).to_have_value("Сахателеком")
    assert not errors, errors


def test_answers_typed_just_before_leaving_a_visit_page_are_sent(new_page, visit):
    page = new_page(viewport=PHONE)
    log_in(page, visit.admin)
    prepare(page, visit)
    page.locator("#q-provider").fill("Ростелеком")
    page.goto(f"/campaigns/{visit.campaign.id}")  # before the autosave: sent as the page goes
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    for _ in range(50):
        if (stored(visit.response_id).data or {}).get("provider") == "Ростелеком":
            break
        page.wait_for_timeout(100)
    response = stored(visit.response_id)
    assert response.data["provider"] == "Ростелеком"
    assert response.visited_by_id == visit.admin.id
