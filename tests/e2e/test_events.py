"""District events in Chromium: staff create a seminar, a school registers its librarian, staff
mark attendance on a phone (390 px), and the person's record shows the seminar."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.core.timefmt import local_today
from tests.e2e.browser import log_in
from tests.e2e.builder_steps import screenshots
from tests.registry.factory import make_record

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


def test_staff_create_a_seminar_a_school_registers_and_staff_mark_attendance(new_page, world):
    record = make_record(world.school_a1, last_name="Николаева", first_name="Сардана")
    day = (local_today() + timedelta(days=3)).strftime("%d.%m.%Y")

    staff = new_page()
    log_in(staff, world.admin_a)
    staff.goto("/events/")
    expect(staff.locator(".empty-state")).to_contain_text("Создайте совещание или семинар")
    staff.get_by_role("link", name="Новое мероприятие").first.click()
    staff.get_by_label("Тип").select_option(label="Семинар-практикум")
    staff.get_by_label("Название").fill("Школьная библиотека как ИБЦ")
    staff.get_by_label("Начало").fill(f"{day} 14:00")
    staff.get_by_label("Окончание").fill(f"{day} 13:00")
    staff.get_by_role("button", name="Сохранить").click()
    expect(staff.locator("#ends_at-error")).to_contain_text("должно закончиться позже")
    expect(staff.locator("#place-error")).to_have_count(0)
    staff.get_by_label("Окончание").fill(f"{day} 17:00")
    staff.get_by_label("Место").fill("г. Нюрба, Нюрбинская СОШ №1, актовый зал")
    staff.get_by_role("button", name="Сохранить").click()
    expect(staff.locator(".alert-success")).to_contain_text("Мероприятие создано.")
    expect(staff.locator("#event-when")).to_contain_text(f"{day} 14:00–17:00 (Якутск)")
    event_url = staff.url

    school = new_page()
    log_in(school, world.school_user_a1)
    school.goto("/events/")
    school.get_by_role("link", name="Школьная библиотека как ИБЦ").click()
    school.get_by_label("Сотрудник").select_option(str(record.id))
    school.get_by_role("button", name="Зарегистрировать").click()
    expect(school.locator(".alert-success")).to_contain_text("Сотрудник зарегистрирован.")
    expect(school.locator("#registrations")).to_contain_text("Николаева Сардана")
    screenshots(school, "events-detail-school")

    phone = new_page(viewport=PHONE)
    log_in(phone, world.admin_a)
    phone.goto(event_url + "/attendance")
    person = phone.get_by_role("button", name="Николаева Сардана")
    expect(person).to_have_attribute("aria-pressed", "false")
    box = person.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300  # a big target for a thumb
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.evaluate("window.sameDocument = true")  # gone if the tap reloaded the page
    person.click()
    expect(phone.get_by_role("button", name="Николаева Сардана")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(phone.locator("#attendance-count")).to_contain_text("Присутствуют: 1 из 1")
    expect(person).to_contain_text("присутствует")
    assert phone.evaluate("window.sameDocument") is True
    screenshots(phone, "events-attendance")

    school.goto(f"/registry/{record.id}")
    participation = school.locator("#participation")
    expect(participation).to_contain_text("Школьная библиотека как ИБЦ")
    expect(participation).to_contain_text("Присутствовал(а)")
    expect(school.locator("#courses")).not_to_contain_text("Школьная библиотека как ИБЦ")
    screenshots(school, "events-person-record")
