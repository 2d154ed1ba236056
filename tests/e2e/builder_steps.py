"""Steps on the one-page builder shared by the browser tests."""

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS

WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def open_new_question(page: Page, type_label: str, section: int = -1) -> None:
    """«Добавить вопрос» at the end of a section (the last by default), then the type."""
    page.wait_for_load_state()  # the menu opens once the page's scripts have run
    page.get_by_role("button", name="Добавить вопрос", exact=True).nth(section).click()
    page.locator(".type-picker.show").get_by_role("link", name=type_label, exact=True).click()
    expect(page.locator("#question-editor")).to_be_visible()
    settled(page)


def open_question(page: Page, key: str) -> None:
    """A click on the question's text opens its editor in its place."""
    page.wait_for_load_state()
    page.locator(f"#question-{key} a.builder-open").click()
    expect(page.locator("#question-editor")).to_be_visible()
    settled(page)


def save_editor(page: Page) -> None:
    """Saves the open editor and waits for the builder to come back without it."""
    page.locator(".builder-editor").get_by_role("button", name="Сохранить").click()
    expect(page.locator(".builder-editor")).to_have_count(0)
    settled(page)


def settled(page: Page) -> None:
    """Waits for the builder swapped in by htmx to settle: the element it names has the focus
    (typing before that could land where the focus is about to move)."""
    page.wait_for_function(
        """() => { const builder = document.getElementById("builder");
                   const id = builder && builder.dataset.focus;
                   return !id || (document.activeElement && (document.activeElement.id === id
                     || document.getElementById(id)?.contains(document.activeElement))); }"""
    )


def screenshots(page: Page, name: str) -> None:
    """The page at 1366 and 390 px into ARTIFACTS/screens, then back at 1366 px."""
    screens = ARTIFACTS / "screens"
    screens.mkdir(parents=True, exist_ok=True)
    for width, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        page.screenshot(path=str(screens / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(WIDTHS["desktop"])
