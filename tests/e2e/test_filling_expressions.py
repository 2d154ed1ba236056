"""Acceptance in a real browser (issue 10): the logic of a form runs in the filling page as the
school types, also without a connection, and the server stores what the page showed.

The page evaluates expressions with app/static/js/expressions.js through fill-logic.js; the
server checks every answer again on save and submit. Texts of the page are the form's own
(Russian) or ``gettext`` of the English message.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from app.accounts.models import Role, User
from app.campaigns import services as campaigns
from app.campaigns.models import ResponseStatus
from app.core.timefmt import local_today
from app.db import utcnow
from app.extensions import db
from app.organizations.models import OrganizationKind
from app.questionnaires import services as questionnaires
from app.questionnaires.expressions import parse
from tests.e2e.browser import log_in
from tests.e2e.test_filling import accept_dialogs, expect_saved, save_state, stored, watch_errors
from tests.factories import make_org, make_user

pytestmark = pytest.mark.e2e

TITLE = "Мониторинг книгообеспеченности"
RATE_MESSAGE = "Ставка должна быть больше 0 и меньше 2000"


def question(key: str, kind: str, label: str, **settings) -> dict:
    return {"key": key, "type": kind, "label": label, "help": "", "required": False,
            "condition": None, **settings}  # fmt: skip


def school(code: str, label: str, district: str) -> dict:
    """A choice of the schools' list, with its district in an extra column."""
    return {"code": code, "label": label, "extra": {"district": district}}


DEFINITION = {
    "title": "Книгообеспеченность",
    "description": "",
    "form_id": "books_per_pupil",
    "version": "2026-1",
    "languages": [{"code": "ru", "name": "Русский"}, {"code": "sah", "name": "Саха тыла"}],
    "default_language": "ru",
    "sections": [
        {
            "key": "place",
            "title": "Школа",
            "translations": {"sah": {"title": "Оскуола"}},
            "description": "",
            "condition": None,
            "questions": [
                question(
                    "district",
                    "single",
                    "Район",
                    translations={"sah": {"label": "Улуус"}},
                    display="list",
                    choices=[
                        {"code": "nyurba", "label": "Нюрбинский район"},
                        {"code": "suntar", "label": "Сунтарский улус"},
                    ],
                ),
                question(
                    "school",
                    "single",
                    "Школа",
                    display="list",
                    choice_filter=parse("district = ${district}", allow_names=True),
                    choices=[
                        school("n1", "Нюрбинская СОШ №1", "nyurba"),
                        school("n2", "Нюрбинская СОШ №2", "nyurba"),
                        school("s1", "Сунтарская СОШ №1", "suntar"),
                    ],
                ),
                question(
                    "filled_on", "date", "Дата заполнения", read_only=True, default=parse("today()")
                ),
            ],
        },
        {
            "key": "fund",
            "title": "Фонд",
            "description": "",
            "condition": None,
            "questions": [
                question(
                    "pupils",
                    "integer",
                    "Число учащихся",
                    required=True,
                    translations={"sah": {"label": "Үөрэнээччи ахсаана"}},
                ),
                question("books", "integer", "Фонд учебников, экз."),
                question(
                    "books_per_pupil",
                    "calculate",
                    "Книгообеспеченность",
                    read_only=True,
                    calculation=parse("${books} div ${pupils}"),
                ),
                question(
                    "summary",
                    "note",
                    "${school}: ${books_per_pupil} экз. на ученика",
                ),
                question(
                    "rate",
                    "decimal",
                    "Ставка библиотекаря",
                    constraint=parse(". > 0 and . < 2000"),
                    constraint_message=RATE_MESSAGE,
                ),
                question(
                    "librarian",
                    "text",
                    "ФИО библиотекаря",
                    required={"expr": parse("${rate} > 0")},
                ),
                question(
                    "equipment",
                    "multiple",
                    "Оборудование",
                    other=True,
                    choices=[
                        {"code": "pc", "label": "Компьютер"},
                        {"code": "printer", "label": "Принтер"},
                    ],
                ),
            ],
        },
    ],
}


