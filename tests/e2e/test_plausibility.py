"""The «Проверка данных» panel in Chromium: staff return a suspicious value with the comment
filled in, the school corrects it, and the value leaves the panel."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import log_in
from tests.e2e.builder_steps import WIDTHS, screenshots
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_filling import accept_dialogs, expect_saved
from tests.suspicious import force_answer, make_suspicious

pytestmark = pytest.mark.e2e


def test_staff_return_a_suspicious_value_and_the_schools_fix_clears_it(new_page, world):
    data = make_suspicious(world)
    force_answer(data.responses["a2"], "computers_online", 13)  # of 12 computers
    staff = new_page()
    log_in(staff, world.admin_a)
    staff.goto(f"/reports/campaigns/{data.campaign.id}")
    panel = staff.locator("#checks")
    expect(panel.get_by_role("heading", level=2)).to_have_text("Проверка данных 2")
    share = panel.locator("li.suspect", has_text="Маарская СОШ")
    expect(share).to_contain_text("Доля компьютеров с Интернетом: 108,3 %")
    expect(share).to_contain_text("больше возможного (100)")
    share.get_by_role("button", name="Подтверждено школой").click()
    expect(staff.locator(".alert-success")).to_contain_text(
        "Значение отмечено как подтверждённое школой."
    )
    expect(panel.get_by_role("heading", level=2)).to_have_text("Проверка данных 1")
    checked = panel.locator("#checks-confirmed")
    expect(checked.locator("summary")).to_have_text("Проверено (1)")
    checked.locator("summary").click()
    expect(checked).to_contain_text("Маарская СОШ · Доля компьютеров с Интернетом: 108,3 %")
    item = panel.locator("> ul > li.suspect")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Нюрбинская СОШ №1 · Число обучающихся: 2\u00a0000")
    expect(item).to_contain_text("в 10 раз больше медианы по школам (203)")
    screenshots(staff, "plausibility-report")
    for width, viewport in WIDTHS.items():
        staff.set_viewport_size(viewport)
        panel.screenshot(path=str(ARTIFACTS / "screens" / f"plausibility-panel-{width}.png"))
    staff.set_viewport_size(WIDTHS["desktop"])

    item.get_by_role("link", name="Вернуть на доработку").click()
    comment = staff.locator("#comment")
    expect(comment).to_have_value(
        "Проверьте ответ на вопрос «Число обучающихся»: 2\u00a0000 — в 10 раз больше медианы "
        "по школам (203). Исправьте его или подтвердите."
    )
    staff.locator("form[action*='/return'] button[type=submit]").click()
    expect(staff.locator(".alert-success")).to_contain_text("Ответ возвращён школе на доработку.")

    school = new_page()
    accept_dialogs(school)
    log_in(school, data.users["a1"])
    school.goto(f"/responses/{data.responses['a1'].id}")
    expect(school.locator("#review-comment")).to_contain_text("Число обучающихся")
    school.get_by_label("Число обучающихся").fill("200")
    expect_saved(school)
    school.locator("#submit-form button[type=submit]").click()
    expect(school.locator("#fill-form")).to_have_attribute("data-editable", "false")

    staff.goto(f"/reports/campaigns/{data.campaign.id}")
    expect(panel.get_by_role("heading", level=2)).to_have_text("Проверка данных 0")
    expect(panel).to_contain_text("Подозрительных значений нет.")
    expect(panel.locator("> ul > li.suspect")).to_have_count(0)
    expect(checked.locator("summary")).to_have_text("Проверено (1)")
