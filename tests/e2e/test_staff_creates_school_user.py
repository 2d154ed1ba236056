"""Acceptance in a real browser: district staff add a school and its account, the school logs in.

Fields are found by their visible Russian labels, buttons and links by their Russian names, as
a user finds them; the texts are those of app/translations/ru/LC_MESSAGES/messages.po.
"""

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Locator, Page, expect

from app.accounts.models import Role, User
from app.organizations.models import Organization, OrganizationKind
from tests.factories import PASSWORD, make_org, make_user

pytestmark = pytest.mark.e2e

SCHOOL_NAME = "Үөһээ Бүлүү оскуолата"
SCHOOL_SHORT_NAME = "Үөһээ Бүлүү СОШ"
SCHOOL_LOCALITY = "с. Верхневилюйск"
LIBRARIAN = "Егорова Сардаана Ивановна"
NEW_PASSWORD = "Күөх сайын Бүлүүгэ-2026"
WRONG_LOGIN = "Неверный логин или пароль либо учётная запись отключена."


@dataclass
class District:
    office: Organization
    admin: User


@pytest.fixture
def district() -> District:
    """A region, a district office under it and the office's administrator, committed."""
    region = make_org("Республика Саха (Якутия)", OrganizationKind.REGION)
    office = make_org(
        "МКУ «Управление образования Верхневилюйского улуса»",
        OrganizationKind.DISTRICT,
        region,
        short_name="УО Верхневилюйского улуса",
        locality="с. Верхневилюйск",
    )
    admin = make_user(Role.ADMIN, office, "vv-admin", full_name="Иванова Анна Петровна")
    return District(office, admin)


def log_in(page: Page, login: str, password: str) -> None:
    page.goto("/login")
    expect(page.get_by_role("heading", name="Вход")).to_be_visible()
    page.get_by_label("Логин или электронная почта").fill(login)
    page.get_by_label("Пароль", exact=True).fill(password)
    page.get_by_role("button", name="Войти").click()


def menu_opened(page: Page) -> None:
    """Waits for the collapsed menu to finish opening: a click during its animation may miss."""
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    expect(page.locator("#main-nav.collapsing")).to_have_count(0)


def log_out(page: Page) -> None:
    toggler = page.get_by_role("button", name="Меню")
    if toggler.is_visible():
        toggler.click()
        menu_opened(page)
    page.get_by_role("button", name="Выйти").click()
    expect(page.get_by_text("Вы вышли из системы.")).to_be_visible()
    expect(page.get_by_role("heading", name="Вход")).to_be_visible()


def error_beside(field: Locator) -> Locator:
    """The element right after an input: where the form macro puts the field's errors."""
    return field.locator("xpath=following-sibling::*[1]")