@dataclass
class Monitoring:
    school_user: User
    response_id: int


def send(definition: dict) -> Monitoring:
    """A district office publishes ``definition`` and sends it to one school."""
    region = make_org("Республика Саха (Якутия)", OrganizationKind.REGION)
    district = make_org(
        "МКУ «Управление образования Сунтарского улуса»", OrganizationKind.DISTRICT, region
    )
    school = make_org("Сунтарская СОШ №1", parent=district, locality="с. Сунтар")
    admin = make_user(Role.ADMIN, district, "suntar-admin")
    school_user = make_user(Role.SCHOOL, school, "suntar-school1")
    form = questionnaires.create_form(admin, definition)
    questionnaires.publish(admin, form)
    now = utcnow()
    campaign = campaigns.create_campaign(
        admin,
        form.published,
        title=TITLE,
        instructions="",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7),
        organization_ids=[school.id],
    )
    db.session.commit()
    return Monitoring(school_user, campaign.responses[0].id)


@pytest.fixture
def monitoring() -> Monitoring:
    return send(DEFINITION)


def offered(page: Page, key: str) -> list[str]:
    return page.locator(f"#q-{key} option").all_inner_texts()[1:]  # after «— выберите —»


def test_school_fills_a_form_in_sakha_whose_logic_runs_in_the_page_also_offline(
    new_page, monitoring
):
    page = new_page()
    errors = watch_errors(page)
    confirmations = accept_dialogs(page)
    log_in(page, monitoring.school_user)
    page.goto(f"/responses/{monitoring.response_id}")
    expect(page.locator("#fill-form")).to_be_visible()

    # The school fills the form in Sakha; a text with no Sakha translation stays Russian (the
    # constraint message below, the schools' names).
    page.get_by_label("Язык анкеты").select_option("sah")
    expect(page.locator("#q-district-label")).to_contain_text("Улуус")
    expect(page.locator("#q-pupils-label")).to_contain_text("Үөрэнээччи ахсаана")

    # A read-only answer: the district's today, filled in when the response was opened.
    today = local_today().isoformat()
    filled_on = page.locator("#q-filled_on")
    expect(filled_on).to_have_value(local_today().strftime("%d.%m.%Y"))  # whatever the browser
    expect(filled_on).not_to_be_editable()

    # Cascading selects: the schools of the chosen district only; a school of another district
    # is dropped when the district changes.
    district, school = page.locator("#q-district"), page.locator("#q-school")
    expect(school.locator("option")).to_have_count(1)  # «— выберите —» alone: the filter ran
    district.select_option("nyurba")
    assert offered(page, "school") == ["Нюрбинская СОШ №1", "Нюрбинская СОШ №2"]
    school.select_option("n2")
    district.select_option("suntar")
    expect(school).to_have_value("")
    assert offered(page, "school") == ["Сунтарская СОШ №1"]
    school.select_option("s1")
    page.locator("[data-page-next]").click()

    # The calculated value follows the typing, and so does the note that shows it.
    calculated = page.locator("#q-books_per_pupil")
    summary = page.locator("#question-summary")
    page.locator("#q-pupils").fill("400")
    page.locator("#q-books").press_sequentially("54")
    expect(calculated).to_have_text("0,135")
    page.locator("#q-books").press_sequentially("00")
    expect(calculated).to_have_text("13,5")
    expect(summary).to_have_text("Сунтарская СОШ №1: 13,5 экз. на ученика")

    # A strict bound on a decimal: 0 is refused with the form's message, 0,5 is accepted; the
    # librarian becomes required once the rate holds.
    rate, rate_error = page.locator("#q-rate"), page.locator("#q-rate-error")
    mark = page.locator("#q-librarian-label [data-required-mark]")
    expect(mark).to_be_hidden()
    rate.fill("0")
    expect(rate_error).to_have_text(RATE_MESSAGE)
    expect(rate).to_have_attribute("aria-invalid", "true")
    expect(mark).to_be_hidden()
    rate.fill("0,5")
    expect(rate_error).to_have_text("")
    expect(mark).to_be_visible()
    page.locator("#q-librarian").fill("Петрова Айыына Ивановна")
    expect_saved(page)

    # «Другое» opens its text field.
    other = page.locator("#q-equipment_other")
    expect(other).to_be_hidden()
    page.locator("input[name='q.equipment'][value=pc]").check()
    page.locator("input[name='q.equipment'][value=other]").check()
    expect(other).to_be_visible()
    other.fill("Сканер штрихкодов")
    expect_saved(page)

    # Without a connection the page keeps computing and checking; the answers are sent when
    # the connection returns.
    page.context.set_offline(True)
    page.locator("#q-pupils").fill("360")
    expect(calculated).to_have_text("15")
    expect(summary).to_have_text("Сунтарская СОШ №1: 15 экз. на ученика")
    rate.fill("2000")
    expect(rate_error).to_have_text(RATE_MESSAGE)
    rate.fill("1,25")
    expect(rate_error).to_have_text("")
    expect(save_state(page)).to_have_attribute("data-state", "offline")
    page.context.set_offline(False)
    expect_saved(page)

    page.locator("#submit-form button[type=submit]").click()
    expect(page.locator("#fill-form")).to_have_attribute("data-editable", "false")
    assert len(confirmations) == 1
    expect(page.locator("#q-books_per_pupil")).to_have_text("15")

    response = stored(monitoring.response_id)
    assert response.status == ResponseStatus.SUBMITTED
    assert response.data == {
        "district": "suntar",
        "school": "s1",
        "filled_on": today,
        "pupils": 360,
        "books": 5400,
        "books_per_pupil": 15,
        "rate": "1.25",
        "librarian": "Петрова Айыына Ивановна",
        "equipment": ["pc", "other"],
        "equipment_other": "Сканер штрихкодов",
    }
    assert not errors, errors


