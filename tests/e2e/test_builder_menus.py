"""In a real browser: district staff give a question its logic by picking from menus only — show
it if another question equals an option, check it is not more than another answer, a formula
put together with «Вставить вопрос» — and find the menus filled in when they open it again.
Screenshots of the question page at 1366 and 390 px go to test-artifacts/screens."""

import pytest
from playwright.sync_api import Page, expect

from app.accounts.models import Role
from app.extensions import db
from app.organizations.models import OrganizationKind
from app.questionnaires import services
from app.questionnaires.definition import version_definition
from app.questionnaires.models import Form
from tests.e2e.browser import log_in
from tests.e2e.builder_steps import WIDTHS, screenshots
from tests.e2e.test_accessibility import AXE, RUN_AXE, WCAG_A_AA
from tests.factories import make_org, make_user
from tests.monitoring import question as _q

pytestmark = pytest.mark.e2e


DEFINITION = {
    "title": "Оснащение библиотеки",
    "description": "",
    "form_id": "equipment",
    "version": "1",
    "sections": [
        {"key": "main", "title": "Оснащение", "description": "", "condition": None, "questions": [
            _q("pupils", "integer", "Число учащихся"),
            _q("zone", "single", "Где стоят компьютеры?", choices=[
                {"code": "1", "label": "Читальный зал"}, {"code": "2", "label": "Медиатека"},
            ]),
        ]},
    ],
}  # fmt: skip


@pytest.fixture
def staff():
    region = make_org("Республика Саха (Якутия)", OrganizationKind.REGION)
    office = make_org("МКУ «УО Нюрбинского района»", OrganizationKind.DISTRICT, region)
    return make_user(Role.ADMIN, office, "nyurba-admin")


@pytest.fixture
def form(staff):
    created = services.create_form(staff, DEFINITION)
    db.session.commit()
    return created


def _questions(form: Form) -> dict:
    db.session.expire_all()
    definition = version_definition(db.session.get(Form, form.id).latest)
    return {q["key"]: q for s in definition["sections"] for q in s["questions"]}


def _new_question(page: Page, form: Form, label: str, type_label: str) -> None:
    page.goto(f"/forms/{form.id}/questions/new")
    page.get_by_label("Тип", exact=True).select_option(label=type_label)
    page.get_by_label("Вопрос", exact=True).fill(label)


