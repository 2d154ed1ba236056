"""Acceptance in a real browser (issue 10, item 8): a school fills a two-language form in Sakha.

The page is rendered from the form in the chosen language (languages.localized); the answers
are codes, the same whatever the language, and the choice is remembered for the school's user.
"""

import pytest
from playwright.sync_api import Page, expect

from app.accounts.models import User
from app.extensions import db
from app.questionnaires.expressions import parse
from app.questionnaires.jsonio import normalize_definition
from tests.e2e.browser import log_in
from tests.e2e.test_filling import expect_saved, stored, watch_errors
from tests.e2e.test_filling_expressions import send

pytestmark = pytest.mark.e2e

RATE_MESSAGE = "Ставка больше 0 и меньше 2"
RATE_MESSAGE_SAH = "Ставка 0-тан үрдүк, 2-тэн намыһах буолуохтаах"


def sah(**texts) -> dict:
    return {"translations": {"sah": texts}}


TWO_LANGUAGES = normalize_definition(
    {
        "title": "Кадры библиотеки",
        "languages": [{"code": "ru", "name": "Русский"}, {"code": "sah", "name": "Саха тыла"}],
        "default_language": "ru",
        "sections": [
            {
                "key": "staff",
                "title": "Кадры",
                **sah(title="Үлэһиттэр"),
                "questions": [
                    {
                        "key": "position",
                        "type": "single",
                        "label": "Должность",
                        "help": "Основная должность",
                        **sah(label="Дуоһунас", help="Сүрүн дуоһунас"),
                        "choices": [
                            {
                                "code": "head",
                                "label": "Заведующий библиотекой",
                                **sah(label="Бибилиэтиэкэ сэбиэдиссэйэ"),
                            },
                            {"code": "librarian", "label": "Библиотекарь"},
                        ],
                    },
                    {
                        "key": "position_name",
                        "type": "calculate",
                        "label": "",
                        "calculation": parse("jr:choice-name(${position}, '${position}')"),
                    },
                    {
                        "key": "summary",
                        "type": "note",
                        "label": "Ваша должность: ${position_name}",
                        **sah(label="Эн дуоһунаһыҥ: ${position_name}"),
                    },
                    {
                        "key": "rate",
                        "type": "decimal",
                        "label": "Ставка",
                        **sah(label="Ставка кээмэйэ", constraint_message=RATE_MESSAGE_SAH),
                        "constraint": parse(". > 0 and . < 2"),
                        "constraint_message": RATE_MESSAGE,
                    },
                ],
            }
        ],
    }
)


def label_of(page: Page, key: str):
    return page.locator(f"#q-{key}-label")


def test_school_fills_a_two_language_form_in_sakha_and_the_choice_is_remembered(new_page):
    monitoring = send(TWO_LANGUAGES)
    page = new_page()
    errors = watch_errors(page)
    log_in(page, monitoring.school_user)
    page.goto(f"/responses/{monitoring.response_id}")

    # The form opens in its default language, with the picker offering both.
    picker = page.get_by_label("Язык анкеты")
    expect(picker).to_have_value("ru")
    assert picker.locator("option").all_inner_texts() == ["Русский", "Саха тыла"]
    expect(label_of(page, "position")).to_contain_text("Должность")

    # Choosing Sakha shows the form in Sakha: labels, hints, choices, a text missing in Sakha
    # in Russian.
    picker.select_option("sah")
    expect(page.get_by_label("Язык анкеты")).to_have_value("sah")
    expect(page.locator("legend")).to_have_text("Үлэһиттэр")
    expect(label_of(page, "position")).to_contain_text("Дуоһунас")
    expect(page.locator("#fill-form")).to_contain_text("Сүрүн дуоһунас")
    head = page.get_by_label("Бибилиэтиэкэ сэбиэдиссэйэ")
    expect(page.get_by_label("Библиотекарь")).to_be_visible()

    # jr:choice-name gives the Sakha label; the constraint speaks Sakha.
    head.check()
    expect(page.locator("#question-summary")).to_have_text(
        "Эн дуоһунаһыҥ: Бибилиэтиэкэ сэбиэдиссэйэ"
    )
    rate, rate_error = page.locator("#q-rate"), page.locator("#q-rate-error")
    rate.fill("0")
    expect(rate_error).to_have_text(RATE_MESSAGE_SAH)
    rate.fill("0,5")
    expect(rate_error).to_have_text("")
    expect_saved(page)

    # The answers are codes, as in Russian; the server computes in the default language.
    response = stored(monitoring.response_id)
    assert response.data["position"] == "head"
    assert response.data["rate"] == "0,5"  # a draft keeps the answer as typed
    assert response.data["position_name"] == "Заведующий библиотекой"

    # Reloading keeps Sakha: it is the user's language now.
    page.reload()
    expect(page.get_by_label("Язык анкеты")).to_have_value("sah")
    expect(label_of(page, "rate")).to_contain_text("Ставка кээмэйэ")
    expect(page.get_by_label("Бибилиэтиэкэ сэбиэдиссэйэ")).to_be_checked()
    db.session.rollback()
    assert db.session.get(User, monitoring.school_user.id).form_language == "sah"
    assert errors == []


def test_a_form_in_one_language_has_no_picker(new_page):
    one_section = {"key": "s", "title": "Раздел", "questions": [
        {"key": "n", "type": "integer", "label": "Число"}
    ]}  # fmt: skip
    monitoring = send(normalize_definition({"title": "Одна", "sections": [one_section]}))
    page = new_page()
    log_in(page, monitoring.school_user)
    page.goto(f"/responses/{monitoring.response_id}")
    expect(page.locator("#fill-form")).to_be_visible()
    expect(page.locator("[data-language-picker]")).to_have_count(0)
