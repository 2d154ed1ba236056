"""The browser's side of tests/fixtures/condition_menus.json: the builder's menus
(app/static/js/condition-menus.js) write each row set as the text the fixture names, the text
tests/questionnaires/test_condition_menus.py reads back as the same condition."""

import json
from html import escape
from pathlib import Path

import pytest

from app.questionnaires.condition_menus import menu_question, texts
from tests.questionnaires.test_condition_menus import TABLE

pytestmark = pytest.mark.e2e

SCRIPT = Path(__file__).resolve().parents[2] / "app" / "static" / "js" / "condition-menus.js"


@pytest.fixture(scope="module")
def menus_page(browser):
    """A blank page with condition-menus.js and nothing else."""
    page = browser.new_page()
    page.add_script_tag(path=str(SCRIPT))
    yield page
    page.close()


@pytest.fixture
def questions(app):
    with app.test_request_context():
        return [menu_question(question) for question in TABLE["questions"]]


def _mismatches(cases, written):
    return [
        f"{case['id']}: wrote {text!r}, expected {case['text']!r}"
        for case, text in zip(cases, written, strict=True)
        if text != case["text"]
    ]


def test_browser_writes_the_conditions_of_the_fixture(menus_page, questions):
    cases = TABLE["conditions"] + TABLE["typed_conditions"]
    written = menus_page.evaluate(
        "([cases, questions]) => cases.map((c) => ConditionMenus.conditionText(c.rows, questions))",
        [cases, questions],
    )
    assert not _mismatches(cases, written)


def test_browser_writes_the_checks_of_the_fixture(menus_page):
    cases = TABLE["checks"] + TABLE["typed_checks"]
    written = menus_page.evaluate(
        "(cases) => cases.map((c) => ConditionMenus.checkText(c.rows, c.type))", cases
    )
    assert not _mismatches(cases, written)


def test_setup_again_and_htmx_loads_draw_the_menus_once(menus_page, app, questions):
    with app.test_request_context():
        page = escape(json.dumps({"questions": questions, "texts": texts()}))
    rows = escape(
        json.dumps({"join": "all", "rows": [{"key": "computers", "op": "gt", "value": "2"}]})
    )
    menus_page.set_content(
        f"""<form data-menus="{page}"><div data-menu="condition" data-rows="{rows}">
        <div class="mb-3"><label for="condition">Показывать вопрос, если</label>
        <input class="form-control" id="condition" name="condition"></div></div></form>"""
    )
    menus_page.add_script_tag(path=str(SCRIPT))
    menus_page.evaluate(
        """() => {
            const form = document.querySelector("form");
            ConditionMenus.setup(document);
            ConditionMenus.setup(form);
            form.dispatchEvent(new CustomEvent("htmx:load", {bubbles: true}));
        }"""
    )
    assert menus_page.locator(".condition-menus").count() == 1
    assert menus_page.locator("details").count() == 1
    assert menus_page.get_by_label("Сравнение, условие 1").input_value() == "gt"