def test_staff_create_a_school_and_its_user_who_sets_a_password_and_logs_in(page, district):
    # The district administrator logs in and lands on the staff home page.
    log_in(page, district.admin.username, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(district.office.name)
    expect(page.get_by_text("Что требует вашего внимания")).to_be_visible()

    # Администрирование → Организации → Новая организация: a school with Sakha letters in its name.
    page.get_by_role("button", name="Администрирование").click()
    page.get_by_role("link", name="Организации", exact=True).click()
    expect(page.get_by_role("heading", name="Организации", level=1)).to_be_visible()
    page.get_by_role("link", name="Новая организация").click()
    expect(page.get_by_role("heading", name="Новая организация")).to_be_visible()
    expect(page.get_by_label("Тип", exact=True)).to_have_value("school")
    expect(page.get_by_label("Вышестоящая организация")).to_have_value(str(district.office.id))
    page.get_by_label("Наименование", exact=True).fill(SCHOOL_NAME)
    page.get_by_label("Краткое наименование").fill(SCHOOL_SHORT_NAME)
    page.get_by_label("Тип", exact=True).select_option(label="Школа")
    page.get_by_label("Населённый пункт").fill(SCHOOL_LOCALITY)
    page.get_by_role("button", name="Сохранить").click()

    # The school's own page.
    expect(page.get_by_text("Организация создана.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(SCHOOL_NAME)
    expect(page).to_have_url(re.compile(r"/organizations/\d+$"))
    school_id = page.url.rsplit("/", 1)[1]
    details = page.locator("dl")
    expect(details).to_contain_text(SCHOOL_SHORT_NAME)
    expect(details).to_contain_text(SCHOOL_LOCALITY)
    expect(details).to_contain_text(district.office.name)
    expect(page.get_by_text("У этой организации пока нет пользователей.")).to_be_visible()

    # Добавить пользователя: the school is already chosen.
    page.get_by_role("link", name="Добавить пользователя").click()
    expect(page.get_by_role("heading", name="Новый пользователь")).to_be_visible()
    expect(page.get_by_label("Организация", exact=True)).to_have_value(school_id)
    page.get_by_label("ФИО", exact=True).fill(LIBRARIAN)
    page.get_by_label("Логин", exact=True).fill("vv-school1")
    page.get_by_label("Роль", exact=True).select_option(label="Школа")
    page.get_by_role("button", name="Сохранить").click()

    # The user's page shows the one-time link to set a password.
    expect(
        page.get_by_text("Пользователь создан. Передайте ему ссылку для установки пароля.")
    ).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(LIBRARIAN)
    expect(page.locator("dd .badge")).to_have_text("Ожидает пароль")
    link_box = page.get_by_label("Ссылка для установки пароля")
    expect(link_box).to_have_id("set-password-link")
    expect(link_box).to_have_value(re.compile(r"^http://127\.0\.0\.1:\d+/set-password/\S+$"))
    link = link_box.input_value()

    log_out(page)

    # The librarian opens the link and sets a password.
    page.goto(link)
    expect(page.get_by_role("heading", name="Задать пароль")).to_be_visible()
    page.get_by_label("Новый пароль").fill(NEW_PASSWORD)
    page.get_by_label("Повторите пароль").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Задать пароль").click()
    expect(
        page.get_by_text("Пароль задан. Войдите, используя свой логин и новый пароль.")
    ).to_be_visible()

    # ... logs in with it and lands on the school's home page.
    log_in(page, "vv-school1", NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(SCHOOL_NAME)
    expect(page.locator("main").get_by_text(SCHOOL_LOCALITY)).to_be_visible()
    expect(page.get_by_role("link", name="Организации", exact=True)).to_have_count(0)

    # The link works only once.
    log_out(page)
    page.goto(link)
    page.get_by_label("Новый пароль").fill(NEW_PASSWORD + "!")
    page.get_by_label("Повторите пароль").fill(NEW_PASSWORD + "!")
    page.get_by_role("button", name="Задать пароль").click()
    expect(
        page.get_by_text("Ссылка недействительна, устарела или уже использована. Запросите новую.")
    ).to_be_visible()


def test_login_page_errors_and_confirmed_deactivation(page, district):
    school = make_org(SCHOOL_NAME, parent=district.office, locality=SCHOOL_LOCALITY)
    librarian = make_user(Role.SCHOOL, school, "vv-school1", full_name=LIBRARIAN)

    # A page behind the login sends to the login page, which speaks Russian.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next=%2F$"))
    expect(page.get_by_text("Войдите, чтобы открыть эту страницу.")).to_be_visible()
    expect(page).to_have_title("Вход — Школьные библиотеки")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", name="Вход")).to_be_visible()
    expect(page.get_by_text("Мониторинги и конкурсы школьных библиотек")).to_be_visible()
    expect(page.get_by_label("Запомнить меня")).not_to_be_checked()

    # A wrong password: the error is shown beside the password field.
    page.get_by_label("Логин или электронная почта").fill(district.admin.username)
    page.get_by_label("Пароль", exact=True).fill("not-the-password-at-all")
    page.get_by_role("button", name="Войти").click()
    password = page.get_by_label("Пароль", exact=True)
    expect(error_beside(password)).to_have_text(WRONG_LOGIN)
    expect(error_beside(password)).to_have_id("password-error")
    expect(password).to_have_attribute("aria-describedby", "password-error")
    expect(password).to_have_value("")
    expect(page.get_by_label("Логин или электронная почта")).to_have_value(district.admin.username)

    # The right password; the page asked for first opens.
    password.fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(district.office.name)

    # Deactivating the librarian asks for confirmation; declining changes nothing.
    page.goto(f"/users/{librarian.id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(LIBRARIAN)
    status = page.locator("dd .badge")
    expect(status).to_have_text("Действует")
    dialogs, answers = [], [False, True]

    def on_dialog(dialog):
        dialogs.append((dialog.type, dialog.message))
        dialog.accept() if answers.pop(0) else dialog.dismiss()

    page.on("dialog", on_dialog)
    confirmation = ("confirm", "Пользователь больше не сможет войти в систему. Отключить?")
    page.get_by_role("button", name="Отключить").click()
    assert dialogs == [confirmation]
    page.wait_for_timeout(300)  # a submission that was not stopped would be on its way by now
    expect(status).to_have_text("Действует")

    page.get_by_role("button", name="Отключить").click()
    expect(
        page.get_by_text(
            "Учётная запись пользователя отключена: войти в систему он больше не сможет."
        )
    ).to_be_visible()
    assert dialogs == [confirmation, confirmation]
    expect(status).to_have_text("Отключено")
    expect(page.get_by_role("button", name="Включить")).to_be_visible()
    expect(page.get_by_role("button", name="Отключить")).to_have_count(0)

    # The deactivated librarian can no longer log in.
    log_out(page)
    log_in(page, librarian.username, PASSWORD)
    expect(error_beside(page.get_by_label("Пароль", exact=True))).to_have_text(WRONG_LOGIN)


def test_phone_sized_login_and_collapsed_navbar(new_page, district):
    school = make_org(SCHOOL_NAME, parent=district.office, locality=SCHOOL_LOCALITY)
    make_user(Role.SCHOOL, school, "vv-school1", full_name=LIBRARIAN)
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)

    log_in(page, "vv-school1", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(SCHOOL_NAME)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling"

    # The menu is collapsed behind the toggler button and opens with it.
    toggler = page.get_by_role("button", name="Меню")
    expect(toggler).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "false")
    home = page.locator("#main-nav").get_by_role("link", name="Главная")
    expect(home).to_be_hidden()
    expect(page.get_by_role("button", name="Выйти")).to_be_hidden()
    toggler.click()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(home).to_be_visible()
    expect(page.locator("#main-nav")).to_contain_text(LIBRARIAN)
    menu_opened(page)

    page.get_by_role("button", name="Выйти").click()
    expect(page.get_by_text("Вы вышли из системы.")).to_be_visible()