def test_server_refuses_what_the_page_refused(new_page, monitoring):
    """The server's check is the authority and says the same: the draft keeps the message the
    page showed, and a refused submission opens the page where its messages are."""
    page = new_page()
    errors = watch_errors(page)
    accept_dialogs(page)
    log_in(page, monitoring.school_user)
    page.goto(f"/responses/{monitoring.response_id}")
    page.locator("[data-page-next]").click()
    rate_error = page.locator("#q-rate-error")
    page.locator("#q-rate").fill("0")
    expect(rate_error).to_have_text(RATE_MESSAGE)
    expect(rate_error).to_have_attribute("data-checked", "browser")
    expect_saved(page)  # the server's reply now fills the slot
    expect(rate_error).not_to_have_attribute("data-checked", "browser")
    expect(rate_error).to_have_text(RATE_MESSAGE)

    page.locator("#submit-form button[type=submit]").click()
    expect(page.locator(".alert-danger")).to_be_visible()
    expect(page.locator("[data-section=fund]")).to_be_visible()
    expect(page.locator("[data-section=place]")).to_be_hidden()
    expect(rate_error).to_have_text(RATE_MESSAGE)
    assert stored(monitoring.response_id).status == ResponseStatus.DRAFT
    assert not errors, errors


STAFF_FORM = {
    "title": "Штат библиотеки",
    "description": "",
    "form_id": "library_staff",
    "version": "2026-1",
    "sections": [
        {
            "key": "people",
            "title": "Сотрудники",
            "description": "",
            "condition": None,
            "questions": [
                question(
                    "staff",
                    "table",
                    "Сотрудники библиотеки",
                    min=1,
                    max=5,
                    columns=[
                        {"key": "full_name", "type": "text", "label": "ФИО", "required": True},
                        {
                            "key": "hours",
                            "type": "integer",
                            "label": "Часов в неделю",
                            "required": False,
                            "constraint": parse(". <= 40"),
                            "constraint_message": "Не больше 40 часов",
                        },
                        {
                            "key": "rate",
                            "type": "calculate",
                            "label": "Ставка",
                            "required": False,
                            "calculation": parse("${hours} div 40"),
                        },
                    ],
                ),
                question("total", "calculate", "", calculation=parse("sum(${rate})")),
                question("total_note", "note", "Всего ставок: ${total}"),
            ],
        }
    ],
}


