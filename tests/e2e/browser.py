"""What every browser test does: log in through the login page as a person would."""

from playwright.sync_api import Page, expect

from app.accounts.models import User
from tests.factories import PASSWORD


def log_in(page: Page, user: User | str, *, remember: bool = False) -> None:
    """Logs in with the demo password and waits until the login page is left behind."""
    page.goto("/login")
    page.get_by_label("Логин или электронная почта").fill(getattr(user, "username", user))
    page.get_by_label("Пароль", exact=True).fill(PASSWORD)
    if remember:
        page.get_by_label("Запомнить меня").check()
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", name="Вход")).to_have_count(0)