def test_staff_give_a_question_its_logic_from_menus_and_find_them_filled_in(new_page, form, staff):
    page = new_page(viewport=WIDTHS["desktop"])
    page.context.add_init_script(path=str(AXE))
    log_in(page, staff)
    _new_question(page, form, "Число компьютеров", "Целое число")
    shown_if = page.get_by_role("group", name="Показывать вопрос, если")
    shown_if.get_by_role("button", name="Добавить условие").click()
    expect(shown_if.get_by_label("Вопрос, условие 1")).to_be_focused()
    shown_if.get_by_label("Вопрос, условие 1").select_option(label="Где стоят компьютеры?")
    expect(shown_if.get_by_label("Сравнение, условие 1")).to_have_value("eq")
    shown_if.get_by_label("Значение, условие 1").select_option(label="Медиатека")
    check = page.get_by_role("group", name="Условие проверки")
    check.get_by_role("button", name="Добавить проверку").click()
    check.get_by_label("Сравнение, проверка 1").select_option(label="не больше")
    check.get_by_label("С чем сравнить, проверка 1").select_option(
        label="ответ на вопрос «Число учащихся»"
    )
    page.get_by_text("Дополнительно: текст условия (XLSForm)").last.click()
    expect(page.get_by_role("textbox", name="Показывать вопрос, если")).to_have_value(
        "${zone} = '2'"
    )
    screenshots(page, "question-menus")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("#question-chislo_kompiuterov")).to_be_visible()

    _new_question(page, form, "Компьютеров на ученика", "Вычисляемое поле")
    formula = page.get_by_label("Формула")
    page.get_by_label("Вставить вопрос").select_option(label="Число компьютеров")
    page.get_by_role("button", name="Вставить", exact=True).click()
    expect(formula).to_be_focused()
    formula.press_sequentially(" div")
    expect(page.locator("#calculation-check")).to_have_text("выражение обрывается")
    formula.press_sequentially(" ")
    page.get_by_label("Вставить вопрос").select_option(label="Число учащихся")
    page.get_by_role("button", name="Вставить", exact=True).click()
    expect(page.locator("#calculation-check")).to_have_text("Ошибок в формуле не найдено.")
    screenshots(page, "question-formula")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("#question-kompiuterov_na_uchenika")).to_be_visible()

    questions = _questions(form)
    computers = questions["chislo_kompiuterov"]
    assert computers["condition"] == {"key": "zone", "op": "eq", "value": "2"}
    assert computers["constraint"] == ["op", "<=", ["cur"], ["ref", "pupils"]]
    assert questions["kompiuterov_na_uchenika"]["calculation"] == [
        "op", "div", ["ref", "chislo_kompiuterov"], ["ref", "pupils"],
    ]  # fmt: skip

    page.goto(f"/forms/{form.id}/questions/chislo_kompiuterov")
    expect(shown_if.get_by_label("Вопрос, условие 1")).to_have_value("zone")
    expect(shown_if.get_by_label("Сравнение, условие 1")).to_have_value("eq")
    expect(shown_if.get_by_label("Значение, условие 1")).to_have_value("2")
    expect(check.get_by_label("Сравнение, проверка 1")).to_have_value("le")
    expect(check.get_by_label("С чем сравнить, проверка 1")).to_have_value("pupils")
    shown_if.get_by_role("button", name="Добавить условие").click()
    shown_if.get_by_label("Вопрос, условие 2").select_option(label="Число учащихся")
    shown_if.get_by_label("Сравнение, условие 2").select_option(label="больше")
    shown_if.get_by_label("Значение, условие 2").fill("100")
    shown_if.get_by_label("Должны выполняться").select_option(label="любое из условий (ИЛИ)")
    screenshots(page, "question-menus-filled")
    page.get_by_text("Дополнительно: текст проверки (XLSForm)").click()
    assert page.evaluate(RUN_AXE, WCAG_A_AA) == []
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("#question-chislo_kompiuterov")).to_be_visible()
    assert _questions(form)["chislo_kompiuterov"]["condition"] == {
        "any": [
            {"key": "zone", "op": "eq", "value": "2"},
            {"key": "pupils", "op": "gt", "value": 100},
        ]
    }


def test_a_condition_the_menus_cannot_show_stays_text_to_edit(new_page, form, staff):
    odd = {"expr": ["op", ">", ["op", "+", ["ref", "pupils"], ["num", 1]], ["num", 2]]}
    services.change_definition(
        staff,
        form,
        lambda d: {**d, "sections": [{**d["sections"][0], "questions": [
            *d["sections"][0]["questions"], _q("books", "integer", "Книг", condition=odd),
        ]}]},
    )  # fmt: skip
    db.session.commit()
    page = new_page()
    log_in(page, staff)
    page.goto(f"/forms/{form.id}/questions/books")
    field = page.get_by_role("textbox", name="Показывать вопрос, если")
    expect(field).to_be_editable()
    expect(field).to_have_value("${pupils} + 1 > 2")
    expect(
        page.get_by_text("Это условие нельзя показать в меню; его можно изменить текстом")
    ).to_be_visible()
    expect(page.get_by_role("group", name="Показывать вопрос, если")).to_have_count(0)
    field.fill("${pupils} > 1")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("#question-books")).to_be_visible()
    assert _questions(form)["books"]["condition"] == {"key": "pupils", "op": "gt", "value": 1}


def test_staff_show_a_section_only_if_an_earlier_answer_is_given(new_page, form, staff):
    page = new_page()
    log_in(page, staff)
    page.goto(f"/forms/{form.id}/sections/main")
    shown_if = page.get_by_role("group", name="Показывать раздел, если")
    expect(shown_if).to_contain_text("Нет предыдущих вопросов, на которые можно сослаться.")
    expect(shown_if.get_by_role("button", name="Добавить условие")).to_be_hidden()

    page.goto(f"/forms/{form.id}/sections/new")
    shown_if.get_by_role("button", name="Добавить условие").click()
    shown_if.get_by_label("Вопрос, условие 1").select_option(label="Число учащихся")
    shown_if.get_by_label("Сравнение, условие 1").select_option(label="заполнен")
    expect(shown_if.get_by_label("Значение, условие 1")).to_have_count(0)
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("#section-razdel_2")).to_be_visible()
    db.session.expire_all()
    section = version_definition(db.session.get(Form, form.id).latest)["sections"][1]
    assert section["condition"] == {"key": "pupils", "op": "answered", "value": None}
