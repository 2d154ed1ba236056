"""axe-core in Chromium on every page each role reaches from the navigation, and one page of
each kind a click further: no WCAG 2 A/AA violation, at desktop and phone widths; the
navigation itself stays on one line and marks the current page.

axe-core is the npm package's ``axe.min.js`` (version in the file name, licence beside it),
kept in ``tests/assets`` and injected as an init script: Chromium's DevTools protocol runs it
outside the page's Content-Security-Policy, so the app needs no exception for tests.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from tests.contests.factory import entries_in_judging, make_contest
from tests.e2e.browser import log_in
from tests.monitoring import make_monitoring

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[1] / "assets" / "axe-core-4.14.1.min.js"
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# Links that lead to a file or JSON, not to a page.
NOT_PAGES = re.compile(r"export|download|template|/files/|/api/|\.(xlsx|docx|csv|json|pdf)\b")
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ` +
    v.nodes.slice(0, 3).map((node) => node.target.join(" ")).join("; "));
}"""


@pytest.fixture
def filled_world(world):
    """Lists with rows in them: a monitoring answered by schools, a contest being judged."""
    world.m = make_monitoring(world)
    entries_in_judging(world, make_contest(world), with_a1=False)
    return world


def nav_pages(page: Page) -> list[str]:
    """The addresses of the navigation: its links and the items of its menus."""
    return list(dict.fromkeys(links(page, "#main-nav a[href]")))


def links(page: Page, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all(
        "links => links.map((link) => link.getAttribute('href'))"
    )


def pages_one_click_deeper(page: Page, starts: list[str]) -> list[str]:
    """From each navigation page, the first link of each kind of page it leads to (one
    response, one contest, one user...), without downloads and the pages listed as not yet
    fixed."""
    found = {}
    for start in starts:
        page.goto(start)
        for href in links(page, "#content a[href^='/']"):
            kind = re.sub(r"\d+", "N", href.split("?")[0].split("#")[0])
            if not NOT_PAGES.search(href):
                found.setdefault(kind, href)
    return [href for href in found.values() if href not in starts]


def violations(page: Page) -> list[str]:
    return page.evaluate(RUN_AXE, WCAG_A_AA)


@pytest.mark.parametrize(
    "role", ["admin_a", "viewer_a", "school_user_a1", "jury_a", "region_admin"]
)
def test_every_page_of_the_navigation_has_no_wcag_violation(new_page, filled_world, role):
    page = new_page(viewport=DESKTOP)
    page.context.add_init_script(path=str(AXE))
    log_in(page, getattr(filled_world, role))
    starts = nav_pages(page)
    assert len(starts) >= 3, starts
    pages = starts + pages_one_click_deeper(page, starts)

    found = {}
    for href in pages:
        page.goto(href)
        for name, viewport in (("1366", DESKTOP), ("390", PHONE)):
            page.set_viewport_size(viewport)
            page.wait_for_timeout(50)  # the scroll regions are marked after a resize
            for violation in violations(page):
                found.setdefault(f"{href} at {name} px", []).append(violation)
        page.set_viewport_size(DESKTOP)
    assert not found, "\n".join(f"{where}: {problems}" for where, problems in found.items())


def test_the_builder_with_an_editor_open_has_no_wcag_violation(new_page, filled_world):
    page = new_page(viewport=DESKTOP)
    page.context.add_init_script(path=str(AXE))
    log_in(page, filled_world.admin_a)
    form = filled_world.m.form
    found = {}
    for path in (f"/forms/{form.id}/questions/has_internet", f"/forms/{form.id}/sections/new"):
        page.goto(path)
        for name, viewport in (("1366", DESKTOP), ("390", PHONE)):
            page.set_viewport_size(viewport)
            page.wait_for_timeout(50)
            for violation in violations(page):
                found.setdefault(f"{path} at {name} px", []).append(violation)
    assert not found, "\n".join(f"{where}: {problems}" for where, problems in found.items())


def test_axe_finds_a_violation_when_there_is_one(new_page, filled_world):
    page = new_page(viewport=DESKTOP)
    page.context.add_init_script(path=str(AXE))
    log_in(page, filled_world.admin_a)
    page.evaluate(
        """() => { const p = document.createElement("p");
        p.textContent = "бледный текст"; p.style.color = "#ddd"; document.body.append(p); }"""
    )
    assert any(problem.startswith("color-contrast") for problem in violations(page))


def test_staff_navigation_is_one_line_at_1366_and_marks_the_current_page(new_page, world):
    world.admin_a.full_name = "Егорова-Винокурова Туйаара Николаевна"  # a long name in the bar
    db.session.commit()
    page = new_page(viewport=DESKTOP)
    log_in(page, world.admin_a)
    bar = page.locator("nav.navbar")
    assert bar.bounding_box()["height"] < 70  # one row of links: no wrapping
    for width in (1200, 1280, DESKTOP["width"]):
        page.set_viewport_size({"width": width, "height": 800})
        box = page.get_by_role("button", name="Выйти").bounding_box()
        assert box["x"] + box["width"] <= width, f"the last item is inside {width} px"
    page.set_viewport_size(DESKTOP)

    page.get_by_role("button", name="Администрирование").click()
    page.get_by_role("link", name="Журнал действий").click()

    expect(page.get_by_role("heading", name="Журнал действий")).to_be_visible()
    current = page.locator("#main-nav [aria-current=page]")
    expect(current).to_have_count(1)
    expect(current).to_have_text("Журнал действий")
    expect(page.get_by_role("button", name="Администрирование")).to_have_class(
        "nav-link dropdown-toggle active"
    )
    expect(page.locator("#main-nav .bi-journal-text")).to_be_attached()


def test_a_wide_table_on_a_phone_is_a_named_stop_for_the_keyboard(new_page, world):
    page = new_page(viewport=PHONE)
    log_in(page, world.admin_a)
    page.goto("/audit/")

    region = page.get_by_role("region", name="Журнал действий")
    expect(region).to_have_attribute("tabindex", "0")
    page.set_viewport_size(DESKTOP)
    expect(page.locator(".table-responsive")).not_to_have_attribute("tabindex", "0")
