"""The builder's whole journey in Chromium, as a methodologist makes a form: ten questions with a
condition, a check, a table and a formula, all from menus and rows — no key, no condition text,
no column spec typed — reordered by drag and drop, previewed beside the builder, published and
sent to the schools after a confirmation."""

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from app.questionnaires.definition import version_definition
from app.questionnaires.models import Form
from tests.e2e.browser import log_in
from tests.e2e.builder_steps import open_new_question, save_editor, screenshots

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1366, "height": 900}


def _add(page: Page, label: str, type_label: str, required: bool = False) -> None:
    open_new_question(page, type_label)
    page.get_by_label("Вопрос", exact=True).fill(label)
    if required:
        page.get_by_label("Обязательный вопрос").check()


def _keys(form_id: int) -> list[str]:
    return [q["key"] for s in _definition(form_id)["sections"] for q in s["questions"]]


def _definition(form_id: int) -> dict:
    db.session.expire_all()
    return version_definition(db.session.get(Form, form_id).latest)


def _drag(page: Page, source: str, target: str) -> None:
    handle = page.locator(f"{source} .drag-handle").bounding_box()
    box = page.locator(target).bounding_box()
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    x, y = box["x"] + box["width"] / 3, box["y"] + box["height"] * 0.9
    for step in range(1, 11):
        page.mouse.move(
            handle["x"] + (x - handle["x"]) * step / 10,
            handle["y"] + (y - handle["y"]) * step / 10,
        )
        page.wait_for_timeout(30)
    with page.expect_response(lambda response: response.url.endswith("/order")):
        page.mouse.up()
    page.wait_for_load_state("networkidle")


def test_staff_build_ten_questions_from_menus_preview_publish_and_send(new_page, world):
    page = new_page(viewport=DESKTOP)
    log_in(page, world.admin_a)
    page.goto("/forms/new")
    page.get_by_label("Название").fill("Оснащение библиотеки — 2026")
    page.get_by_role("button", name="Сохранить").click()
    form_id = int(page.url.rstrip("/").split("/")[-1])

    _add(page, "Есть ли в школе библиотека?", "Да / нет", required=True)
    save_editor(page)
    _add(page, "Число учащихся", "Целое число", required=True)
    page.get_by_label("Минимум").fill("1")
    page.get_by_label("Максимум").fill("2000")
    save_editor(page)

    _add(page, "Число читателей", "Целое число")
    shown_if = page.get_by_role("group", name="Показывать вопрос, если")
    shown_if.get_by_role("button", name="Добавить условие").click()
    shown_if.get_by_label("Вопрос, условие 1").select_option(label="Есть ли в школе библиотека?")
    shown_if.get_by_label("Значение, условие 1").select_option(label="Да")
    check = page.get_by_role("group", name="Условие проверки")
    check.get_by_role("button", name="Добавить проверку").click()
    check.get_by_label("Сравнение, проверка 1").select_option(label="не больше")
    check.get_by_label("С чем сравнить, проверка 1").select_option(
        label="ответ на вопрос «Число учащихся»"
    )
    save_editor(page)

    _add(page, "Зоны библиотеки", "Несколько из нескольких")
    page.get_by_label("Вариант 1", exact=True).fill("Читальный зал")
    page.get_by_label("Вариант 1", exact=True).press("Enter")
    page.get_by_label("Вариант 2", exact=True).fill("Медиатека")
    save_editor(page)

    _add(page, "Сотрудники библиотеки", "Таблица (строка на каждый элемент)")
    page.get_by_label("Столбец 1: заголовок").fill("ФИО")
    page.locator("#column-required-1").check()
    page.get_by_role("button", name="Добавить столбец").click()
    page.get_by_label("Столбец 2: заголовок").fill("Ставка")
    page.get_by_label("Столбец 2: тип").select_option(label="Дробное число")
    page.get_by_label("Столбец 2: от").fill("0,25")
    page.get_by_label("Столбец 2: до").fill("2")
    save_editor(page)

    _add(page, "Читателей на ученика", "Вычисляемое поле")
    page.get_by_label("Вставить вопрос").select_option(label="Число читателей")
    page.get_by_role("button", name="Вставить", exact=True).click()
    page.get_by_label("Формула").press_sequentially(" div ")
    page.get_by_label("Вставить вопрос").select_option(label="Число учащихся")
    page.get_by_role("button", name="Вставить", exact=True).click()
    expect(page.locator("#calculation-check")).to_have_text("Ошибок в формуле не найдено.")
    save_editor(page)

    for label, kind in [
        ("Дата последней инвентаризации", "Дата"),
        ("Комментарий", "Длинный текст"),
        ("Контактный телефон", "Телефон"),
        ("Электронная почта библиотеки", "Электронная почта"),
    ]:
        _add(page, label, kind)
        save_editor(page)

    keys = _keys(form_id)
    assert len(keys) == 10 and keys[6:] == [
        "data_poslednei_inventarizatsii",
        "kommentarii",
        "kontaktnyi_telefon",
        "elektronnaia_pochta_biblioteki",
    ]
    _drag(page, "#question-kommentarii", "#question-elektronnaia_pochta_biblioteki")
    assert _keys(form_id)[-1] == "kommentarii"
    screenshots(page, "acceptance-builder")

    questions = {q["key"]: q for q in _definition(form_id)["sections"][0]["questions"]}
    readers = questions["chislo_chitatelei"]
    assert readers["condition"] == {"key": "est_li_v_shkole_biblioteka", "op": "eq", "value": "yes"}
    assert readers["constraint"] == ["op", "<=", ["cur"], ["ref", "chislo_uchashchikhsia"]]
    assert (
        questions["chislo_uchashchikhsia"]["min"],
        questions["chislo_uchashchikhsia"]["max"],
    ) == (1, 2000)
    assert questions["chitatelei_na_uchenika"]["calculation"] == [
        "op", "div", ["ref", "chislo_chitatelei"], ["ref", "chislo_uchashchikhsia"],
    ]  # fmt: skip
    staff_table = questions["sotrudniki_biblioteki"]["columns"]
    assert [(c["label"], c["type"], c["required"]) for c in staff_table] == [
        ("ФИО", "text", True),
        ("Ставка", "decimal", False),
    ]
    assert (staff_table[1]["min"], staff_table[1]["max"]) == ("0.25", 2)
    assert [c["label"] for c in questions["zony_biblioteki"]["choices"]] == [
        "Читальный зал",
        "Медиатека",
    ]

    preview = page.frame_locator("#preview-frame")
    expect(preview.get_by_text("Число читателей")).to_be_hidden()
    preview.get_by_role("radio", name="Да").check()
    expect(preview.get_by_text("Число читателей")).to_be_visible()

    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Опубликовать").click()
    expect(page.get_by_role("alert").first).to_contain_text("Версия 1 опубликована")

    page.get_by_role("link", name="Отправить школам").click()
    expect(page.get_by_label("Название")).to_have_value("Оснащение библиотеки — 2026")
    page.get_by_label("Срок").fill("2099-12-12T18:00")
    page.get_by_role("button", name="Отправить мониторинг…").click()
    expect(page.locator("#send-summary")).to_contain_text("срок 12.12.2099 18:00 (Якутск")
    page.get_by_role("button", name="Да, отправить").click()
    expect(page.locator("#responses tbody tr")).to_have_count(2)
