"""The roadmap dashboard in Chromium: an activity not done after its period is shown in red,
and marking it done with a result clears it."""

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.roadmap import services
from tests.e2e.browser import log_in
from tests.e2e.builder_steps import screenshots

pytestmark = pytest.mark.e2e


def test_an_overdue_activity_is_red_until_it_is_done(new_page, world):
    roadmap = services.create_roadmap(world.admin_a, "Дорожная карта 2023–2024", 2023)
    fields = {"number": 5, "title": "Анализ кадрового обеспечения школьных библиотек",
              "period": "Январь – февраль", "responsible": "МКУ «УОНР», ОО",
              "document_type": "Аналитическая справка", "expected_results": ""}  # fmt: skip
    services.add_item(world.admin_a, roadmap, fields, "Организационно-координационные мероприятия")
    db.session.commit()
    page = new_page()
    log_in(page, world.admin_a)
    page.goto(f"/roadmap/{roadmap.id}")
    row = page.locator("#activities tbody tr").first
    expect(row).to_have_class("table-danger")
    expect(row.locator(".badge")).to_have_text("Просрочено")
    expect(row.locator("td").first).to_have_css("background-color", "rgb(248, 215, 218)")
    expect(page.locator("#roadmap-progress")).to_contain_text("1")
    screenshots(page, "roadmap-dashboard")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") == 390  # nothing past a phone
    page.set_viewport_size({"width": 1366, "height": 900})
    row.get_by_role("link").click()
    page.locator("#status").select_option("done")
    page.get_by_label("Дата выполнения").fill("28.02.2024")
    page.get_by_label("Результат").fill("Справка направлена в министерство.")
    page.get_by_role("button", name="Сохранить статус").click()
    expect(page.locator(".alert-success")).to_contain_text("Статус сохранён.")
    page.goto(f"/roadmap/{roadmap.id}")
    expect(page.locator("#activities tbody tr").first.locator(".badge")).to_have_text("Выполнено")
    expect(page.locator("#activities .table-danger")).to_have_count(0)
