"""In a real browser: district staff give a form its logic through the builder's own fields —
a number checked by a condition, a calculated field with a formula — and see it on the
builder's page in short Russian notes."""

import pytest
from playwright.sync_api import Page, expect

from app.accounts.models import Role
from app.organizations.models import OrganizationKind
from tests.e2e.browser import log_in
from tests.e2e.builder_steps import open_new_question, open_question, save_editor
from tests.factories import make_org, make_user

pytestmark = pytest.mark.e2e


@pytest.fixture
def staff():
    region = make_org("Республика Саха (Якутия)", OrganizationKind.REGION)
    office = make_org("МКУ «УО Нюрбинского района»", OrganizationKind.DISTRICT, region)
    return make_user(Role.ADMIN, office, "nyurba-admin")


def add_question(page: Page, label: str, key: str, type_label: str) -> None:
    open_new_question(page, type_label)
    page.get_by_label("Вопрос", exact=True).fill(label)
    page.locator("#advanced summary").click()
    page.get_by_label("Ключ").fill(key)


def save(page: Page) -> None:
    page.get_by_role("button", name="Сохранить").click()


def test_staff_add_a_checked_number_and_a_calculated_field_and_see_their_logic(page, staff):
    log_in(page, staff)
    page.goto("/forms/new")
    page.get_by_label("Название").fill("Книгообеспеченность")
    save(page)

    add_question(page, "Фонд, экз.", "fund", "Целое число")
    save_editor(page)

    add_question(page, "Учащихся", "pupils", "Целое число")
    page.get_by_label("Минимум").fill("1")
    page.get_by_label("Максимум").fill("2000")
    expect(page.locator("#bounds-summary")).to_contain_text("значение от 1 до 2\u00a0000")
    expect(page.locator("#bounds-summary")).to_contain_text(". >= 1 and . <= 2000")
    as_text = page.locator("details", has_text="Дополнительно: текст проверки (XLSForm)")
    as_text.locator("summary").click()
    as_text.get_by_role("button", name="Изменить текстом").click()
    page.get_by_role("textbox", name="Условие проверки").fill(". > 0 and . < 2000")
    page.get_by_label("Сообщение при ошибке").fill("Учащихся от 1 до 1999")
    save_editor(page)

    add_question(page, "Книг на ученика", "per_pupil", "Вычисляемое поле")
    expect(page.get_by_label("Минимум")).to_be_hidden()
    expect(page.locator("#constraint")).to_be_hidden()
    page.get_by_label("Формула").fill("${fund} div")
    save(page)
    expect(page.locator("#calculation-error")).to_be_visible()
    expect(page.get_by_label("Формула")).to_be_focused()  # the first wrong field
    page.get_by_label("Формула").fill("${fund} div ${pupils}")
    save_editor(page)

    per_pupil = page.locator("#question-per_pupil")
    expect(per_pupil).to_be_focused()
    expect(per_pupil).to_contain_text("Вычисляемое поле")
    expect(per_pupil).to_contain_text("формула: «Фонд, экз.» ÷ «Учащихся»")
    pupils = page.locator("#question-pupils")
    expect(pupils).to_contain_text("проверка: . > 0 and . < 2000")
    expect(pupils).to_contain_text("значение от 1 до 2\u00a0000")

    open_question(page, "per_pupil")
    expect(page.get_by_label("Формула")).to_have_value("${fund} div ${pupils}")
