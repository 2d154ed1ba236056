"""In a real browser, the one-page builder: a question is added between two others from the
type picker and edited in its place, moved by drag and drop (also into another section) and
from the keyboard, deleted and put back with «Отменить»; the preview beside it follows."""

import pytest
from playwright.sync_api import Page, expect

from app.accounts.models import Role
from app.extensions import db
from app.organizations.models import OrganizationKind
from app.questionnaires import services
from app.questionnaires.definition import version_definition
from app.questionnaires.models import Form
from tests.e2e.browser import log_in
from tests.e2e.builder_steps import open_question, save_editor, screenshots
from tests.factories import make_org, make_user
from tests.monitoring import DEFINITION

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def draft():
    region = make_org("Республика Саха (Якутия)", OrganizationKind.REGION)
    office = make_org("МКУ «УО Нюрбинского района»", OrganizationKind.DISTRICT, region)
    staff = make_user(Role.ADMIN, office, "nyurba-admin")
    form = services.create_form(staff, DEFINITION)
    db.session.commit()
    return staff, form


def _layout(form: Form) -> list[list[str]]:
    db.session.expire_all()
    sections = version_definition(db.session.get(Form, form.id).latest)["sections"]
    return [[q["key"] for q in section["questions"]] for section in sections]


def _drag(page: Page, source: str, target: str) -> None:
    """Drags the handle of ``source`` onto the lower half of ``target`` with the mouse and
    waits for the builder to come back from the server with the new order."""
    handle = page.locator(f"{source} .drag-handle").first.bounding_box()
    box = page.locator(target).bounding_box()
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    x, y = box["x"] + box["width"] / 3, box["y"] + box["height"] * 0.75
    for step in range(1, 11):
        page.mouse.move(
            handle["x"] + (x - handle["x"]) * step / 10, handle["y"] + (y - handle["y"]) * step / 10
        )
        page.wait_for_timeout(30)
    with page.expect_response(lambda response: response.url.endswith("/order")):
        page.mouse.up()
    page.wait_for_load_state("networkidle")


def test_a_question_is_added_between_two_edited_in_place_moved_deleted_and_put_back(
    new_page, draft
):
    staff, form = draft
    page = new_page(viewport=DESKTOP)
    log_in(page, staff)
    page.goto(f"/forms/{form.id}")
    preview = page.frame_locator("#preview-frame")
    expect(preview.locator("body")).to_contain_text("Есть ли Интернет?")

    page.locator("#question-has_internet").hover()
    page.get_by_role("button", name="Добавить вопрос после «Есть ли Интернет?»").click()
    page.locator(".type-picker.show").get_by_role("link", name="Целое число", exact=True).click()
    editor = page.locator("#question-editor")
    expect(editor).to_be_visible()
    expect(page.get_by_label("Вопрос", exact=True)).to_be_focused()
    page.get_by_label("Вопрос", exact=True).fill("Число компьютеров")
    save_editor(page)
    expect(page.locator("#question-chislo_kompiuterov")).to_be_focused()
    assert _layout(form)[0][:3] == ["has_internet", "chislo_kompiuterov", "internet_speed"]
    expect(preview.locator("body")).to_contain_text("Число компьютеров")

    open_question(page, "chislo_kompiuterov")
    expect(page.locator("#question-has_internet")).to_be_visible()
    page.get_by_label("Вопрос", exact=True).fill("")
    page.locator(".builder-editor").get_by_role("button", name="Сохранить").click()
    expect(page.locator("#label-error")).to_be_visible()
    expect(page.get_by_label("Вопрос", exact=True)).to_be_focused()  # the first wrong field
    screenshots(page, "builder-editor-with-error")
    page.get_by_role("link", name="Отмена").click()
    expect(page.locator("#question-editor")).to_have_count(0)

    _drag(page, "#question-chislo_kompiuterov", "#question-scan")
    expect(page.locator("#section-staff_section #question-chislo_kompiuterov")).to_be_visible()
    moved_to = _layout(form)[1].index("chislo_kompiuterov")
    assert "chislo_kompiuterov" not in _layout(form)[0] and moved_to > 0

    menu = page.get_by_role("button", name="Действия с вопросом «Число компьютеров»")
    menu.click()
    page.locator(".dropdown-menu.show").get_by_role("button", name="Выше").click()
    expect(page.locator("#question-chislo_kompiuterov")).to_be_focused()
    assert _layout(form)[1].index("chislo_kompiuterov") == moved_to - 1

    page.get_by_role("button", name="Действия с вопросом «Число компьютеров»").click()
    page.locator(".dropdown-menu.show").get_by_role("button", name="Удалить").click()
    expect(page.locator("#question-chislo_kompiuterov")).to_have_count(0)
    expect(page.locator("#undo")).to_contain_text("Удалено.")
    assert "chislo_kompiuterov" not in _layout(form)[1]
    page.get_by_role("button", name="Отменить").click()
    expect(page.locator("#question-chislo_kompiuterov")).to_be_focused()
    assert _layout(form)[1].index("chislo_kompiuterov") == moved_to - 1
    page.reload()
    expect(page.locator("#question-chislo_kompiuterov")).to_be_visible()


def test_sections_are_reordered_by_drag_and_drop(new_page, draft):
    staff, form = draft
    page = new_page(viewport=DESKTOP)
    log_in(page, staff)
    page.goto(f"/forms/{form.id}")
    _drag(page, "#section-staff_section .card-header", "#section-main .card-header")
    expect(page.locator(".builder-section").first).to_have_id("section-staff_section")
    assert _layout(form)[0] == [q["key"] for q in DEFINITION["sections"][1]["questions"]]
