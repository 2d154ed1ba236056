"""Acceptance in a real browser: a school that submits with empty required answers sees each
marked beside its field and listed at the top, across pages; numbers and dates are typed the
Russian way (5 400; 40,5; 25.11.2026) and stored clean; the progress counts required answers.

Texts are found by ``gettext`` of the English message, as in test_filling.py.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask_babel import gettext, ngettext
from playwright.sync_api import Page, expect

from app.accounts.models import Role, User
from app.campaigns import services as campaigns
from app.db import utcnow
from app.extensions import db
from app.organizations.models import OrganizationKind
from app.questionnaires import services as questionnaires
from app.questionnaires.cleaning import AnswerError, clean_value
from tests.e2e.browser import log_in
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_filling import accept_dialogs, expect_saved, stored, watch_errors
from tests.factories import make_org, make_user

pytestmark = pytest.mark.e2e

TITLE = "Фонд школьной библиотеки"


def question(key, kind, label, **fields):
    return {"key": key, "type": kind, "label": label, "help": "", "required": True, **fields}


DEFINITION = {
    "title": "Фонд библиотеки",
    "description": "",
    "form_id": "library_fund",
    "version": "2026-1",
    "sections": [
        {
            "key": "fund",
            "title": "Фонд",
            "description": "",
            "condition": None,
            "questions": [
                question("books", "integer", "Число книг в фонде"),
                question("area", "decimal", "Площадь библиотеки, м²"),
                question("counted_on", "date", "Дата подсчёта"),
            ],
        },
        {
            "key": "people",
            "title": "Кадры",
            "description": "",
            "condition": None,
            "questions": [
                question("librarian", "text", "ФИО библиотекаря"),
                question("reading_room", "yesno", "Есть ли читальный зал?"),
                question("remark", "text", "Примечание", required=False),
                question(
                    "staff",
                    "table",
                    "Сотрудники",
                    required=False,
                    columns=[
                        {"key": "full_name", "type": "text", "label": "ФИО", "required": True},
                        {"key": "rate", "type": "decimal", "label": "Ставка"},
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


@pytest.fixture
def monitoring() -> Monitoring:
    district = make_org(
        "МКУ «Управление образования Нюрбинского района»", OrganizationKind.DISTRICT
    )
    school = make_org("Нюрбинская СОШ №2", parent=district)
    admin = make_user(Role.ADMIN, district, "fund-admin")
    school_user = make_user(Role.SCHOOL, school, "fund-school")
    form = questionnaires.create_form(admin, DEFINITION)
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


def open_form(page: Page, monitoring: Monitoring) -> None:
    log_in(page, monitoring.school_user)
    page.goto(f"/responses/{monitoring.response_id}")
    expect(page.locator("#fill-form")).to_be_visible()


def submit(page: Page) -> None:
    page.locator("#submit-form button[type=submit]").click()


def error_slot(page: Page, key: str):
    return page.locator(f"[data-error-for={key}]")


def test_school_submits_with_two_empty_required_fields_and_sees_both_marked_and_listed(
    new_page, monitoring
):
    page = new_page()
    errors = watch_errors(page)
    accept_dialogs(page)
    open_form(page, monitoring)
    page.locator("#q-books").fill("120")
    page.locator("#q-counted_on").fill("25.11.2026")
    page.locator("[data-page-next]").click()
    page.locator("#q-reading_room-1").check()
    expect_saved(page)

    # «Площадь» on the first page and «ФИО библиотекаря» on the second are left empty.
    submit(page)
    expect(page).to_have_url(re.compile(r"check=1"))
    required = gettext("Answer this question.")
    listed = page.locator("#fill-errors")
    expect(listed).to_be_visible()
    expect(listed).to_be_focused()
    expect(listed.locator("h2")).to_have_text(
        ngettext("Fix %(num)s error", "Fix %(num)s errors", 2)
    )
    links = listed.locator("[data-error-links] a")
    expect(links).to_have_count(2)
    expect(links.nth(0)).to_have_text(f"Площадь библиотеки, м² — {required}")
    expect(links.nth(1)).to_have_text(f"ФИО библиотекаря — {required}")

    # The page opens on the first problem, marked beside its field and tied to it.
    area = page.locator("#q-area")
    expect(area).to_be_visible()
    expect(error_slot(page, "area")).to_have_text(required)
    expect(area).to_have_attribute("aria-invalid", "true")
    expect(area).to_have_attribute("aria-describedby", re.compile(r"\bq-area-error\b"))
    expect(page.locator("#q-books")).not_to_have_attribute("aria-invalid", "true")

    # A link leads to its field, on another page too.
    links.nth(1).click()
    librarian = page.locator("#q-librarian")
    expect(librarian).to_be_visible()
    expect(librarian).to_be_focused()
    expect(error_slot(page, "librarian")).to_have_text(required)
    expect(librarian).to_have_attribute("aria-invalid", "true")
    expect(area).to_be_hidden()

    # Answered, the mark and the list entry go away.
    librarian.fill("Петрова Мария Ивановна")
    expect(librarian).not_to_have_attribute("aria-invalid", "true")
    expect(links).to_have_count(1)
    expect_saved(page)  # the server's reply keeps what a submission would still refuse
    expect(links).to_have_count(1)
    expect(error_slot(page, "area")).to_have_text(required)
    assert not errors, errors


def test_a_school_types_5_400_and_it_is_saved_as_5400(new_page, monitoring):
    page = new_page()
    errors = watch_errors(page)
    accept_dialogs(page)
    open_form(page, monitoring)
    page.locator("#q-books").fill("5 400")
    page.locator("#q-area").fill("5\u00a0400,5")
    # Typed as digits on a phone's numeric keyboard, the date gets its dots.
    date = page.locator("#q-counted_on")
    expect(date).to_have_attribute("type", "text")
    expect(date).to_have_attribute("placeholder", gettext("DD.MM.YYYY"))
    date.press_sequentially("25112026")
    expect(date).to_have_value("25.11.2026")
    page.locator("[data-page-next]").click()
    page.locator("#q-librarian").fill("Петрова Мария Ивановна")
    page.locator("#q-reading_room-1").check()
    expect_saved(page)
    expect(page.locator("#fill-errors")).to_be_hidden()

    submit(page)
    expect(page.locator("#submit-form")).to_have_count(0)
    data = stored(monitoring.response_id).data
    assert data["books"] == 5400
    assert data["area"] == "5400.5"
    assert data["counted_on"] == "2026-11-25"

    # Shown back the Russian way.
    expect(page.locator("#q-books")).to_have_value("5\u00a0400")
    expect(page.locator("#q-area")).to_have_value("5\u00a0400,5")
    expect(page.locator("#q-counted_on")).to_have_value("25.11.2026")
    assert not errors, errors


def test_the_save_button_lists_values_the_server_refuses_table_cells_too(new_page, monitoring):
    page = new_page()
    open_form(page, monitoring)
    page.locator("[data-page-next]").click()
    rate = page.locator("[name='q.staff.0.rate']")
    rate.fill("полставки")
    page.locator("[data-page-prev]").click()
    page.locator("#q-books").fill("пять тысяч")
    page.locator("[data-save-button]").click()
    listed = page.locator("#fill-errors")
    expect(listed).to_be_focused()
    whole, number = gettext("Enter a whole number."), gettext("Enter a number.")
    links = listed.locator("a")
    expect(links).to_have_text(
        [
            f"Число книг в фонде — {whole}",
            f"Сотрудники, Ставка, {gettext('row')} 1 — {number}",
        ]
    )
    expect(error_slot(page, "books")).to_have_text(whole)
    expect(page.locator("#q-books")).to_have_attribute("aria-invalid", "true")
    links.nth(1).click()
    expect(rate).to_be_focused()
    expect(rate).to_have_attribute("aria-invalid", "true")
    expect(rate).to_have_attribute("aria-describedby", re.compile(r"-error\b"))


def progress_text(done: int, total: int) -> str:
    return gettext("Filled in %(done)s of %(total)s required", done=done, total=total)


def test_progress_counts_the_required_answers_and_the_save_state_is_a_small_text(
    new_page, monitoring
):
    page = new_page()
    open_form(page, monitoring)
    progress = page.locator("[data-progress]")
    expect(progress).to_have_text(progress_text(0, 5))
    fund = page.locator("[data-section=fund] [data-section-progress]")
    expect(fund).to_have_text(gettext("%(done)s of %(total)s required", done=0, total=3))
    expect(page.locator(".progress-bar")).to_have_count(0)

    page.locator("#q-books").fill("5 400")
    page.locator("#q-area").fill("сорок")  # refused: not counted
    expect(progress).to_have_text(progress_text(1, 5))
    expect(fund).to_have_text(gettext("%(done)s of %(total)s required", done=1, total=3))
    page.locator("#q-area").fill("40,5")
    expect(progress).to_have_text(progress_text(2, 5))
    expect_saved(page)
    state = page.locator("#save-state")
    expect(state).to_have_class(re.compile(r"\bsmall\b"))
    box = state.bounding_box()
    assert box and box["width"] < 400, box

    page.reload()
    expect(progress).to_have_text(progress_text(2, 5))
    expect(state).to_have_text(
        re.compile(re.escape(gettext("Saved at %(time)s", time="T")).replace("T", r"\d\d:\d\d"))
    )


# What the page reads of a typed value must be what the server stores (None: refused).
TYPED = [
    ("integer", "5 400"),
    ("integer", "5\u00a0400"),
    ("integer", "5\u202f400"),
    ("integer", "-1 000 000"),
    ("integer", " 12 "),
    ("integer", "54 00"),
    ("integer", "5400,5"),
    ("decimal", "5 400,5"),
    ("decimal", "5400.5"),
    ("decimal", "5400,5"),
    ("decimal", "00,50"),
    ("decimal", "5 40,5"),
    ("decimal", "1e5"),
    ("date", "25.11.2026"),
    ("date", "5.1.2026"),
    ("date", "2026-11-25"),
    ("date", "30.02.2026"),
    ("date", "20261125"),
]


def server_reads(kind: str, raw: str):
    try:
        return clean_value({"key": "q", "type": kind, "label": "Q"}, raw)
    except AnswerError:
        return None


def test_the_page_reads_numbers_and_dates_as_the_server_does(new_page, monitoring):
    page = new_page()
    open_form(page, monitoring)
    read = page.evaluate(
        "cases => cases.map(([type, raw]) => window.FillLogic.typed({ type }, raw))",
        [list(case) for case in TYPED],
    )
    assert read == [server_reads(kind, raw) for kind, raw in TYPED]
    shown = page.evaluate(
        """() => [window.FillLogic.shown("5400.125", "decimal"),
                  window.FillLogic.shown("0.0000001", "decimal"),
                  window.FillLogic.shown(5400, "integer"),
                  window.FillLogic.shown("2026-12-01", "date")]"""
    )
    assert shown == ["5\u00a0400,125", "0,0000001", "5\u00a0400", "01.12.2026"]


@pytest.mark.parametrize("width", [1366, 390])
def test_screenshots_of_the_filling_page(new_page, monitoring, width):
    """For people to look at (test-artifacts/ is kept by CI): errors listed and marked."""
    page = new_page(viewport={"width": width, "height": 900})
    accept_dialogs(page)
    open_form(page, monitoring)
    page.locator("#q-books").fill("5 400")
    expect_saved(page)
    submit(page)
    expect(page.locator("#fill-errors")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"filling-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
