"""In a real browser: staff build a form typing no key — keys come from the questions' text,
sections are named «Раздел N» — and the builder lists what to fix before publishing, with links
to the question. Screenshots of the builder at 1366 and 390 px go to test-artifacts/screens."""

import re

import pytest
from playwright.sync_api import Page, expect

from app.accounts.models import Role
from app.organizations.models import OrganizationKind
from tests.e2e.browser import log_in
from tests.e2e.builder_steps import (
    WIDTHS,
    open_new_question,
    open_question,
    save_editor,
    screenshots,
)
from tests.factories import make_org, make_user

pytestmark = pytest.mark.e2e


@pytest.fixture
def staff():
    region = make_org("Республика Саха (Якутия)", OrganizationKind.REGION)
    office = make_org("МКУ «УО Нюрбинского района»", OrganizationKind.DISTRICT, region)
    return make_user(Role.ADMIN, office, "nyurba-admin")


def add_question(page: Page, label: str, type_label: str, paste: str = "") -> None:
    open_new_question(page, type_label)
    page.get_by_label("Вопрос", exact=True).fill(label)
    if paste:
        paste_into(page.get_by_label("Вариант 1", exact=True), paste)
    save_editor(page)


def paste_into(field, text: str) -> None:
    """Pastes as from Excel: the browser's own paste event with the text on the clipboard."""
    field.evaluate(
        """(input, text) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            input.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true,
                                                             cancelable: true}));
        }""",
        text,
    )


def test_staff_build_without_keys_and_see_problems_before_publishing(new_page, staff):
    page = new_page(viewport=WIDTHS["desktop"])
    log_in(page, staff)
    page.goto("/forms/new")
    page.get_by_label("Название").fill("Книгообеспеченность")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator(".card-header").first).to_contain_text("Раздел 1")

    add_question(page, "Число учащихся", "Целое число")
    add_question(page, "Оҕо ахсаана", "Целое число")
    add_question(page, "Зона", "Один из нескольких", "Читальный зал\nчитальный зал\r\nМедиатека\n")
    expect(page.locator("#question-chislo_uchashchikhsia")).to_contain_text("Число учащихся")
    expect(page.locator("#question-ogho_akhsaana")).to_contain_text("Оҕо ахсаана")

    open_new_question(page, "Короткий текст")
    page.get_by_label("Вопрос", exact=True).fill("Число учащихся")
    page.locator("#advanced summary").click()
    expect(page.get_by_label("Ключ")).to_have_attribute("placeholder", "chislo_uchashchikhsia_2")
    page.get_by_label("Вопрос", exact=True).fill("Һөп, 5 кылаас")
    expect(page.get_by_label("Ключ")).to_have_attribute("placeholder", "hop_5_kylaas")
    page.get_by_role("link", name="Отмена").click()

    page.get_by_role("link", name="Добавить раздел").click()
    expect(page.get_by_label("Название")).to_have_value("Раздел 2")
    save_editor(page)

    problems = page.locator("#problems")
    expect(problems).to_contain_text("найдено проблем: 2")
    expect(problems).to_contain_text("Вариант «Читальный зал» в списке больше одного раза.")
    expect(problems).to_contain_text("В разделе нет вопросов.")
    problems.get_by_role("link", name="Зона").click()
    expect(page).to_have_url(re.compile(r"#question-zona$"))
    screenshots(page, "builder")

    open_question(page, "zona")
    screenshots(page, "builder-question")
    page.locator("#advanced summary").click()
    expect(page.get_by_label("Ключ")).to_have_value("zona")
    expect(page.get_by_label("Вариант 2", exact=True)).to_have_value("читальный зал")
    page.get_by_role("button", name="Удалить вариант").nth(1).click()
    page.get_by_role("button", name="Выше").nth(1).click()
    expect(page.get_by_label("Вариант 1", exact=True)).to_have_value("Медиатека")
    page.get_by_label("Вариант 2", exact=True).press("Enter")
    page.get_by_label("Вариант 3", exact=True).fill("Холл")
    save_editor(page)
    expect(problems).to_contain_text("найдено проблем: 1")
    expect(page.locator("#question-zona")).to_contain_text("Медиатека, Читальный зал, Холл")

    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Опубликовать").click()
    expect(page.locator(".alert-success")).to_contain_text("Версия 1 опубликована")
    assert "Проверка нашла проблемы (они перечислены на странице): 1." in messages[0]

    open_question(page, "zona")
    page.locator("#advanced summary").click()
    expect(page.get_by_label("Ключ")).to_have_attribute("readonly", "")
    expect(page.locator("#advanced")).to_contain_text("Этот ключ есть в опубликованной версии")