def test_rows_of_a_table_compute_and_check_their_own_cells(new_page):
    monitoring = send(STAFF_FORM)
    page = new_page()
    errors = watch_errors(page)
    accept_dialogs(page)
    log_in(page, monitoring.school_user)
    page.goto(f"/responses/{monitoring.response_id}")
    rows = page.locator("[data-table=staff] tbody [data-row]")

    def cell(row: int, column: str):
        return rows.nth(row).locator(f"td[data-column={column}]")

    expect(page.locator("#question-total")).to_be_hidden()  # a calculate without read_only
    cell(0, "full_name").locator("input").fill("Петрова Айыына Ивановна")
    cell(0, "hours").locator("input").fill("20")
    expect(cell(0, "rate").locator("output")).to_have_text("0,5")
    page.locator("[data-add-row=staff]").click()
    cell(1, "full_name").locator("input").fill("Иванов Айаал Петрович")
    cell(1, "hours").locator("input").fill("50")
    expect(cell(1, "hours").locator("[data-cell-error]")).to_have_text("Не больше 40 часов")
    # As on the server, a table with a refused cell is unanswered for the questions after it.
    expect(page.locator("#question-total_note")).to_have_text("Всего ставок: 0")
    cell(1, "hours").locator("input").fill("30")
    expect(cell(1, "hours").locator("[data-cell-error]")).to_have_text("")
    expect(cell(1, "rate").locator("output")).to_have_text("0,75")
    expect(page.locator("#question-total_note")).to_have_text("Всего ставок: 1,25")
    expect_saved(page)

    page.locator("#submit-form button[type=submit]").click()
    expect(page.locator("#fill-form")).to_have_attribute("data-editable", "false")
    expect(cell(1, "rate").locator("output")).to_have_text("0,75")
    response = stored(monitoring.response_id)
    assert response.status == ResponseStatus.SUBMITTED
    assert response.data == {
        "staff": [
            {"full_name": "Петрова Айыына Ивановна", "hours": 20, "rate": 0.5},
            {"full_name": "Иванов Айаал Петрович", "hours": 30, "rate": 0.75},
        ],
        "total": 1.25,
    }
    assert not errors, errors


TEACHERS_FORM = {
    "title": "Учителя",
    "description": "",
    "form_id": "teachers",
    "version": "2026-1",
    "sections": [
        {
            "key": "main",
            "title": "",
            "description": "",
            "condition": None,
            "questions": [
                question("teachers", "integer", "Сколько учителей пользуются библиотекой?"),
                question(
                    "teacher_list",
                    "table",
                    "Учителя",
                    repeat_count=parse("${teachers}"),
                    columns=[
                        {"key": "full_name", "type": "text", "label": "ФИО", "required": True},
                    ],
                ),
            ],
        }
    ],
}


