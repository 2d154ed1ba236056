"""The сборник in Chromium: staff create one, see what to do next, add the winners of a
finalized contest, move one up and download the .docx in the new order."""

import pytest
from docx import Document
from playwright.sync_api import expect

from app.compendium import services, sources
from app.extensions import db
from tests.compendium.practices import finalized_contest, new_compendium
from tests.e2e.browser import log_in
from tests.e2e.builder_steps import screenshots
from tests.e2e.conftest import DOCUMENT_MS

pytestmark = pytest.mark.e2e


def test_staff_compile_the_winners_move_one_up_and_download(new_page, world, tmp_path):
    example = finalized_contest(world)
    e1, e2, e3 = (example.entries[key] for key in ("e1", "e2", "e3"))
    page = new_page()
    log_in(page, world.admin_a)
    page.goto("/compendia/")
    screenshots(page, "compendium-list-empty")
    page.get_by_role("link", name="Новый сборник").first.click()
    expect(page.get_by_label("Название")).to_have_value(
        "Сборник инновационных практик педагогов-библиотекарей"
    )
    page.get_by_role("button", name="Создать сборник").click()
    expect(page.locator("#empty-compendium")).to_be_visible()
    screenshots(page, "compendium-empty")

    page.locator("#add-contest").click()
    page.get_by_label("Конкурс").select_option(str(example.judged.contest.id))
    page.get_by_role("button", name="Показать работы").click()
    page.get_by_role("button", name="Добавить победителей и призёров").click()
    expect(page.locator(".alert-success")).to_contain_text("Добавлено практик: 3.")
    practices = page.locator("li.practice .practice-text > a")
    expect(practices).to_have_text([e1.title, e3.title, e2.title])
    screenshots(page, "compendium-editor")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") == 390
    page.set_viewport_size({"width": 1366, "height": 900})

    page.locator("li.practice").nth(2).get_by_role("button", name="Выше").click()
    expect(practices).to_have_text([e1.title, e2.title, e3.title])
    with page.expect_download(timeout=DOCUMENT_MS) as download:
        page.locator("#download").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".docx"
    headings = [p.text for p in Document(saved).paragraphs if p.style.name == "Heading 2"]
    assert headings == [e1.title, e2.title, e3.title]

    page.goto("/compendia/")
    expect(page.locator("#compendia")).to_contain_text("3 практики")
    screenshots(page, "compendium-list")


def test_the_pages_of_a_compendium_have_no_wcag_violation(new_page, world):
    from tests.e2e.test_accessibility import AXE, PHONE, violations

    example = finalized_contest(world)
    compendium = new_compendium(world)
    section = services.add_section(world.admin_a, compendium, "Победители")
    (practice, *_) = services.add_entries(
        world.admin_a, compendium, section, sources.awarded(example.judged.contest)
    )
    services.add_section(world.admin_a, compendium, "Ещё")
    db.session.commit()
    page = new_page()
    page.context.add_init_script(path=str(AXE))
    log_in(page, world.admin_a)
    base = f"/compendia/{compendium.id}"
    contest = example.judged.contest.id
    for path in ("/compendia/", base, f"{base}/edit", f"{base}/add/contest?contest_id={contest}",
                 f"{base}/add/monitoring", f"{base}/practices/{practice.id}"):  # fmt: skip
        for viewport in ({"width": 1366, "height": 900}, PHONE):
            page.set_viewport_size(viewport)
            page.goto(path)
            assert violations(page) == [], (path, viewport)
