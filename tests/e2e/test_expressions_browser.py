"""The browser's evaluator (app/static/js/expressions.js) runs the whole conformance table in
Chromium: the server parses each expression and hands the tree and its environment to a blank
page, as the filling page gets them. A case passing on one side and not on the other fails
here or in tests/questionnaires/test_expressions.py."""

import queue
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from app.questionnaires.expressions import evaluate, stored_value
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.questionnaires.test_expressions import (
    conformance_cases,
    mismatches,
    parse_case,
    python_result,
)

pytestmark = pytest.mark.e2e

SCRIPT = Path(__file__).resolve().parents[2] / "app" / "static" / "js" / "expressions.js"
EVALUATE_ALL = """(cases) => cases.map((item) => {
  try {
    return FormExpressions.typed(FormExpressions.evaluate(item.ast, item.env));
  } catch (error) {
    return {type: "exception", value: String(error)};
  }
})"""


def open_expressions_page(browser):
    """A blank page with expressions.js and nothing else."""
    page = browser.new_page()
    page.add_script_tag(path=str(SCRIPT))
    return page


class _PageInThread:
    """A blank expressions page in a Chromium driven from a thread of its own.

    For tests outside tests/e2e, where the ``browser`` fixture is not visible: Playwright's sync
    API refuses to start a second time in a thread that already runs it (the session's browser
    fixture may), so this one lives in another thread and ``evaluate`` hands it the work.
    """

    def __init__(self):
        self.jobs: queue.Queue = queue.Queue()
        self.started: queue.Queue = queue.Queue()
        self.thread = threading.Thread(target=self._serve, name="expressions-page", daemon=True)

    def _serve(self) -> None:
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
                )
                page = open_expressions_page(browser)
                self.started.put(None)
                while (job := self.jobs.get()) is not None:
                    expression, argument, reply = job
                    try:
                        reply.put((page.evaluate(expression, argument), None))
                    except Exception as error:  # handed to the waiting test
                        reply.put((None, error))
                browser.close()
        except Exception as error:
            self.started.put(error)

    def evaluate(self, expression: str, argument=None):
        reply: queue.Queue = queue.Queue()
        self.jobs.put((expression, argument, reply))
        result, error = reply.get(timeout=120)
        if error is not None:
            raise error
        return result


@contextmanager
def launched_page():
    """Skipped without Chromium, as the browser tests are."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed: run scripts/install-chromium.sh")
    page = _PageInThread()
    page.thread.start()
    error = page.started.get(timeout=120)
    if error is not None:
        raise error
    try:
        yield page
    finally:
        page.jobs.put(None)
        page.thread.join(timeout=30)


def evaluate_in_browser(page, items: list[dict]) -> list[dict]:
    """Typed results of ``{"ast", "env"}`` items, evaluated in one round trip."""
    return page.evaluate(EVALUATE_ALL, items)


@pytest.fixture(scope="module")
def expressions_page(browser):
    page = open_expressions_page(browser)
    yield page
    page.close()


def test_browser_evaluator_passes_the_conformance_table(expressions_page):
    cases = [case for case in conformance_cases() if case["expected"]["type"] != "error"]
    items = [{"ast": parse_case(case), "env": case["env"]} for case in cases]
    problems = mismatches(cases, evaluate_in_browser(expressions_page, items))
    assert not problems, "\n".join(problems)


def test_browser_and_server_agree_case_by_case(expressions_page):
    cases = [case for case in conformance_cases() if case["expected"]["type"] != "error"]
    items = [{"ast": parse_case(case), "env": case["env"]} for case in cases]
    server = [python_result(case) for case in cases]
    browser = evaluate_in_browser(expressions_page, items)
    disagreements = [
        f"{case['id']}: {case['expression']!r} server {one}, browser {other}"
        for case, one, other in zip(cases, server, browser, strict=True)
        if one != other
    ]
    assert not disagreements, "\n".join(disagreements)


def test_browser_stores_what_the_server_stores(expressions_page):
    trees = [
        (["op", "div", ["num", 1], ["num", 0]], {}),
        (["str", ""], {}),
        (["op", "div", ["num", 5400], ["num", 120]], {}),
        (["call", "today", []], {"today": "2024-02-29"}),
        (["call", "true", []], {}),
        (["op", "div", ["num", 1], ["num", 8]], {}),
    ]
    stored = expressions_page.evaluate(
        "(trees) => trees.map(([ast, env]) => "
        "FormExpressions.storedValue(FormExpressions.evaluate(ast, env)))",
        trees,
    )
    assert stored == [stored_value(evaluate(ast, env)) for ast, env in trees]
    assert stored == [None, None, 45, "2024-02-29", "true", 0.125]


def test_browser_conversions(expressions_page):
    converted = expressions_page.evaluate(
        "() => [FormExpressions.asString(0.1 + 0.2), FormExpressions.asString(1e21), "
        "FormExpressions.asNumber(' 12 '), String(FormExpressions.asNumber('1e3')), "
        "FormExpressions.asBoolean('0'), FormExpressions.asBoolean(0)]"
    )
    assert converted == ["0.30000000000000004", "1000000000000000000000", 12, "NaN", True, False]
