"""In a real browser: "Выйти на всех устройствах" ends the session on this computer and on the
phone, after a confirmation; plain "Выйти" on one device leaves the other logged in."""

import pytest
from playwright.sync_api import expect

from app.accounts.models import Role
from tests.e2e.browser import log_in
from tests.e2e.conftest import ARTIFACTS
from tests.factories import make_user

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


def test_logging_out_on_all_devices_ends_the_phones_session_too(new_page, world):
    make_user(Role.SCHOOL, world.school_a1, "librarian", full_name="Егорова Сардаана Ивановна")
    laptop, phone = new_page(viewport=LAPTOP), new_page(viewport=PHONE)
    log_in(laptop, "librarian")
    log_in(phone, "librarian", remember=True)

    laptop.goto("/profile")
    button = laptop.get_by_role("button", name="Выйти на всех устройствах")
    expect(button).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    laptop.screenshot(path=str(ARTIFACTS / "profile-sessions-1366.png"), full_page=True)
    phone.goto("/profile")
    phone.screenshot(path=str(ARTIFACTS / "profile-sessions-390.png"), full_page=True)

    laptop.once("dialog", lambda dialog: dialog.dismiss())
    button.click()
    expect(laptop.get_by_role("heading", name="Профиль")).to_be_visible()

    laptop.once("dialog", lambda dialog: dialog.accept())
    button.click()
    expect(laptop.get_by_role("heading", name="Вход")).to_be_visible()
    expect(laptop.get_by_text("Вы вышли на всех устройствах.")).to_be_visible()

    phone.goto("/profile")
    expect(phone.get_by_role("heading", name="Вход")).to_be_visible()
