"""Browser tests: the app served by a live server in a thread, Chromium driven by Playwright.

The live server shares the test database with the test process: data made with
``tests.factories`` (which commit) is what the browser sees, and the autouse fixture of
``tests/conftest.py`` empties the tables after each test. Playwright uses Debian's Chromium
and never downloads a browser of its own; without Chromium the tests are skipped.
"""

import os
import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Screenshots (of failures, and of the builder and the filling page at 1366 and 390 px) go
# here; CI gives each database's run a folder of its own and keeps them (.ci/run).
ARTIFACTS = Path(
    os.environ.get("TEST_ARTIFACTS") or Path(__file__).resolve().parents[2] / "test-artifacts"
)
TIMEOUT_MS = 10_000
DOCUMENT_MS = 30_000  # a document written while the page waits, on a busy machine
DESKTOP = {"width": 1280, "height": 800}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the item, so fixtures can tell a failed test."""
    report = yield
    setattr(item, "report_" + report.when, report)
    return report


@pytest.fixture(scope="session")
def server_app(app, make_app):
    """The app the live server serves, with real CSRF protection; a test may change a setting
    with ``monkeypatch.setitem(server_app.config, ...)``."""
    return make_app(WTF_CSRF_ENABLED=True)


@pytest.fixture(scope="session")
def live_server(server_app):
    """The base URL of the app served on 127.0.0.1 with real CSRF protection.

    Its app depends on ``app`` so that the schema exists before the first request. Login throttling
    stays as the other test apps have it: Flask-Limiter keeps ``RATELIMIT_ENABLED`` on its one
    shared object, so turning it off here would turn it off for every app of the session (and
    break the throttling tests); its counters are reset before each test, and no browser test
    comes near the limit.
    """
    server = make_server("127.0.0.1", 0, server_app, threaded=True)  # port 0: a free port
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed: run scripts/install-chromium.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(browser, live_server, request):
    """Opens a page in a fresh browser context (own cookies) against the live server, or with
    ``context=`` another page in a context already opened.

    Fails the test on any 5xx answer or Content-Security-Policy violation, and saves a
    screenshot of every page to ``test-artifacts/`` when the test fails.
    """
    contexts, pages, problems = [], [], []

    def check_response(response):
        if response.status >= 500:
            problems.append(f"{response.status} {response.request.method} {response.url}")

    def check_console(message):
        if "Content Security Policy" in message.text:
            problems.append(f"console: {message.text}")

    def open_page(viewport=DESKTOP, context=None, **options):
        """A page in a new context, or another page of ``context`` (same cookies and storage)."""
        if context is None:
            context = browser.new_context(
                base_url=live_server,
                viewport=viewport,
                locale="ru-RU",
                timezone_id="Asia/Yakutsk",
                **options,
            )
            context.set_default_timeout(TIMEOUT_MS)
            contexts.append(context)
        page = context.new_page()
        page.on("response", check_response)
        page.on("console", check_console)
        pages.append(page)
        return page

    yield open_page

    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        for number, page in enumerate(pages, 1):
            if not page.is_closed():
                path = ARTIFACTS / f"{name}-{number}.png"
                page.screenshot(path=str(path), full_page=True)
                print(f"screenshot of {page.url}: {path}")
    for context in contexts:
        context.close()
    assert not problems, "the server or the browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def page(new_page):
    """A desktop-sized page."""
    return new_page()
