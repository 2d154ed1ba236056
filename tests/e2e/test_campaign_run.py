"""Running a monitoring in Chromium: staff send with a confirmation, review with
previous/next and accept three at once, close a monitoring early and the school is told."""

import pytest
from playwright.sync_api import expect

from app.accounts.models import Role
from app.campaigns import responses
from app.extensions import db
from tests.e2e.browser import log_in
from tests.factories import make_org, make_user
from tests.monitoring import make_campaign, make_form, response_of

pytestmark = pytest.mark.e2e


def _three_submitted(world):
    """Three schools of district A (listed by name: Маарская, Нюрбинская, Третья) that have
    submitted their answers."""
    third = make_org("Третья СОШ", parent=world.district_a, locality="с. Маар")
    schools = [world.school_a1, world.school_a2, third]
    campaign = make_campaign(world.admin_a, make_form(world.admin_a), schools)
    for index, school in enumerate(schools):
        user = make_user(Role.SCHOOL, school, f"school-{index}")
        response = response_of(campaign, school)
        responses.save_draft(user, response, {"has_internet": "no"}, response.revision)
        responses.submit(user, response, response.revision)
    db.session.commit()
    return campaign


def test_staff_review_with_next_and_previous_then_accept_three_at_once(page, world):
    campaign = _three_submitted(world)
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, world.admin_a)
    page.goto(f"/campaigns/{campaign.id}")
    page.get_by_role("link", name="Маарская СОШ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Маарская СОШ")
    expect(page.locator("#review-pager")).to_contain_text("1 из 3")
    page.get_by_role("link", name="Следующая →").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Нюрбинская СОШ №1")
    page.get_by_role("link", name="Следующая →").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Третья СОШ")
    expect(page.get_by_role("link", name="Следующая →")).to_have_count(0)
    page.get_by_role("link", name="← Предыдущая").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Нюрбинская СОШ №1")

    page.get_by_role("link", name=campaign.title).click()
    for name in ("Маарская СОШ", "НСОШ1", "Третья СОШ"):
        page.get_by_label(f"Выбрать: {name}").check()
    page.get_by_role("button", name="Принять отмеченные").click()
    expect(page.get_by_role("alert").first).to_contain_text("Принято ответов: 3.")
    expect(page.locator("#responses tbody")).to_contain_text("Принят")
    expect(page.locator("#responses .badge", has_text="Отправлен")).to_have_count(0)


def test_staff_close_a_monitoring_early_and_the_school_gets_a_notice(new_page, world):
    campaign = make_campaign(
        world.admin_a, make_form(world.admin_a), [world.school_a1, world.school_a2]
    )
    staff = new_page()
    staff.on("dialog", lambda dialog: dialog.accept())
    log_in(staff, world.admin_a)
    staff.goto(f"/campaigns/{campaign.id}")
    staff.get_by_role("button", name="Закрыть досрочно").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Закрыт досрочно")
    expect(staff.get_by_role("button", name="Открыть снова")).to_be_visible()

    school = new_page()
    log_in(school, world.school_user_a1)
    school.goto("/")
    expect(school.locator("main")).to_contain_text(
        "Мониторинг «Мониторинг оснащения» закрыт досрочно."
    )
    school.goto("/my/questionnaires")
    expect(school.locator("main")).to_contain_text("Закрыт управлением образования")


def test_staff_send_to_schools_picked_by_search_after_a_confirmation(page, world):
    form = make_form(world.admin_a)
    log_in(page, world.admin_a)
    page.goto(f"/campaigns/new?version={form.published.id}")
    expect(page.get_by_label("Название")).to_have_value(form.published.title)
    expect(page.locator("[data-picker-count]")).to_have_text("Выбрано: 2")
    page.get_by_role("button", name="Снять все отметки").click()
    page.get_by_label("Найти по названию").fill("маар")
    expect(page.get_by_label("Нюрбинская СОШ №1")).to_be_hidden()
    page.get_by_role("button", name="Отметить показанные").click()
    expect(page.locator("[data-picker-count]")).to_have_text("Выбрано: 1")
    page.get_by_label("Срок").fill("2099-12-12T18:00")
    page.get_by_role("button", name="Отправить мониторинг…").click()
    expect(page.locator("#send-summary")).to_contain_text(
        "Отправить 1 организации, срок 12.12.2099 18:00 (Якутск"
    )
    page.get_by_role("button", name="Да, отправить").click()
    expect(page.get_by_role("alert").first).to_contain_text("1")
    expect(page.locator("#responses tbody tr")).to_have_count(1)
    expect(page.locator("#responses")).to_contain_text("Маарская СОШ")