def test_a_table_has_as_many_rows_as_its_repeat_count_says(new_page):
    monitoring = send(TEACHERS_FORM)
    page = new_page()
    errors = watch_errors(page)
    accept_dialogs(page)
    log_in(page, monitoring.school_user)
    page.goto(f"/responses/{monitoring.response_id}")
    rows = page.locator("[data-table=teacher_list] tbody [data-row]")
    names = rows.locator("input[name$='.full_name']")

    page.locator("#q-teachers").fill("3")
    expect(rows).to_have_count(3)
    expect(page.locator("[data-add-row=teacher_list]")).to_be_hidden()
    for number, name in enumerate(["Иванова А. П.", "Петров С. С.", "Егорова Т. И."]):
        names.nth(number).fill(name)
    page.locator("#q-teachers").fill("2")
    expect(rows).to_have_count(2)
    expect(rows.locator("th[data-row-number]")).to_have_text(["1", "2"])
    expect_saved(page)

    page.locator("#submit-form button[type=submit]").click()
    expect(page.locator("#fill-form")).to_have_attribute("data-editable", "false")
    assert stored(monitoring.response_id).data == {
        "teachers": 2,
        "teacher_list": [{"full_name": "Иванова А. П."}, {"full_name": "Петров С. С."}],
    }
    assert not errors, errors


def test_the_preview_runs_the_same_logic(new_page):
    district = make_org("МКУ «Управление образования Сунтарского улуса»", OrganizationKind.DISTRICT)
    admin = make_user(Role.ADMIN, district, "suntar-admin")
    form = questionnaires.create_form(admin, DEFINITION)
    db.session.commit()
    page = new_page()
    errors = watch_errors(page)
    log_in(page, admin)
    page.goto(f"/forms/{form.id}/preview")
    page.locator("#q-district").select_option("nyurba")
    assert offered(page, "school") == ["Нюрбинская СОШ №1", "Нюрбинская СОШ №2"]
    page.locator("#q-pupils").fill("40")
    page.locator("#q-books").fill("500")
    expect(page.locator("#q-books_per_pupil")).to_have_text("12,5")
    page.locator("#q-rate").fill("0")
    expect(page.locator("#q-rate-error")).to_have_text(RATE_MESSAGE)
    assert not errors, errors


def test_bounds_are_said_by_the_field_as_the_school_types_even_offline(new_page):
    """Min and max (the builder's, or an imported `. > 0 and . < 3000` on a whole number) are
    checked in the page with the server's own words, before any save."""
    definition = {
        "title": "Фонд",
        "sections": [
            {
                "key": "fund",
                "title": "Фонд",
                "questions": [
                    question("pupils", "integer", "Число учащихся", min=1, max=2999),
                    question("rate", "decimal", "Ставка", min="0.25", max="1.5",
                             constraint_message="Ставка — от 0,25 до 1,5"),
                    question("books", "integer", "Фонд, экз."),
                ],
            }
        ],
    }  # fmt: skip
    monitoring = send(definition)
    page = new_page()
    errors = watch_errors(page)
    log_in(page, monitoring.school_user)
    page.goto(f"/responses/{monitoring.response_id}")
    page.context.set_offline(True)

    pupils, pupils_error = page.locator("#q-pupils"), page.locator("#q-pupils-error")
    pupils.fill("0")
    expect(pupils_error).to_have_text("Значение должно быть не меньше 1.")
    expect(pupils).to_have_attribute("aria-invalid", "true")
    pupils.fill("3000")
    expect(pupils_error).to_have_text("Значение должно быть не больше 2\xa0999.")
    pupils.fill("120")
    expect(pupils_error).to_have_text("")

    rate, rate_error = page.locator("#q-rate"), page.locator("#q-rate-error")
    rate.fill("0,2")
    expect(rate_error).to_have_text("Ставка — от 0,25 до 1,5")
    rate.fill("0,25")
    expect(rate_error).to_have_text("")

    books, books_error = page.locator("#q-books"), page.locator("#q-books-error")
    books.fill("1000000000001")  # beyond the default range of a number without bounds
    expect(books_error).to_have_text(
        "Значение должно быть не больше 1\xa0000\xa0000\xa0000\xa0000."
    )

    page.context.set_offline(False)
    books.fill("5400")
    expect_saved(page)
    assert stored(monitoring.response_id).data == {"pupils": "120", "rate": "0,25", "books": "5400"}
    assert not errors, errors
