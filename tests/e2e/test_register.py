"""The register in Chromium: a school adds a librarian with a course and two difficulties,
and the district's map of difficulties counts them."""

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.registry.models import DifficultyTopic
from tests.e2e.browser import log_in
from tests.e2e.builder_steps import screenshots

pytestmark = pytest.mark.e2e


def _topics(world) -> None:
    for position, title in enumerate(
        ("Работа с АИБС", "Проектная деятельность", "Продвижение чтения"), 1
    ):
        db.session.add(
            DifficultyTopic(organization=world.district_a, title=title, position=position)
        )
    db.session.commit()


def test_a_school_adds_a_librarian_and_the_district_map_counts_her(new_page, world):
    _topics(world)
    school = new_page()
    log_in(school, world.school_user_a1)
    school.goto("/registry/")
    school.get_by_role("link", name="Добавить сотрудника").first.click()
    school.get_by_label("Фамилия").fill("Николаева")
    school.get_by_label("Имя", exact=True).fill("Сардана")
    school.get_by_label("Ставка").fill("0,5")
    school.get_by_label("Образование библиотечное").check()
    school.get_by_label("Проектная деятельность").check()
    school.get_by_label("Продвижение чтения").check()
    school.get_by_label("Дата согласия на обработку персональных данных").fill("01.09.2026")
    school.get_by_role("button", name="Сохранить").click()
    expect(school.locator("#consent_file-error")).to_contain_text(
        "Приложите подписанное согласие или укажите, где оно хранится."
    )
    expect(school.get_by_label("Проектная деятельность")).to_be_checked()
    school.get_by_label("Или где хранится подписанное согласие").fill("в личном деле")
    school.get_by_role("button", name="Сохранить").click()
    expect(school.locator(".alert-success")).to_contain_text("Сотрудник добавлен в базу.")
    expect(school.get_by_role("heading", level=1)).to_have_text("Николаева Сардана")
    expect(school.locator(".alert-warning")).to_contain_text("нужно направить на повышение")

    courses = school.locator("#courses")
    courses.get_by_label("Тема").fill("Информационно-библиотечный центр")
    courses.get_by_label("Часов").fill("72")
    courses.get_by_label("Дата с").fill("02.11.2026")
    courses.get_by_label("Дата по").fill("20.11.2026")
    courses.get_by_role("button", name="Добавить курс").click()
    expect(school.locator(".alert-success")).to_contain_text("Курс добавлен.")
    expect(school.locator("#courses table")).to_contain_text("02.11.2026–20.11.2026")
    expect(school.locator(".alert-warning")).to_have_count(0)
    screenshots(school, "register-card")

    staff = new_page()
    log_in(staff, world.admin_a)
    staff.goto("/registry/difficulties")
    totals = staff.locator("#difficulty-totals")
    expect(
        totals.locator("tr", has_text="Проектная деятельность").locator("td").nth(1)
    ).to_have_text("1")
    expect(totals.locator("tr", has_text="Продвижение чтения").locator("td").nth(1)).to_have_text(
        "1"
    )
    expect(totals.locator("tr", has_text="Работа с АИБС").locator("td").nth(1)).to_have_text("0")
    row = staff.locator("#difficulty-schools tr", has_text=world.school_a1.short_name)
    expect(row.locator("td").first).to_have_text("1")
    screenshots(staff, "register-difficulties")
